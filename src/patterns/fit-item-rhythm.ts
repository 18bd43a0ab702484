import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkInt, optionsObject } from "../data/internal/check.ts";
import type { IntervalModel } from "./fit-interval-model.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";

/** Options of {@link fitItemRhythm}. */
export interface ItemRhythmOptions {
  /** Last visible day. Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Pairs per product needed for a product prior (else the all-pairs prior). Default 5. */
  minPriorPairs?: number | undefined;
  /** The customers' interval model (same asOf), to date the item's next purchase. */
  customers?: IntervalModel | undefined;
}

/** One customer x product rhythm. */
export interface ItemRhythm {
  /** Customer id. */
  readonly customerId: string;
  /** Product id. */
  readonly productId: string;
  /** The customer's purchase days since it first bought the product (that one included). */
  readonly orders: number;
  /** Of those, the purchase days that included the product. */
  readonly itemOrders: number;
  /** Inclusion probability: P(a purchase day of this customer includes the product), shrunk to the product's prior. */
  readonly inclusion: number;
  /** How often it comes: every `cadence` purchase days (1 / inclusion). */
  readonly cadence: number;
  /** Usual quantity: median quantity per purchase day that included it. */
  readonly usualQuantity: number;
  /** Last day the product was bought, `YYYY-MM-DD`. */
  readonly lastBought: string;
  /** The customer's purchase days since then without the product. */
  readonly ordersSinceLast: number;
  /** P(missing from that many purchase days in a row | the usual inclusion) = (1 − inclusion)^ordersSinceLast. */
  readonly missingProbability: number;
  /** Expected next purchase of the product (needs `customers`): the customer's next order plus the median number of further orders until it is included. */
  readonly expectedNext: string | undefined;
}

/** Beta prior of a product's inclusion probability. */
interface BetaPrior {
  alpha: number;
  beta: number;
}

/**
 * Each customer x product rhythm, in closed form: how often the product comes with the
 * customer's purchase days (every one, every 3rd...), its usual quantity, how unusual its
 * current absence is, and when it is next expected. The inclusion probability is a
 * beta-binomial posterior mean, (k + α) / (n + α + β), whose Beta(α, β) prior is fitted per
 * product by the method of moments over all customers buying it (empirical Bayes; Kleinman
 * 1973 for the variance correction), so a pair with few orders is shrunk to how that product is
 * usually bought. No numerical fit per pair: hundreds of thousands of pairs cost one pass.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, minPriorPairs, customers (an interval model, to date the next purchase)
 * @returns one rhythm per (customer, product) pair with a positive purchase, in id order
 * @throws {OrderpulseError} `INVALID_OPTION` for bad options
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
 * ```
 */
