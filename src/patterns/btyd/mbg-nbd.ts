import { fitLogParams } from "../internal/btyd-fit.ts";
import { familyLogLikelihoodSum } from "../internal/bg-nbd-family.ts";
import type { BtydCountingFit, BtydCountingFitOptions, BtydCountingSummary } from "./counting-model.ts";
import { type MbgNbdParams, mbgNbdModel } from "./mbg-nbd-model.ts";

/** A fitted MBG/NBD model: parameters, fit diagnostics and the prediction methods of {@link mbgNbdModel}. */
export type MbgNbdFit = BtydCountingFit<MbgNbdParams>;

/**
 * Fit the modified BG/NBD model (Batislam, Denizel & Filiztekin 2007) by maximum likelihood to a
 * recency / frequency summary. The log-likelihood of a customer with history (x, t_x, T) is
 *
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b)
 *          + ln[ (α+T)^−(r+x) + a/(b+x) · (α+t_x)^−(r+x) ]
 *
 * (the drop-out term applies to x = 0 too, with t_x = 0), evaluated with lgamma and
 * log-sum-exp; the search is the same as {@link fitBgNbd}'s (Nelder–Mead in log-parameter space,
 * optional L2 `penalizer`). On CDNOW (weeks) it gives r = 0.525, α = 6.183, a = 0.891,
 * b = 1.614, the values BTYDplus and lifetimes report, with ln L = −9582.13.
 *
 * @param summary - x, tx, T columns (one time unit; weeks in the literature)
 * @param options - penalizer (default 0), initial parameters, maxEvaluations (default 20000)
 * @returns the fitted model (an unfitted start and `customers: 0` when no row is usable)
 * @throws {OrderpulseError} `INVALID_OPTION` for a summary without x, tx and T columns of one
 *   length, an unknown option, a negative penalizer, a bad budget or non-positive initial parameters
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitMbgNbd } from "orderpulse";
 * const fit = fitMbgNbd({ x: [0, 1, 3, 0, 2, 5, 0, 1], tx: [0, 4, 20, 0, 12, 30, 0, 2], T: [30, 32, 35, 20, 26, 38, 15, 30] });
 * assert.equal(fit.customers, 8);
 * const pa = fit.probabilityAlive(0, 0, 30);
 * assert.ok(pa > 0 && pa < 1);
 * ```
 */
export function fitMbgNbd(summary: BtydCountingSummary, options?: BtydCountingFitOptions<MbgNbdParams>): MbgNbdFit {
  const f = fitLogParams(summary, options, ["r", "alpha", "a", "b"], 1, (p, g) => familyLogLikelihoodSum(p, 1, g), "fitMbgNbd");
  const [r, alpha, a, b] = f.params as [number, number, number, number];
  const model = mbgNbdModel({ r, alpha, a, b });
  return { ...model, logLikelihood: f.logLikelihood, converged: f.converged, evaluations: f.evaluations, customers: f.customers, skipped: f.skipped, penalizer: f.penalizer };
}
