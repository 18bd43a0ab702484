import { describe, expect, it } from "vitest";
import { formatKpiTables } from "./format-kpis.ts";
import { alignedTable, pct } from "./table.ts";

describe("alignedTable", () => {
  it("aligns labels left and numbers right, trailing spaces trimmed", () => {
    expect(alignedTable(["name", "n"], [["a", "1"], ["bbb", "22"]])).toEqual(["name   n", "a      1", "bbb   22"]);
  });

  it("a line break or tab inside a cell is one space: the row stays one line and its columns aligned (review 2026-12-07)", () => {
    expect(alignedTable(["name", "n"], [["North\nBranch", "1"], ["tab\there", "22"], ["a\r\nb\u2028c", "3"]])).toEqual(["name           n", "North Branch   1", "tab here      22", "a b c          3"]);
  });

  it("200,000 rows: no call-stack overflow (widths and lines by loops, not spread arguments)", () => {
    // until 2026-12-06 Math.max(...one argument a row) threw RangeError past about 120,000 rows
    const body = Array.from({ length: 200_000 }, (_, i) => [`C${i}`, String(i)]);
    const lines = alignedTable(["customer", "value"], body);
    expect(lines.length).toBe(200_001);
    expect(lines[200_000]).toBe("C199999   199999");
  });
});

describe("formatKpiTables", () => {
  it("a 200,000-row KPI table prints (no push(...lines))", () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ kpi: "active_customers", period: "2026-W48", start: "2026-11-23", end: "2026-11-29", partial: false, key: `C${i}`, value: 1, previous: undefined, change: undefined, changePct: undefined, yearAgo: undefined, changeVsYearAgo: undefined, changeVsYearAgoPct: undefined, slope: undefined }));
    const text = formatKpiTables({ asOf: "2026-11-29", by: "customer", periods: { active_customers: "week" }, kpis: { active_customers: rows } });
    expect(text.split("\n").length).toBeGreaterThan(200_000);
  });
});

describe("alignedTable and isolated names", () => {
  it("the invisible bidi marks of an isolated name take no column", () => {
    const rows = alignedTable(["who", "n"], [["\u2068לקוח\u2069", "1"], ["abcd", "22"]]);
    expect(rows.map((r) => r.replace(/[\u2066-\u2069]/g, ""))).toEqual(["who    n", "לקוח   1", "abcd  22"]);
  });
});

describe("alignedTable and Hebrew cells (review 2026-12-06)", () => {
  it("a Hebrew cell is isolated by the table itself, so a bidi-aware terminal cannot carry the numbers after it into its run", () => {
    // the KPI, report, similar and explain tables passed their names bare
    const [, he, en] = alignedTable(["segment", "revenue", "change"], [["בתי מלון", "13,534", "-25.2%"], ["cafes", "3,112", "+112.1%"]]);
    expect(he).toBe("\u2068בתי מלון\u2069   13,534   -25.2%");
    expect(en).toBe("cafes       3,112  +112.1%");
    // an already isolated cell is not wrapped again
    expect(alignedTable(["who"], [["\u2068לקוח\u2069"]])[1]).toBe("\u2068לקוח\u2069");
  });
  it("Hebrew points (niqqud) and other combining marks take no column; CJK and emoji two (East Asian wide)", () => {
    const name = "מִסְעָדַת הַשָּׁלוֹם"; // 10 letters and a space under 10 points
    const rows = alignedTable(["customer", "revenue", "share"], [[name, "1,200", "0.50"], ["C00001", "12,345", "0.25"], ["😀", "1", "1"], ["東京商事", "7", "0.1"]]);
    const width = (r: string): number => [...r.replace(/[\u2066-\u2069\p{Mn}]/gu, "")].reduce((n, ch) => n + (/[\u{1F300}-\u{1F64F}\u4e00-\u9fff]/u.test(ch) ? 2 : 1), 0);
    expect(rows.map(width)).toEqual(rows.map(() => rows[0]!.length));
  });

  it("pct rounds the decimal value half away from zero, as the briefs' percent format (review 2026-12-07: 0.0115 read 1.1% beside the brief's 1.2%)", () => {
    expect([pct(0.0115), pct(23 / 2000), pct(0.0015), pct(0.0095), pct(-0.0115), pct(-1e-9), pct(-0), pct(12.345), pct(undefined)]).toEqual(["1.2%", "1.2%", "0.2%", "1.0%", "-1.2%", "0.0%", "0.0%", "1234.5%", "–"]);
  });
});
