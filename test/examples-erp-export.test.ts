import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// examples/erp-export: a windows-1255 export with Hebrew column names, dd/mm/yyyy dates, decimal
// commas and `;`, read with the CLI (run.sh, built dist) and with readDataset (read.mjs).
const root = join(import.meta.dirname, "..");
const dir = join(root, "examples", "erp-export");
const FILES = ["orders.csv", "customers.csv", "products.csv"];
const env = { ...process.env, NO_COLOR: "1" };

describe("examples/erp-export", () => {
  it("the committed files are real windows-1255 (not UTF-8), with Hebrew headers, and what make-export.mjs writes", () => {
    const bytes = readFileSync(join(dir, "data", "orders.csv"));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const text = new TextDecoder("windows-1255").decode(bytes);
    expect(text.split("\r\n")[0]).toBe("מספר חשבונית;שורה;תאריך;קוד לקוח;קוד פריט;תיאור פריט;כמות;מחיר נטו;עלות;סכום שורה;סוכן");
    expect(text).toMatch(/;04\/01\/2026;/); // dd/mm/yyyy
    expect(text).toMatch(/;4\.650,00;/); // decimal comma with grouping
    expect(bytes.includes(0xe0)).toBe(true); // א in windows-1255
    const out = mkdtempSync(join(tmpdir(), "orderpulse-erp-"));
    try {
      execFileSync(process.execPath, [join(dir, "make-export.mjs"), out], { encoding: "utf8" });
      for (const f of FILES) expect(readFileSync(join(out, f)).equals(readFileSync(join(dir, "data", f))), f).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("run.sh reads it with --map, --date-format, --decimal-comma, --encoding: nothing rejected, Hebrew names come through", () => {
    const out = execFileSync("bash", [join(dir, "run.sh")], { cwd: root, encoding: "utf8", env });
    // ingest: every row of every file accepted
    expect(out).toMatch(/^rows read ([\d,]+) = accepted \1 \+ rejected 0 \+ excluded 0; replaced 0; order lines 1,149$/m);
    for (const f of FILES) expect(out).toMatch(new RegExp(`^  ${f.replace(".", "\\.")} +read ([\\d,]+), accepted \\1, rejected 0, excluded 0`, "m"));
    expect(out).toMatch(/warnings: return_lines 1/); // the credit note's negative quantity
    expect(out).toMatch(/8 customers, 12 products, 2026-01-02 \.\. 2026-10-30/); // dd/mm/yyyy read day-first
    // KPIs per Hebrew segment, three months each
    for (const segment of ["מסעדות", "בתי קפה", "בתי מלון", "מכולות", "מוסדות"]) {
      // (the Hebrew segment isolated, U+2068 … U+2069, by the table: review 2026-12-06)
      expect(out.split("\n").filter((l) => new RegExp(`^2026-(08|09|10) +\u2068${segment}\u2069 +[\\d,]+ `).test(l))).toHaveLength(3);
    }
    // the customer card: Hebrew name and segment, a signal message in Hebrew
    // (the name isolated, U+2068 … U+2069: a right-to-left name must not reorder the line after it)
    expect(out).toMatch(/^customer 20004 \(\u2068מכולת השכונה\u2069\) as of 2026-10-31$/m);
    expect(out).toMatch(/rep 13, segment \u2068מכולות\u2069/);
    expect(out).toMatch(/customer_overdue .* ימים/);
    // decimal comma: prices are read as 18.99, not 1899
    expect(out).toMatch(/\u2068מפיות 500 יח'\u2069: \d+ x \d+\.\d\d \(list 19\.90\)/);
  }, 30_000);

  it("read.mjs reads the same export with readDataset and prints Hebrew customer names", () => {
    const out = execFileSync(process.execPath, [join(dir, "read.mjs")], { cwd: root, encoding: "utf8", env });
    expect(out).toMatch(/^read 1149 order lines, 0 rejected, currency ILS$/m);
    const rows = out.split("\n").filter((l) => l.startsWith("2026-10 "));
    expect(rows).toHaveLength(8);
    expect(rows).toContain("2026-10 20004 מכולת השכונה: 0.00 ILS");
    expect(rows.some((l) => /^2026-10 20002 קפה נחת: \d+\.\d\d ILS$/.test(l))).toBe(true);
  }, 30_000);
});
