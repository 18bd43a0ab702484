import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { productOrder, type ProductOrder } from "./internal/product-runs.ts";
import { extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { KPI_KEYS, kpiContext, type KpiContext, companyRow, rowKey } from "./internal/context.ts";
import { intOption } from "./internal/frequency-occasions.ts";
import { presentGroups } from "./internal/present.ts";
import { periodBounds } from "./period.ts";
import type { KpiOptions, KpiRow } from "./types.ts";

/** Options of {@link repurchaseRate}: the shared KPI options plus the re-purchase window. */
export interface RepurchaseRateOptions extends KpiOptions {
  /**
   * Days after a pair's last purchase in the period within which a new purchase counts
   * (integer 1..100000). Default: none, the window is the following period.
   */
  withinDays?: number | undefined;
}

const KEYS: OptionKeys<RepurchaseRateOptions> = /* @__PURE__ */ extendKeys<RepurchaseRateOptions, KpiOptions>(KPI_KEYS, { withinDays: true });

/** One {@link repurchaseRate} row: `value` = re-purchased pairs ÷ pairs bought in the period. */
export interface RepurchaseRateRow extends KpiRow {
  /** (customer, product) pairs bought again within their window, up to `asOf`. */
  readonly numerator: number;
  /** Distinct (customer, product) pairs with a positive line of an order whose occasion (its earliest positive day) is in the period (and group). */
  readonly denominator: number;
  /**
   * True when the latest possible window of the period ends after `asOf` (`windowEnd` > asOf):
   * some outcomes are not known yet and `value` is a lower bound. Always true for a `partial` period.
   */
  readonly censored: boolean;
  /** Pairs not bought again so far whose own window is still open (outcome unknown). */
  readonly openPairs: number;
  /**
   * Last day (`YYYY-MM-DD`) a window of this period can reach: the following period's last day,
   * or with `withinDays` the period's last day + withinDays.
   */
  readonly windowEnd: string;
}

/**
 * Item re-purchase rate ("return to basket"): per period (default monthly) and group, of the
 * distinct (customer, product) pairs bought in the period (a positive line of an order whose
 * occasion, the earliest day of its positive lines, is in it: a back-order delivered later is the
 * same purchase), the share bought again (a positive line of a later occasion) within the window
 * after the pair's **last** purchase in the period:
 *
 * - without `withinDays`: a purchase in the following period (the next day after the last
 *   purchase in the period onwards, up to the following period's end);
 * - with `withinDays` = N: a purchase on one of the N days after the pair's last purchase in the
 *   period (`last + 1 .. last + N`; always after the period, since `last` is the last in it).
 *
 * Nothing after `asOf` is seen. A row is `censored` when its windows can reach past `asOf`;
 * `openPairs` counts pairs whose outcome is still unknown. Returns are not purchases.
 *
 * Groups: a pair is in its customer's group (segment, region, owner rep, customer), its product
 * or its product's family; under channel or seller rep it is in every group of one of its
 * positive lines in the period. Whether the re-purchase happens is decided for the pair as a
 * whole (any channel, any rep).
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `month`), periods, by, withinDays, ...
 * @returns one row per period and present group (`kpi: "repurchase_rate"`)
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option (e.g. `withinDays` not a positive integer)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, repurchaseRate } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 },
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "Q", quantity: 1, unit_price: 2 },
 *   { order_id: "2", order_date: "2026-02-10", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 },
 * ] });
 * const [jan, feb] = repurchaseRate(dataset, { asOf: "2026-02-28", periods: 2 });
 * assert.equal(jan?.value, 0.5);        // P bought again in February, Q not
 * assert.equal(jan?.censored, false);   // February is over
 * assert.equal(feb?.censored, true);    // March is not
 * ```
 */
export function repurchaseRate(dataset: Dataset, options?: RepurchaseRateOptions): RepurchaseRateRow[] {
  const fn = "repurchaseRate";
  const ctx = kpiContext(dataset, options, "month", fn, KEYS);
  const withinDays = intOption(options, "withinDays", fn, 1, 100_000, 0);
  const { view, groups, slots } = ctx;
  const { customerEnd } = view;
  const nG = groups.labels.length;
  const nS = slots.length;
  // last day a window of each slot can reach
  const windowEnd = slots.map((sl) => (withinDays > 0 ? sl.end + withinDays : periodBounds(sl.index + 1, ctx.spec).end));
  const pairs = new Float64Array(nS * nG);
  const again = new Float64Array(nS * nG);
  const open = new Float64Array(nS * nG);
  const order = productOrder(view);
  const runGroups: number[] = [];
  const pass: PairPass = { ctx, withinDays, windowEnd, order, pairs, again, open, runGroups };
  for (let c = 0; c < customerEnd.length; c++) customerPairs(pass, c);
  const rows: RepurchaseRateRow[] = [];
  const present = presentGroups(ctx);
  for (let s = 0; s < nS; s++) {
    const we = windowEnd[s]!;
    for (const g of present) {
      const k = s * nG + g;
      rows.push(companyRow(ctx, {
        kpi: "repurchase_rate",
        period: ctx.slots[s]!.label,
        start: ctx.slots[s]!.startText,
        end: ctx.slots[s]!.endText,
        partial: ctx.slots[s]!.rowPartial,
        key: rowKey(ctx, g),
        value: pairs[k]! > 0 ? again[k]! / pairs[k]! : undefined,
        numerator: again[k]!,
        denominator: pairs[k]!,
        censored: we > ctx.seen,
        openPairs: open[k]!,
        windowEnd: formatDay(we),
      }));
    }
  }
  return rows;
}

/** Slot of a day, -1 outside the requested periods (the day -> slot table, from before its first day). */
function slotAt(ctx: KpiContext, day: number): number {
  return day < ctx.dayOffset ? -1 : ctx.slotOfDay[day - ctx.dayOffset]!;
}

/** What {@link customerPairs} reads and fills: the call's context, windows, cells and scratch. */
interface PairPass {
  readonly ctx: KpiContext;
  readonly withinDays: number;
  readonly windowEnd: readonly number[];
  readonly order: ProductOrder;
  readonly pairs: Float64Array;
  readonly again: Float64Array;
  readonly open: Float64Array;
  readonly runGroups: number[];
}

/**
 * Customer `c`'s (product, slot) runs into the cells. A small function V8 optimizes after the
 * first customers, instead of a once-per-call loop over all of them waiting for on-stack
 * replacement (and no per-call closure for the slot of a day, whose call target changed every call).
 */
function customerPairs(pass: PairPass, c: number): void {
  const { ctx, withinDays, windowEnd, order, pairs, again, open, runGroups } = pass;
  const { groups } = ctx;
  const { lines } = ctx.view;
  const nG = groups.labels.length;
  const idx = order.lines.subarray(order.start[c]!, order.start[c + 1]!);
  if (idx.length === 0) return;
  const gc = groups.ofCustomer ? groups.ofCustomer[c]! : -1;
  // (each line on its order's occasion day: a back-order delivered in the next month was "bought
  // again", against docs/kpis.md; a review)
  const day = order.day;
  let a = 0;
  while (a < idx.length) {
    const p = lines.product[idx[a]!]!;
    const s = slotAt(ctx, day[idx[a]!]!);
    let b = a + 1;
    while (b < idx.length && lines.product[idx[b]!] === p && slotAt(ctx, day[idx[b]!]!) === s) b++;
    if (s >= 0) {
      const last = day[idx[b - 1]!]!;
      const end = withinDays > 0 ? last + withinDays : windowEnd[s]!;
      // the next purchase of the pair is the first entry after the run (a later slot)
      const bought = b < idx.length && lines.product[idx[b]!] === p && day[idx[b]!]! <= end;
      const unknown = !bought && end > ctx.seen;
      if (gc >= 0) {
        // a customer-level group: one cell (no list of the run's groups to build)
        const cell = s * nG + gc;
        pairs[cell]!++;
        if (bought) again[cell]!++;
        if (unknown) open[cell]!++;
      } else {
        runGroups.length = 0;
        for (let j = a; j < b; j++) {
          const g = groups.ofLine![idx[j]!]!;
          if (!runGroups.includes(g)) runGroups.push(g);
        }
        for (const g of runGroups) {
          const cell = s * nG + g;
          pairs[cell]!++;
          if (bought) again[cell]!++;
          if (unknown) open[cell]!++;
        }
      }
    }
    a = b;
  }
}
