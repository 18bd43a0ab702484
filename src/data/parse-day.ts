import { epochDay } from "./epoch-day.ts";
import { OrderpulseError } from "./errors.ts";
import { inOptionRange } from "./internal/day-range.ts";

/**
 * Parse a calendar date given as an *option* (e.g. `asOf`) into an epoch day. Accepts an ISO
 * `YYYY-MM-DD` string, a `Date` (its UTC calendar date) or an epoch-day integer. Row values go
 * through the ingestion parsers instead (formats, time zones, counted rejections). An epoch day
 * (days since 1970-01-01) or a `Date` must lie in 0000-01-01..9999-12-31, as every day of a
 * dataset does (a row dated outside is `invalid_date`): a larger number is more likely seconds
 * or milliseconds than a day (until 2026-12-07 1,793,448,000 seconds read as the year 4,912,263
 * and the pattern fit walked its calendar for hours). As text, years outside 0000-9999 are read
 * as `formatDay` writes them (`10000-01-02`, `-2-02-23`: five or more digits, or a minus sign),
 * so every day `formatDay` gives (a model's predicted date past 9999 included) parses back to
 * itself, within an Int32; a year of one to three digits is refused (`26-01-02` is more likely
 * 2026 than the year 26).
 *
 * @param input - `"2026-11-01"`, a `Date`, or an epoch day
 * @param name - option name used in the error message
 * @returns the epoch day
 * @throws {OrderpulseError} `INVALID_OPTION` when the input is not a valid calendar date
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDay } from "orderpulse";
 * assert.equal(parseDay("1970-01-02"), 1);
 * assert.throws(() => parseDay("2026-02-30"));
 * assert.equal(parseDay(20_759), parseDay("2026-11-02")); // an epoch day
 * assert.throws(() => parseDay(1_793_448_000)); // seconds, not days
 * assert.equal(parseDay("10000-01-02"), 2_932_898);
 * ```
 */
export function parseDay(input: string | Date | number, name = "date"): number {
  if (typeof input === "number") {
    if (Number.isInteger(input) && inOptionRange(input)) return input;
  } else if (input instanceof Date) {
    const day = Math.floor(input.getTime() / 86_400_000);
    if (inOptionRange(day)) return day;
  } else if (typeof input === "string") {
    // (four digits; else formatDay's form of a year outside 0000-9999)
    const m = /^(\d{4}|[1-9]\d{4,}|-[1-9]\d*)-(\d{2})-(\d{2})$/.exec(input.trim());
    if (m) {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      const d = Number(m[3]);
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) {
        const day = epochDay(y, mo, d);
        if (day >= -2_147_483_648 && day <= 2_147_483_647) return day;
      }
    }
  }
  const hint = typeof input === "number" || input instanceof Date ? " (as a number, an epoch day: days since 1970-01-01, from 0000-01-01 to 9999-12-31, not seconds or milliseconds)" : "";
  throw new OrderpulseError("INVALID_OPTION", `${name} must be a YYYY-MM-DD date${hint}, got ${input instanceof Date ? (Number.isFinite(input.getTime()) ? input.toISOString() : "Invalid Date") : String(input)}`, {
    option: name,
    value: input,
  });
}

/** Days in a month of the proleptic Gregorian calendar. @internal */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
