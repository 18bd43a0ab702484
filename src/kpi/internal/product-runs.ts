import type { Dataset } from "../../data/dataset.ts";
import { perView } from "../../data/internal/per-view.ts";

/** @internal Each customer's purchase lines (positive quantity) ordered by product, then day (line order breaks ties). */
export interface ProductOrder {
  /** Line indices, customer after customer. */
  readonly lines: Uint32Array;
  /** First entry of each customer (length = customers + 1). */
  readonly start: Uint32Array;
}

/**
 * @internal The purchase lines of each customer sorted by (product, day). Lines are sorted by day
 * within a customer, so the line index breaks ties; each key is packed into one float
 * (product x lines of the customer + offset) for the native numeric sort.
 */
export const productOrder: (view: Dataset) => ProductOrder = /* @__PURE__ */ perView((view) => {
  const { lines, customerStart, customerEnd } = view;
  const nC = customerEnd.length;
  const out = new Uint32Array(view.visibleLines);
  const start = new Uint32Array(nC + 1);
  let keys = new Float64Array(1024);
  let n = 0;
  for (let c = 0; c < nC; c++) {
    start[c] = n;
    const c0 = customerStart[c]!;
    const len = customerEnd[c]! - c0;
    if (keys.length < len) keys = new Float64Array(Math.max(len, keys.length * 2));
    let k = 0;
    for (let i = c0; i < c0 + len; i++) if (lines.quantity[i]! > 0) keys[k++] = lines.product[i]! * len + (i - c0);
    const sorted = keys.subarray(0, k).sort();
    for (let j = 0; j < k; j++) out[n++] = c0 + (sorted[j]! % len);
  }
  start[nC] = n;
  return { lines: out.slice(0, n), start };
});
