/**
 * Shared pieces of the benchmark scripts (not a benchmark): the median, a median-of-runs timer
 * and the bench:ingest baseline (a bare streaming papaparse parse that only counts rows).
 */
import { createReadStream } from "node:fs";
import Papa from "papaparse";

/** Median of a sample (NaN when empty); does not modify it. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time in ms of `runs` runs of `fn`, after one untimed warm-up run unless `warmUp` is false. */
export async function timeIt(fn: () => unknown, runs: number, warmUp = true): Promise<number> {
  if (warmUp) await fn();
  const xs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
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
