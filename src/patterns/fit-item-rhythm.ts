import type { Dataset } from "../data/dataset.ts";
import { rhythmView } from "../data/internal/rhythm-view.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkFitted, checkInt, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { OrderpulseError } from "../data/errors.ts";
import type { IntervalModel } from "./fit-interval-model.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";
import { resized } from "../data/internal/resized.ts";
import { addOpenDays, type Closures, type HolidaySet, modelHolidays, monthOf } from "./internal/customer-calendar.ts";
import { familySeasonalIndex } from "./internal/seasonal-index.ts";
import { parseDay } from "../data/parse-day.ts";

/** Options of {@link fitItemRhythm}. */
export interface ItemRhythmOptions {
  /** Last visible day. Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Pairs per product needed for a product prior (else the all-pairs prior); at least 2 are always needed. Default 5. */
  minPriorPairs?: number | undefined;
  /** The customers' interval model, fitted at the same asOf (another is rejected), to date the item's next purchase. */
  customers?: IntervalModel | undefined;
}

const KEYS: OptionKeys<ItemRhythmOptions> = { asOf: true, minPriorPairs: true, customers: true };

/**
 * One customer x product rhythm. Seasonal products (through their family's monthly index
 * s(m), mean 1 over the year) are included with probability p(m) = min(0.99, inclusion · s(m))
 * on a purchase day of month m; products without a family have s ≡ 1.
 */
export interface ItemRhythm {
  /** Customer id. */
  readonly customerId: string;
  /** Product id. */
  readonly productId: string;
  /** The customer's purchase days since it first bought the product (that one included). */
  readonly orders: number;
  /** Of those, the purchase days that included the product. */
  readonly itemOrders: number;
  /**
   * De-seasonalized inclusion probability, in (0, 1]: P(a purchase day of this customer includes
   * the product) in an average month, (k + α) / (E + α + β) with E = Σ s(month) over those purchase
   * days, shrunk to the product's prior. Equals the plain inclusion for a product without a family.
   */
  readonly inclusion: number;
  /** How often it comes, over the year: every `cadence` purchase days (1 / inclusion). */
  readonly cadence: number;
  /** Usual quantity: median quantity per purchase day that included it. */
  readonly usualQuantity: number;
  /** Last day the product was bought, `YYYY-MM-DD`. */
  readonly lastBought: string;
  /** The customer's purchase days since then without the product. */
  readonly ordersSinceLast: number;
  /**
   * P(missing from those purchase days | the usual, seasonal inclusion) = Π over them of
   * (1 − p(month of the day)); an item skipped all through its off season is not unusual.
   */
  readonly missingProbability: number;
  /** The product family's seasonal index in the as-of month (1 = an average month; 1 for a product without a family). */
  readonly seasonalIndex: number;
  /**
   * Expected next purchase of the product (needs `customers`): walking from the customer's
   * expected next order in steps of its mean gap (calendar-equivalent days; without one, its
   * typical gap in the same unit), the first step by which the product is more likely than not
   * to have been included (with p(month) at each step).
   */
  readonly expectedNext: string | undefined;
}


/** Upper bound on a seasonal inclusion probability: no item is certain. */
const MAX_P = 0.99;

/** Beta prior of a product's inclusion probability. */
interface BetaPrior {
  alpha: number;
  beta: number;
}

/**
 * Each customer x product rhythm, in closed form: how often the product comes with the
 * customer's purchase days (every one, every 3rd...), its usual quantity, how unusual its
 * current absence is, and when it is next expected, with the season of the product's family
 * taken into account. A monthly seasonal index per product family (12 numbers, mean 1) is
 * estimated from how often the family's products come with their customers' purchase days,
 * month by month, and shrunk towards 1;
 * the de-seasonalized inclusion probability is a beta-binomial posterior mean,
 * (k + α) / (E + α + β), with E the customer's purchase days since the first purchase of the
 * product weighted by the index of their month, and a Beta(α, β) prior fitted per product by the
 * method of moments over all customers buying it (empirical Bayes; Kleinman 1973 for the
 * variance correction), so a pair with few orders is shrunk to how that product is usually
 * bought. An ice-cream item skipped all winter is not missing. No numerical fit per pair:
 * hundreds of thousands of pairs cost a few linear passes.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, minPriorPairs, customers (an interval model, to date the next purchase)
 * @returns one rhythm per (customer, product) pair with a positive purchase, by customer id,
 *   then by the product's first purchase day, then by product id
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option (also when `customers` has another as-of day)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitItemRhythm, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 12; w++) {
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2 });
 *   if (w % 3 === 0) orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9 });
 * }
 * const rows = fitItemRhythm(fromRowsSync({ orders }).dataset, { asOf: "2026-03-31" });
 * const oil = rows.find((r) => r.productId === "OIL")!;
 * assert.equal(oil.itemOrders, 4);
 * assert.equal(Math.round(oil.cadence), 3); // every 3rd order
 * assert.equal(oil.usualQuantity, 2);
 * assert.equal(oil.seasonalIndex, 1); // no product family, no season
 * ```
 */
