import { asOfView } from "../data/as-of-view.ts";
import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkInt, checkNumber, extendKeys, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import {
  bgNbdAliveAt,
  checkAliveOption,
  computeChurnFeatures,
  customersWithPurchase,
  MIN_BTYD_CUSTOMERS,
  type AliveInput,
  type ChurnAliveSource,
  type ChurnFeatureRow,
  type ChurnFeatureSet,
} from "./churn-features.ts";
import { churnSnapshot, type ChurnSnapshot } from "./internal/churn-snapshots.ts";
import { fitLogistic, linearPredictor, sigmoid } from "./internal/logistic.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";

/** Rows of each outcome (churned, not) the training snapshots must hold: fewer fit noise. */
const MIN_OUTCOME_ROWS = 10;

/** Options of {@link fitChurnClassifier}. */
export interface ChurnClassifierOptions {
  /** Last visible day; predictions are as of it. Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Churn horizon H: the label is "no purchase in the next H days" (default 90). */
  horizonDays?: number | undefined;
  /** Days between historical snapshots (default 30). */
  snapshotEveryDays?: number | undefined;
  /** Historical snapshots, at asOf − H − k × every for k = 0 … snapshots − 1 (default 12). */
  snapshots?: number | undefined;
  /** L2 penalty on the standardized coefficients (default 1). */
  l2?: number | undefined;
  /** Length of each trend window in days (default 90). */
  trendWindowDays?: number | undefined;
  /** At-risk set of a snapshot: customers whose last purchase is fewer than this many days old (default H: customers already silent for the whole horizon count as churned, as in the churn-rate KPI). */
  activeDays?: number | undefined;
  /** Newest snapshots held out to fit the Platt calibration (default ⌈snapshots / 4⌉; 0 = uncalibrated). A held-out slice with only one outcome (nobody churned in it, or everybody) cannot fit one: it goes back into training and the calibration reads `method: "none"`. */
  calibrationSnapshots?: number | undefined;
  /**
   * Where P(alive) comes from (as in `churnFeatures`): `"bg-nbd"` fits BG/NBD as of every
   * snapshot day and as of asOf, each on the data up to that day only, and adds the feature
   * `btydSilence`; `"none"` leaves it out; a function `(customerId, asOf)` adds `pAlive` and must
   * not look past the day it is given. Default: `"bg-nbd"` when the oldest snapshot already has
   * at least 30 customers with a purchase, else `"none"`.
   */
  alive?: "bg-nbd" | "none" | ((customerId: string, asOf: string) => number | undefined) | undefined;
}

/** @internal The option names of {@link fitChurnClassifier} but asOf: evaluateChurnModel's too, which it passes on. */
export const CHURN_TRAINING_KEYS: OptionKeys<Omit<ChurnClassifierOptions, "asOf">> = {
  horizonDays: true,
  snapshotEveryDays: true,
  snapshots: true,
  l2: true,
  trendWindowDays: true,
  activeDays: true,
  calibrationSnapshots: true,
  alive: true,
};

/** @internal The option names of {@link fitChurnClassifier}. */
export const CHURN_CLASSIFIER_KEYS: OptionKeys<ChurnClassifierOptions> = /* @__PURE__ */ extendKeys<ChurnClassifierOptions, Omit<ChurnClassifierOptions, "asOf">>(CHURN_TRAINING_KEYS, { asOf: true });

/** One coefficient of the churn model. */
export interface ChurnCoefficient {
  /** Feature name (see `churnFeatures`). */
  readonly name: string;
  /** Slope on the feature's own scale (log-odds per unit, before calibration). */
  readonly coefficient: number;
  /** Slope per standard deviation of the feature in the training rows (comparable across features). */
  readonly standardized: number;
  /** Mean of the feature in the training rows. */
  readonly mean: number;
  /** Standard deviation of the feature in the training rows (1 when constant). */
  readonly sd: number;
}

/** Platt scaling of the logistic model's log-odds: P = σ(slope × η + intercept). */
export interface ChurnCalibration {
  /** `platt`, or `none` when no snapshot was held out (slope 1, intercept 0). */
  readonly method: "platt" | "none";
  /** Slope A applied to the log-odds. */
  readonly slope: number;
  /** Intercept B. */
  readonly intercept: number;
  /** Snapshot days (`YYYY-MM-DD`) the calibration was fitted on. */
  readonly snapshots: readonly string[];
  /** Rows of those snapshots. */
  readonly rows: number;
  /** Churned rows among them. */
  readonly positives: number;
}

