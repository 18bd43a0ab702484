import type { Dataset } from "../../data/dataset.ts";
import { inReferenceUnit, saleUnitPrice } from "../../data/internal/sale-unit.ts";
import { costBasis, costFor, type CostBasis } from "./cost-basis.ts";
import { resized } from "../../data/internal/resized.ts";
import { monthOf } from "../../patterns/internal/customer-calendar.ts";
import { familySeasonalIndex } from "../../patterns/internal/seasonal-index.ts";
import type { SignalType } from "../types.ts";
import { margin90Within } from "./margin-window.ts";
import { signalRunMemo } from "./run-memo.ts";

/**
 * @internal Every customer's purchase days and every customer x product inclusion, as typed
 * columns, from one pass over the as-of view's positive lines (returns are not purchase
 * occasions). Shared by the item-dropped, item-volume-drop and diversity-drop detectors.
 *
 * - purchase days of customer c: `days[dayStart[c] .. dayStart[c + 1])` (ascending), with their
 *   month (0..11), the number of distinct products bought that day and that day's gross margin;
 * - pairs of customer c: `pairStart[c] .. pairStart[c + 1]`, in order of first purchase, product
 *   `pairProduct[j]`;
 * - inclusions of pair j: `inclStart[j] .. inclStart[j + 1]`, each a purchase day (`inclDay`,
 *   a global index into `days`) and the quantity bought that day (summed over its lines). The
 *   margins of a pair's lines, needed only for the few flagged pairs, come from the lines
 *   ({@link pairMargin}), so no column of 8 bytes per line is built for them.
 */
export interface ItemHistory {
  /** What `dayMargin` measures: margin, or revenue when the view has no unit cost ({@link CostBasis}). */
  readonly basis: CostBasis;
  readonly dayStart: Int32Array;
  readonly days: Int32Array;
  readonly dayMonth: Uint8Array;
  readonly distinct: Int32Array;
  readonly dayMargin: Float64Array;
  readonly pairStart: Int32Array;
  readonly pairProduct: Int32Array;
  readonly inclStart: Int32Array;
  readonly inclDay: Int32Array;
  readonly inclQty: Float64Array;
  /** Family row of each product (`nFamilies` = products without a family). */
  readonly familyOf: Int32Array;
  readonly nFamilies: number;
}

/** @internal The signal types whose detectors read the {@link ItemHistory}. */
export const ITEM_HISTORY_TYPES: ReadonlySet<SignalType> = new Set<SignalType>(["item_dropped", "item_volume_drop", "diversity_drop"]);

/**
 * @internal Build the {@link ItemHistory} of an as-of view. Inside a `detectSignals` call the
 * item detectors share one build (the run memo, see run-memo.ts); nothing is cached beyond it.
 */
export function itemHistory(view: Dataset): ItemHistory {
  const run = signalRunMemo();
  const hit = run?.item;
  if (hit && hit.lines === view.lines && hit.customerStart === view.customerStart && hit.products === view.products && (hit.customerEnd === view.customerEnd || sameEnds(hit.customerEnd as Uint32Array, view.customerEnd))) {
    return hit.value as ItemHistory;
  }
  const history = buildItemHistory(view);
  if (run) run.item = { lines: view.lines, customerStart: view.customerStart, customerEnd: view.customerEnd, products: view.products, value: history };
  return history;
}

