import fc from "fast-check";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import type { Dataset } from "../data/dataset.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { activeCustomers } from "./active-customers.ts";
import { computeKpis } from "./compute-kpis.ts";
import { type ChangeContribution, type ExplainableKpi, explainKpiChange, type ExplainKpiChangeOptions, type KpiChangeExplanation } from "./explain-kpi-change.ts";
import { grossProfit } from "./gross-profit.ts";
import { skuBreadth } from "./sku-breadth.ts";
import type { Dimension } from "./types.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";

const KPIS: ExplainableKpi[] = ["active_customers", "gross_profit", "revenue", "sku_breadth"];
const DIMS: Dimension[] = ["company", "rep", "channel", "segment", "region", "customer", "product", "family"];
const kpi20 = async (): Promise<Dataset> => (await readDataset({ path: join(import.meta.dirname, "../../test/fixtures/kpi20") })).dataset;

/** Σ contribution values, compensated, plus what `top` left out. */
function total(r: KpiChangeExplanation): number {
  let s = 0;
  let c = 0;
  for (const x of [...r.contributions.map((k) => k.value), r.omitted.value]) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

const find = (r: KpiChangeExplanation, part: string, key?: string | null): ChangeContribution | undefined =>
  r.contributions.find((c) => c.part === part && (key === undefined ? !("key" in c) : c.key === key));


/** The KPI function's value for a period label (company), independent of explainKpiChange. */
function kpiValue(dataset: Dataset, kpi: ExplainableKpi, label: string, o: { asOf: string; period?: "month" | "week" }): number | undefined {
  const opts = { asOf: o.asOf, period: o.period ?? "month", periods: 30 } as const;
  const rows = kpi === "active_customers" ? activeCustomers(dataset, opts) : kpi === "sku_breadth" ? skuBreadth(dataset, opts) : grossProfit(dataset, opts);
  const row = rows.find((r) => r.period === label);
  if (!row) throw new Error(`no row ${label}`);
  return kpi === "revenue" ? (row as unknown as { revenue: number }).revenue : row.value;
}

describe("explainKpiChange on kpi20 (January vs February 2026, hand-computed)", () => {
  it("active customers: 4 -> 4 = C2, C4 lost; C5 gained; C6 returned", async () => {
    const ds = await kpi20();
    const r = explainKpiChange(ds, { kpi: "active_customers", from: "2026-01", to: "2026-02", toDate: false });
    expect(r.from).toEqual({ label: "2026-01", start: "2026-01-01", end: "2026-01-31", partial: false, value: 4 });
    // default asOf = last order day 2026-02-25: February is still in progress (against the whole
    // of January with toDate: false; like for like below)
    expect(r.to).toEqual({ label: "2026-02", start: "2026-02-01", end: "2026-02-28", partial: true, value: 4 });
    expect(r.asOf).toBe("2026-02-25");
    expect(r.change).toBe(0);
    expect(r.parts).toEqual({ lost: -2, gained: 1, returned: 1 });
    expect(r.contributions).toEqual([
      { part: "lost", value: -2, count: 2, customers: ["C2", "C4"] },
      { part: "gained", value: 1, count: 1, customers: ["C5"] },
      { part: "returned", value: 1, count: 1, customers: ["C6"] },
    ]);
    expect(r.residual).toBe(0);
    const byRep = explainKpiChange(ds, { kpi: "active_customers", from: "2026-01", to: "2026-02", by: "rep", asOf: "2026-02-28" });
    expect(byRep.to.partial).toBe(false);
    expect(byRep.contributions.map((c) => [c.key, c.part, c.value, c.customers])).toEqual([
      ["R1", "lost", -1, ["C2"]],
      ["R2", "lost", -1, ["C4"]],
      ["R2", "gained", 1, ["C5"]],
      ["R1", "returned", 1, ["C6"]],
    ]);
    // a line-level dimension: each customer in the channel of its largest revenue in the period
    const byChannel = explainKpiChange(ds, { kpi: "active_customers", from: "2026-01", to: "2026-02", toDate: false, by: "channel" });
    expect(byChannel.contributions.map((c) => [c.key, c.part, c.customers])).toEqual([
      ["field", "lost", ["C4"]],
      ["phone", "lost", ["C2"]],
      ["web", "gained", ["C5"]],
      ["field", "returned", ["C6"]],
    ]);
  });

  it("gross profit 154 -> 86: volume -88.32, mix +26.708, price +3.612, cost 0, lost item P3 -10", async () => {
    const ds = await kpi20();
    const r = explainKpiChange(ds, { kpi: "gross_profit", from: "2026-01", to: "2026-02", toDate: false });
    expect(r.from.value).toBe(154);
    expect(r.to.value).toBe(86);
    expect(r.from.linesWithoutCost).toBe(0);
    expect(r.to.linesWithoutCost).toBe(1); // A3 line 2: P5 has no cost anywhere
    expect(r.change).toBe(-68);
    // common products P1, P2, P4: Q0 = 22 + 41 + 12 = 75, Q1 = 24 + 2 + 3 = 29, base GP 70 + 62 + 12 = 144
    expect(r.parts.volume).toBeCloseTo(-46 * (144 / 75), 12); // -88.32
    // mix = Σ q1·m0 − Q1·144/75 = (24·70/22 + 2·62/41 + 3·12/12) − 29·144/75 = 37157/451 − 55.68
    expect(r.parts.mix).toBeCloseTo(37157 / 451 - 55.68, 12);
    // price = Σ q1·(p1 − p0) = 24·(219.5/24 − 202/22) + 2·(10.5/2 − 185/41) + 3·(7 − 6) = 1629/451
    expect(r.parts.price).toBeCloseTo(1629 / 451, 12);
    expect(r.parts.cost).toBe(0); // unit costs did not change
    expect(r.parts.lost_item).toBe(-10); // P3 (syrup) not bought in February
    expect(r.parts.new).toBe(0); // P5 is new but has no cost: out of profit, counted in linesWithoutCost
    expect(r.parts.returns_only).toBe(0);
    expect(Math.abs(r.residual)).toBeLessThanOrEqual(1e-9 * 68);
    expect(r.contributions.map((c) => c.part)).toEqual(["volume", "mix", "lost_item", "price"]);
    expect(find(r, "volume")).toMatchObject({ count: 3, fromQuantity: 75, toQuantity: 29, fromValue: 144, toValue: 86 });
    // by product: the same items (company items are products), one row per product and part
    const byProduct = explainKpiChange(ds, { kpi: "gross_profit", from: "2026-01", to: "2026-02", toDate: false, by: "product" });
    expect(byProduct.parts).toEqual(r.parts);
    expect(find(byProduct, "volume", "P1")?.value).toBeCloseTo((-46 * 70) / 75, 12);
    expect(find(byProduct, "mix", "P2")?.value).toBeCloseTo((2 * 62) / 41 - (29 * 62) / 75, 12);
    expect(find(byProduct, "price", "P4")?.value).toBeCloseTo(3, 12);
    expect(find(byProduct, "price", "P1")?.value).toBeCloseTo(219.5 - (24 * 202) / 22, 12);
  });

  it("gross profit by customer: items are (customer, product); C2's credit note makes its cups a lost item", async () => {
    const ds = await kpi20();
    const r = explainKpiChange(ds, { kpi: "gross_profit", from: "2026-01", to: "2026-02", toDate: false, by: "customer" });
    // common items (C1,P1): q 18 -> 10, GP 54 -> 25; (C3,P1): q 4 -> 6, GP 16 -> 24; Q0 = 22, Q1 = 16
    expect(find(r, "volume", "C1")?.value).toBeCloseTo((-6 * 54) / 22, 12);
    expect(find(r, "volume", "C3")?.value).toBeCloseTo((-6 * 16) / 22, 12);
    expect(find(r, "mix", "C1")?.value).toBeCloseTo((10 * 54) / 18 - (16 * 54) / 22, 12);
    expect(find(r, "mix", "C3")?.value).toBeCloseTo((6 * 16) / 4 - (16 * 16) / 22, 12);
    expect(find(r, "price", "C1")?.value).toBe(-5); // 10 x (8.5 - 9)
    expect(find(r, "price", "C3")).toBeUndefined(); // 10 -> 10: zero, left out
    expect(find(r, "lost_item", "C2")).toMatchObject({ value: -49.5, fromQuantity: 30, toQuantity: -3, fromValue: 45, toValue: -4.5 });
    expect(find(r, "lost_item", "C4")?.value).toBe(-24);
    expect(find(r, "new", "C5")?.value).toBe(26.5);
    expect(r.parts).toMatchObject({ new: 41.5, lost_item: -88.5, price: -5, cost: 0 });
    expect(r.parts.volume).toBeCloseTo((-6 * 70) / 22, 12);
    expect(r.parts.mix).toBeCloseTo(3.090909090909091, 12);
    expect(Math.abs(r.residual)).toBeLessThanOrEqual(1e-9 * 68);
    expect(r.contributions[0]).toMatchObject({ key: "C2", part: "lost_item" });
  });

  it("revenue 484 -> 291: volume -281.52, mix +69.908, price +3.612, new P5 +40, lost P3 -25", async () => {
    const ds = await kpi20();
    const r = explainKpiChange(ds, { kpi: "revenue", from: "2026-01", to: "2026-02", toDate: false });
    expect([r.from.value, r.to.value, r.change]).toEqual([484, 291, -193]);
    expect(r.parts.volume).toBeCloseTo(-46 * (459 / 75), 12);
    expect(r.parts.mix).toBeCloseTo(111572 / 451 - (29 * 459) / 75, 12);
    expect(r.parts.price).toBeCloseTo(1629 / 451, 12);
    expect(r.parts).toMatchObject({ new: 40, lost_item: -25, returns_only: 0 });
    expect("cost" in r.parts).toBe(false);
    expect(Math.abs(r.residual)).toBeLessThanOrEqual(1e-9 * 193);
  });

  it("SKU breadth 1.75 -> 1.75: C5 (2 SKUs) and C6 (1) entered, C2 (1) and C4 (2) left", async () => {
    const ds = await kpi20();
    const r = explainKpiChange(ds, { kpi: "sku_breadth", from: "2026-01", to: "2026-02", toDate: false, by: "customer" });
    expect(r.from).toMatchObject({ value: 1.75, numerator: 7, denominator: 4 });
    expect(r.to).toMatchObject({ value: 1.75, numerator: 7, denominator: 4 });
    expect(r.change).toBe(0);
    // entered: (n1 − B0) / N1; left: −(n0 − B0) / N1; C1 and C3 kept 2 SKUs each (breadth 0)
    expect(r.contributions.map((c) => [c.key, c.part, c.value])).toEqual([
      ["C6", "entered", -0.1875],
      ["C2", "left", 0.1875],
      ["C5", "entered", 0.0625],
      ["C4", "left", -0.0625],
    ]);
    expect(r.parts).toEqual({ breadth: 0, entered: -0.125, left: 0.125 });
    expect(r.residual).toBe(0);
  });

  it("SKU breadth December -> January: C4 widened, C6 left; parts add up", async () => {
    const ds = await kpi20();
    // Dec: C4 {P4}, C6 {P3}: B0 = 1. Jan: C1 2, C2 1, C3 2, C4 2: B1 = 7/4.
    const r = explainKpiChange(ds, { kpi: "sku_breadth", from: "2025-12", to: "2026-01", by: "rep" });
    expect(r.change).toBe(0.75);
    // C4 (R2) continues 1 -> 2: +1/4; C1, C2, C3 enter: (2-1)/4, (1-1)/4, (2-1)/4; C6 (R1) left: -(1-1)/4 = 0
    expect(r.parts).toEqual({ breadth: 0.25, entered: 0.5, left: 0 });
    expect(find(r, "breadth", "R2")).toMatchObject({ value: 0.25, widened: 1, narrowed: 0, customers: ["C4"] });
    expect(find(r, "entered", "R1")).toMatchObject({ value: 0.25, customers: ["C1", "C2"] });
    expect(find(r, "entered", "R2")).toMatchObject({ value: 0.25, customers: ["C3"] });
  });

  it("an unchanged unit cost is no cost effect, whatever the float sums (0.1 x 3 summed is 0.30000000000000004)", () => {
    const line = (id: string, d: string, c: string, q: number): OrderRow => ({ order_id: id, order_date: d, customer_id: c, product_id: "P", quantity: q, unit_price: 1.1, unit_cost: 0.1 });
    const ds = fromRowsSync({ orders: [line("a0", "2026-01-05", "C0", 1), line("a1", "2026-01-06", "C1", 1), line("b0", "2026-02-05", "C0", 3)] }).dataset;
    const e = explainKpiChange(ds, { kpi: "gross_profit", from: "2026-01", to: "2026-02", asOf: "2026-02-28" });
    // (it listed a cost contribution of −4.16e-17, printed "cost -0")
    expect(e.parts["cost"]).toBe(0);
    expect(e.contributions.filter((x) => x.part === "cost")).toEqual([]);
  });

  it("a rate part counts only the items with an effect there: one product's cost change is one item, by company as by product", () => {
    // A buys P1, P2 and P3 (10 each at 5) in both months; only P1's unit cost moves, 3 -> 4: cost −10
    const L = (id: string, d: string, p: string, cost: number): OrderRow => ({ order_id: id, order_date: d, customer_id: "A", product_id: p, quantity: 10, unit_price: 5, unit_cost: cost });
    const ds = fromRowsSync({ orders: [L("1", "2026-01-05", "P1", 3), L("1", "2026-01-05", "P2", 3), L("1", "2026-01-05", "P3", 3), L("2", "2026-02-05", "P1", 4), L("2", "2026-02-05", "P2", 3), L("2", "2026-02-05", "P3", 3)] }).dataset;
    for (const by of ["company", "product"] as const) {
      const e = explainKpiChange(ds, { kpi: "gross_profit", from: "2026-01", to: "2026-02", asOf: "2026-02-28", by });
      const cost = e.contributions.filter((x) => x.part === "cost");
      // (until 2026-12-07 by company: count 3, quantities 30, the unchanged P2 and P3 included)
      expect([by, cost.map((x) => [x.value, x.count, x.fromQuantity, x.toQuantity, x.fromValue, x.toValue])]).toEqual([by, [[-10, 1, 10, 10, 20, 10]]]);
    }
  });

  it("from / to values equal the KPI functions'", async () => {
    const ds = await kpi20();
    for (const kpi of KPIS) {
      for (const by of DIMS) {
        const r = explainKpiChange(ds, { kpi, from: "2026-01-15", to: "2026-02-01", by, asOf: "2026-02-28" });
        expect(r.from.label).toBe("2026-01");
        expect(r.from.value).toBe(kpiValue(ds, kpi, "2026-01", { asOf: "2026-02-28" }));
        expect(r.to.value).toBe(kpiValue(ds, kpi, "2026-02", { asOf: "2026-02-28" }));
        expect(Math.abs(r.residual)).toBeLessThanOrEqual(1e-9 * Math.abs(r.change!));
      }
    }
  });

  it("from / to values follow grossProfit's net-zero rule: sales and their full refund make 0, not rounding noise", () => {
    const o = (id: string, d: string, q: number, price: number): OrderRow => ({ order_id: id, order_date: d, customer_id: "C1", product_id: "P", quantity: q, unit_price: price, unit_cost: 0.05 });
    // 0.1 + 0.2 − 2 × 0.15 is 2.8e-17 in floating point
    const ds = fromRowsSync({ orders: [o("S1", "2026-01-05", 1, 0.1), o("S2", "2026-01-06", 1, 0.2), o("R1", "2026-01-20", -2, 0.15), o("S3", "2026-02-03", 1, 10)] }).dataset;
    const [jan] = grossProfit(ds, { asOf: "2026-02-28", periods: 2 });
    expect(jan!.revenue).toBe(0);
    for (const kpi of ["revenue", "gross_profit"] as const) {
      const r = explainKpiChange(ds, { kpi, from: "2026-01", to: "2026-02", asOf: "2026-02-28" });
      expect(r.from.value).toBe(0);
      expect(r.from.value).toBe(kpiValue(ds, kpi, "2026-01", { asOf: "2026-02-28" }));
    }
  });

  it("an item's contribution follows the net-zero rule too: purchases and their full return contribute nothing (not rounding noise beside a change of 0)", () => {
    const o = (id: string, d: string, q: number, price: number): OrderRow => ({ order_id: id, order_date: d, customer_id: "A", product_id: "P", quantity: q, unit_price: price, unit_cost: 0.7 });
    // February: 3 + 4 units at 1.10 bought and all 7 returned (3.3 + 4.4 − 7.7 is 4.4e-16 in floating point)
    const ds = fromRowsSync({ orders: [o("0", "2025-12-10", 1, 5), o("1", "2026-02-03", 3, 1.1), o("2", "2026-02-04", 4, 1.1), o("3", "2026-02-05", -7, 1.1)] }).dataset;
    for (const kpi of ["revenue", "gross_profit"] as const) {
      const r = explainKpiChange(ds, { kpi, from: "2026-01", to: "2026-02", asOf: "2026-02-28" });
      expect([r.from.value, r.to.value, r.change, r.contributions, r.residual]).toEqual([0, 0, 0, [], 0]);
    }
  });

  it("like for like by default: February 1-25 (in progress) against January 1-25", async () => {
    const ds = await kpi20();
    const r = explainKpiChange(ds, { kpi: "revenue", from: "2026-01", to: "2026-02" });
    // January 1-25: A1 110, E2 72, B1 90, D1 65, A2 72 (B2 on the 28th and E3 on the 30th fall outside)
    expect(r).toMatchObject({ toDateDays: 25, from: { end: "2026-01-25", value: 409, partial: false }, to: { value: 291, partial: true }, change: -118 });
    expect(explainKpiChange(ds, { kpi: "active_customers", from: "2026-01", to: "2026-02" }).from.value).toBe(4);
    expectInvalid(() => explainKpiChange(ds, { kpi: "revenue", from: "2026-01", to: "2026-02", toDate: 1 as unknown as boolean }), "toDate");
    // a missing kpi says it is required (review 2026-12-07: "expected one of ..., got null", null never given)
    expectInvalid(() => explainKpiChange(ds, { from: "2026-01", to: "2026-02" } as never), "kpi");
    expect(() => explainKpiChange(ds, { from: "2026-01", to: "2026-02" } as never)).toThrow(/option kpi is required/);
  });

  it("asOfInProgress: a `to` ending on asOf (today) is in progress; a `to` without data yet has no values, not an inverted `from`", async () => {
    const ds = await kpi20();
    // asOf February 28 is a complete day by default: February is whole, against the whole of January
    const whole = explainKpiChange(ds, { kpi: "revenue", from: "2026-01", to: "2026-02", asOf: "2026-02-28" });
    expect(whole).toMatchObject({ from: { end: "2026-01-31", value: 484 }, to: { partial: false, value: 291 } });
    expect(whole.toDateDays).toBeUndefined();
    // read on the 28th while it is still going on: the data end on the 25th, so January 1-25 (409)
    const today = explainKpiChange(ds, { kpi: "revenue", from: "2026-01", to: "2026-02", asOf: "2026-02-28", asOfInProgress: true });
    expect(today).toMatchObject({ toDateDays: 25, from: { end: "2026-01-25", value: 409 }, to: { partial: true, value: 291 }, change: -118 });
    // March read on March 2 has no data yet: nothing compared (from read 2026-02-01 .. 2026-01-31, change 0)
    for (const asOfInProgress of [false, true]) {
      const none = explainKpiChange(ds, { kpi: "gross_profit", from: "2026-02", to: "2026-03", asOf: "2026-03-02", asOfInProgress });
      expect(none).toMatchObject({ toDateDays: 0, from: { start: "2026-02-01", end: "2026-02-28", value: undefined }, to: { partial: true, value: undefined }, change: undefined, contributions: [], residual: 0 });
    }
    expectInvalid(() => explainKpiChange(ds, { kpi: "revenue", from: "2026-01", to: "2026-02", asOfInProgress: "yes" as unknown as boolean }), "asOfInProgress");
  });

  it("top keeps the largest contributions and sums the rest", async () => {
    const ds = await kpi20();
    const all = explainKpiChange(ds, { kpi: "gross_profit", from: "2026-01", to: "2026-02", toDate: false, by: "customer" });
    const r = explainKpiChange(ds, { kpi: "gross_profit", from: "2026-01", to: "2026-02", toDate: false, by: "customer", top: 3 });
    expect(r.contributions).toEqual(all.contributions.slice(0, 3));
    expect(r.omitted.count).toBe(all.contributions.length - 3);
    expect(total(r) + r.residual).toBeCloseTo(-68, 12);
    expect(all.omitted).toEqual({ count: 0, value: 0 });
  });
});

describe("explainKpiChange: periods and options", () => {
  it("a dataset without orders and no asOf: an explanation of nothing (asOf defaults to the end of to), not an error", () => {
    // until 2026-12-06 asOf fell back to 1970-01-01 and every `to` was refused: the data, not the options, threw
    const { dataset } = fromRowsSync({ orders: [] });
    for (const kpi of ["revenue", "active_customers", "sku_breadth"] as const) {
      const r = explainKpiChange(dataset, { kpi, from: "2026-01", to: "2026-02" });
      // a sum or count of nothing is 0; an average of nobody (SKU breadth) is undefined
      expect([r.asOf, r.change, r.contributions.length]).toEqual(["2026-02-28", kpi === "sku_breadth" ? undefined : 0, 0]);
    }
  });

  const { dataset } = fromRowsSync({
    orders: [
      { order_id: "1", order_date: "2025-12-29", customer_id: "A", product_id: "P", quantity: 2, unit_price: 3, unit_cost: 1 },
      { order_id: "2", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 3, unit_cost: 1 },
      { order_id: "3", order_date: "2026-04-10", customer_id: "B", product_id: "P", quantity: 1, unit_price: 3, unit_cost: 1 },
    ],
  });
  // whole periods (toDate: false): the quarter, year and fiscal year holding asOf are in progress
  const base = { kpi: "active_customers", asOf: "2026-04-30", toDate: false } as const;

  it("accepts labels of each unit and days inside periods", () => {
    expect(explainKpiChange(dataset, { ...base, from: "2026-W01", to: "2026-W02", period: "week" }).from).toMatchObject({ label: "2026-W01", start: "2025-12-29", end: "2026-01-04", value: 1 });
    expect(explainKpiChange(dataset, { ...base, from: "2025-12-28", to: "2026-01-04", period: "week", weekStartsOn: 0 }).to).toMatchObject({ label: "2026-01-04", value: 1 });
    expect(explainKpiChange(dataset, { ...base, from: "2026-q1", to: "2026-Q2", period: "quarter" })).toMatchObject({ change: 0, parts: { lost: -1, gained: 1 } });
    expect(explainKpiChange(dataset, { ...base, from: "2025", to: "2026", period: "year" }).change).toBe(1);
    expect(explainKpiChange(dataset, { ...base, from: "FY2025", to: "FY2026", period: "fiscal", fiscalYearStartMonth: 7 })).toMatchObject({
      // before the data (it begins on 2025-12-29): not covered, so partial
      from: { start: "2024-07-01", end: "2025-06-30", value: 0, partial: true },
      to: { start: "2025-07-01", end: "2026-06-30", value: 2, partial: true },
    });
    expect(explainKpiChange(dataset, { ...base, from: "2025-12-29", to: "2026-04-10", period: "day" }).parts).toEqual({ lost: -1, gained: 1, returned: 0 });
  });

  it("refuses bad options, labels of another unit, from not before to, and periods after asOf", () => {
    const ok: ExplainKpiChangeOptions = { ...base, from: "2026-01", to: "2026-04" };
    expect(explainKpiChange(dataset, ok).change).toBe(0);
    expectInvalid(() => explainKpiChange(dataset, { ...ok, kpi: "nope" as never }), "kpi");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, by: "planet" as never }), "by");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, top: 0 }), "top");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, period: "decade" as never }), "period");
    expectInvalid(() => explainKpiChange(dataset, undefined as never));
    expectInvalid(() => explainKpiChange(dataset, { ...ok, asOf: "2026-02-30" }));
    expectInvalid(() => explainKpiChange(dataset, { ...ok, from: "2026-Q1" }), "from");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, from: "2026-13" }), "from");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, to: "2026-02-30" }), "to");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, from: "2025-W53", period: "week", to: "2026-W02" }), "from");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, from: "2026-04", to: "2026-01" }), "from");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, from: "2026-04", to: "2026-04-30" }), "from");
    expectInvalid(() => explainKpiChange(dataset, { ...ok, to: "2026-05" }), "to");
    // the period holding asOf is explained as far as asOf and marked partial
    expect(explainKpiChange(dataset, { ...ok, asOf: "2026-04-10" }).to).toMatchObject({ partial: true, value: 1 });
    expectInvalid(() => explainKpiChange(dataset, { ...ok, asOf: "2026-03-31" }), "to");
  });

  it("SKU breadth without active customers in a period: change undefined, nothing decomposed", () => {
    const r = explainKpiChange(dataset, { kpi: "sku_breadth", from: "2026-02", to: "2026-04", asOf: "2026-04-30" });
    expect(r.from.value).toBeUndefined();
    expect(r.to.value).toBe(1);
    expect(r.change).toBeUndefined();
    expect(r.contributions).toEqual([]);
    expect(r.residual).toBe(0);
  });
});

