/**
 * Recommendation benchmark (not a test). On the seeded ~1M-line synthetic distributor (seed 1,
 * default options, the same folder as bench:ingest / bench:patterns):
 *   1. speed: the bare papaparse parse of its orders.csv (the baseline, as in bench:ingest), then
 *      `recommend` for every customer (model build + top-10 offers, all kinds), median of RUNS
 *      runs after a warm-up, printed with its ratio to the papaparse time (target <= 0.5x), and
 *      the heap the call holds at its end (sparse: no products x products matrix);
 *   2. quality: evaluateRecommendations with a temporal split (default 2026-08-01, the 90 days
 *      after it, and the next order after it), with the truth.json adoptions: precision@10,
 *      recall@10, NDCG@10, hit rate and coverage for orderpulse and the baselines.
 * Timings are wall-clock on a shared machine: noisy; compare ratios from the same run.
 *
 * Usage: npm run bench:recommend [-- --runs N --split YYYY-MM-DD --horizon DAYS]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SYNTH_DIR, SYNTH_ORDERS, bareParse, ensureSyntheticDistributor, timeIt } from "./support.ts";
// the built package, as users run it (npm run bench:recommend builds first)
import { readDataset } from "../dist/csv/index.js";
import { evaluateRecommendations, fromRowsSync, generateSyntheticDistributor, recommend, type RecommendationEvaluation } from "../dist/index.js";

const { values } = parseArgs({ options: { runs: { type: "string" }, split: { type: "string" }, horizon: { type: "string" } } });
const RUNS = Number(values.runs ?? 5);
const SPLIT = values.split ?? "2026-08-01";
const HORIZON = Number(values.horizon ?? 90);
const dir = SYNTH_DIR;
const file = SYNTH_ORDERS;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function table(r: RecommendationEvaluation): string[] {
  const lines: string[] = [];
  for (const p of r.parts) {
    lines.push(`  ${p.part} items: ${p.customers} customers, ${p.truthItems} items (orderpulse kinds ${p.kinds.join(", ")})`);
    lines.push(`    ${"method".padEnd(24)} ${"prec@k".padStart(7)} ${"recall@k".padStart(8)} ${"NDCG@k".padStart(7)} ${"hit".padStart(6)} ${"cover".padStart(6)} ${"list".padStart(5)}`);
    for (const m of p.methods) {
      const f = (x: number | undefined, d = 3): string => (x === undefined ? "–" : x.toFixed(d)); // –: a part with no customer
      lines.push(`    ${m.method.padEnd(24)} ${f(m.precision).padStart(7)} ${f(m.recall).padStart(8)} ${f(m.ndcg).padStart(7)} ${f(m.hitRate).padStart(6)} ${f(m.coverage).padStart(6)} ${f(m.meanListLength, 1).padStart(5)}`);
    }
  }
  return lines;
}

async function main(): Promise<void> {
  await ensureSyntheticDistributor();
  const { dataset } = await readDataset({ path: dir });
  const customerIds = dataset.ids.customers.values;
  const papa = await timeIt(() => bareParse(file), RUNS);
  const all = () => recommend(dataset, { customerIds, k: 10 });
  const offers = all();
  const rec = await timeIt(all, RUNS);

  // heap held at the end of one call (the offers and whatever the model keeps alive)
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let kept: unknown = all();
  // (garbage collected again with the offers still held: the figure read without it counted the
  // call's garbage too, +28-37 MB against about +23.5 MB held; review 2026-12-07)
  gc?.();
  const after = process.memoryUsage().heapUsed;
  kept = undefined;
  void kept;

  const per = new Map<string, number>();
  for (const o of offers) per.set(o.kind, (per.get(o.kind) ?? 0) + 1);
  const served = new Set(offers.map((o) => o.customerId)).size;
  const row = (label: string, ms: number): string => `${label.padEnd(52)} ${(ms / 1000).toFixed(3).padStart(7)} s  ${(ms / papa).toFixed(2).padStart(5)}x papaparse`;
  console.log(`recommend benchmark: ${dataset.lines.length.toLocaleString("en-US")} order lines, ${customerIds.length.toLocaleString("en-US")} customers, ${dataset.ids.products.size.toLocaleString("en-US")} products (${file}), median of ${RUNS} runs after a warm-up, node ${process.version}`);
  console.log(row("bare papaparse parse of orders.csv (baseline)", papa));
  console.log(row("recommend, every customer, k = 10 (model + offers)", rec));
  console.log(`ratio recommend / papaparse = ${(rec / papa).toFixed(2)} (target <= 0.5)`);
  console.log(`${offers.length.toLocaleString("en-US")} offers for ${served.toLocaleString("en-US")} customers: ${[...per].sort().map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`heap held after one call, the 20,000 offers included ${gc ? "(after gc)" : "(run with --expose-gc for a clean figure)"}: +${mb(after - before)}; peak RSS of the process so far ${mb(process.resourceUsage().maxRSS * 1024)}`);

  // sparse check: a wide catalogue where a dense products x products matrix could not be held
  const wide = fromRowsSync(generateSyntheticDistributor({ seed: 1, customers: 400, products: 50_000 })).dataset;
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const tw = performance.now();
  const wideOffers = recommend(wide, { customerIds: wide.ids.customers.values, k: 10 });
  const wideMs = performance.now() - tw;
  console.log(`sparse check: ${wide.lines.length.toLocaleString("en-US")} lines, ${wide.ids.products.size.toLocaleString("en-US")} products, ${wide.ids.customers.size} customers: ${wideOffers.length.toLocaleString("en-US")} offers in ${(wideMs / 1000).toFixed(2)} s, peak RSS ${mb(Math.max(rssBefore, process.resourceUsage().maxRSS * 1024))} (a dense products x products Float64 matrix would be ${mb(8 * wide.ids.products.size ** 2)})`);

  const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")) as { events: { type: string; start: string; customerId?: string; productId?: string }[] };
  for (const target of ["horizon", "next_order"] as const) {
    const t = performance.now();
    const r = evaluateRecommendations(dataset, { splitDate: SPLIT, target, k: 10, truth, ...(target === "horizon" ? { horizonDays: HORIZON } : {}) });
    const window = target === "horizon" ? `${r.splitDate} .. ${r.windowEnd} (${HORIZON} days)` : `next order on or after ${r.splitDate}`;
    console.log(`\nevaluateRecommendations, split ${SPLIT}, truth = ${window}, k = 10: ${r.customersEvaluated} of ${r.customersBefore} customers active on both sides, catalogue ${r.catalogue} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    for (const line of table(r)) console.log(line);
  }
}

await main();
