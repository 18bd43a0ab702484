import type { Dataset } from "../data/dataset.ts";
import { extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { DETECTOR_KEYS, detectorContext } from "./internal/context.ts";
import { bySignalOrder } from "./internal/format.ts";
import { itemDroppedOptions, itemDroppedRun } from "./internal/item-dropped-cases.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";

/** Options of {@link detectItemDropped}. */
export interface ItemDroppedOptions extends DetectorOptions {
  /** Smallest de-seasonalized inclusion probability of a habit (before the current run of misses), in [0.01, 1] (default 0.3: about every 3rd order or more often). */
  minInclusion?: number | undefined;
  /** Purchase days that included the item needed for a habit, an integer >= 3 (default 5): one-off purchases are not habits. */
  minItemOrders?: number | undefined;
}

/** @internal The option names of {@link detectItemDropped} (detectSignals takes the ones beyond the common ones under `detectors`). */
export const ITEM_DROPPED_KEYS: OptionKeys<ItemDroppedOptions> = /* @__PURE__ */ extendKeys<ItemDroppedOptions, DetectorOptions>(DETECTOR_KEYS, { minInclusion: true, minItemOrders: true });

/**
 * Habitual items that a customer still ordering has stopped buying. For each customer x product,
 * the habit is measured on the purchase days strictly between the item's first and last purchase
 * (both are purchases by construction, so they carry no information on the rate): k − 2
 * inclusions over a season-weighted exposure E = Σ s(month) of those days, with s the product
 * family's monthly inclusion index (fitItemRhythm's estimator, docs/patterns.md section 2), gives
 * the posterior Beta(a, b) = Beta(k − 1, E − k + 3) of the de-seasonalized inclusion
 * probability (uniform prior). A habit has posterior mean >= `minInclusion` and k >=
 * `minItemOrders`. The test: under the habit, the probability that the customer's m purchase days
 * since the item's last purchase (season-weighted exposure Eₘ) all went without it is the
 * beta-binomial posterior predictive P = B(a, b + Eₘ) / B(a, b) (an ice-cream item skipped all
 * winter has a small Eₘ and is not missing). False-alarm control: under the habit each purchase
 * of the item starts a run of misses that reaches probability t with probability t, so a
 * customer with R purchase days a year and habits p₁..pₙ raises false alarms at the rate R·Σp·t;
 * the threshold t = 0.05 × sensitivity / (R·Σp) is a Bonferroni split of a budget of 0.05 false
 * alarms per customer-year over the runs its habits start. A flag also needs at least 3 missed
 * purchase days, the customer still ordering (a purchase within max(60, 4 × its mean gap) days)
 * and a first missed day less than two years old. `since` is the first purchase day without the
 * item; the id is anchored on the item's last purchase; `valueAtRisk` = the customer's 90-day
 * margin × the item's margin share in the year before `since`.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, sensitivity, locale, minInclusion, minItemOrders (`model` is accepted for a uniform interface and checked, not needed: the detector reads the orders)
 * @returns item_dropped signals, valueAtRisk descending
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option, or a model fitted at another day
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectItemDropped, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) {
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
 *   if (w < 30) orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
 * }
 * const [signal] = detectItemDropped(fromRowsSync({ orders }).dataset);
 * assert.equal(signal?.productId, "OIL");
 * assert.equal(signal?.since, "2026-08-03"); // the first order without it
 * assert.equal(signal?.evidence.ordersSinceLast, 10);
 * ```
 */
export function detectItemDropped(dataset: Dataset, options?: ItemDroppedOptions): SignalOf<"item_dropped">[] {
  const fn = "detectItemDropped";
  const { minInclusion, minItemOrders } = itemDroppedOptions(options, fn, ITEM_DROPPED_KEYS);
  const ctx = detectorContext(dataset, options, fn, undefined);
  return itemDroppedRun(ctx, minInclusion, minItemOrders, false).signals.sort(bySignalOrder);
}
