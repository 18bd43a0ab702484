import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { detectorContext } from "./internal/context.ts";
import { purchaseDays, sharedClockGaps } from "./internal/customer-clock.ts";
import { bySignalOrder, fmt, localized, round, signalId } from "./internal/format.ts";
import type { DetectorOptions, Signal } from "./types.ts";

/** Options of {@link detectFrequencyDrop} (the common detector options; `sensitivity` scales the posterior odds needed). */
export interface FrequencyDropOptions extends DetectorOptions {}

/** Prior probability of a change of rhythm after any one gap. */
const HAZARD = 0.01;
/** Prior standard deviation of the change of the mean log-gap (a factor of two at one sd). */
const JUMP_SD = 0.7;
/** Floor of the within-regime log-gap standard deviation (a clockwork customer's skipped week is not a slowdown). */
const SIGMA_FLOOR = 0.25;
/** Gaps needed before a change point. */
const MIN_BEFORE = 6;
/** Slow gaps needed after it: completed ones, and the open gap once it is already slow (at least one completed: "still ordering"). */
const MIN_SLOW = 2;
/** Smallest slowdown that counts: the new gaps at least this many times the old (mean and median of the log-gaps). */
const MIN_RATIO = 1.5;
/** Posterior probability of a slowdown needed at sensitivity 1 (odds 19:1; sensitivity s needs odds 19/s). */
const FLAG_PROBABILITY = 0.95;
/** Gaps older than this (days before asOf) are not part of the baseline. */
const HISTORY_DAYS = 730;
/** A change point older than this is the new normal. */
const MAX_AGE_DAYS = 365;
/** The current silence must be at most this many new typical gaps (longer: a customer_overdue matter). */
const MAX_SILENCE_GAPS = 3;

/**
 * Customers still ordering, but clearly slower than their own history.
 *
 * The test is a Bayesian single change-point model on the customer's log-gaps (Smith 1975,
 * *Biometrika* 62; the interval model's own change-point mixture, src/patterns/internal/regime.ts),
 * measured on the customer's clock as the interval model measures them (closed weekdays and
 * months removed, seasonal slow months counted lighter), over the gaps of the last two years.
 * M₀: one mean; M_k: the mean jumps by δ ~ N(0, 0.7²) after gap k, prior probability 0.01 per gap.
 * The current, still open gap is evidence too: a right-censored log-gap (longer than the silence
 * so far). With σ² from successive differences (von Neumann's MSSD, not inflated by the change)
 * floored at 0.25² (a clockwork customer's skipped week is not a change), the new mean's prior
 * N(m_b, A) (A = ω² + σ²/n_b under M_k, σ²/n_b under M₀) and the completed slow gaps' mean m_a
 * give the closed-form marginal N(m_a | m_b, A + σ²/n_a) × Φc((open − m*)/√(σ² + v*)), N(m*, v*)
 * the new mean's posterior from the completed gaps; BF_k is its ratio between the two priors
 * (Smith's Bayes factor when the open gap is short). The posterior probability of a slowdown sums,
 * over the change points within the last 365 days with at least 6 gaps before and two slow gaps
 * after (completed ones above the old mean log-gap by half of ln 1.5, and the open gap once it is;
 * at least one completed: the customer still orders), the posterior weight of M_k times the
 * posterior probability that the new mean is at least ln 1.5 above the old (both means'
 * uncertainty and the open gap included); a flag needs 0.95 (posterior odds 19/sensitivity). The
 * prior hazard is the false-alarm control: a steady customer gets posterior weight on a change
 * only in proportion to it, however many weeks it is tested. The customer must still be ordering
 * (silence at most 3 new typical gaps). `since` is the most probable qualifying change point (the
 * first purchase of the slow regime's first gap), which also anchors the id; `severity` =
 * P(slowdown) × (1 − 1/ratio) (the share of orders lost); `valueAtRisk` = the next 90 days'
 * expected margin × (1 − 1/ratio), ratio = the completed slow gaps' geometric mean ÷ the old one.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, model (a pattern model fitted at asOf, shared with other detectors; fitted when missing), sensitivity, locale
 * @returns frequency_drop signals, valueAtRisk descending, then id
 * @throws {OrderpulseError} `INVALID_OPTION` for bad options or a model fitted at another day
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectFrequencyDrop, fromRowsSync } from "orderpulse";
 * const orders = [];
 * let day = Date.UTC(2025, 6, 7);
 * for (let k = 0; k < 50; k++) { // weekly for 40 orders, then every three weeks
 *   orders.push({ order_id: `O${k}`, order_date: new Date(day), customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
 *   day += (k < 39 ? 7 : 21) * 86_400_000;
 * }
 * const [signal] = detectFrequencyDrop(fromRowsSync({ orders }).dataset);
 * assert.equal(signal?.type, "frequency_drop");
 * assert.equal(signal?.since, "2026-04-06"); // the last weekly order: the slow gaps start there
 * assert.ok((signal?.evidence.ratio as number) > 2.5);
 * ```
 */
