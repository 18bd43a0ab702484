/**
 * Tasks benchmark (not a test). Two parts:
 *   1. speed, on the seeded ~1M-line synthetic distributor (seed 1, default options, the folder
 *      bench:ingest uses): the bare papaparse parse of orders.csv (baseline), analyze() once
 *      (printed, not part of the budget), then rankTasks() plus the JSON weeklyBrief() of every
 *      rep, every manager and the company, median of RUNS runs, with its ratio to the parse; then
 *      the budget of issue 8 (within 0.5x the parse): rankTasks() plus every rep's, every
 *      manager's and the company's brief rendered as Markdown AND as HTML (`npm run bench:brief`
 *      runs this part only: `--speed`);
 *   2. quality, on seed 1 with 300 customers (the test fixture): how many shown tasks are about a
 *      customer with a planted change (truth.events: churn, frequency, item and diversity drops)
 *      against the share of such customers among all active customers, and how the follow-through
 *      of the 2026-10-17 tasks reads two weeks later;
 *   3. the yearly-margin input of the value model, on the 1M-line data: analyze at 2025-10-31 and
 *      each customer's yearly margin (its own history) against the margin it really made in the
 *      next 365 days, beside the trailing 365 days up to asOf and the BG/NBD conditional expected
 *      purchases × its margin per purchase day.
 * Timings are wall-clock on a shared machine: noisy; compare ratios from the same run.
 *
 * Usage: npm run build && node --import tsx benchmarks/tasks.ts [--runs N] [--speed]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SYNTH_DIR, SYNTH_ORDERS, bareParse, ensureSyntheticDistributor, median, timeIt } from "./support.ts";
import { readDataset } from "../dist/csv/index.js";
import { analyze, bgNbdModel, fitPatterns, fromRowsSync, generateSyntheticDistributor, rankTasks, summaryFromDataset, weeklyBrief, type Analysis, type Dataset } from "../dist/index.js";

const { values } = parseArgs({ options: { runs: { type: "string" }, speed: { type: "boolean" } } });
const RUNS = Number(values.runs ?? 5);
const dir = SYNTH_DIR;
const file = SYNTH_ORDERS;

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

/** rankTasks + every rep's, manager's and the company's brief as Markdown and HTML; returns bytes per format. */
function rendered(a: Analysis): { md: number; html: number; briefs: number } {
  const ranked = rankTasks(a);
  let md = 0, html = 0, briefs = 0;
  const managers = new Set<string>();
  const reps = new Set<string>();
  for (const c of a.customers) if (c.repId !== null) reps.add(c.repId);
  for (const r of a.reps) if (r.managerId !== undefined) (managers.add(r.managerId), reps.add(r.repId));
  const targets = [...[...reps].map((repId) => ({ repId })), ...[...managers].map((managerId) => ({ managerId })), {}];
  for (const t of targets) {
    md += weeklyBrief(a, { ...t, tasks: ranked, format: "markdown" }).length;
    html += weeklyBrief(a, { ...t, tasks: ranked, format: "html" }).length;
    briefs++;
  }
  return { md, html, briefs };
}

