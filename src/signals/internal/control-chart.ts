/**
 * A one-sided CUSUM control chart on weekly points (Page 1954), shared by the discount_anomaly
 * and kpi_drop detectors. Each point is compared with what its own history predicts: the same
 * week last year moved to this year's level wherever the data allow (season), else a linear
 * trend through the baseline; residuals are standardized by a robust spread of the baseline's
 * residuals (1.4826 · MAD, widened for autocorrelation) and accumulated over the test window,
 * which widens for an old alarm so its change point stays put. docs/signals-segments.md.
 * @internal
 */
import { parseDay } from "../../data/parse-day.ts";

/** One weekly point of a series. */
export interface ChartPoint {
  /** The value; `undefined` when the KPI is undefined that week (a ratio over zero). */
  readonly value: number | undefined;
  /** Size behind the value (list revenue, customers...): a thinner week gets a wider spread. */
  readonly weight: number;
  /** First day (epoch day). */
  readonly start: number;
  /** Last day (epoch day). */
  readonly end: number;
}

/** How a chart reads its series. */
export interface ChartSpec {
  /** +1: watch for a rise; −1: watch for a drop. */
  readonly direction: 1 | -1;
  /** `additive`: residual = value − predicted (a rate); `relative`: value ÷ predicted − 1 (counts, money). */
  readonly scale: "additive" | "relative";
  /** Points the CUSUM runs over (the newest ones). */
  readonly testWeeks: number;
  /** Widest test window an alarm is also tested over (in steps of 13 weeks), for the earliest start of its run. */
  readonly maxTestWeeks: number;
  /** An alarm (CUSUM above this) is tested over wider windows too; the one whose ongoing run starts earliest is kept. */
  readonly extendAbove: number;
  /** Points before the test window that form the baseline. */
  readonly baselineWeeks: number;
  /** Fewest defined baseline points for a chart. */
  readonly minBaseline: number;
  /** CUSUM reference value k, in standard deviations (half the shift to detect fastest). */
  readonly k: number;
  /** Largest standardized residual one point can contribute (one freak week cannot alarm alone). */
  readonly cap: number;
  /** Floor of the residual spread (scale units), so a flat history does not make every wiggle an alarm. */
  readonly minSigma: number;
  /**
   * The values are counts (relative scale): a baseline averaging fewer than {@link SMALL_COUNT} has
   * a spread of at least its Poisson one, 1 ÷ √mean. The MAD of a handful of 0, 1, 2 counts is about
   * 0 (most residuals tie), and a rep with two customers read every quiet week as a −5σ drop.
   */
  readonly counts?: boolean;
  /**
   * The run's summary (`observed`, `expected`, `shift`) weighs each point by its `weight` (a rate's
   * denominator: the discount rate's list revenue), so it is the pooled rate of the run, as the
   * KPI defines it; a plain mean counted the week in progress, a Monday's one line, as much as a
   * full week, and halved a rise (review 2026-12-07). The CUSUM is unchanged (it already shrinks a
   * thin week's residual).
   */
  readonly weighted?: boolean;
}

/** @internal Below this baseline mean a count's spread is floored at its Poisson one ({@link ChartSpec.counts}). */
export const SMALL_COUNT = 10;

/** The chart at its newest point. */
export interface ChartResult {
  /** CUSUM statistic at the newest point (standard deviations). */
  readonly statistic: number;
  /** Index of the first point of the current run (the points since the CUSUM last sat at 0); -1 when it sits at 0. */
  readonly runStart: number;
  /** Estimated first point of the change inside the run (the mean-shift maximum-likelihood split); -1 without a run. */
  readonly changeStart: number;
  /** Mean residual from `changeStart` on, signed in the watched direction (rate points or relative change); 0 without a run. */
  readonly shift: number;
  /** Mean predicted value from `changeStart` on (the last point's when there is no run). */
  readonly expected: number;
  /** Mean observed value from `changeStart` on (the last point's when there is no run). */
  readonly observed: number;
  /** Spread of a baseline residual (scale units). */
  readonly sigma: number;
  /** Lag-1 autocorrelation of the baseline residuals (clamped to [0, 0.8]); the spread of a point is widened by √((1 + ρ) ÷ (1 − ρ)). */
  readonly rho: number;
  /** True when the prediction is last year's same weeks (seasonal), false for the baseline trend. */
  readonly seasonal: boolean;
  /** Defined baseline points used. */
  readonly baselinePoints: number;
  /** Defined points in the window's baseline (the seasonal reference may use fewer: `baselinePoints`). */
  readonly baselineDefined: number;
  /** Standardized residuals (uncapped) from `changeStart` on, oldest first. */
  readonly runZ: readonly number[];
  /** Points the CUSUM ran over (testWeeks, or more when an old alarm widened the window). */
  readonly windowWeeks: number;
}

