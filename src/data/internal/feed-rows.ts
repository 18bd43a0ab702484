import type { TableName } from "../ingest-report.ts";
import type { DatasetRows } from "../rows.ts";
import { type DatasetBuilder, FIELDS } from "./builder.ts";

/** @internal Contract table name -> `DatasetRows` key. */
export const ROW_KEYS: readonly [TableName, keyof DatasetRows][] = [
  ["orders", "orders"],
  ["customers", "customers"],
  ["products", "products"],
  ["reps", "reps"],
  ["dealEvents", "dealEvents"],
  ["targets", "targets"],
  ["content", "content"],
];

/** @internal Returns a per-row feeder for one table: object row -> value array -> builder. */
export function rowFeeder(builder: DatasetBuilder, table: TableName): (row: unknown) => void {
  const fields = FIELDS[table];
  const values: unknown[] = new Array(fields.length);
  let line = 0;
  builder.table(table);
  return (row) => {
    line++;
    if (typeof row !== "object" || row === null) {
      builder.rejectRow(table, line, undefined, row, "invalid_row", "row is not an object");
      return;
    }
    const r = row as Record<string, unknown>;
    for (let k = 0; k < fields.length; k++) values[k] = r[fields[k]!];
    builder.add(table, values, line);
  };
}
