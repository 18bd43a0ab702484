import { describe, expect, it } from "vitest";
import { asOfView } from "../../data/as-of-view.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { MAX_BASKET } from "./cooccurrence.ts";
import { globalPopularity, jaccardModel, jaccardTopK, owns, personalTopFrequency, purchaseBasis, segmentPopularity, topUnowned } from "./baselines.ts";

// four customers; A and B in segment "cafe", C in "hotel", D without a segment
const line = (order_id: string, order_date: string, customer_id: string, product_id: string, quantity = 1) => ({ order_id, order_date, customer_id, product_id, quantity, unit_price: 2 });
const { dataset } = fromRowsSync({
  orders: [
    line("1", "2026-01-05", "A", "coffee"),
    line("1", "2026-01-05", "A", "milk"),
    line("2", "2026-02-05", "A", "coffee"),
    line("3", "2026-01-10", "B", "coffee"),
    line("3", "2026-01-10", "B", "milk"),
    line("3", "2026-01-10", "B", "sugar"),
    line("4", "2026-01-12", "C", "soap"),
    line("4", "2026-01-12", "C", "coffee"),
    line("5", "2026-01-20", "C", "towels"),
    line("6", "2026-01-15", "D", "soap"),
    line("7", "2026-01-16", "D", "sugar", -1), // a return is not a purchase
    line("8", "2026-03-01", "A", "sugar"), // after the view
  ],
  customers: [
    { customer_id: "A", segment: "cafe" },
    { customer_id: "B", segment: "cafe" },
    { customer_id: "C", segment: "hotel" },
    { customer_id: "D" },
  ],
});
const view = asOfView(dataset, "2026-02-28");
const day = (d: string): number => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
const b = purchaseBasis(view, day("2026-02-28"));
const P = (id: string): number => dataset.ids.products.indexOf(id);
const C = (id: string): number => dataset.ids.customers.indexOf(id);
const names = (ps: ArrayLike<number>): string[] => Array.from(ps, (p) => dataset.ids.products.values[p]!);

describe("recommendation baselines", () => {
  it("the purchase basis: distinct items per customer, occasions, no returns, nothing after the view", () => {
    const a = C("A");
    expect(names(b.items.subarray(b.itemStart[a]!, b.itemStart[a + 1]!))).toEqual(["coffee", "milk"]);
    expect(Array.from(b.occasions.subarray(b.itemStart[a]!, b.itemStart[a + 1]!))).toEqual([2, 1]);
    expect(owns(b, a, P("sugar"))).toBe(false);
    expect(owns(b, C("D"), P("sugar"))).toBe(false);
    expect(owns(b, C("D"), P("soap"))).toBe(true);
    // SAR affinity: coffee on Jan 5 (54 days before) and Feb 5 (23 days), half-life 30
    expect(b.affinity[b.itemStart[a]!]).toBeCloseTo(2 ** (-54 / 30) + 2 ** (-23 / 30), 12);
  });

  it("global popularity by distinct customers, ties by product id; owned items left out", () => {
    const g = globalPopularity(b);
    expect(names(g)).toEqual(["coffee", "milk", "soap", "sugar", "towels"]);
    expect(names(topUnowned(b, C("A"), g, 2))).toEqual(["soap", "sugar"]);
    expect(names(topUnowned(b, C("D"), g, 10))).toEqual(["coffee", "milk", "sugar", "towels"]);
  });

  it("segment popularity within the segment, then the global order; no segment: global", () => {
    const s = segmentPopularity(view, b);
    const g = globalPopularity(b);
    const cafe = s.ranked[s.groupOf[C("A")]!]!;
    expect(names(cafe)).toEqual(["coffee", "milk", "sugar"]);
    expect(s.groupOf[C("D")]).toBe(-1);
    expect(names(topUnowned(b, C("A"), cafe, 3, g))).toEqual(["sugar", "soap", "towels"]);
    const hotel = s.ranked[s.groupOf[C("C")]!]!;
    expect(names(topUnowned(b, C("C"), hotel, 2, g))).toEqual(["milk", "sugar"]);
  });

  it("Jaccard co-occurrence by customers, scored by affinity, owned items left out", () => {
    const m = jaccardModel(b);
    const coffee = P("coffee");
    const nb = names(m.item.subarray(m.start[coffee]!, m.start[coffee + 1]!));
    // coffee: A, B, C; milk: A, B (2/3); sugar: B (1/3); soap: C, D (1/4); towels: C (1/3)
    expect(nb).toEqual(["milk", "sugar", "towels", "soap"]);
    expect(Array.from(m.weight.subarray(m.start[coffee]!, m.start[coffee]! + 2))).toEqual([2 / 3, 1 / 3]);
    const scratch = new Float64Array(b.products);
    // D owns soap: soap ~ coffee 1/4, towels 1/2 (C, D vs C)
    expect(names(jaccardTopK(b, m, C("D"), 5, scratch))).toEqual(["towels", "coffee"]);
    expect(scratch.every((x) => x === 0)).toBe(true);
    expect(names(jaccardTopK(b, m, C("A"), 1, scratch))).toEqual(["sugar"]);
    // at most `neighbours` per item
    const one = jaccardModel(b, 1);
    expect(one.start[coffee + 1]! - one.start[coffee]!).toBe(1);
    // by default every co-occurring item (the documented formula: it kept 500, and a product past
    // them lost the contributions of the items whose rows dropped it)
    const many = fromRowsSync({ orders: Array.from({ length: 600 }, (_, k) => line("1", "2026-01-05", "A", `P${k}`)) }).dataset;
    const wide = jaccardModel(purchaseBasis(many, day("2026-01-05")));
    expect(wide.start[1]! - wide.start[0]!).toBe(599);
    // ... of baskets up to MAX_BASKET products: one of everything is left out of the counts, as in the
    // recommender's rows (review 2026-12-06: one customer of 16,000 products took 4.3 GB and 26 s)
    const huge = fromRowsSync({
      orders: [...Array.from({ length: MAX_BASKET + 1 }, (_, k) => line("1", "2026-01-05", "HQ", `P${k}`)), line("2", "2026-01-05", "A", "P0"), line("2", "2026-01-05", "A", "P1")],
    }).dataset;
    const capped = jaccardModel(purchaseBasis(huge, day("2026-01-05")));
    const p0 = huge.ids.products.indexOf("P0"), p1 = huge.ids.products.indexOf("P1");
    expect(Array.from(capped.item.subarray(capped.start[p0]!, capped.start[p0 + 1]!))).toEqual([p1]);
    expect(capped.weight[capped.start[p0]!]).toBe(1 / 3); // A alone together, over P0's and P1's buyers (HQ counted there): 1 / (2 + 2 − 1)
    expect(capped.item.length).toBe(2);
  });

  it("personal top frequency: occasions, then latest purchase, then product id", () => {
    expect(names(personalTopFrequency(b, C("A"), 5))).toEqual(["coffee", "milk"]);
    expect(names(personalTopFrequency(b, C("C"), 5))).toEqual(["towels", "coffee", "soap"]);
    expect(personalTopFrequency(b, C("C"), 1).length).toBe(1);
  });
});

