import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { orderPace, type OrderPaceRow } from "./order-pace.ts";

const KPI20 = join(import.meta.dirname, "../../test/fixtures/kpi20");
const stats = (r: OrderPaceRow): unknown[] => [r.key, r.customers, r.gaps, r.medianGapDays, r.meanGapDays, r.medianCustomerGapDays];

// Year-over-year fixture, asOf 2026-06-30: previous year 2024-07-01..2025-06-30, this year 2025-07-01..2026-06-30
const yoyLines: [string, string][] = [
  // A faster: previous 61, 61 (mean 61); this 31, 30 (mean 30.5)
  ["A", "2024-08-01"], ["A", "2024-10-01"], ["A", "2024-12-01"], ["A", "2025-08-01"], ["A", "2025-09-01"], ["A", "2025-10-01"],
  // B slower: previous 20, 20; this 30, 30 (> 20 x 1.1)
  ["B", "2024-09-01"], ["B", "2024-09-21"], ["B", "2024-10-11"], ["B", "2025-09-01"], ["B", "2025-10-01"], ["B", "2025-10-31"],
  // C steady: previous 20, 20; this 21, 21 (within 10 %)
  ["C", "2025-01-05"], ["C", "2025-01-25"], ["C", "2025-02-14"], ["C", "2026-01-05"], ["C", "2026-01-26"], ["C", "2026-02-16"],
  // D: one gap in the previous year (10), two this year (10, 10): compared only with minGaps 1 (steady)
  ["D", "2025-03-01"], ["D", "2025-03-11"], ["D", "2026-03-01"], ["D", "2026-03-11"], ["D", "2026-03-21"],
  // E: 2024-06-30 is before the previous year: one gap in it (10); this year 5, 5: faster with minGaps 1
  ["E", "2024-06-30"], ["E", "2024-07-01"], ["E", "2024-07-11"], ["E", "2025-07-01"], ["E", "2025-07-06"], ["E", "2025-07-11"],
];
const yoy = fromRowsSync({
  orders: [
    ...yoyLines.map(([c, d], i) => ({ order_id: `o${i}`, order_date: d, customer_id: c, product_id: "P", quantity: 1, unit_price: 2 })),
    // returns are not occasions; orders after asOf are not seen
    { order_id: "r1", order_date: "2025-11-15", customer_id: "B", product_id: "P", quantity: -1, unit_price: 2 },
    { order_id: "late", order_date: "2026-07-01", customer_id: "B", product_id: "P", quantity: 1, unit_price: 2 },
  ],
  customers: [{ customer_id: "A", segment: "s1" }, { customer_id: "B", segment: "s1" }, { customer_id: "C", segment: "s2" }],
}).dataset;

