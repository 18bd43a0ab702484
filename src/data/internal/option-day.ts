import { OrderpulseError } from "../errors.ts";
import { formatDay } from "../format-day.ts";
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
      // (its day in the zone, not the UTC one parseDay would read: 9999-12-31T12:00Z is 10000-01-01 in Kiritimati)
      throw new OrderpulseError("INVALID_OPTION", `${name} must be a day from 0000-01-01 to 9999-12-31, got ${input.toISOString()} (${formatDay(d)} in ${timeZone})`, { option: name, value: input });
    }
  }
  const d = parseDay(input, name);
  // a text day past 9999 (parseDay reads formatDay's form of any day: a model's dates) is no
  // option: an inner call given it as an epoch day refused it, naming a number never given
  if (!inOptionRange(d)) throw new OrderpulseError("INVALID_OPTION", `${name} must be a day from 0000-01-01 to 9999-12-31, got ${String(input)}`, { option: name, value: input });
  return d;
}
