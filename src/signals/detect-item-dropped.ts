import type { Dataset } from "../data/dataset.ts";
import { checkInt, checkNumber, optionsObject } from "../data/internal/check.ts";
import { formatDay } from "../data/format-day.ts";
import { detectorContext } from "./internal/context.ts";
import { bySignalOrder, fmt, localized, money, round, signalId } from "./internal/format.ts";
import { median, productLabel, purchaseDaysPerYear, stillOrdering } from "./internal/item-common.ts";
import { familySeason, itemHistory, pairMarginShare } from "./internal/item-history.ts";
import type { DetectorOptions, Signal } from "./types.ts";

/** Options of {@link detectItemDropped}. */
export interface ItemDroppedOptions extends DetectorOptions {
  /** Smallest de-seasonalized inclusion probability of a habit (before the current run of misses), in [0.01, 1] (default 0.3: about every 3rd order or more often). */
  minInclusion?: number | undefined;
  /** Purchase days that included the item needed for a habit, an integer >= 3 (default 5): one-off purchases are not habits. */
  minItemOrders?: number | undefined;
}

/**
 * Nominal false alarms per customer and year at sensitivity 1 (the Bonferroni split below);
 * measured: docs/signals-items.md.
 */
const FALSE_ALARMS_PER_CUSTOMER_YEAR = 0.05;
/** Purchase days without the item needed, however sure the test (a precision floor). */
const MIN_MISSED = 3;
/** A drop whose first missed order is more than this many days old is old news. */
const MAX_AGE_DAYS = 730;

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
 * @throws {OrderpulseError} `INVALID_OPTION` for bad options or a model fitted at another day
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
export function detectItemDropped(dataset: Dataset, options?: ItemDroppedOptions): Signal[] {
  const fn = "detectItemDropped";
  const o = optionsObject(options, fn);
  checkNumber(o, "minInclusion", 0.01, 1, fn);
  checkInt(o, "minItemOrders", 3, 1_000_000, fn);
  const ctx = detectorContext(dataset, options, fn);
  const { view, asOf, sensitivity: s, locale } = ctx;
  const minInclusion = options?.minInclusion ?? 0.3;
  const minItemOrders = options?.minItemOrders ?? 5;
  const h = itemHistory(view);
  const season = familySeason(h).inclusion;
  const nC = h.dayStart.length - 1;
  const margin90 = ctx.customerMargin90();
  const out: Signal[] = [];
  let months = new Int32Array(12 * 64);
  const habits: Habit[] = [];
  for (let c = 0; c < nC; c++) {
    const d0 = h.dayStart[c]!, d1 = h.dayStart[c + 1]!;
    if (d1 - d0 < minItemOrders + MIN_MISSED || !stillOrdering(h, c, asOf)) continue;
    // months[(d − d0) * 12 + m]: purchase days of month m among the customer's first d − d0
    if ((d1 - d0 + 1) * 12 > months.length) months = new Int32Array((d1 - d0 + 1) * 24);
    months.fill(0, 0, 12);
    for (let d = d0; d < d1; d++) {
      const at = (d - d0 + 1) * 12;
      for (let m = 0; m < 12; m++) months[at + m] = months[at - 12 + m]!;
      months[at + h.dayMonth[d]!]!++;
    }
    const exposure = (row: number, from: number, to: number): number => {
      let e = 0;
      for (let m = 0; m < 12; m++) e += (months[(to - d0) * 12 + m]! - months[(from - d0) * 12 + m]!) * season[row + m]!;
      return e;
    };
    habits.length = 0;
    let sumP = 0;
    for (let j = h.pairStart[c]!; j < h.pairStart[c + 1]!; j++) {
      const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
      const k = i1 - i0;
      if (k < minItemOrders) continue;
      const first = h.inclDay[i0]!, last = h.inclDay[i1 - 1]!;
      const row = h.familyOf[h.pairProduct[j]!]! * 12;
      // the habit as it was before the current run of misses: the purchase days strictly between
      // the first and the last purchase of the item (both are purchases by construction)
      const a = k - 1;
      const b = Math.max(0, exposure(row, first + 1, last) - (k - 2)) + 1;
      const before = a / (a + b);
      if (before < minInclusion) continue;
      sumP += before;
      const missed = d1 - 1 - last;
      if (missed < MIN_MISSED) continue;
      const missedExposure = exposure(row, last + 1, d1);
      habits.push({ j, a, b, before, missed, missedExposure, probability: Math.exp(logBeta(a, b + missedExposure) - logBeta(a, b)) });
    }
    if (habits.length === 0) continue;
    const threshold = (FALSE_ALARMS_PER_CUSTOMER_YEAR * s) / (purchaseDaysPerYear(h, c, asOf) * sumP);
    for (const hb of habits) {
      if (!(hb.probability <= threshold)) continue;
      const j = hb.j;
      const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
      const last = h.inclDay[i1 - 1]!;
      const sinceDay = h.days[last + 1]!;
      if (sinceDay <= asOf - MAX_AGE_DAYS) continue;
      const p = h.pairProduct[j]!;
      const customerId = view.ids.customers.values[c]!;
      const productId = view.ids.products.values[p]!;
      const since = formatDay(sinceDay);
      const lastBought = formatDay(h.days[last]!);
      const usual = median(Array.from(h.inclQty.subarray(i0, i1)));
      const share = pairMarginShare(view, h, c, j, sinceDay - 365, sinceDay);
      const valueAtRisk = round(margin90[c]! * share, 2);
      const sure = Math.min(1, Math.max(0, 0.5 + 0.1 * Math.log10(threshold / Math.max(1e-300, hb.probability))));
      const severity = round(sure * Math.min(1, 0.5 + hb.before / 2), 3);
      const label = productLabel(view, p);
      const odds = 1 / Math.max(1e-300, hb.probability);
      // beyond a billion to one the exact figure means nothing to a reader
      const oddsText = odds >= 1e12 ? "over a trillion" : odds >= 1e9 ? `${fmt(odds / 1e9)} billion` : money(odds);
      const oddsTextHe = odds >= 1e12 ? "יותר מטריליון" : odds >= 1e9 ? `${fmt(odds / 1e9)} מיליארד` : money(odds);
      const pct = Math.round(hb.before * 100);
      const repId = ctx.owner(c);
      out.push({
        id: signalId("item_dropped", customerId, productId, lastBought),
        type: "item_dropped",
        asOf: ctx.asOfText,
        since,
        customerId,
        productId,
        ...(repId !== undefined ? { repId } : {}),
        severity,
        valueAtRisk,
        evidence: {
          inclusionBefore: round(hb.before),
          itemOrders: i1 - i0,
          ordersBefore: last - h.inclDay[i0]! + 1,
          ordersSinceLast: hb.missed,
          seasonalExposure: round(hb.missedExposure),
          daysSinceLast: asOf - h.days[last]!,
          missingProbability: hb.probability,
          threshold,
          usualQuantity: usual,
          marginShare: round(share),
        },
        reason: { code: "item_dropped", params: { productId, itemOrders: i1 - i0, inclusionBefore: round(hb.before), ordersSinceLast: hb.missed, lastBought, missingProbability: hb.probability } },
        message: localized(
          locale,
          `Bought ${label} in ${pct}% of orders (${i1 - i0} times, usually ${fmt(usual)}); missing from the last ${hb.missed} orders since ${since} (1 in ${oddsText} by chance); ${money(valueAtRisk)} margin at risk in 90 days`,
          `קנה ${label} ב-${pct}% מההזמנות (${i1 - i0} פעמים, בדרך כלל ${fmt(usual)} יח'); חסר ב-${hb.missed} ההזמנות האחרונות מאז ${since} (סיכוי של 1 ל-${oddsTextHe} במקרה); רווח של ${money(valueAtRisk)} בסיכון ב-90 הימים הקרובים`,
        ),
      });
    }
  }
  return out.sort(bySignalOrder);
}

/** A habit of the customer being tested. */
interface Habit {
  /** Pair index. */
  j: number;
  /** Beta posterior of the inclusion before the run of misses. */
  a: number;
  b: number;
  /** Its mean. */
  before: number;
  /** Purchase days since the last purchase of the item. */
  missed: number;
  /** Their season-weighted exposure Σ s(month). */
  missedExposure: number;
  /** P(no purchase in them | the habit) = B(a, b + E) / B(a, b). */
  probability: number;
}

/** ln B(a, b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
