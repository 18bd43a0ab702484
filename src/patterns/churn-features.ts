import { asOfView } from "../data/as-of-view.ts";
import { rhythmView } from "../data/internal/rhythm-view.ts";
import { CompensatedSum as Sum } from "../data/internal/compensated-sum.ts";
import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkInt, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { OrderpulseError } from "../data/errors.ts";
import { fitBgNbd } from "./btyd/bg-nbd.ts";
import { rhythmSummary } from "./internal/rhythm-summary.ts";
import { fitIntervalModel, type CustomerRhythm, type IntervalModel } from "./fit-interval-model.ts";
import { dayClosures, modelHolidays, openDaysBetween, standingClock, type Closures, type HolidaySet } from "./internal/customer-calendar.ts";
import { wholeDaySurvival } from "./internal/whole-day-gap.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";

/** @internal The `alive` option of the churn functions (documented on {@link ChurnFeatureOptions}). */
export type ChurnAliveSource = "bg-nbd" | "none" | ((customerId: string, asOf: string) => number | undefined);

/** Options of {@link churnFeatures}. */
export interface ChurnFeatureOptions {
  /** Last visible day. Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Horizon of the churn question in days, for `horizonSilenceLogit` (default 90). */
  horizonDays?: number | undefined;
  /** Length of each of the two windows the trends compare, in days (default 90). */
  trendWindowDays?: number | undefined;
  /**
   * Where P(alive) comes from:
   * - `"bg-nbd"`: a BG/NBD model (Fader, Hardie & Lee 2005) fitted on the purchase occasions up
   *   to `asOf` (never later). The feature vector gets `btydSilence`, the part of logit P(alive)
   *   the data identifies; `pAlive` itself is reported in `features` but kept out of the vector
   *   (its dropout term jumps from one snapshot to the next on B2B data: docs/patterns.md,
   *   section 5). With fewer than 30 customers there is no fit: `pAlive` 0.5, `btydSilence` 0;
   * - `"none"`: neither feature;
   * - a function `(customerId, asOf)` returning P(alive) as of `asOf` (`YYYY-MM-DD`), e.g. another
   *   BTYD model the caller fitted up to that day; the vector gets `pAlive` (an `undefined` answer
   *   counts as 0.5). It must not look past the day it is given, or a classifier trained on
   *   historical snapshots learns from the future.
   *
   * Default: `"bg-nbd"` when at least 30 customers have a purchase up to `asOf`, else `"none"`.
   */
  alive?: "bg-nbd" | "none" | ((customerId: string, asOf: string) => number | undefined) | undefined;
  /** The interval model fitted at the same `asOf`, when the caller already has it (else it is fitted). */
  intervalModel?: IntervalModel | undefined;
}

const KEYS: OptionKeys<ChurnFeatureOptions> = { asOf: true, horizonDays: true, trendWindowDays: true, alive: true, intervalModel: true };

/** The named features of one customer at one day (see docs/patterns.md, section 5). */
export interface ChurnFeatureValues {
  /** Interval model: logit of the overdue probability F(e) = P(a gap at most as long as the silence so far), F clamped to [1e-6, 1 − 1e-6]. */
  readonly overdueLogit: number;
  /** ln((1 + open days since the last purchase) / (1 + typical gap in open days)). */
  readonly logGapRatio: number;
  /** Interval model: logit of P(no purchase in the next horizon | the customer keeps its rhythm) = S(e + h) / S(e), h = open days of the horizon (clamped as above). */
  readonly horizonSilenceLogit: number;
  /** (recent − previous) / (recent + previous) of purchase days in the last two trend windows; 0 when both are 0. */
  readonly frequencyTrend: number;
  /** The same relative change of distinct products bought (the SKU-breadth KPI's per-customer count). */
  readonly breadthTrend: number;
  /** The same relative change of sales revenue (positive lines, quantity × unit price). */
  readonly monetaryTrend: number;
  /** Discount rate (1 − Σ net ÷ Σ list over sales lines with a list price, as the discount-rate KPI) of the recent window minus the previous one; 0 when either is undefined. */
  readonly discountTrend: number;
  /** Returned value ÷ sold value over both trend windows, clamped to [0, 1]; 0 without sales. */
  readonly returnShare: number;
  /** ln(1 + days since the first purchase). */
  readonly logTenure: number;
  /** ln(purchase days so far). */
  readonly logPurchaseDays: number;
  /** ln(typical gap in open days), the interval model's posterior median gap. */
  readonly logTypicalGap: number;
  /** Interval model: coefficient of variation of the gap. */
  readonly cv: number;
  /** ln(1 + calendar days since the last purchase). */
  readonly logDaysSinceLast: number;
  /**
   * P(alive): the `alive` function's (0.5 when it answered undefined; in the vector), or BG/NBD's
   * with `alive: "bg-nbd"` (reported only, not in the vector; 0.5 without a fit); `undefined`
   * with `alive: "none"`.
   */
  readonly pAlive: number | undefined;
  /**
   * BG/NBD (`alive: "bg-nbd"` only, else `undefined`; 0 without a fit): (r + x) · ln((α + T) /
   * (α + t_x)) = −ln P(no purchase since the last one | still alive), the evidence of the silence
   * under the posterior of the customer's purchase rate (x repeat purchases, t_x and T in weeks).
   * logit P(alive) = ln((b + x − 1) / a) − btydSilence for x > 0: this is the part that does not
   * depend on the dropout parameters a, b.
   */
  readonly btydSilence: number | undefined;
}

