export type {
  CustomerOverdueEvidence,
  DetectorOptions,
  DiscountAnomalyEvidence,
  DiversityDropEvidence,
  FrequencyDropEvidence,
  ItemDroppedEvidence,
  ItemVolumeDropEvidence,
  KpiDropChartEvidence,
  KpiDropRhythmEvidence,
  PipelineStallEvidence,
  ProductVanishingEvidence,
  Signal,
  SignalEvidence,
  SignalLocale,
  SignalBase,
  SignalEntity,
  SignalOf,
  SignalReason,
  SignalType,
} from "./types.ts";
export { detectItemDropped } from "./detect-item-dropped.ts";
export type { ItemDroppedOptions } from "./detect-item-dropped.ts";
export { detectItemVolumeDrop } from "./detect-item-volume-drop.ts";
export type { ItemVolumeDropOptions } from "./detect-item-volume-drop.ts";
export { detectDiversityDrop } from "./detect-diversity-drop.ts";
export type { DiversityDropOptions } from "./detect-diversity-drop.ts";
export { detectProductVanishing } from "./detect-product-vanishing.ts";
export type { ProductVanishingOptions } from "./detect-product-vanishing.ts";
export { detectDiscountAnomaly } from "./detect-discount-anomaly.ts";
export type { DiscountAnomalyOptions } from "./detect-discount-anomaly.ts";
export { detectPipelineStall } from "./detect-pipeline-stall.ts";
export type { PipelineStallOptions } from "./detect-pipeline-stall.ts";
export { detectKpiDrop } from "./detect-kpi-drop.ts";
export type { KpiDropLevel, KpiDropOptions, WatchedKpi } from "./detect-kpi-drop.ts";
export { detectCustomerOverdue } from "./detect-customer-overdue.ts";
export type { CustomerOverdueOptions } from "./detect-customer-overdue.ts";
export { detectFrequencyDrop } from "./detect-frequency-drop.ts";
export type { FrequencyDropOptions } from "./detect-frequency-drop.ts";
export { detectSignals } from "./detect-signals.ts";
export type { DetectSignalsOptions, SignalDetectorOptions } from "./detect-signals.ts";
export { SIGNAL_TYPES } from "./signal-types.ts";
