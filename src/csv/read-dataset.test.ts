import { mkdirSync, writeFileSync } from "node:fs";
import { formatDay } from "../data/format-day.ts";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { epochDay } from "../data/epoch-day.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { fromRows } from "../data/from-rows.ts";
import { readDataset } from "./read-dataset.ts";
import { tempDir } from "../../test/support/temp-dir.ts";

const HEADER = "order_id,order_date,customer_id,product_id,quantity,unit_price";

function folder(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir("orderpulse-read-");
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isOrderpulseError(e)).toBe(true);
  return e as never;
}

describe("readDataset", () => {
  it("reads a folder of contract files and equals fromRows on the same rows", async () => {
    const dir = folder({
      "orders.csv": `${HEADER},line_id,unit_cost,list_price,rep_id,channel\nA1,2026-01-05,C1,P1,2,9.50,1,5,10,R1,field\nA1,2026-01-05,C1,P2,1,4,2,,,R1,field\nA2,2026-02-01,C2,P1,-1,9.50,1,5,10,R2,phone\n`,
      "customers.csv": "customer_id,name,segment,rep_id\nC1,Cafe Roma,cafes,R1\nC2,Hotel Dan,hotels,R2\n",
      "products.csv": "product_id,name,family,list_price,unit_cost,active\nP1,Espresso beans,coffee,10,5,1\nP2,Cups,disposables,5,2,yes\n",
      "reps.csv": "rep_id,name,manager_id\nR1,Dana,M1\nR2,Eli,M1\nM1,Maya,\n",
    });
    const { dataset, report } = await readDataset({ path: dir });
    const same = await fromRows({
      orders: [
        { order_id: "A1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: "2", unit_price: "9.50", line_id: "1", unit_cost: "5", list_price: "10", rep_id: "R1", channel: "field" },
        { order_id: "A1", order_date: "2026-01-05", customer_id: "C1", product_id: "P2", quantity: "1", unit_price: "4", line_id: "2", rep_id: "R1", channel: "field" },
        { order_id: "A2", order_date: "2026-02-01", customer_id: "C2", product_id: "P1", quantity: "-1", unit_price: "9.50", line_id: "1", unit_cost: "5", list_price: "10", rep_id: "R2", channel: "phone" },
      ],
      customers: [
        { customer_id: "C1", name: "Cafe Roma", segment: "cafes", rep_id: "R1" },
        { customer_id: "C2", name: "Hotel Dan", segment: "hotels", rep_id: "R2" },
      ],
      products: [
        { product_id: "P1", name: "Espresso beans", family: "coffee", list_price: 10, unit_cost: 5, active: 1 },
        { product_id: "P2", name: "Cups", family: "disposables", list_price: 5, unit_cost: 2, active: "yes" },
      ],
      reps: [{ rep_id: "R1", name: "Dana", manager_id: "M1" }, { rep_id: "R2", name: "Eli", manager_id: "M1" }, { rep_id: "M1", name: "Maya" }],
    });
    expect(dataset).toEqual(same.dataset);
    const strip = (r: typeof report): unknown => ({ ...r, tables: Object.fromEntries(Object.entries(r.tables).map(([k, t]) => [k, { ...t, file: undefined }])) });
    expect(strip(report)).toEqual(strip(same.report));
    expect(report.tables.orders?.file).toBe("orders.csv");
    expect(dataset.lines.listPrice[1]).toBe(5); // P2 list price from products.csv
  });

  it("sizes the line columns to the lines: byte reader (first-chunk estimate), papaparse path (trimmed) and fromRows (array length)", async () => {
    const n = 20_000;
    const rows: string[] = [];
    const objects: { order_id: string; order_date: string; customer_id: string; product_id: string; quantity: number; unit_price: number }[] = [];
    for (let i = 0; i < n; i++) {
      const o = { order_id: `O${Math.floor(i / 5)}`, order_date: `2026-0${1 + (i % 9)}-1${i % 10}`, customer_id: `C${i % 97}`, product_id: `P${i % 31}`, quantity: 1 + (i % 7), unit_price: 2.5 };
      objects.push(o);
      rows.push(`${o.order_id},${o.order_date},${o.customer_id},${o.product_id},${o.quantity},${o.unit_price}`);
    }
    const body = `${HEADER}\n${rows.join("\n")}\n`;
    const fast = (await readDataset({ path: folder({ "orders.csv": body }) })).dataset;
    // a quoted field sends the file down the papaparse path (whose reserve guesses 45 bytes a line)
    const papa = (await readDataset({ path: folder({ "orders.csv": `${HEADER}\n"${rows[0]!.replace(",", '",')}\n${rows.slice(1).join("\n")}\n` }) })).dataset;
    const mem = (await fromRows({ orders: objects })).dataset;
    for (const d of [fast, papa, mem]) {
      expect(d.lines.length).toBe(n);
      for (const col of [d.lines.day, d.lines.quantity, d.lines.customer, d.lines.lineId]) expect(col.buffer.byteLength).toBeLessThanOrEqual(1.25 * n * col.BYTES_PER_ELEMENT);
    }
    expect(papa.lines).toEqual(fast.lines);
    expect(mem.lines).toEqual(fast.lines);
  });

  it("names the file and column when a required column is missing", async () => {
    const dir = folder({ "orders.csv": "order_id,order_date,customer_id,product_id,quantity\nA,2026-01-01,C,P,1\n" });
    const e = await failure(readDataset({ path: dir }));
    expect(e.code).toBe("MISSING_COLUMN");
    expect(e.message).toBe("orders.csv: missing required column unit_price");
    expect(e.details).toMatchObject({ file: "orders.csv", column: "unit_price" });
  });

  it("the delimiter is the header's when papaparse's guess from the first rows reads fewer column names (review 2026-12-06: a file writeCsv wrote, ids holding ';', did not read back)", async () => {
    // two rows whose ids split alike on ';' outvote the comma header in papaparse's guess
    const commas = folder({ "orders.csv": `${HEADER}\na;b,2026-01-05,C1,x;y,1,10\na;b,2026-01-05,C1,x;z,2,10\n` });
    const r = await readDataset({ path: commas });
    expect([r.dataset.lines.day.length, r.report.rejected, r.dataset.ids.products.values]).toEqual([2, 0, ["x;y", "x;z"]]);
    // and a short ';' file whose values hold commas (decimal commas), without a delimiter given
    const semis = folder({ "orders.csv": "order_id;order_date;customer_id;product_id;quantity;unit_price\nB,1;2026-01-05;C,1;P,2;1;2,5\n" });
    const s = await readDataset({ path: semis, decimalComma: true });
    expect([s.dataset.ids.orders.values, s.dataset.lines.unitPrice[0]]).toEqual([["B,1"], 2.5]);
    // the same through the papaparse path (a quote in the file) and a mapped column name
    const quoted = folder({ "orders.csv": `Order,order_date,customer_id,product_id,quantity,unit_price\n"a;b",2026-01-05,C1,x;y,1,10\na;b,2026-01-05,C1,x;z,2,10\n` });
    expect((await readDataset({ path: quoted, map: { order_id: "Order" } })).dataset.lines.day.length).toBe(2);
    // a mapped name with spaces around it matches as the header's names do, trimmed (review 2026-12-07)
    expect((await readDataset({ path: quoted, map: { order_id: " Order " } })).dataset.lines.day.length).toBe(2);
  });

  it("a header read as one field holding another separator: the error says to give the delimiter (review 2026-12-06)", async () => {
    const dir = folder({ "orders.csv": "order_id;order_date;customer_id;product_id;quantity;unit_price\nB,1;2026-01-05;C,1;P,2;1;2,5\n" });
    const e = await failure(readDataset({ path: dir, delimiter: "," }));
    expect(e.code).toBe("MISSING_COLUMN");
    expect(e.message).toBe('orders.csv: missing required column order_id; the header looks separated by ";": give the delimiter (delimiter option, --delimiter)');
    expect((await readDataset({ path: dir, delimiter: ";", decimalComma: true })).dataset.lines.unitPrice[0]).toBe(2.5);
  });

  it("a mapped optional column missing from the header is an error too, not a silently dropped field", async () => {
    // until 2026-12-06 { unit_cost: "Cost" } on a file without Cost dropped the cost (and the file's
    // own unit_cost column): gross profit went missing with only a missing_cost warning
    const dir = folder({ "orders.csv": `${HEADER},unit_cost
A,2026-01-05,C1,P1,1,2,1
` });
    const e = await failure(readDataset({ path: dir, map: { unit_cost: "Cost" } }));
    expect(e.code).toBe("MISSING_COLUMN");
    expect(e.message).toBe('orders.csv: missing column unit_cost (mapped from "Cost")');
    expect((await readDataset({ path: dir })).dataset.lines.unitCost[0]).toBe(1);
  });

  it("files: a key that is no table, or files with a single-file path, is INVALID_OPTION (the file was never read)", async () => {
    const dir = folder({ "orders.csv": "order_id,order_date,customer_id,product_id,quantity,unit_price\nA,2026-01-05,C1,P1,1,2\n", "deals.csv": "deal_id,customer_id,stage,entered_at\nD1,C1,proposal,2026-01-05\n" });
    const e = await failure(readDataset({ path: dir, files: { deal_events: "deals.csv" } as never }));
    expect([e.code, e.details["option"], e.message.includes("did you mean files.dealEvents?")]).toEqual(["INVALID_OPTION", "files.deal_events", true]);
    const single = await failure(readDataset({ path: join(dir, "orders.csv"), files: { customers: "customers.csv" } }));
    expect([single.code, single.details["option"]]).toEqual(["INVALID_OPTION", "files"]);
    expect((await readDataset({ path: dir, files: { dealEvents: "deals.csv" } })).dataset.dealEvents.deal.length).toBe(1);
  });

  it("a path that cannot be read is an IO_ERROR naming it, not a raw system error", async () => {
    // a folder where orders.csv should be a file: EISDIR came out raw (the CLI printed a stack)
    const dir = folder({});
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "orders.csv"));
    const e = await failure(readDataset({ path: dir }));
    expect(e.code).toBe("IO_ERROR");
    expect(e.message).toContain("EISDIR");
  });

  it("a path that is there but cannot be reached (a loop of links) is an IO_ERROR with its code, not FILE_NOT_FOUND; a pipe is refused, not read as empty", async () => {
    const { symlinkSync } = await import("node:fs");
    const { execFileSync } = await import("node:child_process");
    const dir = folder({});
    symlinkSync(join(dir, "loop"), join(dir, "loop"));
    const loop = await failure(readDataset({ path: join(dir, "loop") }));
    expect([loop.code, loop.message]).toEqual(["IO_ERROR", `cannot read ${join(dir, "loop")}: ELOOP`]);
    symlinkSync(join(dir, "orders.csv"), join(dir, "orders.csv"));
    const file = await failure(readDataset({ path: dir }));
    expect(file.code).toBe("IO_ERROR");
    expect(file.message).toContain("ELOOP");
    expect((await failure(readDataset({ path: join(dir, "missing") }))).code).toBe("FILE_NOT_FOUND");
    // `--data <(cat orders.csv)`: the reader looks at a file before reading it, and a pipe is then empty
    const fifo = join(folder({}), "orders.csv");
    execFileSync("mkfifo", [fifo]);
    const pipe = await failure(readDataset({ path: fifo }));
    expect([pipe.code, pipe.message]).toEqual(["IO_ERROR", `${fifo} is not a regular file (a pipe or a device can be read only once): save it to a file first`]);
    // also before a preset's own look at the file (online-retail's date sniff hung on it)
    expect((await failure(readDataset({ path: fifo, preset: "online-retail" }))).code).toBe("IO_ERROR");
  });

  it("rejects bad values with file, line, column, value, reason", async () => {
    const dir = folder({
      "orders.csv": [HEADER, "A,2026-01-05,C1,P1,1,2", "B,05/01/2026,C1,P1,1,2", "C,2026-01-05,C1,P1,x,2", "D,2026-01-05,C1,P1,,2", "E,2026-01-05,C1,P1,1,", "F,2026-01-05,C1,P1,1,-3", "G,2026-01-05,C1,P1,1,0", "H,2026-01-05,C1,P1,1"].join("\n"),
    });
    const { dataset, report } = await readDataset({ path: join(dir, "orders.csv") });
    expect(dataset.lines.length).toBe(1);
    expect(report.rowsRead).toBe(8);
    expect(report.byReason).toEqual({ field_count: 1, invalid_date: 1, invalid_number: 1, missing_value: 2, non_positive_price: 2 });
    expect(report.rejectedRows.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [3, "order_date", "05/01/2026", "invalid_date"],
      [4, "quantity", "x", "invalid_number"],
      [5, "quantity", "", "missing_value"],
      [6, "unit_price", "", "missing_value"],
      [7, "unit_price", "-3", "non_positive_price"],
      [8, "unit_price", "0", "non_positive_price"],
      [9, undefined, "H,2026-01-05,C1,P1,1", "field_count"],
    ]);
    expect(report.rejectedRows[0]?.file).toMatch(/orders\.csv$/);
  });

  it("handles quoted fields with delimiters, quotes and newlines, CRLF and blank trailing lines", async () => {
    const body = `${HEADER},channel\r\n"A,1",2026-01-05,"C ""1""",P1,1,2,"phone\r\nline two"\r\nB,2026-01-06,C2,P1,1,2,web\r\n\r\n\r\n`;
    const { dataset, report } = await readDataset({ path: join(folder({ "orders.csv": body }), "orders.csv") });
    expect(report).toMatchObject({ rowsRead: 2, accepted: 2, rejected: 0 });
    expect(dataset.ids.orders.values).toEqual(["A,1", "B"]);
    expect(dataset.ids.customers.values).toEqual(['C "1"', "C2"]);
    // (CRLF reads as LF everywhere, inside quoted fields too: one line break whatever the file mixes)
    expect(dataset.ids.channels.values).toEqual(["phone\nline two", "web"]);
  });

  it("refuses a duplicated used column, warns on a duplicated unused one", async () => {
    const e = await failure(readDataset({ path: join(folder({ "orders.csv": `${HEADER},quantity\nA,2026-01-05,C1,P1,1,2,3\n` }), "orders.csv") }));
    expect(e.code).toBe("DUPLICATE_COLUMN");
    expect(e.message).toMatch(/orders\.csv: column "quantity" appears more than once/);
    const ok = await readDataset({ path: join(folder({ "orders.csv": `${HEADER},note,note\nA,2026-01-05,C1,P1,1,2,x,y\n` }), "orders.csv") });
    expect(ok.report.warnings).toMatchObject({ duplicate_header: 1 });
    expect(ok.dataset.lines.length).toBe(1);
  });

  it("empty file is an error; header-only file is an empty dataset", async () => {
    const e = await failure(readDataset({ path: join(folder({ "orders.csv": "" }), "orders.csv") }));
    expect(e.code).toBe("EMPTY_FILE");
    const e2 = await failure(readDataset({ path: join(folder({ "orders.csv": "\n\n" }), "orders.csv") }));
    expect(e2.code).toBe("EMPTY_FILE");
    // an empty file of another table is a table without rows, with a warning (review 2026-12-07:
    // it stopped the whole read, where a missing or header-only one reads fine)
    const withEmpty = await readDataset({ path: folder({ "orders.csv": `${HEADER}\nA,2026-01-05,C1,P1,1,2\n`, "customers.csv": "", "targets.csv": "\n" }) });
    expect([withEmpty.dataset.lines.length, withEmpty.report.tables.customers?.warnings, withEmpty.report.tables.targets?.warnings]).toEqual([1, { empty_file: 1 }, { empty_file: 1 }]);
    const { dataset, report } = await readDataset({ path: join(folder({ "orders.csv": `${HEADER}\n` }), "orders.csv") });
    expect(dataset.lines.length).toBe(0);
    expect(report).toMatchObject({ rowsRead: 0, accepted: 0, lines: 0 });
    expect(dataset.dayRange).toBeUndefined();
  });

  it("accepts unknown customer/product ids with warnings; replaces repeated line keys", async () => {
    const dir = folder({
      "orders.csv": `${HEADER},line_id\nA,2026-01-05,C1,P1,1,2,1\nA,2026-01-05,C1,P1,5,2,1\nB,2026-01-06,C9,P9,1,2,1\n`,
      "customers.csv": "customer_id\nC1\n",
      "products.csv": "product_id\nP1\n",
    });
    const { dataset, report } = await readDataset({ path: dir });
    expect(dataset.lines.length).toBe(2);
    expect(report.tables.orders).toMatchObject({ accepted: 3, replaced: 1, warnings: { unknown_customer: 1, unknown_product: 1 } });
    expect(dataset.lines.quantity[0]).toBe(5);
  });

  it("refuses mixed currencies without fx", async () => {
    const dir = folder({ "orders.csv": `${HEADER},currency\nA,2026-01-05,C1,P1,1,2,ILS\nB,2026-01-05,C1,P1,1,2,USD\n` });
    const e = await failure(readDataset({ path: dir }));
    expect(e.code).toBe("MIXED_CURRENCIES");
    const ok = await readDataset({ path: dir, currency: "ILS", fx: { USD: 3.7 } });
    expect([...ok.dataset.lines.unitPrice].sort()).toEqual([2, 7.4]);
  });

  it("strict throws INVALID_ROW with file and line", async () => {
    const dir = folder({ "orders.csv": `${HEADER}\nA,2026-01-05,C1,P1,1,2\nB,2026-01-05,C1,P1,1,abc\n` });
    const e = await failure(readDataset({ path: dir, strict: true }));
    expect(e.code).toBe("INVALID_ROW");
    expect(e.message).toBe("orders.csv:3: unit_price is not a number: abc");
  });

  it("rejects a row with a malformed or unclosed quote (malformed_quotes), saying how many lines it swallowed, instead of reading it in silently", async () => {
    const tail = "A2,2026-01-05,C1,P1,1,2,web\nA3,2026-01-05,C1,P1,1,2,web\n";
    // a closed quote followed by text in the last column: papaparse reads on to the end of the file
    const closed = await readDataset({ path: folder({ "orders.csv": `${HEADER},channel\nA1,2026-01-05,C1,P1,1,2,"Big" pipe\n${tail}` }) });
    expect(closed.report.accepted).toBe(0);
    expect(closed.report.byReason).toEqual({ malformed_quotes: 1 });
    expect(closed.report.rejectedRows[0]!.message).toMatch(/runs on over the next 2 lines of the file/);
    expect(closed.dataset.ids.channels.size).toBe(0);
    // an unclosed quote in a middle column
    const open = await readDataset({ path: folder({ "orders.csv": `${HEADER},channel\nA0,2026-01-05,C1,P1,1,2,web\nA1,2026-01-05,C1,P1,"1,2,web\n${tail}` }) });
    expect(open.report.accepted).toBe(1);
    expect(open.report.byReason).toEqual({ malformed_quotes: 1 });
    // the lines it swallowed: A2 and A3 (the file's last line break ends a line, starts none: "the
    // next 3 lines" for the closed quote above until 2026-12-07); without that line break, the same
    expect(open.report.rejectedRows[0]!.message).toMatch(/runs on over the next 2 lines of the file/);
    const unended = await readDataset({ path: folder({ "orders.csv": `${HEADER},channel\nA0,2026-01-05,C1,P1,1,2,web\nA1,2026-01-05,C1,P1,"1,2,web\n${tail.trimEnd()}` }) });
    expect(unended.report.rejectedRows[0]!.message).toMatch(/runs on over the next 2 lines of the file/);
    // a well-formed quoted field over two lines is a value, not an error
    const fine = await readDataset({ path: folder({ "orders.csv": `${HEADER},channel\nA1,2026-01-05,C1,P1,1,2,"two\nlines"\n${tail}` }) });
    expect(fine.report.accepted).toBe(3);
    expect(fine.report.rejected).toBe(0);
    const e = await failure(readDataset({ path: folder({ "orders.csv": `${HEADER},channel\nA1,2026-01-05,C1,P1,1,2,"Big" pipe\n${tail}` }), strict: true }));
    expect(e.code).toBe("INVALID_ROW");
  });

  it("reads UTF-8 with BOM, windows-1255 Hebrew, semicolons, decimal comma, dd/mm/yyyy and --map", async () => {
    const bom = await readDataset({ path: join(folder({ "orders.csv": `\uFEFF${HEADER}\nA,2026-01-05,C1,P1,1,2\n` }), "orders.csv") });
    expect(bom.dataset.lines.length).toBe(1);
    // a Hebrew ERP export: windows-1255 maps U+05D0..U+05EA to 0xE0..0xFA
    const cp1255 = (t: string): Buffer => Buffer.from([...t].map((ch) => (ch >= "\u05d0" && ch <= "\u05ea" ? ch.charCodeAt(0) - 0x5d0 + 0xe0 : ch.charCodeAt(0))));
    const dir = folder({ "export.csv": cp1255("מספר;תאריך;לקוח;פריט;כמות;מחיר\n7001;31/12/2025;לקוח;P1;1.000;12,50\n") });
    const { dataset, report } = await readDataset({
      path: join(dir, "export.csv"),
      encoding: "windows-1255",
      dateFormat: "dd/MM/yyyy",
      decimalComma: true,
      map: { order_id: "מספר", order_date: "תאריך", customer_id: "לקוח", product_id: "פריט", quantity: "כמות", unit_price: "מחיר" },
    });
    expect(report.rejected).toBe(0);
    expect(dataset.ids.customers.values).toEqual(["לקוח"]);
    expect(dataset.lines.quantity[0]).toBe(1000);
    expect(dataset.lines.unitPrice[0]).toBe(12.5);
    expect(dataset.lines.day[0]).toBe(epochDay(2025, 12, 31));
    const e = await failure(readDataset({ path: join(dir, "export.csv") }));
    expect(e.code).toBe("INVALID_ENCODING");
    // every label of UTF-8 is strict, not only "utf-8" / "utf8"
    for (const encoding of ["UTF8", "unicode-1-1-utf-8", " utf-8", "x-unicode20utf8"]) expect((await failure(readDataset({ path: join(dir, "export.csv"), encoding }))).code).toBe("INVALID_ENCODING");
  });

  it("a ';'-separated file read without decimalComma: a number with a comma is refused with a hint, never read as thousands (review 2026-12-07)", async () => {
    // 1,500 × 3,250 read as 1500 × 3250 (a line worth ×1000) while 12,50 was rejected without a hint
    const dir = folder({ "orders.csv": "order_id;order_date;customer_id;product_id;quantity;unit_price\nA1;2026-01-06;C1;P1;2;12,50\nA2;2026-01-06;C1;P2;1,500;3,250\nA3;2026-01-06;C1;P3;2;4\n" });
    const { dataset, report } = await readDataset({ path: dir });
    expect([report.accepted, report.rejected]).toEqual([1, 2]);
    expect(report.rejectedRows.map((r) => r.message)).toEqual([
      "unit_price is not a number: 12,50 (a decimal comma? decimalComma reads it; --decimal-comma in the CLI)",
      "quantity is not a number: 1,500 (a decimal comma? decimalComma reads it; --decimal-comma in the CLI)",
    ]);
    expect(dataset.lines.unitPrice[0]).toBe(4);
    // with decimalComma both read as decimals
    const dc = await readDataset({ path: dir, decimalComma: true });
    expect([dc.report.rejected, [...dc.dataset.lines.quantity.slice().sort()], [...dc.dataset.lines.unitPrice.slice().sort()]]).toEqual([0, [1.5, 2, 2], [3.25, 4, 12.5]]);
    // a ','-separated file keeps its quoted thousands grouping
    const us = await readDataset({ path: folder({ "orders.csv": `${HEADER}\nA,2026-01-05,C1,P1,"1,500",2\n` }) });
    expect(us.dataset.lines.quantity[0]).toBe(1500);
  });

  it("a file with the UTF-8 byte order mark is read as UTF-8 whatever --encoding says (review 2026-12-07)", async () => {
    // a windows-1255 orders.csv beside a customers.csv saved from Excel as "CSV UTF-8"
    const cp1255 = (t: string): Buffer => Buffer.from([...t].map((ch) => (ch >= "\u05d0" && ch <= "\u05ea" ? ch.charCodeAt(0) - 0x5d0 + 0xe0 : ch.charCodeAt(0))));
    const dir = folder({ "orders.csv": cp1255(`${HEADER}\nA,2026-01-05,C1,P1,1,2\n`), "customers.csv": `\uFEFFcustomer_id,name\nC1,קפה רומא\n` });
    const { dataset, report } = await readDataset({ path: dir, encoding: "windows-1255" });
    expect(report.rejected).toBe(0);
    expect(dataset.customers.name[0]).toBe("קפה רומא");
    // an orders.csv with the mark too (it failed MISSING_COLUMN: the mark read as three letters)
    const both = folder({ "orders.csv": `\uFEFF${HEADER}\nA,2026-01-05,C1,P1,1,2\n` });
    expect((await readDataset({ path: both, encoding: "windows-1255" })).dataset.lines.length).toBe(1);
    // an encoding no decoder knows is still refused
    expect((await failure(readDataset({ path: both, encoding: "klingon" }))).code).toBe("UNSUPPORTED_ENCODING");
  });

  it("INVALID_ENCODING names the offending byte's offset and line (it named the 64 KiB chunk holding it)", async () => {
    const dir = tempDir("orderpulse-read-");
    const header = "order_id,order_date,customer_id,product_id,quantity,unit_price\n";
    const row = (k: number): string => `O${String(k).padStart(6, "0")},2026-01-05,C1,P1,1,9.50\n`; // 36 bytes
    for (const k of [1660, 3630]) {
      // a windows-1255 byte (0xE0, "א") in row k's customer id; rows before it are ASCII
      const before = header + Array.from({ length: k - 1 }, (_, i) => row(i + 1)).join("");
      const bytes = Buffer.concat([Buffer.from(before + `O${k},2026-01-05,C`), Buffer.from([0xe0]), Buffer.from(",P1,1,9.50\n" + row(k + 1))]);
      writeFileSync(join(dir, "orders.csv"), bytes);
      const e = await failure(readDataset({ path: dir }));
      expect(e.code).toBe("INVALID_ENCODING");
      const offset = Buffer.byteLength(before) + `O${k},2026-01-05,C`.length;
      expect(e.details).toMatchObject({ offset, line: k + 1 });
      expect(e.message).toContain(`offset ${offset} (line ${k + 1})`);
    }
    // a sequence cut off by the end of the file
    writeFileSync(join(dir, "orders.csv"), Buffer.concat([Buffer.from(header + row(1) + "O2,2026-01-05,C"), Buffer.from([0xd7])]));
    expect((await failure(readDataset({ path: dir }))).details).toMatchObject({ offset: Buffer.byteLength(header + row(1) + "O2,2026-01-05,C"), line: 3 });
  });

  it("online-retail preset: the products and customers made from the orders file are reported as derived, out of the totals (review 2026-12-07)", async () => {
    const file = join(import.meta.dirname, "..", "..", "test", "fixtures", "online-retail", "online-retail-sample.csv");
    const { report } = await readDataset({ path: file, preset: "online-retail" });
    const orders = report.tables.orders!;
    // the totals are the file's rows: accepted + rejected + excluded of the orders table alone
    expect([report.rowsRead, report.accepted, report.rejected, report.excluded]).toEqual([orders.rowsRead, orders.accepted, orders.rejected, orders.excluded]);
    expect(report.tables.products?.derived).toBe(true);
    expect(report.tables.customers?.derived).toBe(true);
    expect(report.tables.products!.accepted).toBeGreaterThan(0);
    expect(orders.derived).toBeUndefined();
  });

  it("online-retail preset: every orders file has its say in the day order, read in its encoding (an ISO first file left a UK second one month first, silently)", async () => {
    const dir = tempDir("orderpulse-read-");
    const header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
    writeFileSync(join(dir, "a.csv"), header + "489434,85048,GLASS BALL,12,2009-12-01 07:45:00,6.95,13085,United Kingdom\n");
    const uk = header + "536365,85123A,HEART HOLDER,6,01/12/2010 08:26,2.55,17850,United Kingdom\n536366,22633,HAND WARMER,6,13/12/2010 08:28,1.85,17850,United Kingdom\n";
    writeFileSync(join(dir, "b.csv"), uk);
    const days = (d: { lines: { day: Int32Array } }): string[] => [...d.lines.day].map((x) => formatDay(x)).sort();
    const both = await readDataset({ path: dir, preset: "online-retail", files: { orders: ["a.csv", "b.csv"] } });
    expect(days(both.dataset)).toEqual(["2009-12-01", "2010-12-01", "2010-12-13"]);
    expect(both.report.rejected).toBe(0);
    expect(both.report.warnings).not.toHaveProperty("ambiguous_day_order");
    // a US file beside the UK one: they disagree, and the report says so
    writeFileSync(join(dir, "c.csv"), header + "536367,22633,HAND WARMER,6,12/13/2010 08:28,1.85,17850,United Kingdom\n");
    expect((await readDataset({ path: dir, preset: "online-retail", files: { orders: ["b.csv", "c.csv"] } })).report.warnings).toHaveProperty("ambiguous_day_order");
    // UTF-16: the sample is read in the file's encoding
    writeFileSync(join(dir, "w.csv"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(uk, "utf16le")]));
    const wide = await readDataset({ path: dir, preset: "online-retail", encoding: "utf-16le", files: { orders: ["w.csv"] } });
    expect(days(wide.dataset)).toEqual(["2010-12-01", "2010-12-13"]);
  });

  it("online-retail preset: a file that is not UTF-8 (the ISO-8859-1 CSV copies of UCI Online Retail) is read as windows-1252 and says so; an explicit encoding or another preset still fails", async () => {
    const text = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
      "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850.0,United Kingdom\n" +
      "536366,22633,HAND WARMER CAF\u00c9,6,12/1/2010 8:28,1.85,17850.0,United Kingdom\n";
    const dir = folder({ "data.csv": Buffer.from(text, "latin1"), "utf8.csv": text });
    const latin = await readDataset({ path: join(dir, "data.csv"), preset: "online-retail" });
    expect(latin.report.rejected).toBe(0);
    expect(latin.report.warnings).toMatchObject({ "not_utf8_read_as_windows-1252": 1 });
    expect(latin.dataset.products.name).toContain("HAND WARMER CAF\u00c9");
    // the same rows in UTF-8: no fallback, the same dataset
    const utf8 = await readDataset({ path: join(dir, "utf8.csv"), preset: "online-retail" });
    expect(utf8.report.warnings["not_utf8_read_as_windows-1252"]).toBeUndefined();
    expect([...utf8.dataset.products.name]).toEqual([...latin.dataset.products.name]);
    expect([...utf8.dataset.lines.unitPrice]).toEqual([...latin.dataset.lines.unitPrice]);
    expect((await failure(readDataset({ path: join(dir, "data.csv"), preset: "online-retail", encoding: "utf-8" }))).code).toBe("INVALID_ENCODING");
    expect((await failure(readDataset({ path: join(dir, "data.csv"), map: { order_id: "InvoiceNo", order_date: "InvoiceDate", customer_id: "CustomerID", product_id: "StockCode", quantity: "Quantity", unit_price: "UnitPrice" } }))).code).toBe("INVALID_ENCODING");
  });

  it("online-retail preset: the windows-1252 fallback is decided per orders file; other tables stay UTF-8", async () => {
    const head = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
    const dir = folder({
      "orders.csv": Buffer.from(`${head}536365,85123A,CAF\u00c9 MUG,6,12/1/2010 8:26,2.55,17850,United Kingdom\n`, "latin1"),
      "orders-2011.csv": `${head}536366,22633,HAND WARMER CAF\u00c9,6,12/1/2010 8:28,1.85,17851,France\n`,
      "customers.csv": "customer_id,name,segment\n17850,Caf\u00e9 Rouge,Caf\u00e9s\n",
    });
    const { dataset, report } = await readDataset({ path: dir, preset: "online-retail", files: { orders: ["orders.csv", "orders-2011.csv"] } });
    expect(report.rejected).toBe(0);
    expect(report.warnings["not_utf8_read_as_windows-1252"]).toBe(1); // the first orders file only
    expect([...dataset.products.name].sort()).toEqual(["CAF\u00c9 MUG", "HAND WARMER CAF\u00c9"]);
    expect(dataset.customers.name[dataset.ids.customers.indexOf("17850")]).toBe("Caf\u00e9 Rouge");
    expect(dataset.ids.segments.values).toEqual(["Caf\u00e9s"]);
    // a customers file that is not UTF-8 is not read as windows-1252 on the orders file's account
    const bad = folder({
      "orders.csv": Buffer.from(`${head}536365,85123A,CAF\u00c9 MUG,6,12/1/2010 8:26,2.55,17850,United Kingdom\n`, "latin1"),
      "customers.csv": Buffer.from("customer_id,name\n17850,Caf\u00e9 Rouge\n", "latin1"),
    });
    expect((await failure(readDataset({ path: bad, preset: "online-retail" }))).code).toBe("INVALID_ENCODING");
  });

  it("online-retail preset: a rejected row's description and country make no product and no customer region", async () => {
    const i = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
      "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
      "536366,GHOST,GHOST ITEM,6,not a date,1.85,17999,Narnia\n";
    const { dataset, report } = await readDataset({ path: join(folder({ "Online Retail.csv": i }), "Online Retail.csv"), preset: "online-retail" });
    expect(report.rejected).toBe(1);
    expect(dataset.ids.products.values).toEqual(["85123A"]);
    expect(dataset.ids.customers.values).toEqual(["17850"]);
    expect(dataset.ids.regions.values).toEqual(["United Kingdom"]);
  });

  it("online-retail preset: a product without any description and a customer without a country are in the derived tables, not unknown (review 2026-12-06)", async () => {
    const i = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
      "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
      "536366,22633,,6,12/1/2010 8:28,1.85,17851,\n" +
      "536367,22633,HAND WARMER,6,12/2/2010 8:28,1.85,17851,\n";
    const { dataset, report } = await readDataset({ path: join(folder({ "Online Retail.csv": i }), "Online Retail.csv"), preset: "online-retail" });
    // (no master file was given: unknown_product / unknown_customer are for ids missing from one)
    expect(report.tables.orders?.warnings).not.toHaveProperty("unknown_product");
    expect(report.tables.orders?.warnings).not.toHaveProperty("unknown_customer");
    expect(report.tables.products?.rowsRead).toBe(2);
    expect(report.tables.customers?.rowsRead).toBe(2);
    // the earliest row's (none): a later row's name would let rows dated after an as-of day
    // change it (until 2026-12-06 any row's value beat none)
    const p = dataset.ids.products.values.indexOf("22633");
    expect(dataset.products.name[p]).toBeUndefined();
    const c = dataset.ids.customers.values.indexOf("17851");
    expect(dataset.customers.region[c]).toBe(-1);
  });

  it("online-retail preset: both date forms, credit notes kept, no-customer and non-product rows excluded and counted", async () => {
    const i = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
      "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
      "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n" +
      "C536379,22633,HAND WARMER UNION JACK,-1,12/1/2010 9:41,1.85,17850,United Kingdom\n" +
      "536370,POST,POSTAGE,3,12/1/2010 8:45,18,12583,France\n" +
      "536414,22139,,56,12/1/2010 11:52,0,,United Kingdom\n" +
      "536544,21773,DECORATIVE ROSE BATHROOM BOTTLE,1,12/1/2010 14:32,2.51,,United Kingdom\n" +
      "537197,22841,ROUND CAKE TIN VINTAGE GREEN,1,12/5/2010 14:02,0,12647,Germany\n";
    const { dataset, report } = await readDataset({ path: join(folder({ "Online Retail.csv": i }), "Online Retail.csv"), preset: "online-retail" });
    // a free line with a customer (price 0) is not a sale and not a data error here: excluded, counted
    expect(report.tables.orders).toMatchObject({ rowsRead: 7, accepted: 3, rejected: 0, excluded: 4, byReason: { no_customer: 2, non_product_code: 1, non_positive_price: 1 }, rejectedByReason: {} });
    expect(dataset.lines.length).toBe(3);
    expect([...dataset.lines.isReturn].filter(Boolean).length).toBe(1);
    expect(dataset.lines.day[0]).toBe(epochDay(2010, 12, 1));
    const p = dataset.ids.products.indexOf("22633");
    expect(dataset.products.name[p]).toBe("HAND WARMER UNION JACK");
    const c = dataset.ids.customers.indexOf("17850");
    expect(dataset.ids.regions.values[dataset.customers.region[c]!]).toBe("United Kingdom");
  });

  it("online-retail preset with decimal commas: a zero price ('0,00') is excluded as in the point-decimal file, not rejected", async () => {
    const i = "InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country\n" +
      "536365;85123A;WHITE HANGING HEART T-LIGHT HOLDER;6;12/1/2010 8:26;2,55;17850;United Kingdom\n" +
      "537197;22841;ROUND CAKE TIN VINTAGE GREEN;1;12/5/2010 14:02;0,00;12647;Germany\n";
    const { report } = await readDataset({ path: join(folder({ "Online Retail.csv": i }), "Online Retail.csv"), preset: "online-retail", decimalComma: true, strict: true });
    expect(report.tables.orders).toMatchObject({ rowsRead: 2, accepted: 1, rejected: 0, excluded: 1, byReason: { non_positive_price: 1 } });
  });

  it("online-retail preset: a stock code in lower case is the product of its upper-case code, counted as a warning", async () => {
    const i = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
      "536365,84997B,CHILDRENS CUTLERY RETROSPOT RED,4,12/1/2010 8:26,4.15,17850,United Kingdom\n" +
      "556366,84997b,RED 3 PIECE RETROSPOT CUTLERY SET,6,6/8/2011 10:12,3.75,17850,United Kingdom\n" +
      "556367,15056bl,EDWARDIAN PARASOL BLACK,2,6/8/2011 11:00,5.95,12583,France\n" +
      "556368,pads,PADS TO MATCH ALL CUSHIONS,1,6/8/2011 11:02,0.001,12583,France\n";
    const { dataset, report } = await readDataset({ path: join(folder({ "Online Retail.csv": i }), "Online Retail.csv"), preset: "online-retail" });
    expect(report.tables.orders).toMatchObject({ rowsRead: 4, accepted: 3, excluded: 1, byReason: { non_product_code: 1 } });
    expect(report.tables.orders?.warnings.product_id_upper_cased).toBe(2);
    expect([...dataset.ids.products.values]).toEqual(["15056BL", "84997B"]);
    // a rejected row's code is not counted (review 2026-12-06: counted before the row's outcome)
    const bad = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
      "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
      "536366,85123b,WHITE HANGING HEART,six,12/1/2010 8:28,2.55,17850,United Kingdom\n" +
      "536367,85123c,WHITE HANGING HEART,6,not a date,2.55,17850,United Kingdom\n";
    const rejected = (await readDataset({ path: join(folder({ "Online Retail.csv": bad }), "Online Retail.csv"), preset: "online-retail" })).report.tables.orders!;
    expect([rejected.accepted, rejected.rejected, rejected.warnings.product_id_upper_cased]).toEqual([1, 2, undefined]);
    // one row each: the smaller description names it
    expect(dataset.products.name[dataset.ids.products.indexOf("84997B")]).toBe("CHILDRENS CUTLERY RETROSPOT RED");
  });

  it("online-retail preset: a product's name and a customer's region are those of its earliest-dated row, whatever the rows' order or the rows dated after it", async () => {
    const rows = [
      "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,12370,Cyprus",
      "536366,85123A,CREAM HANGING HEART T-LIGHT HOLDER,6,12/2/2010 8:26,2.55,12370,Austria",
      "536367,85123A,CREAM HANGING HEART T-LIGHT HOLDER,6,12/3/2010 8:26,2.55,12370,Austria",
      "536368,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/4/2010 8:26,2.55,12371,Cyprus",
      "536369,85123A,ANOTHER NAME,6,12/5/2010 8:26,2.55,12371,Austria",
    ];
    const read = async (lines: string[]) => (await readDataset({ path: join(folder({ "Online Retail.csv": `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n${lines.join("\n")}\n` }), "Online Retail.csv"), preset: "online-retail" })).dataset;
    for (const lines of [rows, [...rows].reverse(), [rows[1]!, rows[0]!, rows[4]!, rows[3]!, rows[2]!]]) {
      const ds = await read(lines);
      const region = (id: string) => ds.ids.regions.values[ds.customers.region[ds.ids.customers.indexOf(id)]!];
      // the first day's: WHITE, Cyprus (12370's first row), Cyprus (12371's); until 2026-12-06 the
      // value on most rows (CREAM, Austria), which rows dated after an as-of day could change
      expect([ds.products.name[ds.ids.products.indexOf("85123A")], region("12370"), region("12371")]).toEqual(["WHITE HANGING HEART T-LIGHT HOLDER", "Cyprus", "Cyprus"]);
    }
    // two rows on the first day: the smaller value
    const tie = await read(["536365,85123A,B NAME,6,12/1/2010 8:26,2.55,12370,Malta", "536366,85123A,A NAME,6,12/1/2010 9:26,2.55,12370,Cyprus", "536367,85123A,0 NAME,6,12/2/2010 8:26,2.55,12370,Austria"]);
    expect([tie.products.name[0], tie.ids.regions.values[tie.customers.region[0]!]]).toEqual(["A NAME", "Cyprus"]);
    // an earliest row without a value keeps it empty: a later row cannot fill it in (review
    // 2026-12-06: a value beat none, so a row dated after an as-of day moved the revenue before
    // it to France); on the same day a value still beats none
    const empty = ["536365,85123A,,6,12/1/2010 8:26,2.55,12370,", "536366,85123A,,6,12/2/2010 8:26,2.55,12370,"];
    const later = "536367,85123A,WHITE HANGING HEART,6,12/20/2010 8:26,2.55,12370,France";
    for (const lines of [empty, [...empty, later], [later, ...empty]]) {
      const ds = await read(lines);
      expect([ds.products.name[0], ds.customers.region[0]]).toEqual([undefined, -1]);
    }
    const sameDay = await read(["536365,85123A,,6,12/1/2010 8:26,2.55,12370,", "536366,85123A,B NAME,6,12/1/2010 9:26,2.55,12370,Cyprus"]);
    expect([sameDay.products.name[0], sameDay.ids.regions.values[sameDay.customers.region[0]!]]).toEqual(["B NAME", "Cyprus"]);
  });

  it("online-retail preset: dates none of which tells d/m from m/d are read m/d/y, with the warning ambiguous_day_order", async () => {
    const head = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
    const read = async (body: string) => await readDataset({ path: join(folder({ "Online Retail.csv": head + body }), "Online Retail.csv"), preset: "online-retail" });
    const amb = await read("536365,A,X,6,01/12/2010 08:26,2.55,12370,UK\n536366,A,X,6,05/12/2010 08:26,2.55,12370,UK\n");
    expect(amb.report.tables.orders!.warnings["ambiguous_day_order"]).toBe(1);
    expect(Array.from(amb.dataset.lines.day, (d) => new Date(d * 86_400_000).toISOString().slice(0, 10))).toEqual(["2010-01-12", "2010-05-12"]);
    // a day above 12 decides (UK), and then no warning
    const uk = await read("536365,A,X,6,01/12/2010 08:26,2.55,12370,UK\n536366,A,X,6,20/12/2010 08:26,2.55,12370,UK\n");
    expect(uk.report.tables.orders!.warnings["ambiguous_day_order"]).toBeUndefined();
  });

  it("online-retail preset, Online Retail II as pandas writes it: Invoice / Price / 'Customer ID' as floats ('13085.0') read as the integer ids of Online Retail I", async () => {
    const ii = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n" +
      "489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom\n" +
      "489435,22350,CAT BOWL ,12,2009-12-01 07:46:00,2.55,13085.0,United Kingdom\n" +
      "489436,48173C,DOOR MAT BLACK FLOCK ,10,2009-12-01 09:06:00,5.95,13078.00,United Kingdom\n" +
      "489437,21523,DOORMAT FANCY FONT HOME SWEET HOME,10,2009-12-01 09:08:00,5.95,,United Kingdom\n" +
      "489438,21755,LOVE BUILDING BLOCK WORD,18,2009-12-01 09:24:00,5.45,12.5,United Kingdom\n";
    const { dataset, report } = await readDataset({ path: join(folder({ "online_retail_II.csv": ii }), "online_retail_II.csv"), preset: "online-retail" });
    expect(report.tables.orders).toMatchObject({ rowsRead: 5, accepted: 4, excluded: 1, byReason: { no_customer: 1 } });
    // an integral float loses its ".0"; anything else stays as written
    expect([...dataset.ids.customers.values]).toEqual(["12.5", "13078", "13085"]);
    expect(dataset.ids.regions.values[dataset.customers.region[dataset.ids.customers.indexOf("13085")]!]).toBe("United Kingdom");
  });

  it("reports missing paths and folders without orders", async () => {
    expect((await failure(readDataset({ path: "/nonexistent/orderpulse" }))).code).toBe("FILE_NOT_FOUND");
    expect((await failure(readDataset({ path: folder({ "customers.csv": "customer_id\nC1\n" }) }))).code).toBe("FILE_NOT_FOUND");
    expect((await failure(readDataset({ path: folder({}), encoding: "klingon" } as never))).code).toBe("FILE_NOT_FOUND");
    const dir = folder({ "orders.csv": `${HEADER}\nA,2026-01-05,C1,P1,1,2\n` });
    expect((await failure(readDataset({ path: dir, encoding: "klingon" }))).code).toBe("UNSUPPORTED_ENCODING");
    expect((await failure(readDataset({ path: dir, map: { nope: "x" } }))).code).toBe("INVALID_OPTION");
    // a table prefix naming an Object.prototype property, and a key with two dots (was ignored)
    for (const key of ["constructor.name", "toString.x", "orders.order_id.typo"]) {
      expect((await failure(readDataset({ path: dir, map: { [key]: "x" } }))).code, key).toBe("INVALID_OPTION");
    }
    // a delimiter papaparse cannot use (it read the file with "," instead, or failed on a missing column)
    for (const delimiter of ['"', "\n", "\r", "\uFEFF"]) {
      const e = await failure(readDataset({ path: dir, delimiter }));
      expect([e.code, (e as { details?: { option?: string } }).details?.option], JSON.stringify(delimiter)).toEqual(["INVALID_OPTION", "delimiter"]);
    }
  });
});