async function speed(dataset: Dataset): Promise<void> {
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
  console.log(`  rankTasks + every brief     ${ms.toFixed(1)} ms median of ${RUNS} (fresh analysis copy each run), ${(ms / papa).toFixed(3)}x parse, briefs ${(bytes / 1024).toFixed(0)} kB JSON`);
  // the issue-8 budget: ranking + rendering every brief as Markdown and HTML
  const rtimes: number[] = [];
  let r0 = { md: 0, html: 0, briefs: 0 };
  for (let r = 0; r <= RUNS; r++) {
    const copy = JSON.parse(text) as Analysis;
    t = performance.now();
    r0 = rendered(copy);
    if (r > 0) rtimes.push(performance.now() - t);
  }
  const rms = median(rtimes);
  console.log(`  rankTasks + ${r0.briefs} briefs as Markdown + HTML  ${rms.toFixed(1)} ms median of ${RUNS}, ${(rms / papa).toFixed(3)}x parse (target <= 0.5x); ${(r0.md / 1024).toFixed(0)} kB Markdown, ${(r0.html / 1024).toFixed(0)} kB HTML`);
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

/** Spearman rank correlation (no ties expected in money sums). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (v: readonly number[]): number[] => {
    const r = new Array<number>(v.length);
    v.map((x, i) => [x, i] as const)
      .sort((p, q) => p[0] - q[0])
      .forEach(([, i], j) => (r[i] = j));
    return r;
  };
  const ra = rank(a), rb = rank(b);
  let d2 = 0;
  for (let i = 0; i < a.length; i++) d2 += (ra[i]! - rb[i]!) ** 2;
  const n = a.length;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

function yearlyMargin(dataset: Dataset): void {
  const asOfText = "2025-10-31";
  const model = fitPatterns(dataset, { asOf: asOfText });
  const a = analyze(dataset, { asOf: asOfText, model, types: ["customer_overdue"] });
  const asOf = Date.parse(asOfText) / 864e5;
  const { day, quantity, unitPrice, unitCost } = dataset.lines;
  const realized = new Map<string, number>(), trailing = new Map<string, number>();
  for (let c = 0; c < dataset.ids.customers.size; c++) {
    let r = 0, t = 0;
    for (let i = dataset.customerStart[c]!; i < dataset.customerStart[c + 1]!; i++) {
      const cost = unitCost[i]!;
      const m = quantity[i]! * (unitPrice[i]! - (Number.isFinite(cost) ? cost : unitPrice[i]! * (1 - a.valueOptions.marginRate)));
      if (day[i]! > asOf && day[i]! <= asOf + 365) r += m;
      if (day[i]! > asOf - 365 && day[i]! <= asOf) t += m;
    }
    realized.set(dataset.ids.customers.values[c]!, r);
    trailing.set(dataset.ids.customers.values[c]!, t);
  }
  const summary = summaryFromDataset(dataset, { asOf: asOfText });
  const index = new Map(summary.customerIds.map((id, k) => [id, k]));
  const bg = model.bgNbd ? bgNbdModel(model.bgNbd) : undefined;
  const rows: { own: number; trailing: number; bgNbd: number; real: number }[] = [];
  for (const f of a.customers) {
    const k = index.get(f.customerId);
    if (f.lastOrder === undefined || k === undefined || !bg || asOf - Date.parse(f.lastOrder) / 864e5 > 60) continue; // active: ordered in the last 60 days
    const perPurchase = (f.yearlyMargin * f.marginDays) / 365 / Math.max(1, Math.round(f.marginDays / (f.meanGapDays ?? 30)));
    rows.push({ own: f.yearlyMargin, trailing: trailing.get(f.customerId)!, bgNbd: bg.conditionalExpectedPurchases(365 / 7, summary.x[k]!, summary.tx[k]!, summary.T[k]!) * perPurchase, real: realized.get(f.customerId)! });
  }
  console.log(`yearly margin at ${asOfText} vs the margin made in the next 365 days, ${rows.length} customers that ordered in the last 60 days:`);
  for (const key of ["own", "trailing", "bgNbd"] as const) {
    let sp = 0, sr = 0, ae = 0;
    const ape: number[] = [];
    for (const r of rows) {
      sp += r[key];
      sr += r.real;
      ae += Math.abs(r[key] - r.real);
      if (r.real > 0) ape.push(Math.abs(r[key] - r.real) / r.real);
    }
    ape.sort((p, q) => p - q);
    const label = { own: "own history (the value model)", trailing: "trailing 365 days to asOf", bgNbd: "BG/NBD expected purchases x margin/purchase" }[key];
    console.log(`  ${label.padEnd(46)} predicted/realized ${(sp / sr).toFixed(3)}, mean abs error ${(ae / rows.length).toFixed(0)}, median abs % error ${(100 * ape[ape.length >> 1]!).toFixed(1)}%, Spearman ${spearman(rows.map((r) => r[key]), rows.map((r) => r.real)).toFixed(3)}`);
  }
}

await ensureSyntheticDistributor();
const { dataset } = await readDataset({ path: dir });
await speed(dataset);
if (values.speed !== true) {
  quality();
  yearlyMargin(dataset);
}
