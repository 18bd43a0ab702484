import { describe, expect, it } from "vitest";
import { asOfView } from "../../data/as-of-view.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { costBasis, costFor } from "./cost-basis.ts";

const line = (id: string, day: string, cost?: number) => ({ order_id: id, order_date: day, customer_id: "C1", product_id: "P", quantity: 2, unit_price: 5, ...(cost === undefined ? {} : { unit_cost: cost }) });

describe("costBasis", () => {
  it("revenue when no visible line has a unit cost, margin as soon as one has", () => {
    expect(costBasis(fromRowsSync({ orders: [line("1", "2026-01-05"), line("2", "2026-02-05")] }).dataset)).toBe("revenue");
    const mixed = fromRowsSync({ orders: [line("1", "2026-01-05"), line("2", "2026-02-05", 3)] }).dataset;
    expect(costBasis(mixed)).toBe("margin");
    // the only costed line is after asOf: the view sees none
    expect(costBasis(asOfView(mixed, "2026-01-31"))).toBe("revenue");
    expect(costBasis(fromRowsSync({ orders: [] }).dataset)).toBe("revenue");
  });

  it("costFor: the cost (NaN when unknown) on the margin basis, 0 on the revenue basis", () => {
    const cost = Float64Array.of(3, Number.NaN);
    expect(costFor(cost, 0, "margin")).toBe(3);
    expect(costFor(cost, 1, "margin")).toBeNaN();
    expect(costFor(cost, 1, "revenue")).toBe(0);
  });
});
