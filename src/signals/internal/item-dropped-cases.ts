import { checkInt, checkNumber, optionsObject } from "../../data/internal/check.ts";
import { sellableProducts } from "../../data/internal/sellable.ts";
import type { Dataset } from "../../data/dataset.ts";
import { formatDay } from "../../data/format-day.ts";
import { monthOf } from "../../patterns/internal/customer-calendar.ts";
import type { SignalLocale, SignalOf } from "../types.ts";
import type { DetectorContext } from "./context.ts";
import { costFor, type CostBasis } from "./cost-basis.ts";
import { atRiskText, fmt, iso, isoLtr, localized, money, quantity, round, signalId } from "./format.ts";
import { percentOf } from "../../data/internal/shown-round.ts";
import { productLabel, purchaseDaysPerYear, stillOrdering } from "./item-common.ts";
import { familySeason, itemHistory, marginBefore, pairMarginShare, type ItemHistory } from "./item-history.ts";

/**
 * Nominal false alarms per customer and year at sensitivity 1 (the Bonferroni split of
 * detectItemDropped); measured: docs/signals-items.md.
 */
const FALSE_ALARMS_PER_CUSTOMER_YEAR = 0.05;
/** Purchase days without the item needed, however sure the test (a precision floor; item_volume_drop steps aside for a gone item only from this many on). */
export const MIN_MISSED = 3;
/** A drop whose first missed order is more than this many days old is old news. */
const MAX_AGE_DAYS = 730;
/** Between detections, a customer counts as still ordering when its latest purchase is at most this many days old. */
const STILL_ORDERING_DAYS = 60;

/**
 * @internal Checks detectItemDropped's own options and resolves their defaults (minInclusion 0.3,
 * minItemOrders 5); with `known`, the option names too (detectItemDropped's entry).
 */
export function itemDroppedOptions(options: { minInclusion?: number | undefined; minItemOrders?: number | undefined } | undefined, fn: string, known?: Readonly<Record<string, true>>): { minInclusion: number; minItemOrders: number } {
  const o = optionsObject(options, fn, known);
  checkNumber(o, "minInclusion", 0.01, 1, fn);
  checkInt(o, "minItemOrders", 3, 1_000_000, fn);
  return { minInclusion: options?.minInclusion ?? 0.3, minItemOrders: options?.minItemOrders ?? 5 };
}

/** @internal A purchase day of a customer after the detection day, with the products bought that day. */
export interface NewPurchaseDay {
  readonly day: number;
  readonly products: ReadonlySet<string>;
}

/**
 * @internal One customer's `item_dropped` tests, prepared at the detection day F from its habits
 * there, and asked at a later day D with the customer's purchase days in (F, D]: each new day
 * without a habit's product adds a miss (its month's seasonal weight to the exposure), a new day
 * with it starts a new run. The habit's Beta posterior, the threshold, the usual quantity and the
 * margins stay those of F.
 */
export interface ItemDroppedCase {
  readonly customerId: string;
  /**
   * The signals at `day` given the customer's purchase days after the detection day, ascending
   * (days after `day` are ignored).
   */
  at(day: number, newDays: readonly NewPurchaseDay[]): SignalOf<"item_dropped">[];
  /** Whether the case holds a habit of this product (a later delivery of it can change the case). */
  watches(productId: string): boolean;
  /**
   * A later delivery brought the product on purchase day `day` (on or before the detection day):
   * the habit's last miss becomes its purchase, as the detector replays one. True when done (or
   * nothing to do), false when `day` is not the case's last purchase day (the case cannot undo an
   * earlier miss: the caller detects again).
   */
  amend(productId: string, day: number): boolean;
}

/** What a signal is made of (the detector's and a case's). */
interface Drop {
  customerId: string;
  productId: string;
  label: string;
  repId: string | undefined;
  asOf: number;
  since: number;
  lastBought: number;
  itemOrders: number;
  ordersBefore: number;
  missed: number;
  missedExposure: number;
  before: number;
  probability: number;
  threshold: number;
  /** The detection's sensitivity (the threshold is proportional to it; severity reads the threshold at 1). */
  sensitivity: number;
  usual: number;
  share: number;
  /** The customer's 90-day margin `share` is of: over the year before the run of misses (the year to asOf with none yet). */
  margin90: number;
  locale: SignalLocale;
  basis: CostBasis;
}

/** The fields of a {@link Drop} fixed by the customer and the pair at a detection. */
type DropBase = Omit<Drop, "asOf" | "since" | "lastBought" | "missed" | "missedExposure" | "probability" | "ordersBefore" | "share" | "usual">;

