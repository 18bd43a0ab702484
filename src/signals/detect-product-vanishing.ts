import type { Dataset } from "../data/dataset.ts";
import { sellableProducts } from "../data/internal/sellable.ts";
import { formatDay } from "../data/format-day.ts";
import type { ItemRhythm } from "../patterns/fit-item-rhythm.ts";
import type { PatternModel } from "../patterns/fit-patterns.ts";
import type { OptionKeys } from "../data/internal/check.ts";
import { DETECTOR_KEYS, detectorContext, type DetectorContext } from "./internal/context.ts";
import { costFor, type CostBasis } from "./internal/cost-basis.ts";
import { bySignalOrder, fmt, iso, isoLtr, localized, per90Text, round, signalId } from "./internal/format.ts";
import { poissonBinomialTail, surprise } from "./internal/segment-tail.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";
import { lowerBound } from "../data/internal/bounds.ts";
import { purchaseDayIndex } from "../data/internal/purchase-days.ts";
import { CompensatedSum } from "../data/internal/compensated-sum.ts";

/** Options of {@link detectProductVanishing}. */
export interface ProductVanishingOptions extends DetectorOptions {}

const KEYS: OptionKeys<ProductVanishingOptions> = DETECTOR_KEYS;

/** A customer buys a product habitually: de-seasonalized inclusion at least this... */
const MIN_INCLUSION = 0.3;
/** ...over at least this many purchase days with the product. */
const MIN_ITEM_ORDERS = 3;
/** Fewest drop-outs for a signal. */
const MIN_DROPPED = 3;
/** A customer is at risk at t when its misses between its last purchase of the product and t were still this likely under its usual inclusion (it was still buying the product). */
const AT_RISK = 0.05;
/** −ln of the tail probability a signal needs at sensitivity 1 (p ≤ 1e-9: thousands of segment × product × day tests a week). */
const MIN_SURPRISE = -Math.log(1e-9);
/** Share of the at-risk customers that must have dropped the product, at sensitivity 1. */
const MIN_SHARE = 0.5;
/** A product whose family's seasonal index in the as-of month is below this is in its off season: not tested (its absence is expected, and the shrunk index understates deep troughs). */
const OFF_SEASON = 0.75;
/** Days back to the same weeks last year (52 weeks: same weekdays). */
const YEAR = 364;
/** Pseudo-inclusions shrinking last year's same-weeks inclusion factor towards 1. */
const SEASON_PSEUDO = 5;
/** Candidate change days: drop-outs that began within this many days. */
const LOOKBACK = 365;
/** Reference windows of the usual drop-out rate: this long, the newest ending a year before asOf. */
const REF_DAYS = 91;
const REF_WINDOWS = 3;
/** Floor and default of the usual drop-out hazard (per day): 2% of habitual buyers a year. */
const MIN_LAMBDA = -Math.log(1 - 0.02) / 365;

/** One habitual (customer, product) pair. */
interface Pair {
  c: number;
  p: number;
  group: number;
  /** Inclusion used for the misses before a change day (no season: at-risk screening only). */
  inclusion: number;
  /** P(the current run of misses | usual, seasonal inclusion) and its length in purchase days. */
  missing: number;
  run: number;
  /** Purchase days with the product, ascending: `days[from..to)` (a chunk of the collector's pool, shared by many pairs). */
  days: Int32Array;
  from: number;
  to: number;
  /** The family's seasonal index in the as-of month. */
  seasonIndex: number;
  /** The family looks seasonal in the as-of month (left out of the drop-out rate). */
  seasonal: boolean;
}

/** A change day evaluated for one segment × product. */
interface Scan {
  t: number;
  atRisk: number;
  dropped: number;
  expected: number;
  tail: number;
  score: number;
  droppedPairs: Pair[];
  /** Last year's inclusion factor for these weeks. */
  phi: number;
}