/** What the logistic regression was trained on. */
export interface ChurnTrainingSummary {
  /** Snapshot days, `YYYY-MM-DD`, oldest first. */
  readonly snapshots: readonly string[];
  /** Rows (at-risk customer × snapshot). */
  readonly rows: number;
  /** Churned rows. */
  readonly positives: number;
  /** IRLS iterations. */
  readonly iterations: number;
  /** Whether IRLS converged. */
  readonly converged: boolean;
}

/** One customer's churn prediction at asOf. */
export interface ChurnPrediction {
  /** Customer id. */
  readonly customerId: string;
  /** Calibrated P(no purchase in the next H days). */
  readonly probability: number;
  /** Calendar days since its last purchase. */
  readonly daysSinceLast: number;
  /** Whether it is in the at-risk set (last purchase fewer than `activeDays` days ago); others are extrapolations. */
  readonly atRisk: boolean;
}

/** The serializable part of a churn classifier. */
export interface ChurnClassifierJSON {
  /** As-of day, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Churn horizon in days. */
  readonly horizonDays: number;
  /** Trend window in days. */
  readonly trendWindowDays: number;
  /** At-risk window in days. */
  readonly activeDays: number;
  /** L2 penalty used. */
  readonly l2: number;
  /** Where `pAlive` came from: `bg-nbd` (fitted per snapshot), `custom` (the caller's function) or `none`. */
  readonly alive: "bg-nbd" | "custom" | "none";
  /** Feature names in vector order. */
  readonly featureNames: readonly string[];
  /** Intercept of the logistic model on the features' own scale. */
  readonly intercept: number;
  /** Coefficients, in feature order. */
  readonly coefficients: readonly ChurnCoefficient[];
  /** Calibration of the log-odds. */
  readonly calibration: ChurnCalibration;
  /** Training summary. */
  readonly training: ChurnTrainingSummary;
}

/** A fitted churn classifier. */
export interface ChurnClassifier extends ChurnClassifierJSON {
  /** Predictions for every customer with a purchase up to asOf, in id order. */
  readonly predictions: readonly ChurnPrediction[];
  /**
   * Calibrated P(churn): no purchase in the next `horizonDays` days after asOf.
   * @param customerId - the id
   * @returns the probability, or undefined for a customer without a purchase up to asOf
   */
  predict(customerId: string): number | undefined;
  /**
   * Calibrated P(churn) of a feature vector (in `featureNames` order), e.g. a row of `churnFeatures` at another day.
   * @param values - the features
   * @returns the probability (NaN when a feature is NaN)
   * @throws {OrderpulseError} `INVALID_OPTION` when `values` is not an array of `featureNames.length` numbers
   */
  probability(values: readonly number[]): number;
  /**
   * The features of a customer at asOf.
   * @param customerId - the id
   * @returns its feature row, or undefined
   */
  features(customerId: string): ChurnFeatureRow | undefined;
  /**
   * The parameters as plain data.
   * @returns a JSON-safe object
   */
  toJSON(): ChurnClassifierJSON;
}

/** @internal Resolved options shared with evaluateChurnModel. */
export interface ResolvedChurnOptions {
  /** As-of epoch day. */
  asOf: number;
  /** Horizon H in days. */
  horizon: number;
  /** Days between snapshots. */
  every: number;
  /** Snapshots at most. */
  snapshots: number;
  /** L2 penalty. */
  l2: number;
  /** Trend window in days. */
  trendWindow: number;
  /** At-risk window in days. */
  activeDays: number;
  /** Newest snapshots held out for Platt scaling. */
  calibrationSnapshots: number;
  /** Source of P(alive); undefined = decided from the oldest snapshot (bg-nbd with 30+ customers). */
  alive: ChurnAliveSource | undefined;
}

/**
 * @internal Check and resolve the options of {@link fitChurnClassifier} (also used by evaluateChurnModel).
 * @param dataset - the dataset (for the default asOf)
 * @param options - the raw options
 * @param fn - function name for error messages
 * @param known - the option names to accept (unknown ones are INVALID_OPTION); undefined: not checked (the caller did)
 * @returns the resolved options
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown (with `known`) or bad option
 */
