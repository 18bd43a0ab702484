import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lowerCusum, normalScore, type CusumOptions, type CusumState } from "./item-cusum.ts";

/** lowerCusum's loop as written before its shortcut (every observation scored): the reference. */
function reference(y: ArrayLike<number>, from: number, to: number, o: CusumOptions): CusumState | undefined {
  let s = 0, start = -1;
  let mu = Number.NaN, sd = Number.NaN, k = Number.NaN, nBase = 0, baseFrom = -1, df = 1;
  let sum = 0, sumSq = 0, inWin = 0;
  let excSum = 0, excCount = 0;
  for (let i = from; i < to; i++) {
    if (s === 0 && inWin >= o.minBaseline) {
      mu = sum / inWin;
      const v = Math.max(0, (sumSq - inWin * mu * mu) / (inWin - 1));
      const pooled = (o.nu0 * o.sd0 * o.sd0 + (inWin - 1) * v) / (o.nu0 + inWin - 1);
      sd = Math.sqrt(pooled * (1 + 1 / inWin));
      df = o.nu0 + inWin - 1;
      k = (o.shiftAbs + o.shiftRel * Math.abs(mu)) / (2 * sd);
      nBase = inWin;
      baseFrom = i - inWin;
    }
    const x = y[i]!;
    if (s > 0 || inWin >= o.minBaseline) {
      const z = normalScore((x - mu) / sd, df);
      const next = Math.max(0, s - z - k);
      if (next > 0) {
        if (s === 0) {
          start = i;
          excSum = 0;
          excCount = 0;
        }
        excSum += x;
        excCount++;
      } else start = -1;
      s = next;
    }
    sum += x;
    sumSq += x * x;
    inWin++;
    if (inWin > o.window) {
      const old = y[i - o.window]!;
      sum -= old;
      sumSq -= old * old;
      inWin--;
    }
  }
  if (s <= 0 || start < 0) return undefined;
  return { statistic: s, start, baseMean: mu, baseSd: sd, baseCount: nBase, baseFrom, k, excursionMean: excSum / excCount, excursionCount: excCount };
}

describe("lowerCusum", () => {
  it("skipping the score of observations at rest at or above the level changes no state (differential against every observation scored)", () => {
    const series = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 0, maxLength: 120 });
    const shift = fc.array(fc.double({ min: -2, max: 0.5, noNaN: true }), { minLength: 0, maxLength: 40 });
    fc.assert(
      fc.property(series, shift, fc.boolean(), fc.integer({ min: 3, max: 20 }), (base, tail, relative, minBaseline) => {
        const y = Float64Array.from([...base, ...tail]);
        const o: CusumOptions = { window: 52, minBaseline, shiftAbs: relative ? 0 : 0.69, shiftRel: relative ? 0.3 : 0, sd0: 0.35, nu0: 50 };
        const got = lowerCusum(y, 0, y.length, o);
        const want = reference(y, 0, y.length, o);
        if (want === undefined) expect(got.start).toBe(-1);
        else expect(got).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });
  it("flags a level drop and dates it at its first observation", () => {
    const y = new Float64Array(40);
    for (let i = 0; i < 40; i++) y[i] = (i < 30 ? 0 : -1) + 0.05 * Math.sin(i); // 30 at the level, then 1 lower
    const st = lowerCusum(y, 0, 40, { window: 52, minBaseline: 12, shiftAbs: 0.69, shiftRel: 0, sd0: 0.35, nu0: 50 });
    expect(st.start).toBe(30);
    expect(st.excursionCount).toBe(10);
    expect(st.statistic).toBeGreaterThan(0);
  });
});
