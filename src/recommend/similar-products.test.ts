import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { similarProducts } from "./similar-products.ts";

const row = (c: number, p: string, segment = "cafes"): OrderRow & { segment: string } => ({ order_id: `O${c}`, order_date: "2026-03-02", customer_id: `C${c}`, product_id: p, quantity: 1, unit_price: 5, segment });

describe("similarProducts: by hand", () => {
  // 20 cafes: COFFEE, CUPS and one of MILK_A / MILK_B; 10 shops: CUPS only
  const orders: OrderRow[] = [];
  for (let c = 0; c < 20; c++) for (const p of ["COFFEE", "CUPS", c % 2 ? "MILK_A" : "MILK_B"]) orders.push(row(c, p));
  for (let c = 20; c < 30; c++) orders.push(row(c, "CUPS"));
  const { dataset } = fromRowsSync({ orders });

  it("complements: together 10, expected 20 x 10 / 30, lift 1.5", () => {
    const out = similarProducts(dataset, { productId: "COFFEE" });
    expect(out.map((x) => x.productId)).toEqual(["MILK_A", "MILK_B"]); // CUPS: lift exactly 1
    expect(out[0]).toMatchObject({ together: 10, expectedTogether: 6.6667, lift: 1.5, jaccard: 0.5, buyersOfProduct: 20, buyers: 10, mode: "complements", segment: undefined });
    expect(out[0]!.score).toBeCloseTo(11 / (20 / 3 + 1), 4);
  });

  it("substitutes: same profile, never together", () => {
    const out = similarProducts(dataset, { productId: "MILK_A", mode: "substitutes", minSupport: 3 });
    expect(out[0]).toMatchObject({ productId: "MILK_B", together: 0, lift: 0, profileSimilarity: 1 });
    expect(out[0]!.score).toBeCloseTo(1 - 10 / (10 / 3 + 10), 4);
    // fewer expected co-buyers than minSupport: nothing to conclude
    expect(similarProducts(dataset, { productId: "MILK_A", mode: "substitutes" })).toEqual([]);
  });

  it("a product that cannot be sold is not listed: inactive, or nobody bought it in 400 days (review 2026-12-07: a discontinued one was a substitute)", () => {
    const products = [{ product_id: "MILK_B", active: false }];
    const inactive = fromRowsSync({ orders, products }).dataset;
    expect(similarProducts(inactive, { productId: "MILK_A", mode: "substitutes", minSupport: 3 }).map((x) => x.productId)).not.toContain("MILK_B");
    expect(similarProducts(inactive, { productId: "COFFEE" }).map((x) => x.productId)).toEqual(["MILK_A"]);
    // all bought on 2026-03-02: as of 400 days later still listed, a day more not
    expect(similarProducts(dataset, { productId: "COFFEE", asOf: "2027-04-05" }).map((x) => x.productId)).toEqual(["MILK_A", "MILK_B"]);
    expect(similarProducts(dataset, { productId: "COFFEE", asOf: "2027-04-06" })).toEqual([]);
  });

  it("products first sold after asOf do not count toward the segments x products limit (the expectation stopped being stratified)", () => {
    const customers = [...Array.from({ length: 30 }, (_, c) => ({ customer_id: `C${c}`, segment: c < 15 ? "a" : "b" })), ...Array.from({ length: 2000 }, (_, x) => ({ customer_id: `X${x}`, segment: `s${x}` }))];
    const future = Array.from({ length: 10_000 }, (_, i): OrderRow => ({ order_id: "F", line_id: String(i), order_date: "2026-06-01", customer_id: "C1", product_id: `NEW${i}`, quantity: 1, unit_price: 5 }));
    const opts = { asOf: "2026-03-02", productId: "COFFEE", minSupport: 1 } as const;
    const before = similarProducts(fromRowsSync({ orders, customers }).dataset, opts);
    expect(before.length).toBeGreaterThan(0);
    expect(similarProducts(fromRowsSync({ orders: [...orders, ...future], customers }).dataset, opts)).toEqual(before);
  });

  it("substitutes on data with segments: the customers without one are no segment to report", () => {
    // 30 cafes buy A and B together, 40 customers without a segment buy one of them, 20 shops
    // other things: it reported B as a substitute of A with segment undefined and together 0,
    // the unsegmented customers' counts, though 30 bought both
    const orders: OrderRow[] = [], customers: { customer_id: string; segment?: string }[] = [];
    let o = 0;
    const buy = (c: string, ps: string[]): void => {
      o++;
      for (const p of ps) orders.push({ order_id: `O${o}`, order_date: "2026-03-02", customer_id: c, product_id: p, quantity: 1, unit_price: 5 });
    };
    for (let i = 0; i < 30; i++) (customers.push({ customer_id: `CAFE${i}`, segment: "cafes" }), buy(`CAFE${i}`, ["A", "B", "Y"]));
    for (let i = 0; i < 40; i++) (customers.push({ customer_id: `U${i}` }), buy(`U${i}`, [i % 2 ? "A" : "B", "Y"]));
    for (let i = 0; i < 20; i++) (customers.push({ customer_id: `SHOP${i}`, segment: "shops" }), buy(`SHOP${i}`, ["Z"]));
    const r = similarProducts(fromRowsSync({ orders, customers }).dataset, { productId: "A", mode: "substitutes" });
    expect(r.filter((x) => x.productId === "B")).toEqual([]);
    for (const x of r) expect(x.segment).toBeDefined();
  });

  it("unknown product or empty data: empty; bad options throw", () => {
    expect(similarProducts(dataset, { productId: "NOPE" })).toEqual([]);
    expect(similarProducts(fromRowsSync({ orders: [] }).dataset, { productId: "X" })).toEqual([]);
    expectInvalid(() => similarProducts(dataset, {} as never), "productId");
    expectInvalid(() => similarProducts(dataset, { productId: "COFFEE", mode: "both" as never }), "mode");
    expectInvalid(() => similarProducts(dataset, { productId: "COFFEE", k: 0 }), "k");
  });
});

