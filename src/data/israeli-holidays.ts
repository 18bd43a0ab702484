import { epochDay } from "./epoch-day.ts";
import { OrderpulseError } from "./errors.ts";
import { formatDay } from "./format-day.ts";
import { checkInt, optionsObject, type OptionKeys } from "./internal/check.ts";

/** One Israeli holiday (or optional chol hamoed day or eve) on one Gregorian day. */
export interface Holiday {
  /** The Gregorian day, ISO `YYYY-MM-DD`. */
  readonly day: string;
  /** The same day as an epoch day (days since 1970-01-01). */
  readonly epochDay: number;
  /**
   * Stable English key: `rosh_hashanah_1`, `rosh_hashanah_2`, `yom_kippur`, `sukkot`,
   * `shemini_atzeret` (Simchat Torah, the same day in Israel), `pesach_1`, `pesach_7`, `shavuot`,
   * `yom_haatzmaut`; chol hamoed `chol_hamoed_sukkot_1`..`_5`, `hoshana_rabbah`,
   * `chol_hamoed_pesach_1`..`_5`; eves `erev_rosh_hashanah`, `erev_yom_kippur`, `erev_sukkot`,
   * `erev_pesach`, `erev_shavuot`.
   */
  readonly name: string;
  /** The holiday's Hebrew name, e.g. `ראש השנה א׳`. */
  readonly hebrewName: string;
  /**
   * `yom_tov`: a festival day (businesses closed); `national`: Yom HaAtzmaut (a statutory day
   * off); `chol_hamoed`: an intermediate festival day (many businesses on short hours);
   * `erev`: the eve of a festival (businesses close early).
   */
  readonly kind: "yom_tov" | "national" | "chol_hamoed" | "erev";
}

/** Which days {@link israeliHolidays} returns besides the yom tov days (always returned). */
export interface IsraeliHolidayOptions {
  /** Include the chol hamoed days of Sukkot (16-21 Tishrei, 21 being Hoshana Rabbah) and Pesach (16-20 Nisan). Default false. */
  includeCholHamoed?: boolean | undefined;
  /** Include the eves of Rosh Hashanah, Yom Kippur, Sukkot, Pesach and Shavuot. Default false. */
  includeEve?: boolean | undefined;
  /** Include Yom HaAtzmaut (from 1949). Default true. */
  includeNational?: boolean | undefined;
}

const FN = "israeliHolidays";
const KEYS: OptionKeys<IsraeliHolidayOptions> = { includeCholHamoed: true, includeEve: true, includeNational: true };

/** Epoch day of R.D. 0 (Dershowitz & Reingold's fixed dates count R.D. 1 = 0001-01-01 Gregorian). */
const RD_TO_EPOCH = 719163;
/** Fixed date (R.D.) of 1 Tishrei A.M. 1 (Julian 3761 B.C.E. October 7). */
const HEBREW_EPOCH_RD = -1373427;

/** Leap years hold 13 months: years 3, 6, 8, 11, 14, 17 and 19 of the 19-year cycle. */
function isLeap(year: number): boolean {
  return (7 * year + 1) % 19 < 7;
}

/**
 * Days from the Hebrew epoch to the molad of Tishrei of `year`, postponed by molad zaken (a
 * molad at or after noon, folded in by the 6-hour shift of the constant 12084 parts) and by
 * lo ADU rosh (Rosh Hashanah never on Sunday, Wednesday or Friday).
 */
function elapsedDays(year: number): number {
  const monthsElapsed = Math.floor((235 * year - 234) / 19);
  const partsElapsed = 12084 + 13753 * monthsElapsed;
  const days = 29 * monthsElapsed + Math.floor(partsElapsed / 25920);
  return (3 * (days + 1)) % 7 < 3 ? days + 1 : days;
}

/**
 * The other two dehiyyot, as a correction to `elapsedDays`: when this year would otherwise be
 * 356 days long (GaTaRaD), its new year moves two days later; when the leap year before it would
 * otherwise be 382 days long (BeTUTaKPaT), its new year moves one day later.
 */
function yearLengthCorrection(year: number): number {
  const ny0 = elapsedDays(year - 1);
  const ny1 = elapsedDays(year);
  const ny2 = elapsedDays(year + 1);
  if (ny2 - ny1 === 356) return 2;
  if (ny1 - ny0 === 382) return 1;
  return 0;
}

/** Epoch day of 1 Tishrei of Hebrew `year`. */
function newYear(year: number): number {
  return HEBREW_EPOCH_RD + elapsedDays(year) + yearLengthCorrection(year) - RD_TO_EPOCH;
}

