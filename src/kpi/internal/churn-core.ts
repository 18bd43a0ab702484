import type { PurchaseDays } from "../../data/internal/purchase-days.ts";
import type { Dataset } from "../../data/dataset.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { checkFunction, checkInt, checkObject, optionsObject } from "../../data/internal/check.ts";
import type { KpiContext } from "./context.ts";
import { lowerBound } from "../../data/internal/bounds.ts";
import { NO_DAY } from "../../data/internal/no-day.ts";

/** @internal Resolved churn windows. */
export interface ChurnWindows {
  /** Days without a purchase after the last one that make a customer churned. */
  readonly windowDays: number;
  /** Days before a period in which a customer must have bought to be in its base. */
  readonly lookbackDays: number;
}

/** @internal Validate the churn-specific options by hand and throw INVALID_OPTION naming the option (or an own key `known` does not list: the function's option names). */
export function checkChurnOptions(options: unknown, fn: string, known: Readonly<Record<string, true>>): void {
  const o = optionsObject(options, fn, known);
  const churn = checkObject(o, "churn", ["windowDays", "lookbackDays"], fn);
  checkInt(churn, "windowDays", 1, 100_000, fn, "churn.windowDays");
  checkInt(churn, "lookbackDays", 1, 100_000, fn, "churn.lookbackDays");
  checkInt(o, "minOrders", 1, 100_000, fn);
  checkInt(o, "minCount", 1, 1_000_000_000, fn);
  checkFunction(o, "predictor", fn);
}

/** @internal The windows with defaults (90 / 365 days); call after {@link checkChurnOptions}. */
export function churnWindows(options: { churn?: { windowDays?: number | undefined; lookbackDays?: number | undefined } | undefined } | undefined): ChurnWindows {
  return { windowDays: options?.churn?.windowDays ?? 90, lookbackDays: options?.churn?.lookbackDays ?? 365 };
}

/** @internal First line index of customer `c` dated on or after `day` (lines are sorted by day within a customer). */
export function firstLineOnOrAfter(view: Dataset, c: number, day: number): number {
  return lowerBound(view.lines.day, day, view.customerStart[c]!, view.customerEnd[c]!);
}

/**
 * @internal Visit every (slot, customer) pair in which the customer is in the slot's at-risk
 * base. For slot [s, e]: t = the customer's last purchase day before s; the customer is in the
 * base when t >= s - lookbackDays and t >= s - windowDays (bought in the look-back window and not
 * already churned before s). It churned in the slot when, starting from t and moving through its
 * later purchases, some purchase day u has no purchase in u+1 .. u+windowDays and its churn day
 * u + windowDays lies in [s, min(e, ctx.seen)] (asOf, or the data's last day when the as-of day is in progress). `lastOrder` is that u (or NO_DAY when it did not churn).
 */
export function forEachAtRisk(
  ctx: KpiContext,
  pd: PurchaseDays,
  w: ChurnWindows,
  visit: (slot: number, customer: number, lastBefore: number, lastOrder: number) => void,
): void {
  const { slots } = ctx;
  const { days, start } = pd;
  const nC = start.length - 1;
  for (let c = 0; c < nC; c++) {
    const a = start[c]!;
    const b = start[c + 1]!;
    if (a === b) continue;
    let j = a; // first purchase index with day >= s
    for (let k = 0; k < slots.length; k++) {
      const { start: s, end: e } = slots[k]!;
      while (j < b && days[j]! < s) j++;
      if (j === a) continue;
      const t = days[j - 1]!;
      if (t < s - w.lookbackDays || t < s - w.windowDays) continue;
      // (up to the last day the data speak for: ctx.seen, asOf unless the as-of day is in progress)
      const limit = Math.min(e, ctx.seen);
      let lastOrder = NO_DAY;
      for (let u = j - 1; u < b; u++) {
        const churnDay = days[u]! + w.windowDays;
        if (churnDay > limit) break;
        if (u + 1 === b || days[u + 1]! > churnDay) {
          lastOrder = days[u]!;
          break;
        }
      }
      visit(k, c, t, lastOrder);
    }
  }
}

/** @internal Neumaier-compensated sum of quantity x unit_price over customer `c`'s lines dated in [from, to]. */
export function revenueBetween(view: Dataset, c: number, from: number, to: number): number {
  const { lines } = view;
  let sum = 0;
  let comp = 0;
  for (let i = firstLineOnOrAfter(view, c, from); i < view.customerEnd[c]! && lines.day[i]! <= to; i++) {
    const x = lines.quantity[i]! * lines.unitPrice[i]!;
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + comp;
}