export function fitItemRhythm(dataset: Dataset, options?: ItemRhythmOptions): ItemRhythm[] {
  const fn = "fitItemRhythm";
  const o = optionsObject(options, fn, KEYS);
  checkDateLike(o, "asOf", fn);
  checkInt(o, "minPriorPairs", 1, 1_000_000, fn);
  checkFitted(o, "customers", fn, "an IntervalModel (fitIntervalModel)", ["customer"]);
  // (a model as stored JSON, or { asOf } alone, has no customer(): a TypeError further on)
  if (o["customers"] !== undefined && typeof (o["customers"] as { customer?: unknown }).customer !== "function") {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option customers: expected an IntervalModel (fitIntervalModel), with customer()`, { option: "customers", value: o["customers"] });
  }
  const opts = (options ?? {}) as ItemRhythmOptions;
  const resolved = resolveAsOf(dataset, opts.asOf, undefined, fn);
  const asOf = resolved.asOf;
  // (one purchase per order however the ERP dated its deliveries)
  const view = rhythmView(resolved.view);
  const asOfText = formatDay(asOf);
  if (opts.customers !== undefined && opts.customers.asOf !== asOfText) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: customers is as of ${opts.customers.asOf}, not ${asOfText}`, { option: "customers", value: opts.customers.asOf });
  }
  const { customerEnd, ids } = view;
  const nP = ids.products.size;
  const nC = customerEnd.length;
  const nF = ids.families.size;
  // family row of each product's seasonal index; nF = the flat row of products without a family
  const famOf = new Int32Array(nP);
  for (let p = 0; p < nP; p++) famOf[p] = view.products.family[p]! >= 0 ? view.products.family[p]! : nF;
  // pass 1, one customer at a time: its pairs (customer, product) in order of first purchase,
  // as parallel typed columns (no object per pair until the output); the month of each purchase
  // day; per family and month, its pairs' purchase days (included and all). Each customer in a
  // small method: optimized after the first customers (a long loop in this function would wait
  // for an on-stack replacement of the whole function; docs/scaling.md)
  const pass = new PairPass(view, famOf, nF);
  for (let c = 0; c < nC; c++) pass.customer(c);
  const { pairsOf, occOf, nPairs, pairP, pairFirst, pairLast, pairK, pairLastDay, pairQty, occMonth, famIncluded, famExposed } = pass;
  pairsOf[nC] = nPairs;
  occOf[nC] = pass.nOcc;

  const season = familySeasonalIndex(famIncluded, famExposed, nF);

  // pass 2: the season-weighted exposure E of each pair, from the customer's purchase days per
  // month counted from each purchase day to the last (suffix counts, 12 per purchase day)
  const pairN = new Int32Array(nPairs);
  const pairE = new Float64Array(nPairs);
  let suffix = new Float64Array(12);
  for (let c = 0; c < nC; c++) {
    const a = pairsOf[c]!, b = pairsOf[c + 1]!;
    if (a === b) continue;
    const total = occOf[c + 1]! - occOf[c]!;
    if ((total + 1) * 12 > suffix.length) suffix = new Float64Array((total + 1) * 24);
    suffixCounts(occMonth, occOf[c]!, total, suffix);
    for (let j = a; j < b; j++) {
      const row = famOf[pairP[j]!]! * 12, at = pairFirst[j]! * 12;
      let e = 0;
      for (let m = 0; m < 12; m++) e += suffix[at + m]! * season[row + m]!;
      pairN[j] = total - pairFirst[j]!;
      pairE[j] = e;
    }
  }

  // empirical-Bayes beta prior per product (method of moments over its pairs with n >= 3, in
  // pair order), all-pairs fallback
  const minPairs = opts.minPriorPairs ?? 5;
  const { alpha, beta } = betaPriors(pairP, pairN, pairE, pairK, nPairs, nP, minPairs);

  const out: ItemRhythm[] = [];
  const emit: RhythmOutput = {
    view,
    customers: opts.customers,
    days: dayFormatter(view.dayRange?.first ?? 0),
    asOfMonth: monthOf(asOf),
    pm: new Float64Array(12),
    stepMonths: [],
    stepDays: [],
    // the business calendar's holidays close days for everyone: an item's date skips them as the
    // customer's own does (it fell on the first day of Pesach)
    holidays: modelHolidays(opts.customers?.holidays),
    suffix,
    famOf,
    nF,
    season,
    alpha,
    beta,
    pairsOf,
    occOf,
    occMonth,
    pairP,
    pairN,
    pairK,
    pairE,
    pairLast,
    pairLastDay,
    pairQty,
    out,
  };
  for (let c = 0; c < nC; c++) customerRhythms(emit, c);
  return out;
}

