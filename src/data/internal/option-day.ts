import { parseDay } from "../parse-day.ts";
import { inOptionRange } from "./day-range.ts";
import { zoneDay, type ZoneDay } from "./zone.ts";

/** Offsets an options' mapper keeps (15-minute buckets: about 6 weeks of instants; then it starts over). */
const OPTION_BUCKETS = 4096;
/** Instant-to-day mappers by time zone (a mapper caches its offsets; a zone's is made once). */
const mappers = new Map<string, ZoneDay>();

/**
 * @internal A day given as an option (`asOf`, `splitDate`, a holiday): a `Date` is the day of its
 * instant in `timeZone` (the dataset's: the zone its order datetimes became days in), a string or
 * an epoch day as {@link parseDay} reads them. parseDay alone takes a `Date`'s UTC date: with a
 * dataset read in Asia/Jerusalem, `asOf: new Date()` at 01:45 local on March 16 was March 15,
 * and an order of 01:30 that day was left out (the engine's `tick(date)` read it as March 16).
 * @throws {OrderpulseError} `INVALID_OPTION` as parseDay
 */
export function optionDay(input: string | Date | number, name: string, timeZone: string): number {
  if (input instanceof Date) {
    const t = input.getTime();
    if (Number.isFinite(t)) {
      let day = mappers.get(timeZone);
      if (day === undefined) mappers.set(timeZone, (day = zoneDay(timeZone, OPTION_BUCKETS)));
      const d = day(t);
      if (inOptionRange(d)) return d;
    }
  }
  return parseDay(input, name);
}
