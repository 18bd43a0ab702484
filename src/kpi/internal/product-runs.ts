import type { Dataset } from "../../data/dataset.ts";
import { perView } from "../../data/internal/per-view.ts";

/** @internal Each customer's purchase lines (positive quantity) ordered by product, then occasion day. */
export interface ProductOrder {
  /** Line indices, customer after customer. */
  readonly lines: Uint32Array;
  /** First entry of each customer (length = customers + 1). */
  readonly start: Uint32Array;
  /**
   * The occasion day of every line of the view (by line index): the earliest day of the positive
   * lines of its (customer, order), as `orderOccasions` dates an order whose lines carry several
   * dates. A back-order delivered days later is the same purchase, not a re-purchase.
   */
  readonly day: Int32Array;
}

/**
 * @internal The purchase lines of each customer sorted by (product, occasion day, line), each key
 * packed into one float (product, then the day within the customer's span, then the line's
 * offset) for the native numeric sort; a customer whose keys would pass 2^53 is sorted with a
 * comparator.
 */
export const productOrder: (view: Dataset) => ProductOrder = /* @__PURE__ */ perView((view) => {
  const { lines, customerStart, customerEnd } = view;
  const nC = customerEnd.length;
  const occDay = Int32Array.from(lines.day.subarray(0, lines.day.length));
  const out = new Uint32Array(view.visibleLines);
  const start = new Uint32Array(nC + 1);
  let keys = new Float64Array(1024);
  let n = 0;
  // each order's earliest positive day for the customer holding it (lines are sorted by day within
  // a customer: its first), by order index (an order of two customers is one of each)
  const nO = view.ids.orders.size;
  const firstDay = new Int32Array(nO), owner = new Int32Array(nO).fill(-1);
  for (let c = 0; c < nC; c++) {
    start[c] = n;
    const c0 = customerStart[c]!;
    const len = customerEnd[c]! - c0;
    let lo = Number.POSITIVE_INFINITY, hi = Number.NEGATIVE_INFINITY, k = 0;
    for (let i = c0; i < c0 + len; i++) {
      if (!(lines.quantity[i]! > 0)) continue;
      const o = lines.order[i]!;
      if (owner[o] !== c) {
        owner[o] = c;
        firstDay[o] = lines.day[i]!;
      }
      const d = firstDay[o]!;
      occDay[i] = d;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
      k++;
    }
    if (k === 0) continue;
    const span = hi - lo + 1;
    if (view.ids.products.size * span * len < 2 ** 52) {
      if (keys.length < len) keys = new Float64Array(Math.max(len, keys.length * 2));
      let m = 0;
      for (let i = c0; i < c0 + len; i++) if (lines.quantity[i]! > 0) keys[m++] = (lines.product[i]! * span + (occDay[i]! - lo)) * len + (i - c0);
      const sorted = keys.subarray(0, m).sort();
      for (let j = 0; j < m; j++) out[n++] = c0 + (sorted[j]! % len);
    } else {
      const idx: number[] = [];
      for (let i = c0; i < c0 + len; i++) if (lines.quantity[i]! > 0) idx.push(i);
      idx.sort((x, y) => lines.product[x]! - lines.product[y]! || occDay[x]! - occDay[y]! || x - y);
      for (const i of idx) out[n++] = i;
    }
  }
  start[nC] = n;
  return { lines: out.slice(0, n), start, day: occDay };
});
