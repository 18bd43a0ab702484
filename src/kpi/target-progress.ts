import { epochDay } from "../data/epoch-day.ts";
import { checkDataset } from "../data/internal/check-dataset.ts";
import type { Dataset, Target } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { activeCustomers } from "./active-customers.ts";
import { discountRate } from "./discount-rate.ts";
import { grossProfit } from "./gross-profit.ts";
import { checkOptions, KPI_KEYS, kpiContext, LAST_PERIOD_DAY, MAX_PERIODS, partialPeriod, type ClippedKpiOptions } from "./internal/context.ts";
import { periodBounds, periodIndex, periodLabel, type PeriodSpec } from "./period.ts";
import { skuBreadth } from "./sku-breadth.ts";
import type { KpiOptions, KpiRow } from "./types.ts";

/** Whether a target's actual could be computed. */
export type TargetStatus = "ok" | "unknown_kpi" | "invalid_period";

/** A target with its actual and progress. */
export interface TargetProgressRow {
  /** Rep id of the target. */
  readonly repId: string;
  /** Period as given in targets.csv (`YYYY`, `YYYY-Qn`, `YYYY-MM`, `YYYY-Www`). */
  readonly period: string;
  /** First day of the period, `YYYY-MM-DD` (`undefined` for an invalid period such as `2025-W53`). */
  readonly start: string | undefined;
  /** Last day of the period, `YYYY-MM-DD` (`undefined` for an invalid period). */
  readonly end: string | undefined;
  /** KPI name as given. */
  readonly kpi: string;
  /** The actual so far (through asOf); `undefined` for an unknown KPI, an invalid period, or a ratio KPI with no data. */
  readonly actual: number | undefined;
  /** The target. */
  readonly target: number;
  /** actual ÷ target; `undefined` when the actual is unknown or the target is 0. */
  readonly progress: number | undefined;
  /** True when the period ends after asOf, or on it with `asOfInProgress` (the actual is to date), or starts before the data's first order day (the actual misses what lies before the data; a period wholly before the data too), as a KPI row's `partial`. */
  readonly partial: boolean;
  /** `ok`, or why there is no actual. */
  readonly status: TargetStatus;
}

type Unit = "year" | "quarter" | "month" | "week";
type KpiFn = (dataset: Dataset, options: KpiOptions) => KpiRow[];

/** KPI names with a target: the function computing them and how a rep-period with no lines reads. */
const KPIS: Readonly<Record<string, { fn: KpiFn; field?: "revenue" | "margin"; empty: number | undefined }>> = {
  revenue: { fn: grossProfit, field: "revenue", empty: 0 },
  gross_profit: { fn: grossProfit, empty: 0 },
  gross_margin: { fn: grossProfit, field: "margin", empty: undefined },
  active_customers: { fn: activeCustomers, empty: 0 },
  sku_breadth: { fn: skuBreadth, empty: undefined },
  discount_rate: { fn: discountRate, empty: undefined },
};

/** @internal The first day (epoch day) of a target period string, or undefined when it names no real period. */
export function targetPeriodStart(period: string): number | undefined {
  return targetPeriodBounds(period)?.start;
}

/** @internal The first and last day (epoch days) of a target period string, or undefined when it names no real period. */
export function targetPeriodBounds(period: string): { start: number; end: number } | undefined {
  const p = parsePeriod(period);
  return p ? periodBounds(p.index, specOf(p.unit)) : undefined;
}

/** Unit and ordinal of a target period string, or undefined when it names no real period. */
function parsePeriod(p: string): { unit: Unit; index: number } | undefined {
  const y = Number(p.slice(0, 4));
  if (!/^\d{4}$/.test(p.slice(0, 4))) return undefined;
  let unit: Unit;
  let index: number;
  if (p.length === 4) {
    unit = "year";
    index = y;
  } else if (/^-Q[1-4]$/.test(p.slice(4))) {
    unit = "quarter";
    index = y * 4 + Number(p.slice(6)) - 1;
  } else if (/^-\d\d$/.test(p.slice(4))) {
    unit = "month";
    index = y * 12 + Number(p.slice(5)) - 1;
  } else if (/^-W\d\d$/.test(p.slice(4))) {
    unit = "week";
    // ISO week 1 holds January 4th; count weeks from its Monday
    const jan4 = epochDay(y, 1, 4);
    index = periodIndex(jan4, specOf("week")) + Number(p.slice(6)) - 1;
  } else return undefined;
  // round trip rejects e.g. month 13 or week 53 of a 52-week year
  return periodLabel(index, specOf(unit)) === p ? { unit, index } : undefined;
}

function specOf(unit: Unit): PeriodSpec {
  return { unit, weekStartsOn: 1, fiscalYearStartMonth: 1 };
}

