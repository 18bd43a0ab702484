import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDataset } from "../../csv/read-dataset.ts";
import { writeSyntheticDistributor } from "../../csv/write-synthetic-distributor.ts";
import type { Dataset } from "../../data/dataset.ts";
import { formatDay } from "../../data/format-day.ts";
import { CompensatedSum } from "../../data/internal/compensated-sum.ts";
import { orderOccasions } from "../../data/order-occasions.ts";
import { computeKpis } from "../../kpi/compute-kpis.ts";
import { explainKpiChange } from "../../kpi/explain-kpi-change.ts";
import { fitPatterns } from "../../patterns/fit-patterns.ts";
import { recommend } from "../../recommend/recommend.ts";
import { detectSignals } from "../../signals/detect-signals.ts";
import { explainRhythm } from "./patterns.ts";
import { generateSyntheticDistributor } from "../../synth/generate-synthetic-distributor.ts";
import { checkSynthOut, parseFlags } from "../args.ts";
import { formatExplanation } from "../format-explain.ts";
import { dayCount, formatKpiChange, formatKpiValue } from "../format-kpis.ts";
import { formatReport } from "../format-report.ts";
import type { CliIo } from "../io.ts";
import { progressBar } from "../progress.ts";
import { SYNTH_FLAGS, synthOptions } from "./synth.ts";
import { analyze } from "../../analyze.ts";
import { rankTasks } from "../../tasks/rank-tasks.ts";
import { briefTargets, staleBriefs, writeBriefs } from "./brief.ts";
import { UsageError } from "../io.ts";
import { unitPrice } from "../table.ts";

/** @internal */
export const DEMO_HELP = `orderpulse demo [--out DIR] [--seed N] [--customers N] [--products N] [--years N] [--end YYYY-MM-DD] [--lang en|he] [--json] [--quiet]

Generate a sample distributor (default: 400 customers, 3 years to 2026-10-31, seed 1; --end
moves its last day) into DIR (default: a new temporary folder, left in place for the commands
the tour names), read it back through the CSV reader and print what it holds: the
ingest report, order volume, revenue, returns, KPIs, rhythm, signals, offers for two customers
and the planted events in truth.json. Then write the weekly brief of every rep, every manager
and the company as HTML and Markdown (orderpulse brief) into DIR/briefs with --out, else into
./orderpulse-demo/, and print their paths. --lang sets the briefs' language (default en).`;

