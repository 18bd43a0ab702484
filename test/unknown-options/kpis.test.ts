import { describe, expect, it } from "vitest";
import {
  activeCustomers,
  churnProfile,
  churnRate,
  computeKpis,
  customerProfitability,
  discountRate,
  expectedNotBought,
  explainKpiChange,
  fromRowsSync,
  grossProfit,
  isOrderpulseError,
  israeliHolidays,
  kpiTrend,
  orderFrequency,
  orderPace,
  repurchaseRate,
  skuBreadth,
  targetProgress,
  whiteSpace,
} from "../../src/index.ts";
import type { KpiTrendOptions } from "../../src/index.ts";

// a few customers of two reps buying two products over three months, with costs, list prices and targets
const line = (id: string, date: string, c: string, p: string, q: number) => ({ order_id: id, order_date: date, customer_id: c, product_id: p, quantity: q, unit_price: 10, unit_cost: 6, list_price: 12 });
const { dataset } = fromRowsSync({
  orders: [
    line("1", "2026-01-05", "A", "P", 2),
    line("1", "2026-01-05", "A", "Q", 1),
    line("2", "2026-01-12", "B", "P", 1),
    line("3", "2026-01-20", "C", "Q", 3),
    line("4", "2026-02-02", "A", "P", 1),
    line("5", "2026-02-16", "B", "P", 2),
    line("6", "2026-03-02", "A", "Q", 1),
    line("7", "2026-03-09", "A", "P", -1),
  ],
  customers: [
    { customer_id: "A", rep_id: "R1", segment: "bars", region: "north" },
    { customer_id: "B", rep_id: "R1", segment: "shops", region: "south" },
    { customer_id: "C", rep_id: "R2", segment: "bars", region: "north" },
  ],
  products: [{ product_id: "P", family: "f1" }, { product_id: "Q", family: "f2" }],
  targets: [
    { rep_id: "R1", period: "2026-01", kpi: "revenue", target: 100 },
    { rep_id: "R2", period: "2026-Q1", kpi: "active_customers", target: 2 },
    { rep_id: "R1", period: "2026-W06", kpi: "sku_breadth", target: 1 },
  ],
});

const asOf = "2026-03-15";
const trendRows = [1, 2, 3].map((m) => ({ kpi: "x", period: `2026-0${m}`, start: `2026-0${m}-01`, end: `2026-0${m}-28`, partial: false, value: m }));

/** Every public function of the KPI area that takes options: a minimal valid call with `extra` merged into its options. */
const CALLS: readonly (readonly [string, (extra: Record<string, unknown>) => unknown])[] = [
  ["activeCustomers", (x) => activeCustomers(dataset, { asOf, ...x })],
  ["skuBreadth", (x) => skuBreadth(dataset, { asOf, ...x })],
  ["grossProfit", (x) => grossProfit(dataset, { asOf, ...x })],
  ["discountRate", (x) => discountRate(dataset, { asOf, ...x })],
  ["orderFrequency", (x) => orderFrequency(dataset, { asOf, ...x })],
  ["orderPace", (x) => orderPace(dataset, { asOf, ...x })],
  ["repurchaseRate", (x) => repurchaseRate(dataset, { asOf, ...x })],
  ["churnRate", (x) => churnRate(dataset, { asOf, ...x })],
  ["churnProfile", (x) => churnProfile(dataset, { asOf, ...x })],
  ["customerProfitability", (x) => customerProfitability(dataset, { asOf, ...x })],
  ["expectedNotBought", (x) => expectedNotBought(dataset, { asOf, ...x })],
  ["whiteSpace", (x) => whiteSpace(dataset, { asOf, ...x })],
  ["computeKpis", (x) => computeKpis(dataset, { asOf, ...x })],
  ["explainKpiChange", (x) => explainKpiChange(dataset, { kpi: "active_customers", from: "2026-01", to: "2026-02", asOf, ...x })],
  ["kpiTrend", (x) => kpiTrend(trendRows, { unit: "month", ...x })],
  ["targetProgress", (x) => targetProgress(dataset, { asOf, ...x })],
  ["israeliHolidays", (x) => israeliHolidays(2025, 2026, { ...x })],
];

