import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { format } from "fast-csv";
import { OrderpulseError } from "../data/errors.ts";
import { optionsObject, type OptionKeys } from "../data/internal/check.ts";

/** Options of {@link writeCsv}. */
export interface WriteCsvOptions {
  /**
   * Column names, in order. Each row contributes `row[name]` (missing, `null` and `undefined`
   * become empty cells). Default: the keys of the first row.
   */
  headers?: readonly string[] | undefined;
}

const KEYS: OptionKeys<WriteCsvOptions> = { headers: true };

function cell(value: unknown): unknown {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  return value;
}

/**
 * Write rows (objects) to a CSV file with a header row, streaming (fast-csv `format`), with
 * back-pressure so that millions of rows never sit in memory twice. UTF-8, comma-delimited, `\n`
 * line ends (also after the last row); cells holding a comma, a quote or a line break are quoted.
 * Numbers and booleans are written with `String()`, `Date`s as `YYYY-MM-DD` when they are
 * midnight UTC else as ISO timestamps, `null`/`undefined` as empty cells. Node only.
 *
 * @param path - file to create or overwrite
 * @param rows - rows as an array, an iterable or an async iterable
 * @param options - `headers`: column names in order (default: the first row's keys)
 * @returns the number of data rows written (the header not counted)
 * @throws {OrderpulseError} `INVALID_OPTION` when `path` is not a non-empty string, an option is
 *   unknown or `headers` is not an array of strings; `IO_ERROR` when the file cannot be written
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtempSync, readFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeCsv } from "orderpulse/csv";
 * const file = join(mkdtempSync(join(tmpdir(), "orderpulse-")), "reps.csv");
 * const n = await writeCsv(file, [{ rep_id: "R01", name: "Dana, North" }, { rep_id: "R02" }], {
 *   headers: ["rep_id", "name"],
 * });
 * assert.equal(n, 2);
 * assert.equal(readFileSync(file, "utf8"), 'rep_id,name\nR01,"Dana, North"\nR02,\n');
 * ```
 */
export async function writeCsv(
  path: string,
  rows: Iterable<object> | AsyncIterable<object>,
  options: WriteCsvOptions = {},
): Promise<number> {
  if (typeof path !== "string" || path === "") {
    throw new OrderpulseError("INVALID_OPTION", "path must be a non-empty string", { option: "path", value: path });
  }
  const given = optionsObject(options, "writeCsv", KEYS).headers as WriteCsvOptions["headers"];
  if (given !== undefined && (!Array.isArray(given) || !given.every((h) => typeof h === "string"))) {
    throw new OrderpulseError("INVALID_OPTION", "headers must be an array of strings", { option: "headers", value: given });
  }
  const isAsync = Symbol.asyncIterator in rows;
  const iterator: AsyncIterator<object> | Iterator<object> = isAsync
    ? (rows as AsyncIterable<object>)[Symbol.asyncIterator]()
    : (rows as Iterable<object>)[Symbol.iterator]();
  let step = await iterator.next();
  const headers: string[] = given !== undefined ? [...given] : step.done ? [] : Object.keys(step.value);
  if (headers.length === 0 && step.done) {
    // nothing to write at all: an empty file
    try {
      await writeFile(path, "");
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new OrderpulseError("IO_ERROR", `cannot write ${path}: ${message}`, { path }, err);
    }
    return 0;
  }
  const file = createWriteStream(path, { encoding: "utf8" });
  const csv = format<Record<string, unknown>, Record<string, unknown>>({
    headers,
    alwaysWriteHeaders: headers.length > 0,
    includeEndRowDelimiter: true,
  });
  let failure: unknown;
  const fail = (err: unknown): void => {
    failure ??= err;
  };
  csv.on("error", fail);
  file.on("error", fail);
  csv.pipe(file);
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        csv.off("drain", done);
        csv.off("close", done);
        file.off("close", done);
        resolve();
      };
      csv.on("drain", done);
      csv.on("close", done);
      file.on("close", done);
    });
  const nh = headers.length;
  let count = 0;
  try {
    while (!step.done && failure === undefined) {
      // inner loop stays synchronous for sync sources; it yields only when the stream is full
      while (!step.done) {
        let row = step.value as Record<string, unknown>;
        for (let h = 0; h < nh; h++) {
          if (row[headers[h]!] instanceof Date) {
            const copy: Record<string, unknown> = {};
            for (const name of headers) copy[name] = cell(row[name]);
            row = copy;
            break;
          }
        }
        count++;
        const more = csv.write(row);
        step = isAsync ? await (iterator as AsyncIterator<object>).next() : (iterator as Iterator<object>).next();
        if (!more) break;
      }
      // the stream may have drained while an async source was awaited: wait only if it still needs to
      if (!step.done && csv.writableNeedDrain) await drained();
    }
  } catch (err) {
    // the rows' source failed: not an I/O problem, hand it back as it is
    csv.destroy();
    file.destroy();
    throw err;
  }
  if (failure === undefined) {
    csv.end();
    try {
      await finished(file);
    } catch (err) {
      fail(err);
    }
  }
  if (failure !== undefined) {
    csv.destroy();
    file.destroy();
    const message = failure instanceof Error ? failure.message : String(failure);
    throw new OrderpulseError("IO_ERROR", `cannot write ${path}: ${message}`, { path }, failure);
  }
  return count;
}
