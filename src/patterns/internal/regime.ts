/**
 * The customer's current buying regime: a Bayesian single change-point model on its log-gaps
 * (Smith 1975, "A Bayesian approach to inference about a change-point in a sequence of random
 * variables"; the product-partition view of Barry & Hartigan 1993, limited to one change).
 * Model M₀: all gaps share one mean. Model M_k: the mean jumps by δ ~ Normal(0, ω²) after gap k.
 * Given the split, the within-segment sums of squares are the same under both, so the Bayes
 * factor of M_k against M₀ depends only on the difference D of the two segment means:
 * BF_k = Normal(D | 0, ω² + V) / Normal(D | 0, V), V = σ² (1/k + 1/(n − k)). Prior: a change
 * after any given gap with probability `hazard`. The prediction mixes the models: under M_k only
 * the gaps after the change inform the current mean, so a customer who slowed down is judged by
 * its new rhythm as soon as the evidence says so, and a steady customer keeps its whole history.
 * @internal
 */
export interface Regime {
  /** Posterior probability of this model. */
  readonly weight: number;
  /** Index of the first gap of the current regime (0 = no change). */
  readonly start: number;
  /** Gaps in the current regime. */
  readonly n: number;
  /** Their mean log-gap. */
  readonly mean: number;
  /** Within-regime sum of squares over all gaps (both segments), for σ². */
  readonly within: number;
}

/**
 * @internal The most probable regimes (at most `maxRegimes`, each with posterior weight of at
 * least `minWeight`; renormalized), M₀ first, then by change point.
 * @param ys - log-gaps, oldest first
 * @param sigma2 - the within-regime log-gap variance
 * @param hazard - prior probability of a change after any one gap
 * @param jumpVariance - ω², prior variance of the jump of the mean log-gap
 * @param minBefore - gaps needed before a change
 */
export function regimes(ys: ArrayLike<number>, sigma2: number, hazard: number, jumpVariance: number, minBefore = 3, minWeight = 1e-3, maxRegimes = 6): Regime[] {
  const n = ys.length;
  let sum = 0, sq = 0;
  for (let j = 0; j < n; j++) {
    sum += ys[j]!;
    sq += ys[j]! ** 2;
  }
  const mean0 = n > 0 ? sum / n : 0;
  const m0: Regime = { weight: 1, start: 0, n, mean: mean0, within: Math.max(0, sq - n * mean0 * mean0) };
  if (n < minBefore + 1 || !(sigma2 > 0)) return [m0];
  const m = n - minBefore; // candidates k = minBefore .. n - 1
  const logs = new Float64Array(m);
  const means = new Float64Array(m);
  const withins = new Float64Array(m);
  const log0 = (n - 1) * Math.log1p(-hazard);
  const logPrior = Math.log(hazard) + (n - 2) * Math.log1p(-hazard);
  let before = 0, beforeSq = 0;
  let max = log0;
  for (let k = 1; k < n; k++) {
    before += ys[k - 1]!;
    beforeSq += ys[k - 1]! ** 2;
    if (k < minBefore) continue;
    const nb = k, na = n - k;
    const mb = before / nb, ma = (sum - before) / na;
    const D = ma - mb;
    const V = sigma2 * (1 / nb + 1 / na);
    const t = jumpVariance + V;
    const l = logPrior + 0.5 * Math.log(V / t) + 0.5 * D * D * (1 / V - 1 / t);
    const j = k - minBefore;
    logs[j] = l;
    means[j] = ma;
    withins[j] = Math.max(0, beforeSq - nb * mb * mb) + Math.max(0, sq - beforeSq - na * ma * ma);
    if (l > max) max = l;
  }
  let total = Math.exp(log0 - max);
  for (let j = 0; j < m; j++) total += (logs[j] = Math.exp(logs[j]! - max));
  // keep M0 and the most probable changes (at most maxRegimes, each >= minWeight), renormalized
  const w0 = Math.exp(log0 - max) / total;
  // the best `keep` by (weight descending, change point ascending), by insertion (a sort of every
  // candidate cost more than the rest of the test: a customer has up to hundreds of gaps)
  const keep = w0 >= minWeight ? maxRegimes - 1 : maxRegimes;
  const order: number[] = [];
  for (let j = 0; j < m; j++) {
    const l = logs[j]!;
    if (!(l / total >= minWeight)) continue;
    let at = order.length;
    while (at > 0 && logs[order[at - 1]!]! < l) at--;
    if (at >= keep) continue;
    order.splice(at, 0, j);
    if (order.length > keep) order.length = keep;
  }
  let kept = w0 >= minWeight ? w0 : 0;
  for (const j of order) kept += logs[j]! / total;
  const out: Regime[] = [];
  if (w0 >= minWeight) out.push({ ...m0, weight: w0 / kept });
  for (const j of order.sort((x, y) => x - y)) out.push({ weight: logs[j]! / total / kept, start: j + minBefore, n: n - j - minBefore, mean: means[j]!, within: withins[j]! });
  return out.length ? out : [m0];
}
