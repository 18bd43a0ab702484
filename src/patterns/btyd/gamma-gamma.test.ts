import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isOrderpulseError } from "../../data/errors.ts";
import { fitGammaGamma, gammaGammaModel } from "./gamma-gamma.ts";

// CDNOW 1/10 sample (lifetimes, MIT): ID,x,t_x,T,zbar (zbar = mean value of the repeat purchases).
const rows = readFileSync(join(import.meta.dirname, "../../../test/fixtures/btyd/cdnow_customers_summary_with_transactions.csv"), "utf8")
  .trim().split(/\r?\n/).slice(1).map((l) => l.split(",").map(Number));
const data = { x: rows.map((r) => r[1]!), monetary: rows.map((r) => r[4]!) };
const firstTen = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];

describe("fitGammaGamma on CDNOW (Fader, Hardie & Lee 2005; lifetimes assertions)", () => {
  const model = fitGammaGamma(data);
  it("reproduces p = 6.25, q = 3.74, v = 15.44 on the 946 repeaters", () => {
    expect(Math.abs(model.params.p - 6.25)).toBeLessThan(0.015);
    expect(Math.abs(model.params.q - 3.74)).toBeLessThan(0.015);
    expect(Math.abs(model.params.v - 15.44)).toBeLessThan(0.015);
    expect(model.customers).toBe(946);
    expect(model.skipped).toBe(1411);
    expect(model.converged).toBe(true);
    expect(model.logLikelihood).toBeLessThan(0);
  });
  it("E[M] for the first 10 customers (fitted and published parameters)", () => {
    const published = gammaGammaModel({ p: 6.25, q: 3.74, v: 15.44 });
    firstTen.forEach((want, i) => {
      const [, x, , , zbar] = rows[i]!;
      expect(Math.abs(model.conditionalExpectedSpend(x!, zbar!) - want)).toBeLessThan(0.1);
      expect(Math.abs(published.conditionalExpectedSpend(x!, zbar!) - want)).toBeLessThan(0.1);
    });
  });
});

describe("fitGammaGamma is scale-equivariant (the currency's unit does not matter)", () => {
  it("spends x 1e-4, 1e6, 1e12: the same p and q, v and E[M] scaled, the log-likelihood moved by -n ln k; converged", () => {
    const base = fitGammaGamma(data);
    for (const k of [1e-4, 1e6, 1e12]) {
      const m = fitGammaGamma({ x: data.x, monetary: data.monetary.map((z) => z * k) });
      expect(m.converged, String(k)).toBe(true);
      expect(m.params.p / base.params.p).toBeCloseTo(1, 6);
      expect(m.params.q / base.params.q).toBeCloseTo(1, 6);
      expect(m.params.v / (base.params.v * k)).toBeCloseTo(1, 6);
      expect(m.conditionalExpectedSpend(3, 40 * k) / (base.conditionalExpectedSpend(3, 40) * k)).toBeCloseTo(1, 6);
      expect(m.logLikelihood - (base.logLikelihood - base.customers * Math.log(k))).toBeCloseTo(0, 4);
    }
  });
});

describe("Gamma-Gamma expressions (properties)", () => {
  it("E[M] lies between the customer's average and the population mean, and moves toward the average with x", () => {
    const params = fc.record({ p: fc.double({ min: 0.1, max: 50, noNaN: true }), q: fc.double({ min: 1.01, max: 50, noNaN: true }), v: fc.double({ min: 0.1, max: 1000, noNaN: true }) });
    fc.assert(fc.property(params, fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 1e4, noNaN: true }), (pr, x, z) => {
      const g = gammaGammaModel(pr);
      const pop = g.conditionalExpectedSpend(0, 0);
      const m1 = g.conditionalExpectedSpend(x, z), m2 = g.conditionalExpectedSpend(x + 1, z);
      const tol = 1e-9 * Math.max(pop, z);
      expect(m1).toBeGreaterThanOrEqual(Math.min(pop, z) - tol);
      expect(m1).toBeLessThanOrEqual(Math.max(pop, z) + tol);
      expect(Math.abs(m2 - z)).toBeLessThanOrEqual(Math.abs(m1 - z) + tol);
    }), { numRuns: 300 });
  });
  it("no mean when q <= 1; NaN for invalid input", () => {
    const g = gammaGammaModel({ p: 1, q: 0.8, v: 10 });
    expect(g.conditionalExpectedSpend(0, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(g.conditionalExpectedSpend(3, 10))).toBe(true);
    expect(g.conditionalExpectedSpend(-1, 10)).toBeNaN();
    expect(g.conditionalExpectedSpend(2, Number.NaN)).toBeNaN();
  });
});

describe("fitGammaGamma input handling", () => {
  it("skips non-repeaters and bad rows; empty gives the log-likelihood of no data (0); bad options throw INVALID_OPTION", () => {
    const m = fitGammaGamma({ x: [0, 2, 3, 1, -2, 1], monetary: [0, 10, 12, 30, 5, Number.NaN] }, { maxEvaluations: 3000 });
    expect(m.customers).toBe(3);
    expect(m.skipped).toBe(3);
    const e = fitGammaGamma({ x: [0], monetary: [0] }, { maxEvaluations: 10 });
    expect(e.logLikelihood).toBe(0);
    expect(e.converged).toBe(false);
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (err) {
        return isOrderpulseError(err) ? err.code : "other";
      }
      return undefined;
    };
    expect(codeOf(() => fitGammaGamma(data, { initial: { p: 1, q: 0, v: 1 } }))).toBe("INVALID_OPTION");
    expect(codeOf(() => fitGammaGamma(data, { maxEvaluations: 1.5 }))).toBe("INVALID_OPTION");
    expect(codeOf(() => fitGammaGamma({ x: [1, 2], monetary: [3] }))).toBe("INVALID_OPTION");
    expect(codeOf(() => gammaGammaModel({ p: 1, q: 1, v: Number.NaN }))).toBe("INVALID_OPTION");
  });
});

describe("fitGammaGamma: row order", () => {
  it("shuffled customers give the same parameters to the last bit (summed in (x, z̄) order)", () => {
    const n = data.x.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const shuffled = { x: perm.map((i) => data.x[i]!), monetary: perm.map((i) => data.monetary[i]!) };
    expect(fitGammaGamma(shuffled).params).toEqual(fitGammaGamma(data).params);
  });
});
