import type { Dataset } from "../../data/dataset.ts";
import { MAX_BASKET } from "./cooccurrence.ts";

/**
 * @internal The baselines evaluateRecommendations compares the recommender with (docs/recommend.md,
 * "Evaluation"), all computed from the same purchases before the split:
 * - global popularity: products by the number of distinct customers who bought them;
 * - segment popularity: the same within the customer's segment (else its region, else everyone),
 *   then the global order for the rest;
 * - SAR-style item-item Jaccard: co-occurrence = customers who bought both, similarity
 *   c_ij / (c_i + c_j − c_ij), a customer's score of j = Σ over owned i of affinity(i) · J(i, j),
 *   affinity = the customer's order occasions with i, each weighted 2^(−age / half-life);
 * - personal top frequency: the customer's own items by order occasions (for repeat items).
 * Popularity and Jaccard lists leave out the customer's owned items. Ties: product id order.
 * Memory stays sparse: customer x item lists and, per item, its strongest `neighbours` items.
 */

/** @internal Each customer's distinct purchased items before the split (CSR, items ascending). */
export interface PurchaseBasis {
  /** Number of customers (dictionary size). */
  readonly customers: number;
  /** Number of products (dictionary size). */
  readonly products: number;
  /** Items of customer c: `items[itemStart[c] .. itemStart[c + 1])`. */
  readonly itemStart: Uint32Array;
  /** Product ids, ascending within a customer. */
  readonly items: Uint32Array;
  /** Order occasions (distinct orders) with the item. */
  readonly occasions: Uint32Array;
  /** Last purchase day of the item. */
  readonly lastDay: Int32Array;
  /** Order occasions weighted 2^(−(asOf − day) / halfLife). */
  readonly affinity: Float64Array;
}

/** SAR's default time-decay half-life, in days. */
export const SAR_HALF_LIFE_DAYS = 30;

/**
 * @internal Distinct purchased items per customer of a view (returns and non-positive quantities
 * are not purchases). `asOf` anchors the affinity decay.
 */
export function purchaseBasis(view: Dataset, asOf: number, halfLife: number = SAR_HALF_LIFE_DAYS): PurchaseBasis {
  const L = view.lines;
  const C = view.customerEnd.length;
  const P = view.ids.products.size;
  const count = new Uint32Array(P);
  const last = new Int32Array(P);
  const aff = new Float64Array(P);
  // the order each product was last counted in (an order is one occasion, on its earliest date,
  // also when its lines carry two dates: adjacent lines only, they counted it twice)
  const countedIn = new Int32Array(P).fill(-1);
  const touched: number[] = [];
  const itemStart = new Uint32Array(C + 1);
  let items = new Uint32Array(1024);
  let occ = new Uint32Array(1024);
  let lastDay = new Int32Array(1024);
  let affinity = new Float64Array(1024);
  let n = 0;
  const lambda = Math.LN2 / halfLife;
  for (let c = 0; c < C; c++) {
    itemStart[c] = n;
    for (let i = view.customerStart[c]!, end = view.customerEnd[c]!; i < end; i++) {
      if (L.isReturn[i] || !(L.quantity[i]! > 0)) continue;
      const p = L.product[i]!;
      const o = L.order[i]!;
      if (countedIn[p] === o) continue; // the same item twice in one order
      countedIn[p] = o;
      if (count[p] === 0) touched.push(p);
      count[p]!++;
      const d = L.day[i]!;
      last[p] = d; // lines are in day order
      aff[p]! += Math.exp(-lambda * Math.max(0, asOf - d));
    }
    if (touched.length === 0) continue;
    touched.sort((a, b) => a - b);
    if (n + touched.length > items.length) {
      const size = Math.max(2 * items.length, n + touched.length);
      items = grow(items, size, Uint32Array);
      occ = grow(occ, size, Uint32Array);
      lastDay = grow(lastDay, size, Int32Array);
      affinity = grow(affinity, size, Float64Array);
    }
    for (const p of touched) {
      items[n] = p;
      occ[n] = count[p]!;
      lastDay[n] = last[p]!;
      affinity[n] = aff[p]!;
      n++;
      count[p] = 0;
      aff[p] = 0;
      countedIn[p] = -1;
    }
    touched.length = 0;
  }
  itemStart[C] = n;
  return { customers: C, products: P, itemStart, items: items.subarray(0, n), occasions: occ.subarray(0, n), lastDay: lastDay.subarray(0, n), affinity: affinity.subarray(0, n) };
}