/** Fewest baseline points for the trend candidate's slope (fewer: the baseline's level). */
const MIN_TREND_POINTS = 26;

/** Weeks back of the seasonal reference (52 weeks = 364 days: same weekdays). */
const YEAR = 52;

/**
 * @internal Run the chart over `points` (oldest first; the last one is the newest). Returns
 * `undefined` when the baseline has fewer than `minBaseline` defined points or the newest point
 * is undefined.
 */
export function runChart(points: readonly ChartPoint[], spec: ChartSpec): ChartResult | undefined {
  let result = runWindow(points, spec, spec.testWeeks);
  if (!result || !(result.statistic > spec.extendAbove)) return result;
  // an alarm's run may have begun before the window, or the window's first weeks may cut it (a
  // CUSUM starts at 0 on the window's first week, so one week under the reference there starts
  // the run later): wider windows (the baseline moves back with them) are asked while the run
  // goes on in them, and the one where it starts earliest is kept, so the change point and the
  // signal's id do not slide or jump with asOf while the new level lasts. (Until 2026-12-05 only
  // a run starting on the window's first week widened it: a rep's discount alarm changed its
  // start, and id, back and forth between 2026-02-09 and 2026-07-06 from week to week.)
  for (let weeks = spec.testWeeks + 13; weeks <= spec.maxTestWeeks; weeks += 13) {
    const wider = runWindow(points, spec, weeks);
    if (!wider || wider.runStart < 0) break;
    // (not at the cost of its baseline: on a short history the wider window's baseline shrank to
    // 12 weeks whose least-squares slope was carried over up to 52, and a flat rep read "fell to
    // 32 a week (expected 36) since 2025-12-01"; a review of the segment signals)
    if (wider.baselineDefined < result.baselineDefined) break;
    // (whatever its statistic: which window is kept must not depend on h, or a signal's id would
    // change with the sensitivity; the detector tests the kept window's statistic against h)
    if (wider.runStart < result.runStart) result = wider;
  }
  return result;
}

