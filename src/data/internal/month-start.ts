import { epochDay } from "../epoch-day.ts";

/**
 * @internal The epoch day of the 1st of a month given as a year and a 0-based month that may run
 * past either end of the year (month 12 is January of the next year, -1 December of the one
 * before). Pure day arithmetic: `Date.UTC` would read the years 0-99 as 1900-1999.
 * @param year - full year
 * @param month0 - month, 0 = January of `year`
 * @returns the epoch day of that month's 1st
 */
export function monthStartDay(year: number, month0: number): number {
  const carry = Math.floor(month0 / 12);
  return epochDay(year + carry, month0 - carry * 12 + 1, 1);
}
