/**
 * bench:pipeline: every stage of the pipeline on one seeded synthetic distributor, each in units
 * of the bare papaparse parse of the same orders.csv measured in the same run (issue 9's budget):
 *
 *   read <= 1.5, KPIs <= 0.5, patterns <= 0.5, signals <= 0.5, offers <= 0.5, briefs <= 0.5,
 *   the full pipeline (readDataset + analyze + every brief as Markdown and HTML) <= 4.
 *
 * Stages run in the order a host runs them, on the dataset read once; each is the median of
 * --runs runs after a warm-up (the full pipeline: --runs runs, no warm-up beyond the stages').
 * Also printed: the peak RSS of the pipeline alone, run once in a fresh process (`--rss-only`:
 * readDataset + analyze + every brief, what `orderpulse brief --all` does; the budget's
 * measure), the peak RSS of this process (which holds every stage's inputs and results at
 * once), the dataset's columnar size per order line (`datasetToBytes`), and the RSS growth of
 * reading it.
 *
 *   node --import tsx benchmarks/pipeline.ts [--customers 2000] [--seed 1] [--runs 3] [--json FILE] [--rss-only]
 *
 * 2,000 customers give about 1.08M order lines; 10,000 about 5.4M. The data is written once to
 * benchmarks/.data/synth-s<seed>-c<customers>/ (git-ignored). `--json FILE` writes the numbers
 * for benchmarks/run-all.ts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bareParse, timed as timedRuns } from "./support.ts";
import { readDataset, writeSyntheticDistributor } from "../dist/csv/index.js";
import { analyze, computeKpis, datasetToBytes, detectSignals, fitPatterns, rankTasks, recommend, weeklyBrief, type Analysis, type Dataset } from "../dist/index.js";

const { values } = parseArgs({ options: { customers: { type: "string" }, seed: { type: "string" }, runs: { type: "string" }, json: { type: "string" }, "rss-only": { type: "boolean" } } });
const CUSTOMERS = Number(values.customers ?? 2000);
const SEED = Number(values.seed ?? 1);
const RUNS = Math.max(1, Number(values.runs ?? 3));
const dir = join(import.meta.dirname, ".data", `synth-s${SEED}-c${CUSTOMERS === 2000 ? "default" : CUSTOMERS}`);
const file = join(dir, "orders.csv");

/** Budget of each stage in bare-parse units (issue 9). */
const BUDGET: Record<string, number> = { read: 1.5, kpis: 0.5, patterns: 0.5, signals: 0.5, offers: 0.5, briefs: 0.5, pipeline: 4 };

/** Median of RUNS runs (after a warm-up unless `warmUp` is false), with the last result. */
const timed = <T>(fn: () => T | Promise<T>, runs = RUNS, warmUp = true): Promise<{ ms: number; result: T }> => timedRuns(fn, runs, warmUp);


/** Every rep's, manager's and the company's brief as Markdown and HTML (what `orderpulse brief --all` writes). */
function everyBrief(a: Analysis): number {
  const ranked = rankTasks(a);
  const reps = new Set<string>(), managers = new Set<string>();
  for (const c of a.customers) if (c.repId !== null) reps.add(c.repId);
  for (const r of a.reps) if (r.managerId !== undefined) (managers.add(r.managerId), reps.add(r.repId));
  let n = 0;
  for (const t of [...[...reps].map((repId) => ({ repId })), ...[...managers].map((managerId) => ({ managerId })), {}]) {
    weeklyBrief(a, { ...t, tasks: ranked, format: "markdown" });
    weeklyBrief(a, { ...t, tasks: ranked, format: "html" });
    n++;
  }
  return n;
}

const KPI_GROUPS = ["company", "rep", "segment"] as const;

/** The monthly KPI dashboard: every default KPI, 12 months, by company, rep and segment. */
function kpiDashboard(dataset: Dataset): number {
  let rows = 0;
  for (const by of KPI_GROUPS) {
    const r = computeKpis(dataset, { period: "month", periods: 12, by });
    for (const k of Object.values(r.kpis)) rows += k?.length ?? 0;
  }
  return rows;
}

/** The pipeline once, in this (fresh) process: its peak RSS and the RSS after each step, as JSON on stdout. */
async function rssOnly(): Promise<void> {
  const mb = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);
  const { dataset } = await readDataset({ path: dir });
  const afterRead = mb();
  const analysis = analyze(dataset);
  const afterAnalyze = mb();
  const briefs = everyBrief(analysis);
  console.log(JSON.stringify({ peakRssBytes: process.resourceUsage().maxRSS * 1024, afterReadMb: afterRead, afterAnalyzeMb: afterAnalyze, afterBriefsMb: mb(), briefs }));
}