/** One chart over the newest `testWeeks` points, the `baselineWeeks` before them as the baseline. */
function runWindow(points: readonly ChartPoint[], spec: ChartSpec, testWeeks: number): ChartResult | undefined {
  const n = points.length;
  const testFrom = Math.max(0, n - testWeeks);
  const baseFrom = Math.max(0, testFrom - spec.baselineWeeks);
  const last = points[n - 1];
  if (!last || last.value === undefined) return undefined;
  const base: number[] = [];
  for (let i = baseFrom; i < testFrom; i++) if (points[i]!.value !== undefined) base.push(i);
  if (base.length < spec.minBaseline) return undefined;

  // seasonal reference: the same week last year (52 weeks = 364 days back: same weekdays; not
  // smoothed: a three-week reference blurs sharp seasonal edges such as a closed August, and
  // measured on the synthetic replay it doubled the false alarms for little gain in power)
  const ref = (i: number): number | undefined => (i - YEAR >= 0 ? points[i - YEAR]!.value : undefined);
  const relative = spec.scale === "relative";

  // candidate 1: linear trend through the baseline (ordinary least squares on the week index)
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const i of base) {
    const y = points[i]!.value!;
    sx += i;
    sy += y;
    sxx += i * i;
    sxy += i * y;
  }
  const nb = base.length;
  const den = nb * sxx - sx * sx;
  // (a slope needs half a year of baseline: 20 weeks' noise carried over a 13-week window read a
  // flat rep as "fell to 30 a week, expected 35"; a review of the segment signals)
  const slope = den > 0 && nb >= MIN_TREND_POINTS ? (nb * sxy - sx * sy) / den : 0;
  const intercept = (sy - slope * sx) / nb;
  const meanBase = sy / nb;
  const trendPredict = (i: number): number => {
    const p = intercept + slope * i;
    // a relative prediction must stay positive: fall back to the baseline mean
    return relative && !(p > 0) ? meanBase : p;
  };

  // candidate 2: last year's same weeks, moved to this year's level (needs a reference for every
  // test point and for at least minBaseline baseline points)
  const residual = (i: number, predict: (i: number) => number): number => {
    const v = points[i]!.value!;
    const p = predict(i);
    return relative ? (p > 0 ? v / p - 1 : 0) : v - p;
  };
  const refOf = new Map<number, number>();
  for (let i = baseFrom; i < n; i++) {
    const r = ref(i);
    if (r !== undefined && (!relative || r > 0)) refOf.set(i, r);
  }
  const seasonBase = base.filter((i) => refOf.has(i));
  let testOk = true;
  for (let i = testFrom; i < n; i++) if (points[i]!.value !== undefined && !refOf.has(i)) testOk = false;
  let predict = trendPredict;
  let sigma = mad(base.map((i) => residual(i, trendPredict)));
  let seasonal = false;
  if (testOk && seasonBase.length >= spec.minBaseline) {
    let seasonalPredict: ((i: number) => number) | undefined;
    let sv = 0, sr = 0;
    for (const i of seasonBase) {
      sv += points[i]!.value!;
      sr += refOf.get(i)!;
    }
    if (relative) {
      const g = sr > 0 ? sv / sr : 0;
      if (g > 0) seasonalPredict = (i) => g * (refOf.get(i) ?? Number.NaN);
    } else {
      const level = (sv - sr) / seasonBase.length;
      seasonalPredict = (i) => (refOf.get(i) ?? Number.NaN) + level;
    }
    if (seasonalPredict) {
      // same period last year wherever the data allow (an in-sample trend always fits its own
      // baseline better, but cannot foresee a season)
      predict = seasonalPredict;
      sigma = mad(seasonBase.map((i) => residual(i, seasonalPredict)));
      seasonal = true;
    }
  }
  sigma = Math.max(sigma, spec.minSigma);
  if (spec.counts === true && spec.scale === "relative") {
    let sum = 0;
    for (const i of base) sum += points[i]!.value!;
    const mean = sum / base.length;
    if (mean > 0 && mean < SMALL_COUNT) sigma = Math.max(sigma, 1 / Math.sqrt(mean));
  }
  const used = seasonal ? seasonBase : base;
  const weights = used.map((i) => points[i]!.weight).sort((a, b) => a - b);
  const typicalWeight = weights[Math.floor(weights.length / 2)]!;

  // persistence: lag-1 autocorrelation of the baseline residuals (consecutive weeks)
  let num = 0, d0 = 0;
  const res = used.map((i) => residual(i, predict));
  const mean = res.reduce((a, b) => a + b, 0) / res.length;
  for (let j = 0; j < res.length; j++) {
    d0 += (res[j]! - mean) ** 2;
    if (j > 0 && used[j - 1] === used[j]! - 1) num += (res[j]! - mean) * (res[j - 1]! - mean);
  }
  const rho = d0 > 0 ? Math.min(0.8, Math.max(0, num / d0)) : 0;
  const width = sigma * Math.sqrt((1 + rho) / (1 - rho));

  // CUSUM over the test window
  let s = 0;
  let runStart = -1;
  const z: number[] = [];
  for (let i = testFrom; i < n; i++) {
    const pt = points[i]!;
    if (pt.value === undefined) {
      z.push(Number.NaN);
      continue;
    }
    // a thinner week than usual is noisier: sd × √(typical / weight), never narrower than usual
    const ratio = typicalWeight > 0 ? Math.min(1, Math.max(0.05, pt.weight / typicalWeight)) : 1;
    const raw = (spec.direction * residual(i, predict) * Math.sqrt(ratio)) / width;
    const zi = Math.min(spec.cap, Math.max(-spec.cap, raw));
    z.push(raw);
    const next = Math.max(0, s + zi - spec.k);
    if (s === 0 && next > 0) runStart = i;
    if (next === 0) runStart = -1;
    s = next;
  }
  if (runStart < 0) {
    const p = predict(n - 1);
    return { statistic: 0, runStart: -1, changeStart: -1, shift: 0, expected: p, observed: last.value, sigma, rho, seasonal, baselinePoints: used.length, baselineDefined: base.length, runZ: [], windowWeeks: testWeeks };
  }
  // the change point inside the run: the step that best explains the run's residuals (maximum
  // likelihood of a mean shift at τ: argmax over τ of (Σ_{i ≥ τ} z_i)² ÷ (points from τ on), on
  // the uncapped residuals, so a week only partly after the change joins only when mostly after it)
  let start = runStart;
  let best = Number.NEGATIVE_INFINITY;
  let tail = 0, count = 0;
  for (let i = n - 1; i >= runStart; i--) {
    const zi = z[i - testFrom]!;
    if (Number.isNaN(zi)) continue;
    tail += zi;
    count++;
    const score = tail > 0 ? (tail * tail) / count : Number.NEGATIVE_INFINITY;
    if (score >= best) {
      best = score;
      start = i;
    }
  }
  let se = 0, so = 0, sr = 0, m = 0;
  const runZ: number[] = [];
  for (let i = start; i < n; i++) {
    const v = points[i]!.value;
    if (v === undefined) continue;
    const p = predict(i);
    // (a weight of 0 or less, or none, counts as 1: the unweighted mean)
    const w = spec.weighted === true && points[i]!.weight > 0 ? points[i]!.weight : 1;
    se += w * p;
    so += w * v;
    sr += w * residual(i, predict);
    runZ.push(z[i - testFrom]!);
    m += w;
  }
  return { statistic: s, runStart, changeStart: start, shift: (spec.direction * sr) / m, expected: se / m, observed: so / m, sigma, rho, seasonal, baselinePoints: used.length, baselineDefined: base.length, runZ, windowWeeks: testWeeks };
}

