import { OrderpulseError } from "../../data/errors.ts";
import { checkInt, checkObject, optionsObject, type OptionKeys } from "../../data/internal/check.ts";
import { hyp2f1 } from "../internal/hyp2f1.ts";
import { lgamma } from "../internal/lgamma.ts";
import { checkParams, checkSummaryColumns } from "../internal/btyd-fit.ts";
import { groupOrder } from "../internal/btyd-math.ts";
import { FIT_STALL, nelderMead } from "../internal/nelder-mead.ts";
import { tanhSinh } from "../internal/tanh-sinh.ts";

/** Recency/frequency columns of a calibration summary (one entry per customer, same length). */
export interface RecencyFrequencyColumns {
  /** Repeat purchases in the calibration period (frequency; the first purchase is not counted). */
  readonly x: ArrayLike<number>;
  /** Time of the last repeat purchase since the first purchase (recency; 0 when x = 0). */
  readonly tx: ArrayLike<number>;
  /** Time from the first purchase to the end of the calibration period (customer age). */
  readonly T: ArrayLike<number>;
}

/** Pareto/NBD parameters: purchase rate λ ~ Gamma(r, α), dropout rate μ ~ Gamma(s, β). */
export interface ParetoNbdParams {
  /** Shape of the gamma distribution of purchase rates. */
  readonly r: number;
  /** Scale (rate parameter, in time units) of the gamma distribution of purchase rates. */
  readonly alpha: number;
  /** Shape of the gamma distribution of dropout rates. */
  readonly s: number;
  /** Scale (rate parameter, in time units) of the gamma distribution of dropout rates. */
  readonly beta: number;
}

/** A Pareto/NBD model: parameters plus the per-customer expressions at those parameters. */
export interface ParetoNbdModel {
  /** The parameters (time unit = that of the summary, e.g. weeks). */
  readonly params: ParetoNbdParams;
  /** Log-likelihood of the fitted customers at `params` (NaN when built from parameters alone; 0 for a fit of no customers). */
  readonly logLikelihood: number;
  /** Whether the optimizer converged within its budget (true when built from parameters). */
  readonly converged: boolean;
  /** Objective evaluations the optimizer used (0 when built from parameters). */
  readonly evaluations: number;
  /** Customers used in the fit. */
  readonly customers: number;
  /** Summary rows skipped as invalid (non-finite, negative, tx > T, fractional x, repeat purchases at tx = 0 or T = 0; T = 0 without is valid). */
  readonly skipped: number;
  /**
   * E[X(T, T + t) | x, tx, T]: expected purchases in the next `t` time units (Fader & Hardie
   * 2005, eq. 24).
   * @param t - horizon (time units of the fit, ≥ 0)
   * @param x - repeat purchases
   * @param tx - recency
   * @param T - age
   * @returns the expected count (NaN for invalid input)
   */
  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number;
  /**
   * P(alive | x, tx, T): probability that the customer has not dropped out by T.
   * @param x - repeat purchases
   * @param tx - recency
   * @param T - age
   * @returns a probability in [0, 1] (NaN for invalid input)
   */
  probabilityAlive(x: number, tx: number, T: number): number;
  /**
   * E[X(t)]: expected purchases of a new customer in a period of length t since the first purchase.
   * @param t - period length (≥ 0)
   * @returns the expected count
   */
  expectedPurchases(t: number): number;
  /**
   * Individual log-likelihood ln L(r, α, s, β | x, tx, T).
   * @param x - repeat purchases
   * @param tx - recency
   * @param T - age
   * @returns the log-likelihood (NaN for invalid input)
   */
  customerLogLikelihood(x: number, tx: number, T: number): number;
}

/** Options of {@link fitParetoNbd}. */
export interface ParetoNbdOptions {
  /** Starting parameters (default r = 1, s = 1, α = β = mean T; the fit is in log space). */
  readonly initial?: ParetoNbdParams | undefined;
  /** Likelihood evaluation budget of the Nelder–Mead search (default 20 000). */
  readonly maxEvaluations?: number | undefined;
}

const FN = "fitParetoNbd";
const KEYS: OptionKeys<ParetoNbdOptions> = { initial: true, maxEvaluations: true };