/**
 * `product_vanishing`: a product disappearing from the baskets of many customers of one segment
 * at once, beyond its usual drop-out rate: the trace of a competitor's substitute. For every
 * segment × product, the segment's customers who buy the product habitually (item-rhythm
 * inclusion ≥ 0.3 over ≥ 3 purchase days with it) are examined at each candidate change day t (the
 * first purchase day of an ongoing run of misses, within the last year). At risk at t: a customer
 * that was still buying the product (its misses between its last purchase of it and t were likely
 * enough, ≥ 5%) and has ordered since t. Dropped: it has not bought the product since t. Under the
 * null hypothesis each at-risk customer is dropped with probability
 * π = δ + (1 − δ)·q: q = P(missing its n purchase days since t | its usual, seasonal inclusion),
 * from the item rhythm's `missingProbability` (q = missingProbability^(n / run length)), and
 * δ = 1 − e^(−λ·d) the usual, idiosyncratic drop-out over the d days from its last purchase of the
 * product to its first order since t, with λ the company's drop-out hazard of habitual pairs,
 * fitted by maximum likelihood on three 91-day windows more than a year back (so a recent event
 * does not inflate it; at least 2% a year). The number dropped is compared with its
 * Poisson-binomial distribution (exact tail) and t is chosen as the scan statistic's maximum. A
 * segment × product is flagged when P(X ≥ dropped) ≤ e^(−20.7 / sensitivity) (1e-9 at sensitivity
 * 1: thousands of tests run every week), at least 3 customers dropped it and at least
 * 50% / sensitivity of those at risk did. `since` = the chosen change day; `valueAtRisk` = the
 * dropped customers' margin on the product over the year before `since`, × 90 / 365.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, model (a pattern model at the same asOf), sensitivity, locale
 * @returns the signals, largest valueAtRisk first, then by id
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectProductVanishing, fromRowsSync } from "orderpulse";
 * // eight cafes buy MILK and BREAD every week; from 2026-03-02 none of them buys MILK any more
 * const orders = [];
 * for (let c = 0; c < 8; c++) {
 *   for (let w = 0; w < 70; w++) {
 *     const order_date = new Date(Date.UTC(2025, 0, 6 + 7 * w + c % 3));
 *     const order_id = `O${c}-${w}`;
 *     orders.push({ order_id, order_date, customer_id: `C${c}`, product_id: "BREAD", quantity: 5, unit_price: 2, unit_cost: 1 });
 *     if (order_date < new Date("2026-03-02")) orders.push({ order_id, order_date, customer_id: `C${c}`, product_id: "MILK", quantity: 5, unit_price: 3, unit_cost: 2 });
 *   }
 * }
 * const customers = Array.from({ length: 8 }, (_, c) => ({ customer_id: `C${c}`, segment: "cafes" }));
 * const [signal] = detectProductVanishing(fromRowsSync({ orders, customers }).dataset);
 * assert.equal(signal?.productId, "MILK");
 * assert.equal(signal?.segment, "cafes");
 * assert.equal(signal?.evidence.dropped, 8);
 * assert.equal(signal?.since, "2026-03-02");
 * ```
 */
export function detectProductVanishing(dataset: Dataset, options?: ProductVanishingOptions): SignalOf<"product_vanishing">[] {
  const fn = "detectProductVanishing";
  const ctx = detectorContext(dataset, options, fn, KEYS);
  const { view, asOf, sensitivity } = ctx;
  const { ids } = view;
  const nC = view.customerEnd.length;

  // purchase days of every customer (distinct days with a positive line), flat with offsets
  const { days: purchaseDays, start: dayOf } = purchaseDayIndex(view);

  // habitual pairs, with their purchase days of the product (one small function per customer:
  // optimized after the first customers instead of waiting for an on-stack replacement of this one)
  const productIndex = new Map<string, number>();
  for (let p = 0; p < ids.products.size; p++) productIndex.set(ids.products.values[p]!, p);
  const collect: PairCollector = {
    view,
    model: ctx.model(),
    productIndex,
    dayOf,
    hasSegments: anySegment(view, dayOf),
    slot: new Int32Array(ids.products.size).fill(-1),
    count: new Int32Array(ids.products.size),
    begin: new Int32Array(ids.products.size),
    fill: new Int32Array(ids.products.size),
    habitual: [],
    rhythms: [],
    pool: new Int32Array(0),
    used: 0,
    pairs: [],
  };
  for (let c = 0; c < nC; c++) habitualPairs(collect, c);
  // a product marked discontinued (products.active = false), or off the market (nobody in any
  // segment buys it any more: sellableProducts), vanishing from the baskets is the distributor's
  // doing, not a competitor's: left out of the groups and of the usual dropout rate (reviews,
  // 2026-12-07 and 12-08: a discontinued pack, a renumbered SKU read as a substitute in every segment)
  const active = sellableProducts(view);
  const pairs = collect.pairs.filter((pr) => active[pr.p] !== 0);

  const lambda = usualDropoutRate(pairs, purchaseDays, dayOf, asOf, view.dayRange?.first ?? asOf);

  // segment × product groups
  const groups = new Map<number, Pair[]>();
  for (const pr of pairs) {
    const key = pr.group * ids.products.size + pr.p;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(pr);
  }
  const test: GroupTest = { ctx, purchaseDays, dayOf, lambda, minScore: MIN_SURPRISE / sensitivity, minShare: MIN_SHARE / sensitivity, hasSegments: collect.hasSegments };
  const out: SignalOf<"product_vanishing">[] = [];
  for (const list of groups.values()) {
    const signal = testGroup(test, list);
    if (signal !== undefined) out.push(signal);
  }
  return out.sort(bySignalOrder);
}

