import { OrderpulseError } from "../../data/errors.ts";
import { optionsObject, type OptionKeys } from "../../data/internal/check.ts";
import { SummaryBuilder, summaryDays } from "../internal/btyd-summary.ts";

/** One purchase event: a customer bought on a day (optionally for a value). */
export interface BtydEvent {
  /** Customer id. */
  readonly customerId: string;
  /** Epoch day (integer) of the purchase. */
  readonly day: number;
  /** Money value of the purchase (missing or non-finite counts as 0). */
  readonly value?: number | undefined;
}

/**
 * The recency / frequency / monetary summary BTYD models are fitted on, one entry per customer
 * whose first purchase is on or before the calibration end, in columns. Times are in the
 * summary's time unit (weeks by default).
 */
export interface BtydSummary {
  /** Customer ids, sorted (UTF-16 code unit order). */
  readonly customerIds: string[];
  /** Frequency x: distinct purchase days in the calibration period minus one (repeat purchases). */
  readonly x: Float64Array;
  /** Recency t_x: time from the first to the last calibration purchase (0 when x = 0). */
  readonly tx: Float64Array;
  /** Age T: time from the first purchase to the calibration end. */
  readonly T: Float64Array;
  /** Mean value of the x repeat purchase days (first purchase excluded; 0 when x = 0). */
  readonly monetary: Float64Array;
  /** Holdout purchases: distinct purchase days in (calibration end, holdout end]; only with a holdout end. */
  readonly xStar?: Float64Array;
  /** Holdout length (holdout end − calibration end) in the time unit; only with a holdout end. */
  readonly holdoutLength?: number;
  /** Input events skipped as unusable (no string customer id or a non-integer day). */
  readonly skipped: number;
}

/** Options of {@link calibrationSummary}. */
export interface CalibrationSummaryOptions {
  /** Last day (inclusive) of the calibration period: `YYYY-MM-DD`, a `Date` or an epoch day. */
  readonly calibrationEnd: string | Date | number;
  /** Last day (inclusive) of the holdout period; adds `xStar` and `holdoutLength`. */
  readonly holdoutEnd?: string | Date | number | undefined;
  /** Days per time unit (default 7: weeks, as in the BTYD literature). */
  readonly timeUnitDays?: number | undefined;
}

const KEYS: OptionKeys<CalibrationSummaryOptions> = { calibrationEnd: true, holdoutEnd: true, timeUnitDays: true };

/**
 * Recency / frequency / monetary summary of a purchase event log, the input of the BTYD models
 * (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma). Follows the convention of Fader, Hardie & Lee
 * (2005) on CDNOW: purchases on the same day merge into one (values summed); `x` counts the
 * distinct purchase days in the calibration period after the first; `tx` and `T` run from the
 * first purchase to the last calibration purchase and to the calibration end; `monetary` is the
 * mean merged value of the repeat days (the first purchase is excluded, as the Gamma-Gamma
 * model expects). Events after the holdout end (or the calibration end, without one) are
 * ignored; events with no string customer id or a non-integer day are skipped and counted.
 *
 * @param events - purchase events in any order
 * @param options - calibrationEnd (required), holdoutEnd, timeUnitDays (default 7)
 * @returns the summary, one entry per customer who bought on or before the calibration end
 * @throws {OrderpulseError} `INVALID_OPTION` for events that are not a list, an unknown option, a
 *   missing or invalid date, a holdout end before the calibration end, or a time unit that is not a
 *   positive number
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calibrationSummary } from "orderpulse";
 * const s = calibrationSummary([
 *   { customerId: "A", day: 0, value: 10 },
 *   { customerId: "A", day: 7, value: 4 },
 *   { customerId: "A", day: 7, value: 6 },   // same day: merged
 *   { customerId: "A", day: 21, value: 30 },
 *   { customerId: "B", day: 14, value: 5 },
 * ], { calibrationEnd: 28, holdoutEnd: 35 });
 * assert.deepEqual(s.customerIds, ["A", "B"]);
 * assert.deepEqual([...s.x], [2, 0]);
 * assert.deepEqual([...s.tx], [3, 0]);
 * assert.deepEqual([...s.T], [4, 2]);
 * assert.deepEqual([...s.monetary], [20, 0]);
 * ```
 */
export function calibrationSummary(events: readonly BtydEvent[], options: CalibrationSummaryOptions): BtydSummary {
  const fn = "calibrationSummary";
  if (events === null || typeof events !== "object" || typeof (events as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function") {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option events: expected an array of { customerId, day, value? }`, { option: "events" });
  }
  const o = optionsObject(options, fn, KEYS);
  const { end, holdout, unit } = summaryDays(o, "calibrationEnd", fn);
  const last = holdout ?? end;
  const byCustomer = new Map<string, { days: number[]; values: number[]; sorted: boolean }>();
  let skipped = 0;
  for (const e of events) {
    const id = e?.customerId;
    const day = e?.day;
    if (typeof id !== "string" || typeof day !== "number" || !Number.isInteger(day)) {
      skipped++;
      continue;
    }
    if (day > last) continue;
    let c = byCustomer.get(id);
    if (c === undefined) {
      c = { days: [], values: [], sorted: true };
      byCustomer.set(id, c);
    }
    const n = c.days.length;
    if (n > 0 && c.days[n - 1]! > day) c.sorted = false;
    c.days.push(day);
    c.values.push(typeof e.value === "number" ? e.value : 0);
  }
  const b = new SummaryBuilder(end, holdout, unit);
  b.skipped = skipped;
  const ids = [...byCustomer.keys()].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
  for (const id of ids) {
    const c = byCustomer.get(id)!;
    let { days, values } = c;
    if (!c.sorted) {
      const idx = days.map((_, i) => i).sort((p, q) => days[p]! - days[q]! || p - q);
      days = idx.map((i) => c.days[i]!);
      values = idx.map((i) => c.values[i]!);
    }
    b.add(id, days, values, 0, days.length);
  }
  return b.build();
}