/** Runs {@link rssOnly} in a child process (same Node flags) and returns its report. */
function pipelineAlone(): { peakRssBytes: number; afterReadMb: number; afterAnalyzeMb: number; afterBriefsMb: number } {
  const args = [...process.execArgv, import.meta.filename, "--rss-only", "--customers", String(CUSTOMERS), "--seed", String(SEED)];
  const out = execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").at(-1)!) as ReturnType<typeof pipelineAlone>;
}

async function main(): Promise<void> {
  if (!existsSync(file)) {
    const t = performance.now();
    await writeSyntheticDistributor(dir, { seed: SEED, customers: CUSTOMERS });
    console.error(`generated ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const rss0 = process.memoryUsage().rss;
  const papa = await timed(() => bareParse(file));
  const lines = papa.result;
  // read once untimed for the RSS growth, then the timed runs
  const first = await readDataset({ path: dir });
  const rssRead = process.memoryUsage().rss - rss0;
  const dataset = first.dataset;
  const read = await timed(async () => (await readDataset({ path: dir })).dataset.lines.day.length, RUNS, false);
  const bytes = datasetToBytes(dataset).byteLength;

  const kpis = await timed(() => kpiDashboard(dataset));
  const patterns = await timed(() => fitPatterns(dataset));
  const model = patterns.result;
  const signals = await timed(() => detectSignals(dataset, { model }).length);
  const customerIds = [...dataset.ids.customers.values];
  const offers = await timed(() => recommend(dataset, { model, customerIds }).length);
  const analysis = analyze(dataset, { model });
  const text = JSON.stringify(analysis);
  // each run on a fresh copy of the analysis, so per-analysis caches are rebuilt as for a new week
  const briefs = await timed(() => everyBrief(JSON.parse(text) as Analysis));
  const pipeline = await timed(async () => everyBrief(analyze((await readDataset({ path: dir })).dataset)), RUNS, false);
  const alone = pipelineAlone();

  const stages: [string, number, string][] = [
    ["read", read.ms, `readDataset: ${lines.toLocaleString("en-US")} lines`],
    ["kpis", kpis.ms, `computeKpis: every default KPI, 12 months, by ${KPI_GROUPS.join(" / ")} (${kpis.result} rows)`],
    ["patterns", patterns.ms, `fitPatterns: ${dataset.ids.customers.size} customers and their customer x item pairs`],
    ["signals", signals.ms, `detectSignals with the model: ${signals.result} signals`],
    ["offers", offers.ms, `recommend for every customer with the model: ${offers.result} offers`],
    ["briefs", briefs.ms, `rankTasks + ${briefs.result} briefs as Markdown and HTML (given the analysis)`],
    ["pipeline", pipeline.ms, "readDataset + analyze + every brief (from CSV)"],
  ];
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`bench:pipeline: seed ${SEED}, ${CUSTOMERS} customers, ${lines.toLocaleString("en-US")} order lines, ${dataset.ids.products.size} products; median of ${RUNS} runs; node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"})`);
  console.log(`papaparse bare parse of orders.csv: ${papa.ms.toFixed(0)} ms (= 1 unit)`);
  console.log(`${"stage".padEnd(9)} ${"ms".padStart(9)} ${"units".padStart(7)} ${"budget".padStart(7)}  what`);
  for (const [name, ms, what] of stages) {
    const u = ms / papa.ms;
    console.log(`${name.padEnd(9)} ${ms.toFixed(0).padStart(9)} ${u.toFixed(2).padStart(7)} ${`<= ${BUDGET[name]}`.padStart(7)}  ${u <= BUDGET[name]! ? "met " : "MISS"} ${what}`);
  }
  console.log(`memory: the pipeline alone in a fresh process peaks at ${(alone.peakRssBytes / 2 ** 20).toFixed(0)} MB RSS (target < 1024 MB at 5M lines; ${alone.afterReadMb} MB after readDataset, ${alone.afterAnalyzeMb} MB after analyze); this process, holding every stage at once, ${(maxRss / 2 ** 20).toFixed(0)} MB; dataset ${(bytes / lines).toFixed(1)} bytes per order line (columnar, datasetToBytes); reading grew RSS by ${(rssRead / 2 ** 20).toFixed(0)} MB (${(rssRead / lines).toFixed(0)} bytes per line)`);
  if (values.json) {
    writeFileSync(
      values.json,
      JSON.stringify({ seed: SEED, customers: CUSTOMERS, lines, runs: RUNS, node: process.version, cores: cpus().length, cpu: cpus()[0]?.model ?? null, papaparseMs: papa.ms, stages: stages.map(([name, ms, what]) => ({ name, ms, units: ms / papa.ms, budget: BUDGET[name], what })), peakRssBytes: maxRss, pipelineAlone: alone, datasetBytesPerLine: bytes / lines, readRssBytes: rssRead }, null, 2) + "\n",
    );
  }
}

if (values["rss-only"]) await rssOnly();
else await main();