const MONTHS = ["2025-12", "2026-01", "2026-02", "2026-03"] as const;
const orderArb = fc.record({
  order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5", "O6"),
  line_id: fc.integer({ min: 1, max: 400 }).map(String),
  order_date: fc.tuple(fc.constantFrom(...MONTHS), fc.integer({ min: 1, max: 28 })).map(([m, d]) => `${m}-${d < 10 ? "0" : ""}${d}`),
  customer_id: fc.constantFrom("C1", "C2", "C3", "C4", "C5", "C6"),
  product_id: fc.constantFrom("P1", "P2", "P3", "P4"),
  quantity: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: -5, max: -1 }), fc.constantFrom(0.5, 1.25, 2.7)),
  unit_price: fc.constantFrom(1, 2.5, 3.3, 7.1, 9.99, 12),
  unit_cost: fc.option(fc.constantFrom(0, 0.7, 1.1, 2, 5.55), { nil: undefined }),
  rep_id: fc.option(fc.constantFrom("R1", "R2"), { nil: undefined }),
  channel: fc.option(fc.constantFrom("web", "field"), { nil: undefined }),
});
const customersArb = fc.array(
  fc.record({
    customer_id: fc.constantFrom("C1", "C2", "C3", "C4", "C5", "C6"),
    segment: fc.option(fc.constantFrom("cafes", "hotels"), { nil: undefined }),
    region: fc.option(fc.constantFrom("north", "south"), { nil: undefined }),
    rep_id: fc.option(fc.constantFrom("R1", "R2", "R3"), { nil: undefined }),
  }),
  { maxLength: 6 },
);