/** State of the habitual-pair collection, one customer at a time. */
interface PairCollector {
  readonly view: Dataset;
  readonly model: PatternModel;
  readonly productIndex: Map<string, number>;
  readonly dayOf: Uint32Array;
  readonly hasSegments: boolean;
  /** slot[p]: index of product p among the current customer's habitual products, else -1 */
  readonly slot: Int32Array;
  /** Scratch by slot: purchase days with the product; the first cell of its days in the pool; the last day counted, then the next free cell. */
  readonly count: Int32Array;
  readonly begin: Int32Array;
  readonly fill: Int32Array;
  /** Scratch: the current customer's habitual products and their rhythms (reused, not reallocated per customer). */
  readonly habitual: number[];
  readonly rhythms: ItemRhythm[];
  /**
   * The pairs' purchase days live in chunks of one shared buffer (each pair's `days` a range of
   * one chunk): one allocation per chunk instead of a growing list and a copy per pair.
   */
  pool: Int32Array;
  used: number;
  readonly pairs: Pair[];
}

/**
 * Whether some customer with a purchase in the view has a segment: the data "have segments" as
 * seen at the as-of day. The dictionary also holds the segments of customers who first buy after
 * it (and of prospects), and one of those left every customer without a segment out of the scan.
 */
function anySegment(view: Dataset, dayOf: Uint32Array): boolean {
  const segment = view.customers.segment;
  for (let c = 0; c < view.customerEnd.length; c++) if (segment[c]! >= 0 && dayOf[c + 1]! > dayOf[c]!) return true;
  return false;
}

/** Cells of one chunk of {@link PairCollector.pool}. */
const POOL_CHUNK = 1 << 18;

