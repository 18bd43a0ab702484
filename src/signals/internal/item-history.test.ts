import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { itemHistory, lnQuantity, pairMargin, pairMarginShare } from "./item-history.ts";

describe("lnQuantity", () => {
  it("is Math.log, the same double, for table and non-table quantities", () => {
    for (const q of [1, 2, 3, 12, 1023, 1024, 1025, 0.5, 2.5, 1e-9, 2 ** 31 + 1, 2 ** 53, Number.MAX_VALUE]) expect(Object.is(lnQuantity(q), Math.log(q))).toBe(true);
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 1e-6, max: 1e12, noNaN: true })), (q) => Object.is(lnQuantity(q), Math.log(q))),
    );
  });
});

describe("margins (money): compensated sums", () => {
  // one purchase day: a huge margin, a small one and the huge one back (another product)
  // a plain running sum gives 0 for the day (1e16 + 1 rounds to 1e16); the compensated one 1
  const line = (id: string, product: string, quantity: number, price: number, cost: number, day = "2026-03-02") => ({ order_id: id, line_id: product, order_date: day, customer_id: "C", product_id: product, quantity, unit_price: price, unit_cost: cost });
  const { dataset } = fromRowsSync({
    orders: [line("O1", "A", 1, 1e16 + 2, 2), line("O1", "B", 1, 3, 2), line("O1", "D", 1, 2, 1e16 + 2), line("O2", "B", 1, 3, 2, "2026-03-09")],
  });
  const b = dataset.ids.products.indexOf("B");

  it("a purchase day's margin and a pair's margin", () => {
    const h = itemHistory(dataset);
    expect([...h.dayMargin.subarray(0, 2)]).toEqual([1, 1]);
    expect(pairMargin(dataset, 0, b, 0, 1e6)).toBe(2);
    expect(pairMargin(dataset, 0, dataset.ids.products.indexOf("A"), 0, 1e6) + pairMargin(dataset, 0, dataset.ids.products.indexOf("D"), 0, 1e6)).toBe(0);
    // B's margin (2) over the customer's (1 + 1): capped at 1; a plain sum of the days gave 0 -> share 0
    const j = Array.from(h.pairProduct.subarray(h.pairStart[0]!, h.pairStart[1]!)).indexOf(b) + h.pairStart[0]!;
    expect(pairMarginShare(dataset, h, 0, j, 0, 1e6)).toBe(1);
  });
});
