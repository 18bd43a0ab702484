import type { Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, isAbsolute, join } from "node:path";
import * as z from "zod/mini";
import { DATA_CONTRACT } from "../data/contract.ts";
import { isOrderpulseError, OrderpulseError } from "../data/errors.ts";
import type { IngestResult } from "../data/from-rows.ts";
import type { IngestOptions } from "../data/ingest-options.ts";
import { TABLE_NAMES as TABLES, type TableName } from "../data/ingest-report.ts";
import { tableMeant } from "../data/internal/table-meant.ts";
import { DatasetBuilder } from "../data/internal/builder.ts";
import { checkKnownKeys, extendKeys, isRecord, zodOptionError, type OptionKeys } from "../data/internal/check.ts";
import { INGEST_KEYS } from "../data/internal/ingest-keys.ts";
import { resolveIngestOptions } from "../data/internal/resolve-ingest-options.ts";
import { isUtf8File, PRESETS } from "./internal/presets.ts";
import type { DerivedValue } from "./internal/table-header.ts";
import { bomEncoding, readTable } from "./internal/read-table.ts";
import { errorCode } from "../data/internal/error-code.ts";
import type { ReadDatasetOptions } from "./read-dataset-options.ts";

const KEYS: OptionKeys<ReadDatasetOptions> = /* @__PURE__ */ extendKeys<ReadDatasetOptions, IngestOptions>(INGEST_KEYS, { path: true, preset: true, map: true, delimiter: true, encoding: true, files: true, onProgress: true });

let schema: z.ZodMiniType | undefined;
function optionsSchema(): z.ZodMiniType {
  return (schema ??= z.looseObject({
    path: z.string().check(z.minLength(1)),
    preset: z.optional(z.enum(["canonical", "online-retail"])),
    map: z.optional(z.record(z.string(), z.string().check(z.minLength(1)))),
    // (not a quote, a line break or a BOM: papaparse replaced such a delimiter with "," silently)
    delimiter: z.optional(z.string().check(z.minLength(1), z.maxLength(4), z.refine((d) => !/["\r\n\uFEFF]/.test(d), "a delimiter cannot hold a quote, a line break or a BOM"))),
    encoding: z.optional(z.string().check(z.minLength(1))),
    files: z.optional(z.record(z.string(), z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))]))),
    onProgress: z.optional(z.custom<(p: unknown) => void>((v) => typeof v === "function")),
  }));
}

/**
 * Read a distributor's CSV files into a `Dataset`: `path` is a folder holding the data
 * contract's files (`orders.csv`, `customers.csv`, `products.csv`, `reps.csv`,
 * `deal_events.csv`, `targets.csv`, `content.csv`; only orders is required) or a single orders
 * file. Files stream through papaparse chunk by chunk; values are parsed by hand-written
 * number/date parsers; the result and report are identical to `fromRows()` on the same rows.
 *
 * Nothing is lost silently: every row is accepted, rejected (with file, line, column, value,
 * reason) or excluded by a preset rule (counted by reason).
 *
 * @param options - where to read (`path`), layout (`preset`, `map`, `delimiter`, `encoding`,
 *   `dateFormat`, `decimalComma`) and every ingest option (`timeZone`, `currency`, `fx`, `strict`)
 * @returns the dataset and its ingest report
 * @throws {OrderpulseError} `FILE_NOT_FOUND` (no such path or no orders file), `MISSING_COLUMN`
 *   (names file and column), `DUPLICATE_COLUMN`, `EMPTY_FILE`, `UNSUPPORTED_ENCODING`,
 *   `INVALID_ENCODING`, `MIXED_CURRENCIES`, `INVALID_ROW` (with `strict`), `INVALID_OPTION` (an
 *   unknown or bad option),
 *   `IO_ERROR` (a path that is there but cannot be read: no permission, a folder named as a
 *   file, a loop of links, a pipe or a device, which can be read only once; the system error, if
 *   any, is its `cause`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readDataset } from "orderpulse/csv";
 * const dir = mkdtempSync(join(tmpdir(), "op-"));
 * writeFileSync(join(dir, "orders.csv"),
 *   "order_id,order_date,customer_id,product_id,quantity,unit_price\n" +
 *   "A1,2026-01-05,C1,P1,2,9.50\nA2,2026-13-01,C1,P1,1,9.50\n");
 * const { dataset, report } = await readDataset({ path: dir });
 * assert.equal(dataset.lines.length, 1);
 * assert.equal(report.rejectedRows[0]?.line, 3);
 * assert.equal(report.rejectedRows[0]?.reason, "invalid_date");
 * rmSync(dir, { recursive: true });
 * ```
 */
