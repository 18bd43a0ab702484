import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../test/support/cli.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { explainKpiChange } from "../kpi/explain-kpi-change.ts";
import { formatExplanation } from "./format-explain.ts";
import { formatKpiChange } from "./format-kpis.ts";
import type { KpiRowWithTrend } from "../kpi/kpi-trend.ts";
import { tempDir } from "../../test/support/temp-dir.ts";
import { utcDay, writeLastNightExport } from "../../test/support/last-night-export.ts";

const fixture = join(import.meta.dirname, "..", "..", "test", "fixtures", "kpi20");


describe("orderpulse kpis", () => {
  it("prints aligned tables with trend arrows", async () => {
    const r = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--period", "month", "--periods", "2", "--kpi", "revenue", "--by", "rep");
    expect(r.code).toBe(0);
    expect(r.out).toContain("revenue (month)");
    expect(r.out).toMatch(/2026-02\s+R1\s+138\.5\s+▼ -56\.3%/);
  });

  it("a period that ends before the data begin reads '–', not revenue 0 (review 2026-12-07: 'revenue 0 from Nov to Jul' for a 3-month export)", async () => {
    // kpi20 begins in November 2025: September and October are before it
    const r = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--period", "month", "--periods", "6", "--kpi", "revenue");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2025-09\*\s+–/);
    expect(r.out).toMatch(/2025-10\*\s+–/);
    expect(r.out).toMatch(/2025-11\*\s+48/);
    expect(r.out).toContain("– no data: the period ends before the data begin (2025-11-");
    const json = JSON.parse((await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--period", "month", "--periods", "6", "--kpi", "revenue", "--json")).out) as { kpis: { revenue: { period: string; value: number }[] } };
    expect(json.kpis.revenue.find((x) => x.period === "2025-10")?.value).toBe(0); // the library's own value
  });

  it("the period in progress: compared like for like, its days named in the title; censored rates marked and not compared", async () => {
    const r = await cli("kpis", "--data", fixture, "--as-of", "2026-02-14", "--period", "month", "--periods", "2", "--kpi", "revenue", "--kpi", "repurchase_rate");
    expect(r.code).toBe(0);
    expect(r.out).toContain("revenue (month; 2026-02 so far: 14 days, compared with the same days of the months before)");
    expect(r.out).toMatch(/2026-02\*\s+192\.5\s+▼ -42\.9%/); // 192.5 against January 1-14's 337
    expect(r.out).toMatch(/2026-02\*†\s+[\d.]+%\s*\n/); // open windows: no arrow
    expect(r.out).toContain("† windows still open at the as-of date: a lower bound, not compared");
    const fy = await cli("kpis", "--data", fixture, "--as-of", "2026-02-14", "--period", "fiscal", "--fiscal-start", "7", "--periods", "1", "--kpi", "revenue");
    expect(fy.out).toContain("revenue (fiscal; FY2026 so far: 229 days, compared with the same days of the fiscal years before)");
  });

  it("as of today (the default --as-of for live data) today is in progress: no data yet by day, not 0 and −100 %", async () => {
    const dir = tempDir("orderpulse-kpis-today-");
    const day = utcDay;
    for (;;) {
      // an export of last night: orders every day up to yesterday (UTC, the CLI's default time zone)
      const now = Date.now();
      writeLastNightExport(dir, now);
      const r = await cli("kpis", "--data", dir, "--period", "day", "--periods", "2", "--kpi", "revenue", "--quiet");
      const explicit = await cli("kpis", "--data", dir, "--as-of", day(now), "--period", "day", "--periods", "2", "--kpi", "revenue", "--json");
      if (day(Date.now()) !== day(now)) continue; // midnight passed while it ran
      expect(r.code).toBe(0);
      expect(r.out).toContain(`revenue (day; ${day(now)}: no data yet, not compared)`);
      expect(r.out).not.toContain("-100");
      const today = (JSON.parse(explicit.out) as { kpis: { revenue: KpiRowWithTrend[] } }).kpis.revenue[1]!;
      expect(today).toMatchObject({ period: day(now), partial: true, toDateDays: 0 });
      expect(today.change).toBeUndefined();
      break;
    }
  });

  it("--from / --to without --explain are a usage error (review 2026-12-07: ignored, the default series printed)", async () => {
    const r = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--kpi", "revenue", "--from", "2026-01", "--to", "2026-02");
    expect([r.code, r.err]).toEqual([2, expect.stringContaining("--from and --to name the two periods of --explain")]);
  });

  it("--kpi takes a comma list; a rate's change is in percentage points (as in the briefs), not relative", async () => {
    const r = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--period", "month", "--periods", "2", "--kpi", "revenue,margin");
    expect(r.code).toBe(0);
    expect(r.out).toContain("revenue (month)");
    expect(r.out).toContain("margin (month)");
    const m = /2026-02\s+([\d.]+)%\s+([▲▼=]) ([+-][\d.]+) pp/.exec(r.out.slice(r.out.indexOf("margin (month)")));
    const jan = /2026-01\s+([\d.]+)%/.exec(r.out.slice(r.out.indexOf("margin (month)")));
    expect(m).not.toBeNull();
    expect(Number(m![3])).toBeCloseTo(Number(m![1]) - Number(jan![1]), 0);
    expect(r.out).toContain("pp: percentage points");
    expect(r.out).not.toContain("* partial period"); // no row is partial
  });

  it("churn_rate: by count and by revenue side by side", async () => {
    const r = await cli("kpis", "--data", fixture, "--as-of", "2026-03-31", "--period", "month", "--periods", "2", "--kpi", "churn_rate");
    expect(r.code).toBe(0);
    const json = await cli("kpis", "--data", fixture, "--as-of", "2026-03-31", "--period", "month", "--periods", "2", "--kpi", "churn_rate", "--json");
    const rows = (JSON.parse(json.out) as { kpis: { churn_rate: { period: string; value: number; revenueRate: number }[] } }).kpis.churn_rate;
    expect(r.out).toMatch(/period\s+churn_rate\s+by revenue\s+vs prev/);
    for (const row of rows) expect(r.out).toMatch(new RegExp(`${row.period}\\S*\\s+${(row.value * 100).toFixed(1)}%\\s+${(row.revenueRate * 100).toFixed(1)}%`));
  });

  it("--json is one document; --csv one row per KPI, period and group", async () => {
    const j = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--period", "month", "--periods", "2", "--json");
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.out);
    expect(doc.kpis.gross_profit.map((r: { value: number }) => r.value)).toEqual([154, 86]);
    const c = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--period", "month", "--periods", "2", "--kpi", "revenue", "--csv");
    const lines = c.out.trim().split("\n");
    expect(lines[0]).toBe("kpi,period,start,end,partial,key,value,numerator,denominator,previous,change,change_pct,year_ago,change_vs_year_ago,slope,to_date_days,censored,revenue_rate,due,revenue_rate_partial,change_vs_year_ago_pct");
    expect(lines[2]).toMatch(/^revenue,2026-02,2026-02-01,2026-02-28,false,,291,,,484,-193,/);
  });

  it("--csv has the year-ago change in percent, as the table and --json (review 2026-12-07: only the difference)", async () => {
    const dir = tempDir("op-yoy-");
    writeFileSync(join(dir, "orders.csv"), "order_id,order_date,customer_id,product_id,quantity,unit_price\nZ,2025-01-06,C1,P,1,10\nA,2025-02-10,C1,P,1,100\nB,2026-02-10,C1,P,1,150\n");
    const c = await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--period", "month", "--periods", "13", "--kpi", "revenue", "--csv");
    const lines = c.out.trim().split("\n");
    const [head, row] = [lines[0], lines[lines.length - 1]];
    const cells = Object.fromEntries(head!.split(",").map((k, i) => [k, row!.split(",")[i]]));
    expect([cells["year_ago"], cells["change_vs_year_ago"], cells["change_vs_year_ago_pct"]]).toEqual(["100", "50", "0.5"]);
  });

  it("usage errors exit 2", async () => {
    for (const argv of [["--period", "fortnight"], ["--by", "planet"], ["--json", "--csv"], ["--week-start", "tue"], ["--fiscal-start", "13"], ["--kpi", "nope"], ["--kpi", ","], ["--kpi", ",", "--csv"], ["--kpi", " "]]) {
      const r = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", ...argv);
      expect(r.code, argv.join(" ")).toBe(2);
    }
    // --as-of is checked and named (not a generic date error), and normalized
    const bad = await cli("kpis", "--data", fixture, "--as-of", "garbage");
    expect([bad.code, bad.err]).toEqual([2, "orderpulse: --as-of must be a YYYY-MM-DD date, got garbage\n"]);
    expect(JSON.parse((await cli("kpis", "--data", fixture, "--as-of", " 2026-02-28", "--kpi", "revenue", "--json")).out).asOf).toBe("2026-02-28");
    // the messages name the flags (not computeKpis' option or readDataset's dateFormat), and --kpi's list names the reports too
    const kpi = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--kpi", "nope");
    expect(kpi.err).toMatch(/^orderpulse: --kpi: unknown KPI nope \(known: active_customers, .*, churn_profile, white_space, customer_profitability, target_progress, order_pace\)\n$/);
    const fmt = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--date-format", "xyz");
    expect([fmt.code, fmt.err]).toEqual([2, "orderpulse: --date-format: dateFormat must be auto, iso, dmy, mdy, ymd or a pattern of yyyy (or yy), MM (or M) and dd (or d) with one separator among - / . (or yyyyMMdd), then an optional time after a space or T; got xyz\n"]);
  });

  it("--csv --excel: a UTF-8 BOM and formula-like text prefixed with ' (CSV injection); numbers untouched", async () => {
    const dir = tempDir("orderpulse-kpis-excel-");
    writeFileSync(join(dir, "orders.csv"), "order_id,order_date,customer_id,product_id,quantity,unit_price\nA,2026-02-02,C1,P1,-6,10\nB,2026-02-03,C2,P1,2,10\n");
    writeFileSync(join(dir, "customers.csv"), 'customer_id,segment\nC1,"=HYPERLINK(""http://x"",""y"")"\nC2,בתי קפה\n');
    const args = ["kpis", "--data", dir, "--as-of", "2026-02-28", "--period", "month", "--periods", "1", "--kpi", "revenue", "--by", "segment", "--csv"];
    const plain = await cli(...args);
    expect(plain.code).toBe(0);
    expect(plain.out.charCodeAt(0)).toBe(107); // "k": no BOM
    expect(plain.out).toContain('\nrevenue,2026-02,2026-02-01,2026-02-28,true,"=HYPERLINK(""http://x"",""y"")",-60,');
    const excel = await cli(...args, "--excel");
    expect(excel.code).toBe(0);
    expect(excel.out.charCodeAt(0)).toBe(0xfeff);
    expect(excel.out).toContain('\nrevenue,2026-02,2026-02-01,2026-02-28,true,"\'=HYPERLINK(""http://x"",""y"")",-60,');
    expect(excel.out).toContain("\nrevenue,2026-02,2026-02-01,2026-02-28,true,בתי קפה,20,");
    expect(excel.out.slice(1)).toBe(plain.out.replace("true,\"=HYPERLINK", "true,\"'=HYPERLINK"));
    const usage = await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--excel");
    expect([usage.code, usage.err]).toEqual([2, "orderpulse: --excel shapes the --csv output for a spreadsheet: add --csv\n"]);
  });

  it("a report named twice in --kpi is one report (one table for --csv)", async () => {
    const once = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--kpi", "order_pace", "--csv");
    const twice = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--kpi", "order_pace,order_pace", "--csv");
    expect([twice.code, twice.out]).toEqual([0, once.out]);
  });
});

describe("formatKpiChange", () => {
  it("a change that rounds to 0.0 shows = and +0.0, not ▼ -0.0 (review 2026-12-07); otherwise the arrow follows the sign shown", () => {
    const row = (change: number, changePct?: number): KpiRowWithTrend => ({ change, changePct } as unknown as KpiRowWithTrend);
    expect(formatKpiChange("churn_rate", row(-0.0004))).toBe("= +0.0 pp");
    expect(formatKpiChange("churn_rate", row(0.0004))).toBe("= +0.0 pp");
    expect(formatKpiChange("churn_rate", row(-0.0006))).toBe("▼ -0.1 pp");
    expect(formatKpiChange("revenue", row(-2, -0.0001))).toBe("= +0.0%");
    expect(formatKpiChange("revenue", row(-200, -0.042))).toBe("▼ -4.2%");
    expect(formatKpiChange("revenue", row(50))).toBe("▲"); // from 0: no percent
  });
});

describe("orderpulse kpis --explain", () => {
  it("prints parts that add up to the change, JSON on request, usage errors exit 2", async () => {
    const r = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--explain", "--from", "2026-01", "--to", "2026-02", "--kpi", "active_customers");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^active_customers: 2026-01 4 -> 2026-02 4 \(0\)/);
    expect(r.out).toMatch(/lost\s+-2/);
    const j = await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", "--explain", "--from", "2026-01", "--to", "2026-02", "--json");
    const e = JSON.parse(j.out);
    expect(e.kpi).toBe("gross_profit");
    expect(e.change).toBe(-68);
    const sum = Object.values(e.parts as Record<string, number>).reduce((s, x) => s + x, 0);
    expect(Math.abs(sum - e.change)).toBeLessThan(1e-9 * 68);
    // February in progress (as of the 25th): against January 1-25, said in the first line and the note
    const now = await cli("kpis", "--data", fixture, "--as-of", "2026-02-25", "--explain", "--from", "2026-01", "--to", "2026-02", "--kpi", "revenue");
    expect(now.out).toMatch(/^revenue: 2026-01 \(first 25 days\) 409 -> 2026-02\* 291 \(-118\)/);
    expect(now.out).toContain("against 2026-01's first 25 days (2026-01-01 .. 2026-01-25, like for like)");
    for (const argv of [["--explain"], ["--explain", "--from", "2026-01"], ["--explain", "--from", "2026-01", "--to", "2026-02", "--kpi", "margin"], ["--explain", "--from", "2026-01", "--to", "2026-02", "--csv"], ["--explain", "--from", "2026-01", "--to", "2026-02", "--periods", "2"]]) {
      expect((await cli("kpis", "--data", fixture, "--as-of", "2026-02-28", ...argv)).code, argv.join(" ")).toBe(2);
    }
  });

  it("names the group of lines without a value (none), not the company", () => {
    const row = (o: string, d: string, c: string, p: string, channel?: string) => ({ order_id: o, order_date: d, customer_id: c, product_id: p, quantity: 1, unit_price: 10, ...(channel ? { channel } : {}) });
    const ds = fromRowsSync({ orders: [row("1", "2026-01-05", "A", "P", "web"), row("2", "2026-02-05", "A", "P", "web"), row("3", "2026-02-06", "C", "Q")] }).dataset;
    const text = formatExplanation(explainKpiChange(ds, { kpi: "active_customers", from: "2026-01", to: "2026-02", by: "channel", asOf: "2026-02-28" }));
    expect(text).toMatch(/\(none\)\s+gained\s+\+1/);
    expect(text).not.toContain("(company)");
  });
});

describe("orderpulse kpis reports", () => {
  it("prints churn profile, white space, profitability, targets and pace; JSON and single-report CSV", async () => {
    const base = ["kpis", "--data", fixture, "--as-of", "2026-02-28", "--period", "month", "--periods", "2"];
    const t = await cli(...base, "--kpi", "target_progress", "--kpi", "customer_profitability", "--kpi", "white_space", "--kpi", "churn_profile", "--kpi", "order_pace");
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/R1\s+2026-01\s+revenue\s+317\s+450\s+70\.4%/);
    expect(t.out).toMatch(/1\s+C1\s+R1\s+A\s+307\s+84/);
    expect(t.out).toMatch(/white space by rep and product/);
    expect(t.out).toMatch(/churn profile 2026-01-01 \.\. 2026-02-28/);
    expect(t.out).toMatch(/order pace as of 2026-02-28/);
    const j = JSON.parse((await cli(...base, "--kpi", "revenue", "--kpi", "target_progress", "--json")).out);
    expect(j.kpis.revenue.map((r: { value: number }) => r.value)).toEqual([484, 291]);
    expect(j.reports.target_progress).toHaveLength(5);
    const c = await cli(...base, "--kpi", "customer_profitability", "--csv");
    expect(c.out.split("\n")[0]).toMatch(/^rank,customerId,repId,segment,revenue/);
    expect((await cli(...base, "--kpi", "revenue", "--kpi", "white_space", "--csv")).code).toBe(2);
    // a report's CSV without a row still has its header (review 2026-12-07: a bare newline), the
    // same columns as its rows' keys when it has rows
    const empty = await cli("kpis", "--data", fixture, "--as-of", "2020-02-28", "--kpi", "customer_profitability", "--csv");
    expect(empty.out.split("\n")[0]).toBe(c.out.split("\n")[0]);
    expect(empty.out.trim().split("\n")).toHaveLength(1);
  });

  it("a flag none of the asked reports reads is a usage error, not dropped (review 2026-12-06: each ran as if it was not given)", async () => {
    const base = ["kpis", "--data", fixture, "--as-of", "2026-02-28"];
    for (const [argv, flag] of [
      [["--kpi", "customer_profitability", "--by", "segment"], "--by"],
      [["--kpi", "target_progress", "--period", "week"], "--period"],
      [["--kpi", "target_progress", "--periods", "2"], "--periods"],
      [["--kpi", "order_pace", "--period", "month"], "--period"],
      [["--kpi", "churn_profile", "--by", "rep"], "--by"],
    ] as const) {
      const r = await cli(...base, ...argv);
      expect([r.code, r.err], argv.join(" ")).toEqual([2, expect.stringContaining(`${flag} does not apply to`)]);
    }
    const company = await cli(...base, "--kpi", "white_space", "--by", "company");
    expect([company.code, company.err]).toEqual([2, expect.stringContaining("white_space compares --by rep, segment or region, got company")]);
    // read by one of the reports asked, by the KPI series asked with them, or the company that profitability is over: applied
    for (const argv of [
      ["--kpi", "customer_profitability", "--by", "company"],
      ["--kpi", "target_progress,white_space", "--by", "segment"],
      ["--kpi", "order_pace", "--by", "rep"],
      ["--kpi", "revenue,target_progress", "--period", "week"],
    ]) expect((await cli(...base, ...argv)).code, argv.join(" ")).toBe(0);
  });
});

