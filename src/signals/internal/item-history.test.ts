import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lnQuantity } from "./item-history.ts";

describe("lnQuantity", () => {
  it("is Math.log, the same double, for table and non-table quantities", () => {
    for (const q of [1, 2, 3, 12, 1023, 1024, 1025, 0.5, 2.5, 1e-9, 2 ** 31 + 1, 2 ** 53, Number.MAX_VALUE]) expect(Object.is(lnQuantity(q), Math.log(q))).toBe(true);
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 1e-6, max: 1e12, noNaN: true })), (q) => Object.is(lnQuantity(q), Math.log(q))),
    );
  });
});
