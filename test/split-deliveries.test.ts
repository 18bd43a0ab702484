import { describe, expect, it } from "vitest";
import { analyze, churnFeatures, detectSignals, fitPatterns, fromRowsSync, generateSyntheticDistributor, recommend, similarProducts, type OrderRow } from "../src/index.ts";

// A weekly customer whose every order the ERP delivered (and dated) in two parts, Monday and
// Wednesday, under one order id, beside the same customer with each order on one day: the
// purchase-rhythm layers must read the same 60 weekly purchases (a review, 2026-12-07: the split
// read a 3.5-day usual gap and "due for X: expected in 57% of orders ... 1 order ago" of an item
// bought in every order).
const synth = generateSyntheticDistributor({ seed: 3, customers: 60, products: 40, years: 2 });
const products = synth.products.map((p) => String(p.product_id));
function withWeekly(split: boolean) {
  const orders: OrderRow[] = [...synth.orders];
  for (let w = 0; w < 60; w++) {
    const monday = Date.UTC(2025, 7, 4 + 7 * w);
    for (let j = 0; j < 6; j++) {
      const order_date = new Date(split && j >= 3 ? monday + 2 * 86_400_000 : monday);
      orders.push({ order_id: `W${w}`, line_id: String(j), order_date, customer_id: "ZW", product_id: products[j]!, quantity: 10, unit_price: 10, unit_cost: 7, rep_id: "R01" });
    }
  }
  return fromRowsSync({ ...synth, orders }).dataset;
}
const asOf = "2026-09-23";
const whole = withWeekly(false);
const split = withWeekly(true);

describe("an order delivered in parts is one purchase", () => {
  it("in the customer's rhythm, its items' rhythms, the churn features and the pattern model check", () => {
    const a = fitPatterns(whole, { asOf }), b = fitPatterns(split, { asOf });
    expect(b.customer("ZW")).toEqual(a.customer("ZW"));
    expect(b.customer("ZW")!.meanGapDays).toBeCloseTo(7, 0);
    expect(b.items("ZW")).toEqual(a.items("ZW"));
    expect(b.items("ZW").every((r) => r.itemOrders === 60 && r.ordersSinceLast === 0)).toBe(true);
    // a model of the split data is that data's (its last orders are purchase days)
    expect(() => detectSignals(split, { asOf, model: b })).not.toThrow();
    const row = (ds: typeof whole) => churnFeatures(ds, { asOf }).rows.find((r) => r.customerId === "ZW");
    expect(row(split)).toEqual(row(whole));
  });

  it("in the signals, the offers and the analysis (no repurchase offer for what the last order held)", () => {
    const mine = <T extends { customerId?: string | undefined }>(xs: readonly T[]): T[] => xs.filter((x) => x.customerId === "ZW");
    expect(mine(detectSignals(split, { asOf }))).toEqual(mine(detectSignals(whole, { asOf })));
    const offers = recommend(split, { asOf, customerId: "ZW", k: 5 });
    expect(offers).toEqual(recommend(whole, { asOf, customerId: "ZW", k: 5 }));
    expect(offers.filter((o) => o.kind === "repurchase")).toEqual([]);
    const a = analyze(whole, { asOf }), b = analyze(split, { asOf });
    expect(mine(b.values)).toEqual(mine(a.values));
    expect(mine(b.offers)).toEqual(mine(a.offers));
    // the brief's facts too: last order, purchase days, the sparkline, the yearly margin
    expect(mine(b.customers)).toEqual(mine(a.customers));
    expect(similarProducts(split, { asOf, productId: products[0]!, k: 5 })).toEqual(similarProducts(whole, { asOf, productId: products[0]!, k: 5 }));
  });

  it("the signals name the account owner by the lines' own days, as the KPIs and the tasks do", () => {
    // ZO (no customers.rep_id) orders weekly with R01; its last week: order X (R01) on Monday with
    // a part on Friday, order Y (R02) on the Wednesday between. The latest purchase line is
    // Friday's: R01 (review 2026-12-08: the signal said R02, as the Friday part counts on Monday)
    const orders: OrderRow[] = [...synth.orders];
    const add = (order_id: string, order_date: string, product_id: string, rep_id: string): void => {
      orders.push({ order_id, order_date, customer_id: "ZO", product_id, quantity: 10, unit_price: 10, unit_cost: 7, rep_id });
    };
    for (let w = 0; w < 40; w++) add(`A${w}`, new Date(Date.UTC(2025, 4, 26 + 7 * w)).toISOString().slice(0, 10), products[0]!, "R01");
    add("X", "2026-03-02", products[0]!, "R01");
    add("X", "2026-03-06", products[1]!, "R01");
    add("Y", "2026-03-04", products[2]!, "R02");
    const ds = fromRowsSync({ ...synth, orders }).dataset;
    const at = "2026-04-20";
    const overdue = detectSignals(ds, { asOf: at }).filter((s) => s.customerId === "ZO");
    expect(overdue.map((s) => [s.type, s.repId])).toEqual([["customer_overdue", "R01"]]);
    expect(analyze(ds, { asOf: at }).customers.find((f) => f.customerId === "ZO")?.repId).toBe("R01");
  });
});

describe("a standing order id's weekly call-offs are purchases of their own (self-review 2026-12-08)", () => {
  it("in the BG/NBD behind fitPatterns' pAlive and the churn features, as in the interval model", () => {
    const build = (standing: boolean) => {
      const orders: OrderRow[] = [...synth.orders];
      for (let w = 0; w < 40; w++) orders.push({ order_id: standing ? "BL" : `W${w}`, line_id: String(w), order_date: new Date(Date.UTC(2025, 11, 1 + 7 * w)), customer_id: "ZW", product_id: products[0]!, quantity: 10, unit_price: 10, unit_cost: 7, rep_id: "R01" });
      return fromRowsSync({ ...synth, orders }).dataset;
    };
    const at = "2026-09-07";
    const row = (ds: ReturnType<typeof build>) => churnFeatures(ds, { asOf: at, alive: "bg-nbd" }).rows.find((r) => r.customerId === "ZW");
    expect(row(build(true))).toEqual(row(build(false)));
    expect(fitPatterns(build(true), { asOf: at }).customer("ZW")).toEqual(fitPatterns(build(false), { asOf: at }).customer("ZW"));
  });
});
