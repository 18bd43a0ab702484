export type { CustomerRhythm, IntervalModel, IntervalModelOptions, IntervalPrior, RhythmPosterior } from "./fit-interval-model.ts";
export { fitIntervalModel } from "./fit-interval-model.ts";
