/**
 * @internal Top-k ranking metrics of one recommendation list against one customer's truth set,
 * and their means over customers. Definitions (docs/recommend.md, "Evaluation"):
 * - precision@k = hits / k (a list shorter than k still divides by k);
 * - recall@k = hits / |truth|;
 * - NDCG@k = DCG / IDCG with binary relevance, DCG = Σ_{rank r ≤ k, hit} 1 / log2(r + 1),
 *   IDCG = Σ_{r=1}^{min(k, |truth|)} 1 / log2(r + 1);
 * - hit rate = 1 when at least one hit.
 * Only the first k entries of the list count; repeated entries count once (the first time).
 */

/** @internal Metrics of one list. */
export interface ListScore {
  readonly hits: number;
  readonly precision: number;
  readonly recall: number;
  readonly ndcg: number;
  readonly hit: number;
}

/** @internal 1 / log2(r + 1) for r = 1..k, cached per k. */
const DISCOUNTS: number[] = [];
function discount(rank: number): number {
  for (let r = DISCOUNTS.length + 1; r <= rank; r++) DISCOUNTS.push(1 / Math.log2(r + 1));
  return DISCOUNTS[rank - 1]!;
}

/**
 * @internal Score the first k entries of `list` against `truth` (non-empty).
 * @param list - recommended items, best first
 * @param truth - the items actually bought (at least one)
 * @param k - cut-off, ≥ 1
 */
export function scoreList(list: readonly number[], truth: ReadonlySet<number>, k: number): ListScore {
  let hits = 0;
  let dcg = 0;
  const n = Math.min(k, list.length);
  const seen = n > 1 ? new Set<number>() : undefined;
  for (let r = 0; r < n; r++) {
    const item = list[r]!;
    if (seen) {
      if (seen.has(item)) continue;
      seen.add(item);
    }
    if (truth.has(item)) {
      hits++;
      dcg += discount(r + 1);
    }
  }
  let idcg = 0;
  const ideal = Math.min(k, truth.size);
  for (let r = 1; r <= ideal; r++) idcg += discount(r);
  return {
    hits,
    precision: hits / k,
    recall: truth.size > 0 ? hits / truth.size : 0,
    ndcg: idcg > 0 ? dcg / idcg : 0,
    hit: hits > 0 ? 1 : 0,
  };
}

/** @internal Running means of list scores over customers (compensated sums). */
export class MeanScores {
  customers = 0;
  private readonly sums = [0, 0, 0, 0];
  private readonly comp = [0, 0, 0, 0];

  /** Add one customer's score. */
  add(s: ListScore): void {
    this.customers++;
    const xs = [s.precision, s.recall, s.ndcg, s.hit];
    for (let i = 0; i < 4; i++) {
      // Neumaier summation
      const s0 = this.sums[i]!;
      const x = xs[i]!;
      const t = s0 + x;
      this.comp[i] = this.comp[i]! + (Math.abs(s0) >= Math.abs(x) ? s0 - t + x : x - t + s0);
      this.sums[i] = t;
    }
  }

  /** Means (0 when no customer was added). */
  means(): { precision: number; recall: number; ndcg: number; hitRate: number } {
    const m = (i: number): number => (this.customers > 0 ? (this.sums[i]! + this.comp[i]!) / this.customers : 0);
    return { precision: m(0), recall: m(1), ndcg: m(2), hitRate: m(3) };
  }
}
