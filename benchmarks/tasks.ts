/**
 * Tasks benchmark (not a test). Two parts:
 *   1. speed, on the seeded ~1M-line synthetic distributor (seed 1, default options, the folder
 *      bench:ingest uses): the bare papaparse parse of orders.csv (baseline), analyze() once
 *      (printed, not part of the budget), then rankTasks() plus the JSON weeklyBrief() of every
 *      rep, every manager and the company, median of RUNS runs, with its ratio to the parse
 *      (issue 8: ranking and rendering every brief within 0.5x the parse; rendering Markdown / HTML
 *      is not built yet, so this is the ranking + JSON part);
 *   2. quality, on seed 1 with 300 customers (the test fixture): how many shown tasks are about a
 *      customer with a planted change (truth.events: churn, frequency, item and diversity drops)
 *      against the share of such customers among all active customers, and how the follow-through
 *      of the 2026-10-17 tasks reads two weeks later.
 * Timings are wall-clock on a shared machine: noisy; compare ratios from the same run.
 *
 * Usage: npm run build && node --import tsx benchmarks/tasks.ts [--runs N]
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bareParse, median, timeIt } from "./support.ts";
import { readDataset, writeSyntheticDistributor } from "../dist/csv/index.js";
import { analyze, fromRowsSync, generateSyntheticDistributor, rankTasks, weeklyBrief, type Analysis } from "../dist/index.js";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = Number(values.runs ?? 5);
const dir = join(import.meta.dirname, ".data", "synth-s1-cdefault");
const file = join(dir, "orders.csv");

function briefs(a: Analysis): number {
  const ranked = rankTasks(a);
  let bytes = 0;
  const managers = new Set<string>();
  for (const r of a.reps) {
    if (r.managerId === undefined) continue;
    managers.add(r.managerId);
    bytes += JSON.stringify(weeklyBrief(a, { repId: r.repId, tasks: ranked })).length;
  }
  for (const m of managers) bytes += JSON.stringify(weeklyBrief(a, { managerId: m, tasks: ranked })).length;
  bytes += JSON.stringify(weeklyBrief(a, { tasks: ranked })).length;
  return bytes;
}

async function speed(): Promise<void> {
  if (!existsSync(file)) await writeSyntheticDistributor(dir, { seed: 1 });
  const { dataset } = await readDataset({ path: dir });
  const papa = await timeIt(() => bareParse(file), RUNS);
  let t = performance.now();
  const a = analyze(dataset);
  const analyzeMs = performance.now() - t;
  const text = JSON.stringify(a);
  // each run on a fresh copy of the analysis (parsed from its JSON, untimed): the per-analysis
  // lookups rankTasks and weeklyBrief cache are rebuilt every time, as for a new week's analysis
  let bytes = 0;
  const times: number[] = [];
  for (let r = 0; r <= RUNS; r++) {
    const copy = JSON.parse(text) as Analysis;
    t = performance.now();
    bytes = briefs(copy);
    if (r > 0) times.push(performance.now() - t); // the first is a warm-up
  }
  const ms = median(times);
  console.log(`speed: ${dataset.visibleLines.toLocaleString("en-US")} lines, ${a.customers.length} customers, ${a.signals.length} signals, ${a.offers.length} offers, ${a.deals.length} deals`);
  console.log(`  papaparse bare parse        ${papa.toFixed(0)} ms`);
  console.log(`  analyze (once)              ${analyzeMs.toFixed(0)} ms (${(analyzeMs / papa).toFixed(2)}x parse), analysis JSON ${(text.length / 2 ** 20).toFixed(1)} MB`);
  console.log(`  rankTasks + every brief     ${ms.toFixed(1)} ms median of ${RUNS} (fresh analysis copy each run), ${(ms / papa).toFixed(3)}x parse (target <= 0.5x), briefs ${(bytes / 1024).toFixed(0)} kB JSON`);
}

function quality(): void {
  const synth = generateSyntheticDistributor({ seed: 1, customers: 300 });
  const { dataset } = fromRowsSync(synth);
  const kinds = new Set(["churn", "frequency_drop", "item_dropped", "item_volume_drop", "diversity_drop"]);
  const a = analyze(dataset);
  const planted = new Set<string>();
  for (const e of synth.truth.events) if (kinds.has(e.type) && e.customerId !== undefined && e.start <= a.asOf) planted.add(e.customerId);
  const active = a.customers.filter((c) => c.ordersLastYear > 0);
  const base = active.filter((c) => planted.has(c.customerId)).length / active.length;
  const ranked = rankTasks(a);
  const hit = ranked.tasks.filter((t) => t.customerId !== undefined && planted.has(t.customerId)).length;
  const pipeline = ranked.tasks.filter((t) => t.kind === "pipeline").length;
  const byKind = new Map<string, number>();
  for (const t of ranked.tasks) byKind.set(t.kind, (byKind.get(t.kind) ?? 0) + 1);
  console.log(`quality (seed 1, 300 customers, asOf ${a.asOf}): ${ranked.tasks.length} tasks shown for ${ranked.byRep.length} reps; kinds ${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`  tasks about a customer with a planted change: ${hit} of ${ranked.tasks.length - pipeline} non-pipeline tasks (${((100 * hit) / Math.max(1, ranked.tasks.length - pipeline)).toFixed(0)}%), against ${(100 * base).toFixed(0)}% of active customers (${planted.size} planted customers)`);
  let total = 0;
  for (const t of ranked.tasks) total += t.value;
  console.log(`  value of the shown tasks: ${total.toFixed(0)} (12-month margin at stake); high-value threshold ${ranked.highValue.toFixed(0)}`);
  const before = rankTasks(analyze(dataset, { asOf: "2026-10-17" }));
  const after = rankTasks(a, { previous: before });
  const ft = after.followThrough!;
  const count = (s: string): number => ft.items.filter((i) => i.status === s).length;
  console.log(`  follow-through of the 2026-10-17 tasks at ${a.asOf}: done ${count("done")}, open ${count("open")}, dropped ${count("dropped")}; per rep ${ft.byRep.map((r) => `${r.repId} ${(100 * r.rate).toFixed(0)}%`).join(", ")}; escalations ${after.escalations.length}`);
}

await speed();
quality();
