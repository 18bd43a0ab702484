import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { churnRate, type ChurnRateRow } from "./churn-rate.ts";

const KPI20 = join(import.meta.dirname, "../../test/fixtures/kpi20");
const cells = (rows: readonly ChurnRateRow[]): unknown[][] =>
  rows.map((r) => [r.period, ...(r.key === undefined ? [] : [r.key]), r.numerator, r.denominator, r.censored]);
const who = (r: ChurnRateRow | undefined): unknown[][] => (r?.churned ?? []).map((c) => [c.customerId, c.repId, c.lookbackRevenue, c.lastOrder, c.churnDay]);

describe("churnRate", () => {
  // kpi20 purchase days (positive lines) and revenue:
  //   C1 Jan 5 (110), Jan 19 (72), Feb 2 (125)      C2 Jan 7 (90), Jan 28 (45); Feb 11 return (-13.5)
  //   C3 Jan 10 (65), Feb 14 (81)                    C4 Dec 15 (72), Jan 2 (72), Jan 30 (30)
  //   C5 Feb 20 (71.5)                               C6 Nov 10 (48), Dec 1 (48), Feb 25 (27)
  it("kpi20, 30-day window, asOf 2026-03-31 (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = churnRate(dataset, { asOf: "2026-03-31", periods: 4, churn: { windowDays: 30 } });
    expect(cells(rows)).toEqual([
      // Dec: base {C6} (Nov 10); Nov 10 -> Dec 1 is within 30 days, Dec 1 + 30 = Dec 31 with no purchase.
      // Partial: the data begin on Nov 10, inside the 30 days before Dec 1 that a base customer's last
      // purchase may lie in (one that bought on Nov 5 would be missing from base and churn alike)
      ["2025-12", 1, 1, false],
      // Jan: base {C4} (Dec 15; C6 churned on Dec 31); C4 bought Jan 2, its churn day Feb 1 is after Jan
      ["2026-01", 0, 1, false],
      // Feb: base C1 (Jan 19), C2 (Jan 28), C3 (Jan 10), C4 (Jan 30); C2 churns Feb 27 (the return
      // is not a purchase), C3 churns Feb 9 (and comes back on Feb 14: still a churn)
      ["2026-02", 2, 4, false],
      // Mar: base C1 (Feb 2), C3 (Feb 14), C4 (Jan 30, churn day exactly Mar 1), C5 (its only order), C6; all churn
      ["2026-03", 5, 5, false],
    ]);
    expect(rows.map((r) => r.kpi)).toEqual(["churn_rate", "churn_rate", "churn_rate", "churn_rate"]);
    expect(rows[0]).toMatchObject({ value: 1, revenueRate: 1, baseRevenue: 48, churnedRevenue: 48, partial: true });
    expect(who(rows[0])).toEqual([["C6", "R1", 48, "2025-12-01", "2025-12-31"]]);
    expect(rows[1]).toMatchObject({ value: 0, revenueRate: 0, baseRevenue: 72, churnedRevenue: 0, churned: [] });
    // Feb look-back = Feb 1 2025 .. Jan 31 2026: C1 182, C2 135, C3 65, C4 174 -> base 556, churned 200
    expect(rows[2]).toMatchObject({ value: 0.5, baseRevenue: 556, churnedRevenue: 200 });
    expect(rows[2]!.revenueRate).toBeCloseTo(200 / 556, 12);
    expect(who(rows[2])).toEqual([
      ["C2", "R1", 135, "2026-01-28", "2026-02-27"],
      ["C3", "R2", 65, "2026-01-10", "2026-02-09"],
    ]);
    // Mar look-back: C1 307, C3 146, C4 174, C5 71.5, C6 123 = 821.5
    expect(rows[3]).toMatchObject({ value: 1, revenueRate: 1, baseRevenue: 821.5 });
    expect(who(rows[3]).map((c) => c[0])).toEqual(["C1", "C4", "C3", "C6", "C5"]);
    expect(rows[3]).not.toHaveProperty("key");
  });

  it("kpi20, default asOf (2026-02-25): February is censored, C2's Feb 27 churn is not visible yet", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const rows = churnRate(dataset, { periods: 2, churn: { windowDays: 30 } });
    expect(cells(rows)).toEqual([
      ["2026-01", 0, 1, false],
      ["2026-02", 1, 4, true],
    ]);
    expect(rows[1]).toMatchObject({ partial: true, censored: true, value: 0.25 });
    expect(who(rows[1]).map((c) => c[0])).toEqual(["C3"]);
  });

  it("kpi20 by segment and by channel (hand-computed, February)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    const seg = churnRate(dataset, { asOf: "2026-03-31", periods: 4, by: "segment", churn: { windowDays: 30 } }).filter((r) => r.period === "2026-02");
    expect(cells(seg)).toEqual([
      ["2026-02", "cafes", 0, 1, false],
      ["2026-02", "hotels", 1, 1, false],
      // institutions: C6 churned in December, so it is not at risk in February
      ["2026-02", "institutions", 0, 0, false],
      ["2026-02", "restaurants", 1, 1, false],
      ["2026-02", "retail", 0, 1, false],
    ]);
    expect(seg[2]).toMatchObject({ value: undefined, revenueRate: undefined });
    // channel (line-level): a customer belongs to the channels it bought through in the look-back
    const ch = churnRate(dataset, { asOf: "2026-03-31", periods: 4, by: "channel", churn: { windowDays: 30 } }).filter((r) => r.period === "2026-02");
    expect(cells(ch)).toEqual([
      ["2026-02", "field", 0, 2, false],
      ["2026-02", "phone", 1, 1, false],
      ["2026-02", "web", 1, 1, false],
    ]);
    expect(ch[0]).toMatchObject({ baseRevenue: 356 });
  });

  it("a return on the churn day does not save a customer; its revenue is netted", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    // 14 days: C2's churn day is Jan 28 + 14 = Feb 11, the day of its return
    const [feb] = churnRate(dataset, { asOf: "2026-02-28", periods: 1, by: "customer", churn: { windowDays: 14 } }).filter((r) => r.key === "C2");
    expect(feb).toMatchObject({ numerator: 1, denominator: 1 });
    // March look-back holds the return: 135 - 13.5
    const rows = churnRate(dataset, { asOf: "2026-03-31", periods: 1, by: "customer", churn: { windowDays: 45 } });
    const c2 = rows.find((r) => r.key === "C2");
    expect(c2).toMatchObject({ numerator: 1, denominator: 1, baseRevenue: 121.5 });
    expect(c2?.churned[0]).toMatchObject({ lastOrder: "2026-01-28", churnDay: "2026-03-14", lookbackRevenue: 121.5 });
  });

  it("look-back shorter than the window limits the base", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    // March, lookback 20 days (Feb 9 .. Feb 28): C3, C5, C6 only
    const [mar] = churnRate(dataset, { asOf: "2026-03-31", periods: 1, churn: { windowDays: 30, lookbackDays: 20 } });
    expect(mar).toMatchObject({ numerator: 3, denominator: 3, baseRevenue: 81 + 71.5 + 27 });
    // C1 (Feb 2), C4 (Jan 30) and C2 (Jan 28; its Feb 11 return is not a purchase) last bought before Feb 9
  });

  it("edge cases: empty dataset, one order, returns only", () => {
    const empty = fromRowsSync({ orders: [] }).dataset;
    const rows = churnRate(empty, { periods: 2 });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ value: undefined, revenueRate: undefined, numerator: 0, denominator: 0, churned: [] });
    const one = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-10", customer_id: "A", product_id: "P", quantity: 2, unit_price: 5 }] }).dataset;
    const r = churnRate(one, { asOf: "2026-06-30", periods: 6 });
    // churn day = Jan 10 + 90 = Apr 10
    expect(r.map((x) => x.numerator)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(r.map((x) => x.denominator)).toEqual([0, 1, 1, 1, 0, 0]);
    expect(r[3]?.churned[0]).toMatchObject({ customerId: "A", repId: null, lookbackRevenue: 10, churnDay: "2026-04-10" });
    const returns = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-10", customer_id: "A", product_id: "P", quantity: -2, unit_price: 5 }] }).dataset;
    expect(churnRate(returns, { asOf: "2026-06-30", periods: 6 }).every((x) => x.denominator === 0)).toBe(true);
  });

  it("customer with net negative look-back revenue: floored at 0 in the rates, listed as is", () => {
    const { dataset } = fromRowsSync({
      orders: [
        { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 5 },
        { order_id: "2", order_date: "2026-01-06", customer_id: "A", product_id: "P", quantity: -3, unit_price: 5 },
        { order_id: "3", order_date: "2026-01-05", customer_id: "B", product_id: "P", quantity: 1, unit_price: 20 },
        { order_id: "4", order_date: "2026-01-30", customer_id: "B", product_id: "P", quantity: 1, unit_price: 20 },
      ],
    });
    const [feb] = churnRate(dataset, { asOf: "2026-02-28", periods: 1, churn: { windowDays: 30 } });
    expect(feb).toMatchObject({ value: 0.5, revenueRate: 0, churnedRevenue: 0, baseRevenue: 40 });
    expect(feb?.churned[0]).toMatchObject({ customerId: "A", lookbackRevenue: -10 });
  });

  it("bad options throw INVALID_OPTION", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    for (const churn of [{ windowDays: 0 }, { lookbackDays: 1.5 }, { windowDays: "90" }, { window: 3 }]) {
      let err: unknown;
      try {
        churnRate(dataset, { churn } as never);
      } catch (e) {
        err = e;
      }
      expect(isOrderpulseError(err) && err.code === "INVALID_OPTION", JSON.stringify(churn)).toBe(true);
    }
    expect(() => churnRate(dataset, { period: "decade" } as never)).toThrow(/period/);
  });

  const line = fc.record({
    order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"),
    line_id: fc.integer({ min: 1, max: 1_000_000 }),
    order_date: fc.integer({ min: 0, max: 179 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)),
    customer_id: fc.constantFrom("A", "B", "C", "D"),
    product_id: fc.constantFrom("P1", "P2", "P3"),
    quantity: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0),
    unit_price: fc.constantFrom(1.1, 2, 3.3),
    channel: fc.constantFrom("web", "phone"),
  });
  const linesArb = fc.uniqueArray(line, { selector: (x) => `${x.order_id}/${x.line_id}`, maxLength: 50 });
  const customers = [
    { customer_id: "A", segment: "s1" },
    { customer_id: "B", segment: "s2" },
    { customer_id: "C", segment: "s1" },
  ];
  const byArb = fc.constantFrom("company" as const, "segment" as const, "channel" as const, "customer" as const);
  const churnArb = fc.record({ windowDays: fc.integer({ min: 1, max: 60 }), lookbackDays: fc.integer({ min: 1, max: 120 }) });

  it("property: row order does not matter; orders after asOf change nothing; rates in [0, 1]", () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 0, max: 1000 }), byArb, churnArb, (rows, seed, by, churn) => {
        const opts = { asOf: "2026-04-15", periods: 5, by, churn };
        const a = churnRate(fromRowsSync({ orders: rows, customers }).dataset, opts);
        const shuffled = [...rows].sort((x, y) => ((x.line_id * 7919 + seed) % 1009) - ((y.line_id * 7919 + seed) % 1009));
        const later = rows.map((r, i) => ({ ...r, order_id: `L${i}`, order_date: "2026-05-02" }));
        const b = churnRate(fromRowsSync({ orders: [...later, ...shuffled], customers }).dataset, opts);
        expect(b).toEqual(a);
        for (const r of a) {
          expect(r.numerator).toBeLessThanOrEqual(r.denominator);
          expect(r.churned).toHaveLength(r.numerator);
          if (r.value !== undefined) expect(r.value >= 0 && r.value <= 1).toBe(true);
          if (r.revenueRate !== undefined) expect(r.revenueRate >= 0 && r.revenueRate <= 1).toBe(true);
          expect(r.censored).toBe(r.end > "2026-04-15"); // in progress (partial also marks periods the data begins inside)
        }
      }),
      { numRuns: 150 },
    );
  });

  it("property: a churn is counted once, in the period holding its churn day", () => {
    fc.assert(
      fc.property(linesArb, churnArb, (rows, churn) => {
        const { dataset } = fromRowsSync({ orders: rows });
        const out = churnRate(dataset, { asOf: "2026-06-29", period: "week", periods: 26, by: "customer", churn });
        const byCustomer = new Map<string, ChurnRateRow[]>();
        for (const r of out) byCustomer.set(r.key!, [...(byCustomer.get(r.key!) ?? []), r]);
        for (const series of byCustomer.values()) {
          const days = new Set<string>();
          for (const r of series) for (const c of r.churned) {
            expect(days.has(c.churnDay)).toBe(false);
            days.add(c.churnDay);
            expect(c.churnDay >= r.start && c.churnDay <= r.end).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("churnRate: a look-back revenue that nets to zero", () => {
  it("is 0, not rounding noise: the churn by revenue of a base without revenue is undefined", () => {
    // A buys 7 at 1.10 and returns them one by one (7 × 1.1 − 7 × 1.1 sums to 4.4e-16), then stops
    const line = (id: string, date: string, q: number) => ({ order_id: id, order_date: date, customer_id: "A", product_id: "P", quantity: q, unit_price: 1.1 });
    const { dataset } = fromRowsSync({ orders: [line("1", "2026-01-05", 7), ...[1, 2, 3, 4, 5, 6, 7].map((k) => line(`R${k}`, `2026-01-${10 + k}`, -1))] });
    const churned = churnRate(dataset, { asOf: "2026-03-31", periods: 3, churn: { windowDays: 30 } }).filter((r) => r.numerator > 0);
    expect(churned.length).toBe(1);
    expect(churned[0]).toMatchObject({ value: 1, baseRevenue: 0, churnedRevenue: 0, revenueRate: undefined });
    expect(churned[0]!.churned[0]!.lookbackRevenue).toBe(0);
  });
});

describe("churnRate: the revenue rate's own look-back year (review 2026-12-07)", () => {
  it("revenueRatePartial while the 365-day look-back reaches before the data, though the count is whole", () => {
    // data from 2024-11-04: monthly buyers; the count needs 90 days of history, the revenues 365
    const orders = [];
    for (let m = 0; m < 26; m++) {
      const d = new Date(Date.UTC(2024, 10 + m, 4)).toISOString().slice(0, 10);
      orders.push({ order_id: `A${m}`, order_date: d, customer_id: "A", product_id: "P", quantity: 1, unit_price: 10 });
      if (m < 8) orders.push({ order_id: `B${m}`, order_date: d, customer_id: "B", product_id: "P", quantity: 1, unit_price: 30 });
    }
    const { dataset } = fromRowsSync({ orders });
    const rows = churnRate(dataset, { asOf: "2026-12-31", period: "month", periods: 26 });
    const at = (p: string) => rows.find((r) => r.period === p)!;
    // 2025-01 starts 61 days after the data: partial by count too
    expect([at("2025-01").partial, at("2025-01").revenueRatePartial]).toEqual([true, true]);
    // 2025-03 .. 2025-10: whole by count, the revenues' year still reaches before 2024-11-04
    for (const p of ["2025-03", "2025-07", "2025-10"]) expect([p, at(p).partial, at(p).revenueRatePartial]).toEqual([p, false, true]);
    // from 2025-11-04 + ... : 2025-12 looks back to 2024-12-01, inside the data
    expect([at("2025-12").partial, at("2025-12").revenueRatePartial]).toEqual([false, false]);
    // a longer look-back moves it, a shorter one too
    const short = churnRate(dataset, { asOf: "2026-12-31", period: "month", periods: 26, churn: { lookbackDays: 90 } });
    expect(short.find((r) => r.period === "2025-03")!.revenueRatePartial).toBe(false);
  });
});
