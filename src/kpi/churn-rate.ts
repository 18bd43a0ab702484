import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { checkChurnOptions, churnWindows, firstLineOnOrAfter, forEachAtRisk } from "./internal/churn-core.ts";
import { purchaseDayIndex } from "../data/internal/purchase-days.ts";
import { lowerBound } from "../data/internal/bounds.ts";
import { extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { addTo, KPI_KEYS, kpiContext, netOf, companyRow, partialWithHistory, rowKey } from "./internal/context.ts";
import { ownerReps } from "../data/internal/owner-reps.ts";
import { presentGroups } from "./internal/present.ts";
import type { KpiOptions, KpiRow } from "./types.ts";
import { NO_DAY } from "../data/internal/no-day.ts";

/** The churn windows shared by {@link churnRate} and `churnProfile`. */
export interface ChurnWindowOptions {
  /**
   * Days without a purchase after a customer's last purchase that make it churned (default 90).
   * The churn day is `lastOrder + windowDays`: the windowDays-th day in a row without a purchase.
   */
  windowDays?: number | undefined;
  /** Look-back window before a period in which a customer must have bought to be in its base (default 365 days). */
  lookbackDays?: number | undefined;
}

/** Options of {@link churnRate}. */
export interface ChurnRateOptions extends KpiOptions {
  /** Churn and look-back windows. */
  churn?: ChurnWindowOptions | undefined;
}

const KEYS: OptionKeys<ChurnRateOptions> = /* @__PURE__ */ extendKeys<ChurnRateOptions, KpiOptions>(KPI_KEYS, { churn: true });

/** A customer that churned in a period. */
export interface ChurnedCustomer {
  /** Customer id. */
  readonly customerId: string;
  /** Account owner (customers.rep_id, else the rep of its latest order line up to asOf, else of its latest line); `null` when none. */
  readonly repId: string | null;
  /**
   * Net revenue (returns netted) of the customer in the look-back window before the period; for a
   * line-level grouping (channel, product, family, seller rep), of its lines in the row's group.
   */
  readonly lookbackRevenue: number;
  /** Its last purchase before it churned, `YYYY-MM-DD`. */
  readonly lastOrder: string;
  /** Day the churn was confirmed (`lastOrder + windowDays`), `YYYY-MM-DD`. */
  readonly churnDay: string;
}

/** A churn-rate row: `value` = churned ÷ at-risk base (by count). */
export interface ChurnRateRow extends KpiRow {
  /** Customers that churned in the period (always set). */
  readonly numerator: number;
  /** At-risk base at the start of the period (always set). */
  readonly denominator: number;
  /** Churn by revenue: churned customers' look-back revenue ÷ the base's (each floored at 0); `undefined` when the base's is 0. */
  readonly revenueRate: number | undefined;
  /**
   * True when `revenueRate` is partial: the row is, or its look-back window (`lookbackDays`
   * before the start, 365 by default) reaches before the data's first day, so the look-back
   * revenues miss what lies before the data. The count is whole sooner (`partial` needs only
   * min(windowDays, lookbackDays) days of history).
   */
  readonly revenueRatePartial: boolean;
  /** Σ look-back revenue of the churned customers (each floored at 0). */
  readonly churnedRevenue: number;
  /** Σ look-back revenue of the base (each floored at 0). */
  readonly baseRevenue: number;
  /**
   * True when the period ends after `asOf`: churn that would be confirmed between `asOf` and the
   * period end cannot be seen yet, so the counts are lower bounds.
   */
  readonly censored: boolean;
  /** Who churned, by look-back revenue (largest first), then customer id. */
  readonly churned: readonly ChurnedCustomer[];
}

/**
 * Churn rate by count and by revenue, per period (default monthly) and group.
 *
 * For a period [start, end]: the at-risk **base** is the customers whose last purchase (a day
 * with a positive line) before `start` lies in the look-back window `start − lookbackDays ..
 * start − 1` and is not older than `windowDays` (a customer already churned before the period is
 * not at risk). A base customer **churned** in the period when it reaches `windowDays` days in a
 * row without a purchase on a day (its churn day = last purchase + windowDays) inside the period
 * and on or before `asOf`. Each churn is counted in exactly one period. `value` = churned ÷ base;
 * `revenueRate` = their look-back revenue ÷ the base's look-back revenue (net of returns, each
 * customer floored at 0). Periods ending after `asOf` are `censored`. Grouped by a line-level
 * dimension, a customer belongs to every group it bought in during the look-back window.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `month`), periods, by, ... and `churn: { windowDays, lookbackDays }`
 * @returns one row per period and group present in the window or in a base
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { churnRate, fromRowsSync } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 30 },
 *   { order_id: "2", order_date: "2026-01-10", customer_id: "B", product_id: "P", quantity: 1, unit_price: 10 },
 *   { order_id: "3", order_date: "2026-02-05", customer_id: "B", product_id: "P", quantity: 1, unit_price: 10 },
 * ] });
 * const [feb] = churnRate(dataset, { asOf: "2026-02-28", periods: 1, churn: { windowDays: 30 } });
 * assert.equal(feb?.value, 0.5);            // A: no purchase from Jan 6 to Feb 4
 * assert.equal(feb?.revenueRate, 0.75);     // 30 of 40
 * assert.equal(feb?.churned[0]?.churnDay, "2026-02-04");
 * ```
 */
export function churnRate(dataset: Dataset, options?: ChurnRateOptions): ChurnRateRow[] {
  checkChurnOptions(options, "churnRate", KEYS);
  const ctx = kpiContext(dataset, options, "month", "churnRate");
  const w = churnWindows(options);
  const { view, groups, slots } = ctx;
  const { lines } = view;
  const nG = groups.labels.length;
  const n = slots.length * nG;
  const base = new Float64Array(n), churned = new Float64Array(n);
  const baseRev = new Float64Array(n), baseRevC = new Float64Array(n);
  const chRev = new Float64Array(n), chRevC = new Float64Array(n);
  const lists: ChurnedCustomer[][] = Array.from({ length: n }, () => []);
  const owner = ownerReps(view);
  const repLabel = (c: number): string | null => (owner[c]! >= 0 ? view.ids.reps.values[owner[c]!]! : null);
  // per-group revenue of one customer in one look-back window (line-level dimensions)
  const gSum = new Float64Array(nG), gComp = new Float64Array(nG), gAbs = new Float64Array(nG), gMember = new Uint8Array(nG);
  const touched: number[] = [];
  const add = (k: number, c: number, rev: number, lastOrder: number): void => {
    const r = rev > 0 ? rev : 0;
    base[k]!++;
    addTo(baseRev, baseRevC, k, r);
    if (lastOrder === NO_DAY) return;
    churned[k]!++;
    addTo(chRev, chRevC, k, r);
    lists[k]!.push({ customerId: view.ids.customers.values[c]!, repId: repLabel(c), lookbackRevenue: rev, lastOrder: formatDay(lastOrder), churnDay: formatDay(lastOrder + w.windowDays) });
  };
  // customer-level groups: a customer's look-back revenue in each of its at-risk slots from its
  // Neumaier-compensated running sums (sum and compensation, one pass over its lines) instead of
  // one pass over a year of lines per slot; the window's revenue is the difference of the two
  // running sums at its ends, each part subtracted on its own
  // (and Σ|line revenue|: a look-back whose sales and returns cancel is 0, not rounding noise: netOf)
  let prefSum = new Float64Array(256), prefComp = new Float64Array(256), prefAbs = new Float64Array(256);
  let prefOf = -1;
  forEachAtRisk(ctx, purchaseDayIndex(view), w, (slot, c, _t, lastOrder) => {
    const s = slots[slot]!.start;
    const from = s - w.lookbackDays;
    const first = firstLineOnOrAfter(view, c, from);
    if (groups.ofCustomer) {
      const lo = view.customerStart[c]!, hi = view.customerEnd[c]!;
      if (prefOf !== c) {
        prefOf = c;
        if (hi - lo + 1 > prefSum.length) {
          prefSum = new Float64Array(2 * (hi - lo + 1));
          prefComp = new Float64Array(prefSum.length);
          prefAbs = new Float64Array(prefSum.length);
        }
        let sum = 0, comp = 0, abs = 0;
        for (let i = lo; i < hi; i++) {
          const x = lines.quantity[i]! * lines.unitPrice[i]!;
          const t = sum + x;
          comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
          sum = t;
          abs += Math.abs(x);
          prefSum[i - lo + 1] = sum;
          prefComp[i - lo + 1] = comp;
          prefAbs[i - lo + 1] = abs;
        }
      }
      const a = first - lo, b = lowerBound(lines.day, s, first, hi) - lo; // lines [first, b) are dated in [from, s)
      add(slot * nG + groups.ofCustomer[c]!, c, netOf(prefSum[b]! - prefSum[a]! + (prefComp[b]! - prefComp[a]!), prefAbs[b]! - prefAbs[a]!), lastOrder);
      return;
    }
    touched.length = 0;
    for (let i = first; i < view.customerEnd[c]! && lines.day[i]! < s; i++) {
      const x = lines.quantity[i]! * lines.unitPrice[i]!;
      const g = groups.ofLine![i]!;
      if (gMember[g] === 0) {
        gMember[g] = 1;
        touched.push(g);
      }
      if (lines.quantity[i]! > 0) gMember[g] = 2;
      addTo(gSum, gComp, g, x);
      gAbs[g]! += Math.abs(x);
    }
    touched.sort((a, b) => a - b);
    for (const g of touched) {
      if (gMember[g] === 2) add(slot * nG + g, c, netOf(gSum[g]! + gComp[g]!, gAbs[g]!), lastOrder);
      gMember[g] = 0;
      gSum[g] = 0;
      gComp[g] = 0;
      gAbs[g] = 0;
    }
  });
  // groups with lines in the window, plus groups holding a base (a group that stopped buying altogether still churns)
  const present = new Set(presentGroups(ctx));
  for (let k = 0; k < n; k++) if (base[k]! > 0) present.add(k % nG);
  const order = [...present].sort((a, b) => a - b);
  const rows: ChurnRateRow[] = [];
  for (let s = 0; s < slots.length; s++) {
    for (const g of order) {
      const k = s * nG + g;
      const bR = baseRev[k]! + baseRevC[k]!;
      const cR = chRev[k]! + chRevC[k]!;
      const list = lists[k]!.sort((a, b) => b.lookbackRevenue - a.lookbackRevenue || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
      rows.push(companyRow(ctx, {
        kpi: "churn_rate",
        period: ctx.slots[s]!.label,
        start: ctx.slots[s]!.startText,
        end: ctx.slots[s]!.endText,
        // also partial while the windows reach back before the data: a base customer's last
        // purchase (at most min(windowDays, lookbackDays) before the start) and a churned one's
        // (windowDays before its churn day) must be in the data, or the counts are too low (a
        // 2-year export read 0.0% for its first three months, and "+5.1 pp vs year ago" on them)
        partial: partialWithHistory(ctx, s, Math.min(w.windowDays, w.lookbackDays)),
        key: rowKey(ctx, g),
        value: base[k]! > 0 ? churned[k]! / base[k]! : undefined,
        numerator: churned[k]!,
        denominator: base[k]!,
        revenueRate: bR > 0 ? Math.min(1, cR / bR) : undefined,
        // (the revenues look back lookbackDays: on data beginning 2024-11 the months 2025-02 ..
        // 2025-10, whole by count, read 0.07 % for 0.12 %; review 2026-12-07)
        revenueRatePartial: partialWithHistory(ctx, s, w.lookbackDays),
        churnedRevenue: cR,
        baseRevenue: bR,
        censored: slots[s]!.end > ctx.seen,
        churned: list,
      }));
    }
  }
  return rows;
}