export function resolveChurnOptions(dataset: Dataset, options: unknown, fn: string, known?: Readonly<Record<string, true>>): ResolvedChurnOptions {
  const o = optionsObject(options, fn, known);
  checkDateLike(o, "asOf", fn);
  checkInt(o, "horizonDays", 1, 3660, fn);
  checkInt(o, "snapshotEveryDays", 1, 3660, fn);
  checkInt(o, "snapshots", 1, 1000, fn);
  checkNumber(o, "l2", 0, 1e9, fn);
  checkInt(o, "trendWindowDays", 1, 3660, fn);
  checkInt(o, "activeDays", 1, 36600, fn);
  checkAliveOption(o, fn);
  const opts = o as ChurnClassifierOptions;
  const snapshots = opts.snapshots ?? 12;
  checkInt(o, "calibrationSnapshots", 0, snapshots - 1, fn);
  const horizon = opts.horizonDays ?? 90;
  return {
    asOf: resolveAsOf(dataset, opts.asOf, undefined, fn).asOf,
    horizon,
    every: opts.snapshotEveryDays ?? 30,
    snapshots,
    l2: opts.l2 ?? 1,
    trendWindow: opts.trendWindowDays ?? 90,
    activeDays: opts.activeDays ?? horizon,
    calibrationSnapshots: opts.calibrationSnapshots ?? Math.min(snapshots - 1, Math.ceil(snapshots / 4)),
    alive: opts.alive,
  };
}

/** @internal A fitted classifier and the labelled snapshots it was trained and calibrated on. */
export interface TrainedChurnClassifier {
  /** The fitted classifier. */
  classifier: ChurnClassifier;
  /** Training snapshots, oldest first. */
  train: ChurnSnapshot[];
  /** Calibration snapshots, oldest first. */
  calibrate: ChurnSnapshot[];
  /** The P(alive) input as of a day (the classifier's source, BG/NBD fits cached per day). */
  aliveAt: (day: number) => AliveInput;
  /** The features of every customer as of asOf (behind `predictions`). */
  now: ChurnFeatureSet;
}

/**
 * @internal The P(alive) input of each day for one source. BG/NBD is fitted once per day
 * (cached) on `asOfView(dataset, day)`: nothing after the day is read.
 * @param dataset - the widest dataset the days may need (each fit cuts it at its day)
 * @param source - resolved source
 * @returns the input as of a day
 */
export function aliveProvider(dataset: Dataset, source: ChurnAliveSource): (day: number) => AliveInput {
  if (source === "none") {
    const none: AliveInput = { kind: "none" };
    return () => none;
  }
  if (typeof source === "function") {
    const custom: AliveInput = { kind: "custom", fn: source };
    return () => custom;
  }
  const cache = new Map<number, AliveInput>();
  return (day) => {
    let a = cache.get(day);
    if (a === undefined) {
      a = { kind: "bg-nbd", lookup: bgNbdAliveAt(dataset, day) };
      cache.set(day, a);
    }
    return a;
  };
}

/**
 * @internal Fit with resolved options and return the snapshots too.
 * @param dataset - a dataset or view reaching at least asOf
 * @param r - resolved options
 * @param fn - function name for error messages
 * @param aliveData - the dataset BG/NBD fits are cut from (default: the view as of asOf); a wider one lets the returned `aliveAt` serve later days
 * @returns the classifier, its training and calibration snapshots and its P(alive) input per day
 * @throws {OrderpulseError} `INVALID_OPTION` when the training snapshots before asOf (the held-out calibration ones not counted) do not hold 10 rows of each outcome
 */
