import type { Dataset } from "../../data/dataset.ts";
import { rhythmView } from "../../data/internal/rhythm-view.ts";
import { upperBound } from "../../data/internal/bounds.ts";
import { purchaseDays } from "../../signals/internal/customer-clock.ts";

/** @internal Purchase history read from the view at the replay's last day (never beyond it). */
export interface History {
  /** The view at `to`. */
  readonly view: Dataset;
  /** Distinct purchase days (a line with positive quantity) of each customer, ascending, by customer index. */
  readonly days: readonly (readonly number[])[];
  /** Customer index of an id (-1 when unknown). */
  customer(id: string): number;
  /** Segment of a customer index ("" when none). */
  segment(c: number): string;
  /** Purchase days of one product by one customer, ascending. */
  itemDays(c: number, productId: string): number[];
  /** Purchase days of customer `c` in (after, until]. */
  boughtIn(c: number, after: number, until: number): boolean;
  /** The customer's median gap (calendar days) over its last 10 gaps before `day`; undefined with no gap. */
  medianGapBefore(c: number, day: number): number | undefined;
}

/** @internal Build the purchase history of a view. */
export function purchaseHistory(given: Dataset): History {
  // (the outcomes are purchases: a later delivery of an order started before a signal is none after it)
  const view = rhythmView(given);
  const { lines, customerStart, customerEnd, ids } = view;
  const days: number[][] = [];
  for (let c = 0; c < customerEnd.length; c++) days.push(Array.from(purchaseDays(view, c)));
  return {
    view,
    days,
    customer: (id) => ids.customers.indexOf(id),
    segment: (c) => {
      const g = c >= 0 ? view.customers.segment[c] : undefined;
      return g !== undefined && g >= 0 ? (ids.segments.values[g] ?? "") : "";
    },
    itemDays: (c, productId) => {
      const p = ids.products.indexOf(productId);
      const out: number[] = [];
      if (c < 0 || p < 0) return out;
      for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
        if (lines.product[i] === p && lines.quantity[i]! > 0 && out[out.length - 1] !== lines.day[i]) out.push(lines.day[i]!);
      }
      return out;
    },
    boughtIn: (c, after, until) => {
      const d = days[c];
      return d !== undefined && upperBound(d, until) > upperBound(d, after);
    },
    medianGapBefore: (c, day) => {
      const d = days[c];
      if (d === undefined) return undefined;
      const n = upperBound(d, day - 1);
      const gaps: number[] = [];
      for (let k = Math.max(1, n - 10); k < n; k++) gaps.push(d[k]! - d[k - 1]!);
      if (gaps.length === 0) return undefined;
      gaps.sort((a, b) => a - b);
      const h = gaps.length >> 1;
      return gaps.length % 2 ? gaps[h]! : (gaps[h - 1]! + gaps[h]!) / 2;
    },
  };
}
