import { MAX_DENSE_CELLS, type BasketModel } from "./model.ts";

/** Products kept per (peer group, family) as candidates. */
const TOP_PER_FAMILY = 40;

/**
 * @internal Peer-group popularity: the share of the customer's peer group (its segment; everyone
 * without segments) that bought the product. Candidates: the 40 most bought products of each
 * (group, product family), so every family gets candidates. (A family-aware variant, P(family |
 * customer's own mix) × popularity within the family, measured worse on the synthetic
 * distributor: docs/recommend.md.)
 */
export interface GroupPopularity {
  /**
   * Score the candidates of customer c.
   * @param c - customer
   * @param own - pair index per product for c (−1: not owned)
   * @param visit - called with each candidate product and its probability
   */
  score(c: number, own: Int32Array, visit: (p: number, probability: number) => void): void;
  /**
   * The candidates of customer c's group without the owned filter: `top` lists them family by
   * family (the order `score` visits them), `prob[p]` is the group's share buying p.
   * @param c - customer
   * @returns the candidates and the shares (empty when the group bought nothing)
   */
  candidates(c: number): { readonly top: Int32Array; readonly prob: Float64Array };
  /**
   * The evidence behind a share: customer c's group and how many of its customers bought p.
   * @param c - customer
   * @param p - product
   * @returns the segment (−1: the customers without one; undefined: everyone, without segments), the group's customers with a purchase, and those who bought p
   */
  evidence(c: number, p: number): { readonly segment: number | undefined; readonly size: number; readonly count: number };
}

/**
 * @internal Whether peer groups are segments (else everyone is one group: plain popularity).
 * @param model - the basket model
 * @returns true when the customers have segments and the groups x products table fits
 */
export function bySegment(model: BasketModel): boolean {
  const nS = model.view.ids.segments.size;
  return nS > 0 && (nS + 1) * model.soldProducts <= MAX_DENSE_CELLS; // (beyond it everyone is one group)
}

/** @internal Build the group popularity tables. */
export function groupPopularity(model: BasketModel): GroupPopularity {
  const { view, nC, nP, pairStart, pairProduct, soldRank } = model;
  // the table's columns: the products sold up to asOf (soldRank), not the dictionary's
  const nV = model.soldProducts;
  const nS = view.ids.segments.size;
  const useSegments = bySegment(model);
  const nG = useSegments ? nS + 1 : 1;
  const groupOf = new Int32Array(nC);
  for (let c = 0; c < nC; c++) {
    const s = view.customers.segment[c]!;
    groupOf[c] = useSegments && s >= 0 ? s : nG - 1;
  }
  const nF = view.ids.families.size + 1;
  const famOf = new Int32Array(nP);
  for (let p = 0; p < nP; p++) {
    const f = view.products.family[p]!;
    famOf[p] = f >= 0 ? f : nF - 1;
  }
  const count = new Float64Array(nG * nV);
  for (let c = 0; c < nC; c++) {
    const g = groupOf[c]! * nV;
    for (let e = pairStart[c]!; e < pairStart[c + 1]!; e++) count[g + soldRank[pairProduct[e]!]!]!++;
  }
  const groupMass = new Float64Array(nG);
  for (let g = 0; g < nG; g++) {
    for (let v = 0; v < nV; v++) {
      const n = count[g * nV + v]!;
      groupMass[g]! += n;
    }
  }
  /** Buyers of product p in group g (0 for a product not sold up to asOf). */
  const countOf = (g: number, p: number): number => (soldRank[p]! >= 0 ? count[g * nV + soldRank[p]!]! : 0);
  // per (group, family): its most bought products (count desc, product asc)
  const top: Int32Array[] = new Array(nG * nF);
  const byFam: number[][] = Array.from({ length: nF }, () => []);
  for (let g = 0; g < nG; g++) {
    for (const l of byFam) l.length = 0;
    for (let p = 0; p < nP; p++) if (countOf(g, p) > 0) byFam[famOf[p]!]!.push(p);
    for (let f = 0; f < nF; f++) {
      const l = byFam[f]!;
      l.sort((x, y) => countOf(g, y) - countOf(g, x) || x - y);
      top[g * nF + f] = Int32Array.from(l.slice(0, TOP_PER_FAMILY));
    }
  }
  const groupSize = new Float64Array(nG);
  for (let c = 0; c < nC; c++) if (pairStart[c + 1]! > pairStart[c]!) groupSize[groupOf[c]!]!++;
  const score = (c: number, own: Int32Array, visit: (p: number, probability: number) => void): void => {
    const g = groupOf[c]!;
    if (groupMass[g]! <= 0) return;
    for (let f = 0; f < nF; f++) {
      for (const p of top[g * nF + f]!) {
        if (own[p]! >= 0) continue;
        visit(p, countOf(g, p) / groupSize[g]!);
      }
    }
  };
  // per group: the candidates family by family and the shares, built once per group on first use
  const flat: ({ top: Int32Array; prob: Float64Array } | undefined)[] = new Array(nG);
  const EMPTY = { top: new Int32Array(0), prob: new Float64Array(0) };
  const candidates = (c: number): { top: Int32Array; prob: Float64Array } => {
    const g = groupOf[c]!;
    if (groupMass[g]! <= 0) return EMPTY;
    let r = flat[g];
    if (!r) {
      let n = 0;
      for (let f = 0; f < nF; f++) n += top[g * nF + f]!.length;
      const list = new Int32Array(n);
      n = 0;
      for (let f = 0; f < nF; f++) {
        list.set(top[g * nF + f]!, n);
        n += top[g * nF + f]!.length;
      }
      const prob = new Float64Array(nP);
      for (const p of list) prob[p] = countOf(g, p) / groupSize[g]!;
      flat[g] = r = { top: list, prob };
    }
    return r;
  };
  const evidence = (c: number, p: number): { segment: number | undefined; size: number; count: number } => {
    const g = groupOf[c]!;
    return { segment: useSegments ? (g === nG - 1 ? -1 : g) : undefined, size: groupSize[g]!, count: countOf(g, p) };
  };
  return { score, candidates, evidence };
}
