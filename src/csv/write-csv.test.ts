import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCsv } from "./write-csv.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "orderpulse-write-csv-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeCsv", () => {
  it("writes a header, quotes where needed and ends with a newline", async () => {
    const file = join(dir, "a.csv");
    const rows = [
      { id: 1, name: 'Dana "D", North', price: 12.5, active: true, note: null },
      { id: 2, name: "line\nbreak", price: -3 },
    ];
    expect(await writeCsv(file, rows, { headers: ["id", "name", "price", "active", "note"] })).toBe(2);
    expect(await readFile(file, "utf8")).toBe('id,name,price,active,note\n1,"Dana ""D"", North",12.5,true,\n2,"line\nbreak",-3,,\n');
  });

  it("defaults the headers to the first row's keys and reads async iterables", async () => {
    const file = join(dir, "b.csv");
    async function* rows(): AsyncGenerator<object> {
      yield { a: 1, b: new Date(Date.UTC(2026, 0, 2)) };
      yield { a: 2, b: new Date(Date.UTC(2026, 0, 2, 5, 30)), c: "ignored" };
    }
    expect(await writeCsv(file, rows())).toBe(2);
    expect(await readFile(file, "utf8")).toBe("a,b\n1,2026-01-02\n2,2026-01-02T05:30:00.000Z\n");
  });

  it("writes only the header for no rows, and an empty file without headers", async () => {
    const file = join(dir, "c.csv");
    expect(await writeCsv(file, [], { headers: ["x", "y"] })).toBe(0);
    expect(await readFile(file, "utf8")).toBe("x,y\n");
    expect(await writeCsv(file, [])).toBe(0);
    expect(await readFile(file, "utf8")).toBe("");
  });

  it("streams many rows with back-pressure", async () => {
    const file = join(dir, "d.csv");
    function* rows(): Generator<object> {
      for (let i = 0; i < 50_000; i++) yield { i, s: `row ${i}` };
    }
    expect(await writeCsv(file, rows(), { headers: ["i", "s"] })).toBe(50_000);
    const text = await readFile(file, "utf8");
    const lines = text.split("\n");
    expect(lines.length).toBe(50_002);
    expect(lines[50_000]).toBe("49999,row 49999");
  });

  it("finishes when an async source pauses while the stream drains (the drain is not missed)", async () => {
    // rows come without I/O but for one 5 ms pause before row k (a cursor fetching its next page):
    // for a k right after a full write, 'drain' fires during the pause; waiting for it then hung
    async function* rows(k: number): AsyncGenerator<object> {
      for (let i = 0; i < 1000; i++) {
        if (i === k) await new Promise((r) => setTimeout(r, 5));
        yield { order_id: `A${i}`, note: "x".repeat(200) };
      }
    }
    for (let k = 150; k <= 260; k++) {
      const done = writeCsv(join(dir, `pause-${k}.csv`), rows(k));
      const result = await Promise.race([done, new Promise<string>((r) => setTimeout(() => r(`k=${k} hung`), 2000))]);
      expect(result).toBe(1000);
    }
  }, 60_000);

  it("throws IO_ERROR when the file cannot be written and INVALID_OPTION for bad options", async () => {
    await expect(writeCsv(join(dir, "missing", "x.csv"), [{ a: 1 }])).rejects.toMatchObject({ code: "IO_ERROR" });
    await expect(writeCsv("", [{ a: 1 }])).rejects.toMatchObject({ code: "INVALID_OPTION" });
    await expect(writeCsv(join(dir, "e.csv"), [{ a: 1 }], { headers: [1 as unknown as string] })).rejects.toMatchObject({
      code: "INVALID_OPTION",
    });
  });

  it("writes an invalid Date as an empty cell, keeps the day of years beyond 9999, and reads only a row's own values", async () => {
    const file = join(dir, "g.csv");
    const rows = [
      { id: "A", when: new Date(Number.NaN) },
      { id: "B", when: new Date(Date.UTC(10000, 0, 15)) },
      { id: "C", when: new Date(Date.UTC(-1, 5, 1)) },
    ];
    expect(await writeCsv(file, rows, { headers: ["id", "when", "constructor", "toString", "__proto__"] })).toBe(3);
    expect(await readFile(file, "utf8")).toBe("id,when,constructor,toString,__proto__\nA,,,,\nB,+010000-01-15,,,\nC,-000001-06-01,,,\n");
    // a row that has such a name itself gives it; an array row gives its cells by position
    await writeCsv(file, [{ constructor: "own", toString: 1 }, ["x", "y"]], { headers: ["constructor", "toString"] });
    expect(await readFile(file, "utf8")).toBe("constructor,toString\nown,1\nx,y\n");
  });

  it("bom: starts with a UTF-8 byte order mark (Excel reads Hebrew right), also in an empty file", async () => {
    const file = join(dir, "h.csv");
    await writeCsv(file, [{ customer_id: "C1", name: "קפה הגליל" }], { bom: true });
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe("customer_id,name\nC1,קפה הגליל\n");
    await writeCsv(file, [], { bom: true });
    expect([...(await readFile(file))]).toEqual([0xef, 0xbb, 0xbf]);
    // a header and no row keeps it too (self-review 2026-12-07: fast-csv left it out)
    await writeCsv(file, [], { headers: ["a", "b"], bom: true });
    expect((await readFile(file, "utf8"))).toBe("\uFEFFa,b\n");
    await writeCsv(file, [{ a: 1 }]);
    expect((await readFile(file, "utf8")).charCodeAt(0)).toBe(97);
  });

  it("escapeFormulas: text that starts like a formula gets a leading ' (CSV injection); numbers and other text stay", async () => {
    const file = join(dir, "i.csv");
    const rows = [
      { name: "=HYPERLINK(\"http://x\",\"y\")", qty: -6, note: "+972-3-555" },
      { name: "@SUM(A1)", qty: 2, note: "-" },
      { name: "\tcmd", qty: 0, note: "\rx" },
      { name: "Cafe = good", qty: 1, note: "" },
    ];
    await writeCsv(file, rows, { escapeFormulas: true });
    expect(await readFile(file, "utf8")).toBe('name,qty,note\n"\'=HYPERLINK(""http://x"",""y"")",-6,\'+972-3-555\n\'@SUM(A1),2,\'-\n\'\tcmd,0,"\'\rx"\nCafe = good,1,\n');
    await writeCsv(file, rows.slice(1, 2));
    expect(await readFile(file, "utf8")).toBe("name,qty,note\n@SUM(A1),2,-\n");
    await expect(writeCsv(file, rows, { bom: 1 as unknown as boolean })).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "bom" } });
    await expect(writeCsv(file, rows, { escapeFormulas: "yes" as unknown as boolean })).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "escapeFormulas" } });
  });

  it("escapeFormulas escapes the header's cells too; the rows are found by the names as given (review 2026-12-07)", async () => {
    const file = join(dir, "h.csv");
    await writeCsv(file, [{ customer: "C1", "=HYPERLINK(\"x\")": 5, "@SUM(1)": "=1+1" }], { escapeFormulas: true });
    expect(await readFile(file, "utf8")).toBe('customer,"\'=HYPERLINK(""x"")",\'@SUM(1)\nC1,5,\'=1+1\n');
  });

  it("without headers, a first row with no keys is INVALID_OPTION (review 2026-12-07: the rows after it were written as empty lines)", async () => {
    const file = join(dir, "e.csv");
    await expect(writeCsv(file, [{}, { a: 1, b: 2 }])).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "headers" } });
    expect(await writeCsv(file, [{}, { a: 1, b: 2 }], { headers: ["a", "b"] })).toBe(2);
    expect(await readFile(file, "utf8")).toBe("a,b\n,\n1,2\n");
  });

  it("passes errors of the row source through", async () => {
    function* rows(): Generator<object> {
      yield { a: 1 };
      throw new Error("source broke");
    }
    await expect(writeCsv(join(dir, "f.csv"), rows())).rejects.toThrow("source broke");
  });
});