describe("orderpulse kpis without costs", () => {
  it("gross profit is not measured (–, not 0) and --explain says why", async () => {
    const dir = tempDir("orderpulse-nocost-");
    writeFileSync(
      join(dir, "orders.csv"),
      ["order_id,order_date,customer_id,product_id,quantity,unit_price", "1,2026-01-05,A,P,10,3", "2,2026-01-20,B,Q,1,5", "3,2026-02-03,A,P,4,3"].join("\n") + "\n",
    );
    const r = await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--period", "month", "--periods", "2", "--kpi", "gross_profit", "--json");
    expect(JSON.parse(r.out).kpis.gross_profit.map((x: { value?: number }) => x.value)).toEqual([undefined, undefined]);
    // asked for gross profit: not measured, and nothing else is printed as if it were
    const e = await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--explain", "--from", "2026-01", "--to", "2026-02", "--kpi", "gross_profit");
    expect(e.code).toBe(0);
    expect(e.out).toMatch(/^gross_profit: 2026-01\* – -> 2026-02 – \(–\)/);
    expect(e.out).toContain("not measured: no line of a period has a unit cost (try --kpi revenue)");
    expect(e.out).not.toContain("parts:");
    // not asked: the default explains revenue, with a note
    const def = await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--explain", "--from", "2026-01", "--to", "2026-02");
    expect(def.out).toMatch(/^revenue: 2026-01\* 35 -> 2026-02 12 \(-23\)/);
    expect(def.out).toContain("* the data begins inside or after 2026-01: only its days from the data's first day count");
    // the contributions are an aligned table: one right edge for the numbers (review 2026-12-06:
    // padEnd counted a Hebrew key's points, and left it bare)
    const contrib = def.out.slice(def.out.indexOf("largest contributions")).split("\n").slice(1).filter((l) => l.startsWith("  ") && !l.startsWith("  ..."));
    expect(new Set(contrib.map((l) => l.replace(/  \(\d+\)$/, "").length)).size).toBeLessThanOrEqual(1);
    expect(def.err).toContain("the data has no unit costs: explaining revenue (--kpi chooses)");
    const rev = await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--explain", "--from", "2026-01", "--to", "2026-02", "--kpi", "revenue");
    expect(rev.out).toMatch(/^revenue: 2026-01\* 35 -> 2026-02 12 \(-23\)/);
    expect(rev.out).not.toContain("not measured");
    expect(rev.err).not.toContain("no unit costs");
    // profitability classes by revenue, gross profit not measured
    const abc = await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--kpi", "customer_profitability");
    expect(abc.out).toMatch(/^customer profitability: A 1, B 1 \(ABC by revenue: the data has no unit costs\)/);
    expect(abc.out).toMatch(/\n1 +A +\(none\) +A +42 +– +– /); // (a customer without a rep reads "(none)", as in the other reports)
    // white space: without reps or segments it compares regions (countries); other groupings are usage errors
    writeFileSync(join(dir, "customers.csv"), "customer_id,region\nA,UK\nB,France\n");
    const ws = await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--kpi", "white_space", "--period", "quarter", "--periods", "1");
    expect(ws.out).toMatch(/^white space by region and product/);
    expect((await cli("kpis", "--data", dir, "--as-of", "2026-02-28", "--kpi", "white_space", "--by", "channel")).code).toBe(2);
  });

  it("white_space without --by compares a dimension the customers have: segments when no customer has a rep, though reps.csv lists one (review 2026-12-07: 0 gaps by rep)", async () => {
    const dir = tempDir("op-ws-norep-");
    writeFileSync(join(dir, "customers.csv"), "customer_id,segment\nA,cafes\nB,cafes\nC,cafes\nD,hotels\nE,hotels\nF,hotels\n");
    writeFileSync(join(dir, "orders.csv"), "order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2026-01-05,A,P1,1,5\n2,2026-01-05,B,P1,1,5\n3,2026-01-05,C,P1,1,5\n4,2026-01-05,D,P2,1,5\n5,2026-01-05,E,P2,1,5\n6,2026-01-05,F,P1,1,5\n7,2026-01-05,A,P2,1,5\n");
    writeFileSync(join(dir, "reps.csv"), "rep_id,name\nR1,Dana\n");
    const json = JSON.parse((await cli("kpis", "--data", dir, "--as-of", "2026-01-31", "--kpi", "white_space", "--json", "--quiet")).out) as { reports: { white_space: { by: string; rows: { key: string; item: string; flagged: boolean }[] } } };
    expect(json.reports.white_space.by).toBe("segment");
    // hotels buy P1 1 of 3 against the cafes' 3 of 3; cafes P2 1 of 3 against 2 of 3
    expect(json.reports.white_space.rows.filter((r) => r.flagged).map((r) => `${r.key} ${r.item}`).sort()).toEqual(["cafes P2", "hotels P1"]);
  }, 30_000);

  it("reports with no row: --csv --excel keeps its byte order mark, order_pace by a group keeps its key column, the texts say so (review 2026-12-07)", async () => {
    const at = ["--data", fixture, "--as-of", "2024-01-01", "--quiet"];
    const pace = await cli("kpis", ...at, "--kpi", "order_pace", "--by", "rep", "--csv", "--excel");
    expect(pace.out.startsWith("\uFEFFkpi,asOf,key,customers,")).toBe(true);
    expect((await cli("kpis", ...at, "--kpi", "order_pace", "--by", "rep")).out).toMatch(/^order pace as of 2024-01-01 /);
    expect((await cli("kpis", ...at, "--kpi", "customer_profitability")).out).toBe("customer profitability: no customer with a line in the window\n");
    // the target table's * has its legend, as the KPI tables' (self-review 2026-12-07)
    expect((await cli("kpis", "--data", fixture, "--as-of", "2026-02-25", "--quiet", "--kpi", "target_progress")).out).toMatch(/\* partial period: not over at the as-of day .*, or it begins before the data's first day/);
  }, 30_000);
});

