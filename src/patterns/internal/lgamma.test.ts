import { describe, expect, it } from "vitest";
import { lbeta, lgamma } from "./lgamma.ts";

describe("lgamma", () => {
  it("matches reference values (Python math.lgamma)", () => {
    const cases: [number, number][] = [
      [1e-5, 11.512919692895824],
      [0.243, 1.3180435846996699],
      [0.5, Math.log(Math.sqrt(Math.PI))],
      [3.7, 1.4280723266653883],
      [100, 359.1342053695754],
      [1e6 + 0.5, 12815511.476902764],
    ];
    for (const [x, want] of cases) expect(Math.abs(lgamma(x) - want)).toBeLessThan(1e-13 * Math.max(1, Math.abs(want)));
  });
  it("is log((n-1)!) at the integers, 0 at 1 and 2", () => {
    let f = 0;
    for (let n = 1; n < 60; n++) {
      if (n > 1) f += Math.log(n - 1);
      expect(Math.abs(lgamma(n) - f)).toBeLessThan(1e-12 * Math.max(1, f));
    }
    expect(Math.abs(lgamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(lgamma(2))).toBeLessThan(1e-14);
  });
  it("reflects for negative non-integers and is infinite at the poles", () => {
    expect(lgamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
    expect(lgamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(lgamma(-3)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(lgamma(Number.NaN))).toBe(true);
  });
  it("lbeta(a, b) = ln B(a, b)", () => {
    expect(lbeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(lbeta(0.793, 2.426)).toBeCloseTo(lgamma(0.793) + lgamma(2.426) - lgamma(3.219), 14);
  });
});