describe("readDataset with several orders files", () => {
  it("reads a list of files into one table; rejected rows name their file; keys replace across files", async () => {
    const dir = folder({
      "orders-2025.csv": `${HEADER},line_id\nA,2025-12-30,C1,P1,1,2,1\nB,2025-12-31,C1,P1,x,2,1\n`,
      "orders-2026.csv": `${HEADER},line_id\nA,2025-12-30,C1,P1,4,2,1\nC,2026-01-02,C2,P1,1,2,1\n`,
    });
    const { dataset, report } = await readDataset({ path: dir, files: { orders: ["orders-2025.csv", "orders-2026.csv"] } });
    expect(dataset.lines.length).toBe(2);
    expect([...dataset.lines.quantity]).toEqual([4, 1]);
    expect(report.tables.orders).toMatchObject({ file: "orders-2025.csv, orders-2026.csv", rowsRead: 4, accepted: 3, rejected: 1, replaced: 1 });
    expect(report.rejectedRows[0]).toMatchObject({ file: "orders-2025.csv", line: 3 });
    await expect(readDataset({ path: dir, files: { orders: ["orders-2025.csv", "nope.csv"] } })).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
  });
});

describe("readDataset: the papaparse path reads line breaks and delimiters as the file has them (a fuzz review, 2026-12-07)", () => {
  const read = async (text: string) => {
    const dir = tempDir("op-breaks-");
    writeFileSync(join(dir, "orders.csv"), text);
    const r = await readDataset({ path: dir });
    return { lines: r.dataset.lines.length, rowsRead: r.report.rowsRead, quantity: Array.from(r.dataset.lines.quantity) };
  };
  it("a header ending in CR CR LF over CRLF rows (Python's csv.writer on Windows): every row, on both paths", async () => {
    const H = "order_id,order_date,customer_id,product_id,quantity,unit_price";
    const R = ["A1,2026-01-05,C1,P1,1,2", "A2,2026-01-06,C2,P1,1,3", "A3,2026-01-07,C3,P2,2,4"];
    const fast = await read(`${H}\r\r\n${R.join("\r\n")}\r\n`);
    const quoted = await read(`${H}\r\r\n${[R[0], R[1], R[2]!.replace("C3", '"C3"')].join("\r\n")}\r\n`); // a quote: the papaparse path
    expect(fast).toMatchObject({ lines: 3, rowsRead: 3 });
    expect(quoted).toEqual(fast);
  });
  it("a tab file with a CRLF header and an LF row, values with commas: tab on both paths (the papaparse path guessed ',' on the rewritten text: MISSING_COLUMN)", async () => {
    const H = ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price", "line_id", "unit_cost", "list_price", "rep_id", "channel", "currency"].join("\t");
    const R = ["A1", "2026-01-05", "C1", "P1", "1,000", "2,345.50", "1", "1,200.00", "", "R1", "web", "USD"].join("\t");
    const fast = await read(`${H}\r\n${R}\n`);
    expect(fast).toEqual({ lines: 1, rowsRead: 1, quantity: [1000] });
    expect(await read(`${H}\r\n${R.replace("web", '"web"')}\n`)).toEqual(fast);
  });
});

