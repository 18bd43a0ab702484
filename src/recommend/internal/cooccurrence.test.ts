import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import type { OrderRow } from "../../data/rows.ts";
import { buildBasketModel } from "./model.ts";
import { cooccurrence, MAX_BASKET } from "./cooccurrence.ts";

describe("cooccurrence", () => {
  // C0 buys A with P0..P299 (300 products: more than the first touched buffer); C1 buys A, P0 and B
  const orders: OrderRow[] = [];
  const line = (c: number, p: string): OrderRow => ({ order_id: `O${c}`, order_date: "2026-03-02", customer_id: `C${c}`, product_id: p, quantity: 1, unit_price: 5 });
  orders.push(line(0, "A"));
  for (let k = 0; k < 300; k++) orders.push(line(0, `P${k}`));
  for (const p of ["A", "P0", "B"]) orders.push(line(1, p));
  const { dataset } = fromRowsSync({ orders });
  const model = buildBasketModel(dataset, dataset.dayRange!.last, 365);
  const index = (id: string): number => dataset.ids.products.values.indexOf(id);

  it("fullRow lists every co-bought product with its count, however many (more than the 256 a first buffer once held)", () => {
    const co = cooccurrence(model, 150, 0);
    const out = new Int32Array(model.nP);
    const touched = co.fullRow(index("A"), out);
    expect(touched.length).toBe(301); // P0..P299 and B
    expect(new Set(touched).size).toBe(301);
    expect(out[index("P0")]).toBe(2);
    expect(out[index("P299")]).toBe(1);
    expect(out[index("B")]).toBe(1);
    let listed = 0;
    for (const j of touched) listed += out[j]!;
    expect(listed).toBe(out.reduce((s, x) => s + x, 0)); // nothing counted that is not listed
  });

  it("row keeps the maxNeighbors most similar by shrunk Jaccard, ascending by product", () => {
    const co = cooccurrence(model, 2, 0);
    const r = co.row(index("A"));
    // P0 and B share C1 with A: J(A, P0) = 2 / (2 + 2 - 2) = 1; J(A, B) = 1 / (2 + 1 - 1) = 0.5;
    // the other 299 products 1 / (2 + 1 - 1) = 0.5 too, ties go to the smaller product index
    expect(r.nbr.length).toBe(2);
    expect([...r.nbr]).toEqual([...r.nbr].sort((x, y) => x - y));
    expect(r.nbr).toContain(index("P0"));
    const q = [...r.nbr].indexOf(index("P0"));
    expect(r.together[q]).toBe(2);
    expect(r.sim[q]).toBe(1);
  });

  it("a basket of more than MAX_BASKET products is left out of the pruned rows' counts, kept in fullRow", () => {
    // HQ buys A, B and MAX_BASKET other products; C1 and C2 buy A and B; C3 buys A and Z
    const rows: OrderRow[] = [];
    const at = (c: string, p: string): OrderRow => ({ order_id: `O${c}`, order_date: "2026-03-02", customer_id: c, product_id: p, quantity: 1, unit_price: 5 });
    rows.push(at("HQ", "A"), at("HQ", "B"));
    for (let k = 0; k < MAX_BASKET; k++) rows.push(at("HQ", `X${k}`));
    rows.push(at("C1", "A"), at("C1", "B"), at("C2", "A"), at("C2", "B"), at("C3", "A"), at("C3", "Z"));
    const ds = fromRowsSync({ orders: rows }).dataset;
    const m = buildBasketModel(ds, ds.dayRange!.last, 365);
    const ix = (id: string): number => ds.ids.products.values.indexOf(id);
    const co = cooccurrence(m, 150, 0);
    const r = co.row(ix("A"));
    // A's buyers: HQ, C1, C2, C3 (nA = 4); without HQ's basket, B is co-bought by C1 and C2, Z by C3,
    // and none of HQ's X products is reached: J(A, B) = 2 / (4 + 3 − 2) = 0.4
    expect([...r.nbr].map((j) => ds.ids.products.values[j]).sort()).toEqual(["B", "Z"]);
    const q = [...r.nbr].indexOf(ix("B"));
    expect([r.together[q], r.sim[q]]).toEqual([2, 0.4]);
    // fullRow counts every buyer (the counts similarProducts shows)
    const out = new Int32Array(m.nP);
    expect(co.fullRow(ix("A"), out).length).toBe(MAX_BASKET + 2);
    expect(out[ix("B")]).toBe(3);
  });
});
