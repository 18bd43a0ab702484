/**
 * @internal The price rule: a reference price clamped to [cost × (1 + minMargin), list], in cents
 * (the lower bound rounded up, at least 0.01; the upper bound rounded down). A missing cost or list leaves that
 * side open. Returns undefined when the range is empty (the offer is then dropped, never priced
 * outside it) or the reference is not a positive number with no bound to fall back on.
 */
export function clampPrice(reference: number, cost: number, list: number, minMargin: number): { price: number; list: number; cost: number } | undefined {
  // never below one cent, also at a cost of 0 (a free sample's price would round to 0.00)
  const lo = cost >= 0 && Number.isFinite(cost) ? Math.max(0.01, Math.ceil(cost * (1 + minMargin) * 100 - 1e-7) / 100) : 0.01;
  const hi = list > 0 && Number.isFinite(list) ? Math.floor(list * 100 + 1e-7) / 100 : Number.POSITIVE_INFINITY;
  if (lo > hi) return undefined;
  let price: number;
  if (reference > 0 && Number.isFinite(reference)) price = Math.round(reference * 100) / 100;
  else if (Number.isFinite(hi)) price = hi;
  else return undefined;
  price = Math.min(hi, Math.max(lo, price));
  return { price, list: list > 0 ? list : Number.NaN, cost: cost >= 0 ? cost : Number.NaN };
}

/** @internal Weighted median (the smallest value whose cumulative weight reaches half; equal weights when every weight is 0); NaN when empty. {@link weightedMedianOf} of arrays. */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  return weightedMedianOf(Float64Array.from(values), Float64Array.from(weights), values.length);
}

let medianIdx = new Int32Array(256);

/** @internal {@link weightedMedian} of the first `n` entries of typed arrays (same result; no allocation for small n). */
export function weightedMedianOf(values: Float64Array, weights: Float64Array, n: number): number {
  const i = weightedMedianIndex(values, weights, n);
  return i >= 0 ? values[i]! : Number.NaN;
}

/** @internal The index (among the first `n`) of the entry {@link weightedMedianOf} returns, −1 when there is none. */
export function weightedMedianIndex(values: Float64Array, weights: Float64Array, n: number): number {
  if (n === 0) return -1;
  if (medianIdx.length < n) medianIdx = new Int32Array(Math.max(n, medianIdx.length * 2));
  const idx = medianIdx;
  let m = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(values[i]!) && weights[i]! > 0) idx[m++] = i;
  // every weight 0 (recency weights 2^(−age / half-life) underflow past ~1075 half-lives, a
  // half-life of a day): equal weights, not "no value" (the price fell back to list, the quantity to 1)
  let uniform = false;
  if (m === 0) {
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i]!) && weights[i] === 0) idx[m++] = i;
    if (m === 0) return -1;
    uniform = true;
  }
  // stable sort by value (insertion sort: the lists are short), ties keep index order
  if (m <= 64) {
    for (let a = 1; a < m; a++) {
      const x = idx[a]!, v = values[x]!;
      let b = a - 1;
      while (b >= 0 && values[idx[b]!]! > v) {
        idx[b + 1] = idx[b]!;
        b--;
      }
      idx[b + 1] = x;
    }
  } else idx.subarray(0, m).sort((x, y) => values[x]! - values[y]! || x - y);
  let total = 0;
  for (let a = 0; a < m; a++) total += uniform ? 1 : weights[idx[a]!]!;
  let acc = 0;
  for (let a = 0; a < m; a++) {
    acc += uniform ? 1 : weights[idx[a]!]!;
    if (acc >= total / 2 - 1e-12 * total) return idx[a]!;
  }
  return idx[m - 1]!;
}
