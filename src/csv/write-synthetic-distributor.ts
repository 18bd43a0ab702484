import { constants } from "node:fs";
import { access, lstat, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { isOrderpulseError, OrderpulseError } from "../data/errors.ts";
import { checkKnownKeys } from "../data/internal/check.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { resolveSynthOptions, SYNTH_KEYS } from "../synth/internal/resolve-options.ts";
import type { SyntheticDistributor, SyntheticDistributorOptions } from "../synth/types.ts";
import { errorCode } from "../data/internal/error-code.ts";
import { writeCsv } from "./write-csv.ts";

/** One file written by {@link writeSyntheticDistributor}. */
export interface WrittenFile {
  /** File name, e.g. `orders.csv` or `truth.json`. */
  name: string;
  /** Full path. */
  path: string;
  /** Data rows written (for truth.json: the number of planted events). */
  rows: number;
}

/** What {@link writeSyntheticDistributor} wrote. */
export interface WrittenSyntheticDistributor {
  /** The folder. */
  dir: string;
  /** The files, in the order: orders, customers, products, reps, deal events, targets, content, truth. */
  files: WrittenFile[];
}

/** Contract file names and columns (docs: DESIGN.md section 3; order of src/data/rows.ts). */
const TABLES: readonly (readonly [keyof SyntheticDistributor, string, readonly string[]])[] = [
  ["orders", "orders.csv", ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price", "line_id", "unit_cost", "list_price", "rep_id", "channel", "currency"]],
  ["customers", "customers.csv", ["customer_id", "name", "segment", "region", "rep_id", "channel", "parent_id"]],
  ["products", "products.csv", ["product_id", "name", "family", "list_price", "unit_cost", "active"]],
  ["reps", "reps.csv", ["rep_id", "name", "manager_id", "email"]],
  ["dealEvents", "deal_events.csv", ["deal_id", "customer_id", "stage", "entered_at", "rep_id", "amount"]],
  ["targets", "targets.csv", ["rep_id", "period", "kpi", "target"]],
  ["content", "content.csv", ["content_id", "title", "url", "product_id", "family", "segment", "kind"]],
];

/**
 * Write a synthetic distributor into a folder as the canonical contract files (orders.csv,
 * customers.csv, products.csv, reps.csv, deal_events.csv, targets.csv, content.csv; headers in
 * contract order) plus its ground truth as truth.json (two-space indented, trailing newline).
 * The folder is created when missing; existing files of those names are overwritten, all at once:
 * every file is written under a temporary name (`<name>.orderpulse-<uuid>.part`) and renamed
 * when all are complete, truth.json last, so a run that fails (a full disk, a folder or a
 * file the process may not write where a table goes) leaves the folder's earlier set as it was; a process killed
 * while writing leaves its `.part` files. A file is replaced, not written through: a link in its
 * place becomes the file. Same seed and options give byte-identical files. Node only.
 *
 * @param dir - destination folder
 * @param source - a result of `generateSyntheticDistributor()`, or options to generate one
 *   (default: the default options, about one million order lines)
 * @returns the folder and, per file, its name, path and number of data rows
 * @throws {OrderpulseError} `INVALID_OPTION` for a bad `dir` or unknown or bad generator options;
 *   `IO_ERROR` when the folder or a file cannot be written
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtempSync, readFileSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeSyntheticDistributor } from "orderpulse/csv";
 * const dir = mkdtempSync(join(tmpdir(), "orderpulse-synth-"));
 * const out = await writeSyntheticDistributor(dir, { seed: 3, customers: 20, products: 30, years: 1 });
 * assert.equal(out.files.length, 8);
 * const header = readFileSync(join(dir, "orders.csv"), "utf8").split("\n")[0];
 * assert.equal(header?.startsWith("order_id,order_date,customer_id,product_id,quantity,unit_price"), true);
 * assert.equal(JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")).options.seed, 3);
 * rmSync(dir, { recursive: true });
 * ```
 */
export async function writeSyntheticDistributor(
  dir: string,
  source: SyntheticDistributor | SyntheticDistributorOptions = {},
): Promise<WrittenSyntheticDistributor> {
  if (typeof dir !== "string" || dir === "") {
    throw new OrderpulseError("INVALID_OPTION", "writeSyntheticDistributor: invalid option dir: expected a non-empty string", { option: "dir", value: dir });
  }
  const given = typeof source === "object" && source !== null && "orders" in source && Array.isArray(source.orders);
  // the generator's option names, under this function's name (they were reported as generateSyntheticDistributor's)
  if (!given && typeof source === "object" && source !== null) checkKnownKeys(source as Record<string, unknown>, SYNTH_KEYS, "writeSyntheticDistributor");
  // the options checked and the folder made before the data is generated (a default distributor
  // takes seconds to generate: a folder that cannot be made failed only after it)
  if (!given) resolveSynthOptions(source as SyntheticDistributorOptions);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new OrderpulseError("IO_ERROR", `cannot create ${dir}: ${err instanceof Error ? err.message : String(err)}`, { path: dir }, err);
  }
  const synth: SyntheticDistributor = given ? (source as SyntheticDistributor) : generateSyntheticDistributor(source as SyntheticDistributorOptions);
  // Every file is written under a temporary name first and renamed when all are complete,
  // truth.json last: a run that fails (a full disk, a row source that throws) leaves the
  // folder's earlier set as it was, never new tables beside an old truth.json that a backtest
  // would score against. The names are unique per call (two calls or worker threads of one
  // process into one folder), and every final name is checked before the first rename.
  const part = `.orderpulse-${randomUUID()}.part`;
  const jobs: { name: string; path: string; tmp: string; write: () => Promise<number> }[] = TABLES.map(([key, name, headers]) => {
    const path = join(dir, name);
    const tmp = `${path}${part}`;
    return { name, path, tmp, write: () => writeCsv(tmp, synth[key] as readonly object[], { headers }) };
  });
  const truthPath = join(dir, "truth.json");
  const truthTmp = `${truthPath}${part}`;
  jobs.push({
    name: "truth.json",
    path: truthPath,
    tmp: truthTmp,
    write: async () => {
      await writeFile(truthTmp, `${JSON.stringify(synth.truth, null, 2)}\n`, "utf8");
      return synth.truth.events.length;
    },
  });
  const cleanUp = (): Promise<unknown> => Promise.all(jobs.map((j) => rm(j.tmp, { force: true }).catch(() => undefined)));
  const reasonOf = (err: unknown): string => errorCode(err) ?? String(err);
  try {
    // (every writer settled before a clean-up: a sibling still opening its file would leave it)
    const results = await Promise.allSettled(jobs.map((j) => j.write()));
    const failed = results.findIndex((r) => r.status === "rejected");
    if (failed >= 0) {
      const err = (results[failed] as PromiseRejectedResult).reason as unknown;
      const j = jobs[failed]!;
      // (the error names the file the user asked for, not its temporary name)
      if (isOrderpulseError(err) && err.code === "IO_ERROR") throw new OrderpulseError("IO_ERROR", err.message.split(j.tmp).join(j.path), { path: j.path }, err.cause ?? err);
      if (isOrderpulseError(err)) throw err;
      const code = errorCode(err);
      if (code !== undefined) throw new OrderpulseError("IO_ERROR", `cannot write ${j.path}: ${code}`, { path: j.path, code }, err);
      throw err;
    }
    // a final name held by a folder, or a file the process may not replace (read-only), fails
    // here, before any rename: the earlier set stays whole
    for (const j of jobs) {
      let blocker: string | undefined;
      try {
        const info = await lstat(j.path);
        if (info.isDirectory()) blocker = "a folder is in the way";
        else await access(j.path, constants.W_OK);
      } catch (err) {
        if (errorCode(err) !== "ENOENT") blocker = reasonOf(err);
      }
      if (blocker !== undefined) throw new OrderpulseError("IO_ERROR", `cannot write ${j.path}: ${blocker}`, { path: j.path });
    }
    const files: WrittenFile[] = [];
    for (let k = 0; k < jobs.length; k++) {
      const j = jobs[k]!;
      try {
        await rename(j.tmp, j.path);
      } catch (err) {
        throw new OrderpulseError("IO_ERROR", `cannot write ${j.path}: ${reasonOf(err)}`, { path: j.path }, err);
      }
      files.push({ name: j.name, path: j.path, rows: (results[k] as PromiseFulfilledResult<number>).value });
    }
    return { dir, files };
  } catch (err) {
    // (one clean-up for every way out: the temporary files still there go; renamed ones are gone already)
    await cleanUp();
    throw err;
  }
}
