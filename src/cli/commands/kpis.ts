import { writeToString } from "fast-csv";
import { formatDay } from "../../data/format-day.ts";
import { csvCells } from "../../csv/internal/csv-cells.ts";
import { computeKpis } from "../../kpi/compute-kpis.ts";
import { KPI_REGISTRY } from "../../kpi/internal/registry.ts";
import { explainKpiChange, type ExplainableKpi } from "../../kpi/explain-kpi-change.ts";
import { PERIOD_UNITS, type PeriodUnit } from "../../kpi/period.ts";
import type { Dimension } from "../../kpi/types.ts";
import { COMMON_DATA_FLAGS, intFlag, parseFlags, readOptionsFromFlags, withCommonOptions } from "../args.ts";
import { formatExplanation } from "../format-explain.ts";
import { formatKpiTables, KPI_CSV_COLUMNS, kpiCsvRows } from "../format-kpis.ts";
import { formatChurnProfile, formatPace, formatProfitability, formatTargets, formatWhiteSpace } from "../format-reports.ts";
import { churnProfile } from "../../kpi/churn-profile.ts";
import { customerProfitability } from "../../kpi/customer-profitability.ts";
import { orderPace } from "../../kpi/order-pace.ts";
import { targetProgress } from "../../kpi/target-progress.ts";
import { whiteSpace } from "../../kpi/white-space.ts";
import type { Dataset } from "../../data/dataset.ts";
import { asOfView } from "../../data/as-of-view.ts";
import { hasUnitCost } from "../../signals/internal/cost-basis.ts";
import type { KpiOptions } from "../../kpi/types.ts";
import { type CliIo, UsageError } from "../io.ts";
import { readForAnalysis } from "../analysis-input.ts";
import { AS_OF_HELP } from "../today.ts";

/** Reports that are not period series: printed as their own tables. */
const REPORTS: Readonly<Record<string, { run: (d: Dataset, o: KpiOptions) => unknown; text: (r: never, asOf: string) => string; csv: (r: never) => readonly object[] }>> = {
  churn_profile: { run: (d, o) => churnProfile(d, o), text: formatChurnProfile, csv: (r: ReturnType<typeof churnProfile>) => r.factors },
  white_space: {
    run: (d, o) => whiteSpace(d, { ...o, by: whiteSpaceBy(d, o.by) }),
    text: (r: ReturnType<typeof whiteSpace>) => formatWhiteSpace(r),
    csv: (r: ReturnType<typeof whiteSpace>) => r.rows,
  },
  customer_profitability: { run: (d, o) => customerProfitability(d, { ...o, by: "company" }), text: (r: ReturnType<typeof customerProfitability>) => formatProfitability(r), csv: (r: readonly object[]) => r },
  target_progress: { run: (d, o) => targetProgress(d, o), text: formatTargets, csv: (r: readonly object[]) => r },
  order_pace: { run: (d, o) => orderPace(d, o), text: formatPace, csv: (r: readonly object[]) => r },
};
/**
 * Each report's CSV columns when it has no row (its rows' keys, in their order): a report without
 * a row printed a bare newline, no header, which a CSV reader takes for no columns (a review).
 */
const REPORT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  churn_profile: ["dimension", "value", "churned", "base", "shareChurned", "shareBase", "lift", "churnRate"],
  white_space: ["key", "item", "customers", "buyers", "share", "peerCustomers", "peerBuyers", "peerShare", "gap", "ratio", "opportunity", "flagged"],
  customer_profitability: ["rank", "customerId", "repId", "segment", "revenue", "costedRevenue", "cost", "grossProfit", "margin", "share", "cumulativeShare", "class", "linesWithoutCost", "lines", "basis"],
  target_progress: ["repId", "period", "kpi", "target", "start", "end", "actual", "progress", "partial", "status"],
  order_pace: ["kpi", "asOf", "customers", "gaps", "value", "medianGapDays", "meanGapDays", "medianCustomerGapDays", "compared", "faster", "slower", "steady", "fasterShare", "slowerShare", "partial"],
};
const EXPLAINABLE = ["active_customers", "gross_profit", "revenue", "sku_breadth"];
/**
 * The KPI flags each report reads. A flag none of the asked reports reads (and no KPI series
 * asked with them) is a usage error, not a flag silently dropped: customer_profitability is over
 * the company (`--by company` only), target_progress's periods are the targets'.
 */
