import type { Dataset } from "../../data/dataset.ts";
import { checkDataset } from "../../data/internal/check-dataset.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { sharedOrderOccasions } from "../../data/internal/shared-occasions.ts";
import { optionsObject, type OptionKeys } from "../../data/internal/check.ts";
import { resolveAsOf } from "../../data/internal/resolve-as-of.ts";
import { SummaryBuilder, summaryDays } from "../internal/btyd-summary.ts";
import type { BtydSummary } from "./calibration-summary.ts";

/** Options of {@link summaryFromDataset}. */
export interface SummaryFromDatasetOptions {
  /** Calibration end (inclusive): `YYYY-MM-DD`, a `Date` or an epoch day. */
  readonly asOf: string | Date | number;
  /** Last day (inclusive) of a holdout period after `asOf`; adds `xStar` and `holdoutLength`. */
  readonly holdoutEnd?: string | Date | number | undefined;
  /** Days per time unit (default 7: weeks). */
  readonly timeUnitDays?: number | undefined;
}

const KEYS: OptionKeys<SummaryFromDatasetOptions> = { asOf: true, holdoutEnd: true, timeUnitDays: true };

/**
 * The BTYD recency / frequency / monetary summary of a dataset's purchase occasions
 * ({@link orderOccasions}: orders with at least one positive line; returns are not purchases),
 * with the order's positive revenue as its value. Orders on the same day merge into one
 * purchase, as in {@link calibrationSummary} (Fader, Hardie & Lee 2005), and the first purchase
 * is excluded from `monetary`. Only customers with a purchase on or before `asOf` appear, and
 * only lines on or before it count (an order's lines after `asOf` are not known then).
 *
 * @param dataset - a dataset or an as-of view reaching at least `holdoutEnd` (else `asOf`)
 * @param options - asOf (required), holdoutEnd, timeUnitDays (default 7)
 * @returns the summary, customers in dictionary (sorted id) order
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown option, invalid dates or time unit, a
 *   holdout end before `asOf`, or a view that ends before the last day the summary needs
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, summaryFromDataset } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10 },
 *   { order_id: "2", order_date: "2026-01-19", customer_id: "C1", product_id: "P", quantity: 2, unit_price: 10 },
 *   { order_id: "3", order_date: "2026-01-19", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10 },
 *   { order_id: "4", order_date: "2026-01-26", customer_id: "C1", product_id: "P", quantity: -1, unit_price: 10 },
 * ] });
 * const s = summaryFromDataset(dataset, { asOf: "2026-02-02" });
 * assert.deepEqual(s.customerIds, ["C1"]);
 * assert.equal(s.x[0], 1);          // two orders on 2026-01-19 are one purchase; the return is none
 * assert.equal(s.tx[0], 2);         // weeks
 * assert.equal(s.T[0], 4);
 * assert.equal(s.monetary[0], 30);
 * ```
 */
export function summaryFromDataset(dataset: Dataset, options: SummaryFromDatasetOptions): BtydSummary {
  const fn = "summaryFromDataset";
  const o = optionsObject(options, fn, KEYS);
  checkDataset(dataset, fn);
  const { end, holdout, unit } = summaryDays(o, "asOf", fn, dataset.timeZone);
  const last = holdout ?? end;
  if (dataset.asOf !== undefined && dataset.asOf < last) {
    const name = holdout === undefined ? "asOf" : "holdoutEnd";
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${name}: the dataset view ends earlier (asOf ${dataset.asOf})`, { option: name, value: o[name] });
  }
  // the calibration's occasions from the lines up to its end only (an order whose lines run past
  // it is worth what it had by then), the holdout's from the lines up to the holdout's end
  const occ = sharedOrderOccasions(resolveAsOf(dataset, end).view);
  const hold = holdout === undefined ? undefined : sharedOrderOccasions(resolveAsOf(dataset, holdout).view);
  const ids = dataset.ids.customers.values;
  const b = new SummaryBuilder(end, holdout, unit);
  const nC = occ.customerStart.length - 1;
  for (let c = 0; c < nC; c++) {
    if (b.add(ids[c]!, occ.day, occ.revenue, occ.customerStart[c]!, occ.customerStart[c + 1]!) && hold) b.holdoutFrom(hold.day, hold.customerStart[c]!, hold.customerStart[c + 1]!);
  }
  return b.build();
}
