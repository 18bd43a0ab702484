import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { formatDay } from "../data/format-day.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { activeCustomers } from "./active-customers.ts";
import { churnProfile } from "./churn-profile.ts";
import { churnRate } from "./churn-rate.ts";
import { discountRate } from "./discount-rate.ts";
import { expectedNotBought } from "./expected-not-bought.ts";
import { grossProfit } from "./gross-profit.ts";
import { orderFrequency } from "./order-frequency.ts";
import { skuBreadth } from "./sku-breadth.ts";
import { computeKpis } from "./compute-kpis.ts";
import { kpiTrend } from "./kpi-trend.ts";

const fixture = join(import.meta.dirname, "..", "..", "test", "fixtures", "kpi20");

describe("computeKpis on the 20-line fixture (hand-computed, see docs/kpis.md)", async () => {
  const { dataset } = await readDataset({ path: fixture });
  const report = computeKpis(dataset, { asOf: "2026-02-28", period: "month", periods: 2 });
  const values = (k: string): (number | undefined)[] => report.kpis[k]!.map((r) => r.value);

  it("each KPI's own fields are typed on the report's rows (read without a cast)", () => {
    const feb = report.kpis.gross_profit![1]!;
    const cost: number | undefined = feb.cost;
    const margin: number | undefined = feb.margin;
    expect([feb.revenue, cost, margin]).toEqual([291, 165, 86 / 251]);
    const churn = report.kpis.churn_rate![1]!;
    const names: string[] | undefined = churn.churned?.map((c) => c.customerId);
    expect(Array.isArray(names)).toBe(true);
    expect(typeof churn.revenueRate === "number" || churn.revenueRate === undefined).toBe(true);
    expect(typeof report.kpis.repurchase_rate![0]!.censored).toBe("boolean");
  });

  it("company, monthly", () => {
    expect(report.asOf).toBe("2026-02-28");
    expect(report.kpis.revenue!.map((r) => r.period)).toEqual(["2026-01", "2026-02"]);
    expect(values("revenue")).toEqual([484, 291]);
    expect(values("gross_profit")).toEqual([154, 86]);
    expect(values("active_customers")).toEqual([4, 4]); // C2's February is a return only
    expect(values("sku_breadth")).toEqual([1.75, 1.75]);
    expect(values("margin")[0]).toBeCloseTo(154 / 484, 12);
    expect(values("margin")[1]).toBeCloseTo(86 / 251, 12); // P5 (no cost) is outside the margin base
    const feb = report.kpis.gross_profit![1]!;
    expect(feb).toMatchObject({ previous: 154, change: -68, partial: false });
    expect(feb.changePct).toBeCloseTo(-68 / 154, 12);
    expect(report.kpis.revenue![0]!.previous).toBe(120); // December 2025 (history computed, then trimmed)
  });

  it("by rep (account owner)", () => {
    const byRep = computeKpis(dataset, { asOf: "2026-02-28", period: "month", periods: 2, by: "rep", kpis: ["revenue"] });
    expect(byRep.kpis.revenue!.map((r) => [r.period, r.key, r.value])).toEqual([
      ["2026-01", "R1", 317],
      ["2026-01", "R2", 167],
      ["2026-02", "R1", 138.5],
      ["2026-02", "R2", 152.5],
    ]);
  });

  it("rejects unknown KPIs and bad options", () => {
    expect(() => computeKpis(dataset, { kpis: ["nope"] })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    // names Object.prototype has are not KPIs (were a TypeError)
    for (const name of ["toString", "constructor", "hasOwnProperty"]) expect(() => computeKpis(dataset, { kpis: [name] })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    // kpis is a non-empty array: a string was walked letter by letter, 5 threw a TypeError, "" and [] gave an empty report
    for (const kpis of [5, {}, "revenue", "", []]) expect(() => computeKpis(dataset, { kpis: kpis as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION", details: expect.objectContaining({ option: "kpis" }) }));
    expect(() => computeKpis(dataset, { period: "fortnight" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => computeKpis(dataset, { periods: 0 })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => computeKpis(dataset, { periods: 100_001 })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });

  it("the last option day, 9999-12-31, gives the KPI functions' periods, with no error about an option never given; a day past it is refused", () => {
    // the period in progress was found by parsing its start text back, which no day text past
    // 9999 read (when such a day was an option: since 2026-12-07 no row day is, and a KPI call
    // passes its asOf on as an epoch day, which stays within 9999)
    const one = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 }] }).dataset;
    for (const period of ["month", "week", "fiscal"] as const) {
      const r = computeKpis(one, { asOf: "9999-12-31", period, periods: 2, kpis: ["revenue"] });
      expect(r.kpis.revenue!.map((x) => x.period)).toEqual(period === "month" ? ["9999-11", "9999-12"] : period === "week" ? ["9999-W51", "9999-W52"] : ["FY9998", "FY9999"]);
    }
    expectInvalid(() => computeKpis(one, { asOf: formatDay(2_147_483_647) }), "asOf");
  });
  it("accepts every `periods` the KPI functions accept (the year of history it adds stays within their limit)", () => {
    const r = computeKpis(dataset, { asOf: "2026-02-28", period: "week", periods: 99_990, kpis: ["revenue"] });
    const months = computeKpis(dataset, { asOf: "2026-02-28", period: "month", periods: 1200, kpis: ["revenue"] });
    const total = (rows: readonly { value?: number | undefined }[]): number => rows.reduce((sum, row) => sum + (row.value ?? 0), 0);
    expect(total(r.kpis.revenue!)).toBe(total(months.kpis.revenue!));
  });

  it("property: row order does not matter; data after asOf changes nothing", () => {
    const base: OrderRow[] = [];
    for (let i = 0; i < dataset.lines.length; i++) {
      base.push({
        order_id: dataset.ids.orders.values[dataset.lines.order[i]!]!,
        line_id: dataset.ids.lineIds.values[dataset.lines.lineId[i]!]!,
        order_date: new Date(dataset.lines.day[i]! * 86_400_000),
        customer_id: dataset.ids.customers.values[dataset.lines.customer[i]!]!,
        product_id: dataset.ids.products.values[dataset.lines.product[i]!]!,
        quantity: dataset.lines.quantity[i]!,
        unit_price: dataset.lines.unitPrice[i]!,
        unit_cost: Number.isNaN(dataset.lines.unitCost[i]!) ? null : dataset.lines.unitCost[i]!,
      });
    }
    const opts = { asOf: "2026-02-28", period: "month", periods: 4, by: "customer" } as const;
    const expected = computeKpis(fromRowsSync({ orders: base }).dataset, opts);
    const later = fc.record({ customer_id: fc.constantFrom("C1", "C2", "C9"), product_id: fc.constantFrom("P1", "P9"), quantity: fc.integer({ min: 1, max: 9 }), day: fc.integer({ min: 1, max: 300 }) });
    fc.assert(
      fc.property(fc.shuffledSubarray(base, { minLength: base.length, maxLength: base.length }), fc.array(later, { maxLength: 10 }), (shuffled, extra) => {
        const future = extra.map((x, i): OrderRow => ({ order_id: `Z${i}`, order_date: new Date(Date.UTC(2026, 1, 28 + x.day)), customer_id: x.customer_id, product_id: x.product_id, quantity: x.quantity, unit_price: 3 }));
        expect(computeKpis(fromRowsSync({ orders: [...shuffled, ...future] }).dataset, opts)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

describe("kpiTrend", () => {
  it("year-ago comparison and slope skip missing values", () => {
    const rows = Array.from({ length: 14 }, (_, k) => ({ kpi: "x", period: `p${k}`, start: `2025-${String(k).padStart(2, "0")}`, end: "", partial: false, value: k === 5 ? undefined : 100 + k }));
    const out = kpiTrend(rows, { unit: "month", slopePeriods: 3 });
    expect(out[12]).toMatchObject({ yearAgo: 100, changeVsYearAgo: 12, changeVsYearAgoPct: 0.12 });
    expect(out[6]!.slope).toBe(1); // values at 4 and 6 only (5 missing): slope 1
    expect(out[5]!.change).toBeUndefined();
    expect(() => kpiTrend(rows, { unit: "month", slopePeriods: 1 })).toThrow();
    // null (and any other non-integer) is refused too, by both entry points (review 2026-12-06:
    // null took the default 6)
    for (const slopePeriods of [null, 2.5, "3"]) {
      expect(() => kpiTrend(rows, { unit: "month", slopePeriods } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", details: expect.objectContaining({ option: "slopePeriods" }) }));
      expect(() => computeKpis(fromRowsSync({ orders: [] }).dataset, { slopePeriods } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringMatching(/^computeKpis: .*slopePeriods/) }));
    }
    // the unit sets the year-ago lag: a missing or unknown one is an error, not the previous period
    for (const unit of ["months", undefined, 42]) expect(() => kpiTrend(rows, { unit } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", details: expect.objectContaining({ option: "unit" }) }));
    expect(() => kpiTrend(rows, undefined as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });

  it("a partial period is never a base: no change against it, no slope point from it; the period in progress is compared", () => {
    // p0 is partial (the data begins inside it), p13 is in progress
    const rows = Array.from({ length: 14 }, (_, k) => ({ kpi: "x", period: `p${k}`, start: `2025-${String(k).padStart(2, "0")}`, end: "", partial: k === 0 || k === 13, value: k === 0 ? 40 : 100 + k }));
    const out = kpiTrend(rows, { unit: "month", slopePeriods: 3 });
    expect(out[1]).toMatchObject({ previous: undefined, change: undefined, changePct: undefined });
    expect(out[12]).toMatchObject({ yearAgo: undefined, changeVsYearAgo: undefined });
    expect(out[13]).toMatchObject({ previous: 112, change: 1, yearAgo: 101, changeVsYearAgo: 12 });
    expect(out[1]!.slope).toBeUndefined(); // its own value only
    expect(out[2]!.slope).toBe(1); // 101, 102
  });

  it("a censored row (windows still open) is neither compared nor a base, and has no slope", () => {
    const rows = Array.from({ length: 5 }, (_, k) => ({ kpi: "x", period: `p${k}`, start: `2025-0${k + 1}`, end: "", partial: k === 4, censored: k >= 3, value: 50 + k }));
    const out = kpiTrend(rows, { unit: "month", slopePeriods: 3 });
    expect(out[2]).toMatchObject({ previous: 51, change: 1 });
    for (const k of [3, 4]) expect(out[k]).toMatchObject({ censored: true, previous: undefined, change: undefined, changePct: undefined, yearAgo: undefined, slope: undefined });
  });
});

describe("the period in progress is compared like for like (hand-computed on the 20-line fixture)", async () => {
  const { dataset } = await readDataset({ path: fixture });

  it("February 1-14 against January 1-14; the year-ago February lies before the data", () => {
    const r = computeKpis(dataset, { asOf: "2026-02-14", period: "month", periods: 2, kpis: ["revenue", "active_customers", "repurchase_rate"] });
    const feb = r.kpis.revenue![1]!;
    // Feb 1-14: A3 85 + 40, B3 −13.5 (a return), D2 60 + 21; Jan 1-14: A1 90 + 20, B1 90, D1 40 + 25, E2 72
    expect(feb).toMatchObject({ period: "2026-02", partial: true, value: 192.5, previous: 337, change: -144.5, toDateDays: 14, yearAgo: undefined });
    expect(feb.changePct).toBeCloseTo(-144.5 / 337, 12);
    // active: C1 and C3 by the 14th (C2's February is a return only); January 1-14: C1, C2, C3, C4
    expect(r.kpis.active_customers![1]).toMatchObject({ value: 2, previous: 4, toDateDays: 14 });
    // whole periods keep whole-period comparisons: January against December (120)
    expect(r.kpis.revenue![0]).toMatchObject({ previous: 120 });
    expect(r.kpis.revenue![0]!.toDateDays).toBeUndefined();
    // a windowed rate still open is a lower bound: no comparison, not like for like
    const rep = r.kpis.repurchase_rate!.at(-1)!;
    expect(rep).toMatchObject({ censored: true, previous: undefined, change: undefined, yearAgo: undefined, slope: undefined });
    expect(rep.toDateDays).toBeUndefined();
  });

  it("asOf after the data's last day (an export of last night read this morning): the days the data cover, not asOf's", () => {
    // the data end on Wednesday 2026-02-25 (C6's 27); read on Friday the 27th, W09 has Monday to
    // Wednesday: against W08's Monday to Wednesday (Feb 16-18: nothing), not Monday to Friday
    // (C5's 71.5 of Feb 20: "−62 %" until 2026-12-07)
    const r = computeKpis(dataset, { asOf: "2026-02-27", period: "week", periods: 2, kpis: ["revenue"] });
    expect(r.kpis.revenue![1]).toMatchObject({ period: "2026-W09", value: 27, previous: 0, changePct: undefined, toDateDays: 3 });
    // read on Monday March 2: March has no data yet, so it is compared with nothing (it read
    // "0, −100 %" against February 1-2: C1's 125)
    const m = computeKpis(dataset, { asOf: "2026-03-02", period: "month", periods: 2, kpis: ["revenue", "active_customers"] });
    expect(m.kpis.revenue![1]).toMatchObject({ period: "2026-03", toDateDays: 0, previous: undefined, change: undefined, yearAgo: undefined });
    expect(m.kpis.active_customers![1]).toMatchObject({ period: "2026-03", value: 0, toDateDays: 0, previous: undefined, changePct: undefined });
  });

  it("asOfInProgress: the period ending on asOf (today) is in progress too, measured up to the data's last day", () => {
    // by day, read on Thursday the 26th: the data end on the 25th (G3's 27); as a complete day
    // the 26th reads 0, −27 against the 25th
    const done = computeKpis(dataset, { asOf: "2026-02-26", period: "day", periods: 2, kpis: ["revenue"] });
    expect(done.kpis.revenue![1]).toMatchObject({ period: "2026-02-26", partial: false, value: 0, previous: 27, change: -27 });
    // still going on (an export of last night read this morning): no data yet, not compared
    const now = computeKpis(dataset, { asOf: "2026-02-26", period: "day", periods: 2, kpis: ["revenue"], asOfInProgress: true });
    expect(now.kpis.revenue![1]).toMatchObject({ period: "2026-02-26", partial: true, toDateDays: 0, previous: undefined, change: undefined });
    expect(now.kpis.revenue![0]).toMatchObject({ period: "2026-02-25", partial: false, value: 27 });
    // a month ending on asOf: February 1-25 against January 1-25 (409), not the whole of January (484)
    const month = computeKpis(dataset, { asOf: "2026-02-28", period: "month", periods: 2, kpis: ["revenue"], asOfInProgress: true });
    expect(month.kpis.revenue![1]).toMatchObject({ period: "2026-02", partial: true, value: 291, previous: 409, change: -118, toDateDays: 25 });
    const closed = computeKpis(dataset, { asOf: "2026-02-28", period: "month", periods: 2, kpis: ["revenue"] });
    expect(closed.kpis.revenue![1]).toMatchObject({ period: "2026-02", partial: false, value: 291, previous: 484 });
    expect(closed.kpis.revenue![1]!.toDateDays).toBeUndefined();
    // a period ending after asOf is in progress either way
    const mid = computeKpis(dataset, { asOf: "2026-02-14", period: "month", periods: 2, kpis: ["revenue"], asOfInProgress: true });
    expect(mid.kpis.revenue![1]).toMatchObject({ value: 192.5, previous: 337, toDateDays: 14 });
    expect(() => computeKpis(dataset, { asOfInProgress: 1 as unknown as boolean })).toThrow(/asOfInProgress/);
  });

  it("asOfInProgress: a churn day, due day or repurchase window after the data's last day is not confirmed (review 2026-12-07)", () => {
    // A buys on the 1st of each month to 2026-09-01 (churn day, 90 days on: 2026-11-30); B weekly to 2026-11-27, the data's last day
    const rows: OrderRow[] = [];
    const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
    for (let m = 0; m < 9; m++) rows.push({ order_id: `A${m}`, order_date: day(Date.UTC(2026, m, 1)), customer_id: "A", product_id: "P", quantity: 1, unit_price: 10 });
    for (let t = Date.UTC(2025, 11, 5); t <= Date.UTC(2026, 10, 27); t += 7 * 86_400_000) rows.push({ order_id: `B${t}`, order_date: day(t), customer_id: "B", product_id: "P", quantity: 1, unit_price: 10 });
    const ds = fromRowsSync({ orders: rows }).dataset;
    const nov = (asOfInProgress: boolean) => computeKpis(ds, { asOf: "2026-12-07", period: "month", periods: 2, kpis: ["churn_rate", "expected_not_bought"], asOfInProgress });
    // as a complete day, Nov 28-30 are days without a purchase: A churned on the 30th, final
    expect(nov(false).kpis.churn_rate![0]).toMatchObject({ period: "2026-11", numerator: 1, denominator: 2, censored: false });
    // read today from an export of Nov 27: the 30th is not known yet, so nothing is confirmed there
    expect(nov(true).kpis.churn_rate![0]).toMatchObject({ period: "2026-11", numerator: 0, denominator: 2, censored: true });
    expect(nov(true).kpis.expected_not_bought![0]).toMatchObject({ period: "2026-11", censored: true });
    // churnProfile reads the same churn days (self-review: the CLI's churn_profile beside churn_rate counted A)
    const profile = (asOfInProgress: boolean) => churnProfile(ds, { asOf: "2026-12-07", periods: 2, minCount: 1, asOfInProgress });
    expect([profile(false).churned, profile(false).censored]).toEqual([1, true]);
    expect([profile(true).churned, profile(true).censored]).toEqual([0, true]);
    expect(() => churnProfile(ds, { asOfInProgress: "yes" as unknown as boolean })).toThrow(/asOfInProgress/);
  });

  it("asOfInProgress is a KPI option: each KPI function called on its own reads today as computeKpis does", () => {
    // the data end on the 25th; read on the 26th as a day in progress, the 26th is partial and
    // has no data yet (as a complete day it is a whole day without sales)
    for (const fn of [activeCustomers, grossProfit, skuBreadth, orderFrequency, discountRate]) {
      const rows = (asOfInProgress: boolean) => fn(dataset, { asOf: "2026-02-26", period: "day", periods: 2, asOfInProgress });
      expect(rows(false).map((r) => r.partial)).toEqual([false, false]);
      expect(rows(true).map((r) => r.partial)).toEqual([false, true]);
    }
    // churnRate on its own censors the churn day after the data's last day as computeKpis' rows do
    const rows: OrderRow[] = [];
    const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
    for (let m = 0; m < 9; m++) rows.push({ order_id: `A${m}`, order_date: day(Date.UTC(2026, m, 1)), customer_id: "A", product_id: "P", quantity: 1, unit_price: 10 });
    for (let t = Date.UTC(2025, 11, 5); t <= Date.UTC(2026, 10, 27); t += 7 * 86_400_000) rows.push({ order_id: `B${t}`, order_date: day(t), customer_id: "B", product_id: "P", quantity: 1, unit_price: 10 });
    const ds = fromRowsSync({ orders: rows }).dataset;
    for (const asOfInProgress of [false, true]) {
      const own = churnRate(ds, { asOf: "2026-12-07", period: "month", periods: 2, asOfInProgress })[0]!;
      const viaReport = computeKpis(ds, { asOf: "2026-12-07", period: "month", periods: 2, kpis: ["churn_rate"], asOfInProgress }).kpis.churn_rate![0]!;
      expect([own.numerator, own.censored]).toEqual(asOfInProgress ? [0, true] : [1, false]);
      expect([own.numerator, own.denominator, own.censored]).toEqual([viaReport.numerator, viaReport.denominator, viaReport.censored]);
      const enb = expectedNotBought(ds, { asOf: "2026-12-07", period: "month", periods: 2, asOfInProgress })[0]!;
      expect(enb.censored).toBe(asOfInProgress);
    }
    expect(() => activeCustomers(dataset, { asOfInProgress: "yes" as unknown as boolean })).toThrow(expect.objectContaining({ code: "INVALID_OPTION", details: expect.objectContaining({ option: "asOfInProgress" }) }));
  });

  it("weeks: Monday to Wednesday against the previous Monday to Wednesday; toDate: false compares whole periods", () => {
    // 2026-02-11 is a Wednesday: W07 so far holds B3 (−13.5); W06's Monday to Wednesday holds A3 (125)
    const r = computeKpis(dataset, { asOf: "2026-02-11", period: "week", periods: 2, kpis: ["revenue"] });
    expect(r.kpis.revenue![1]).toMatchObject({ period: "2026-W07", value: -13.5, previous: 125, toDateDays: 3 });
    const whole = computeKpis(dataset, { asOf: "2026-02-14", period: "month", periods: 2, kpis: ["revenue"], toDate: false });
    expect(whole.kpis.revenue![1]).toMatchObject({ value: 192.5, previous: 484 });
    expect(whole.kpis.revenue![1]!.toDateDays).toBeUndefined();
    expect(() => computeKpis(dataset, { toDate: "yes" as unknown as boolean })).toThrow(/toDate/);
  });

  it("a group without lines in the days compared is compared with 0 for those days (never against a whole period)", () => {
    // channel x buys on the 20th only: as of February 10 it has nothing in January 1-10 or February 1-10
    const { dataset: ds } = fromRowsSync({ orders: [
      { order_id: "0", order_date: "2025-12-01", customer_id: "B", product_id: "P", quantity: 1, unit_price: 10, channel: "y" },
      { order_id: "1", order_date: "2026-01-20", customer_id: "A", product_id: "P", quantity: 1, unit_price: 10, channel: "x" },
      { order_id: "2", order_date: "2026-01-03", customer_id: "B", product_id: "P", quantity: 1, unit_price: 10, channel: "y" },
      { order_id: "3", order_date: "2026-02-02", customer_id: "B", product_id: "P", quantity: 2, unit_price: 10, channel: "y" },
      // (the data reach the as-of day: February has 10 days of data)
      { order_id: "4", order_date: "2026-02-10", customer_id: "C", product_id: "P", quantity: 1, unit_price: 10, channel: "z" },
    ] });
    const rows = computeKpis(ds, { asOf: "2026-02-10", period: "month", periods: 2, by: "channel", kpis: ["revenue"] }).kpis.revenue!;
    // (January 1-10 of channel x: no line, revenue 0, as for the company; it read undefined, its
    // group missing from the clipped pass)
    expect(rows.find((r) => r.key === "x" && r.period === "2026-02")).toMatchObject({ value: 0, previous: 0, changePct: undefined, toDateDays: 10 });
    expect(rows.find((r) => r.key === "y" && r.period === "2026-02")).toMatchObject({ value: 20, previous: 10, toDateDays: 10 });
  });

  it("the slope of the period in progress runs over the same days of each period", () => {
    const r = computeKpis(dataset, { asOf: "2026-02-14", period: "month", periods: 2, kpis: ["revenue"], slopePeriods: 2 });
    // two points: January 1-14 (337) and February 1-14 (192.5)
    expect(r.kpis.revenue![1]!.slope).toBe(192.5 - 337);
  });
});

describe("like-for-like comparisons agree with the KPI measured as of the same day of the earlier period", () => {
  const synth = generateSyntheticDistributor({ seed: 3, customers: 80, products: 60, years: 2 });
  const { dataset } = fromRowsSync(synth);
  const kpis = ["active_customers", "sku_breadth", "revenue", "gross_profit", "margin", "order_frequency", "discount_rate"];

  it.each([
    ["2026-10-14", "month", "company"],
    ["2026-09-03", "month", "channel"],
    ["2026-10-21", "week", "company"],
    ["2026-05-20", "quarter", "channel"],
  ] as const)("as of %s by %s %s", (asOf, period, by) => {
    const r = computeKpis(dataset, { asOf, period, periods: 6, by, kpis });
    let compared = 0;
    for (const name of kpis) {
      for (const row of r.kpis[name]!.filter((x) => x.toDateDays !== undefined)) {
        const d = row.toDateDays!;
        // the previous and the year-ago period, measured as of their own d-th day (an independent call)
        const at = (start: string): number | undefined => {
          const day = new Date(Date.parse(`${start}T00:00:00Z`) + (d - 1) * 86_400_000).toISOString().slice(0, 10);
          const rows = computeKpis(dataset, { asOf: day, period, periods: 1, by, kpis: [name], toDate: false }).kpis[name]!;
          return rows.find((x) => x.key === row.key)?.value ?? (name === "revenue" || name === "gross_profit" || name === "active_customers" ? 0 : undefined);
        };
        const series = r.kpis[name]!.filter((x) => x.key === row.key);
        const prev = series[series.indexOf(row) - 1];
        if (prev && row.previous !== undefined) {
          const want = at(prev.start);
          expect(row.previous).toBeCloseTo(want!, 9);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe("computeKpis on data that begins mid-week", () => {
  // every Monday to Friday of 2026-03-04 (a Wednesday) .. 2026-04-10, one order a day
  const orders: OrderRow[] = [];
  for (let d = Date.UTC(2026, 2, 4); d <= Date.UTC(2026, 3, 10); d += 86_400_000) {
    const wd = new Date(d).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    orders.push({ order_id: `O${d}`, order_date: new Date(d), customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10 });
  }
  const { dataset } = fromRowsSync({ orders });
  const report = computeKpis(dataset, { asOf: "2026-04-12", period: "week", periods: 6, kpis: ["revenue"] });

  it("the first week is partial (3 of its 5 days in the data) and the next week is not compared with it", () => {
    const rows = report.kpis.revenue!;
    expect(rows.map((r) => [r.period, r.value, r.partial])).toEqual([
      ["2026-W10", 30, true],
      ["2026-W11", 50, false],
      ["2026-W12", 50, false],
      ["2026-W13", 50, false],
      ["2026-W14", 50, false],
      ["2026-W15", 50, false],
    ]);
    expect(rows[1]).toMatchObject({ previous: undefined, changePct: undefined });
    expect(rows[2]).toMatchObject({ previous: 50, change: 0 });
  });
});

describe("computeKpis: grouped rows built field by field (registry.ts' TrendRowOf)", () => {
  // the registry spells each KPI's trended row out as one literal (a generic copy is ~30x slower
  // and past ~16 fields a dictionary-mode object); this checks every literal against the generic
  // copy kpiTrend makes of the same pass's rows: same fields, same order, same values
  const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 2, customers: 40, years: 2, end: "2026-06-30" }));
  const marked = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (v === undefined ? "(undefined)" : v));
  for (const by of ["rep", "product"] as const) {
    it(`by ${by}: every KPI's rows equal kpiTrend over its own pass (toDate: false)`, async () => {
      const { KPI_REGISTRY } = await import("./internal/registry.ts");
      const { periodsPerYear } = await import("./kpi-trend.ts");
      const report = computeKpis(dataset, { by, asOf: "2026-05-20", toDate: false });
      for (const [name, entry] of Object.entries(KPI_REGISTRY)) {
        const unit = entry.defaultPeriod;
        const pass = entry.compute(dataset, { by, asOf: "2026-05-20", period: unit, periods: 12 + periodsPerYear(unit) });
        const renamed = entry.pick ? pass.map((r) => ({ ...r, kpi: name, value: entry.pick!(r) })) : pass;
        const starts = [...new Set(pass.map((r) => r.start))].sort().slice(-12);
        const expected = kpiTrend(renamed, { unit }).filter((r) => starts.includes(r.start));
        const got = report.kpis[name]!;
        expect(got.length, name).toBeGreaterThan(12);
        expect(got.every((r) => r.key !== undefined)).toBe(true);
        expect(marked(got), name).toBe(marked(expected));
      }
    });
  }
});

describe("computeKpis: the groups of the compared year", () => {
  it("a group seen only in the year before the asked periods keeps rows of zeros there, its drop beside the year-ago value (the KPI function alone leaves it out)", async () => {
    const { activeCustomers } = await import("./active-customers.ts");
    const { dataset } = fromRowsSync({ orders: [
      { order_id: "1", order_date: "2025-02-01", customer_id: "A", product_id: "OLD", quantity: 1, unit_price: 5 },
      { order_id: "2", order_date: "2026-01-10", customer_id: "A", product_id: "NEW", quantity: 1, unit_price: 5 },
      { order_id: "3", order_date: "2026-02-10", customer_id: "A", product_id: "NEW", quantity: 1, unit_price: 5 },
    ] });
    const o = { asOf: "2026-02-28", period: "month", periods: 2, by: "product" } as const;
    const rows = computeKpis(dataset, { ...o, kpis: ["active_customers"] }).kpis.active_customers!;
    expect(rows.map((r) => `${r.period} ${r.key}`)).toEqual(["2026-01 NEW", "2026-01 OLD", "2026-02 NEW", "2026-02 OLD"]);
    expect(rows.find((r) => r.period === "2026-02" && r.key === "OLD")).toMatchObject({ value: 0, yearAgo: 1 });
    expect(activeCustomers(dataset, o).map((r) => `${r.period} ${r.key}`)).toEqual(["2026-01 NEW", "2026-02 NEW"]);
  });
});

describe("computeKpis at the last representable day", () => {
  it("asOf 9999-12-31: the week holding it ends in year 10000 and is a period in progress, not a bad date", () => {
    const { dataset } = fromRowsSync({ orders: [{ order_id: "O1", order_date: "9999-12-28", customer_id: "C1", product_id: "P1", quantity: 2, unit_price: 10 }] });
    // (until 2026-12-06 the week's end text was parsed back and the call threw INVALID_OPTION for a date the caller never gave)
    const r = computeKpis(dataset, { asOf: "9999-12-31", period: "week", periods: 2, kpis: ["revenue"] });
    const last = r.kpis["revenue"]!.at(-1)!;
    // (the data end on the 28th, its second day: the days compared)
    expect([last.start, last.end, last.partial, last.value, last.toDateDays]).toEqual(["9999-12-27", "10000-01-02", true, 20, 2]);
  });
});