const REPORT_FLAGS: Readonly<Record<string, readonly string[]>> = {
  churn_profile: ["period", "periods", "week-start", "fiscal-start"],
  white_space: ["period", "periods", "week-start", "fiscal-start", "by"],
  customer_profitability: ["period", "periods", "week-start", "fiscal-start"],
  target_progress: [],
  order_pace: ["by"],
};

/** White space compares reps, segments or regions: --by, else the first of them the data has (reps by default). */
function whiteSpaceBy(d: Dataset, by: string | undefined): "rep" | "segment" | "region" {
  if (by === "rep" || by === "segment" || by === "region") return by;
  // (--by company too: a white space is a group's against its peers; it ran by rep)
  if (by !== undefined) throw new UsageError(`white_space compares --by rep, segment or region, got ${by}`);
  // (a dimension some customer has: reps.csv or targets.csv alone fill the rep dictionary, and a
  // data set whose customers have no rep compared one group of everyone, 0 gaps; review 2026-12-07)
  const assigned = (col: Int32Array): boolean => col.some((x) => x >= 0);
  if (assigned(d.customers.rep) || assigned(d.lines.rep)) return "rep";
  if (assigned(d.customers.segment)) return "segment";
  return assigned(d.customers.region) ? "region" : "rep";
}
const DIMS = ["company", "rep", "channel", "segment", "region", "customer", "product", "family"];

/** @internal */
export const KPIS_HELP: string = `orderpulse kpis --data PATH [--as-of D] [--period day|week|month|quarter|year|fiscal]
                [--by company|rep|channel|segment|region|customer|product|family] [--kpi NAME[,NAME...]]
                [--periods N] [--week-start mon|sun] [--fiscal-start M] [--json|--csv [--excel]]
                [common options]
orderpulse kpis --data PATH --explain --from P --to P [--kpi gross_profit|revenue|active_customers|sku_breadth]
                [--by DIM] [--period P] [--json]

KPIs with trends (vs previous period, vs a year ago, slope): active_customers and sku_breadth
(weekly by default), revenue, gross_profit and margin (monthly by default). --period sets one
cadence for all. Output: aligned tables, or --json (one document) or --csv (one row per KPI,
period and group; --excel adds a UTF-8 BOM, so Excel reads Hebrew names right, and a leading '
to text that starts like a formula: = + - @). Also: order_frequency, repurchase_rate, churn_rate, expected_not_bought,
discount_rate (--kpi NAME), and the reports churn_profile, white_space (--by
rep|segment|region; default: the first of them the data has), customer_profitability (ABC),
target_progress, order_pace.
${AS_OF_HELP}
--explain breaks the change between two periods (labels like 2026-09, or days inside them)
into parts that add up exactly: lost / gained / returned customers, volume / mix / price /
cost for profit, breadth / entered / left for SKU breadth; it explains gross_profit unless --kpi
says otherwise, revenue when the data has no unit costs. Definitions: docs/kpis.md.`;

