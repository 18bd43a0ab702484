import { lowerBoundInt } from "./int-search.ts";
import type { BasketModel } from "./model.ts";

/**
 * @internal Sparse item-item co-occurrence: for a product i, the products its buyers also bought
 * and how many of its buyers did (binary counts over customers). Rows are computed on demand from
 * the model's CSR lists (Σ over i's buyers of their basket sizes) and cached, pruned to the
 * `maxNeighbors` strongest by the shrunk Jaccard similarity together / (nᵢ + nⱼ − together +
 * shrink), stored sorted by product for binary search with that similarity (the item-based score
 * of offers).
 * Memory is O(products × maxNeighbors), never products².
 */
export interface Cooccurrence {
  /** Buyers of each product (nᵢ). */
  readonly buyers: Int32Array;
  /** Customers with a purchase (N). */
  readonly customers: number;
  /**
   * The pruned row of product i.
   * @param i - product index
   * @returns neighbours (ascending), how many customers bought both, and their shrunk Jaccard similarity
   */
  row(i: number): { readonly nbr: Int32Array; readonly together: Int32Array; readonly sim: Float64Array };
  /**
   * The full (unpruned) row of product i, written into `out` (length nP, all zero on entry except where listed).
   * @param i - product index
   * @param out - counts per product (only `touched` entries are set)
   * @returns the touched products, in order of first touch
   */
  fullRow(i: number, out: Int32Array): Int32Array;
}

/** @internal Co-occurrence over the model's pairs. */
export function cooccurrence(model: BasketModel, maxNeighbors: number, shrink: number): Cooccurrence {
  const { nP, itemStart, itemCust, pairStart, pairProduct } = model;
  const buyers = new Int32Array(nP);
  for (let p = 0; p < nP; p++) buyers[p] = itemStart[p + 1]! - itemStart[p]!;
  const rows: ({ nbr: Int32Array; together: Int32Array; sim: Float64Array } | undefined)[] = new Array(nP);
  const acc = new Int32Array(nP);
  let touched = new Int32Array(256);
  const EMPTY = { nbr: new Int32Array(0), together: new Int32Array(0), sim: new Float64Array(0) };
  /** Shrunk Jaccard similarity of i and j, who share `both` buyers. */
  const jaccard = (i: number, j: number, both: number): number => both / (buyers[i]! + shrink + buyers[j]! - both);
  let score = new Float64Array(1024), work = new Float64Array(1024);
  const fill = (i: number, out: Int32Array): number => {
    let t = 0;
    for (let e = itemStart[i]!; e < itemStart[i + 1]!; e++) {
      const u = itemCust[e]!;
      for (let k = pairStart[u]!; k < pairStart[u + 1]!; k++) {
        const j = pairProduct[k]!;
        if (j === i) continue;
        if (out[j]!++ === 0) {
          if (t === touched.length) {
            const g = new Int32Array(touched.length * 2);
            g.set(touched);
            touched = g;
          }
          touched[t++] = j;
        }
      }
    }
    return t;
  };
  const row = (i: number): { nbr: Int32Array; together: Int32Array; sim: Float64Array } => {
    const cached = rows[i];
    if (cached) return cached;
    if (buyers[i] === 0) return (rows[i] = EMPTY);
    const t = fill(i, acc);
    let keep: Int32Array;
    if (t <= maxNeighbors) keep = touched.slice(0, t);
    else {
      // the maxNeighbors largest by shrunk Jaccard (ties: smaller product index), by a
      // quickselect of the threshold (no sort per row)
      if (score.length < t) {
        score = new Float64Array(Math.max(t, score.length * 2));
        work = new Float64Array(score.length);
      }
      for (let a = 0; a < t; a++) {
        const j = touched[a]!;
        score[a] = work[a] = jaccard(i, j, acc[j]!);
      }
      const threshold = kthSmallest(work.subarray(0, t), t - maxNeighbors);
      const ties: number[] = [];
      keep = new Int32Array(maxNeighbors);
      let n = 0;
      for (let a = 0; a < t; a++) {
        if (score[a]! > threshold) keep[n++] = touched[a]!;
        else if (score[a] === threshold) ties.push(touched[a]!);
      }
      ties.sort((x, y) => x - y);
      for (let a = 0; n < maxNeighbors; a++) keep[n++] = ties[a]!;
    }
    keep.sort();
    const together = new Int32Array(keep.length);
    const sim = new Float64Array(keep.length);
    for (let a = 0; a < keep.length; a++) {
      together[a] = acc[keep[a]!]!;
      sim[a] = jaccard(i, keep[a]!, together[a]!);
    }
    for (let a = 0; a < t; a++) acc[touched[a]!] = 0;
    const r = { nbr: keep, together, sim };
    rows[i] = r;
    return r;
  };
  const fullRow = (i: number, out: Int32Array): Int32Array => {
    // fill first: it may replace `touched` with a larger buffer (`touched.slice(0, fill(…))` would
    // slice the old one, losing every product touched after the growth)
    const t = fill(i, out);
    return touched.slice(0, t);
  };
  return { buyers, customers: model.buyers, row, fullRow };
}

/** @internal Index of `x` in the ascending `a`, or −1. */
export function indexIn(a: Int32Array, x: number): number {
  const i = lowerBoundInt(a, x, 0, a.length);
  return i < a.length && a[i] === x ? i : -1;
}

/** The k-th smallest (0-based) of `xs` by quickselect (reorders `xs`). */
function kthSmallest(xs: Float64Array, k: number): number {
  let lo = 0, hi = xs.length - 1;
  while (lo < hi) {
    const pivot = xs[(lo + hi) >> 1]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (xs[i]! < pivot) i++;
      while (xs[j]! > pivot) j--;
      if (i <= j) {
        const x = xs[i]!;
        xs[i++] = xs[j]!;
        xs[j--] = x;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return xs[k]!;
  }
  return xs[k]!;
}
