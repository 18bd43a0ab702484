import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { orderFrequency } from "./order-frequency.ts";
import type { KpiRow } from "./types.ts";

const KPI20 = join(import.meta.dirname, "../../test/fixtures/kpi20");
const opts = { asOf: "2026-02-28", period: "month", periods: 4 } as const;
const triple = (r: KpiRow): [string, unknown, number | undefined, number | undefined] => [r.period, r.key, r.numerator, r.denominator];

describe("orderFrequency", () => {
  it("kpi20, company, monthly (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = orderFrequency(dataset, opts);
    // Nov: G1 | Dec: E1, G2 | Jan: A1, A2, B1, B2, D1, E2, E3 (C1, C2, C3, C4) | Feb: A3, D2, F1, G3 (B3 is a return)
    expect(rows.map((r) => [r.period, r.numerator, r.denominator, r.value])).toEqual([
      ["2025-11", 1, 1, 1],
      ["2025-12", 2, 2, 1],
      ["2026-01", 7, 4, 1.75],
      ["2026-02", 4, 4, 1],
    ]);
    expect(rows[0]).toMatchObject({ kpi: "order_frequency", start: "2025-11-01", end: "2025-11-30", partial: true }); // the data begins on Nov 10
    expect(rows[0]).not.toHaveProperty("key");
  });

  it("kpi20 by segment: a returns-only month leaves the customer inactive (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = orderFrequency(dataset, { ...opts, by: "segment", periods: 2 });
    expect(rows.map(triple)).toEqual([
      ["2026-01", "cafes", 2, 1], // C1: A1, A2
      ["2026-01", "hotels", 2, 1], // C2: B1, B2
      ["2026-01", "institutions", 0, 0],
      ["2026-01", "restaurants", 1, 1], // C3: D1
      ["2026-01", "retail", 2, 1], // C4: E2, E3
      ["2026-02", "cafes", 2, 2], // C1: A3, C5: F1
      ["2026-02", "hotels", 0, 0], // C2: only the return B3
      ["2026-02", "institutions", 1, 1], // C6: G3
      ["2026-02", "restaurants", 1, 1], // C3: D2
      ["2026-02", "retail", 0, 0],
    ]);
    expect(rows.find((r) => r.period === "2026-02" && r.key === "hotels")?.value).toBeUndefined();
    expect(rows.find((r) => r.period === "2026-01" && r.key === "cafes")?.value).toBe(2);
  });

  it("kpi20 by family: an occasion counts once in each family it has a line in (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = orderFrequency(dataset, { ...opts, by: "family", periods: 2 });
    expect(rows.map(triple)).toEqual([
      ["2026-01", "coffee", 3, 2], // A1 (P1), A2, D1 (P1 + P3 once): C1, C3
      ["2026-01", "dairy", 1, 1], // E2
      ["2026-01", "disposables", 4, 3], // A1 (P2), B1, B2, E3: C1, C2, C4
      ["2026-01", "gifts", 0, 0],
      ["2026-02", "coffee", 4, 4], // A3, D2, F1, G3
      ["2026-02", "dairy", 1, 1], // D2
      ["2026-02", "disposables", 1, 1], // F1 (B3 is a return)
      ["2026-02", "gifts", 1, 1], // A3
    ]);
    expect(rows[0]?.value).toBe(1.5);
    expect(rows[2]?.value).toBeCloseTo(4 / 3, 12);
  });

  it("kpi20 by customer and by seller rep", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const jan = orderFrequency(dataset, { ...opts, by: "customer", periods: 2 }).filter((r) => r.period === "2026-01");
    expect(jan.map((r) => [r.key, r.value])).toEqual([["C1", 2], ["C2", 2], ["C3", 1], ["C4", 2], ["C5", undefined], ["C6", undefined]]);
    const reps = orderFrequency(dataset, { ...opts, by: "rep", repBasis: "seller", periods: 1 });
    // Feb: R1 sold A3, G3 (C1, C6); R2 sold D2, F1 (C3, C5)
    expect(reps.map(triple)).toEqual([["2026-02", "R1", 2, 2], ["2026-02", "R2", 2, 2]]);
  });

  it("edge cases: empty dataset, one order, returns only, an order dated on two days", () => {
    const empty = orderFrequency(fromRowsSync({ orders: [] }).dataset, { asOf: "2026-01-31", periods: 2 });
    expect(empty.map((r) => [r.period, r.value, r.numerator, r.denominator])).toEqual([["2025-12", undefined, 0, 0], ["2026-01", undefined, 0, 0]]);
    const one = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 3, unit_price: 2 }] }).dataset;
    expect(orderFrequency(one, { periods: 1 }).map((r) => [r.period, r.value])).toEqual([["2026-01", 1]]);
    const returns = fromRowsSync({ orders: [{ order_id: "R", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: -3, unit_price: 2 }] }).dataset;
    expect(orderFrequency(returns, { periods: 1, by: "segment" }).map((r) => [r.key, r.value, r.numerator])).toEqual([[null, undefined, 0]]);
    // order 7 has lines on Jan 31 and Feb 1: one occasion, in January (its earliest day)
    const split = fromRowsSync({
      orders: [
        { order_id: "7", line_id: 1, order_date: "2026-01-31", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 },
        { order_id: "7", line_id: 2, order_date: "2026-02-01", customer_id: "A", product_id: "Q", quantity: 1, unit_price: 2 },
      ],
    }).dataset;
    expect(orderFrequency(split, { asOf: "2026-02-28", periods: 2 }).map((r) => [r.period, r.numerator])).toEqual([["2026-01", 1], ["2026-02", 0]]);
  });

  it("bad options throw INVALID_OPTION", () => {
    const { dataset } = fromRowsSync({ orders: [] });
    expect(() => orderFrequency(dataset, { periods: 0 })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => orderFrequency(dataset, { by: "planet" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => orderFrequency(dataset, { asOf: "2026-02-30" })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
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
  const run = (orders: readonly object[], by: "company" | "family" | "segment" | "channel"): KpiRow[] =>
    orderFrequency(fromRowsSync({ orders: orders as never, products, customers }).dataset, { asOf: "2026-03-15", periods: 3, by });

  it("property: row order does not matter; orders after asOf change nothing", () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 0, max: 1000 }), fc.constantFrom("company" as const, "family" as const, "segment" as const, "channel" as const), (rows, seed, by) => {
        const shuffled = [...rows].sort((a, b) => ((a.line_id * 7919 + seed) % 1009) - ((b.line_id * 7919 + seed) % 1009));
        const later = [...rows, { order_id: "Z9", line_id: 1, order_date: "2026-03-16", customer_id: "A", product_id: "P1", quantity: 4, unit_price: 2, channel: "web" }];
        const base = run(rows, by);
        expect(run(shuffled, by)).toEqual(base);
        expect(run(later, by)).toEqual(base);
      }),
      { numRuns: 150 },
    );
  });

  it("property: bounds; company numerator = occasions in the window", () => {
    fc.assert(
      fc.property(linesArb, fc.constantFrom("company" as const, "family" as const, "segment" as const, "channel" as const), (rows, by) => {
        for (const r of run(rows, by)) {
          if (r.denominator === 0) expect(r.value).toBeUndefined();
          else {
            expect(r.value!).toBeGreaterThanOrEqual(1);
            expect(r.numerator!).toBeGreaterThanOrEqual(r.denominator!);
            expect(r.denominator!).toBeLessThanOrEqual(3);
          }
        }
        const occ = new Map<string, string>();
        for (const x of rows) {
          if (x.quantity <= 0 || x.order_date > "2026-03-15") continue;
          const k = `${x.customer_id}|${x.order_id}`;
          const d = occ.get(k);
          if (d === undefined || x.order_date < d) occ.set(k, x.order_date);
        }
        const company = run(rows, "company");
        expect(company.reduce((s, r) => s + r.numerator!, 0)).toBe(occ.size);
      }),
      { numRuns: 150 },
    );
  });
});
