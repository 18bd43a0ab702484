import { describe, expect, it } from "vitest";
import { nelderMead } from "./nelder-mead.ts";

describe("nelderMead", () => {
  it("minimises the Rosenbrock function (2-d and 4-d)", () => {
    const rosen = (x: readonly number[]): number => {
      let s = 0;
      for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
      return s;
    };
    const r2 = nelderMead(rosen, [-1.2, 1]);
    expect(r2.x[0]).toBeCloseTo(1, 5);
    expect(r2.x[1]).toBeCloseTo(1, 5);
    const r4 = nelderMead(rosen, [-1, 1, -1, 1], { maxEvaluations: 50_000 });
    for (const v of r4.x) expect(v).toBeCloseTo(1, 4);
  });
  it("treats non-finite values as +Infinity (stays in the feasible region)", () => {
    const f = (x: readonly number[]): number => (x[0]! <= 0 ? Number.NaN : (Math.log(x[0]!) - 1) ** 2);
    const r = nelderMead(f, [1]);
    expect(r.x[0]).toBeCloseTo(Math.E, 6);
  });
  it("stall rule: stops on a flat ridge the simplex would follow to the budget, and leaves a convergent search alone", () => {
    // decreasing ever more slowly along x = y toward a limit of 0: the simplex follows it until
    // the numbers overflow
    const ridge = (x: readonly number[]): number => (x[0]! - x[1]!) ** 2 + 1 / (1 + Math.abs(x[0]!));
    const plainRidge = nelderMead(ridge, [0, 0], { maxEvaluations: 10_000 });
    const stalled = nelderMead(ridge, [0, 0], { maxEvaluations: 10_000, stall: { evaluations: 200, tolerance: 1e-9 } });
    expect(stalled.evaluations).toBeLessThan(plainRidge.evaluations / 4);
    expect(stalled.converged).toBe(false);
    // stopped where the gain left is below the tolerance
    expect(stalled.value - plainRidge.value).toBeLessThan(1e-9);
    const quad = (x: readonly number[]): number => (x[0]! - 3) ** 2 + 2 * (x[1]! + 1) ** 2;
    const plain = nelderMead(quad, [0, 0]);
    const withStall = nelderMead(quad, [0, 0], { stall: { evaluations: 200, tolerance: 1e-9 } });
    expect(withStall).toEqual(plain);
  });
});
