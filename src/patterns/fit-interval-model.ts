import type { Dataset } from "../data/dataset.ts";
import { checkDataset } from "../data/internal/check-dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkEnum, checkFunction, checkInt, checkNumber, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { civilFromEpochDay } from "../data/civil-from-epoch-day.ts";
import { addOpenDays, holidaysOver, silenceEnd, closedPosterior, closedProbability, dayClosures, isOpen, lastOpenDayIn, nextMonthStart, REOPENING_DAYS, standingClock, inferClosures, businessDays, monthOf, monthlyCounts, peerClosures, missedOrdersSince, openDaysBetween, openFraction, reopening, shrunkIntensity, silentLogChance, spansClosedMonth, type BusinessDays, type Closures } from "./internal/customer-calendar.ts";
import { studentTQuantile } from "./internal/student-t.ts";
import { wholeDayCdf, wholeDaySurvival } from "./internal/whole-day-gap.ts";
import { fitGrid, gridPoint, gridPosterior, type GridObservation } from "./internal/log-gap-grid.ts";
import { regimes, type Regime } from "./internal/regime.ts";
import { predictiveScaleFactor } from "./internal/scale-calibration.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";
import { hasPurchase } from "../data/internal/purchase-days.ts";
import { NO_DAY } from "../data/internal/no-day.ts";
import { rhythmView } from "../data/internal/rhythm-view.ts";
import { upperBound } from "../data/internal/bounds.ts";
import { avg, gapMoments } from "./internal/gap-moments.ts";

/**
 * The business calendar: days nobody orders on (the distributor does not deliver, or its
 * customers are closed). They are removed from every customer's gaps like its own closures.
 */
export interface BusinessCalendar {
  /** Weekend days, 0 = Sunday .. 6 = Saturday (e.g. `[5, 6]` for Friday–Saturday in Israel). */
  weekendDays?: readonly number[] | undefined;
  /** Holidays (`YYYY-MM-DD`, Date or epoch day), e.g. `israeliHolidays(2023, 2027).map((h) => h.day)`. */
  holidays?: readonly (string | Date | number)[] | undefined;
}

/** Options of {@link fitIntervalModel}. */
export interface IntervalModelOptions {
  /** Last visible day. Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Weekend days and holidays closed for every customer. Default: none (closures are inferred per customer). */
  calendar?: BusinessCalendar | undefined;
  /** Customers per segment needed for a segment prior (else the company prior). Default 10. */
  minPriorCustomers?: number | undefined;
  /** Prior strength of the σ² prior, as a shape a0 (about 2·a0 pseudo-gaps). Default 3. */
  priorShape?: number | undefined;
  /** Prior probability of a change of rhythm after any one gap (single change-point model). Default 0.01; 0 turns it off. */
  changeHazard?: number | undefined;
  /** Prior standard deviation of a change of the mean log-gap (0.7: a factor of two at one sd). Default 0.7. */
  changeScale?: number | undefined;
  /** P(still a customer) from another model (e.g. BG/NBD), combined into `pAlive`; a value outside [0, 1] (or NaN) counts as none for that customer. */
  alive?: ((customerId: string) => number | undefined) | undefined;
  /**
   * Recalibrate the predictives' scale by a backtest 120 days back (the model refitted there,
   * scored on the next purchases since; applied only when a likelihood-ratio test finds it
   * miscalibrated). Default true; false fits once.
   */
  calibrate?: boolean | undefined;
  /**
   * `asOf` is today, a day still in progress (as the KPI functions' `asOfInProgress`): the silence
   * is measured to the end of the day before (its orders so far count as purchases), so a customer
   * due today is due, not late, on this morning's read of last night's export. `daysSinceLast`
   * stays calendar days to asOf. Default false: asOf is a whole day.
   */
  asOfInProgress?: boolean | undefined;
}

const KEYS: OptionKeys<IntervalModelOptions> = { asOf: true, calendar: true, minPriorCustomers: true, priorShape: true, changeHazard: true, changeScale: true, alive: true, calibrate: true, asOfInProgress: true };

/** A grid prior of the mean log-gap: weight of each point `from + k·step`, each a normal bump of sd `step`. */
export interface LogGapGrid {
  /** First grid point, ln(calendar-equivalent days). */
  readonly from: number;
  /** Grid spacing (also each bump's standard deviation). */
  readonly step: number;
  /** Weights, summing to 1 (k = 0 .. weights.length − 1). */
  readonly weights: readonly number[];
}

/** The prior of one peer group (empirical Bayes: a nonparametric grid prior on the mean log-gap, an inverse-gamma prior on its variance). */
export interface IntervalPrior {
  /** Segment name, or `null` for the company-wide prior. */
  readonly segment: string | null;
  /** Customers with at least 3 gaps the variance prior was estimated from. */
  readonly customers: number;
  /** Mean of the grid prior of the mean log-gap (ln calendar-equivalent days). */
  readonly mu0: number;
  /** Variance of the grid prior of the mean log-gap (between customers). */
  readonly tau2: number;
  /** The grid prior itself. */
  readonly grid: LogGapGrid;
  /** Inverse-gamma shape of the log-gap variance. */
  readonly a0: number;
  /** Inverse-gamma scale of the log-gap variance at the prior mean gap (mu0). */
  readonly b0: number;
  /** Slope of ln σ² on the mean log-gap across customers (the variance prior follows the gap length). */
  readonly varianceSlope: number;
  /** Range [low, high] the prior's ln σ² is kept in (5th..95th percentile of the customers'). */
  readonly logVarianceRange: readonly [number, number];
}

/** One customer's buying rhythm as of a day. Days are `YYYY-MM-DD`; gaps in calendar days unless named open. */
export interface CustomerRhythm {
  /** Customer id. */
  readonly customerId: string;
  /** `ok` (at least one gap), `prior_only` (one purchase day: the peers' rhythm, wide), `no_orders`. */
  readonly status: "ok" | "prior_only" | "no_orders";
  /** Purchase days (distinct days with a positive line) up to asOf. */
  readonly purchaseDays: number;
  /** Last purchase day. */
  readonly lastOrder: string | undefined;
  /** Calendar days since the last purchase, to asOf (also with `asOfInProgress`). */
  readonly daysSinceLast: number | undefined;
  /**
   * Open days since the last purchase on the customer's seasonal clock: habitual closures removed,
   * and with a seasonal profile (two years of data) each open day weighted by its month's
   * intensity (a customer closed on weekends, 11 open days in a June of intensity 1.19: 13.07).
   * What the overdue probability reads; plain open days without a seasonal profile. Counted to
   * asOf, or with `asOfInProgress` to the day before (its silence so far is not yet a late order).
   */
  readonly openDaysSinceLast: number | undefined;
  /** Typical gap: the posterior median gap, in open days. */
  readonly typicalGapOpenDays: number | undefined;
  /** Observed mean gap between purchase days, in calendar-equivalent days (open days ÷ open fraction: equal to calendar days without closures, not inflated by them). */
  readonly meanGapDays: number | undefined;
  /** Observed standard deviation of those gaps (needs 2 gaps). */
  readonly sdGapDays: number | undefined;
  /** Regularity: coefficient of variation of the gap under the posterior (log-normal: √(e^σ² − 1)). */
  readonly cv: number | undefined;
  /** Next purchase, median given no purchase up to asOf (with `asOfInProgress`: up to the day before, so it can be asOf). */
  readonly expectedNext: string | undefined;
  /** 10th percentile of the next purchase day given no purchase up to asOf (with `expectedNextP90`, the range around `expectedNext`). */
  readonly expectedNextP10: string | undefined;
  /** 90th percentile of the next purchase day given no purchase up to asOf. */
  readonly expectedNextP90: string | undefined;
  /** 10th percentile of the next purchase day (from the last order, unconditional). */
  readonly nextP10: string | undefined;
  /** Median next purchase day (from the last order, unconditional). */
  readonly nextP50: string | undefined;
  /** 90th percentile of the next purchase day (from the last order, unconditional). */
  readonly nextP90: string | undefined;
  /** P(a gap this long or shorter) under the customer's own rhythm: how overdue it is. */
  readonly overdueProbability: number | undefined;
  /** P(still a customer | silence so far), when an `alive` prior is given; else undefined. */
  readonly pAlive: number | undefined;
  /** Whole typical gaps elapsed without a purchase (0 when not late). */
  readonly missedOrders: number | undefined;
  /** Months (1..12) the customer is habitually closed. */
  readonly closedMonths: readonly number[];
  /** Weekdays (0 = Sunday) the customer is habitually closed. */
  readonly closedWeekdays: readonly number[];
  /** Share of calendar days the customer is open; gaps in open days ÷ this = the model's calendar-equivalent days. */
  readonly openFraction: number;
  /**
   * Seasonal intensity by month (index 0 = January; mean 1 over the open months; 1 for closed
   * months): the customer's own monthly buying profile (its history up to half a year before
   * its last purchase, in whole months: the first and last month of a history are left out)
   * shrunk to its segment's. An open day of month m counts as `monthlyIndex[m]` days on
   * the customer's clock, so a hotel is not "late" in its slow season.
   */
  readonly monthlyIndex: readonly number[];
  /** Posterior of the log gap (calendar-equivalent days). */
  readonly posterior: RhythmPosterior | undefined;
}

