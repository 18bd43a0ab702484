import type { Dataset } from "../data/dataset.ts";
import { sellableProducts } from "../data/internal/sellable.ts";
import { checkNumber, optionsObject, extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { formatDay } from "../data/format-day.ts";
import { DETECTOR_KEYS, detectorContext } from "./internal/context.ts";
import { atRiskText, bySignalOrder, fmt, localized, round, shownOf, signalId } from "./internal/format.ts";
import { percentOf } from "../data/internal/shown-round.ts";
import { median, purchaseDaysPerYear, recentSpanDays, stillOrdering } from "./internal/item-common.ts";
import { cusumThreshold, lowerCusum, type CusumOptions } from "./internal/item-cusum.ts";
import { familySeason, itemHistory, marginBefore, pairMargin, type ItemHistory } from "./internal/item-history.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";

/** Options of {@link detectDiversityDrop}. */
export interface DiversityDropOptions extends DetectorOptions {
  /**
   * Smallest drop worth a signal, as a share of the customer's usual distinct products per
   * order, in [0.01, 0.99] (default 0.15). Divided by √sensitivity.
   */
  minDrop?: number | undefined;
}

/** @internal The option names of {@link detectDiversityDrop} (detectSignals takes the ones beyond the common ones under `detectors`). */
export const DIVERSITY_DROP_KEYS: OptionKeys<DiversityDropOptions> = /* @__PURE__ */ extendKeys<DiversityDropOptions, DetectorOptions>(DETECTOR_KEYS, { minDrop: true });

/** Purchase days before a customer's basket breadth is judged against its own history. */
const MIN_BASELINE = 12;
/** Purchase days in the baseline window. */
const WINDOW = 52;
/** Design shift of the CUSUM: the tail breadth down by 60 % (the reference value is half of it). */
const DESIGN_SHIFT = 0.6;
/** Nominal false alarms per customer and year at sensitivity 1 (Siegmund's ARL approximation); measured: docs/signals-items.md. */
const FALSE_ALARMS_PER_CUSTOMER_YEAR = 0.01;
/** Prior weight (pseudo-observations) of the customer's whole-history scale. */
const NU0 = 20;
/** Usual distinct products per order needed for breadth to mean anything. */
const MIN_USUAL_PRODUCTS = 3;
/** Fewest orders in the run below the usual breadth (one small top-up order is not a change). */
const MIN_RECENT = 2;
/** A drop that started more than this many days ago is the new normal. */
const MAX_AGE_DAYS = 365;
/** Share of the drop that may come from its largest single product (more: an item drop, not a breadth drop). */
const MAX_SINGLE_SHARE = 0.6;

/**
 * Customers buying fewer distinct products per order than their own range. The test statistic
 * is the *tail breadth* of each purchase day: Σ over the products bought that day of
 * (1 − the product's inclusion rate with the customer), so staples bought every time count
 * about 0 and occasional products about 1; a thinning of the long tail (the usual form of a
 * breadth drop) moves it most, while the staples' noise does not blur it (for a drop of the
 * occasional items' rates this is the likelihood-ratio statistic). Less the customer's seasonal
 * swing (its products' rates × their family's monthly inclusion index − 1), it runs through a
 * self-starting lower CUSUM (Page 1954; self-starting as in Hawkins 1987): the in-control level
 * is the mean of the customer's last 52 purchase days before the current excursion (at least
 * 12), the scale their standard deviation shrunk (20 pseudo-observations) to the customer's own
 * over its whole history, each observation a normal score of its Student t, the reference value
 * half of a 60 % drop of the tail breadth. The decision interval h comes from Siegmund's (1985)
 * ARL approximation at a nominal 0.01 false alarms per customer-year × sensitivity. A flag also
 * needs a usual breadth of at least 3 distinct products per order, a drop of the plain distinct
 * count per order of at least `minDrop`, no more than 60 % of the drop from a single product
 * (that is an item drop), the customer still ordering and the change less than a year old. `since` is the first purchase
 * day of the excursion (the anchor of the id); `valueAtRisk` = the customer's 90-day margin × Σ
 * over its products of their margin share in the baseline days × their relative rate drop.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, sensitivity, locale, minDrop (`model` is accepted for a uniform interface and checked, not needed: the detector reads the orders)
 * @returns diversity_drop signals, valueAtRisk descending
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectDiversityDrop, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) {
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   const breadth = w < 30 ? 6 + (w % 3) : 2 + (w % 2); // 6-8 products a week, then 2-3
 *   for (let p = 0; p < breadth; p++) {
 *     orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: `P${(p + w) % 10}`, quantity: 5, unit_price: 10, unit_cost: 7 });
 *   }
 * }
 * const [signal] = detectDiversityDrop(fromRowsSync({ orders }).dataset);
 * assert.equal(signal?.customerId, "C1");
 * assert.equal(signal?.since, "2026-08-03"); // week 30
 * ```
 */
export function detectDiversityDrop(dataset: Dataset, options?: DiversityDropOptions): SignalOf<"diversity_drop">[] {
  const fn = "detectDiversityDrop";
  checkDiversityDropOptions(optionsObject(options, fn, DIVERSITY_DROP_KEYS), fn);
  const ctx = detectorContext(dataset, options, fn, undefined);
  const { view, sensitivity: s } = ctx;
  const minDrop = Math.min(0.99, (options?.minDrop ?? 0.15) / Math.sqrt(s));
  const h = itemHistory(view);
  const y = tailBreadth(h, familySeason(h).inclusion);
  const run: DiversityRun = { ctx, h, y, minDrop, out: [] };
  // one small function per customer (and one per signal): optimized after the first customers
  // instead of waiting for an on-stack replacement of this function (docs/scaling.md)
  const nC = h.dayStart.length - 1;
  for (let c = 0; c < nC; c++) scanCustomer(run, c);
  return run.out.sort(bySignalOrder);
}

/** State of one detection run, shared by the per-customer scans. */
interface DiversityRun {
  readonly ctx: ReturnType<typeof detectorContext>;
  readonly h: ItemHistory;
  /** tail breadth of every purchase day, less the customer's seasonal swing */
  readonly y: Float64Array;
  readonly minDrop: number;
  readonly out: SignalOf<"diversity_drop">[];
}

/**
 * Tail breadth of each purchase day: Σ over its products of (1 − the product's inclusion rate
 * with the customer), less the customer's seasonal swing of it.
 */
function tailBreadth(h: ItemHistory, season: Float64Array): Float64Array {
  const y = new Float64Array(h.days.length);
  const swing = new Float64Array(12);
  const nC = h.dayStart.length - 1;
  for (let c = 0; c < nC; c++) customerTailBreadth(h, season, y, swing, c);
  return y;
}

function customerTailBreadth(h: ItemHistory, season: Float64Array, y: Float64Array, swing: Float64Array, c: number): void {
  const d0 = h.dayStart[c]!, d1 = h.dayStart[c + 1]!;
  swing.fill(0);
  y.fill(0, d0, d1);
  for (let j = h.pairStart[c]!; j < h.pairStart[c + 1]!; j++) {
    const row = h.familyOf[h.pairProduct[j]!]! * 12;
    const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
    const rate = Math.min(1, (i1 - i0) / (d1 - h.inclDay[i0]!));
    const w = 1 - rate;
    for (let i = i0; i < i1; i++) y[h.inclDay[i]!]! += w;
    if (i1 - i0 < 2) continue;
    for (let m = 0; m < 12; m++) swing[m]! += w * rate * (season[row + m]! - 1);
  }
  for (let d = d0; d < d1; d++) y[d]! -= swing[h.dayMonth[d]!]!;
}

/** One customer's tail breadth through the CUSUM; pushes its signal. */
function scanCustomer(run: DiversityRun, c: number): void {
  const { h, y, ctx } = run;
  const { asOf, sensitivity: s } = ctx;
  const d0 = h.dayStart[c]!, d1 = h.dayStart[c + 1]!;
  if (d1 - d0 <= MIN_BASELINE) return;
  // prior scale: the customer's own tail breadth over its whole history
  let mean = 0;
  for (let d = d0; d < d1; d++) mean += y[d]!;
  mean /= d1 - d0;
  let v = 0;
  for (let d = d0; d < d1; d++) v += (y[d]! - mean) ** 2;
  const own = Math.sqrt(v / (d1 - d0 - 1));
  const cusum: CusumOptions = { window: WINDOW, minBaseline: MIN_BASELINE, shiftAbs: 0, shiftRel: DESIGN_SHIFT, sd0: Math.max(0.05, own), nu0: NU0 };
  const st = lowerCusum(y, d0, d1, cusum);
  if (st.start < 0) return;
  const sinceDay = h.days[st.start]!;
  if (sinceDay <= asOf - MAX_AGE_DAYS || !stillOrdering(h, c, asOf)) return;
  // one small top-up order between the usual ones is not a narrower basket (it raised a signal of
  // severity 1 for a day, 75% of the customer's margin "at risk"): MIN_RECENT orders in the run,
  // as item_volume_drop asks three
  if (d1 - st.start < MIN_RECENT) return;
  const usual: number[] = [], recent: number[] = [];
  for (let d = st.baseFrom; d < st.start; d++) usual.push(h.distinct[d]!);
  for (let d = st.start; d < d1; d++) recent.push(h.distinct[d]!);
  const usualMean = usual.reduce((a, b) => a + b, 0) / usual.length;
  const recentMean = recent.reduce((a, b) => a + b, 0) / recent.length;
  if (usualMean < MIN_USUAL_PRODUCTS) return;
  const perYear = purchaseDaysPerYear(h, c, asOf);
  const threshold = cusumThreshold(perYear / (FALSE_ALARMS_PER_CUSTOMER_YEAR * s), st.k);
  if (!(st.statistic > threshold)) return;
  const drop = 1 - recentMean / usualMean;
  if (!(drop >= run.minDrop)) return;
  const parts = productDrops(ctx.view, h, c, st.baseFrom, st.start, d1, asOf);
  // products bought less often per day, too: a customer splitting the same weekly basket into
  // two deliveries has half the products per order and buys each as often as before (every one of
  // its 12 products read "fell away", half its margin at risk; a review, 2026-12-07)
  if (!(parts.total > 0) || !(parts.lostShare >= run.minDrop) || parts.largest > MAX_SINGLE_SHARE * parts.total) return;
  // severity reads the statistic against the threshold at sensitivity 1 (it does not move with the sensitivity)
  const threshold1 = s === 1 ? threshold : cusumThreshold(perYear / FALSE_ALARMS_PER_CUSTOMER_YEAR, st.k);
  run.out.push(diversitySignal(run, c, st, sinceDay, threshold, threshold1, drop, usual, recent, usualMean, recentMean, parts));
}

/** The signal of one flagged customer. */
function diversitySignal(run: DiversityRun, c: number, st: ReturnType<typeof lowerCusum>, sinceDay: number, threshold: number, threshold1: number, drop: number, usual: number[], recent: number[], usualMean: number, recentMean: number, parts: ReturnType<typeof productDrops>): SignalOf<"diversity_drop"> {
  const { ctx } = run;
  const { view, locale } = ctx;
  const customerId = view.ids.customers.values[c]!;
  const since = formatDay(sinceDay);
  // (of the customer's margin over the year before since, as the item signals: the year to asOf
  // has the narrower baskets in it already)
  const valueAtRisk = round(marginBefore(run.h, c, sinceDay) * parts.marginAtRisk, 2);
  const severity = round(Math.min(1, drop / 0.5) * Math.min(1, 0.5 + (0.25 * st.statistic) / threshold1), 3);
  const pct = percentOf(drop);
  // the message's means are the 4-decimal evidence fields' as shown
  const usualShown = shownOf(usualMean, 4, 1), recentShown = shownOf(recentMean, 4, 1);
  const repId = ctx.owner(c);
  return {
    id: signalId("diversity_drop", customerId, since),
    type: "diversity_drop",
    asOf: ctx.asOfText,
    since,
    customerId,
    ...(repId !== undefined ? { repId } : {}),
    severity,
    valueAtRisk,
    evidence: {
      usualProducts: round(usualMean),
      recentProducts: round(recentMean),
      usualMedian: median(usual),
      recentMedian: median(recent),
      drop: round(drop),
      baselineOrders: usual.length,
      recentOrders: recent.length,
      productsFallen: parts.fallen,
      largestProductShare: round(parts.largest / parts.total),
      cusum: round(st.statistic),
      threshold: round(threshold),
      marginShareAtRisk: round(parts.marginAtRisk),
    },
    reason: { code: "diversity_drop", params: { usualProducts: usualShown, recentProducts: recentShown, drop: round(drop), orders: recent.length, productsFallen: parts.fallen, since } },
    message: localized(
      locale,
      `${fmt(recentShown) === "1" ? "1 distinct product" : `${fmt(recentShown)} distinct products`} per order since ${since} (${recent.length} orders), usually ${fmt(usualShown)} (−${pct}%); ${parts.fallen === 1 ? "1 product" : `${parts.fallen} products`} fell away; ${atRiskText(valueAtRisk, ctx.basis, "en")}`,
      `${fmt(recentShown) === "1" ? "מוצר אחד" : `${fmt(recentShown)} מוצרים שונים`} בהזמנה מאז ${since} (${recent.length} הזמנות), בדרך כלל ${fmt(usualShown)} (ירידה של ${pct}%); ${parts.fallen === 1 ? "מוצר אחד ירד מהסל" : `${parts.fallen} מוצרים ירדו מהסל`}; ${atRiskText(valueAtRisk, ctx.basis, "he")}`,
    ),
  };
}

/**
 * Where the breadth went: per product of the customer, its purchases per day over the baseline
 * purchase days `[from, start)` minus those over the excursion `[start, end)`. The baseline spans
 * its first day to the excursion's first; the excursion spans its first day to its last plus one
 * of its own mean gaps (nExc gaps, as the baseline's nBase), or to asOf when that is later (a
 * silence after it). `total` = Σ of the positive drops, `largest` = the largest one, `fallen` =
 * products whose rate fell by at least half (from an inclusion of at least 0.1 of the baseline
 * orders), `marginAtRisk` = Σ over products of their margin share in the baseline days × their
 * relative rate drop, `lostShare` = `total` ÷ Σ of the baseline rates (the share of the
 * baseline's product purchases per day lost by the products that fell; the products that rose do
 * not offset it: a narrower basket ordered more often buys as many lines a week, a planted breadth
 * drop of the synthetic distributor among them). Per day, not per order: a customer who splits
 * the same weekly basket into two deliveries halves every product's share of its orders and buys
 * each as often as before; per order, all 12 of its products read "fell away" with half its
 * margin at risk (a review, 2026-12-07). A product marked discontinued (products.active = false) is left out: its leaving
 * the baskets is not the customer's choice.
 */
function productDrops(view: Dataset, h: ItemHistory, c: number, from: number, start: number, end: number, asOf: number): { total: number; largest: number; fallen: number; marginAtRisk: number; lostShare: number } {
  const nBase = start - from, nExc = end - start;
  const baseFromDay = h.days[from]!, baseEndDay = h.days[start]!; // the baseline purchase days, as epoch days [from, to)
  const baseDays = baseEndDay - baseFromDay;
  const excDays = recentSpanDays(baseEndDay, h.days[end - 1]!, nExc, asOf);
  // (or off the market: sellableProducts, as item_dropped)
  const active = sellableProducts(view);
  let baseMargin = 0;
  for (let d = from; d < start; d++) baseMargin += h.dayMargin[d]!;
  let total = 0, largest = 0, fallen = 0, marginAtRisk = 0, sumB = 0;
  if (!(baseDays > 0 && excDays > 0)) return { total, largest, fallen, marginAtRisk, lostShare: 0 };
  for (let j = h.pairStart[c]!; j < h.pairStart[c + 1]!; j++) {
    if (active[h.pairProduct[j]!] === 0) continue;
    let kb = 0, ka = 0;
    for (let i = h.inclStart[j + 1]! - 1; i >= h.inclStart[j]!; i--) {
      const d = h.inclDay[i]!;
      if (d >= start) ka++;
      else if (d >= from) kb++;
      else break;
    }
    sumB += kb;
    const rb = kb / baseDays, ra = ka / excDays;
    const drop = rb - ra;
    if (drop <= 0) continue;
    total += drop;
    if (drop > largest) largest = drop;
    if (kb >= 0.1 * nBase && ra <= rb / 2) fallen++;
    if (!(baseMargin > 0)) continue;
    const mb = pairMargin(view, c, h.pairProduct[j]!, baseFromDay, baseEndDay);
    if (mb > 0) marginAtRisk += (mb / baseMargin) * (drop / rb);
  }
  const lostShare = sumB > 0 ? total / (sumB / baseDays) : 0;
  return { total, largest, fallen, marginAtRisk: Math.min(1, marginAtRisk), lostShare };
}

/** @internal The detector's own options (detectSignals checks them for every type it is given options of). */
export function checkDiversityDropOptions(o: Record<string, unknown>, fn: string): void {
  checkNumber(o, "minDrop", 0.01, 0.99, fn);
}
