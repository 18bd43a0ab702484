import type { Dataset } from "../data/dataset.ts";
import type { OptionKeys } from "../data/internal/check.ts";
import { DETECTOR_KEYS, detectorContext } from "./internal/context.ts";
import { bySignalOrder } from "./internal/format.ts";
import { overdueCases } from "./internal/overdue-cases.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";

/** Options of {@link detectCustomerOverdue} (the common detector options; `sensitivity` scales the prior stop rate). */
export interface CustomerOverdueOptions extends DetectorOptions {}

const KEYS: OptionKeys<CustomerOverdueOptions> = DETECTOR_KEYS;

/**
 * Customers past their own expected next order, with high probability gone rather than late.
 *
 * The likelihood of the silence so far under "still buying at its rhythm" is its survival S(e)
 * on the customer's own clock (the interval model's: closed weekdays and months removed,
 * seasonal slow months counted lighter), from the customer's last 52 gaps x₁…xₙ taken as
 * exchangeable with the next one: within their range the rank predictive
 * (#{xᵢ > e} + 1)/(n + 1); beyond the longest gap the chance 1/(n + 1) of a new longest gap times
 * a renewal model's conditional tail S₀(e)/S₀(x₍ₙ₎). S₀ is a gamma renewal predictive of the last
 * 20 gaps with the rate integrated out (prior 1/λ) and the shape on a grid from 1/4 to 64 weighted
 * by its marginal likelihood, each order skipped with probability 1/(n + 2) (so a clockwork
 * buyer's skipped week stays plausible); below 3 gaps the interval model's log-t. Under "stopped"
 * the silence is certain. With a prior stop rate λ = 0.05 per year × sensitivity, the prior
 * probability of having stopped during a silence of e days is q = 1 − exp(−λe), and Bayes gives
 * P(stopped | silence) = q / (q + (1 − q) S(e)) — a sequential likelihood-ratio (Bayes factor 1/S)
 * test whose false-alarm rate per customer-year is about λ × (1 − p*) / p* at the flag level p*.
 * A signal needs P ≥ 0.95, at least 4 purchase days, and passes three guards: a silence that spans
 * a closed month is also counted without the closed months (orders are deferred, not missed;
 * the days before the closure still count); a customer
 * younger than 400 days may be closed in a month it has not lived through, with its segment's
 * share of established customers closed then (a mixture of "open" and "closed, counted from the
 * reopening"); and a silence as long at the same date one or two years earlier that ended in an
 * order is the customer's habit, not news. `severity` is P(stopped) at sensitivity 1; `since` the
 * day its missed order was due (the median next order day, clamped to asOf); the id is anchored on
 * the last order day, so a churned customer keeps one alert for the whole silence.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, model (a pattern model fitted at asOf, shared with other detectors; fitted when missing), sensitivity, locale
 * @returns customer_overdue signals, valueAtRisk descending, then id
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option, or a model fitted at another day
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectCustomerOverdue, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) { // weekly on Mondays, then silent from 2026-10-12
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
 * }
 * const { dataset } = fromRowsSync({ orders });
 * assert.equal(detectCustomerOverdue(dataset, { asOf: "2026-10-12" }).length, 0);
 * const [signal] = detectCustomerOverdue(dataset, { asOf: "2026-11-09" });
 * assert.equal(signal?.id, "customer_overdue:C1:2026-10-05");
 * assert.equal(signal?.evidence.daysSinceLast, 35);
 * assert.ok(signal!.severity >= 0.97);
 * ```
 */
export function detectCustomerOverdue(dataset: Dataset, options?: CustomerOverdueOptions): SignalOf<"customer_overdue">[] {
  const ctx = detectorContext(dataset, options, "detectCustomerOverdue", KEYS);
  const out: SignalOf<"customer_overdue">[] = [];
  for (const k of overdueCases(ctx, true)) {
    const s = k.at(ctx.asOf);
    if (s !== undefined) out.push(s);
  }
  return out.sort(bySignalOrder);
}
