import { checkParams } from "../internal/btyd-fit.ts";
import {
  familyConditionalExpected,
  familyLogLikelihood,
  familyProbabilityAlive,
  familyProbabilityOfPurchases,
} from "../internal/bg-nbd-family.ts";
import type { BgNbdParams } from "./bg-nbd-model.ts";
import type { BtydCountingModel } from "./counting-model.ts";

/** MBG/NBD parameters: the same four as BG/NBD (r, alpha for the Gamma purchase rates; a, b for the Beta drop-out probability). */
export type MbgNbdParams = BgNbdParams;

/** An MBG/NBD model with fixed parameters. */
export type MbgNbdModel = BtydCountingModel<MbgNbdParams>;

/**
 * The modified BG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and
 * comparison of models for customer base analysis") with given parameters. As BG/NBD (Fader,
 * Hardie & Lee 2005), but a customer may also drop out right after the *first* purchase, so
 * P(alive) is below 1 for customers with no repeat purchase:
 *
 * - `probabilityAlive(x, tx, T)` = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)).
 * - `conditionalExpectedPurchases(t, x, tx, T)` = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
 *   · 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive).
 * - `expectedPurchases(t)` = b/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b+1; a+b; t/(α+t))].
 * - `t = Infinity` (a lifetime): the limit, (a+b+x)/(a−1) · P(alive) for a > 1, +Infinity for a ≤ 1 (the
 *   expected count of a living customer has no bound); as Pareto/NBD gives its own limit.
 * - `probabilityOfPurchases(t, n)` = B(a, b+n+1)/B(a, b) · NBD(n) + B(a+1, b+n)/B(a, b) · P(NBD ≥ n).
 * - `customerLogLikelihood(x, tx, T)`.
 *
 * @param params - r, alpha, a, b (positive)
 * @returns the model
 * @throws {OrderpulseError} `INVALID_OPTION` when a parameter is missing, not finite or not positive
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mbgNbdModel } from "orderpulse";
 * const m = mbgNbdModel({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 });   // CDNOW, weeks
 * assert.ok(Math.abs(m.conditionalExpectedPurchases(39, 2, 30.43, 38.86) - 1.226) < 0.05);
 * assert.ok(m.probabilityAlive(0, 0, 38.86) < 1);
 * ```
 */
export function mbgNbdModel(params: MbgNbdParams): MbgNbdModel {
  const p = checkParams(params, ["r", "alpha", "a", "b"], "mbgNbdModel", "params");
  const [r, alpha, a, b] = p as [number, number, number, number];
  return {
    params: { r, alpha, a, b },
    probabilityAlive: (x: number, tx: number, T: number): number => familyProbabilityAlive(p, 1, x, tx, T),
    conditionalExpectedPurchases: (t: number, x: number, tx: number, T: number): number => familyConditionalExpected(p, 1, t, x, tx, T),
    expectedPurchases: (t: number): number => familyConditionalExpected(p, 1, t, 0, 0, 0),
    probabilityOfPurchases: (t: number, n: number): number => familyProbabilityOfPurchases(p, 1, t, n),
    customerLogLikelihood: (x: number, tx: number, T: number): number => familyLogLikelihood(p, 1, x, tx, T),
  };
}
