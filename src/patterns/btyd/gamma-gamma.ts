import { OrderpulseError } from "../../data/errors.ts";
import { checkInt, checkObject, optionsObject, type OptionKeys } from "../../data/internal/check.ts";
import { lgamma } from "../internal/lgamma.ts";
import { checkParams } from "../internal/btyd-fit.ts";
import { FIT_STALL, nelderMead } from "../internal/nelder-mead.ts";

/** Frequency and average spend columns (one entry per customer, same length). */
export interface FrequencyMonetaryColumns {
  /** Repeat purchases in the calibration period. Only customers with x > 0 enter the fit. */
  readonly x: ArrayLike<number>;
  /** Average value of those x repeat purchases (z̄; the first purchase excluded). */
  readonly monetary: ArrayLike<number>;
}

/**
 * Gamma-Gamma parameters: a customer's transaction values are Gamma(p, ν) with
 * ν ~ Gamma(q, v) across customers; the mean spend E[Z] = pν⁻¹ has mean pv/(q−1).
 */
export interface GammaGammaParams {
  /** Shape of the per-transaction value distribution. */
  readonly p: number;
  /** Shape of the gamma distribution of the per-customer rate ν. */
  readonly q: number;
  /** Scale (rate parameter, in money) of the gamma distribution of ν. */
  readonly v: number;
}

/** A Gamma-Gamma spend model: parameters plus the conditional expected average spend. */
export interface GammaGammaModel {
  /** The parameters. */
  readonly params: GammaGammaParams;
  /** Log-likelihood of the fitted repeaters (NaN when built from parameters alone; 0 for a fit of no customers). */
  readonly logLikelihood: number;
  /** Whether the optimizer converged (true when built from parameters). */
  readonly converged: boolean;
  /** Objective evaluations the optimizer used (0 when built from parameters). */
  readonly evaluations: number;
  /** Customers used in the fit (x > 0 and monetary > 0). */
  readonly customers: number;
  /** Rows not used: x = 0, non-positive or non-finite spend, fractional or negative x. */
  readonly skipped: number;
  /**
   * E[M | x, z̄] = p(v + x z̄)/(px + q − 1): the expected average transaction value of a customer
   * with x repeat purchases averaging z̄ (Fader, Hardie & Lee 2005, eq. 5); with x = 0 the
   * population mean pv/(q−1). +Infinity when px + q ≤ 1 (the mean does not exist).
   * @param x - repeat purchases (≥ 0)
   * @param monetary - their average value (ignored when x = 0)
   * @returns the expected spend per transaction (NaN for invalid input)
   */
  conditionalExpectedSpend(x: number, monetary: number): number;
}

/** Options of {@link fitGammaGamma}. */
export interface GammaGammaOptions {
  /** Starting parameters (default p = q = 1 and v = the geometric mean of the average spends; the fit is in log space). */
  readonly initial?: GammaGammaParams | undefined;
  /** Likelihood evaluation budget of the Nelder–Mead search (default 20 000). */
  readonly maxEvaluations?: number | undefined;
}

const FN = "fitGammaGamma";
const KEYS: OptionKeys<GammaGammaOptions> = { initial: true, maxEvaluations: true };

/**
 * Fit the Gamma-Gamma spend model (Colombo & Jiang 1999; Fader, Hardie & Lee 2005, "RFM and
 * CLV: Using Iso-Value Curves for Customer Base Analysis", eq. 3) by maximum likelihood, in
 * log-parameter space with Nelder–Mead, on the spends divided by their geometric mean (the model
 * is scale-equivariant: spends in a currency of 1e12 a purchase fit as spends of 35 do, v and the
 * expected spend scaled). The likelihood of a customer's average z̄ of x repeat
 * transactions is
 * Γ(px+q) / (Γ(px)Γ(q)) · v^q · z̄^{px−1} · x^{px} / (v + x z̄)^{px+q}.
 * Only repeaters enter (x > 0, z̄ > 0); other rows are skipped and counted. The model assumes
 * spend is independent of purchase frequency: check the correlation of x and z̄ first.
 *
 * @param data - columns `x` and `monetary` (z̄) of equal length
 * @param options - `initial` parameters, `maxEvaluations`
 * @returns the fitted model with the conditional expected average spend
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or columns of different lengths
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitGammaGamma } from "orderpulse";
 * const gg = fitGammaGamma({ x: [1, 2, 4, 1, 3, 0], monetary: [20, 35, 28, 60, 22, 0] });
 * assert.equal(gg.customers, 5);
 * // shrinks a customer's own average toward the population mean
 * const m = gg.conditionalExpectedSpend(1, 60);
 * assert.ok(m < 60 && m > 20);
 * ```
 */
