import type { BacktestQuantiles } from "../types.ts";

/** @internal Quartiles, median and max of a sample (linear interpolation between order statistics); undefined when empty. */
export function quantiles(xs: readonly number[]): BacktestQuantiles | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(s.length - 1, lo + 1);
    return round(s[lo]! + (h - lo) * (s[hi]! - s[lo]!));
  };
  return { n: s.length, p25: q(0.25), median: q(0.5), p75: q(0.75), max: s[s.length - 1]! };
}

/** @internal Median of a sample (NaN when empty). */
export function median(xs: readonly number[]): number {
  return quantiles(xs)?.median ?? Number.NaN;
}

/** @internal Rounded to 6 decimals (stable printing, no float noise). */
export function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** @internal a ÷ b rounded, undefined when b is 0. */
export function ratio(a: number, b: number): number | undefined {
  return b > 0 ? round(a / b) : undefined;
}
