/**
 * Tail probabilities shared by the segment- and rep-level detectors (product_vanishing,
 * pipeline_stall): the upper tail of a Poisson-binomial count (a sum of independent Bernoulli
 * variables with their own probabilities), exactly by dynamic programming over the pmf, or, where
 * that would take more than {@link EXACT_CELLS} cells, by the saddle-point approximation.
 * @internal
 */
import { logAddExp } from "../../patterns/internal/btyd-math.ts";
import { log1pExp } from "../../patterns/internal/log1p-exp.ts";
import { logNormalSurvival } from "./normal-tail.ts";

/** Smallest p-value the detectors' evidence shows (their scores read the tail in logs, in full). */
export const MIN_TAIL = 1e-300;

/**
 * @internal Largest exact recursion (n × min(x, n) cells, a few milliseconds); beyond it the
 * tail is taken in logs ({@link poissonBinomialTail}). The recursion is quadratic in the count:
 * a rep with 8,000 deals stuck in one stage took 1.1 s per call, and the detectors call it once
 * per candidate change day (pipeline_stall at 32,000 open deals: 17.8 s).
 */
export const EXACT_CELLS = 4_000_000;

/** Exact tails below this are taken in logs (they lose digits to underflow first). */
const EXACT_FLOOR = 1e-290;

/** @internal A tail probability: its log, and the p-value the detectors' evidence shows. */
export interface TailProbability {
  /** ln P(X ≥ x), in full (−∞ when no outcome reaches x). */
  readonly logTail: number;
  /** P(X ≥ x) as computed where the exact recursion holds it, else e^logTail; at least {@link MIN_TAIL} when x ≤ n. */
  readonly pValue: number;
}

/**
 * @internal P(X ≥ x) for X = Σ Bernoulli(p_i), independent. Exact O(n · min(x, n)) recursion on
 * the pmf of the count capped at x (the last cell collects "x or more"), no subtraction, so tails
 * far below machine epsilon keep their relative precision. Above {@link EXACT_CELLS} cells, and
 * where the exact tail underflows (below 1e-290: a stall of a few dozen deals that each should
 * have moved), in logs: exactly when few terms may fail or few must succeed ({@link LOG_CELLS}
 * cells), else by the saddle-point approximation
 * ({@link poissonBinomialLogTailSaddle}). (Until 2026-12-06 every tail below 1e-300 read 1e-300,
 * so among candidate change days with such tails the scan kept the earliest, up to a year before
 * the change.)
 */
export function poissonBinomialTail(probabilities: ArrayLike<number>, x: number): TailProbability {
  const n = probabilities.length;
  if (x <= 0) return { logTail: 0, pValue: 1 };
  if (x > n) return { logTail: Number.NEGATIVE_INFINITY, pValue: 0 };
  if (n * Math.min(x, n) <= EXACT_CELLS) {
    // f[k] = P(count = k) for k < x, f[x] = P(count >= x)
    const f = new Float64Array(x + 1);
    f[0] = 1;
    let top = 0; // highest cell below x that can be non-zero
    for (let i = 0; i < n; i++) {
      const p = Math.min(1, Math.max(0, probabilities[i]!));
      const q = 1 - p;
      f[x] = f[x]! + f[x - 1]! * p;
      const from = Math.min(top + 1, x - 1);
      for (let k = from; k >= 1; k--) f[k] = f[k]! * q + f[k - 1]! * p;
      f[0] = f[0]! * q;
      if (top < x - 1) top++;
    }
    const tail = Math.min(1, f[x]!);
    if (tail >= EXACT_FLOOR) return { logTail: Math.log(tail), pValue: tail };
    // (between 1e-300 and 1e-290 the recursion's value is still the p-value shown; its log loses digits)
    const logTail = largeLogTail(terms(probabilities), x);
    return { logTail, pValue: tail >= MIN_TAIL ? tail : Math.max(MIN_TAIL, Math.exp(logTail)) };
  }
  const logTail = largeLogTail(terms(probabilities), x);
  return { logTail, pValue: Math.max(MIN_TAIL, Math.exp(logTail)) };
}

/** The terms as the log paths take them: certain ones (p ≥ 1) counted, impossible ones (p ≤ 0, NaN) left out, the uncertain ones' probabilities. */
interface Terms {
  readonly ones: number;
  /** Probabilities of the uncertain terms, 0 < p < 1. */
  readonly ps: Float64Array;
}

function terms(probabilities: ArrayLike<number>): Terms {
  const n = probabilities.length;
  let ones = 0, m = 0;
  const ps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.min(1, Math.max(0, probabilities[i]!));
    if (p >= 1) ones++;
    else if (p > 0) ps[m++] = p;
  }
  return { ones, ps: ps.subarray(0, m) };
}

