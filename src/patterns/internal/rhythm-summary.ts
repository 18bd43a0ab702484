import type { Dataset } from "../../data/dataset.ts";
import { rhythmView } from "../../data/internal/rhythm-view.ts";
import type { BtydSummary } from "../btyd/calibration-summary.ts";
import { SummaryBuilder } from "./btyd-summary.ts";

/**
 * @internal The BTYD summary (weeks) the pattern fits read: each customer's purchase days as the
 * rhythm layers count them ({@link rhythmView}: an order delivered in parts is one purchase, a
 * standing order id's call-offs are purchases of their own), each day's value its positive lines'
 * revenue. `summaryFromDataset` counts orders ({@link orderOccasions}): a standing order id's
 * 40 weekly call-offs were one purchase there, x = 0, so BG/NBD read a customer buying every week
 * as one that bought once (a self-review, 2026-12-08). The same on data whose orders are one day each.
 * @param view - an as-of view (its own as-of day ends the calibration)
 * @param asOf - the calibration's end (epoch day)
 * @returns the summary, customers in dictionary order
 */
export function rhythmSummary(view: Dataset, asOf: number): BtydSummary {
  const rv = rhythmView(view);
  const { lines, customerStart, customerEnd } = rv;
  const ids = rv.ids.customers.values;
  const b = new SummaryBuilder(asOf, undefined, 7);
  const days: number[] = [], values: number[] = [];
  for (let c = 0; c < customerEnd.length; c++) {
    days.length = 0;
    values.length = 0;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (!(lines.quantity[i]! > 0) || lines.day[i]! > asOf) continue;
      days.push(lines.day[i]!);
      values.push(lines.quantity[i]! * lines.unitPrice[i]!);
    }
    b.add(ids[c]!, days, values, 0, days.length);
  }
  return b.build();
}
