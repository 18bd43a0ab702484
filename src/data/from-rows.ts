import type { Dataset } from "./dataset.ts";
import type { IngestOptions } from "./ingest-options.ts";
import type { IngestReport } from "./ingest-report.ts";
import { DatasetBuilder } from "./internal/builder.ts";
import { rowFeeder, rowSources } from "./internal/feed-rows.ts";
import { resolveIngestOptions } from "./internal/resolve-ingest-options.ts";
import type { DatasetRows } from "./rows.ts";

/** A dataset and the report of how it was read. */
export interface IngestResult {
  /** The columnar dataset. */
  readonly dataset: Dataset;
  /** What happened to every input row. */
  readonly report: IngestReport;
}

/**
 * Build a {@link Dataset} from rows a host application already holds (arrays, iterables or
 * async iterables of objects with the contract's snake_case field names). Produces exactly the
 * same Dataset and IngestReport as `readDataset()` on the equivalent CSV files.
 *
 * Bad rows are rejected and counted, never thrown (unless `strict`); the same order line key
 * (order_id + line_id, or the whole row) given twice keeps the last one.
 *
 * @param rows - the tables; only `orders` is required
 * @param options - time zone, date format, currency rules, strictness
 * @returns the dataset and the ingest report
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or a table that is not an
 *   iterable or async iterable, `MIXED_CURRENCIES` when lines are
 *   in several currencies without `fx` rates, `INVALID_ROW` at the first bad row with `strict`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "orderpulse";
 * const { dataset, report } = await fromRows({
 *   orders: [
 *     { order_id: "A1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 2, unit_price: 9.5 },
 *     { order_id: "A2", order_date: "not a date", customer_id: "C1", product_id: "P1", quantity: 1, unit_price: 9.5 },
 *   ],
 * });
 * assert.equal(dataset.lines.length, 1);
 * assert.equal(report.rejected, 1);
 * assert.equal(report.rejectedRows[0]?.reason, "invalid_date");
 * ```
 */
export async function fromRows(rows: DatasetRows, options?: IngestOptions): Promise<IngestResult> {
  const builder = new DatasetBuilder(resolveIngestOptions(options, "fromRows"));
  for (const [table, source, isAsync] of rowSources(rows, true)) {
    const feed = rowFeeder(builder, table, source);
    if (isAsync) {
      for await (const row of source as AsyncIterable<unknown>) feed(row);
    } else {
      for (const row of source as Iterable<unknown>) feed(row);
    }
  }
  return builder.finish();
}