// Months are numbered as in Dershowitz & Reingold: Nisan = 1 ... Elul = 6, Tishri = 7,
// Marheshvan = 8, Kislev = 9, Tevet = 10, Shevat = 11, Adar (Adar I in a leap year) = 12, Adar II = 13.
const NISAN = 1;
const IYYAR = 2;
const SIVAN = 3;
const TISHRI = 7;

/** Length of `month` in Hebrew `year` (29 or 30 days); `yearLength` is 353..355 or 383..385. */
function monthLength(month: number, leap: boolean, yearLength: number): number {
  switch (month) {
    case 2:
    case 4:
    case 6:
    case 10:
    case 13:
      return 29;
    case 12:
      return leap ? 30 : 29;
    case 8: // Marheshvan is long only in a complete year
      return yearLength % 10 === 5 ? 30 : 29;
    case 9: // Kislev is short only in a deficient year
      return yearLength % 10 === 3 ? 29 : 30;
    default:
      return 30;
  }
}

/** Epoch day of `day` `month` `year` (Hebrew), as Dershowitz & Reingold's fixed-from-hebrew. */
function fromHebrew(year: number, month: number, day: number, ny: number, nextNy: number): number {
  const leap = isLeap(year);
  const length = nextNy - ny;
  const last = leap ? 13 : 12;
  let d = ny + day - 1;
  if (month < TISHRI) {
    for (let m = TISHRI; m <= last; m++) d += monthLength(m, leap, length);
    for (let m = NISAN; m < month; m++) d += monthLength(m, leap, length);
  } else {
    for (let m = TISHRI; m < month; m++) d += monthLength(m, leap, length);
  }
  return d;
}

type Kind = Holiday["kind"];

const H_CHOL_SUKKOT = "חול המועד סוכות";
const H_CHOL_PESACH = "חול המועד פסח";

