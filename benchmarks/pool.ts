/**
 * bench:pool: the worker pool's speed-up on the per-customer stages against the single-thread
 * functions in the same process, on the shared seed-1 synthetic distributor (about 1.08M lines).
 *
 *   node --import tsx benchmarks/pool.ts [--workers N] [--runs 3]
 *
 * Per stage: the single-thread time, the pool's time once the dataset and the model are in the
 * workers (median of --runs after a warm-up), the speed-up (target >= 1.6x on 2 cores, issue 9),
 * and the one-time cost of sending the dataset and the model to the workers. Every pool result
 * is checked deep-equal to the single-thread one.
 */
import { deepStrictEqual } from "node:assert/strict";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { SYNTH_DIR, ensureSyntheticDistributor, timed } from "./support.ts";
import { readDataset } from "../dist/csv/index.js";
import { detectSignals, fitPatterns, recommend } from "../dist/index.js";
import { createWorkerPool } from "../dist/node/index.js";

const { values } = parseArgs({ options: { workers: { type: "string" }, runs: { type: "string" } } });
const WORKERS = Number(values.workers ?? availableParallelism());
const RUNS = Math.max(1, Number(values.runs ?? 3));


async function main(): Promise<void> {
  await ensureSyntheticDistributor();
  const { dataset } = await readDataset({ path: SYNTH_DIR });
  const model = fitPatterns(dataset);
  const pool = createWorkerPool({ workers: WORKERS });
  try {
    // one-time transfer: the dataset (columnar bytes in a SharedArrayBuffer) and the model (JSON)
    let t = performance.now();
    await pool.recommend(dataset, { customerIds: [dataset.ids.customers.values[0]!] });
    const sendDataset = performance.now() - t;
    t = performance.now();
    await pool.recommend(dataset, { model, customerIds: [dataset.ids.customers.values[0]!] });
    const sendModel = performance.now() - t;
    console.log(`bench:pool: ${dataset.lines.day.length.toLocaleString("en-US")} lines, ${dataset.ids.customers.size} customers, ${WORKERS} workers on ${availableParallelism()} cores, median of ${RUNS} runs, node ${process.version}`);
    console.log(`one-time: dataset to the workers ${sendDataset.toFixed(0)} ms (with one customer's offers), model ${sendModel.toFixed(0)} ms`);
    const ids = [...dataset.ids.customers.values];
    const stages: { name: string; single: () => unknown; pooled: () => Promise<unknown> }[] = [
      { name: "detectSignals (every type, with the model)", single: () => detectSignals(dataset, { model }), pooled: () => pool.detectSignals(dataset, { model }) },
      { name: "recommend (every customer, with the model)", single: () => recommend(dataset, { model, customerIds: ids }), pooled: () => pool.recommend(dataset, { model, customerIds: ids }) },
      { name: "fitPatterns (one worker fits; not split)", single: () => fitPatterns(dataset).toJSON(), pooled: async () => (await pool.fitPatterns(dataset)).toJSON() },
    ];
    for (const s of stages) {
      const a = await timed(s.single, RUNS);
      const b = await timed(s.pooled, RUNS);
      deepStrictEqual(b.result, a.result);
      console.log(`${s.name.padEnd(46)} single ${a.ms.toFixed(0).padStart(6)} ms   pool ${b.ms.toFixed(0).padStart(6)} ms   speed-up ${(a.ms / b.ms).toFixed(2)}x   (identical)`);
    }
  } finally {
    await pool.close();
  }
}

await main();
