/**
 * Tail probabilities shared by the segment- and rep-level detectors (product_vanishing,
 * pipeline_stall): the upper tail of a Poisson-binomial count (a sum of independent Bernoulli
 * variables with their own probabilities), exactly, by dynamic programming over the pmf.
 * @internal
 */

/** Smallest tail reported: a smaller one underflows doubles and reads as this. */
export const MIN_TAIL = 1e-300;

/**
 * @internal P(X ≥ x) for X = Σ Bernoulli(p_i), independent. Exact O(n · min(x, n)) recursion on
 * the pmf of the count capped at x (the last cell collects "x or more"), no subtraction, so tails
 * far below machine epsilon keep their relative precision (floored at {@link MIN_TAIL}).
 */
export function poissonBinomialTail(probabilities: ArrayLike<number>, x: number): number {
  const n = probabilities.length;
  if (x <= 0) return 1;
  if (x > n) return 0;
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
  return Math.max(MIN_TAIL, Math.min(1, f[x]!));
}

/** @internal −ln of a tail probability: the "surprise" score used to rank candidate change days. */
export function surprise(tail: number): number {
  return -Math.log(Math.max(MIN_TAIL, tail));
}
