export type { Offer, OfferBecause, OfferKind, OfferLocale, OfferReason, RecommendOptions, SimilarProduct, SimilarProductsOptions, SimilarityMode } from "./types.ts";
export { recommend } from "./recommend.ts";
export { similarProducts } from "./similar-products.ts";
