import type { Dataset } from "../data/dataset.ts";
import type { OptionKeys } from "../data/internal/check.ts";
import { DETECTOR_KEYS, detectorContext } from "./internal/context.ts";
import { bySignalOrder } from "./internal/format.ts";
import { frequencyDropRun } from "./internal/frequency-drop-cases.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";

/** Options of {@link detectFrequencyDrop} (the common detector options; `sensitivity` scales the posterior odds needed). */
export interface FrequencyDropOptions extends DetectorOptions {}

const KEYS: OptionKeys<FrequencyDropOptions> = DETECTOR_KEYS;

/**
 * Customers still ordering, but clearly slower than their own history.
 *
 * The test is a Bayesian single change-point model on the customer's log-gaps (Smith 1975,
 * *Biometrika* 62; the interval model's own change-point mixture, src/patterns/internal/regime.ts),
 * measured on the customer's clock as the interval model measures them (closed weekdays and
 * months removed, seasonal slow months counted lighter), over the gaps of the last two years.
 * M₀: one mean; M_k: the mean jumps by δ ~ N(0, 0.7²) after gap k, prior probability 0.01 per gap.
 * The current, still open gap is evidence too: a right-censored log-gap (longer than the silence
 * so far). With σ² from successive differences (von Neumann's MSSD, not inflated by the change)
 * floored at 0.25² (a clockwork customer's skipped week is not a change), the new mean's prior
 * N(m_b, A) (A = ω² + σ²/n_b under M_k, σ²/n_b under M₀) and the completed slow gaps' mean m_a
 * give the closed-form marginal N(m_a | m_b, A + σ²/n_a) × Φc((open − m*)/√(σ² + v*)), N(m*, v*)
 * the new mean's posterior from the completed gaps; BF_k is its ratio between the two priors
 * (Smith's Bayes factor when the open gap is short). The posterior probability of a slowdown sums,
 * over the change points within the last 365 days with at least 6 gaps before and two slow gaps
 * after (completed ones above the old mean log-gap by half of ln 1.5, and the open gap once it is;
 * at least one completed: the customer still orders), the posterior weight of M_k times the
 * posterior probability that the new mean is at least ln 1.5 above the old (both means'
 * uncertainty and the open gap included); a flag needs 0.95 (posterior odds 19/sensitivity). The
 * prior hazard is the false-alarm control: a steady customer gets posterior weight on a change
 * only in proportion to it, however many weeks it is tested. The customer must still be ordering
 * (silence at most 3 new typical gaps). `since` is the most probable qualifying change point (the
 * first purchase of the slow regime's first gap), which also anchors the id; `severity` =
 * P(slowdown) × (1 − 1/ratio) (the share of orders lost); `valueAtRisk` = the next 90 days'
 * expected margin × (1 − 1/ratio), ratio = the completed slow gaps' geometric mean ÷ the old one.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, model (a pattern model fitted at asOf, shared with other detectors; fitted when missing), sensitivity, locale
 * @returns frequency_drop signals, valueAtRisk descending, then id
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option, or a model fitted at another day
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectFrequencyDrop, fromRowsSync } from "orderpulse";
 * const orders = [];
 * let day = Date.UTC(2025, 6, 7);
 * for (let k = 0; k < 50; k++) { // weekly for 40 orders, then every three weeks
 *   orders.push({ order_id: `O${k}`, order_date: new Date(day), customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
 *   day += (k < 39 ? 7 : 21) * 86_400_000;
 * }
 * const [signal] = detectFrequencyDrop(fromRowsSync({ orders }).dataset);
 * assert.equal(signal?.type, "frequency_drop");
 * assert.equal(signal?.since, "2026-04-06"); // the last weekly order: the slow gaps start there
 * assert.ok(signal !== undefined && signal.evidence.ratio > 2.5);
 * ```
 */
export function detectFrequencyDrop(dataset: Dataset, options?: FrequencyDropOptions): SignalOf<"frequency_drop">[] {
  const ctx = detectorContext(dataset, options, "detectFrequencyDrop", KEYS);
  return frequencyDropRun(ctx, false).signals.sort(bySignalOrder);
}
