import type { KpiReport } from "../kpi/compute-kpis.ts";
import { isCensored, type KpiRowWithTrend } from "../kpi/kpi-trend.ts";
import { alignedTable, enUsFormat, pct, percentText } from "./table.ts";

const RATIO_KPIS = new Set(["margin", "churn_rate", "discount_rate", "repurchase_rate"]);
const DECIMAL_KPIS = new Set(["sku_breadth", "order_frequency"]);

/** @internal Format a KPI value for people: thousands separators, % for rates. */
export function formatKpiValue(kpi: string, v: number | undefined): string {
  if (v === undefined) return "–";
  if (RATIO_KPIS.has(kpi)) return pct(v);
  if (DECIMAL_KPIS.has(kpi)) return enUsFormat(2, 2).format(v);
  // money and counts: whole units with separators from 1,000 up, else up to 2 decimals
  return enUsFormat(0, Math.abs(v) >= 1000 ? 0 : 2).format(v);
}

/** A change: relative (%) for amounts and counts, in percentage points for rates (as the briefs write them: 21.4% -> 21.2% is -0.2 pp, not -0.7%). */
/** The change as shown, one decimal of pp (rates) or % (the rest); a change that rounds to 0 is 0 ("-0.0 pp" under ▼ read as a fall). */
function shownChange(kpi: string, change: number | undefined, changePct: number | undefined): string | undefined {
  const x = RATIO_KPIS.has(kpi) ? change : changePct;
  if (x === undefined) return undefined;
  const t = percentText(x);
  return Number(t) === 0 ? "0.0" : t;
}

function changeText(kpi: string, change: number | undefined, changePct: number | undefined): string {
  const t = shownChange(kpi, change, changePct);
  if (t === undefined) return "";
  return `${t.startsWith("-") ? "" : "+"}${t}${RATIO_KPIS.has(kpi) ? " pp" : "%"}`;
}

/** @internal A row's change against the previous period with its arrow: "▲ +4.2%", "▼ -0.3 pp", "=" (also for a change that rounds to 0). */
export function formatKpiChange(kpi: string, r: KpiRowWithTrend): string {
  if (r.change === undefined) return "";
  const text = changeText(kpi, r.change, r.changePct);
  const t = shownChange(kpi, r.change, r.changePct);
  const sign = t !== undefined ? Number(t) : r.change;
  return `${sign > 0 ? "▲" : sign < 0 ? "▼" : "="}${text === "" ? "" : ` ${text}`}`;
}

/** @internal "1 day", "14 days". */
export function dayCount(n: number): string {
  return `${n} day${n === 1 ? "" : "s"}`;
}

function yoy(kpi: string, r: KpiRowWithTrend): string {
  return changeText(kpi, r.changeVsYearAgo, r.changeVsYearAgoPct);
}

