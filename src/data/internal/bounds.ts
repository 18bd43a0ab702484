/**
 * @internal Binary searches over an ascending range `sorted[lo..hi)` (days, offsets). Lines are
 * sorted by day within a customer and purchase days are ascending, so every "how many on or before
 * day d" and "first one on or after day d" question is one of these two.
 */

/** @internal First index in [lo, hi) whose value is ≥ x (hi when none). */
export function lowerBound(sorted: ArrayLike<number>, x: number, lo = 0, hi: number = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** @internal First index in [lo, hi) whose value is > x (hi when none): with lo = 0, the number of values ≤ x. */
export function upperBound(sorted: ArrayLike<number>, x: number, lo = 0, hi: number = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
