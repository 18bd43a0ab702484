import { type BgNbdParams, bgNbdModel } from "../btyd/bg-nbd-model.ts";
import type { BtydCountingFit, BtydCountingSummary } from "../btyd/counting-model.ts";
import { familyLogLikelihoodSum } from "./bg-nbd-family.ts";
import { fitLogParams } from "./btyd-fit.ts";
import type { NelderMeadOptions } from "./nelder-mead.ts";

/**
 * @internal fitBgNbd's body, with the simplex search's stall rule open to callers inside the
 * library (fitPatterns stops on the flat ridge B2B data leave the dropout parameters on).
 */
export function bgNbdFit(summary: BtydCountingSummary, options: unknown, fn: string, search: Pick<NelderMeadOptions, "stall"> = {}): BtydCountingFit<BgNbdParams> {
  const f = fitLogParams(summary, options, ["r", "alpha", "a", "b"], 1, (p, g) => familyLogLikelihoodSum(p, 0, g), fn, search);
  const [r, alpha, a, b] = f.params as [number, number, number, number];
  const model = bgNbdModel({ r, alpha, a, b });
  return { ...model, logLikelihood: f.logLikelihood, converged: f.converged, evaluations: f.evaluations, customers: f.customers, skipped: f.skipped, penalizer: f.penalizer };
}

/**
 * @internal A BG/NBD fit whose dropout collapsed onto the boundary: the mean probability of leaving
 * after a purchase, a / (a + b), below one in a million (a → 0). Its P(alive) is 1 for every
 * customer whatever the silence, and as the interval model's prior it leaves the silence no weight:
 * on 30-60 customers of one year the fit collapsed in 22 of 30 synthetic runs (a = 3e-7,
 * b = 6e4), a churned customer silent 5 of its gaps read P(alive) 99.9% (a review). Healthy fits
 * here are far from it (2,000 synthetic customers: 3e-4; CDNOW: 0.25). fitPatterns takes such a
 * fit for none (pAlive undefined). The churn classifier's features keep it: their btydSilence rests
 * on the purchase rate (r, α), which the collapse leaves informative (without it the synthetic
 * 400-customer holdout AUC fell from 0.86 to 0.77).
 * @param p - the fitted dropout parameters
 * @returns whether the fit collapsed
 */
export function dropoutCollapsed(p: { readonly a: number; readonly b: number }): boolean {
  return !(p.a / (p.a + p.b) >= 1e-6);
}