/** Posterior of a customer's log open-day gap and its predictive Student-t. */
export interface RhythmPosterior {
  /** Posterior mean of μ (log open days). */
  readonly mu: number;
  /** Posterior variance of μ. */
  readonly muVariance: number;
  /** Posterior mean of σ² (inverse-gamma). */
  readonly sigma2: number;
  /** Degrees of freedom of the predictive t (2aₙ). */
  readonly nu: number;
  /** Scale of the predictive t: √(σ² + Var μ). */
  readonly scale: number;
}

/**
 * The recalibration of the predictives' scale by a backtest: the model fitted 120 days back,
 * scored on its customers' next purchases since (docs/patterns.md, "Calibration by backtest").
 */
export interface PredictiveCalibration {
  /** The factor every predictive scale is multiplied by: `fitted` when the likelihood-ratio test rejects 1 at 1%, else 1. */
  readonly factor: number;
  /** The maximum-likelihood factor, in [0.5, 4]. */
  readonly fitted: number;
  /** Twice the log-likelihood gain of `fitted` over 1 (χ²₁ when the model is calibrated). */
  readonly lrStatistic: number;
  /** Next purchases scored (at most 1,000: every k-th one beyond; fewer than 30: factor 1). */
  readonly n: number;
  /** Customers with purchases the backtest refitted the model on (at most 1,000: every k-th customer beyond; its priors need hundreds, not thousands). */
  readonly customers: number;
  /** The backtest's as-of day, `YYYY-MM-DD`. */
  readonly backtestAsOf: string;
  /** Days from the backtest's as-of day to the model's. */
  readonly horizonDays: number;
}

/** The fitted interval model. */
export interface IntervalModel {
  /** As-of day, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Priors: company-wide first, then per segment. */
  readonly priors: readonly IntervalPrior[];
  /**
   * The business calendar's holidays the model counts as closed days (`calendar.holidays`,
   * `YYYY-MM-DD` ascending, 1950..2149); empty without. Read by `churnFeatures` to count the
   * horizon's open days on the model's calendar (a model built by hand may leave it out: none).
   */
  readonly holidays?: readonly string[] | undefined;
  /**
   * The backtest recalibration of every predictive's scale (`posterior.scale` includes its
   * factor); undefined with `calibrate: false` or less than 210 days of history.
   */
  readonly calibration?: PredictiveCalibration | undefined;
  /** Every customer with at least one purchase, in dictionary order. */
  readonly customers: readonly CustomerRhythm[];
  /**
   * One customer's rhythm.
   * @param customerId - the id
   * @returns its rhythm, or undefined when unknown
   */
  customer(customerId: string): CustomerRhythm | undefined;
}

interface GapStats {
  n: number;
  mean: number;
  ss: number;
}

/**
 * Each customer's own buying rhythm: a renewal model of the gaps between its purchase days,
 * log-normal (log-gaps ~ Normal(μ, σ²)), with priors estimated from its segment's customers
 * (empirical Bayes). The mean log-gap μ has a nonparametric grid prior (the NPMLE of the peers'
 * mean log-gaps by smoothed EM: Kiefer & Wolfowitz 1956, Laird 1978, Silverman et al. 1990), so a
 * yearly buyer among weekly peers is pulled only towards rhythms the peers really have; σ² has an
 * inverse-gamma prior whose mean follows the gap length. A single change-point mixture (Smith
 * 1975) lets a customer who slowed down be judged by its new rhythm. The next log-gap is
 * predicted by a Student-t with 2aₙ degrees of freedom and scale √(σ² + Var μ) (Gelman et al.,
 * Bayesian Data Analysis, 3rd ed., §3.3). A customer with two orders gets a wide answer near its
 * peers' rhythm; a clockwork customer gets its own. Gaps are measured in the customer's open
 * days: weekdays it never buys on, and the business calendar's weekend days and holidays, do
 * not count; months it is habitually closed in (from its own history, or from one silent year
 * when its segment's peers close then too: empirical Bayes) defer its orders to the reopening
 * week, so a customer closed every August is not overdue in August nor in its first week back. `overdueProbability` is the predictive CDF at
 * the open days elapsed since the last purchase. The math is in docs/patterns.md.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, calendar, minPriorCustomers, priorShape, changeHazard, changeScale, alive, calibrate, asOfInProgress
 * @returns the model
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitIntervalModel, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 30; w++) {
 *   const day = new Date(Date.UTC(2026, 0, 5 + 7 * w)); // every Monday
 *   orders.push({ order_id: `O${w}`, order_date: day, customer_id: "C1", product_id: "P", quantity: 1, unit_price: 5 });
 * }
 * const { dataset } = fromRowsSync({ orders });
 * const model = fitIntervalModel(dataset, { asOf: "2026-08-17" }); // 3 weeks after the last Monday
 * const c = model.customer("C1");
 * assert.equal(c?.status, "ok");
 * assert.ok((c?.overdueProbability ?? 0) > 0.9);
 * assert.ok((c?.missedOrders ?? 0) >= 2);
 * ```
 */
export function fitIntervalModel(dataset: Dataset, options?: IntervalModelOptions): IntervalModel {
  const fn = "fitIntervalModel";
  const o = optionsObject(options, fn, KEYS);
  checkDateLike(o, "asOf", fn);
  checkInt(o, "minPriorCustomers", 1, 1_000_000, fn);
  checkNumber(o, "priorShape", 1.01, 1000, fn);
  checkNumber(o, "changeHazard", 0, 0.5, fn);
  checkNumber(o, "changeScale", 0.01, 10, fn);
  checkFunction(o, "alive", fn);
  checkDataset(dataset, fn);
  const business = businessDays(o, fn, dataset.timeZone);
  checkEnum(o, "calibrate", [true, false], fn);
  checkEnum(o, "asOfInProgress", [true, false], fn);
  const opts = (options ?? {}) as IntervalModelOptions;
  const { asOf, view } = resolveAsOf(dataset, opts.asOf, undefined, fn);
  const calibration = opts.calibrate === false ? undefined : backtestCalibration(view, asOf, opts, business);
  return fitAt(view, asOf, opts, business, calibration).model!;
}

