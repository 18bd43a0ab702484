import { OrderpulseError } from "../data/errors.ts";
import type { PeriodUnit } from "./period.ts";
import type { KpiRow } from "./types.ts";

/** Trend fields added to a KPI row. Missing comparisons are `undefined`. */
export interface KpiTrend {
  /** Value of the previous period (same group); `undefined` when that period is `partial` (the data begins inside it). */
  readonly previous: number | undefined;
  /** value − previous. */
  readonly change: number | undefined;
  /** (value − previous) ÷ |previous|; `undefined` when previous is 0 or missing. */
  readonly changePct: number | undefined;
  /** Value of the same period a year earlier (52 weeks, 12 months, 4 quarters, 364 days, 1 year); `undefined` when that period is `partial`. */
  readonly yearAgo: number | undefined;
  /** value − yearAgo. */
  readonly changeVsYearAgo: number | undefined;
  /** (value − yearAgo) ÷ |yearAgo|. */
  readonly changeVsYearAgoPct: number | undefined;
  /** Least-squares slope of the value per period over the last `slopePeriods` periods (this one and the complete ones before it); needs 2 values. */
  readonly slope: number | undefined;
}

/** A KPI row with its trend. */
export type KpiRowWithTrend<R extends KpiRow = KpiRow> = R & KpiTrend;

/** How many periods back "the same period last year" is. @internal */
export function periodsPerYear(unit: PeriodUnit): number {
  return unit === "day" ? 364 : unit === "week" ? 52 : unit === "month" ? 12 : unit === "quarter" ? 4 : 1;
}

/**
 * Add trend fields to KPI rows: change vs the previous period and vs the same period last year
 * (absolute and relative) and the least-squares slope over the last `slopePeriods` periods.
 * Rows are grouped by `key` and ordered by period start; each group's rows must be consecutive
 * periods (as every orderpulse KPI function returns them). Rows keep their order. A `partial`
 * period is never the base of a comparison (the in-progress period is compared, flagged by its
 * own `partial`; a period the data begins inside is not compared against).
 *
 * @param rows - rows of one KPI (one row per period and group)
 * @param options - `unit` of the periods; `slopePeriods` (default 6)
 * @returns the rows with trend fields
 * @throws {OrderpulseError} `INVALID_OPTION` when `slopePeriods` < 2
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kpiTrend } from "orderpulse";
 * const row = (period: string, value: number) => ({ kpi: "x", period, start: `${period}-01`, end: `${period}-28`, partial: false, value });
 * const out = kpiTrend([row("2026-01", 10), row("2026-02", 12), row("2026-03", 15)], { unit: "month", slopePeriods: 3 });
 * assert.equal(out[2]?.change, 3);
 * assert.equal(out[2]?.changePct, 0.25);
 * assert.equal(out[2]?.slope, 2.5);
 * assert.equal(out[0]?.previous, undefined);
 * ```
 */
export function kpiTrend<R extends KpiRow>(rows: readonly R[], options: { unit: PeriodUnit; slopePeriods?: number }): KpiRowWithTrend<R>[] {
  const n = options.slopePeriods ?? 6;
  if (!Number.isInteger(n) || n < 2) {
    throw new OrderpulseError("INVALID_OPTION", `kpiTrend: slopePeriods must be an integer >= 2, got ${n}`, { option: "slopePeriods", value: n });
  }
  const lag = periodsPerYear(options.unit);
  const byKey = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = r.key === undefined ? "\u0000company" : r.key === null ? "\u0000null" : r.key;
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(i);
  });
  const out = new Array<KpiRowWithTrend<R>>(rows.length);
  for (const idx of byKey.values()) {
    idx.sort((a, b) => (rows[a]!.start < rows[b]!.start ? -1 : rows[a]!.start > rows[b]!.start ? 1 : 0));
    const values = idx.map((i) => rows[i]!.value);
    // the values a later period may be compared with: complete periods only
    const bases = idx.map((i) => (rows[i]!.partial ? undefined : rows[i]!.value));
    for (let j = 0; j < idx.length; j++) {
      const v = values[j];
      const previous = j >= 1 ? bases[j - 1] : undefined;
      const yearAgo = j >= lag ? bases[j - lag] : undefined;
      out[idx[j]!] = {
        ...rows[idx[j]!]!,
        previous,
        change: v !== undefined && previous !== undefined ? v - previous : undefined,
        changePct: v !== undefined && previous !== undefined && previous !== 0 ? (v - previous) / Math.abs(previous) : undefined,
        yearAgo,
        changeVsYearAgo: v !== undefined && yearAgo !== undefined ? v - yearAgo : undefined,
        changeVsYearAgoPct: v !== undefined && yearAgo !== undefined && yearAgo !== 0 ? (v - yearAgo) / Math.abs(yearAgo) : undefined,
        slope: slope(bases, v, j, n),
      };
    }
  }
  return out;
}

/** OLS slope over the defined values among positions j-n+1..j (x = position): the row's own value and the complete periods before it. */
function slope(bases: readonly (number | undefined)[], own: number | undefined, j: number, n: number): number | undefined {
  let sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
  for (let t = Math.max(0, j - n + 1); t <= j; t++) {
    const y = t === j ? own : bases[t];
    if (y === undefined) continue;
    sx += t;
    sy += y;
    sxx += t * t;
    sxy += t * y;
    m++;
  }
  if (m < 2) return undefined;
  const den = m * sxx - sx * sx;
  return den === 0 ? undefined : (m * sxy - sx * sy) / den;
}
