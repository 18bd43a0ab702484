export type { DetectorOptions, Signal, SignalLocale, SignalReason, SignalType } from "./types.ts";
export { detectProductVanishing } from "./detect-product-vanishing.ts";
export type { ProductVanishingOptions } from "./detect-product-vanishing.ts";
export { detectDiscountAnomaly } from "./detect-discount-anomaly.ts";
export type { DiscountAnomalyOptions } from "./detect-discount-anomaly.ts";
export { detectPipelineStall } from "./detect-pipeline-stall.ts";
export type { PipelineStallOptions } from "./detect-pipeline-stall.ts";
export { detectKpiDrop } from "./detect-kpi-drop.ts";
export type { KpiDropLevel, KpiDropOptions, WatchedKpi } from "./detect-kpi-drop.ts";