export function detectFrequencyDrop(dataset: Dataset, options?: FrequencyDropOptions): Signal[] {
  const fn = "detectFrequencyDrop";
  const ctx = detectorContext(dataset, options, fn);
  const { view, asOf, sensitivity: s, locale } = ctx;
  const ids = view.ids.customers.values;
  const nC = view.customerEnd.length;
  const minOdds = (FLAG_PROBABILITY / (1 - FLAG_PROBABILITY)) / s;
  const out: Signal[] = [];
  let model: ReturnType<typeof ctx.model> | undefined;
  let margin90: Float64Array | undefined;
  for (let c = 0; c < nC; c++) {
    if (view.customerEnd[c]! - view.customerStart[c]! < MIN_BEFORE + 2) continue;
    const days = purchaseDays(view, c);
    if (days.length < MIN_BEFORE + 2) continue;
    // a change needs a slow gap completed within the age limit
    if (days[days.length - 1]! <= asOf - MAX_AGE_DAYS) continue;
    model ??= ctx.model();
    const customerId = ids[c]!;
    const r = model.customer(customerId);
    if (r === undefined || r.status !== "ok") continue;
    const all = sharedClockGaps(view, model, c, days, r);
    // the baseline: gaps starting within the last HISTORY_DAYS (an older shift of rhythm is not this change's "before")
    let skip = 0;
    while (skip < all.from.length && days[all.from[skip]!]! < asOf - HISTORY_DAYS) skip++;
    const ys = all.logGaps.subarray(skip), from = all.from.subarray(skip);
    // the open gap on the same clock (calendar-equivalent days since the last purchase, at least one)
    const open = Math.log(Math.max(1, (r.openDaysSinceLast ?? asOf - days[days.length - 1]!) / (r.openFraction > 0 ? r.openFraction : 1)));
    const found = slowdown(ys, open, (k) => days[from[k]!]!, asOf, minOdds / (1 + minOdds));
    if (found === undefined) continue;
    const { pSlow, k, before, after, nBefore, nAfter } = found;
    if (!(pSlow / Math.max(1e-300, 1 - pSlow) >= minOdds)) continue;
    const last = days[days.length - 1]!;
    const newGap = Math.exp(after);
    if (asOf - last > MAX_SILENCE_GAPS * newGap) continue;
    margin90 ??= ctx.customerMargin90();
    const ratio = Math.exp(after - before);
    const lost = 1 - 1 / ratio;
    const sinceDay = days[from[k]!]!;
    const since = formatDay(sinceDay);
    const oldGap = Math.exp(before);
    const orders = days.length - 1 - from[k]!;
    const repId = ctx.owner(c);
    out.push({
      id: signalId("frequency_drop", customerId, since),
      type: "frequency_drop",
      asOf: ctx.asOfText,
      since,
      customerId,
      ...(repId !== undefined ? { repId } : {}),
      severity: round(pSlow * lost, 4),
      valueAtRisk: round(margin90[c]! * lost, 2),
      evidence: {
        changeDay: since,
        gapBeforeDays: round(oldGap, 2),
        gapAfterDays: round(newGap, 2),
        ratio: round(ratio, 3),
        gapsBefore: nBefore,
        gapsAfter: nAfter,
        ordersSince: orders,
        pSlowdown: round(pSlow, 4),
        daysSinceLast: asOf - last,
      },
      reason: { code: "frequency_drop", params: { customerId, gapBeforeDays: Math.round(oldGap), gapAfterDays: Math.round(newGap), ratio: round(ratio, 1), since, ordersSince: orders } },
      message: localized(
        locale,
        `Ordered every ${fmt(oldGap, 0)} days until ${since}; every ${fmt(newGap, 0)} days since (${fmt(ratio)}x slower, ${orders} orders)`,
        `הזמין כל ${fmt(oldGap, 0)} ימים עד ${since}; מאז כל ${fmt(newGap, 0)} ימים (פי ${fmt(ratio)} לאט יותר, ${orders} הזמנות)`,
      ),
    });
  }
  return out.sort(bySignalOrder);
}