/** A habit of a customer at the detection day. */
interface Habit {
  /** Pair index. */
  j: number;
  /** Beta posterior of the inclusion before the run of misses. */
  a: number;
  b: number;
  /** Season-weighted exposure of the purchase days strictly between the item's first and last purchase. */
  inner: number;
  /** Its mean. */
  before: number;
  /** The family's largest seasonal index over the months the customer buys in (at least 1): a habit is `before × peak` ≥ minInclusion. */
  peak: number;
  /** Purchase days since the last purchase of the item. */
  missed: number;
  /** Their season-weighted exposure Σ s(month). */
  missedExposure: number;
  /** P(no purchase in them | the habit) = B(a, b + E) / B(a, b). */
  probability: number;
}

/**
 * @internal detectItemDropped's body (the statistics are in its documentation): the signals at
 * the context's as-of day, and with `keepCases` every customer's {@link ItemDroppedCase} (customers
 * with a habit), for the engine's ticks between detections.
 */
export function itemDroppedRun(ctx: DetectorContext, minInclusion: number, minItemOrders: number, keepCases: boolean): { signals: SignalOf<"item_dropped">[]; cases: ItemDroppedCase[] | undefined } {
  const { view, asOf, sensitivity: s, locale, basis } = ctx;
  const h = itemHistory(view);
  const season = familySeason(h).inclusion;
  const nC = h.dayStart.length - 1;
  const margin90 = ctx.customerMargin90();
  const out: SignalOf<"item_dropped">[] = [];
  const cases: ItemDroppedCase[] | undefined = keepCases ? [] : undefined;
  let months = new Int32Array(12 * 64);
  let qty = new Float64Array(64);
  let productMargin: Float64Array | undefined;
  const habits: Habit[] = [];
  for (let c = 0; c < nC; c++) {
    const d0 = h.dayStart[c]!, d1 = h.dayStart[c + 1]!;
    const testable = d1 - d0 >= minItemOrders + MIN_MISSED && stillOrdering(h, c, asOf);
    if (!testable && !(keepCases && d1 - d0 >= minItemOrders)) continue;
    // months[(d − d0) * 12 + m]: purchase days of month m among the customer's first d − d0
    if ((d1 - d0 + 1) * 12 > months.length) months = new Int32Array((d1 - d0 + 1) * 24);
    // the customer's numeric part in small functions (optimized after the first customers, where
    // this loop waits for an on-stack replacement); the closures below serve its few signals
    monthPrefix(h, d0, d1, months);
    const sumP = customerHabits(h, season, months, c, minInclusion, minItemOrders, keepCases, habits, sellableProducts(view));
    if (habits.length === 0) continue;
    const threshold = (FALSE_ALARMS_PER_CUSTOMER_YEAR * s) / (purchaseDaysPerYear(h, c, asOf) * sumP);
    const customerId = view.ids.customers.values[c]!;
    const repId = ctx.owner(c);
    // the margin share of a pair in the year before its run of misses (the year before asOf when none)
    const share = (hb: Habit): number => {
      const since = hb.missed > 0 ? h.days[d1 - hb.missed]! : asOf + 1;
      return pairMarginShare(view, h, c, hb.j, since - 365, since);
    };
    // the customer's 90-day margin the share is taken of: over the same year before the run of
    // misses (the trailing year to asOf has lost the item already: the value at risk of one lost
    // habit fell from 1,096 to 377 as it stayed away 4 to 40 weeks, and an old loss sank below a
    // smaller new one; a review, 2026-12-07); with no run under way, the year to asOf
    const marginBase = (hb: Habit): number => (hb.missed > 0 ? marginBefore(h, c, h.days[d1 - hb.missed]!) : margin90[c]!);
    const drop = (hb: Habit): DropBase => {
      const i0 = h.inclStart[hb.j]!, i1 = h.inclStart[hb.j + 1]!;
      const p = h.pairProduct[hb.j]!;
      return {
        customerId,
        productId: view.ids.products.values[p]!,
        label: productLabel(view, p),
        repId,
        itemOrders: i1 - i0,
        before: hb.before,
        threshold,
        sensitivity: s,
        margin90: marginBase(hb),
        locale,
        basis,
      };
    };
    // the usual quantity: the median of the item's quantities (item-common's median, here sorted
    // in a scratch typed array: the engine's detections take it for every habit; the quantities of
    // positive lines are finite, so the numeric sort orders them as median's comparator does)
    const usual = (hb: Habit): number => {
      const i0 = h.inclStart[hb.j]!, i1 = h.inclStart[hb.j + 1]!;
      if (qty.length < i1 - i0) qty = new Float64Array(2 * (i1 - i0));
      const q = qty.subarray(0, i1 - i0);
      q.set(h.inclQty.subarray(i0, i1));
      q.sort();
      const mid = q.length >> 1;
      return q.length % 2 ? q[mid]! : (q[mid - 1]! + q[mid]!) / 2;
    };
    if (testable) {
      for (const hb of habits) {
        if (hb.missed < MIN_MISSED || !(hb.probability <= threshold)) continue;
        const i0 = h.inclStart[hb.j]!, i1 = h.inclStart[hb.j + 1]!;
        const last = h.inclDay[i1 - 1]!;
        const sinceDay = h.days[last + 1]!;
        if (sinceDay <= asOf - MAX_AGE_DAYS) continue;
        out.push(dropSignal({
          ...drop(hb),
          asOf,
          since: sinceDay,
          lastBought: h.days[last]!,
          ordersBefore: last - h.inclDay[i0]! + 1,
          missed: hb.missed,
          missedExposure: hb.missedExposure,
          probability: hb.probability,
          share: share(hb),
          usual: usual(hb),
        }));
      }
    }
    if (cases !== undefined) {
      // the margin shares of the kept habits: one pass over the customer's lines of the year to
      // asOf (the share in the year before each run of misses is the detector's, for its signals)
      const all = yearMargins(view, h, c, asOf, (productMargin ??= new Float64Array(view.ids.products.size)));
      const kept: KeptHabit[] = new Array(habits.length);
      for (let x = 0; x < habits.length; x++) {
        const hb = habits[x]!;
        const i0 = h.inclStart[hb.j]!, i1 = h.inclStart[hb.j + 1]!;
        const last = h.inclDay[i1 - 1]!;
        const p = h.pairProduct[hb.j]!;
        const shareToDetection = all > 0 ? Math.min(1, Math.max(0, productMargin[p]! / all)) : 0;
        // the signal's fixed fields as drop() makes them, nested (a spread of them into this
        // literal built each habit property by property: about a quarter of an engine
        // detection's item_dropped time); a signal spreads them when it fires
        kept[x] = {
          base: drop(hb),
          usual: usual(hb),
          a: hb.a,
          b: hb.b,
          inner: hb.inner,
          itemOrders: i1 - i0,
          seasonRow: h.familyOf[p]! * 12,
          peak: hb.peak,
          lastBought: h.days[last]!,
          since: hb.missed > 0 ? h.days[last + 1]! : undefined,
          ordersBefore: last - h.inclDay[i0]! + 1,
          daysAfter: hb.missed,
          missed: hb.missed,
          missedExposure: hb.missedExposure,
          // a run of misses already under way: the detector's share, the year before its start (the
          // year to asOf held the weeks after it: 0.3 where detectSignals said 0.375); one that
          // starts later: the year to asOf, the nearest the case can see
          share: hb.missed > 0 ? share(hb) : shareToDetection,
          shareToDetection,
          margin90ToDetection: margin90[c]!,
        };
      }
      for (let i = view.customerStart[c]!; i < view.customerEnd[c]!; i++) productMargin[view.lines.product[i]!] = 0;
      const recent: number[] = [];
      for (let d = d0; d < d1; d++) if (h.days[d]! > asOf - 365) recent.push(h.days[d]!);
      cases.push(itemCase(customerId, asOf, kept, season, Int32Array.from(recent), FALSE_ALARMS_PER_CUSTOMER_YEAR * s, minInclusion));
    }
  }
  return { signals: out, cases };
}

