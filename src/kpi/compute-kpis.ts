import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { CLIP_DAYS, checkOptions, heldToDateDays, KPI_KEYS, MAX_PERIODS, periodSpecOf, withKpiCallMemo, type ClippedKpiOptions } from "./internal/context.ts";
import { KPI_REGISTRY, type KpiEntry } from "./internal/registry.ts";
import { checkSlopePeriods, periodsPerYear, trendRows, type KpiRowWithTrend, type ToDateRows } from "./kpi-trend.ts";
import { periodOf, type PeriodUnit } from "./period.ts";
import type { Dimension, KpiOptions, KpiRow } from "./types.ts";
import type { GrossProfitRow } from "./gross-profit.ts";
import type { RepurchaseRateRow } from "./repurchase-rate.ts";
import type { ChurnRateRow } from "./churn-rate.ts";
import type { DiscountRateRow } from "./discount-rate.ts";
import type { ExpectedNotBoughtRow } from "./expected-not-bought.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";
import { checkEnum, checkStringArray, extendKeys, type OptionKeys } from "../data/internal/check.ts";

/** Options of {@link computeKpis}. */
export interface ComputeKpisOptions extends KpiOptions {
  /** Which KPIs (default: all it knows: active_customers, sku_breadth, revenue, gross_profit, margin, order_frequency, repurchase_rate, churn_rate, discount_rate, expected_not_bought). */
  kpis?: readonly string[] | undefined;
  /** Periods for the trend slope (default 6). */
  slopePeriods?: number | undefined;
  /**
   * Compare the period in progress with the same days of the previous period and of the year-ago
   * period (default `true`; its row then has `toDateDays`). `false`: with the whole periods, as
   * {@link kpiTrend} does on its own.
   */
  toDate?: boolean | undefined;
}

const KEYS: OptionKeys<ComputeKpisOptions> = /* @__PURE__ */ extendKeys<ComputeKpisOptions, KpiOptions>(KPI_KEYS, { kpis: true, slopePeriods: true, toDate: true });

/**
 * A row of {@link KpiReport}: the fields every KPI row has, its trend, and each KPI's own fields,
 * optional here because which of them a row carries depends on its `kpi`: `revenue`,
 * `gross_profit` and `margin` rows those of {@link GrossProfitRow} (revenue, cost, margin, ...),
 * `repurchase_rate` {@link RepurchaseRateRow}'s, `churn_rate` {@link ChurnRateRow}'s,
 * `discount_rate` {@link DiscountRateRow}'s, `expected_not_bought` {@link ExpectedNotBoughtRow}'s.
 */
export type KpiReportRow = KpiRowWithTrend &
  Partial<Omit<GrossProfitRow, keyof KpiRow>> &
  Partial<Omit<RepurchaseRateRow, keyof KpiRow>> &
  Partial<Omit<ChurnRateRow, keyof KpiRow>> &
  Partial<Omit<DiscountRateRow, keyof KpiRow>> &
  Partial<Omit<ExpectedNotBoughtRow, keyof KpiRow>>;

/** The KPI pack: every requested KPI's rows, with trends. */
export interface KpiReport {
  /** The as-of day used, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Grouping dimension. */
  readonly by: Dimension;
  /** Period unit per KPI (each KPI's default cadence unless `period` was given). */
  readonly periods: Readonly<Record<string, PeriodUnit>>;
  /** Rows per KPI name, each with trend fields. */
  readonly kpis: Readonly<Record<string, readonly KpiReportRow[]>>;
}

/**
 * Compute the KPI pack in one call: each requested KPI at its default cadence (weekly for
 * active customers and SKU breadth, monthly for money KPIs) or the given `period`, for the last
 * `periods` periods, grouped by `by`, each row with its trend (vs previous period, vs the same
 * period last year, slope). History for the year-ago comparison is computed and then trimmed.
 * The period in progress at `asOf` is compared like for like: month to date against the same
 * first days of the previous month and of the same month a year earlier (week to date likewise),
 * for the KPIs measured on a period's own lines; a rate whose windows are still open (repurchase,
 * churn, expected-not-bought) is a lower bound and is not compared (see {@link kpiTrend}).
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period, periods (default 12), by, kpis, weekStartsOn, fiscalYearStartMonth, slopePeriods, toDate, asOfInProgress
 * @returns the KPI report
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or an unknown KPI name
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeKpis, fromRowsSync } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-01", customer_id: "A", product_id: "P", quantity: 2, unit_price: 5, unit_cost: 3 },
 *   { order_id: "2", order_date: "2026-02-05", customer_id: "A", product_id: "P", quantity: 3, unit_price: 5, unit_cost: 3 },
 * ] });
 * const report = computeKpis(dataset, { asOf: "2026-02-28", period: "month", periods: 2, kpis: ["revenue", "gross_profit"] });
 * assert.deepEqual(report.kpis.revenue?.map((r) => r.value), [10, 15]);
 * assert.equal(report.kpis.gross_profit?.[1]?.change, 2); // January is whole: the data begins on the 1st
 * // on February 10, February so far is compared with January 1-5: the data end on the 5th
 * const early = computeKpis(dataset, { asOf: "2026-02-10", period: "month", periods: 2, kpis: ["revenue"] });
 * assert.equal(early.kpis.revenue?.[1]?.previous, 10);
 * assert.equal(early.kpis.revenue?.[1]?.toDateDays, 5);
 * ```
 */
export function computeKpis(dataset: Dataset, options?: ComputeKpisOptions): KpiReport {
  return withKpiCallMemo(() => computeKpisNow(dataset, options));
}