/** One customer's churn features as of a day. */
export interface ChurnFeatureRow {
  /** Customer id. */
  readonly customerId: string;
  /** Calendar days since its last purchase day. */
  readonly daysSinceLast: number;
  /** The interval model's overdue probability (before the logit of `features.overdueLogit`). */
  readonly overdueProbability: number;
  /** The named features. */
  readonly features: ChurnFeatureValues;
  /** The features as numbers in the order of {@link ChurnFeatureSet.featureNames}. */
  readonly values: readonly number[];
}

/** The churn features of every customer with a purchase up to `asOf`. */
export interface ChurnFeatureSet {
  /** As-of day, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Names of the entries of each row's `values` (last: `btydSilence` with `alive: "bg-nbd"`, `pAlive` with a function; neither with `"none"`). */
  readonly featureNames: readonly (keyof ChurnFeatureValues)[];
  /** One row per customer with at least one purchase day, in id order. */
  readonly rows: readonly ChurnFeatureRow[];
}

/** @internal Customers with a purchase needed before BG/NBD is fitted (as in fitPatterns). */
export const MIN_BTYD_CUSTOMERS = 30;

/**
 * Evaluation budget of the BG/NBD fits behind `btydSilence` / `pAlive`. On B2B histories the
 * dropout parameters are often not identified (the likelihood keeps rising along a ridge where
 * a, b → ∞ or a → 0), and fitBgNbd's default budget of 20,000 evaluations is spent (1.2–3.5 s per
 * snapshot at 350 customers) without changing r and α (measured: equal to 4 digits after 500
 * evaluations; the classifier's metrics equal to 4 digits with budgets of 600, 1,000 and 1,500);
 * a fit with a proper maximum (CDNOW) converges within about 1,000.
 */
const BTYD_MAX_EVALUATIONS = 1000;

/** Feature names without the P(alive) features, in vector order. */
const BASE_NAMES: readonly (keyof ChurnFeatureValues)[] = [
  "overdueLogit",
  "logGapRatio",
  "horizonSilenceLogit",
  "frequencyTrend",
  "breadthTrend",
  "monetaryTrend",
  "discountTrend",
  "returnShare",
  "logTenure",
  "logPurchaseDays",
  "logTypicalGap",
  "cv",
  "logDaysSinceLast",
];

/**
 * The features of the churn classifier for every customer as of a day, from its own history up
 * to that day only: the interval model's view of the current silence (overdue probability, gap
 * ratio, probability of staying silent over the horizon if it keeps its rhythm, typical gap and
 * regularity; probabilities enter as logits), days since the last purchase,
 * recent-versus-previous trends of frequency, basket breadth, revenue and discount, the share of
 * returns, tenure and history length, and P(alive): by default from a BG/NBD model fitted on the
 * purchase occasions up to the day (with at least 30 customers), or from a caller's function.
 * Nothing dated after `asOf` is read (the dataset is seen through `asOfView`).
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, horizonDays, trendWindowDays, alive (`"bg-nbd"`, `"none"` or a function), intervalModel
 * @returns the feature names and one row per customer with a purchase
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option (also when `intervalModel` has another as-of day)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { churnFeatures, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) {
 *   const day = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date: day, customer_id: "C1", product_id: "P", quantity: 1, unit_price: 5 });
 * }
 * const { dataset } = fromRowsSync({ orders });
 * const f = churnFeatures(dataset, { asOf: "2026-09-30" });
 * const row = f.rows[0]!;
 * assert.equal(row.customerId, "C1");
 * assert.equal(row.values.length, f.featureNames.length);
 * assert.ok(row.overdueProbability < 0.9); // a weekly buyer, 2 days after its last order
 * assert.ok(row.features.overdueLogit < Math.log(9)); // the same, as a logit
 * assert.equal(row.features.pAlive, undefined); // one customer: too few for BG/NBD
 * const g = churnFeatures(dataset, { asOf: "2026-09-30", alive: () => 0.8 });
 * assert.equal(g.featureNames.at(-1), "pAlive");
 * assert.equal(g.rows[0]!.features.pAlive, 0.8);
 * ```
 */
