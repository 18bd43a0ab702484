import type { Dataset } from "../../data/dataset.ts";

/** @internal Each customer's purchase lines (positive quantity) ordered by product, then day (line order breaks ties). */
export interface ProductOrder {
  /** Line indices, customer after customer. */
  readonly lines: Uint32Array;
  /** First entry of each customer (length = customers + 1). */
  readonly start: Uint32Array;
}

/** One index per dataset or view (they are immutable): every repurchase-rate call on it shares it. */
const cache = new WeakMap<Dataset, ProductOrder>();

/**
 * @internal The purchase lines of each customer sorted by (product, day). Lines are sorted by day
 * within a customer, so the line index breaks ties; each key is packed into one float
 * (product x lines of the customer + offset) for the native numeric sort.
 */
export function productOrder(view: Dataset): ProductOrder {
  const hit = cache.get(view);
  if (hit !== undefined) return hit;
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
  const index = { lines: out.slice(0, n), start };
  cache.set(view, index);
  return index;
}
