import type { Dataset } from "../data/dataset.ts";
import { sellableProducts } from "../data/internal/sellable.ts";
import { checkNumber, optionsObject, extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { formatDay } from "../data/format-day.ts";
import { DETECTOR_KEYS, detectorContext } from "./internal/context.ts";
import { atRiskText, bySignalOrder, iso, isoLtr, localized, quantity, round, signalId } from "./internal/format.ts";
import { percentOf } from "../data/internal/shown-round.ts";
import { median, productLabel, recentSpanDays, stillOrdering } from "./internal/item-common.ts";
import { cusumThreshold, lowerCusum, type CusumOptions } from "./internal/item-cusum.ts";
import { familySeason, itemHistory, lnQuantity, marginBefore, pairMarginShare } from "./internal/item-history.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";
import { MIN_MISSED } from "./internal/item-dropped-cases.ts";

/** Options of {@link detectItemVolumeDrop}. */
export interface ItemVolumeDropOptions extends DetectorOptions {
  /**
   * Smallest drop worth a signal, as a share of the item's usual quantity, in [0.01, 0.99]
   * (default 0.35). Divided by √sensitivity (a higher sensitivity also lets smaller drops through).
   */
  minDrop?: number | undefined;
}

/** @internal The option names of {@link detectItemVolumeDrop} (detectSignals takes the ones beyond the common ones under `detectors`). */
export const ITEM_VOLUME_DROP_KEYS: OptionKeys<ItemVolumeDropOptions> = /* @__PURE__ */ extendKeys<ItemVolumeDropOptions, DetectorOptions>(DETECTOR_KEYS, { minDrop: true });

/** Inclusions before an item's quantity is judged against its own history. */
const MIN_BASELINE = 12;
/** Inclusions in the baseline window (the in-control level is their mean). */
const WINDOW = 52;
/** Design shift of the CUSUM: a 50 % drop, in log units (the reference value is half of it). */
const DESIGN_SHIFT = -Math.log(1 - 0.5);
/**
 * Nominal false alarms per customer and year at sensitivity 1 (Siegmund's ARL approximation,
 * split over the customer's items by their inclusions per year); measured: docs/signals-items.md.
 */
const FALSE_ALARMS_PER_CUSTOMER_YEAR = 0.002;
/** Prior weight (pseudo-observations) of the pooled scale of the item's quantity class. */
const NU0 = 50;
/** Inclusions in the excursion needed: a drop must be seen in at least 3 orders. */
const MIN_RECENT = 3;
/** A drop that started more than this many days ago is the new normal. */
const MAX_AGE_DAYS = 365;
/** Purchase days of the customer needed after the item's last inclusion for "no longer bought" (left to the item-dropped detector). */
const GONE_PROBABILITY = 0.01;

/**
 * Items still bought, in clearly smaller quantities than their own history (a competitor
 * taking part of the volume). Per customer x product, the log quantity of each purchase day that
 * includes the item, de-seasonalized (the product family's monthly log-quantity index) and
 * detrended (the customer's own quantity trend, pooled over its other items), runs through a
 * self-starting lower CUSUM (Page 1954; self-starting as in Hawkins 1987): the in-control level
 * is the mean of the item's last 52 inclusions before the current excursion (at least 12), the
 * scale their standard deviation shrunk to the pooled scale of items of the same quantity class,
 * each observation a normal score of its Student t, the reference value half of a 50 % drop.
 * The decision interval h comes from Siegmund's (1985) ARL approximation at a nominal 0.002
 * false alarms per customer-year × sensitivity, split over the customer's items by their
 * inclusions per year. A flag also needs at least 3 inclusions in the excursion, an estimated
 * drop (the excursion's mean against the level, net of any drop of the customer's other items
 * over the same dates: difference in differences) of at least `minDrop`, the item to be still
 * bought (its current absence not unusual) and the change to be less than a year old. `since`
 * is the first inclusion of the excursion (the anchor of the id); `valueAtRisk` = the customer's
 * 90-day margin × the item's margin share in the year before `since` × the drop.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, sensitivity, locale, minDrop (`model` is accepted for a uniform interface and checked, not needed: the detector reads the orders)
 * @returns item_volume_drop signals, valueAtRisk descending
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectItemVolumeDrop, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) {
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   const quantity = w < 30 ? [20, 22, 18, 21, 19][w % 5]! : [8, 9, 7][w % 3]!; // 60 % less from week 30
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity, unit_price: 10, unit_cost: 7 });
 * }
 * const [signal] = detectItemVolumeDrop(fromRowsSync({ orders }).dataset);
 * assert.equal(signal?.productId, "OIL");
 * assert.equal(signal?.since, "2026-08-03"); // week 30
 * ```
 */
export function detectItemVolumeDrop(dataset: Dataset, options?: ItemVolumeDropOptions): SignalOf<"item_volume_drop">[] {
  const fn = "detectItemVolumeDrop";
  checkItemVolumeDropOptions(optionsObject(options, fn, ITEM_VOLUME_DROP_KEYS), fn);
  const ctx = detectorContext(dataset, options, fn, undefined);
  const { view, asOf, sensitivity: s } = ctx;
  const minDrop = Math.min(0.99, ((options?.minDrop ?? 0.35) / Math.sqrt(s)));
  const h = itemHistory(view);
  const y = seasonalLogQuantity(h, familySeason(h).logQuantity);
  detrend(h, y, asOf);
  const run: VolumeRun = {
    ctx,
    h,
    y,
    scale: pooledSd(h, y),
    cusum: { window: WINDOW, minBaseline: MIN_BASELINE, shiftAbs: DESIGN_SHIFT, shiftRel: 0, sd0: 0.35, nu0: NU0 },
    sensitivity: s,
    minDrop,
    // (a product marked discontinued, products.active = false, or off the market is not tested:
    // its last orders shrinking is no competitor's doing; as item_dropped)
    active: sellableProducts(ctx.view),
    out: [],
  };
  // one small function per customer (and one per signal): called 2,000 times, it is optimized
  // after the first few customers instead of waiting for an on-stack replacement of this one
  const nC = h.dayStart.length - 1;
  for (let c = 0; c < nC; c++) scanCustomer(run, c);
  return run.out.sort(bySignalOrder);
}

type ItemHistory = ReturnType<typeof itemHistory>;

/** State of one detection run, shared by the per-customer scans. */
interface VolumeRun {
  readonly ctx: ReturnType<typeof detectorContext>;
  readonly h: ItemHistory;
  /** de-seasonalized, detrended log quantity of every inclusion */
  readonly y: Float64Array;
  /** the pooled within-item scale of every item (data, not a closure: a new closure per run would deoptimize the per-customer scan, which inlined the last run's) */
  readonly scale: PooledScale;
  /** The CUSUM's options, `sd0` set to each item's pooled scale before its run (one object, not a copy per item). */
  readonly cusum: { -readonly [K in keyof CusumOptions]: CusumOptions[K] };
  readonly sensitivity: number;
  readonly minDrop: number;
  /** 1 for a product that can be sold and judged (sellableProducts), by product index. */
  readonly active: Uint8Array;
  readonly out: SignalOf<"item_volume_drop">[];
}

/** The de-seasonalized log quantity of every inclusion (the family's monthly log-quantity index). */
function seasonalLogQuantity(h: ItemHistory, season: Float64Array): Float64Array {
  const y = new Float64Array(h.inclQty.length);
  for (let j = 0; j < h.pairProduct.length; j++) seasonalItem(h, season, y, j);
  return y;
}

/** Item j's inclusions of {@link seasonalLogQuantity} (a small function: optimized early, not by on-stack replacement of the caller's loop). */
function seasonalItem(h: ItemHistory, season: Float64Array, y: Float64Array, j: number): void {
  const row = h.familyOf[h.pairProduct[j]!]! * 12;
  for (let i = h.inclStart[j]!; i < h.inclStart[j + 1]!; i++) y[i] = lnQuantity(h.inclQty[i]!) - season[row + h.dayMonth[h.inclDay[i]!]!]!;
}

/** One customer's items through the CUSUM; pushes its signals. */
function scanCustomer(run: VolumeRun, c: number): void {
  const { h, y } = run;
  const asOf = run.ctx.asOf;
  // a customer gone silent is a customer-level case (docs/signals-items.md, section 0): with no
  // later order, an item's run of misses is empty and it would look "still bought" forever
  if (!stillOrdering(h, c, asOf)) return;
  const a = h.pairStart[c]!, b = h.pairStart[c + 1]!;
  const active = run.active;
  // the customer's tested items and their inclusions per year (the false-alarm budget is split over them)
  let perYear = 0;
  for (let j = a; j < b; j++) {
    const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
    if (i1 - i0 <= MIN_BASELINE || active[h.pairProduct[j]!] === 0) continue;
    let n = 0;
    for (let i = i1 - 1; i >= i0 && h.days[h.inclDay[i]!]! > asOf - 365; i--) n++;
    perYear += Math.max(1, n);
  }
  if (perYear === 0) return;
  const dayEnd = h.dayStart[c + 1]!;
  for (let j = a; j < b; j++) {
    const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
    if (i1 - i0 <= MIN_BASELINE || active[h.pairProduct[j]!] === 0) continue;
    run.cusum.sd0 = itemScale(run.scale, j);
    const st = lowerCusum(y, i0, i1, run.cusum);
    if (st.start < 0) continue;
    const sinceDay = h.days[h.inclDay[st.start]!]!;
    if (sinceDay <= asOf - MAX_AGE_DAYS) continue;
    // still bought: the run of purchase days without it since its last inclusion is not unusual
    const firstDay = h.inclDay[i0]!, lastIncl = h.inclDay[i1 - 1]!;
    const rate = (i1 - i0) / (dayEnd - firstDay);
    // (left to item_dropped only from its own floor of missed orders on: with two missed orders of
    // a 92% habit the item read gone here and too few misses there, and a months-long volume drop
    // left the rep's list for a week, until 2026-12-07)
    const missed = dayEnd - 1 - lastIncl;
    if (missed >= MIN_MISSED && Math.pow(1 - rate, missed) < GONE_PROBABILITY) continue;
    const arl = perYear / (FALSE_ALARMS_PER_CUSTOMER_YEAR * run.sensitivity);
    const threshold = cusumThreshold(arl, st.k);
    if (!(st.statistic > threshold) || st.excursionCount < MIN_RECENT) continue;
    const itemShift = st.excursionMean - st.baseMean;
    const customerShift = otherItemsShift(h, y, a, b, j, sinceDay);
    // an item and its customer bought clearly more often than in the year before (FREQ_SPLIT
    // times as many purchase days a day, both): the item's drop is read per day, the quantity per
    // order times the inclusions per day. A customer who takes the same weekly volume in two
    // deliveries halved its quantity per order and read "−50%" with a value at risk (1-3 items:
    // the customer's shift needs 3 other items; a review, 2026-12-07). The item's rise alone, at
    // 1.5, cost 4 of 42 found events on seed 2 (its noise: items bought in some orders)
    const shift = itemShift - Math.min(0, customerShift) + frequencyRise(h, i0, st.start, i1, h.dayStart[c]!, dayEnd, sinceDay, asOf);
    const drop = 1 - Math.exp(shift);
    if (!(drop >= run.minDrop)) continue;
    // severity reads the statistic against the threshold at sensitivity 1 (it does not move with the sensitivity)
    const threshold1 = run.sensitivity === 1 ? threshold : cusumThreshold(arl * run.sensitivity, st.k);
    run.out.push(volumeSignal(run, c, j, st, sinceDay, threshold, threshold1, drop, itemShift, customerShift));
  }
}

/** The signal of one flagged customer x item. */
function volumeSignal(run: VolumeRun, c: number, j: number, st: ReturnType<typeof lowerCusum>, sinceDay: number, threshold: number, threshold1: number, drop: number, itemShift: number, customerShift: number): SignalOf<"item_volume_drop"> {
  const { h, y, ctx } = run;
  const view = ctx.view;
  const i1 = h.inclStart[j + 1]!;
  const before: number[] = [], after: number[] = [];
  for (let i = st.baseFrom; i < st.start; i++) before.push(h.inclQty[i]!);
  for (let i = st.start; i < i1; i++) after.push(h.inclQty[i]!);
  const usual = median(before), recent = median(after);
  // what the customer would buy per order now had the item kept its volume: the recent median
  // over (1 − drop), the drop measured with the season, the trend and its other items taken out.
  // The message reads against it: the two medians alone can be equal (3 and 3) while the
  // adjusted drop is 40% (a season that should have raised the quantity)
  const expected = recent / (1 - drop);
  const tStat = welchT(y, st.baseFrom, st.start, i1);
  const p = h.pairProduct[j]!;
  const customerId = view.ids.customers.values[c]!;
  const productId = view.ids.products.values[p]!;
  const share = pairMarginShare(view, h, c, j, sinceDay - 365, sinceDay);
  // (of the customer's margin over the same year before since: the year to asOf holds the smaller
  // orders already, and the value fell the longer the drop lasted; a review, 2026-12-07)
  const valueAtRisk = round(marginBefore(h, c, sinceDay) * share * drop, 2);
  const since = formatDay(sinceDay);
  const severity = round(Math.min(1, drop) * Math.min(1, 0.5 + (0.25 * st.statistic) / threshold1), 3);
  const label = productLabel(view, p);
  const pct = percentOf(drop);
  const repId = ctx.owner(c);
  return {
    id: signalId("item_volume_drop", customerId, productId, since),
    type: "item_volume_drop",
    asOf: ctx.asOfText,
    since,
    customerId,
    productId,
    ...(repId !== undefined ? { repId } : {}),
    severity,
    valueAtRisk,
    evidence: {
      usualQuantity: round(usual),
      recentQuantity: round(recent),
      expectedQuantity: round(expected),
      drop: round(drop),
      itemLogShift: round(itemShift),
      customerLogShift: round(customerShift),
      baselineInclusions: st.baseCount,
      recentInclusions: st.excursionCount,
      cusum: round(st.statistic),
      t: round(tStat),
      threshold: round(threshold),
      marginShare: round(share),
    },
    reason: { code: "item_volume_drop", params: { productId, usualQuantity: round(usual), recentQuantity: round(recent), drop: round(drop), orders: st.excursionCount, since } },
    message: localized(
      ctx.locale,
      `Buys ${quantity(recent)} of ${isoLtr(label)} per order where ${quantity(expected)} would be usual now (−${pct}%, season and trend taken out; ${quantity(usual)} before) since ${since} (${st.excursionCount} orders); ${atRiskText(valueAtRisk, ctx.basis, "en")}`,
      `קונה ${quantity(recent)} יח' של ${iso(label)} בהזמנה, כשהרגיל עכשיו ${quantity(expected)} (ירידה של ${pct}% בניכוי עונה ומגמה; ${quantity(usual)} קודם) מאז ${since} (${st.excursionCount} הזמנות); ${atRiskText(valueAtRisk, ctx.basis, "he")}`,
    ),
  };
}

/** Upper bounds of the quantity classes whose items share a pooled scale (small integer quantities are coarser on the log scale). */
const QTY_CLASSES = [1.5, 2.5, 4.5, 9.5, Infinity];

/**
 * Pooled within-item scale of the log quantities, per class of the item's geometric mean quantity: the
 * median standard deviation over the class's items with enough inclusions and any spread at all
 * (the overall median for a class of fewer than 10, 0.35 when there is none at all); {@link itemScale}
 * gives an item's.
 */
function pooledSd(h: ReturnType<typeof itemHistory>, y: Float64Array): PooledScale {
  const sds: number[][] = QTY_CLASSES.map(() => []);
  const all: number[] = [];
  // class of each item with enough inclusions (-1: not tested)
  const classOf = new Int8Array(h.pairProduct.length).fill(-1);
  for (let j = 0; j < h.pairProduct.length; j++) {
    const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
    if (i1 - i0 <= MIN_BASELINE) continue;
    const k = (classOf[j] = quantityClass(h.inclQty, i0, i1));
    const sd = itemSd(y, i0, i1);
    // an item bought in the same quantity every time has no spread to pool: counted in, a few
    // customers who always buy one unit (or one case) pulled the class's median to its floor, and
    // the other items' ordinary noise read as drops (review 2026-12-06)
    if (!(sd > 1e-9)) continue;
    sds[k]!.push(sd);
    all.push(sd);
  }
  const overall = all.length ? Math.max(0.05, median(all)) : 0.35;
  const byClass = sds.map((xs) => (xs.length >= 10 ? Math.max(0.05, median(xs)) : overall));
  return { classOf, byClass, overall };
}

/** The quantity class of an item's inclusions [i0, i1): by their geometric mean quantity (a small function, optimized early). */
function quantityClass(qty: Float64Array, i0: number, i1: number): number {
  let lq = 0;
  for (let i = i0; i < i1; i++) lq += lnQuantity(qty[i]!);
  const q = Math.exp(lq / (i1 - i0)); // geometric mean quantity
  let k = 0;
  while (k < QTY_CLASSES.length - 1 && q >= QTY_CLASSES[k]!) k++;
  return k;
}

/** The sample standard deviation of y[i0..i1). */
function itemSd(y: Float64Array, i0: number, i1: number): number {
  let m = 0;
  for (let i = i0; i < i1; i++) m += y[i]!;
  m /= i1 - i0;
  let v = 0;
  for (let i = i0; i < i1; i++) v += (y[i]! - m) ** 2;
  return Math.sqrt(v / (i1 - i0 - 1));
}

/** The pooled scales: each item's quantity class (-1: not tested), each class's scale, and the overall one. */
interface PooledScale {
  readonly classOf: Int8Array;
  readonly byClass: readonly number[];
  readonly overall: number;
}

/** The pooled scale of item `j`. */
function itemScale(s: PooledScale, j: number): number {
  const k = s.classOf[j]!;
  return k >= 0 ? s.byClass[k]! : s.overall;
}

/**
 * The customer's own log-quantity shift over the same dates, from its other items: per item with
 * at least 2 inclusions on or after `since` and 2 in the year before, mean after − mean before;
 * the median over at least 3 such items, else 0.
 */
function otherItemsShift(h: ReturnType<typeof itemHistory>, y: Float64Array, a: number, b: number, skip: number, since: number): number {
  const shifts: number[] = [];
  for (let j = a; j < b; j++) {
    if (j === skip) continue;
    let sa = 0, na = 0, sb = 0, nb = 0;
    for (let i = h.inclStart[j + 1]! - 1; i >= h.inclStart[j]!; i--) {
      const day = h.days[h.inclDay[i]!]!;
      if (day >= since) {
        sa += y[i]!;
        na++;
      } else if (day >= since - 365) {
        sb += y[i]!;
        nb++;
      } else break;
    }
    if (na >= 2 && nb >= 2) shifts.push(sa / na - sb / nb);
  }
  return shifts.length >= 3 ? median(shifts) : 0;
}

/** An item and its customer bought at least this many times as often a day as in the year before read the item's drop per day. */
const FREQ_SPLIT = 1.75;

/**
 * ln of the rise in an item's inclusions per day, the excursion [since, asOf] against the year
 * before since (from the first purchase when later), when the item's purchase days per day
 * rose at least {@link FREQ_SPLIT}-fold and its customer's did too, or the item now comes in
 * {@link IN_EVERY_ORDER} of the customer's orders since; else 0. Inclusions i0..i1 of the
 * pair, the excursion from `start`; the customer's purchase days d0..d1.
 */
function frequencyRise(h: ReturnType<typeof itemHistory>, i0: number, start: number, i1: number, d0: number, d1: number, since: number, asOf: number): number {
  const item = rise(i1 - i0, (k) => h.days[h.inclDay[i0 + k]!]!, since, asOf);
  if (!(item >= FREQ_SPLIT)) return 0;
  if (rise(d1 - d0, (k) => h.days[d0 + k]!, since, asOf) >= FREQ_SPLIT) return Math.log(item);
  // or the item now comes in (almost) every order the customer places, which it did not before:
  // the same weekly volume spread over the customer's two weekly orders read "−50%" (a chance
  // rise of an item bought in some orders does not put it in nearly all of them; self-review)
  let orders = 0;
  for (let d = d1 - 1; d >= d0 && h.days[d]! >= since; d--) orders++;
  return orders > 0 && (i1 - start) / orders >= IN_EVERY_ORDER ? Math.log(item) : 0;
}

/** An item in this share of the customer's orders since the change is in every order. */
const IN_EVERY_ORDER = 0.9;

/**
 * The rise in purchases per day of `n` ascending days (`dayAt`): those on or after `since` over
 * their span ({@link recentSpanDays}), against those of the year before `since` over it (from the
 * first day when later). 0 without a baseline.
 */
function rise(n: number, dayAt: (k: number) => number, since: number, asOf: number): number {
  let nb = 0, na = 0, lastDay = since;
  for (let k = 0; k < n; k++) {
    const day = dayAt(k);
    if (day >= since) {
      na++;
      lastDay = day;
    } else if (day >= since - 365) nb++;
  }
  const baseDays = Math.min(365, since - dayAt(0));
  const excDays = recentSpanDays(since, lastDay, na, asOf);
  return nb > 0 && baseDays > 0 && excDays > 0 ? na / excDays / (nb / baseDays) : 0;
}

/** The largest |t| the evidence shows (a difference without any spread on either side). */
const T_CAP = 1000;

/** Welch's t of the mean of y[start..end) against y[from..start) (negative: lower), within ±{@link T_CAP}. */
function welchT(y: Float64Array, from: number, start: number, end: number): number {
  const stats = (a: number, b: number): [number, number, number] => {
    let m = 0;
    for (let i = a; i < b; i++) m += y[i]!;
    m /= b - a;
    let v = 0;
    for (let i = a; i < b; i++) v += (y[i]! - m) ** 2;
    return [m, b - a > 1 ? v / (b - a - 1) : 0, b - a];
  };
  const [m1, v1, n1] = stats(from, start);
  const [m2, v2, n2] = stats(start, end);
  const se = Math.sqrt(v1 / n1 + (n2 > 1 ? v2 : v1) / n2);
  // constant quantities leave a variance of rounding dust (1e-32 for identical logs), not 0: a t
  // of −2e15 in the evidence; a spread below 1e-9 of the log scale is none. Without a spread, a
  // difference of the means is as large as t can say (±T_CAP; 0 read "no difference" for a
  // constant 20 halved to a constant 10, a review), and no difference is 0
  const t = se > 1e-9 ? (m2 - m1) / se : Math.abs(m2 - m1) > 1e-9 ? Math.sign(m2 - m1) * T_CAP : 0;
  return Math.max(-T_CAP, Math.min(T_CAP, t));
}

/** Ridge (in item-years²) of a customer's quantity trend: a customer with little spread of purchases over time keeps a slope near 0. */
const TREND_RIDGE = 2;

/**
 * Remove each customer's own quantity trend from its items' log quantities: the within-item
 * least-squares slope of log quantity on time (years) pooled over all its items with at least 3
 * inclusions (each item centred on its own means), leaving the tested item out, shrunk by a
 * ridge of {@link TREND_RIDGE}, when at least 3 other items have a trend to pool;
 * y ← y − slope × (day − asOf) / 365.
 */
function detrend(h: ReturnType<typeof itemHistory>, y: Float64Array, asOf: number): void {
  const nC = h.dayStart.length - 1;
  const scratch = { sxy: new Float64Array(64), sxx: new Float64Array(64) };
  // one small function per customer: optimized after the first customers, not by on-stack replacement
  for (let c = 0; c < nC; c++) detrendCustomer(h, y, asOf, c, scratch);
}

/** Customer c's part of {@link detrend}; `scratch` holds its items' sums (grown when too short). */
function detrendCustomer(h: ItemHistory, y: Float64Array, asOf: number, c: number, scratch: { sxy: Float64Array; sxx: Float64Array }): void {
  const a = h.pairStart[c]!, b = h.pairStart[c + 1]!;
  if (b - a > scratch.sxy.length) {
    scratch.sxy = new Float64Array(2 * (b - a));
    scratch.sxx = new Float64Array(2 * (b - a));
  }
  const { sxy, sxx } = scratch;
  let SXY = 0, SXX = 0, items = 0;
  for (let j = a; j < b; j++) {
    const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
    sxy[j - a] = 0;
    sxx[j - a] = 0;
    if (i1 - i0 < 3) continue;
    let mt = 0, my = 0;
    for (let i = i0; i < i1; i++) {
      mt += (h.days[h.inclDay[i]!]! - asOf) / 365;
      my += y[i]!;
    }
    mt /= i1 - i0;
    my /= i1 - i0;
    let xy = 0, xx = 0;
    for (let i = i0; i < i1; i++) {
      const t = (h.days[h.inclDay[i]!]! - asOf) / 365 - mt;
      xy += t * (y[i]! - my);
      xx += t * t;
    }
    sxy[j - a] = xy;
    sxx[j - a] = xx;
    if (xx > 0) items++;
    SXY += xy;
    SXX += xx;
  }
  for (let j = a; j < b; j++) {
    // at least 3 other items with a trend to pool (else no correction)
    if (items - (sxx[j - a]! > 0 ? 1 : 0) < 3) continue;
    const slope = (SXY - sxy[j - a]!) / (SXX - sxx[j - a]! + TREND_RIDGE);
    if (slope === 0) continue;
    for (let i = h.inclStart[j]!; i < h.inclStart[j + 1]!; i++) y[i]! -= (slope * (h.days[h.inclDay[i]!]! - asOf)) / 365;
  }
}

/** @internal The detector's own options (detectSignals checks them for every type it is given options of). */
export function checkItemVolumeDropOptions(o: Record<string, unknown>, fn: string): void {
  checkNumber(o, "minDrop", 0.01, 0.99, fn);
}
