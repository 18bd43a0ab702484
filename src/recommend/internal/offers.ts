import { iso, isoLtr } from "../../data/internal/bidi.ts";
import { sellableProducts } from "../../data/internal/sellable.ts";
import { inReferenceUnit, saleUnitPrice } from "../../data/internal/sale-unit.ts";
import { percentOf, shownRound } from "../../data/internal/shown-round.ts";
import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import { formatDay } from "../../data/format-day.ts";
import { lowerBound, upperBound } from "../../data/internal/bounds.ts";
import type { PatternModel } from "../../patterns/fit-patterns.ts";
import type { Offer, OfferKind, OfferLocale } from "../types.ts";
import { cooccurrence, indexIn, type Cooccurrence } from "./cooccurrence.ts";
import { lowerBoundInt } from "./int-search.ts";
import { SEASON_SOLD_WITHIN_DAYS, type BasketModel } from "./model.ts";
import { neighborFinder, type NeighborFinder } from "./neighbors.ts";
import { clampPrice, weightedMedianIndex, weightedMedianOf } from "./price.ts";
import { topIndices } from "./top-k.ts";
import { bySegment, groupPopularity, type GroupPopularity } from "./group-popularity.ts";
import { NO_DAY } from "../../data/internal/no-day.ts";
import { purchaseDayIndex } from "../../data/internal/purchase-days.ts";
import { inferClosures, monthOf, openDaysBetween } from "../../patterns/internal/customer-calendar.ts";

/** @internal Settings of one recommend() call, defaults filled in. */
export interface OfferSettings {
  k: number;
  kinds: ReadonlySet<OfferKind>;
  minMargin: number;
  blocked: Uint8Array;
  halfLifeDays: number;
  neighbors: number;
  minSupport: number;
  activeWithinDays: number;
  locale: OfferLocale;
  model: PatternModel | undefined;
  /** Internal tuning knobs (tests and benchmarks). */
  tuning: Tuning;
}

/** @internal Scoring knobs with their defaults (docs/recommend.md explains them). */
export interface Tuning {
  /** Pseudo-buyers added to the union in the item-item Jaccard: together / (nᵢ + nⱼ − together + shrink). */
  shrink: number;
  /** Weights of the item-based, neighbour-based and rule-based estimates in the cross-sell score. */
  wItem: number;
  wPeers: number;
  wRule: number;
  /** Weight of segment popularity (only with segments: popularity over everyone is left out). */
  wFam: number;
  /** Co-occurrence neighbours kept per product. */
  maxNeighbors: number;
  /** Anchor products per customer for rules (pairs among them). */
  anchors: number;
  /** Candidates re-scored with rules, as a multiple of k. */
  ruleCandidates: number;
  /** Posting-list entries visited per customer at most by the neighbour search. */
  visitBudget: number;
  /**
   * On data without segments, the neighbour weight, co-occurrence neighbours and shrink used
   * instead (the item-item score is then most of the cross-sell evidence: docs/recommend.md).
   */
  withoutSegments: { wPeers: number; maxNeighbors: number; shrink: number };
}

/** @internal Default tuning. */
export const DEFAULT_TUNING: Tuning = {
  shrink: 3,
  wItem: 1,
  wPeers: 0.25,
  wRule: 0.5,
  wFam: 3,
  maxNeighbors: 150,
  anchors: 4,
  ruleCandidates: 3,
  visitBudget: 15_000,
  withoutSegments: { wPeers: 0, maxNeighbors: 2000, shrink: 0 },
};

/** Share of a habit's inclusion probability credited to a repurchase / win-back offer (the customer might reorder unprompted). */
const REPURCHASE_CREDIT = 0.5;
const WINBACK_CREDIT = 0.4;
/**
 * Days over which a win-back offer's score halves, counted from when the dropped item was due (its
 * last purchase + the customer's mean gap ÷ the item's inclusion): the longer a customer has bought
 * the item elsewhere, the less likely an offer brings it back (the value model's win-back
 * half-life for customers, docs/tasks.md; Thomas, Blattberg & Fox 2004).
 */
const WINBACK_HALF_LIFE_DAYS = 90;
/**
 * Pseudo purchase days of the customer's whole-history rate of a product in an own seasonal
 * offer's estimate (as the family season index's κ = 10): one purchase on the one order of last
 * year's window is not a 2-in-3 habit.
 */
const SEASON_OWN_PSEUDO_DAYS = 10;
/** Below this probability of the current run of misses under the habit, over the customer's habits tested (Bonferroni), an item is dropped (win-back), else at most due (repurchase). */
const DROPPED_BELOW = 0.05;
/** Seasonal index of the coming month needed for a "season is starting" (1 = an average month). */
const SEASON_START_INDEX = 1.2;

/** The rule pass re-scores the best max(k, RULE_POOL_K) × ruleCandidates candidates: one pool for every k up to the default 10. */
const RULE_POOL_K = 10;

/**
 * Anchor pairs bought by at least this many customers have their rules counted once per call and
 * kept (staples: counted again for each customer, their rules cost every customer's basket per
 * customer, quadratic in the customers), up to PAIR_RULES_MAX kept (product, count) entries.
 */
const PAIR_RULES_FROM = 64;
const PAIR_RULES_MAX = 4_000_000;

/** The rules of one anchor pair: its buyers (every customer who buys both) and, per product at least minSupport of them buy, how many do. */
interface PairRules {
  readonly buyers: number;
  readonly products: Int32Array;
  readonly counts: Int32Array;
}

/**
 * An offer's score as its contract states it: a probability, so at most 1 (a cross-sell share
 * times a rule's boost, or a product's share computed alone times a season's index, can pass 1 on
 * a small catalogue), rounded to 6 decimals (the draft's score and the offer's are the same number).
 */
function probability(score: number): number {
  return round(Math.min(1, score), 6);
}

/** An offer before its texts: product, rounded score, and how to build it (messages are built for the final k only). */
interface Draft {
  readonly p: number;
  readonly score: number;
  readonly make: () => Offer;
}

/** @internal The per-customer offer maker over one basket model. */
export interface OfferMaker {
  /**
   * Offers of customer c, best first, at most k.
   * @param c - customer index
   * @returns the offers
   */
  offersFor(c: number): Offer[];
  /** Offers dropped because cost × (1 + minMargin) exceeded the list price. */
  readonly dropped: { unpriceable: number };
}

