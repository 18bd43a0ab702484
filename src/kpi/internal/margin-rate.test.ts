import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochDay } from "../../data/epoch-day.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { grossProfit } from "../gross-profit.ts";
import { trailingMarginRate } from "./margin-rate.ts";

describe("trailingMarginRate", () => {
  it("costed lines of the 365 days up to asOf, returns netted (hand-computed)", () => {
    const { dataset } = fromRowsSync({
      orders: [
        // 366 days before asOf: outside
        { order_id: "0", order_date: "2025-01-30", customer_id: "A", product_id: "P", quantity: 100, unit_price: 10, unit_cost: 1 },
        // 365th day back (asOf − 364): inside; margin 10 × (3 − 2) = 10 on revenue 30
        { order_id: "1", order_date: "2025-01-31", customer_id: "A", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 },
        // a return of 2: margin −2, revenue −6
        { order_id: "2", order_date: "2025-06-01", customer_id: "A", product_id: "P", quantity: -2, unit_price: 3, unit_cost: 2 },
        // no cost: left out
        { order_id: "3", order_date: "2025-07-01", customer_id: "B", product_id: "Q", quantity: 5, unit_price: 7 },
        // margin 4 × (5 − 1) = 16 on revenue 20
        { order_id: "4", order_date: "2026-01-30", customer_id: "B", product_id: "R", quantity: 4, unit_price: 5, unit_cost: 1 },
        // after asOf: outside
        { order_id: "5", order_date: "2026-01-31", customer_id: "B", product_id: "R", quantity: 40, unit_price: 5, unit_cost: 5 },
      ],
    });
    expect(trailingMarginRate(dataset, epochDay(2026, 1, 30))).toBeCloseTo((10 - 2 + 16) / (30 - 6 + 20), 14);
    // a day earlier the first line is the window's first day: 100 × (10 − 1) = 900 on 1,000
    expect(trailingMarginRate(dataset, epochDay(2026, 1, 29))).toBe((900 + 10 - 2) / (1000 + 30 - 6));
    // nothing in the window
    expect(trailingMarginRate(dataset, epochDay(2024, 12, 31))).toBeUndefined();
  });

  it("equals grossProfit's Σ value ÷ Σ costed revenue over 365 daily rows, clamped to [0, 1] (fast-check)", () => {
    const line = fc.record({
      // day relative to asOf, the window's edges (−365, −364, 0, +1) included on purpose
      day: fc.oneof(fc.integer({ min: -400, max: 1 }), fc.constantFrom(-365, -364, 0, 1)),
      customer: fc.constantFrom("A", "B", "C"),
      product: fc.constantFrom("P", "Q"),
      quantity: fc.integer({ min: -5, max: 40 }).filter((q) => q !== 0),
      price: fc.integer({ min: 1, max: 5000 }),
      // unit cost as a share of the price (mostly below it, so the rate is rarely clamped)
      costShare: fc.option(fc.integer({ min: 0, max: 110 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), (lines) => {
        const asOf = epochDay(2026, 3, 1);
        const orders = lines.map((l, k) => ({
          order_id: `o${k}`,
          order_date: new Date((asOf + l.day) * 86_400_000),
          customer_id: l.customer,
          product_id: l.product,
          quantity: l.quantity,
          unit_price: l.price / 100,
          ...(l.costShare === undefined ? {} : { unit_cost: (l.price * l.costShare) / 10_000 }),
        }));
        const { dataset } = fromRowsSync({ orders });
        let gp = 0, rev = 0;
        for (const r of grossProfit(dataset, { asOf, period: "day", periods: 365 })) {
          gp += r.value ?? 0;
          rev += r.costedRevenue;
        }
        const rate = trailingMarginRate(dataset, asOf);
        if (!(rev > 1e-9)) return rate === undefined || Math.abs(rev) < 1e-6;
        const want = Math.min(1, Math.max(0, gp / rev));
        expect(rate).toBeDefined();
        expect(Math.abs(rate! - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(gp / rev)));
        return true;
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
