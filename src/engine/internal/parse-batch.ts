import { DatasetBuilder } from "../../data/internal/builder.ts";
import { rowFeeder } from "../../data/internal/feed-rows.ts";
import type { ResolvedIngestOptions } from "../../data/internal/resolve-ingest-options.ts";
import type { IngestReport } from "../../data/ingest-report.ts";
import { LineStore, linesOfDataset, type StoredLine } from "./line-store.ts";

/**
 * @internal Parse and validate a batch of order rows with the ingestion code (same rules, same
 * report as fromRows): the batch's lines, last one of each key kept, in key order.
 */
export function parseBatch(rows: readonly unknown[], options: ResolvedIngestOptions): { lines: StoredLine[]; report: IngestReport } {
  const builder = new DatasetBuilder(options);
  const feed = rowFeeder(builder, "orders");
  for (const row of rows) feed(row);
  const { dataset, report } = builder.finish();
  const store = new LineStore();
  linesOfDataset(dataset, store);
  return { lines: [...store.byKey.values()], report };
}