/** months[(d − d0) * 12 + m]: customer days d0.. of month m before day d (a prefix count per month, rows d0..d1). */
function monthPrefix(h: ItemHistory, d0: number, d1: number, months: Int32Array): void {
  months.fill(0, 0, 12);
  for (let d = d0; d < d1; d++) {
    const at = (d - d0 + 1) * 12;
    for (let m = 0; m < 12; m++) months[at + m] = months[at - 12 + m]!;
    months[at + h.dayMonth[d]!]!++;
  }
}

/** Season-weighted purchase days of the customer (first day d0) in [from, to): Σ_m count × s(row, m). */
function exposure(months: Int32Array, season: Float64Array, d0: number, row: number, from: number, to: number): number {
  let e = 0;
  for (let m = 0; m < 12; m++) e += (months[(to - d0) * 12 + m]! - months[(from - d0) * 12 + m]!) * season[row + m]!;
  return e;
}

/** Customer c's habits into `habits` (cleared first); returns Σ of their inclusions before the runs of misses. */
function customerHabits(h: ItemHistory, season: Float64Array, months: Int32Array, c: number, minInclusion: number, minItemOrders: number, keepCases: boolean, habits: Habit[], active: Uint8Array): number {
  const d0 = h.dayStart[c]!, d1 = h.dayStart[c + 1]!;
  habits.length = 0;
  let sumP = 0;
  for (let j = h.pairStart[c]!; j < h.pairStart[c + 1]!; j++) {
    const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
    const k = i1 - i0;
    if (k < minItemOrders) continue;
    // a product marked discontinued (products.active = false), or off the market (nobody buys it
    // any more: a SKU renumbered, a shortage), is no habit the customer can keep: every buyer's
    // rep was told to win it back (reviews, 2026-12-07 and 12-08; sellableProducts)
    if (active[h.pairProduct[j]!] === 0) continue;
    const first = h.inclDay[i0]!, last = h.inclDay[i1 - 1]!;
    const row = h.familyOf[h.pairProduct[j]!]! * 12;
    // the habit as it was before the current run of misses: the purchase days strictly between
    // the first and the last purchase of the item (both are purchases by construction)
    const a = k - 1;
    const inner = exposure(months, season, d0, row, first + 1, last);
    const b = Math.max(0, inner - (k - 2)) + 1;
    const before = a / (a + b);
    // a habit by its inclusion in its best month (the months the customer buys in): `before` is
    // the average month's, and a product of a 3-month season (index 3.9 in June-August) bought in
    // every summer order read at most 1 / 3.9 = 0.26, never a habit (a review, 2026-12-07)
    let peak = 1;
    for (let m = 0; m < 12; m++) if (months[(d1 - d0) * 12 + m]! > 0 && season[row + m]! > peak) peak = season[row + m]!;
    if (Math.min(1, before * peak) < minInclusion) continue;
    sumP += before;
    const missed = d1 - 1 - last;
    if (missed < MIN_MISSED && !keepCases) continue;
    const missedExposure = exposure(months, season, d0, row, last + 1, d1);
    habits.push({ j, a, b, inner, before, peak, missed, missedExposure, probability: missed < MIN_MISSED ? 1 : Math.exp(logBeta(a, b + missedExposure) - logBeta(a, b)) });
  }
  return sumP;
}

