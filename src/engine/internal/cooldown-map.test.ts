import { describe, expect, it } from "vitest";
import { CooldownMap } from "./cooldown-map.ts";

describe("CooldownMap", () => {
  it("indexes keys by their customer field: deleteCustomer removes that customer's keys only", () => {
    const m = new CooldownMap();
    m.set("customer_overdue\u0000C1\u0000\u0000\u0000\u0000\u0000", 10);
    m.set("item_dropped\u0000C1\u0000P1\u0000\u0000\u0000\u0000", 11);
    m.set("item_dropped\u0000C10\u0000P1\u0000\u0000\u0000\u0000", 12);
    m.set("kpi_drop\u0000\u0000\u0000\u0000gross_profit\u0000\u0000R1", 13);
    m.set("customer_overdue\u0000C1\u0000\u0000\u0000\u0000\u0000", 14); // an update keeps one key
    expect(m.size).toBe(4);
    m.deleteCustomer("C1");
    expect([...m.entries()]).toEqual([
      ["item_dropped\u0000C10\u0000P1\u0000\u0000\u0000\u0000", 12],
      ["kpi_drop\u0000\u0000\u0000\u0000gross_profit\u0000\u0000R1", 13],
    ]);
    m.delete("item_dropped\u0000C10\u0000P1\u0000\u0000\u0000\u0000");
    m.deleteCustomer("C10"); // nothing left of it
    m.deleteCustomer(""); // business-level keys are not indexed by customer
    expect([...m.entries()].map(([k]) => k)).toEqual(["kpi_drop\u0000\u0000\u0000\u0000gross_profit\u0000\u0000R1"]);
    expect(m.get("kpi_drop\u0000\u0000\u0000\u0000gross_profit\u0000\u0000R1")).toBe(13);
    expect(m.has("customer_overdue\u0000C1\u0000\u0000\u0000\u0000\u0000")).toBe(false);
  });
});