describe("orderPace", () => {
  it("kpi20, company (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = orderPace(dataset, { asOf: "2026-02-28" });
    // gaps: C1 14, 14 | C2 21 (B3 is a return) | C3 35 | C4 18, 28 | C5 none | C6 21, 86
    // sorted 14 14 18 21 21 28 35 86: median 21, mean 237 / 8; customer means 14, 21, 35, 23, 53.5: median 23
    expect(rows).toEqual([
      {
        kpi: "order_pace", asOf: "2026-02-28", customers: 6, gaps: 8, value: 21, medianGapDays: 21, meanGapDays: 29.625, medianCustomerGapDays: 23,
        compared: 0, faster: 0, slower: 0, steady: 0, fasterShare: undefined, slowerShare: undefined, partial: true, // (the data begin in Dec 2025)
      },
    ]);
  });

  it("kpi20 by segment and by family (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    expect(orderPace(dataset, { by: "segment" }).map(stats)).toEqual([
      ["cafes", 2, 2, 14, 14, 14], // C1 14, 14; C5 one order
      ["hotels", 1, 1, 21, 21, 21],
      ["institutions", 1, 2, 53.5, 53.5, 53.5], // C6 21, 86
      ["restaurants", 1, 1, 35, 35, 35],
      ["retail", 1, 2, 23, 23, 23], // C4 18, 28
    ]);
    // by family: a customer's sequence is its occasions with a line in the family
    expect(orderPace(dataset, { by: "family" }).map(stats)).toEqual([
      ["coffee", 4, 5, 21, 34, 35], // C1 14, 14 | C3 35 | C5 - | C6 21, 86; customer means 14, 35, 53.5
      ["dairy", 2, 1, 18, 18, 18], // C3 Feb 14 only | C4 Dec 15 -> Jan 2
      ["disposables", 4, 1, 21, 21, 21], // C1 - | C2 21 | C4 - | C5 -
      ["gifts", 1, 0, undefined, undefined, undefined], // C1 A3
    ]);
  });

  it("year over year: faster, slower, steady; minGaps and tolerance", () => {
    const [all] = orderPace(yoy, { asOf: "2026-06-30" });
    expect(all).toMatchObject({ customers: 5, compared: 3, faster: 1, slower: 1, steady: 1, fasterShare: 1 / 3, slowerShare: 1 / 3 });
    expect(orderPace(yoy, { asOf: "2026-06-30", minGaps: 1 })[0]).toMatchObject({ compared: 5, faster: 2, slower: 1, steady: 2 });
    expect(orderPace(yoy, { asOf: "2026-06-30", tolerance: 0 })[0]).toMatchObject({ compared: 3, faster: 1, slower: 2, steady: 0 });
    const byCustomer = orderPace(yoy, { asOf: "2026-06-30", by: "customer" });
    expect(byCustomer.map((r) => [r.key, r.compared, r.faster, r.slower, r.steady])).toEqual([
      ["A", 1, 1, 0, 0],
      ["B", 1, 0, 1, 0],
      ["C", 1, 0, 0, 1],
      ["D", 0, 0, 0, 0],
      ["E", 0, 0, 0, 0],
    ]);
    // B: 2024-09-01, 09-21, 10-11, 2025-09-01, 10-01, 10-31 (the return and the July order are not seen)
    expect(byCustomer[1]).toMatchObject({ gaps: 5, medianGapDays: 30, meanGapDays: 85, medianCustomerGapDays: 85 });
    expect(orderPace(yoy, { asOf: "2026-06-30", by: "segment" }).map((r) => [r.key, r.customers, r.compared, r.faster, r.slower])).toEqual([
      ["s1", 2, 2, 1, 1],
      ["s2", 1, 1, 0, 0],
      [null, 2, 0, 0, 0],
    ]);
  });

  it("edge cases: empty dataset, one order, returns only, two orders on one day", () => {
    const empty = orderPace(fromRowsSync({ orders: [] }).dataset);
    expect(empty).toEqual([
      {
        kpi: "order_pace", asOf: "1970-01-01", customers: 0, gaps: 0, value: undefined, medianGapDays: undefined, meanGapDays: undefined,
        medianCustomerGapDays: undefined, compared: 0, faster: 0, slower: 0, steady: 0, fasterShare: undefined, slowerShare: undefined, partial: false,
      },
    ]);
    expect(orderPace(fromRowsSync({ orders: [] }).dataset, { by: "segment" })).toEqual([]);
    const one = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 3, unit_price: 2 }] }).dataset;
    expect(orderPace(one)[0]).toMatchObject({ asOf: "2026-01-05", customers: 1, gaps: 0, medianGapDays: undefined });
    const returns = fromRowsSync({ orders: [{ order_id: "R", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: -3, unit_price: 2 }] }).dataset;
    expect(orderPace(returns)[0]).toMatchObject({ customers: 0, gaps: 0 });
    expect(orderPace(returns, { by: "customer" })).toEqual([]);
    const sameDay = fromRowsSync({ orders: ["1", "2"].map((o) => ({ order_id: o, order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 })) }).dataset;
    expect(orderPace(sameDay)[0]).toMatchObject({ gaps: 1, medianGapDays: 0, meanGapDays: 0 });
  });

  it("data that begin inside the previous year: nobody compared, rows partial (review 2026-12-07: 13 months of Online Retail read 2 of 2 'slower', over 9 days)", () => {
    // B orders every 20 days throughout (after two 4-day gaps at the data's start); the previous
    // year is 2025-11-22 .. 2026-11-21 for asOf 2027-11-21, and data that begin on 2026-01-05, 44
    // days into it, hold only part of it
    const rows = (from: string, asOf: string): ReturnType<typeof orderPace> => {
      const orders = [];
      for (let d = Date.parse(from), k = 0; d <= Date.parse(asOf); d += (k++ < 2 ? 4 : 20) * 86_400_000) {
        orders.push({ order_id: `O${k}`, order_date: new Date(d).toISOString().slice(0, 10), customer_id: "B", product_id: "P", quantity: 1, unit_price: 2 });
      }
      return orderPace(fromRowsSync({ orders }).dataset, { asOf });
    };
    expect(rows("2026-01-05", "2027-11-21")[0]).toMatchObject({ compared: 0, slower: 0, slowerShare: undefined, partial: true });
    // the data begin on the previous year's first day: compared (20-day gaps both years, after 4, 4 then 12 in the first)
    expect(rows("2025-11-22", "2027-11-21")[0]).toMatchObject({ compared: 1, partial: false });
    // up to 30 days into it (an export whose first order day is a few days late): compared; 31: not
    // (self-review 2026-12-07: one missing day compared nobody)
    expect(rows("2025-12-22", "2027-11-21")[0]).toMatchObject({ compared: 1, partial: false });
    expect(rows("2025-12-23", "2027-11-21")[0]).toMatchObject({ compared: 0, partial: true });
  });

  it("bad options throw INVALID_OPTION", () => {
    const { dataset } = fromRowsSync({ orders: [] });
    for (const o of [{ minGaps: 0 }, { minGaps: 1.5 }, { minGaps: "2" as never }, { tolerance: 1 }, { tolerance: -0.1 }, { tolerance: Number.NaN }, { by: "x" as never }]) {
      expect(() => orderPace(dataset, o)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    }
  });

  const line = fc.record({
    order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"),
    line_id: fc.integer({ min: 1, max: 1_000_000 }),
    order_date: fc.integer({ min: 0, max: 899 }).map((d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10)),
    customer_id: fc.constantFrom("A", "B", "C"),
    product_id: fc.constantFrom("P1", "P2", "P3"),
    quantity: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0),
    unit_price: fc.constant(2),
  });
  const linesArb = fc.uniqueArray(line, { selector: (x) => `${x.order_id}/${x.line_id}`, maxLength: 40 });
  const products = [{ product_id: "P1", family: "f1" }, { product_id: "P2", family: "f1" }, { product_id: "P3", family: "f2" }];
  const customers = [{ customer_id: "A", segment: "s1" }, { customer_id: "B", segment: "s2" }, { customer_id: "C", segment: "s1" }];
  const byArb = fc.constantFrom("company" as const, "family" as const, "segment" as const, "customer" as const);
  const run = (orders: readonly object[], by: "company" | "family" | "segment" | "customer", minGaps = 1): OrderPaceRow[] =>
    orderPace(fromRowsSync({ orders: orders as never, products, customers }).dataset, { asOf: "2026-03-15", by, minGaps });

  it("property: row order does not matter; orders after asOf change nothing", () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 0, max: 1000 }), byArb, fc.integer({ min: 1, max: 3 }), (rows, seed, by, minGaps) => {
        const shuffled = [...rows].sort((a, b) => ((a.line_id * 7919 + seed) % 1009) - ((b.line_id * 7919 + seed) % 1009));
        const later = [...rows, ...["2026-03-16", "2026-05-02"].map((d, i) => ({ order_id: `Z${i}`, line_id: 1, order_date: d, customer_id: "A", product_id: "P1", quantity: 4, unit_price: 2 }))];
        const base = run(rows, by, minGaps);
        expect(run(shuffled, by, minGaps)).toEqual(base);
        expect(run(later, by, minGaps)).toEqual(base);
      }),
      { numRuns: 150 },
    );
  });

  it("property: bounds and counts", () => {
    fc.assert(
      fc.property(linesArb, byArb, (rows, by) => {
        for (const r of run(rows, by)) {
          expect(r.faster + r.slower + r.steady).toBe(r.compared);
          expect(r.compared).toBeLessThanOrEqual(r.customers);
          expect(r.gaps).toBeGreaterThanOrEqual(0);
          if (r.gaps === 0) expect(r.medianGapDays).toBeUndefined();
          else {
            expect(r.medianGapDays!).toBeGreaterThanOrEqual(0);
            expect(r.medianGapDays!).toBeLessThanOrEqual(r.gaps * 1000);
            expect(r.meanGapDays!).toBeGreaterThanOrEqual(0);
            expect(r.medianCustomerGapDays).toBeDefined();
          }
          if (r.compared > 0) expect(r.fasterShare! + r.slowerShare!).toBeLessThanOrEqual(1);
        }
        // company: gaps = Σ (occasions − 1) over customers with an occasion
        const occ = new Map<string, Set<string>>();
        for (const x of rows) {
          if (x.quantity <= 0 || x.order_date > "2026-03-15") continue;
          if (!occ.has(x.customer_id)) occ.set(x.customer_id, new Set());
          occ.get(x.customer_id)!.add(x.order_id);
        }
        const [company] = run(rows, "company");
        expect(company?.customers).toBe(occ.size);
        expect(company?.gaps).toBe([...occ.values()].reduce((s, o) => s + o.size - 1, 0));
      }),
      { numRuns: 150 },
    );
  });
});
