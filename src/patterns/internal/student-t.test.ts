import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lgamma as logGamma } from "./lgamma.ts";
import { betaContinuedFraction, incompleteBeta, incompleteBetaGiven, logBetaInverse, studentTCdf, studentTQuantile } from "./student-t.ts";

/** incompleteBeta as written before its constants could be given (the oracle of the "same double" test). */
function incompleteBetaAsBefore(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betaContinuedFraction(b, a, 1 - x)) / b;
}

describe("student-t utilities", () => {
  it("logGamma matches factorials and Γ(1/2) = √π", () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(171)).toBeCloseTo(706.5730622457874, 8); // ln(170!)
  });
  it("incompleteBeta: closed forms", () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(incompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 14);
    expect(incompleteBeta(0.3, 1, 3)).toBeCloseTo(1 - 0.7 ** 3, 14);
  });
  it("incompleteBeta and incompleteBetaGiven (constants precomputed) give the same double as the formula written inline", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), fc.double({ min: 0.05, max: 500, noNaN: true }), fc.double({ min: 0.05, max: 500, noNaN: true }), (x, a, b) => {
        const given = incompleteBetaGiven(x, a, b, logBetaInverse(a, b), Math.log(x), Math.log1p(-x));
        const want = incompleteBetaAsBefore(x, a, b);
        expect(Object.is(given, want)).toBe(true);
        expect(Object.is(incompleteBeta(x, a, b), want)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
  it("t CDF and quantile: Cauchy (ν=1), ν=2 closed forms, symmetry, round trip", () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 13);
    expect(studentTCdf(2, 2)).toBeCloseTo(0.5 + 2 / (2 * Math.sqrt(6)), 13);
    expect(studentTCdf(-1.3, 7) + studentTCdf(1.3, 7)).toBeCloseTo(1, 14);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    for (const p of [0.01, 0.1, 0.3, 0.7, 0.9, 0.99]) expect(studentTCdf(studentTQuantile(p, 4.5), 4.5)).toBeCloseTo(p, 10);
    // Cauchy quantile in closed form: tan(π(p − 1/2)), into the far tails
    for (const p of [1e-9, 1e-4, 0.2, 0.51, 0.95, 1 - 1e-6]) {
      const exact = Math.tan(Math.PI * (p - 0.5));
      expect(Math.abs(studentTQuantile(p, 1) - exact)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(exact)));
    }
  });
  it("the CDF keeps its precision next to 0 (body form), so quantiles near 1/2 are exact", () => {
    // t₅ density at 0: Γ(3) / (√(5π) Γ(5/2)) = 0.379606689...
    expect((studentTCdf(1e-10, 5) - 0.5) / 1e-10).toBeCloseTo(0.379606689, 6);
    // (p = 0.5 + 1e-12 itself carries a rounding error of about 5e-5 relative to 1e-12)
    expect(studentTQuantile(0.5 + 1e-12, 5) / (1e-12 / 0.379606689)).toBeCloseTo(1, 3);
    // the two forms meet at t² = ν
    expect(studentTCdf(Math.sqrt(5) * (1 - 1e-12), 5)).toBeCloseTo(studentTCdf(Math.sqrt(5) * (1 + 1e-12), 5), 11);
  });
  it("quantile inverts the CDF across ν and p (Newton steps inside a bisection bracket)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.double({ min: 0.5, max: 500, noNaN: true }), (p, nu) => {
        const q = studentTQuantile(p, nu);
        expect(Math.abs(studentTCdf(q, nu) - p)).toBeLessThanOrEqual(1e-9 * Math.max(p, 1 - p));
      }),
      { numRuns: 300 },
    );
  });
});
