import { civilFromEpochDay } from "./civil-from-epoch-day.ts";

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
  const yy = y >= 0 && y < 10000 ? String(y).padStart(4, "0") : String(y);
  return `${yy}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}
