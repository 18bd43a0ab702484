import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { churnProfile } from "./churn-profile.ts";
import { churnRate } from "./churn-rate.ts";

const KPI20 = join(import.meta.dirname, "../../test/fixtures/kpi20");

describe("churnProfile", () => {
  it("kpi20, Dec-Feb, 30-day window (hand-computed)", async () => {
    const { dataset } = await readDataset({ path: KPI20 });
    // churned: C6 (Dec), C2 and C3 (Feb); base also holds C4 (Jan, Feb) and C1 (Feb) -> 3 of 5
    const p = churnProfile(dataset, { asOf: "2026-02-28", periods: 3, churn: { windowDays: 30 }, minCount: 1 });
    expect(p).toMatchObject({ from: "2025-12-01", to: "2026-02-28", censored: false, churned: 3, base: 5 });
    const f = p.factors.map((x) => [x.dimension, x.value, x.churned, x.base]);
    expect(f).toEqual([
      // lift (1/3) / (1/5) = 5/3
      ["segment", "hotels", 1, 1],
      ["segment", "institutions", 1, 1],
      ["segment", "restaurants", 1, 1],
      ["channel", "phone", 1, 1],
      ["channel", "web", 1, 1],
      // lift (2/3) / (3/5) = 10/9: R1 owns C1, C2, C6; north = C1, C2, C6;
      // coffee bought in the look-back: C6 (Nov 10), C1, C3 (January)
      ["rep", "R1", 2, 3],
      ["region", "north", 2, 3],
      ["family", "coffee", 2, 3],
      // lift (1/3) / (2/5) = 5/6
      ["rep", "R2", 1, 2],
      ["region", "south", 1, 2],
      // lift (1/3) / (3/5) = 5/9: field = C1, C4, C6; disposables = C1, C2, C4
      ["channel", "field", 1, 3],
      ["family", "disposables", 1, 3],
    ]);
    expect(p.factors[0]!.lift).toBeCloseTo(5 / 3, 12);
    expect(p.factors[0]).toMatchObject({ shareChurned: 1 / 3, shareBase: 1 / 5, churnRate: 1 });
    expect(p.factors[5]!.lift).toBeCloseTo(10 / 9, 12);
    expect(p.factors[8]!.lift).toBeCloseTo(5 / 6, 12);
    expect(p.factors[11]!.lift).toBeCloseTo(5 / 9, 12);
    // default minCount 3: no value has 3 churned customers
    expect(churnProfile(dataset, { asOf: "2026-02-28", periods: 3, churn: { windowDays: 30 } }).factors).toEqual([]);
  });

  it("agrees with churnRate's churned customers and base", () => {
    const synth = generateSyntheticDistributor({ seed: 5, customers: 150, products: 60, years: 2 });
    const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products });
    const rows = churnRate(dataset, { periods: 6, by: "customer" });
    const churned = new Set(rows.flatMap((r) => r.churned.map((c) => c.customerId)));
    const base = new Set(rows.filter((r) => r.denominator > 0).map((r) => r.key));
    const p = churnProfile(dataset, { periods: 6, minCount: 1 });
    expect(p.churned).toBe(churned.size);
    expect(p.base).toBe(base.size);
    // every customer has exactly one segment value: the segment counts add up
    const seg = p.factors.filter((f) => f.dimension === "segment");
    expect(seg.reduce((s, f) => s + f.churned, 0)).toBe(p.churned);
  });

  it("synthetic distributor with churn planted in one segment: that segment ranks first", () => {
    const synth = generateSyntheticDistributor({ seed: 5, customers: 150, products: 60, years: 2 });
    const planted = "cafes"; // not singled out without the planted churn (institutions are)
    const victims = new Set(synth.customers.filter((c) => c.segment === planted).map((c) => String(c.customer_id)).filter((_, i) => i % 5 !== 0));
    expect(victims.size).toBeGreaterThanOrEqual(15);
    // most customers of the segment stop buying after 2026-03-15
    const orders = synth.orders.filter((o) => !(victims.has(String(o.customer_id)) && String(o.order_date) > "2026-03-15"));
    const { dataset } = fromRowsSync({ orders, customers: synth.customers, products: synth.products, reps: synth.reps });
    const p = churnProfile(dataset, { asOf: "2026-10-31", periods: 6 });
    expect(p.factors[0]).toMatchObject({ dimension: "segment", value: planted });
    expect(p.factors[0]!.lift).toBeGreaterThan(2);
    // without the planted churn the segment is not singled out
    const control = churnProfile(fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products }).dataset, { asOf: "2026-10-31", periods: 6 });
    expect(control.factors[0]?.value).not.toBe(planted);
  });

  it("edge cases: empty dataset, nobody churned, bad options", () => {
    const empty = churnProfile(fromRowsSync({ orders: [] }).dataset, {});
    expect(empty).toMatchObject({ churned: 0, base: 0, factors: [] });
    const { dataset } = fromRowsSync({
      orders: [
        { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 5 },
        { order_id: "2", order_date: "2026-02-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 5 },
      ],
    });
    expect(churnProfile(dataset, { asOf: "2026-02-20", periods: 1, minCount: 1 })).toMatchObject({ churned: 0, base: 1, factors: [], censored: true });
    for (const o of [{ minCount: 0 }, { churn: { windowDays: -1 } }, { asOf: "nope" }]) {
      let err: unknown;
      try {
        churnProfile(dataset, o as never);
      } catch (e) {
        err = e;
      }
      expect(isOrderpulseError(err) && err.code === "INVALID_OPTION", JSON.stringify(o)).toBe(true);
    }
  });

  const line = fc.record({
    order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"),
    line_id: fc.integer({ min: 1, max: 1_000_000 }),
    order_date: fc.integer({ min: 0, max: 179 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)),
    customer_id: fc.constantFrom("A", "B", "C", "D", "E"),
    product_id: fc.constantFrom("P1", "P2", "P3"),
    quantity: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0),
    unit_price: fc.constant(2),
    channel: fc.constantFrom("web", "phone"),
  });
  const linesArb = fc.uniqueArray(line, { selector: (x) => `${x.order_id}/${x.line_id}`, maxLength: 50 });
  const customers = [
    { customer_id: "A", segment: "s1", region: "r1" },
    { customer_id: "B", segment: "s2" },
    { customer_id: "C", segment: "s1", channel: "field" },
  ];
  const products = [
    { product_id: "P1", family: "f1" },
    { product_id: "P2", family: "f2" },
  ];

  it("property: row order and orders after asOf change nothing; shares and churn rates in [0, 1]", () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 60 }), (rows, seed, windowDays) => {
        const o = { asOf: "2026-05-15", periods: 4, churn: { windowDays }, minCount: 1 };
        const a = churnProfile(fromRowsSync({ orders: rows, customers, products }).dataset, o);
        const shuffled = [...rows].sort((x, y) => ((x.line_id * 7919 + seed) % 1009) - ((y.line_id * 7919 + seed) % 1009));
        const later = rows.map((r, i) => ({ ...r, order_id: `L${i}`, order_date: "2026-06-20" }));
        expect(churnProfile(fromRowsSync({ orders: [...later, ...shuffled], customers, products }).dataset, o)).toEqual(a);
        expect(a.churned).toBeLessThanOrEqual(a.base);
        for (const f of a.factors) {
          expect(f.churned).toBeLessThanOrEqual(f.base);
          for (const x of [f.shareChurned, f.shareBase, f.churnRate]) expect(x >= 0 && x <= 1).toBe(true);
        }
        for (let i = 1; i < a.factors.length; i++) expect(a.factors[i - 1]!.lift).toBeGreaterThanOrEqual(a.factors[i]!.lift);
      }),
      { numRuns: 100 },
    );
  });
});

