import { OrderpulseError } from "../data/errors.ts";
import { checkEnum, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { PERIOD_UNITS, type PeriodUnit } from "./period.ts";
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
  /**
   * Set on the period in progress when `computeKpis` compared it like for like: `previous` and
   * `yearAgo` are those periods' values over their first `toDateDays` days (the days this one has
   * had so far, up to the data's last day when the data end before `asOf`), and the slope runs
   * over the same days of each period. 0: the data end before the period begins; it is compared
   * with nothing.
   */
  readonly toDateDays?: number;
}

/** A KPI row with its trend. */
export type KpiRowWithTrend<R extends KpiRow = KpiRow> = R & KpiTrend;

/** Options of {@link kpiTrend}. */
export interface KpiTrendOptions {
  /** The rows' period unit (decides how many periods back "a year ago" is). */
  readonly unit: PeriodUnit;
  /** Periods in the least-squares slope (an integer >= 2; default 6). */
  readonly slopePeriods?: number | undefined;
}

const KEYS: OptionKeys<KpiTrendOptions> = { unit: true, slopePeriods: true };

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
 * own `partial`; a period the data begins inside is not compared against). A `censored` row (a
 * rate whose windows are still open at the as-of day, e.g. repurchase or churn) is a lower bound
 * of what it will be: it is neither compared nor a base, and has no slope. `computeKpis` compares
 * the period in progress with the same days of the earlier periods instead (`toDateDays`).
 *
 * @param rows - rows of one KPI (one row per period and group)
 * @param options - `unit` of the periods; `slopePeriods` (default 6)
 * @returns the rows with trend fields
 * @throws {OrderpulseError} `INVALID_OPTION` when `unit` is missing or unknown, `slopePeriods` < 2, or an option is unknown
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
export function kpiTrend<R extends KpiRow>(rows: readonly R[], options: KpiTrendOptions): KpiRowWithTrend<R>[] {
  // unit decides the year-ago lag: an unknown one fell back to the previous period unseen
  const o = optionsObject(options, "kpiTrend", KEYS);
  if (o["unit"] === undefined) throw new OrderpulseError("INVALID_OPTION", `kpiTrend: invalid option unit: expected one of ${PERIOD_UNITS.join(", ")}`, { option: "unit", value: undefined });
  checkEnum(o, "unit", PERIOD_UNITS, "kpiTrend");
  checkSlopePeriods(o, "kpiTrend");
  return trendRows(rows, options, undefined);
}