/**
 * Progress against sales targets (targets.csv): for every target, the rep's actual for the
 * target's period, the target and progress = actual ÷ target. Actuals come from the KPI
 * functions grouped by rep (account-owner basis unless `repBasis: "seller"`): `revenue`,
 * `gross_profit`, `gross_margin` (grossProfit), `active_customers`, `sku_breadth`,
 * `discount_rate`. The period string picks the unit: `YYYY` calendar year, `YYYY-Qn` calendar
 * quarter, `YYYY-MM` month, `YYYY-Www` ISO week (Monday start, whatever `weekStartsOn` says).
 * Only data on or before `asOf` counts: a period still running is `partial` with the actual
 * to date; a rep with no lines in the period has 0 for sums and counts, `undefined` for ratios.
 * For `discount_rate` a progress above 1 means more discount than targeted. Unknown KPI names
 * and impossible periods (`2025-W53`: 2025 has 52 ISO weeks) give a row with `status` saying so.
 * A target for a manager counts only the accounts that manager owns. Rows keep the dataset's
 * target order (rep id, period, kpi). Each KPI function runs once per period unit.
 *
 * @param dataset - a dataset or as-of view (with `targets`)
 * @param options - asOf, repBasis, asOfInProgress; `period`, `periods` and `by` are ignored (the targets decide)
 * @returns one row per target
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, targetProgress } from "orderpulse";
 * const { dataset } = fromRowsSync({
 *   orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 10, unit_price: 30 }],
 *   customers: [{ customer_id: "A", rep_id: "R1" }],
 *   targets: [{ rep_id: "R1", period: "2026-01", kpi: "revenue", target: 400 }],
 * });
 * const [row] = targetProgress(dataset, { asOf: "2026-01-20" });
 * assert.equal(row?.actual, 300);
 * assert.equal(row?.progress, 0.75);
 * assert.equal(row?.partial, true);
 * ```
 */
export function targetProgress(dataset: Dataset, options?: KpiOptions): TargetProgressRow[] {
  checkDataset(dataset, "targetProgress");
  return targetProgressOf(dataset, dataset.targets, options);
}

/**
 * @internal {@link targetProgress} of some of the dataset's targets (each row depends on its own
 * target only; the KPIs are computed from the earliest of these periods, so asking for the
 * current ones alone does not compute years of history).
 */
export function targetProgressOf(dataset: Dataset, targets: readonly Target[], options?: KpiOptions): TargetProgressRow[] {
  checkOptions(options, "targetProgress", KPI_KEYS);
  const o = options ?? {};
  const open = o.asOfInProgress === true;
  // (asOfInProgress: a target period ending today is to date, `partial`, as one ending after it)
  const base: KpiOptions = { asOf: o.asOf, repBasis: o.repBasis ?? "owner", ...(open ? { asOfInProgress: true } : {}) };
  // validates the options and resolves asOf the way every KPI does
  const context = kpiContext(dataset, base, "day", "targetProgress");
  const asOfDay = context.asOf;
  // (a period the data begins inside, or wholly before it, is partial too, as every KPI row's: a
  // month exported from the 20th read 40% of target unmarked; review 2026-12-07)
  const partialOf = (b: { start: number; end: number }): boolean => partialPeriod(b.start, b.end, asOfDay, context.dataStart, open);
  // own keys only: a targets.csv KPI named "constructor" or "toString" is an unknown KPI, not Object.prototype's
  const defOf = (kpi: string): (typeof KPIS)[string] | undefined => (Object.hasOwn(KPIS, kpi) ? KPIS[kpi] : undefined);
  const parsed = targets.map((t) => (defOf(t.kpi) ? parsePeriod(t.period) : undefined));
  // one pass per (KPI function, unit) over its target periods: from the earliest to the latest
  // one that has begun by asOf (not to asOf's own period: week targets of 2026 against an asOf of
  // 4000-01-01 asked for 102,998 weeks and threw on an option the caller never gave), in chunks of
  // at most MAX_PERIODS periods
  const first = new Map<Unit, number>(), latest = new Map<Unit, number>();
  for (const p of parsed) {
    if (!p) continue;
    if (p.index < (first.get(p.unit) ?? Infinity)) first.set(p.unit, p.index);
    if (p.index > (latest.get(p.unit) ?? -Infinity)) latest.set(p.unit, p.index);
  }
  const cache = new Map<KpiFn, Map<Unit, Map<string, KpiRow>>>();
  const rowsOf = (fn: KpiFn, unit: Unit): Map<string, KpiRow> => {
    let byUnit = cache.get(fn);
    if (!byUnit) cache.set(fn, (byUnit = new Map()));
    let m = byUnit.get(unit);
    if (!m) {
      m = new Map();
      const from = first.get(unit)!;
      const last = Math.min(periodIndex(asOfDay, specOf(unit)), latest.get(unit)!);
      for (let end = last; end >= from; end -= MAX_PERIODS) {
        const options: ClippedKpiOptions = { ...base, period: unit, periods: Math.min(MAX_PERIODS, end - from + 1), by: "rep", weekStartsOn: 1, [LAST_PERIOD_DAY]: periodBounds(end, specOf(unit)).start };
        for (const r of fn(dataset, options)) m.set(`${r.period}|${r.key ?? ""}`, r);
      }
      byUnit.set(unit, m);
    }
    return m;
  };
  return targets.map((t, k): TargetProgressRow => {
    const repId = dataset.ids.reps.values[t.rep]!;
    const def = defOf(t.kpi);
    const p = parsed[k];
    const common = { repId, period: t.period, kpi: t.kpi, target: t.target };
    if (!def) {
      const b = targetPeriodBounds(t.period);
      return { ...common, start: b ? formatDay(b.start) : undefined, end: b ? formatDay(b.end) : undefined, actual: undefined, progress: undefined, partial: b ? partialOf(b) : false, status: "unknown_kpi" };
    }
    if (!p) return { ...common, start: undefined, end: undefined, actual: undefined, progress: undefined, partial: false, status: "invalid_period" };
    const b = periodBounds(p.index, specOf(p.unit));
    const row = rowsOf(def.fn, p.unit).get(`${t.period}|${repId}`);
    const actual = row === undefined ? def.empty : def.field ? (row as unknown as Record<string, number | undefined>)[def.field] : row.value;
    return {
      ...common,
      start: formatDay(b.start),
      end: formatDay(b.end),
      actual,
      progress: actual !== undefined && t.target !== 0 ? actual / t.target : undefined,
      partial: partialOf(b),
      status: "ok",
    };
  });
}
