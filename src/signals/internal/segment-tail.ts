/**
 * Tail probabilities shared by the segment- and rep-level detectors (product_vanishing,
 * pipeline_stall): the upper tail of a Poisson-binomial count (a sum of independent Bernoulli
 * variables with their own probabilities), exactly by dynamic programming over the pmf, or, where
 * that would take more than {@link EXACT_CELLS} cells, by the saddle-point approximation.
 * @internal
 */
import { logNormalSurvival } from "./normal-tail.ts";

/** Smallest p-value the detectors' evidence shows (their scores read the tail in logs, in full). */
export const MIN_TAIL = 1e-300;

/**
 * @internal Largest exact recursion (n × min(x, n) cells, a few milliseconds); beyond it the
 * tail is {@link poissonBinomialLogTailSaddle}. The recursion is quadratic in the count: a rep with
 * 8,000 deals stuck in one stage took 1.1 s per call, and the detectors call it once per
 * candidate change day (pipeline_stall at 32,000 open deals: 17.8 s).
 */
export const EXACT_CELLS = 4_000_000;

/**
 * @internal ln P(X ≥ x) for X = Σ Bernoulli(p_i), independent (−∞ when no outcome reaches x).
 * Exact O(n · min(x, n)) recursion on the pmf of the count capped at x (the last cell collects "x
 * or more"), no subtraction, so tails far below machine epsilon keep their relative precision;
 * above {@link EXACT_CELLS} cells, and where the exact tail underflows (below 1e-290: a stall of a
 * few dozen deals that each should have moved), the saddle-point approximation
 * ({@link poissonBinomialLogTailSaddle}), in logs. (Until 2026-12-06 every tail below 1e-300 read
 * 1e-300, so among candidate change days with such tails the scan kept the earliest, up to a
 * year before the change.)
 */
export function poissonBinomialLogTail(probabilities: ArrayLike<number>, x: number): number {
  const n = probabilities.length;
  if (x <= 0) return 0;
  if (x > n) return Number.NEGATIVE_INFINITY;
  if (n * Math.min(x, n) > EXACT_CELLS) return poissonBinomialLogTailSaddle(probabilities, x);
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
  return tail >= EXACT_FLOOR ? Math.log(tail) : poissonBinomialLogTailSaddle(probabilities, x);
}

/** Exact tails below this are taken from the saddle point (they lose digits to underflow first). */
const EXACT_FLOOR = 1e-290;

/** ln(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
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
 * the normal tail with continuity correction. Measured against the exact tail (tests; the worst
 * cases are counts a few short of every term): within 8.3 % relative at 60 and 300 terms, 2.1 %
 * at 1,000, 0.8 % at 2,000 (where the exact recursion stops being used: n × x > EXACT_CELLS needs
 * n > 2,000), so the tail's −ln, the detectors' score, within 0.08; below 1e-290 (where the exact
 * recursion underflows) it is the only tail there is, in logs.
 */
export function poissonBinomialLogTailSaddle(probabilities: ArrayLike<number>, x: number): number {
  if (x <= 0) return 0;
  const n = probabilities.length;
  let ones = 0;
  const logit = new Float64Array(n);
  let m = 0, mean = 0, variance = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1, Math.max(0, probabilities[i]!));
    if (p >= 1) ones++;
    else if (p > 0) {
      logit[m++] = Math.log(p) - Math.log1p(-p);
      mean += p;
      variance += p * (1 - p);
    }
  }
  const k = x - ones;
  if (k <= 0) return 0;
  if (k > m) return Number.NEGATIVE_INFINITY;
  if (k === m) {
    // every uncertain term a success: ln Π p = −Σ ln(1 + e^(−logit))
    let lp = 0;
    for (let i = 0; i < m; i++) lp -= softplus(-logit[i]!);
    return lp;
  }
  const normal = (): number => Math.min(0, logNormalSurvival((k - 0.5 - mean) / Math.sqrt(variance)));
  if (k <= mean) return normal();
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
  // θ̂x − K(θ̂), K(θ) = Σ softplus(θ + logit) − softplus(logit)
  let kTheta = 0;
  for (let i = 0; i < m; i++) kTheta += softplus(theta + logit[i]!) - softplus(logit[i]!);
  const w = Math.sqrt(Math.max(0, 2 * (theta * k - kTheta)));
  const u = -Math.expm1(-theta) * Math.sqrt(k2);
  if (!(w > 0.01) || !(u > 0)) return normal();
  // Φc(w) (1 − (φ(w)/Φc(w)) (1/w − 1/u)), in logs: Φc(w) alone underflows before the tail does
  const logSurvival = logNormalSurvival(w);
  const inverseMills = Math.exp(-0.5 * w * w - LN_SQRT_2PI - logSurvival);
  const factor = 1 - inverseMills * (1 / w - 1 / u);
  if (!(factor > 0)) return normal();
  return Math.min(0, logSurvival + Math.log(factor));
}

/** Largest surprise reported (a count no outcome reaches has −ln P = ∞, which JSON cannot carry). */
const MAX_SURPRISE = 1e6;

/** @internal −ln P from ln P ({@link poissonBinomialLogTail}): the "surprise" score used to rank candidate change days, at most 1e6. */
export function surprise(logTail: number): number {
  return Math.min(MAX_SURPRISE, -logTail);
}
