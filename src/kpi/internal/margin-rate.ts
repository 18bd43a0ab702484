import type { Dataset } from "../../data/dataset.ts";
import { lowerBound } from "../../data/internal/bounds.ts";
import { CompensatedSum } from "../../data/internal/compensated-sum.ts";

/**
 * @internal The company's gross margin rate over the 365 days up to `asOf`: Σ quantity ×
 * (unit_price − unit_cost) ÷ Σ quantity × unit_price over the lines with a known cost (returns
 * netted), as `grossProfit` defines it, in one pass over the lines (no rows per period).
 * Clamped to [0, 1]; undefined when the costed revenue is not positive.
 * @param view - a dataset or as-of view (lines after `asOf` are not expected in it)
 * @param asOf - last day (epoch day)
 * @returns the rate, or undefined
 */
export function trailingMarginRate(view: Dataset, asOf: number): number | undefined {
  const { day, quantity, unitPrice, unitCost } = view.lines;
  const margin = new CompensatedSum(), revenue = new CompensatedSum();
  const from = asOf - 364;
  for (let c = 0; c < view.ids.customers.size; c++) {
    // a customer's lines are sorted by day: its year starts at the first line on or after `from`
    const end = view.customerEnd[c]!;
    for (let i = lowerBound(day, from, view.customerStart[c]!, end); i < end; i++) {
      if (day[i]! > asOf || !Number.isFinite(unitCost[i]!)) continue;
      margin.add(quantity[i]! * (unitPrice[i]! - unitCost[i]!));
      revenue.add(quantity[i]! * unitPrice[i]!);
    }
  }
  return revenue.value > 0 ? Math.min(1, Math.max(0, margin.value / revenue.value)) : undefined;
}
