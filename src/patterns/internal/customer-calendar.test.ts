import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import { epochDay } from "../../data/epoch-day.ts";
import { addOpenDays, inferClosures, monthOf, openDaysBetween, weekday } from "./customer-calendar.ts";

describe("customer calendar", () => {
  it("monthOf and weekday match the civil calendar (table and fallback ranges)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -40_000, max: 100_000 }), (d) => {
        expect(monthOf(d)).toBe(civilFromEpochDay(d)[1] - 1);
        expect(weekday(d)).toBe(new Date(d * 86_400_000).getUTCDay());
      }),
      { numRuns: 5000 },
    );
  });
  it("open days skip closed months and weekdays; addOpenDays inverts openDaysBetween", () => {
    const c = { months: 1 << 7, weekdays: (1 << 5) | (1 << 6) }; // August, Fri-Sat
    const jul31 = epochDay(2026, 7, 31);
    expect(openDaysBetween(jul31, epochDay(2026, 9, 1), c)).toBe(1); // only Tue Sep 1
    fc.assert(
      fc.property(fc.integer({ min: 18_000, max: 22_000 }), fc.integer({ min: 1, max: 400 }), (from, k) => {
        const to = addOpenDays(from, k, c);
        expect(openDaysBetween(from, to, c)).toBe(k);
      }),
      { numRuns: 300 },
    );
  });
  it("infers closures only with enough evidence", () => {
    const days: number[] = [];
    for (let d = epochDay(2024, 1, 1); d < epochDay(2026, 6, 1); d += 3) if (monthOf(d) !== 7 && weekday(d) !== 6) days.push(d);
    expect(inferClosures(days)).toEqual({ months: 1 << 7, weekdays: 1 << 6 });
    expect(inferClosures(days.slice(0, 10))).toEqual({ months: 0, weekdays: 0 }); // too few orders to tell
  });
});
