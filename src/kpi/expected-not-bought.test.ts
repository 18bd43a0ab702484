import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { expectedNotBought, type ExpectedNotBoughtRow, type PurchaseHistory } from "./expected-not-bought.ts";

const KPI20 = join(import.meta.dirname, "../../test/fixtures/kpi20");
const cells = (rows: readonly ExpectedNotBoughtRow[]): unknown[][] =>
  rows.map((r) => [r.period, ...(r.key === undefined ? [] : [r.key]), r.value, r.due, r.censored]);
const who = (r: ExpectedNotBoughtRow | undefined): unknown[][] => (r?.customers ?? []).map((c) => [c.customerId, c.repId, c.expectedDay, c.lastOrder, c.medianGap]);
const opts = { asOf: "2026-03-31", periods: 4 } as const;

describe("expectedNotBought", () => {
  // kpi20 purchase days: C1 Jan 5, Jan 19, Feb 2 | C2 Jan 7, Jan 28 (Feb 11 is a return) |
  // C3 Jan 10, Feb 14 | C4 Dec 15, Jan 2, Jan 30 | C5 Feb 20 | C6 Nov 10, Dec 1, Feb 25
  it("kpi20, default predictor (median gap, >= 3 purchase days), hand-computed", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = expectedNotBought(dataset, opts);
    expect(cells(rows)).toEqual([
      ["2025-12", 0, 0, false], // nobody has 3 purchase days before Dec 1
      ["2026-01", 0, 0, false],
      // Feb: C4 gaps 18, 28 -> median 23 -> Jan 30 + 23 = Feb 22; no purchase in February
      ["2026-02", 1, 1, false],
      // Mar: C1 gaps 14, 14 -> Feb 16 (still unmet); C4 Feb 22 (still unmet);
      // C6 gaps 21, 86 -> 53.5 -> Feb 25 + 53.5 = Apr 19.5, rounded Apr 20: not due
      ["2026-03", 2, 2, false],
    ]);
    expect(rows[2]?.kpi).toBe("expected_not_bought");
    expect(who(rows[2])).toEqual([["C4", "R2", "2026-02-22", "2026-01-30", 23]]);
    expect(who(rows[3])).toEqual([
      ["C1", "R1", "2026-02-16", "2026-02-02", 14],
      ["C4", "R2", "2026-02-22", "2026-01-30", 23],
    ]);
  });

  it("kpi20, minOrders 2: a return is not a purchase, an earlier unmet expectation stays due", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = expectedNotBought(dataset, { ...opts, minOrders: 2 });
    // Feb: due C1 (Feb 2, bought that day), C2 (Feb 18; only a return on Feb 11), C4 (Feb 22),
    // C6 (Dec 1 + 21 = Dec 22, before February; bought Feb 25)
    expect(cells(rows).slice(2)).toEqual([
      ["2026-02", 2, 4, false],
      // Mar: C1 Feb 16, C2 Feb 18, C3 Jan 10 + 35 = Mar 21, C4 Feb 22; none bought in March
      ["2026-03", 4, 4, false],
    ]);
    expect(who(rows[2])).toEqual([
      ["C2", "R1", "2026-02-18", "2026-01-28", 21],
      ["C4", "R2", "2026-02-22", "2026-01-30", 23],
    ]);
    expect(who(rows[3]).map((c) => c[0])).toEqual(["C1", "C2", "C4", "C3"]);
  });

  it("kpi20, default asOf (2026-02-25): February is partial and censored", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const [feb] = expectedNotBought(dataset, { periods: 1 });
    expect(feb).toMatchObject({ period: "2026-02", partial: true, censored: true, value: 1, due: 1 });
  });

  it("a period in the data's first year is partial (customers with fewer than minOrders purchases in the data are not judged yet) and never a base", () => {
    // A every 10 days from 2025-01-05 (the data's first day) to 2026-06-30
    const orders = [];
    for (let d = Date.UTC(2025, 0, 5) / 86_400_000, k = 0; d <= Date.UTC(2026, 5, 30) / 86_400_000; d += 10, k++) {
      orders.push({ order_id: `O${k}`, order_date: formatDay(d), customer_id: "A", product_id: "P", quantity: 1, unit_price: 5 });
    }
    const rows = expectedNotBought(fromRowsSync({ orders }).dataset, { asOf: "2026-06-30", periods: 18 });
    // 2026-01 starts 361 days after the first day: still partial; 2026-02 on: whole
    expect(rows.filter((r) => r.partial).map((r) => r.period)).toEqual(["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01"]);
  });

  it("kpi20 by segment (March)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = expectedNotBought(dataset, { ...opts, by: "segment" }).filter((r) => r.period === "2026-03");
    expect(cells(rows)).toEqual([
      ["2026-03", "cafes", 1, 1, false],
      ["2026-03", "hotels", 0, 0, false],
      ["2026-03", "institutions", 0, 0, false],
      ["2026-03", "restaurants", 0, 0, false],
      ["2026-03", "retail", 1, 1, false],
    ]);
  });

  it("an injected predictor replaces the median gap and only sees days before the period", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const seen: { history: PurchaseHistory }[] = [];
    const rows = expectedNotBought(dataset, {
      ...opts,
      minOrders: 1,
      predictor: (h) => {
        seen.push({ history: h });
        return h.customerId === "C5" ? undefined : h.days[h.days.length - 1]! + 7;
      },
    });
    // Feb: C1 Jan 26 (bought Feb 2), C2 Feb 4 (missed), C3 Jan 17 (bought Feb 14), C4 Feb 6 (missed), C6 Dec 8 (bought Feb 25)
    expect(cells(rows)[2]).toEqual(["2026-02", 2, 5, false]);
    expect(who(rows[2])).toEqual([
      ["C2", "R1", "2026-02-04", "2026-01-28", 21],
      ["C4", "R2", "2026-02-06", "2026-01-30", 23],
    ]);
    // Mar: C5 has a history but no prediction
    expect(rows[3]?.due).toBe(5);
    expect(seen.some((s) => s.history.customerId === "C5")).toBe(true);
    const starts = rows.map((r) => r.start);
    for (const { history } of seen) {
      // every history ends before the start of some period it was asked for
      expect(starts.some((s) => formatDay(history.days[history.days.length - 1]!) < s)).toBe(true);
      expect([...history.days]).toEqual([...history.days].sort((a, b) => a - b));
    }
  });

  it("edge cases: empty dataset, one order, returns only", () => {
    const empty = expectedNotBought(fromRowsSync({ orders: [] }).dataset, { periods: 3 });
    expect(empty.map((r) => [r.value, r.due])).toEqual([[0, 0], [0, 0], [0, 0]]);
    const one = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-10", customer_id: "A", product_id: "P", quantity: 1, unit_price: 5 }] }).dataset;
    expect(expectedNotBought(one, { asOf: "2026-06-30", minOrders: 1 }).every((r) => r.due === 0)).toBe(true);
    const returns = fromRowsSync({
      orders: ["2026-01-01", "2026-01-11", "2026-01-21"].map((d, i) => ({ order_id: String(i), order_date: d, customer_id: "A", product_id: "P", quantity: -1, unit_price: 5 })),
    }).dataset;
    expect(expectedNotBought(returns, { asOf: "2026-03-31" }).every((r) => r.due === 0)).toBe(true);
  });

  it("bad options throw INVALID_OPTION", () => {
    const { dataset } = fromRowsSync({ orders: [] });
    for (const o of [{ minOrders: 0 }, { minOrders: 2.5 }, { predictor: 3 }, { periods: 0 }]) {
      let err: unknown;
      try {
        expectedNotBought(dataset, o as never);
      } catch (e) {
        err = e;
      }
      expect(isOrderpulseError(err) && err.code === "INVALID_OPTION", JSON.stringify(o)).toBe(true);
    }
  });

  const line = fc.record({
    order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "O9"),
    line_id: fc.integer({ min: 1, max: 1_000_000 }),
    order_date: fc.integer({ min: 0, max: 150 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)),
    customer_id: fc.constantFrom("A", "B", "C"),
    product_id: fc.constantFrom("P1", "P2"),
    quantity: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0),
    unit_price: fc.constant(2),
    channel: fc.constantFrom("web", "phone"),
  });
  const linesArb = fc.uniqueArray(line, { selector: (x) => `${x.order_id}/${x.line_id}`, maxLength: 50 });
  const byArb = fc.constantFrom("company" as const, "customer" as const, "channel" as const);

  it("property: row order does not matter; orders after asOf change nothing; missed <= due", () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 0, max: 1000 }), byArb, fc.integer({ min: 1, max: 4 }), (rows, seed, by, minOrders) => {
        const o = { asOf: "2026-05-20", period: "month", periods: 5, by, minOrders } as const;
        const a = expectedNotBought(fromRowsSync({ orders: rows }).dataset, o);
        const shuffled = [...rows].sort((x, y) => ((x.line_id * 7919 + seed) % 1009) - ((y.line_id * 7919 + seed) % 1009));
        const later = rows.map((r, i) => ({ ...r, order_id: `L${i}`, order_date: "2026-05-21" }));
        expect(expectedNotBought(fromRowsSync({ orders: [...shuffled, ...later] }).dataset, o)).toEqual(a);
        for (const r of a) {
          expect(r.value).toBeLessThanOrEqual(r.due);
          expect(r.customers).toHaveLength(r.value);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("property: the default predictor's incremental median equals an injected last day + median gap (the general path)", () => {
    const medianGapPredictor = (c: PurchaseHistory): number | undefined => {
      if (c.days.length < 2) return undefined;
      const gaps = c.days.slice(1).map((d, i) => d - c.days[i]!).sort((x, y) => x - y);
      const m = gaps.length >> 1;
      return c.days[c.days.length - 1]! + (gaps.length % 2 ? gaps[m]! : (gaps[m - 1]! + gaps[m]!) / 2);
    };
    fc.assert(
      fc.property(linesArb, byArb, fc.integer({ min: 1, max: 4 }), (rows, by, minOrders) => {
        const { dataset } = fromRowsSync({ orders: rows });
        const o = { asOf: "2026-05-20", period: "month", periods: 5, by, minOrders } as const;
        const fast = expectedNotBought(dataset, o);
        const general = expectedNotBought(dataset, { ...o, predictor: medianGapPredictor });
        expect(fast).toEqual(general);
      }),
      { numRuns: 150 },
    );
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 4, customers: 80, years: 2 }));
    const o = { period: "month", periods: 12, by: "segment" } as const;
    expect(expectedNotBought(dataset, o)).toEqual(expectedNotBought(dataset, { ...o, predictor: medianGapPredictor }));
  });

  it("property: no leakage — purchases inside a period do not change who was due in it", () => {
    fc.assert(
      fc.property(linesArb, linesArb, (rows, extra) => {
        const o = { asOf: "2026-05-31", period: "month", periods: 1, minOrders: 2 } as const;
        const a = expectedNotBought(fromRowsSync({ orders: rows }).dataset, o);
        const inMay = extra.map((r, i) => ({ ...r, order_id: `M${i}`, order_date: `2026-05-${String(1 + (r.line_id % 31)).padStart(2, "0")}` }));
        const b = expectedNotBought(fromRowsSync({ orders: [...rows, ...inMay] }).dataset, o);
        expect(b[0]!.due).toBe(a[0]!.due);
        expect(b[0]!.value).toBeLessThanOrEqual(a[0]!.value);
      }),
      { numRuns: 100 },
    );
  });
});
