import { civilFromEpochDay } from "./civil-from-epoch-day.ts";
import { yearText } from "./internal/year-text.ts";

/**
 * ISO `YYYY-MM-DD` text of an epoch day.
 *
 * @param day - epoch day (integer)
 * @returns the ISO calendar date
 * @throws {OrderpulseError} `INVALID_OPTION` when `day` is not an integer
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDay } from "orderpulse";
 * assert.equal(formatDay(0), "1970-01-01");
 * assert.equal(formatDay(20780), "2026-11-23");
 * ```
 */
export function formatDay(day: number): string {
  const [y, m, d] = civilFromEpochDay(day);
  return `${yearText(y)}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}
