/**
 * Accuracy of the churn classifier (not a test): `evaluateChurnModel` on a temporal holdout, on
 * the seeded synthetic distributor (seeds 1, 2, 3) and on CDNOW (the 1/10 sample, 2,357
 * consumers, H = 90 and H = 180 days). For each data set, in the same run and on the same test
 * rows:
 *   - the classifier with P(alive) from BG/NBD (the default `alive: "bg-nbd"`: `btydSilence` in
 *     the vector), without it (`alive: "none"`), and with BG/NBD's P(alive) itself in the vector
 *     (through the function form of `alive`, fitted the same way, as of each snapshot day);
 *   - the two baselines of `evaluateChurnModel` (days since the last order; the interval model's
 *     overdue probability alone), calibrated on the snapshots before the split;
 *   - for context, the raw AUC of BG/NBD alone (1 − P(alive), and `btydSilence`) on the same rows
 *     (recomputed here from `churnFeatures`; the row count is checked against the evaluation's).
 * Prints AUC, Brier score and ECE (10 equal-width bins), the model's AUC minus each baseline's
 * and its Brier score as a ratio of each baseline's, and the default model's largest
 * standardized coefficients and reliability table.
 *
 * Usage: npm run bench:churn [-- --customers N]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  asOfView,
  churnFeatures,
  evaluateChurnModel,
  fitBgNbd,
  formatDay,
  fromRowsSync,
  generateSyntheticDistributor,
  parseDay,
  summaryFromDataset,
  type ChurnEvaluation,
  type ChurnEvaluationOptions,
  type Dataset,
} from "../dist/index.js";

const { values } = parseArgs({ options: { customers: { type: "string" } } });
const CUSTOMERS = Number(values.customers ?? 400);

/** BG/NBD P(alive) as of each day it is asked for, fitted on the data up to that day (cached per day). */
function bgNbdPAlive(dataset: Dataset): (customerId: string, asOf: string) => number | undefined {
  const cache = new Map<string, Map<string, number>>();
  return (id, day) => {
    let m = cache.get(day);
    if (m === undefined) {
      const d = parseDay(day);
      const s = summaryFromDataset(asOfView(dataset, d), { asOf: d });
      const fit = fitBgNbd(s, { maxEvaluations: 1000 }); // the budget churnFeatures uses
      m = new Map(s.customerIds.map((c, k) => [c, fit.probabilityAlive(s.x[k]!, s.tx[k]!, s.T[k]!)]));
      cache.set(day, m);
    }
    return m.get(id);
  };
}

/** Mann–Whitney AUC with midranks. */
function auc(scores: number[], labels: number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0, pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]!] === 1) (rankSum += mid), pos++;
    i = j + 1;
  }
  const neg = idx.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** BG/NBD alone on the evaluation's test rows: AUC of 1 − P(alive) and of btydSilence. */
function btydAlone(dataset: Dataset, e: ChurnEvaluation): { rows: number; aucPAlive: number; aucSilence: number } {
  const H = e.horizonDays;
  const { lines, customerStart, customerEnd, ids } = dataset;
  const index = new Map(ids.customers.values.map((id: string, c: number) => [id, c]));
  const p: number[] = [], s: number[] = [], y: number[] = [];
  for (const day of e.testSnapshots) {
    const d = parseDay(day);
    const f = churnFeatures(asOfView(dataset, d), { asOf: d, horizonDays: H, alive: "bg-nbd" });
    for (const row of f.rows) {
      if (row.daysSinceLast >= H) continue; // the at-risk set (activeDays = H)
      const c = index.get(row.customerId)!;
      let bought = 0;
      for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
        const t = lines.day[i]!;
        if (t > d && t <= d + H && lines.quantity[i]! > 0) bought = 1;
      }
      p.push(1 - row.features.pAlive!);
      s.push(row.features.btydSilence!);
      y.push(1 - bought);
    }
  }
  return { rows: y.length, aucPAlive: auc(p, y), aucSilence: auc(s, y) };
}

const f3 = (x: number | undefined): string => (x === undefined ? "-" : x.toFixed(3));
const f4 = (x: number): string => x.toFixed(4);

