import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { generateSyntheticDistributor } from "../../synth/generate-synthetic-distributor.ts";
import { buildBasketModel } from "./model.ts";
import { neighborFinder } from "./neighbors.ts";

describe("neighborFinder", () => {
  it("segment ranges by binary search (a catalogue too large for the dense table) find the same neighbours", () => {
    // the dense products x segments table is kept up to 20M cells; beyond it (60,000 products and
    // 4,000 segments took 1.4 GB) each range is searched: the answers must not change
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 3, customers: 150 }));
    const model = buildBasketModel(dataset, dataset.dayRange!.last, 90);
    const dense = neighborFinder(model, 12), searched = neighborFinder(model, 12, undefined, 0);
    const a = new Int32Array(12), as = new Float64Array(12), b = new Int32Array(12), bs = new Float64Array(12);
    let found = 0;
    for (let c = 0; c < model.nC; c++) {
      const n = dense.find(c, a, as);
      expect(searched.find(c, b, bs)).toBe(n);
      expect(Array.from(b.subarray(0, n))).toEqual(Array.from(a.subarray(0, n)));
      expect(Array.from(bs.subarray(0, n))).toEqual(Array.from(as.subarray(0, n)));
      found += n;
    }
    expect(found).toBeGreaterThan(1000);
  });

  it("the visit budget caps the rarest product's buyers too: its first `budget` (review 2026-12-06: every buyer was visited, 200,000 one-order customers took 52 s in analyze)", () => {
    // 40 customers all buying P and Q (no product rarer): with a budget of 10, customer 0 meets
    // only the first 10 buyers of its rarest product (itself among them), so 9 neighbours
    const orders = Array.from({ length: 40 }, (_, c) => [
      { order_id: `O${c}`, order_date: "2026-06-01", customer_id: `C${String(c).padStart(2, "0")}`, product_id: "P", quantity: 1, unit_price: 1 },
      { order_id: `O${c}`, order_date: "2026-06-01", customer_id: `C${String(c).padStart(2, "0")}`, product_id: "Q", quantity: 1, unit_price: 1 },
    ]).flat();
    const { dataset } = fromRowsSync({ orders });
    const model = buildBasketModel(dataset, dataset.dayRange!.last, 90);
    const idx = new Int32Array(40), sim = new Float64Array(40);
    expect(neighborFinder(model, 40, 10).find(0, idx, sim)).toBe(9);
    expect(Array.from(idx.subarray(0, 9))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(neighborFinder(model, 40).find(0, idx, sim)).toBe(39); // the default budget, 15,000: every buyer
  });
});
