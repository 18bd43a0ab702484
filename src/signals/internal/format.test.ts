import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iso, joinIds, signalId, splitIds } from "./format.ts";

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

describe("joinIds / splitIds", () => {
  it("a list of ids as one text and back, whatever the ids hold (a deal id with a comma was split in two)", () => {
    expect(joinIds(["D1", "D2"])).toBe("D1,D2");
    expect(joinIds(["A,B", "50%", "C"])).toBe("A%2CB,50%25,C");
    fc.assert(
      fc.property(fc.array(fc.string()), (ids) => {
        expect(splitIds(joinIds(ids))).toEqual(ids.length === 1 && ids[0] === "" ? [] : ids);
      }),
    );
    expect(splitIds("")).toEqual([]);
  });
});