/**
 * Fit the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) by maximum likelihood on a
 * calibration summary. Purchases follow a Poisson process with rate λ ~ Gamma(r, α) while the
 * customer is alive; the lifetime is exponential with rate μ ~ Gamma(s, β). The likelihood is
 * that of Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions", eq. (22), with the Gauss hypergeometric term written as
 * ₂F₁(r+s+x, ·; r+s+x+1; |α−β| / (max(α,β) + t)) and combined in log-sum-exp form. The search
 * is Nelder–Mead in log-parameter space; identical (x, tx, T) rows are grouped first.
 * Invalid rows are skipped and counted, never thrown on. On steady buyers without drop-out (B2B
 * customers ordering every week) the likelihood rises toward the edge of the parameter space
 * (r, α → ∞, s → 0): the fit ends at its budget and says `converged: false` (docs/patterns.md,
 * "Steady buyers without drop-out").
 *
 * @param summary - columns `x`, `tx`, `T` of equal length (e.g. a BTYD calibration summary)
 * @param options - `initial` parameters, `maxEvaluations`
 * @returns the fitted model with P(alive), conditional and unconditional expected purchases
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or columns of different lengths
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitParetoNbd } from "orderpulse";
 * const model = fitParetoNbd({ x: [0, 2, 5, 1, 0, 3], tx: [0, 8, 20, 3, 0, 30], T: [30, 32, 25, 40, 12, 35] });
 * assert.ok(model.params.r > 0 && model.params.beta > 0);
 * const p = model.probabilityAlive(5, 20, 25);
 * assert.ok(p > 0 && p <= 1);
 * assert.ok(model.conditionalExpectedPurchases(10, 5, 20, 25) > model.conditionalExpectedPurchases(5, 5, 20, 25));
 * ```
 */
export function fitParetoNbd(summary: RecencyFrequencyColumns, options?: ParetoNbdOptions): ParetoNbdModel {
  const o = optionsObject(options, FN, KEYS);
  checkInt(o, "maxEvaluations", 1, 10_000_000, FN);
  if (o["initial"] !== undefined) checkObject(o, "initial", ["r", "alpha", "s", "beta"], FN);
  const initial = o["initial"] !== undefined ? checkParams(o["initial"], ["r", "alpha", "s", "beta"], FN, "initial") : undefined;
  const groups = groupRows(summary, FN);
  const { x, tx, T, w } = groups;
  let start: number[];
  if (initial !== undefined) {
    start = initial.map(Math.log);
  } else {
    let sw = 0, sT = 0;
    for (let i = 0; i < w.length; i++) {
      sw += w[i]!;
      sT += w[i]! * T[i]!;
    }
    // (every customer with T = 0, a base first seen on the calibration end: log 0 started the
    // search at −∞ and every prediction read NaN; review 2026-12-07)
    const meanT = sw > 0 && sT > 0 ? sT / sw : 1;
    start = [0, Math.log(meanT), 0, Math.log(meanT)];
  }
  const negLL = (lp: readonly number[]): number => {
    const p = { r: Math.exp(lp[0]!), alpha: Math.exp(lp[1]!), s: Math.exp(lp[2]!), beta: Math.exp(lp[3]!) };
    let ll = 0;
    for (let i = 0; i < w.length; i++) ll += w[i]! * logLikelihood(p, x[i]!, tx[i]!, T[i]!);
    return -ll;
  };
  // the stall rule ends a walk along a flat ridge (customers without repeat purchases: 93 s for 50
  // of them, the last 18,000 of 20,000 evaluations changing nothing; review 2026-12-07)
  const nm = nelderMead(negLL, start, { maxEvaluations: (o["maxEvaluations"] as number | undefined) ?? 20_000, stall: FIT_STALL });
  const params: ParetoNbdParams = { r: Math.exp(nm.x[0]!), alpha: Math.exp(nm.x[1]!), s: Math.exp(nm.x[2]!), beta: Math.exp(nm.x[3]!) };
  // (no customers: the log-likelihood of no data, 0, as BG/NBD's fits report it)
  return buildModel(params, groups.customers > 0 ? -nm.value : 0, nm.converged && groups.customers > 0, nm.evaluations, groups.customers, groups.skipped);
}

