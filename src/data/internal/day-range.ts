/**
 * @internal The days an option and a dataset's row may hold: 0000-01-01 to 9999-12-31 (epoch
 * days −719,528 to 2,932,896). A larger number is more likely seconds or milliseconds since 1970
 * than a day (1,793,448,000 s is 2026-10-31, as a day the year 4,912,263), and analyses walk
 * calendars month by month from the data to asOf.
 */
export const FIRST_OPTION_DAY = -719_528;
/** @internal 9999-12-31 as an epoch day (see {@link FIRST_OPTION_DAY}). */
export const LAST_OPTION_DAY = 2_932_896;

/** @internal Whether a day is in the range of options and rows. */
export function inOptionRange(day: number): boolean {
  return day >= FIRST_OPTION_DAY && day <= LAST_OPTION_DAY;
}