/** @internal Build an offer maker. */
export function offerMaker(model: BasketModel, s: OfferSettings): OfferMaker {
  const { view, asOf, nP, pairStart, pairProduct, pairWeight, pairDays, pairLastOcc, pairFirstOcc, pairLastDay, pairQty, pairLastPrice, pairLastList, itemStart, itemCust, itemPair, itemList, itemCost, itemFractional, custDays, custDiscount } = model;
  const t = s.tuning;
  const N = Math.max(1, model.buyers);
  // popularity within the customer's segment says something about this customer; popularity over
  // everyone (no segments) does not, and as a third of the blend it crowded out the basket
  // evidence on data where item-item structure carries the signal. Likewise the nearest customers
  // over everyone (no segments) add nothing the item-item score does not know and dilute it; the
  // item-item score, then the whole estimate, gets fuller rows without shrinkage (docs/recommend.md)
  const segmented = bySegment(model);
  const { wPeers, maxNeighbors, shrink } = segmented ? t : t.withoutSegments;
  const co: Cooccurrence | undefined = s.kinds.has("cross_sell") ? cooccurrence(model, maxNeighbors, shrink) : undefined;
  const wFam = s.kinds.has("cross_sell") && segmented ? t.wFam : 0;
  const fam: GroupPopularity | undefined = wFam > 0 ? groupPopularity(model) : undefined;
  const needPeers = s.kinds.has("cross_sell") || s.kinds.has("seasonal");
  const finder: NeighborFinder | undefined = needPeers ? neighborFinder(model, s.neighbors, t.visitBudget) : undefined;
  // offerable: not blocked, not inactive nor off the market (sellableProducts: a renumbered SKU
  // was offered for win-back to every buyer), sold by someone lately
  const active = sellableProducts(view);
  const offerable = new Uint8Array(nP), seasonOfferable = new Uint8Array(nP);
  for (let p = 0; p < nP; p++) {
    if (s.blocked[p] || active[p] === 0) continue;
    const last = model.itemLastDay[p]!;
    if (last !== NO_DAY && last > asOf - s.activeWithinDays) offerable[p] = 1;
    if (last !== NO_DAY && last > asOf - SEASON_SOLD_WITHIN_DAYS) seasonOfferable[p] = 1;
  }
  const buyers = (p: number): number => itemStart[p + 1]! - itemStart[p]!;
  const ln2h = Math.LN2 / s.halfLifeDays;
  const seasons = s.kinds.has("seasonal") ? startingSeasons(model) : undefined;

  // per-call scratch, reused across customers (no per-customer allocation in the scoring loops)
  const own = new Int32Array(nP).fill(-1); // pair index of the current customer's product, else −1
  const sItem = new Float64Array(nP), sPeer = new Float64Array(nP), sFam = new Float64Array(nP), ruleConf = new Float64Array(nP);
  const ruleA = new Int32Array(nP), ruleB = new Int32Array(nP), ruleN = new Int32Array(nP), ruleS = new Int32Array(nP);
  // products reached by the current customer's passes; offerable and not owned by it (1 / 0)
  const hit = new Uint8Array(nP);
  const reached = new Int32Array(nP);
  let nReached = 0;
  const ok = new Float64Array(nP);
  for (let p = 0; p < nP; p++) ok[p] = offerable[p]!;
  // stamp[j] === epoch: a candidate of the current customer; === −epoch: owned by it; NEVER: not offerable
  const NEVER = -0x7fffffff;
  const stamp = new Int32Array(nP);
  for (let p = 0; p < nP; p++) if (!offerable[p]) stamp[p] = NEVER;
  const candStamp = new Int32Array(nP); // among the rule candidates when === epoch
  let epoch = 0;
  const cnt = new Int32Array(nP);
  const cand = new Int32Array(nP); // the current customer's candidates
  let base = new Float64Array(1024);
  let both = new Int32Array(1024);
  const touchedRule = new Int32Array(nP);
  const rankP = new Int32Array(nP), rankV = new Float64Array(nP);
  const nbrIdx = new Int32Array(s.neighbors), nbrSim = new Float64Array(s.neighbors);
  // the current customer's neighbours' pairs by product, recorded by the peer pass (which visits
  // them all anyway): peerHead[j] is the last node of j, nodeNext the one before it (so neighbour
  // order reversed), nodePair the neighbour's pair, nodeX the neighbour's rank. peerQuotes walks
  // these instead of a binary search of j's buyers per neighbour and a lookup of the pair (~1M
  // searches per call at 1M lines). Valid while peerListsOf is the customer; products reached by
  // the peer pass are in `reached`, whose heads are reset with the scores.
  const peerHead = new Int32Array(nP).fill(-1);
  let nodePair = new Int32Array(4096), nodeNext = new Int32Array(4096), nodeX = new Int32Array(4096);
  let peerListsOf = -1;
  let peerStack = new Int32Array(64);
  let finalJ = new Int32Array(64), finalS = new Float64Array(64);
  // the current customer's blend weights, for the cross-sell score of any candidate (seasonal offers of new products)
  const xs = { wi: 0, wp: 0, wf: 0, wTot: 0 };
  const sum1 = new Float64Array(1); // the item pass's running sum (scatterRow continues it)
  /** Cross-sell score of product j for the current customer (0 when j is not a candidate). */
  const crossSellScore = (c: number, j: number, nn: number): number => {
    // (an owned product is no cross-sell, also when no one sold it lately: such a product keeps its
    // never-offerable stamp instead of the owned one, and came back as a seasonal peers' offer)
    if (!co || !(xs.wTot > 0) || stamp[j] === -epoch || own[j]! >= 0) return 0;
    if (stamp[j] === epoch) return ((sItem[j]! * xs.wi + sPeer[j]! * xs.wp + sFam[j]! * xs.wf) / xs.wTot) * ruleBoost(j);
    // not a candidate (e.g. not sold in activeWithinDays): the same estimates, computed for j alone
    let item = 0, peer = 0;
    for (let e = pairStart[c]!; e < pairStart[c + 1]!; e++) {
      const i = pairProduct[e]!;
      const q = indexIn(co.row(i).nbr, j);
      if (q >= 0) item += pairWeight[e]! * co.row(i).sim[q]!;
    }
    const j0 = itemStart[j]!, j1 = itemStart[j + 1]!;
    for (let x = 0; x < nn; x++) {
      const at = lowerBoundInt(itemCust, nbrIdx[x]!, j0, j1);
      if (at < j1 && itemCust[at] === nbrIdx[x]) peer += nbrSim[x]!;
    }
    const f = fam ? fam.candidates(c).prob[j] ?? 0 : 0;
    return (item * xs.wi + peer * xs.wp + f * xs.wf) / xs.wTot;
  };
  /**
   * The score factor of the best rule naming j: 1 + wRule × its added value, confidence − P(j)
   * (how much more often "customers who buy A and B" buy j than customers at large; confidence
   * alone favours what everyone buys). 1 when no rule names j.
   */
  const ruleBoost = (j: number): number => {
    const conf = ruleConf[j]!;
    return conf > 0 ? 1 + t.wRule * Math.max(0, conf - buyers(j) / N) : 1;
  };
  const bestDraft: (Draft | undefined)[] = new Array<Draft | undefined>(nP).fill(undefined);
  const bestList = new Int32Array(nP);
  // product order by id (the tie order of offers with equal scores)
  const idRank = new Int32Array(nP);
  {
    const ids = view.ids.products.values;
    const order = Array.from({ length: nP }, (_, p) => p).sort((x, y) => (ids[x]! < ids[y]! ? -1 : ids[x]! > ids[y]! ? 1 : 0));
    for (let r = 0; r < nP; r++) idRank[order[r]!] = r;
  }
  let mVals = new Float64Array(256), mWts = new Float64Array(256), mQty = new Float64Array(256);
  const dropped = { unpriceable: 0 };
  const hebrew = s.locale === "he";
  const label = (p: number): string => {
    const n = view.products.name[p];
    return n !== undefined && n !== "" ? n : view.ids.products.values[p]!;
  };

  const offersFor = (c: number): Offer[] => {
    const a = pairStart[c]!, b = pairStart[c + 1]!;
    if (a === b) return [];
    for (let e = a; e < b; e++) own[pairProduct[e]!] = e;
    let nBest = 0;
    const put = (d: Draft | undefined): void => {
      if (!d) return;
      const prev = bestDraft[d.p];
      if (prev === undefined) {
        bestDraft[d.p] = d;
        bestList[nBest++] = d.p;
      } else if (d.score > prev.score) bestDraft[d.p] = d;
    };
    let nn = 0;
    if (finder) nn = finder.find(c, nbrIdx, nbrSim);
    const customerId = view.ids.customers.values[c]!;
    const customerName = view.customers.name[c] ?? customerId;
    epoch++;
    for (let e = a; e < b; e++) if (stamp[pairProduct[e]!] !== NEVER) stamp[pairProduct[e]!] = -epoch;

    if (co) {
      // (a) item-based: Σ affinity(c, i) · J(i, j), J shrunk; (b) peers: Σ sim(c, u) [u buys j] / Σ sim.
      // The passes add into every product they reach (listed in `reached` at its first hit) and
      // the candidates, the reached products that are offerable and not owned, are taken from that
      // list after them. A sum only counts the candidates: each term is multiplied by ok[j] (1 or
      // 0), which gives the same floating-point sum as adding the candidates' terms alone, in the
      // same order. The previous customer's scores are cleared over its own reached list (never a
      // pass over every product: catalogues of 50,000 products)
      const ep = epoch;
      const hitMark = hit, okMark = ok, list = reached;
      for (let k = 0; k < nReached; k++) {
        const j = list[k]!;
        sItem[j] = 0;
        sPeer[j] = 0;
        sFam[j] = 0;
        ruleConf[j] = 0;
        peerHead[j] = -1;
      }
      peerListsOf = -1;
      let nr = 0;
      for (let e = a; e < b; e++) okMark[pairProduct[e]!] = 0;
      // the shrunk Jaccard similarity J(i, j) (SAR's default; P(j | i) = together / nᵢ favours
      // products everyone buys); the rows' loop runs Σ owned × row length (11M times at 1M lines)
      sum1[0] = 0;
      for (let e = a; e < b; e++) {
        const { nbr, sim } = co.row(pairProduct[e]!);
        nr = scatterRow(nbr, sim, pairWeight[e]!, sItem, okMark, hitMark, list, nr, sum1);
      }
      const iSum = sum1[0]!;
      let pSum = 0;
      let nodes = 0;
      for (let x = 0; x < nn; x++) {
        const u = nbrIdx[x]!, su = nbrSim[x]!;
        const u0 = pairStart[u]!, u1 = pairStart[u + 1]!;
        if (nodes + (u1 - u0) > nodePair.length) {
          const cap = Math.max(nodes + (u1 - u0), nodePair.length * 2);
          nodePair = growI(nodePair, cap);
          nodeNext = growI(nodeNext, cap);
          nodeX = growI(nodeX, cap);
        }
        for (let e = u0; e < u1; e++) {
          const j = pairProduct[e]!;
          sPeer[j]! += su;
          pSum += su * okMark[j]!;
          if (hitMark[j] === 0) {
            hitMark[j] = 1;
            list[nr++] = j;
          }
          nodePair[nodes] = e;
          nodeX[nodes] = x;
          nodeNext[nodes] = peerHead[j]!;
          peerHead[j] = nodes++;
        }
      }
      peerListsOf = c;
      let fSum = 0;
      if (fam) {
        const { top, prob } = fam.candidates(c);
        for (let q = 0; q < top.length; q++) {
          const j = top[q]!;
          const v = prob[j]!;
          if (okMark[j] === 0 || !(v > 0)) continue;
          sFam[j]! += v;
          fSum += v;
          if (hitMark[j] === 0) {
            hitMark[j] = 1;
            list[nr++] = j;
          }
        }
      }
      nReached = nr;
      let nCand = 0;
      for (let k = 0; k < nr; k++) {
        const j = list[k]!;
        hitMark[j] = 0;
        if (okMark[j] === 0) continue;
        stamp[j] = ep;
        cand[nCand++] = j;
      }
      for (let e = a; e < b; e++) okMark[pairProduct[e]!] = offerable[pairProduct[e]!]!;
      // each estimate as a distribution over the candidates, then their weighted mean
      const wi = iSum > 0 ? t.wItem / iSum : 0, wp = pSum > 0 ? wPeers / pSum : 0, wf = fSum > 0 ? wFam / fSum : 0;
      const wTot = (iSum > 0 ? t.wItem : 0) + (pSum > 0 ? wPeers : 0) + (fSum > 0 ? wFam : 0);
      xs.wi = wi;
      xs.wp = wp;
      xs.wf = wf;
      xs.wTot = wTot;
      if (base.length < nCand) base = new Float64Array(Math.max(nCand, base.length * 2));
      for (let q = 0; q < nCand; q++) {
        const j = cand[q]!;
        base[q] = wTot > 0 ? (sItem[j]! * wi + sPeer[j]! * wp + sFam[j]! * wf) / wTot : 0;
      }
      // the best candidates, re-scored with rules "who buy A and B also buy C"; offers (with their
      // price) made for the best k of them only
      // (the pool is the same for every k up to RULE_POOL_K, so the offers for k = 3 are the first 3
      // of those for k = 10: with a pool of 3k, a product re-scored at k = 10 and not at k = 3 could
      // pass another, and a peers' seasonal offer's score, which reads the rule boost, moved too)
      const top = topIndices(base, nCand, Math.min(nCand, Math.max(s.k, RULE_POOL_K) * t.ruleCandidates), cand);
      for (let q = 0; q < top.length; q++) candStamp[cand[top[q]!]!] = ep;
      findRules(c, ep);
      // re-scored candidates by (score descending, product ascending): an insertion sort into
      // scratch arrays (k × ruleCandidates entries; no objects or closure sort per customer)
      const nFinal = top.length;
      if (finalJ.length < nFinal) {
        finalJ = new Int32Array(nFinal);
        finalS = new Float64Array(nFinal);
      }
      for (let q = 0; q < nFinal; q++) {
        const j = cand[top[q]!]!, score = base[top[q]!]! * ruleBoost(j);
        let at = q;
        while (at > 0 && (finalS[at - 1]! < score || (finalS[at - 1] === score && finalJ[at - 1]! > j))) {
          finalJ[at] = finalJ[at - 1]!;
          finalS[at] = finalS[at - 1]!;
          at--;
        }
        finalJ[at] = j;
        finalS[at] = score;
      }
      let made = 0;
      for (let q = 0; q < nFinal; q++) {
        if (made === s.k) break;
        const j = finalJ[q]!, score = finalS[q]!;
        // no evidence, no offer: a candidate reached only by a pass weighted 0 (the neighbours
        // without segments) whose item row was cut scored 0 and read "often bought with A"
        if (!(score > 0)) break;
        const o = crossSellOffer(c, customerId, customerName, j, score, nn);
        if (o) {
          put(o);
          made++;
        }
      }
    }
    if (s.kinds.has("repurchase") || s.kinds.has("winback")) {
      rhythmOffers(c, customerId, put);
    }
    if (seasons && seasons.starting.length > 0) {
      seasonalOffers(c, customerId, nn, put);
    }
    // the best k (score descending, then product id), built with their texts
    const drafts: Draft[] = new Array(nBest);
    for (let q = 0; q < nBest; q++) {
      drafts[q] = bestDraft[bestList[q]!]!;
      bestDraft[bestList[q]!] = undefined;
    }
    drafts.sort((x, y) => y.score - x.score || idRank[x.p]! - idRank[y.p]!);
    const out: Offer[] = new Array(Math.min(s.k, nBest));
    for (let q = 0; q < out.length; q++) out[q] = drafts[q]!.make();
    for (let e = a; e < b; e++) own[pairProduct[e]!] = -1;
    return out;
  };

  /** Rules over pairs of the customer's anchor products (highest affinity × idf); fills ruleConf/ruleA/ruleB/ruleN/ruleS of the candidates (candStamp === ep). */
  const findRules = (c: number, ep: number): void => {
    const a = pairStart[c]!, b = pairStart[c + 1]!;
    // the anchors: the t.anchors best by (v descending, product ascending), by repeated scans
    let nr = 0;
    for (let e = a; e < b; e++) {
      const p = pairProduct[e]!;
      const n = buyers(p);
      if (n < s.minSupport + 1) continue;
      rankP[nr] = p;
      rankV[nr++] = pairWeight[e]! * Math.log(1 + N / n);
    }
    const anchors: number[] = [];
    for (let i = 0; i < Math.min(t.anchors, nr); i++) {
      let bi = -1;
      for (let r = 0; r < nr; r++) {
        if (rankP[r]! < 0) continue;
        if (bi < 0 || rankV[r]! > rankV[bi]! || (rankV[r] === rankV[bi] && rankP[r]! < rankP[bi]!)) bi = r;
      }
      anchors.push(rankP[bi]!);
      rankP[bi] = -1;
    }
    anchors.sort((x, y) => x - y);
    for (let x = 0; x < anchors.length; x++) {
      for (let y = x + 1; y < anchors.length; y++) {
        const pa = anchors[x]!, pb = anchors[y]!;
        // a pair many customers buy (staples) is counted once per call and kept: its rules are
        // every customer's who buys both (customer c among them: c buys its anchors), less c,
        // who buys none of its candidates, so only the buyers of both less one differ
        const key = pa * nP + pb;
        let kept = pairRules.get(key);
        let nab: number;
        if (kept !== undefined) nab = kept.buyers - 1;
        else {
          // customers who buy both (other than c), ascending: the shorter buyer list searched in the
          // longer (a staple bought by every customer made a merge of every customer, per customer)
          nab = buyersOfBoth(pa, pb, c);
          if (nab + 1 >= PAIR_RULES_FROM && pairRulesSize < PAIR_RULES_MAX) {
            kept = countPair(nab, c);
            pairRules.set(key, kept);
            pairRulesSize += kept.products.length;
          }
        }
        if (nab < s.minSupport) continue;
        if (kept !== undefined) {
          const { products, counts } = kept;
          for (let q = 0; q < products.length; q++) {
            const p = products[q]!;
            if (candStamp[p] === ep) noteRule(p, counts[q]!, nab, pa, pb);
          }
          continue;
        }
        let nt = 0;
        for (let q = 0; q < nab; q++) {
          const u = both[q]!;
          for (let e = pairStart[u]!; e < pairStart[u + 1]!; e++) {
            const p = pairProduct[e]!;
            if (candStamp[p] !== ep) continue;
            if (cnt[p]!++ === 0) touchedRule[nt++] = p;
          }
        }
        for (let q = 0; q < nt; q++) {
          const p = touchedRule[q]!;
          const n = cnt[p]!;
          cnt[p] = 0;
          noteRule(p, n, nab, pa, pb);
        }
      }
    }
  };
  /**
   * A rule "buyers of pa and pb (nab of them) also buy p (n of them)": kept for p when it has the
   * support and the best confidence so far; of rules as confident, the one with more buyers behind
   * it (the first pair in anchor order when those tie too). The first pair won every tie, so
   * which of "100% of 5" and "100% of 8" an offer cited followed the product ids (review 2026-12-07).
   */
  const noteRule = (p: number, n: number, nab: number, pa: number, pb: number): void => {
    if (n < s.minSupport) return;
    const conf = n / nab;
    if (conf > ruleConf[p]! || (conf === ruleConf[p]! && n > ruleS[p]!)) {
      ruleConf[p] = conf;
      ruleA[p] = pa;
      ruleB[p] = pb;
      ruleN[p] = nab;
      ruleS[p] = n;
    }
  };
  /** The customers other than c who buy both pa and pb, ascending, into `both`; returns how many. */
  const buyersOfBoth = (pa: number, pb: number, c: number): number => {
    let i = itemStart[pa]!, ie = itemStart[pa + 1]!, j = itemStart[pb]!, je = itemStart[pb + 1]!;
    if (ie - i > je - j) [i, ie, j, je] = [j, je, i, ie];
    if (both.length < ie - i) both = new Int32Array(Math.max(both.length * 2, ie - i));
    let nab = 0;
    // the shorter list's customers looked up in the longer one (a merge when they are alike in length)
    const search = (je - j) > 8 * (ie - i);
    for (; i < ie && j < je; i++) {
      const u = itemCust[i]!;
      if (search) j = lowerBoundInt(itemCust, u, j, je);
      else while (j < je && itemCust[j]! < u) j++;
      if (j < je && itemCust[j] === u) {
        if (u !== c) both[nab++] = u;
        j++;
      }
    }
    return nab;
  };
  /**
   * How many buyers of a pair buy each product: over the `nab` customers in `both` and customer c
   * (also a buyer of both), the products at least minSupport of them buy (a rule needs that many).
   */
  const countPair = (nab: number, c: number): PairRules => {
    // (in the rule pass's own counters, cnt and touchedRule: all zero between pairs)
    let nt = 0;
    const add = (u: number): void => {
      for (let e = pairStart[u]!; e < pairStart[u + 1]!; e++) {
        const p = pairProduct[e]!;
        if (cnt[p]!++ === 0) touchedRule[nt++] = p;
      }
    };
    for (let q = 0; q < nab; q++) add(both[q]!);
    add(c);
    let m = 0;
    for (let q = 0; q < nt; q++) if (cnt[touchedRule[q]!]! >= s.minSupport) m++;
    const products = new Int32Array(m), counts = new Int32Array(m);
    m = 0;
    for (let q = 0; q < nt; q++) {
      const p = touchedRule[q]!;
      const n = cnt[p]!;
      cnt[p] = 0;
      if (n < s.minSupport) continue;
      products[m] = p;
      counts[m++] = n;
    }
    return { buyers: nab + 1, products, counts };
  };
  const pairRules = new Map<number, PairRules>();
  let pairRulesSize = 0;

  // price references from all buyers of a product (cross-sell offers no neighbour of the customer
  // buys): the median buyer's relative price and discount divisor, and the median quantity
  // recency weight of pair k's last price (half-life halfLifeDays), computed once per pair
  const pairDecay = new Float64Array(pairProduct.length).fill(-1);
  const decayOf = (k: number): number => {
    const d = pairDecay[k]!;
    return d >= 0 ? d : (pairDecay[k] = Math.exp(-ln2h * Math.max(0, asOf - pairLastDay[k]!)));
  };
  const fbIndex = new Int32Array(nP).fill(-2); // −2: not computed; −1: no valid price
  const fbRel: number[] = [], fbDisc: number[] = [];
  const fbQty = new Float64Array(nP);
  const fallbackOf = (j: number): number => {
    if (fbIndex[j] !== -2) return fbIndex[j]!;
    const listNow = itemList[j]!;
    const j0 = itemStart[j]!, j1 = itemStart[j + 1]!;
    const m = j1 - j0;
    const rel = new Float64Array(m), disc = new Float64Array(m), key = new Float64Array(m), w = new Float64Array(m), q = new Float64Array(m);
    for (let e = j0; e < j1; e++) {
      const u = itemCust[e]!, k = itemPair[e]!;
      const lastList = pairLastList[k]!;
      const paid = pairLastPrice[k]!;
      const x = e - j0;
      rel[x] = lastList > 0 && listNow > 0 ? (paid / lastList) * listNow : paid;
      disc[x] = Math.max(0.05, 1 - custDiscount[u]!);
      key[x] = rel[x]! / disc[x]!;
      w[x] = decayOf(k);
      q[x] = pairQty[k]! / pairDays[k]!;
    }
    fbQty[j] = weightedMedianOf(q, w, m);
    const at = weightedMedianIndex(key, w, m);
    let f = -1;
    if (at >= 0) {
      f = fbRel.length;
      fbRel.push(rel[at]!);
      fbDisc.push(disc[at]!);
    }
    fbIndex[j] = f;
    return f;
  };

  /**
   * The quotes of the current customer's neighbours who buy product j, in neighbour order, into
   * mVals (the price each paid last, scaled to today's list and to customer c's usual discount),
   * mWts (similarity × recency of that purchase) and mQty (its quantity per purchase day): what a
   * cross-sell's price and quantity, and a peers' seasonal offer's quantity, are the weighted
   * medians of. Each neighbour's pair comes from the peer pass's lists (peerHead), else (no
   * cross-sell pass for this customer) from a binary search of j's ascending buyer list.
   * @returns how many neighbours buy j
   */
  const peerQuotes = (c: number, j: number, nn: number): number => {
    let n = 0;
    const dc = custDiscount[c]!;
    const listNow = itemList[j]!;
    const j0 = itemStart[j]!, j1 = itemStart[j + 1]!;
    // with the peer pass's lists: the nodes of j, back into neighbour order
    let m = -1;
    if (peerListsOf === c) {
      m = 0;
      for (let v = peerHead[j]!; v >= 0; v = nodeNext[v]!) {
        if (m === peerStack.length) peerStack = growI(peerStack, m * 2);
        peerStack[m++] = v;
      }
    }
    const steps = m >= 0 ? m : nn;
    for (let step = 0; step < steps; step++) {
      let x: number, k: number;
      if (m >= 0) {
        const v = peerStack[m - 1 - step]!;
        x = nodeX[v]!;
        k = nodePair[v]!;
      } else {
        x = step;
        const at = lowerBoundInt(itemCust, nbrIdx[x]!, j0, j1);
        if (at >= j1 || itemCust[at] !== nbrIdx[x]) continue;
        k = itemPair[at]!;
      }
      const u = nbrIdx[x]!;
      if (n === mVals.length) {
        mVals = growF(mVals, n * 2);
        mWts = growF(mWts, n * 2);
        mQty = growF(mQty, n * 2);
      }
      const lastList = pairLastList[k]!;
      const paid = pairLastPrice[k]!;
      const relative = lastList > 0 && listNow > 0 ? (paid / lastList) * listNow : paid;
      mVals[n] = relative * ((1 - dc) / Math.max(0.05, 1 - custDiscount[u]!));
      mWts[n] = nbrSim[x]! * decayOf(k);
      mQty[n++] = pairQty[k]! / pairDays[k]!;
    }
    return n;
  };

  /**
   * The reference price of product j for customer c given its n neighbours' quotes (peerQuotes):
   * their weighted median, else (no neighbour buys j) every buyer's, weighted by recency; the
   * median buyer does not depend on this customer (its discount scales every value alike), so it
   * is found once per product (fallbackOf, which also sets j's usual quantity). NaN: nobody's.
   */
  const referenceOf = (c: number, j: number, n: number): number => {
    if (n > 0) return weightedMedianOf(mVals, mWts, n);
    const f = fallbackOf(j);
    return f >= 0 ? fbRel[f]! * ((1 - custDiscount[c]!) / fbDisc[f]!) : Number.NaN;
  };

  /** A cross-sell offer (or undefined when no price fits). */
  const crossSellOffer = (c: number, customerId: string, customerName: string, j: number, score: number, nn: number): Draft | undefined => {
    // price and quantity from the neighbours who buy j, else from all its buyers (recency only)
    const listNow = itemList[j]!;
    const n = peerQuotes(c, j, nn);
    const peersBuying = n;
    const reference = referenceOf(c, j, n);
    const qtyMedian = n > 0 ? weightedMedianOf(mQty, mWts, n) : fbQty[j]!;
    const priced = clampPrice(reference, itemCost[j]!, listNow, s.minMargin);
    if (!priced) {
      dropped.unpriceable++;
      return undefined;
    }
    const quantity = roundQty(qtyMedian, itemFractional[j] === 1);
    return { p: j, score: probability(score), make: () => crossSellText(c, customerId, customerName, j, score, nn, priced, quantity, peersBuying) };
  };

  /** The texts and evidence of a cross-sell offer (only for offers that make the final k). */
  const crossSellText = (c: number, customerId: string, customerName: string, j: number, score: number, nn: number, priced: { price: number; list: number; cost: number }, quantity: number, peersBuying: number): Offer => {
    const productId = view.ids.products.values[j]!;
    const pj = buyers(j) / N;
    const conf = ruleConf[j]!;
    let because: Offer["because"];
    let code: string;
    let text: string; // the message in the chosen locale only (the other is never read)
    if (conf > 0) {
      const pa = ruleA[j]!, pb = ruleB[j]!;
      because = { productIds: [view.ids.products.values[pa]!, view.ids.products.values[pb]!], similarCustomers: ruleN[j]!, support: ruleS[j]!, lift: round(conf / pj, 3), confidence: round(conf, 4) };
      code = "cross_sell_rule";
      // (the percentage of the rounded field: 0.575 read '57%')
      const pct = percentOf(because.confidence);
      text = hebrew
        ? `לקוחות כמו ${iso(customerName)} שקונים ${iso(label(pa))} ו-${iso(label(pb))} קונים גם ${iso(label(j))} (${pct}% מתוך ${ruleN[j]} לקוחות דומים).`
        : `Customers like ${isoLtr(customerName)} who buy ${isoLtr(label(pa))} and ${isoLtr(label(pb))} also buy ${isoLtr(label(j))} (${pct}% of ${ruleN[j]} similar customers).`;
    } else {
      // the customer's product most bought with j: the largest similarity J(A, j) among its products
      // whose buyers buy j more often than customers at large (lift > 1; ties: smaller product).
      // The largest item-based contribution, affinity × J, named the customer's own staple, and
      // "often bought with olive oil" was untrue where olive-oil buyers bought j no more than anyone
      // (a review: 551 of 818 offers named another product than the most co-bought, 33 one of lift ≤ 1).
      // Lift > 1 on the row's exact count of customers buying both (read back from the shrunk
      // Jaccard until 2026-12-07, 54.00000000000001 > 54 named a product of lift exactly 1; a review).
      let bestA = -1, bestV = -1;
      if (co) {
        const nj = buyers(j);
        for (let e = pairStart[c]!; e < pairStart[c + 1]!; e++) {
          const i = pairProduct[e]!;
          const { nbr, sim, together } = co.row(i);
          const q = indexIn(nbr, j);
          if (q < 0) continue;
          const v = sim[q]!, ni = buyers(i);
          // ... and at least minSupport customers buying both (this one buys only A), as a rule needs
          // (the brief turned "often bought with A" into "customers who buy A buy it too" on one
          // other customer's basket; a review of small data)
          if (!(together[q]! * N > ni * nj) || together[q]! < s.minSupport) continue;
          if (v > bestV || (v === bestV && i < bestA)) {
            bestV = v;
            bestA = i;
          }
        }
      }
      const often = bestA >= 0 ? (hebrew ? `; נקנה לרוב יחד עם ${iso(label(bestA))}` : `; often bought with ${isoLtr(label(bestA))}`) : "";
      // without segments (no popularity estimate) the evidence is every customer's: "of all N"
      // (and with segments, when none of the customer's segment buys it either: the score then
      // rests on the item's neighbours, and "0 of 40 customers similar to X buy J" denied it)
      const everyone = (): { count: number; size: number; segment: undefined } => ({ count: buyers(j), size: N, segment: undefined });
      const own = peersBuying === 0 && fam ? fam.evidence(c, j) : undefined;
      const group = peersBuying === 0 ? (own !== undefined && own.count > 0 ? own : everyone()) : undefined;
      if (group !== undefined && group.count > 0) {
        // no similar customer buys it (or none was found): the offer rests on the customer's
        // segment (or everyone), said so ('0 of 12 customers similar to X buy A' before)
        const confidence = group.count / group.size;
        because = { productIds: bestA >= 0 ? [view.ids.products.values[bestA]!] : [], similarCustomers: group.size, support: group.count, lift: round(pj > 0 ? confidence / pj : 1, 3), confidence: round(confidence, 4) };
        code = "cross_sell_segment";
        const pct = percentOf(because.confidence);
        const seg = group.segment !== undefined && group.segment >= 0 ? view.ids.segments.values[group.segment]! : undefined;
        text = hebrew
          ? `${group.count} מתוך ${group.segment === undefined ? "כל " : ""}${group.size} הלקוחות${seg !== undefined ? ` בסגמנט ${iso(seg)}` : group.segment === -1 ? " ללא סגמנט" : ""} קונים ${iso(label(j))} (${pct}%)${often}.`
          : `${group.count} of ${group.segment === undefined ? "all " : ""}${group.size} customers${seg !== undefined ? ` in the ${isoLtr(seg)} segment` : group.segment === -1 ? " without a segment" : ""} buy ${isoLtr(label(j))} (${pct}%)${often}.`;
      } else {
        const confidence = nn > 0 ? peersBuying / nn : 0;
        because = { productIds: bestA >= 0 ? [view.ids.products.values[bestA]!] : [], similarCustomers: nn, support: peersBuying, lift: round(pj > 0 ? confidence / pj : 1, 3), confidence: round(confidence, 4) };
        code = "cross_sell_peers";
        const pct = percentOf(because.confidence);
        text = hebrew
          ? `${peersBuying} מתוך ${nn} לקוחות דומים ל-${iso(customerName)} קונים ${iso(label(j))} (${pct}%)${often}.`
          : `${peersBuying} of ${nn} customers similar to ${isoLtr(customerName)} buy ${isoLtr(label(j))} (${pct}%)${often}.`;
      }
    }
    // productA / productB added after the literal (the same key order as spreading optional
    // objects into it, without cloning two objects per offer)
    const params: Record<string, number | string> = { productId, confidence: because.confidence, similarCustomers: because.similarCustomers, support: because.support };
    const [productA, productB] = because.productIds;
    if (productA) params.productA = productA;
    if (productB) params.productB = productB;
    return makeOffer(customerId, productId, "cross_sell", score, priced, quantity, because, code, params, text);
  };

  /** Repurchase and win-back offers of customer c, from its customer x item rhythms. */
  const rhythmOffers = (c: number, customerId: string, put: (d: Draft) => void): void => {
    const a = pairStart[c]!, b = pairStart[c + 1]!;
    const n = custDays[c]!;
    if (n < 4) return;
    // still ordering: a purchase within max(60, 4 × mean gap) days, the customer's closed months
    // not counted; none while it is closed (a school closed in July and August was offered its
    // staples on Aug 20 and nothing from Sep 1, its reopening week: 64 days > 60; a review)
    const firstDay = firstPurchaseDay(c);
    const meanGap = (model.custLastDay[c]! - firstDay) / Math.max(1, n - 1);
    const closed = closedMonths(c, customerId);
    if (closed & (1 << monthOf(asOf))) return;
    if (openDaysBetween(model.custLastDay[c]!, asOf, { months: closed, weekdays: 0 }) > Math.max(60, 4 * meanGap)) return;
    const rhythms = s.model ? new Map(s.model.items(customerId).map((r) => [r.productId, r])) : undefined;
    const credited = creditedProducts(c);
    // "dropped" at DROPPED_BELOW over all the customer's habits tested (Bonferroni): at 5 % each, a
    // stationary account of 500 habits had about 20 win-backs of items it never stopped buying,
    // where item_dropped (its own false-alarm budget) found none (a review of key accounts, 2026-12-08)
    let tested = 0;
    for (let e = a; e < b; e++) if (offerable[pairProduct[e]!] && pairDays[e]! >= 3) tested++;
    const droppedBelow = DROPPED_BELOW / Math.max(1, tested);
    for (let e = a; e < b; e++) {
      const p = pairProduct[e]!;
      if (!offerable[p]) continue;
      const k = pairDays[e]!;
      if (k < 3) continue;
      if (credited !== undefined && credited.has(p) && sentBack(c, p)) continue;
      let inclusion: number, missing: number, since: number;
      // the cadence is read on the habit's own inclusion (with a model, without its season): on
      // the seasonal one, a weekly refit moving the index across a rounding boundary made an
      // offer due, not due and due again over three weeks without an order (0.439 / 0.390 / 0.403:
      // m >= 1, 2, 1; a review). The season scores the offer.
      let cadence: number;
      const r = rhythms?.get(view.ids.products.values[p]!);
      if (r) {
        inclusion = Math.min(0.99, r.inclusion * r.seasonalIndex);
        cadence = Math.min(0.99, r.inclusion);
        since = r.ordersSinceLast;
        missing = r.missingProbability;
      } else {
        // beta-binomial posterior mean over the purchase days between the first and last purchase (uniform prior)
        inclusion = (k - 1) / (pairLastOcc[e]! - pairFirstOcc[e]! + 1);
        since = n - 1 - pairLastOcc[e]!;
        missing = (1 - inclusion) ** since;
        cadence = inclusion;
      }
      let kind: OfferKind;
      let score: number;
      if (since >= 3 && missing < droppedBelow) {
        // halved for every WINBACK_HALF_LIFE_DAYS since it was due: until 2026-12-07 a habit
        // dropped 14 months before kept 0.4 × p and came first, above staples due now
        kind = "winback";
        const overdue = Math.max(0, asOf - pairLastDay[e]! - meanGap / inclusion);
        score = WINBACK_CREDIT * inclusion * 0.5 ** (overdue / WINBACK_HALF_LIFE_DAYS);
      } else if (since >= Math.max(1, Math.round(1 / cadence) - 1)) {
        // due (its cadence reached): the chance it comes with the next order is the habit's
        // inclusion, however long it has been missing. Until 2026-12-07 the score was
        // 1 − (1 − p)^(m+1), the chance it would have come by now, which rises with the absence:
        // an item of 6% of orders missing from 48 read 0.48 and outranked a 41% staple due now,
        // then fell to 0.02 as a win-back one order later
        kind = "repurchase";
        score = REPURCHASE_CREDIT * inclusion;
      } else continue;
      if (!s.kinds.has(kind)) continue;
      const listNow = itemList[p]!;
      const lastList = pairLastList[e]!;
      const paid = pairLastPrice[e]!;
      const priced = clampPrice(lastList > 0 && listNow > 0 ? (paid / lastList) * listNow : paid, itemCost[p]!, listNow, s.minMargin);
      if (!priced) {
        dropped.unpriceable++;
        continue;
      }
      const kindNow: OfferKind = kind, scoreNow = score, inclusionNow = inclusion, sinceNow = since, missingNow = missing;
      put({ p, score: probability(score), make: () => {
        // (the loop's let bindings, copied to constants for the closure)
        const kind = kindNow, score = scoreNow, inclusion = inclusionNow, since = sinceNow, missing = missingNow;
        const productId = view.ids.products.values[p]!;
        const lastBought = formatDay(pairLastDay[e]!);
        // (the percentage of the rounded field: 0.215 in params read '21%' from 0.21499…)
        const pct = percentOf(round(inclusion, 4));
        // the evidence is the customer's own purchase days: k of its n include the product; the
        // percentage is the habit's estimated inclusion (shrunk, with the season when a model is
        // given), no count of orders: the text calls it expected (it read as a share one could
        // recount: '29% of the orders since its first' for 3 of 7)
        const because = { productIds: [productId], similarCustomers: n, support: k, lift: 1, confidence: round(k / n, 4) };
        const params = { productId, itemOrders: k, inclusion: round(inclusion, 4), ordersSinceLast: since, lastBought, missingProbability: missing };
        const text = hebrew
          ? kind === "winback"
            ? `${iso(label(p))} היה פריט קבוע (צפוי ב-${pct}% מההזמנות; נקנה ${k} פעמים) עד ${lastBought} וחסר ${since === 1 ? "בהזמנה האחרונה" : `ב-${since} ההזמנות האחרונות`}.`
            : `הגיע הזמן ל-${iso(label(p))}: צפוי ב-${pct}% מההזמנות (נקנה ${k} פעמים), לאחרונה ב-${lastBought}, ${since === 1 ? "לפני הזמנה אחת" : `לפני ${since} הזמנות`}.`
          : kind === "winback"
            ? `${isoLtr(label(p))} was a regular item (expected in ${pct}% of orders; bought ${k} times) until ${lastBought} and has been missing from the last ${since === 1 ? "order" : `${since} orders`}.`
            : `Due for ${isoLtr(label(p))}: expected in ${pct}% of orders (bought ${k} times), last on ${lastBought}, ${since} ${since === 1 ? "order" : "orders"} ago.`;
        return makeOffer(customerId, productId, kind, score, priced, roundQty(ownQty(c, p, unitRef(e)), itemFractional[p] === 1), because, kind, params, text);
      } });
    }
  };

  // scratch of ownQty (typed arrays reused across calls: a pair of fresh arrays, a filtered index
  // array and a closure sort per offer cost ~14 µs each, 8,000 offers per call at 1M lines)
  let oQty = new Float64Array(64), oWts = new Float64Array(64);
  /** The last purchase's unit price as saleUnitPrice reads a line: its list price (NaN when unknown: no unit change read). */
  const unitRef = (e: number): number => (pairLastList[e]! > 0 && Number.isFinite(pairLastList[e]!) ? pairLastList[e]! : Number.NaN);
  /**
   * The customer's usual quantity of product p: the recency-weighted median (weights
   * 2^(−age / halfLifeDays)) of its quantities per purchase day of p, from its lines, in the unit
   * of sale whose list price is `unit` (unitRef; NaN: as sold) (called only for the offers kept).
   */
  const ownQty = (c: number, p: number, unit: number): number => {
    const { lines, customerStart, customerEnd } = view;
    const { quantity, product, day } = lines;
    let n = 0;
    let last = Number.NaN;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      let q = quantity[i]!;
      if (product[i] !== p || !(q > 0)) continue;
      // a line whose list price (saleUnitPrice) is over twice or under half the last purchase's
      // (`unit`) was in another unit of sale (a pack of 12 units became one case): its quantity in
      // the last unit, as the offer's price is (12 units at 10 read as 12 cases at 120, 12 times
      // the habit's order; a review). Price changes within 2x are no new unit.
      q = inReferenceUnit(q, saleUnitPrice(lines, i), unit);
      const d = day[i]!;
      if (d === last) oQty[n - 1]! += q;
      else {
        if (n === oQty.length) {
          oQty = growF(oQty, n * 2);
          oWts = growF(oWts, n * 2);
        }
        oQty[n] = q;
        oWts[n++] = Math.exp(-ln2h * Math.max(0, asOf - d));
        last = d;
      }
    }
    // the same median as weightedMedian (stable by value, weights summed in index order)
    return weightedMedianOf(oQty, oWts, n);
  };
  /**
   * The peers' usual quantity of product j for customer c: the weighted median of its neighbours'
   * quotes (peerQuotes), else of all its buyers, as crossSellOffer computes it (called only for the
   * offers kept).
   */
  const peersQty = (c: number, j: number, nn: number): number => {
    const n = peerQuotes(c, j, nn);
    if (n > 0) return weightedMedianOf(mQty, mWts, n);
    fallbackOf(j);
    return fbQty[j]!;
  };

  /** Seasonal offers: products of families whose season starts that c (or else its peers) bought in the same weeks last year. */
  // per customer: the purchase days and the products of starting seasons bought in the same weeks
  // last year ([asOf − 365, asOf − 305], both days included), computed once per call (neighbours are shared)
  const windows: ({ days: number; prods: Int32Array; counts: Int32Array } | undefined)[] = new Array(model.nC);
  const winCount = new Int32Array(nP);
  const winTouched = new Int32Array(nP);
  const winDay = new Int32Array(nP).fill(NEVER); // the day p was last counted for the current customer
  const windowOf = (u: number): { days: number; prods: Int32Array; counts: Int32Array } => {
    let w = windows[u];
    if (w) return w;
    const fam = view.products.family;
    const { lines, customerStart, customerEnd } = view;
    const from = asOf - 365, to = asOf - 365 + 60;
    let days = 0, last = NO_DAY, nt = 0;
    const end = upperBound(lines.day, to, customerStart[u]!, customerEnd[u]!);
    for (let i = lowerBound(lines.day, from, customerStart[u]!, end); i < end; i++) {
      const d = lines.day[i]!;
      if (!(lines.quantity[i]! > 0)) continue;
      if (d !== last) {
        days++;
        last = d;
      }
      const p = lines.product[i]!;
      const f = fam[p]!;
      if (f < 0 || !seasons!.isStarting[f] || !seasonOfferable[p]) continue;
      // purchase days with p, not lines: once per day
      if (winDay[p] === d) continue;
      winDay[p] = d;
      if (winCount[p]!++ === 0) winTouched[nt++] = p;
    }
    const prods = winTouched.slice(0, nt).sort();
    const counts = new Int32Array(nt);
    for (let q = 0; q < nt; q++) {
      counts[q] = winCount[prods[q]!]!;
      winCount[prods[q]!] = 0;
      winDay[prods[q]!] = NEVER;
    }
    windows[u] = w = { days, prods, counts };
    return w;
  };
  const peerCount = new Int32Array(nP), peerTouched = new Int32Array(nP);

  /** Seasonal offers: products of families whose season starts that c (or else its peers) bought in the same weeks last year. */
  const seasonalOffers = (c: number, customerId: string, nn: number, put: (d: Draft) => void): void => {
    const fam = view.products.family;
    const recent = asOf - 30;
    const self = windowOf(c);
    const days = self.days;
    const bought = (p: number): boolean => own[p]! >= 0 && pairLastDay[own[p]!]! > recent;
    const emit = (p: number, score: number, support: number, of: number, peers: boolean): void => {
      if (bought(p)) return;
      const listNow = itemList[p]!;
      const e = own[p]!;
      let ref: number;
      if (e >= 0) {
        const lastList = pairLastList[e]!;
        ref = lastList > 0 && listNow > 0 ? (pairLastPrice[e]! / lastList) * listNow : pairLastPrice[e]!;
      } else if (listNow > 0) ref = listNow * (1 - custDiscount[c]!);
      else {
        // no list price: the neighbours' prices as a cross-sell takes them, else every buyer's
        // (until 2026-12-06 such a product was never a peers' seasonal offer, and no drop counted)
        ref = referenceOf(c, p, peerQuotes(c, p, nn));
      }
      if (!Number.isFinite(ref)) return;
      const priced = clampPrice(ref, itemCost[p]!, listNow, s.minMargin);
      if (!priced) {
        dropped.unpriceable++;
        return;
      }
      put({
        p,
        score: probability(score),
        make: () => {
          const productId = view.ids.products.values[p]!;
          const family = view.ids.families.values[fam[p]!]!;
          const index = seasons!.next[fam[p]!]!;
          // own products: the customer's usual quantity; else its neighbours', as for a cross-sell
          const qty = e >= 0 ? ownQty(c, p, unitRef(e)) : peersQty(c, p, nn);
          const because = { productIds: [productId], similarCustomers: of, support, lift: round(index, 3), confidence: round(of > 0 ? support / of : 0, 4) };
          const params = { productId, family, seasonalIndex: round(index, 3), support, of, peers: peers ? 1 : 0 };
          // the message shows the field (3 decimals) to 2: the raw index's 2 could differ (1.2449: 1.24 beside 1.245)
          const shown = shownRound(params.seasonalIndex, 2);
          const text = hebrew
            ? peers
              ? `עונת ${iso(family)} מתחילה (פי ${shown} מחודש ממוצע): ${support} מתוך ${of} לקוחות דומים ל-${iso(view.customers.name[c] ?? customerId)} קנו ${iso(label(p))} בשבועות האלה בשנה שעברה.`
              : `עונת ${iso(family)} מתחילה (פי ${shown} מחודש ממוצע): ${iso(label(p))} נקנה ${of === 1 ? "בהזמנה היחידה" : `ב-${support} מתוך ${of} ההזמנות`} בשבועות האלה בשנה שעברה.`
            : peers
              ? `The ${isoLtr(family)} season is starting (${shown}× an average month): ${support} of ${of} customers similar to ${isoLtr(view.customers.name[c] ?? customerId)} bought ${isoLtr(label(p))} in these weeks last year.`
              : `The ${isoLtr(family)} season is starting (${shown}× an average month): bought ${isoLtr(label(p))} on ${of === 1 ? "its one order" : `${support} of ${of} orders`} in these weeks last year.`;
          return makeOffer(customerId, productId, "seasonal", score, priced, roundQty(qty, itemFractional[p] === 1), because, peers ? "seasonal_peers" : "seasonal", params, text);
        },
      });
    };
    if (self.prods.length > 0) {
      // its inclusion in last year's weeks, shrunk to its rate over its whole history with the
      // product (purchase days since the first) × the coming month's seasonal index: until
      // 2026-12-07 a uniform prior, (k + 1) / (days + 2), so one purchase on the window's only
      // order read 2/3 (score 0.4) for a product bought on 1 of 24 purchase days, above staples
      const n = custDays[c]!;
      for (let q = 0; q < self.prods.length; q++) {
        const p = self.prods[q]!, k = self.counts[q]!, e = own[p]!;
        const rate = e >= 0 ? pairDays[e]! / Math.max(1, n - pairFirstOcc[e]!) : 0;
        const prior = Math.min(0.99, rate * seasons!.next[fam[p]!]!);
        emit(p, 0.6 * ((k + SEASON_OWN_PSEUDO_DAYS * prior) / (days + SEASON_OWN_PSEUDO_DAYS)), k, days, false);
      }
      return;
    }
    if (nn === 0) return;
    let nt = 0;
    for (let i = 0; i < nn; i++) {
      const { prods } = windowOf(nbrIdx[i]!);
      for (let q = 0; q < prods.length; q++) if (peerCount[prods[q]!]!++ === 0) peerTouched[nt++] = prods[q]!;
    }
    const list = peerTouched.slice(0, nt).sort();
    for (let q = 0; q < nt; q++) {
      const p = list[q]!;
      const k = peerCount[p]!;
      peerCount[p] = 0;
      // a peers' offer is of a product new to the customer (docs/recommend.md §3), with or
      // without cross-sell scoring (an owned one came as "2 of 40 customers similar to X bought P")
      if (k < 2 || own[p]! >= 0) continue;
      // a product the customer never bought: its cross-sell score times the coming month's seasonal
      // index (the share of peers alone is not a probability for this customer); without
      // cross-sell scoring (kinds without cross_sell, or no cross-sell candidate for this customer:
      // the same offers then as with seasonal alone), 0.3 × the share of peers
      const score = co && xs.wTot > 0 ? crossSellScore(c, p, nn) * seasons!.next[fam[p]!]! : 0.3 * (k / nn);
      if (!(score > 0)) continue;
      emit(p, score, k, nn, true);
    }
  };


  /** The products of customer c with a credit note in the year to asOf (undefined: none, the usual case). */
  const creditedProducts = (c: number): Set<number> | undefined => {
    const { lines, customerStart, customerEnd } = view;
    let out: Set<number> | undefined;
    for (let i = customerEnd[c]! - 1; i >= customerStart[c]!; i--) {
      const d = lines.day[i]!;
      if (d <= asOf - 365) break; // a customer's lines are in day order
      if (lines.quantity[i]! < 0 && d <= asOf) (out ??= new Set()).add(lines.product[i]!);
    }
    return out;
  };

  /**
   * Customer c sent its last two deliveries of product p back: its lines of p from the day of the
   * second-to-last purchase to asOf, the purchases and the credit notes, net to nothing or less,
   * and a credit note is its latest line of p (none of its purchases came after).
   * Such an item is not offered for repurchase or win-back (every delivery since August credited
   * in full still read "Due for P5: expected in 92 % of orders"; a review). One delivery sent back
   * (damaged, a wrong article) leaves the habit standing: a credit of the last delivery alone took
   * 7 of 4,710 offers away on a 500-customer synthetic world (its random returns), staples among
   * them.
   */
  const sentBack = (c: number, p: number): boolean => {
    const { lines, customerStart, customerEnd } = view;
    const lo = customerStart[c]!;
    let net = 0, bought = 0, purchaseDays = 0, lastPurchase = Number.NaN, latestPurchase = Number.NaN, latestCredit = Number.NaN;
    for (let i = customerEnd[c]! - 1; i >= lo; i--) {
      const d = lines.day[i]!;
      if (d > asOf || lines.product[i] !== p) continue;
      // (a customer's lines are in day order: what is left is before the second-to-last purchase)
      if (purchaseDays === 2 && d < lastPurchase) break;
      const q = lines.quantity[i]!;
      if (q > 0 && d !== lastPurchase) {
        if (purchaseDays++ === 0) latestPurchase = d;
        lastPurchase = d;
      }
      if (q < 0 && !(d <= latestCredit)) latestCredit = d;
      net += q;
      if (q > 0) bought += q;
    }
    // the latest word is a credit note (a purchase after a credit says the habit goes on: a credit
    // of an older delivery netted the last two away on the synthetic data), and what rounding
    // leaves of a full return (0.3 − 0.1 − 0.2) is nothing
    return purchaseDays === 2 && latestCredit >= latestPurchase && net <= bought * 1e-9;
  };

  /**
   * Customer c's habitual closed months (bit m = month m, 0 = January): the pattern model's when
   * given, else inferred from its purchase days up to asOf (the view's shared index) as the model
   * infers them.
   */
  const closedMonths = (c: number, customerId: string): number => {
    if (s.model) {
      let bits = 0;
      for (const m of s.model.customer(customerId)?.closedMonths ?? []) bits |= 1 << (m - 1);
      return bits;
    }
    const { days, start } = purchaseDayIndex(view);
    return inferClosures(days.subarray(start[c]!, start[c + 1]!)).months;
  };

  const firstPurchaseDay = (c: number): number => {
    const { lines, customerStart, customerEnd } = view;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) if (lines.quantity[i]! > 0) return lines.day[i]!;
    return asOf;
  };

  const makeOffer = (customerId: string, productId: string, kind: OfferKind, score: number, priced: { price: number; list: number; cost: number }, quantity: number, because: Offer["because"], code: string, params: Record<string, number | string>, text: string): Offer => {
    const { price, list, cost } = priced;
    // the field's rounded rate is the message's: 0.94 / 7.52 is 0.12499999…, the field read 0.125
    // and the message 'margin 12%'
    const marginRate = Number.isFinite(cost) ? round((price - cost) / price, 4) : Number.NaN;
    const expectedMargin = Number.isFinite(cost) ? round((price - cost) * quantity, 2) : Number.NaN;
    const message = hebrew
      ? text + ` מחיר מוצע ${priceText(price)}${Number.isFinite(list) ? ` (מחירון ${priceText(list)}${Number.isFinite(marginRate) ? `, רווח ${percentOf(marginRate)}%` : ""})` : Number.isFinite(marginRate) ? ` (רווח ${percentOf(marginRate)}%)` : ""}.`
      : text + ` Suggested price ${priceText(price)}${Number.isFinite(list) ? ` (list ${priceText(list)}${Number.isFinite(marginRate) ? `, margin ${percentOf(marginRate)}%` : ""})` : Number.isFinite(marginRate) ? ` (margin ${percentOf(marginRate)}%)` : ""}.`;
    return {
      customerId,
      productId,
      kind,
      score: probability(score),
      suggestedPrice: price,
      listPrice: list,
      unitCost: cost,
      quantity,
      expectedMargin,
      marginRate,
      because,
      reason: { code, params: withPrice(params, price) },
      message,
    };
  };

  return { offersFor, dropped };
}