/**
 * @internal Largest recursion in logs (cells, each an exp and a log1p: a few milliseconds), used
 * beyond the exact recursion when few terms may fail or few must succeed.
 */
export const LOG_CELLS = 250_000;

/**
 * ln P(X ≥ x) beyond the exact recursion on the count: certain terms (p = 1) shift the count and
 * impossible ones drop out; of the m uncertain terms k must succeed, so at most j = m − k may fail.
 * When the smaller side costs at most {@link LOG_CELLS} cells, exactly, by the recursion in logs
 * on that side: the successes capped at k, or P(failures ≤ j) (x one or a few short of n, where
 * the saddle point is weakest: 8 % off at x = n − 1; and a few moderate terms among many nearly
 * impossible ones, whose deciding cells underflow in plain numbers: 500 terms at 0.2 beside 500 at
 * 1e-40 read e^−786 for e^−805 from the saddle point); else the saddle point.
 */
function largeLogTail(t: Terms, x: number): number {
  const { ones, ps } = t;
  const m = ps.length;
  const k = x - ones;
  if (k <= 0) return 0;
  if (k > m) return Number.NEGATIVE_INFINITY;
  const j = m - k;
  const cells = m * (Math.min(k, j) + 1);
  if (cells > LOG_CELLS) {
    // the saddle point, unless the tilted count is nearly degenerate (variance K″(θ̂) below 1:
    // a count that only a few nearly impossible terms can complete), where it fails (18.7 off in
    // −ln P for 500 terms at 0.2 beside 500 at 1e-40, x = 500) and the recursion in logs is
    // afforded up to EXACT_CELLS cells
    const sp = saddle(t, x);
    if (!(sp.k2 < 1) || cells > EXACT_CELLS) return sp.logTail;
  }
  if (k <= j) {
    // f[c] = ln P(c successes so far) for c < k, f[k] = ln P(k or more)
    const f = new Float64Array(k + 1).fill(Number.NEGATIVE_INFINITY);
    f[0] = 0;
    let top = 0;
    for (let i = 0; i < m; i++) {
      const lp = Math.log(ps[i]!), lq = Math.log1p(-ps[i]!);
      f[k] = logAddExp(f[k]!, f[k - 1]! + lp);
      for (let c = Math.min(top + 1, k - 1); c >= 1; c--) f[c] = logAddExp(f[c]! + lq, f[c - 1]! + lp);
      f[0] = f[0]! + lq;
      if (top < k - 1) top++;
    }
    return Math.min(0, f[k]!);
  }
  // g[c] = ln P(c failures so far) for c ≤ j (more fall out of the tail)
  const g = new Float64Array(j + 1).fill(Number.NEGATIVE_INFINITY);
  g[0] = 0;
  let top = 0;
  for (let i = 0; i < m; i++) {
    const lp = Math.log(ps[i]!), lq = Math.log1p(-ps[i]!);
    for (let c = Math.min(top + 1, j); c >= 1; c--) g[c] = logAddExp(g[c]! + lp, g[c - 1]! + lq);
    g[0] = g[0]! + lp;
    if (top < j) top++;
  }
  let total = Number.NEGATIVE_INFINITY;
  for (let c = 0; c <= j; c++) total = logAddExp(total, g[c]!);
  return Math.min(0, total);
}