/** What the output pass shares across customers. */
interface RhythmOutput {
  readonly view: Dataset;
  readonly customers: IntervalModel | undefined;
  readonly days: (day: number) => string;
  readonly asOfMonth: number;
  readonly pm: Float64Array;
  readonly stepMonths: number[];
  /** The current customer's purchase days by step (closures only), step s at s − 1. */
  readonly stepDays: number[];
  /** The interval model's business-calendar holidays, if any. */
  readonly holidays: HolidaySet | undefined;
  readonly suffix: Float64Array;
  readonly famOf: Int32Array;
  readonly nF: number;
  readonly season: Float64Array;
  readonly alpha: Float64Array;
  readonly beta: Float64Array;
  readonly pairsOf: Int32Array;
  readonly occOf: Int32Array;
  readonly occMonth: Uint8Array;
  readonly pairP: Int32Array;
  readonly pairN: Int32Array;
  readonly pairK: Int32Array;
  readonly pairE: Float64Array;
  readonly pairLast: Int32Array;
  readonly pairLastDay: Int32Array;
  readonly pairQty: Float64Array;
  readonly out: ItemRhythm[];
}

/** Customer c's item rhythms, appended to the output. */
function customerRhythms(r: RhythmOutput, c: number): void {
  const { pairsOf, occOf, pairP, pairN, pairK, pairE, pairLast, pairLastDay, pairQty, famOf, nF, season, alpha, beta, pm, stepMonths, suffix, days } = r;
  const ids = r.view.ids;
  const a = pairsOf[c]!, b = pairsOf[c + 1]!;
  if (a === b) return;
  const customerId = ids.customers.values[c]!;
  const rhythm = r.customers?.customer(customerId);
  const nextDay = rhythm?.expectedNext !== undefined ? parseDay(rhythm.expectedNext) : undefined;
  // steps in calendar-equivalent days: the mean gap, else the typical gap (open days ÷ open fraction)
  const g = rhythm?.meanGapDays ?? (rhythm?.typicalGapOpenDays !== undefined ? rhythm.typicalGapOpenDays / rhythm.openFraction : 0);
  const gap = Number.isFinite(g) && g > 0 ? g : 0;
  // the customer's coming purchase days: the expected next order, then every `gap` days; with
  // closed months or weekdays, every gap × openFraction open days of the customer's (calendar steps
  // dated an item in the customer's closed August, or on a weekday it is closed)
  let closures: Closures | undefined;
  if (rhythm !== undefined && (rhythm.closedMonths.length > 0 || rhythm.closedWeekdays.length > 0 || r.holidays !== undefined)) {
    let months = 0, weekdays = 0;
    for (const m of rhythm.closedMonths) months |= 1 << (m - 1);
    for (const w of rhythm.closedWeekdays) weekdays |= 1 << w;
    closures = { months, weekdays, holidays: r.holidays };
  }
  const openPerStep = closures !== undefined ? gap * rhythm!.openFraction : gap;
  // step s is the max(1, round(s × openPerStep))-th open day after nextDay; the n-th open day
  // after nextDay is the (n − m)-th after its m-th, so the steps are walked on from the last one
  // (`stepDays[s − 1]`) instead of each from nextDay
  const openSteps = (s: number): number => Math.max(1, Math.round(s * openPerStep));
  const stepDays = r.stepDays;
  stepDays.length = 0;
  const stepDay = (s: number): number => {
    if (closures === undefined || s <= 0) return nextDay! + Math.round(s * gap);
    if (s <= stepDays.length) return stepDays[s - 1]!;
    let i = stepDays.length;
    let day = i === 0 ? nextDay! : stepDays[i - 1]!;
    let done = i === 0 ? 0 : openSteps(i);
    if (s - i > 64) return addOpenDays(day, openSteps(s) - done, closures); // a far step: one jump
    while (i < s) {
      const t = openSteps(++i);
      day = addOpenDays(day, t - done, closures);
      done = t;
      stepDays.push(day);
    }
    return day;
  };
  // months of those days, a year of them
  stepMonths.length = 0;
  if (nextDay !== undefined && gap > 0) {
    const steps = Math.min(1000, Math.ceil(365 / gap) + 1);
    for (let s = 0; s < steps; s++) stepMonths.push(monthOf(stepDay(s)));
  }
  const total = occOf[c + 1]! - occOf[c]!;
  suffixCounts(r.occMonth, occOf[c]!, total, suffix);
  for (let j = a; j < b; j++) {
    const p = pairP[j]!;
    const f = famOf[p]!, row = f * 12;
    const n = pairN[j]!, k = pairK[j]!;
    const inclusion = Math.min(1, (k + alpha[p]!) / (pairE[j]! + alpha[p]! + beta[p]!));
    for (let m = 0; m < 12; m++) pm[m] = Math.min(MAX_P, inclusion * season[row + m]!);
    const ordersSinceLast = total - 1 - pairLast[j]!;
    // Π over the missed purchase days of (1 − p(month)), by month
    let missingProbability = 1;
    const at = (pairLast[j]! + 1) * 12;
    for (let m = 0; m < 12; m++) {
      const missed = suffix[at + m]!;
      if (missed > 0) missingProbability *= powInt(1 - pm[m]!, missed);
    }
    let expectedNext: string | undefined;
    if (nextDay !== undefined) {
      const further = gap === 0 ? 1 : f === nF ? medianWait(pm[0]!) : seasonalWait(pm, stepMonths);
      expectedNext = days(stepDay(further - 1));
    }
    r.out.push({
      customerId,
      productId: ids.products.values[p]!,
      orders: n,
      itemOrders: k,
      inclusion,
      cadence: 1 / inclusion,
      usualQuantity: pairQty[j]!,
      lastBought: days(pairLastDay[j]!),
      ordersSinceLast,
      missingProbability,
      seasonalIndex: season[row + r.asOfMonth]!,
      expectedNext,
    });
  }
}

