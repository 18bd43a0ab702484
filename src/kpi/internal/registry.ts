import type { Dataset } from "../../data/dataset.ts";
import { activeCustomers } from "../active-customers.ts";
import { churnRate, type ChurnRateRow } from "../churn-rate.ts";
import { discountRate, type DiscountRateRow } from "../discount-rate.ts";
import { expectedNotBought, type ExpectedNotBoughtRow } from "../expected-not-bought.ts";
import { grossProfit, type GrossProfitRow } from "../gross-profit.ts";
import type { KpiRowWithTrend, KpiTrend } from "../kpi-trend.ts";
import { orderFrequency } from "../order-frequency.ts";
import { repurchaseRate, type RepurchaseRateRow } from "../repurchase-rate.ts";
import type { PeriodUnit } from "../period.ts";
import { skuBreadth } from "../sku-breadth.ts";
import type { KpiOptions, KpiRow } from "../types.ts";

/**
 * @internal A KPI computeKpis knows: its function and default cadence. Entries that read another
 * function's rows (revenue and margin come from grossProfit's) share its `compute` and say
 * which value they `pick`, so computeKpis runs that pass once for all of them.
 */
export interface KpiEntry {
  readonly defaultPeriod: PeriodUnit;
  readonly compute: (dataset: Dataset, options: KpiOptions) => KpiRow[];
  readonly pick?: (row: KpiRow) => number | undefined;
  /**
   * The value over a period's first N days is the same KPI measured on fewer days (counts, sums
   * and ratios of the period's own lines), so a period in progress can be compared with the same
   * days of earlier periods. Windowed KPIs (repurchase, churn, expected-not-bought) are not.
   */
  readonly toDate?: true;
  /** Its row with the trend's fields, under `kpi` with `value` (see {@link TrendRowOf}). */
  readonly trendRow: TrendRowOf;
}

/**
 * @internal A grouped row (one with a `key`) of a KPI's pass, under the name `kpi` with `value`,
 * the trend's fields after its own: one object literal per KPI, the fields in the pass's order.
 * Generic copies (`{ ...row, ...trend }`, `Object.assign({}, row, trend)`) cost about 10 µs a row
 * on Node 20, and past about 16 fields the copy is a dictionary-mode object of about 800 bytes
 * (computeKpis by product over 20,000 products held 1.9 GB). Company rows (no `key`, a row a
 * period) take the generic copy.
 */
export type TrendRowOf = (row: KpiRow, kpi: string, value: number | undefined, t: KpiTrend) => KpiRowWithTrend;