function grow<T extends Uint32Array | Int32Array | Float64Array>(a: T, size: number, make: new (n: number) => T): T {
  const out = new make(size);
  out.set(a as never);
  return out;
}

/** @internal Whether customer c owns product p (binary search in its sorted items). */
export function owns(b: PurchaseBasis, c: number, p: number): boolean {
  let lo = b.itemStart[c]!;
  let hi = b.itemStart[c + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = b.items[mid]!;
    if (v === p) return true;
    if (v < p) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** @internal Products by descending count, then product id; products with count 0 left out. */
function rankByCount(counts: Uint32Array): Uint32Array {
  const ps: number[] = [];
  for (let p = 0; p < counts.length; p++) if (counts[p]! > 0) ps.push(p);
  ps.sort((a, b) => counts[b]! - counts[a]! || a - b);
  return Uint32Array.from(ps);
}

/** @internal Global popularity: products by distinct buying customers. */
export function globalPopularity(b: PurchaseBasis): Uint32Array {
  const counts = new Uint32Array(b.products);
  for (let j = 0; j < b.itemStart[b.customers]!; j++) counts[b.items[j]!]!++;
  return rankByCount(counts);
}

/** @internal The first k products of `ranked` that customer c does not own (owned items left out). */
export function topUnowned(b: PurchaseBasis, c: number, ranked: ArrayLike<number>, k: number, also?: ArrayLike<number>): number[] {
  const out: number[] = [];
  const taken = also !== undefined ? new Set<number>() : undefined;
  for (const list of also !== undefined ? [ranked, also] : [ranked]) {
    for (let j = 0; j < list.length && out.length < k; j++) {
      const p = list[j]!;
      if (taken?.has(p) || owns(b, c, p)) continue;
      taken?.add(p);
      out.push(p);
    }
  }
  return out;
}

/**
 * @internal Segment popularity: per customer group (segment, else region, else everyone) the
 * products by distinct buying customers of the group. Returns the group of each customer (-1:
 * everyone) and the ranked list of each group.
 */
export function segmentPopularity(view: Dataset, b: PurchaseBasis): { groupOf: Int32Array; ranked: readonly Uint32Array[] } {
  const groupOf = new Int32Array(b.customers).fill(-1);
  const keys = new Map<string, number>();
  for (let c = 0; c < b.customers; c++) {
    const s = view.customers.segment[c] ?? -1;
    const r = view.customers.region[c] ?? -1;
    const key = s >= 0 ? `s${s}` : r >= 0 ? `r${r}` : undefined;
    if (key === undefined) continue;
    let g = keys.get(key);
    if (g === undefined) keys.set(key, (g = keys.size));
    groupOf[c] = g;
  }
  const counts = Array.from({ length: keys.size }, () => new Uint32Array(b.products));
  for (let c = 0; c < b.customers; c++) {
    const g = groupOf[c]!;
    if (g < 0) continue;
    const cnt = counts[g]!;
    for (let j = b.itemStart[c]!; j < b.itemStart[c + 1]!; j++) cnt[b.items[j]!]!++;
  }
  return { groupOf, ranked: counts.map(rankByCount) };
}

/** @internal Item-item Jaccard neighbours (CSR over items, strongest first, at most `neighbours` per item). */
export interface JaccardModel {
  readonly start: Uint32Array;
  readonly item: Uint32Array;
  /** J(i, j) as doubles: single precision made 1/3 + 1/6 exceed 1/2 and broke exact ties out of product-id order. */
  readonly weight: Float64Array;
}

/**
 * Default neighbours kept per item: all of them, so the baseline is the documented formula
 * Σ affinity(i) · J(i, j). A limit of 500 (until 2026-12-06, "the top-10 lists hardly ever reach
 * past it") changed 36 of 125 top-10 lists on a 150-customer synthetic run; on the 1.08M-line one
 * the exact baseline's new-item recall@10 reads 0.107 for 0.109, evaluation 2.1 -> 2.5 s. Memory is
 * the co-occurring item pairs (sparse: no products x products matrix).
 */
export const JACCARD_NEIGHBOURS: number = Number.POSITIVE_INFINITY;

/** @internal Build the Jaccard neighbour lists from the customer x item basis (baskets of more than MAX_BASKET products left out of the counts, as in the recommender's rows). */
export function jaccardModel(b: PurchaseBasis, neighbours: number = JACCARD_NEIGHBOURS): JaccardModel {
  const P = b.products;
  const C = b.customers;
  // item -> customers (transpose)
  const buyers = new Uint32Array(P);
  const nnz = b.itemStart[C]!;
  for (let j = 0; j < nnz; j++) buyers[b.items[j]!]!++;
  const custStart = new Uint32Array(P + 1);
  for (let p = 0; p < P; p++) custStart[p + 1] = custStart[p]! + buyers[p]!;
  const fill = custStart.slice(0, P);
  const cust = new Uint32Array(nnz);
  for (let c = 0; c < C; c++) for (let j = b.itemStart[c]!; j < b.itemStart[c + 1]!; j++) cust[fill[b.items[j]!]!++] = c;

  const co = new Uint32Array(P);
  const touched = new Uint32Array(P);
  const start = new Uint32Array(P + 1);
  let item = new Uint32Array(Math.min(P * neighbours, 1 << 16) || 1);
  let weight = new Float64Array(item.length);
  let n = 0;
  const cand: number[] = [];
  const w = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    start[i] = n;
    if (buyers[i] === 0) continue;
    let t = 0;
    for (let u = custStart[i]!; u < custStart[i + 1]!; u++) {
      const c = cust[u]!;
      // a basket of everything co-occurs with every product (the recommender's rows leave it out
      // alike, MAX_BASKET): one customer of 16,000 products made 256M pairs, 4.3 GB and 26 s
      if (b.itemStart[c + 1]! - b.itemStart[c]! > MAX_BASKET) continue;
      for (let j = b.itemStart[c]!; j < b.itemStart[c + 1]!; j++) {
        const p = b.items[j]!;
        if (co[p] === 0) touched[t++] = p;
        co[p]!++;
      }
    }
    cand.length = 0;
    for (let x = 0; x < t; x++) {
      const p = touched[x]!;
      if (p !== i) {
        w[p] = co[p]! / (buyers[i]! + buyers[p]! - co[p]!);
        cand.push(p);
      }
    }
    cand.sort((a, b2) => w[b2]! - w[a]! || a - b2);
    const keep = Math.min(neighbours, cand.length);
    if (n + keep > item.length) {
      const size = Math.max(2 * item.length, n + keep);
      const it2 = new Uint32Array(size);
      it2.set(item);
      item = it2;
      const w2 = new Float64Array(size);
      w2.set(weight);
      weight = w2;
    }
    for (let x = 0; x < keep; x++) {
      item[n] = cand[x]!;
      weight[n] = w[cand[x]!]!;
      n++;
    }
    for (let x = 0; x < t; x++) co[touched[x]!] = 0;
  }
  start[P] = n;
  return { start, item: item.subarray(0, n), weight: weight.subarray(0, n) };
}

/**
 * @internal The k best unowned products of customer c by Σ_owned affinity · Jaccard; `scratch`
 * is a zeroed Float64Array of the product count (left zeroed).
 */
export function jaccardTopK(b: PurchaseBasis, m: JaccardModel, c: number, k: number, scratch: Float64Array): number[] {
  const cand: number[] = [];
  for (let j = b.itemStart[c]!; j < b.itemStart[c + 1]!; j++) {
    const i = b.items[j]!;
    const a = b.affinity[j]!;
    for (let x = m.start[i]!; x < m.start[i + 1]!; x++) {
      const p = m.item[x]!;
      if (scratch[p] === 0) cand.push(p);
      scratch[p]! += a * m.weight[x]!;
    }
  }
  const keep = cand.filter((p) => scratch[p]! > 0 && !owns(b, c, p));
  keep.sort((x, y) => scratch[y]! - scratch[x]! || x - y);
  for (const p of cand) scratch[p] = 0;
  return keep.slice(0, k);
}

/** @internal The customer's own items by order occasions, then the latest purchase, then product id. */
export function personalTopFrequency(b: PurchaseBasis, c: number, k: number): number[] {
  const js: number[] = [];
  for (let j = b.itemStart[c]!; j < b.itemStart[c + 1]!; j++) js.push(j);
  js.sort((x, y) => b.occasions[y]! - b.occasions[x]! || b.lastDay[y]! - b.lastDay[x]! || b.items[x]! - b.items[y]!);
  return js.slice(0, k).map((j) => b.items[j]!);
}
