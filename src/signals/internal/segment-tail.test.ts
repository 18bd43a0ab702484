import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXACT_CELLS, MIN_TAIL, poissonBinomialTail, poissonBinomialLogTailSaddle, surprise } from "./segment-tail.ts";

const poissonBinomialLogTail = (p: ArrayLike<number>, x: number): number => poissonBinomialTail(p, x).logTail;

/** The exact recursion at any size (the reference): P(X ≥ x) from the pmf capped at x. */
function exactTail(p: readonly number[], x: number): number {
  const n = p.length;
  if (x <= 0) return 1;
  if (x > n) return 0;
  const f = new Float64Array(x + 1);
  f[0] = 1;
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    f[x] = f[x]! + f[x - 1]! * pi;
    for (let k = x - 1; k >= 1; k--) f[k] = f[k]! * (1 - pi) + f[k - 1]! * pi;
    f[0] = f[0]! * (1 - pi);
  }
  return Math.min(1, f[x]!);
}

/** Seeded probabilities (a linear congruential generator: the same arrays every run). */
function probabilities(n: number, seed: number, shape: "uniform" | "small" | "large" | "mixed"): number[] {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: n }, () => {
    const u = next();
    if (shape === "uniform") return u;
    if (shape === "small") return 0.2 * u;
    if (shape === "large") return 0.8 + 0.2 * u;
    return next() < 0.5 ? 0.05 * u : 0.9 + 0.1 * u;
  });
}

describe("poissonBinomialLogTail", () => {
  it("is the exact tail on small cases computed by hand", () => {
    const tail = (p: number[], x: number): number => Math.exp(poissonBinomialLogTail(p, x));
    expect(tail([0.5, 0.5], 1)).toBeCloseTo(0.75, 15);
    expect(tail([0.5, 0.5], 2)).toBeCloseTo(0.25, 15);
    // 0.2, 0.5, 0.9: P(X ≥ 2) = 0.2·0.5·0.1 + 0.2·0.5·0.9 + 0.2·0.5·0.9 + 0.8·0.5·0.9 = 0.01 + 0.09 + 0.09 + 0.36
    expect(tail([0.2, 0.5, 0.9], 2)).toBeCloseTo(0.55, 15);
    expect(tail([0.2, 0.5, 0.9], 3)).toBeCloseTo(0.09, 15);
    expect(poissonBinomialLogTail([0.2, 0.5], 0)).toBe(0);
    expect(poissonBinomialLogTail([0.2, 0.5], 3)).toBe(Number.NEGATIVE_INFINITY);
    expect(poissonBinomialLogTail([0.2, 0], 2)).toBe(Number.NEGATIVE_INFINITY); // no outcome reaches 2
  });

  it("takes the saddle point beyond EXACT_CELLS cells and the exact recursion below", () => {
    const big = probabilities(4000, 3, "uniform"); // 4000 × 2100 cells > EXACT_CELLS
    expect(4000 * 2100).toBeGreaterThan(EXACT_CELLS);
    expect(poissonBinomialLogTail(big, 2100)).toBe(poissonBinomialLogTailSaddle(big, 2100));
    const small = probabilities(1500, 4, "uniform"); // 1500 × 800 cells
    expect(poissonBinomialLogTail(small, 800)).toBe(Math.log(exactTail(small, 800)));
  });

  it("keeps tails below the doubles' range in logs (from the saddle point), so deeper is always more surprising", () => {
    // 60 deals, each with a 1e-6 chance to still be there: P(all 60) = 1e-360 (it read 1e-300 before,
    // the same as 50 of them, 1e-300)
    const p = new Array<number>(60).fill(1e-6);
    expect(poissonBinomialLogTail(p, 60)).toBeCloseTo(60 * Math.log(1e-6), 9);
    expect(poissonBinomialLogTail(p, 50)).toBeGreaterThan(poissonBinomialLogTail(p, 60));
    expect(poissonBinomialLogTail(p, 50)).toBeCloseTo(Math.log(1e-300) + Math.log(75394027566), 1); // C(60, 50) × 1e-300 (the terms with more successes are ~1e-304 of it)
    expect(surprise(poissonBinomialLogTail(p, 60))).toBeCloseTo(828.9, 1);
    expect(surprise(Number.NEGATIVE_INFINITY)).toBe(1e6);
  });
});

