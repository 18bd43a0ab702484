export type { CustomerRhythm, IntervalModel, IntervalModelOptions, IntervalPrior, RhythmPosterior } from "./fit-interval-model.ts";
export { fitIntervalModel } from "./fit-interval-model.ts";
export type { ItemRhythm, ItemRhythmOptions } from "./fit-item-rhythm.ts";
export { fitItemRhythm } from "./fit-item-rhythm.ts";
export * from "./btyd/index.ts";
export type { DealStageModel, DealStageOptions, DealState, StageStats, StayPosterior, StayQuantiles } from "./fit-deal-stages.ts";
export { fitDealStages } from "./fit-deal-stages.ts";
