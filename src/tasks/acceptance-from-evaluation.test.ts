import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { evaluateRecommendations } from "../recommend/evaluate-recommendations.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { acceptanceFromEvaluation } from "./acceptance-from-evaluation.ts";

describe("acceptanceFromEvaluation", () => {
  it("share of offered products bought = precision@k × k ÷ mean list length, per part", () => {
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 1, customers: 300 }));
    const evaluation = evaluateRecommendations(dataset, { splitDate: "2026-08-01", horizonDays: 90, k: 5 });
    const acc = acceptanceFromEvaluation(evaluation);
    for (const part of evaluation.parts) {
      const own = part.methods.find((m) => m.method === "orderpulse")!;
      const expected = Math.round(((own.precision! * 5) / own.meanListLength!) * 1e6) / 1e6;
      if (part.part === "new") expect([acc.cross_sell, acc.seasonal]).toEqual([expected, expected]);
      if (part.part === "repeat") expect([acc.repurchase, acc.winback]).toEqual([expected, expected]);
    }
    for (const v of Object.values(acc)) expect(v >= 0 && v <= 1).toBe(true);
    // repeat items are bought far more often than new ones
    expect(acc.repurchase!).toBeGreaterThan(acc.cross_sell!);
  });
});
