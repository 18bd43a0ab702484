/**
 * @internal ∫ₗₒʰⁱ f(x) dx by tanh-sinh (double-exponential) quadrature (Takahasi & Mori 1974):
 * x = lo + (hi − lo)·(1 + tanh(π/2·sinh τ))/2 over |τ| <= 4, the step halved (reusing the points
 * so far) until the estimate moves by at most `tol`·(|estimate| + `scale`), at most 12 times
 * (h = 1/8192). The points crowd double-exponentially towards both ends, so integrable end
 * singularities and layers at an end cost little; but the points stop within e^(−85) of the width
 * from each end, so a singularity near x^(−1) loses the mass beyond them (x^(−0.9): 2e-4). `f` receives x and its distances to both ends,
 * computed without cancellation (x − lo and hi − x near an end keep their precision where x
 * itself does not). Points where f is not finite count as 0 (an end the quadrature rounds onto).
 * @param f - the integrand, f(x, x − lo, hi − x)
 * @param lo - lower end
 * @param hi - upper end (> lo)
 * @param tol - relative tolerance of the step halving
 * @param scale - added to |estimate| in the tolerance (for integrals that may be 0)
 */
export function tanhSinh(f: (x: number, fromLo: number, toHi: number) => number, lo: number, hi: number, tol: number = 1e-13, scale: number = 0): number {
  const width = hi - lo;
  if (!(width > 0)) return 0;
  const at = (tau: number): number => {
    const s = (Math.PI / 2) * Math.sinh(tau);
    const e = Math.exp(-2 * Math.abs(s));
    const near = (width * e) / (1 + e), far = width / (1 + e);
    const fromLo = s >= 0 ? far : near, toHi = s >= 0 ? near : far;
    const jac = (Math.PI * Math.cosh(tau) * near * far) / width; // dx/dτ
    if (!(near > 0 && jac > 0)) return 0;
    const v = f(s >= 0 ? hi - toHi : lo + fromLo, fromLo, toHi) * jac;
    return Number.isFinite(v) ? v : 0;
  };
  const T = 4; // the ends within e^(−85) of the width
  let h = 0.5;
  let sum = at(0);
  for (let k = 1; k * h <= T; k++) sum += at(k * h) + at(-k * h);
  let value = h * sum;
  for (let level = 0; level < 12; level++) {
    h /= 2;
    for (let k = 1; k * h <= T; k += 2) sum += at(k * h) + at(-k * h); // the new points: odd multiples of h
    const next = h * sum;
    const done = Math.abs(next - value) <= tol * (Math.abs(next) + scale);
    value = next;
    if (done && level >= 2) break;
  }
  return value;
}
