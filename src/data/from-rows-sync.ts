import type { IngestResult } from "./from-rows.ts";
import type { IngestOptions } from "./ingest-options.ts";
import { DatasetBuilder } from "./internal/builder.ts";
import { rowFeeder, rowSources } from "./internal/feed-rows.ts";
import { resolveIngestOptions } from "./internal/resolve-ingest-options.ts";
import type { DatasetRows, RowSource } from "./rows.ts";

/**
 * Input tables for {@link fromRowsSync}: the same tables as `DatasetRows`, as arrays or other
 * synchronous iterables.
 */
export type DatasetRowsSync = {
  [K in keyof DatasetRows]: Iterable<NonNullable<DatasetRows[K]> extends RowSource<infer R> ? R : never> | (undefined extends DatasetRows[K] ? undefined : never);
};

/**
 * Synchronous {@link fromRows} for rows already in memory (arrays or sync iterables): handy in
 * notebooks, tests and hosts that cannot await. Same Dataset, same report, same rules.
 *
 * @param rows - the tables; only `orders` is required
 * @param options - time zone, date format, currency rules, strictness
 * @returns the dataset and the ingest report
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or a table that is not a
 *   synchronous iterable (an async iterable included),
 *   `MIXED_CURRENCIES`, `INVALID_ROW` (with `strict`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync } from "orderpulse";
 * const { dataset } = fromRowsSync({
 *   orders: [{ order_id: 1, order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 2, unit_price: 3 }],
 * });
 * assert.equal(dataset.ids.customers.values[0], "C1");
 * ```
 */
export function fromRowsSync(rows: DatasetRowsSync, options?: IngestOptions): IngestResult {
  const builder = new DatasetBuilder(resolveIngestOptions(options, "fromRowsSync"));
  for (const [table, source] of rowSources(rows, false)) {
    const feed = rowFeeder(builder, table, source);
    for (const row of source as Iterable<unknown>) feed(row);
  }
  return builder.finish();
}
