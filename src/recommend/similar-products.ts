import type { Dataset } from "../data/dataset.ts";
import { sellableProducts } from "../data/internal/sellable.ts";
import { rhythmView } from "../data/internal/rhythm-view.ts";
import { checkDateLike, checkEnum, checkInt, checkString, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";
import { cooccurrence } from "./internal/cooccurrence.ts";
import { buildBasketModel, MAX_DENSE_CELLS, SEASON_SOLD_WITHIN_DAYS } from "./internal/model.ts";
import type { SimilarProduct, SimilarProductsOptions } from "./types.ts";
import { NO_DAY } from "../data/internal/no-day.ts";

const KEYS: OptionKeys<SimilarProductsOptions> = { asOf: true, productId: true, k: true, mode: true, minSupport: true };

/** Pseudo-customers added to both sides of the lift of a substitute (few expected co-buyers prove little). */
const SHRINK = 10;

/**
 * Products related to one product: its complements (bought together) or its substitutes (bought
 * by the same kinds of customers, but rarely together), for "instead of" suggestions.
 *
 * With nₐ, n_b the customers who bought each product up to `asOf` and n_ab those who bought both,
 * the expected n_ab if the two were bought independently within each segment is
 * E = Σ_segments nₐ,ₛ · n_b,ₛ / Nₛ (one stratum without segments), and lift = n_ab / E.
 * - complements: n_ab >= `minSupport`, lift > 1, ranked by the shrunk lift (n_ab + 1) / (E + 1);
 * - substitutes: in some segment s, Eₛ = nₐ,ₛ · n_b,ₛ / Nₛ >= `minSupport` and n_ab,ₛ < Eₛ; ranked
 *   by profile similarity × the largest shrunk deficit over the segments, 1 − (n_ab,ₛ + 10) / (Eₛ + 10)
 *   (a deficit of few expected co-buyers proves little; a pair can be substitutes in one segment
 *   and bought together elsewhere), where
 *   the profile of a product is what its buyers buy beyond the base rate, xⱼ = max(0, n_ij / nᵢ −
 *   nⱼ / N) over the other products j, and the profile similarity is the cosine of the two
 *   profiles (the pair itself left out). Two brands of the same need are bought by alike customers
 *   (similar profiles) that pick one (few together).
 * Only products one can still sell are listed: active, and bought by someone in the 400 days up
 * to `asOf` (a season's product sold last year stays).
 *
 * @param dataset - a dataset or as-of view
 * @param options - productId (required), asOf, k, mode (`complements` default, `substitutes`), minSupport
 * @returns up to k related products, best first (ties: product id); empty for an unknown product
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, similarProducts } from "orderpulse";
 * const orders = [];
 * // 20 cafes buy COFFEE with CUPS, and MILK from one of two dairies, never both
 * for (let c = 0; c < 20; c++) {
 *   for (const product_id of ["COFFEE", "CUPS", c % 2 ? "MILK_A" : "MILK_B"]) {
 *     orders.push({ order_id: `O${c}`, order_date: "2026-03-02", customer_id: `C${c}`, product_id, quantity: 1, unit_price: 5 });
 *   }
 * }
 * // 10 shops buy CUPS only
 * for (let c = 20; c < 30; c++) orders.push({ order_id: `O${c}`, order_date: "2026-03-02", customer_id: `C${c}`, product_id: "CUPS", quantity: 1, unit_price: 5 });
 * const { dataset } = fromRowsSync({ orders });
 * assert.equal(similarProducts(dataset, { productId: "MILK_A", mode: "substitutes", minSupport: 3 })[0]?.productId, "MILK_B");
 * assert.equal(similarProducts(dataset, { productId: "COFFEE" })[0]?.productId, "MILK_A");
 * ```
 */
export function similarProducts(dataset: Dataset, options: SimilarProductsOptions): SimilarProduct[] {
  const fn = "similarProducts";
  const o = optionsObject(options, fn, KEYS);
  checkDateLike(o, "asOf", fn);
  checkString(o, "productId", fn, true);
  checkInt(o, "k", 1, 1000, fn);
  checkEnum(o, "mode", ["complements", "substitutes"], fn);
  checkInt(o, "minSupport", 1, 1_000_000, fn);
  const resolved = resolveAsOf(dataset, options.asOf, undefined, "similarProducts");
  const asOf = resolved.asOf;
  // (baskets are purchases: an order delivered in parts is one)
  const view = rhythmView(resolved.view);
  const a = view.ids.products.indexOf(options.productId);
  if (a < 0 || view.visibleLines === 0) return [];
  const k = options.k ?? 10;
  const mode = options.mode ?? "complements";
  const minSupport = options.minSupport ?? 5;
  const model = buildBasketModel(view, asOf, 180);
  const { nC, nP, pairStart, pairProduct } = model;
  const co = cooccurrence(model, 0, 0); // full rows only (no pruning)
  const n = co.buyers;
  const N = Math.max(1, model.buyers);
  if (n[a] === 0) return [];
  // buyers per (segment, product), for the stratified expectation
  const nS = view.ids.segments.size;
  // (beyond it the expectation is not stratified; the table's columns are the products sold up to
  // asOf, model.soldRank: products first sold later must change nothing)
  const nV = model.soldProducts, rank = model.soldRank;
  const strata = nS > 0 && (nS + 1) * nV <= MAX_DENSE_CELLS ? nS + 1 : 1;
  const byStratum = new Float64Array(strata * nV);
  const size = new Float64Array(strata);
  for (let c = 0; c < nC; c++) {
    if (pairStart[c + 1]! === pairStart[c]!) continue;
    const seg = view.customers.segment[c]!;
    const s = strata > 1 && seg >= 0 ? seg : strata - 1;
    size[s]!++;
    for (let e = pairStart[c]!; e < pairStart[c + 1]!; e++) byStratum[s * nV + rank[pairProduct[e]!]!]!++;
  }
  const expected = (b: number): number => {
    let e = 0;
    for (let s = 0; s < strata; s++) if (size[s]! > 0) e += (byStratum[s * nV + rank[a]!]! * byStratum[s * nV + rank[b]!]!) / size[s]!;
    return e;
  };
  // customers of each stratum who bought a and j
  const togetherS = new Float64Array(strata * nV);
  for (let e = model.itemStart[a]!; e < model.itemStart[a + 1]!; e++) {
    const u = model.itemCust[e]!;
    const seg = view.customers.segment[u]!;
    const s = strata > 1 && seg >= 0 ? seg : strata - 1;
    for (let q = pairStart[u]!; q < pairStart[u + 1]!; q++) togetherS[s * nV + rank[pairProduct[q]!]!]!++;
  }
  const rowA = new Int32Array(nP);
  const touchedA = co.fullRow(a, rowA);
  // profile of a: what its buyers buy beyond the base rate
  const profileA = new Float64Array(nP);
  for (const j of touchedA) profileA[j] = Math.max(0, rowA[j]! / n[a]! - n[j]! / N);
  let naAll = 0;
  for (const j of touchedA) naAll += profileA[j]! ** 2;
  const out: SimilarProduct[] = [];
  const name = (p: number): string | undefined => view.products.name[p];
  const rowB = new Int32Array(nP);
  const candidates: number[] = [];
  // products one can still sell: active, and sold by someone within SEASON_SOLD_WITHIN_DAYS, as
  // recommend's seasonal offers; until 2026-12-07 a discontinued product (active false, last sold
  // two years before) was a substitute and a complement
  const onMarket = sellableProducts(view);
  const sellable = (p: number): boolean => onMarket[p] !== 0 && model.itemLastDay[p] !== NO_DAY && model.itemLastDay[p]! > asOf - SEASON_SOLD_WITHIN_DAYS;
  if (mode === "complements") {
    for (const b of touchedA) if (rowA[b]! >= minSupport && sellable(b)) candidates.push(b);
  } else {
    for (let b = 0; b < nP; b++) if (b !== a && n[b]! > 0 && sellable(b) && expected(b) >= minSupport) candidates.push(b);
  }
  for (const b of candidates) {
    let together = rowA[b]!;
    let e = expected(b);
    let deficit = 0;
    let segment: string | undefined;
    if (mode === "substitutes") {
      // the stratum with the strongest shrunk deficit of co-buyers
      for (let s = 0; s < strata; s++) {
        // on data with segments, the customers without one are no segment to report (the result
        // said segment undefined, as for data without segments, with their counts alone)
        if (strata > 1 && s === nS) continue;
        const es = size[s]! > 0 ? (byStratum[s * nV + rank[a]!]! * byStratum[s * nV + rank[b]!]!) / size[s]! : 0;
        if (es < minSupport) continue;
        const ts = togetherS[s * nV + rank[b]!]!;
        const d = 1 - (ts + SHRINK) / (es + SHRINK);
        if (d > deficit) {
          deficit = d;
          together = ts;
          e = es;
          segment = strata > 1 && s < nS ? view.ids.segments.values[s] : undefined;
        }
      }
      if (!(deficit > 0)) continue;
    }
    const lift = e > 0 ? together / e : 0;
    // (with a relative slack: the expected count is summed in floats over the segments, and a lift
    // of exactly 1, 6 ÷ 5.999999999999999, passed as a complement; self-review 2026-12-07)
    if (mode === "complements" && !(e > 0 && together > e * (1 + 1e-12))) continue;
    // profile similarity: cosine of the two profiles over the other products
    const touchedB = co.fullRow(b, rowB);
    let dot = 0, nb = 0;
    for (const j of touchedB) {
      const x = Math.max(0, rowB[j]! / n[b]! - n[j]! / N);
      if (j !== a && j !== b) {
        nb += x * x;
        dot += x * profileA[j]!;
      }
      rowB[j] = 0;
    }
    const na = naAll - profileA[b]! ** 2;
    const profileSimilarity = na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
    const score = mode === "complements" ? (together + 1) / (e + 1) : profileSimilarity * deficit;
    // the Jaccard index of the two buyer sets over all customers (not the segment's co-buyers)
    const union = n[a]! + n[b]! - rowA[b]!;
    out.push({
      productId: view.ids.products.values[b]!,
      name: name(b),
      mode,
      segment,
      score: round(score),
      together,
      expectedTogether: round(e),
      lift: round(lift),
      jaccard: round(union > 0 ? rowA[b]! / union : 0),
      profileSimilarity: round(profileSimilarity),
      buyersOfProduct: n[a]!,
      buyers: n[b]!,
    });
  }
  out.sort((x, y) => y.score - x.score || (x.productId < y.productId ? -1 : x.productId > y.productId ? 1 : 0));
  return out.slice(0, k);
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
