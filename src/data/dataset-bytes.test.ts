import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { asOfView } from "./as-of-view.ts";
import { datasetFromBytes, datasetFromSharedBytes } from "./dataset-from-bytes.ts";
import { datasetToBytes, writeDatasetBytes } from "./dataset-to-bytes.ts";
import { fromRowsSync } from "./from-rows-sync.ts";

/** Plain data of a dataset (dictionaries by values) for deep comparison. */
function plain(d: ReturnType<typeof datasetFromBytes>): unknown {
  return { ...d, ids: Object.fromEntries(Object.entries(d.ids).map(([k, v]) => [k, v.values])) };
}

describe("datasetToBytes / datasetFromBytes", () => {
  it("round-trips the synthetic distributor with every table, and an as-of view", () => {
    const s = generateSyntheticDistributor({ seed: 3, customers: 40, products: 60, years: 1 });
    const { dataset } = fromRowsSync(s);
    const bytes = datasetToBytes(dataset);
    expect(plain(datasetFromBytes(bytes))).toEqual(plain(dataset));
    const view = asOfView(dataset, "2026-06-30");
    expect(plain(datasetFromBytes(datasetToBytes(view)))).toEqual(plain(view));
    expect(datasetToBytes(datasetFromBytes(bytes))).toEqual(bytes);
  });

  it("keeps NaN money, negative quantities, missing names, unicode and an empty dataset", () => {
    const { dataset } = fromRowsSync({
      orders: [
        { order_id: "א1", order_date: "2026-01-05", customer_id: "לקוח", product_id: "P1", quantity: -2, unit_price: 3 },
        { order_id: "2", order_date: "2026-01-06", customer_id: "C2", product_id: "P2", quantity: 1.5, unit_price: 3, unit_cost: 1, line_id: 4, rep_id: "R" },
      ],
      customers: [{ customer_id: "C2", segment: "s" }],
      targets: [{ rep_id: "R", period: "2026", kpi: "revenue", target: 5 }],
      content: [{ content_id: "K", title: "t", url: "u", product_id: "P1" }],
    });
    expect(plain(datasetFromBytes(datasetToBytes(dataset)))).toEqual(plain(dataset));
    const empty = fromRowsSync({ orders: [] }).dataset;
    expect(plain(datasetFromBytes(datasetToBytes(empty)))).toEqual(plain(empty));
  });

  it("any string survives: UTF-8 of 1 to 4 bytes, emoji, lone surrogates (as U+FFFD, like TextEncoder), in every dictionary (property)", () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom("a", "é", "א", "€", "😀", "\ud800", "\udc00", ","), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.uniqueArray(text, { minLength: 1, maxLength: 6 }), text, (ids, name) => {
        const orders = ids.map((id, i) => ({ order_id: `${id}-${i}`, order_date: "2026-01-05", customer_id: id, product_id: id, quantity: 1, unit_price: 2 }));
        const { dataset } = fromRowsSync({ orders, customers: [{ customer_id: ids[0]!, name }] });
        const bytes = datasetToBytes(dataset);
        const back = datasetFromBytes(bytes);
        const wellFormed = (x: string): string => new TextDecoder().decode(new TextEncoder().encode(x));
        expect(back.ids.customers.values).toEqual(dataset.ids.customers.values.map(wellFormed));
        expect(back.customers.name).toEqual(dataset.customers.name.map((x) => (x === undefined ? x : wellFormed(x))));
      }),
      { numRuns: 200 },
    );
  });

  it("shared bytes (the worker pool's path): writeDatasetBytes into a SharedArrayBuffer, read back as views without a copy", () => {
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 2, customers: 30 }));
    const shared = writeDatasetBytes(dataset, (n) => new Uint8Array(new SharedArrayBuffer(n)));
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared).toEqual(datasetToBytes(dataset));
    const back = datasetFromSharedBytes(shared);
    expect(plain(back)).toEqual(plain(datasetFromBytes(shared)));
    expect(back.lines.quantity.buffer).toBe(shared.buffer); // a view, not a copy
    expect(datasetFromBytes(shared).lines.quantity.buffer).not.toBe(shared.buffer);
  });

  it("writes little-endian columns (a fixed byte layout)", () => {
    const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "1970-01-02", customer_id: "C", product_id: "P", quantity: 1, unit_price: 2 }] });
    const bytes = datasetToBytes(dataset);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([79, 80, 68, 83, 1, 0, 0, 0]);
  });

  it("refuses foreign, truncated, newer and padded buffers", () => {
    const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "C", product_id: "P", quantity: 1, unit_price: 2 }] });
    const bytes = datasetToBytes(dataset);
    expectInvalid(() => datasetFromBytes(new TextEncoder().encode("PK\u0003\u0004 not a dataset")), "bytes");
    const newer = bytes.slice();
    newer[4] = 2;
    expectInvalid(() => datasetFromBytes(newer), "bytes");
    fc.assert(fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => expectInvalid(() => datasetFromBytes(bytes.subarray(0, cut)), "bytes")));
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expectInvalid(() => datasetFromBytes(longer), "bytes");
  });
});