export async function readDataset(options: ReadDatasetOptions): Promise<IngestResult> {
  try {
    return await readDatasetNow(options);
  } catch (err) {
    // a file or folder the process may not read (EACCES), a folder where a file was named (EISDIR),
    // a disk error: an IO_ERROR naming the path, the system error as its cause (it came out raw)
    const code = errorCode(err);
    if (!isOrderpulseError(err) && code !== undefined && /^E[A-Z]+$/.test(code)) {
      const path = (err as { path?: unknown }).path;
      throw new OrderpulseError("IO_ERROR", `cannot read ${typeof path === "string" ? path : options.path}: ${code}`, { path: typeof path === "string" ? path : options.path, code }, err);
    }
    throw err;
  }
}

async function readDatasetNow(options: ReadDatasetOptions): Promise<IngestResult> {
  // its own options and the ingest ones (resolveIngestOptions below then gets both, checked here)
  if (isRecord(options)) checkKnownKeys(options, KEYS, "readDataset");
  const parsed = optionsSchema().safeParse(options);
  if (!parsed.success) throw zodOptionError("readDataset", options, parsed.error.issues[0], parsed.error);
  const preset = PRESETS[options.preset ?? "canonical"]!;
  let ingest = resolveIngestOptions({ ...options, dateFormat: options.dateFormat ?? preset.dateFormat });
  const map = new Map(Object.entries(options.map ?? {}));
  for (const key of map.keys()) {
    const parts = key.split(".");
    const [t, f] = parts.length === 2 ? (parts as [string, string]) : ["orders", key];
    // own keys only: "constructor.name" must not find Object.prototype's constructor
    const contract = Object.hasOwn(DATA_CONTRACT, t) ? DATA_CONTRACT[t as TableName] : undefined;
    if (parts.length > 2 || !contract || ![...contract.required, ...contract.optional].includes(f)) {
      throw new OrderpulseError("INVALID_OPTION", `map key ${key} is not a contract column (use e.g. order_id or customers.segment)`, { option: "map", value: key });
    }
  }

  // a table under another spelling (deal_events, customer) was never read, without a word
  for (const key of Object.keys(options.files ?? {})) {
    if ((TABLES as readonly string[]).includes(key)) continue;
    const meant = tableMeant(key);
    throw new OrderpulseError("INVALID_OPTION", `files.${key} is not a table${meant !== undefined ? `: did you mean files.${meant}?` : ""} (the tables are ${TABLES.join(", ")})`, { option: `files.${key}`, value: key });
  }

  const info = await statOrMissing(options.path, `no such file or folder: ${options.path}`);
  const files = new Map<TableName, string[]>();
  if (info.isDirectory()) {
    const names = await readdir(options.path);
    const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
    for (const t of TABLES) {
      const given = options.files?.[t];
      const wanted = given === undefined ? [DATA_CONTRACT[t].file] : typeof given === "string" ? [given] : given;
      const found: string[] = [];
      for (const w of wanted) {
        // a path below the folder (or an absolute one), as the option says "relative to path": it
        // was looked up among the folder's own names and read "no file sub/orders.csv" (a review)
        if (isAbsolute(w) || /[\\/]/.test(w)) {
          const full = isAbsolute(w) ? w : join(options.path, w);
          await statOrMissing(full, `${options.path}: no file ${w} (files.${t})`);
          found.push(full);
          continue;
        }
        const actual = names.includes(w) ? w : lower.get(w.toLowerCase());
        if (actual !== undefined) found.push(join(options.path, actual));
        else if (given !== undefined) throw new OrderpulseError("FILE_NOT_FOUND", `${options.path}: no file ${w} (files.${t})`, { path: options.path, file: w });
      }
      if (found.length > 0) files.set(t, found);
    }
    if (!files.has("orders")) {
      // a file named like it (orders.tsv, orders.txt, Orders_2026.csv) is named: the message alone
      // sent a user looking for a file that was there under another name (a review)
      const near = names.filter((n) => /^orders?\b/i.test(n) && n.toLowerCase() !== "orders.csv").sort();
      const hint = near.length > 0 ? ` (there is ${near.slice(0, 3).join(", ")}: pass that file itself as the path, --data in the CLI, or name it with files: { orders: "${near[0]}" })` : "";
      throw new OrderpulseError("FILE_NOT_FOUND", `${options.path}: no orders.csv in this folder${hint}`, { path: options.path });
    }
  } else {
    // one orders file: `files` names files in a folder, and would be ignored here
    if (options.files !== undefined && Object.keys(options.files).length > 0) {
      throw new OrderpulseError("INVALID_OPTION", `files needs path to be a folder (${options.path} is a file: it is read as the orders)`, { option: "files", value: options.path });
    }
    files.set("orders", [options.path]);
  }
  // a mapped column of a table no file was read for: a mistake (a file under another name, the
  // wrong folder), not a column to drop without a word, as one missing from a file read is
  // MISSING_COLUMN (a review)
  for (const key of map.keys()) {
    const parts = key.split(".");
    const t = (parts.length === 2 ? parts[0] : "orders") as TableName;
    if (!files.has(t)) {
      const where = info.isDirectory() ? `no ${DATA_CONTRACT[t].file} in ${options.path}${options.files?.[t] === undefined ? ` (or files.${t})` : ""}` : `${options.path} is one orders file`;
      throw new OrderpulseError("INVALID_OPTION", `map key ${key}: no ${t} file is read (${where})`, { option: "map", value: key });
    }
  }

  // a pipe or a device can be read only once, and the reader looks at a file before it reads it
  // (a preset's date-format sniff and encoding check, the fast reader's check of the header):
  // `--data <(cat orders.csv)` read as an empty file, or hung under the online-retail preset
  // (each file's size is kept for its reader: one stat per file)
  const sizes = new Map<string, number>();
  for (const list of files.values()) {
    for (const file of list) {
      const kind = await statOrMissing(file, `no such file: ${file}`);
      if (!kind.isFile() && !kind.isDirectory()) {
        throw new OrderpulseError("IO_ERROR", `${file} is not a regular file (a pipe or a device can be read only once): save it to a file first`, { path: file });
      }
      // (a folder named like a table file: its read failed with EISDIR and no path, and the error
      // named the dataset's folder, "cannot read data: EISDIR")
      if (kind.isDirectory()) throw new OrderpulseError("IO_ERROR", `cannot read ${file}: EISDIR (a folder, not a file)`, { path: file, code: "EISDIR" });
      sizes.set(file, kind.size);
    }
  }

  let ambiguousDayOrder = false;
  if (options.dateFormat === undefined && preset.sniffDateFormat) {
    // e.g. Online Retail exported in a UK locale: 01/12/2010 08:26 instead of 12/1/2010 8:26. Every
    // orders file has its say, in its encoding (until 2026-12-07 the first file alone, read as
    // latin1: an ISO first file left a UK second one read month first, silently); files that
    // disagree, or give no evidence while some have slash dates, are ambiguous
    const verdicts = new Set<string | undefined>();
    for (const file of files.get("orders")!) verdicts.add(await preset.sniffDateFormat(file, options.encoding ?? (await bomEncoding(file))));
    verdicts.delete(undefined); // (no slash date: ISO dates read the same either way)
    const decided = [...verdicts].filter((v) => v !== "ambiguous"); // (days 1-12 only: no evidence)
    const sniffed = decided.length === 1 ? decided[0] : verdicts.size === 0 ? undefined : "ambiguous";
    ambiguousDayOrder = sniffed === "ambiguous";
    if (sniffed !== undefined && !ambiguousDayOrder && sniffed !== preset.dateFormat) ingest = resolveIngestOptions({ ...options, dateFormat: sniffed });
  }
  const builder = new DatasetBuilder(ingest);
  // no date of the first 8 MB told d/m from m/d (days 1-12 only): the preset's own order is
  // assumed, and the report says so (later rows cannot be waited for: they would decide how
  // the earlier ones read)
  if (ambiguousDayOrder) builder.warn("orders", "ambiguous_day_order");
  const derived = preset.derive ? { productName: new Map<string, DerivedValue>(), customerRegion: new Map<string, DerivedValue>() } : undefined;
  for (const [table, list] of files) {
    for (const file of list) {
      // a preset's own source encoding for an orders file that is not UTF-8 when none was given
      // (noted in the report's warnings); every other file keeps UTF-8
      let encoding = options.encoding ?? "utf-8";
      // (a file whose byte order mark names its encoding is read in it: a UTF-16 export was read as windows-1252)
      if (table === "orders" && options.encoding === undefined && preset.fallbackEncoding !== undefined && (await bomEncoding(file)) === undefined && !(await isUtf8File(file))) {
        encoding = preset.fallbackEncoding;
        builder.warn("orders", `not_utf8_read_as_${encoding}`);
      }
      await readTable(
        {
          table,
          file,
          label: info.isDirectory() ? basename(file) : file,
          encoding,
          delimiter: options.delimiter,
          map,
          preset,
          onProgress: options.onProgress,
          ...(table === "orders" && derived ? { derived } : {}),
        },
        builder,
        sizes.get(file)!,
      );
    }
    if (list.length > 1) builder.table(table, list.map((f) => basename(f)).join(", "));
  }
  if (derived) {
    // master data implied by the orders file (e.g. Online Retail's Description and Country)
    // (a table only when some row has a value; its ids without one are listed without it)
    const anyValue = (m: Map<string, DerivedValue>): boolean => [...m.values()].some((v) => v.value !== "");
    if (!files.has("products") && anyValue(derived.productName)) {
      builder.table("products", `${basename(files.get("orders")![0]!)} (Description)`, true);
      let line = 0;
      for (const [id, names] of [...derived.productName].sort((a, b) => (a[0] < b[0] ? -1 : 1))) builder.addProduct([id, names.value || undefined], ++line);
    }
    if (!files.has("customers") && anyValue(derived.customerRegion)) {
      builder.table("customers", `${basename(files.get("orders")![0]!)} (Country)`, true);
      let line = 0;
      for (const [id, regions] of [...derived.customerRegion].sort((a, b) => (a[0] < b[0] ? -1 : 1))) builder.addCustomer([id, undefined, undefined, regions.value || undefined], ++line);
    }
  }
  return builder.finish();
}

/**
 * `stat()` of a path readDataset reads: a missing one (ENOENT, ENOTDIR) is FILE_NOT_FOUND with
 * `message`; a path that is there but cannot be reached (a loop of links, no permission) is no
 * missing path: its error goes on, and readDataset makes it an IO_ERROR naming the path and code.
 */
async function statOrMissing(path: string, message: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (cause) {
    const code = errorCode(cause);
    if (code === "ENOENT" || code === "ENOTDIR") throw new OrderpulseError("FILE_NOT_FOUND", message, { path }, cause);
    throw cause;
  }
}
