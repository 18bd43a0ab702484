/** @internal Arithmetic mean (NaN for none). */
export function avg(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** @internal Population variance about `mean`. */
export function variance(xs: readonly number[], mean: number): number {
  let s = 0;
  for (const x of xs) s += (x - mean) ** 2;
  return s / xs.length;
}

/**
 * @internal The mean and sample standard deviation of a customer's gaps in days, as its rhythm
 * reports them (`meanGapDays`, `sdGapDays`): undefined without gaps, the deviation undefined
 * with one.
 * @param gaps - gaps in days
 * @returns their mean and standard deviation
 */
export function gapMoments(gaps: readonly number[]): { mean: number | undefined; sd: number | undefined } {
  const mean = gaps.length ? avg(gaps) : undefined;
  const sd = gaps.length >= 2 ? Math.sqrt(variance(gaps, mean!) * (gaps.length / (gaps.length - 1))) : undefined;
  return { mean, sd };
}