/** The per-customer state of a fit the backtest reads (indexed like the view's customers). */
interface FitState {
  days: number[][];
  closures: Closures[];
  posteriors: (RhythmPosterior | undefined)[];
}

/**
 * The interval model at `asOf` on `view`. With `calibration`, every predictive scale is
 * multiplied by its factor; with `stateOnly`, no rhythms are built and the per-customer state is
 * returned instead (the backtest's fit).
 */
function fitAt(given: Dataset, asOf: number, opts: IntervalModelOptions, givenBusiness: BusinessDays | undefined, calibration: PredictiveCalibration | undefined, stateOnly = false, stride = 1): { model?: IntervalModel; state?: FitState } {
  // (one purchase per order however the ERP dated its deliveries: rhythmView)
  const view = rhythmView(given);
  const { lines, customerStart, customerEnd, customers: table, ids } = view;
  // the holidays' share of days (the open fraction) over the data's years, not the list's
  const first = view.dayRange?.first;
  // the last day of the silence (silenceEnd): asOf, or with asOf in progress the day before (a
  // purchase today still counts: such a customer's silence is none). Every silence below is to
  // this day; only daysSinceLast counts calendar days to asOf, and missedOrders the open days before asOf
  const inProgress = !stateOnly && opts.asOfInProgress === true;
  const quiet = inProgress ? asOf - 1 : asOf; // (a customer's own: silenceEnd(last, asOf, inProgress))
  // (over the years up to `quiet`: on January 1 in progress the new year's holidays are not yet the data's)
  const business: BusinessDays | undefined = givenBusiness?.holidays === undefined || first === undefined ? givenBusiness : { ...givenBusiness, holidays: holidaysOver(givenBusiness.holidays, first, quiet) };
  const nC = customerEnd.length;

  // purchase days, closures and log calendar-equivalent gaps per customer
  const days: number[][] = new Array(nC);
  const closures: Closures[] = new Array(nC);
  const gaps: Float64Array[] = new Array(nC);
  const stats: GapStats[] = new Array(nC);
  const nS = ids.segments.size;
  const segPurchases = Array.from({ length: nS + 1 }, () => new Float64Array(12));
  const segExposure = Array.from({ length: nS + 1 }, () => new Float64Array(12));
  const counts: { p: Float64Array; e: Float64Array }[] = new Array(nC);
  const segOf = (c: number): number => (table.segment[c]! >= 0 ? table.segment[c]! : nS);
  const evidence = new Float64Array(nC * 12);
  const rates = new Float64Array(nC * 2);
  const group = new Int32Array(nC);
  // the per-customer work of each pass is in small top-level functions: called once per customer,
  // they are optimized after the first customers (a long loop in this function would wait for an
  // on-stack replacement of the whole function; docs/scaling.md)
  // with a stride, every k-th customer by its rank among the customers with a purchase in the
  // view (a position in the whole id list would move with customers the view cannot see:
  // prospects, customers whose first order comes after its as-of day; a customer with only
  // returns has no purchase either)
  let rank = 0;
  for (let c = 0; c < nC; c++) {
    const seen = hasPurchase(lines.quantity, customerStart[c]!, customerEnd[c]!);
    const d = seen && rank++ % stride === 0 ? purchaseDays(lines, customerStart[c]!, customerEnd[c]!) : [];
    days[c] = d;
    closures[c] = inferClosures(d, business, evidence.subarray(c * 12, c * 12 + 12), rates.subarray(c * 2, c * 2 + 2));
    group[c] = segOf(c);
  }
  // closures the customer's own history cannot show yet (one silent year), with its peers'; like
  // the seasonal clock, only with two years of data (with less, a cohort's decay looks like closures)
  // (the data's own span, first to last purchase line: counted to asOf, time passing in silence
  // switched the seasonal clock on, and a silent customer's overdue probability fell, 0.54 -> 0.45)
  const span = view.dayRange !== undefined ? view.dayRange.last - view.dayRange.first : -1;
  const twoYears = span >= 730;
  const shares = new Float64Array((nS + 1) * 12);
  const shared = twoYears ? peerClosures(evidence, group, nS + 1, PEER_CLOSURE_POSTERIOR, shares) : new Uint16Array(nC);
  // a year of data covers every month once: enough for the peers' closure shares that the
  // expected date weighs (not for closures of their own, which need two years)
  const oneYear = span >= 365;
  if (oneYear && !twoYears) peerClosures(evidence, group, nS + 1, PEER_CLOSURE_POSTERIOR, shares);
  for (let c = 0; c < nC; c++) {
    const d = days[c]!;
    const extra = shared[c]! & ~closures[c]!.months;
    if (extra !== 0) closures[c] = { ...closures[c]!, months: closures[c]!.months | extra };
    const p = new Float64Array(12), e = new Float64Array(12);
    // exposure ends at the last purchase: the current silence is for the renewal model to judge,
    // not evidence of a season (and a silent customer's clock must not change while it is silent)
    const lastDay = d.length ? d[d.length - 1]! : asOf;
    monthlyCounts(d, lastDay, closures[c]!, p, e);
    const s = segOf(c);
    for (let m = 0; m < 12; m++) {
      segPurchases[s]![m]! += p[m]!;
      segExposure[s]![m]! += e[m]!;
    }
    // the customer's own profile leaves out its last half year: a recent change of rhythm
    // (a frequency drop) must not be learned as "this customer buys less in these months"
    const lagged = d.filter((x) => x <= lastDay - PROFILE_LAG_DAYS);
    monthlyCounts(lagged, lastDay - PROFILE_LAG_DAYS, closures[c]!, p, e);
    counts[c] = { p, e };
  }
  // seasonal intensity: each segment's monthly profile (pooled, shrunk to flat), each
  // customer's shrunk to its segment's (Poisson-gamma), so a customer's clock runs faster in
  // the months it buys more (a hotel in summer, a yearly buyer in its month)
  const flat = new Float64Array(12).fill(1);
  // a season needs two years of data: with less, a cohort's decay (CDNOW) looks like one
  const seasonal = twoYears;
  const segProfile = segPurchases.map((p, s) => (seasonal ? shrunkIntensity(p, segExposure[s]!, flat, SEGMENT_SEASON_PSEUDO, 0) : flat));
  for (let c = 0; c < nC; c++) {
    const d = days[c]!;
    const cl0 = closures[c]!;
    const intensity = seasonal ? shrunkIntensity(counts[c]!.p, counts[c]!.e, segProfile[segOf(c)]!, CUSTOMER_SEASON_PSEUDO, cl0.months) : undefined;
    const cl: Closures = intensity ? { ...cl0, intensity } : cl0;
    closures[c] = cl;
    const ys = logGaps(d, cl);
    gaps[c] = ys;
    stats[c] = gapStats(ys);
  }

  // σ² priors (inverse-gamma, method of moments): company-wide, then per segment
  const a0 = opts.priorShape ?? 3;
  const minPrior = opts.minPriorCustomers ?? 10;
  const hazard = opts.changeHazard ?? 0.01;
  const jump = (opts.changeScale ?? 0.7) ** 2;
  // every customer and each segment's customers, ascending, listed in one pass (a pass over every
  // customer per segment made the fit segments × customers: 16,000 customers in 16,000 segments
  // took 3.1 s, now 0.37 s)
  const everyone = Array.from({ length: nC }, (_, c) => c);
  const companyVar = estimateVariancePrior(stats, everyone, a0);
  const members: number[][] = Array.from({ length: ids.segments.size }, () => []);
  for (let c = 0; c < nC; c++) {
    const g = table.segment[c]!;
    if (g >= 0) members[g]!.push(c);
  }
  const segVar = new Map<number, VariancePrior>();
  for (let s = 0; s < ids.segments.size; s++) {
    const p = estimateVariancePrior(stats, members[s]!, a0, companyVar);
    if (p.customers >= minPrior) segVar.set(s, p);
  }
  const varianceOf = (c: number): VariancePrior => segVar.get(table.segment[c]!) ?? companyVar;
  const yearVar = yearCycleVariance(days);

  // each customer's current regime(s) and the summary its mean log-gap prior is fitted from
  const fits: CustomerFit[] = new Array(nC);
  const obs: (GridObservation | undefined)[] = new Array(nC);
  for (let c = 0; c < nC; c++) {
    const s = stats[c]!;
    const vp = varianceOf(c);
    const yearScale = yearVar.within !== undefined && yearVar.customers[c] === 1 ? (vp.a0 - 1) * yearVar.within : undefined;
    const fit = fitRegimes(gaps[c]!, s, vp, yearScale, a0, hazard, jump);
    fits[c] = fit;
    if (s.n > 0) obs[c] = regimeSummary(fit);
  }

  // grid priors of the mean log-gap: company-wide, then per segment centred on the company's
  const companyGrid = fitGrid(collect(obs, everyone));
  const priors: IntervalPrior[] = [priorOf(null, companyVar, companyGrid)];
  const gridBySegment = new Map<number, Float64Array>();
  for (let s = 0; s < ids.segments.size; s++) {
    const segObs = collect(obs, members[s]!);
    if (segObs.length < minPrior) continue;
    const g = fitGrid(segObs, companyGrid, SEGMENT_PSEUDO_CUSTOMERS);
    gridBySegment.set(s, g);
    priors.push(priorOf(ids.segments.values[s]!, segVar.get(s) ?? companyVar, g));
  }

  const factor = calibration?.factor ?? 1;
  const posteriorAt = (c: number): RhythmPosterior => {
    const grid = gridBySegment.get(table.segment[c]!) ?? companyGrid;
    const anchor = yearVar.between !== undefined && yearVar.customers[c] === 1 ? yearVar.between : undefined;
    const post = posteriorOf(fits[c]!, grid, varianceOf(c), anchor);
    return factor === 1 ? post : { ...post, scale: post.scale * factor };
  };
  if (stateOnly) {
    const posteriors: (RhythmPosterior | undefined)[] = new Array(nC);
    for (let c = 0; c < nC; c++) posteriors[c] = days[c]!.length >= 2 ? posteriorAt(c) : undefined;
    return { state: { days, closures, posteriors } };
  }

  // for the expected date only: the calendar month that ended in the last REOPENING_DAYS days,
  // silent since the customer's last purchase, is a closure when its peers' share and the
  // customer's evidence, this silence included, make the posterior at least 0.5. The overdue
  // probability leaves the current silence out (a silent customer's clock must not change while
  // it is silent), so this moves only the expected next order, to the reopening week
  const dom = civilFromEpochDay(quiet)[2];
  const prevEnd = quiet - dom; // the previous month's last day
  const prevMonth = monthOf(prevEnd);
  const prevStart = prevEnd - civilFromEpochDay(prevEnd)[2] + 1;
  /** ln P(customer c's silences in month m | open): its past silent months m (none: 0), and `days` silent days of m now at its open rate. */
  const silenceLogChance = (c: number, m: number, days: number): number => {
    const past = evidence[c * 12 + m]!;
    const k = rates[c * 2]!, open = rates[c * 2 + 1]!;
    return (Number.isNaN(past) ? 0 : past) + (days > 0 && open > 0 ? silentLogChance(k, open, days) : 0);
  };
  const justClosed = (c: number, last: number): number => {
    if (dom > REOPENING_DAYS || prevStart <= last || closures[c]!.months & (1 << prevMonth)) return 0;
    if (evidence[c * 12 + prevMonth]! > 0 || !(rates[c * 2 + 1]! > 0)) return 0;
    const lnQ = silenceLogChance(c, prevMonth, prevEnd - prevStart + 1);
    const pi = shares[segOf(c) * 12 + prevMonth]!;
    return pi > 0 && pi < 1 && closedPosterior(pi, lnQ, PEER_CLOSURE_POSTERIOR) ? 1 << prevMonth : 0;
  };
  // for the expected date only: for a month the customer is not known to close, the posterior
  // that it does (the peers' share π as the prior, its own silences in that month as evidence;
  // π alone when it was never a customer through that month; 0 when it bought in it)
  const excess = new Float64Array(shares.length);
  for (let g = 0; g <= nS; g++) {
    const row = Array.from(shares.subarray(g * 12, g * 12 + 12)).sort((a, b) => a - b);
    const med = (row[5]! + row[6]!) / 2;
    for (let m = 0; m < 12; m++) excess[g * 12 + m] = med < 1 ? Math.max(0, (shares[g * 12 + m]! - med) / (1 - med)) : 0;
  }
  const nowMonth = monthOf(quiet), nowStart = quiet - dom + 1;
  /** Customer c's chance of being closed in month m (asked only for the month its expected date falls in). */
  const closeChance = (c: number, last: number) => (m: number): number => {
    if (closures[c]!.months & (1 << m)) return 0;
    // the month's excess silence over the group's typical month (a decaying cohort is silent in
    // every month alike; a closure month stands out)
    const pi = excess[segOf(c) * 12 + m]!;
    if (!(pi > 0) || evidence[c * 12 + m] === 1) return 0;
    // this month's silence so far is evidence too; with one year of data only it counts: a
    // single year's month shares also carry a young customer base's growth and decay (CDNOW)
    const now = m === nowMonth && last < nowStart;
    if (!twoYears && !now) return 0;
    return closedProbability(pi, silenceLogChance(c, m, now ? quiet - nowStart + 1 : 0));
  };
  const out: CustomerRhythm[] = [];
  const index = new Map<string, number>();
  for (let c = 0; c < nC; c++) {
    const d = days[c]!;
    if (d.length === 0) continue;
    const id = ids.customers.values[c]!;
    const post = posteriorAt(c);
    index.set(id, out.length);
    const last = d[d.length - 1]!;
    out.push(rhythm(id, d, closures[c]!, stats[c]!, post, silenceEnd(last, asOf, inProgress), asOf, opts.alive, twoYears ? justClosed(c, last) : 0, oneYear ? closeChance(c, last) : undefined));
  }
  const model: IntervalModel = {
    asOf: formatDay(asOf),
    priors,
    holidays: business?.holidays === undefined ? [] : Array.from(business.holidays.days, formatDay),
    calibration,
    customers: out,
    customer: (customerId: string) => {
      const k = index.get(customerId);
      return k === undefined ? undefined : out[k];
    },
  };
  return { model };
}

