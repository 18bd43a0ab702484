import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { predictiveScaleFactor } from "./scale-calibration.ts";

/** Deterministic pseudo-random in (0, 1) (mulberry32: streams of nearby seeds are not correlated, unlike a bare LCG's). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 2 ** 32;
  };
}

/** n draws of k·T, T ~ Student-t with ν degrees of freedom (a normal over √(χ²_ν/ν), Box–Muller normals). */
function tDraws(n: number, nu: number, k: number, seed: number): Float64Array {
  const r = rng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let chi = 0;
    for (let j = 0; j < nu; j++) chi += normal() ** 2;
    out[i] = (k * normal()) / Math.sqrt(chi / nu);
  }
  return out;
}

const fill = (n: number, x: number): Float64Array => new Float64Array(n).fill(x);

describe("predictiveScaleFactor (recalibration of t predictives by one scale factor)", () => {
  it("recovers a predictive twice too narrow, and leaves a calibrated one at exactly 1", () => {
    const n = 2000, nu = 8;
    const wide = predictiveScaleFactor(tDraws(n, nu, 2, 1), fill(n, -Infinity), fill(n, Infinity), fill(n, nu));
    expect(wide.fitted).toBeGreaterThan(1.85);
    expect(wide.fitted).toBeLessThan(2.15);
    expect(wide.factor).toBe(wide.fitted);
    expect(wide.lrStatistic).toBeGreaterThan(100);
    const calibrated = predictiveScaleFactor(tDraws(n, nu, 1, 2), fill(n, -Infinity), fill(n, Infinity), fill(n, nu));
    expect(calibrated.fitted).toBeGreaterThan(0.93);
    expect(calibrated.fitted).toBeLessThan(1.07);
    expect(calibrated.lrStatistic).toBeLessThan(6.635);
    expect(calibrated.factor).toBe(1);
  });

  it("accounts for the bounds: outcomes seen only after a silence and before the follow-up's end", () => {
    const nu = 6, k = 2;
    const all = tDraws(6000, nu, k, 3);
    const z: number[] = [], lo: number[] = [], hi: number[] = [];
    const r = rng(4);
    for (const x of all) {
      // each observation has its own window (silence so far, follow-up end); only outcomes inside are seen
      const l = -3 + 3 * r(), u = l + 0.5 + 2.5 * r();
      if (x <= l || x > u) continue;
      z.push(x);
      lo.push(l);
      hi.push(u);
    }
    const n = z.length;
    const fit = predictiveScaleFactor(Float64Array.from(z), Float64Array.from(lo), Float64Array.from(hi), fill(n, nu));
    expect(fit.fitted).toBeGreaterThan(1.7);
    expect(fit.fitted).toBeLessThan(2.35);
    // the same outcomes without their windows look far narrower than they are
    const naive = predictiveScaleFactor(Float64Array.from(z), fill(n, -Infinity), fill(n, Infinity), fill(n, nu));
    expect(naive.fitted).toBeLessThan(1.2);
  });

  it("properties: fitted in [1/2, 4], factor 1 or fitted; scale-equivariant and order-free (within the search tolerance)", () => {
    const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(a, b);
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 200 }), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.3, max: 5, noNaN: true }), fc.integer({ min: 3, max: 30 }), (n, seed, k, nu) => {
        const z = tDraws(n, nu, k, seed);
        const none = (x: number): Float64Array => fill(n, x);
        const fit = predictiveScaleFactor(z, none(-Infinity), none(Infinity), none(nu));
        expect(fit.fitted).toBeGreaterThanOrEqual(0.5);
        expect(fit.fitted).toBeLessThanOrEqual(4);
        expect(fit.lrStatistic).toBeGreaterThanOrEqual(0);
        expect(fit.factor === 1 || fit.factor === fit.fitted).toBe(true);
        // outcomes twice as spread out: a factor twice as large (away from the search's ends)
        if (fit.fitted > 0.6 && fit.fitted < 1.9) {
          const twice = predictiveScaleFactor(z.map((x) => 2 * x), none(-Infinity), none(Infinity), none(nu));
          expect(rel(twice.fitted, 2 * fit.fitted)).toBeLessThan(2e-3);
        }
        const reversed = predictiveScaleFactor(z.slice().reverse(), none(-Infinity), none(Infinity), none(nu));
        expect(rel(reversed.fitted, fit.fitted)).toBeLessThan(2e-3);
      }),
      { numRuns: 60 },
    );
  });

  it("fewer than 30 outcomes: factor 1", () => {
    const fit = predictiveScaleFactor(tDraws(29, 5, 3, 5), fill(29, -Infinity), fill(29, Infinity), fill(29, 5));
    expect(fit).toEqual({ factor: 1, fitted: 1, lrStatistic: 0, n: 29 });
  });
});
