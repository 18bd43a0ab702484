import type { Dataset } from "../data/dataset.ts";
import { customerGroup, kpiContext, lineCell, lineSlot, windowEnd, windowStart, type KpiContext, companyRow, rowKey, KPI_KEYS } from "./internal/context.ts";
import { presentGroups } from "./internal/present.ts";
import type { KpiOptions, KpiRow } from "./types.ts";

/**
 * Average unique SKUs per customer (basket breadth): per period (default weekly) and group,
 * Σ over active customers of the distinct products they bought (positive lines) ÷ the number of
 * active customers. `numerator` = Σ distinct (customer, product) pairs, `denominator` = active
 * customers; `value` is `undefined` when nobody bought.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `week`), periods, by, ...
 * @returns one row per period and present group
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, skuBreadth } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P1", quantity: 1, unit_price: 2 },
 *   { order_id: "2", order_date: "2026-01-09", customer_id: "A", product_id: "P1", quantity: 1, unit_price: 2 },
 *   { order_id: "2", order_date: "2026-01-09", customer_id: "A", product_id: "P2", quantity: 1, unit_price: 2 },
 *   { order_id: "3", order_date: "2026-01-20", customer_id: "B", product_id: "P1", quantity: 1, unit_price: 2 },
 * ] });
 * const [jan] = skuBreadth(dataset, { asOf: "2026-01-31", period: "month", periods: 1 });
 * assert.equal(jan?.value, 1.5); // A bought 2 distinct SKUs, B bought 1
 * ```
 */
export function skuBreadth(dataset: Dataset, options?: KpiOptions): KpiRow[] {
  const ctx = kpiContext(dataset, options, "week", "skuBreadth", KPI_KEYS);
  const { view, groups, slots } = ctx;
  const nG = groups.labels.length;
  const nS = slots.length;
  const pairs = new Float64Array(nS * nG);
  const active = new Float64Array(nS * nG);
  const custStamp = new Int32Array(nS * nG).fill(-1);
  // distinct (product, group) of the current customer in the current slot; a customer's lines
  // are sorted by day, so a (customer, slot) run is contiguous. A product's first group in the
  // run is stamped (run number and group, O(1)); the rare further groups of the same product in
  // the same run (line-level dimensions) go to a small set cleared between runs.
  const t: SkuCells = { pairs, active, custStamp, runOf: new Int32Array(view.ids.products.size).fill(-1), groupOf: new Int32Array(view.ids.products.size), more: new Set<number>(), run: -1 };
  for (let c = 0; c < view.customerEnd.length; c++) addCustomer(ctx, c, t);
  const rows: KpiRow[] = [];
  const present = presentGroups(ctx);
  for (let s = 0; s < nS; s++) {
    for (const g of present) {
      const k = s * nG + g;
      rows.push(companyRow(ctx, { kpi: "sku_breadth", period: ctx.slots[s]!.label, start: ctx.slots[s]!.startText, end: ctx.slots[s]!.endText, partial: ctx.slots[s]!.rowPartial, key: rowKey(ctx, g), value: active[k]! > 0 ? pairs[k]! / active[k]! : undefined, numerator: pairs[k]!, denominator: active[k]! }));
    }
  }
  return rows;
}

/** Per-cell counts of a skuBreadth pass and the state of its (customer, slot) runs. */
interface SkuCells {
  readonly pairs: Float64Array;
  readonly active: Float64Array;
  readonly custStamp: Int32Array;
  /** run number in which each product was last seen */
  readonly runOf: Int32Array;
  /** its first group in that run */
  readonly groupOf: Int32Array;
  /** further (product x groups + group) of the run */
  readonly more: Set<number>;
  run: number;
}

/**
 * Add customer `c`'s purchase lines in the window to the cells, in line order. A small function
 * V8 optimizes after the first customers, instead of one loop over every line that waits for
 * on-stack replacement.
 */
function addCustomer(ctx: KpiContext, c: number, t: SkuCells): void {
  const { quantity, product } = ctx.view.lines;
  const { pairs, active, custStamp, runOf, groupOf, more } = t;
  const nG = ctx.groups.labels.length;
  const gc = customerGroup(ctx, c);
  let run = t.run;
  let currentSlot = -1; // a new customer starts a new run
  for (let i = windowStart(ctx, c), end = windowEnd(ctx, c); i < end; i++) {
    const s = lineSlot(ctx, i);
    if (s < 0 || quantity[i]! <= 0) continue;
    if (s !== currentSlot) {
      run++;
      if (more.size > 0) more.clear();
      currentSlot = s;
    }
    const cell = lineCell(ctx, s, gc, i);
    const g = cell - s * nG;
    if (custStamp[cell] !== c) {
      custStamp[cell] = c;
      active[cell]!++;
    }
    const p = product[i]!;
    if (runOf[p] !== run) {
      runOf[p] = run;
      groupOf[p] = g;
      pairs[cell]!++;
    } else if (groupOf[p] !== g && !more.has(p * nG + g)) {
      more.add(p * nG + g);
      pairs[cell]!++;
    }
  }
  t.run = run;
}
