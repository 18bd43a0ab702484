/**
 * @internal The price rule: a reference price clamped to [cost × (1 + minMargin), list], on the
 * item's price step (the lower bound rounded up, at least one step; the upper bound rounded down):
 * cents, or for an item priced below 0.10 (its list and cost floor; the reference when it has no
 * list) two significant digits of its price scale (a bolt at
 * 0.004 a piece is offered at 0.004, not 0.01: cents made it 2.5 times its price and dropped
 * items whose cost and list fell into one cent; review 2026-12-07). A missing cost or list leaves
 * that side open. Returns undefined when the range is empty (the offer is then dropped, never
 * priced outside it) or the reference is not a positive number with no bound to fall back on.
 */
export function clampPrice(reference: number, cost: number, list: number, minMargin: number): { price: number; list: number; cost: number } | undefined {
  const floor = cost >= 0 && Number.isFinite(cost) ? cost * (1 + minMargin) : Number.NaN;
  // the item's step from its list and cost floor, the reference only when it has no list (a
  // reference above 0.10, e.g. paid before a list cut, put an item listed at 0.099 on cents and
  // priced it 0.09; a self-review)
  const hasList = list > 0 && Number.isFinite(list);
  const decimals = priceDecimals(Math.max(hasList ? list : 0, floor > 0 ? floor : 0, !hasList && reference > 0 && Number.isFinite(reference) ? reference : 0));
  const scale = 10 ** decimals;
  const on = (units: number): number => Number((units / scale).toFixed(decimals));
  // never below one step, also at a cost of 0 (a free sample's price would round to 0.00)
  const lo = on(Math.max(1, floor >= 0 ? Math.ceil(floor * scale - 1e-7) : 1));
  const hi = list > 0 && Number.isFinite(list) ? on(Math.floor(list * scale + 1e-7)) : Number.POSITIVE_INFINITY;
  if (lo > hi) return undefined;
  let price: number;
  if (reference > 0 && Number.isFinite(reference)) price = on(Math.round(reference * scale));
  else if (Number.isFinite(hi)) price = hi;
  else return undefined;
  price = Math.min(hi, Math.max(lo, price));
  return { price, list: list > 0 ? list : Number.NaN, cost: cost >= 0 ? cost : Number.NaN };
}

/** Decimals of the price step for an item whose prices reach `scale`: 2 (cents) from 0.10 up (and when nothing is known), else two significant digits of it (0.004 → 4 decimals), at most 10. */
function priceDecimals(scale: number): number {
  if (!(scale > 0) || scale >= 0.1) return 2;
  return Math.min(10, 1 - Math.floor(Math.log10(scale)));
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

/**
 * @internal Decimals that show a unit price as it is: 2 (cents) for a price on cents or from 0.10
 * up, else as many as it needs, at most 10 (a bolt's suggested 0.004 read "0.00" in the briefs).
 * @param x - a price
 * @returns decimals for a formatter
 */
export function priceDecimalsOf(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 0.1 || Number(x.toFixed(2)) === x) return 2;
  for (let d = 3; d < 10; d++) if (Number(x.toFixed(d)) === x) return d;
  return 10;
}