export function trainChurnClassifier(dataset: Dataset, r: ResolvedChurnOptions, fn: string, aliveData?: Dataset, asOfOption = "asOf"): TrainedChurnClassifier {
  const view = dataset.asOf === r.asOf ? dataset : asOfView(dataset, r.asOf);
  const first = view.dayRange?.first;
  const days: number[] = []; // newest first
  for (let k = 0; k < r.snapshots; k++) {
    const day = r.asOf - r.horizon - k * r.every;
    // labels need (day, day + H] fully observed before asOf: guaranteed by day = asOf − H − k·every
    if (first === undefined || day < first) break;
    days.push(day);
  }
  const oldest = days.at(-1);
  const source: ChurnAliveSource = r.alive ?? (oldest !== undefined && customersWithPurchase(view, oldest) >= MIN_BTYD_CUSTOMERS ? "bg-nbd" : "none");
  const aliveAt = aliveProvider(aliveData ?? view, source);
  const all: ChurnSnapshot[] = days.map((day) => churnSnapshot(view, day, r.horizon, r.activeDays, r.trendWindow, aliveAt(day)));
  let nCal = Math.min(r.calibrationSnapshots, Math.max(0, all.length - 1));
  // Platt needs both outcomes among the held-out rows; a slice of one class goes back into training
  // (until 2026-12-06 it was neither used nor reported)
  let heldRows = 0, heldPositives = 0;
  for (let k = 0; k < nCal; k++) {
    heldRows += all[k]!.labels.length;
    for (const v of all[k]!.labels) heldPositives += v;
  }
  if (heldPositives === 0 || heldPositives === heldRows) nCal = 0;
  const calibrate = all.slice(0, nCal).reverse();
  const train = all.slice(nCal).reverse();
  const x: (readonly number[])[] = [];
  const y: number[] = [];
  for (const s of train) {
    for (let i = 0; i < s.rows.length; i++) {
      x.push(s.rows[i]!.values);
      y.push(s.labels[i]!);
    }
  }
  const positives = y.reduce((a, b) => a + b, 0);
  // at least MIN_OUTCOME_ROWS of each outcome: a classifier trained on one churned row (141 rows,
  // 1 churned, 44 customers) gave a weekly buyer silent 8 weeks 11 % and lost to both baselines
  // (a review of small data)
  if (positives < MIN_OUTCOME_ROWS || x.length - positives < MIN_OUTCOME_ROWS) {
    // (an as-of day whose snapshots all lie after the data's last order has nobody at risk: moving
    // it later, as the advice said, can never help; review 2026-12-07)
    const last = view.dayRange?.last;
    const after = last !== undefined && r.asOf - r.horizon > last;
    const advice = after ? `${asOfOption} is more than horizonDays (${r.horizon}) after the data's last order day ${formatDay(last)}: move it to at most that day` : `move ${asOfOption} later or shorten horizonDays / snapshotEveryDays`;
    throw new OrderpulseError(
      "INVALID_OPTION",
      `${fn}: not enough history before ${asOfOption} ${formatDay(r.asOf)} to train (${x.length} rows, ${positives} churned, ${train.length} snapshots): at least ${MIN_OUTCOME_ROWS} rows of each outcome are needed; ${advice}`,
      // (reason: a data shortfall, the one INVALID_OPTION a host may meet with good options: docs/data.md)
      { option: asOfOption, value: formatDay(r.asOf), reason: "insufficient_history", rows: x.length, churned: positives },
    );
  }
  const fit = fitLogistic(x, y, { l2: r.l2 });
  const featureNames = all[0]!.featureNames;
  // Platt (1999) on the held-out newest snapshots: smoothed targets (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2)
  let calibration: ChurnCalibration = { method: "none", slope: 1, intercept: 0, snapshots: [], rows: 0, positives: 0 };
  const eta: number[][] = [];
  const cy: number[] = [];
  for (const s of calibrate) {
    for (let i = 0; i < s.rows.length; i++) {
      eta.push([linearPredictor(fit, s.rows[i]!.values)]);
      cy.push(s.labels[i]!);
    }
  }
  const cPos = cy.reduce((a, b) => a + b, 0);
  if (eta.length > 0 && cPos > 0 && cPos < eta.length) {
    const hi = (cPos + 1) / (cPos + 2);
    const lo = 1 / (eta.length - cPos + 2);
    const platt = fitLogistic(eta, cy.map((v) => (v === 1 ? hi : lo)), { l2: 0, standardize: false });
    calibration = {
      method: "platt",
      slope: platt.coefficients[0]!,
      intercept: platt.intercept,
      snapshots: calibrate.map((s) => formatDay(s.day)),
      rows: eta.length,
      positives: cPos,
    };
  }
  const coefficients: ChurnCoefficient[] = featureNames.map((name, j) => ({
    name,
    coefficient: fit.coefficients[j]!,
    standardized: fit.standardizedCoefficients[j]!,
    mean: fit.means[j]!,
    sd: fit.scales[j]!,
  }));
  const json: ChurnClassifierJSON = {
    asOf: formatDay(r.asOf),
    horizonDays: r.horizon,
    trendWindowDays: r.trendWindow,
    activeDays: r.activeDays,
    l2: r.l2,
    alive: typeof source === "function" ? "custom" : source,
    featureNames,
    intercept: fit.intercept,
    coefficients,
    calibration,
    training: { snapshots: train.map((s) => formatDay(s.day)), rows: x.length, positives, iterations: fit.iterations, converged: fit.converged },
  };
  const { slope, intercept } = calibration;
  const probability = (values: readonly number[]): number => {
    if (!Array.isArray(values) || values.length !== featureNames.length || !allNumbers(values)) {
      throw new OrderpulseError("INVALID_OPTION", `probability: invalid option values: expected ${featureNames.length} numbers (featureNames), got ${Array.isArray(values) ? (values.length === featureNames.length ? "a value that is not a number" : values.length) : typeof values}`, { option: "values", value: Array.isArray(values) ? values.length : typeof values });
    }
    return sigmoid(slope * linearPredictor(fit, values) + intercept);
  };
  const now = computeChurnFeatures(view, r.asOf, r.horizon, r.trendWindow, aliveAt(r.asOf));
  const index = new Map<string, number>();
  const predictions: ChurnPrediction[] = now.rows.map((row, k) => {
    index.set(row.customerId, k);
    return { customerId: row.customerId, probability: probability(row.values), daysSinceLast: row.daysSinceLast, atRisk: row.daysSinceLast < r.activeDays };
  });
  const classifier: ChurnClassifier = {
    ...json,
    predictions,
    predict: (customerId) => {
      const k = index.get(customerId);
      return k === undefined ? undefined : predictions[k]!.probability;
    },
    probability,
    features: (customerId) => {
      const k = index.get(customerId);
      return k === undefined ? undefined : now.rows[k];
    },
    toJSON: () => json,
  };
  return { classifier, train, calibrate, aliveAt, now };
}