/** `orderpulse demo`. @internal */
export async function demoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, { ...SYNTH_FLAGS, out: { type: "string" }, lang: { type: "string" }, json: { type: "boolean" }, quiet: { type: "boolean", short: "q" }, help: { type: "boolean", short: "h" } });
  if (v.help) {
    io.out(`${DEMO_HELP}\n`);
    return 0;
  }
  const opts = { customers: 400, ...synthOptions(v) };
  const lang = v.lang ?? "en";
  if (lang !== "en" && lang !== "he") throw new UsageError(`--lang must be en or he, got ${String(lang)}`);
  if (typeof v.out === "string" && v.out !== "") checkSynthOut(v.out);
  const dir = typeof v.out === "string" && v.out !== "" ? v.out : await mkdtemp(join(tmpdir(), "orderpulse-demo-"));
  const t0 = performance.now();
  const synth = generateSyntheticDistributor(opts);
  const written = await writeSyntheticDistributor(dir, synth);
  const t1 = performance.now();
  const bar = progressBar(io, v.quiet === true);
  const { dataset, report } = await readDataset({ path: dir, onProgress: bar.onProgress }).finally(bar.done);
  const t2 = performance.now();

  const occ = orderOccasions(dataset);
  // compensated sums; gross profit as the KPI layer defines it: costed revenue − cost
  const revenueSum = new CompensatedSum(), costedSum = new CompensatedSum(), costSum = new CompensatedSum();
  let costed = 0, returns = 0;
  const L = dataset.lines;
  for (let i = 0; i < L.length; i++) {
    const r = L.quantity[i]! * L.unitPrice[i]!;
    revenueSum.add(r);
    if (L.isReturn[i]) returns++;
    if (!Number.isNaN(L.unitCost[i]!)) {
      costedSum.add(r);
      costSum.add(L.quantity[i]! * L.unitCost[i]!);
      costed++;
    }
  }
  const revenue = revenueSum.value, costedRevenue = costedSum.value, cost = costSum.value;
  const asOf = dataset.dayRange ? formatDay(dataset.dayRange.last) : undefined;
  const kpis = computeKpis(dataset, { ...(asOf ? { asOf } : {}), period: "month", periods: 3, kpis: ["active_customers", "sku_breadth", "revenue", "gross_profit", "margin"] });
  // one explained change: gross profit, the last two months, by rep
  const months = kpis.kpis.gross_profit?.map((r) => r.period) ?? [];
  const explained =
    asOf && months.length >= 2
      ? explainKpiChange(dataset, { kpi: "gross_profit", from: months.at(-2)!, to: months.at(-1)!, asOf, by: "rep", period: "month" })
      : undefined;
  // rhythm: the most overdue customers that are probably still customers
  const patterns = asOf ? fitPatterns(dataset, { asOf }) : undefined;
  const watch = patterns
    ? [...patterns.all()]
        .filter((c) => c.status === "ok" && (c.pAlive ?? 1) >= 0.5 && (c.overdueProbability ?? 0) > 0)
        .sort((a, b) => (b.overdueProbability ?? 0) - (a.overdueProbability ?? 0) || (a.customerId < b.customerId ? -1 : 1))
        .slice(0, 5)
    : [];
  // early warnings against each customer's own rhythm, with the same model
  const signals = patterns ? detectSignals(dataset, { asOf, model: patterns }) : [];
  const signalCounts = new Map<string, number>();
  for (const x of signals) signalCounts.set(x.type, (signalCounts.get(x.type) ?? 0) + 1);
  // offers for two customers: the two largest accounts by revenue over the last 90 days
  const recent = new Map<number, number>();
  if (dataset.dayRange) for (let j = 0; j < occ.length; j++) if (occ.day[j]! > dataset.dayRange.last - 90) recent.set(occ.customer[j]!, (recent.get(occ.customer[j]!) ?? 0) + occ.revenue[j]!);
  const accounts = [...recent].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 2).map(([c]) => dataset.ids.customers.values[c]!);
  // per account its two best offers and its best cross-sell
  const best = asOf && accounts.length > 0 ? recommend(dataset, { asOf, customerIds: accounts, k: 2, model: patterns }) : [];
  const cross = asOf && accounts.length > 0 ? recommend(dataset, { asOf, customerIds: accounts, k: 1, kinds: ["cross_sell"] }) : [];
  const offers = accounts.flatMap((id) => {
    const mine = best.filter((o) => o.customerId === id);
    return [...mine, ...cross.filter((o) => o.customerId === id && !mine.some((m) => m.productId === o.productId))];
  });
  const evalSplit = dataset.dayRange ? formatDay(dataset.dayRange.last - 89) : "D";
  const events = new Map<string, number>();
  for (const e of synth.truth.events) events.set(e.type, (events.get(e.type) ?? 0) + 1);
  // the weekly briefs of every rep, manager and the company, HTML + Markdown
  const t3 = performance.now();
  const briefsDir = typeof v.out === "string" && v.out !== "" ? join(dir, "briefs") : "orderpulse-demo";
  let briefs: string[] = [];
  if (asOf && patterns) {
    const analysis = analyze(dataset, { asOf, model: patterns, locale: lang });
    briefs = await writeBriefs(analysis, rankTasks(analysis, { locale: lang }), briefTargets(analysis), briefsDir, ["html", "md"], lang);
    // the demo's own folder: an earlier demo's briefs of reps this one does not have go
    for (const p of await staleBriefs(briefsDir, briefs)) await rm(p, { force: true });
  }
  const briefsMs = performance.now() - t3;
  const summary = {
    dir,
    briefs,
    files: written.files.map((f) => ({ name: f.name, rows: f.rows })),
    generateAndWriteMs: Math.round(t1 - t0),
    readMs: Math.round(t2 - t1),
    lines: L.length,
    orders: occ.length,
    customers: dataset.ids.customers.size,
    products: dataset.ids.products.size,
    // (managers apart: "4 reps" was printed for 3 reps and their manager; a review)
    reps: dataset.ids.reps.size - managerCount(dataset),
    managers: managerCount(dataset),
    first: dataset.dayRange ? formatDay(dataset.dayRange.first) : null,
    last: dataset.dayRange ? formatDay(dataset.dayRange.last) : null,
    currency: dataset.currency ?? null,
    revenue: Math.round(revenue * 100) / 100,
    grossProfit: Math.round((costedRevenue - cost) * 100) / 100,
    linesWithCost: costed,
    returnLines: returns,
    plantedEvents: Object.fromEntries([...events].sort()),
    kpis,
    explained,
    overdue: watch,
    signals: { count: signals.length, byType: Object.fromEntries([...signalCounts].sort()), top: signals.slice(0, 5) },
    offers,
    report,
  };
  if (v.json) {
    io.out(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const n = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 0 });
  const money = (x: number): string => `${x.toLocaleString("en-US", { maximumFractionDigits: 0 })}${dataset.currency ? ` ${dataset.currency}` : ""}`;
  // the data and the day of the tour, for the commands it names (without --as-of they answer as of today)
  // paths as a POSIX shell reads them (a temp folder under "C:\Users\Jane Doe" broke the pasted command)
  const q = shellWord(dir), truthPath = shellWord(join(dir, "truth.json"));
  const on = `--data ${q} --as-of ${kpis.asOf}`;
  io.out(
    [
      `orderpulse demo: a synthetic distributor in ${dir}`,
      `  generated and wrote ${written.files.length} files in ${n(t1 - t0)} ms; read back in ${n(t2 - t1)} ms`,
      ``,
      `Data`,
      `  ${n(L.length)} order lines in ${n(occ.length)} orders, ${summary.first} .. ${summary.last}`,
      `  ${n(summary.customers)} customers, ${n(summary.products)} products, ${n(summary.reps)} reps, ${n(summary.managers)} ${summary.managers === 1 ? "manager" : "managers"}, ${n(dataset.dealEvents.length)} deal events, ${n(dataset.targets.length)} targets, ${n(dataset.content.length)} content items`,
      `  revenue ${money(revenue)}, gross profit ${money(costedRevenue - cost)} (${((100 * (costedRevenue - cost)) / costedRevenue).toFixed(1)}%), ${n(returns)} return lines (${((100 * returns) / L.length).toFixed(2)}%)`,
      ``,
      `Ingest report`,
      formatReport(report),
      ``,
      `KPIs, last 3 months (as of ${kpis.asOf}; orderpulse kpis ${on} --period month)`,
      ...kpiLines(kpis),
      ``,
      ...(explained ? [`Why did gross profit move? (orderpulse kpis ${on} --explain --from ${explained.from.label} --to ${explained.to.label} --by rep)`, formatExplanation(explained, 5), ``] : []),
      `Most overdue customers that are probably still customers (orderpulse patterns ${on})`,
      // (P(alive) unknown, without the BG/NBD fit of a small dataset: "–", not "0%")
      ...(watch.length === 0 ? ["  (none)"] : watch.map((c) => `  ${c.customerId.padEnd(8)} overdue ${((c.overdueProbability ?? 0) * 100).toFixed(0).padStart(3)}%, P(alive) ${c.pAlive === undefined ? "  –" : `${(c.pAlive * 100).toFixed(0).padStart(3)}%`}: ${explainRhythm(c)}`)),
      ``,
      `Signals as of ${kpis.asOf}, highest value at risk first (orderpulse signals ${on})`,
      `  ${n(signals.length)} open: ${[...signalCounts].map(([k, c]) => `${k} ${c}`).join(", ") || "none"}`,
      ...signals.slice(0, 5).map((x) => `  ${x.type.padEnd(17)} ${[x.customerId, x.productId, x.segment, x.stage, x.kpi].filter((y) => y !== undefined).join(" / ").padEnd(16)} ${money(x.valueAtRisk).padStart(10)}  ${x.message}`),
      ``,
      // (the command it names prints the top offers of every kind; the demo shows the top 2 and the
      // best cross-sell, which that command's list need not hold: a review)
      `Offers for the two largest accounts of the last 90 days: the best 2 and the best cross-sell (orderpulse recommend ${on} --customer ID [--kind cross_sell])`,
      ...accounts.flatMap((id) => {
        const mine = offers.filter((o) => o.customerId === id);
        return [
          `  ${id}`,
          ...(mine.length > 0
            ? mine.map((o) => `    ${o.kind.padEnd(10)} ${o.productId.padEnd(8)} ${o.quantity.toLocaleString("en-US").padStart(5)} x ${unitPrice(o.suggestedPrice).padStart(8)}  margin ${Number.isNaN(o.expectedMargin) ? "–" : money(o.expectedMargin)}  ${o.message}`)
            : ["    no offers"]),
        ];
      }),
      `  how good are they? orderpulse recommend --data ${q} --evaluate --split ${evalSplit} --truth ${truthPath}`,
      ``,
      `Planted events (truth.json), which signals and backtests are scored against (orderpulse backtest --data ${q} --truth ${truthPath} --from D --to D)`,
      ...[...events].sort().map(([k, c]) => `  ${k.padEnd(20)} ${n(c)}`),
      ``,
      `Weekly briefs of every rep, manager and the company, HTML + Markdown, in ${n(briefsMs)} ms (orderpulse brief ${on} --all --format html --out DIR)`,
      ...briefs.map((p) => `  ${p}`),
      ``,
      `Next: orderpulse ingest --data ${q}   |   orderpulse customer ${on} --id ID   |   orderpulse synth --out DIR --seed 1`,
    ].join("\n") + "\n",
  );
  return 0;
}