/**
 * A Pareto/NBD model at given parameters (e.g. stored from an earlier fit or published), with
 * the same per-customer expressions as {@link fitParetoNbd}'s result.
 *
 * @param params - r, alpha, s, beta (all > 0)
 * @returns the model (`logLikelihood` NaN, `customers` 0)
 * @throws {OrderpulseError} `INVALID_OPTION` when a parameter is not a positive finite number
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paretoNbdModel } from "orderpulse";
 * const m = paretoNbdModel({ r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 });
 * assert.ok(Math.abs(m.expectedPurchases(1) - 0.0508) < 1e-3);
 * ```
 */
export function paretoNbdModel(params: ParetoNbdParams): ParetoNbdModel {
  const o = optionsObject(params, "paretoNbdModel");
  checkParams(o, ["r", "alpha", "s", "beta"], "paretoNbdModel", "");
  return buildModel({ r: params.r, alpha: params.alpha, s: params.s, beta: params.beta }, Number.NaN, true, 0, 0, 0);
}

function buildModel(params: ParetoNbdParams, ll: number, converged: boolean, evaluations: number, customers: number, skipped: number): ParetoNbdModel {
  const { r, alpha, s, beta } = params;
  return {
    params,
    logLikelihood: ll,
    converged,
    evaluations,
    customers,
    skipped,
    // (t_x is 0 without repeat purchases, as the columns define it: a stray t_x made a customer with
    // no repeat purchase "surely alive")
    customerLogLikelihood: (x, tx, T) => (validRow(x, tx, T) ? logLikelihood(params, x, x === 0 ? 0 : tx, T) : Number.NaN),
    probabilityAlive(x, txIn, T) {
      if (!validRow(x, txIn, T)) return Number.NaN;
      const tx = x === 0 ? 0 : txIn;
      // Fader & Hardie (2005) eq. (18) with every scale relative to q₁ = max(α, β) + t_x (see logA0Relative)
      const m = Math.max(alpha, beta), q1 = m + tx;
      const e = Math.log(s) - Math.log(r + s + x) + (r + x) * logRatio(alpha + T, q1, alpha - m + T - tx) + s * logRatio(beta + T, q1, beta - m + T - tx) + logA0Relative(params, x, tx, T);
      return 1 / (1 + Math.exp(e));
    },
    conditionalExpectedPurchases(t, x, txIn, T) {
      if (!validRow(x, txIn, T) || !(t >= 0)) return Number.NaN;
      const tx = x === 0 ? 0 : txIn;
      if (t === 0) return 0;
      // Fader & Hardie (2005) eq. (24): E[X(T,T+t)|·] = Γ(r+x)α^r β^s / (Γ(r)(α+T)^{r+x}(β+T)^s) × (r+x)(β+T)/(α+T) × [1 − ((β+T)/(β+T+t))^{s−1}]/(s−1) / L
      const first = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta) - (r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
      const second = Math.log(r + x) + Math.log(beta + T) - Math.log(alpha + T);
      const third = Math.log(powerDifference(s, t / (beta + T)));
      return Math.exp(first + second + third - logLikelihood(params, x, tx, T));
    },
    expectedPurchases(t) {
      if (!(t >= 0)) return Number.NaN;
      // E[X(t)] = rβ/(α(s−1)) [1 − (β/(β+t))^{s−1}]
      return ((r * beta) / alpha) * powerDifference(s, t / beta);
    },
  };
}

/** [1 − (1+u)^{−(s−1)}] / (s−1), stable near s = 1 (limit ln(1+u)). */
function powerDifference(s: number, u: number): number {
  const l = Math.log1p(u);
  const k = s - 1;
  if (Math.abs(k * l) < 1e-8) return l * (1 - (k * l) / 2);
  return -Math.expm1(-k * l) / k;
}

function validRow(x: number, tx: number, T: number): boolean {
  // T = 0 (a first purchase on the calibration end) only without repeat purchases: x repeats in no
  // time has no likelihood (one such row took ln L to +515 and α to 1e-20: self-review)
  return Number.isInteger(x) && x >= 0 && tx >= 0 && (T > 0 || (T === 0 && x === 0)) && tx <= T && Number.isFinite(T);
}