describe("readDataset: files below the folder, and maps of tables not read (review 2026-12-07)", () => {
  const orders = "order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2026-01-05,C1,P,1,2\n";
  it("files names a path relative to the folder (or an absolute one): it read 'no file sub/orders.csv'", async () => {
    const dir = tempDir("op-sub-");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "orders.csv"), orders);
    for (const name of ["sub/orders.csv", "./sub/orders.csv", join(dir, "sub", "orders.csv")]) {
      expect((await readDataset({ path: dir, files: { orders: name } })).dataset.lines.day.length).toBe(1);
    }
    await expect(readDataset({ path: dir, files: { orders: "sub/nope.csv" } })).rejects.toMatchObject({ code: "FILE_NOT_FOUND", message: `${dir}: no file sub/nope.csv (files.orders)` });
  });

  it("a mapped column of a table no file is read for is INVALID_OPTION (it was dropped without a word)", async () => {
    const dir = tempDir("op-map-");
    writeFileSync(join(dir, "orders.csv"), orders);
    await expect(readDataset({ path: dir, map: { "customers.segment": "Branch" } })).rejects.toMatchObject({ code: "INVALID_OPTION", message: `map key customers.segment: no customers file is read (no customers.csv in ${dir} (or files.customers))` });
    await expect(readDataset({ path: join(dir, "orders.csv"), map: { "products.family": "Fam" } })).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "map", value: "products.family" } });
    // a table that is read takes its map as before
    writeFileSync(join(dir, "customers.csv"), "customer_id,Branch\nC1,north\n");
    const { dataset } = await readDataset({ path: dir, map: { "customers.segment": "Branch" } });
    expect(dataset.ids.segments.values).toEqual(["north"]);
  });
});

