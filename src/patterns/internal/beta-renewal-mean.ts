/**
 * @internal The BG/NBD family's expected purchases as a one-dimensional integral over the
 * drop-out probability, for where the hypergeometric series cancels or overflows.
 *
 * Given λ and p, a (still alive) BG/NBD customer makes E[Y(t) | λ, p] = (1 − e^(−λpt)) / p
 * purchases in the next t (Fader, Hardie & Lee 2005, appendix). With λ ~ Gamma(R, A) (the
 * posterior: R = r + x, A = α + T) the λ-expectation is closed, (1 − (1 + p·w)^(−R)) / p with
 * w = t / A, and p ~ Beta(a, b') (b' = b + x + s) is left:
 *
 *   E = ∫₀¹ f(p) Beta(p; a, b') dp,   f(p) = (1 − (1 + p·w)^(−R)) / p,   f(0) = R·w.
 *
 * This equals (a+b'−1)/(a−1) · [1 − (1+w)^(−R)·2F1(R, b'; a+b'−1; w/(1+w))], the closed form the
 * series evaluates; its terms alternate and cancel when R ≫ a + b (regular buyers: r in the
 * hundreds or more) and overflow when a and b are large, where the integral has neither problem:
 * f is positive, bounded by R·w and decreasing.
 *
 * Quadrature: where the density is infinite at an end (a < 1 at 0, b' < 1 at 1), f's value there
 * is taken out as a linear term integrated exactly (E[p] = a / (a + b')), so what is left vanishes
 * where the mass piles up; that rest by tanh-sinh quadrature
 * (Takahasi & Mori 1974) in the log-density, so Beta densities with a or b' near 0 (all mass
 * at an end) or both large (mass in a narrow peak: the interval is split at the mode) are
 * integrated alike. Step halving to a relative change below 1e-13.
 */
import { lbeta } from "./lgamma.ts";
import { tanhSinh } from "./tanh-sinh.ts";

/**
 * @internal E_{p ~ Beta(a, b)}[(1 − (1 + p·w)^(−R)) / p] for a, b, R > 0 and w >= 0.
 */
export function betaRenewalMean(a: number, b: number, R: number, w: number): number {
  if (!(a > 0 && b > 0 && R > 0 && w >= 0) || !Number.isFinite(a + b + R + w)) return Number.NaN;
  if (w === 0) return 0;
  const f0 = R * w;
  const f1 = -Math.expm1(-R * Math.log1p(w));
  const mean = a / (a + b);
  // the end values subtracted where the density is infinite there (a < 1 at 0, b < 1 at 1): the
  // rest then vanishes where the mass piles up; elsewhere the density itself vanishes (or is
  // finite) and f is integrated as it is (subtracting f(0) = R·w, large against f in a narrow
  // peak, only cancelled digits)
  const c0 = a < 1 ? f0 : 0, c1 = b < 1 ? f1 : 0;
  // f − L at p (with ln p and ln(1 − p) given, so both ends keep their precision)
  const rest = (p: number): number => {
    const pw = p * w;
    const lw = pw < 1e-8 ? w * (1 - pw / 2) : Math.log1p(pw) / p; // ln(1 + p·w) / p
    const u = R * p * lw;
    const f = u < 1e-8 ? R * lw * (1 - u / 2) : -Math.expm1(-u) / p;
    return f - (c0 + (c1 - c0) * p);
  };
  // With both shapes >= 1 the density is finite everywhere and its integral is taken with the
  // same points (the mean is their ratio): that cancels the quadrature's error in the peak and
  // the normalizing constant's (ln B(a, b) of two shapes of 1e6 is -1.4e6, its last digits lost);
  // the log-density is taken relative to its mode's. Otherwise (an end with infinite density)
  // the density is normalized by B(a, b).
  const ratio = a >= 1 && b >= 1;
  // a narrow peak (both shapes above 1) is split at the mode, where tanh-sinh puts its points
  const mode = a > 1 && b > 1 ? (a - 1) / (a + b - 2) : -1;
  const pieces: readonly (readonly [number, number])[] = mode > 0 && mode < 1 ? [[0, mode], [mode, 1]] : [[0, 1]];
  const logK = !ratio ? lbeta(a, b) : mode > 0 && mode < 1 ? (a - 1) * Math.log(mode) + (b - 1) * Math.log1p(-mode) : 0;
  // the log-density at p (1 − p = q given: near 1 it keeps its precision), relative to logK
  const density = (p: number, q: number): number => Math.exp((a - 1) * Math.log(p) + (b - 1) * Math.log(q) - logK);
  let num = 0, den = 0;
  for (const [lo, hi] of pieces) {
    num += tanhSinh((p, fromLo, toHi) => rest(p) * density(p, 1 - hi + toHi), lo, hi, 1e-13, ratio ? 0 : f0);
    if (ratio) den += tanhSinh((p, fromLo, toHi) => density(p, 1 - hi + toHi), lo, hi, 1e-13);
  }
  const integral = ratio ? num / den : num;
  return c0 + (c1 - c0) * mean + integral;
}
