import type { SignalType } from "./types.ts";

/**
 * Every signal type, in the order {@link detectSignals} runs them (customer level, customer x
 * item level, then segment, pipeline and KPI level). Use it to validate a host's configuration
 * or to build a type picker.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SIGNAL_TYPES } from "orderpulse";
 * assert.equal(SIGNAL_TYPES.length, 9);
 * assert.ok(SIGNAL_TYPES.includes("customer_overdue"));
 * ```
 */
export const SIGNAL_TYPES: readonly SignalType[] = /* @__PURE__ */ Object.freeze([
  "customer_overdue",
  "frequency_drop",
  "item_dropped",
  "item_volume_drop",
  "diversity_drop",
  "product_vanishing",
  "discount_anomaly",
  "pipeline_stall",
  "kpi_drop",
] as const);
