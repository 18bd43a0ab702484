import type { Dataset } from "../dataset.ts";
import { perView } from "./per-view.ts";

/** @internal Distinct purchase days (days with a positive visible line) per customer, ascending. */
export interface PurchaseDays {
  /** All days, customer after customer. */
  readonly days: Int32Array;
  /** First entry of each customer (length = customers + 1). */
  readonly start: Uint32Array;
}

/**
 * @internal Distinct days with a positive (non-return) visible line, per customer, computed once
 * per dataset or as-of view and cached (the arrays are shared: callers must not write to them).
 */
export const purchaseDayIndex: (view: Dataset) => PurchaseDays = /* @__PURE__ */ perView((view) => {
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
  return { days: days.slice(0, n), start };
});

/** @internal Whether lines [from, to) hold a purchase (a positive quantity; returns are no purchase). */
export function hasPurchase(quantity: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (quantity[i]! > 0) return true;
  return false;
}