export function churnFeatures(dataset: Dataset, options?: ChurnFeatureOptions): ChurnFeatureSet {
  const fn = "churnFeatures";
  const o = optionsObject(options, fn, KEYS);
  checkDateLike(o, "asOf", fn);
  checkInt(o, "horizonDays", 1, 3660, fn);
  checkInt(o, "trendWindowDays", 1, 3660, fn);
  checkAliveOption(o, fn);
  const opts = (options ?? {}) as ChurnFeatureOptions;
  const { asOf, view } = resolveAsOf(dataset, opts.asOf, undefined, "churnFeatures");
  const asOfText = formatDay(asOf);
  const interval = opts.intervalModel ?? fitIntervalModel(view, { asOf });
  if (interval.asOf !== asOfText) throw new OrderpulseError("INVALID_OPTION", `${fn}: intervalModel is as of ${interval.asOf}, not ${asOfText}`, { option: "intervalModel", value: interval.asOf });
  const source = opts.alive;
  let alive: AliveInput;
  if (typeof source === "function") alive = { kind: "custom", fn: source };
  else if (source === "none") alive = { kind: "none" };
  else {
    const lookup = bgNbdAliveAt(view, asOf);
    alive = lookup === undefined && source === undefined ? { kind: "none" } : { kind: "bg-nbd", lookup };
  }
  return computeChurnFeatures(view, asOf, opts.horizonDays ?? 90, opts.trendWindowDays ?? 90, alive, interval);
}

/**
 * @internal `o.alive` is undefined, `"bg-nbd"`, `"none"` or a function.
 * @param o - the options object
 * @param fn - function name for error messages
 * @throws {OrderpulseError} `INVALID_OPTION` otherwise
 */
