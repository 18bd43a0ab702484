import type { IngestOptions } from "../data/ingest-options.ts";
import type { TableName } from "../data/ingest-report.ts";

/** Progress of a CSV read, reported per chunk. */
export interface ReadProgress {
  /** File being read. */
  readonly file: string;
  /** Bytes of that file read so far. */
  readonly bytesRead: number;
  /** Size of that file in bytes. */
  readonly totalBytes: number;
}

/** Options of `readDataset()`: where and how to read, plus every ingest option. */
export interface ReadDatasetOptions extends IngestOptions {
  /** A folder holding the contract's files (orders.csv, customers.csv, ...) or one orders file. */
  path: string;
  /** Layout preset: `canonical` (default) or `online-retail` (UCI Online Retail I/II). */
  preset?: "canonical" | "online-retail" | undefined;
  /**
   * Column mapping `contract column -> source header`, e.g. `{ order_id: "DocNo" }`; prefix
   * with a table for other files: `{ "customers.segment": "Branch" }`.
   */
  map?: Readonly<Record<string, string>> | undefined;
  /** Field delimiter; default: guessed from the first chunk among `, ; \t |`. */
  delimiter?: string | undefined;
  /** Text encoding (any WHATWG label: `utf-8`, `windows-1255`, `iso-8859-8`, `windows-1252`...). Default `utf-8` (a UTF-8 BOM is skipped); under the `online-retail` preset an orders file that is not valid UTF-8 is read as `windows-1252`, with a warning. */
  encoding?: string | undefined;
  /**
   * File names to use instead of the contract's, per table (relative to `path`); a list reads
   * several files into one table, e.g. `{ orders: ["orders-2025.csv", "orders-2026.csv"] }`
   * (ERP exports by year). Line keys work across files: a later file's line replaces an
   * earlier one with the same key. Keys are the table names (`dealEvents`, not `deal_events`: an
   * unknown key is `INVALID_OPTION`), and `path` must be a folder.
   */
  files?: Readonly<Partial<Record<TableName, string | readonly string[]>>> | undefined;
  /** Called as each file is read. */
  onProgress?: ((progress: ReadProgress) => void) | undefined;
}