/** The slowdown found in a customer's log-gaps. */
interface Slowdown {
  /** Posterior probability of a qualifying slowdown. */
  pSlow: number;
  /** Index of the first gap of the slow regime (most probable qualifying change). */
  k: number;
  /** Mean log-gap before and after that change (completed gaps). */
  before: number;
  after: number;
  nBefore: number;
  nAfter: number;
}

/** ln Φc(z) = ln P(Z > z) for a standard normal Z (Numerical Recipes' erfc, relative error < 1.2e-7 everywhere, so tails stay exact in logs). */
function logNormalSurvival(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const logErfc = Math.log(t) - x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return z >= 0 ? logErfc - Math.LN2 : Math.log1p(-0.5 * Math.exp(logErfc));
}

/**
 * Single change-point posterior over all change points k (MIN_BEFORE <= k <= n − 1), with the
 * current, still open gap as a right-censored log-gap `open` (it is longer than the silence so far);
 * returns the probability mass of qualifying slowdowns and the most probable one, or undefined
 * (also when even every recent change counted as a slowdown would not reach `needed`).
 *
 * Under M_k the slow regime's mean μ has the prior N(m_b, ω² + σ²/n_b) (the jump prior and the
 * uncertainty of the old mean m_b), under M₀ N(m_b, σ²/n_b); the completed slow gaps give
 * N(m_a | μ, σ²/n_a) and the open gap P(y > open | μ) = Φc((open − μ)/σ), so with the normal posterior
 * N(m*, v*) of μ from the completed gaps the marginal is N(m_a | m_b, A + σ²/n_a) Φc((open − m*)/√(σ² + v*)),
 * and BF_k is its ratio between the two priors (Smith's Bayes factor when the open gap is short).
 * A change qualifies with the posterior probability that the new mean is at least ln 1.5 above the
 * old (integrated over μ on a grid, the old mean's uncertainty included).
 */