/** Customer c's habitual products (rhythm inclusion and orders high enough), with their purchase days. */
function habitualPairs(s: PairCollector, c: number): void {
  const { view, slot, count, begin, fill, habitual, rhythms } = s;
  const { lines, customerStart, customerEnd, ids } = view;
  const g = s.hasSegments ? view.customers.segment[c]! : 0;
  if (g < 0 || s.dayOf[c + 1] === s.dayOf[c]) return;
  habitual.length = 0;
  rhythms.length = 0;
  const items = s.model.items(ids.customers.values[c]!);
  for (let i = 0; i < items.length; i++) {
    const r = items[i]!;
    if (r.inclusion < MIN_INCLUSION || r.itemOrders < MIN_ITEM_ORDERS) continue;
    const p = s.productIndex.get(r.productId);
    if (p === undefined || slot[p] !== -1) continue;
    slot[p] = habitual.length;
    count[habitual.length] = 0;
    habitual.push(p);
    rhythms.push(r);
  }
  if (habitual.length === 0) return;
  const from = customerStart[c]!, to = customerEnd[c]!;
  const { day, quantity, product } = lines;
  // two passes over the customer's lines: count each product's distinct consecutive days, then
  // write them into the pool (a day is kept when it differs from the product's previous one kept)
  for (let i = from; i < to; i++) {
    if (quantity[i]! <= 0) continue;
    const k = slot[product[i]!]!;
    if (k < 0) continue;
    if (count[k] === 0 || fill[k] !== day[i]) {
      count[k]!++;
      fill[k] = day[i]!; // the last day counted
    }
  }
  let total = 0;
  for (let k = 0; k < habitual.length; k++) total += count[k]!;
  if (s.used + total > s.pool.length) {
    // a new chunk: the pairs taken from the old one keep it alive (their `days`)
    s.pool = new Int32Array(Math.max(POOL_CHUNK, total));
    s.used = 0;
  }
  const pool = s.pool;
  let at = s.used;
  for (let k = 0; k < habitual.length; k++) {
    begin[k] = fill[k] = at;
    at += count[k]!;
  }
  for (let i = from; i < to; i++) {
    if (quantity[i]! <= 0) continue;
    const k = slot[product[i]!]!;
    if (k < 0) continue;
    const f = fill[k]!;
    if (f === begin[k] || pool[f - 1] !== day[i]) {
      pool[f] = day[i]!;
      fill[k] = f + 1;
    }
  }
  for (let k = 0; k < habitual.length; k++) slot[habitual[k]!] = -1;
  s.used = at;
  for (let k = 0; k < habitual.length; k++) {
    const p = habitual[k]!, r = rhythms[k]!, n = count[k]!;
    if (n === 0) continue;
    s.pairs.push({
      c,
      p,
      group: g,
      inclusion: Math.min(0.99, r.inclusion),
      missing: r.missingProbability,
      run: r.ordersSinceLast,
      days: pool,
      from: begin[k]!,
      to: begin[k]! + n,
      seasonIndex: r.seasonalIndex,
      seasonal: r.seasonalIndex < OFF_SEASON || r.seasonalIndex > 1 / OFF_SEASON,
    });
  }
}

/** What every segment x product group's test shares. */
interface GroupTest {
  readonly ctx: DetectorContext;
  readonly purchaseDays: Int32Array;
  readonly dayOf: Uint32Array;
  readonly lambda: number;
  readonly minScore: number;
  readonly minShare: number;
  readonly hasSegments: boolean;
}

/** One segment x product group: the best change day of the last year, and its signal when surprising enough. */
function testGroup(s: GroupTest, list: Pair[]): SignalOf<"product_vanishing"> | undefined {
  if (list.length < MIN_DROPPED || list[0]!.seasonIndex < OFF_SEASON) return undefined;
  const { purchaseDays, dayOf } = s;
  const asOf = s.ctx.asOf;
  // candidate change days: the first purchase day of each ongoing run of misses (last year)
  const candidates = new Set<number>();
  for (const pr of list) {
    if (pr.run < 1) continue;
    const f = firstAfter(purchaseDays, dayOf[pr.c]!, dayOf[pr.c + 1]!, pr.days[pr.to - 1]!);
    if (f !== undefined && f >= asOf - LOOKBACK) candidates.add(f);
  }
  if (candidates.size === 0) return undefined;
  let best: Scan | undefined;
  const scanAt = groupScanner(list, asOf, s.lambda, purchaseDays, dayOf);
  for (const t of [...candidates].sort((a, b) => a - b)) {
    const scan = scanAt(t);
    if (scan && (!best || scan.score > best.score)) best = scan;
  }
  if (!best || best.score < s.minScore || best.dropped / best.atRisk < s.minShare) return undefined;
  return signalOf(s.ctx.view, best, list[0]!, s.hasSegments, s.lambda, s.ctx.asOfText, s.minScore, s.ctx.locale, s.ctx.basis);
}

/**
 * The Poisson-binomial test of one segment × product at change day t (undefined: fewer than
 * MIN_DROPPED drop-outs), for change days asked in ascending order. Every position a test needs
 * (a customer's first purchase day on or after t, the product's days before t, last year's
 * counterparts) only moves forward as t grows, so each is a cursor per pair advanced from the
 * previous change day instead of a binary search per change day: a segment with many habitual
 * buyers has as many change days, and the searches made the test quadratic in them.
 */
