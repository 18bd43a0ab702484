import { asOfView } from "../data/as-of-view.ts";
import { checkDataset } from "../data/internal/check-dataset.ts";
import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkInt, checkKnownKeys, extendKeys, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { optionDay } from "../data/internal/option-day.ts";
import { CHURN_TRAINING_KEYS, resolveChurnOptions, trainChurnClassifier, type ChurnClassifierJSON, type ChurnClassifierOptions } from "./fit-churn-classifier.ts";
import { classificationMetrics, rocAuc, type ClassificationMetrics } from "./internal/classification-metrics.ts";
import { churnSnapshot, type ChurnSnapshot } from "./internal/churn-snapshots.ts";
import { fitLogistic, linearPredictor, sigmoid } from "./internal/logistic.ts";

/** Options of {@link evaluateChurnModel}: the classifier's, with the split instead of asOf. */
export interface ChurnEvaluationOptions extends Omit<ChurnClassifierOptions, "asOf"> {
  /** Split day T: the model is trained as of T (every training label window ends on or before T); test snapshots are at T, T + every, … */
  splitDate: string | Date | number;
  /** Last day of the evaluation (test label windows end on or before it). Default: the dataset's last order day. At most that day, or on an as-of view the view's day (later days are not known: not "no purchase"). */
  endDate?: string | Date | number | undefined;
  /** Test snapshots at most (default: as many as fit before endDate). */
  testSnapshots?: number | undefined;
  /** Bins of the reliability tables and of the ECE (default 10). */
  bins?: number | undefined;
}

const KEYS: OptionKeys<ChurnEvaluationOptions> = /* @__PURE__ */ extendKeys<ChurnEvaluationOptions, Omit<ChurnClassifierOptions, "asOf">>(CHURN_TRAINING_KEYS, { splitDate: true, endDate: true, testSnapshots: true, bins: true });

/** The metrics of one scorer on the test snapshots. */
export interface ChurnScorerEvaluation {
  /** `model` (the calibrated classifier), `days_since_last` or `overdue_probability` (baselines). */
  readonly scorer: "model" | "days_since_last" | "overdue_probability";
  /** AUC, Brier score, ECE and reliability table on all test rows (a baseline's AUC: of its raw score). */
  readonly metrics: ClassificationMetrics;
}

/** A temporal-holdout evaluation of the churn classifier beside two baselines. */
export interface ChurnEvaluation {
  /** Split day T, `YYYY-MM-DD`. */
  readonly splitDate: string;
  /** Last day of the evaluation, `YYYY-MM-DD`. */
  readonly endDate: string;
  /** Horizon in days. */
  readonly horizonDays: number;
  /** Test snapshot days, `YYYY-MM-DD`. */
  readonly testSnapshots: readonly string[];
  /** Test rows (at-risk customer × test snapshot). */
  readonly rows: number;
  /** Churned test rows. */
  readonly positives: number;
  /** The classifier trained as of T. */
  readonly model: ChurnClassifierJSON;
  /** The model first, then the baselines `days_since_last` and `overdue_probability`. */
  readonly scorers: readonly ChurnScorerEvaluation[];
}

/**
 * Temporal-holdout evaluation of {@link fitChurnClassifier}: the classifier is trained as of the
 * split day T (its snapshots' label windows all end by T), then scored on test snapshots at T,
 * T + every, … whose label windows (s, s + H] end by `endDate`: no label window crosses the
 * split. Reports AUC, Brier score, expected calibration error (equal-width bins) and a
 * reliability table for the model and, in the same run on the same rows, two baselines: days
 * since the last order, and the interval model's overdue probability alone. Each baseline is
 * turned into a probability by a one-feature logistic regression (on ln(1 + days), resp. the
 * logit of the overdue probability) fitted on all the classifier's snapshots before T, so its
 * Brier score and ECE are comparable; its AUC is that of the raw score, days or overdue
 * probability as they are (the fitted slopes are positive: longer silence, more churn). With `alive: "bg-nbd"` (the default with 30+
 * customers), BG/NBD is fitted once per snapshot day, training and test alike, each time on the
 * data up to that day only.
 *
 * @param dataset - a dataset (the whole history; each step sees only what it may)
 * @param options - splitDate, endDate, testSnapshots, bins and the options of fitChurnClassifier (except asOf)
 * @returns the metrics of the model and of the baselines
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option, no test snapshot between splitDate and endDate or none with a customer at risk, or too little history before splitDate
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateChurnModel, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let c = 0; c < 40; c++) {
 *   const stop = c % 3 === 0 ? 200 + 15 * c : 10_000;
 *   for (let d = c % 7; d < 900 && d < stop; d += 7 + (c % 4)) {
 *     orders.push({ order_id: `O${c}-${d}`, order_date: new Date(Date.UTC(2024, 0, 1 + d)), customer_id: `C${c}`, product_id: "P", quantity: 1, unit_price: 5 });
 *   }
 * }
 * const { dataset } = fromRowsSync({ orders });
 * const e = evaluateChurnModel(dataset, { splitDate: "2025-08-01", snapshots: 6, calibrationSnapshots: 0 });
 * assert.deepEqual(e.scorers.map((s) => s.scorer), ["model", "days_since_last", "overdue_probability"]);
 * assert.ok(e.rows > 0);
 * ```
 */