/**
 * The gross margin of customer index c's positive lines per product over (asOf − 365, asOf] into
 * `byProduct` (zero on entry; the caller zeroes the products it read), and Σ its purchase-day
 * margins there (the denominators of pairMarginShare, for the year to asOf).
 */
function yearMargins(view: Dataset, h: ItemHistory, c: number, asOf: number, byProduct: Float64Array): number {
  const { lines } = view;
  const basis = h.basis;
  const from = asOf - 364;
  for (let i = view.customerStart[c]!; i < view.customerEnd[c]!; i++) {
    const day = lines.day[i]!;
    if (day < from || day > asOf) continue;
    const q = lines.quantity[i]!;
    if (!(q > 0)) continue;
    const cost = costFor(lines.unitCost, i, basis);
    if (Number.isFinite(cost)) byProduct[lines.product[i]!]! += q * (lines.unitPrice[i]! - cost);
  }
  let all = 0;
  for (let d = h.dayStart[c]!; d < h.dayStart[c + 1]!; d++) if (h.days[d]! >= from && h.days[d]! <= asOf) all += h.dayMargin[d]!;
  return all;
}

/** A habit as a case keeps it: the signal's fixed parts and the run of misses at the detection day. */
interface KeptHabit {
  /** The signal's fields fixed at the detection: drop()'s (customer, product, label, rep, threshold, margin, locale; itemOrders and before are replayed). */
  base: DropBase;
  usual: number;
  share: number;
  itemOrders: number;
  lastBought: number;
  ordersBefore: number;
  missed: number;
  missedExposure: number;
  a: number;
  b: number;
  inner: number;
  /** Offset of the product family's row (12 months) in the seasonal inclusion index. */
  seasonRow: number;
  /** {@link Habit.peak} at the detection day. */
  peak: number;
  /**
   * The pair's margin share and the customer's 90-day margin of the year to the detection day: a
   * run of misses that starts after it (the item bought again, then missed) is valued on them, not
   * on the ended run's (a win-back's new drop read 153.86 where detectSignals read 1.48: the old
   * run's year; a review, 2026-12-07).
   */
  shareToDetection: number;
  margin90ToDetection: number;
  /** The first purchase day without the item at the detection day (undefined when the last purchase day had it). */
  since: number | undefined;
  /** Purchase days after the item's last purchase at the detection day (== missed). */
  daysAfter: number;
}