/** Days back from the as-of day to the backtest's as-of day. */
const CALIBRATION_HORIZON_DAYS = 120;
/** Days of history the backtest's as-of day needs after the first order. */
const CALIBRATION_MIN_HISTORY_DAYS = 90;
/** Customers with purchases the backtest refits the model on, at most (every k-th customer beyond). */
const CALIBRATION_MAX_CUSTOMERS = 1000;
/** Held-out next orders the scale factor is fitted from, at most (every k-th one beyond). */
const CALIBRATION_MAX_ORDERS = 1000;

/**
 * The backtest behind the predictive scale: the model as of 120 days before `asOf`, each of its
 * customers' next purchase in the 120 days after (customers with a closed month left out: their
 * clock stands), scored under the predictive given the silence then and the purchase by `asOf`
 * (the truncation the backtest imposes), and the scale factor fitted to those (see
 * `predictiveScaleFactor`). Beyond 1,000 customers with purchases the backtest refits on every
 * k-th of them. Undefined with too little history.
 */
function backtestCalibration(view: Dataset, asOf: number, opts: IntervalModelOptions, business: BusinessDays | undefined): PredictiveCalibration | undefined {
  const first = view.dayRange?.first;
  const tau = asOf - CALIBRATION_HORIZON_DAYS;
  if (first === undefined || tau - first < CALIBRATION_MIN_HISTORY_DAYS) return undefined;
  // (the whole view's purchase days first: the backtest's view at τ is then cut from them)
  const whole = rhythmView(view);
  const inner = resolveAsOf(view, tau);
  let active = 0;
  for (let c = 0; c < inner.view.customerEnd.length; c++) if (hasPurchase(inner.view.lines.quantity, inner.view.customerStart[c]!, inner.view.customerEnd[c]!)) active++;
  // its priors need hundreds of customers, not thousands: every k-th beyond CALIBRATION_MAX_CUSTOMERS
  const stride = Math.max(1, Math.ceil(active / CALIBRATION_MAX_CUSTOMERS));
  const { days, closures, posteriors } = fitAt(inner.view, tau, opts, business, undefined, true, stride).state!;
  // its first purchase after τ, on the purchase days of the whole view (a later delivery of an
  // order started by τ is no purchase after τ)
  const { lines, customerStart, customerEnd } = whole;
  const z: number[] = [], lo: number[] = [], hi: number[] = [], nu: number[] = [];
  for (let c = 0; c < customerEnd.length; c++) {
    const post = posteriors[c];
    if (post === undefined || closures[c]!.months !== 0) continue;
    let next = NO_DAY;
    for (let i = upperBound(lines.day, tau, customerStart[c]!, customerEnd[c]!); i < customerEnd[c]!; i++) {
      if (lines.quantity[i]! > 0) {
        next = lines.day[i]!;
        break;
      }
    }
    if (next === NO_DAY) continue;
    const d = days[c]!;
    const last = d[d.length - 1]!;
    const dc = dayClosures(closures[c]!);
    const f = openFraction(dc, closures[c]!.months);
    const std = (open: number): number => (open > 0 ? (Math.log(open / f) - post.mu) / post.scale : -Infinity);
    z.push(std(Math.max(1, openDaysBetween(last, next, dc))));
    // the truncation on whole days (wholeDayCdf): a gap longer than the silence at τ and at most
    // the silence at asOf, X ∈ (e_τ + ½, e_asOf + ½]
    const eTau = openDaysBetween(last, tau, dc);
    lo.push(eTau > 0 ? std(eTau + 0.5) : -Infinity);
    hi.push(std(openDaysBetween(last, asOf, dc) + 0.5));
    nu.push(post.nu);
  }
  const every = Math.max(1, Math.ceil(z.length / CALIBRATION_MAX_ORDERS));
  const pick = (xs: number[]): Float64Array => Float64Array.from(xs.filter((_, k) => k % every === 0));
  let customers = 0;
  for (const d of days) if (d.length > 0) customers++;
  return { ...predictiveScaleFactor(pick(z), pick(lo), pick(hi), pick(nu)), customers, backtestAsOf: formatDay(tau), horizonDays: CALIBRATION_HORIZON_DAYS };
}

