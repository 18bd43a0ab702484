import type { Dataset } from "../dataset.ts";

/** @internal Distinct purchase days (days with a positive visible line) per customer, ascending. */
export interface PurchaseDays {
  /** All days, customer after customer. */
  readonly days: Int32Array;
  /** First entry of each customer (length = customers + 1). */
  readonly start: Uint32Array;
}

/** One index per dataset or view (they are immutable): the KPIs and detectors of one run share it. */
const cache = new WeakMap<Dataset, PurchaseDays>();

/**
 * @internal Distinct days with a positive (non-return) visible line, per customer, computed once
 * per dataset or as-of view and cached (the arrays are shared: callers must not write to them).
 */
export function purchaseDayIndex(view: Dataset): PurchaseDays {
  const hit = cache.get(view);
  if (hit !== undefined) return hit;
  const { lines, customerStart, customerEnd } = view;
  const nC = customerEnd.length;
  const days = new Int32Array(view.visibleLines);
  const start = new Uint32Array(nC + 1);
  let n = 0;
  for (let c = 0; c < nC; c++) {
    start[c] = n;
    let last = Number.NaN;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (lines.quantity[i]! <= 0) continue;
      const d = lines.day[i]!;
      if (d !== last) {
        days[n++] = d;
        last = d;
      }
    }
  }
  start[nC] = n;
  const index = { days: days.slice(0, n), start };
  cache.set(view, index);
  return index;
}