describe("churnProfile: equal lifts", () => {
  it("equal ratios are one double and fall back to the tie-breaks (churned count first)", () => {
    // 11 customers, A, B and C churn; seg9 holds 9 of them with all 3 churned, north 3 with 1:
    // both lifts are 11/9, which two quotients of quotients left a bit apart (north ranked first)
    const ids = "ABCDEFGHIJK".split("");
    const customers = ids.map((id, i) => ({ customer_id: id, segment: i < 9 ? "seg9" : "seg2", region: i === 0 || i === 9 || i === 10 ? "north" : "south" }));
    const orders: OrderRow[] = ids.map((id, i) => ({ order_id: `o${i}`, order_date: "2026-01-05", customer_id: id, product_id: "P", quantity: 1, unit_price: 5 }));
    for (const [i, id] of ids.entries()) if (i >= 3) orders.push({ order_id: `x${i}`, order_date: "2026-02-20", customer_id: id, product_id: "P", quantity: 1, unit_price: 5 });
    const p = churnProfile(fromRowsSync({ orders, customers }).dataset, { asOf: "2026-03-31", periods: 1, churn: { windowDays: 60 }, minCount: 1 });
    const [a, b] = p.factors;
    expect([a?.value, a?.churned, b?.value, b?.churned]).toEqual(["seg9", 3, "north", 1]);
    expect(a?.lift).toBe(b?.lift);
    expect(a?.lift).toBe(11 / 9);
  });
});