/** A customer's purchase days (distinct days with a positive line, ascending) from its lines [lo, hi). */
function purchaseDays(lines: Dataset["lines"], lo: number, hi: number): number[] {
  const d: number[] = [];
  for (let i = lo; i < hi; i++) {
    if (lines.quantity[i]! <= 0) continue;
    const day = lines.day[i]!;
    if (d.length === 0 || d[d.length - 1] !== day) d.push(day);
  }
  return d;
}

/** Count, mean and sum of squared deviations of the log-gaps (Welford). */
function gapStats(ys: Float64Array): GapStats {
  let n = 0, mean = 0, ss = 0;
  for (const y of ys) {
    n++;
    const delta = y - mean;
    mean += delta / n;
    ss += delta * (y - mean); // Welford
  }
  return { n, mean, ss };
}

/**
 * A customer's current regime(s) of the mean log-gap (the change-point posterior) and each
 * regime's σ² estimate. `yearScale`: the σ² prior scale of a year-cycle customer (from the pooled
 * year-like gaps); undefined for everyone else, whose scale comes from the variance line of its
 * peer group.
 */
function fitRegimes(ys: Float64Array, s: GapStats, vp: VariancePrior, yearScale: number | undefined, a0: number, hazard: number, jump: number): CustomerFit {
  const scaleOf = (ybar: number | undefined): number => yearScale ?? priorScale(vp, ybar);
  const a = a0 + s.n / 2;
  // a robust within-regime variance for the change-point test: successive differences are
  // not inflated by a change of level (von Neumann's mean square successive difference)
  let msd = 0;
  for (let j = 1; j < ys.length; j++) msd += (ys[j]! - ys[j - 1]!) ** 2;
  const robustSs = ys.length > 1 ? Math.min(s.ss, msd / 2) : s.ss;
  const sigmaTest = (scaleOf(s.n > 0 ? s.mean : undefined) + robustSs / 2) / (a - 1);
  const rs = hazard > 0 && s.n > 0 ? regimes(ys, sigmaTest, hazard, jump) : [{ weight: 1, start: 0, n: s.n, mean: s.mean, within: s.ss }];
  const sigmas = rs.map((r) => (scaleOf(r.n > 0 ? r.mean : undefined) + r.within / 2) / (a - 1));
  return { regimes: rs, sigmas, nu: 2 * a };
}

/** The mean log-gap's mean and variance over a customer's regimes (its observation for the grid prior). */
function regimeSummary(fit: CustomerFit): GridObservation {
  const rs = fit.regimes;
  let m = 0, m2 = 0;
  for (let k = 0; k < rs.length; k++) {
    const r = rs[k]!;
    m += r.weight * r.mean;
    m2 += r.weight * (fit.sigmas[k]! / r.n + r.mean * r.mean);
  }
  return { mean: m, variance: Math.max(1e-8, m2 - m * m) };
}

/**
 * Log calendar-equivalent gaps: open days (closed weekdays and holidays removed) divided by the
 * open fraction, so every customer shares one scale. Closed months defer orders rather than
 * pause the clock (an order due in a closed August comes when the customer reopens), so a gap
 * spanning a closed month is deferral-stretched: it is left out, unless such gaps are more than
 * a third of the customer's (a yearly or seasonal buyer), then kept in calendar days.
 */
function logGaps(d: readonly number[], cl: Closures): Float64Array {
  const dc = dayClosures(cl);
  const f = openFraction(dc, cl.months);
  const ys: number[] = [];
  for (const k of fittedGaps(d, cl)) ys.push(Math.log(Math.max(1, openDaysBetween(d[k - 1]!, d[k]!, dc)) / f));
  return Float64Array.from(ys);
}

