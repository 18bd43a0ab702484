import { describe, expect, it } from "vitest";
import { fitGrid, gridPosterior } from "./log-gap-grid.ts";

describe("grid prior (NPMLE by EM, smoothed)", () => {
  const weekly = Math.log(7), monthly = Math.log(30), yearly = Math.log(365);
  const obs = [
    ...Array.from({ length: 60 }, (_, k) => ({ mean: weekly + 0.02 * ((k % 5) - 2), variance: 0.01 })),
    ...Array.from({ length: 40 }, (_, k) => ({ mean: monthly + 0.02 * ((k % 5) - 2), variance: 0.02 })),
  ];
  const g = fitGrid(obs);
  it("recovers a two-peak prior: mass near a week and a month, little in between", () => {
    const mass = (lo: number, hi: number): number => {
      let s = 0;
      for (let k = 0; k < g.length; k++) {
        const x = Math.log(0.5) + k * ((Math.log(1500) - Math.log(0.5)) / 127);
        if (x >= lo && x < hi) s += g[k]!;
      }
      return s;
    };
    expect(g.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(mass(weekly - 0.2, weekly + 0.2)).toBeGreaterThan(0.5);
    expect(mass(monthly - 0.2, monthly + 0.2)).toBeGreaterThan(0.33);
    expect(mass(Math.log(12), Math.log(18))).toBeLessThan(0.03);
  });
  it("posterior: a noisy customer between the peaks goes to one; a precise yearly one keeps its own mean", () => {
    const between = gridPosterior(g, Math.log(11), 0.3);
    expect(Math.abs(between.mean - weekly) < 0.35 || Math.abs(between.mean - monthly) < 0.35).toBe(true);
    const year = gridPosterior(g, yearly, 0.01);
    expect(year.mean).toBeCloseTo(yearly, 1);
    // a precise customer is not snapped to a grid point
    const precise = gridPosterior(g, weekly + 0.013, 1e-5);
    expect(precise.mean).toBeCloseTo(weekly + 0.013, 3);
    // the prior itself
    const prior = gridPosterior(g, 0, Infinity);
    expect(prior.mean).toBeGreaterThan(weekly);
    expect(prior.mean).toBeLessThan(monthly);
  });
});