function sameEnds(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function buildItemHistory(view: Dataset): ItemHistory {
  const nC = view.customerEnd.length;
  const nP = view.ids.products.size;
  const nF = view.ids.families.size;
  const familyOf = new Int32Array(nP);
  for (let p = 0; p < nP; p++) familyOf[p] = view.products.family[p]! >= 0 ? view.products.family[p]! : nF;
  // one small method per customer (a long loop in this function would run unoptimized until an
  // on-stack replacement of the whole function; docs/scaling.md)
  const b = new HistoryBuilder(view);
  for (let c = 0; c < nC; c++) b.customer(c);
  b.dayStart[nC] = b.nDays;
  b.pairStart[nC] = b.nPairs;
  const nPairs = b.nPairs;
  const inclStart = new Int32Array(nPairs + 1);
  for (let j = 0; j < nPairs; j++) inclStart[j + 1] = inclStart[j]! + b.pairCount[j]!;
  return {
    basis: b.basis,
    dayStart: b.dayStart,
    days: b.days,
    dayMonth: b.dayMonth,
    distinct: b.distinct,
    dayMargin: b.dayMargin,
    pairStart: b.pairStart,
    pairProduct: b.pairProduct.slice(0, nPairs),
    inclStart,
    inclDay: b.inclDay.subarray(0, b.nIncl),
    inclQty: b.inclQty.subarray(0, b.nIncl),
    familyOf,
    nFamilies: nF,
  };
}

/** Purchase days and positive lines of the view (the sizes of the day and inclusion columns). */
function countDays(view: Dataset): { days: number; positive: number } {
  const { lines, customerStart, customerEnd } = view;
  let days = 0, positive = 0;
  for (let c = 0; c < customerEnd.length; c++) {
    let lastDay = Number.NaN;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (!(lines.quantity[i]! > 0)) continue;
      positive++;
      if (lines.day[i] !== lastDay) {
        lastDay = lines.day[i]!;
        days++;
      }
    }
  }
  return { days, positive };
}

/** The columns of an {@link ItemHistory} as they are filled, one customer at a time. */
class HistoryBuilder {
  readonly view: Dataset;
  /** revenue: the view has no unit cost (a line's margin is its revenue) */
  readonly basis: CostBasis;
  readonly days: Int32Array;
  readonly dayMonth: Uint8Array;
  readonly distinct: Int32Array;
  readonly dayMargin: Float64Array;
  readonly inclDay: Int32Array;
  readonly inclQty: Float64Array;
  readonly dayStart: Int32Array;
  readonly pairStart: Int32Array;
  /** pair index of product p for the current customer */
  readonly current: Int32Array;
  // pairs grow with the customers (about 1 per 14 lines on the synthetic data): not sized by the lines
  pairProduct: Int32Array = new Int32Array(1024);
  pairCount: Int32Array = new Int32Array(1024);
  /** last purchase day (global index) of each pair */
  lastDayOf: Int32Array = new Int32Array(1024);
  // the current customer's records (pair, day, qty) before grouping by pair
  recPair: Int32Array = new Int32Array(256);
  recDay: Int32Array = new Int32Array(256);
  recQty: Float64Array = new Float64Array(256);
  /** the current customer's last list price of each product (saleUnitPrice; NaN: none), by product */
  readonly unitRef: Float64Array;
  nDays = 0;
  nPairs = 0;
  nIncl = 0;

  constructor(view: Dataset) {
    this.view = view;
    this.basis = costBasis(view);
    const { days, positive } = countDays(view);
    const nC = view.customerEnd.length;
    this.days = new Int32Array(days);
    this.dayMonth = new Uint8Array(days);
    this.distinct = new Int32Array(days);
    this.dayMargin = new Float64Array(days);
    this.inclDay = new Int32Array(positive);
    this.inclQty = new Float64Array(positive);
    this.dayStart = new Int32Array(nC + 1);
    this.pairStart = new Int32Array(nC + 1);
    this.current = new Int32Array(view.ids.products.size).fill(-1);
    this.unitRef = new Float64Array(view.ids.products.size).fill(Number.NaN);
  }

