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
});