describe("poissonBinomialTail beyond the exact recursion (review 2026-12-06)", () => {
  it("its pValue is the recursion's own tail where that holds it (e^ln lost the last bits of 41 of 43 p-values)", () => {
    const p = probabilities(300, 21, "uniform");
    const mean = p.reduce((a, b) => a + b, 0);
    for (const x of [Math.ceil(mean) + 5, Math.ceil(mean) + 60, 290]) {
      const { pValue, logTail } = poissonBinomialTail(p, x);
      expect(pValue).toBe(exactTail(p, x));
      expect(logTail).toBe(Math.log(exactTail(p, x)));
    }
    expect(poissonBinomialTail(new Array<number>(60).fill(1e-6), 60).pValue).toBe(MIN_TAIL);
    // also between 1e-300 and 1e-290, where the log is taken from the log path (review: 319 of 319 differed)
    const deep = new Array<number>(173).fill(0.0191);
    const own = exactTail(deep, 173);
    expect(own).toBeGreaterThan(1e-300);
    expect(own).toBeLessThan(1e-290);
    expect(poissonBinomialTail(deep, 173).pValue).toBe(own);
  });

  it("a count one or two short of n beyond the switch is exact (the saddle point was 8.4 % off at x = n − 1)", () => {
    for (const n of [3000, 20000]) {
      const p = probabilities(n, n, "uniform").map((v) => 0.01 + 0.99 * v);
      // P(X ≥ n − 1) = Π p · (1 + Σ (1 − p)/p)
      let lp = 0, odds = 0;
      for (const v of p) {
        lp += Math.log(v);
        odds += (1 - v) / v;
      }
      expect(poissonBinomialLogTail(p, n - 1)).toBeCloseTo(lp + Math.log1p(odds), 6);
      expect(poissonBinomialLogTail(p, n - 2)).toBeGreaterThan(poissonBinomialLogTail(p, n - 1));
    }
  });

  it("a few moderate terms among nearly impossible ones is exact (the saddle point read 786.07 for 804.72 in −ln P, and was not monotone)", () => {
    // 500 terms at 0.2 beside 500 at 1e-40; −ln P from an independent recursion in logs (the review's)
    const p = Array.from({ length: 1000 }, (_, i) => (i < 500 ? 0.2 : 1e-40));
    expect(-poissonBinomialLogTail(p, 499)).toBeCloseTo(797.1176, 3);
    expect(-poissonBinomialLogTail(p, 500)).toBeCloseTo(804.719, 3); // = −500 ln 0.2 (the tiny terms add e^−92 each at most)
    expect(-poissonBinomialLogTail(p, 501)).toBeCloseTo(890.6078, 3);
  });
});

describe("poissonBinomialLogTailSaddle (Lugannani–Rice, Daniels' continuity correction)", () => {
  it("agrees with the exact tail: within 10 % relative at 60-300 terms, 3 % at 1,000, 1.5 % at 2,000, and −ln within 0.1", () => {
    let seed = 11;
    for (const n of [60, 300, 1000, 2000]) {
      for (const shape of ["uniform", "small", "large", "mixed"] as const) {
        const p = probabilities(n, seed++, shape);
        const mean = p.reduce((a, b) => a + b, 0);
        for (const frac of [0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 1]) {
          const x = Math.min(n, Math.ceil(mean + 1 + frac * (n - mean - 1)));
          const exact = exactTail(p, x);
          if (exact <= 1e-290) continue; // the reference underflows
          const saddle = Math.exp(poissonBinomialLogTailSaddle(p, x));
          const rel = Math.abs(saddle / exact - 1);
          expect(rel, `n ${n} ${shape} x ${x}: exact ${exact}, saddle ${saddle}`).toBeLessThan(n >= 2000 ? 0.015 : n >= 1000 ? 0.03 : 0.1);
          expect(Math.abs(Math.log(saddle) - Math.log(exact))).toBeLessThan(0.1);
        }
      }
    }
  });

  it("handles certain and impossible terms, a count of all the uncertain ones, and counts at or below the mean", () => {
    const tail = (p: number[], x: number): number => Math.exp(poissonBinomialLogTailSaddle(p, x));
    // two certain successes shift the count; the zeros drop out
    expect(tail([1, 1, 0, 0.5, 0.5], 2)).toBe(1);
    expect(tail([1, 1, 0, 0.5, 0.5], 4)).toBeCloseTo(0.25, 12); // both halves: Π p exactly
    expect(tail([1, 1, 0, 0.5, 0.5], 5)).toBe(0); // needs the impossible one
    expect(tail([0.5, 0.5], 3)).toBe(0);
    expect(tail([0.5, 0.5], 0)).toBe(1);
    // at the mean: the normal tail with continuity correction, near one half
    const p = probabilities(500, 5, "uniform");
    const mean = Math.round(p.reduce((a, b) => a + b, 0));
    const t = tail(p, mean);
    expect(t).toBeGreaterThan(0.3);
    expect(t).toBeLessThan(0.7);
    expect(Math.abs(t - exactTail(p, mean))).toBeLessThan(0.02);
  });

  it("stays at or below 0 and falls as the count rises (property)", () => {
    const arb = fc.record({
      p: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 400 }),
      x: fc.nat({ max: 400 }),
    });
    fc.assert(
      fc.property(arb, ({ p, x }) => {
        const a = poissonBinomialLogTailSaddle(p, x);
        const b = poissonBinomialLogTailSaddle(p, x + 1);
        expect(a).toBeLessThanOrEqual(0);
        expect(Number.isNaN(a)).toBe(false);
        if (a !== Number.NEGATIVE_INFINITY) expect(b).toBeLessThanOrEqual(a + 1e-9 * Math.abs(a));
        else expect(b).toBe(Number.NEGATIVE_INFINITY);
      }),
      { numRuns: 300, seed: 17 },
    );
  });
});