/** Pass 1 of {@link fitItemRhythm}: the pairs, purchase-day months and family exposure, filled one customer at a time. */
class PairPass {
  readonly view: Dataset;
  readonly famOf: Int32Array;
  readonly nF: number;
  pairP: Int32Array = new Int32Array(1024); // product
  pairFirst: Int32Array = new Int32Array(1024); // occasion index of the first purchase of the product
  pairLast: Int32Array = new Int32Array(1024); // occasion index of the last purchase
  pairK: Int32Array = new Int32Array(1024); // purchase days that included the product
  pairLastDay: Int32Array = new Int32Array(1024); // day of the last purchase
  pairQty: Float64Array = new Float64Array(1024); // median quantity per including purchase day
  readonly pairsOf: Int32Array; // pairs of customer c: pairsOf[c] .. pairsOf[c + 1] - 1
  readonly occOf: Int32Array; // purchase days of customer c: occOf[c] .. occOf[c + 1] - 1
  occMonth: Uint8Array = new Uint8Array(1024); // month (0..11) of each purchase day
  nPairs = 0;
  nOcc = 0;
  readonly current: Int32Array; // pair index of product p for the current customer
  // the current customer's quantity records, one per (pair, purchase day), and the same grouped by pair
  recPair: Int32Array = new Int32Array(256);
  recQty: Float64Array = new Float64Array(256);
  grouped: Float64Array = new Float64Array(256);
  readonly famIncluded: Float64Array; // Σ over the family's pairs: purchase days including the product, per month
  readonly famExposed: Float64Array; // Σ over the family's pairs: the customer's purchase days, per month
  readonly famPairs: Int32Array; // the current customer's pairs per family
  readonly famsOfCustomer: number[] = [];
  readonly perMonth: Float64Array = new Float64Array(12);

