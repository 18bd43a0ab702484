import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { asOfView } from "./as-of-view.ts";
import { datasetFromBytes, datasetFromSharedBytes } from "./dataset-from-bytes.ts";
import { datasetToBytes, writeDatasetBytes } from "./dataset-to-bytes.ts";
import { fromRowsSync } from "./from-rows-sync.ts";
import { ByteReader } from "./internal/bytes.ts";

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

  it("any string survives exactly: UTF-8 of 1 to 4 bytes, emoji, lone surrogates, in every dictionary (property)", () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom("a", "é", "א", "€", "😀", "\ud800", "\udc00", "\udbff", ","), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.uniqueArray(text, { minLength: 1, maxLength: 6 }), text, (ids, name) => {
        const orders = ids.map((id, i) => ({ order_id: `${id}-${i}`, order_date: "2026-01-05", customer_id: id, product_id: id, quantity: 1, unit_price: 2 }));
        const { dataset } = fromRowsSync({ orders, customers: [{ customer_id: ids[0]!, name }] });
        const bytes = datasetToBytes(dataset);
        const back = datasetFromBytes(bytes);
        expect(plain(back)).toEqual(plain(dataset));
        expect(datasetToBytes(back)).toEqual(bytes);
        const wellFormed = [...dataset.ids.customers.values, ...dataset.customers.name].every((x) => x === undefined || new TextDecoder().decode(new TextEncoder().encode(x)) === x);
        expect(bytes[4]).toBe(wellFormed ? 1 : 2); // version 1 (strict UTF-8) whenever it suffices
      }),
      { numRuns: 200 },
    );
  });

  it("lone surrogates: distinct ids stay distinct (version 2, WTF-8 strings); well-formed data is still version 1", () => {
    const { dataset } = fromRowsSync({
      orders: [
        { order_id: "1", order_date: "2026-01-05", customer_id: "C\uD83D", product_id: "P1", quantity: 1, unit_price: 1 },
        { order_id: "2", order_date: "2026-01-06", customer_id: "C\uD83E", product_id: "P1", quantity: 5, unit_price: 1 },
        { order_id: "3", order_date: "2026-01-06", customer_id: "C\uDE00\uD83D", product_id: "P\u{1F600}", quantity: 5, unit_price: 1 },
      ],
    });
    const bytes = datasetToBytes(dataset);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([79, 80, 68, 83, 2, 0, 0, 0]);
    const back = datasetFromBytes(bytes);
    expect(back.ids.customers.values).toEqual(["C\uD83D", "C\uD83E", "C\uDE00\uD83D"]);
    expect(back.ids.customers.indexOf("C\uFFFD")).toBe(-1);
    expect(back.ids.products.values).toEqual(["P1", "P\u{1F600}"]);
    expect(plain(back)).toEqual(plain(dataset));
    expect(plain(datasetFromSharedBytes(writeDatasetBytes(dataset, (n) => new Uint8Array(new SharedArrayBuffer(n)))))).toEqual(plain(dataset));
    // a lone surrogate is 3 bytes (ED A0..BF xx), like U+FFFD was: the same length as before
    const at = (b: Uint8Array, seq: readonly number[]): number => b.findIndex((_, i) => seq.every((x, k) => b[i + k] === x));
    expect(at(bytes, [0x43, 0xed, 0xa0, 0xbd])).toBeGreaterThan(0); // "C" + U+D83D
    // version 1 stays strict UTF-8: the same bytes under version 1 are refused, not misread
    const v1 = bytes.slice();
    v1[4] = 1;
    expectInvalid(() => datasetFromBytes(v1), "bytes");
    // the reader of version 2: lone surrogates as 3 bytes, nothing else beyond UTF-8
    const str = (seq: readonly number[], wtf8 = true): string | undefined => {
      const buf = new Uint8Array([seq.length, 0, 0, 0, ...seq]);
      const r = new ByteReader(buf);
      r.wtf8 = wtf8;
      return r.str();
    };
    expect(str([0x41, 0xed, 0xbf, 0xbf, 0xed, 0xa0, 0xbd, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9])).toBe("A\uDFFF\uD83D\u{1F600}\u00e9");
    expect(str([0xed, 0xb8, 0x80, 0xed, 0xa0, 0xbd])).toBe("\uDE00\uD83D"); // low then high: two lone ones
    for (const bad of [
      [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], // a surrogate pair as two 3-byte forms (CESU-8): written as 4 bytes
      [0xe0, 0x80, 0x80], // overlong
      [0xc0, 0x80],
      [0xed, 0xa0], // truncated
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
      [0x80],
      [0xff],
    ]) {
      expectInvalid(() => str(bad), "bytes");
    }
    expectInvalid(() => str([0x41, 0xed, 0xa0, 0xbd], false), "bytes");
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
    newer[4] = 3;
    expectInvalid(() => datasetFromBytes(newer), "bytes");
    fc.assert(fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => expectInvalid(() => datasetFromBytes(bytes.subarray(0, cut)), "bytes")));
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expectInvalid(() => datasetFromBytes(longer), "bytes");
    // not a byte array: an OrderpulseError, not the DataView's TypeError (an ArrayBuffer too)
    for (const x of [undefined, null, [1, 2], "x", bytes.buffer, new Uint16Array(4)]) expectInvalid(() => datasetFromBytes(x as never), "bytes");
    expect(datasetFromBytes(Buffer.from(bytes)).lines.length).toBe(1);
  });

  it("a string that starts with U+FEFF keeps it (the UTF-8 decoder strips a leading byte-order mark by default)", () => {
    const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 2 }] });
    const hand = { ...dataset, customers: { ...dataset.customers, name: ["\uFEFFAcme"] }, currency: "\uFEFFEUR" };
    const back = datasetFromBytes(datasetToBytes(hand));
    expect([back.customers.name[0], back.currency]).toEqual(["\uFEFFAcme", "\uFEFFEUR"]);
  });

  it("refuses customer offsets that overlap or do not start at 0 (a corrupted one gave customers each other's lines)", () => {
    const row = (o: string, d: string, c: string) => ({ order_id: o, order_date: d, customer_id: c, product_id: "P", quantity: 1, unit_price: 10 });
    const { dataset } = fromRowsSync({ orders: [row("1", "2026-01-05", "C1"), row("2", "2026-02-05", "C1"), row("3", "2026-01-07", "C2"), row("4", "2026-03-07", "C3")] });
    const bytes = datasetToBytes(dataset);
    expect([...dataset.customerStart]).toEqual([0, 2, 3, 4]);
    // the customerStart column: the one place these four little-endian u32 stand
    const pattern = new Uint8Array(new Uint32Array([0, 2, 3, 4]).buffer);
    const at: number[] = [];
    for (let i = 0; i + 16 <= bytes.length; i++) if (pattern.every((b, k) => bytes[i + k] === b)) at.push(i);
    expect(at).toHaveLength(1);
    const corrupt = (k: number, v: number): Uint8Array => {
      const b = bytes.slice();
      new DataView(b.buffer).setUint32(at[0]! + 4 * k, v, true);
      return b;
    };
    expectInvalid(() => datasetFromBytes(corrupt(1, 0)), "bytes"); // C2 would start inside C1's lines
    expectInvalid(() => datasetFromBytes(corrupt(0, 1)), "bytes"); // the first customer starts past line 0
    expectInvalid(() => datasetFromBytes(corrupt(2, 2)), "bytes"); // C2 would end past C3's start
  });

  it("refuses ids out of their dictionaries, a line under another customer, days out of order and a wrong return mark (a corrupt product id was read, and its line's revenue dropped from the KPIs)", () => {
    const row = (o: string, d: string, c: string, p: string, q = 1) => ({ order_id: o, order_date: d, customer_id: c, product_id: p, quantity: q, unit_price: 10 });
    const { dataset } = fromRowsSync({ orders: [row("1", "2026-01-05", "C1", "P1"), row("2", "2026-02-05", "C1", "P2", -1), row("3", "2026-01-07", "C2", "P1")] });
    expect(datasetFromBytes(datasetToBytes(dataset)).lines.length).toBe(3);
    // rewrite one column value of the encoded dataset through a copy of the dataset with it changed
    const broken = (edit: (d: { lines: Record<string, { [i: number]: number }> }) => void): Uint8Array => {
      const copy = datasetFromBytes(datasetToBytes(dataset));
      edit(copy as never);
      return datasetToBytes(copy);
    };
    expectInvalid(() => datasetFromBytes(broken((d) => void (d.lines.product![1] = 7))), "bytes");
    expectInvalid(() => datasetFromBytes(broken((d) => void (d.lines.order![0] = 9))), "bytes");
    expectInvalid(() => datasetFromBytes(broken((d) => void (d.lines.customer![2] = 0))), "bytes");
    expectInvalid(() => datasetFromBytes(broken((d) => void (d.lines.rep![0] = 5))), "bytes");
    expectInvalid(() => datasetFromBytes(broken((d) => void (d.lines.day![1] = 1))), "bytes");
    expectInvalid(() => datasetFromBytes(broken((d) => void (d.lines.isReturn![1] = 0))), "bytes");
  });

  it("refuses an as-of flag other than 0 or 1, a view showing lines or deal events after its day, and dictionaries out of order (review 2026-12-07: one changed byte read as a view of 1970-01-01 that showed every line, or as two customers named B)", () => {
    const row = (o: string, d: string, c: string) => ({ order_id: o, order_date: d, customer_id: c, product_id: "P", quantity: 1, unit_price: 10 });
    const { dataset } = fromRowsSync({ orders: [row("1", "2026-01-05", "A"), row("2", "2026-03-05", "A"), row("3", "2026-01-07", "B")], dealEvents: [{ deal_id: "D1", customer_id: "A", stage: "lead", entered_at: "2026-03-01" }] });
    // the flag: the first byte where the whole dataset and a view showing all of it differ
    const whole = datasetToBytes(dataset), all = datasetToBytes(asOfView(dataset, "2026-03-05"));
    let flag = 0;
    while (whole[flag] === all[flag]) flag++;
    expect([whole[flag], all[flag]]).toEqual([0, 1]);
    for (const v of [2, 255]) {
      const b = whole.slice();
      b[flag] = v;
      expectInvalid(() => datasetFromBytes(b), "bytes");
    }
    expect(datasetFromBytes(all).asOf).toBe(datasetFromBytes(all).dayRange!.last);
    // a view whose offsets show a line after its day, or hide one on or before it; a deal event after it
    const view = asOfView(dataset, "2026-02-01");
    const broken = (edit: (d: { customerEnd: Uint32Array; dealEvents: { day: Int32Array } }) => void): Uint8Array => {
      const copy = datasetFromBytes(datasetToBytes(view));
      edit(copy as never);
      return datasetToBytes(copy);
    };
    expect(datasetFromBytes(datasetToBytes(view)).visibleLines).toBe(2);
    expectInvalid(() => datasetFromBytes(broken((d) => void (d.customerEnd[0] = 2))), "bytes"); // A's March line shown
    expectInvalid(() => datasetFromBytes(broken((d) => void (d.customerEnd[0] = 0))), "bytes"); // A's January line hidden
    const late = fromRowsSync({ orders: [row("1", "2026-01-05", "A")], dealEvents: [{ deal_id: "D1", customer_id: "A", stage: "lead", entered_at: "2026-01-01" }] }).dataset;
    const lateView = datasetFromBytes(datasetToBytes(asOfView(late, "2026-01-05")));
    (lateView.dealEvents.day as Int32Array)[0] = lateView.asOf! + 1;
    expectInvalid(() => datasetFromBytes(datasetToBytes(lateView)), "bytes");
    // a dictionary out of order or with a repeat (ids are assigned in sorted order, once each)
    for (const values of [["B", "A"], ["A", "A"]]) {
      const copy = datasetFromBytes(whole);
      (copy.ids.customers as unknown as { values: string[] }).values = values;
      expectInvalid(() => datasetFromBytes(datasetToBytes(copy)), "bytes");
    }
  });
});
