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