/**
 * A case over the habits kept at detection day `asOf` (a module-level factory: it holds only what
 * it is given). `recent`: the customer's purchase days in (asOf − 365, asOf]; `budget`: the false
 * alarms per customer-year times the sensitivity.
 */
function itemCase(customerId: string, asOf: number, habits: readonly KeptHabit[], season: Float64Array, recent: Int32Array, budget: number, minInclusion: number): ItemDroppedCase {
  const products = new Set(habits.map((h) => h.base.productId));
  return {
    customerId,
    watches: (productId) => products.has(productId),
    amend(productId, day) {
      const hb = habits.find((h) => h.base.productId === productId);
      if (hb === undefined || hb.lastBought >= day) return true;
      if (day !== recent[recent.length - 1] || hb.missed < 1 || hb.since === undefined || hb.since > day) return false;
      // the miss on `day` undone (its seasonal weight off the run), then the purchase as `at` replays one
      hb.missed--;
      hb.missedExposure = Math.max(0, hb.missedExposure - season[hb.seasonRow + monthOf(day)]!);
      hb.daysAfter--;
      boughtOn(hb, day, season, hb.seasonRow);
      return true;
    },
    at(day, newDays) {
      const signals: SignalOf<"item_dropped">[] = [];
      const days = newDays.filter((nd) => nd.day > asOf && nd.day <= day);
      const latest = days.length > 0 ? days[days.length - 1]!.day : undefined;
      if (latest === undefined || day - latest > STILL_ORDERING_DAYS) return signals;
      // each habit replayed over the new days: a purchase of the item moves its last purchase
      // (the days of the run become days between first and last: the Beta posterior is updated as
      // the detector would compute it), a day without it adds a miss
      const runs = habits.map((hb) => {
        const r: HabitRun = { a: hb.a, b: hb.b, inner: hb.inner, itemOrders: hb.itemOrders, ordersBefore: hb.ordersBefore, lastBought: hb.lastBought, missed: hb.missed, missedExposure: hb.missedExposure, since: hb.since, daysAfter: hb.daysAfter };
        for (const nd of days) {
          if (nd.products.has(hb.base.productId)) boughtOn(r, nd.day, season, hb.seasonRow);
          else missedOn(r, nd.day, season, hb.seasonRow);
        }
        const { a, b, itemOrders, ordersBefore, lastBought, since, missed, missedExposure } = r;
        return { hb, a, b, before: a / (a + b), itemOrders, ordersBefore, lastBought, since, missed, missedExposure };
      });
      let sumP = 0;
      for (const r of runs) if (Math.min(1, r.before * r.hb.peak) >= minInclusion) sumP += r.before;
      let perYear = days.filter((nd) => nd.day > day - 365).length;
      for (const d of recent) if (d > day - 365) perYear++;
      const threshold = budget / (Math.max(1, perYear) * sumP);
      for (const r of runs) {
        if (Math.min(1, r.before * r.hb.peak) < minInclusion || r.missed < MIN_MISSED || r.since === undefined || r.since <= day - MAX_AGE_DAYS) continue;
        const probability = Math.exp(logBeta(r.a, r.b + r.missedExposure) - logBeta(r.a, r.b));
        if (!(probability <= threshold)) continue;
        // (a run that started after the detection day: the year to that day, the nearest the case sees)
        const restarted = r.since !== r.hb.since;
        signals.push(dropSignal({ ...r.hb.base, ...(restarted ? { margin90: r.hb.margin90ToDetection } : {}), usual: r.hb.usual, share: restarted ? r.hb.shareToDetection : r.hb.share, asOf: day, since: r.since, lastBought: r.lastBought, itemOrders: r.itemOrders, ordersBefore: r.ordersBefore, before: r.before, missed: r.missed, missedExposure: r.missedExposure, probability, threshold }));
      }
      return signals;
    },
  };
}