/**
 * The gaps the model fits, as the index k of each gap's closing purchase d[k]: every gap, but
 * those across a closed month when they are at most a third of them (a gap across a closure is
 * the closure's length, not the customer's rhythm).
 */
function fittedGaps(d: readonly number[], cl: Closures): number[] {
  let spanning = 0;
  if (cl.months !== 0) for (let k = 1; k < d.length; k++) if (spansClosedMonth(d[k - 1]!, d[k]!, cl)) spanning++;
  const skip = spanning > 0 && 3 * spanning <= d.length - 1;
  const ks: number[] = [];
  for (let k = 1; k < d.length; k++) if (!skip || !spansClosedMonth(d[k - 1]!, d[k]!, cl)) ks.push(k);
  return ks;
}

/** Days before its last purchase left out of a customer's own monthly profile. */
const PROFILE_LAG_DAYS = 182;
/** Pseudo-purchases pulling a segment's monthly profile to flat. */
const SEGMENT_SEASON_PSEUDO = 20;
/** Pseudo-purchases pulling a customer's monthly profile to its segment's. */
const CUSTOMER_SEASON_PSEUDO = 50;

/** Pseudo-customers of the company prior in a segment's grid prior (a small segment is the company's prior, adjusted). */
const SEGMENT_PSEUDO_CUSTOMERS = 20;

interface VariancePrior {
  customers: number;
  a0: number;
  b0: number;
  mu0: number;
  varianceSlope: number;
  logVarianceRange: [number, number];
}

interface CustomerFit {
  regimes: Regime[];
  sigmas: number[];
  nu: number;
}

/** The observations of `members` (ascending customer indices). */
function collect(obs: readonly (GridObservation | undefined)[], members: readonly number[]): GridObservation[] {
  const out: GridObservation[] = [];
  for (const c of members) if (obs[c]) out.push(obs[c]!);
  return out;
}

function priorOf(segment: string | null, v: VariancePrior, grid: Float64Array): IntervalPrior {
  const m = gridPosterior(grid, 0, Infinity);
  return {
    segment,
    customers: v.customers,
    mu0: m.mean,
    tau2: m.variance,
    grid: { from: gridPoint(0), step: gridPoint(1) - gridPoint(0), weights: Array.from(grid) },
    a0: v.a0,
    b0: v.b0,
    varianceSlope: v.varianceSlope,
    logVarianceRange: v.logVarianceRange,
  };
}

/**
 * Posterior of μ (mixed over the regimes, each under the grid prior) and the plug-in σ². With
 * `yearAnchor` (a year-cycle customer: the between-customer variance of year cycles) μ's prior
 * is instead Normal(ln 365.25, yearAnchor): the calendar year, conjugate.
 */
function posteriorOf(fit: CustomerFit, grid: Float64Array, vp: VariancePrior, yearAnchor?: number): RhythmPosterior {
  const rs = fit.regimes;
  if (rs.length === 1 && rs[0]!.n === 0) {
    const m = gridPosterior(grid, 0, Infinity);
    const sigma2 = vp.b0 / (vp.a0 - 1);
    return { mu: m.mean, muVariance: m.variance, sigma2, nu: fit.nu, scale: Math.sqrt(sigma2 + m.variance) };
  }
  let mu = 0, m2 = 0, sigma2 = 0;
  for (let k = 0; k < rs.length; k++) {
    const r = rs[k]!;
    const v = fit.sigmas[k]! / r.n;
    const p = yearAnchor === undefined ? gridPosterior(grid, r.mean, v) : normalPosterior(Math.log(YEAR_DAYS), yearAnchor, r.mean, v);
    mu += r.weight * p.mean;
    m2 += r.weight * (p.variance + p.mean * p.mean);
    sigma2 += r.weight * fit.sigmas[k]!;
  }
  const muVariance = Math.max(0, m2 - mu * mu);
  return { mu, muVariance, sigma2, nu: fit.nu, scale: Math.sqrt(sigma2 + muVariance) };
}

/** Method-of-moments inverse-gamma prior of the log-gap variance from the customers of `members` (ascending) with >= 3 gaps; falls back to `fallback` or a weak default. */
function estimateVariancePrior(stats: readonly GapStats[], members: readonly number[], a0: number, fallback?: VariancePrior): VariancePrior {
  const means: number[] = [];
  const vars: number[] = [];
  for (const c of members) {
    const s = stats[c]!;
    if (s.n < 3) continue;
    means.push(s.mean);
    vars.push(s.ss / (s.n - 1));
  }
  const k = means.length;
  if (k < 3) {
    if (fallback) return { ...fallback, customers: k };
    // weak default: log-gap variance 0.5
    return { customers: k, a0, b0: (a0 - 1) * 0.5, mu0: Math.log(30), varianceSlope: 0, logVarianceRange: [Math.log(0.5), Math.log(0.5)] };
  }
  // the log-gap variance falls with the gap length (measured: 0.5 at a few days, 0.13 at one to
  // three months on the synthetic data; 1.5 to 0.4 on CDNOW), so the σ² prior follows a
  // least-squares line of ln s² on the customer's mean log-gap, kept within the observed range
  const mx = avg(means);
  const logVars = vars.map((v) => Math.log(Math.max(1e-4, v)));
  const my = avg(logVars);
  let sxy = 0, sxx = 0;
  for (let j = 0; j < k; j++) {
    sxy += (means[j]! - mx) * (logVars[j]! - my);
    sxx += (means[j]! - mx) ** 2;
  }
  const slope = sxx > 1e-9 ? sxy / sxx : 0;
  const sorted = [...logVars].sort((x, y) => x - y);
  const range: [number, number] = [sorted[Math.floor(0.05 * (k - 1))]!, sorted[Math.ceil(0.95 * (k - 1))]!];
  const sigma2 = Math.exp(Math.min(range[1], Math.max(range[0], my)));
  return { customers: k, a0, b0: (a0 - 1) * sigma2, mu0: mx, varianceSlope: slope, logVarianceRange: range };
}

/** Conjugate normal posterior of a mean: prior Normal(m0, v0), observed mean `y` with sampling variance `v`. */
function normalPosterior(m0: number, v0: number, y: number, v: number): { mean: number; variance: number } {
  const variance = 1 / (1 / v0 + 1 / v);
  return { mean: variance * (m0 / v0 + y / v), variance };
}

/**
 * Posterior probability of a closure, with the peers' share as the prior, at which a silent month
 * counts as closed (the Bayes decision for equal costs: a missed closure sends false overdue alerts
 * in that month, a false one delays alerts until the reopening).
 */
const PEER_CLOSURE_POSTERIOR = 0.5;

/** One turn of the calendar year, in days. */
const YEAR_DAYS = 365.25;
/** Calendar gaps within [YEAR_LOW, YEAR_HIGH] x one year are read as one turn of the year. */
const YEAR_LOW = 0.8;
const YEAR_HIGH = 1.25;
/** Year-cycle customers needed before their pooled variance replaces the variance line. */
const YEAR_MIN_CUSTOMERS = 5;

