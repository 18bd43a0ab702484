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
  const { asOf, view } = resolveAsOf(dataset, opts.asOf);
  const { lines, customerStart, customerEnd, ids } = view;
  const nP = ids.products.size;

  // pass 1: per pair (customer, product): n, k, last occasion, quantities per occasion
  interface Pair {
    c: number;
    p: number;
    n: number;
    k: number;
    first: number; // occasion index of the first purchase of the product
    last: number; // occasion index of the last purchase of the product
    lastDay: number;
    quantities: number[];
    occasions: number; // customer's total occasions
  }
  const pairs: Pair[] = [];
  const current = new Int32Array(nP).fill(-1); // pair index of product p for the current customer
  const touched: number[] = [];
  for (let c = 0; c < customerEnd.length; c++) {
    let occ = -1;
    let lastDay = Number.NaN;
    touched.length = 0;
    const start = pairs.length;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const q = lines.quantity[i]!;
      if (q <= 0) continue;
      const day = lines.day[i]!;
      if (day !== lastDay) {
        occ++;
        lastDay = day;
      }
      const p = lines.product[i]!;
      let k = current[p]!;
      if (k < 0) {
        k = pairs.length;
        current[p] = k;
        touched.push(p);
        pairs.push({ c, p, n: 0, k: 0, first: occ, last: -1, lastDay: day, quantities: [], occasions: 0 });
      }
      const pr = pairs[k]!;
      if (pr.last !== occ) {
        pr.k++;
        pr.last = occ;
        pr.lastDay = day;
        pr.quantities.push(q);
      } else pr.quantities[pr.quantities.length - 1]! += q;
    }
    const total = occ + 1;
    for (let k = start; k < pairs.length; k++) {
      const pr = pairs[k]!;
      pr.n = total - pr.first; // occasions since (and including) the first purchase of the product
      pr.occasions = total;
    }
    for (const p of touched) current[p] = -1;
  }

  // empirical-Bayes beta prior per product (method of moments), all-pairs fallback
  const global = betaPrior(pairs, () => true);
  const minPairs = opts.minPriorPairs ?? 5;
  const byProduct = new Map<number, BetaPrior>();
  const perProduct = new Map<number, Pair[]>();
  for (const pr of pairs) {
    let list = perProduct.get(pr.p);
    if (!list) perProduct.set(pr.p, (list = []));
    list.push(pr);
  }
  for (const [p, list] of perProduct) {
    const eligible = list.filter((x) => x.n >= 3).length;
    if (eligible >= minPairs) byProduct.set(p, betaPrior(list, () => true));
  }

  const out: ItemRhythm[] = [];
  for (const pr of pairs) {
    const prior = byProduct.get(pr.p) ?? global;
    const inclusion = (pr.k + prior.alpha) / (pr.n + prior.alpha + prior.beta);
    const ordersSinceLast = pr.occasions - 1 - pr.last;
    const rhythm = opts.customers?.customer(ids.customers.values[pr.c]!);
    let expectedNext: string | undefined;
    if (rhythm?.expectedNext !== undefined) {
      // median number of customer orders until the product is included: ceil(ln 0.5 / ln(1 − p))
      const further = inclusion >= 1 ? 1 : Math.max(1, Math.ceil(Math.log(0.5) / Math.log(1 - inclusion)));
      const gap = rhythm.meanGapDays ?? rhythm.typicalGapOpenDays ?? 0;
      expectedNext = formatDay(Date.parse(rhythm.expectedNext) / 86_400_000 + Math.round((further - 1) * gap));
    }
    out.push({
      customerId: ids.customers.values[pr.c]!,
      productId: ids.products.values[pr.p]!,
      orders: pr.n,
      itemOrders: pr.k,
      inclusion,
      cadence: 1 / inclusion,
      usualQuantity: median(pr.quantities),
      lastBought: formatDay(pr.lastDay),
      ordersSinceLast,
      missingProbability: (1 - inclusion) ** ordersSinceLast,
      expectedNext,
    });
  }
  return out;
}

/**
 * Beta(α, β) by the method of moments on the pairs' inclusion rates k/n (n >= 3), with the
 * binomial sampling variance removed from the observed variance (Kleinman 1973); α + β clamped
 * to [1, 50] so a prior never outweighs 50 orders. Falls back to a weak Beta(1, 1).
 */
function betaPrior(pairs: readonly { n: number; k: number }[], include: (x: { n: number; k: number }) => boolean): BetaPrior {
  let m = 0, cnt = 0;
  for (const x of pairs) {
    if (x.n < 3 || !include(x)) continue;
    m += x.k / x.n;
    cnt++;
  }
  if (cnt < 2) return { alpha: 1, beta: 1 };
  m /= cnt;
  let v = 0, sampling = 0;
  for (const x of pairs) {
    if (x.n < 3 || !include(x)) continue;
    v += (x.k / x.n - m) ** 2;
    sampling += (m * (1 - m)) / x.n;
  }
  v = v / (cnt - 1) - sampling / cnt;
  const mm = Math.min(0.999, Math.max(0.001, m));
  const strength = v > 1e-9 ? Math.min(50, Math.max(1, (mm * (1 - mm)) / v - 1)) : 50;
  return { alpha: mm * strength, beta: (1 - mm) * strength };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}
