import { describe, expect, it } from "vitest";
import { cdnowSummaryColumns } from "../../../test/support/btyd-cdnow.ts";
import { isOrderpulseError } from "../../data/errors.ts";
import { fitBgNbd } from "./bg-nbd.ts";
import { fitMbgNbd } from "./mbg-nbd.ts";
import { mbgNbdModel } from "./mbg-nbd-model.ts";

const cdnow = cdnowSummaryColumns();

describe("fitMbgNbd on CDNOW (Batislam, Denizel & Filiztekin 2007)", () => {
  const fit = fitMbgNbd(cdnow);

  it("reproduces r=0.525, alpha=6.183, a=0.891, b=1.614 (abs < 0.015; also within lifetimes' 0.0015 of BTYDplus) and LL -9582.13", () => {
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(Math.abs(fit.params.r - 0.525)).toBeLessThan(0.015);
    expect(Math.abs(fit.params.alpha - 6.183)).toBeLessThan(0.015);
    expect(Math.abs(fit.params.a - 0.891)).toBeLessThan(0.015);
    expect(Math.abs(fit.params.b - 1.614)).toBeLessThan(0.015);
    const ref = [0.525, 6.183, 0.891, 1.614];
    [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b].forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(0.0015));
    expect(Math.abs(fit.logLikelihood - -9582.13)).toBeLessThan(0.01);
    const m = mbgNbdModel({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 });
    let ll = 0;
    for (let i = 0; i < cdnow.x.length; i++) ll += m.customerLogLikelihood(cdnow.x[i]!, cdnow.tx[i]!, cdnow.T[i]!);
    expect(Math.abs(ll - -9582.13)).toBeLessThan(0.01);
  });

  it("predicts the shared fixture and stays close to BG/NBD", () => {
    expect(Math.abs(fit.conditionalExpectedPurchases(39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.05);
    const bg = fitBgNbd(cdnow);
    for (const t of [1, 10, 39, 78]) expect(Math.abs(fit.expectedPurchases(t) - bg.expectedPurchases(t)) / bg.expectedPurchases(t)).toBeLessThan(0.05);
  });

  it("throws INVALID_OPTION for bad options", () => {
    let err: unknown;
    try {
      fitMbgNbd(cdnow, { penalizer: Number.NaN });
    } catch (e) {
      err = e;
    }
    expect(isOrderpulseError(err) && err.code === "INVALID_OPTION").toBe(true);
  });
});