/**
 * Year-cycle customers and their pooled variances. A customer is year-cycle when each of its last
 * (up to 3) calendar gaps is within 0.8..1.25 years. Such customers rarely have the 3 gaps the
 * variance line is fitted from (extrapolated to a year it says ±20 %), and the grid prior is too
 * coarse at a year (±6 %) to pull a customer towards it. But a yearly order is tied to the
 * calendar (a stocktake, an annual contract), so each year-like gap's deviation from 365.25 days
 * is a draw of year-cycle noise: V = median(ln²(gap / 365.25)) / 0.4549 (robust; 0.4549 is the
 * median of χ²₁), pooled over the year-like gaps. V holds two parts: the within-customer variance
 * σ²_w (the prior centre of the customer's σ²) and the between-customer variance τ² of the
 * customers' own cycles around one year (the prior variance of μ around ln 365.25). Customers
 * with two year-like gaps measure σ²_w from successive differences, median((Δ ln gap)²) / 0.4549 / 2;
 * with fewer than YEAR_MIN_CUSTOMERS of them the split is unknown and taken as half and half.
 * Both undefined with fewer than YEAR_MIN_CUSTOMERS year-cycle customers.
 */
function yearCycleVariance(days: readonly (readonly number[])[]): { within: number | undefined; between: number | undefined; customers: Uint8Array } {
  const customers = new Uint8Array(days.length);
  const dev: number[] = [];
  const diff: number[] = [];
  let k = 0, k2 = 0;
  for (let c = 0; c < days.length; c++) {
    const d = days[c]!;
    if (d.length < 2) continue;
    const from = Math.max(1, d.length - 3);
    let ok = true;
    for (let j = from; j < d.length; j++) {
      const g = d[j]! - d[j - 1]!;
      if (g < YEAR_LOW * YEAR_DAYS || g > YEAR_HIGH * YEAR_DAYS) ok = false;
    }
    if (!ok) continue;
    customers[c] = 1;
    k++;
    for (let j = from; j < d.length; j++) dev.push(Math.log((d[j]! - d[j - 1]!) / YEAR_DAYS) ** 2);
    if (d.length - from >= 2) {
      k2++;
      for (let j = from + 1; j < d.length; j++) diff.push(Math.log((d[j]! - d[j - 1]!) / (d[j - 1]! - d[j - 2]!)) ** 2);
    }
  }
  if (k < YEAR_MIN_CUSTOMERS) return { within: undefined, between: undefined, customers };
  const total = Math.max(2e-4, median(dev) / 0.4549);
  const within = k2 >= YEAR_MIN_CUSTOMERS ? Math.min(total / 1.05, Math.max(1e-4, median(diff) / 0.4549 / 2)) : total / 2;
  return { within, between: Math.max(total - within, total * 0.05), customers };
}

/** The σ² prior scale for a customer whose mean log-gap is `ybar` (the prior's at its centre without gaps). */
function priorScale(p: VariancePrior, ybar: number | undefined): number {
  if (ybar === undefined || p.varianceSlope === 0) return p.b0;
  const base = Math.log(p.b0 / (p.a0 - 1));
  const at = Math.min(p.logVarianceRange[1], Math.max(p.logVarianceRange[0], base + p.varianceSlope * (ybar - p.mu0)));
  return (p.a0 - 1) * Math.exp(at);
}

/** The standard Student-t's 10% and 90% quantiles by degrees of freedom (a handful of distinct ν per fit). */
const decileCache = new Map<number, number>();

/** studentTQuantile(q, ν) for q = 0.1 or 0.9, from the cache (the 90% quantile is minus the 10%). */
function standardQuantile(q: number, nu: number): number {
  let lower = decileCache.get(nu);
  if (lower === undefined) {
    lower = studentTQuantile(0.1, nu);
    if (decileCache.size > 4096) decileCache.clear();
    decileCache.set(nu, lower);
  }
  return q === 0.1 ? lower : -lower;
}

/** The expected next order is the median given an order within max(this many days, … */
const EXPECTED_REACH_DAYS = 365;
/** … this many typical gaps) after the silence so far. */
const EXPECTED_REACH_GAPS = 2;

