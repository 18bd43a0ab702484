import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DatasetBuilder } from "../../data/internal/builder.ts";
import { resolveIngestOptions } from "../../data/internal/resolve-ingest-options.ts";
import type { ReadDatasetOptions } from "../read-dataset-options.ts";
import { readDataset } from "../read-dataset.ts";
import { PRESETS } from "./presets.ts";
import { readOrdersFast } from "./read-orders-fast.ts";
import { tempDir } from "../../../test/support/temp-dir.ts";

const HEADER = ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price", "line_id", "unit_cost", "list_price", "rep_id", "channel", "currency"];

function write(body: string | Uint8Array): string {
  const dir = tempDir("orderpulse-fast-");
  writeFileSync(join(dir, "orders.csv"), body);
  return dir;
}

/** Does the byte-level reader take this file? (it leaves the builder untouched when not) */
async function qualifies(dir: string, options: Partial<ReadDatasetOptions> = {}): Promise<boolean> {
  const file = join(dir, "orders.csv");
  const settings = { table: "orders" as const, file, label: "orders.csv", encoding: options.encoding ?? "utf-8", delimiter: options.delimiter, map: new Map<string, string>(), preset: PRESETS.canonical!, onProgress: undefined };
  return readOrdersFast(settings, new DatasetBuilder(resolveIngestOptions(options)), statSync(file).size);
}

async function outcome(dir: string, options: Partial<ReadDatasetOptions>): Promise<unknown> {
  try {
    return await readDataset({ ...options, path: dir });
  } catch (e) {
    return { error: (e as { code?: string }).code, message: (e as Error).message };
  }
}

/**
 * The same rows read by the byte-level reader and by papaparse: the second file differs only by
 * a quoted header cell, which papaparse unquotes and which keeps the byte-level reader out.
 */
async function bothPaths(lines: readonly string[], options: Partial<ReadDatasetOptions> = {}, eol = "\n", bom = false): Promise<void> {
  const d = options.delimiter ?? ",";
  const header = HEADER.join(d);
  const quoted = [`"${HEADER[0]}"`, ...HEADER.slice(1)].join(d);
  const body = (h: string): string => (bom ? "\uFEFF" : "") + [h, ...lines].join(eol);
  const fast = write(body(header));
  const papa = write(body(quoted));
  expect(await qualifies(fast, options)).toBe(lines.length > 0); // a lone header without a line break is left to papaparse
  expect(await qualifies(papa, options)).toBe(false);
  expect(await outcome(fast, options)).toEqual(await outcome(papa, options));
}

const TRICKY = [
  "A1,2026-01-05,C1,P1,2,9.50,1,5,10,R1,field,USD",
  "A1,2026-01-05,C1,P2,1,4,2,,,R1,field,usd",
  "",
  "   ",
  "A2, 2026-01-06 ,C2,P1,1e2,1,234.50,1,,,R2,,USD",
  "A3,2026-01-07, C3 ,P1,3,1,1,,,,,",
  "A4,2026-01-07,C3\u00a0,P1,3,1,1,,,,,",
  "A5,2026-02-30,C4,P1,1,1,1,,,,,",
  "A6,2026-01-08T10:30:00,C4,P1,1,1,1,,,,,",
  "A7,2026/01/09,C4,P1,+3,1,1,,,,,",
  "A8,20260110,C4,P1,-0,1,1,,,,,",
  "A9,1899-12-31,C5,P1,1,1,1,,,,,",
  "A10,2200-01-01,C5,P1,1,1,1,,,,,",
  "A11,,C5,P1,1,1,1,,,,,",
  ",2026-01-05,C5,P1,1,1,1,,,,,",
  "A12,2026-01-05,,P1,1,1,1,,,,,",
  "A13,2026-01-05,C6,P1,007,.5,1,-.5,1.,R3,web,",
  "A14,2026-01-05,C6,P1,12345678901234567,1,1,,,,,",
  "A15,2026-01-05,C6,P1,1,0,1,,,,,",
  "A16,2026-01-05,C6,P1,1,-2,1,,,,,",
  "A17,2026-01-05,C6,P1,1,2,1,-1,,,,",
  "A18,2026-01-05,C6,P1,1,2,1,1,0,,,",
  "A19,2026-01-05,C6,P1,abc,2,1,,,,,",
  "A20,2026-01-05,קפה,מוצר,1,2,1,,,נציג,שטח,",
  "A21,2026-01-05,C7,P1,1,2",
  "A22,2026-01-05,C7,P1,1,2,1,,,,,,extra",
  "A1,2026-01-05,C1,P1,5,9.50,1,5,10,R1,field,USD",
  "A23,2026-01-05,C7,P1,1,2,,,,,,",
  "A23,2026-01-05,C7,P1,1,2,,,,,,",
  "A24,2026-01-05,C7,P1,1 ,2,1,,,,,",
  "A25,2026-01-05,C7,P1,1,2,1,,,R1 ,,",
  "A26,2026-01-05,C7,P1,1,2,1, 3,,,,",
  "A27,2026-01-05,C8,P1,1,2,1,,,,,USD",
];