/**
 * A churn classifier trained on the dataset's own history, without labels from the host:
 * historical as-of snapshots at asOf − H − k × every (k = 0 … snapshots − 1, so every label
 * window (snapshot, snapshot + H] ends on or before asOf), the at-risk customers of each snapshot
 * (last purchase fewer than `activeDays` days before it), label = no purchase day in the next H
 * days, features from `churnFeatures` as of the snapshot (the interval model's overdue
 * probability, gap ratio and horizon silence, frequency / breadth / revenue / discount trends,
 * return share, tenure, history length, typical gap, regularity and P(alive): by default from a
 * BG/NBD model fitted as of each snapshot day on the data up to that day, entering as
 * `btydSilence`, the part of logit P(alive) that does not depend on BG/NBD's dropout parameters).
 * Model: L2-regularized logistic regression by IRLS on standardized features, fitted on the
 * older snapshots; its log-odds are calibrated by Platt scaling (Platt 1999, with his smoothed
 * targets) on the newest `calibrationSnapshots` snapshots, held out, which also absorbs drift of
 * the base rate towards the present (Niculescu-Mizil & Caruana 2005 on Platt vs isotonic: Platt
 * is the safer choice with a few thousand calibration rows). Predictions are as of asOf.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, horizonDays (90), snapshotEveryDays (30), snapshots (12), l2 (1), trendWindowDays (90), activeDays (H), calibrationSnapshots, alive (`"bg-nbd"` with 30+ customers, `"none"` or a function)
 * @returns the classifier: coefficients with names, calibration, predictions at asOf, `predict`, `toJSON`
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option, or when the training snapshots before asOf (the held-out calibration ones not counted) do not hold 10 rows of each outcome
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitChurnClassifier, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let c = 0; c < 30; c++) {
 *   const stop = c % 3 === 0 ? 300 + 10 * c : 10_000; // every third customer stops buying
 *   for (let d = c % 7; d < 720 && d < stop; d += 7) {
 *     orders.push({ order_id: `O${c}-${d}`, order_date: new Date(Date.UTC(2025, 0, 1 + d)), customer_id: `C${c}`, product_id: "P", quantity: 1, unit_price: 5 });
 *   }
 * }
 * const { dataset } = fromRowsSync({ orders });
 * const model = fitChurnClassifier(dataset, { snapshots: 6, calibrationSnapshots: 0 });
 * assert.equal(model.coefficients.length, model.featureNames.length);
 * assert.equal(model.alive, "bg-nbd"); // 30 customers: BG/NBD as of each snapshot
 * assert.equal(model.featureNames.at(-1), "btydSilence");
 * const p = model.predict("C1");
 * assert.ok(p !== undefined && p >= 0 && p <= 1);
 * ```
 */
export function fitChurnClassifier(dataset: Dataset, options?: ChurnClassifierOptions): ChurnClassifier {
  const fn = "fitChurnClassifier";
  return trainChurnClassifier(dataset, resolveChurnOptions(dataset, options, fn, CHURN_CLASSIFIER_KEYS), fn).classifier;
}

/** Whether every element (holes of a sparse array included) is a number (NaN allowed: it gives NaN). */
function allNumbers(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== "number") return false;
  return true;
}
