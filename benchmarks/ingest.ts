/**
 * Ingest benchmark (not a test): on a seeded ~1M-line synthetic orders.csv, times in one run
 *   (a) a bare papaparse parse that only counts rows (the baseline),
 *   (b) a bare fast-csv parse that only counts rows,
 *   (c) DuckDB read_csv into a table (@duckdb/node-api, default threads),
 *   (d) readDataset() to a finished Dataset,
 *   (e) fromRows() from in-memory row objects,
 * and prints lines/s, the ratios d/a and d/c, and resident bytes per order line of the Dataset
 * (typed arrays + dictionaries). Each stage: median of RUNS runs.
 *
 * Usage: npm run bench:ingest [-- --customers N --runs N --out DIR]
 */
import { createReadStream, existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { parse as fastCsvParse } from "fast-csv";
import { bareParse } from "./support.ts";
// the built package, as users run it (npm run bench:ingest builds first)
import { readDataset, writeSyntheticDistributor } from "../dist/csv/index.js";
import { fromRows, generateSyntheticDistributor, type Dataset } from "../dist/index.js";

const { values } = parseArgs({
  options: { customers: { type: "string" }, runs: { type: "string" }, out: { type: "string" }, seed: { type: "string" } },
});
const RUNS = Number(values.runs ?? 3);
const seed = Number(values.seed ?? 1);
const customers = values.customers ? Number(values.customers) : undefined;
const dir = values.out ?? join(import.meta.dirname, ".data", `synth-s${seed}-c${customers ?? "default"}`);
const file = join(dir, "orders.csv");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

function fastCsv(): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    createReadStream(file)
      .pipe(fastCsvParse({ headers: false }))
      .on("data", () => void n++)
      .on("end", () => resolve(n - 1))
      .on("error", reject);
  });
}

async function duck(): Promise<number> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  await c.run(`CREATE TABLE orders AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', header = true)`);
  const r = await c.runAndReadAll("SELECT count(*) FROM orders");
  const n = Number(r.getRows()[0]![0]);
  c.closeSync();
  db.closeSync();
  return n;
}

/** Full GC, repeated across ticks: ArrayBuffer memory is released by later GC cycles. */
async function gc(): Promise<void> {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error("run with node --expose-gc (npm run bench:ingest does)");
  for (let i = 0; i < 3; i++) {
    g();
    await new Promise((r) => setTimeout(r, 50));
  }
}

function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function main(): Promise<void> {
  if (!existsSync(file)) {
    const t = performance.now();
    await writeSyntheticDistributor(dir, { seed, ...(customers ? { customers } : {}) });
    console.error(`generated ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const stages: Record<string, number[]> = { a: [], b: [], c: [], d: [], e: [] };
  let lines = 0;
  // (a)-(d) first, with nothing else alive on the heap
  for (let r = 0; r < RUNS; r++) {
    const a = await time(() => bareParse(file));
    stages.a!.push(a.ms);
    lines = a.value;
    stages.b!.push((await time(fastCsv)).ms);
    stages.c!.push((await time(duck)).ms);
    await gc();
    stages.d!.push((await time(() => readDataset({ path: file }))).ms);
    await gc();
  }
  // (e) needs the rows as objects in memory (about 1M objects)
  {
    const synth = generateSyntheticDistributor({ seed, ...(customers ? { customers } : {}) });
    await gc();
    for (let r = 0; r < RUNS; r++) {
      stages.e!.push((await time(() => fromRows({ orders: synth.orders }))).ms);
      await gc();
    }
  }
  // resident bytes of a finished Dataset per order line (typed arrays + dictionaries)
  await gc();
  const before = heapBytes();
  let kept: Dataset | undefined = (await readDataset({ path: file })).dataset;
  await gc();
  const bytesPerLine = (heapBytes() - before) / kept.lines.length;
  const datasetLines = kept.lines.length;
  kept = undefined;

  const m = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const rate = (ms: number): string => `${Math.round((lines / ms) * 1000).toLocaleString("en-US")} lines/s`;
  const row = (label: string, ms: number): string => `${label.padEnd(44)} ${(ms / 1000).toFixed(3).padStart(7)} s  ${rate(ms).padStart(20)}  ${(ms / m.a!).toFixed(2).padStart(5)}x papaparse`;
  console.log(`ingest benchmark: ${lines.toLocaleString("en-US")} order lines (${file}), median of ${RUNS} runs, node ${process.version}`);
  console.log(row("(a) bare papaparse parse (baseline)", m.a!));
  console.log(row("(b) bare fast-csv parse", m.b!));
  console.log(row("(c) DuckDB read_csv into a table", m.c!));
  console.log(row("(d) readDataset -> Dataset", m.d!));
  console.log(row("(e) fromRows from in-memory objects", m.e!));
  console.log(`ratio d/a = ${(m.d! / m.a!).toFixed(2)} (target <= 1.5)`);
  console.log(`ratio d/c = ${(m.d! / m.c!).toFixed(2)} (target <= 2.5)`);
  console.log(`Dataset: ${datasetLines.toLocaleString("en-US")} lines, ${bytesPerLine.toFixed(1)} bytes per order line incl. dictionaries (target <= 80)`);
}

await main();