describe("explainKpiChange: properties", () => {
  it("parts add up to the change (residual <= 1e-9 x |change| + float rounding) for every kpi and by; values equal the KPIs'", () => {
    fc.assert(
      fc.property(
        fc.array(orderArb, { maxLength: 60 }),
        customersArb,
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom("owner" as const, "seller" as const),
        (orders, customers, a, b, repBasis) => {
          fc.pre(a < b);
          const seen = new Set<string>();
          const custs = customers.filter((c) => !seen.has(c.customer_id) && seen.add(c.customer_id));
          const { dataset } = fromRowsSync({ orders, customers: custs });
          const asOf = "2026-03-31";
          // the largest sum a money figure passes through: the lines' amounts, revenue and cost apart
          // (a return of 3 x 1.10 at cost 3 x 1.1 leaves 2.2e-16 in one order and 0 in another)
          let lineMagnitude = 0;
          for (const o of orders) lineMagnitude += Math.abs(o.quantity * o.unit_price) + Math.abs(o.quantity * (o.unit_cost ?? 0));
          const from = MONTHS[a]!;
          const to = MONTHS[b]!;
          for (const kpi of KPIS) {
            const expectedFrom = kpiValue(dataset, kpi, from, { asOf });
            const expectedTo = kpiValue(dataset, kpi, to, { asOf });
            let companyParts: unknown;
            for (const by of DIMS) {
              const r = explainKpiChange(dataset, { kpi, from, to, by, asOf, repBasis });
              expect(r.from.value).toBe(expectedFrom);
              expect(r.to.value).toBe(expectedTo);
              if (r.change === undefined) {
                expect(r.contributions).toEqual([]);
                continue;
              }
              // residual <= 1e-9 x |change|, plus rounding of the magnitudes involved: when the
              // change itself is a cancellation (e.g. 12 - 14.2 + 2.2 = 8.9e-16), no float sum can do better
              let magnitude = Math.max(Math.abs(r.from.value!), Math.abs(r.to.value!), kpi === "gross_profit" || kpi === "revenue" ? lineMagnitude : 0);
              for (const c of r.contributions) magnitude = Math.max(magnitude, Math.abs(c.value));
              const scale = Math.max(Math.abs(r.change), magnitude);
              expect(Math.abs(r.residual)).toBeLessThanOrEqual(1e-9 * Math.abs(r.change) + 1e-12 * magnitude);
              expect(Math.abs(r.change - total(r) - r.residual)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));
              let partSum = 0;
              for (const v of Object.values(r.parts)) partSum += v;
              expect(Math.abs(partSum - total(r))).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));
              // sorted by |value| desc
              for (let i = 1; i < r.contributions.length; i++) expect(Math.abs(r.contributions[i - 1]!.value)).toBeGreaterThanOrEqual(Math.abs(r.contributions[i]!.value));
              if (kpi === "active_customers") {
                for (const c of r.contributions) expect(c.value).toBe(c.part === "lost" ? -c.count : c.count);
              }
              // product-level items are the same for company, product and family
              if (by === "company") companyParts = r.parts;
              if ((kpi === "gross_profit" || kpi === "revenue") && (by === "product" || by === "family")) {
                for (const [p, v] of Object.entries(r.parts)) expect(v).toBeCloseTo((companyParts as Record<string, number>)[p]!, 9);
              }
            }
          }
        },
      ),
      { numRuns: Number(process.env.EXPLAIN_RUNS ?? 150) },
    );
  });

  it("is deterministic and independent of input row order", () => {
    fc.assert(
      fc.property(fc.array(orderArb, { maxLength: 40 }), fc.constantFrom(...KPIS), fc.constantFrom(...DIMS), (raw, kpi, by) => {
        // unique line keys: a repeated key is a replacement, where the last row given wins
        const orders = raw.map((r, i) => ({ ...r, line_id: String(i) }));
        const o = { kpi, from: "2026-01", to: "2026-02", by, asOf: "2026-03-31" } as const;
        const r1 = explainKpiChange(fromRowsSync({ orders }).dataset, o);
        const r2 = explainKpiChange(fromRowsSync({ orders: [...orders].reverse() }).dataset, o);
        expect(JSON.stringify(r2)).toBe(JSON.stringify(r1));
      }),
      { numRuns: 60 },
    );
  });
});