/** @internal Offer order: score descending, then customer id, then product id. */
export function byScore(a: Offer, b: Offer): number {
  return b.score - a.score || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0) || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);
}

/**
 * Families whose season is starting: a monthly index per family (its share of the purchase lines
 * in the month over its share overall, shrunk toward 1 with 20 pseudo-lines of the family per month) at least
 * {@link SEASON_START_INDEX} in the month 30 days after `asOf` and at least 15 % above the month
 * 30 days before it.
 */
function startingSeasons(model: BasketModel): { isStarting: Uint8Array; next: Float64Array; starting: number[] } {
  const { view, asOf } = model;
  const nF = view.ids.families.size;
  const fam = view.products.family;
  const byMonth = new Float64Array(nF * 12), total = new Float64Array(12);
  const { lines, customerStart, customerEnd } = view;
  // month of a day, cached in a table over the 40,000 days up to asOf (older days computed each time)
  const SPAN = 40_000;
  const monthTable = new Int8Array(SPAN + 1).fill(-1);
  const monthOf = (d: number): number => {
    const o = asOf - d;
    if (o < 0 || o > SPAN) return civilFromEpochDay(d)[1] - 1;
    let m = monthTable[o]!;
    if (m < 0) monthTable[o] = m = civilFromEpochDay(d)[1] - 1;
    return m;
  };
  for (let c = 0; c < customerEnd.length; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (!(lines.quantity[i]! > 0)) continue;
      const m = monthOf(lines.day[i]!);
      total[m]!++;
      const f = fam[lines.product[i]!]!;
      if (f >= 0) byMonth[f * 12 + m]!++;
    }
  }
  let all = 0;
  for (let m = 0; m < 12; m++) all += total[m]!;
  const isStarting = new Uint8Array(nF), next = new Float64Array(nF);
  const starting: number[] = [];
  const mNext = civilFromEpochDay(asOf + 30)[1] - 1, mPrev = civilFromEpochDay(asOf - 30)[1] - 1;
  for (let f = 0; f < nF; f++) {
    let fAll = 0;
    for (let m = 0; m < 12; m++) fAll += byMonth[f * 12 + m]!;
    if (fAll <= 0 || all <= 0) continue;
    const share = fAll / all;
    // 20 pseudo-lines of the family's own per month: 20 of all lines were a fraction of one of a
    // small family's, and 5 lines against 3.3 expected read a season 1.4x (a review of small data)
    const idx = (m: number): number => (byMonth[f * 12 + m]! + 20) / (total[m]! * share + 20);
    const n = idx(mNext), p = idx(mPrev);
    next[f] = n;
    if (total[mNext]! > 0 && total[mPrev]! > 0 && n >= SEASON_START_INDEX && n >= 1.15 * p) {
      isStarting[f] = 1;
      starting.push(f);
    }
  }
  return { isStarting, next, starting };
}

