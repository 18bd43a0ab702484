import type { Dataset } from "../dataset.ts";
import { perView } from "./per-view.ts";

/** @internal An off-market product's company-wide silence is longer than this many days... */
export const OFF_MARKET_MIN_DAYS = 28;
/** @internal ...and than this many of its usual company-wide gaps between sales (365 ÷ its sales lines of the year before its last sale)... */
export const OFF_MARKET_GAPS = 8;
/** @internal ...and at least this many habitual buyers (twice or more in its last year) bought it in the last max(14 days, 2 usual gaps) before its last sale and kept ordering other products after it (they all stopped it at once)... */
export const OFF_MARKET_MIN_BUYERS = 3;
/** @internal ...whose stopping buyers span segments, or half of them took up a product first sold within this many days of its last sale (its new id)... */
export const OFF_MARKET_REPLACEMENT_DAYS = 14;
/** @internal ...and sold in this many days up to the same day a year before (so a season's end is no stop). */
export const OFF_MARKET_YEAR_AGO_DAYS = 14;

/**
 * @internal Per product, 1 when it can be sold and judged at the view's as-of day: not marked
 * discontinued (`products.active` false) and not **off the market**: a product that nobody in
 * the data has bought for longer than max({@link OFF_MARKET_MIN_DAYS}, {@link OFF_MARKET_GAPS} ×
 * its usual company-wide gap between sales), after at least {@link OFF_MARKET_MIN_BUYERS} of its
 * habitual buyers bought it in the last max(14 days, 2 usual gaps) before its last sale and kept
 * ordering other products after it (they stopped it at once), two or more of them in each of two
 * segments or half of them taking up a product first sold within
 * {@link OFF_MARKET_REPLACEMENT_DAYS} days of that last sale (its new id), while it was selling in the
 * {@link OFF_MARKET_YEAR_AGO_DAYS} days up to the same day a year before. That is a catalogue or
 * supply event (a SKU renumbered, a shortage, a product discontinued without the flag), not a
 * customer's or a competitor's doing: every habitual buyer read item_dropped, every segment
 * product_vanishing ("a competitor's substitute?") and the tasks said to win back a product nobody
 * can buy (a review, 2026-12-08). A seasonal product out of season (not selling a year before
 * either), a product fading buyer by buyer (few buyers just before its last sale), one whose
 * buyers left the distributor altogether, and one that one segment's buyers all dropped without a
 * new product in its place (a competitor's win: product_vanishing) stay sellable: on the
 * synthetic distributor (seeds 1-3, 300 customers, 2026-10-31) no product is off the market.
 * Built once per view.
 * @param view - a dataset or as-of view (its as-of day, else its last day)
 * @returns 1 sellable, 0 not, by product index
 */