  /** Adds customer c's purchase days, pairs and inclusions. */
  customer(c: number): void {
    const { lines, customerStart, customerEnd } = this.view;
    const lo = customerStart[c]!, hi = customerEnd[c]!;
    this.dayStart[c] = this.nDays;
    this.pairStart[c] = this.nPairs;
    if (this.nPairs + hi - lo > this.pairProduct.length) {
      // room for every line of this customer being a new pair (no growth check in the line loop)
      const cap = Math.max(this.pairProduct.length * 2, this.nPairs + hi - lo);
      this.pairProduct = resized(this.pairProduct, cap);
      this.pairCount = resized(this.pairCount, cap);
      this.lastDayOf = resized(this.lastDayOf, cap);
    }
    if (hi - lo > this.recPair.length) {
      const n = Math.max(hi - lo, this.recPair.length * 2);
      this.recPair = new Int32Array(n);
      this.recDay = new Int32Array(n);
      this.recQty = new Float64Array(n);
    }
    const { days, dayMonth, distinct, dayMargin, current, pairProduct, pairCount, lastDayOf, recPair, recDay, recQty, unitRef } = this;
    // each product's last list price for this customer: a line whose list is over twice or under
    // half it was in another unit of sale (12 units at 10, then one case at 120), its quantity
    // counted in the last unit, line by line, so a change of pack is no −92 % volume drop (a
    // review); without list prices no unit change is read (a promotion moves the net price)
    for (let i = lo; i < hi; i++) if (lines.quantity[i]! > 0) unitRef[lines.product[i]!] = saleUnitPrice(lines, i);
    let nDays = this.nDays, nPairs = this.nPairs;
    let recs = 0;
    let lastDay = Number.NaN;
    let comp = 0; // the current day's margin, Neumaier-compensated (money): its compensation
    const firstPair = nPairs;
    for (let i = lo; i < hi; i++) {
      const sold = lines.quantity[i]!;
      if (!(sold > 0)) continue;
      const q = inReferenceUnit(sold, saleUnitPrice(lines, i), unitRef[lines.product[i]!]!);
      const day = lines.day[i]!;
      if (day !== lastDay) {
        if (nDays > this.nDays) dayMargin[nDays - 1]! += comp;
        comp = 0;
        lastDay = day;
        days[nDays] = day;
        dayMonth[nDays] = monthOf(day);
        distinct[nDays] = 0;
        dayMargin[nDays] = 0;
        nDays++;
      }
      const d = nDays - 1;
      const p = lines.product[i]!;
      const cost = costFor(lines.unitCost, i, this.basis);
      const m = Number.isFinite(cost) ? sold * (lines.unitPrice[i]! - cost) : 0;
      const s0 = dayMargin[d]!, t = s0 + m;
      comp += Math.abs(s0) >= Math.abs(m) ? s0 - t + m : m - t + s0;
      dayMargin[d] = t;
      let k = current[p]!;
      if (k < 0) {
        k = nPairs++;
        current[p] = k;
        pairProduct[k] = p;
        pairCount[k] = 0;
        lastDayOf[k] = -1;
      }
      if (lastDayOf[k] !== d) {
        lastDayOf[k] = d;
        pairCount[k]!++;
        distinct[d]!++;
        recPair[recs] = k;
        recDay[recs] = d;
        recQty[recs++] = q;
      } else {
        let r = recs - 1;
        while (recPair[r] !== k) r--;
        recQty[r]! += q;
      }
    }
    if (nDays > this.nDays) dayMargin[nDays - 1]! += comp;
    // group the records by pair (counting sort on the pair, stable: days stay ascending)
    const offsets = new Int32Array(nPairs - firstPair + 1);
    for (let j = firstPair; j < nPairs; j++) offsets[j - firstPair + 1] = offsets[j - firstPair]! + pairCount[j]!;
    const { inclDay, inclQty, nIncl } = this;
    for (let r = 0; r < recs; r++) {
      const at = nIncl + offsets[recPair[r]! - firstPair]!++;
      inclDay[at] = recDay[r]!;
      inclQty[at] = recQty[r]!;
    }
    this.nIncl = nIncl + recs;
    for (let j = firstPair; j < nPairs; j++) {
      current[pairProduct[j]!] = -1;
      unitRef[pairProduct[j]!] = Number.NaN;
    }
    this.nDays = nDays;
    this.nPairs = nPairs;
  }
}

/** Pseudo observations per month of the family log-quantity index (as the inclusion index's SEASON_PSEUDO_DAYS). */
const SEASON_PSEUDO = 10;

