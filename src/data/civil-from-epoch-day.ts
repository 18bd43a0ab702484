import { OrderpulseError } from "./errors.ts";

/**
 * Calendar date of an epoch day (inverse of {@link epochDay}; Hinnant's `civil_from_days`).
 *
 * @param day - epoch day
 * @returns `[year, month (1..12), day of month (1..31)]`
 * @throws {OrderpulseError} `INVALID_OPTION` when `day` is not an integer
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { civilFromEpochDay } from "orderpulse";
 * assert.deepEqual(civilFromEpochDay(20780), [2026, 11, 23]);
 * ```
 */
export function civilFromEpochDay(day: number): [number, number, number] {
  if (!Number.isInteger(day)) {
    throw new OrderpulseError("INVALID_OPTION", `invalid option day: expected an integer epoch day, got ${day}`, { option: "day", value: day });
  }
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}
