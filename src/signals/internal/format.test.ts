import { describe, expect, it } from "vitest";
import { iso, signalId } from "./format.ts";

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

describe("iso", () => {
  it("wraps a name with Latin letters in one isolate, once; a name that only starts with U+2068 is wrapped too (it left the isolate open)", () => {
    expect(iso("ACME Ltd.")).toBe("\u2068ACME Ltd.\u2069");
    expect(iso(iso("ACME Ltd."))).toBe(iso("ACME Ltd."));
    expect(iso("קפה")).toBe("קפה");
    expect(iso("\u2068ACME Ltd.")).toBe("\u2068\u2068ACME Ltd.\u2069");
    // two isolates side by side are not one: wrapped as a whole
    expect(iso("\u2068A\u2069 \u2068B\u2069")).toBe("\u2068\u2068A\u2069 \u2068B\u2069\u2069");
  });
});
