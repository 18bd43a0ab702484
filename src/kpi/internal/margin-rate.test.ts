import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochDay } from "../../data/epoch-day.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { grossProfit } from "../gross-profit.ts";
import { analyze } from "../../analyze.ts";
import type { OrderRow } from "../../data/rows.ts";
import { parseDay } from "../../data/parse-day.ts";
import { trailingMarginRate } from "./margin-rate.ts";

describe("trailingMarginRate", () => {
  it("costed sales of the 365 days up to asOf, returns left out (hand-computed)", () => {
    const { dataset } = fromRowsSync({
      orders: [
        // 366 days before asOf: outside
        { order_id: "0", order_date: "2025-01-30", customer_id: "A", product_id: "P", quantity: 100, unit_price: 10, unit_cost: 1 },
        // 365th day back (asOf − 364): inside; margin 10 × (3 − 2) = 10 on revenue 30
        { order_id: "1", order_date: "2025-01-31", customer_id: "A", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 },
        // a return of 2: left out (netted until 2026-12-07: margin −2, revenue −6)
        { order_id: "2", order_date: "2025-06-01", customer_id: "A", product_id: "P", quantity: -2, unit_price: 3, unit_cost: 2 },
        // no cost: left out
        { order_id: "3", order_date: "2025-07-01", customer_id: "B", product_id: "Q", quantity: 5, unit_price: 7 },
        // margin 4 × (5 − 1) = 16 on revenue 20
        { order_id: "4", order_date: "2026-01-30", customer_id: "B", product_id: "R", quantity: 4, unit_price: 5, unit_cost: 1 },
        // after asOf: outside
        { order_id: "5", order_date: "2026-01-31", customer_id: "B", product_id: "R", quantity: 40, unit_price: 5, unit_cost: 5 },
      ],
    });
    expect(trailingMarginRate(dataset, epochDay(2026, 1, 30))).toBeCloseTo((10 + 16) / (30 + 20), 14);
    // a day earlier the first line is the window's first day: 100 × (10 − 1) = 900 on 1,000
    expect(trailingMarginRate(dataset, epochDay(2026, 1, 29))).toBe((900 + 10) / (1000 + 30));
    // nothing in the window
    expect(trailingMarginRate(dataset, epochDay(2024, 12, 31))).toBeUndefined();
  });

  it("equals Σ q·(price − cost) ÷ Σ q·price over the window's costed sales, clamped to [0, 1]; on sales alone grossProfit's margin (fast-check)", () => {
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
        // by hand from the generated lines: the window's costed sales
        let gp = 0, rev = 0;
        for (const o of orders) {
          const d = Math.round(o.order_date.getTime() / 86_400_000) - asOf;
          if (d < -364 || d > 0 || o.quantity <= 0 || !("unit_cost" in o)) continue;
          gp += o.quantity * (o.unit_price - (o.unit_cost as number));
          rev += o.quantity * o.unit_price;
        }
        const rate = trailingMarginRate(dataset, asOf);
        if (!(rev > 0)) return rate === undefined;
        const want = Math.min(1, Math.max(0, gp / rev));
        expect(rate).toBeDefined();
        expect(Math.abs(rate! - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(gp / rev)));
        // without returns, grossProfit's own margin over 365 daily rows (its definition nets them)
        if (orders.every((o) => o.quantity > 0)) {
          let g = 0, r = 0;
          for (const row of grossProfit(dataset, { asOf, period: "day", periods: 365 })) {
            g += row.value ?? 0;
            r += row.costedRevenue;
          }
          expect(Math.abs(rate! - Math.min(1, Math.max(0, g / r)))).toBeLessThanOrEqual(1e-9);
        }
        return true;
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

const sale = (id: string, day: string, quantity: number, price: number, cost: number): OrderRow => ({ order_id: id, order_date: day, customer_id: "C1", product_id: "P", quantity, unit_price: price, unit_cost: cost });

describe("trailingMarginRate: the rate of the year's costed sales (review 2026-12-07)", () => {
  // two sales: revenue 100 + 300 = 400, margin 20 + 60 = 80: rate 0.2
  const sales = [sale("S1", "2026-03-02", 10, 10, 8), sale("S2", "2026-06-01", 30, 10, 8)];
  const asOf = parseDay("2026-10-31", "d");

  it("a large credit note does not move it (netted, half the year's revenue back at 40 % read 0, more than the year's 1)", () => {
    expect(trailingMarginRate(fromRowsSync({ orders: sales }).dataset, asOf)).toBeCloseTo(0.2, 12);
    for (const q of [-20, -41]) {
      // a return of 20 (or 41) units sold at 10 with a cost of 6: −200 (−410) of revenue at 40 %
      const withReturn = fromRowsSync({ orders: [...sales, sale("R1", "2026-07-01", q, 10, 6)] }).dataset;
      expect(trailingMarginRate(withReturn, asOf)).toBeCloseTo(0.2, 12);
    }
  });

  it("sales older than a year, lines without a cost and returns alone give no rate", () => {
    expect(trailingMarginRate(fromRowsSync({ orders: [sale("S0", "2025-10-01", 10, 10, 8)] }).dataset, asOf)).toBeUndefined();
    expect(trailingMarginRate(fromRowsSync({ orders: [{ order_id: "N", order_date: "2026-03-02", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 5 }] }).dataset, asOf)).toBeUndefined();
    expect(trailingMarginRate(fromRowsSync({ orders: [sale("R", "2026-03-02", -1, 10, 8)] }).dataset, asOf)).toBeUndefined();
  });

  it("analyze: every line costed and returns above sales still values in margin (it said the data has no costs)", () => {
    const { dataset } = fromRowsSync({ orders: [...sales, sale("R1", "2026-07-01", -41, 10, 6)] });
    const a = analyze(dataset, { asOf: "2026-10-31" });
    expect([a.valueOptions.marginRateSource, a.valueOptions.marginRate]).toEqual(["data", expect.closeTo(0.2, 12)]);
  });
});