function groupScanner(list: readonly Pair[], asOf: number, lambda: number, purchaseDays: Int32Array, dayOf: Uint32Array): (t: number) => Scan | undefined {
  const n = list.length;
  const lo = new Int32Array(n), hi = new Int32Array(n);
  // at t: first purchase day >= t; product days before t; first purchase day after the last of those
  const at = new Int32Array(n), k = new Int32Array(n), after = new Int32Array(n);
  // the same at t − YEAR (last year's season), with the fixed end of last year's window
  const atY = new Int32Array(n), kY = new Int32Array(n), afterY = new Int32Array(n), endY = new Int32Array(n), kEndY = new Int32Array(n);
  const endYear = asOf - YEAR;
  for (let x = 0; x < n; x++) {
    const pr = list[x]!;
    lo[x] = at[x] = after[x] = atY[x] = afterY[x] = dayOf[pr.c]!;
    hi[x] = dayOf[pr.c + 1]!;
    endY[x] = lowerBound(purchaseDays, endYear + 1, lo[x]!, hi[x]!);
    kEndY[x] = lowerBound(pr.days, endYear + 1, pr.from, pr.to);
    // the product-day cursors are indices into the pair's chunk of the pool, from its first day
    k[x] = kY[x] = pr.from;
  }
  /** Advance pair x's cursors to day d: first purchase day >= d, product days before d, first purchase day after the last of them. */
  const advance = (x: number, d: number, atC: Int32Array, kC: Int32Array, afterC: Int32Array): void => {
    const h = hi[x]!, days = list[x]!.days, end = list[x]!.to;
    let i = atC[x]!;
    while (i < h && purchaseDays[i]! < d) i++;
    atC[x] = i;
    let j = kC[x]!;
    if (j < end && days[j]! < d) {
      while (j < end && days[j]! < d) j++;
      kC[x] = j;
      const before = days[j - 1]!;
      let m = afterC[x]!;
      while (m < h && purchaseDays[m]! <= before) m++;
      afterC[x] = m;
    }
  };
  // P(n misses) uses last year's inclusion factor φ for these weeks: (k + κ) / (E + κ) over the
  // customers at risk then, at most 1 (a season may excuse an absence, never make one more damning)
  const seasonFactor = (t: number): number => {
    let kk = 0, e = 0, seen = 0;
    for (let x = 0; x < n; x++) {
      const pr = list[x]!;
      advance(x, t, atY, kY, afterY);
      const a = atY[x]!;
      const nd = endY[x]! - a;
      if (nd <= 0) continue;
      const j = kY[x]!;
      if (j === pr.from) continue;
      const misses = a - afterY[x]!;
      if ((1 - pr.inclusion) ** misses < AT_RISK) continue;
      seen++;
      e += pr.inclusion * nd;
      kk += kEndY[x]! - j;
    }
    if (seen === 0) return Math.min(1, list[0]!.seasonIndex);
    return Math.min(1, (kk + SEASON_PSEUDO) / (e + SEASON_PSEUDO));
  };
  return (t) => {
    const phi = seasonFactor(t - YEAR);
    const probs: number[] = [];
    const droppedPairs: Pair[] = [];
    let expected = 0;
    for (let x = 0; x < n; x++) {
      const pr = list[x]!;
      advance(x, t, at, k, after);
      const startIdx = at[x]!; // first purchase day >= t
      const nd = hi[x]! - startIdx; // purchase days in [t, asOf]
      if (nd <= 0) continue;
      const kx = k[x]!; // product days before t (from pr.from)
      if (kx === pr.from) continue; // never bought it before t
      const before = pr.days[kx - 1]!;
      const misses = startIdx - after[x]!; // purchase days in (before, t)
      if ((1 - pr.inclusion) ** misses < AT_RISK) continue; // had already lapsed by t
      const dropped = kx === pr.to;
      // P(n misses): the usual inclusion times last year's factor for these weeks; for a drop-out
      // at least the rhythm's own seasonal missing probability (over its run, pro rata)
      const usual = (1 - Math.min(0.99, pr.inclusion * phi)) ** nd;
      const q = dropped ? Math.max(usual, pr.run > 0 ? pr.missing ** (nd / Math.max(nd, pr.run)) : 1) : usual;
      const delta = 1 - Math.exp(-lambda * Math.max(0, purchaseDays[startIdx]! - before));
      const pi = delta + (1 - delta) * q;
      probs.push(pi);
      expected += pi;
      if (dropped) droppedPairs.push(pr);
    }
    const xd = droppedPairs.length;
    if (xd < MIN_DROPPED) return undefined;
    const { logTail, pValue } = xd > expected ? poissonBinomialTail(probs, xd) : { logTail: 0, pValue: 1 };
    return { t, atRisk: probs.length, dropped: xd, expected, tail: pValue, score: surprise(logTail), droppedPairs, phi };
  };
}