describe("readDataset: files whose first bytes say what they are (review 2026-12-07)", () => {
  const text = "order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2026-01-05,C1,Caf\u00e9,1,2\n2,2026-01-06,C2,P,3,4\n";
  const utf16be = (s: string): Buffer => {
    const le = Buffer.from(s, "utf16le");
    for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
    return le;
  };
  it("a UTF-16 file with its byte order mark is read as UTF-16, whatever encoding was asked (it stopped with 'not valid utf-8; pass windows-1255')", async () => {
    const dir = tempDir("op-utf16-");
    writeFileSync(join(dir, "le.csv"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    writeFileSync(join(dir, "be.csv"), Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]));
    for (const f of ["le.csv", "be.csv"]) {
      for (const encoding of [undefined, "windows-1255"]) {
        const { dataset } = await readDataset({ path: join(dir, f), ...(encoding ? { encoding } : {}) });
        expect(dataset.ids.products.values).toEqual(["Caf\u00e9", "P"]);
      }
    }
    // the online-retail preset reads it too, without its windows-1252 fallback
    const retail = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n536365,85123A,HEART \u00a3,6,12/1/2010 8:26,2.55,17850,United Kingdom\n";
    writeFileSync(join(dir, "retail.csv"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(retail, "utf16le")]));
    const r = await readDataset({ path: join(dir, "retail.csv"), preset: "online-retail" });
    expect(r.dataset.products.name).toEqual(["HEART \u00a3"]);
    expect(Object.keys(r.report.tables.orders!.warnings).some((k) => k.startsWith("not_utf8"))).toBe(false);
  });

  it("an .xlsx workbook or a gzip file is named as such, not given an encoding hint", async () => {
    const dir = tempDir("op-bin-");
    writeFileSync(join(dir, "orders.xlsx"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xff, 0xfe]));
    writeFileSync(join(dir, "orders.csv.gz"), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff, 0xfe, 0x80]));
    await expect(readDataset({ path: join(dir, "orders.xlsx") })).rejects.toMatchObject({ code: "INVALID_ENCODING", message: expect.stringContaining("not CSV text but a ZIP archive (an Excel .xlsx workbook is one)") });
    await expect(readDataset({ path: join(dir, "orders.csv.gz") })).rejects.toMatchObject({ code: "INVALID_ENCODING", message: expect.stringContaining("not CSV text but a gzip-compressed file") });
  });
});

describe("readDataset: a folder without orders.csv names a file like it (review 2026-12-07)", () => {
  it("orders.tsv beside no orders.csv: named in the error", async () => {
    const dir = tempDir("op-near-");
    writeFileSync(join(dir, "orders.tsv"), "order_id\torder_date\tcustomer_id\tproduct_id\tquantity\tunit_price\n1\t2026-01-05\tC\tP\t1\t2\n");
    await expect(readDataset({ path: dir })).rejects.toMatchObject({ code: "FILE_NOT_FOUND", message: `${dir}: no orders.csv in this folder (there is orders.tsv: pass that file itself as the path, --data in the CLI, or name it with files: { orders: "orders.tsv" })` });
    expect((await readDataset({ path: dir, files: { orders: "orders.tsv" } })).dataset.lines.day.length).toBe(1);
    const empty = tempDir("op-none-");
    await expect(readDataset({ path: empty })).rejects.toMatchObject({ message: `${empty}: no orders.csv in this folder` });
  });
});
