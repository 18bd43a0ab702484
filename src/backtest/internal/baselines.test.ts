import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import type { History } from "./history.ts";
import { emptyFlags, naiveRhythmStep } from "./baselines.ts";

describe("naiveRhythmStep", () => {
  it("equal gaps take the floored CV 0.1: a weekly buyer is flagged once its survival is below 1/2000 (10 days), not the day after one gap (review 2026-12-07)", () => {
    const days = Array.from({ length: 12 }, (_, k) => 20_000 + 7 * k); // weekly, 11 equal gaps
    const last = days[days.length - 1]!;
    const { dataset } = fromRowsSync({ orders: [{ order_id: "A", order_date: "2024-10-04", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 1 }] });
    const h = { view: dataset, days: [days] } as unknown as History;
    const at = (asOf: number): boolean => {
      const flags = emptyFlags();
      naiveRhythmStep(h, asOf, flags);
      return flags.days.has("C1");
    };
    // gamma k = 100, θ = 0.07: Q(100, 9 / 0.07) ≈ 0.004 (no flag), Q(100, 10 / 0.07) ≈ 1e-4 (a flag)
    expect([at(last + 7), at(last + 8), at(last + 9), at(last + 10), at(last + 14)]).toEqual([false, false, false, true, true]);
  });
});