function computeKpisNow(dataset: Dataset, options: ComputeKpisOptions | undefined): KpiReport {
  // (checked before any default: null read as no options)
  checkOptions(options, "computeKpis", KEYS);
  const o = options ?? {};
  checkEnum(o as Record<string, unknown>, "toDate", [true, false], "computeKpis");
  const open = o.asOfInProgress === true;
  checkSlopePeriods(o as Record<string, unknown>, "computeKpis");
  checkStringArray(o as Record<string, unknown>, "kpis", "computeKpis");
  if (o.kpis !== undefined && o.kpis.length === 0) throw new OrderpulseError("INVALID_OPTION", "computeKpis: invalid option kpis: expected at least one KPI (leave it out for all)", { option: "kpis", value: o.kpis });
  const names = o.kpis ?? Object.keys(KPI_REGISTRY);
  for (const name of names) {
    // own keys only: "toString" is not a KPI (Object.prototype's would pass the lookup)
    if (typeof name !== "string" || !Object.hasOwn(KPI_REGISTRY, name)) {
      throw new OrderpulseError("INVALID_OPTION", `computeKpis: unknown KPI ${name} (known: ${Object.keys(KPI_REGISTRY).join(", ")})`, { option: "kpis", value: name });
    }
  }
  const { asOf, view } = resolveAsOf(dataset, o.asOf, undefined, "computeKpis");
  const asOfText = formatDay(asOf);
  const periods = o.periods ?? 12;
  const by = o.by ?? "company";
  const kpis: Record<string, KpiRowWithTrend[]> = {};
  const units: Record<string, PeriodUnit> = {};
  const computed = new Map<KpiEntry["compute"], Map<PeriodUnit, KpiRow[]>>();
  const clippedRuns = new Map<KpiEntry["compute"], Map<PeriodUnit, KpiRow[]>>();
  // one pass per (function, unit, clip): revenue, gross_profit and margin share grossProfit's rows
  const rowsOf = (entry: KpiEntry, unit: PeriodUnit, clip: number | undefined): KpiRow[] => {
    const memo = clip === undefined ? computed : clippedRuns;
    let byUnit = memo.get(entry.compute);
    if (!byUnit) memo.set(entry.compute, (byUnit = new Map()));
    let base = byUnit.get(unit);
    if (!base) {
      // a year more than asked, for the comparison with the same period a year before (within the
      // KPI functions' own limit: a caller's `periods` near it would fail with a number it never gave)
      // (the KPI options only: kpis, slopePeriods and toDate are computeKpis' own, unknown to the KPI functions)
      const opts: ClippedKpiOptions = { asOf, by, period: unit, periods: Math.min(MAX_PERIODS, periods + periodsPerYear(unit)), weekStartsOn: o.weekStartsOn, fiscalYearStartMonth: o.fiscalYearStartMonth, repBasis: o.repBasis, ...(clip === undefined ? {} : { [CLIP_DAYS]: clip }), ...(open ? { asOfInProgress: true } : {}) };
      byUnit.set(unit, (base = entry.compute(view, opts)));
    }
    return base;
  };
  // how many of the asked KPIs still read each pass: a pass's rows are let go after its last
  // reader (grouped by product over a large catalogue they are millions of objects)
  const readers = new Map<KpiEntry["compute"], Map<PeriodUnit, number>>();
  const unitOf = (entry: KpiEntry): PeriodUnit => o.period ?? entry.defaultPeriod;
  for (const name of names) {
    const entry = KPI_REGISTRY[name]!;
    let byUnit = readers.get(entry.compute);
    if (!byUnit) readers.set(entry.compute, (byUnit = new Map()));
    byUnit.set(unitOf(entry), (byUnit.get(unitOf(entry)) ?? 0) + 1);
  }
  for (const name of names) {
    const entry = KPI_REGISTRY[name]!;
    const unit = unitOf(entry);
    const rows = rowsOf(entry, unit, undefined);
    // the period in progress: the last period, when it ends after asOf
    let last: KpiRow | undefined;
    for (const r of rows) if (last === undefined || r.start > last.start) last = r;
    // (it holds asOf, so it is still in progress unless it ends on asOf; its bounds are computed,
    // not parsed back from the row's text: a period outside the years 0000-9999 has no day text
    // parseDay reads, and an asOf there threw an error about an option "date" never given)
    const held = periodOf(asOf, periodSpecOf(unit, o));
    // (the days the data can speak for: up to its last day when it ends before asOf; none yet: the
    // period in progress is compared with nothing)
    const days = last !== undefined ? heldToDateDays(view, asOf, held.start, held.end, open) : undefined;
    const toDate: ToDateRows | undefined = days !== undefined && entry.toDate && o.toDate !== false ? { start: last!.start, days, rows: days > 0 ? rowsOf(entry, unit, days) : [] } : undefined;
    // keep the requested periods: the last `periods` distinct period starts (the year before is
    // only compared with); revenue and margin take their values from grossProfit's rows there
    const starts = [...new Set(rows.map((r) => r.start))].sort();
    const keepFrom = starts.length > periods ? starts[starts.length - periods] : undefined;
    kpis[name] = trendRows(rows, { unit, ...(o.slopePeriods !== undefined ? { slopePeriods: o.slopePeriods } : {}) }, toDate, { name, pick: entry.pick, keepFrom, trendRow: entry.trendRow });
    units[name] = unit;
    const left = readers.get(entry.compute)!;
    left.set(unit, left.get(unit)! - 1);
    if (left.get(unit) === 0) {
      computed.get(entry.compute)?.delete(unit);
      clippedRuns.get(entry.compute)?.delete(unit);
    }
  }
  return { asOf: asOfText, by, periods: units, kpis };
}
