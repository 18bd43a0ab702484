import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import type { OrderRow } from "../../data/rows.ts";
import { buildBasketModel } from "./model.ts";
import { cooccurrence } from "./cooccurrence.ts";

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
});
