import type { Dataset } from "./dataset.ts";
import { ByteWriter } from "./internal/bytes.ts";
import { checkDataset } from "./internal/check-dataset.ts";
import { DATASET_MAGIC, DATASET_BYTES_VERSION, DATASET_BYTES_VERSION_UTF8, DICTIONARY_ORDER } from "./internal/dataset-bytes-layout.ts";

/**
 * Serialize a dataset (or an as-of view) into a compact, versioned binary form: a magic
 * `OPDS`, a format version (u32: 1, or 2 when a string holds a lone surrogate), then the
 * dictionaries as UTF-8 strings (WTF-8 in version 2: a lone surrogate kept as its 3-byte form,
 * so every string comes back exactly) and every column as a little-endian typed array, whatever
 * the host's byte order. The order history of the
 * real-time engine is stored this way (`engine.snapshot()` keeps only the engine's own state).
 * {@link datasetFromBytes} reads it back into a deep-equal dataset.
 *
 * @param dataset - a dataset or as-of view
 * @returns the bytes (about 61 bytes per order line plus the dictionaries)
 * @throws {OrderpulseError} `INVALID_OPTION` when `dataset` is not a Dataset (a Promise, an ingest result) or a column is not a typed array (a Dataset read back from JSON)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetFromBytes, datasetToBytes, fromRowsSync } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 2, unit_price: 3 },
 * ] });
 * const bytes = datasetToBytes(dataset);
 * assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "OPDS");
 * assert.deepEqual(datasetFromBytes(bytes).lines.quantity, dataset.lines.quantity);
 * ```
 */
export function datasetToBytes(dataset: Dataset): Uint8Array {
  checkDataset(dataset, "datasetToBytes");
  return writeDatasetBytes(dataset, (n) => new Uint8Array(n));
}

/**
 * @internal datasetToBytes into a buffer from `alloc` (the worker pool passes a SharedArrayBuffer):
 * one measuring pass, one allocation of the exact size, one writing pass.
 */
export function writeDatasetBytes(dataset: Dataset, alloc: (bytes: number) => Uint8Array): Uint8Array {
  const size = new ByteWriter();
  write(dataset, size);
  const w = new ByteWriter(alloc(size.length), size.wtf8);
  write(dataset, w);
  return w.bytes();
}

function write(dataset: Dataset, w: ByteWriter): void {
  for (const ch of DATASET_MAGIC) w.u8(ch.charCodeAt(0));
  w.u32(w.wtf8 ? DATASET_BYTES_VERSION : DATASET_BYTES_VERSION_UTF8); // measuring: 4 bytes either way
  for (const name of DICTIONARY_ORDER) w.strs(dataset.ids[name].values);
  const l = dataset.lines;
  w.u32(l.length);
  w.array(l.customer);
  w.array(l.day);
  w.array(l.order);
  w.array(l.product);
  w.array(l.quantity);
  w.array(l.unitPrice);
  w.array(l.unitCost);
  w.array(l.listPrice);
  w.array(l.rep);
  w.array(l.channel);
  w.array(l.lineId);
  w.array(l.isReturn);
  w.array(dataset.customerStart);
  w.array(dataset.customerEnd);
  w.u8(dataset.asOf === undefined ? 0 : 1);
  w.i32(dataset.asOf ?? 0);
  const c = dataset.customers;
  w.array(c.known);
  w.strs(c.name);
  w.array(c.segment);
  w.array(c.region);
  w.array(c.rep);
  w.array(c.channel);
  w.array(c.parent);
  const p = dataset.products;
  w.array(p.known);
  w.strs(p.name);
  w.array(p.family);
  w.array(p.listPrice);
  w.array(p.unitCost);
  w.array(p.active);
  const r = dataset.reps;
  w.array(r.known);
  w.strs(r.name);
  w.array(r.manager);
  w.strs(r.email);
  const e = dataset.dealEvents;
  w.u32(e.length);
  w.array(e.deal);
  w.array(e.customer);
  w.array(e.stage);
  w.array(e.day);
  w.array(e.rep);
  w.array(e.amount);
  w.u32(dataset.targets.length);
  for (const t of dataset.targets) {
    w.u32(t.rep);
    w.str(t.period);
    w.str(t.kpi);
    w.f64(t.target);
  }
  w.u32(dataset.content.length);
  for (const x of dataset.content) {
    w.str(x.contentId);
    w.str(x.title);
    w.str(x.url);
    w.i32(x.product);
    w.str(x.family);
    w.str(x.segment);
    w.str(x.kind);
  }
  w.str(dataset.currency);
  w.str(dataset.timeZone);
}
