import type { Dataset } from "../data/dataset.ts";
import { addTo, kpiContext, lineCells, rowBase } from "./internal/context.ts";
import { presentGroups } from "./internal/present.ts";
import type { KpiOptions, KpiRow } from "./types.ts";

/** A revenue / gross profit row: `value` is gross profit. */
export interface GrossProfitRow extends KpiRow {
  /** Net revenue Σ quantity × unit_price (returns netted). */
  readonly revenue: number;
  /** Revenue of the lines with a known cost (the base of profit and margin). */
  readonly costedRevenue: number;
  /** Σ quantity × unit_cost over lines with a known cost. */
  readonly cost: number;
  /** Gross margin = gross profit ÷ costed revenue; `undefined` when that is 0. */
  readonly margin: number | undefined;
  /** Lines in the group without a cost (line's or product's): excluded from profit, counted. */
  readonly linesWithoutCost: number;
  /** Lines in the group. */
  readonly lines: number;
}

/**
 * Revenue, gross profit and margin % per period (default monthly) and group. Gross profit =
 * Σ quantity × (unit_price − unit_cost) over lines with a known cost; returns (negative
 * quantity) are netted; lines without cost are counted in `linesWithoutCost`, never guessed, and
 * when a cell has lines but none with a cost its gross profit is `undefined` (not measured), not 0.
 * Money is summed with Neumaier compensation.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `month`), periods, by, ...
 * @returns one row per period and present group
 * @throws {OrderpulseError} `INVALID_OPTION` for bad options
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, grossProfit } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 },
 *   { order_id: "2", order_date: "2026-01-09", customer_id: "A", product_id: "P", quantity: -2, unit_price: 3, unit_cost: 2 },
 *   { order_id: "3", order_date: "2026-01-20", customer_id: "B", product_id: "Q", quantity: 1, unit_price: 5 },
 *   { order_id: "4", order_date: "2026-02-03", customer_id: "B", product_id: "Q", quantity: 2, unit_price: 5 },
 * ] });
 * const [jan, feb] = grossProfit(dataset, { asOf: "2026-02-28", period: "month", periods: 2 });
 * assert.equal(jan?.revenue, 29);
 * assert.equal(jan?.value, 8);        // (10 - 2) x (3 - 2)
 * assert.equal(jan?.linesWithoutCost, 1);
 * assert.equal(feb?.revenue, 10);
 * assert.equal(feb?.value, undefined); // no line with a cost: not measured
 * ```
 */
export function grossProfit(dataset: Dataset, options?: KpiOptions): GrossProfitRow[] {
  const ctx = kpiContext(dataset, options, "month", "grossProfit");
  const { view, groups, slots } = ctx;
  const { lines } = view;
  const nG = groups.labels.length;
  const n = slots.length * nG;
  const rev = new Float64Array(n), revC = new Float64Array(n);
  const crev = new Float64Array(n), crevC = new Float64Array(n);
  const cost = new Float64Array(n), costC = new Float64Array(n);
  const nLines = new Float64Array(n), noCost = new Float64Array(n);
  const cells = lineCells(ctx);
  for (let i = 0; i < cells.length; i++) {
    const k = cells[i]!;
    if (k < 0) continue;
    const q = lines.quantity[i]!;
    const r = q * lines.unitPrice[i]!;
    addTo(rev, revC, k, r);
    nLines[k]!++;
    const uc = lines.unitCost[i]!;
    if (uc === uc) {
      addTo(crev, crevC, k, r);
      addTo(cost, costC, k, q * uc);
    } else noCost[k]!++;
  }
  const rows: GrossProfitRow[] = [];
  const present = presentGroups(ctx, cells);
  for (let s = 0; s < slots.length; s++) {
    for (const g of present) {
      const k = s * nG + g;
      const revenue = rev[k]! + revC[k]!;
      const costed = crev[k]! + crevC[k]!;
      const cst = cost[k]! + costC[k]!;
      const gp = costed - cst;
      rows.push({
        ...rowBase("gross_profit", ctx, s, g),
        // lines, none of them with a cost: not measured (a cell without lines has 0 profit, as 0 revenue)
        value: nLines[k]! > 0 && noCost[k] === nLines[k] ? undefined : gp,
        revenue,
        costedRevenue: costed,
        cost: cst,
        margin: costed !== 0 ? gp / costed : undefined,
        linesWithoutCost: noCost[k]!,
        lines: nLines[k]!,
      });
    }
  }
  return rows;
}
