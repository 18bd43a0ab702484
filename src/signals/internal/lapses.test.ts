import { describe, expect, it } from "vitest";
import { epochDay } from "../../data/epoch-day.ts";
import { lapses } from "./lapses.ts";

/** Gaps, starts and ends of purchase days. */
const of = (days: number[]): [number[], number[], number[]] => [days.slice(1).map((d, i) => d - days[i]!), days.slice(0, -1), days.slice(1)];
const every = (from: number, to: number, step: number): number[] => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);

describe("lapses", () => {
  it("a long silence the customer came back from is a lapse; two at different times of year are both lapses", () => {
    const react = [...every(epochDay(2023, 11, 7), epochDay(2025, 6, 24), 14), ...every(epochDay(2026, 9, 1), epochDay(2026, 10, 27), 14)];
    const flags = lapses(...of(react), react[0]!);
    expect(flags.filter(Boolean).length).toBe(1);
    expect(flags.indexOf(true)).toBe(every(epochDay(2023, 11, 7), epochDay(2025, 6, 24), 14).length - 1);
    // gone 301 days from December, back, gone 399 days from February (review 2026-12-08: neither counted)
    const two = [...every(epochDay(2023, 1, 3), epochDay(2023, 12, 19), 14), ...every(epochDay(2024, 10, 15), epochDay(2025, 2, 18), 14), ...every(epochDay(2026, 3, 24), epochDay(2026, 5, 19), 14)];
    expect(lapses(...of(two), two[0]!).filter(Boolean).length).toBe(2);
  });

  it("a season is no lapse: a winter every year, and a one-month-a-year buyer's year in its second year", () => {
    const summers = [2024, 2025, 2026].flatMap((y) => every(epochDay(y, 4, 7), epochDay(y, 9, 29), 7));
    expect(lapses(...of(summers), summers[0]!).some(Boolean)).toBe(false);
    // every 3 days in December 2024 and 2025: the 343-day gap ends when its history began (review 2026-12-08: flagged at 117.7x)
    const dec = [...every(epochDay(2024, 12, 1), epochDay(2024, 12, 22), 3), ...every(epochDay(2025, 12, 1), epochDay(2025, 12, 22), 3)];
    expect(lapses(...of(dec), dec[0]!).some(Boolean)).toBe(false);
    // a weekly buyer since March 2023, gone 252 days from June 2024, back in March 2025: the anniversary
    // of its history is no season for it (self-review 2026-12-08: never flagged again)
    const back = [...every(epochDay(2023, 3, 6), epochDay(2024, 6, 24), 7), ...every(epochDay(2025, 3, 3), epochDay(2025, 9, 1), 7)];
    expect(lapses(...of(back), back[0]!).filter(Boolean).length).toBe(1);
    // short gaps are never lapses
    const weekly = every(epochDay(2025, 1, 6), epochDay(2026, 1, 5), 7);
    expect(lapses(...of(weekly), weekly[0]!).some(Boolean)).toBe(false);
    expect(lapses([], [], [], 0)).toEqual([]);
  });
});