function slowdown(ys: Float64Array, open: number, startDay: (k: number) => number, asOf: number, needed: number): Slowdown | undefined {
  const n = ys.length;
  if (n < MIN_BEFORE + 1) return undefined;
  let sum = 0, msd = 0;
  for (let j = 0; j < n; j++) {
    sum += ys[j]!;
    if (j > 0) msd += (ys[j]! - ys[j - 1]!) ** 2;
  }
  const sigma2 = Math.max(SIGMA_FLOOR ** 2, msd / (2 * (n - 1)));
  const sigma = Math.sqrt(sigma2);
  const omega2 = JUMP_SD ** 2;
  const minShift = Math.log(MIN_RATIO);
  const log0 = (n - 1) * Math.log1p(-HAZARD);
  const logPrior = Math.log(HAZARD) + (n - 2) * Math.log1p(-HAZARD);
  /** log marginal of the slow segment (completed mean ma of na gaps, and the open gap) under the prior N(mb, A) of its mean. */
  const logMarginal = (mb: number, A: number, ma: number, na: number): number => {
    const B = sigma2 / na;
    const v = 1 / (1 / A + 1 / B);
    const m = v * (mb / A + ma / B);
    return -0.5 * Math.log(A + B) - (0.5 * (ma - mb) ** 2) / (A + B) + logNormalSurvival((open - m) / Math.sqrt(sigma2 + v));
  };
  const first = MIN_BEFORE, last = n - 1;
  const m = last - first + 1;
  const logs = new Float64Array(m);
  const means = new Float64Array(2 * m);
  let before = 0;
  for (let j = 0; j < first - 1; j++) before += ys[j]!;
  let max = log0;
  for (let k = first; k <= last; k++) {
    before += ys[k - 1]!;
    const nb = k, na = n - k;
    const mb = before / nb, ma = (sum - before) / na;
    const V0 = sigma2 / nb;
    const l = logPrior + logMarginal(mb, omega2 + V0, ma, na) - logMarginal(mb, V0, ma, na);
    const j = k - first;
    logs[j] = l;
    means[2 * j] = mb;
    means[2 * j + 1] = ma;
    if (l > max) max = l;
  }
  let total = Math.exp(log0 - max);
  for (let j = 0; j < m; j++) total += Math.exp(logs[j]! - max);
  // an upper bound first (every recent change a qualifying slowdown): most customers stop here
  let bound = 0;
  for (let j = 0; j < m; j++) if (startDay(j + first) >= asOf - MAX_AGE_DAYS) bound += Math.exp(logs[j]! - max) / total;
  if (bound < needed) return undefined;
  let slow = 0, best = -1, bestW = -1;
  for (let j = 0; j < m; j++) {
    const k = j + first;
    const w = Math.exp(logs[j]! - max) / total;
    if (w < 1e-6) continue;
    if (startDay(k) < asOf - MAX_AGE_DAYS) continue;
    const mb = means[2 * j]!, ma = means[2 * j + 1]!;
    // slow gaps seen: completed ones above the old mean by half the minimum shift, and the open gap once it is
    let slowGaps = open > mb + minShift / 2 ? 1 : 0;
    for (let i = k; i < n; i++) if (ys[i]! > mb + minShift / 2) slowGaps++;
    if (slowGaps < MIN_SLOW) continue;
    const p = w * shiftProbability(mb, k, ma, n - k, sigma2, omega2, open, minShift);
    if (!(p > 0)) continue;
    slow += p;
    if (p > bestW) {
      bestW = p;
      best = j;
    }
  }
  if (best < 0) return undefined;
  return { pSlow: Math.min(1, slow), k: best + first, before: means[2 * best]!, after: means[2 * best + 1]!, nBefore: best + first, nAfter: n - best - first };
}

/**
 * P(μ_new − μ_old ≥ shift | M_k, data): μ_new's posterior is N(m*, v*) (prior N(mb, ω² + σ²/nb),
 * the completed slow gaps) times the open gap's Φc((open − μ)/σ); μ_old ~ N(mb, σ²/nb). Integrated
 * on a 161-point grid over m* ± 8√v*.
 */
function shiftProbability(mb: number, nb: number, ma: number, na: number, sigma2: number, omega2: number, open: number, shift: number): number {
  const A = omega2 + sigma2 / nb, B = sigma2 / na;
  const v = 1 / (1 / A + 1 / B);
  const m = v * (mb / A + ma / B);
  const sd = Math.sqrt(v), sigma = Math.sqrt(sigma2), sdOld = Math.sqrt(sigma2 / nb);
  const steps = 160;
  const h = (16 * sd) / steps;
  let num = 0, den = 0;
  const logs: number[] = [];
  let top = -Infinity;
  for (let i = 0; i <= steps; i++) {
    const mu = m - 8 * sd + i * h;
    const l = (-0.5 * (mu - m) ** 2) / v + logNormalSurvival((open - mu) / sigma);
    logs.push(l);
    if (l > top) top = l;
  }
  for (let i = 0; i <= steps; i++) {
    const mu = m - 8 * sd + i * h;
    const w = Math.exp(logs[i]! - top);
    den += w;
    // P(μ_old <= μ − shift)
    num += w * Math.exp(-logNormalSurvivalNeg((mu - shift - mb) / sdOld));
  }
  return den > 0 ? Math.min(1, num / den) : 0;
}

/** −ln Φ(z) = −ln P(Z <= z). */
function logNormalSurvivalNeg(z: number): number {
  return -logNormalSurvival(-z);
}