/**
 * @internal Monthly seasonal indices per product family (rows of 12; row `nFamilies` is flat):
 * - `inclusion[f * 12 + m]`: fitItemRhythm's index (docs/patterns.md section 2): over the
 *   family's pairs, I(m) = purchase days of month m including the product, D(m) = the customer's
 *   purchase days of month m; s(m) = (I(m) + κσ) / ((D(m) + κ)σ), σ = ΣI/ΣD, κ = 10, rescaled
 *   to average 1 over the months with purchase days;
 * - `logQuantity[f * 12 + m]`: the family's mean log-quantity deviation in month m: over its
 *   pairs with at least 3 inclusions, ln q minus the pair's mean ln q, averaged per month with κ
 *   pseudo-observations at 0, then centred (inclusion-weighted mean 0). A family whose quantities
 *   swell in summer (the synthetic √m modulation) gets a positive summer value.
 */
export function familySeason(h: ItemHistory): FamilySeason {
  let season = seasons.get(h);
  if (!season) seasons.set(h, (season = buildFamilySeason(h)));
  return season;
}

/** @internal Monthly seasonal indices per product family, rows of 12 (see {@link familySeason}). */
export interface FamilySeason {
  readonly inclusion: Float64Array;
  readonly logQuantity: Float64Array;
}

/** The indices of each (cached) history. */
const seasons = new WeakMap<ItemHistory, FamilySeason>();

/**
 * @internal ln q of an inclusion's quantity: `Math.log(q)`, from a table of Math.log's own values
 * (the same doubles) for the small whole numbers most quantities are. The family season, the
 * de-seasonalized quantities and the quantity classes each take it over all inclusions (a column
 * of them would be a large fresh allocation per run instead).
 */
export function lnQuantity(q: number): number {
  const n = q | 0;
  return n === q && n > 0 && n < LOG_INT.length ? LOG_INT[n]! : Math.log(q);
}

/** Math.log(n) for n = 0..1023. */
const LOG_INT = /* @__PURE__ */ logTable(1024);

/** Math.log(n) for n = 0..size − 1 (a function call marked pure, so bundlers drop the table with the module's other unused code). */
function logTable(size: number): Float64Array {
  const t = new Float64Array(size);
  for (let n = 0; n < size; n++) t[n] = Math.log(n);
  return t;
}

function buildFamilySeason(h: ItemHistory): FamilySeason {
  const nF = h.nFamilies;
  const acc: SeasonSums = {
    included: new Float64Array(nF * 12),
    exposed: new Float64Array(nF * 12),
    qSum: new Float64Array(nF * 12),
    qCnt: new Float64Array(nF * 12),
    perMonth: new Float64Array(12),
    famPairs: new Float64Array(nF + 1),
    logs: new Float64Array(256), // the pair's log quantities, computed once for both passes
  };
  const nC = h.dayStart.length - 1;
  // one small function per customer: optimized after the first customers, where this function's
  // loop would wait for an on-stack replacement (and box every double until then)
  for (let c = 0; c < nC; c++) seasonCustomer(h, acc, c);
  const { included, exposed, qSum, qCnt } = acc;
  const inclusion = familySeasonalIndex(included, exposed, nF);
  const logQuantity = new Float64Array((nF + 1) * 12);
  for (let f = 0; f < nF; f++) {
    let wSum = 0, w = 0;
    for (let m = 0; m < 12; m++) {
      const v = qSum[f * 12 + m]! / (qCnt[f * 12 + m]! + SEASON_PSEUDO);
      logQuantity[f * 12 + m] = v;
      wSum += v * qCnt[f * 12 + m]!;
      w += qCnt[f * 12 + m]!;
    }
    if (w > 0) for (let m = 0; m < 12; m++) logQuantity[f * 12 + m]! -= wSum / w;
  }
  return { inclusion, logQuantity };
}

/** The sums {@link buildFamilySeason} gathers, and the scratch of one customer's pass. */
interface SeasonSums {
  readonly included: Float64Array;
  readonly exposed: Float64Array;
  readonly qSum: Float64Array;
  readonly qCnt: Float64Array;
  readonly perMonth: Float64Array;
  readonly famPairs: Float64Array;
  logs: Float64Array;
}

