import type { Dataset, DealEvents } from "./dataset.ts";
import { checkDataset } from "./internal/check-dataset.ts";
import { optionDay } from "./internal/option-day.ts";
import { upperBound } from "./internal/bounds.ts";

/**
 * A view of the dataset as it was known at the end of `asOf`: order lines and deal events dated
 * after it become invisible. Costs one binary search per customer; columns are shared, not
 * copied. A view of a view can only move earlier (a later `asOf` than the base's is clamped).
 *
 * @param dataset - a dataset or an existing view
 * @param asOf - the last visible day: `YYYY-MM-DD`, a `Date` (its day in the dataset's
 *   `timeZone`, as every `asOf` option) or an epoch day
 * @returns the view (a `Dataset` whose `asOf` is set)
 * @throws {OrderpulseError} `INVALID_OPTION` when `dataset` is not a Dataset (a Promise, an ingest result) or `asOf` is not a valid date
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asOfView, fromRowsSync } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 1, unit_price: 2 },
 *   { order_id: "2", order_date: "2026-02-05", customer_id: "C1", product_id: "P1", quantity: 1, unit_price: 2 },
 * ] });
 * const view = asOfView(dataset, "2026-01-31");
 * assert.equal(view.visibleLines, 1);
 * assert.equal(view.customerEnd[0], 1);
 * ```
 */
export function asOfView(dataset: Dataset, asOf: string | Date | number): Dataset {
  checkDataset(dataset, "asOfView");
  let day = optionDay(asOf, "asOf", dataset.timeZone);
  if (dataset.asOf !== undefined && dataset.asOf < day) day = dataset.asOf;
  const { customerStart: start, customerEnd: baseEnd } = dataset;
  const days = dataset.lines.day;
  const n = baseEnd.length;
  const end = new Uint32Array(n);
  let visible = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < n; c++) {
    const a = start[c]!;
    const lo = upperBound(days, day, a, baseEnd[c]!);
    end[c] = lo;
    if (lo > a) {
      visible += lo - a;
      if (days[a]! < first) first = days[a]!;
      if (days[lo - 1]! > last) last = days[lo - 1]!;
    }
  }
  return {
    ...dataset,
    customerEnd: end,
    asOf: day,
    visibleLines: visible,
    dayRange: visible > 0 ? { first, last } : undefined,
    dealEvents: filterEvents(dataset.dealEvents, day),
  };
}

function filterEvents(e: DealEvents, day: number): DealEvents {
  const keep: number[] = [];
  for (let i = 0; i < e.length; i++) if (e.day[i]! <= day) keep.push(i);
  if (keep.length === e.length) return e;
  const pick = <T extends Uint32Array | Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
    const out = make(keep.length);
    for (let j = 0; j < keep.length; j++) out[j] = a[keep[j]!]!;
    return out;
  };
  return {
    length: keep.length,
    deal: pick(e.deal, (k) => new Uint32Array(k)),
    customer: pick(e.customer, (k) => new Uint32Array(k)),
    stage: pick(e.stage, (k) => new Uint8Array(k)),
    day: pick(e.day, (k) => new Int32Array(k)),
    rep: pick(e.rep, (k) => new Int32Array(k)),
    amount: pick(e.amount, (k) => new Float64Array(k)),
  };
}
