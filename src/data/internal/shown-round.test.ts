import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentOf, shownRound } from "./shown-round.ts";

describe("shownRound", () => {
  it("rounds half up on the decimal value (Math.round of x × 10^d took 0.145, 1.255, 1.005 down)", () => {
    expect([shownRound(0.145, 2), shownRound(1.255, 2), shownRound(1.005, 2), shownRound(0.575, 2), shownRound(2.05, 1), shownRound(-0.145, 2)]).toEqual([0.15, 1.26, 1.01, 0.58, 2.1, -0.14]);
  });
  it("agrees with rounding the shortest decimal text half up (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 4 }), (n, d) => {
        const x = n / 10 ** (d + 1); // a decimal with one digit more than d
        const exact = Math.floor(n / 10) + (n % 10 >= 5 ? 1 : 0);
        expect(shownRound(x, d)).toBe(exact / 10 ** d);
      }),
      { seed: 3, numRuns: 500 },
    );
  });
});

describe("percentOf", () => {
  it("a 4-decimal share in whole percent, half up on its own digits (signals, tasks and offers alike)", () => {
    expect([percentOf(0.575), percentOf(0.145), percentOf(0.215), percentOf(1), percentOf(0.0049)]).toEqual([58, 15, 22, 100, 0]);
  });
});

