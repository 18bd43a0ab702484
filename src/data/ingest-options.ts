import type { DealStage } from "./dataset.ts";
import type { DateFormat } from "./internal/parse-date.ts";

/** Options shared by every ingestion path (`fromRows`, `readDataset`, the engine). */
export interface IngestOptions {
  /** IANA time zone in which datetimes with an offset (and `Date`s) become days. Default `UTC`. */
  timeZone?: string | undefined;
  /** How date strings are read. Default `auto` (ISO forms and `YYYYMMDD`). */
  dateFormat?: DateFormat | undefined;
  /** Numbers in strings use a decimal comma (`1.234,56`). Default false. */
  decimalComma?: boolean | undefined;
  /** Currency of the dataset; with `fx`, the currency order lines are converted into (the master tables are read as in it already). */
  currency?: string | undefined;
  /** Conversion rates: one unit of the key currency is worth `rate` units of `currency`. */
  fx?: Readonly<Record<string, number>> | undefined;
  /** Throw `OrderpulseError` `INVALID_ROW` at the first rejected row. Default false. */
  strict?: boolean | undefined;
  /** Map source stage names (case-insensitive) onto the canonical deal stages. */
  stages?: Readonly<Record<string, DealStage>> | undefined;
  /** How many rejected rows the report keeps in full (all are counted). Default 1000. */
  maxRejectedRows?: number | undefined;
}