  constructor(view: Dataset, famOf: Int32Array, nF: number) {
    this.view = view;
    this.famOf = famOf;
    this.nF = nF;
    const nC = view.customerEnd.length;
    this.pairsOf = new Int32Array(nC + 1);
    this.occOf = new Int32Array(nC + 1);
    this.current = new Int32Array(view.ids.products.size).fill(-1);
    this.famIncluded = new Float64Array(nF * 12);
    this.famExposed = new Float64Array(nF * 12);
    this.famPairs = new Int32Array(nF);
  }

  /** Adds customer c's pairs, purchase days and family counts. */
  customer(c: number): void {
    const { lines, customerStart, customerEnd } = this.view;
    const lineDay = lines.day, lineQty = lines.quantity, lineProduct = lines.product;
    const start = this.nPairs;
    let nPairs = start;
    const nOcc = this.nOcc;
    this.pairsOf[c] = start;
    this.occOf[c] = nOcc;
    const lo = customerStart[c]!, hi = customerEnd[c]!;
    if (nPairs + hi - lo > this.pairP.length) {
      // room for every line of this customer being a new pair (no growth check in the line loop)
      const cap = Math.max(this.pairP.length * 2, nPairs + hi - lo);
      this.pairP = resized(this.pairP, cap);
      this.pairFirst = resized(this.pairFirst, cap);
      this.pairLast = resized(this.pairLast, cap);
      this.pairK = resized(this.pairK, cap);
      this.pairLastDay = resized(this.pairLastDay, cap);
      this.pairQty = resized(this.pairQty, cap);
    }
    if (nOcc + hi - lo > this.occMonth.length) this.occMonth = resized(this.occMonth, Math.max(this.occMonth.length * 2, nOcc + hi - lo));
    if (hi - lo > this.recPair.length) {
      const n = Math.max(hi - lo, this.recPair.length * 2);
      this.recPair = new Int32Array(n);
      this.recQty = new Float64Array(n);
      this.grouped = new Float64Array(n);
    }
    const { pairP, pairFirst, pairLast, pairK, pairLastDay, pairQty, occMonth, current, recPair, recQty, grouped, famOf, nF, famPairs, famsOfCustomer, famIncluded, famExposed, perMonth } = this;
    let occ = -1;
    let lastDay = Number.NaN;
    let month = 0;
    let recs = 0;
    famsOfCustomer.length = 0;
    for (let i = lo; i < hi; i++) {
      const q = lineQty[i]!;
      if (q <= 0) continue;
      const day = lineDay[i]!;
      if (day !== lastDay) {
        occ++;
        lastDay = day;
        month = monthOf(day);
        occMonth[nOcc + occ] = month;
      }
      const p = lineProduct[i]!;
      let k = current[p]!;
      if (k < 0) {
        k = nPairs++;
        current[p] = k;
        pairP[k] = p;
        pairFirst[k] = occ;
        pairLast[k] = -1;
        pairK[k] = 0;
        const f = famOf[p]!;
        if (f < nF && famPairs[f]!++ === 0) famsOfCustomer.push(f);
      }
      if (pairLast[k] !== occ) {
        pairK[k]!++;
        pairLast[k] = occ;
        pairLastDay[k] = day;
        recPair[recs] = k - start;
        recQty[recs++] = q;
        const f = famOf[p]!;
        if (f < nF) famIncluded[f * 12 + month]!++;
      } else {
        // same purchase day: add to the pair's latest record (scanning back over this day's records)
        let r = recs - 1;
        while (recPair[r] !== k - start) r--;
        recQty[r]! += q;
      }
    }
    const total = occ + 1;
    if (famsOfCustomer.length > 0) {
      perMonth.fill(0);
      for (let d = nOcc; d < nOcc + total; d++) perMonth[occMonth[d]!]!++;
      for (const f of famsOfCustomer) {
        for (let m = 0; m < 12; m++) famExposed[f * 12 + m]! += famPairs[f]! * perMonth[m]!;
        famPairs[f] = 0;
      }
    }
    this.nOcc = nOcc + total;
    this.nPairs = nPairs;
    // usual quantity: group the records by pair (counting sort; offsets from the counts k), median
    const np = nPairs - start;
    let off = 0;
    for (let j = 0; j < np; j++) {
      const k = pairK[start + j]!;
      current[pairP[start + j]!] = off; // reuse as the pair's write cursor
      off += k;
    }
    for (let r = 0; r < recs; r++) {
      const p = pairP[start + recPair[r]!]!;
      grouped[current[p]!++] = recQty[r]!;
    }
    off = 0;
    for (let j = 0; j < np; j++) {
      const k = pairK[start + j]!;
      pairQty[start + j] = medianOf(grouped, off, off + k);
      off += k;
      current[pairP[start + j]!] = -1;
    }
    // products first bought on the same day by product id (ids are the dictionary's order): they
    // came in line order, so which order_id a same-day invoice had set the list's order
    // (review 2026-12-07); an insertion sort within each run of one first purchase day
    for (let j = start + 1; j < nPairs; j++) {
      const f = pairFirst[j]!, p = pairP[j]!;
      if (pairFirst[j - 1] !== f || pairP[j - 1]! < p) continue;
      const l = pairLast[j]!, kk = pairK[j]!, ld = pairLastDay[j]!, qq = pairQty[j]!;
      let at = j;
      for (; at > start && pairFirst[at - 1] === f && pairP[at - 1]! > p; at--) {
        pairP[at] = pairP[at - 1]!;
        pairFirst[at] = pairFirst[at - 1]!;
        pairLast[at] = pairLast[at - 1]!;
        pairK[at] = pairK[at - 1]!;
        pairLastDay[at] = pairLastDay[at - 1]!;
        pairQty[at] = pairQty[at - 1]!;
      }
      pairP[at] = p;
      pairFirst[at] = f;
      pairLast[at] = l;
      pairK[at] = kk;
      pairLastDay[at] = ld;
      pairQty[at] = qq;
    }
  }
}

