import type { Dataset } from "../../data/dataset.ts";
import type { ItemHistory } from "./item-history.ts";

/** @internal Display name of a product: its name when known, else its id. */
export function productLabel(view: Dataset, p: number): string {
  const name = view.products.name[p];
  const id = view.ids.products.values[p]!;
  return name !== undefined && name !== "" ? name : id;
}

/** @internal Median of the numbers (NaN when empty); does not modify the input. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort(); // numeric order, without a comparator call per comparison
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * @internal Whether customer c is still ordering as of `asOf`: its last purchase day is within
 * max(60, 4 × its mean gap over its last (up to) 10 gaps) days. A customer with one purchase day
 * is not judged (false).
 */
export function stillOrdering(h: ItemHistory, c: number, asOf: number): boolean {
  const a = h.dayStart[c]!, b = h.dayStart[c + 1]!;
  if (b - a < 2) return false;
  const last = h.days[b - 1]!;
  const from = Math.max(a, b - 11);
  const meanGap = (last - h.days[from]!) / (b - 1 - from);
  return asOf - last <= Math.max(60, 4 * meanGap);
}

/** @internal Purchase days of customer c in `(asOf − 365, asOf]`, at least 1 (the yearly rate its tests are budgeted on). */
export function purchaseDaysPerYear(h: ItemHistory, c: number, asOf: number): number {
  let n = 0;
  for (let d = h.dayStart[c + 1]! - 1; d >= h.dayStart[c]! && h.days[d]! > asOf - 365; d--) n++;
  return Math.max(1, n);
}

/**
 * @internal The span in days of `n` recent purchase days, the first on `first` and the last on
 * `last`, against a baseline that holds one gap per purchase: their own n − 1 gaps plus one of
 * their mean gap, or to asOf when that is later (a silence after them). Counted to asOf alone, 3
 * orders with the last on asOf read 1.5 times as frequent as the same rhythm before, and a reading
 * moved from day to day without new data (self-review 2026-12-07).
 */
export function recentSpanDays(first: number, last: number, n: number, asOf: number): number {
  return Math.max(n > 1 ? ((last - first) * n) / (n - 1) : 0, asOf + 1 - first);
}
