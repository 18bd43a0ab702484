import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromRowsSync } from "./from-rows-sync.ts";
import { rowSchemas } from "./row-schemas.ts";

describe("rowSchemas", () => {
  it("accepts every order row the ingestion core accepts (shape is necessary, not sufficient)", () => {
    const cell = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant(""), fc.constant("x"), fc.constant("2026-01-05"), fc.constant("12.5"), fc.constant(-1), fc.constant(3));
    const row = fc.record({
      order_id: cell, order_date: cell, customer_id: cell, product_id: cell, quantity: cell, unit_price: cell, line_id: cell, unit_cost: cell, list_price: cell, rep_id: cell, channel: cell, currency: cell,
    });
    fc.assert(
      fc.property(row, (r) => {
        const { report } = fromRowsSync({ orders: [r as never] });
        if (report.accepted === 1) expect(rowSchemas.orders.safeParse(r).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
  it("rejects rows missing required fields in every table", () => {
    expect(rowSchemas.customers.safeParse({}).success).toBe(false);
    expect(rowSchemas.products.safeParse({ product_id: "" }).success).toBe(false);
    expect(rowSchemas.reps.safeParse({ rep_id: "R1" }).success).toBe(true);
    expect(rowSchemas.dealEvents.safeParse({ deal_id: "D", customer_id: "C", stage: "lead" }).success).toBe(false);
    expect(rowSchemas.targets.safeParse({ rep_id: "R", period: "2026-01", kpi: "revenue", target: 5 }).success).toBe(true);
    expect(rowSchemas.content.safeParse({ content_id: "K", title: "T" }).success).toBe(false);
  });
});