function run(label: string, dataset: Dataset, options: ChurnEvaluationOptions): void {
  const variants: [string, ChurnEvaluationOptions["alive"]][] = [
    ['with P(alive) (default "bg-nbd")', undefined],
    ['without (alive: "none")', "none"],
    ["raw BG/NBD P(alive) in the vector", bgNbdPAlive(dataset)],
  ];
  console.log(`\n## ${label}`);
  let first: ChurnEvaluation | undefined;
  for (const [name, alive] of variants) {
    const t = performance.now();
    const e = evaluateChurnModel(dataset, { ...options, ...(alive === undefined ? {} : { alive }) });
    const seconds = (performance.now() - t) / 1000;
    const [m, dsl, od] = e.scorers.map((x) => x.metrics) as [ChurnEvaluation["scorers"][number]["metrics"], ChurnEvaluation["scorers"][number]["metrics"], ChurnEvaluation["scorers"][number]["metrics"]];
    if (first === undefined) {
      first = e;
      console.log(`split ${e.splitDate}, H = ${e.horizonDays} days, test snapshots ${e.testSnapshots[0]} .. ${e.testSnapshots.at(-1)} (${e.testSnapshots.length}), training snapshots ${e.model.training.snapshots.length} + ${e.model.calibration.snapshots.length} Platt; ${e.rows} test rows, ${e.positives} churned (${((100 * e.positives) / e.rows).toFixed(1)} %)`);
      console.log(`baseline days since last order: AUC ${f3(dsl.auc)}  Brier ${f4(dsl.brier)}  ECE ${f4(dsl.ece)}`);
      console.log(`baseline overdue probability:   AUC ${f3(od.auc)}  Brier ${f4(od.brier)}  ECE ${f4(od.ece)}`);
    } else if (e.rows !== first.rows || dsl.auc !== first.scorers[1]!.metrics.auc || od.brier !== first.scorers[2]!.metrics.brier) {
      throw new Error(`${label}: the variants were not scored on the same rows`);
    }
    console.log(
      `model ${name.padEnd(34)} [${e.model.alive}] AUC ${f3(m.auc)}  Brier ${f4(m.brier)}  ECE ${f4(m.ece)}  | AUC − days-since-last ${(m.auc! - dsl.auc!).toFixed(3)}, − overdue ${(m.auc! - od.auc!).toFixed(3)}; Brier / days-since-last ${(m.brier / dsl.brier).toFixed(3)}, / overdue ${(m.brier / od.brier).toFixed(3)}  (${seconds.toFixed(1)} s)`,
    );
  }
  const top = [...first!.model.coefficients].sort((x, y) => Math.abs(y.standardized) - Math.abs(x.standardized)).slice(0, 6);
  console.log(`default model, largest standardized coefficients (log-odds per sd): ${top.map((c) => `${c.name} ${c.standardized >= 0 ? "+" : ""}${c.standardized.toFixed(2)}`).join(", ")}`);
  const rel = first!.scorers[0]!.metrics.reliability.filter((x) => x.count > 0);
  console.log(`default model, reliability (bin: mean predicted -> observed, rows): ${rel.map((x) => `${x.lower.toFixed(1)}-${x.upper.toFixed(1)}: ${f3(x.meanPredicted)} -> ${f3(x.observedRate)} (${x.count})`).join("; ")}`);
  const b = btydAlone(dataset, first!);
  if (b.rows !== first!.rows) throw new Error(`${label}: ${b.rows} BG/NBD rows vs ${first!.rows} evaluation rows`);
  console.log(`context, BG/NBD alone on the same rows (raw AUC): 1 − P(alive) ${f3(b.aucPAlive)}, btydSilence ${f3(b.aucSilence)}`);
}

function cdnow(): Dataset {
  const text = readFileSync(join(import.meta.dirname, "..", "test", "fixtures", "btyd", "CDNOW_sample.txt"), "utf8");
  const orders = text.trim().split("\n").map((l, i) => {
    const [, cust, ymd, , dollars] = l.trim().split(/\s+/);
    const day = formatDay(parseDay(`${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6, 8)}`));
    return { order_id: `o${i}`, order_date: day, customer_id: String(Number(cust)), product_id: "cd", quantity: 1, unit_price: Math.max(0.01, Number(dollars)) };
  });
  return fromRowsSync({ orders }).dataset;
}

function main(): void {
  console.log(`# Churn classifier accuracy (temporal holdout; defaults: every 30 days, 12 snapshots, l2 1)`);
  for (const seed of [1, 2, 3]) {
    const synth = generateSyntheticDistributor({ seed, customers: CUSTOMERS, products: 300, years: 3 });
    const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products });
    run(`synthetic distributor, seed ${seed} (${CUSTOMERS} customers, 300 products, 3 years to 2026-10-31)`, dataset, { splitDate: "2026-02-01" });
  }
  const cd = cdnow();
  run("CDNOW 1/10 sample (2,357 customers, 1997-01-01 .. 1998-06-30), H = 90", cd, { splitDate: "1998-01-01" });
  run("CDNOW 1/10 sample, H = 180", cd, { splitDate: "1997-12-01", horizonDays: 180 });
}

main();
