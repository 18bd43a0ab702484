import { epochDay } from "../epoch-day.ts";
import { OrderpulseError } from "../errors.ts";

const MS_PER_DAY = 86_400_000;
const BUCKET = 15 * 60_000;

/**
 * Maps an instant (epoch ms) to the epoch day of its wall-clock date in an IANA time zone.
 * Offsets are looked up with Intl once per 15-minute bucket and cached (DST and historic
 * offsets change on such boundaries), so the per-row cost is a Map lookup.
 * @internal
 */
export interface ZoneDay {
  /** Epoch day of the instant's local date. */
  (ms: number): number;
}

/** @internal Validates the zone (throws INVALID_OPTION) and returns a cached instant -> day mapper. */
export function zoneDay(timeZone: string): ZoneDay {
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
    });
  } catch (cause) {
    throw new OrderpulseError("INVALID_OPTION", `unknown time zone: ${timeZone}`, { option: "timeZone", value: timeZone }, cause);
  }
  const cache = new Map<number, number>();
  return (ms) => {
    const bucket = Math.floor(ms / BUCKET);
    let offset = cache.get(bucket);
    if (offset === undefined) {
      const at = bucket * BUCKET;
      let y = 0, mo = 0, d = 0, h = 0, mi = 0;
      for (const p of fmt.formatToParts(at)) {
        if (p.type === "year") y = Number(p.value);
        else if (p.type === "month") mo = Number(p.value);
        else if (p.type === "day") d = Number(p.value);
        else if (p.type === "hour") h = Number(p.value);
        else if (p.type === "minute") mi = Number(p.value);
      }
      offset = epochDay(y, mo, d) * MS_PER_DAY + (h * 60 + mi) * 60_000 - at; // not Date.UTC: years 0-99
      cache.set(bucket, offset);
    }
    return Math.floor((ms + offset) / MS_PER_DAY);
  };
}
