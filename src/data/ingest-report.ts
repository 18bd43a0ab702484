/**
 * What ingestion did with every input row. For each table and in total (the total over the
 * tables read from files: a `derived` table's rows are made from another's, and are not counted
 * twice): `rowsRead = accepted + rejected + excluded`; `replaced` counts accepted rows that superseded an
 * earlier row with the same key (so the dataset holds `accepted - replaced` rows of that table).
 * @module
 */

/** The tables of the data contract. */
export type TableName = "orders" | "customers" | "products" | "reps" | "dealEvents" | "targets" | "content";

/** @internal Every table, orders first (the data contract's order: the order they are read and reported in). */
export const TABLE_NAMES: readonly TableName[] = ["orders", "customers", "products", "reps", "dealEvents", "targets", "content"];

/** A rejected row, with enough to find and fix it. */
export interface RejectedRow {
  /** Table the row belongs to. */
  readonly table: TableName;
  /** File it came from (CSV input), when known. */
  readonly file: string | undefined;
  /** Line number: in a CSV file the header is line 1; for `fromRows` the 1-based row index. */
  readonly line: number;
  /** The offending column (contract name), when one column is to blame. */
  readonly column: string | undefined;
  /** The offending value as text (truncated to 200 characters). */
  readonly value: string | undefined;
  /** Stable reason code, e.g. `invalid_date`, `missing_value`, `non_positive_price`. */
  readonly reason: string;
  /** Human explanation. */
  readonly message: string;
}

/** Row counts shared by a table's report and the whole report. */
export interface RowCounts {
  /** Data rows read (header and blank lines excluded). */
  readonly rowsRead: number;
  /** Rows that passed validation. */
  readonly accepted: number;
  /** Rows refused as invalid. */
  readonly rejected: number;
  /** Rows deliberately left out by a rule (e.g. a preset's non-product codes). */
  readonly excluded: number;
  /** Accepted rows that replaced an earlier row with the same key. */
  readonly replaced: number;
  /** Rejections and exclusions by reason code. */
  readonly byReason: Readonly<Record<string, number>>;
  /** Rejections alone by reason code (a reason can be a rejection in one row and a preset's exclusion in another, e.g. `non_positive_price`). */
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** Accepted-with-warning counts, e.g. `unknown_customer` (distinct ids), `missing_cost` (lines). */
  readonly warnings: Readonly<Record<string, number>>;
}

/** Counts for one table. */
export interface TableReport extends RowCounts {
  /** Table name. */
  readonly table: TableName;
  /** Source file, when read from CSV. */
  readonly file: string | undefined;
  /**
   * True when the table's rows were made from another table, not read from a file (the
   * `online-retail` preset's products from Description, customers from Country): its counts are
   * left out of the report's totals, which count the files' rows.
   */
  readonly derived?: true;
}

/** The ingestion report for a whole dataset: the counts summed over all tables. */
export interface IngestReport extends RowCounts {
  /** Order lines in the dataset. */
  readonly lines: number;
  /** Per-table reports for the tables that were given. */
  readonly tables: Readonly<Partial<Record<TableName, TableReport>>>;
  /** The first rejected rows (up to `maxRejectedRows`, default 1000), in input order. */
  readonly rejectedRows: readonly RejectedRow[];
}