describe("readOrdersFast (byte-level orders reader)", () => {
  it("gives the papaparse path's dataset and report on a file of edge cases", async () => {
    await bothPaths(TRICKY);
    await bothPaths([...TRICKY, ""]); // trailing newline
  });

  it("agrees with CRLF line ends, a BOM, a ';' delimiter and non-ISO date settings", async () => {
    await bothPaths(TRICKY, {}, "\r\n");
    await bothPaths(TRICKY, {}, "\r\n", true);
    await bothPaths(TRICKY.map((l) => l.replaceAll(",", ";")), { delimiter: ";" });
    await bothPaths([...TRICKY, "B1,05/01/2026,C9,P1,1,2,1,,,,,"], { dateFormat: "dmy" });
    await bothPaths([...TRICKY, "B1,2026-01-05,C9,P1,1,2,1,,,,,"], { strict: false, maxRejectedRows: 3 });
  });

  it("CRLF and LF mixed in one file (a header in CRLF over rows in LF, or alternating): every row read, on both paths, as with LF alone", async () => {
    const rows = TRICKY.filter((l) => l.trim() !== "");
    const lf = await outcome(write([HEADER.join(","), ...rows].join("\n")), {});
    const mixes: ((i: number) => string)[] = [(i) => (i === 0 ? "\r\n" : "\n"), (i) => (i % 2 ? "\n" : "\r\n"), (i) => (i % 3 === 2 ? "\r\n" : "\n")];
    for (const eol of mixes) {
      const body = (h: string): string => [h, ...rows].map((l, i) => l + eol(i)).join("");
      const fast = write(body(HEADER.join(",")));
      const papa = write(body([`"${HEADER[0]}"`, ...HEADER.slice(1)].join(",")));
      expect(await qualifies(fast)).toBe(true);
      expect(await qualifies(papa)).toBe(false);
      expect(await outcome(fast, {})).toEqual(lf);
      expect(await outcome(papa, {})).toEqual(lf);
    }
    // a CRLF split by the reader's 64 KiB chunks: the CR ends one decoded chunk, the LF starts the next
    const head = `"${HEADER[0]}",${HEADER.slice(1).join(",")}\r\n`;
    let body = head;
    let n = 0;
    const row = (k: number, pad = ""): string => `A${k}${pad},2026-01-05,C1,P1,2,9.50,1,5,10,R1,field,USD\r\n`;
    while (body.length + row(n).length < 65536 - 200) body += row(n++);
    const padded = row(n, "x".repeat(65536 - body.length - row(n).length + 1));
    body += padded;
    n++;
    body += row(n++);
    expect([body[65535], body[65536]]).toEqual(["\r", "\n"]);
    const r = (await outcome(write(body), {})) as { dataset: { lines: { length: number } }; report: { tables: { orders: { rowsRead: number; rejected: number } } } };
    expect([r.dataset.lines.length, r.report.tables.orders.rowsRead, r.report.tables.orders.rejected]).toEqual([n, n, 0]);
  });

  it("leaves quoted, non-UTF-8, decimal-comma and fx files to papaparse", async () => {
    const plain = write([HEADER.join(","), ...TRICKY.slice(0, 2)].join("\n"));
    expect(await qualifies(plain)).toBe(true);
    expect(await qualifies(plain, { decimalComma: true })).toBe(false);
    expect(await qualifies(plain, { currency: "USD", fx: { USD: 1 } })).toBe(false);
    expect(await qualifies(plain, { encoding: "windows-1255" })).toBe(false);
    expect(await qualifies(write(`${HEADER.join(",")}\nA1,2026-01-05,C\u00e9,P1,1,2\n`))).toBe(true);
    expect(await qualifies(write(Buffer.concat([Buffer.from(`${HEADER.join(",")}\nA1,2026-01-05,C`), Buffer.from([0xe9]), Buffer.from(",P1,1,2\n")])))).toBe(false);
    expect(await qualifies(write(`${HEADER.join(",")}\nA1,2026-01-05,"C,1",P1,1,2\n`))).toBe(false);
    expect(await qualifies(write(`${HEADER.join(",")}\rA1,2026-01-05,C1,P1,1,2\r`))).toBe(false); // old Mac line ends
    const wide = [...HEADER, ...Array.from({ length: 300 }, (_, i) => `extra_${i}`)];
    expect(await qualifies(write(`${wide.join(",")}\nA1,2026-01-05,C1,P1,1,2${",".repeat(306)}\n`))).toBe(false); // more columns than positions kept
    expect(await qualifies(write(`${HEADER.join(",")}`))).toBe(false); // header only, no line break
  });

  it("agrees with papaparse on random rows (property)", async () => {
    const id = fc.constantFrom("C1", "C2", " C3", "C4 ", "", "קפה", "c1", "C1\u00a0", "1", "01", "x");
    const num = fc.constantFrom("1", "2.5", "-1", "0", "", " 2", "1e1", "1,000", "abc", ".", "-", "1.", "0.1", "999999999999999", "1234567890123456");
    const date = fc.constantFrom("2026-01-05", "2025-12-31", "2026-02-29", "2024-02-29", "2026-1-5", "", "2026-01-05 10:00", "2026-13-01", "05/01/2026");
    const row = fc.tuple(fc.constantFrom("A1", "A2", "A3", " A4", ""), date, id, id, num, num, fc.constantFrom("1", "2", "", " 3"), num, num, id, id, fc.constantFrom("USD", "usd", "", " USD"));
    const rows = fc.array(fc.oneof({ weight: 12, arbitrary: row.map((r) => r.join(",")) }, { weight: 1, arbitrary: fc.constantFrom("", "A1,2026-01-05", " ") }), { maxLength: 30 });
    await fc.assert(fc.asyncProperty(rows, fc.constantFrom("\n", "\r\n"), async (lines, eol) => bothPaths(lines, {}, eol)), { numRuns: 40, seed: 7 });
  });

  it("agrees with papaparse on ids around the short-key lengths (property)", async () => {
    // ids of 1..6 bytes are keyed by number, longer ones by their bytes: lengths 3..9 across both,
    // ids equal in their last four bytes, and multi-byte text of 6 and 8 bytes
    const id = fc.constantFrom("ABCD", "XABCD", "YABCD", "XYABCD", "ZYABCD", "WXYABCD", "SO0000001", "SO0000002", "SO000001", "éàè", "קפהא", "C1", " C1", "ABCD ");
    const row = fc.tuple(id, fc.constant("2026-01-05"), id, id, fc.constant("1"), fc.constant("2"), fc.constantFrom("1", "2", "12345678"), fc.constant(""), fc.constant(""), id, id, fc.constant("USD"));
    const rows = fc.array(row.map((r) => r.join(",")), { maxLength: 30 });
    await fc.assert(fc.asyncProperty(rows, async (lines) => bothPaths(lines)), { numRuns: 40, seed: 11 });
  });

  it("rejects numbers that overflow to Infinity as invalid_number, like the row parser", async () => {
    const lines = ["A1,2026-01-05,C1,P1,2,1e400,1,,,,,", "A2,2026-01-05,C1,P1,-1e400,3,2,,,,,", "A3,2026-01-05,C1,P1,1,3,3,1e999,,,,", "A4,2026-01-05,C1,P1,1,3,4,,,,,"];
    await bothPaths(lines);
    const { dataset, report } = await readDataset({ path: write([HEADER.join(","), ...lines].join("\n")) });
    expect(report.accepted).toBe(1);
    expect(report.byReason).toEqual({ invalid_number: 3 });
    expect([...dataset.lines.unitPrice]).toEqual([3]);
  });

  it("reads rows longer than its buffer and files with no trailing newline", async () => {
    const long = `A1,2026-01-05,${"C".repeat(5_000_000)},P1,1,2,1,,,,,`;
    await bothPaths(["A0,2026-01-04,C0,P1,1,2,1,,,,,", long, "A2,2026-01-06,C2,P1,1,2,1,,,,,"]);
  });
});
