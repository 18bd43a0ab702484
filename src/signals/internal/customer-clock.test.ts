import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CustomerRhythm } from "../../patterns/fit-interval-model.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { parseDay } from "../../data/parse-day.ts";
import { appendClockGaps, clockGaps, ESTABLISHED_DAYS, gammaRenewalSurvival, jointClosureShare, segmentClosureRates } from "./customer-clock.ts";

/** The fields of a rhythm the clock reads (closures, seasonal index, open fraction). */
function rhythm(closedMonths: number[], closedWeekdays: number[], monthlyIndex: number[] | undefined): CustomerRhythm {
  const f = ((7 - closedWeekdays.length) / 7) * ((12 - closedMonths.length) / 12);
  return { closedMonths, closedWeekdays, monthlyIndex: monthlyIndex ?? new Array(12).fill(1), openFraction: f } as unknown as CustomerRhythm;
}

describe("appendClockGaps", () => {
  it("equals clockGaps of all the days, whatever the closures and where the known days end (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 40 }),
        fc.subarray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { maxLength: 3 }),
        fc.subarray([0, 6], { maxLength: 1 }),
        fc.option(fc.array(fc.double({ min: 0.5, max: 1.5, noNaN: true }), { minLength: 12, maxLength: 12 }), { nil: undefined }),
        fc.nat(),
        (steps, months, weekdays, index, cut) => {
          const days = [20_000];
          for (const s of steps) days.push(days[days.length - 1]! + s);
          const r = rhythm(months, weekdays, index);
          const known = 1 + (cut % days.length);
          const base = clockGaps(days.slice(0, known), r);
          const all = clockGaps(days, r);
          expect(appendClockGaps(days, known, base, r)).toEqual(all);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("gammaRenewalSurvival", () => {
  it("asked with stopAbove, returns the full sum when it is not above it, else a partial sum above it and not above the full one (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.5, max: 90, noNaN: true }), { minLength: 3, maxLength: 20 }),
        fc.double({ min: 0.1, max: 400, noNaN: true }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        (gaps, days, share) => {
          const survival = gammaRenewalSurvival(gaps)!;
          const full = survival(days);
          const stopAbove = share * full;
          const partial = survival(days, stopAbove);
          if (full <= stopAbove) expect(partial).toBe(full);
          else {
            expect(partial).toBeGreaterThan(stopAbove);
            expect(partial).toBeLessThanOrEqual(full);
          }
          expect(survival(days, Number.POSITIVE_INFINITY)).toBe(full);
        },
      ),
    );
  });

  it("stops early: a clockwork weekly buyer's survival at 10 days passes 1e-3 before its last term", () => {
    const survival = gammaRenewalSurvival([7, 7, 7, 7, 7, 7, 7, 7, 7, 7])!;
    const full = survival(10);
    expect(full).toBeGreaterThan(0.01);
    const partial = survival(10, 1e-3);
    expect(partial).toBeGreaterThan(1e-3);
    expect(partial).toBeLessThan(full);
  });
});

describe("segmentClosureRates", () => {
  it("counts a customer as established by its first purchase, not by a credit note dated before it", () => {
    const asOf = parseDay("2026-06-30");
    const young = asOf - ESTABLISHED_DAYS + 30; // a first purchase 370 days back: not established
    const day = (d: number): string => new Date(d * 86_400_000).toISOString().slice(0, 10);
    const orders = [];
    for (let k = 0; k < 20; k++) {
      const customer_id = `C${String(k).padStart(2, "0")}`;
      orders.push({ order_id: `S${k}`, order_date: day(young), customer_id, product_id: "P", quantity: 1, unit_price: 5 });
      orders.push({ order_id: `T${k}`, order_date: day(young + 60), customer_id, product_id: "P", quantity: 1, unit_price: 5 });
    }
    const closedInAugust = (d: ReturnType<typeof fromRowsSync>["dataset"]): Float64Array[] => segmentClosureRates(d, asOf, () => ({ status: "ok", closedMonths: [8] }) as unknown as CustomerRhythm);
    const plain = fromRowsSync({ orders }).dataset;
    expect(closedInAugust(plain)[0]![7]).toBe(0); // no established customer: too few to tell
    // each with a return of something bought before the data, dated 450 days back
    const credits = orders.filter((o) => o.order_id.startsWith("S")).map((o, k) => ({ ...o, order_id: `CN${k}`, order_date: day(asOf - 450), quantity: -1 }));
    expect(closedInAugust(fromRowsSync({ orders: [...orders, ...credits] }).dataset)[0]![7]).toBe(0);
  });
});

describe("the detectors' clock and the business calendar's holidays", () => {
  it("a gap counts the open days the interval model counts: holidays closed (review 2026-12-06: a gap across Pesach read 12.8 days, the model's 6.4)", async () => {
    const { fitPatterns } = await import("../../patterns/fit-patterns.ts");
    const { fromPatternsJSON } = await import("../../patterns/from-patterns-json.ts");
    const { israeliHolidays } = await import("../../data/israeli-holidays.ts");
    const { sharedClockGaps, purchaseDays } = await import("./customer-clock.ts");
    const holidays = israeliHolidays(2024, 2026, { includeCholHamoed: true }).map((h) => h.day);
    const closed = new Set(holidays);
    const rows = [];
    let k = 0;
    // 16 customers every Sunday (weekend Friday and Saturday); a holiday Sunday moves to the next open day
    for (let c = 0; c < 16; c++) {
      for (let d = parseDay("2024-01-07"); d <= parseDay("2026-06-28"); d += 7) {
        let e = d;
        while (closed.has(new Date(e * 86_400_000).toISOString().slice(0, 10))) e++;
        rows.push({ order_id: `o${k++}`, order_date: new Date(e * 86_400_000).toISOString().slice(0, 10), customer_id: `C${c}`, product_id: "P", quantity: 1, unit_price: 10 });
      }
    }
    const { dataset } = fromRowsSync({ orders: rows });
    const model = fitPatterns(dataset, { asOf: "2026-06-30", calendar: { weekendDays: [5, 6], holidays } });
    expect(model.holidays.length).toBeGreaterThan(50);
    for (const m of [model, fromPatternsJSON(JSON.parse(JSON.stringify(model)))]) {
      expect(m.holidays).toEqual(model.holidays);
      const r = m.customer("C0")!;
      const gaps = Array.from(sharedClockGaps(dataset, m, 0, purchaseDays(dataset, 0), r).logGaps, Math.exp);
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      // the model's own mean gap (holidays closed) within the seasonal clock's weights; the longest
      // gap a holiday week, not 12.8 days
      expect(Math.abs(mean / r.meanGapDays! - 1)).toBeLessThan(0.03);
      expect(Math.max(...gaps)).toBeLessThan(9.5);
    }
    // a model without a calendar: no holidays, the clock as before
    expect(fitPatterns(dataset, { asOf: "2026-06-30" }).holidays).toEqual([]);
  });
});

describe("jointClosureShare (self-review 2026-12-08)", () => {
  it("the share of the peers closed in every month of a run, among those open in the customer's own months", () => {
    const winter = 0b111000000111 | (1 << 3) | (1 << 9); // January-April, October-December (bit m − 1)
    const shares = { masks: [winter, ...Array.from({ length: 99 }, () => 0)] };
    // October-February: 1 of 100, (1 + 0.5) / 101
    expect(jointClosureShare(shares, (1 << 9) | (1 << 10) | (1 << 11) | 1 | 2)).toBeCloseTo(1.5 / 101, 12);
    // a customer that bought in March and April is not the seasonal peer's kind: 0 of 99
    expect(jointClosureShare(shares, (1 << 9) | (1 << 10) | (1 << 11) | 1 | 2, (1 << 2) | (1 << 3))).toBe(0);
    // fewer than 20 peers: no share
    expect(jointClosureShare({ masks: [winter, 0, 0] }, 1 << 9)).toBe(0);
  });
});