/** `out[o * 12 + m]` = purchase days of month m from purchase day o to the last (o = 0..total). */
function suffixCounts(occMonth: Uint8Array, from: number, total: number, out: Float64Array): void {
  for (let m = total * 12; m < total * 12 + 12; m++) out[m] = 0;
  for (let o = total - 1; o >= 0; o--) {
    const at = o * 12;
    for (let m = 0; m < 12; m++) out[at + m] = out[at + 12 + m]!;
    out[at + occMonth[from + o]!]!++;
  }
}

/** x^n for an integer n >= 0, by repeated squaring (Math.pow was a quarter of the fit). */
function powInt(x: number, n: number): number {
  let r = 1;
  while (n > 0) {
    if (n & 1) r *= x;
    x *= x;
    n >>= 1;
  }
  return r;
}

/** Median number of purchase days until an item of constant inclusion p comes: ⌈ln 0.5 / ln(1 − p)⌉, at least 1. */
function medianWait(p: number): number {
  return Math.max(1, Math.ceil(Math.log(0.5) / Math.log(1 - p)));
}

/**
 * Median number of purchase days until a seasonal item comes: the first step at which
 * P(included by then) = 1 − Π(1 − p(month of step)) reaches 0.5, walking the customer's coming
 * purchase days (`stepMonths`, a year of them); past that year, continuing at the year's average
 * per-step rate.
 */
function seasonalWait(pm: Float64Array, stepMonths: readonly number[]): number {
  let miss = 1; // P(not included yet)
  for (let s = 0; s < stepMonths.length; s++) {
    miss *= 1 - pm[stepMonths[s]!]!;
    if (miss <= 0.5) return s + 1;
  }
  const perStep = Math.log(miss) / stepMonths.length;
  return stepMonths.length + Math.max(1, Math.ceil((Math.log(0.5) - Math.log(miss)) / perStep));
}

/**
 * Per product, Beta(α, β) of its de-seasonalized inclusion probability ({@link betaPrior} over
 * its pairs' rates min(1, k/E)), or the all-pairs prior when fewer than `minPairs` of its pairs
 * have n >= 3.
 */
