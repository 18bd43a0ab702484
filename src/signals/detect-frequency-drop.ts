import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { detectorContext } from "./internal/context.ts";
import { clockGaps, purchaseDays } from "./internal/customer-clock.ts";
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
/** Completed slow gaps needed after it ("still ordering": the new rhythm is seen, not inferred from a silence). */
const MIN_AFTER = 3;
/** Smallest slowdown that counts: the new gaps at least this many times the old (mean and median of the log-gaps). */
const MIN_RATIO = 1.5;
/** Posterior probability of a slowdown needed at sensitivity 1 (odds 19:1; sensitivity s needs odds 19/s). */
const FLAG_PROBABILITY = 0.95;
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
 * months removed, seasonal slow months counted lighter). M₀: one mean; M_k: the mean jumps by
 * δ ~ N(0, 0.7²) after gap k, prior probability 0.01 per gap. The Bayes factor of M_k against M₀
 * depends only on the difference D of the two segment means: BF_k = N(D | 0, ω² + V) / N(D | 0, V),
 * V = σ²(1/k + 1/(n − k)), σ² from successive differences (von Neumann's MSSD, not inflated by
 * the change) floored at 0.25² so a clockwork customer's skipped week is not a change. The
 * posterior probability of a slowdown sums the M_k (over all change points) whose new gaps are at
 * least 1.5× the old by both the mean and the median of the log-gaps, whose change lies within
 * the last 365 days, with at least 6 gaps before and 3 completed slow gaps after (each above the old
 * mean log-gap by half the minimum shift); a flag needs 0.95
 * (posterior odds 19/sensitivity). The prior hazard is the false-alarm control: a steady customer
 * gets posterior weight on a change only in proportion to it, however many weeks it is tested.
 * The customer must still be ordering (silence at most 3 new typical gaps). `since` is the most
 * probable change point (the first purchase of the slow regime's first gap), which also anchors
 * the id; `severity` = P(slowdown) × (1 − 1/ratio) (the share of orders lost); `valueAtRisk` =
 * the next 90 days' expected margin × (1 − 1/ratio).
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
    if (view.customerEnd[c]! - view.customerStart[c]! < MIN_BEFORE + MIN_AFTER + 1) continue;
    const days = purchaseDays(view, c);
    if (days.length < MIN_BEFORE + MIN_AFTER + 1) continue;
    // a change needs a slow gap completed within the age limit
    if (days[days.length - 1]! <= asOf - MAX_AGE_DAYS) continue;
    model ??= ctx.model();
    const customerId = ids[c]!;
    const r = model.customer(customerId);
    if (r === undefined || r.status !== "ok") continue;
    const { logGaps: ys, from } = clockGaps(days, r);
    const found = slowdown(ys, (k) => days[from[k]!]!, asOf);
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
  /** Mean log-gap before and after that change. */
  before: number;
  after: number;
  nBefore: number;
  nAfter: number;
}

/**
 * Single change-point posterior over all change points k (MIN_BEFORE <= k <= n − MIN_AFTER);
 * returns the probability mass of qualifying slowdowns and the most probable one, or undefined.
 */
function slowdown(ys: Float64Array, startDay: (k: number) => number, asOf: number): Slowdown | undefined {
  const n = ys.length;
  if (n < MIN_BEFORE + MIN_AFTER) return undefined;
  let sum = 0, msd = 0;
  for (let j = 0; j < n; j++) {
    sum += ys[j]!;
    if (j > 0) msd += (ys[j]! - ys[j - 1]!) ** 2;
  }
  const sigma2 = Math.max(SIGMA_FLOOR ** 2, msd / (2 * (n - 1)));
  const omega2 = JUMP_SD ** 2;
  const log0 = (n - 1) * Math.log1p(-HAZARD);
  const logPrior = Math.log(HAZARD) + (n - 2) * Math.log1p(-HAZARD);
  const m = n - MIN_AFTER - MIN_BEFORE + 1;
  const logs = new Float64Array(m);
  const means = new Float64Array(2 * m);
  let before = 0;
  for (let j = 0; j < MIN_BEFORE - 1; j++) before += ys[j]!;
  let max = log0;
  for (let k = MIN_BEFORE; k <= n - MIN_AFTER; k++) {
    before += ys[k - 1]!;
    const nb = k, na = n - k;
    const mb = before / nb, ma = (sum - before) / na;
    const D = ma - mb;
    const V = sigma2 * (1 / nb + 1 / na);
    const t = omega2 + V;
    const l = logPrior + 0.5 * Math.log(V / t) + 0.5 * D * D * (1 / V - 1 / t);
    const j = k - MIN_BEFORE;
    logs[j] = l;
    means[2 * j] = mb;
    means[2 * j + 1] = ma;
    if (l > max) max = l;
  }
  let total = Math.exp(log0 - max);
  for (let j = 0; j < m; j++) total += Math.exp(logs[j]! - max);
  const minShift = Math.log(MIN_RATIO);
  let slow = 0, best = -1, bestW = -1;
  for (let j = 0; j < m; j++) {
    const k = j + MIN_BEFORE;
    const w = Math.exp(logs[j]! - max) / total;
    if (w < 1e-6) continue;
    if (means[2 * j + 1]! - means[2 * j]! < minShift) continue;
    if (startDay(k) < asOf - MAX_AGE_DAYS) continue;
    // at least MIN_AFTER completed slow gaps (each above the old mean by half the minimum shift)
    let slowGaps = 0;
    for (let i = k; i < n; i++) if (ys[i]! > means[2 * j]! + minShift / 2) slowGaps++;
    if (slowGaps < MIN_AFTER) continue;
    if (median(ys, k, n) - median(ys, 0, k) < minShift) continue;
    slow += w;
    if (w > bestW) {
      bestW = w;
      best = j;
    }
  }
  if (best < 0) return undefined;
  return { pSlow: Math.min(1, slow), k: best + MIN_BEFORE, before: means[2 * best]!, after: means[2 * best + 1]!, nBefore: best + MIN_BEFORE, nAfter: n - best - MIN_BEFORE };
}

function median(ys: Float64Array, from: number, to: number): number {
  const s = Array.from(ys.subarray(from, to)).sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