describe("KPI functions reject unknown option keys", () => {
  for (const [name, call] of CALLS) {
    it(`${name}: an unknown key throws INVALID_OPTION naming it`, () => {
      expect(() => call({ bogusKey: 1 })).toThrow(/unknown option bogusKey/);
      let err: unknown;
      try {
        call({ bogusKey: 1 });
      } catch (e) {
        err = e;
      }
      expect(isOrderpulseError(err) && err.code).toBe("INVALID_OPTION");
      expect(String((err as Error).message)).toContain(`${name}: unknown option bogusKey (known: `);
    });

    it(`${name}: an unknown key whose value is undefined is accepted`, () => {
      expect(() => call({ bogusKey: undefined })).not.toThrow();
    });
  }

  it("a misspelled option of a function's own (not a shared KPI one) is named", () => {
    expect(() => orderPace(dataset, { asOf, tolerence: 0.2 } as never)).toThrow(/orderPace: unknown option tolerence/);
    expect(() => churnRate(dataset, { asOf, minCount: 2 } as never)).toThrow(/churnRate: unknown option minCount/);
    expect(() => computeKpis(dataset, { asOf, churn: { windowDays: 30 } } as never)).toThrow(/computeKpis: unknown option churn/);
  });
});

describe("every documented option still works", () => {
  const shared = { asOf, period: "month", periods: 3, weekStartsOn: 1, fiscalYearStartMonth: 1, repBasis: "owner" } as const;

  it("the shared-option KPI functions take every KpiOptions key", () => {
    for (const f of [activeCustomers, skuBreadth, grossProfit, discountRate, orderFrequency, targetProgress]) {
      expect(() => f(dataset, { ...shared, by: "rep" })).not.toThrow();
    }
    expect(targetProgress(dataset, { ...shared, by: "rep" }).map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
  });

  it("the functions with options of their own take all of them", () => {
    expect(() => orderPace(dataset, { ...shared, by: "segment", minGaps: 1, tolerance: 0.2 })).not.toThrow();
    expect(() => repurchaseRate(dataset, { ...shared, by: "rep", withinDays: 30 })).not.toThrow();
    expect(() => churnRate(dataset, { ...shared, by: "rep", churn: { windowDays: 30, lookbackDays: 200 } })).not.toThrow();
    expect(() => churnProfile(dataset, { ...shared, by: "company", churn: { windowDays: 30, lookbackDays: 200 }, minCount: 1 })).not.toThrow();
    expect(() => expectedNotBought(dataset, { ...shared, by: "rep", predictor: () => undefined, minOrders: 2 })).not.toThrow();
    expect(() => customerProfitability(dataset, { ...shared, by: "customer", classes: { a: 0.7, b: 0.2 }, basis: "revenue" })).not.toThrow();
    expect(() => whiteSpace(dataset, { ...shared, by: "segment", level: "family", minPeerShare: 0.1, maxRatio: 0.4 })).not.toThrow();
    expect(() => kpiTrend(trendRows, { unit: "month", slopePeriods: 3 })).not.toThrow();
    // a documented key set to undefined takes its default (and type-checks: kpiTrend's inline type said `slopePeriods?: number`)
    const trendOptions: KpiTrendOptions = { unit: "month", slopePeriods: undefined };
    expect(kpiTrend(trendRows, trendOptions)).toEqual(kpiTrend(trendRows, { unit: "month" }));
    expect(() => israeliHolidays(2025, 2026, { includeCholHamoed: true, includeEve: true, includeNational: false })).not.toThrow();
    expect(() =>
      explainKpiChange(dataset, { kpi: "gross_profit", from: "2026-01", to: "2026-02", period: "month", by: "rep", asOf, weekStartsOn: 0, fiscalYearStartMonth: 4, repBasis: "seller", top: 3, toDate: false }),
    ).not.toThrow();
  });

  it("computeKpis passes only the KPI options on to every KPI it runs (kpis, slopePeriods, toDate are its own)", () => {
    const report = computeKpis(dataset, { ...shared, by: "rep", slopePeriods: 2, toDate: false });
    expect(Object.keys(report.kpis)).toEqual(["active_customers", "sku_breadth", "revenue", "gross_profit", "margin", "order_frequency", "repurchase_rate", "churn_rate", "discount_rate", "expected_not_bought"]);
    const some = computeKpis(dataset, { ...shared, kpis: ["revenue", "churn_rate"], toDate: true });
    expect(Object.keys(some.kpis)).toEqual(["revenue", "churn_rate"]);
  });
});
