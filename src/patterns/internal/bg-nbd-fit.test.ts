import { describe, expect, it } from "vitest";
import { bgNbdFit } from "./bg-nbd-fit.ts";

describe("bgNbdFit", () => {
  it("B2B-like regular buyers put the dropout on a flat ridge: the stall rule stops the search early with the same P(alive)", () => {
    // 400 customers buying every 1-4 weeks since week 0..60, none lost: no dropout to estimate
    const x: number[] = [], tx: number[] = [], T: number[] = [];
    for (let i = 0; i < 400; i++) {
      const gap = 1 + (i % 4), age = 40 + ((i * 7) % 61);
      const n = Math.floor(age / gap);
      x.push(n);
      tx.push(n * gap);
      T.push(age + (i % 3) * 0.5);
    }
    const capped = bgNbdFit({ x, tx, T }, { maxEvaluations: 3000 }, "test");
    const stalled = bgNbdFit({ x, tx, T }, { maxEvaluations: 3000 }, "test", { stall: { evaluations: 200, tolerance: 1e-9 } });
    // a → 0: the plain search creeps down the ridge to its tolerance (1,426 evaluations here)
    expect(stalled.evaluations).toBeLessThan(capped.evaluations / 2);
    expect(Math.abs(stalled.logLikelihood - capped.logLikelihood)).toBeLessThan(1e-3);
    for (let i = 0; i < 400; i += 7) expect(Math.abs(stalled.probabilityAlive(x[i]!, tx[i]!, T[i]!) - capped.probabilityAlive(x[i]!, tx[i]!, T[i]!))).toBeLessThan(1e-6);
  });
});