/** `orderpulse kpis`. @internal */
export async function kpisCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, {
    ...COMMON_DATA_FLAGS,
    "as-of": { type: "string" },
    period: { type: "string" },
    by: { type: "string" },
    kpi: { type: "string", multiple: true },
    periods: { type: "string" },
    "week-start": { type: "string" },
    "fiscal-start": { type: "string" },
    csv: { type: "boolean" },
    excel: { type: "boolean" },
    explain: { type: "boolean" },
    from: { type: "string" },
    to: { type: "string" },
  });
  if (v.help) {
    io.out(`${withCommonOptions(KPIS_HELP)}\n`);
    return 0;
  }
  if (v.json && v.csv) throw new UsageError("--json and --csv are exclusive");
  if (v.excel && !v.csv) throw new UsageError("--excel shapes the --csv output for a spreadsheet: add --csv");
  // --kpi a,b as --kpi a --kpi b (as --type and --kind take them)
  // (each name once, in the order given; an empty list is a usage error, not an empty report)
  if (Array.isArray(v.kpi)) {
    v.kpi = [...new Set((v.kpi as string[]).flatMap((x) => x.split(",")).map((x) => x.trim()).filter((x) => x !== ""))];
    if ((v.kpi as string[]).length === 0) throw new UsageError("--kpi needs at least one name");
  }
  const period = v.period as string | undefined;
  if (period !== undefined && !(PERIOD_UNITS as readonly string[]).includes(period)) throw new UsageError(`--period must be one of ${PERIOD_UNITS.join(", ")}, got ${period}`);
  const by = v.by as string | undefined;
  if (by !== undefined && !DIMS.includes(by)) throw new UsageError(`--by must be one of ${DIMS.join(", ")}, got ${by}`);
  const ws = v["week-start"];
  if (ws !== undefined && ws !== "mon" && ws !== "sun") throw new UsageError(`--week-start must be mon or sun, got ${String(ws)}`);
  const fiscal = intFlag(v, "fiscal-start");
  if (fiscal !== undefined && fiscal > 12) throw new UsageError(`--fiscal-start must be a month 1..12, got ${fiscal}`);
  const periods = intFlag(v, "periods");
  const read = readOptionsFromFlags(v);
  const given = typeof v["as-of"] === "string" ? v["as-of"] : undefined;
  if (v.explain) {
    if (typeof v.from !== "string" || typeof v.to !== "string") throw new UsageError("--explain needs --from PERIOD and --to PERIOD");
    const kpis = (v.kpi as string[] | undefined) ?? ["gross_profit"];
    if (kpis.length !== 1 || !EXPLAINABLE.includes(kpis[0]!)) throw new UsageError(`--explain takes one --kpi among ${EXPLAINABLE.join(", ")}`);
    if (v.csv) throw new UsageError("--explain prints a table or --json");
    if (v.periods !== undefined) throw new UsageError("--explain compares the two periods --from and --to: --periods does not apply");
    const { dataset, asOf, asOfInProgress } = await readForAnalysis(v, io, given, read);
    // gross profit by default; revenue when the data has no unit cost at all (a gross profit
    // explanation would have nothing to explain)
    let kpi = kpis[0] as ExplainableKpi;
    if (v.kpi === undefined && !hasUnitCost(asOfView(dataset, asOf))) {
      kpi = "revenue";
      if (v.quiet !== true) io.err("orderpulse: the data has no unit costs: explaining revenue (--kpi chooses)\n");
    }
    const e = explainKpiChange(dataset, {
      kpi,
      from: v.from,
      to: v.to,
      asOf,
      period: (period ?? "month") as PeriodUnit,
      ...(by !== undefined ? { by: by as Dimension } : {}),
      ...(ws !== undefined ? { weekStartsOn: ws === "sun" ? 0 : 1 } : {}),
      ...(fiscal !== undefined ? { fiscalYearStartMonth: fiscal } : {}),
      // (today is not over: a period ending today is in progress)
      ...(asOfInProgress ? { asOfInProgress } : {}),
    } as const);
    io.out(v.json ? `${JSON.stringify(e, null, 2)}\n` : `${formatExplanation(e)}\n`);
    return 0;
  }
  // (without --explain they were read by nothing: the default 12 periods printed, exit 0)
  if (v.from !== undefined || v.to !== undefined) throw new UsageError("--from and --to name the two periods of --explain (a KPI series ends at --as-of; --periods N sets its length)");
  const requested = v.kpi as string[] | undefined;
  // own keys only (--kpi constructor is an unknown KPI, not Object.prototype's constructor)
  const isReport = (k: string): boolean => Object.hasOwn(REPORTS, k);
  const reportNames = (requested ?? []).filter(isReport);
  const kpiNames = requested?.filter((k) => !isReport(k));
  // checked before reading, naming the flag and the reports too (computeKpis knows only its KPIs)
  const unknown = kpiNames?.find((k) => !Object.hasOwn(KPI_REGISTRY, k));
  if (unknown !== undefined) throw new UsageError(`--kpi: unknown KPI ${unknown} (known: ${[...Object.keys(KPI_REGISTRY), ...Object.keys(REPORTS)].join(", ")})`);
  if (v.csv && reportNames.length + (kpiNames === undefined || kpiNames.length > 0 ? 1 : 0) > 1) {
    throw new UsageError("--csv prints one table: the KPI series, or one of the reports (--kpi churn_profile ...)");
  }
  if (kpiNames !== undefined && kpiNames.length === 0) {
    for (const flag of ["by", "period", "periods", "week-start", "fiscal-start"]) {
      // (--by company is the default grouping: nothing dropped; white_space refuses it on its own)
      if (v[flag] === undefined || (flag === "by" && by === "company")) continue;
      if (!reportNames.some((r) => REPORT_FLAGS[r]!.includes(flag))) throw new UsageError(`--${flag} does not apply to ${reportNames.join(", ")} (docs/kpis.md)`);
    }
  }
  const { dataset, asOf, asOfInProgress } = await readForAnalysis(v, io, given, read);
  const common: KpiOptions = {
    asOf,
    ...(period !== undefined ? { period: period as PeriodUnit } : {}),
    ...(by !== undefined ? { by: by as Dimension } : {}),
    ...(periods !== undefined ? { periods } : {}),
    ...(ws !== undefined ? { weekStartsOn: ws === "sun" ? 0 : 1 } : {}),
    ...(fiscal !== undefined ? { fiscalYearStartMonth: fiscal } : {}),
    // (today is not over: a period ending today is in progress, in the series and every report)
    ...(asOfInProgress ? { asOfInProgress } : {}),
  } as const;
  const report = kpiNames === undefined || kpiNames.length > 0 ? computeKpis(dataset, { ...common, ...(kpiNames ? { kpis: kpiNames } : {}) }) : undefined;
  const reports: Record<string, unknown> = {};
  for (const name of reportNames) reports[name] = REPORTS[name]!.run(dataset, common);
  if (v.json) io.out(`${JSON.stringify(report ? { ...report, ...(reportNames.length ? { reports } : {}) } : { asOf, reports }, null, 2)}\n`);
  else if (v.csv) {
    const rows = report ? kpiCsvRows(report) : REPORTS[reportNames[0]!]!.csv(reports[reportNames[0]!] as never);
    // the KPI series' columns are fixed (the header also for no rows); a report's are its rows' keys
    const first: object | undefined = rows[0];
    // (order_pace grouped: its rows carry a key, so its header for no row does too; a review)
    const empty = (name: string): readonly string[] => (name === "order_pace" && by !== undefined && by !== "company" ? ["kpi", "asOf", "key", ...REPORT_COLUMNS[name]!.slice(2)] : REPORT_COLUMNS[name]!);
    const headers = report ? KPI_CSV_COLUMNS : first !== undefined ? Object.keys(first) : empty(reportNames[0]!);
    const excel = v.excel === true;
    const cells = rows.map((r) => csvCells(r, headers, excel));
    // the byte order mark written here: fast-csv leaves it out of a file with no row (a review)
    io.out(`${excel ? "\uFEFF" : ""}${await writeToString(cells, { headers: [...headers], alwaysWriteHeaders: headers.length > 0, writeBOM: false })}\n`);
  } else {
    const from = dataset.dayRange !== undefined ? formatDay(dataset.dayRange.first) : undefined;
    const parts = report ? [formatKpiTables(report, from)] : [];
    for (const name of reportNames) parts.push(REPORTS[name]!.text(reports[name] as never, asOf));
    io.out(`${parts.join("\n\n")}\n`);
  }
  return 0;
}
