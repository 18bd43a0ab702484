import type { Dataset } from "../../data/dataset.ts";
import { rhythmView } from "../../data/internal/rhythm-view.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { formatDay } from "../../data/format-day.ts";
import type { PatternModel } from "../fit-patterns.ts";

/** Views each model was checked against (a model and a view are immutable: once is enough). */
const checked = new WeakMap<PatternModel, WeakSet<Dataset>>();

/**
 * @internal Throw `INVALID_OPTION` (option `model`) unless `model` was fitted at `asOfText` on
 * this data: every customer of the view with a purchase must be in the model with that last
 * purchase day. A model of another tenant at the same day was accepted (only its day was
 * compared), and its customers' silences, rhythms and offers replaced the data's: a customer
 * silent 448 days read as having ordered that day, its churn signal lost (a review). The model
 * may hold more customers than the view (a shard's dataset with the whole model, docs/scaling.md).
 * One message for every function (three wordings until 2026-12-07).
 * @param model - the model given as an option
 * @param view - the as-of view the call analyses
 * @param asOfText - its as-of day, `YYYY-MM-DD`
 * @param fn - the public function, for the message
 */
export function checkModelFor(model: PatternModel, view: Dataset, asOfText: string, fn: string): void {
  if (model.asOf !== asOfText) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option model: fitted as of ${model.asOf}, but asOf is ${asOfText}`, { option: "model", value: model.asOf });
  }
  let seen = checked.get(model);
  if (seen?.has(view)) return;
  // (the model's last orders are purchase days: a later delivery of an order is not one)
  const { lines, customerStart, customerEnd, ids } = rhythmView(view);
  const { quantity, day } = lines;
  for (let c = 0; c < customerEnd.length; c++) {
    let i = customerEnd[c]! - 1;
    while (i >= customerStart[c]! && !(quantity[i]! > 0)) i--;
    if (i < customerStart[c]!) continue; // no purchase: nothing the model must know
    const id = ids.customers.values[c]!;
    const last = formatDay(day[i]!);
    const r = model.customer(id);
    if (r === undefined || r.lastOrder !== last) {
      throw new OrderpulseError(
        "INVALID_OPTION",
        `${fn}: invalid option model: fitted on other data (customer ${id}: last order ${r?.lastOrder ?? "none"} in the model, ${last} in the dataset, a later delivery of an order counted on its first day); fit it on this dataset`,
        { option: "model", value: id },
      );
    }
  }
  if (seen === undefined) checked.set(model, (seen = new WeakSet()));
  seen.add(view);
}
