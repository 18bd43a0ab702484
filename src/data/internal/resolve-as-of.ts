import { asOfView } from "../as-of-view.ts";
import type { Dataset } from "../dataset.ts";
import { checkDataset } from "./check-dataset.ts";
import { optionDay } from "./option-day.ts";

/**
 * @internal The as-of day of an analysis and the view for it, built once: the given `asOf`
 * (clamped to an existing view's: a view already at or before that day is returned as is), else
 * the dataset's own as-of day, else `fallback` (default: the last order day; without orders the
 * last deal event's day; 0 without either). Every analysis starts here. (A new tenant with deals
 * and no orders yet read 1970-01-01 and no deal; a review. A deal event after the last order
 * does not move the order analyses: a CRM export a week newer than the ERP's read a week without
 * orders, every KPI −100 %.)
 */
export function resolveAsOf(dataset: Dataset, asOf: string | Date | number | undefined, fallback?: number, fn?: string): { asOf: number; view: Dataset } {
  checkDataset(dataset, fn);
  if (asOf !== undefined) {
    // a view already at (or before) that day is its own view: no copy, and per-view caches hold
    const day = optionDay(asOf, "asOf", dataset.timeZone);
    if (dataset.asOf !== undefined && day >= dataset.asOf) return { asOf: dataset.asOf, view: dataset };
    const view = viewAt(dataset, day);
    return { asOf: view.asOf!, view };
  }
  const day = dataset.asOf ?? fallback ?? lastDay(dataset);
  return { asOf: day, view: dataset.asOf === day ? dataset : viewAt(dataset, day) };
}

/** Views kept per dataset (most recently used first). */
const KEEP_VIEWS = 4;
const views = new WeakMap<Dataset, { day: number; view: Dataset }[]>();

/**
 * The as-of view of `dataset` at `day`, the same object for the same day while it is among the
 * dataset's 4 most recently used (datasets and views are immutable): the KPIs, models and
 * detectors of one analysis then share one view and its caches (purchase days, sorted pairs).
 */
function viewAt(dataset: Dataset, day: number): Dataset {
  let list = views.get(dataset);
  if (list === undefined) views.set(dataset, (list = []));
  const k = list.findIndex((x) => x.day === day);
  if (k >= 0) {
    const [hit] = list.splice(k, 1);
    list.unshift(hit!);
    return hit!.view;
  }
  const view = asOfView(dataset, day);
  list.unshift({ day, view });
  if (list.length > KEEP_VIEWS) list.pop();
  return view;
}

/** The dataset's last order day, else its last deal event's (0 without either). */
function lastDay(dataset: Dataset): number {
  return dataset.dayRange?.last ?? lastDealDay(dataset) ?? 0;
}

/** @internal The dataset's last deal event day (undefined without deal events). */
export function lastDealDay(dataset: Dataset): number | undefined {
  let last = Number.NEGATIVE_INFINITY;
  const days = dataset.dealEvents.day;
  for (let i = 0; i < days.length; i++) if (days[i]! > last) last = days[i]!;
  return Number.isFinite(last) ? last : undefined;
}
