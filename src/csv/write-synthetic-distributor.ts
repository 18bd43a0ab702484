import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isOrderpulseError, OrderpulseError } from "../data/errors.ts";
import { checkKnownKeys } from "../data/internal/check.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { resolveSynthOptions, SYNTH_KEYS } from "../synth/internal/resolve-options.ts";
import type { SyntheticDistributor, SyntheticDistributorOptions } from "../synth/types.ts";
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
 * every file is written under a temporary name (`<name>.orderpulse-<pid>-<time>.part`) and
 * renamed when all are complete, truth.json last, so a run that fails half-way leaves the
 * folder's earlier set as it was (a process killed while writing leaves its `.part` files). Same
 * seed and options give byte-identical files. Node only.
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
 * import { mkdtempSync, readFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeSyntheticDistributor } from "orderpulse/csv";
 * const dir = mkdtempSync(join(tmpdir(), "orderpulse-synth-"));
 * const out = await writeSyntheticDistributor(dir, { seed: 3, customers: 20, products: 30, years: 1 });
 * assert.equal(out.files.length, 8);
 * const header = readFileSync(join(dir, "orders.csv"), "utf8").split("\n")[0];
 * assert.equal(header?.startsWith("order_id,order_date,customer_id,product_id,quantity,unit_price"), true);
 * assert.equal(JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")).options.seed, 3);
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
  // truth.json last: an interrupted run (Ctrl-C, a full disk) leaves the folder's earlier set as
  // it was, never new tables beside an old truth.json that a backtest would score against.
  const part = `.orderpulse-${process.pid}-${Date.now().toString(36)}.part`;
  const written: { tmp: string; path: string }[] = [];
  try {
    const files = await Promise.all(
      TABLES.map(async ([key, name, headers]): Promise<WrittenFile> => {
        const path = join(dir, name);
        const tmp = `${path}${part}`;
        written.push({ tmp, path });
        try {
          const rows = await writeCsv(tmp, synth[key] as readonly object[], { headers });
          return { name, path, rows };
        } catch (err) {
          // (the error names the file the user asked for, not its temporary name)
          if (isOrderpulseError(err) && err.code === "IO_ERROR") throw new OrderpulseError("IO_ERROR", err.message.split(tmp).join(path), { path }, err.cause ?? err);
          throw err;
        }
      }),
    );
    const truthPath = join(dir, "truth.json");
    const truthTmp = `${truthPath}${part}`;
    written.push({ tmp: truthTmp, path: truthPath });
    try {
      await writeFile(truthTmp, `${JSON.stringify(synth.truth, null, 2)}\n`, "utf8");
    } catch (err) {
      throw new OrderpulseError("IO_ERROR", `cannot write ${truthPath}: ${err instanceof Error ? err.message : String(err)}`, { path: truthPath }, err);
    }
    files.push({ name: "truth.json", path: truthPath, rows: synth.truth.events.length });
    for (const w of written) {
      try {
        await rename(w.tmp, w.path);
      } catch (err) {
        throw new OrderpulseError("IO_ERROR", `cannot write ${w.path}: ${err instanceof Error ? err.message : String(err)}`, { path: w.path }, err);
      }
    }
    return { dir, files };
  } catch (err) {
    // (a failed run leaves no temporary files behind; renamed ones are gone from the list's view)
    await Promise.all(written.map((w) => rm(w.tmp, { force: true }).catch(() => undefined)));
    throw err;
  }
}
