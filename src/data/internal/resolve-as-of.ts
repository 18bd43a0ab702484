import { asOfView } from "../as-of-view.ts";
import type { Dataset } from "../dataset.ts";
import { parseDay } from "../parse-day.ts";

/**
 * @internal The as-of day of an analysis and the view for it, built once: the given `asOf`
 * (clamped to an existing view's: a view already at or before that day is returned as is), else
 * the dataset's own as-of day, else `fallback` (default: the last order day; 0 for an empty
 * dataset). Every analysis starts here.
 */
export function resolveAsOf(dataset: Dataset, asOf: string | Date | number | undefined, fallback?: number): { asOf: number; view: Dataset } {
  if (asOf !== undefined) {
    // a view already at (or before) that day is its own view: no copy, and per-view caches hold
    if (dataset.asOf !== undefined && parseDay(asOf, "asOf") >= dataset.asOf) return { asOf: dataset.asOf, view: dataset };
    const view = asOfView(dataset, asOf);
    return { asOf: view.asOf!, view };
  }
  const day = dataset.asOf ?? fallback ?? dataset.dayRange?.last ?? 0;
  return { asOf: day, view: dataset.asOf === day ? dataset : asOfView(dataset, day) };
}
