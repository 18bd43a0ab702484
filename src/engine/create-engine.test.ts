import { describe, expect, it } from "vitest";
import { createEngine, fromRowsSync } from "../index.ts";

describe("smoke", () => {
  it("example", () => {
    const orders = [];
    for (let w = 0; w < 40; w++) {
      const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
      orders.push({ order_id: `O${w}`, line_id: 1, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2, rep_id: "R1" });
    }
    const { dataset } = fromRowsSync({ orders });
    const seen: string[] = [];
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"] }, onSignal: (s, e) => seen.push(`${e.kind} ${s.id}`) });
    engine.tick("2026-11-09");
    expect(seen).toEqual(["opened customer_overdue:C1:2026-10-05"]);
    engine.ingest([{ order_id: "O99", line_id: 1, order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 }]);
    engine.ingest([{ order_id: "O99", line_id: 1, order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 }]);
    expect(seen.slice(1)).toEqual(["resolved customer_overdue:C1:2026-10-05"]);
    expect(engine.kpis().revenue).toBe(12);
  });
});
