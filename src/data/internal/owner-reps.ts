import type { Dataset } from "../dataset.ts";

/**
 * @internal The account owner of customer index `c` of `view` (an index into `ids.reps`, −1 when
 * none): its customers.rep_id, else the rep of its latest order line that has one (a purchase:
 * a credit note booked by the returns desk is not an order, DESIGN.md section 3), else the rep of
 * its latest line that has one (a customer with returns only). One rule for the KPIs by rep, the
 * signals' `repId` and the tasks' owners; until 2026-12-07 each had a copy, and all three took
 * the latest line, a return included.
 */
export function ownerRepOf(view: Dataset, c: number): number {
  const own = view.customers.rep[c] ?? -1;
  if (own >= 0) return own;
  const { rep, quantity } = view.lines;
  let anyLine = -1;
  for (let i = view.customerEnd[c]! - 1; i >= view.customerStart[c]!; i--) {
    const r = rep[i]!;
    if (r < 0) continue;
    if (quantity[i]! > 0) return r;
    if (anyLine < 0) anyLine = r;
  }
  return anyLine;
}

/** @internal {@link ownerRepOf} of every customer of `view`. */
export function ownerReps(view: Dataset): Int32Array {
  const n = view.ids.customers.size;
  const out = new Int32Array(n);
  for (let c = 0; c < n; c++) out[c] = ownerRepOf(view, c);
  return out;
}
