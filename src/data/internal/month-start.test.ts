import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstsOfMonth, reportDay } from "../../backtest/internal/baselines.ts";
import { formatDate } from "../../tasks/internal/format-locale.ts";
import { civilFromEpochDay } from "../civil-from-epoch-day.ts";
import { formatDay } from "../format-day.ts";
import { parseDay } from "../parse-day.ts";
import { monthStartDay } from "./month-start.ts";

describe("monthStartDay", () => {
  it("is the 1st of the month, months carrying into the years around; the years 0-99 are themselves (Date.UTC reads them as 19xx)", () => {
    expect(formatDay(monthStartDay(2026, 0))).toBe("2026-01-01");
    expect(formatDay(monthStartDay(2026, 12))).toBe("2027-01-01");
    expect(formatDay(monthStartDay(2026, -1))).toBe("2025-12-01");
    expect(formatDay(monthStartDay(50, 25))).toBe("0052-02-01");
    fc.assert(
      fc.property(fc.integer({ min: -719_528, max: 2_932_896 }), (d) => {
        const [y, m, dd] = civilFromEpochDay(d);
        expect(monthStartDay(y, m - 1)).toBe(d - dd + 1);
      }),
    );
  });

  it("the backtest's monthly report and a brief's dates in the years 0-99 (they were 1900-1999)", () => {
    expect(firstsOfMonth(parseDay("0050-01-15"), parseDay("0050-04-01")).map(formatDay)).toEqual(["0050-02-01", "0050-03-01", "0050-04-01"]);
    expect(formatDay(reportDay(parseDay("0050-01-15")))).toBe("0050-05-01"); // 90 days after: April 15, listed on May 1
    expect(formatDay(reportDay(parseDay("2025-12-01")))).toBe("2026-03-01"); // due on a 1st: that day
    expect(formatDay(reportDay(parseDay("2025-12-02")))).toBe("2026-04-01");
    expect(formatDate("en", "0026-03-05")).not.toContain("1926");
    expect(formatDate("en", "0026-03-05")).toBe(new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(parseDay("0026-03-05") * 86_400_000)));
  });
});
