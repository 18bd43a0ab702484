/**
 * @internal First index in [lo, hi) of the ascending Int32Array `a` whose value is >= x (hi when
 * none): `lowerBound` of data/internal/bounds.ts for Int32Array only. That one takes any
 * ArrayLike and is called across the library with number arrays, Float64Arrays and Int32Arrays,
 * so its element load goes polymorphic; the recommender's hot searches (a product in a
 * co-occurrence row, a neighbour among a product's buyers: millions per call) stay monomorphic here.
 */
export function lowerBoundInt(a: Int32Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