describe("explainKpiChange on a synthetic distributor", () => {
  const synth = generateSyntheticDistributor({ seed: 5, customers: 120, products: 150, years: 1 });
  const { dataset } = fromRowsSync(synth);
  const day = (d: OrderRow["order_date"]): string => String(d).slice(0, 10);

  it("every kpi and dimension adds up, and lost / gained / returned agree with the raw rows", () => {
    const from = "2026-08";
    const to = "2026-09";
    for (const kpi of KPIS) {
      for (const by of DIMS) {
        const r = explainKpiChange(dataset, { kpi, from, to, by });
        expect(r.from.value).toBe(kpiValue(dataset, kpi, from, { asOf: "2026-10-31" }));
        expect(r.to.value).toBe(kpiValue(dataset, kpi, to, { asOf: "2026-10-31" }));
        expect(r.change).not.toBe(0);
        expect(Math.abs(r.residual)).toBeLessThanOrEqual(1e-9 * Math.abs(r.change!));
        expect(r.to.partial).toBe(false);
      }
    }
    // independent check of the customer flows from the order rows
    const bought = (lo: string, hi: string): Set<string> =>
      new Set(synth.orders.filter((o) => Number(o.quantity) > 0 && day(o.order_date) >= lo && day(o.order_date) <= hi).map((o) => String(o.customer_id)));
    const inFrom = bought("2026-08-01", "2026-08-31");
    const inTo = bought("2026-09-01", "2026-09-30");
    const before = bought("0000-01-01", "2026-07-31");
    const r = explainKpiChange(dataset, { kpi: "active_customers", from, to, by: "customer" });
    const who = (part: string): string[] => r.contributions.filter((c) => c.part === part).map((c) => c.key!).sort();
    expect(who("lost")).toEqual([...inFrom].filter((c) => !inTo.has(c)).sort());
    expect(who("returned")).toEqual([...inTo].filter((c) => !inFrom.has(c) && before.has(c)).sort());
    expect(who("gained")).toEqual([...inTo].filter((c) => !inFrom.has(c) && !before.has(c)).sort());
    expect(r.parts.lost! + r.parts.gained! + r.parts.returned!).toBe(r.change);
  });

  it("September in progress (as of the 17th) is explained against August 1-17, as computeKpis compares it", () => {
    const asOf = "2026-09-17";
    for (const kpi of KPIS) {
      for (const by of DIMS) {
        const r = explainKpiChange(dataset, { kpi, from: "2026-08", to: "2026-09", by, asOf });
        expect(r).toMatchObject({ toDateDays: 17, from: { start: "2026-08-01", end: "2026-08-17", partial: false }, to: { end: "2026-09-30", partial: true } });
        // the KPI as of August 17 (an independent call) and the like-for-like previous of computeKpis
        expect(r.from.value).toBe(kpiValue(dataset, kpi, "2026-08", { asOf: "2026-08-17" }));
        const report = computeKpis(dataset, { asOf, period: "month", periods: 2, kpis: [kpi] });
        expect(r.from.value).toBeCloseTo(report.kpis[kpi]![1]!.previous!, 9);
        expect(Math.abs(r.residual)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(r.change!)));
      }
    }
    const whole = explainKpiChange(dataset, { kpi: "revenue", from: "2026-08", to: "2026-09", asOf, toDate: false });
    expect(whole.from.value).toBe(kpiValue(dataset, "revenue", "2026-08", { asOf: "2026-10-31" }));
    expect(whole.toDateDays).toBeUndefined();
  });

  it("gross profit: price, volume and mix are present and margins are plausible", () => {
    const r = explainKpiChange(dataset, { kpi: "gross_profit", from: "2026-08", to: "2026-09", by: "rep", top: 5 });
    expect(r.contributions.length).toBe(5);
    expect(r.omitted.count).toBeGreaterThan(0);
    for (const p of ["volume", "mix", "price"] as const) expect(r.parts[p]).not.toBe(0);
    expect(Math.abs(total(r) + r.residual - r.change!)).toBeLessThanOrEqual(1e-9 * Math.abs(r.change!));
    expect(r.from.value!).toBeGreaterThan(0);
    // a month-over-month change in profit is a fraction of profit, not a multiple
    expect(Math.abs(r.change!)).toBeLessThan(r.from.value!);
  });
});
