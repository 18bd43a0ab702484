import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import { formatDay } from "../../data/format-day.ts";
import { parseDay } from "../../data/parse-day.ts";
import { firstsOfMonth, reportDay } from "./baselines.ts";

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
