import { asOfView } from "../../data/as-of-view.ts";
import { rhythmView } from "../../data/internal/rhythm-view.ts";
import type { Dataset } from "../../data/dataset.ts";
import { computeChurnFeatures, type AliveInput, type ChurnFeatureRow, type ChurnFeatureSet } from "../churn-features.ts";

/** @internal The labelled rows of one historical snapshot. */
export interface ChurnSnapshot {
  /** Snapshot day (epoch day). */
  readonly day: number;
  /** Feature names of the rows' values. */
  readonly featureNames: readonly string[];
  /** At-risk customers: features as of the snapshot. */
  readonly rows: readonly ChurnFeatureRow[];
  /** 1 = no purchase day in (day, day + horizon], 0 = at least one. */
  readonly labels: readonly number[];
}

/**
 * @internal Features of the at-risk customers at `day` (last purchase fewer than `activeDays`
 * days before it) and their labels, read from `dataset` (whose visible lines must reach day + horizon).
 * The features see only `asOfView(dataset, day)`; `alive` must be resolved for `day` (see
 * `aliveAt` in fit-churn-classifier.ts).
 * @param dataset - the dataset, visible at least up to day + horizon
 * @param day - snapshot epoch day
 * @param horizon - label horizon in days
 * @param activeDays - at-risk window in days
 * @param trendWindow - trend window in days
 * @param alive - the P(alive) input as of `day`
 * @param features - the features as of `day` when already computed with the same options (else computed here)
 * @returns the at-risk rows and their labels
 */
export function churnSnapshot(given: Dataset, day: number, horizon: number, activeDays: number, trendWindow: number, alive: AliveInput, features?: ChurnFeatureSet): ChurnSnapshot {
  // (the features see the lines up to `day` only, on their purchase days; the labels read the
  // purchase days of the whole view: a later delivery of an order started by `day` is no purchase after it)
  const dataset = rhythmView(given); // (first: the features' view at `day` is then cut from it)
  const f = features ?? computeChurnFeatures(asOfView(given, day), day, horizon, trendWindow, alive);
  const { lines, customerStart, customerEnd, ids } = dataset;
  const rows: ChurnFeatureRow[] = [];
  const labels: number[] = [];
  for (const r of f.rows) {
    if (r.daysSinceLast >= activeDays) continue;
    const c = ids.customers.indexOf(r.customerId);
    let bought = 0;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const d = lines.day[i]!;
      if (d > day + horizon) break;
      if (d > day && lines.quantity[i]! > 0) {
        bought = 1;
        break;
      }
    }
    rows.push(r);
    labels.push(1 - bought);
  }
  return { day, featureNames: f.featureNames, rows, labels };
}
