import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { log1pExp } from "./log1p-exp.ts";
import { fitLogistic, linearPredictor, sigmoid } from "./logistic.ts";

/** Penalized log-likelihood computed independently, on the standardized scale of a fit. */
function penalizedLL(x: number[][], y: number[], means: readonly number[], scales: readonly number[], lambda: number, b: number[]): number {
  let ll = 0;
  for (let i = 0; i < x.length; i++) {
    let eta = b[0]!;
    for (let j = 0; j < means.length; j++) eta += b[j + 1]! * ((x[i]![j]! - means[j]!) / scales[j]!);
    const p = 1 / (1 + Math.exp(-eta));
    ll += y[i]! * Math.log(p) + (1 - y[i]!) * Math.log(1 - p);
  }
  let pen = 0;
  for (let j = 1; j < b.length; j++) pen += b[j]! ** 2;
  return ll - (lambda / 2) * pen;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("fitLogistic (IRLS)", () => {
  it("intercept only: logit of the mean", () => {
    const y = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0];
    const f = fitLogistic(y.map(() => []), y, { l2: 0 });
    expect(f.converged).toBe(true);
    expect(f.intercept).toBeCloseTo(Math.log(2 / 8), 10);
    expect(f.coefficients).toEqual([]);
  });

  it("one binary feature, unpenalized: the saturated model (hand-computed)", () => {
    // x = 0: 1 of 4 positive; x = 1: 3 of 4 positive -> intercept ln(1/3), slope ln 3 - ln(1/3) = 2 ln 3
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    const f = fitLogistic(x, y, { l2: 0 });
    expect(f.converged).toBe(true);
    expect(f.iterations).toBeLessThan(15);
    expect(f.intercept).toBeCloseTo(-Math.log(3), 10);
    expect(f.coefficients[0]).toBeCloseTo(2 * Math.log(3), 10);
    expect(sigmoid(linearPredictor(f, [1]))).toBeCloseTo(0.75, 10);
    // standardization: mean 0.5, sd 0.5
    expect(f.means).toEqual([0.5]);
    expect(f.scales).toEqual([0.5]);
    expect(f.standardizedCoefficients[0]).toBeCloseTo(Math.log(3), 10);
  });

  it("L2 shrinks the standardized slope and leaves the intercept free (gradient vanishes, objective is a maximum)", () => {
    const rnd = lcg(7);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 300; i++) {
      const a = rnd() * 10, b = rnd() * 2 - 1, c = 5; // c constant: sd 1, slope penalized to 0
      x.push([a, b, c]);
      y.push(rnd() < sigmoid(-2 + 0.4 * a - 1.5 * b) ? 1 : 0);
    }
    for (const lambda of [0, 1, 50]) {
      const f = fitLogistic(x, y, { l2: lambda });
      expect(f.converged).toBe(true);
      const b = [f.standardizedIntercept, ...f.standardizedCoefficients];
      const obj = penalizedLL(x, y, f.means, f.scales, lambda, b);
      expect(f.penalizedLogLikelihood).toBeCloseTo(obj, 8);
      // central finite differences of the independent objective: zero at the optimum
      for (let j = 0; j < b.length; j++) {
        const h = 1e-5;
        const up = [...b], dn = [...b];
        up[j]! += h;
        dn[j]! -= h;
        const fd = (penalizedLL(x, y, f.means, f.scales, lambda, up) - penalizedLL(x, y, f.means, f.scales, lambda, dn)) / (2 * h);
        expect(Math.abs(fd)).toBeLessThan(1e-5);
        expect(Math.abs(f.gradient[j]!)).toBeLessThan(1e-8);
        // a maximum (the constant column is a flat direction without a penalty)
        if (j !== 3 || lambda > 0) expect(penalizedLL(x, y, f.means, f.scales, lambda, up)).toBeLessThan(obj);
      }
      expect(f.scales[2]).toBe(1);
      expect(f.coefficients[2]).toBeCloseTo(0, 8);
    }
    const s = [0, 1, 50].map((l) => Math.abs(fitLogistic(x, y, { l2: l }).standardizedCoefficients[0]!));
    expect(s[0]!).toBeGreaterThan(s[1]!);
    expect(s[1]!).toBeGreaterThan(s[2]!);
    // original-scale coefficients are close to the truth without penalty (300 rows: loose)
    const f0 = fitLogistic(x, y, { l2: 0 });
    expect(f0.coefficients[0]).toBeGreaterThan(0.2);
    expect(f0.coefficients[1]).toBeLessThan(-0.5);
  });

  it("fractional labels and weights: weight 2 equals a duplicated row", () => {
    const x = [[0], [1], [2], [3], [4]];
    const y = [0.1, 0, 1, 0.7, 1];
    const weighted = fitLogistic(x, y, { l2: 0.5, weights: [1, 2, 1, 1, 1], standardize: false });
    const duplicated = fitLogistic([[0], [1], [1], [2], [3], [4]], [0.1, 0, 0, 1, 0.7, 1], { l2: 0.5, standardize: false });
    expect(weighted.intercept).toBeCloseTo(duplicated.intercept, 10);
    expect(weighted.coefficients[0]).toBeCloseTo(duplicated.coefficients[0]!, 10);
  });

  it("separable data without a penalty stops (step halving, maxIterations) with finite coefficients", () => {
    const f = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], { l2: 0, maxIterations: 40 });
    expect(Number.isFinite(f.coefficients[0]!)).toBe(true);
    expect(f.coefficients[0]!).toBeGreaterThan(5);
    const g = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], { l2: 1 });
    expect(g.converged).toBe(true);
  });

  it("rejects bad input", () => {
    expect(() => fitLogistic([], [])).toThrow(RangeError);
    expect(() => fitLogistic([[1], [1, 2]], [0, 1])).toThrow(/row 1/);
    expect(() => fitLogistic([[1]], [2])).toThrow(/label/);
    expect(() => fitLogistic([[Number.NaN]], [1])).toThrow(/finite/);
  });

  it("log1pExp and sigmoid are stable at the extremes", () => {
    expect(log1pExp(800)).toBe(800);
    expect(log1pExp(-800)).toBe(0);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    fc.assert(fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (t) => Math.abs(log1pExp(t) - Math.log(1 + Math.exp(t))) < 1e-12 * (1 + Math.abs(t))));
  });
});
