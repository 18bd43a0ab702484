import type { Dataset } from "../data/dataset.ts";
import { customerGroup, kpiContext, lineCell, lineSlot, windowEnd, windowStart, type KpiContext, companyRow, rowKey, KPI_KEYS } from "./internal/context.ts";
import { presentGroups } from "./internal/present.ts";
import type { KpiOptions, KpiRow } from "./types.ts";

/**
 * Active customers: per period (default weekly) and group, the number of customers with at
 * least one purchase occasion (a line with positive quantity) in the period. A period with only
 * returns does not make a customer active. Grouped by a line-level dimension (channel, product,
 * family, seller rep) a customer counts in every group it bought in, so groups may sum to more
 * than the company total.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `week`), periods, by, weekStartsOn, ...
 * @returns one row per period and present group, `value` = active customers
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { activeCustomers, fromRowsSync } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 },
 *   { order_id: "2", order_date: "2026-01-20", customer_id: "B", product_id: "P", quantity: 1, unit_price: 2 },
 *   { order_id: "3", order_date: "2026-02-03", customer_id: "A", product_id: "P", quantity: -1, unit_price: 2 },
 * ] });
 * const rows = activeCustomers(dataset, { asOf: "2026-02-28", period: "month", periods: 2 });
 * assert.deepEqual(rows.map((r) => [r.period, r.value]), [["2026-01", 2], ["2026-02", 0]]);
 * ```
 */
export function activeCustomers(dataset: Dataset, options?: KpiOptions): KpiRow[] {
  const ctx = kpiContext(dataset, options, "week", "activeCustomers", KPI_KEYS);
  const { view, groups, slots } = ctx;
  const nG = groups.labels.length;
  const count = new Float64Array(slots.length * nG);
  const stamp = new Int32Array(slots.length * nG).fill(-1);
  for (let c = 0; c < view.customerEnd.length; c++) countCustomer(ctx, c, count, stamp);
  const present = presentGroups(ctx);
  const rows: KpiRow[] = [];
  for (let s = 0; s < slots.length; s++) {
    for (const g of present) rows.push(companyRow(ctx, { kpi: "active_customers", period: ctx.slots[s]!.label, start: ctx.slots[s]!.startText, end: ctx.slots[s]!.endText, partial: ctx.slots[s]!.rowPartial, key: rowKey(ctx, g), value: count[s * nG + g]! }));
  }
  return rows;
}

/**
 * Count customer `c` once in each cell it bought in (`stamp`: the last customer counted per
 * cell). A small function V8 optimizes after the first customers, instead of one loop over every
 * line that waits for on-stack replacement.
 */
function countCustomer(ctx: KpiContext, c: number, count: Float64Array, stamp: Int32Array): void {
  const { quantity } = ctx.view.lines;
  const gc = customerGroup(ctx, c);
  for (let i = windowStart(ctx, c), end = windowEnd(ctx, c); i < end; i++) {
    const s = lineSlot(ctx, i);
    if (s < 0 || quantity[i]! <= 0) continue;
    const cell = lineCell(ctx, s, gc, i);
    if (stamp[cell] !== c) {
      stamp[cell] = c;
      count[cell]!++;
    }
  }
}
