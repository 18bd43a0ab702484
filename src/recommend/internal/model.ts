import type { Dataset } from "../../data/dataset.ts";
import { NO_DAY } from "../../data/internal/no-day.ts";

/**
 * @internal Largest (segments or peer groups + 1) × products table the recommend layer keeps
 * dense (group popularity, the neighbour search's segment ranges, similarProducts' stratified
 * buyer counts): 20M cells, 80-160 MB. Beyond it each falls back to a sparse or unstratified way.
 */
export const MAX_DENSE_CELLS = 20_000_000;

/**
 * @internal A product someone bought within this many days of asOf can still be sold for a season
 * (a season's product sold last year stays): seasonal offers and similarProducts list no other.
 */
export const SEASON_SOLD_WITHIN_DAYS = 400;

/**
 * @internal The basket model behind `recommend()` and `similarProducts()`, built once per call
 * from the purchase lines (returns excluded) of an as-of view: customer x product pairs as CSR
 * typed arrays (customer -> its products, product -> its buyers, customers ascending), per-pair
 * statistics (purchase days, first / last day, time-decayed affinity, quantity, last price) and
 * per-product statistics (buyers, last sale, current list price and cost). No products x products
 * matrix: co-occurrence is computed from these lists, row by row (see `cooccurrence.ts`).
 */
export interface BasketModel {
  /** The as-of view the model was built from. */
  readonly view: Dataset;
  /** The as-of epoch day. */
  readonly asOf: number;
  /** Customers (dictionary size). */
  readonly nC: number;
  /** Products (dictionary size). */
  readonly nP: number;
  /** Customers with at least one purchase. */
  readonly buyers: number;
  /**
   * Products with at least one buyer up to asOf, and each product's rank among them (−1: none).
   * Dense tables of groups x products are indexed by this rank and sized (and allowed) by this
   * count: the dictionary also holds products first sold after asOf, which must change nothing.
   */
  readonly soldProducts: number;
  /** See `soldProducts`. */
  readonly soldRank: Int32Array;
  /** Pairs of customer c: `pairStart[c]` .. `pairStart[c + 1] - 1` (in order of first purchase). */
  readonly pairStart: Int32Array;
  /** Product of each pair. */
  readonly pairProduct: Int32Array;
  /** Customer of each pair. */
  readonly pairCustomer: Int32Array;
  /** Purchase days of the customer that included the product. */
  readonly pairDays: Int32Array;
  /** Occasion index (0-based, among the customer's purchase days) of the first and the last purchase of the product. */
  readonly pairFirstOcc: Int32Array;
  /** See `pairFirstOcc`. */
  readonly pairLastOcc: Int32Array;
  /** Day of the last purchase of the product. */
  readonly pairLastDay: Int32Array;
  /** Time-decayed affinity: Σ over the purchase days of 2^(−(asOf − day) / halfLife). */
  readonly pairWeight: Float64Array;
  /** Total quantity bought. */
  readonly pairQty: Float64Array;
  /** Net unit price of the last purchase line. */
  readonly pairLastPrice: Float64Array;
  /** List price on the last purchase line (NaN when unknown). */
  readonly pairLastList: Float64Array;
  /** Purchase days of each customer. */
  readonly custDays: Int32Array;
  /** Last purchase day of each customer (NO_DAY when none). */
  readonly custLastDay: Int32Array;
  /** Usual discount of each customer: mean of 1 − price / list over its purchase lines of the last 365 days with a list price (all its lines when none); 0 when unknown. */
  readonly custDiscount: Float64Array;
  /** Buyers of product p: `itemCust[itemStart[p]]` .. (customers ascending). */
  readonly itemStart: Int32Array;
  /** See `itemStart`. */
  readonly itemCust: Int32Array;
  /** The pair index of each entry of `itemCust`. */
  readonly itemPair: Int32Array;
  /** Last day anyone bought the product (NO_DAY when never). */
  readonly itemLastDay: Int32Array;
  /** Current list price (products table, else the latest line's); NaN when unknown. */
  readonly itemList: Float64Array;
  /** Current unit cost (products table, else the latest line's); NaN when unknown. */
  readonly itemCost: Float64Array;
  /** 1 when some purchase line of the product has a fractional quantity (sold by weight or volume), else 0: offers round other products' quantities to whole units. */
  readonly itemFractional: Uint8Array;
}