/** @internal Aligned text tables, one per KPI. */
export function formatKpiTables(report: KpiReport, dataFrom?: string): string {
  // a period that ends before the data begin has no data: "–", not the 0 of a sum (a sales
  // manager read "revenue 0 from Nov to Jul" for months before a 3-month export; a review)
  const before = (r: { end: string }): boolean => dataFrom !== undefined && r.end < dataFrom;
  const out: string[] = [`KPIs as of ${report.asOf}${report.by !== "company" ? `, by ${report.by}` : ""}`];
  for (const [kpi, rows] of Object.entries(report.kpis)) {
    const grouped = report.by !== "company";
    // churn by revenue beside churn by count (the look-back revenue of the churned customers over
    // that of the base; in --json and --csv as revenueRate / revenue_rate)
    const byRevenue = kpi === "churn_rate";
    const header = ["period", ...(grouped ? [report.by] : []), kpi, ...(byRevenue ? ["by revenue"] : []), "vs prev", "vs year ago"];
    const body = rows.map((r) => [`${r.period}${r.partial ? "*" : ""}${isCensored(r) ? "†" : ""}`, ...(grouped ? [r.key ?? "(none)"] : []), formatKpiValue(kpi, r.toDateDays === 0 || before(r) ? undefined : r.value), ...(byRevenue ? [`${formatKpiValue(kpi, before(r) ? undefined : revenueRateOf(r))}${revenueRatePartialOf(r) && !r.partial ? "*" : ""}`] : []), formatKpiChange(kpi, r), yoy(kpi, r)]);
    const unit = report.periods[kpi];
    const now = rows.find((r) => r.toDateDays !== undefined);
    const units = unit === "fiscal" ? "fiscal years" : `${unit}s`;
    const days = now?.toDateDays;
    const title = now && days !== undefined ? (days === 0 ? `${kpi} (${unit}; ${now.period}: no data yet, not compared)` : `${kpi} (${unit}; ${now.period} so far: ${dayCount(days)}, compared with the same days of the ${units} before)`) : `${kpi} (${unit})`;
    out.push("", title);
    for (const line of alignedTable(header, body, grouped ? 2 : 1)) out.push(line); // (no push(...lines): a long table overflowed the call stack)
  }
  const all = Object.values(report.kpis).flat();
  const notes: string[] = [];
  if (all.some((r) => r.partial || revenueRatePartialOf(r))) notes.push("* partial period: still in progress at the as-of date (compared like for like), or the data begins inside it or inside the history it needs (never a base of \"vs prev\" or \"vs year ago\")");
  if (all.some(before)) notes.push(`– no data: the period ends before the data begin (${dataFrom}); --json and --csv keep the KPI's own value (0 for a sum)`);
  if (all.some(isCensored)) notes.push("† windows still open at the as-of date: a lower bound, not compared");
  if (Object.keys(report.kpis).some((k) => RATIO_KPIS.has(k))) notes.push("pp: percentage points (a rate's change: margin, churn, discount, repurchase)");
  if (notes.length > 0) out.push("", ...notes);
  return out.join("\n");
}

/** A churn row's revenue rate is partial (its look-back year reaches before the data); false for other KPIs. */
function revenueRatePartialOf(r: KpiRowWithTrend): boolean {
  return (r as { readonly revenueRatePartial?: unknown }).revenueRatePartial === true;
}

/** A churn row's revenue-weighted rate (undefined for other KPIs). */
function revenueRateOf(r: KpiRowWithTrend): number | undefined {
  const x = (r as { readonly revenueRate?: unknown }).revenueRate;
  return typeof x === "number" ? x : undefined;
}

/** @internal The columns of {@link kpiCsvRows}, in order (the header of an empty series too). */
export const KPI_CSV_COLUMNS: readonly string[] = [
  "kpi", "period", "start", "end", "partial", "key", "value", "numerator", "denominator", "previous",
  "change", "change_pct", "year_ago", "change_vs_year_ago", "slope", "to_date_days", "censored",
  "revenue_rate", "due", "revenue_rate_partial", "change_vs_year_ago_pct",
];

/** @internal Flat rows for CSV (keys: {@link KPI_CSV_COLUMNS}). */
export function kpiCsvRows(report: KpiReport): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const list of Object.values(report.kpis)) {
    for (const r of list) {
      rows.push({
        kpi: r.kpi,
        period: r.period,
        start: r.start,
        end: r.end,
        partial: r.partial,
        key: r.key ?? "",
        value: r.value ?? "",
        numerator: r.numerator ?? "",
        denominator: r.denominator ?? "",
        previous: r.previous ?? "",
        change: r.change ?? "",
        change_pct: r.changePct ?? "",
        year_ago: r.yearAgo ?? "",
        change_vs_year_ago: r.changeVsYearAgo ?? "",
        slope: r.slope ?? "",
        to_date_days: r.toDateDays ?? "",
        censored: isCensored(r),
        // churn_rate's rate by revenue; expected_not_bought's customers due (the value's base)
        revenue_rate: revenueRateOf(r) ?? "",
        due: typeof (r as { readonly due?: unknown }).due === "number" ? (r as { readonly due: number }).due : "",
        // (last: a column added after the others keeps theirs where readers expect them)
        revenue_rate_partial: r.kpi === "churn_rate" ? revenueRatePartialOf(r) : "",
        // (the text table's "vs year ago" percent; --json had it, the CSV only the difference; a review)
        change_vs_year_ago_pct: r.changeVsYearAgoPct ?? "",
      });
    }
  }
  return rows;
}
