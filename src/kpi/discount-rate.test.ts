import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { discountRate } from "./discount-rate.ts";

const fixture = join(import.meta.dirname, "..", "..", "test", "fixtures", "kpi20");
const close = (x: number | undefined, y: number): void => {
  expect(x).toBeDefined();
  expect(Math.abs(x! - y)).toBeLessThan(1e-12);
};

describe("discountRate on the kpi20 fixture (hand-computed)", async () => {
  const { dataset } = await readDataset({ path: fixture });
  const opts = { asOf: "2026-02-28", periods: 2 } as const;

  it("company, monthly: Jan 1 − 484/546, Feb 1 − 304.5/339 (the B3 return excluded)", () => {
    const [jan, feb] = discountRate(dataset, opts);
    expect(jan).toMatchObject({ kpi: "discount_rate", period: "2026-01", numerator: 484, denominator: 546, discountAmount: 62, linesWithoutList: 0, returnLines: 0, lines: 9, partial: false });
    close(jan!.value, 62 / 546);
    // D2/P4 has no list price on the line: the product's 8 is used (3 x 7 vs 3 x 8)
    expect(feb).toMatchObject({ period: "2026-02", numerator: 304.5, denominator: 339, linesWithoutList: 0, returnLines: 1, lines: 8 });
    close(feb!.value, 34.5 / 339);
  });

  it("a sale at list price up to rounding is no discount (review 2026-12-07: a USD list price converted at 3.7 read −2.2e-16, '-0.0%')", () => {
    const { dataset: ds } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 12, currency: "USD" }], products: [{ product_id: "P", list_price: 44.4 }] }, { currency: "ILS", fx: { USD: 3.7 } });
    const [r] = discountRate(ds, { asOf: "2026-01-31", periods: 1 });
    expect([r?.value, r?.discountAmount]).toEqual([0, 0]);
    expect(Object.is(r?.value, -0)).toBe(false);
  });

  it("default window is 12 months ending with asOf's month; December 2025 = 1 − 120/146", () => {
    const rows = discountRate(dataset, { asOf: "2026-02-25" });
    expect(rows).toHaveLength(12);
    expect(rows[11]).toMatchObject({ period: "2026-02", partial: true });
    const dec = rows.find((r) => r.period === "2025-12")!;
    expect([dec.numerator, dec.denominator]).toEqual([120, 146]);
    expect(rows.find((r) => r.period === "2025-10")!.value).toBeUndefined();
  });

  it("by segment, February: cafes 28.5/225, hotels only a return, retail empty", () => {
    const feb = discountRate(dataset, { ...opts, by: "segment" }).filter((r) => r.period === "2026-02");
    const by = Object.fromEntries(feb.map((r) => [r.key, r]));
    expect(Object.keys(by).sort()).toEqual(["cafes", "hotels", "institutions", "restaurants", "retail"]);
    expect(by.cafes).toMatchObject({ numerator: 196.5, denominator: 225 });
    close(by.cafes!.value, 28.5 / 225);
    expect(by.hotels).toMatchObject({ value: undefined, returnLines: 1, lines: 1, denominator: 0 });
    close(by.restaurants!.value, 3 / 84);
    close(by.institutions!.value, 0.1);
    expect(by.retail).toMatchObject({ value: undefined, lines: 0 });
  });

  it("by rep (owner), January: R1 1 − 317/355, R2 1 − 167/191", () => {
    const jan = discountRate(dataset, { ...opts, by: "rep" }).filter((r) => r.period === "2026-01");
    expect(jan.map((r) => [r.key, r.numerator, r.denominator])).toEqual([["R1", 317, 355], ["R2", 167, 191]]);
    close(jan[0]!.value, 38 / 355);
    close(jan[1]!.value, 24 / 191);
  });

  it("by family, February: coffee 20.5/240, dairy 3/24, disposables 1/25, gifts 10/50", () => {
    const feb = discountRate(dataset, { ...opts, by: "family" }).filter((r) => r.period === "2026-02");
    expect(feb.map((r) => r.key)).toEqual(["coffee", "dairy", "disposables", "gifts"]);
    const v = feb.map((r) => r.value!);
    close(v[0], 20.5 / 240);
    close(v[1], 0.125);
    close(v[2], 0.04);
    close(v[3], 0.2);
  });
});