/** 1.4826 × the median absolute deviation from the median (the normal-consistent robust spread). */
function mad(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const med = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - med)));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** The fields of a KPI row a chart reads. */
interface SeriesRow {
  readonly key?: string | null;
  readonly start: string;
  readonly end: string;
  readonly partial: boolean;
  readonly value: number | undefined;
  readonly denominator?: number;
}

/**
 * @internal Split KPI rows (period-major, every present group in every period) into one chart
 * series per group key (rows without a key: the company, under `""`); rows with a `null` key
 * (no value for the dimension) are dropped, and so are partial periods unless `keepPartial`.
 * `weight` picks each point's weight from its row.
 */
export function seriesByKey<R extends SeriesRow>(rows: readonly R[], keepPartial: boolean, weight: (row: R) => number): Map<string, ChartPoint[]> {
  const out = new Map<string, ChartPoint[]>();
  // every group has the same weeks: each date is parsed once
  const days = new Map<string, number>();
  const day = (text: string): number => {
    let d = days.get(text);
    if (d === undefined) days.set(text, (d = parseDay(text)));
    return d;
  };
  for (const r of rows) {
    if (r.key === null || (r.partial && !keepPartial)) continue;
    const key = r.key ?? "";
    let s = out.get(key);
    if (!s) out.set(key, (s = []));
    s.push({ value: r.value !== undefined && Number.isFinite(r.value) ? r.value : undefined, weight: weight(r), start: day(r.start), end: day(r.end) });
  }
  return out;
}
