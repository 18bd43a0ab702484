import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isOrderpulseError } from "../../data/errors.ts";
import { customerLifetimeValue, type PurchaseForecaster } from "./clv.ts";
import { gammaGammaModel } from "./gamma-gamma.ts";
import { paretoNbdModel } from "./pareto-nbd.ts";

const purchases = paretoNbdModel({ r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 });
const spend = gammaGammaModel({ p: 6.25, q: 3.74, v: 15.44 });

describe("customerLifetimeValue", () => {
  it("is the discounted sum of monthly increments (lifetimes' formula, by hand)", () => {
    const c = { x: 2, tx: 30.43, T: 38.86, monetary: 22.35 };
    const m = spend.conditionalExpectedSpend(2, 22.35);
    let want = 0;
    for (let k = 1; k <= 12; k++) {
      const inc = purchases.conditionalExpectedPurchases(k * 4.345, 2, 30.43, 38.86) - purchases.conditionalExpectedPurchases((k - 1) * 4.345, 2, 30.43, 38.86);
      want += (m * inc) / 1.01 ** k;
    }
    expect(customerLifetimeValue(purchases, spend, c)).toBeCloseTo(want, 10);
  });
  it("with no discounting it telescopes to spend x E[Y(horizon)]", () => {
    const c = { x: 5, tx: 20, T: 30, monetary: 50 };
    const v = customerLifetimeValue(purchases, spend, c, { discountRate: 0, periods: 6, periodLength: 2 });
    expect(v).toBeCloseTo(spend.conditionalExpectedSpend(5, 50) * purchases.conditionalExpectedPurchases(12, 5, 20, 30), 10);
  });
  it("accepts any forecaster (a BG/NBD-like stub and a constant spend)", () => {
    const linear: PurchaseForecaster = { conditionalExpectedPurchases: (t) => 0.5 * t };
    const v = customerLifetimeValue(linear, { conditionalExpectedSpend: () => 10 }, { x: 0, tx: 0, T: 1, monetary: 0 }, { periods: 2, periodLength: 1, discountRate: 0.1 });
    expect(v).toBeCloseTo(5 / 1.1 + 5 / 1.21, 12);
  });
  it("is monotone in the horizon and decreasing in the discount rate (property)", () => {
    const customer = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 80, noNaN: true }), fc.double({ min: 1, max: 500, noNaN: true }))
      .map(([x, f, T, monetary]) => ({ x, tx: x === 0 ? 0 : f * T, T, monetary }));
    fc.assert(fc.property(customer, fc.integer({ min: 1, max: 36 }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), (c, K, d1, d2) => {
      const base = customerLifetimeValue(purchases, spend, c, { periods: K, discountRate: d1 });
      expect(base).toBeGreaterThanOrEqual(0);
      expect(customerLifetimeValue(purchases, spend, c, { periods: K + 1, discountRate: d1 })).toBeGreaterThanOrEqual(base);
      const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
      expect(customerLifetimeValue(purchases, spend, c, { periods: K, discountRate: hi })).toBeLessThanOrEqual(customerLifetimeValue(purchases, spend, c, { periods: K, discountRate: lo }) * (1 + 1e-12));
    }), { numRuns: 200 });
  });
  it("NaN for invalid customer data; INVALID_OPTION for bad options", () => {
    expect(customerLifetimeValue(purchases, spend, { x: 2, tx: 40, T: 30, monetary: 10 })).toBeNaN();
    expect(customerLifetimeValue(purchases, spend, null as never)).toBeNaN(); // (threw a TypeError)
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isOrderpulseError(e) ? e.code : "other";
      }
      return undefined;
    };
    const c = { x: 1, tx: 1, T: 2, monetary: 1 };
    expect(codeOf(() => customerLifetimeValue(purchases, spend, c, { periods: 0 }))).toBe("INVALID_OPTION");
    expect(codeOf(() => customerLifetimeValue(purchases, spend, c, { discountRate: -0.1 }))).toBe("INVALID_OPTION");
    expect(codeOf(() => customerLifetimeValue(purchases, spend, c, { periodLength: 0 }))).toBe("INVALID_OPTION");
    expect(codeOf(() => customerLifetimeValue({} as PurchaseForecaster, spend, c))).toBe("INVALID_OPTION");
  });
});
