import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { parseDay } from "../data/parse-day.ts";
import type { CliIo } from "./io.ts";

/** Today's date (YYYY-MM-DD) in a time zone: the CLI's default `--as-of`, the one wall-clock read. @internal */
export function today(timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: timeZone ?? "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date());
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/**
 * Days without a single order line, company-wide, after which the data is taken for a historical
 * export rather than a live one: a distributor with hundreds of customers has orders every working
 * day, and even its longest holiday closure is shorter. @internal
 */
export const STALE_EXPORT_DAYS = 14;

/** @internal Help text of the default `--as-of` ({@link defaultAsOf}), one line per command help. */
export const AS_OF_HELP: string = `--as-of defaults to today in --time-zone, or to the data's last order day when that is more
than ${STALE_EXPORT_DAYS} days before today (a historical export; a note on stderr says so).`;

/**
 * @internal The CLI's `--as-of` when none is given: today in the time zone, unless the data's last
 * order day is more than {@link STALE_EXPORT_DAYS} days before today (a historical export, such
 * as the UCI Online Retail file of 2010-2011): then that last day, with a note on stderr (not
 * under --quiet). As of today every customer of a historical export would look silent since the
 * export, and the brief of this week would be empty. Lines dated after today do not count as the
 * data's last day (a note says how many there are).
 * @param dataset - the data read
 * @param timeZone - the --time-zone
 * @param io - where the note goes
 * @param quiet - --quiet: no note
 * @param now - today, YYYY-MM-DD (default: the clock's, in the time zone; tests pin it)
 * @returns the as-of day, YYYY-MM-DD
 */
export function defaultAsOf(dataset: Dataset, timeZone: string | undefined, io: CliIo, quiet: boolean, now: string = today(timeZone)): string {
  const range = dataset.dayRange;
  if (range === undefined) return now;
  // lines dated after today (a mistyped year: 2062 for 2026) would make a historical export look
  // live and move the as-of day to today: the data's last day is the last one up to today
  let last = range.last;
  const todayDay = parseDay(now);
  if (last > todayDay) {
    const days = dataset.lines.day;
    let later = 0;
    last = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < days.length; i++) {
      const d = days[i]!;
      if (d > todayDay) later++;
      else if (d > last) last = d;
    }
    if (!quiet) io.err(`orderpulse: ${later} order line${later === 1 ? " is" : "s are"} dated after today (${now}; the latest ${formatDay(range.last)}): the default as-of day leaves ${later === 1 ? "it" : "them"} out (--as-of D chooses the day)\n`);
    if (!Number.isFinite(last)) return now;
  }
  const gap = todayDay - last;
  if (gap <= STALE_EXPORT_DAYS) return now;
  const end = formatDay(last);
  if (!quiet) io.err(`orderpulse: the data ends ${end}, ${gap} days before today (${now}): analysing as of ${end} (--as-of D chooses the day)\n`);
  return end;
}