export function checkAliveOption(o: Record<string, unknown>, fn: string): void {
  const v = o["alive"];
  if (v === undefined || v === "bg-nbd" || v === "none" || typeof v === "function") return;
  const got = typeof v === "string" ? JSON.stringify(v) : String(v);
  throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option alive: expected "bg-nbd", "none" or a function, got ${got}`, { option: "alive", value: v });
}

/** @internal BG/NBD quantities of one customer as of a day. */
export interface BtydAliveValues {
  /** P(alive | x, t_x, T). */
  readonly pAlive: number;
  /** (r + x) · ln((α + T) / (α + t_x)). */
  readonly silence: number;
}

/** @internal The P(alive) input of {@link computeChurnFeatures}, resolved. */
export type AliveInput =
  | { readonly kind: "none" }
  | { readonly kind: "custom"; readonly fn: (customerId: string, asOf: string) => number | undefined }
  | { readonly kind: "bg-nbd"; readonly lookup: ((customerId: string) => BtydAliveValues | undefined) | undefined };

/**
 * @internal Customers with a purchase occasion on or before `day` (whose first positive line is
 * on or before it).
 * @param dataset - a dataset or view (lines sorted by day within each customer)
 * @param day - epoch day
 * @returns the count
 */
export function customersWithPurchase(dataset: Dataset, day: number): number {
  const { lines, customerStart, customerEnd } = dataset;
  let n = 0;
  for (let c = 0; c < customerEnd.length; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (lines.day[i]! > day) break;
      if (lines.quantity[i]! > 0) {
        n++;
        break;
      }
    }
  }
  return n;
}

/**
 * @internal BG/NBD fitted on the purchase days up to `day` (`rhythmSummary` on the view
 * as of `day`, weeks; `fitBgNbd` from its default start, at most {@link BTYD_MAX_EVALUATIONS}
 * evaluations), as a lookup of each customer's P(alive) and silence evidence. Undefined with
 * fewer than {@link MIN_BTYD_CUSTOMERS} customers or a non-finite fit. Reads nothing after `day`.
 * @param dataset - a dataset or view reaching at least `day` (a later one is cut at `day`)
 * @param day - epoch day
 * @returns the lookup, or undefined
 */
export function bgNbdAliveAt(dataset: Dataset, day: number): ((customerId: string) => BtydAliveValues | undefined) | undefined {
  const view = dataset.asOf === day ? dataset : asOfView(dataset, day);
  const asOf = view.asOf ?? day;
  if (view.visibleLines === 0) return undefined;
  const s = rhythmSummary(view, asOf);
  if (s.customerIds.length < MIN_BTYD_CUSTOMERS) return undefined;
  const fit = fitBgNbd(s, { maxEvaluations: BTYD_MAX_EVALUATIONS });
  if (!Number.isFinite(fit.logLikelihood)) return undefined;
  const { r, alpha } = fit.params;
  const index = new Map(s.customerIds.map((id, k) => [id, k]));
  return (id) => {
    const k = index.get(id);
    if (k === undefined) return undefined;
    const x = s.x[k]!, tx = s.tx[k]!, T = s.T[k]!;
    const pAlive = fit.probabilityAlive(x, tx, T);
    const silence = (r + x) * Math.log((alpha + T) / (alpha + tx));
    return Number.isFinite(pAlive) && Number.isFinite(silence) ? { pAlive, silence } : undefined;
  };
}

/**
 * @internal The features with resolved options (see {@link churnFeatures}).
 * @param view - the dataset as of `asOf`
 * @param asOf - epoch day
 * @param horizon - horizon in days
 * @param window - trend window in days
 * @param alive - the resolved P(alive) input
 * @param intervalModel - the interval model as of `asOf` (fitted when undefined)
 * @returns the feature set
 */
export function computeChurnFeatures(view: Dataset, asOf: number, horizon: number, window: number, alive: AliveInput, intervalModel?: IntervalModel): ChurnFeatureSet {
  const asOfText = formatDay(asOf);
  const interval = intervalModel ?? fitIntervalModel(view, { asOf });
  // the model's business holidays, closed on the horizon's calendar as in the model's open fraction
  const holidays = modelHolidays(interval.holidays);
  const featureNames: readonly (keyof ChurnFeatureValues)[] =
    alive.kind === "none" ? BASE_NAMES : alive.kind === "custom" ? [...BASE_NAMES, "pAlive"] : [...BASE_NAMES, "btydSilence"];
  // (one purchase per order however the ERP dated its deliveries)
  const { lines, customerStart, customerEnd, ids } = rhythmView(view);
  const recentFrom = asOf - window; // recent window: (asOf − W, asOf]
  const previousFrom = asOf - 2 * window; // previous window: (asOf − 2W, asOf − W]
  const products = new Set<number>();
  const rows: ChurnFeatureRow[] = [];
  for (let c = 0; c < customerEnd.length; c++) {
    const start = customerStart[c]!;
    const end = customerEnd[c]!;
    if (end <= start) continue;
    const id = ids.customers.values[c]!;
    const r = interval.customer(id);
    if (r === undefined) continue; // no positive line
    // window aggregates: [previous, recent]
    // (money: compensated sums, so the same lines give the same trend in any order)
    const days = [0, 0], breadth = [0, 0];
    const sales = [new Sum(), new Sum()], net = [new Sum(), new Sum()], list = [new Sum(), new Sum()];
    const returnedSum = new Sum();
    let firstDay = Number.POSITIVE_INFINITY;
    for (const k of [0, 1]) {
      products.clear();
      let lastDay = Number.NaN;
      const from = k === 0 ? previousFrom : recentFrom;
      const to = k === 0 ? recentFrom : asOf;
      for (let i = start; i < end; i++) {
        const d = lines.day[i]!;
        const q = lines.quantity[i]!;
        if (k === 0 && q > 0 && d < firstDay) firstDay = d;
        if (d <= from || d > to) continue;
        const price = lines.unitPrice[i]!;
        if (q <= 0) {
          returnedSum.add(-q * price);
          continue;
        }
        if (d !== lastDay) {
          days[k]!++;
          lastDay = d;
        }
        products.add(lines.product[i]!);
        sales[k]!.add(q * price);
        const lp = lines.listPrice[i]!;
        if (lp === lp) {
          net[k]!.add(q * price);
          list[k]!.add(q * lp);
        }
      }
      breadth[k] = products.size;
    }
    const disc = (k: number): number | undefined => (list[k]!.value > 0 ? 1 - net[k]!.value / list[k]!.value : undefined);
    const returned = returnedSum.value;
    const dPrev = disc(0), dRecent = disc(1);
    const totalSales = sales[0]!.value + sales[1]!.value;
    let pAlive: number | undefined;
    let btydSilence: number | undefined;
    if (alive.kind === "custom") {
      const p = alive.fn(id, asOfText);
      pAlive = p === undefined || !Number.isFinite(p) ? 0.5 : Math.min(1, Math.max(0, p));
    } else if (alive.kind === "bg-nbd") {
      const b = alive.lookup?.(id);
      pAlive = b === undefined ? 0.5 : Math.min(1, Math.max(0, b.pAlive));
      btydSilence = b === undefined ? 0 : Math.max(0, b.silence);
    }
    const features: ChurnFeatureValues = {
      overdueLogit: logit(r.overdueProbability ?? 0),
      logGapRatio: Math.log((1 + (r.openDaysSinceLast ?? 0)) / (1 + (r.typicalGapOpenDays ?? 1))),
      horizonSilenceLogit: logit(horizonSilence(r, asOf, horizon, holidays)),
      logDaysSinceLast: Math.log1p(r.daysSinceLast ?? 0),
      frequencyTrend: relativeChange(days[1]!, days[0]!),
      breadthTrend: relativeChange(breadth[1]!, breadth[0]!),
      monetaryTrend: relativeChange(sales[1]!.value, sales[0]!.value),
      discountTrend: dPrev === undefined || dRecent === undefined ? 0 : dRecent - dPrev,
      returnShare: totalSales > 0 ? Math.min(1, Math.max(0, returned / totalSales)) : 0,
      logTenure: Math.log1p(asOf - firstDay),
      logPurchaseDays: Math.log(r.purchaseDays),
      logTypicalGap: Math.log(r.typicalGapOpenDays ?? 1),
      cv: r.cv ?? 0,
      pAlive,
      btydSilence,
    };
    rows.push({ customerId: id, daysSinceLast: r.daysSinceLast ?? 0, overdueProbability: r.overdueProbability ?? 0, features, values: featureNames.map((n) => features[n]!) });
  }
  return { asOf: asOfText, featureNames, rows };
}

/** Logit with p clamped to [1e-6, 1 − 1e-6] (so a feature stays within ±13.8). */
function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

/** (a − b) / (a + b), 0 when both are 0: a bounded, scale-free trend. */
function relativeChange(a: number, b: number): number {
  return a + b > 0 ? (a - b) / (a + b) : 0;
}

/**
 * P(no purchase in (asOf, asOf + horizon] | none in (last, asOf]) under the customer's
 * predictive gap distribution: S(e + h) / S(e), with e the calendar-equivalent days elapsed and
 * h those of the horizon, on the interval model's clock (closures are calendar facts, so the
 * future calendar may be read; the model's holidays are closed days, as in its open fraction).
 */
function horizonSilence(r: CustomerRhythm, asOf: number, horizon: number, holidays: HolidaySet | undefined): number {
  const post = r.posterior;
  if (post === undefined) return 1;
  const closures: Closures = {
    months: r.closedMonths.reduce((m, k) => m | (1 << (k - 1)), 0),
    weekdays: r.closedWeekdays.reduce((m, k) => m | (1 << k), 0),
    holidays,
    intensity: Float64Array.from(r.monthlyIndex ?? []),
  };
  if (closures.intensity!.length !== 12) delete (closures as { intensity?: Float64Array }).intensity;
  // the interval model's own clock (standingClock, as openDaysSinceLast was measured): calendar-
  // equivalent days (open days / open fraction), standing still during a closed month and the
  // week after it (orders due then are deferred to the reopening). A clock of its own here stood
  // still in the month only: in the week after it the days since the closure began were in
  // neither e nor h, and the logit jumped (8x the silence probability on the 1st)
  const f = r.openFraction;
  const e = (r.openDaysSinceLast ?? 0) / f;
  const last = asOf - (r.daysSinceLast ?? 0);
  const now = standingClock(last, asOf, closures);
  const h = openDaysBetween(now, Math.max(now, standingClock(last, asOf + horizon, closures)), dayClosures(closures)) / f;
  // (read on whole days, as the model's overdueProbability: wholeDaySurvival)
  const survival = (t: number): number => wholeDaySurvival(post.mu, post.scale, post.nu, t, f);
  const s0 = survival(e);
  if (!(s0 > 1e-300)) return 1;
  return Math.min(1, Math.max(0, survival(e + h) / s0));
}
