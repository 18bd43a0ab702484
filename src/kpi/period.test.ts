import fc from "fast-check";
import { getISOWeek, getISOWeekYear } from "date-fns";
import { describe, expect, it } from "vitest";
import { epochDay } from "../data/epoch-day.ts";
import { formatDay } from "../data/format-day.ts";
import { periodOf, type PeriodSpec, type PeriodUnit } from "./period.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";

const spec = (unit: PeriodUnit, weekStartsOn: 0 | 1 = 1, fiscalYearStartMonth = 1): PeriodSpec => ({ unit, weekStartsOn, fiscalYearStartMonth });

describe("periodOf", () => {
  it("labels and bounds (hand-checked)", () => {
    const d = epochDay(2026, 11, 23); // a Monday
    expect(periodOf(d, spec("day")).label).toBe("2026-11-23");
    expect(periodOf(d, spec("month"))).toMatchObject({ label: "2026-11", start: epochDay(2026, 11, 1), end: epochDay(2026, 11, 30) });
    expect(periodOf(d, spec("quarter"))).toMatchObject({ label: "2026-Q4", start: epochDay(2026, 10, 1), end: epochDay(2026, 12, 31) });
    expect(periodOf(d, spec("year"))).toMatchObject({ label: "2026", start: epochDay(2026, 1, 1), end: epochDay(2026, 12, 31) });
    expect(periodOf(d, spec("week", 1))).toMatchObject({ label: "2026-W48", start: d, end: d + 6 });
    expect(periodOf(d, spec("week", 0))).toMatchObject({ label: "2026-11-22", start: d - 1, end: d + 5 });
    expect(periodOf(epochDay(2026, 6, 30), spec("fiscal", 1, 7))).toMatchObject({ label: "FY2026", start: epochDay(2025, 7, 1), end: epochDay(2026, 6, 30) });
    expect(periodOf(epochDay(2026, 7, 1), spec("fiscal", 1, 7)).label).toBe("FY2027");
    expect(periodOf(epochDay(2026, 3, 1), spec("fiscal", 1, 1)).label).toBe("FY2026");
    expect(periodOf(epochDay(2021, 1, 3), spec("week", 1)).label).toBe("2020-W53");
  });

  it("checks the day and the spec; a missing week start or fiscal month is the documented default (review 2026-12-07)", () => {
    const d = epochDay(2026, 11, 25); // a Wednesday of ISO week 48
    // without weekStartsOn it read Sunday bounds (11-22..11-28) under an ISO label, 2026-W47
    expect(periodOf(d, { unit: "week" } as PeriodSpec)).toMatchObject({ label: "2026-W48", start: epochDay(2026, 11, 23), end: epochDay(2026, 11, 29) });
    expect(periodOf(d, { unit: "fiscal" } as PeriodSpec)).toMatchObject({ label: "FY2026", start: epochDay(2026, 1, 1) });
    const bad: [number, unknown, string][] = [
      [d, { unit: "week", weekStartsOn: 9, fiscalYearStartMonth: 1 }, "weekStartsOn"],
      [d, { unit: "fiscal", weekStartsOn: 1, fiscalYearStartMonth: 13 }, "fiscalYearStartMonth"],
      [d, { unit: "fiscal", weekStartsOn: 1, fiscalYearStartMonth: 0 }, "fiscalYearStartMonth"],
      [d, { unit: "bogus", weekStartsOn: 1, fiscalYearStartMonth: 1 }, "unit"],
      [d, {}, "unit"],
      [d, "month", "options"],
      [d, { ...spec("month"), extra: 1 }, "extra"],
      [1.5, spec("month"), "day"],
      [Number.NaN, spec("month"), "day"],
    ];
    for (const [day, s, option] of bad) expectInvalid(() => periodOf(day, s as PeriodSpec), option);
  });

  it("property: every day lies in its period; consecutive ordinals tile the calendar; ISO weeks match date-fns", () => {
    const units: PeriodUnit[] = ["day", "week", "month", "quarter", "year", "fiscal"];
    fc.assert(
      fc.property(fc.integer({ min: -30000, max: 60000 }), fc.constantFrom(...units), fc.constantFrom(0 as const, 1 as const), fc.integer({ min: 1, max: 12 }), (day, unit, ws, fm) => {
        const s = spec(unit, ws, fm);
        const p = periodOf(day, s);
        expect(p.start).toBeLessThanOrEqual(day);
        expect(p.end).toBeGreaterThanOrEqual(day);
        const next = periodOf(p.end + 1, s);
        expect(next.index).toBe(p.index + 1);
        expect(next.start).toBe(p.end + 1);
        if (unit === "week" && ws === 1) {
          const [yy, mm, dd] = formatDay(day).split("-").map(Number) as [number, number, number];
          const date = new Date(yy, mm - 1, dd); // local midnight: date-fns reads local time
          const iso = `${getISOWeekYear(date)}-W${String(getISOWeek(date)).padStart(2, "0")}`;
          expect(p.label).toBe(iso);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
