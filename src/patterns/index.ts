export type { CustomerRhythm, IntervalModel, IntervalModelOptions, IntervalPrior, RhythmPosterior } from "./fit-interval-model.ts";
export { fitIntervalModel } from "./fit-interval-model.ts";
export type { ItemRhythm, ItemRhythmOptions } from "./fit-item-rhythm.ts";
export { fitItemRhythm } from "./fit-item-rhythm.ts";
export * from "./btyd/index.ts";
