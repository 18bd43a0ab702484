import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { repurchaseRate, type RepurchaseRateRow } from "./repurchase-rate.ts";

const KPI20 = join(import.meta.dirname, "../../test/fixtures/kpi20");
const opts = { asOf: "2026-02-28", period: "month", periods: 4 } as const;
const cells = (rows: readonly RepurchaseRateRow[]): unknown[][] => rows.map((r) => [r.period, ...(r.key === undefined ? [] : [r.key]), r.numerator, r.denominator, r.censored, r.openPairs]);

describe("repurchaseRate", () => {
  it("kpi20, company, window = the following month (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = repurchaseRate(dataset, opts);
    expect(cells(rows)).toEqual([
      // Nov: (C6,P3) again on Dec 1
      ["2025-11", 1, 1, false, 0],
      // Dec: (C4,P4) again on Jan 2; (C6,P3) never again
      ["2025-12", 1, 2, false, 0],
      // Jan: 7 pairs; (C1,P1) again Feb 2, (C3,P1) again Feb 14; (C2,P2)'s Feb 11 line is a return
      ["2026-01", 2, 7, false, 0],
      // Feb: 7 pairs, March is after asOf: censored, every outcome still open
      ["2026-02", 0, 7, true, 7],
    ]);
    expect(rows.map((r) => r.windowEnd)).toEqual(["2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31"]);
    expect(rows[1]?.value).toBe(0.5);
    expect(rows[2]?.value).toBeCloseTo(2 / 7, 12);
    expect(rows[3]).toMatchObject({ kpi: "repurchase_rate", partial: false, value: 0 });
    expect(rows[3]).not.toHaveProperty("key");
  });

  it("an order delivered in two parts is one purchase, on its earliest day: the back-order is no re-purchase (review 2026-12-07)", () => {
    const o = (order_id: string, order_date: string, customer_id: string, line_id?: number) => ({ order_id, order_date, customer_id, product_id: "P1", quantity: 6, unit_price: 2, ...(line_id !== undefined ? { line_id } : {}) });
    // C1's order S1 delivered on Jan 30 and Feb 2; C2 buys P1 on Jan 10 and Mar 31
    const { dataset } = fromRowsSync({ orders: [o("S1", "2026-01-30", "C1", 1), o("S1", "2026-02-02", "C1", 2), o("X1", "2026-01-10", "C2"), o("X2", "2026-03-31", "C2")] });
    const rows = repurchaseRate(dataset, { asOf: "2026-03-31", period: "month", periods: 3 });
    // January: C1 and C2 bought P1, neither again in February: 0 of 2 (the back-order read 1 of 2); February: no pair
    expect(rows.map((r) => [r.period, r.numerator, r.denominator])).toEqual([["2026-01", 0, 2], ["2026-02", 0, 0], ["2026-03", 0, 1]]);
    expect(repurchaseRate(dataset, { asOf: "2026-03-31", period: "month", periods: 3, withinDays: 30 })[0]).toMatchObject({ numerator: 0, denominator: 2 });
  });

  it("kpi20, withinDays 14: counted from each pair's last purchase, boundary day included (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = repurchaseRate(dataset, { ...opts, withinDays: 14 });
    expect(cells(rows)).toEqual([
      ["2025-11", 0, 1, false, 0], // Nov 10 -> Dec 1 is 21 days
      ["2025-12", 0, 2, false, 0], // Dec 15 -> Jan 2 is 18 days
      ["2026-01", 1, 7, false, 0], // (C1,P1) Jan 19 -> Feb 2 is exactly 14 days; (C3,P1) Jan 10 -> Feb 14 is 35
      // Feb: windows of pairs last bought after Feb 14 are open: (C5,P1), (C5,P2) Feb 20, (C6,P1) Feb 25
      ["2026-02", 0, 7, true, 3],
    ]);
    expect(rows.map((r) => r.windowEnd)).toEqual(["2025-12-14", "2026-01-14", "2026-02-14", "2026-03-14"]);
  });

  it("kpi20 by family and by segment (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const fam = repurchaseRate(dataset, { ...opts, by: "family", periods: 2 }).filter((r) => r.period === "2026-01");
    expect(fam.map((r) => [r.key, r.numerator, r.denominator, r.value])).toEqual([
      ["coffee", 2, 3, 2 / 3], // (C1,P1) yes, (C3,P1) yes, (C3,P3) no
      ["dairy", 0, 1, 0], // (C4,P4)
      ["disposables", 0, 3, 0], // (C1,P2), (C2,P2), (C4,P2)
      ["gifts", 0, 0, undefined],
    ]);
    const seg = repurchaseRate(dataset, { ...opts, by: "segment", periods: 2 }).filter((r) => r.period === "2026-01");
    expect(seg.map((r) => [r.key, r.numerator, r.denominator])).toEqual([
      ["cafes", 1, 2], // C1: P1 yes, P2 no
      ["hotels", 0, 1], // C2: P2 (only returned in Feb)
      ["institutions", 0, 0],
      ["restaurants", 1, 2], // C3: P1 yes, P3 no
      ["retail", 0, 2], // C4: P4, P2
    ]);
    const prod = repurchaseRate(dataset, { ...opts, by: "product", periods: 2 }).filter((r) => r.period === "2026-01");
    expect(prod.map((r) => [r.key, r.numerator, r.denominator])).toEqual([["P1", 2, 2], ["P2", 0, 3], ["P3", 0, 1], ["P4", 0, 1], ["P5", 0, 0]]);
  });

  it("the period holding asOf is partial and censored; asOf mid-window censors the previous period too", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = repurchaseRate(dataset, { asOf: "2026-02-10", periods: 2 });
    // Jan: the February window is not over; (C1,P1) is already known (Feb 2), (C3,P1) bought Feb 14 is not visible
    expect(cells(rows)).toEqual([["2026-01", 1, 7, true, 6], ["2026-02", 0, 2, true, 2]]);
    expect(rows[1]?.partial).toBe(true);
  });

  it("edge cases: empty dataset, one order, returns only, weekly default window", () => {
    const empty = repurchaseRate(fromRowsSync({ orders: [] }).dataset, { asOf: "2026-01-31", periods: 2 });
    expect(empty.map((r) => [r.period, r.value, r.denominator, r.censored])).toEqual([["2025-12", undefined, 0, false], ["2026-01", undefined, 0, true]]);
    const one = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 3, unit_price: 2 }] }).dataset;
    expect(cells(repurchaseRate(one, { periods: 1 }))).toEqual([["2026-01", 0, 1, true, 1]]);
    const returns = fromRowsSync({ orders: [{ order_id: "R", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: -3, unit_price: 2 }] }).dataset;
    expect(cells(repurchaseRate(returns, { periods: 1, by: "product" }))).toEqual([["2026-01", "P", 0, 0, true, 0]]);
    // weekly: bought Mon 2026-01-05 and Wed 2026-01-07 (same week, last = Wed), again Sun 2026-01-18 (next week)
    const weekly = fromRowsSync({
      orders: ["2026-01-05", "2026-01-07", "2026-01-18"].map((d, i) => ({ order_id: `o${i}`, order_date: d, customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 })),
    }).dataset;
    expect(repurchaseRate(weekly, { asOf: "2026-01-31", period: "week", periods: 4 }).map((r) => [r.period, r.numerator, r.denominator])).toEqual([
      ["2026-W02", 1, 1],
      ["2026-W03", 0, 1],
      ["2026-W04", 0, 0],
      ["2026-W05", 0, 0],
    ]);
  });

  it("bad options throw INVALID_OPTION", () => {
    const { dataset } = fromRowsSync({ orders: [] });
    for (const withinDays of [0, -3, 1.5, Number.NaN, "7" as never]) {
      expect(() => repurchaseRate(dataset, { withinDays })).toThrow(expect.objectContaining({ code: "INVALID_OPTION", details: expect.objectContaining({ option: "withinDays" }) }));
    }
    expect(() => repurchaseRate(dataset, { period: "fortnight" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });

  const line = fc.record({
    order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5", "O6"),
    line_id: fc.integer({ min: 1, max: 1_000_000 }),
    order_date: fc.integer({ min: 0, max: 89 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)),
    customer_id: fc.constantFrom("A", "B", "C"),
    product_id: fc.constantFrom("P1", "P2", "P3"),
    quantity: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0),
    unit_price: fc.constant(2),
    channel: fc.constantFrom("web", "phone"),
  });
  const linesArb = fc.uniqueArray(line, { selector: (x) => `${x.order_id}/${x.line_id}`, maxLength: 40 });
  const products = [{ product_id: "P1", family: "f1" }, { product_id: "P2", family: "f1" }, { product_id: "P3", family: "f2" }];
  const customers = [{ customer_id: "A", segment: "s1" }, { customer_id: "B", segment: "s2" }, { customer_id: "C", segment: "s1" }];
  const byArb = fc.constantFrom("company" as const, "family" as const, "segment" as const, "channel" as const, "product" as const);
  const run = (orders: readonly object[], by: "company" | "family" | "segment" | "channel" | "product", withinDays?: number): RepurchaseRateRow[] =>
    repurchaseRate(fromRowsSync({ orders: orders as never, products, customers }).dataset, { asOf: "2026-03-15", periods: 3, by, withinDays });

  it("property: row order does not matter; orders after asOf change nothing", () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 0, max: 1000 }), byArb, fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), (rows, seed, by, within) => {
        const shuffled = [...rows].sort((a, b) => ((a.line_id * 7919 + seed) % 1009) - ((b.line_id * 7919 + seed) % 1009));
        const later = [...rows, ...["2026-03-16", "2026-04-02"].map((d, i) => ({ order_id: `Z${i}`, line_id: 1, order_date: d, customer_id: "A", product_id: "P1", quantity: 4, unit_price: 2, channel: "web" }))];
        const base = run(rows, by, within);
        expect(run(shuffled, by, within)).toEqual(base);
        expect(run(later, by, within)).toEqual(base);
      }),
      { numRuns: 150 },
    );
  });

  it("property: bounds; uncensored rows have no open pairs; company pairs = distinct (customer, product, month)", () => {
    fc.assert(
      fc.property(linesArb, byArb, fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), (rows, by, within) => {
        for (const r of run(rows, by, within)) {
          expect(r.numerator + r.openPairs).toBeLessThanOrEqual(r.denominator);
          if (r.denominator === 0) expect(r.value).toBeUndefined();
          else expect(r.value).toBe(r.numerator / r.denominator);
          if (!r.censored) expect(r.openPairs).toBe(0);
          if (r.end > "2026-03-15") expect(r.censored).toBe(true); // in progress (partial also marks months the data begins inside)
        }
        // (each line in the month of its order's occasion: the earliest day of the order's positive lines)
        const seen = rows.filter((x) => x.quantity > 0 && x.order_date <= "2026-03-15");
        const occ = new Map<string, string>();
        for (const x of seen) {
          const k = `${x.customer_id}|${x.order_id}`;
          if (!occ.has(k) || x.order_date < occ.get(k)!) occ.set(k, x.order_date);
        }
        const pairs = new Set(seen.map((x) => `${x.customer_id}|${x.product_id}|${occ.get(`${x.customer_id}|${x.order_id}`)!.slice(0, 7)}`));
        expect(run(rows, "company", within).reduce((s, r) => s + r.denominator, 0)).toBe(pairs.size);
      }),
      { numRuns: 150 },
    );
  });
});
