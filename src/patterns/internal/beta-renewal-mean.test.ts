import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { betaRenewalMean } from "./beta-renewal-mean.ts";

const close = (got: number, want: number, rel: number): void => expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want));

describe("betaRenewalMean", () => {
  it("reproduces BG/NBD's E[X(t)] and E[Y(t) | x, t_x, T] (mpmath, 60 digits, of eqs. 9 and 10)", () => {
    // r = 500, α = 10, a = 0.01, b = 100: a regular buyer, where the series cancels
    close(betaRenewalMean(0.01, 100, 500, 30 / 10), 1470.8935643541577, 1e-12);
    close(betaRenewalMean(0.01, 100, 500, 100 / 10), 4851.6327200058, 1e-12);
    // E[Y(100) | 5, 5, 5] / P(alive): Beta(a, b + x), Gamma(r + x, α + T); P(alive) = 1 / (1 + a/(b+x−1)·((α+T)/(α+t_x))^(r+x)) = 1/(1 + 0.01/104)
    close(betaRenewalMean(0.01, 105, 505, 100 / 15) / (1 + 0.01 / 104), 3279.642045725206, 1e-12);
    // MBG/NBD E[X(100)] = P(alive | 0, 0, 0) · mean over Beta(a, b + 1): b / (a + b)
    close((100 / 100.01) * betaRenewalMean(0.01, 101, 500, 100 / 10), 4851.5941282183785, 1e-12);
    // a + b = 1, where the closed form's lower parameter is 0
    close(betaRenewalMean(0.25, 0.75, 0.5, 10 / 5), 0.8015713385723336, 1e-12);
    // shapes of 1e6: a peak of width 3.5e-4 (and ln B(a, b) = −1.4e6)
    close(betaRenewalMean(1e6, 1e6, 1e6, 1e4 / 1e6), 2.000001000001, 1e-12);
  });
  it("tends to its ends' values when the mass piles up at an end (shapes near 0)", () => {
    close(betaRenewalMean(1e-14, 5, 1e9, 26 / 1e8), 260, 1e-12); // p ≈ 0: λ·t
    close(betaRenewalMean(2, 1e-12, 3, 2), -Math.expm1(-3 * Math.log1p(2)), 1e-11); // p ≈ 1: 1 − (1 + w)^(−R)
  });
  it("property: within [f(1), R·w], not decreasing in w, and NaN for impossible arguments", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 50, noNaN: true }), fc.double({ min: 0.05, max: 50, noNaN: true }), fc.double({ min: 0.05, max: 200, noNaN: true }), fc.double({ min: 1e-3, max: 100, noNaN: true }), (a, b, R, w) => {
        const v = betaRenewalMean(a, b, R, w);
        expect(v).toBeLessThanOrEqual(R * w * (1 + 1e-12));
        expect(v).toBeGreaterThanOrEqual(-Math.expm1(-R * Math.log1p(w)) * (1 - 1e-12));
        expect(betaRenewalMean(a, b, R, w * 1.5)).toBeGreaterThanOrEqual(v * (1 - 1e-13));
      }),
      { numRuns: 200 },
    );
    expect(betaRenewalMean(0, 1, 1, 1)).toBeNaN();
    expect(betaRenewalMean(1, 1, 1, -1)).toBeNaN();
    expect(betaRenewalMean(1, 1, 1, 0)).toBe(0);
  });
});
