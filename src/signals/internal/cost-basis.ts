import type { Dataset } from "../../data/dataset.ts";

/**
 * @internal What the detectors' money measures. `margin`: gross margin, quantity × (unit price −
 * unit cost), lines without a cost counting 0. `revenue`: no line of the view's last 365 days has a
 * unit cost (exports such as UCI Online Retail carry none), so a line's margin is taken as its
 * revenue (cost 0) and the messages say revenue: else every value at risk would be 0 and the
 * ranking by value would mean nothing. The year, as `analyze` measures its margin rate: costs on
 * older lines only left every customer signal at 0 where analyze valued it on revenue (a review).
 */
export type CostBasis = "margin" | "revenue";

const cache = new WeakMap<Dataset, CostBasis>();

/** @internal The {@link CostBasis} of a view (one scan of the year's lines, newest first, stopping at the first costed one; cached per view). */
export function costBasis(view: Dataset): CostBasis {
  let basis = cache.get(view);
  if (basis === undefined) {
    basis = costedSince(view, (view.asOf ?? view.dayRange?.last ?? 0) - 364) ? "margin" : "revenue";
    cache.set(view, basis);
  }
  return basis;
}

/** @internal Whether any visible line of the view has a unit cost (the data has costs at all: the CLI's "no costs" notes). */
export function hasUnitCost(view: Dataset): boolean {
  return costedSince(view, Number.NEGATIVE_INFINITY);
}

/** Whether a visible line dated `from` or later has a unit cost (each customer's lines newest first, as they are in day order). */
function costedSince(view: Dataset, from: number): boolean {
  const { unitCost, day } = view.lines;
  for (let c = 0; c < view.customerEnd.length; c++) {
    for (let i = view.customerEnd[c]! - 1; i >= view.customerStart[c]! && day[i]! >= from; i--) if (Number.isFinite(unitCost[i]!)) return true;
  }
  return false;
}

/**
 * @internal A line's unit cost for margins under the basis: its cost (NaN when unknown) on the
 * margin basis, 0 on the revenue basis.
 */
export function costFor(unitCost: Float64Array, i: number, basis: CostBasis): number {
  return basis === "revenue" ? 0 : unitCost[i]!;
}