export const sellableProducts: (view: Dataset) => Uint8Array = /* @__PURE__ */ perView((view) => {
  const nP = view.ids.products.size;
  const out = new Uint8Array(nP);
  const { active } = view.products;
  for (let p = 0; p < nP; p++) out[p] = active[p] === 0 ? 0 : 1;
  const asOf = view.asOf ?? view.dayRange?.last;
  if (asOf === undefined) return out;
  const { lines, customerStart, customerEnd } = view;
  const nC = customerEnd.length;
  const last = new Int32Array(nP).fill(-2147483648), firstSale = new Int32Array(nP).fill(2147483647);
  for (let c = 0; c < nC; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (!(lines.quantity[i]! > 0)) continue;
      const p = lines.product[i]!, d = lines.day[i]!;
      if (d > last[p]!) last[p] = d;
      if (d < firstSale[p]!) firstSale[p] = d;
    }
  }
  // only products silent past the shortest stop are counted further
  const silent = new Uint8Array(nP);
  let any = false;
  for (let p = 0; p < nP; p++) {
    if (out[p] === 1 && last[p]! > -2147483648 && asOf - last[p]! > OFF_MARKET_MIN_DAYS) (silent[p] = 1), (any = true);
  }
  if (!any) return out;
  const yearLines = new Float64Array(nP), yearAgo = new Uint8Array(nP);
  const agoTo = asOf - 365, agoFrom = agoTo - OFF_MARKET_YEAR_AGO_DAYS + 1;
  for (let c = 0; c < nC; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const p = lines.product[i]!;
      if (silent[p] === 0 || !(lines.quantity[i]! > 0)) continue;
      const d = lines.day[i]!;
      if (d > last[p]! - 365) yearLines[p]!++;
      if (d >= agoFrom && d <= agoTo) yearAgo[p] = 1;
    }
  }
  // the usual gap, and the candidates: silent past it and selling a year before
  const gap = new Float64Array(nP);
  for (let p = 0; p < nP; p++) {
    if (silent[p] === 0) continue;
    gap[p] = 365 / Math.max(1, yearLines[p]!);
    if (!(asOf - last[p]! > Math.max(OFF_MARKET_MIN_DAYS, OFF_MARKET_GAPS * gap[p]!) && yearAgo[p] === 1)) silent[p] = 0;
  }
  // per customer: its purchases of each candidate in the candidate's last year, whether one was
  // in the final window, and its own last purchase day (of anything)
  const stoppers = new Map<number, number[]>(), stamp = new Uint32Array(nP), count = new Uint32Array(nP), final = new Uint8Array(nP);
  const touched: number[] = [];
  for (let c = 0; c < nC; c++) {
    touched.length = 0;
    let own = Number.NEGATIVE_INFINITY;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (!(lines.quantity[i]! > 0)) continue;
      const d = lines.day[i]!;
      if (d > own) own = d;
      const p = lines.product[i]!;
      if (silent[p] === 0 || d <= last[p]! - 365) continue;
      if (stamp[p] !== c + 1) (stamp[p] = c + 1), (count[p] = 0), (final[p] = 0), touched.push(p);
      count[p]!++;
      if (d > last[p]! - Math.max(14, 2 * gap[p]!)) final[p] = 1;
    }
    for (const p of touched) {
      if (final[p] === 1 && count[p]! >= 2 && own > last[p]!) {
        const list = stoppers.get(p);
        if (list === undefined) stoppers.set(p, [c]);
        else list.push(c);
      }
    }
  }
  // its buyers stopping at once is the company's doing when they span segments (a competitor
  // wins a segment: product_vanishing's case), or when they took up a product new at the time (a
  // renumbered SKU: the new id); a product of one segment's buyers without a replacement may be a
  // competitor's win, and stays watched
  const { segment } = view.customers;
  const seen = new Int32Array(nP).fill(-1), taken = new Uint32Array(nP);
  for (const [p, cs] of stoppers) {
    if (cs.length < OFF_MARKET_MIN_BUYERS) continue;
    // spread: at least two segments with two stoppers each (one cafe beside two retail buyers
    // dropping it was read as spread: a one-segment competitor's win lost its offers; a review)
    const per = new Map<number, number>();
    // (a customer without a segment is in none: three cafes and three unknown customers are one segment's)
    for (const c of cs) if (segment[c]! >= 0) per.set(segment[c]!, (per.get(segment[c]!) ?? 0) + 1);
    let twos = 0;
    for (const k of per.values()) if (k >= 2) twos++;
    const spread = twos >= 2;
    let replaced = false;
    if (!spread) {
      const from = last[p]! - OFF_MARKET_REPLACEMENT_DAYS, to = last[p]! + OFF_MARKET_REPLACEMENT_DAYS;
      for (const c of cs) {
        for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
          const q = lines.product[i]!;
          if (q === p || !(lines.quantity[i]! > 0) || firstSale[q]! < from || firstSale[q]! > to || seen[q] === c) continue;
          seen[q] = c;
          if (++taken[q]! * 2 >= cs.length) replaced = true;
        }
      }
      taken.fill(0);
      seen.fill(-1);
    }
    if (spread || replaced) out[p] = 0;
  }
  return out;
});
