import { epochDay } from "../epoch-day.ts";
import { OrderpulseError } from "../errors.ts";

const MS_PER_DAY = 86_400_000;
const BUCKET = 15 * 60_000;

/**
 * Maps an instant (epoch ms) to the epoch day of its wall-clock date in an IANA time zone.
 * Offsets are looked up with Intl once per 15-minute bucket and cached (DST and most historic
 * offsets change on such boundaries; a bucket with a change inside is looked up per instant), to
 * the second (historic offsets such as Jerusalem's +2:20:54), so the per-row cost is a Map lookup.
 * @internal
 */
export interface ZoneDay {
  /** Epoch day of the instant's local date. */
  (ms: number): number;
}

/**
 * @internal Validates the zone (throws INVALID_OPTION) and returns a cached instant -> day mapper.
 * `maxBuckets` bounds its cache (cleared when full): a mapper kept for the life of a process (the
 * options' one per zone) gained an entry per 15 minutes of the instants it saw, forever (a host
 * ticking `new Date()` every 15 minutes: about 1.3 MB a year; a review).
 */
export function zoneDay(timeZone: string, maxBuckets: number = Number.POSITIVE_INFINITY): ZoneDay {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return (ms) => Math.floor(ms / MS_PER_DAY);
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
  } catch (cause) {
    throw new OrderpulseError("INVALID_OPTION", `unknown time zone: ${timeZone}`, { option: "timeZone", value: timeZone }, cause);
  }
  /** The zone's offset (ms) at instant t, a whole second: historic offsets have seconds (Jerusalem +2:20:54 before 1918). */
  const offsetAt = (t: number): number => {
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, bc = false;
    for (const p of fmt.formatToParts(t)) {
      if (p.type === "year") y = Number(p.value);
      else if (p.type === "month") mo = Number(p.value);
      else if (p.type === "day") d = Number(p.value);
      else if (p.type === "hour") h = Number(p.value);
      else if (p.type === "minute") mi = Number(p.value);
      else if (p.type === "second") sec = Number(p.value);
      else if (p.type === "era") bc = p.value === "BC";
    }
    if (bc) y = 1 - y; // 1 BC is the astronomical year 0
    return epochDay(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + sec) * 1000 - t; // not Date.UTC: years 0-99
  };
  const cache = new Map<number, number>();
  return (ms) => {
    const bucket = Math.floor(ms / BUCKET);
    let offset = cache.get(bucket);
    if (offset === undefined) {
      const at = bucket * BUCKET;
      offset = offsetAt(at);
      // a transition inside the bucket (most fall on quarter hours; Monrovia's of 1972 did not):
      // that bucket's instants are looked up one by one
      if (offsetAt(at + BUCKET - 1000) !== offset) return Math.floor((ms + offsetAt(Math.floor(ms / 1000) * 1000)) / MS_PER_DAY);
      if (cache.size >= maxBuckets) cache.clear();
      cache.set(bucket, offset);
    }
    return Math.floor((ms + offset) / MS_PER_DAY);
  };
}
