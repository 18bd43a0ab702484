import { describe, expect, it } from "vitest";
import { tanhSinh } from "./tanh-sinh.ts";

describe("tanhSinh", () => {
  it("integrates smooth, end-singular and end-layered integrands to about 1e-13", () => {
    expect(tanhSinh((x) => x * x, 0, 3)).toBeCloseTo(9, 12);
    expect(tanhSinh((x) => 1 / Math.sqrt(x), 0, 1)).toBeCloseTo(2, 12); // infinite at 0
    expect(tanhSinh((x) => Math.log(x), 0, 1)).toBeCloseTo(-1, 12);
    expect(tanhSinh((x) => Math.exp(-1e4 * x), 0, 1) * 1e4).toBeCloseTo(1, 10); // a layer of width 1e-4 at 0
    // the distance to the upper end keeps its precision: ∫ (1 − x)^(−0.5) = 2, infinite at 1
    expect(tanhSinh((_x, _lo, toHi) => toHi ** -0.5, 0, 1)).toBeCloseTo(2, 12);
    // a singularity near x^(−1) keeps mass beyond the points' reach (e^(−85)): ∫ x^(−0.9) reads 9.998 for 10
    expect(tanhSinh((x) => x ** -0.9, 0, 1)).toBeLessThan(10);
    expect(tanhSinh(() => 1, 2, 2)).toBe(0);
  });
});