/**
 * ln A₀ with A₀ = ₂F₁(a, b; a+1; z₁)/(m+tx)^a − ₂F₁(a, b; a+1; z₂)/(m+T)^a, a = r+s+x,
 * m = max(α, β), z = |α−β|/(m + t), b = s+1 when α ≥ β else r+x (Fader & Hardie 2005, eqs. 19–20).
 * A ₂F₁ that overflows (its terms grow like n^{b−1} zⁿ: past about 1e308 once (r+x)·(−ln(1−z))
 * passes about 709, a frequent buyer gone silent with β ≫ α, whose P(alive) then read 1 instead
 * of 4.5e-8) is taken in logs through Euler's transformation, ₂F₁(a, b; a+1; z) = (1−z)^{1−b}
 * ₂F₁(1, a+1−b; a+1; z), whose terms fall like n^{−b} zⁿ (fast for the large b that overflows).
 */
function logA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  return logA0Relative(p, x, tx, T) - (p.r + p.s + x) * Math.log(Math.max(p.alpha, p.beta) + tx);
}

/**
 * ln(v / q) given also d = v − q (formed without rounding v): log1p(d / q) when v is within half
 * of q (the difference of two logs of nearly equal huge numbers loses its digits there), else the
 * difference of the logs (log1p of an argument near −1 inherits its rounding: ln(0.001 / 1000)
 * from −0.999999 lost 4 digits).
 */
function logRatio(v: number, q: number, d: number): number {
  return Math.abs(d) < 0.5 * q ? Math.log1p(d / q) : Math.log(v) - Math.log(q);
}

/**
 * ln A₀ + a·ln q₁ (a = r+s+x, q₁ = max(α, β) + t_x): A₀ relative to the scale of its first term,
 * every step from t_x to T through log1p, so a caller adding (r+x)·ln(α+T) and s·ln(β+T) can do
 * it relative to q₁ as well (P(alive) with α near 1e14 lost its digits to the difference of
 * two huge logs: 0.24x the true value at 1e15).
 */
function logA0Relative(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const a = r + s + x;
  const m = Math.max(alpha, beta);
  const d = Math.abs(alpha - beta);
  const b = alpha >= beta ? s + 1 : r + x;
  const q1 = m + tx, q2 = m + T;
  // z within 1e-4 of 1 (one of α, β thousands of times the other, where a fit's simplex may walk):
  // the series would need hundreds of thousands to millions of terms per row and evaluation (a
  // six-row fit took minutes), so the integral at once
  if (d / q1 > 0.9999) return logA0IntegralRelative(p, x, tx, T);
  const logF = (z: number): number => {
    const f = hyp2f1(a, b, a + 1, z);
    return f === f ? Math.log(f) : Number.NaN; // NaN: its series did not converge (z near 1)
  };
  // a·ln(q₂/q₁), the second term's scale against the first's
  const step = a * Math.log1p((T - tx) / q1);
  let l1 = logF(d / q1);
  let l2 = logF(d / q2) - step;
  // a series that did not converge (c − a − b near an integer, one of α, β a million times the
  // other): A₀ as the integral it is (3x off in P(alive) before, ln L 5.78 for 6.91)
  if (l1 !== l1 || l2 !== l2) return logA0IntegralRelative(p, x, tx, T);
  const logEuler = (z: number): number => (1 - b) * Math.log1p(-z) + logEulerSeries(a, b, z);
  if (!Number.isFinite(l1)) l1 = logEuler(d / q1);
  if (!Number.isFinite(l2)) l2 = logEuler(d / q2) - step;
  if (!(l2 < l1)) return Number.NEGATIVE_INFINITY;
  return l1 + Math.log(-Math.expm1(l2 - l1));
}

/**
 * ln A₀ + a·ln q₁ (see {@link logA0Relative}) from its integral, A₀ = (r+s+x) ∫_{t_x}^{T}
 * (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ (purchases at rate λ until a drop-out at τ between the last
 * purchase and T, averaged over the gamma priors: Fader & Hardie 2005), by tanh-sinh quadrature
 * of the positive, decreasing integrand taken relative to its value at t_x (no overflow, no
 * cancellation; slower than the series).
 */