/** A habit's run as a case replays it: a {@link KeptHabit}'s fields, or a copy `at` advances. */
interface HabitRun {
  a: number;
  b: number;
  inner: number;
  itemOrders: number;
  ordersBefore: number;
  lastBought: number;
  missed: number;
  missedExposure: number;
  since: number | undefined;
  daysAfter: number;
}

/**
 * The item bought on purchase day `day`: the run's days become days between the first and last
 * purchase, and the Beta posterior is updated as the detector would compute it.
 */
function boughtOn(r: HabitRun, day: number, season: Float64Array, row: number): void {
  r.inner += season[row + monthOf(r.lastBought)]! + r.missedExposure;
  r.itemOrders++;
  r.ordersBefore += r.daysAfter + 1;
  r.a = r.itemOrders - 1;
  r.b = Math.max(0, r.inner - (r.itemOrders - 2)) + 1;
  r.daysAfter = 0;
  r.lastBought = day;
  r.since = undefined;
  r.missed = 0;
  r.missedExposure = 0;
}

/** A purchase day `day` without the item: one more miss, its month's seasonal weight on the run's exposure. */
function missedOn(r: HabitRun, day: number, season: Float64Array, row: number): void {
  r.daysAfter++;
  r.missed++;
  r.missedExposure += season[row + monthOf(day)]!;
  r.since ??= day;
}

/** The item_dropped signal of a drop. */
function dropSignal(x: Drop): SignalOf<"item_dropped"> {
  const { customerId, productId, label, repId, threshold, sensitivity, probability, before, missed, usual, share, locale, basis } = x;
  const since = formatDay(x.since);
  const lastBought = formatDay(x.lastBought);
  const valueAtRisk = round(x.margin90 * share, 2);
  // how sure, against the threshold at sensitivity 1 (severity does not move with the sensitivity)
  const sure = Math.min(1, Math.max(0, 0.5 + 0.1 * Math.log10(threshold / sensitivity / Math.max(1e-300, probability))));
  const severity = round(sure * Math.min(1, 0.5 + before / 2), 3);
  const odds = 1 / Math.max(1e-300, probability);
  // beyond a billion to one the exact figure means nothing to a reader
  const oddsText = odds >= 1e12 ? "over a trillion" : odds >= 1e9 ? `${fmt(odds / 1e9)} billion` : money(odds);
  // the whole Hebrew phrase: "1 ל-" before "more than a trillion" read "a chance of 1 to-more-than-a-trillion"
  const chanceHe = odds >= 1e12 ? "סיכוי של פחות מ-1 לטריליון במקרה" : `סיכוי של 1 ל-${odds >= 1e9 ? `${fmt(odds / 1e9)} מיליארד` : money(odds)} במקרה`;
  // the message's share is the orders that held it, itemOrders of ordersBefore (5 of 5 reads 100%);
  // the test's smoothed posterior mean stays in the evidence (inclusionBefore): shown, it read "in
  // 80% of orders (5 times)" for an item in every one of 5 orders until 2026-12-07
  const pct = percentOf(x.ordersBefore > 0 ? x.itemOrders / x.ordersBefore : before);
  return {
    id: signalId("item_dropped", customerId, productId, lastBought),
    type: "item_dropped",
    asOf: formatDay(x.asOf),
    since,
    customerId,
    productId,
    ...(repId !== undefined ? { repId } : {}),
    severity,
    valueAtRisk,
    evidence: {
      inclusionBefore: round(before),
      itemOrders: x.itemOrders,
      ordersBefore: x.ordersBefore,
      ordersSinceLast: missed,
      seasonalExposure: round(x.missedExposure),
      daysSinceLast: x.asOf - x.lastBought,
      missingProbability: probability,
      threshold,
      usualQuantity: usual,
      marginShare: round(share),
    },
    reason: { code: "item_dropped", params: { productId, itemOrders: x.itemOrders, inclusionBefore: round(before), ordersSinceLast: missed, lastBought, missingProbability: probability } },
    message: localized(
      locale,
      `Bought ${isoLtr(label)} in ${pct}% of orders (${x.itemOrders} times, usually ${quantity(usual)} per order); missing from the last ${missed} orders since ${since} (1 in ${oddsText} by chance); ${atRiskText(valueAtRisk, basis, "en")}`,
      `קנה ${iso(label)} ב-${pct}% מההזמנות (${x.itemOrders} פעמים, בדרך כלל ${quantity(usual)} יח'); חסר ב-${missed} ההזמנות האחרונות מאז ${since} (${chanceHe}); ${atRiskText(valueAtRisk, basis, "he")}`,
    ),
  };
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
