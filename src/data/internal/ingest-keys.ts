import type { IngestOptions } from "../ingest-options.ts";
import type { OptionKeys } from "./check.ts";

/**
 * @internal The option names of {@link IngestOptions} (fromRows, fromRowsSync, and readDataset's
 * ingest part). Its own module, without zod: a caller may list them without loading the ingest
 * schema.
 */
export const INGEST_KEYS: OptionKeys<IngestOptions> = {
  timeZone: true,
  dateFormat: true,
  decimalComma: true,
  currency: true,
  fx: true,
  strict: true,
  stages: true,
  maxRejectedRows: true,
};
