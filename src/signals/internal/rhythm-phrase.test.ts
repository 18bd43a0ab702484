import { describe, expect, it } from "vitest";
import { closedMonthDaysBetween } from "../../patterns/internal/customer-calendar.ts";
import { parseDay } from "../../data/parse-day.ts";
import { recentGap, rhythmPhrase } from "./format.ts";

describe("rhythmPhrase / recentGap (customer_overdue's message and `orderpulse patterns`)", () => {
  it("the issue's example: mean, sd, silence and silence ÷ mean", () => {
    expect(rhythmPhrase(21, 5, 38, undefined, "en")).toEqual({ ratio: 38 / 21, shown: { mean: 21, sd: 5, recent: undefined, ratio: 38 / 21 }, text: "Orders every 21±5 days; 38 days since the last order (1.8x the usual gap)" });
    // stored as 2-decimal fields (customer_overdue's evidence), the numbers shown are the fields' rounded
    expect(rhythmPhrase(21, 5, 38, undefined, "en", 2).shown).toEqual({ mean: 21, sd: 5, recent: undefined, ratio: 1.8 });
    expect(rhythmPhrase(21, 5, 38, undefined, "he").text).toBe("מזמין כל 21±5 ימים; 38 ימים מאז ההזמנה האחרונה (פי 1.8 מהרגיל)");
    expect(rhythmPhrase(30, undefined, 45, undefined, "en").text).toBe("Orders every 30 days; 45 days since the last order (1.5x the usual gap)");
  });

  it("a rhythm that changed: the recent gap is named and the ratio is to it", () => {
    // 15-day gaps for a year, then 8-day ones: e^(μ + σ²/2) ≈ 8.6 against a history mean of 14.5
    const recent = recentGap(14.5, 2.127, 0.044, 25);
    expect(recent).toBeCloseTo(Math.exp(2.127 + 0.022), 12);
    expect(rhythmPhrase(14.5, 4, 14, recent, "en").text).toBe("Orders every 15±4 days, lately every 9; 14 days since the last order (1.6x the usual gap)");
    expect(rhythmPhrase(14.5, 4, 14, recent, "he").text).toBe("מזמין כל 15±4 ימים, לאחרונה כל 9; 14 ימים מאז ההזמנה האחרונה (פי 1.6 מהרגיל)");
  });

  it("no recent gap within 1.5x of the history's mean, with fewer than 8 purchase days, or without a mean", () => {
    expect(recentGap(14.5, Math.log(14.5 * 1.4), 0, 25)).toBeUndefined();
    expect(recentGap(14.5, Math.log(14.5 / 1.4), 0, 25)).toBeUndefined();
    expect(recentGap(14.5, Math.log(14.5 * 1.6), 0, 25)).toBeCloseTo(14.5 * 1.6, 9);
    expect(recentGap(14.5, Math.log(8), 0, 7)).toBeUndefined();
    expect(recentGap(undefined, Math.log(8), 0, 25)).toBeUndefined();
  });

  it("a silence through a closed month: the ratio leaves its days out, as the gaps do (it read 9.9x in the usual August closure)", () => {
    // last order Thursday 2026-07-30, as of 2026-09-03: 35 days, 31 of them in a closed August
    const d = (s: string): number => parseDay(s, "d");
    expect(closedMonthDaysBetween(d("2026-07-30"), d("2026-09-03"), [8])).toBe(31);
    expect(closedMonthDaysBetween(d("2026-07-30"), d("2026-08-10"), [8])).toBe(10);
    expect(closedMonthDaysBetween(d("2026-07-30"), d("2026-09-03"), [])).toBe(0);
    expect(closedMonthDaysBetween(d("2025-12-20"), d("2027-01-05"), [1, 8])).toBe(31 + 31 + 5);
    const p = rhythmPhrase(3.5, 3, 35, undefined, "en", undefined, 31);
    expect(p.ratio).toBeCloseTo(4 / 3.5, 12);
    expect(p.text).toBe("Orders every 4±3 days; 35 days since the last order (1.1x the usual gap, 31 closed days not counted)");
    expect(rhythmPhrase(3.5, 3, 35, undefined, "he", undefined, 31).text).toBe("מזמין כל 4±3 ימים; 35 ימים מאז ההזמנה האחרונה (פי 1.1 מהרגיל, לא כולל 31 ימים סגורים)");
  });

  it("one day is a day: \"1 day since the last order\" / \"יום אחד\"", () => {
    expect(rhythmPhrase(4, 4, 1, undefined, "en").text).toBe("Orders every 4±4 days; 1 day since the last order (0.3x the usual gap)");
    expect(rhythmPhrase(4, 4, 1, undefined, "he").text).toBe("מזמין כל 4±4 ימים; יום אחד מאז ההזמנה האחרונה (פי 0.3 מהרגיל)");
  });
});
