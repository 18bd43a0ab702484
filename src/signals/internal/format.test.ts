import { describe, expect, it } from "vitest";
import { signalId } from "./format.ts";

describe("signalId", () => {
  it("joins the type and the parts with ':', leaving undefined parts out", () => {
    expect(signalId("item_dropped", "C1", "P1", "2026-10-05")).toBe("item_dropped:C1:P1:2026-10-05");
    expect(signalId("kpi_drop", "sku_breadth", "company", undefined, "2026-07-13")).toBe("kpi_drop:sku_breadth:company:2026-07-13");
  });

  it("percent-encodes ':' and '%' inside a part, so ids of different situations never collide", () => {
    const a = signalId("item_dropped", "A:B", "C", "2026-10-05");
    const b = signalId("item_dropped", "A", "B:C", "2026-10-05");
    expect(a).toBe("item_dropped:A%3AB:C:2026-10-05");
    expect(b).toBe("item_dropped:A:B%3AC:2026-10-05");
    expect(a).not.toBe(b);
    expect(signalId("customer_overdue", "50%:x", 7)).toBe("customer_overdue:50%25%3Ax:7");
  });
});
