import { DatasetBuilder } from "../../data/internal/builder.ts";
import { rowFeeder } from "../../data/internal/feed-rows.ts";
import type { ResolvedIngestOptions } from "../../data/internal/resolve-ingest-options.ts";
import type { IngestReport } from "../../data/ingest-report.ts";
import { linesOfDataset, type StoredLine } from "./line-store.ts";

/**
 * @internal Parse and validate a batch of order rows with the ingestion code (same rules, same
 * report as fromRows): the batch's lines, the last one of each key kept, and their currency (the
 * options' when given; a batch in another one throws MIXED_CURRENCIES, as fromRows does).
 */
export function parseBatch(rows: readonly unknown[], options: ResolvedIngestOptions): { lines: StoredLine[]; report: IngestReport; currency: string | undefined } {
  const builder = new DatasetBuilder(options);
  const feed = rowFeeder(builder, "orders");
  for (const row of rows) feed(row);
  const { dataset, report } = builder.finish();
  const lines: StoredLine[] = [];
  linesOfDataset(dataset, (l) => void lines.push(l));
  return { lines, report, currency: dataset.currency };
}
