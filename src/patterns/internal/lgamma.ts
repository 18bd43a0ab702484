/**
 * Natural log of the gamma function for real x > 0 (and non-integer x < 0 through the
 * reflection formula), by the Lanczos approximation with g = 7, n = 9 (Lanczos 1964; the
 * coefficients of Godfrey, as in Press et al., Numerical Recipes). Relative error about 1e-15
 * for x > 0.5; absolute error about 1e-14 near the zeros at 1 and 2. Returns +Infinity at 0 and
 * at the negative integers, NaN for NaN.
 * @internal
 */
const G = 7;
const P: readonly number[] = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.9189385332046728;

/** @internal ln Γ(x). */
export function lgamma(x: number): number {
  if (x !== x) return Number.NaN;
  if (x < 0.5) {
    if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  if (x === Number.POSITIVE_INFINITY) return x;
  const z = x - 1;
  let s = P[0]!;
  for (let i = 1; i < 9; i++) s += P[i]! / (z + i);
  const t = z + G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** @internal ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** @internal Alias of {@link lgamma} (the name the Student-t code uses). */
export const logGamma: (x: number) => number = lgamma;