/** Options check for a boolean (check.ts has no boolean check). */
function checkBoolean(o: Record<string, unknown>, name: string): boolean | undefined {
  const v = o[name];
  if (v !== undefined && typeof v !== "boolean") {
    throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option ${name}: expected a boolean, got ${typeof v === "string" ? JSON.stringify(v) : String(v)}`, { option: name, value: v });
  }
  return v;
}

/**
 * Israeli holidays that fall in the Gregorian years `fromYear`..`toYear` (inclusive), sorted by
 * day. Israel keeps one festival day (two only for Rosh Hashanah). Always returned (`yom_tov`):
 * Rosh Hashanah 1 and 2 (1-2 Tishrei), Yom Kippur (10 Tishrei), Sukkot (15 Tishrei), Shemini
 * Atzeret / Simchat Torah (22 Tishrei), Pesach first day (15 Nisan), Pesach seventh day (21 Nisan)
 * and Shavuot (6 Sivan). By default also `national`: Yom HaAtzmaut, 5 Iyar, advanced to Thursday
 * when 5 Iyar is a Friday or Saturday and (from 2004) postponed to Tuesday when it is a Monday;
 * returned from 1949 on. On request: chol hamoed (16-21 Tishrei, 16-20 Nisan) and eves (29 Elul,
 * 9 Tishrei, 14 Tishrei, 14 Nisan, 5 Sivan). Other days (Purim, Hanukkah, fast days, Yom
 * HaZikaron...) are not included.
 *
 * The Hebrew calendar is computed arithmetically (molad of Tishrei, the four dehiyyot, the
 * 19-year leap cycle, deficient / regular / complete years), following the Hebrew-calendar
 * chapter of E. M. Reingold and N. Dershowitz, *Calendrical Calculations* (Cambridge University
 * Press): `hebrew-calendar-elapsed-days`, `hebrew-year-length-correction`, `hebrew-new-year`,
 * `last-day-of-hebrew-month` and `fixed-from-hebrew`. No `Intl` and no `Date` are used.
 *
 * @param fromYear - first Gregorian year, an integer from 1900 to 2200
 * @param toYear - last Gregorian year (inclusive), an integer from `fromYear` to 2200
 * @param options - which optional days to include (see {@link IsraeliHolidayOptions})
 * @returns the holidays, sorted by day (one entry per day: no two holidays share a day)
 * @throws {OrderpulseError} `INVALID_OPTION` when a year is not an integer in 1900..2200, when
 * `fromYear > toYear`, or when an option is unknown or not a boolean
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { israeliHolidays } from "orderpulse";
 * const h = israeliHolidays(2025, 2025);
 * assert.deepEqual(h.map((x) => `${x.day} ${x.name}`), [
 *   "2025-04-13 pesach_1",
 *   "2025-04-19 pesach_7",
 *   "2025-05-01 yom_haatzmaut",
 *   "2025-06-02 shavuot",
 *   "2025-09-23 rosh_hashanah_1",
 *   "2025-09-24 rosh_hashanah_2",
 *   "2025-10-02 yom_kippur",
 *   "2025-10-07 sukkot",
 *   "2025-10-14 shemini_atzeret",
 * ]);
 * const withEves = israeliHolidays(2026, 2026, { includeEve: true, includeNational: false });
 * assert.equal(withEves.find((x) => x.name === "erev_pesach")?.day, "2026-04-01");
 * ```
 */
export function israeliHolidays(fromYear: number, toYear: number, options?: IsraeliHolidayOptions): Holiday[] {
  const years: Record<string, unknown> = { fromYear, toYear };
  // both years are required (checkInt passes a missing option: israeliHolidays(2025) returned no
  // holiday at all, and a calendar without holidays, without a word; a review)
  for (const k of ["fromYear", "toYear"] as const) {
    if (years[k] === undefined) throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option ${k}: expected an integer from 1900 to 2200, got undefined`, { option: k, value: undefined });
  }
  checkInt(years, "fromYear", 1900, 2200, FN);
  checkInt(years, "toYear", 1900, 2200, FN);
  if (fromYear > toYear) throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option toYear: expected a year from fromYear (${fromYear}) on, got ${toYear}`, { option: "toYear", value: toYear });
  const o = optionsObject(options, FN, KEYS);
  const chol = checkBoolean(o, "includeCholHamoed") ?? false;
  const eve = checkBoolean(o, "includeEve") ?? false;
  const national = checkBoolean(o, "includeNational") ?? true;

  const first = epochDay(fromYear, 1, 1);
  const last = epochDay(toYear, 12, 31);
  const out: Holiday[] = [];
  const add = (day: number, name: string, hebrewName: string, kind: Kind): void => {
    if (day >= first && day <= last) out.push({ day: formatDay(day), epochDay: day, name, hebrewName, kind });
  };

  // Gregorian year Y holds the spring of Hebrew year Y + 3760 and the autumn of Y + 3761.
  let ny = newYear(fromYear + 3760);
  for (let year = fromYear + 3760; year <= toYear + 3761; year++) {
    const nextNy = newYear(year + 1);
    // Tishrei
    if (eve) add(ny - 1, "erev_rosh_hashanah", "ערב ראש השנה", "erev");
    add(ny, "rosh_hashanah_1", "ראש השנה א׳", "yom_tov");
    add(ny + 1, "rosh_hashanah_2", "ראש השנה ב׳", "yom_tov");
    if (eve) add(ny + 8, "erev_yom_kippur", "ערב יום כיפור", "erev");
    add(ny + 9, "yom_kippur", "יום כיפור", "yom_tov");
    if (eve) add(ny + 13, "erev_sukkot", "ערב סוכות", "erev");
    add(ny + 14, "sukkot", "סוכות", "yom_tov");
    if (chol) {
      for (let i = 1; i <= 5; i++) add(ny + 14 + i, `chol_hamoed_sukkot_${i}`, H_CHOL_SUKKOT, "chol_hamoed");
      add(ny + 20, "hoshana_rabbah", "הושענא רבה", "chol_hamoed");
    }
    add(ny + 21, "shemini_atzeret", "שמיני עצרת / שמחת תורה", "yom_tov");
    // Nisan
    const nisan15 = fromHebrew(year, NISAN, 15, ny, nextNy);
    if (eve) add(nisan15 - 1, "erev_pesach", "ערב פסח", "erev");
    add(nisan15, "pesach_1", "פסח", "yom_tov");
    if (chol) for (let i = 1; i <= 5; i++) add(nisan15 + i, `chol_hamoed_pesach_${i}`, H_CHOL_PESACH, "chol_hamoed");
    add(nisan15 + 6, "pesach_7", "שביעי של פסח", "yom_tov");
    // Iyar: 5 Iyar falls on Monday, Wednesday, Friday or Saturday (never Sunday, Tuesday or Thursday).
    if (national && year >= 5709) {
      const iyar5 = fromHebrew(year, IYYAR, 5, ny, nextNy);
      const weekday = (((iyar5 + 4) % 7) + 7) % 7; // 0 = Sunday; epoch day 0 was a Thursday
      const shift = weekday === 5 ? -1 : weekday === 6 ? -2 : weekday === 1 && year >= 5764 ? 1 : 0;
      add(iyar5 + shift, "yom_haatzmaut", "יום העצמאות", "national");
    }
    // Sivan
    const sivan6 = fromHebrew(year, SIVAN, 6, ny, nextNy);
    if (eve) add(sivan6 - 1, "erev_shavuot", "ערב שבועות", "erev");
    add(sivan6, "shavuot", "שבועות", "yom_tov");
    ny = nextNy;
  }
  out.sort((a, b) => a.epochDay - b.epochDay);
  return out;
}
