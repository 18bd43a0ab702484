import { asOfView } from "../as-of-view.ts";
import type { Dataset } from "../dataset.ts";

/**
 * @internal The as-of day of an analysis and the view for it, built once: the given `asOf`
 * (clamped to an existing view's), else the dataset's own as-of day, else `fallback` (default:
 * the last order day; 0 for an empty dataset). Every analysis starts here.
 */
export function resolveAsOf(dataset: Dataset, asOf: string | Date | number | undefined, fallback?: number): { asOf: number; view: Dataset } {
  if (asOf !== undefined) {
    const view = asOfView(dataset, asOf);
    return { asOf: view.asOf!, view };
  }
  const day = dataset.asOf ?? fallback ?? dataset.dayRange?.last ?? 0;
  return { asOf: day, view: dataset.asOf === day ? dataset : asOfView(dataset, day) };
}
