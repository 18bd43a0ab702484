import type { Dataset } from "../data/dataset.ts";
import { buildBasketModel } from "./internal/model.ts";
import { offerMaker, type Tuning } from "./internal/offers.ts";
import { resolveRecommendOptions } from "./internal/settings.ts";
import type { Offer, RecommendOptions } from "./types.ts";

/**
 * Offers for customers: products to cross-sell, to reorder, to win back and to stock for the
 * coming season, each with a suggested price, the expected margin, the evidence and a message.
 *
 * One basket model is built per call from the purchase lines up to `asOf` (returns excluded) and
 * shared by all requested customers (docs/recommend.md):
 * - `cross_sell` (products the customer never bought): three estimates, each normalized to sum 1
 *   over the customer's candidates, averaged with weights 1 : 0.25 : 3: (a) item-based (SAR),
 *   Σᵢ aᵢ·J(i, j) over the customer's products i, with aᵢ the time-decayed affinity
 *   Σ 2^(−age / halfLifeDays) over its purchase days and J(i, j) = nᵢⱼ / (nᵢ + nⱼ − nᵢⱼ + 3) the
 *   shrunk Jaccard similarity (each product keeps its 150 most similar); (b) the summed similarity
 *   of its `neighbors` nearest customers (cosine over idf-weighted baskets, own segment first) who
 *   buy j; (c) the share of the customer's segment that bought j (the 40 most bought products of
 *   each segment and family). (b) and (c) only when the customers have segments: without them the
 *   item-based estimate stands alone, unshrunk, with 2,000 similar products kept. The best 3k
 *   candidates are then re-scored with explicit rules "customers who buy A and B also buy C"
 *   (confidence = customers buying A, B and C / customers buying A and B, at least `minSupport`
 *   buying all three): the best rule multiplies the score by 1 + 0.5 · max(0, confidence − P(C)),
 *   P(C) the share of the customers with purchases who bought C; the offer names its A and B.
 * - `repurchase` / `winback`: from each customer x product rhythm (inclusion rate among its
 *   purchase days, purchase days since the last one; the seasonal rhythms of `model` when given):
 *   due when its usual cadence is reached (score 0.5 × its inclusion: the chance the next order
 *   includes it), dropped when the run of misses has probability < 5 % under the habit (score
 *   0.4 × its inclusion).
 * - `seasonal`: products of families whose season starts within a month that the customer (else
 *   at least two of its peers) bought in the same weeks last year; a product the customer never
 *   bought is scored as a cross-sell (its cross-sell score × the coming month's seasonal index).
 *
 * Price: the similarity- and recency-weighted median of what similar customers last paid
 * (repurchase: what the customer paid), scaled to today's list price and to this customer's usual
 * discount, clamped to [cost × (1 + minMargin), list]; an offer whose range is empty is dropped.
 * Excluded: blocked and inactive products, products nobody bought in `activeWithinDays`.
 * At most one offer per (customer, product) (the highest score across kinds), at most `k` per
 * customer; sorted by score descending, then customer id, then product id.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, customerId | customerIds (default: every customer with a purchase in the
 *   year up to asOf), k, kinds, minMargin, blockedProductIds, halfLifeDays, neighbors,
 *   minSupport, activeWithinDays, locale, model
 * @returns the offers (empty when there is nothing to recommend)
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or a model fitted at another day or on other data (a customer of the data with another last order, or missing)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, recommend } from "orderpulse";
 * const prices = { COFFEE: [18, 20, 12], MILK: [4, 4.5, 3], SUGAR: [3, 3.5, 2] } as const; // net, list, cost
 * const orders = [];
 * // six cafes buy coffee, milk and sugar; a seventh buys coffee and milk only
 * for (let c = 1; c <= 7; c++) {
 *   for (const [product_id, [unit_price, list_price, unit_cost]] of Object.entries(prices)) {
 *     if (c === 7 && product_id === "SUGAR") continue;
 *     orders.push({ order_id: `O${c}`, order_date: "2026-05-04", customer_id: `C${c}`, product_id, quantity: 2, unit_price, list_price, unit_cost });
 *   }
 * }
 * const [offer] = recommend(fromRowsSync({ orders }).dataset, { customerId: "C7", kinds: ["cross_sell"] });
 * assert.equal(offer?.productId, "SUGAR");
 * assert.deepEqual(offer?.because.productIds, ["COFFEE", "MILK"]);
 * assert.equal(offer?.because.support, 6);
 * assert.ok(offer.suggestedPrice >= 2 * 1.1 && offer.suggestedPrice <= 3.5);
 * ```
 */
export function recommend(dataset: Dataset, options?: RecommendOptions): Offer[] {
  return recommendWith(dataset, options, undefined);
}

/** @internal recommend() with tuning knobs (benchmarks, tests). */
export function recommendWith(dataset: Dataset, options: RecommendOptions | undefined, tuning: Partial<Tuning> | undefined): Offer[] {
  const { view, asOf, customers, settings } = resolveRecommendOptions(dataset, options, "recommend", tuning);
  if (view.visibleLines === 0 || customers.length === 0) return [];
  const model = buildBasketModel(view, asOf, settings.halfLifeDays);
  const maker = offerMaker(model, settings);
  const out: Offer[] = [];
  const cust: number[] = [];
  for (const c of customers) {
    for (const o of maker.offersFor(c)) {
      out.push(o);
      cust.push(c);
    }
  }
  return sortOffers(out, cust, view);
}

/** Offers in byScore order (score descending, then customer id, then product id), by numeric ranks of the ids. */
function sortOffers(offers: Offer[], cust: readonly number[], view: Dataset): Offer[] {
  const n = offers.length;
  if (n < 2) return offers;
  const rank = (values: readonly string[]): Int32Array => {
    const order = Array.from({ length: values.length }, (_, i) => i).sort((x, y) => (values[x]! < values[y]! ? -1 : values[x]! > values[y]! ? 1 : 0));
    const r = new Int32Array(values.length);
    for (let i = 0; i < order.length; i++) r[order[i]!] = i;
    return r;
  };
  const cRank = rank(view.ids.customers.values);
  const pRank = rank(view.ids.products.values);
  const score = new Float64Array(n), ck = new Int32Array(n), pk = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    score[i] = offers[i]!.score;
    ck[i] = cRank[cust[i]!]!;
    pk[i] = pRank[view.ids.products.indexOf(offers[i]!.productId)]!;
  }
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || ck[a]! - ck[b]! || pk[a]! - pk[b]!);
  return Array.from(idx, (i) => offers[i]!);
}