/**
 * The usual drop-out hazard λ (per day) of habitual pairs: maximum likelihood over reference
 * windows of 91 days ending a year or more before asOf. In a window starting at t0, an at-risk pair
 * (bought the product before t0, misses since then still likely, ordered within the window) has not
 * bought it in the window with probability δ + (1 − δ)(1 − p)^n, δ = 1 − e^(−λ d) as in the test.
 * Pairs whose family is in a marked season are left out (the rate has no season). Floored at 2% a
 * year, which is also the default when the history is too short.
 */
function usualDropoutRate(pairs: readonly Pair[], purchaseDays: Int32Array, dayOf: Uint32Array, asOf: number, first: number): number {
  // the rows in typed arrays of their largest size (every pair in every window): no growth, and
  // the likelihood's 34 passes read unboxed numbers
  const cap = REF_WINDOWS * pairs.length;
  const ys = new Uint8Array(cap);
  const qs = new Float64Array(cap);
  const ds = new Int32Array(cap);
  let rows = 0;
  let maxD = 0;
  for (let j = 1; j <= REF_WINDOWS; j++) {
    const t0 = asOf - 365 - REF_DAYS * j;
    const t1 = t0 + REF_DAYS - 1;
    if (t0 < first + 180) break;
    for (let x = 0; x < pairs.length; x++) {
      const pr = pairs[x]!;
      if (pr.seasonal) continue;
      const lo = dayOf[pr.c]!, hi = dayOf[pr.c + 1]!;
      const a = lowerBound(purchaseDays, t0, lo, hi);
      const b = lowerBound(purchaseDays, t1 + 1, lo, hi);
      const n = b - a;
      if (n <= 0) continue;
      const k = lowerBound(pr.days, t0, pr.from, pr.to);
      if (k === pr.from) continue;
      const before = pr.days[k - 1]!;
      const misses = a - lowerBound(purchaseDays, before + 1, lo, hi);
      if ((1 - pr.inclusion) ** misses < AT_RISK) continue;
      const d = Math.max(0, purchaseDays[a]! - before);
      ys[rows] = k === pr.to || pr.days[k]! > t1 ? 1 : 0;
      qs[rows] = (1 - pr.inclusion) ** n;
      ds[rows] = d;
      if (d > maxD) maxD = d;
      rows++;
    }
  }
  if (rows < 50) return MIN_LAMBDA;
  // the gaps are whole days: e^(−λd) once per distinct d per evaluation (the same doubles)
  const sample: DropoutRows = { rows, ys, qs, ds, decay: new Float64Array(maxD + 1) };
  const logLik = (lambda: number): number => dropoutLogLik(sample, lambda);
  // golden-section search on ln λ over [1e-7, 0.05] per day (the likelihood is unimodal in λ)
  let a = Math.log(1e-7), b = Math.log(0.05);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  let f1 = logLik(Math.exp(x1)), f2 = logLik(Math.exp(x2));
  for (let it = 0; it < 32; it++) { // the bracket shrinks to 0.618^32 ≈ 2e-7 of its width
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = logLik(Math.exp(x2));
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = logLik(Math.exp(x1));
    }
  }
  return Math.max(MIN_LAMBDA, Math.exp((a + b) / 2));
}

/** The reference windows' rows of {@link usualDropoutRate}: dropped (1/0), P(misses | usual inclusion), gap in days; and a scratch table. */
interface DropoutRows {
  readonly rows: number;
  readonly ys: Uint8Array;
  readonly qs: Float64Array;
  readonly ds: Int32Array;
  /** e^(−λd) per whole day d (filled per evaluation: the same doubles as per row, computed once per d). */
  readonly decay: Float64Array;
}

