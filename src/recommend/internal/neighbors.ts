import { MAX_DENSE_CELLS, type BasketModel } from "./model.ts";

/** @internal Posting-list entries visited per customer at most by default (rarest products first): bounds the cost on large customer bases. */
export const VISIT_BUDGET = 15_000;

/**
 * @internal Nearest customers by basket: cosine similarity of binary product vectors weighted by
 * idf = ln(1 + N / nᵢ) (a product everyone buys says little about who is alike). Candidates are
 * found through the product -> buyers lists, rarest product first, within a budget of visited
 * entries. Neighbours come from the customer's own segment first; when it has fewer than `k` with
 * a shared product (or the customer has no segment), the rest come from all customers.
 */
export interface NeighborFinder {
  /**
   * The `k` nearest customers of c.
   * @param c - customer index
   * @param outIdx - neighbour customers (length >= k)
   * @param outSim - their similarity (length >= k)
   * @returns how many were found (<= k), most similar first (ties: smaller index)
   */
  find(c: number, outIdx: Int32Array, outSim: Float64Array): number;
}

/** @internal A neighbour finder over the model. */
export function neighborFinder(model: BasketModel, k: number, budget: number = VISIT_BUDGET, maxDense: number = MAX_DENSE_CELLS): NeighborFinder {
  const { nC, nP, pairStart, pairProduct, itemStart, itemCust } = model;
  const N = Math.max(1, model.buyers);
  const idf = new Float64Array(nP);
  for (let p = 0; p < nP; p++) {
    const n = itemStart[p + 1]! - itemStart[p]!;
    idf[p] = n > 0 ? Math.log(1 + N / n) : 0;
  }
  const norm = new Float64Array(nC);
  for (let c = 0; c < nC; c++) {
    let s = 0;
    for (let e = pairStart[c]!; e < pairStart[c + 1]!; e++) s += idf[pairProduct[e]!]! ** 2;
    norm[c] = Math.sqrt(s);
  }
  const segment = model.view.customers.segment;
  const nS = model.view.ids.segments.size;
  // each product's buyers again, ordered by (segment, customer): a search within one segment
  // visits that segment's range only, in the same customer order as a filtered pass over all
  // buyers; segFrom[p × (nS + 1) + s] is where segment s starts in product p's range (s = nS: its
  // end). Built on the first search within a segment (never without segments).
  let segBuyers: Int32Array | undefined;
  let segFrom: Int32Array | undefined;
  const buyersBySegment = (): Int32Array => {
    if (segBuyers) return segBuyers;
    const list = new Int32Array(itemCust.length);
    const fill = itemStart.slice(0, nP);
    const customers = Int32Array.from({ length: nC }, (_, u) => u).sort((x, y) => segment[x]! - segment[y]! || x - y);
    for (let r = 0; r < nC; r++) {
      const u = customers[r]!;
      for (let e = pairStart[u]!; e < pairStart[u + 1]!; e++) list[fill[pairProduct[e]!]!++] = u;
    }
    // the dense table only while it stays small (60,000 products x 4,000 segments would be 960 MB):
    // else each range is found by binary search in the product's (segment-sorted) buyers
    if ((nS + 1) * nP <= maxDense) {
      const from = new Int32Array(nP * (nS + 1));
      for (let p = 0; p < nP; p++) {
        let e = itemStart[p]!;
        const hi = itemStart[p + 1]!;
        for (let g = 0; g <= nS; g++) {
          while (e < hi && segment[list[e]!]! < g) e++;
          from[p * (nS + 1) + g] = e;
        }
      }
      segFrom = from;
    }
    return (segBuyers = list);
  };
  /** Where segment g starts in product p's segment-sorted buyers (g = nS: the range's end). */
  const segmentStart = (list: Int32Array, p: number, g: number): number => {
    if (segFrom) return segFrom[p * (nS + 1) + g]!;
    let lo = itemStart[p]!, hi = itemStart[p + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segment[list[mid]!]! < g) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const acc = new Float64Array(nC);
  const seen = new Int32Array(nC); // === epoch: touched by the current search
  let epoch = 0;
  let touched = new Int32Array(1024);
  let order = new Int32Array(256);
  const topIdx = new Int32Array(k), topSim = new Float64Array(k);
  // products by (buyers, index) ascending: the visiting order, as ranks (a numeric sort per customer)
  const byRank = Int32Array.from({ length: nP }, (_, p) => p).sort((x, y) => itemStart[x + 1]! - itemStart[x]! - (itemStart[y + 1]! - itemStart[y]!) || x - y);
  const rankOf = new Int32Array(nP);
  for (let r = 0; r < nP; r++) rankOf[byRank[r]!] = r;
  /** Accumulate the idf² overlaps of c with the customers sharing its products (only segment `only` when >= 0); returns how many were touched. */
  const scatter = (c: number, items: Int32Array, only: number): number => {
    let t = 0, visited = 0;
    const ep = ++epoch;
    const bySegment = only >= 0 ? buyersBySegment() : undefined;
    for (let q = 0; q < items.length; q++) {
      const p = byRank[items[q]!]!;
      const lo = itemStart[p]!, hi = itemStart[p + 1]!;
      if (visited > 0 && visited + (hi - lo) > budget) break;
      const first = visited === 0;
      visited += hi - lo;
      const w = idf[p]! ** 2;
      const list = only >= 0 ? bySegment! : itemCust;
      const from = only >= 0 ? segmentStart(bySegment!, p, only) : lo;
      // the rarest product's buyers are visited even past the budget, but only its first `budget`
      // of them (in customer order): a base where every product has more buyers than the budget
      // (200,000 one-order customers of 10 products) walked every one of them per customer
      const end = only >= 0 ? segmentStart(bySegment!, p, only + 1) : hi;
      const to = first ? Math.min(end, from + budget) : end;
      for (let e = from; e < to; e++) {
        const u = list[e]!;
        if (u === c) continue;
        if (seen[u] !== ep) {
          seen[u] = ep;
          if (t === touched.length) {
            const g = new Int32Array(t * 2);
            g.set(touched);
            touched = g;
          }
          touched[t++] = u;
          acc[u] = w;
        } else acc[u]! += w;
      }
    }
    return t;
  };
  const find = (c: number, outIdx: Int32Array, outSim: Float64Array): number => {
    const a = pairStart[c]!, b = pairStart[c + 1]!;
    if (a === b) return 0;
    if (b - a > order.length) order = new Int32Array(Math.max(b - a, order.length * 2));
    let m = 0;
    for (let e = a; e < b; e++) order[m++] = rankOf[pairProduct[e]!]!;
    // rarest first (ties: product index)
    const items = order.subarray(0, m).sort();
    const seg = segment[c]!;
    const nc = norm[c]!;
    // own segment first; the others only when the segment did not fill k
    let t = scatter(c, items, seg);
    let n = select(touched, t, acc, norm, nc, segment, -1, topIdx, topSim, 0, k);
    if (n < k && seg >= 0) {
      t = scatter(c, items, -1);
      n = select(touched, t, acc, norm, nc, segment, seg, topIdx, topSim, 0, k);
      n = select(touched, t, acc, norm, nc, segment, -2 - seg, topIdx, topSim, n, k);
    }
    for (let i = 0; i < n; i++) {
      outIdx[i] = topIdx[i]!;
      outSim[i] = topSim[i]!;
    }
    return n;
  };

  return { find };
}

/**
 * Append the best of the accepted candidates after position `from` (insertion into a sorted top
 * list); returns the new count. Accepted: every candidate when `only` is −1, those of segment
 * `only` when >= 0, those outside segment s when `only` is −2 − s (a code rather than a predicate
 * closure: the call per candidate, millions per recommend(), would not be inlined once the
 * three predicates have been seen).
 */
function select(touched: Int32Array, t: number, acc: Float64Array, norm: Float64Array, nc: number, segment: Int32Array, only: number, topIdx: Int32Array, topSim: Float64Array, from: number, k: number): number {
  let n = from;
  const other = -2 - only;
  for (let i = 0; i < t; i++) {
    const u = touched[i]!;
    if (only >= 0 ? segment[u] !== only : only < -1 && segment[u] === other) continue;
    const s = acc[u]! / (nc * norm[u]!);
    if (n === k && !(s > topSim[k - 1]! || (s === topSim[k - 1]! && u < topIdx[k - 1]!))) continue;
    let pos = n === k ? k - 1 : n++;
    while (pos > from && (topSim[pos - 1]! < s || (topSim[pos - 1] === s && topIdx[pos - 1]! > u))) {
      topSim[pos] = topSim[pos - 1]!;
      topIdx[pos] = topIdx[pos - 1]!;
      pos--;
    }
    topSim[pos] = s;
    topIdx[pos] = u;
  }
  return n;
}