/** One customer's rhythm; `asOf` is the last day of its silence (fitAt's `quiet`, or its last purchase when later), `modelAsOf` the model's (daysSinceLast and missedOrders count to it). */
function rhythm(
  customerId: string,
  d: readonly number[],
  cl: Closures,
  s: GapStats,
  post: RhythmPosterior,
  asOf: number,
  modelAsOf: number,
  alive: IntervalModelOptions["alive"],
  justClosed = 0,
  closeChance?: (month: number) => number,
): CustomerRhythm {
  const last = d[d.length - 1]!;
  const { mu, sigma2, nu, scale } = post;
  // the model works in calendar-equivalent days (open days / open fraction); closed months
  // defer: during one, the clock stands at its start, and a date falling in one moves to the
  // reopening
  const dc = dayClosures(cl);
  const f = openFraction(dc, cl.months);
  // P(gap ≤ a silence of `days`, each day over): the predictive read on whole days (wholeDayCdf)
  const cdf = (days: number): number => wholeDayCdf(mu, scale, nu, days, f);
  const quantile = (q: number): number => Math.exp(mu + scale * (q === 0.1 || q === 0.9 ? standardQuantile(q, nu) : studentTQuantile(q, nu)));
  // the clock stands during a closed month and through the week after it: an order that fell due
  // while the customer was closed comes when it reopens, so it is not late in its reopening week
  const clockOf = (c: Closures): number => standingClock(last, asOf, c);
  const clock = clockOf(cl);
  const elapsedOpen = openDaysBetween(last, clock, dc);
  const elapsed = elapsedOpen / f;
  const overdue = cdf(elapsed);
  // the expected date may also count a month that just ended in silence as a closure (the
  // silence itself is evidence, see fitIntervalModel); the overdue probability does not
  const clPred: Closures = justClosed === 0 ? cl : { ...cl, months: cl.months | justClosed };
  const elapsedPred = clPred === cl ? elapsed : openDaysBetween(last, clockOf(clPred), dc) / f;
  const pPred = clPred === cl ? overdue : cdf(elapsedPred);
  const typical = Math.exp(mu);
  // the q-quantile of the next gap given it is longer than the elapsed open days e and comes within
  // the rhythm's reach R (the next year, or two typical gaps when longer), F⁻¹(p + (F(e + R) − p) q)
  // with p = F(e); beyond the predictive's numerical reach: the next open day. Past R the log-t's
  // tail holds slow buyers and customers who left alike (a churn question, P(alive)'s); left in,
  // it put the expected date of every long-silent customer years out
  const reach = Math.max(EXPECTED_REACH_DAYS, EXPECTED_REACH_GAPS * typical);
  const topPred = cdf(elapsedPred + reach);
  // far into the tail (1 − F under 1e-6) the same quantile from the upper tail, where 1 − F rounds
  // to 0 and S does not: S⁻¹(s), s = S(e) − (S(e) − S(e + R)) q, is exp(μ − scale · t⁻¹(s)) by the
  // t's symmetry. Read from F, a silent customer's expected date fell back to the next open day
  // once F rounded to 1 (it jumped back a week and its 10-90 % range collapsed to one day; a review)
  const sPred = 1 - pPred > 1e-6 ? Number.NaN : wholeDaySurvival(mu, scale, nu, elapsedPred, f);
  const sTop = Number.isNaN(sPred) ? Number.NaN : wholeDaySurvival(mu, scale, nu, elapsedPred + reach, f);
  const quantileAfter = (q: number): number => {
    if (Number.isNaN(sPred)) return topPred - pPred <= 1e-12 ? elapsedPred + 1 / f : quantile(pPred + (topPred - pPred) * q);
    const span = sPred - sTop;
    return sPred > 0 && span > 1e-12 * sPred ? Math.exp(mu - scale * studentTQuantile(sPred - span * q, nu)) : elapsedPred + 1 / f;
  };
  const conditionalMedian = quantileAfter(0.5);
  const dateAfter = (days: number, notBefore: number): number => reopening(Math.max(addOpenDays(last, Math.max(1, Math.round(days * f)), dc), notBefore), cl);
  // the expected next order: an order falling due in a closed month comes in the reopening week,
  // spread over its days, so the middle of what is left of that week
  const expectedDay = (days: number, notBefore: number, c: Closures): number => {
    const raw = addOpenDays(last, Math.max(1, Math.round(days * f)), dc);
    if (c.months === 0 || (c.months & (1 << monthOf(raw))) === 0) return reopening(Math.max(raw, notBefore), c);
    const open = reopening(raw, c);
    const end = open + REOPENING_DAYS - 1;
    const from = Math.max(open, notBefore);
    // the middle open day of [from, end] (a customer open on Mondays only has one); past the
    // week only when none is left
    const wc = dayClosures(c);
    let nOpen = 0;
    for (let day = from; day <= end; day++) if (isOpen(day, wc)) nOpen++;
    if (nOpen === 0) return reopening(from, c);
    for (let day = from, k = (nOpen - 1) >> 1; ; day++) if (isOpen(day, wc) && k-- === 0) return day;
  };
  const openDate = (days: number): string => formatDay(dateAfter(days, last + 1));
  let next = expectedDay(conditionalMedian, asOf + 1, clPred);
  if (closeChance !== undefined) {
    // the date falls in a month the customer may close (posterior w): the median of the mixture
    // of "open" (the date as it is) and "closed" (the month's orders deferred to its reopening week)
    const m = monthOf(next);
    const w = clPred.months & (1 << m) ? 0 : closeChance(m);
    if (w > 0) {
      const start = next - civilFromEpochDay(next)[2] + 1;
      const end = nextMonthStart(next) - 1;
      // conditional CDF of the next order day, given none up to asOf (open clock); beyond the
      // predictive's numerical reach all of it is on the next day, as for the median
      const tail = topPred - pPred;
      const G = (day: number): number => (day <= asOf ? 0 : tail <= 1e-12 ? 1 : Math.min(1, Math.max(0, (cdf(openDaysBetween(last, day, dc) / f) - pPred) / tail)));
      const gs = start - 1 <= asOf ? 0 : G(start - 1), ge = G(end);
      const level = (0.5 - w * gs) / (1 - w);
      // only days the customer is open on (its closed weekdays and the calendar's weekend)
      const wc = dayClosures(clPred);
      if (level <= ge) {
        // in the month: the open predictive at the level that makes the mixture 1/2 (else the
        // month's last open day)
        if (level > 0.5) {
          const day = expectedDay(quantileAfter(level), asOf + 1, clPred);
          if (day <= end) next = day;
          // (a walk back over the last 7 days ended on a closed day when their one open weekday
          // was a holiday; none left after asOf in the month: the first open day after it)
          else next = lastOpenDayIn(Math.max(start, asOf + 1), end, wc) ?? reopening(end + 1, clPred);
        }
      } else {
        // in the reopening week: the closed part's deferred orders spread evenly over its 7 days;
        // the first open day where the mixture reaches 1/2, else the first open day after the week
        const open = reopening(end + 1, clPred);
        const g7 = G(open + REOPENING_DAYS - 1);
        let found = false;
        for (let d = Math.max(open, asOf + 1); d < open + REOPENING_DAYS; d++) {
          if (!isOpen(d, wc)) continue;
          const mix = (1 - w) * G(d) + w * (gs + ((g7 - gs) * (d - open + 1)) / REOPENING_DAYS);
          if (mix >= 0.5) {
            next = d;
            found = true;
            break;
          }
        }
        // (a walk of 7 days ended on a closed day when their one open weekday was a holiday)
        if (!found) next = reopening(Math.max(open + REOPENING_DAYS, asOf + 1), clPred);
      }
    }
  }
  // observed gaps count open days as days: the seasonal clock's monthly weights (dc.intensity) are
  // the model's, not the observation's (a Monday-only buyer's gaps of exactly 7 days read 7.15 ± 0.20
  // with two years of data, and its items' dates, stepped by the mean gap, left Mondays)
  // (and they are the gaps the model fits: one across a closed month is left out as there; a
  // Monday buyer closed every winter read "every 12±26 days, lately every 7" before 2026-12-07)
  const plain: Closures = dc.intensity === undefined ? dc : { ...dc, intensity: undefined };
  const calendarGaps: number[] = [];
  for (const k of fittedGaps(d, cl)) calendarGaps.push(f === 1 ? d[k]! - d[k - 1]! : Math.max(1, openDaysBetween(d[k - 1]!, d[k]!, plain)) / f);
  const { mean: meanGap, sd: sdGap } = gapMoments(calendarGaps);
  // a host's prior outside [0, 1] (NaN, 1.5) is no prior: pAlive read NaN or 7
  const given = alive?.(customerId);
  const prior = typeof given === "number" && given >= 0 && given <= 1 ? given : undefined;
  // P(no order yet | alive), from the upper tail (1 − overdue loses it when overdue rounds to 1);
  // Bayes with the prior, which stays as it is when the silence is beyond numerical reach
  const survive = wholeDaySurvival(mu, scale, nu, elapsed, f);
  const den = prior === undefined ? 0 : prior * survive + (1 - prior);
  const pAlive = prior === undefined ? undefined : den > 0 ? (prior * survive) / den : prior;
  const bits = (mask: number, count: number, offset: number): number[] => {
    const r: number[] = [];
    for (let k = 0; k < count; k++) if (mask & (1 << k)) r.push(k + offset);
    return r;
  };
  return {
    customerId,
    status: s.n > 0 ? "ok" : "prior_only",
    purchaseDays: d.length,
    lastOrder: formatDay(last),
    daysSinceLast: modelAsOf - last,
    openDaysSinceLast: elapsedOpen,
    typicalGapOpenDays: typical * f,
    meanGapDays: meanGap,
    sdGapDays: sdGap,
    cv: Math.sqrt(Math.expm1(sigma2)),
    expectedNext: formatDay(next),
    // a closure moves the quantiles to its reopening day and the median into its reopening week
    expectedNextP10: formatDay(Math.min(next, dateAfter(quantileAfter(0.1), asOf + 1))),
    expectedNextP90: formatDay(Math.max(next, dateAfter(quantileAfter(0.9), asOf + 1))),
    nextP10: openDate(quantile(0.1)),
    nextP50: openDate(quantile(0.5)),
    nextP90: openDate(quantile(0.9)),
    overdueProbability: overdue,
    pAlive,
    // the open days before asOf, closed months left out (as customer_overdue's evidence and its
    // gapRatio count them): after the reopening week the clock takes the closure's days in, and
    // a weekly buyer one week late after its August read 10 missed orders beside "6.6x the usual
    // gap, 31 closed days not counted" (self-review 2026-12-07)
    // (the days before the model's asOf, also with asOf in progress: yesterday is over; and not past
    // the standing clock: in a closure's reopening week the model is not later than on the day the
    // closure began, where it read 1 missed order beside an overdue probability of 0; a review)
    missedOrders: missedOrdersSince(last, modelAsOf, clock, cl, f, typical),
    closedMonths: bits(cl.months, 12, 1),
    closedWeekdays: bits(cl.weekdays, 7, 0),
    openFraction: f,
    monthlyIndex: Array.from(cl.intensity ?? new Float64Array(12).fill(1), (x) => Math.round(x * 1e6) / 1e6),
    posterior: post,
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
