import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { regimes } from "./regime.ts";

describe("regimes (single change-point)", () => {
  it("matches the Bayes factor computed by hand", () => {
    // 3 gaps at 0, then 1 gap at 1; sigma2 = 0.1, omega2 = 0.5, hazard 0.1: only k = 3 is a candidate
    const r = regimes([0, 0, 0, 1], 0.1, 0.1, 0.5);
    const V = 0.1 * (1 / 3 + 1);
    const t = 0.5 + V;
    const bf = Math.sqrt(V / t) * Math.exp(0.5 * 1 * (1 / V - 1 / t));
    const p0 = 0.9 ** 3, p1 = 0.1 * 0.9 ** 2 * bf;
    expect(r[0]!.start).toBe(0);
    expect(r[0]!.weight).toBeCloseTo(p0 / (p0 + p1), 10);
    expect(r[1]!).toMatchObject({ start: 3, n: 1, mean: 1 });
    expect(r[1]!.weight).toBeCloseTo(p1 / (p0 + p1), 10);
  });
  it("a steady series stays one regime; a clear jump moves the weight to the change", () => {
    const steady = Array.from({ length: 40 }, (_, k) => Math.log(7) + 0.05 * Math.sin(k));
    expect(regimes(steady, 0.01, 0.01, 0.5)[0]!.weight).toBeGreaterThan(0.9);
    const jump = [...steady, Math.log(14), Math.log(15), Math.log(13)];
    const r = regimes(jump, 0.01, 0.01, 0.5);
    const changed = r.filter((x) => x.start >= 40).reduce((s, x) => s + x.weight, 0);
    expect(changed).toBeGreaterThan(0.99);
    expect(regimes([1, 2], 0.1, 0.1, 0.5)).toHaveLength(1); // too short to test
  });
  it("keeps the most probable change points (ties: the earlier) up to maxRegimes, listed by change point (property)", () => {
    // reference: every candidate's weight from a regimes() call that keeps them all, sorted
    fc.assert(
      fc.property(fc.array(fc.double({ min: -2, max: 4, noNaN: true }), { minLength: 4, maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (ys, maxRegimes) => {
        const all = regimes(ys, 0.05, 0.2, 0.5, 3, 0, 1000);
        const got = regimes(ys, 0.05, 0.2, 0.5, 3, 1e-3, maxRegimes);
        const m0 = all[0]!;
        const changes = all.slice(1).map((r) => ({ start: r.start, w: r.weight })).filter((r) => r.w >= 1e-3);
        changes.sort((x, y) => y.w - x.w || x.start - y.start);
        const withM0 = m0.weight >= 1e-3;
        const expected = changes.slice(0, withM0 ? maxRegimes - 1 : maxRegimes).map((r) => r.start).sort((x, y) => x - y);
        expect(got.map((r) => r.start)).toEqual([...(withM0 ? [0] : []), ...expected]);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
