import fc from "fast-check";
import { expect } from "vitest";
import type { Dataset } from "../../src/data/dataset.ts";
import { fromRowsSync } from "../../src/data/from-rows-sync.ts";
import type { OrderRow } from "../../src/data/rows.ts";
import type { PatternModel } from "../../src/patterns/fit-patterns.ts";
import type { DetectorOptions, Signal } from "../../src/signals/types.ts";

/** Signals are ordered by valueAtRisk descending, then id. */
export function expectSignalOrder(signals: readonly Signal[]): void {
  for (let i = 1; i < signals.length; i++) {
    const a = signals[i - 1]!, b = signals[i]!;
    expect(a.valueAtRisk > b.valueAtRisk || (a.valueAtRisk === b.valueAtRisk && a.id < b.id)).toBe(true);
  }
}

/**
 * Property: on random datasets (`orders(seed)`), raising the sensitivity by any factor in [1, 50]
 * only adds signals (by id), and the output stays in signal order.
 */
export function expectSensitivityOnlyAdds(detect: (ds: Dataset, o: DetectorOptions) => Signal[], orders: (seed: number) => OrderRow[], numRuns = 60): void {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0.05, max: 5, noNaN: true }), fc.double({ min: 1, max: 50, noNaN: true }), (seed, s, factor) => {
      const ds = fromRowsSync({ orders: orders(seed) }).dataset;
      const low = detect(ds, { sensitivity: s });
      const high = detect(ds, { sensitivity: Math.min(1000, s * factor) });
      const byId = new Map(high.map((x) => [x.id, x]));
      for (const x of low) {
        expect(byId.has(x.id)).toBe(true);
        // how sure and how strong: the same signal has the same severity at any sensitivity (docs/signals.md)
        expect(byId.get(x.id)!.severity).toBe(x.severity);
      }
      expectSignalOrder(high);
    }),
    { numRuns },
  );
}

/**
 * Replay `detect` at as-of days `from, from + every, ..., to` and record, per entity key, the
 * as-of days it was flagged on; every signal is checked to be well formed on the way.
 */
export function replayFlags(detect: (asOf: number) => Signal[], key: (s: Signal) => string, from: number, to: number, every: number): Map<string, number[]> {
  const flags = new Map<string, number[]>();
  for (let asOf = from; asOf <= to; asOf += every) {
    for (const s of detect(asOf)) {
      const k = key(s);
      flags.set(k, [...(flags.get(k) ?? []), asOf]);
      expect(s.valueAtRisk).toBeGreaterThanOrEqual(0);
      expect(s.severity).toBeGreaterThan(0);
      expect(s.severity).toBeLessThanOrEqual(1);
      expect(s.since <= s.asOf).toBe(true);
    }
  }
  return flags;
}

/** Planted events (entity key -> start day) flagged at or after their start. */
export function recall(planted: ReadonlyMap<string, number>, flags: ReadonlyMap<string, readonly number[]>): number {
  let found = 0;
  for (const [k, start] of planted) if ((flags.get(k) ?? []).some((d) => d >= start)) found++;
  return planted.size === 0 ? Number.NaN : found / planted.size;
}

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit linear congruential generator; test data only). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every signal is well formed (severity in [0, 1], valueAtRisk ≥ 0 and finite, since ≤ asOf, finite evidence) and the list is in signal order. */
export function expectWellFormed(signals: readonly Signal[]): void {
  for (const s of signals) {
    expect(s.severity).toBeGreaterThanOrEqual(0);
    expect(s.severity).toBeLessThanOrEqual(1);
    expect(Number.isFinite(s.valueAtRisk) && s.valueAtRisk >= 0).toBe(true);
    expect(s.since <= s.asOf).toBe(true);
    for (const v of Object.values(s.evidence)) expect(typeof v === "string" || Number.isFinite(v)).toBe(true);
  }
  expectSignalOrder(signals);
}

/**
 * Property: on one dataset at fixed as-of days (each with its pattern model), raising the
 * sensitivity by any factor in [1, 20] from any value in [0.01, 50] only adds signals (by id).
 */
export function expectSensitivityOnlyAddsAt(detect: (ds: Dataset, o: DetectorOptions) => Signal[], dataset: Dataset, models: ReadonlyMap<number, PatternModel>, numRuns = 30): void {
  fc.assert(
    fc.property(fc.constantFrom(...models.keys()), fc.double({ min: 0.01, max: 50, noNaN: true }), fc.double({ min: 1, max: 20, noNaN: true }), (a, s, factor) => {
      const model = models.get(a)!;
      const low = new Set(detect(dataset, { asOf: a, model, sensitivity: s }).map((x) => x.id));
      const high = new Set(detect(dataset, { asOf: a, model, sensitivity: Math.min(1000, s * factor) }).map((x) => x.id));
      for (const id of low) expect(high.has(id)).toBe(true);
    }),
    { numRuns },
  );
}
