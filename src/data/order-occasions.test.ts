import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochDay } from "./epoch-day.ts";
import { fromRowsSync } from "./from-rows-sync.ts";
import { orderOccasions } from "./order-occasions.ts";

describe("orderOccasions", () => {
  it("one occasion per (customer, order) with positive lines; returns are not occasions (hand-computed)", () => {
    const { dataset } = fromRowsSync({
      orders: [
        { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P1", quantity: 2, unit_price: 5 },
        { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P2", quantity: 1, unit_price: 0.1 },
        { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P3", quantity: 3, unit_price: 0.2 },
        { order_id: "CR", order_date: "2026-01-07", customer_id: "A", product_id: "P1", quantity: -1, unit_price: 5 },
        // an order whose lines carry two dates counts once, on the earliest
        { order_id: "2", order_date: "2026-01-09", customer_id: "A", product_id: "P1", quantity: 1, unit_price: 5 },
        { order_id: "2", order_date: "2026-01-08", customer_id: "A", product_id: "P2", quantity: 1, unit_price: 1 },
        { order_id: "3", order_date: "2026-01-08", customer_id: "A", product_id: "P2", quantity: 1, unit_price: 1 },
        { order_id: "9", order_date: "2026-01-02", customer_id: "B", product_id: "P1", quantity: 1, unit_price: 5 },
      ],
    });
    const o = orderOccasions(dataset);
    expect(o.length).toBe(4);
    expect([...o.customerStart]).toEqual([0, 3, 4]);
    expect([...o.day]).toEqual([epochDay(2026, 1, 5), epochDay(2026, 1, 8), epochDay(2026, 1, 8), epochDay(2026, 1, 2)]);
    expect([...o.order].map((k) => dataset.ids.orders.values[k])).toEqual(["1", "2", "3", "9"]);
    expect([...o.lines]).toEqual([3, 2, 1, 1]);
    expect(o.revenue[0]).toBeCloseTo(10.7, 12);
    expect(o.revenue[1]).toBe(6);
  });

  it("orders shared by several customers: one occasion per (customer, order), more occasions than orders (the columns grow)", () => {
    const orders = [];
    for (let o = 0; o < 20; o++) {
      for (const customer_id of ["A", "B", "C"]) {
        orders.push({ order_id: `O${String(o).padStart(2, "0")}`, order_date: `2026-03-${String(1 + o).padStart(2, "0")}`, customer_id, product_id: "P", quantity: 2, unit_price: o + 1 });
      }
    }
    const { dataset } = fromRowsSync({ orders });
    const o = orderOccasions(dataset);
    expect(o.length).toBe(60);
    expect([...o.customerStart]).toEqual([0, 20, 40, 60]);
    for (let c = 0; c < 3; c++) {
      for (let k = 0; k < 20; k++) {
        const at = 20 * c + k;
        expect(o.customer[at]).toBe(c);
        expect(o.day[at]).toBe(epochDay(2026, 3, 1 + k));
        expect(o.revenue[at]).toBe(2 * (k + 1));
        expect(o.lines[at]).toBe(1);
      }
    }
  });

  it("empty dataset gives no occasions", () => {
    const o = orderOccasions(fromRowsSync({ orders: [] }).dataset);
    expect(o.length).toBe(0);
    expect([...o.customerStart]).toEqual([0]);
  });

  it("property: occasion count = distinct (customer, order) with a positive line; revenue sums match", () => {
    const r = fc.record({
      order_id: fc.constantFrom("O1", "O2", "O3", "O4"),
      order_date: fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, "0")}`),
      customer_id: fc.constantFrom("A", "B"),
      product_id: fc.constantFrom("P1", "P2", "P3"),
      line_id: fc.integer({ min: 1, max: 1_000_000 }),
      quantity: fc.integer({ min: -3, max: 6 }).filter((q) => q !== 0),
      unit_price: fc.integer({ min: 1, max: 1000 }).map((c) => c / 100),
    });
    fc.assert(
      fc.property(fc.uniqueArray(r, { selector: (x) => `${x.order_id}/${x.line_id}`, maxLength: 40 }), (rows) => {
        const o = orderOccasions(fromRowsSync({ orders: rows }).dataset);
        const keys = new Set(rows.filter((x) => x.quantity > 0).map((x) => `${x.customer_id}|${x.order_id}`));
        expect(o.length).toBe(keys.size);
        const total = rows.filter((x) => x.quantity > 0).reduce((s, x) => s + x.quantity * x.unit_price, 0);
        const sum = o.revenue.reduce((s, x) => s + x, 0);
        expect(Math.abs(sum - total)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(total)));
      }),
      { numRuns: 200 },
    );
  });
});
