import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brierScore, classificationMetrics, expectedCalibrationError, reliabilityTable, rocAuc } from "./classification-metrics.ts";

function bruteAuc(s: number[], y: number[]): number | undefined {
  let num = 0, pairs = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      num += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return pairs ? num / pairs : undefined;
}

describe("classification metrics", () => {
  it("AUC: hand-computed with ties", () => {
    // positives 0.8, 0.5; negatives 0.5, 0.2, 0.1 -> pairs: 3 + (0.5 + 1 + 1) = 5.5 of 6
    expect(rocAuc([0.8, 0.5, 0.5, 0.2, 0.1], [1, 1, 0, 0, 0])).toBeCloseTo(5.5 / 6, 14);
    expect(rocAuc([1, 2], [1, 1])).toBeUndefined();
    expect(rocAuc([3, 3, 3], [1, 0, 1])).toBe(0.5);
  });

  it("AUC equals the brute-force pair count (random scores with many ties)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 60 }), (rows) => {
        const s = rows.map((r) => r[0] / 6);
        const y = rows.map((r) => r[1]);
        const a = rocAuc(s, y);
        const b = bruteAuc(s, y);
        return a === undefined ? b === undefined : Math.abs(a - b!) < 1e-12;
      }),
    );
  });

  it("Brier, reliability table and ECE (hand-computed)", () => {
    const p = [0.05, 0.05, 0.95, 0.95, 0.5, 1];
    const y = [0, 1, 1, 1, 0, 1];
    expect(brierScore(p, y)).toBeCloseTo((0.05 ** 2 + 0.95 ** 2 + 0.05 ** 2 + 0.05 ** 2 + 0.25 + 0) / 6, 14);
    const t = reliabilityTable(p, y);
    expect(t).toHaveLength(10);
    expect(t[0]).toMatchObject({ lower: 0, upper: 0.1, count: 2, observedRate: 0.5 });
    expect(t[0]!.meanPredicted).toBeCloseTo(0.05, 14);
    expect(t[5]).toMatchObject({ count: 1, meanPredicted: 0.5, observedRate: 0 });
    expect(t[9]).toMatchObject({ count: 3, observedRate: 1 }); // p = 1 falls in the last bin
    expect(t[3]).toMatchObject({ count: 0, meanPredicted: undefined, observedRate: undefined });
    // ECE = 2/6 * 0.45 + 1/6 * 0.5 + 3/6 * |0.9667 - 1|
    const expected = (2 / 6) * 0.45 + (1 / 6) * 0.5 + (3 / 6) * (1 - (0.95 + 0.95 + 1) / 3);
    expect(expectedCalibrationError(p, y)).toBeCloseTo(expected, 14);
    const m = classificationMetrics(p, y);
    expect(m).toMatchObject({ n: 6, positives: 4 });
    expect(m.ece).toBeCloseTo(expected, 14);
    expect(m.auc).toBeCloseTo(bruteAuc(p, y)!, 14);
  });

  it("bins: p = k/bins falls in bin k, as the table's lower edge says, for every bin count", () => {
    // p·bins rounds below k for some (bins = 22, p = 15/22: 14.999…)
    expect(Math.floor((15 / 22) * 22)).toBe(14);
    expect(reliabilityTable([15 / 22], [0], 22)[15]!.count).toBe(1);
    for (let bins = 2; bins <= 200; bins++) {
      for (let k = 1; k < bins; k++) {
        const p = k / bins;
        const t = reliabilityTable([p, Math.max(0, p - Number.EPSILON)], [0, 0], bins);
        expect(t[k]!.lower).toBe(p);
        expect(t[k]!.count).toBe(1); // p itself
        expect(t[k - 1]!.count).toBe(1); // the float just below it
      }
    }
    for (let k = 1; k < 10; k++) expect(reliabilityTable([Number((k / 10).toFixed(1))], [0])[k]!.count).toBe(1);
  });

  it("empty input: ECE and Brier are NaN, AUC undefined", () => {
    expect(expectedCalibrationError([], [])).toBeNaN();
    expect(brierScore([], [])).toBeNaN();
    const m = classificationMetrics([], []);
    expect(m).toMatchObject({ n: 0, positives: 0, auc: undefined });
    expect(m.ece).toBeNaN();
  });

  it("rejects bad input", () => {
    expect(() => rocAuc([1, 2], [1])).toThrow(RangeError);
    expect(() => brierScore([0.5], [2])).toThrow(/label/);
    expect(() => reliabilityTable([1.5], [1])).toThrow(/probability/);
  });
});
