import { describe, expect, it } from "vitest";
import { runChart, type ChartPoint, type ChartSpec } from "./control-chart.ts";

const SPEC: ChartSpec = { direction: 1, scale: "additive", testWeeks: 13, maxTestWeeks: 52, extendAbove: 5, baselineWeeks: 26, minBaseline: 12, k: 0.5, cap: 4, minSigma: 0.001 };

/** Weekly points: a rate of 0.10 (± 0.002 week to week) that rises to 0.13 from week 70, except week 80, back at 0.10. */
function series(n: number): ChartPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    value: i === 80 ? 0.1 : (i >= 70 ? 0.13 : 0.1) + (i % 2 === 0 ? 0.002 : -0.002),
    weight: 100,
    start: 7 * i,
    end: 7 * i + 6,
  }));
}

describe("runChart", () => {
  it("keeps the change point of an ongoing alarm while asOf moves, also when a low week opens the window", () => {
    // the 13-week windows of the 92nd and 93rd points start on and after week 80, the low one: their
    // CUSUM starts the run after it; the wider windows see the run from week 70 (until 2026-12-05 only a run
    // starting on the window's first week widened it, and the change point jumped to week 81)
    const starts: number[] = [];
    for (let n = 80; n <= 96; n++) {
      const r = runChart(series(n), SPEC)!;
      expect(r.statistic, String(n)).toBeGreaterThan(SPEC.extendAbove);
      starts.push(r.changeStart);
    }
    expect(new Set(starts)).toEqual(new Set([70]));
  });

  it("without an alarm the window stays the test window", () => {
    const flat = series(60); // weeks 0-59: no shift yet
    const r = runChart(flat, SPEC)!;
    expect(r.statistic).toBeLessThan(SPEC.extendAbove);
    expect(r.windowWeeks).toBe(13);
  });
});