export function evaluateChurnModel(dataset: Dataset, options: ChurnEvaluationOptions): ChurnEvaluation {
  const fn = "evaluateChurnModel";
  const o = optionsObject(options, fn);
  // (asOf is the classifier's option, not this one's: named as such, not as an unknown option)
  if ("asOf" in o && o["asOf"] !== undefined) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option asOf: use splitDate`, { option: "asOf", value: o["asOf"] });
  checkKnownKeys(o, KEYS, fn);
  checkDateLike(o, "splitDate", fn, true);
  checkDateLike(o, "endDate", fn);
  checkInt(o, "testSnapshots", 1, 1000, fn);
  checkInt(o, "bins", 2, 1000, fn);
  checkDataset(dataset, fn);
  const split = optionDay(options.splitDate, "splitDate", dataset.timeZone);
  // the evaluation ends by the data's end: the view's day, else the last order day (days after it
  // are unknown, not silent: a label window past it would read them as churn)
  const dataEnd = dataset.asOf ?? dataset.dayRange?.last ?? 0;
  const given = options.endDate !== undefined ? optionDay(options.endDate, "endDate", dataset.timeZone) : undefined;
  const end = given !== undefined ? Math.min(given, dataEnd) : dataEnd;
  if (split >= end) {
    // the caller's endDate is at fault only when it is not after splitDate; else splitDate is
    // after the data (an endDate past the data is capped, not wrong)
    const option = given !== undefined && given <= split ? "endDate" : "splitDate";
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${option}: splitDate ${formatDay(split)} must come before the evaluation's end, ${formatDay(end)} (endDate, else the last order day)`, { option, value: formatDay(option === "endDate" ? given! : split) });
  }
  const full = asOfView(dataset, end);
  // the classifier's options only (the caller's own keys, as a spread would copy them), at the split
  const classifierOptions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (Object.prototype.hasOwnProperty.call(CHURN_TRAINING_KEYS, k)) classifierOptions[k] = v;
  const r = resolveChurnOptions(full, { ...classifierOptions, asOf: split }, fn);
  const { classifier, train, calibrate, aliveAt, now } = trainChurnClassifier(asOfView(full, split), r, fn, full, "splitDate");
  const maxTest = options.testSnapshots ?? Number.POSITIVE_INFINITY;
  const tests: ChurnSnapshot[] = [];
  for (let s = split; s + r.horizon <= end && tests.length < maxTest; s += r.every) {
    // the classifier's own features as of T are the first test snapshot's
    tests.push(churnSnapshot(full, s, r.horizon, r.activeDays, r.trendWindow, aliveAt(s), s === r.asOf ? now : undefined));
  }
  if (tests.length === 0) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: no test snapshot: splitDate ${formatDay(split)} + horizon ${r.horizon} days is after endDate ${formatDay(end)}`, { option: "splitDate", value: formatDay(split) });
  }
  // baselines: one-feature logistic calibrations on every snapshot before T (training + calibration)
  const before = [...train, ...calibrate];
  const dslFeature = (days: number): number => Math.log1p(days);
  const odFeature = (p: number): number => {
    const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
    return Math.log(q / (1 - q));
  };
  const baseline = (feature: (row: ChurnSnapshot["rows"][number]) => number): ((row: ChurnSnapshot["rows"][number]) => number) => {
    const x: number[][] = [];
    const y: number[] = [];
    for (const s of before) s.rows.forEach((row, i) => (x.push([feature(row)]), y.push(s.labels[i]!)));
    const fit = fitLogistic(x, y, { l2: 0 });
    return (row) => sigmoid(linearPredictor(fit, [feature(row)]));
  };
  const dsl = baseline((row) => dslFeature(row.daysSinceLast));
  const od = baseline((row) => odFeature(row.overdueProbability));
  // and the raw scores, for the baselines' AUC (the clamped logit and the calibrated probability
  // would tie distinct scores: overdue probabilities below 1e-9, sigmoids rounding to 1)
  const pModel: number[] = [], pDsl: number[] = [], pOd: number[] = [], rawDsl: number[] = [], rawOd: number[] = [], labels: number[] = [];
  for (const s of tests) {
    s.rows.forEach((row, i) => {
      pModel.push(classifier.probability(row.values));
      pDsl.push(dsl(row));
      pOd.push(od(row));
      rawDsl.push(row.daysSinceLast);
      rawOd.push(row.overdueProbability);
      labels.push(s.labels[i]!);
    });
  }
  // test snapshots without a customer at risk give no metric (Brier and ECE NaN, no AUC): as too
  // little history, not NaN without a word (review 2026-12-07)
  if (labels.length === 0) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: no customer at risk on any of the ${tests.length} test snapshots from splitDate ${formatDay(split)} (nobody bought in the ${r.activeDays} days before one): move splitDate earlier`, { option: "splitDate", value: formatDay(split), reason: "insufficient_history", rows: 0, churned: 0 });
  }
  const bins = options.bins ?? 10;
  const positives = labels.reduce((a, b) => a + b, 0);
  return {
    splitDate: formatDay(split),
    endDate: formatDay(end),
    horizonDays: r.horizon,
    testSnapshots: tests.map((s) => formatDay(s.day)),
    rows: labels.length,
    positives,
    model: classifier.toJSON(),
    scorers: [
      { scorer: "model", metrics: classificationMetrics(pModel, labels, bins) },
      { scorer: "days_since_last", metrics: { ...classificationMetrics(pDsl, labels, bins), auc: rocAuc(rawDsl, labels) } },
      { scorer: "overdue_probability", metrics: { ...classificationMetrics(pOd, labels, bins), auc: rocAuc(rawOd, labels) } },
    ],
  };
}
