/**
 * @internal The price rule: a reference price clamped to [cost × (1 + minMargin), list], in cents
 * (the lower bound rounded up, the upper bound rounded down). A missing cost or list leaves that
 * side open. Returns undefined when the range is empty (the offer is then dropped, never priced
 * outside it) or the reference is not a positive number with no bound to fall back on.
 */
export function clampPrice(reference: number, cost: number, list: number, minMargin: number): { price: number; list: number; cost: number } | undefined {
  const lo = cost >= 0 && Number.isFinite(cost) ? Math.ceil(cost * (1 + minMargin) * 100 - 1e-7) / 100 : 0.01;
  const hi = list > 0 && Number.isFinite(list) ? Math.floor(list * 100 + 1e-7) / 100 : Number.POSITIVE_INFINITY;
  if (lo > hi) return undefined;
  let price: number;
  if (reference > 0 && Number.isFinite(reference)) price = Math.round(reference * 100) / 100;
  else if (Number.isFinite(hi)) price = hi;
  else return undefined;
  price = Math.min(hi, Math.max(lo, price));
  return { price, list: list > 0 ? list : Number.NaN, cost: cost >= 0 ? cost : Number.NaN };
}

/** @internal Weighted median (the smallest value whose cumulative weight reaches half); NaN when empty or weightless. Ties in value keep input order irrelevant. */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const idx = Array.from({ length: n }, (_, i) => i).filter((i) => Number.isFinite(values[i]!) && weights[i]! > 0);
  if (idx.length === 0) return Number.NaN;
  idx.sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (const i of idx) total += weights[i]!;
  let acc = 0;
  for (const i of idx) {
    acc += weights[i]!;
    if (acc >= total / 2 - 1e-12 * total) return values[i]!;
  }
  return values[idx[idx.length - 1]!]!;
}