describe("churnProfile: partial when its history reaches before the data (review 2026-12-07)", () => {
  it("marks a profile whose look-back starts before the data's first day, as churn_rate marks its rows", () => {
    const orders = [];
    for (let c = 0; c < 10; c++) for (let m = 0; m < 12; m++) orders.push({ order_id: `O${c}-${m}`, order_date: new Date(Date.UTC(2025, m, 5 + c)), customer_id: `C${c}`, product_id: "P", quantity: 1, unit_price: 5 });
    const { dataset } = fromRowsSync({ orders });
    expect(churnProfile(dataset, { asOf: "2025-03-31", periods: 1 }).partial).toBe(true);
    expect(churnProfile(dataset, { asOf: "2025-12-31", periods: 1 }).partial).toBe(false);
    // a month still running is censored, not short of history (self-review 2026-12-07: mid-month read partial)
    expect(churnProfile(dataset, { asOf: "2025-12-15", periods: 1 })).toMatchObject({ censored: true, partial: false });
  });
});

describe("churnProfile: a dimension that splits nothing gives no factor (review 2026-12-07)", () => {
  it("no segment, rep, channel or family for anyone, one region apart from two customers: only the regions", () => {
    // 8 customers buy in January; A, B, C stop. Regions: A and D north, the rest south; nothing else
    const ids = "ABCDEFGH".split("");
    const customers = ids.map((id) => ({ customer_id: id, region: id === "A" || id === "D" ? "north" : "south" }));
    const orders: OrderRow[] = ids.map((id, i) => ({ order_id: `o${i}`, order_date: "2026-01-05", customer_id: id, product_id: "P", quantity: 1, unit_price: 5 }));
    for (const [i, id] of ids.entries()) if (i >= 3) orders.push({ order_id: `x${i}`, order_date: "2026-02-20", customer_id: id, product_id: "P", quantity: 1, unit_price: 5 });
    const p = churnProfile(fromRowsSync({ orders, customers }).dataset, { asOf: "2026-03-31", periods: 1, churn: { windowDays: 60 }, minCount: 1 });
    // (segment, rep, channel and family "(none)" were listed too, each everyone: churned 3 of 8, lift 1)
    expect(p.factors.map((f) => [f.dimension, f.value, f.churned, f.base])).toEqual([
      ["region", "north", 1, 2], // lift (1/3)/(2/8) = 4/3
      ["region", "south", 2, 6], // lift (2/3)/(6/8) = 8/9
    ]);
  });
});