/** Customer c's part of {@link buildFamilySeason}'s sums. */
function seasonCustomer(h: ItemHistory, acc: SeasonSums, c: number): void {
  const nF = h.nFamilies;
  const { included, exposed, qSum, qCnt, perMonth, famPairs } = acc;
  const a = h.pairStart[c]!, b = h.pairStart[c + 1]!;
  if (a === b) return;
  perMonth.fill(0);
  for (let d = h.dayStart[c]!; d < h.dayStart[c + 1]!; d++) perMonth[h.dayMonth[d]!]!++;
  for (let j = a; j < b; j++) {
    const f = h.familyOf[h.pairProduct[j]!]!;
    if (f === nF) continue;
    famPairs[f]!++;
    const i0 = h.inclStart[j]!, i1 = h.inclStart[j + 1]!;
    if (acc.logs.length < i1 - i0) acc.logs = new Float64Array(Math.max(i1 - i0, acc.logs.length * 2));
    const logs = acc.logs;
    let mean = 0;
    for (let i = i0; i < i1; i++) {
      included[f * 12 + h.dayMonth[h.inclDay[i]!]!]!++;
      const lq = (logs[i - i0] = lnQuantity(h.inclQty[i]!));
      mean += lq;
    }
    if (i1 - i0 < 3) continue;
    mean /= i1 - i0;
    for (let i = i0; i < i1; i++) {
      const k = f * 12 + h.dayMonth[h.inclDay[i]!]!;
      qSum[k]! += logs[i - i0]! - mean;
      qCnt[k]!++;
    }
  }
  for (let f = 0; f < nF; f++) {
    if (famPairs[f] === 0) continue;
    for (let m = 0; m < 12; m++) exposed[f * 12 + m]! += famPairs[f]! * perMonth[m]!;
    famPairs[f] = 0;
  }
}

/**
 * @internal The gross margin of customer index c's positive lines of product p dated in
 * `[from, to)` (epoch days; a line without a cost counts 0, as the purchase-day margins; revenue
 * on the revenue {@link CostBasis}), summed (compensated) in line order from the view's columns.
 */
export function pairMargin(view: Dataset, c: number, p: number, from: number, to: number): number {
  const { lines } = view;
  const basis = costBasis(view);
  let sum = 0, comp = 0; // Neumaier-compensated (money)
  for (let i = view.customerStart[c]!; i < view.customerEnd[c]!; i++) {
    const day = lines.day[i]!;
    if (day >= to) break; // a customer's lines are in day order
    if (day < from || lines.product[i] !== p) continue;
    const q = lines.quantity[i]!;
    if (!(q > 0)) continue;
    const cost = costFor(lines.unitCost, i, basis);
    if (!Number.isFinite(cost)) continue;
    const m = q * (lines.unitPrice[i]! - cost), t = sum + m;
    comp += Math.abs(sum) >= Math.abs(m) ? sum - t + m : m - t + sum;
    sum = t;
  }
  return sum + comp;
}

/** @internal Customer c's purchase-day margins (pairMarginShare's denominator) over [since − 365, since), × 90/365, at least 0: the 90-day margin an item signal's share is of (the year before its `since`; the year to asOf has lost the item's weeks already, and an old loss read smaller the longer it lasted). */
export function marginBefore(h: ItemHistory, c: number, since: number): number {
  return margin90Within(h.days, h.dayMargin, h.dayStart[c]!, h.dayStart[c + 1]!, since - 365, since - 1);
}

/**
 * @internal The margin share of a pair in its customer's purchases over `[from, to)` (epoch
 * days): the pair's margin ({@link pairMargin}) ÷ Σ the customer's purchase-day margins, in
 * [0, 1]; 0 when the customer had no positive margin there.
 */
export function pairMarginShare(view: Dataset, h: ItemHistory, c: number, j: number, from: number, to: number): number {
  const pair = pairMargin(view, c, h.pairProduct[j]!, from, to);
  let sum = 0, comp = 0; // Neumaier-compensated (money)
  for (let d = h.dayStart[c]!; d < h.dayStart[c + 1]!; d++) {
    const day = h.days[d]!;
    if (day < from || day >= to) continue;
    const m = h.dayMargin[d]!, t = sum + m;
    comp += Math.abs(sum) >= Math.abs(m) ? sum - t + m : m - t + sum;
    sum = t;
  }
  const all = sum + comp;
  return all > 0 ? Math.min(1, Math.max(0, pair / all)) : 0;
}
