import { lgamma } from "./lgamma.ts";

/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) for real parameters and real z ≤ 1, written for
 * the Pareto/NBD likelihood (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005, "A Note
 * on Deriving the Pareto/NBD Model and Related Expressions"), where it appears as
 * ₂F₁(r+s+x, b; r+s+x+1; |α−β| / (max(α,β) + t)) with the argument in [0, 1).
 *
 * Method (Abramowitz & Stegun 15.1.1, 15.3.5, 15.3.6, 15.1.20):
 * - a or b a non-positive integer: the terminating polynomial, summed directly.
 * - 0 ≤ z ≤ 0.75: the defining series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ, summed until a term is below
 *   1e-17 of the sum (and past the point where the term ratio keeps shrinking).
 * - z < 0: Pfaff's transformation ₂F₁(a,b;c;z) = (1−z)^−a ₂F₁(a, c−b; c; z/(z−1)), which maps z
 *   into [0, 1).
 * - 0.75 < z < 1: the 1−z connection formula (A&S 15.3.6) whose two series converge in
 *   1−z < 0.25, with the gamma ratios computed as signed exp(ln Γ sums). When c−a−b is within
 *   1e-3 of an integer, or when the two terms cancel to lose more than 1 digit (large a or b
 *   against c, as in the Pareto/NBD form), the defining series is summed instead: for positive
 *   parameters all its terms are positive, so it is accurate, but it converges like zⁿ (about
 *   35 000 terms at z = 0.999; capped at 2 000 000 terms, NaN when not converged by then).
 * - z = 1: Gauss's sum Γ(c)Γ(c−a−b) / (Γ(c−a)Γ(c−b)) when c−a−b > 0, else +Infinity.
 *
 * Returns NaN for NaN input, z > 1 (the branch cut), c a non-positive integer, and where the
 * defining series has not converged within its 2 000 000 terms.
 * Accuracy about 1e-13 relative away from cancellation in the terms (positive parameters).
 * @internal
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (a !== a || b !== b || c !== c || z !== z || z > 1) return Number.NaN;
  if (a === 0 || b === 0 || z === 0) return 1;
  if (isNonPositiveInteger(c)) return Number.NaN;
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) return series(a, b, c, z);
  if (z === 1) {
    const m = c - a - b;
    if (m <= 0) return Number.POSITIVE_INFINITY;
    return gammaRatio([c, m], [c - a, c - b]);
  }
  if (z < 0) {
    // Pfaff: the transformed argument z/(z−1) lies in (0, 1).
    const w = z / (z - 1);
    return Math.exp(-a * Math.log1p(-z)) * positive(a, c - b, c, w);
  }
  return positive(a, b, c, z);
}

/** 0 < z < 1. */
function positive(a: number, b: number, c: number, z: number): number {
  if (a === 0 || b === 0) return 1;
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b) || z <= 0.75) return series(a, b, c, z);
  const m = c - a - b;
  if (Math.abs(m - Math.round(m)) < 1e-3) return series(a, b, c, z);
  const y = 1 - z;
  // A&S 15.3.6: F = Γ(c)Γ(m)/(Γ(c−a)Γ(c−b)) F(a,b;1−m;1−z) + (1−z)^m Γ(c)Γ(−m)/(Γ(a)Γ(b)) F(c−a,c−b;1+m;1−z)
  const t1 = gammaRatio([c, m], [c - a, c - b]);
  const t2 = gammaRatio([c, -m], [a, b]);
  const s1 = t1 === 0 ? 0 : t1 * series(a, b, 1 - m, y);
  const s2 = t2 === 0 ? 0 : t2 * Math.exp(m * Math.log(y)) * series(c - a, c - b, 1 + m, y);
  const f = s1 + s2;
  // Heavy cancellation between the two terms (large a or b against c): the series is exact.
  if (!(Math.abs(s1) + Math.abs(s2) <= 10 * Math.abs(f))) return series(a, b, c, z);
  return f;
}

/** The defining series; terminates when a or b is a non-positive integer. */
function series(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  let comp = 0;
  // not before the terms are past their hump (about 2(|a|+|b|)+|c| terms), but at most MIN_N_CAP:
  // with |a|+|b| beyond about 670,000 that count exceeded the cap on terms, and a series that had
  // converged after 85 terms returned NaN (its terms stuck at the smallest subnormal)
  const minN = Math.min(MIN_N_CAP, Math.ceil(2 * (Math.abs(a) + Math.abs(b)) + Math.abs(c)));
  // with a, b > 0, c ≥ a and 0 < z < 1 (the Pareto/NBD shape c = a + 1) every later ratio is at
  // most z·max(1, (b+k)/(k+1)), largest at the next k: when that bound B is below 1 the tail after a
  // term is at most term·B/(1 − B), a stop without waiting for the hump (with a = r+s+x in the
  // hundreds of millions, a fit walking r, α → ∞, the wait was 100,000 terms per call)
  const bounded = a > 0 && b > 0 && c >= a && z > 0 && z < 1;
  let n = 0;
  for (; n < SERIES_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    term *= ratio;
    if (term === 0) break;
    // Neumaier-compensated sum.
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    if (bounded) {
      const B = z * Math.max(1, (b + n + 1) / (n + 2));
      if (B < 1 && term * (B / (1 - B)) <= 1e-17 * sum) break;
    } else if (n >= minN && Math.abs(ratio) < 1 && Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    if (!Number.isFinite(sum)) return sum;
  }
  // not converged within the cap (z within about 1e-6 of 1): no value, rather than a wrong one
  // (the Pareto/NBD likelihood read ln L = 5.78 for 6.91 when the sum stopped there)
  return n === SERIES_TERMS ? Number.NaN : sum + comp;
}

/** Terms the defining series sums at most. */
const SERIES_TERMS = 2_000_000;
/** The most terms the series waits for before it may stop (its hump is over by then for the parameters the models use). */
const MIN_N_CAP = 100_000;

function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/** Γ(x) sign: 0 at the poles (used for 1/Γ), ±1 elsewhere. */
function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** Π Γ(num) / Π Γ(den), signed; 0 when a denominator argument is a pole of Γ. */
function gammaRatio(num: readonly number[], den: readonly number[]): number {
  let sign = 1;
  let log = 0;
  for (const x of den) {
    const s = gammaSign(x);
    if (s === 0) return 0;
    sign *= s;
    log -= lgamma(x);
  }
  for (const x of num) {
    const s = gammaSign(x);
    if (s === 0) return Number.NaN;
    sign *= s;
    log += lgamma(x);
  }
  return sign * Math.exp(log);
}
