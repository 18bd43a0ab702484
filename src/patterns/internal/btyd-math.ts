/**
 * Numerical helpers shared by the BG/NBD and MBG/NBD models: the Gauss hypergeometric series
 * for 0 <= z < 1, the negative binomial (NBD) pmf and tail, log-sum-exp, and the grouped
 * summary the likelihoods loop over.
 * @internal
 */
import { lgamma } from "./lgamma.ts";

/** @internal A power series' sum, with what its caller needs to judge the sum's rounding. */
export interface SeriesSum {
  /** The sum. */
  readonly value: number;
  /** The largest term's magnitude (1 for the leading term or more): the rounding is about 4e-16 of it. */
  readonly largest: number;
  /** False when the series ran out of terms before converging (its value is then not to be used). */
  readonly converged: boolean;
}

/** Terms the series may sum before it counts as not converged. */
const SERIES_TERMS = 1_000_000;

/**
 * @internal 2F1(a, b; c; z) by its power series, for 0 <= z < 1 (c not a non-positive integer).
 * Callers pass Euler-transformed parameters (bounded a, b and c growing with x), so the terms
 * stay small and the series converges in a few dozen terms except as z approaches 1; when the
 * upper parameters are large and of opposite sign the terms alternate and cancel, which the
 * largest term returned alongside the sum lets the caller detect.
 */
export function hyp2f1Series(a: number, b: number, c: number, z: number): SeriesSum {
  let term = 1, sum = 1, largest = 1, k = 0;
  for (; k < SERIES_TERMS; k++) {
    term *= ((a + k) * (b + k)) / ((c + k) * (k + 1)) * z;
    sum += term;
    const m = Math.abs(term);
    if (m > largest) largest = m;
    if (term === 0 || (m <= 1e-17 * Math.abs(sum) && k > 2)) break;
  }
  return { value: sum, largest, converged: k < SERIES_TERMS };
}

/** @internal log(exp(p) + exp(q)) without overflow. */
export function logAddExp(p: number, q: number): number {
  if (p === Number.NEGATIVE_INFINITY) return q;
  if (q === Number.NEGATIVE_INFINITY) return p;
  return p > q ? p + Math.log1p(Math.exp(q - p)) : q + Math.log1p(Math.exp(p - q));
}

/**
 * @internal log P(N = n) for the NBD that a Gamma(r, alpha)-mixed Poisson count over a period of
 * length t follows: Γ(r+n)/(Γ(r) n!) (α/(α+t))^r (t/(α+t))^n.
 */
export function nbdLogPmf(r: number, alpha: number, t: number, n: number): number {
  const lq = Math.log(alpha / (alpha + t));
  const lp = Math.log(t / (alpha + t));
  return lgamma(r + n) - lgamma(r) - lgamma(n + 1) + r * lq + (n === 0 ? 0 : n * lp);
}

/** @internal P(N >= n) for that NBD, summed from the smaller side (no cancellation). */
export function nbdTail(r: number, alpha: number, t: number, n: number): number {
  if (n <= 0) return 1;
  if (t <= 0) return 0;
  const p = t / (alpha + t);
  // head Σ_{j<n}
  const lq = r * Math.log(alpha / (alpha + t));
  let term = Math.exp(lq);
  let head = 0;
  if (lq > -700) {
    for (let j = 0; j < n; j++) {
      head += term;
      term *= ((r + j) / (j + 1)) * p;
    }
  } else {
    // P(N = 0) underflows (a regular buyer, r in the thousands, over a long horizon): the terms
    // in logs, or every one would be 0 and P(N >= n) read 1 for every n (probabilities summed
    // past 1)
    let lt = lq;
    const lp = Math.log(p);
    for (let j = 0; j < n; j++) {
      head += Math.exp(lt);
      lt += Math.log((r + j) / (j + 1)) + lp;
    }
  }
  if (head < 0.5) return 1 - head;
  // tail Σ_{j>=n}, starting from the log pmf at n (the head's running term may underflow)
  term = Math.exp(nbdLogPmf(r, alpha, t, n));
  let tail = 0;
  for (let j = n; j < n + 10_000_000; j++) {
    tail += term;
    const ratio = ((r + j) / (j + 1)) * p;
    term *= ratio;
    // (a subnormal term times a ratio near 1 can round to itself: stop below 1e-300 too)
    if (ratio < 1 && (term <= 1e-17 * tail || term < 1e-300)) break;
  }
  return tail;
}

/** @internal Identical (x, t_x, T) rows grouped with a count; `xs` lists the distinct x, `xi` indexes it. */
export interface GroupedSummary {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
  readonly xs: Float64Array;
  readonly xi: Uint32Array;
  readonly customers: number;
  readonly skipped: number;
}

/** @internal Summary columns the models accept. */
export interface CountingSummary {
  /** Repeat purchases x per customer. */
  readonly x: ArrayLike<number>;
  /** Recency t_x per customer. */
  readonly tx: ArrayLike<number>;
  /** Age T per customer. */
  readonly T: ArrayLike<number>;
}

/**
 * @internal The order of grouped (x, t_x, T) rows by x, then t_x, then T: the fits sum their
 * groups in it, not in order of first appearance, so the likelihood's sum, and the optimizer's
 * path, do not depend on the order of the rows (a shuffled CDNOW summary moved r in the 8th digit).
 */
export function groupOrder(x: readonly number[], tx: readonly number[], T: readonly number[]): number[] {
  return Array.from(x, (_, k) => k).sort((i, j) => x[i]! - x[j]! || tx[i]! - tx[j]! || T[i]! - T[j]!);
}

/**
 * @internal Group a summary; rows with non-finite or impossible values (x < 0 or fractional, t_x < 0,
 * t_x > T, or repeat purchases at recency 0: x > 0 with t_x = 0, which no purchase log gives and
 * whose likelihood has no upper bound as α → 0: one such row took a small BG/NBD fit to α = 1e-29)
 * are skipped.
 */
export function groupSummary(s: CountingSummary): GroupedSummary {
  const n = s.x?.length ?? 0;
  const map = new Map<string, number>();
  const gx: number[] = [], gtx: number[] = [], gT: number[] = [], w: number[] = [];
  let skipped = 0, customers = 0;
  for (let i = 0; i < n; i++) {
    const x = s.x[i], T = s.T?.[i];
    let tx = s.tx?.[i];
    if (typeof x !== "number" || typeof tx !== "number" || typeof T !== "number" || !Number.isFinite(x) || !Number.isFinite(tx) || !Number.isFinite(T) || !Number.isInteger(x) || x < 0 || tx < 0 || tx > T || (x > 0 && tx === 0)) {
      skipped++;
      continue;
    }
    if (x === 0) tx = 0;
    customers++;
    const key = `${x},${tx},${T}`;
    const k = map.get(key);
    if (k === undefined) {
      map.set(key, gx.length);
      gx.push(x);
      gtx.push(tx);
      gT.push(T);
      w.push(1);
    } else w[k]!++;
  }
  const order = groupOrder(gx, gtx, gT);
  const sx = order.map((k) => gx[k]!);
  const xs = [...new Set(sx)];
  const at = new Map(xs.map((v, i) => [v, i]));
  return {
    x: Float64Array.from(sx),
    tx: Float64Array.from(order, (k) => gtx[k]!),
    T: Float64Array.from(order, (k) => gT[k]!),
    weight: Float64Array.from(order, (k) => w[k]!),
    xs: Float64Array.from(xs),
    xi: Uint32Array.from(sx, (v) => at.get(v)!),
    customers,
    skipped,
  };
}
