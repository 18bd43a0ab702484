import { availableParallelism } from "node:os";
import { createWorkerPool, type WorkerPool } from "../node/create-worker-pool.ts";
import { intFlag } from "./args.ts";
import { UsageError } from "./io.ts";

/** @internal Help text of --workers. */
export const WORKERS_HELP = `  --workers N        worker threads for the pattern fit, signals and offers (default 1: this
                     thread; "all": every core); the output is the same for every N, only the
                     time differs, and on 2 cores it was slower (docs/scaling.md)`;

/** @internal Flag definition of --workers (for parseFlags). */
export const WORKERS_FLAG = { workers: { type: "string" } } as const;

/**
 * @internal The number of worker threads of --workers ("all": every core; default 1), checked (a
 * usage error otherwise); for commands that check their flags before they know whether they use it.
 */
export function workersFlag(v: Record<string, unknown>): number {
  const n = v["workers"] === "all" ? availableParallelism() : (intFlag(v, "workers") ?? 1);
  if (n > 256) throw new UsageError(`--workers must be an integer from 1 to 256, got ${n}`);
  return n;
}

/**
 * @internal Run `fn` with a worker pool of --workers threads ("all": every core), closed
 * afterwards, or with `undefined` for --workers 1, the default (everything in this thread: on the
 * 2-core machine it is measured on, the pool's transfers cost more than the split saves).
 */
export async function withWorkers<T>(v: Record<string, unknown>, fn: (pool: WorkerPool | undefined) => Promise<T>): Promise<T> {
  const n = workersFlag(v);
  if (n <= 1) return fn(undefined);
  const pool = createWorkerPool({ workers: n });
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