/** @internal Build the basket model of a view at `asOf` (lines after it must already be hidden by the view). */
export function buildBasketModel(view: Dataset, asOf: number, halfLifeDays: number): BasketModel {
  const { lines, customerStart, customerEnd, ids } = view;
  const nC = customerEnd.length;
  const nP = ids.products.size;
  const { day: lineDay, product: lineProduct, quantity: lineQty, unitPrice, listPrice, unitCost } = lines;
  // the exact number of customer x product pairs first (one pass marking each customer's
  // products): the pair arrays are then allocated once at their final size, not grown by doubling
  // (each growth copies every array and writes fresh memory, which costs page faults here)
  const seenBy = new Int32Array(nP).fill(-1);
  let cap = 0;
  for (let c = 0; c < nC; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const p = lineProduct[i]!;
      if (seenBy[p] !== c && lineQty[i]! > 0) {
        seenBy[p] = c;
        cap++;
      }
    }
  }
  const pairProduct = new Int32Array(cap), pairCustomer = new Int32Array(cap), pairDays = new Int32Array(cap);
  const pairFirstOcc = new Int32Array(cap), pairLastOcc = new Int32Array(cap), pairLastDay = new Int32Array(cap);
  const pairWeight = new Float64Array(cap), pairQty = new Float64Array(cap), pairLastPrice = new Float64Array(cap), pairLastList = new Float64Array(cap);
  const pairStart = new Int32Array(nC + 1);
  const custDays = new Int32Array(nC), custLastDay = new Int32Array(nC).fill(NO_DAY), custDiscount = new Float64Array(nC);
  const itemCount = new Int32Array(nP), itemLastDay = new Int32Array(nP).fill(NO_DAY);
  const itemFractional = new Uint8Array(nP);
  const lastListDay = new Int32Array(nP).fill(NO_DAY), lastCostDay = new Int32Array(nP).fill(NO_DAY);
  const lineList = new Float64Array(nP).fill(Number.NaN), lineCost = new Float64Array(nP).fill(Number.NaN);
  const slot = new Int32Array(nP).fill(-1);
  const ln2h = Math.LN2 / halfLifeDays;
  // decay per day offset, cached (most lines fall within a few years)
  const decayCache = new Float64Array(4096).fill(-1);
  const decay = (age: number): number => {
    if (age < 4096) {
      let d = decayCache[age]!;
      if (d < 0) decayCache[age] = d = Math.exp(-ln2h * age);
      return d;
    }
    return Math.exp(-ln2h * age);
  };
  let nPairs = 0, buyers = 0;
  for (let c = 0; c < nC; c++) {
    pairStart[c] = nPairs;
    const lo = customerStart[c]!, hi = customerEnd[c]!;
    let occ = -1, lastDay = Number.NaN;
    let discSum = 0, discN = 0, discAllSum = 0, discAllN = 0;
    const start = nPairs;
    for (let i = lo; i < hi; i++) {
      const q = lineQty[i]!;
      if (!(q > 0)) continue;
      const d = lineDay[i]!;
      if (d !== lastDay) {
        occ++;
        lastDay = d;
      }
      const p = lineProduct[i]!;
      const price = unitPrice[i]!, list = listPrice[i]!, cost = unitCost[i]!;
      if (list > 0) {
        const disc = 1 - price / list;
        discAllSum += disc;
        discAllN++;
        if (d > asOf - 365) {
          discSum += disc;
          discN++;
        }
        if (d >= lastListDay[p]!) {
          lastListDay[p] = d;
          lineList[p] = list;
        }
      }
      if (cost >= 0 && d >= lastCostDay[p]!) {
        lastCostDay[p] = d;
        lineCost[p] = cost;
      }
      if (d > itemLastDay[p]!) itemLastDay[p] = d;
      if (q !== Math.floor(q)) itemFractional[p] = 1;
      let k = slot[p]!;
      if (k < 0) {
        k = nPairs++;
        slot[p] = k;
        pairProduct[k] = p;
        pairCustomer[k] = c;
        pairDays[k] = 0;
        pairFirstOcc[k] = occ;
        pairLastOcc[k] = -1;
        pairWeight[k] = 0;
        pairQty[k] = 0;
        itemCount[p]!++;
      }
      if (pairLastOcc[k] !== occ) {
        pairDays[k]!++;
        pairLastOcc[k] = occ;
        pairLastDay[k] = d;
        pairWeight[k]! += decay(Math.max(0, asOf - d));
      }
      pairQty[k]! += q;
      pairLastPrice[k] = price;
      pairLastList[k] = list > 0 ? list : Number.NaN;
    }
    for (let k = start; k < nPairs; k++) slot[pairProduct[k]!] = -1;
    custDays[c] = occ + 1;
    if (occ >= 0) {
      custLastDay[c] = lastDay;
      buyers++;
    }
    custDiscount[c] = discN > 0 ? discSum / discN : discAllN > 0 ? discAllSum / discAllN : 0;
  }
  pairStart[nC] = nPairs;
  // transpose: product -> buyers (customers ascending, because pairs are in customer order)
  const itemStart = new Int32Array(nP + 1);
  for (let p = 0; p < nP; p++) itemStart[p + 1] = itemStart[p]! + itemCount[p]!;
  const soldRank = new Int32Array(nP);
  let soldProducts = 0;
  for (let p = 0; p < nP; p++) soldRank[p] = itemCount[p]! > 0 ? soldProducts++ : -1;
  const itemCust = new Int32Array(nPairs), itemPair = new Int32Array(nPairs);
  const cursor = itemStart.slice(0, nP);
  for (let k = 0; k < nPairs; k++) {
    const at = cursor[pairProduct[k]!]!++;
    itemCust[at] = pairCustomer[k]!;
    itemPair[at] = k;
  }
  const itemList = new Float64Array(nP), itemCost = new Float64Array(nP);
  const { listPrice: tableList, unitCost: tableCost } = view.products;
  for (let p = 0; p < nP; p++) {
    itemList[p] = tableList[p]! > 0 ? tableList[p]! : lineList[p]!;
    itemCost[p] = tableCost[p]! >= 0 ? tableCost[p]! : lineCost[p]!;
  }
  return {
    view,
    asOf,
    nC,
    nP,
    buyers,
    soldProducts,
    soldRank,
    pairStart,
    pairProduct,
    pairCustomer,
    pairDays,
    pairFirstOcc,
    pairLastOcc,
    pairLastDay,
    pairWeight,
    pairQty,
    pairLastPrice,
    pairLastList,
    custDays,
    custLastDay,
    custDiscount,
    itemStart,
    itemCust,
    itemPair,
    itemLastDay,
    itemList,
    itemCost,
    itemFractional,
  };
}
