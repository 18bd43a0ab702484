import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import { epochDay } from "../../data/epoch-day.ts";
import type { Calendar } from "./model.ts";
import { CUMULATIVE_MONTH_DAYS } from "./params.ts";

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** @internal ISO weekday (1 = Monday .. 7 = Sunday) of an epoch day. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** @internal Per-day lookups for the history ending on `end` and spanning `years` years. */
export function buildCalendar(end: number, years: number): Calendar {
  const [ey, em, ed] = civilFromEpochDay(end);
  // the same day `years` years before (February 29 of a year that has none: the 28th), plus one
  const sy = ey - years;
  const start = epochDay(sy, em, em === 2 && ed === 29 && !isLeap(sy) ? 28 : ed) + 1;
  const days = end - start + 1;
  const month = new Int8Array(days);
  const dom = new Int8Array(days);
  const doy = new Int16Array(days);
  const dow = new Int8Array(days);
  const year = new Int8Array(days);
  const monthIndex = new Int16Array(days);
  let [y, m, d] = civilFromEpochDay(start);
  const startYear = y;
  const startMonth = m;
  for (let i = 0; i < days; i++) {
    if (i > 0) {
      d++;
      const dim = m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
      if (d > dim) {
        d = 1;
        m++;
        if (m > 12) {
          m = 1;
          y++;
        }
      }
    }
    month[i] = m;
    dom[i] = d;
    doy[i] = CUMULATIVE_MONTH_DAYS[m - 1]! + d + (m > 2 && isLeap(y) ? 1 : 0);
    dow[i] = isoWeekday(start + i);
    year[i] = y - startYear;
    monthIndex[i] = (y - startYear) * 12 + m - startMonth;
  }
  return {
    start,
    end,
    days,
    month,
    dom,
    doy,
    dow,
    year,
    monthIndex,
    years: ey - startYear + 1,
    months: (ey - startYear) * 12 + em - startMonth + 1,
    startYear,
    startMonth,
  };
}
