/**
 * Shared pieces of the benchmark scripts (not a benchmark): the median, a median-of-runs timer
 * the bench:ingest baseline (a bare streaming papaparse parse that only counts rows) and the shared
 * seed-1 synthetic distributor on disk.
 */
import { createReadStream, existsSync } from "node:fs";
import { join } from "node:path";
import Papa from "papaparse";
import { writeSyntheticDistributor } from "../dist/csv/index.js";

/** The folder of the seeded synthetic distributor (seed 1, default options) shared by bench:ingest, kpis, patterns, engine, recommend and tasks. */
export const SYNTH_DIR: string = join(import.meta.dirname, ".data", "synth-s1-cdefault");
/** Its orders.csv. */
export const SYNTH_ORDERS: string = join(SYNTH_DIR, "orders.csv");

/** Writes the shared synthetic distributor into {@link SYNTH_DIR} unless it is already there (timed on stderr). */
export async function ensureSyntheticDistributor(): Promise<void> {
  if (existsSync(SYNTH_ORDERS)) return;
  const t = performance.now();
  await writeSyntheticDistributor(SYNTH_DIR, { seed: 1 });
  console.error(`generated ${SYNTH_DIR} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/** Median of a sample (NaN when empty); does not modify it. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time in ms of `runs` runs of `fn`, after one untimed warm-up run unless `warmUp` is false. */
export async function timeIt(fn: () => unknown, runs: number, warmUp = true): Promise<number> {
  return (await timed(fn, runs, warmUp)).ms;
}

/** Median wall time in ms of `runs` runs of `fn` (after one untimed warm-up unless `warmUp` is false), with the last run's result. */
export async function timed<T>(fn: () => T | Promise<T>, runs: number, warmUp = true): Promise<{ ms: number; result: T }> {
  let result = warmUp ? await fn() : (undefined as T);
  const xs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    result = await fn();
    xs.push(performance.now() - t);
  }
  return { ms: median(xs), result };
}

/** The bench:ingest baseline: a streaming papaparse parse of `file` that only counts rows (header excluded). */
export function bareParse(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    Papa.parse(createReadStream(file, "utf8") as never, {
      chunk: (r: { data: unknown[] }) => void (n += r.data.length),
      complete: () => resolve(n - 1),
      error: reject,
    });
  });
}
