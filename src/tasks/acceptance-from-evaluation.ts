import type { RecommendationEvaluation } from "../recommend/evaluate-recommendations.ts";
import type { OfferKind } from "../recommend/types.ts";

/**
 * Acceptance probabilities for the value model (`analyze(..., { value: { acceptance } })`)
 * calibrated from a recommendation evaluation (evaluateRecommendations): the share of offered
 * products that were bought in the evaluation window, for orderpulse's own lists. That share is
 * precision@k × k ÷ the mean list length (precision@k divides by k even for shorter lists). The
 * `new` part calibrates `cross_sell` and `seasonal`, the `repeat` part `repurchase` and `winback`.
 * A kind whose part is missing or has no list is left out (the default stays). Note that for
 * repeat items the measured share counts purchases that would have happened without the offer
 * (docs/tasks.md).
 *
 * @param evaluation - the result of evaluateRecommendations
 * @returns acceptance per offer kind, each in [0, 1]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { acceptanceFromEvaluation, type RecommendationEvaluation } from "orderpulse";
 * const score = { method: "orderpulse", customers: 100, precision: 0.04, recall: 0.1, ndcg: 0.1, hitRate: 0.3, coverage: 0.1, meanListLength: 8 } as const;
 * const evaluation = { k: 10, parts: [{ part: "new", customers: 100, truthItems: 300, kinds: ["cross_sell", "seasonal"], methods: [score] }] } as unknown as RecommendationEvaluation;
 * assert.deepEqual(acceptanceFromEvaluation(evaluation), { cross_sell: 0.05, seasonal: 0.05 });
 * ```
 */
export function acceptanceFromEvaluation(evaluation: RecommendationEvaluation): Partial<Record<OfferKind, number>> {
  const out: Partial<Record<OfferKind, number>> = {};
  for (const part of evaluation.parts) {
    if (part.part !== "new" && part.part !== "repeat") continue;
    const own = part.methods.find((m) => m.method === "orderpulse");
    if (!own || own.precision === undefined || own.meanListLength === undefined || !(own.meanListLength > 0)) continue;
    const share = Math.min(1, Math.max(0, (own.precision * evaluation.k) / own.meanListLength));
    const rounded = Math.round(share * 1e6) / 1e6;
    if (part.part === "new") out.cross_sell = out.seasonal = rounded;
    else out.repurchase = out.winback = rounded;
  }
  return out;
}
