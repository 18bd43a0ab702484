import { checkParams } from "../internal/btyd-fit.ts";
import {
  familyConditionalExpected,
  familyLogLikelihood,
  familyProbabilityAlive,
  familyProbabilityOfPurchases,
} from "../internal/bg-nbd-family.ts";
import type { BtydCountingModel } from "./counting-model.ts";

/** BG/NBD parameters (Fader, Hardie & Lee 2005). */
export interface BgNbdParams {
  /** Shape r of the Gamma distribution of purchase rates λ. */
  readonly r: number;
  /** Scale α of that Gamma distribution (in the summary's time unit). */
  readonly alpha: number;
  /** Beta parameter a of the drop-out probability p. */
  readonly a: number;
  /** Beta parameter b of the drop-out probability p. */
  readonly b: number;
}

/** A BG/NBD model with fixed parameters. */
export type BgNbdModel = BtydCountingModel<BgNbdParams>;

/**
 * The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way") with given
 * parameters: while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after
 * each repeat purchase they drop out with probability p ~ Beta(a, b). Use it to predict with
 * published or stored parameters; {@link fitBgNbd} returns the same methods after a fit.
 *
 * - `probabilityAlive(x, tx, T)` = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)); 1 when x = 0.
 * - `conditionalExpectedPurchases(t, x, tx, T)` = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
 *   · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive) (eq. 10 of the paper).
 * - `expectedPurchases(t)` = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))] (eq. 9).
 * - `t = Infinity` (a lifetime): the limit, (a+b+x−1)/(a−1) · P(alive) for a > 1, +Infinity for a ≤ 1 (the
 *   expected count of a living customer has no bound); as Pareto/NBD gives its own limit.
 * - `probabilityOfPurchases(t, n)` = P(X(t) = n) (eq. 8).
 * - `customerLogLikelihood(x, tx, T)` (eq. 6, in log space).
 *
 * @param params - r, alpha, a, b (positive)
 * @returns the model
 * @throws {OrderpulseError} `INVALID_OPTION` when a parameter is missing, not finite or not positive
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bgNbdModel } from "orderpulse";
 * const m = bgNbdModel({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });   // CDNOW, weeks
 * assert.ok(Math.abs(m.conditionalExpectedPurchases(39, 2, 30.43, 38.86) - 1.226) < 1e-3);
 * assert.equal(m.probabilityAlive(0, 0, 38.86), 1);
 * ```
 */
export function bgNbdModel(params: BgNbdParams): BgNbdModel {
  const p = checkParams(params, ["r", "alpha", "a", "b"], "bgNbdModel", "params");
  const [r, alpha, a, b] = p as [number, number, number, number];
  return {
    params: { r, alpha, a, b },
    probabilityAlive: (x: number, tx: number, T: number): number => familyProbabilityAlive(p, 0, x, tx, T),
    conditionalExpectedPurchases: (t: number, x: number, tx: number, T: number): number => familyConditionalExpected(p, 0, t, x, tx, T),
    expectedPurchases: (t: number): number => familyConditionalExpected(p, 0, t, 0, 0, 0),
    probabilityOfPurchases: (t: number, n: number): number => familyProbabilityOfPurchases(p, 0, t, n),
    customerLogLikelihood: (x: number, tx: number, T: number): number => familyLogLikelihood(p, 0, x, tx, T),
  };
}