/** A path as one POSIX shell word: as it is when plain, else in single quotes. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** Compact KPI table: one line per KPI, one column per month, change vs previous month. */
function kpiLines(report: ReturnType<typeof computeKpis>): string[] {
  const names = Object.keys(report.kpis);
  const periods = [...new Set(Object.values(report.kpis).flatMap((rows) => rows.map((r) => r.period)))];
  const w = 14;
  // a month in progress (or one the data begins inside) is marked, and the one in progress says
  // what "vs prev" compares: its days so far with the same days of the month before (until
  // 2026-12-07 unmarked beside the full month before: 114 -> 93 read "+4.5%")
  const all = Object.values(report.kpis).flat();
  const partial = new Set(all.filter((r) => r.partial).map((r) => r.period));
  const out = [`  ${"".padEnd(18)}${periods.map((p) => `${p}${partial.has(p) ? "*" : ""}`.padStart(w)).join("")}   vs prev`];
  for (const name of names) {
    const rows = report.kpis[name]!;
    const last = rows.at(-1);
    const pct = last !== undefined ? formatKpiChange(name, last) : "";
    out.push(`  ${name.padEnd(18)}${rows.map((r) => formatKpiValue(name, r.toDateDays === 0 ? undefined : r.value).padStart(w)).join("")}   ${pct}`);
  }
  const now = all.find((r) => r.toDateDays !== undefined);
  if (now?.toDateDays !== undefined) out.push(now.toDateDays === 0 ? `  * ${now.period}: no data yet, not compared` : `  * ${now.period} so far: ${dayCount(now.toDateDays)}; "vs prev" compares them with the same days of the month before`);
  else if (partial.size > 0) out.push("  * the data begins inside this month");
  return out;
}

/** The reps that manage another rep (reps.csv's manager_id values). */
function managerCount(dataset: Dataset): number {
  const managers = new Set<number>();
  for (const m of dataset.reps.manager) if (m >= 0) managers.add(m);
  return managers.size;
}