export function fitItemRhythm(dataset: Dataset, options?: ItemRhythmOptions): ItemRhythm[] {
  const fn = "fitItemRhythm";
  const o = optionsObject(options, fn);
  checkDateLike(o, "asOf", fn);
  checkInt(o, "minPriorPairs", 1, 1_000_000, fn);
  const opts = (options ?? {}) as ItemRhythmOptions;
  const { view } = resolveAsOf(dataset, opts.asOf);
  const { lines, customerStart, customerEnd, ids } = view;
  const nP = ids.products.size;
  const nC = customerEnd.length;
  const lineDay = lines.day, lineQty = lines.quantity, lineProduct = lines.product;

  // pass 1, one customer at a time: its pairs (customer, product) in order of first purchase,
  // as parallel typed columns (no object per pair until the output)
  let cap = 1024;
  let pairP = new Int32Array(cap); // product
  let pairFirst = new Int32Array(cap); // occasion index of the first purchase of the product
  let pairLast = new Int32Array(cap); // occasion index of the last purchase
  let pairK = new Int32Array(cap); // purchase days that included the product
  let pairLastDay = new Int32Array(cap); // day of the last purchase
  let pairQty = new Float64Array(cap); // median quantity per including purchase day
  const pairsOf = new Int32Array(nC + 1); // pairs of customer c: pairsOf[c] .. pairsOf[c + 1] - 1
  const occasionsOf = new Int32Array(nC); // the customer's purchase days
  let nPairs = 0;
  const current = new Int32Array(nP).fill(-1); // pair index of product p for the current customer
  // the current customer's quantity records, one per (pair, purchase day), and the same grouped by pair
  let recPair = new Int32Array(256);
  let recQty = new Float64Array(256);
  let grouped = new Float64Array(256);
  for (let c = 0; c < nC; c++) {
    const start = nPairs;
    pairsOf[c] = start;
    const lo = customerStart[c]!, hi = customerEnd[c]!;
    if (nPairs + hi - lo > cap) {
      // room for every line of this customer being a new pair (no growth check in the line loop)
      cap = Math.max(cap * 2, nPairs + hi - lo);
      pairP = resized(pairP, cap), pairFirst = resized(pairFirst, cap), pairLast = resized(pairLast, cap);
      pairK = resized(pairK, cap), pairLastDay = resized(pairLastDay, cap), pairQty = resized(pairQty, cap);
    }
    if (hi - lo > recPair.length) {
      const n = Math.max(hi - lo, recPair.length * 2);
      recPair = new Int32Array(n), recQty = new Float64Array(n), grouped = new Float64Array(n);
    }
    let occ = -1;
    let lastDay = Number.NaN;
    let recs = 0;
    for (let i = lo; i < hi; i++) {
      const q = lineQty[i]!;
      if (q <= 0) continue;
      const day = lineDay[i]!;
      if (day !== lastDay) {
        occ++;
        lastDay = day;
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
      }
      if (pairLast[k] !== occ) {
        pairK[k]!++;
        pairLast[k] = occ;
        pairLastDay[k] = day;
        recPair[recs] = k - start;
        recQty[recs++] = q;
      } else {
        // same purchase day: add to the pair's latest record (scanning back over this day's records)
        let r = recs - 1;
        while (recPair[r] !== k - start) r--;
        recQty[r]! += q;
      }
    }
    occasionsOf[c] = occ + 1;
    // usual quantity: group the records by pair (counting sort; offsets from the counts k), median
    const m = nPairs - start;
    let off = 0;
    for (let j = 0; j < m; j++) {
      const k = pairK[start + j]!;
      current[pairP[start + j]!] = off; // reuse as the pair's write cursor
      off += k;
    }
    for (let r = 0; r < recs; r++) {
      const p = pairP[start + recPair[r]!]!;
      grouped[current[p]!++] = recQty[r]!;
    }
    off = 0;
    for (let j = 0; j < m; j++) {
      const k = pairK[start + j]!;
      pairQty[start + j] = medianOf(grouped, off, off + k);
      off += k;
      current[pairP[start + j]!] = -1;
    }
  }
  pairsOf[nC] = nPairs;

  // empirical-Bayes beta prior per product (method of moments over its pairs with n >= 3, in
  // pair order), all-pairs fallback
  const pairN = new Int32Array(nPairs);
  for (let c = 0; c < nC; c++) for (let j = pairsOf[c]!; j < pairsOf[c + 1]!; j++) pairN[j] = occasionsOf[c]! - pairFirst[j]!;
  const minPairs = opts.minPriorPairs ?? 5;
  const { alpha, beta } = betaPriors(pairP, pairN, pairK, nPairs, nP, minPairs);

  const out: ItemRhythm[] = [];
  const days = dayFormatter(view.dayRange?.first ?? 0);
  for (let c = 0; c < nC; c++) {
    const a = pairsOf[c]!, b = pairsOf[c + 1]!;
    if (a === b) continue;
    const customerId = ids.customers.values[c]!;
    const rhythm = opts.customers?.customer(customerId);
    const nextDay = rhythm?.expectedNext !== undefined ? Date.parse(rhythm.expectedNext) / 86_400_000 : undefined;
    const gap = rhythm?.meanGapDays ?? rhythm?.typicalGapOpenDays ?? 0;
    const total = occasionsOf[c]!;
    for (let j = a; j < b; j++) {
      const p = pairP[j]!;
      const n = pairN[j]!, k = pairK[j]!;
      const inclusion = (k + alpha[p]!) / (n + alpha[p]! + beta[p]!);
      const ordersSinceLast = total - 1 - pairLast[j]!;
      let expectedNext: string | undefined;
      if (nextDay !== undefined) {
        // median number of customer orders until the product is included: ceil(ln 0.5 / ln(1 − p))
        const further = inclusion >= 1 ? 1 : Math.max(1, Math.ceil(Math.log(0.5) / Math.log(1 - inclusion)));
        expectedNext = days(nextDay + Math.round((further - 1) * gap));
      }
      out.push({
        customerId,
        productId: ids.products.values[p]!,
        orders: n,
        itemOrders: k,
        inclusion,
        cadence: 1 / inclusion,
        usualQuantity: pairQty[j]!,
        lastBought: days(pairLastDay[j]!),
        ordersSinceLast,
        missingProbability: (1 - inclusion) ** ordersSinceLast,
        expectedNext,
      });
    }
  }
  return out;
}

/**
 * Per product, Beta(α, β) of its inclusion probability ({@link betaPrior} over its pairs), or
 * the all-pairs prior when fewer than `minPairs` of its pairs have n >= 3.
 */
function betaPriors(pairP: Int32Array, pairN: Int32Array, pairK: Int32Array, nPairs: number, nP: number, minPairs: number): { alpha: Float64Array; beta: Float64Array } {
  // moments accumulated in pair order, per product and over all pairs (same sums as one list each)
  const sum = new Float64Array(nP), cnt = new Int32Array(nP);
  let gSum = 0, gCnt = 0;
  for (let j = 0; j < nPairs; j++) {
    const n = pairN[j]!;
    if (n < 3) continue;
    const p = pairP[j]!;
    const r = pairK[j]! / n;
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
    const n = pairN[j]!;
    if (n < 3) continue;
    const p = pairP[j]!;
    const r = pairK[j]! / n;
    const m = mean[p]!;
    v[p] = v[p]! + (r - m) ** 2;
    sampling[p] = sampling[p]! + (m * (1 - m)) / n;
    gV += (r - gMean) ** 2;
    gSampling += (gMean * (1 - gMean)) / n;
  }
  const global = betaPrior(gCnt, gMean, gV, gSampling);
  const alpha = new Float64Array(nP).fill(global.alpha), beta = new Float64Array(nP).fill(global.beta);
  for (let p = 0; p < nP; p++) {
    if (cnt[p]! < minPairs) continue;
    const prior = betaPrior(cnt[p]!, mean[p]!, v[p]!, sampling[p]!);
    alpha[p] = prior.alpha;
    beta[p] = prior.beta;
  }
  return { alpha, beta };
}

/**
 * Beta(α, β) by the method of moments on the pairs' inclusion rates k/n (n >= 3): `cnt` rates
 * with mean `m`, sum of squared deviations `ss` and summed binomial sampling variance
 * `sampling` = Σ m(1 − m)/n, removed from the observed variance (Kleinman 1973); α + β clamped
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

/** A copy of `a` with length `n` (>= a.length). */
function resized<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = (a instanceof Int32Array ? new Int32Array(n) : new Float64Array(n)) as T;
  b.set(a);
  return b;
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