export function fitGammaGamma(data: FrequencyMonetaryColumns, options?: GammaGammaOptions): GammaGammaModel {
  const o = optionsObject(options, FN, KEYS);
  checkInt(o, "maxEvaluations", 1, 10_000_000, FN);
  if (o["initial"] !== undefined) checkObject(o, "initial", ["p", "q", "v"], FN);
  const initial = o["initial"] !== undefined ? checkParams(o["initial"], ["p", "q", "v"], FN, "initial") : undefined;
  if (typeof data !== "object" || data === null || data.x === undefined || data.monetary === undefined || data.x.length !== data.monetary.length) {
    throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option data: expected columns x and monetary of equal length`, { option: "data" });
  }
  const xs: number[] = [], ms: number[] = [];
  let skipped = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i]!, m = data.monetary[i]!;
    if (Number.isInteger(x) && x > 0 && m > 0 && Number.isFinite(m)) {
      xs.push(x);
      ms.push(m);
    } else skipped++;
  }
  // customers in (x, z̄) order: the likelihood's sum must not depend on the rows' order
  const order = xs.map((_, k) => k).sort((i, j) => xs[i]! - xs[j]! || ms[i]! - ms[j]!);
  const sx = order.map((k) => xs[k]!), sm = order.map((k) => ms[k]!);
  for (let k = 0; k < order.length; k++) {
    xs[k] = sx[k]!;
    ms[k] = sm[k]!;
  }
  // The fit runs on z̄ / s, s the geometric mean of the z̄ (the likelihood is scale-equivariant:
  // v scales with s, p and q do not, and the log-likelihood moves by −n ln s), so that spends of
  // 1e12 (or 1e-6) a purchase start as near the optimum as spends of 35 do.
  let sumLog = 0;
  for (const m of ms) sumLog += Math.log(m);
  const logScale = ms.length > 0 ? sumLog / ms.length : 0;
  const scale = Math.exp(logScale);
  for (let k = 0; k < ms.length; k++) ms[k] = ms[k]! / scale;
  // Per-customer constants: ln x and ln z̄.
  const lx = xs.map(Math.log), lm = ms.map(Math.log);
  const negLL = (lp: readonly number[]): number => {
    const p = Math.exp(lp[0]!), q = Math.exp(lp[1]!), v = Math.exp(lp[2]!);
    const base = q * Math.log(v) - lgamma(q);
    let ll = 0;
    for (let i = 0; i < xs.length; i++) {
      const px = p * xs[i]!;
      ll += lgamma(px + q) - lgamma(px) + base + (px - 1) * lm[i]! + px * lx[i]! - (px + q) * Math.log(v + xs[i]! * ms[i]!);
    }
    return -ll;
  };
  const start = initial ? [initial[0]!, initial[1]!, initial[2]! / scale] : [1, 1, 1];
  const nm = nelderMead(negLL, start.map(Math.log), { maxEvaluations: (o["maxEvaluations"] as number | undefined) ?? 20_000, stall: FIT_STALL });
  const params = { p: Math.exp(nm.x[0]!), q: Math.exp(nm.x[1]!), v: Math.exp(nm.x[2]! + logScale) };
  const fitted = xs.length > 0;
  return build(params, fitted ? -nm.value - xs.length * logScale : 0, fitted && nm.converged, nm.evaluations, xs.length, skipped);
}

/**
 * A Gamma-Gamma model at given parameters (stored or published), with the same conditional
 * expected spend as {@link fitGammaGamma}'s result.
 *
 * @param params - p, q, v (all > 0)
 * @returns the model (`logLikelihood` NaN, `customers` 0)
 * @throws {OrderpulseError} `INVALID_OPTION` when a parameter is not a positive finite number
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gammaGammaModel } from "orderpulse";
 * const gg = gammaGammaModel({ p: 6.25, q: 3.74, v: 15.44 });
 * assert.ok(Math.abs(gg.conditionalExpectedSpend(0, 0) - 35.22) < 0.01); // pv/(q-1)
 * ```
 */
export function gammaGammaModel(params: GammaGammaParams): GammaGammaModel {
  const o = optionsObject(params, "gammaGammaModel");
  checkParams(o, ["p", "q", "v"], "gammaGammaModel", "");
  return build({ p: params.p, q: params.q, v: params.v }, Number.NaN, true, 0, 0, 0);
}

function build(params: GammaGammaParams, logLikelihood: number, converged: boolean, evaluations: number, customers: number, skipped: number): GammaGammaModel {
  const { p, q, v } = params;
  return {
    params,
    logLikelihood,
    converged,
    evaluations,
    customers,
    skipped,
    conditionalExpectedSpend(x, monetary) {
      if (!(Number.isInteger(x) && x >= 0)) return Number.NaN;
      if (x === 0) return q > 1 ? (p * v) / (q - 1) : Number.POSITIVE_INFINITY;
      if (!(monetary >= 0 && Number.isFinite(monetary))) return Number.NaN;
      const den = p * x + q - 1;
      return den > 0 ? (p * (v + x * monetary)) / den : Number.POSITIVE_INFINITY;
    },
  };
}
