import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isOrderpulseError } from "../../data/errors.ts";
import { expectInvalid } from "../../../test/support/expect-invalid.ts";
import { calibrationSummary } from "./calibration-summary.ts";
import { cdnowEvents, cdnowReference } from "../../../test/support/btyd-cdnow.ts";

describe("calibrationSummary", () => {
  it("reproduces the CDNOW calibration summary from the raw event log (all 2357 customers)", () => {
    const events = cdnowEvents();
    expect(events.length).toBe(6919);
    const s = calibrationSummary(events, { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30" });
    const ref = cdnowReference();
    expect(ref.length).toBe(2357);
    expect(s.customerIds.length).toBe(2357);
    expect(s.skipped).toBe(0);
    const at = new Map(s.customerIds.map((id, i) => [id, i]));
    let sumX = 0, sumXStar = 0, repeaters = 0;
    for (const r of ref) {
      const i = at.get(r.id)!;
      expect(i).toBeDefined();
      expect(s.x[i]).toBe(r.x);
      expect(Math.abs(s.tx[i]! - r.tx)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.T[i]! - r.T)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.monetary[i]! - r.zbar)).toBeLessThanOrEqual(0.01);
    }
    for (let i = 0; i < s.x.length; i++) {
      sumX += s.x[i]!;
      sumXStar += s.xStar![i]!;
      if (s.x[i]! > 0) repeaters++;
    }
    expect(sumX).toBe(2457);
    expect(sumXStar).toBe(1882);
    expect(repeaters).toBe(946);
    expect(Math.max(...s.T)).toBeCloseTo(272 / 7, 12);
    expect(s.holdoutLength).toBeCloseTo(273 / 7, 12);
  });

  it("merges same-day purchases, excludes the first purchase from monetary, ignores later events", () => {
    const s = calibrationSummary(
      [
        { customerId: "A", day: 21, value: 30 },
        { customerId: "A", day: 0, value: 10 },
        { customerId: "A", day: 0, value: 99 },
        { customerId: "A", day: 7, value: 4 },
        { customerId: "A", day: 7 },
        { customerId: "A", day: 7, value: 6 },
        { customerId: "A", day: 30, value: 1 },
        { customerId: "A", day: 30, value: 1 },
        { customerId: "A", day: 40, value: 1 },
        { customerId: "C", day: 29 },
        { customerId: "B", day: 14, value: 5 },
        { customerId: "B", day: 3.5 },
      ],
      { calibrationEnd: 28, holdoutEnd: 35, timeUnitDays: 1 },
    );
    expect(s.customerIds).toEqual(["A", "B"]);
    expect([...s.x]).toEqual([2, 0]);
    expect([...s.tx]).toEqual([21, 0]);
    expect([...s.T]).toEqual([28, 14]);
    expect([...s.monetary]).toEqual([20, 0]);
    expect([...s.xStar!]).toEqual([1, 0]);
    expect(s.holdoutLength).toBe(7);
    expect(s.skipped).toBe(1);
    const noHoldout = calibrationSummary([{ customerId: "A", day: 0 }], { calibrationEnd: 0 });
    expect(noHoldout.xStar).toBeUndefined();
    expect("holdoutLength" in noHoldout).toBe(false);
  });

  it("is invariant to event order and satisfies 0 <= tx <= T, x <= tx in days", () => {
    const ev = fc.record({ customerId: fc.constantFrom("a", "b", "c"), day: fc.integer({ min: 0, max: 60 }), value: fc.double({ min: 0, max: 100, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 40 }), (events) => {
        const s1 = calibrationSummary(events, { calibrationEnd: 40, holdoutEnd: 60, timeUnitDays: 1 });
        const s2 = calibrationSummary([...events].reverse(), { calibrationEnd: 40, holdoutEnd: 60, timeUnitDays: 1 });
        expect(s2.customerIds).toEqual(s1.customerIds);
        expect([...s2.x]).toEqual([...s1.x]);
        expect([...s2.tx]).toEqual([...s1.tx]);
        expect([...s2.xStar!]).toEqual([...s1.xStar!]);
        for (let i = 0; i < s1.x.length; i++) {
          expect(s1.tx[i]!).toBeLessThanOrEqual(s1.T[i]!);
          expect(s1.x[i]!).toBeLessThanOrEqual(s1.tx[i]!);
          expect(Math.abs(s2.monetary[i]! - s1.monetary[i]!)).toBeLessThan(1e-9);
        }
      }),
    );
  });

  it("sums the repeat days' values compensated: the same monetary for one day's values in any order, and no drift", () => {
    const oneDay = (values: number[]) => calibrationSummary([{ customerId: "A", day: 0, value: 1 }, ...values.map((value) => ({ customerId: "A", day: 5, value }))], { calibrationEnd: 10, timeUnitDays: 1 }).monetary[0];
    expect(oneDay([0.1, 0.2, 0.3])).toBe(0.6); // a plain running sum: 0.6000000000000001
    expect(oneDay([0.3, 0.2, 0.1])).toBe(0.6);
    const days = Array.from({ length: 1000 }, (_, k) => ({ customerId: "A", day: k + 1, value: 0.1 }));
    expect(calibrationSummary([{ customerId: "A", day: 0, value: 0.1 }, ...days], { calibrationEnd: 2000, timeUnitDays: 1 }).monetary[0]).toBe(0.1);
  });

  it("throws INVALID_OPTION for bad options", () => {
    const bad = [undefined, {}, { calibrationEnd: "1997-13-01" }, { calibrationEnd: 10, holdoutEnd: 5 }, { calibrationEnd: 10, timeUnitDays: 0 }, { calibrationEnd: 10, timeUnitDays: "7" }];
    for (const o of bad) {
      let err: unknown;
      try {
        calibrationSummary([], o as never);
      } catch (e) {
        err = e;
      }
      expect(isOrderpulseError(err) && err.code === "INVALID_OPTION").toBe(true);
    }
  });
});

describe("calibrationSummary events (review 2026-12-06)", () => {
  it("events that are not a list are INVALID_OPTION, not a TypeError", () => {
    expectInvalid(() => calibrationSummary(null as never, { calibrationEnd: 10 }), "events");
    expectInvalid(() => calibrationSummary(5 as never, { calibrationEnd: 10 }), "events");
  });
});
