/**
 * Epoch day of a proleptic Gregorian calendar date: days since 1970-01-01 (which is day 0).
 * Uses Howard Hinnant's `days_from_civil` algorithm (exact, no Date objects, no time zone).
 *
 * @param year - full year, e.g. 2026
 * @param month - 1..12
 * @param day - 1..31 (not checked against the month; use {@link parseDay} for validation)
 * @returns the epoch day (an integer; negative before 1970)
 * @throws never
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { epochDay } from "orderpulse";
 * assert.equal(epochDay(1970, 1, 1), 0);
 * assert.equal(epochDay(2026, 11, 23), 20780);
 * ```
 */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