/**
 * The log-likelihood of the drop-out hazard λ over the rows. A module-level function, not a
 * closure made per run: its optimized code then serves every run (a new closure's does not, and
 * its first evaluations each run went through unoptimized code, boxing every sum).
 */
function dropoutLogLik(r: DropoutRows, lambda: number): number {
  const { rows, ys, qs, ds, decay } = r;
  for (let d = 0; d < decay.length; d++) decay[d] = Math.exp(-lambda * d);
  let s = 0;
  for (let i = 0; i < rows; i++) {
    const delta = 1 - decay[ds[i]!]!;
    const p = delta + (1 - delta) * qs[i]!;
    s += Math.log(Math.max(1e-300, ys[i] === 1 ? p : 1 - p));
  }
  return s;
}

function signalOf(view: Dataset, scan: Scan, head: Pair, hasSegments: boolean, lambda: number, asOfText: string, minScore: number, locale: "en" | "he", basis: CostBasis): SignalOf<"product_vanishing"> {
  const { lines, customerStart, customerEnd, ids } = view;
  const productId = ids.products.values[head.p]!;
  const segment = hasSegments ? ids.segments.values[head.group]! : undefined;
  const since = formatDay(scan.t);
  // the dropped customers' margin on the product over the year before the change, per 90 days
  // (money: a compensated sum, sales and their returns netted)
  const margin = new CompensatedSum();
  for (const pr of scan.droppedPairs) {
    for (let i = customerStart[pr.c]!; i < customerEnd[pr.c]!; i++) {
      const d = lines.day[i]!;
      if (lines.product[i] !== pr.p || d < scan.t - 365 || d >= scan.t) continue;
      const cost = costFor(lines.unitCost, i, basis);
      if (Number.isFinite(cost)) margin.add(lines.quantity[i]! * (lines.unitPrice[i]! - cost));
    }
  }
  // money in cents, as every other detector gives it
  const valueAtRisk = round(Math.max(0, (margin.value * 90) / 365), 2);
  const share = scan.dropped / scan.atRisk;
  const severity = Math.min(1, share * Math.min(1, scan.score / (2 * MIN_SURPRISE)));
  const name = view.products.name[head.p];
  const label = name ? `${productId} (${name})` : productId;
  const seg = segment ?? "";
  const expectedText = scan.expected < 0.1 ? "< 0.1" : fmt(scan.expected);
  return {
    id: signalId("product_vanishing", segment, productId, since),
    type: "product_vanishing",
    asOf: asOfText,
    since,
    productId,
    ...(segment !== undefined ? { segment } : {}),
    severity,
    valueAtRisk,
    evidence: {
      atRisk: scan.atRisk,
      dropped: scan.dropped,
      expected: scan.expected,
      share,
      pValue: scan.tail,
      surprise: scan.score,
      threshold: minScore,
      usualDropoutPerYear: 1 - Math.exp(-365 * lambda),
      seasonFactor: scan.phi,
    },
    reason: { code: "product_vanishing", params: { productId, segment: seg, dropped: scan.dropped, atRisk: scan.atRisk, expected: scan.expected, since } },
    message: localized(
      locale,
      `${isoLtr(label)} dropped out of the orders of ${scan.dropped} of ${scan.atRisk} ${segment !== undefined ? `${isoLtr(segment)} ` : ""}customers who buy it regularly, since ${since} (${expectedText} expected by chance): a competitor's substitute? ${per90Text(valueAtRisk, basis, "en")}`,
      `${iso(label)} נעלם מההזמנות של ${scan.dropped} מתוך ${scan.atRisk} לקוחות${segment !== undefined ? ` ${iso(segment)}` : ""} שקונים אותו בקביעות, מאז ${since} (צפוי במקרה: ${expectedText}); תחליף של מתחרה? ${per90Text(valueAtRisk, basis, "he")}`,
    ),
  };
}


/** The first purchase day after `day`, or undefined. */
function firstAfter(arr: Int32Array, lo: number, hi: number, day: number): number | undefined {
  const i = lowerBound(arr, day + 1, lo, hi);
  return i < hi ? arr[i] : undefined;
}
