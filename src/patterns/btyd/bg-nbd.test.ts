import { describe, expect, it } from "vitest";
import { cdnowEvents, cdnowSummaryColumns } from "../../../test/support/btyd-cdnow.ts";
import { isOrderpulseError } from "../../data/errors.ts";
import { expectInvalid } from "../../../test/support/expect-invalid.ts";
import { fitMbgNbd } from "./mbg-nbd.ts";
import { fitBgNbd } from "./bg-nbd.ts";
import { bgNbdModel } from "./bg-nbd-model.ts";
import { calibrationSummary } from "./calibration-summary.ts";

const cdnow = cdnowSummaryColumns();

describe("fitBgNbd on CDNOW (Fader, Hardie & Lee 2005)", () => {
  const fit = fitBgNbd(cdnow);

  it("reproduces r=0.243, alpha=4.414, a=0.793, b=2.426 (abs < 0.015) and LL -9582.43 (abs < 0.01)", () => {
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(fit.skipped).toBe(0);
    expect(Math.abs(fit.params.r - 0.243)).toBeLessThan(0.015);
    expect(Math.abs(fit.params.alpha - 4.414)).toBeLessThan(0.015);
    expect(Math.abs(fit.params.a - 0.793)).toBeLessThan(0.015);
    expect(Math.abs(fit.params.b - 2.426)).toBeLessThan(0.015);
    expect(Math.abs(fit.logLikelihood - -9582.43)).toBeLessThan(0.01);
  });

  it("the log-likelihood at the published parameters, summed over the 2357 customers, is -9582.43", () => {
    const m = bgNbdModel({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    let ll = 0;
    for (let i = 0; i < cdnow.x.length; i++) ll += m.customerLogLikelihood(cdnow.x[i]!, cdnow.tx[i]!, cdnow.T[i]!);
    expect(Math.abs(ll - -9582.43)).toBeLessThan(0.01);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(ll);
  });

  it("predicts the lifetimes fixtures with the fitted model", () => {
    expect(Math.abs(fit.conditionalExpectedPurchases(39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(1e-3);
    const t = [0.1429, 1, 3, 31.8571, 32, 78];
    const want = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    t.forEach((ti, i) => expect(fit.expectedPurchases(ti)).toBeCloseTo(want[i]!, 3));
  });

  it("fits the summary built from the raw event log to the same parameters", () => {
    const s = calibrationSummary(cdnowEvents(), { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30" });
    const f2 = fitBgNbd(s);
    expect(Math.abs(f2.params.r - 0.243)).toBeLessThan(0.015);
    expect(Math.abs(f2.params.alpha - 4.414)).toBeLessThan(0.015);
    expect(Math.abs(f2.params.a - 0.793)).toBeLessThan(0.015);
    expect(Math.abs(f2.params.b - 2.426)).toBeLessThan(0.015);
    // holdout sanity check: Σ conditional E[X(39)] ≈ 1654 against 1882 observed repeat purchases
    let expected = 0;
    for (let i = 0; i < s.x.length; i++) expected += f2.conditionalExpectedPurchases(s.holdoutLength!, s.x[i]!, s.tx[i]!, s.T[i]!);
    expect(expected).toBeGreaterThan(1600);
    expect(expected).toBeLessThan(1700);
  });

  it("a penalizer shrinks the parameters; a start point is accepted", () => {
    const pen = fitBgNbd(cdnow, { penalizer: 0.1 });
    expect(pen.penalizer).toBe(0.1);
    expect(pen.params.alpha).toBeLessThan(fit.params.alpha);
    expect(pen.logLikelihood).toBeLessThan(fit.logLikelihood);
    const fromStart = fitBgNbd(cdnow, { initial: { r: 0.5, alpha: 10, a: 0.5, b: 5 } });
    expect(Math.abs(fromStart.params.r - fit.params.r)).toBeLessThan(1e-3);
    expect(Math.abs(fromStart.logLikelihood - fit.logLikelihood)).toBeLessThan(1e-4);
  });
});

describe("fitBgNbd edge cases", () => {
  it("skips invalid rows and returns customers: 0 when nothing is usable", () => {
    const f = fitBgNbd({ x: [1, -1, Number.NaN, 2], tx: [5, 1, 1, 9], T: [10, 10, 10, 8] });
    expect(f.skipped).toBe(4 - f.customers);
    expect(f.customers).toBe(1);
    // a fractional repeat count is no count (review 2026-12-06: a row x = 0.5 put the fit on the
    // pole b = 1 − x of the drop-out term, raising ln L by 32): skipped, and NaN from the model
    const rows = { x: [2, 1, 0, 0, 4, 1, 3, 0], tx: [30.4, 1.7, 0, 0, 10.9, 14.6, 34.1, 0], T: [38.9, 38.9, 38.9, 38.9, 38.9, 38.9, 38.9, 38.9] };
    const base = fitBgNbd(rows);
    const plus = fitBgNbd({ x: [...rows.x, 0.5], tx: [...rows.tx, 10], T: [...rows.T, 30] });
    expect([plus.customers, plus.skipped, plus.logLikelihood]).toEqual([base.customers, 1, base.logLikelihood]);
    expect(base.probabilityAlive(0.5, 10, 30)).toBeNaN();
    expect(base.conditionalExpectedPurchases(10, 0.5, 10, 30)).toBeNaN();
    expect(fitMbgNbd({ x: [...rows.x, 0.5], tx: [...rows.tx, 10], T: [...rows.T, 30] }).skipped).toBe(1);
    const empty = fitBgNbd({ x: [], tx: [], T: [] });
    expect(empty.customers).toBe(0);
    expect(empty.converged).toBe(false);
    expect(empty.logLikelihood).toBe(0);
  });

  it("throws INVALID_OPTION for bad options", () => {
    const bad = [{ penalizer: -1 }, { maxEvaluations: 1.5 }, { initial: { r: 1, alpha: 1, a: 1, b: 0 } }, { initial: 3 }, { foo: 1 }, "x"];
    for (const o of bad) {
      let err: unknown;
      try {
        fitBgNbd(cdnow, o as never);
      } catch (e) {
        err = e;
      }
      expect(isOrderpulseError(err) && err.code === "INVALID_OPTION").toBe(true);
    }
    // a missing summary too (it threw a TypeError reading its columns)
    for (const summary of [null, undefined, 3]) {
      let err: unknown;
      try {
        fitBgNbd(summary as never);
      } catch (e) {
        err = e;
      }
      expect(isOrderpulseError(err) && err.code === "INVALID_OPTION" && err.details?.["option"] === "summary").toBe(true);
    }
  });
});

describe("fitBgNbd: row order", () => {
  it("a shuffled summary gives the same parameters to the last bit (groups summed in (x, t_x, T) order)", () => {
    const n = cdnow.x.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const shuffled = { x: perm.map((i) => cdnow.x[i]!), tx: perm.map((i) => cdnow.tx[i]!), T: perm.map((i) => cdnow.T[i]!) };
    expect(fitBgNbd(shuffled).params).toEqual(fitBgNbd(cdnow).params);
  });
});

describe("fitBgNbd summary columns (review 2026-12-06)", () => {
  it("columns of different lengths, or missing, are INVALID_OPTION as for fitParetoNbd (they fitted silently)", () => {
    expectInvalid(() => fitBgNbd({ x: [1, 2, 3], tx: [1, 2], T: [5, 5, 5] }), "summary");
    expectInvalid(() => fitBgNbd({} as never), "summary");
  });
});

describe("repeat purchases at recency 0 (review 2026-12-07)", () => {
  // the JSDoc example's eight customers, and one hand-made row x = 2, t_x = 0 (no purchase log gives
  // it: repeats are later days); its likelihood grows without bound as alpha -> 0
  const base = { x: [0, 1, 3, 0, 2, 5, 0, 1], tx: [0, 4, 20, 0, 12, 30, 0, 2], T: [30, 32, 35, 20, 26, 38, 15, 30] };
  const withRow = { x: [...base.x, 2], tx: [...base.tx, 0], T: [...base.T, 30] };
  it("is skipped and counted by BG/NBD, MBG/NBD and Pareto/NBD, which fit the others as without it", async () => {
    const { fitParetoNbd } = await import("./pareto-nbd.ts");
    for (const fit of [fitBgNbd, fitMbgNbd, fitParetoNbd] as const) {
      const clean = fit(base), dirty = fit(withRow);
      // (it took BG/NBD's alpha to 7.7e-30 and ln L to +1753)
      expect([dirty.skipped, dirty.customers]).toEqual([1, 8]);
      expect(dirty.params).toEqual(clean.params);
    }
  });
});