describe("discountRate edge cases", () => {
  const line = (o: Partial<OrderRow>): OrderRow => ({ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 10, ...o });

  it("lines without a list price are counted and excluded; the product's list price fills in", () => {
    const { dataset } = fromRowsSync({
      orders: [line({ line_id: "1", list_price: 20 }), line({ line_id: "2", product_id: "Q" }), line({ line_id: "3", product_id: "R" })],
      products: [{ product_id: "R", list_price: 12.5 }],
    });
    const [row] = discountRate(dataset, { asOf: "2026-01-31", periods: 1 });
    expect(row).toMatchObject({ numerator: 20, denominator: 32.5, linesWithoutList: 1, lines: 3 });
    close(row!.value, 1 - 20 / 32.5);
  });

  it("no list price at all: value undefined, every line counted", () => {
    const { dataset } = fromRowsSync({ orders: [line({}), line({ order_id: "2", quantity: -1 })] });
    // January is partial: the data begins on the 5th
    expect(discountRate(dataset, { asOf: "2026-01-31", periods: 1 })).toEqual([
      { kpi: "discount_rate", period: "2026-01", start: "2026-01-01", end: "2026-01-31", partial: true, value: undefined, numerator: 0, denominator: 0, discountAmount: 0, linesWithoutList: 2, returnLines: 0, lines: 2 },
    ]);
  });

  it("a line above list is a negative discount", () => {
    const { dataset } = fromRowsSync({ orders: [line({ list_price: 8 })] });
    close(discountRate(dataset, { asOf: "2026-01-31", periods: 1 })[0]!.value, -0.25);
  });

  it("empty dataset: rows with undefined values", () => {
    const { dataset } = fromRowsSync({ orders: [] });
    const rows = discountRate(dataset, { asOf: "2026-01-31", periods: 2 });
    expect(rows.map((r) => [r.period, r.value, r.lines])).toEqual([["2025-12", undefined, 0], ["2026-01", undefined, 0]]);
  });

  it("bad options throw INVALID_OPTION", () => {
    const { dataset } = fromRowsSync({ orders: [] });
    expect(() => discountRate(dataset, { periods: 0 })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => discountRate(dataset, { by: "colour" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });
});

describe("discountRate properties", () => {
  const day = (d: number): string => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
  const row = fc.record({
    order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5"),
    line_id: fc.constantFrom("1", "2", "3"),
    order_date: fc.integer({ min: 0, max: 89 }).map(day),
    customer_id: fc.constantFrom("A", "B", "C", "D"),
    product_id: fc.constantFrom("P1", "P2", "P3"),
    quantity: fc.integer({ min: -3, max: 6 }).filter((q) => q !== 0),
    unit_price: fc.integer({ min: 1, max: 40 }),
    list_price: fc.option(fc.integer({ min: 1, max: 40 }), { nil: "" }),
  });
  const customers = [
    { customer_id: "A", segment: "s1", rep_id: "R1" },
    { customer_id: "B", segment: "s2", rep_id: "R1" },
    { customer_id: "C", segment: "s1", rep_id: "R2" },
  ];
  const products = [{ product_id: "P1", family: "f1", list_price: 10 }, { product_id: "P2", family: "f2" }];
  const by = fc.constantFrom("company", "segment", "rep", "family", "customer") as fc.Arbitrary<"company" | "segment" | "rep" | "family" | "customer">;

  it("row order changes nothing; the rate is never above 1", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), by, (orders, b) => {
        // distinct keys, so that shuffling cannot change which duplicate wins
        const keyed = orders.map((o, i) => ({ ...o, line_id: String(i) }));
        const opts = { asOf: "2026-03-31", periods: 3, by: b } as const;
        const a = discountRate(fromRowsSync({ orders: keyed, customers, products }).dataset, opts);
        const r = discountRate(fromRowsSync({ orders: [...keyed].reverse(), customers: [...customers].reverse(), products }).dataset, opts);
        expect(r).toEqual(a);
        for (const x of a) if (x.value !== undefined) expect(x.value).toBeLessThan(1);
      }),
      { numRuns: 150 },
    );
  });

  it("adding orders after asOf changes nothing", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.array(row, { maxLength: 15 }), fc.integer({ min: 0, max: 60 }), by, (base, extra, cut, b) => {
        const later = extra.map((x, i) => ({ ...x, order_id: `L${i}`, order_date: day(cut + 1 + (i % 20)) }));
        const opts = { asOf: day(cut), periods: 3, by: b } as const;
        const a = discountRate(fromRowsSync({ orders: base, customers, products }).dataset, opts);
        const r = discountRate(fromRowsSync({ orders: [...base, ...later], customers, products }).dataset, opts);
        expect(r).toEqual(a);
      }),
      { numRuns: 150 },
    );
  });
});
