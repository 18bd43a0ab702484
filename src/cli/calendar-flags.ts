import { readFile } from "node:fs/promises";
import { israeliHolidays } from "../data/israeli-holidays.ts";
import type { BusinessCalendar } from "../patterns/fit-interval-model.ts";
import { isDayText } from "../data/internal/check.ts";
import { UsageError } from "./io.ts";

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FULL_DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** @internal Help text of the calendar flags. */
export const CALENDAR_HELP = `  --weekend DAYS     weekend days closed for every customer, e.g. fri,sat or 5,6 (0 = Sunday)
  --holidays SRC     holidays closed for every customer: "israel" (Hebrew calendar) or a file of YYYY-MM-DD lines`;

/** @internal Flag definitions of the calendar flags (for parseFlags). */
export const CALENDAR_FLAGS = { weekend: { type: "string" }, holidays: { type: "string" } } as const;

/**
 * @internal The business calendar from --weekend and --holidays (undefined when neither is given).
 * `years` is the span of years the Israeli holidays are computed for.
 */
export async function calendarFromFlags(v: Record<string, unknown>, years: readonly [number, number]): Promise<BusinessCalendar | undefined> {
  const w = v["weekend"];
  const h = v["holidays"];
  if (w === undefined && h === undefined) return undefined;
  const calendar: { weekendDays?: number[]; holidays?: string[] } = {};
  if (typeof w === "string") {
    calendar.weekendDays = w.split(",").map((x) => {
      const t = x.trim().toLowerCase();
      // a number, a three-letter name or the whole name ("monkey" read Monday)
      const k = /^\d$/.test(t) ? Number(t) : DAY_NAMES.includes(t) ? DAY_NAMES.indexOf(t) : FULL_DAY_NAMES.indexOf(t);
      if (!(k >= 0 && k <= 6)) throw new UsageError(`--weekend: unknown day "${x}" (use sun..sat, sunday..saturday or 0..6)`);
      return k;
    });
    if (new Set(calendar.weekendDays).size === 7) throw new UsageError("--weekend: every day of the week is a weekend (at least one day must be open)");
  }
  if (typeof h === "string") {
    if (h.toLowerCase() === "israel") {
      // the years the holiday calendar covers (1900..2200); none for a range outside them
      const from = Math.max(1900, years[0]), to = Math.min(2200, years[1]);
      calendar.holidays = from <= to ? israeliHolidays(from, to).map((x) => x.day) : [];
    }
    else {
      let text: string;
      try {
        text = await readFile(h, "utf8");
      } catch (cause) {
        throw new UsageError(`--holidays: cannot read ${h} (${(cause as Error).message}); use "israel" or a file of YYYY-MM-DD lines`);
      }
      calendar.holidays = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
      for (const d of calendar.holidays) if (!isDayText(d)) throw new UsageError(`--holidays ${h}: "${d}" is not a YYYY-MM-DD date`);
    }
  }
  return calendar;
}