/** ln √(2π). */
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * @internal ln P(X ≥ x) for X = Σ Bernoulli(p_i), independent, by the Lugannani–Rice saddle-point
 * approximation with Daniels' continuity correction for a lattice variable (Daniels 1987, "Tail
 * probability approximations", *International Statistical Review* 55, 37–48; Butler 2007,
 * *Saddlepoint Approximations with Applications*, §1.2.5): with the cumulant generating function
 * K(θ) = Σ ln(1 − p_i + p_i e^θ) and θ̂ the root of K′(θ) = x,
 *   P(X ≥ x) ≈ Φc(w) − φ(w) (1/w − 1/u), w = √(2(θ̂x − K(θ̂))), u = (1 − e^(−θ̂)) √K″(θ̂).
 * O(n) per Newton step (a handful from the start where the terms are alike). Certain terms (p = 1) shift the count,
 * impossible ones (p = 0) drop out; x equal to the remaining terms is Π p exactly; a count at or
 * below the mean, and one within 0.01 of it on the w scale (where the formula's two terms cancel), is
 * the normal tail with continuity correction. Measured against the exact tail: where both the
 * successes and the failures are many (the only place {@link poissonBinomialTail} uses it; n =
 * 2,100-5,000, five shapes of probabilities, review 2026-12-06) within 0.0013 in −ln P; weak with
 * few failures (8.4 % relative at x = n − 1, 8.3 % at 60 and 300 terms in the tests' grid), a
 * nearly degenerate tilt (a few moderate terms among nearly impossible ones: 18.7 off in −ln P
 * once) and just above the mean (0.17 in −ln P at a tail of 0.5), which the dispatcher avoids or
 * which lie far from any flag.
 */
export function poissonBinomialLogTailSaddle(probabilities: ArrayLike<number>, x: number): number {
  return saddle(terms(probabilities), x).logTail;
}

/** {@link poissonBinomialLogTailSaddle} of the split terms, with K″(θ̂), the tilted count's variance (NaN where no saddle point was solved for). */
function saddle(t: Terms, x: number): { logTail: number; k2: number } {
  const plain = (logTail: number): { logTail: number; k2: number } => ({ logTail, k2: Number.NaN });
  if (x <= 0) return plain(0);
  const { ones, ps } = t;
  const m = ps.length;
  const logit = new Float64Array(m);
  let mean = 0, variance = 0;
  for (let i = 0; i < m; i++) {
    const p = ps[i]!;
    logit[i] = Math.log(p) - Math.log1p(-p);
    mean += p;
    variance += p * (1 - p);
  }
  const k = x - ones;
  if (k <= 0) return plain(0);
  if (k > m) return plain(Number.NEGATIVE_INFINITY);
  if (k === m) {
    // every uncertain term a success: ln Π p = −Σ ln(1 + e^(−logit))
    let lp = 0;
    for (let i = 0; i < m; i++) lp -= log1pExp(-logit[i]!);
    return plain(lp);
  }
  const normalTail = Math.min(0, logNormalSurvival((k - 0.5 - mean) / Math.sqrt(variance)));
  if (k <= mean) return plain(normalTail);
  // Newton on K′(θ) = Σ σ(θ + logit_i) = k, increasing in θ, inside the bracket where every term
  // is at most, and at least, k/m (so the sum is below and above k): from θ = logit(k/m) − mean
  // logit, the root when the terms are alike; bisection when a step leaves the bracket
  let lMin = Number.POSITIVE_INFINITY, lMax = Number.NEGATIVE_INFINITY, lSum = 0;
  for (let i = 0; i < m; i++) {
    const l = logit[i]!;
    if (l < lMin) lMin = l;
    if (l > lMax) lMax = l;
    lSum += l;
  }
  const share = Math.log(k) - Math.log(m - k);
  let lo = Math.max(0, share - lMax), hi = share - lMin; // k > mean: θ̂ > 0
  let theta = Math.min(hi, Math.max(lo, share - lSum / m));
  let k2 = variance;
  for (let it = 0; it < 200; it++) {
    let sum = 0;
    k2 = 0;
    for (let i = 0; i < m; i++) {
      const pi = 1 / (1 + Math.exp(-(theta + logit[i]!)));
      sum += pi;
      k2 += pi * (1 - pi);
    }
    const g = sum - k;
    if (g > 0) hi = theta;
    else lo = theta;
    if (Math.abs(g) <= 1e-12 * k || hi - lo <= 1e-13 * Math.max(1, Math.abs(theta))) break;
    let next = theta - g / k2;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === theta) break;
    theta = next;
  }
  // θ̂x − K(θ̂), K(θ) = Σ log1pExp(θ + logit) − log1pExp(logit)
  let kTheta = 0;
  for (let i = 0; i < m; i++) kTheta += log1pExp(theta + logit[i]!) - log1pExp(logit[i]!);
  const w = Math.sqrt(Math.max(0, 2 * (theta * k - kTheta)));
  const u = -Math.expm1(-theta) * Math.sqrt(k2);
  const normal = (): { logTail: number; k2: number } => ({ logTail: normalTail, k2 });
  if (!(w > 0.01) || !(u > 0)) return normal();
  // Φc(w) (1 − (φ(w)/Φc(w)) (1/w − 1/u)), in logs: Φc(w) alone underflows before the tail does
  const logSurvival = logNormalSurvival(w);
  const inverseMills = Math.exp(-0.5 * w * w - LN_SQRT_2PI - logSurvival);
  const factor = 1 - inverseMills * (1 / w - 1 / u);
  if (!(factor > 0)) return normal();
  return { logTail: Math.min(0, logSurvival + Math.log(factor)), k2 };
}

/** Largest surprise reported (a count no outcome reaches has −ln P = ∞, which JSON cannot carry). */
const MAX_SURPRISE = 1e6;

/** @internal −ln P from ln P ({@link poissonBinomialTail}): the "surprise" score used to rank candidate change days, at most 1e6. */
export function surprise(logTail: number): number {
  return Math.min(MAX_SURPRISE, -logTail);
}
