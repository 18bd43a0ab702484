import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import { formatDay } from "../../data/format-day.ts";
import { parseDay } from "../../data/parse-day.ts";
import { emptyFlags, firstsOfMonth, naiveRhythmStep, reportDay } from "./baselines.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import type { History } from "./history.ts";

describe("the static monthly report's days", () => {
  it("firstsOfMonth: every 1st of a month in [from, to] and nothing else; reportDay: the first 1st at least 90 days after the last order, over the whole calendar range", () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_528, max: 2_932_000 }), fc.integer({ min: 0, max: 400 }), (from, span) => {
        const to = from + span;
        const expected: number[] = [];
        for (let d = from; d <= to; d++) if (civilFromEpochDay(d)[2] === 1) expected.push(d);
        expect(firstsOfMonth(from, to)).toEqual(expected);
        let due = from + 90;
        while (civilFromEpochDay(due)[2] !== 1) due++;
        expect(reportDay(from)).toBe(due);
      }),
    );
  });

  it("in the years 0-99 (Date.UTC read them as 1900-1999)", () => {
    expect(firstsOfMonth(parseDay("0050-01-15"), parseDay("0050-04-01")).map(formatDay)).toEqual(["0050-02-01", "0050-03-01", "0050-04-01"]);
    expect(formatDay(reportDay(parseDay("0050-01-15")))).toBe("0050-05-01"); // 90 days after: April 15, listed on May 1
    expect(formatDay(reportDay(parseDay("2025-12-01")))).toBe("2026-03-01"); // due on a 1st: that day
    expect(formatDay(reportDay(parseDay("2025-12-02")))).toBe("2026-04-01");
  });
});

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
