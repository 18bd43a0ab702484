/**
 * Shared core of calibrationSummary() and summaryFromDataset(): turns each customer's purchase
 * days (sorted ascending, values alongside) into the BTYD recency/frequency/monetary row,
 * following the CDNOW convention (Fader, Hardie & Lee 2005; see test/fixtures/btyd/README.md):
 * same-day purchases merge into one (values summed); x = distinct calibration days − 1;
 * t_x = (last − first) / unit; T = (calibrationEnd − first) / unit; monetary = mean merged
 * value of the x repeat days (the first purchase excluded; 0 when x = 0); xStar = distinct days
 * in (calibrationEnd, holdoutEnd].
 * @internal
 */
import { CompensatedSum } from "../../data/internal/compensated-sum.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { optionDay } from "../../data/internal/option-day.ts";
import { checkDateLike, checkNumber } from "../../data/internal/check.ts";
import type { BtydSummary } from "../btyd/calibration-summary.ts";

/** @internal Growing columns of a summary. */
export class SummaryBuilder {
  readonly ids: string[] = [];
  readonly x: number[] = [];
  readonly tx: number[] = [];
  readonly T: number[] = [];
  readonly monetary: number[] = [];
  readonly xStar: number[] = [];
  readonly calibrationEnd: number;
  readonly holdoutEnd: number | undefined;
  readonly unit: number;
  skipped: number = 0;

  constructor(calibrationEnd: number, holdoutEnd: number | undefined, unit: number) {
    this.calibrationEnd = calibrationEnd;
    this.holdoutEnd = holdoutEnd;
    this.unit = unit;
  }

  /**
   * Add one customer from days[start..end) (ascending) and values (missing value = 0).
   * Customers with no purchase on or before the calibration end are left out.
   * @returns whether the customer was added
   */
  add(id: string, days: ArrayLike<number>, values: ArrayLike<number> | undefined, start: number, end: number): boolean {
    const cal = this.calibrationEnd;
    if (end <= start || days[start]! > cal) return false;
    const first = days[start]!;
    let x = 0, last = first, xStar = 0;
    // the repeat days' values (the mean of their day totals is their sum ÷ x), compensated:
    // money, and the same total whatever the order of one day's values
    const sum = new CompensatedSum();
    let prev = first;
    let i = start + 1;
    // skip the rest of the first day
    while (i < end && days[i] === first) i++;
    for (; i < end; i++) {
      const d = days[i]!;
      if (d > cal) break;
      const v = values === undefined ? 0 : values[i]!;
      if (d !== prev) {
        x++;
        prev = d;
        last = d;
      }
      if (Number.isFinite(v)) sum.add(v);
    }
    const h = this.holdoutEnd;
    if (h !== undefined) {
      let p = Number.NaN;
      for (; i < end; i++) {
        const d = days[i]!;
        if (d > h) break;
        if (d !== p) {
          xStar++;
          p = d;
        }
      }
    }
    this.ids.push(id);
    this.x.push(x);
    this.tx.push((last - first) / this.unit);
    this.T.push((cal - first) / this.unit);
    this.monetary.push(x > 0 ? sum.value / x : 0);
    this.xStar.push(xStar);
    return true;
  }

  /** Set the last added customer's holdout purchases from another day list: its distinct days in (calibration end, holdout end]. */
  holdoutFrom(days: ArrayLike<number>, start: number, end: number): void {
    let n = 0;
    let p = Number.NaN;
    for (let i = start; i < end; i++) {
      const d = days[i]!;
      if (d <= this.calibrationEnd || d === p) continue;
      if (d > this.holdoutEnd!) break;
      n++;
      p = d;
    }
    this.xStar[this.xStar.length - 1] = n;
  }

  build(): BtydSummary {
    const out = {
      customerIds: this.ids,
      x: Float64Array.from(this.x),
      tx: Float64Array.from(this.tx),
      T: Float64Array.from(this.T),
      monetary: Float64Array.from(this.monetary),
      skipped: this.skipped,
    };
    if (this.holdoutEnd === undefined) return out;
    return { ...out, xStar: Float64Array.from(this.xStar), holdoutLength: (this.holdoutEnd - this.calibrationEnd) / this.unit };
  }
}

/** @internal Check and parse the shared summary options. */
export function summaryDays(o: Record<string, unknown>, endName: string, fn: string, timeZone = "UTC"): { end: number; holdout: number | undefined; unit: number } {
  checkDateLike(o, endName, fn, true);
  checkDateLike(o, "holdoutEnd", fn);
  checkNumber(o, "timeUnitDays", Number.MIN_VALUE, Number.MAX_VALUE, fn);
  // (a Date in `timeZone`: the dataset's for summaryFromDataset, UTC for raw events)
  const end = optionDay(o[endName] as string | Date | number, endName, timeZone);
  const holdout = o["holdoutEnd"] === undefined ? undefined : optionDay(o["holdoutEnd"] as string | Date | number, "holdoutEnd", timeZone);
  if (holdout !== undefined && holdout < end) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option holdoutEnd: expected a day on or after ${endName}`, { option: "holdoutEnd", value: o["holdoutEnd"] });
  }
  return { end, holdout, unit: (o["timeUnitDays"] as number | undefined) ?? 7 };
}

