import type { Dataset } from "../../data/dataset.ts";
import { lowerBound } from "../../data/internal/bounds.ts";

/**
 * @internal Gross margin = gross profit ÷ costed revenue, undefined unless the costed revenue is
 * positive: a cell whose returns outweigh its sales (a credit note for last month's sale, −36 of
 * profit over −90 of revenue) has no margin, not one of +40 %. One rule for `grossProfit`,
 * `customerProfitability` and the engine's live KPIs.
 * @param grossProfit - Σ quantity × (unit_price − unit_cost) over the costed lines
 * @param costedRevenue - Σ quantity × unit_price over the same lines
 * @returns the margin, or undefined
 */
export function grossMargin(grossProfit: number, costedRevenue: number): number | undefined {
  return costedRevenue > 0 ? grossProfit / costedRevenue : undefined;
}

/**
 * @internal The company's gross margin rate over the 365 days up to `asOf`, the rate the value
 * model and pipeline_stall turn expected revenue into margin with: Σ quantity × (unit_price −
 * unit_cost) ÷ Σ quantity × unit_price over the **sales** (quantity > 0) with a known cost, in one
 * pass over the lines (no rows per period). Returns are left out: what a returned delivery earned
 * says nothing of the margin the products earn, and netted, one large credit note moved the rate
 * anywhere (a year's sales at 19.5 % with a credit note of half its revenue at 40 % read 0 %, one
 * larger than the year's sales 100 %; review 2026-12-07). `grossProfit`'s margin nets them, as a
 * KPI of the period must. Clamped to [0, 1]; undefined without a costed sale in the year.
 * @param view - a dataset or as-of view (lines after `asOf` are not expected in it)
 * @param asOf - last day (epoch day)
 * @returns the rate, or undefined
 */
export function trailingMarginRate(view: Dataset, asOf: number): number | undefined {
  // Neumaier sums (CompensatedSum's steps) of margin and revenue: sum, compensation, sum, compensation
  const acc = new Float64Array(4);
  for (let c = 0; c < view.ids.customers.size; c++) addCustomer(view, c, asOf, acc);
  const margin = acc[0]! + acc[1]!, revenue = acc[2]! + acc[3]!;
  return revenue > 0 ? Math.min(1, Math.max(0, margin / revenue)) : undefined;
}

/**
 * Add customer `c`'s costed sales of the year to the sums, in line order. The sums live in
 * locals for the customer (a small function V8 optimizes after the first customers): a loop over
 * every customer in one call allocated a boxed number per step until on-stack replacement.
 */
function addCustomer(view: Dataset, c: number, asOf: number, acc: Float64Array): void {
  const { day, quantity, unitPrice, unitCost } = view.lines;
  let ms = acc[0]!, mc = acc[1]!, rs = acc[2]!, rc = acc[3]!;
  // a customer's lines are sorted by day: its year starts at the first line on or after `from`
  const end = view.customerEnd[c]!;
  for (let i = lowerBound(day, asOf - 364, view.customerStart[c]!, end); i < end; i++) {
    if (day[i]! > asOf || !(quantity[i]! > 0) || !Number.isFinite(unitCost[i]!)) continue;
    const m = quantity[i]! * (unitPrice[i]! - unitCost[i]!);
    const t = ms + m;
    mc += Math.abs(ms) >= Math.abs(m) ? ms - t + m : m - t + ms;
    ms = t;
    const r = quantity[i]! * unitPrice[i]!;
    const u = rs + r;
    rc += Math.abs(rs) >= Math.abs(r) ? rs - u + r : r - u + rs;
    rs = u;
  }
  acc[0] = ms;
  acc[1] = mc;
  acc[2] = rs;
  acc[3] = rc;
}