function logA0IntegralRelative(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  if (!(T > tx)) return Number.NEGATIVE_INFINITY;
  const m = Math.max(alpha, beta), q1 = m + tx;
  // −(r+x)·ln(α+t_x) − (s+1)·ln(β+t_x) + a·ln q₁, each log relative to q₁
  const top = -(r + x) * logRatio(alpha + tx, q1, alpha - m) - (s + 1) * logRatio(beta + tx, q1, beta - m) - Math.log(q1);
  // the exponent relative to t_x through log1p of the relative step, not as a difference of two
  // logs: with r in the millions (a fit walking the ridge r, α → ∞) that difference lost 8 digits,
  // the quadrature never settled and ran all its levels on every call
  const integral = tanhSinh((_tau, u) => Math.exp(-(r + x) * Math.log1p(u / (alpha + tx)) - (s + 1) * Math.log1p(u / (beta + tx))), tx, T, 1e-12);
  return Math.log(r + s + x) + top + Math.log(integral);
}

/**
 * ln ₂F₁(1, a+1−b; a+1; z) for 0 ≤ z < 1 by its series: positive terms whose ratios
 * (a+1−b+n)/(a+1+n)·z rise towards z (a+1−b > 0), so no term overflows and none cancels. After
 * 10,000 terms the rest is the geometric tail at the last ratio (a lower bound; reached only near
 * z = 1 with b near 1, where the optimizer's extreme steps go, not fitted parameters).
 */
function logEulerSeries(a: number, b: number, z: number): number {
  const bp = a + 1 - b, c = a + 1;
  let term = 1, sum = 1;
  for (let n = 0; n < 10_000; n++) {
    term *= ((bp + n) / (c + n)) * z;
    sum += term;
    if (term <= 1e-17 * sum) return Math.log(sum);
  }
  const ratio = ((bp + 10_000) / (c + 10_000)) * z;
  return Math.log(sum + (term * ratio) / (1 - ratio));
}

/** Fader & Hardie (2005) eq. (22) in logs: ln L = A₁ + ln[(α+T)^{−(r+x)}(β+T)^{−s} + s/(r+s+x) A₀]. */
function logLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const u = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const v = Math.log(s) + logA0(p, x, tx, T) - Math.log(r + s + x);
  const hi = Math.max(u, v);
  return a1 + hi + Math.log1p(Math.exp(Math.min(u, v) - hi));
}

/** @internal Valid rows grouped by identical (x, tx, T), with counts as weights. */
export function groupRows(summary: RecencyFrequencyColumns, fn: string): { x: number[]; tx: number[]; T: number[]; w: number[]; customers: number; skipped: number } {
  checkSummaryColumns(summary, fn);
  const { x, tx, T } = summary;
  const index = new Map<string, number>();
  const out = { x: [] as number[], tx: [] as number[], T: [] as number[], w: [] as number[], customers: 0, skipped: 0 };
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!, Ti = T[i]!;
    // (and not fitted: repeat purchases at recency 0, which no purchase log gives and whose ln L
    // has no upper bound as α → 0, as T = 0 with repeats; the model's methods still evaluate them)
    if (!validRow(xi, tx[i]!, Ti) || (xi > 0 && tx[i] === 0)) {
      out.skipped++;
      continue;
    }
    const ti = xi === 0 ? 0 : tx[i]!; // (recency is 0 without repeat purchases, as in the BG/NBD family)
    out.customers++;
    const key = `${xi},${ti},${Ti}`;
    const k = index.get(key);
    if (k !== undefined) out.w[k]!++;
    else {
      index.set(key, out.w.length);
      out.x.push(xi);
      out.tx.push(ti);
      out.T.push(Ti);
      out.w.push(1);
    }
  }
  const order = groupOrder(out.x, out.tx, out.T);
  return { x: order.map((k) => out.x[k]!), tx: order.map((k) => out.tx[k]!), T: order.map((k) => out.T[k]!), w: order.map((k) => out.w[k]!), customers: out.customers, skipped: out.skipped };
}
