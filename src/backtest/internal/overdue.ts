import type { BacktestOverdueCheck } from "../types.ts";
import { reportDay } from "./baselines.ts";
import type { History } from "./history.ts";
import { upperBound } from "../../data/internal/bounds.ts";
import { quantiles, ratio } from "./stats.ts";

/** @internal A customer_overdue situation at its first flag. */
export interface OverdueFlag {
  readonly customerId: string;
  /** First as-of day flagged. */
  readonly day: number;
  /** The customer's 90th-percentile gap (nextP90 − lastOrder in the model of that day), calendar days. */
  readonly gapP90: number | undefined;
}

/**
 * @internal customer_overdue without ground truth. Confirmed: no order in the customer's p90 gap
 * after the flag (checkable when that window ends by `to`). Lead time: the static monthly report
 * lists the same silence on the first 1st of a month at least 90 days after the last order, if
 * the customer has not ordered by then; lead = that day − the flag day.
 */
export function overdueCheck(flags: readonly OverdueFlag[], h: History, to: number): BacktestOverdueCheck {
  let checkable = 0;
  let confirmed = 0;
  let listed = 0;
  let never = 0;
  let pending = 0;
  let earlier = 0;
  const leads: number[] = [];
  for (const f of flags) {
    const c = h.customer(f.customerId);
    const days = h.days[c];
    if (days === undefined) continue;
    if (f.gapP90 !== undefined && f.day + f.gapP90 <= to) {
      checkable++;
      if (!h.boughtIn(c, f.day, f.day + f.gapP90)) confirmed++;
    }
    const n = upperBound(days, f.day);
    if (n === 0) continue;
    const last = days[n - 1]!;
    const report = reportDay(last);
    if (h.boughtIn(c, last, Math.min(report, to))) never++;
    else if (report > to) pending++;
    else {
      listed++;
      leads.push(report - f.day);
      if (report > f.day) earlier++;
    }
  }
  return {
    flagged: flags.length,
    checkable,
    confirmed,
    confirmedShare: ratio(confirmed, checkable),
    reportListed: listed,
    reportNeverListed: never,
    reportPending: pending,
    leadDays: quantiles(leads),
    earlier,
  };
}
