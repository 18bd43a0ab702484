import type { Dataset } from "../data/dataset.ts";
import { kpiContext, companyRow, rowKey, KPI_KEYS } from "./internal/context.ts";
import { occasionGroups } from "./internal/frequency-occasions.ts";
import { presentGroups } from "./internal/present.ts";
import type { KpiOptions, KpiRow } from "./types.ts";

/**
 * Order frequency: per period (default monthly) and group, purchase occasions per active
 * customer. An occasion is a distinct (customer, order_id) with at least one positive visible
 * line (returns and return-only credit notes are not occasions); it falls in the period of its
 * day, the earliest day of its positive lines (as in `orderOccasions`). `numerator` = occasions,
 * `denominator` = customers with at least one of those occasions, `value` = numerator ÷
 * denominator (`undefined` when nobody ordered, else >= 1).
 *
 * Grouped by a customer-level dimension (segment, region, owner rep, customer) an occasion counts
 * for its customer's group. Grouped by a line-level dimension (channel, product, family, seller
 * rep) an occasion counts once in every group one of its positive lines belongs to, and the
 * customer is active in that group: an order with coffee and cups lines is one coffee order and
 * one cups order, so groups may sum to more than the company total.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `month`), periods, by, weekStartsOn, ...
 * @returns one row per period and present group (`kpi: "order_frequency"`)
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, orderFrequency } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 },
 *   { order_id: "2", order_date: "2026-01-19", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 },
 *   { order_id: "3", order_date: "2026-01-20", customer_id: "B", product_id: "P", quantity: 1, unit_price: 2 },
 *   { order_id: "4", order_date: "2026-01-22", customer_id: "B", product_id: "P", quantity: -1, unit_price: 2 },
 * ] });
 * const [jan] = orderFrequency(dataset, { asOf: "2026-01-31", periods: 1 });
 * assert.equal(jan?.numerator, 3);   // orders 1, 2, 3 (the return 4 is no order)
 * assert.equal(jan?.denominator, 2); // A and B
 * assert.equal(jan?.value, 1.5);
 * ```
 */
export function orderFrequency(dataset: Dataset, options?: KpiOptions): KpiRow[] {
  const ctx = kpiContext(dataset, options, "month", "orderFrequency", KPI_KEYS);
  const { view, groups, slotOfDay, dayOffset, slots } = ctx;
  const nG = groups.labels.length;
  const nS = slots.length;
  const occasions = new Float64Array(nS * nG);
  const active = new Float64Array(nS * nG);
  const stamp = new Int32Array(nS * nG).fill(-1);
  const { occ, groupStart, group } = occasionGroups(view, groups);
  for (let k = 0; k < occ.length; k++) {
    const d = occ.day[k]! - dayOffset;
    if (d < 0) continue;
    const s = slotOfDay[d]!;
    if (s < 0) continue;
    const c = occ.customer[k]!;
    for (let j = groupStart[k]!; j < groupStart[k + 1]!; j++) {
      const cell = s * nG + group[j]!;
      occasions[cell]!++;
      if (stamp[cell] !== c) {
        stamp[cell] = c;
        active[cell]!++;
      }
    }
  }
  const rows: KpiRow[] = [];
  const present = presentGroups(ctx);
  for (let s = 0; s < nS; s++) {
    for (const g of present) {
      const k = s * nG + g;
      rows.push(companyRow(ctx, { kpi: "order_frequency", period: ctx.slots[s]!.label, start: ctx.slots[s]!.startText, end: ctx.slots[s]!.endText, partial: ctx.slots[s]!.rowPartial, key: rowKey(ctx, g), value: active[k]! > 0 ? occasions[k]! / active[k]! : undefined, numerator: occasions[k]!, denominator: active[k]! }));
    }
  }
  return rows;
}