/** `params` with `suggestedPrice` added last (a fresh object per offer: mutated in place). */
function withPrice(params: Record<string, number | string>, price: number): Record<string, number | string> {
  params.suggestedPrice = price;
  return params;
}

/**
 * One owned product's contribution to the item-based scores: `score[j] += w × sim` over its row,
 * `sum[0] += w × sim × ok[j]` in row order (the same floating-point sum as one loop over every
 * row), products at their first hit marked and listed. A module function over its arrays: the
 * loop runs Σ owned × row length times (11M at 1M lines).
 * @returns the new length of `list`
 */
function scatterRow(nbr: Int32Array, sim: Float64Array, w: number, score: Float64Array, ok: Float64Array, hit: Uint8Array, list: Int32Array, nr: number, sum: Float64Array): number {
  let acc = sum[0]!;
  const len = nbr.length;
  for (let q = 0; q < len; q++) {
    const j = nbr[q]!;
    const v = w * sim[q]!;
    score[j]! += v;
    acc += v * ok[j]!;
    if (hit[j] === 0) {
      hit[j] = 1;
      list[nr++] = j;
    }
  }
  sum[0] = acc;
  return nr;
}

function growI(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const g = new Int32Array(n);
  g.set(a.subarray(0, Math.min(a.length, n)));
  return g;
}