describe("similarProducts: substitutes in one segment", () => {
  // cafes (40): C0..C19 buy A, C18..C37 buy B (2 buy both), all buy X; shops (10): every shop buys A, B and X
  const orders: OrderRow[] = [];
  for (let c = 0; c < 40; c++) for (const p of ["X", ...(c < 20 ? ["A"] : []), ...(c >= 18 && c < 38 ? ["B"] : [])]) orders.push(row(c, p));
  for (let c = 40; c < 50; c++) for (const p of ["A", "B", "X"]) orders.push(row(c, p, "shops"));
  const customers = Array.from({ length: 50 }, (_, c) => ({ customer_id: `C${c}`, segment: c < 40 ? "cafes" : "shops" }));
  const { dataset } = fromRowsSync({ orders, customers });

  it("together, expected and lift are the segment's; the Jaccard index is of the buyers over all customers", () => {
    const b = similarProducts(dataset, { productId: "A", mode: "substitutes", minSupport: 3 }).find((x) => x.productId === "B");
    // cafes: 2 together of 20 x 20 / 40 = 10 expected; everyone: 30 buyers each, 12 of both
    expect(b).toMatchObject({ segment: "cafes", together: 2, expectedTogether: 10, lift: 0.2, buyersOfProduct: 30, buyers: 30 });
    expect(b?.jaccard).toBe(0.25); // 12 / (30 + 30 − 12), not 2 / (30 + 30 − 2)
  });
});

describe("similarProducts: a product bought with hundreds of others", () => {
  // C0..C2 buy A with P0..P299, C3..C5 buy A and B, C6..C35 buy P0 only: B comes after 300
  // products in A's co-buyers (a first version lost every product after the 256th)
  const orders: OrderRow[] = [];
  for (let c = 0; c < 3; c++) for (const p of ["A", ...Array.from({ length: 300 }, (_, k) => `P${k}`)]) orders.push(row(c, p));
  for (let c = 3; c < 6; c++) for (const p of ["A", "B"]) orders.push(row(c, p));
  for (let c = 6; c < 36; c++) orders.push(row(c, "P0"));
  const { dataset } = fromRowsSync({ orders });

  it("finds the complement listed last: together 3, expected 6 x 3 / 36 = 0.5, lift 6", () => {
    const out = similarProducts(dataset, { productId: "A", k: 1, minSupport: 3 });
    expect(out[0]).toMatchObject({ productId: "B", together: 3, expectedTogether: 0.5, lift: 6 });
  });
});

describe("similarProducts: synthetic distributor", () => {
  const synth = generateSyntheticDistributor({ seed: 1, customers: 1000 });
  const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products });
  const pairs = synth.truth.events.filter((e) => e.type === "substitute_pair");

  it("the planted substitute pairs are found as substitutes (first), not as complements", () => {
    expect(pairs.length).toBe(2);
    for (const e of pairs) {
      const [a, b] = e.productIds!;
      for (const [x, y] of [[a!, b!], [b!, a!]] as const) {
        const subs = similarProducts(dataset, { productId: x, mode: "substitutes", k: 3 });
        expect(subs[0]?.productId).toBe(y);
        expect(subs[0]?.segment).toBe(e.segment);
        const complements = similarProducts(dataset, { productId: x, k: 50 });
        expect(complements.some((c) => c.productId === y)).toBe(false);
      }
    }
  });
});

describe("similarProducts: a lift of exactly 1 is no complement (self-review 2026-12-07: 6 ÷ 5.999999999999999 passed)", () => {
  it("a stratified expected count summed in floats below its exact value", () => {
    const orders: OrderRow[] = [];
    const customers: { customer_id: string; segment?: string }[] = [];
    let n = 0;
    const buy = (c: string, p: string) => orders.push({ order_id: `O${n++}`, order_date: "2026-03-02", customer_id: c, product_id: p, quantity: 1, unit_price: 10 });
    for (const c of ["c1", "c2", "c3"]) customers.push({ customer_id: c, segment: "s1" });
    for (let i = 1; i <= 9; i++) customers.push({ customer_id: `d${i}`, segment: "s2" });
    for (const c of ["e1", "e2", "e3"]) customers.push({ customer_id: c });
    buy("c1", "A"), buy("c2", "B"), buy("c3", "C");
    for (let i = 1; i <= 6; i++) (buy(`d${i}`, "A"), buy(`d${i}`, "B"));
    buy("d7", "B"), buy("d8", "B"), buy("d9", "C");
    buy("e1", "A"), buy("e2", "B"), buy("e3", "C");
    const { dataset } = fromRowsSync({ orders, customers });
    // together 6; E = 1 · 1/3 + 6 · 8/9 + 1 · 1/3 = 6: lift 1
    expect(similarProducts(dataset, { productId: "A", asOf: "2026-03-10" }).map((s) => s.productId)).not.toContain("B");
  });
});

