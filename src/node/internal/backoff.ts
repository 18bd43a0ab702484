/**
 * @internal Retry timing for the webhook sink: "full jitter" exponential backoff (AWS
 * Architecture Blog, "Exponential Backoff And Jitter", 2015) and the HTTP `Retry-After` header.
 * @module
 */

/**
 * @internal Delay before retry number `retry` (1 = the first retry): uniform in
 * `[0, min(maxMs, baseMs * 2^(retry-1)))`, whole milliseconds. `random` outside [0, 1) is clamped.
 */
export function fullJitterDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  const r = random();
  const u = r >= 0 && r < 1 ? r : r >= 1 ? 1 : 0;
  return Math.floor(u * cap);
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
// the three forms of RFC 9110 section 5.6.7, after runs of white space are made one space (asctime
// pads a one-digit day with a second space): IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the
// obsolete RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994"
const IMF_FIXDATE = /^[a-z]{3}, (\d{1,2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
const RFC850_DATE = /^[a-z]{6,9}, (\d{1,2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
const ASCTIME_DATE = /^[a-z]{3} ([a-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

/** The instant of a date in UTC fields, or undefined when a field is out of range (31 Feb, 24:00:00). */
function utcMs(year: number, monthName: string, day: string, time: readonly string[]): number | undefined {
  const month = MONTHS.indexOf(monthName.toLowerCase());
  const d = Number(day);
  const [h, min, sec] = time.map(Number) as [number, number, number];
  if (month < 0 || h > 23 || min > 59 || sec > 60) return undefined;
  // fields set one by one: Date.UTC would read a year below 100 as 19xx
  const date = new Date(0);
  date.setUTCFullYear(year, month, d);
  // the day must not roll over into another month (31 Feb, day 0)
  if (date.getUTCMonth() !== month || date.getUTCDate() !== d) return undefined;
  date.setUTCHours(h, min, Math.min(sec, 59));
  // second 60 is a leap second (RFC 9110): the instant is the next minute's start
  return date.getTime() + (sec === 60 ? 1000 : 0);
}

/**
 * @internal An HTTP date in any of the three forms RFC 9110 has recipients accept, as epoch
 * milliseconds; undefined for anything else. Every form means GMT: the instant is built from UTC
 * fields, never read by `Date.parse`, which takes a date without a zone (asctime) as the host's
 * local time. Names are matched without regard to case and the weekday is not checked (it is
 * redundant). A two-digit RFC 850 year is the one less than 50 years away from `nowMs`'s year.
 */
export function httpDateMs(value: string, nowMs: number): number | undefined {
  const v = value.trim().replace(/\s+/g, " ");
  let m = IMF_FIXDATE.exec(v);
  if (m !== null) return utcMs(Number(m[3]), m[2]!, m[1]!, m.slice(4, 7));
  m = RFC850_DATE.exec(v);
  if (m !== null) {
    // RFC 9110: a year more than 50 years in the future is the most recent past year with those digits
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = nowYear - (nowYear % 100) + Number(m[3]);
    if (year > nowYear + 50) year -= 100;
    else if (year <= nowYear - 50) year += 100;
    return utcMs(year, m[2]!, m[1]!, m.slice(4, 7));
  }
  m = ASCTIME_DATE.exec(v);
  if (m !== null) return utcMs(Number(m[6]), m[1]!, m[2]!, m.slice(3, 6));
  return undefined;
}

/**
 * @internal `Retry-After` in milliseconds from now: delta-seconds (`"120"`) or an HTTP date in one
 * of the forms of {@link httpDateMs} (`"Wed, 21 Oct 2015 07:28:00 GMT"`, always GMT, never
 * negative); undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = httpDateMs(v, nowMs);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}