function growF(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const g = new Float64Array(n);
  g.set(a.subarray(0, Math.min(a.length, n)));
  return g;
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/**
 * A suggested quantity: whole units (at least 1), or for a product sold in fractions (by weight or
 * volume) one decimal from 1 to 10 and two significant digits below 1 (0.3 kg stays 0.3 kg).
 */
function roundQty(q: number, fractional: boolean): number {
  if (!Number.isFinite(q) || q <= 0) return 1;
  if (q >= 10 || !fractional) return Math.max(1, Math.round(q));
  return q >= 1 ? Math.round(q * 10) / 10 : Number(q.toPrecision(2));
}

/**
 * A list price as the message shows it: cents, or up to 4 decimals when it has more (0.125 read
 * "0.13" beside `listPrice` 0.125); never a bare dot (1.00001 reads "1.00").
 */
function priceText(x: number): string {
  const cents = x.toFixed(2);
  if (Number(cents) === x) return cents;
  // (a price on a step finer than cents, clampPrice's for items below 0.10, is shown whole: up to 10 decimals)
  const fine = x.toFixed(Math.abs(x) >= 0.1 ? 4 : 10);
  let end = fine.length;
  while (fine[end - 1] === "0") end--;
  return fine[end - 1] === "." ? cents : fine.slice(0, end);
}

