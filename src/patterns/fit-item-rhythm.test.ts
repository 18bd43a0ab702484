import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { fitIntervalModel } from "./fit-interval-model.ts";
import { fitItemRhythm } from "./fit-item-rhythm.ts";

const day = (k: number): string => new Date(Date.UTC(2026, 0, 5 + 7 * k)).toISOString().slice(0, 10);

function weekly(customer: string, weeks: number, items: Record<string, (w: number) => number>): OrderRow[] {
  const rows: OrderRow[] = [];
  for (let w = 0; w < weeks; w++) {
    for (const [product, qty] of Object.entries(items)) {
      const q = qty(w);
      if (q > 0) rows.push({ order_id: `${customer}-${w}`, order_date: day(w), customer_id: customer, product_id: product, quantity: q, unit_price: 1 });
    }
  }
  return rows;
}

describe("fitItemRhythm", () => {
  it("counts, cadence, usual quantity and the missing streak (hand-computed)", () => {
    const rows = weekly("C1", 12, { BREAD: () => 10, OIL: (w) => (w % 3 === 0 ? 2 : 0), SALT: (w) => (w < 6 ? 1 : 0) });
    const r = fitItemRhythm(fromRowsSync({ orders: rows }).dataset, { asOf: day(11) });
    const get = (p: string) => r.find((x) => x.productId === p)!;
    expect(get("BREAD")).toMatchObject({ orders: 12, itemOrders: 12, usualQuantity: 10, ordersSinceLast: 0 });
    expect(get("OIL")).toMatchObject({ orders: 12, itemOrders: 4, ordersSinceLast: 2, lastBought: day(9) });
    expect(get("SALT")).toMatchObject({ orders: 12, itemOrders: 6, ordersSinceLast: 6 });
    expect(get("BREAD").inclusion).toBeGreaterThan(0.85);
    expect(get("SALT").missingProbability).toBeLessThan(0.05); // bought every week, then 6 weeks without: unusual
    expect(get("OIL").missingProbability).toBeGreaterThan(0.3); // every 3rd order, missing 2: normal
  });

  it("shrinks a short history towards how the product is usually bought", () => {
    const rows: OrderRow[] = [];
    for (let c = 0; c < 20; c++) rows.push(...weekly(`P${c}`, 20, { MILK: () => 1, CAKE: (w) => (w % 4 === 0 ? 1 : 0) }));
    rows.push(...weekly("NEW", 2, { CAKE: (w) => (w === 0 ? 1 : 0), MILK: () => 1 }));
    const r = fitItemRhythm(fromRowsSync({ orders: rows }).dataset, { asOf: day(19) });
    const cake = r.find((x) => x.customerId === "NEW" && x.productId === "CAKE")!;
    expect(cake.itemOrders).toBe(1);
    expect(cake.inclusion).toBeGreaterThan(0.2);
    expect(cake.inclusion).toBeLessThan(0.5); // raw 1/2, pulled towards 1/4
  });

  it("dates the next purchase from the customer's rhythm", () => {
    const rows = weekly("C1", 20, { BREAD: () => 10, OIL: (w) => (w % 4 === 0 ? 2 : 0) });
    const ds = fromRowsSync({ orders: rows }).dataset;
    const customers = fitIntervalModel(ds, { asOf: day(19) });
    const r = fitItemRhythm(ds, { asOf: day(19), customers });
    const bread = r.find((x) => x.productId === "BREAD")!;
    const oil = r.find((x) => x.productId === "OIL")!;
    expect(bread.expectedNext).toBe(customers.customer("C1")!.expectedNext);
    expect(oil.expectedNext! > bread.expectedNext!).toBe(true);
  });

  it("properties: inclusion in (0,1]; row order and data after asOf change nothing", () => {
    const r = fc.record({ c: fc.constantFrom("A", "B", "C"), p: fc.constantFrom("X", "Y", "Z"), w: fc.integer({ min: 0, max: 30 }), q: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0) });
    fc.assert(
      fc.property(fc.array(r, { maxLength: 60 }), (xs) => {
        const rows: OrderRow[] = xs.map((x, i) => ({ order_id: `${x.c}-${x.w}`, line_id: i, order_date: day(x.w), customer_id: x.c, product_id: x.p, quantity: x.q, unit_price: 1 }));
        const a = fitItemRhythm(fromRowsSync({ orders: rows }).dataset, { asOf: day(30) });
        for (const x of a) {
          expect(x.inclusion).toBeGreaterThan(0);
          expect(x.inclusion).toBeLessThanOrEqual(1);
          expect(x.missingProbability).toBeLessThanOrEqual(1);
        }
        const later = [...rows].reverse().concat([{ order_id: "Z", order_date: day(40), customer_id: "A", product_id: "X", quantity: 1, unit_price: 1 }]);
        expect(fitItemRhythm(fromRowsSync({ orders: later }).dataset, { asOf: day(30) })).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});
