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
  // a product touches at most every other product: one nP buffer, never grown
  const touched = new Int32Array(nP);
  const EMPTY = { nbr: new Int32Array(0), together: new Int32Array(0), sim: new Float64Array(0) };
  let score = new Float64Array(1024), work = new Float64Array(1024);
  const ties = new Int32Array(nP);
  const row = (i: number): { nbr: Int32Array; together: Int32Array; sim: Float64Array } => {
    const cached = rows[i];
    if (cached) return cached;
    if (buyers[i] === 0) return (rows[i] = EMPTY);
    const t = fillRow(i, itemStart, itemCust, pairStart, pairProduct, acc, touched, MAX_BASKET);
    let keep: Int32Array;
    if (t <= maxNeighbors) keep = touched.slice(0, t);
    else {
      if (score.length < t) {
        score = new Float64Array(Math.max(t, score.length * 2));
        work = new Float64Array(score.length);
      }
      keep = strongest(i, t, maxNeighbors, shrink, buyers, acc, touched, score, work, ties);
    }
    keep.sort();
    const together = new Int32Array(keep.length);
    const sim = new Float64Array(keep.length);
    const ni = buyers[i]! + shrink;
    for (let a = 0; a < keep.length; a++) {
      const j = keep[a]!, both = acc[j]!;
      together[a] = both;
      sim[a] = shrunkJaccard(ni, buyers[j]!, both);
    }
    for (let a = 0; a < t; a++) acc[touched[a]!] = 0;
    const r = { nbr: keep, together, sim };
    rows[i] = r;
    return r;
  };
  const fullRow = (i: number, out: Int32Array): Int32Array => touched.slice(0, fillRow(i, itemStart, itemCust, pairStart, pairProduct, out, touched, Infinity));
  return { buyers, customers: model.buyers, row, fullRow };
}

/** The shrunk Jaccard similarity together / (nᵢ + shrink + nⱼ − together), with `niShrunk` = nᵢ + shrink: the one formula the rows are pruned by and carry. */
function shrunkJaccard(niShrunk: number, nj: number, together: number): number {
  return together / (niShrunk + nj - together);
}

/**
 * @internal Distinct products above which a customer's basket is left out of the pruned rows'
 * counts (the similarity offers are scored by; `fullRow`, the counts similarProducts shows, keeps
 * it). A basket of everything (a chain's head office buying 20,000 products) co-occurs with
 * every product, says little about which products go together, and made every row it is in cost
 * its size: one such customer took recommend from 0.7 s to 9.9 s.
 */
export const MAX_BASKET = 2000;

/**
 * The unpruned row of product i: `out[j]` += 1 for each buyer of i (with at most `maxBasket`
 * products) who bought j (j ≠ i), the products reached listed in `touched` in order of first
 * touch. A module function over its arrays (no closure context in the loop that runs Σ buyers ×
 * basket size times, 4.5M at 1M lines).
 * @returns how many products were touched
 */
function fillRow(i: number, itemStart: Int32Array, itemCust: Int32Array, pairStart: Int32Array, pairProduct: Int32Array, out: Int32Array, touched: Int32Array, maxBasket: number): number {
  let t = 0;
  const e1 = itemStart[i + 1]!;
  for (let e = itemStart[i]!; e < e1; e++) {
    const u = itemCust[e]!;
    const k1 = pairStart[u + 1]!;
    if (k1 - pairStart[u]! > maxBasket) continue;
    for (let k = pairStart[u]!; k < k1; k++) {
      const j = pairProduct[k]!;
      if (j !== i && out[j]!++ === 0) touched[t++] = j;
    }
  }
  return t;
}

/**
 * The `m` strongest of the t touched products by shrunk Jaccard together / (nᵢ + nⱼ − together +
 * shrink), ties by the smaller product index, by a quickselect of the threshold (no sort per row).
 * @returns the kept products (unordered)
 */
function strongest(i: number, t: number, m: number, shrink: number, buyers: Int32Array, acc: Int32Array, touched: Int32Array, score: Float64Array, work: Float64Array, ties: Int32Array): Int32Array {
  const ni = buyers[i]! + shrink;
  for (let a = 0; a < t; a++) {
    const j = touched[a]!;
    score[a] = work[a] = shrunkJaccard(ni, buyers[j]!, acc[j]!);
  }
  const threshold = kthSmallest(work.subarray(0, t), t - m);
  const keep = new Int32Array(m);
  let n = 0, nt = 0;
  for (let a = 0; a < t; a++) {
    if (score[a]! > threshold) keep[n++] = touched[a]!;
    else if (score[a] === threshold) ties[nt++] = touched[a]!;
  }
  const tied = ties.subarray(0, nt).sort();
  for (let a = 0; n < m; a++) keep[n++] = tied[a]!;
  return keep;
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
