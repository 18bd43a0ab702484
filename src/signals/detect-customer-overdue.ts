import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { parseDay } from "../data/parse-day.ts";
import { detectorContext } from "./internal/context.ts";
import { dayClosures, openDaysBetween } from "../patterns/internal/customer-calendar.ts";
import { sharedClockGaps, ESTABLISHED_DAYS, rhythmClosures, ownGapSurvival, gammaRenewalSurvival, gapSurvival, purchaseDays, seasonalPrecedent, segmentClosureRates, survivalWithoutClosures, unprovenClosureSurvival } from "./internal/customer-clock.ts";
import { bySignalOrder, fmt, localized, round, signalId } from "./internal/format.ts";
import type { DetectorOptions, Signal } from "./types.ts";

/** Options of {@link detectCustomerOverdue} (the common detector options; `sensitivity` scales the prior stop rate). */
export interface CustomerOverdueOptions extends DetectorOptions {}

/** Prior rate at which customers stop buying, per year (the prior of the "stopped" hypothesis at sensitivity 1). */
const STOP_RATE_PER_YEAR = 0.05;
/** Posterior P(stopped | silence) needed for a flag (measured calibrated on the synthetic distributor: precision 0.95). */
const FLAG_PROBABILITY = 0.95;
/** Purchase days needed (three gaps): fewer tell too little about a rhythm. */
const MIN_PURCHASE_DAYS = 4;
/** Gaps of the gamma tail model (the most recent ones). */
const RECENT_GAPS = 20;
/** Gaps of the customer's own empirical distribution (the most recent ones). */
const OWN_GAPS = 52;

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
 * @throws {OrderpulseError} `INVALID_OPTION` for bad options or a model fitted at another day
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
export function detectCustomerOverdue(dataset: Dataset, options?: CustomerOverdueOptions): Signal[] {
  const fn = "detectCustomerOverdue";
  const ctx = detectorContext(dataset, options, fn);
  const { view, asOf, sensitivity: s, locale } = ctx;
  const ids = view.ids.customers.values;
  const nC = view.customerEnd.length;
  const out: Signal[] = [];
  let model: ReturnType<typeof ctx.model> | undefined;
  let margin90: Float64Array | undefined;
  let closureRates: Float64Array[] | undefined;
  for (let c = 0; c < nC; c++) {
    // cheap pre-check on the raw lines: enough purchase days, not bought today
    if (view.customerEnd[c]! - view.customerStart[c]! < MIN_PURCHASE_DAYS) continue;
    const days = purchaseDays(view, c);
    if (days.length < MIN_PURCHASE_DAYS) continue;
    const last = days[days.length - 1]!;
    const silence = asOf - last;
    if (silence <= 0) continue;
    model ??= ctx.model();
    const customerId = ids[c]!;
    const r = model.customer(customerId);
    if (r === undefined || r.status !== "ok" || r.posterior === undefined || r.overdueProbability === undefined) continue;
    // the silence's survival: the interval model's (a log-t: heavy right tail) and, when lighter,
    // the recent gaps' gamma predictive (memoryless buyers have exponential, not log-normal, tails)
    const allGaps = sharedClockGaps(view, model, c, days, r).logGaps;
    const own = Array.from(allGaps.subarray(Math.max(0, allGaps.length - Math.max(OWN_GAPS, RECENT_GAPS))), Math.exp);
    const recent = own.slice(-RECENT_GAPS);
    const ownGaps = own.slice(-OWN_GAPS);
    const renewal = gammaRenewalSurvival(recent);
    const parametric = (d: number): number => (renewal !== undefined ? renewal(d) : gapSurvival(r, d));
    const survivalAt = (d: number): number => ownGapSurvival(ownGaps, d, parametric);
    const elapsed = (r.openDaysSinceLast ?? silence) / (r.openFraction > 0 ? r.openFraction : 1);
    let survival = survivalAt(elapsed);
    const reopened = survivalWithoutClosures(r, last, asOf, survivalAt);
    if (reopened !== undefined) survival = Math.max(survival, reopened);
    if (days[0]! > asOf - ESTABLISHED_DAYS) {
      const m = model;
      closureRates ??= segmentClosureRates(view, asOf, (k) => m.customer(ids[k]!));
      const since = (day: number): number => survivalAt(openDaysBetween(day - 1, asOf, dayClosures(rhythmClosures(r))) / (r.openFraction > 0 ? r.openFraction : 1));
      survival = unprovenClosureSurvival(survival, last, asOf, days[0]!, r, closureRates[(view.customers.segment[c] ?? -1) + 1]!, since);
    }
    const pStopped = (rate: number): number => {
      const q = -Math.expm1(-(rate / 365) * silence);
      return q / (q + (1 - q) * survival);
    };
    if (!(pStopped(STOP_RATE_PER_YEAR * s) >= FLAG_PROBABILITY)) continue;
    if (seasonalPrecedent(days, asOf, silence)) continue;
    margin90 ??= ctx.customerMargin90();
    const severity = round(pStopped(STOP_RATE_PER_YEAR), 4);
    const meanGap = r.meanGapDays ?? Math.exp(r.posterior.mu);
    const sdGap = r.sdGapDays ?? 0;
    const ratio = silence / meanGap;
    const lastOrder = formatDay(last);
    const due = r.nextP50 !== undefined ? parseDay(r.nextP50) : last + Math.round(meanGap);
    const since = formatDay(Math.min(asOf, Math.max(last + 1, due)));
    const meanText = fmt(meanGap, 0), sdText = fmt(sdGap, 0), ratioText = fmt(ratio);
    const repId = ctx.owner(c);
    out.push({
      id: signalId("customer_overdue", customerId, lastOrder),
      type: "customer_overdue",
      asOf: ctx.asOfText,
      since,
      customerId,
      ...(repId !== undefined ? { repId } : {}),
      severity,
      valueAtRisk: round(margin90[c]!, 2),
      evidence: {
        lastOrder,
        daysSinceLast: silence,
        meanGapDays: round(meanGap, 2),
        sdGapDays: round(sdGap, 2),
        typicalGapDays: round(Math.exp(r.posterior.mu), 2),
        gapRatio: round(ratio, 2),
        purchaseDays: days.length,
        overdueProbability: r.overdueProbability,
        silenceSurvival: survival,
        pStopped: severity,
        ...(r.pAlive !== undefined ? { pAlive: round(r.pAlive, 4) } : {}),
        missedOrders: r.missedOrders ?? 0,
      },
      reason: { code: "customer_overdue", params: { customerId, meanGapDays: Math.round(meanGap), sdGapDays: Math.round(sdGap), daysSinceLast: silence, gapRatio: round(ratio, 1), lastOrder } },
      message: localized(
        locale,
        `Orders every ${meanText}±${sdText} days; ${silence} days since the last order (${ratioText}x the usual gap)`,
        `מזמין כל ${meanText}±${sdText} ימים; ${silence} ימים מאז ההזמנה האחרונה (פי ${ratioText} מהרגיל)`,
      ),
    });
  }
  return out.sort(bySignalOrder);
}