function betaPriors(pairP: Int32Array, pairN: Int32Array, pairE: Float64Array, pairK: Int32Array, nPairs: number, nP: number, minPairs: number): { alpha: Float64Array; beta: Float64Array } {
  // moments accumulated in pair order, per product and over all pairs
  const sum = new Float64Array(nP), cnt = new Int32Array(nP);
  let gSum = 0, gCnt = 0;
  for (let j = 0; j < nPairs; j++) {
    if (pairN[j]! < 3) continue;
    const p = pairP[j]!;
    const r = Math.min(1, pairK[j]! / pairE[j]!);
    sum[p] = sum[p]! + r;
    cnt[p] = cnt[p]! + 1;
    gSum += r;
    gCnt++;
  }
  const mean = new Float64Array(nP);
  for (let p = 0; p < nP; p++) mean[p] = sum[p]! / cnt[p]!;
  const gMean = gSum / gCnt;
  const v = new Float64Array(nP), sampling = new Float64Array(nP);
  let gV = 0, gSampling = 0;
  for (let j = 0; j < nPairs; j++) {
    if (pairN[j]! < 3) continue;
    const p = pairP[j]!, e = pairE[j]!;
    const r = Math.min(1, pairK[j]! / e);
    const m = mean[p]!;
    v[p] = v[p]! + (r - m) ** 2;
    sampling[p] = sampling[p]! + (m * (1 - m)) / e;
    gV += (r - gMean) ** 2;
    gSampling += (gMean * (1 - gMean)) / e;
  }
  const global = betaPrior(gCnt, gMean, gV, gSampling);
  const alpha = new Float64Array(nP).fill(global.alpha), beta = new Float64Array(nP).fill(global.beta);
  for (let p = 0; p < nP; p++) {
    // (a product prior needs two pairs' rates, whatever minPriorPairs says: one pair's would fall
    // back to a weak Beta(1, 1) instead of the all-pairs prior)
    if (cnt[p]! < Math.max(2, minPairs)) continue;
    const prior = betaPrior(cnt[p]!, mean[p]!, v[p]!, sampling[p]!);
    alpha[p] = prior.alpha;
    beta[p] = prior.beta;
  }
  return { alpha, beta };
}

/**
 * Beta(α, β) by the method of moments on the pairs' inclusion rates k/E (n >= 3): `cnt` rates
 * with mean `m`, sum of squared deviations `ss` and summed binomial sampling variance
 * `sampling` = Σ m(1 − m)/E, removed from the observed variance (Kleinman 1973); α + β clamped
 * to [1, 50] so a prior never outweighs 50 orders. Falls back to a weak Beta(1, 1).
 */
function betaPrior(cnt: number, m: number, ss: number, sampling: number): BetaPrior {
  if (cnt < 2) return { alpha: 1, beta: 1 };
  const v = ss / (cnt - 1) - sampling / cnt;
  const mm = Math.min(0.999, Math.max(0.001, m));
  const strength = v > 1e-9 ? Math.min(50, Math.max(1, (mm * (1 - mm)) / v - 1)) : 50;
  return { alpha: mm * strength, beta: (1 - mm) * strength };
}

/**
 * Median of `xs[from..to)` (from < to), the same value as sorting would give: a three-way
 * quickselect (many quantities are equal) for the middle order statistic, plus the minimum of
 * the upper part for an even count. Reorders that range in place.
 */
function medianOf(xs: Float64Array, from: number, to: number): number {
  const len = to - from;
  if (len === 1) return xs[from]!;
  if (len === 2) return (xs[from]! + xs[from + 1]!) / 2;
  const k = from + (len >> 1);
  if (len % 2) return select(xs, from, to - 1, k);
  const lower = select(xs, from, to - 1, k - 1);
  let upper = xs[k]!;
  for (let i = k + 1; i < to; i++) if (xs[i]! < upper) upper = xs[i]!;
  return (lower + upper) / 2;
}

/** The k-th smallest of `xs[lo..hi]` (inclusive), left in place with smaller ones before it and larger ones after. */
function select(xs: Float64Array, lo: number, hi: number, k: number): number {
  while (lo < hi) {
    const a = xs[lo]!, b = xs[(lo + hi) >> 1]!, c = xs[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let lt = lo, i = lo, gt = hi;
    while (i <= gt) {
      const v = xs[i]!;
      if (v < pivot) {
        xs[i++] = xs[lt]!;
        xs[lt++] = v;
      } else if (v > pivot) {
        xs[i] = xs[gt]!;
        xs[gt--] = v;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return xs[k]!;
}

/** `formatDay`, cached per day (most days repeat across pairs). */
function dayFormatter(base: number): (day: number) => string {
  const cache: (string | undefined)[] = [];
  return (day) => {
    const i = day - base;
    if (i < 0 || i > 100_000) return formatDay(day);
    return (cache[i] ??= formatDay(day));
  };
}
