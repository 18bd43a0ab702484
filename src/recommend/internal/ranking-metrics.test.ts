import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MeanScores, scoreList } from "./ranking-metrics.ts";

describe("scoreList", () => {
  it("hand-computed precision, recall, NDCG and hit at k", () => {
    // truth {2, 5, 9}; list 5, 1, 9, 7 at k = 4: hits at ranks 1 and 3
    const s = scoreList([5, 1, 9, 7], new Set([2, 5, 9]), 4);
    expect(s.hits).toBe(2);
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    const dcg = 1 + 1 / Math.log2(4);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(s.ndcg).toBeCloseTo(dcg / idcg, 12);
    expect(s.hit).toBe(1);
  });

  it("only the first k entries count; a short list still divides by k; repeats count once", () => {
    const s = scoreList([1, 2, 3], new Set([3]), 2);
    expect(s).toEqual({ hits: 0, precision: 0, recall: 0, ndcg: 0, hit: 0 });
    const short = scoreList([3], new Set([3, 4]), 5);
    expect(short.precision).toBe(0.2);
    expect(short.recall).toBe(0.5);
    expect(short.ndcg).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
    expect(scoreList([3, 3, 3], new Set([3]), 3).hits).toBe(1);
  });

  it("a perfect list has NDCG 1, recall min(1, k/|truth|)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (truth, k) => {
        const s = scoreList(truth, new Set(truth), k);
        expect(s.ndcg).toBeCloseTo(1, 12);
        expect(s.recall).toBeCloseTo(Math.min(1, k / truth.length), 12);
        expect(s.precision).toBeCloseTo(Math.min(k, truth.length) / k, 12);
      }),
    );
  });

  it("metrics stay in [0, 1] and NDCG is 0 exactly when there is no hit", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 20 }), fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 20 }), (list, truth, k) => {
        const s = scoreList(list, new Set(truth), k);
        for (const x of [s.precision, s.recall, s.ndcg]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1 + 1e-12);
        }
        expect(s.ndcg === 0).toBe(s.hits === 0);
        expect(s.hit).toBe(s.hits > 0 ? 1 : 0);
      }),
    );
  });
});

describe("MeanScores", () => {
  it("averages over customers; 0 when empty", () => {
    const m = new MeanScores();
    expect(m.means()).toEqual({ precision: 0, recall: 0, ndcg: 0, hitRate: 0 });
    m.add(scoreList([1], new Set([1]), 1));
    m.add(scoreList([2], new Set([1]), 1));
    expect(m.customers).toBe(2);
    expect(m.means()).toEqual({ precision: 0.5, recall: 0.5, ndcg: 0.5, hitRate: 0.5 });
  });
});