/** @internal `slopePeriods` is undefined or an integer >= 2 (null fell back to the default unseen). */
export function checkSlopePeriods(o: Record<string, unknown>, fn: string): void {
  const n = o["slopePeriods"];
  if (n !== undefined && !(typeof n === "number" && Number.isInteger(n) && n >= 2)) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option slopePeriods: expected an integer >= 2, got ${String(n)}`, { option: "slopePeriods", value: n });
  }
}

/**
 * @internal The period in progress measured on its days so far, and every other period on the
 * same first `days` days (rows of the same KPI run with the internal clip): computeKpis' like-for-like
 * comparison of the period that starts on `start`.
 */
export interface ToDateRows {
  readonly start: string;
  readonly days: number;
  readonly rows: readonly KpiRow[];
}

const groupKey = (r: KpiRow): string => (r.key === undefined ? "\u0000company" : r.key === null ? "\u0000null" : r.key);

/**
 * @internal What computeKpis asks of {@link trendRows} beyond kpiTrend: the KPI a shared pass's
 * rows stand for (`name`, its value picked from each row, the clipped rows' too: revenue and
 * margin are grossProfit's rows), and the first period start to return (the year before it is
 * only compared with).
 */
export interface TrendView {
  readonly name: string;
  readonly pick?: ((row: KpiRow) => number | undefined) | undefined;
  readonly keepFrom?: string | undefined;
  /** The KPI's own row builder (registry.ts' TrendRowOf) for grouped rows: one literal, no generic copy. */
  readonly trendRow: (row: KpiRow, kpi: string, value: number | undefined, t: KpiTrend) => KpiRowWithTrend;
}

/**
 * @internal kpiTrend, with the period in progress compared on `toDate`'s rows when given; with
 * `view`, the rows renamed and revalued by its pick and only those from `keepFrom` on returned
 * (in their order). Each returned row is one new object; no row is copied twice.
 */
export function trendRows<R extends KpiRow>(rows: readonly R[], options: KpiTrendOptions, toDate: ToDateRows | undefined, view?: TrendView): KpiRowWithTrend<R>[] {
  const n = options.slopePeriods ?? 6;
  if (!Number.isInteger(n) || n < 2) {
    throw new OrderpulseError("INVALID_OPTION", `kpiTrend: slopePeriods must be an integer >= 2, got ${n}`, { option: "slopePeriods", value: n });
  }
  const lag = periodsPerYear(options.unit);
  const pick = view?.pick, keepFrom = view?.keepFrom;
  const valueOf = (r: KpiRow): number | undefined => (pick ? pick(r) : r.value);
  /** The returned row: the KPI's own literal for a grouped row, else a generic copy (kpi and value keep their places). */
  const make = (row: R, v: number | undefined, trend: KpiTrend, toDateDays?: number): KpiRowWithTrend<R> => {
    const out = view !== undefined && row.key !== undefined ? (view.trendRow(row, view.name, v, trend) as KpiRowWithTrend<R>) : ({ ...row, ...(pick ? { kpi: view!.name, value: v } : {}), ...trend } as KpiRowWithTrend<R>);
    // (on the period in progress only: one property more on an object of its own shape)
    if (toDateDays !== undefined) (out as { toDateDays?: number }).toDateDays = toDateDays;
    return out;
  };
  const byKey = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = groupKey(r);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(i);
  });
  // the clipped rows by group and period start
  const clipped = new Map<string, Map<string, KpiRow>>();
  for (const r of toDate?.rows ?? []) {
    const k = groupKey(r);
    let m = clipped.get(k);
    if (!m) clipped.set(k, (m = new Map()));
    m.set(r.start, r);
  }
  const out = new Array<KpiRowWithTrend<R>>(rows.length);
  for (const [key, idx] of byKey) {
    // (the KPI passes list their rows period by period: usually in order already)
    let sorted = true;
    for (let t = 1; t < idx.length && sorted; t++) sorted = rows[idx[t - 1]!]!.start <= rows[idx[t]!]!.start;
    if (!sorted) idx.sort((a, b) => (rows[a]!.start < rows[b]!.start ? -1 : rows[a]!.start > rows[b]!.start ? 1 : 0));
    const values = idx.map((i) => valueOf(rows[i]!));
    // the values a later period may be compared with: complete periods with closed windows only
    const bases = idx.map((i, t) => (rows[i]!.partial || isCensored(rows[i]!) ? undefined : values[t]));
    const clip = clipped.get(key);
    for (let j = 0; j < idx.length; j++) {
      const row = rows[idx[j]!]!;
      if (keepFrom !== undefined && row.start < keepFrom) continue;
      const v = values[j];
      if (isCensored(row)) {
        out[idx[j]!] = make(row, v, { previous: undefined, change: undefined, changePct: undefined, yearAgo: undefined, changeVsYearAgo: undefined, changeVsYearAgoPct: undefined, slope: undefined });
        continue;
      }
      // like for like: the earlier periods' first toDate.days days (a period the data begins inside
      // is no base; a group without lines in any of those days has no clipped rows: not compared,
      // never against whole periods)
      const like = toDate !== undefined && row.start === toDate.start;
      const series = like ? idx.map((i, t) => (t === j ? v : clippedBase(clip, rows[i]!.start, valueOf))) : bases;
      const previous = j >= 1 ? series[j - 1] : undefined;
      const yearAgo = j >= lag ? series[j - lag] : undefined;
      const trend: KpiTrend = {
        previous,
        change: v !== undefined && previous !== undefined ? v - previous : undefined,
        changePct: v !== undefined && previous !== undefined && previous !== 0 ? (v - previous) / Math.abs(previous) : undefined,
        yearAgo,
        changeVsYearAgo: v !== undefined && yearAgo !== undefined ? v - yearAgo : undefined,
        changeVsYearAgoPct: v !== undefined && yearAgo !== undefined && yearAgo !== 0 ? (v - yearAgo) / Math.abs(yearAgo) : undefined,
        slope: slope(series, v, j, n),
      };
      out[idx[j]!] = make(row, v, trend, like ? toDate.days : undefined);
    }
  }
  return keepFrom === undefined ? out : out.filter((r) => r !== undefined);
}

/** @internal A windowed rate still open at the as-of day (rows that carry `censored`): a lower bound, never compared. */
export function isCensored(r: KpiRow): boolean {
  return (r as { readonly censored?: unknown }).censored === true;
}

/** The clipped value of the period starting on `start`, unless the data begins inside that period. */
function clippedBase(clip: ReadonlyMap<string, KpiRow> | undefined, start: string, valueOf: (r: KpiRow) => number | undefined): number | undefined {
  const r = clip?.get(start);
  return r === undefined || r.partial ? undefined : valueOf(r);
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
