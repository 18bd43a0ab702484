export type {
  PlantedEvent,
  PlantedEventType,
  ResolvedSyntheticDistributorOptions,
  SyntheticCustomerTruth,
  SyntheticDistributor,
  SyntheticDistributorOptions,
  SyntheticItemTruth,
  SyntheticSegmentTruth,
  SyntheticTruth,
} from "./types.ts";
export { generateSyntheticDistributor } from "./generate-synthetic-distributor.ts";