describe("recommendation baselines: exactness (review 2026-12-06)", () => {
  const o = (order_id: string, order_date: string, customer_id: string, product_id: string) => ({ order_id, order_date, customer_id, product_id, quantity: 1, unit_price: 10 });
  it("an order whose lines carry two dates is one occasion (adjacent lines only were merged)", () => {
    const orders = [o("O1", "2026-01-01", "C1", "A"), o("O2", "2026-01-02", "C1", "B"), o("O3", "2026-01-03", "C1", "B"), o("O1", "2026-01-05", "C1", "A")];
    const { dataset } = fromRowsSync({ orders });
    const d = Date.UTC(2026, 0, 9) / 86_400_000;
    const b = purchaseBasis(asOfView(dataset, d), d);
    const name = (p: number): string => dataset.ids.products.values[p]!;
    expect(Array.from(b.items, name)).toEqual(["A", "B"]);
    expect(Array.from(b.occasions)).toEqual([1, 2]);
    expect(personalTopFrequency(b, 0, 2).map(name)).toEqual(["B", "A"]);
  });
  it("Jaccard scores are the formula exactly: an exact tie breaks by product id (single precision made 1/3 + 1/6 beat 1/2)", () => {
    const orders = [o("X1", "2026-01-09", "X", "I1"), o("X0", "2025-12-10", "X", "I2"), o("Y1", "2026-01-02", "Y", "I1"), o("Y1", "2026-01-02", "Y", "P"), o("Y1", "2026-01-02", "Y", "Q"), o("Z1", "2026-01-03", "Z", "I2"), o("Z1", "2026-01-03", "Z", "Q")];
    const { dataset } = fromRowsSync({ orders });
    const d = Date.UTC(2026, 0, 9) / 86_400_000;
    const b = purchaseBasis(asOfView(dataset, d), d);
    // score(P) = 1 × J(I1, P) = 1/2; score(Q) = 1 × 1/3 + 0.5 × 1/3 = 1/2
    const top = jaccardTopK(b, jaccardModel(b), dataset.ids.customers.indexOf("X"), 2, new Float64Array(b.products));
    expect(top.map((p) => dataset.ids.products.values[p])).toEqual(["P", "Q"]);
  });
});

