export type { Offer, OfferBecause, OfferKind, OfferLocale, OfferReason, RecommendOptions, SimilarProduct, SimilarProductsOptions, SimilarityMode } from "./types.ts";
export { recommend } from "./recommend.ts";
export { similarProducts } from "./similar-products.ts";
export { evaluateRecommendations, type EvaluateRecommendationsOptions, type RecommendationEvaluation, type RecommendationEvaluationKinds, type RecommendationEvaluationPart, type RecommendationMethod, type RecommendationMethodScore, type RecommendationTruth, type RecommendationTruthEvent } from "./evaluate-recommendations.ts";
