import { describe, expect, it } from "vitest";
import { hyp2f1 } from "./hyp2f1.ts";

const longSeries = (a: number, b: number, c: number, z: number): number => {
  let term = 1, sum = 1;
  for (let n = 0; n < 100_000; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
  }
  return sum;
};
const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe("hyp2f1", () => {
  it("2F1(1,1;2;z) = -ln(1-z)/z (series, degenerate c-a-b = 0 near 1, Pfaff for z < 0)", () => {
    for (const z of [-20, -5, -1, -0.3, 0.01, 0.3, 0.5, 0.74, 0.76, 0.9, 0.99, 0.999]) {
      expect(rel(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-12);
    }
  });
  it("2F1(a,b;b;z) = (1-z)^-a (1-z connection formula, a pole of 1/Γ(c-b))", () => {
    for (const [a, b] of [[0.7, 2.3], [3.2, 0.4], [26.55, 1.6]] as const) {
      for (const z of [-3, -0.5, 0.2, 0.6, 0.8, 0.95, 0.999]) {
        expect(rel(hyp2f1(a, b, b, z), Math.pow(1 - z, -a))).toBeLessThan(1e-12);
      }
    }
  });
  it("2F1(1/2,1/2;3/2;z^2) = asin(z)/z and 2F1(1/2,1;3/2;-z^2) = atan(z)/z", () => {
    for (const z of [0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 0.9999]) {
      expect(rel(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z)).toBeLessThan(1e-12);
    }
    for (const z of [0.1, 0.9, 1, 2, 10, 100]) {
      expect(rel(hyp2f1(0.5, 1, 1.5, -z * z), Math.atan(z) / z)).toBeLessThan(1e-12);
    }
  });
  it("Gauss's sum at z = 1 and the terminating polynomial", () => {
    // 2F1(1/2, 1/2; 2; 1) = Γ(2)Γ(1)/(Γ(3/2)²) = 4/π
    expect(rel(hyp2f1(0.5, 0.5, 2, 1), 4 / Math.PI)).toBeLessThan(1e-13);
    expect(hyp2f1(1, 1, 2, 1)).toBe(Number.POSITIVE_INFINITY);
    // 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z²/(c(c+1))
    const b = 1.5, c = 2.5;
    for (const z of [-7, 0.3, 0.9, 1]) expect(rel(hyp2f1(-2, b, c, z), 1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)))).toBeLessThan(1e-13);
  });
  it("the Pareto/NBD form 2F1(a,b;a+1;z) agrees with a long direct series on both sides of the switch at z = 0.75", () => {
    for (const [a, b] of [[27.16, 1.606], [27.16, 26.55], [1.2, 1.55], [3.7, 0.3]] as const) {
      for (const z of [0.5, 0.75, 0.7500001, 0.76, 0.8, 0.9]) expect(rel(hyp2f1(a, b, a + 1, z), longSeries(a, b, a + 1, z))).toBeLessThan(1e-12);
      // against a direct long series at z = 0.95
      let term = 1, sum = 1;
      for (let n = 0; n < 20000; n++) {
        term *= ((a + n) * (b + n)) / ((a + 1 + n) * (n + 1)) * 0.95;
        sum += term;
      }
      expect(rel(hyp2f1(a, b, a + 1, 0.95), sum)).toBeLessThan(1e-12);
    }
  });
  it("NaN outside the domain", () => {
    expect(hyp2f1(1, 1, 2, 1.5)).toBeNaN();
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN();
    expect(hyp2f1(Number.NaN, 1, 2, 0.5)).toBeNaN();
    expect(hyp2f1(0, 1, 2, 0.5)).toBe(1);
    // the defining series not converged within its 2,000,000 terms (z within 1e-6 of 1, c − a − b
    // near an integer): NaN, not the partial sum (it read 3x off in the Pareto/NBD P(alive))
    expect(hyp2f1(4.5002, 4.0002, 5.5002, 0.999999)).toBeNaN();
  });
});

describe("hyp2f1 with large parameters (review 2026-12-06)", () => {
  it("a converged series returns its sum, not NaN, for |a| + |b| in the millions (mpmath)", () => {
    // the series waited 2(|a|+|b|)+|c| terms before it could stop: more than its 2,000,000-term cap
    const A = 34219225.77710029;
    expect(hyp2f1(A, 1.5, A + 1, 0.5)).toBeCloseTo(2.82842700076, 9);
    expect(Math.abs(hyp2f1(3e6, 1.5, 3e6 + 1, 0.999) / 31606.9941645 - 1)).toBeLessThan(1e-9);
  });
});

describe("hyp2f1: the Pareto shape's series stops at its tail bound (review 2026-12-06)", () => {
  it("a, b > 0, c ≥ a: the sum to the bound z·max(1, (b+k)/(k+1)) on every later ratio equals a 100,000-term sum, for a in the hundreds of millions (where it summed 100,000 terms a call) and for small a", () => {
    for (const a of [0.5, 3, 40, 1.5e8]) {
      for (const b of [1 + 1e-14, 0.3, 2.5, 12]) {
        for (const z of [0.2, 0.6, 0.977, 0.995]) {
          for (const c of [a + 1, a + 3.5]) {
            const want = longSeries(a, b, c, z);
            expect([a, b, c, z, rel(hyp2f1(a, b, c, z), want) < 1e-13]).toEqual([a, b, c, z, true]);
          }
        }
      }
    }
  });
});
