import { describe, expect, it } from "vitest";
import { inReferenceUnit } from "./sale-unit.ts";

describe("inReferenceUnit", () => {
  it("reads a list price at least 1.8 times (or at most 1/1.8 of) the reference as another unit of sale, the exact pack doubling included", () => {
    // a case of 6 at 30 becoming a case of 12 at 60: 5 new cases are 10 old ones (review 2026-12-08: read as 5)
    expect(inReferenceUnit(5, 60, 30)).toBe(10);
    expect(inReferenceUnit(20, 15, 30)).toBe(10);
    expect(inReferenceUnit(12, 10, 120)).toBe(1); // 12 units at 10, the reference a case at 120
    expect(inReferenceUnit(5, 54, 30)).toBe(9); // 1.8 ×
    // a list price change under 1.8 × keeps the quantity as sold
    expect(inReferenceUnit(5, 53.7, 30)).toBe(5);
    expect(inReferenceUnit(5, 17, 30)).toBe(5);
    // without a price, as sold
    expect(inReferenceUnit(5, Number.NaN, 30)).toBe(5);
    expect(inReferenceUnit(5, 60, Number.NaN)).toBe(5);
  });
});
