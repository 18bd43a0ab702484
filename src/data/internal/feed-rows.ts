import { OrderpulseError } from "../errors.ts";
import type { TableName } from "../ingest-report.ts";
import type { DatasetRows, OrderRow } from "../rows.ts";
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

/** @internal A table to read: its name, its rows, and whether they come as an async iterable. */
export type RowSourceEntry = readonly [table: TableName, source: Iterable<unknown> | AsyncIterable<unknown>, isAsync: boolean];

/**
 * @internal The tables of `rows` that are given, each checked before any row is read: an
 * iterable object (arrays, sets, generators) or, with `allowAsync`, an async iterable.
 * @throws {OrderpulseError} `INVALID_OPTION` naming the table otherwise
 */
export function rowSources(rows: unknown, allowAsync: boolean): RowSourceEntry[] {
  const fn = allowAsync ? "fromRows" : "fromRowsSync";
  if (typeof rows !== "object" || rows === null) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: rows must be an object of tables ({ orders, customers, ... })`, { option: "rows" });
  }
  // a table under another spelling (Orders, deal_events) was skipped without a word, its rows
  // lost; other keys are not tables and stay ignored (the synthetic distributor's truth)
  for (const key of Object.keys(rows)) {
    if (ROW_KEYS.some(([, k]) => k === key)) continue;
    const plain = key.toLowerCase().replace(/[_\s-]/g, "");
    const meant = ROW_KEYS.find(([, k]) => k.toLowerCase() === plain || `${k.toLowerCase()}s` === plain || k.toLowerCase() === `${plain}s`)?.[1];
    if (meant !== undefined) throw new OrderpulseError("INVALID_OPTION", `${fn}: rows.${key} is not a table: did you mean rows.${meant}? (the tables are ${ROW_KEYS.map(([, k]) => k).join(", ")})`, { option: key });
  }
  if ((rows as Record<string, unknown>).orders === undefined) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: rows.orders is required (an empty array for master data alone)`, { option: "orders" });
  }
  const out: RowSourceEntry[] = [];
  for (const [table, key] of ROW_KEYS) {
    const source = (rows as Record<string, unknown>)[key];
    if (source === undefined) continue;
    if (typeof source === "object" && source !== null) {
      if (allowAsync && Symbol.asyncIterator in source) {
        out.push([table, source as AsyncIterable<unknown>, true]);
        continue;
      }
      if (Symbol.iterator in source) {
        out.push([table, source as Iterable<unknown>, false]);
        continue;
      }
    }
    throw new OrderpulseError(
      "INVALID_OPTION",
      allowAsync
        ? `rows.${key} must be an array, an iterable or an async iterable of rows`
        : `rows.${key} must be an array or a synchronous iterable (use fromRows for async sources)`,
      { option: key },
    );
  }
  return out;
}

/**
 * @internal Returns a per-row feeder for one table: object row -> value array -> builder.
 * @param source - the rows, when known: an array of orders sizes the line columns once
 */
export function rowFeeder(builder: DatasetBuilder, table: TableName, source?: unknown): (row: unknown) => void {
  const fields = FIELDS[table];
  if (table === "orders" && Array.isArray(source)) builder.reserve(source.length);
  const values: unknown[] = new Array(fields.length);
  let line = 0;
  builder.table(table);
  return (row) => {
    line++;
    if (typeof row !== "object" || row === null) {
      builder.rejectRow(table, line, undefined, row, "invalid_row", "row is not an object");
      return;
    }
    if (table === "orders") {
      // static property reads: monomorphic for uniformly shaped rows (the hot table)
      const r = row as OrderRow;
      values[0] = r.order_id;
      values[1] = r.order_date;
      values[2] = r.customer_id;
      values[3] = r.product_id;
      values[4] = r.quantity;
      values[5] = r.unit_price;
      values[6] = r.line_id;
      values[7] = r.unit_cost;
      values[8] = r.list_price;
      values[9] = r.rep_id;
      values[10] = r.channel;
      values[11] = r.currency;
      builder.addOrder(values, line);
      return;
    }
    const r = row as Record<string, unknown>;
    for (let k = 0; k < fields.length; k++) values[k] = r[fields[k]!];
    builder.add(table, values, line);
  };
}
