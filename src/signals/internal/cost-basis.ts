import type { Dataset } from "../../data/dataset.ts";

/**
 * @internal What the detectors' money measures. `margin`: gross margin, quantity × (unit price −
 * unit cost), lines without a cost counting 0. `revenue`: the view has no unit cost on any visible
 * line (exports such as UCI Online Retail carry none), so a line's margin is taken as its revenue
 * (cost 0) and the messages say revenue: else every value at risk would be 0 and the ranking by
 * value would mean nothing.
 */
export type CostBasis = "margin" | "revenue";

const cache = new WeakMap<Dataset, CostBasis>();

/** @internal The {@link CostBasis} of a view (one scan, stopping at the first costed line; cached per view). */
export function costBasis(view: Dataset): CostBasis {
  let basis = cache.get(view);
  if (basis === undefined) {
    basis = "revenue";
    const { unitCost } = view.lines;
    for (let c = 0; c < view.customerEnd.length && basis === "revenue"; c++) {
      for (let i = view.customerStart[c]!; i < view.customerEnd[c]!; i++) {
        if (Number.isFinite(unitCost[i]!)) {
          basis = "margin";
          break;
        }
      }
    }
    cache.set(view, basis);
  }
  return basis;
}

/**
 * @internal A line's unit cost for margins under the basis: its cost (NaN when unknown) on the
 * margin basis, 0 on the revenue basis.
 */
export function costFor(unitCost: Float64Array, i: number, basis: CostBasis): number {
  return basis === "revenue" ? 0 : unitCost[i]!;
}
