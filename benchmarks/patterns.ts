/**
 * Pattern-fit benchmark (not a test). Two parts, each stage the median of RUNS runs after one
 * warm-up run:
 *   1. On the seeded ~1M-line synthetic distributor (seed 1, default options): the bare
 *      papaparse parse of its orders.csv (the baseline, the same streaming row-counting parse as
 *      `bench:ingest` stage (a)), then, on the Dataset already in memory,
 *        - fitIntervalModel (every customer),
 *        - fitItemRhythm with that model (every customer x item pair),
 *        - their sum (target: <= 0.5x the papaparse parse),
 *        - fitPatterns (interval model with BG/NBD P(alive), item rhythms, deal stages),
 *      each printed with its ratio to the papaparse time.
 *   2. On the CDNOW 1/10 sample (2357 customers, test/fixtures/btyd): calibrationSummary from the
 *      raw event log, and the BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma fits.
 *
 * Usage: npm run bench:patterns [-- --runs N]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SYNTH_DIR, SYNTH_ORDERS, bareParse, ensureSyntheticDistributor, timeIt } from "./support.ts";
// the built package, as users run it (npm run bench:patterns builds first)
import { readDataset } from "../dist/csv/index.js";
import { calibrationSummary, epochDay, fitBgNbd, fitGammaGamma, fitIntervalModel, fitItemRhythm, fitMbgNbd, fitParetoNbd, fitPatterns, type BtydEvent } from "../dist/index.js";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = Number(values.runs ?? 5);
// the same directory as bench:ingest and bench:kpis (default options, seed 1), generated once
const dir = SYNTH_DIR;
const file = SYNTH_ORDERS;
const fixtures = join(import.meta.dirname, "..", "test", "fixtures", "btyd");


/** CDNOW_sample.txt: `masterid sampleid YYYYMMDD cds dollars`, customer = sampleid. */
function cdnowEvents(): BtydEvent[] {
  const out: BtydEvent[] = [];
  for (const line of readFileSync(join(fixtures, "CDNOW_sample.txt"), "utf8").split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const ymd = f[2]!;
    out.push({ customerId: String(Number(f[1])), day: epochDay(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)), Number(ymd.slice(6, 8))), value: Number(f[4]) });
  }
  return out;
}

/** cdnow_customers_summary_with_transactions.csv (lifetimes): ID,x,t_x,T,zbar, weeks. */
function cdnowSummary(): { x: number[]; tx: number[]; T: number[]; monetary: number[] } {
  const rows = readFileSync(join(fixtures, "cdnow_customers_summary_with_transactions.csv"), "utf8")
    .trim().split(/\r?\n/).slice(1).map((l) => l.split(",").map(Number));
  return { x: rows.map((r) => r[1]!), tx: rows.map((r) => r[2]!), T: rows.map((r) => r[3]!), monetary: rows.map((r) => r[4]!) };
}

async function main(): Promise<void> {
  await ensureSyntheticDistributor();
  const { dataset } = await readDataset({ path: dir });

  const papa = await timeIt(() => bareParse(file), RUNS);
  const model = fitIntervalModel(dataset);
  const interval = await timeIt(() => fitIntervalModel(dataset), RUNS);
  const items = await timeIt(() => fitItemRhythm(dataset, { customers: model }), RUNS);
  const both = await timeIt(() => fitItemRhythm(dataset, { customers: fitIntervalModel(dataset) }), RUNS);
  const patterns = await timeIt(() => fitPatterns(dataset), RUNS);
  const pairs = fitItemRhythm(dataset, { customers: model }).length;

  const row = (label: string, ms: number): string => `${label.padEnd(52)} ${(ms / 1000).toFixed(3).padStart(7)} s  ${(ms / papa).toFixed(2).padStart(5)}x papaparse`;
  console.log(`pattern-fit benchmark: ${dataset.lines.length.toLocaleString("en-US")} order lines, ${model.customers.length.toLocaleString("en-US")} customers, ${pairs.toLocaleString("en-US")} customer x item pairs (${file}), median of ${RUNS} runs after a warm-up, node ${process.version}`);
  console.log(row("bare papaparse parse of orders.csv (baseline)", papa));
  console.log(row("fitIntervalModel", interval));
  console.log(row("fitItemRhythm (with the interval model)", items));
  console.log(row("fitIntervalModel + fitItemRhythm", both));
  console.log(row("fitPatterns (incl. BG/NBD P(alive), deal stages)", patterns));
  console.log(`ratio (interval + item rhythm) / papaparse = ${(both / papa).toFixed(2)} (target <= 0.5)`);

  const events = cdnowEvents();
  const cd = cdnowSummary();
  const cdnow = { x: cd.x, tx: cd.tx, T: cd.T };
  const summary = await timeIt(() => calibrationSummary(events, { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30" }), RUNS);
  const fits: [string, () => { converged: boolean }][] = [
    ["fitBgNbd", () => fitBgNbd(cdnow)],
    ["fitMbgNbd", () => fitMbgNbd(cdnow)],
    ["fitParetoNbd", () => fitParetoNbd(cdnow)],
    ["fitGammaGamma", () => fitGammaGamma({ x: cd.x, monetary: cd.monetary })],
  ];
  console.log(`\nCDNOW 1/10 sample: ${events.length.toLocaleString("en-US")} transactions, ${cd.x.length.toLocaleString("en-US")} customers (weeks), median of ${RUNS} runs after a warm-up`);
  console.log(`${"calibrationSummary (raw event log)".padEnd(52)} ${summary.toFixed(1).padStart(8)} ms`);
  for (const [name, fit] of fits) {
    const converged = fit().converged;
    console.log(`${name.padEnd(52)} ${(await timeIt(fit, RUNS)).toFixed(1).padStart(8)} ms${converged ? "" : "  (not converged!)"}`);
  }
}

await main();