const countRow: TrendRowOf = (r, kpi, value, t) => ({ kpi, period: r.period, start: r.start, end: r.end, partial: r.partial, key: r.key!, value, previous: t.previous, change: t.change, changePct: t.changePct, yearAgo: t.yearAgo, changeVsYearAgo: t.changeVsYearAgo, changeVsYearAgoPct: t.changeVsYearAgoPct, slope: t.slope });
const ratioRow: TrendRowOf = (r, kpi, value, t) => ({ kpi, period: r.period, start: r.start, end: r.end, partial: r.partial, key: r.key!, value, numerator: r.numerator!, denominator: r.denominator!, previous: t.previous, change: t.change, changePct: t.changePct, yearAgo: t.yearAgo, changeVsYearAgo: t.changeVsYearAgo, changeVsYearAgoPct: t.changeVsYearAgoPct, slope: t.slope });
const profitRow: TrendRowOf = (row, kpi, value, t) => {
  const r = row as GrossProfitRow;
  return { kpi, period: r.period, start: r.start, end: r.end, partial: r.partial, key: r.key!, value, revenue: r.revenue, costedRevenue: r.costedRevenue, cost: r.cost, margin: r.margin, linesWithoutCost: r.linesWithoutCost, lines: r.lines, previous: t.previous, change: t.change, changePct: t.changePct, yearAgo: t.yearAgo, changeVsYearAgo: t.changeVsYearAgo, changeVsYearAgoPct: t.changeVsYearAgoPct, slope: t.slope };
};
const repurchaseRow: TrendRowOf = (row, kpi, value, t) => {
  const r = row as RepurchaseRateRow;
  return { kpi, period: r.period, start: r.start, end: r.end, partial: r.partial, key: r.key!, value, numerator: r.numerator, denominator: r.denominator, censored: r.censored, openPairs: r.openPairs, windowEnd: r.windowEnd, previous: t.previous, change: t.change, changePct: t.changePct, yearAgo: t.yearAgo, changeVsYearAgo: t.changeVsYearAgo, changeVsYearAgoPct: t.changeVsYearAgoPct, slope: t.slope };
};
const churnRow: TrendRowOf = (row, kpi, value, t) => {
  const r = row as ChurnRateRow;
  return { kpi, period: r.period, start: r.start, end: r.end, partial: r.partial, key: r.key!, value, numerator: r.numerator, denominator: r.denominator, revenueRate: r.revenueRate, revenueRatePartial: r.revenueRatePartial, churnedRevenue: r.churnedRevenue, baseRevenue: r.baseRevenue, censored: r.censored, churned: r.churned, previous: t.previous, change: t.change, changePct: t.changePct, yearAgo: t.yearAgo, changeVsYearAgo: t.changeVsYearAgo, changeVsYearAgoPct: t.changeVsYearAgoPct, slope: t.slope };
};
const discountRow: TrendRowOf = (row, kpi, value, t) => {
  const r = row as DiscountRateRow;
  return { kpi, period: r.period, start: r.start, end: r.end, partial: r.partial, key: r.key!, value, numerator: r.numerator, denominator: r.denominator, discountAmount: r.discountAmount, linesWithoutList: r.linesWithoutList, returnLines: r.returnLines, lines: r.lines, previous: t.previous, change: t.change, changePct: t.changePct, yearAgo: t.yearAgo, changeVsYearAgo: t.changeVsYearAgo, changeVsYearAgoPct: t.changeVsYearAgoPct, slope: t.slope };
};
const expectedRow: TrendRowOf = (row, kpi, value, t) => {
  const r = row as ExpectedNotBoughtRow;
  return { kpi, period: r.period, start: r.start, end: r.end, partial: r.partial, key: r.key!, value, due: r.due, censored: r.censored, customers: r.customers, previous: t.previous, change: t.change, changePct: t.changePct, yearAgo: t.yearAgo, changeVsYearAgo: t.changeVsYearAgo, changeVsYearAgoPct: t.changeVsYearAgoPct, slope: t.slope };
};

/** @internal Registry of the KPIs computeKpis runs, by name (the `kpi` field of their rows). */
export const KPI_REGISTRY: Readonly<Record<string, KpiEntry>> = {
  active_customers: { defaultPeriod: "week", compute: activeCustomers, toDate: true, trendRow: countRow },
  sku_breadth: { defaultPeriod: "week", compute: skuBreadth, toDate: true, trendRow: ratioRow },
  revenue: { defaultPeriod: "month", compute: grossProfit, pick: (r) => (r as GrossProfitRow).revenue, toDate: true, trendRow: profitRow },
  gross_profit: { defaultPeriod: "month", compute: grossProfit, toDate: true, trendRow: profitRow },
  margin: { defaultPeriod: "month", compute: grossProfit, pick: (r) => (r as GrossProfitRow).margin, toDate: true, trendRow: profitRow },
  order_frequency: { defaultPeriod: "month", compute: orderFrequency, toDate: true, trendRow: ratioRow },
  repurchase_rate: { defaultPeriod: "month", compute: repurchaseRate, trendRow: repurchaseRow },
  churn_rate: { defaultPeriod: "month", compute: churnRate, trendRow: churnRow },
  discount_rate: { defaultPeriod: "month", compute: discountRate, toDate: true, trendRow: discountRow },
  expected_not_bought: { defaultPeriod: "month", compute: expectedNotBought, trendRow: expectedRow },
};
