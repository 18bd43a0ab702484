import { epochDay } from "../epoch-day.ts";
import { OrderpulseError } from "../errors.ts";
import { daysInMonth } from "../parse-day.ts";
import { zoneDay } from "./zone.ts";

/**
 * How to read dates in rows: `auto`/`iso` (ISO 8601 dates and datetimes, `YYYY/MM/DD`,
 * `YYYYMMDD`), `dmy` (`31/12/2025`, `31.12.25 14:05`), `mdy` (`12/31/2025 2:05 PM`), `ymd`, or
 * an explicit pattern such as `dd/MM/yyyy HH:mm` whose y/M/d order decides: `yyyy` (or `yy`),
 * `MM` (or `M`) and `dd` (or `d`) with one separator among `- / .`, or `yyyyMMdd`, then an optional
 * time after a space, `T` or `'T'` (any form: the parser reads times by their numbers); other date
 * parts (`ddMMyyyy`, month names) are `INVALID_OPTION`. ISO values are accepted under every setting.
 */
export type DateFormat = "auto" | "iso" | "dmy" | "mdy" | "ymd" | (string & {});

type Order = "ymd" | "dmy" | "mdy" | undefined;

/** @internal A compiled parser: value -> epoch day, NaN when invalid. */
export type DateParser = (value: unknown) => number;

/** The patterns the parser can read (see {@link resolveDateOrder}). */
const PATTERN = /^(?:(?:yyyy|yy|MM|M|dd|d)([-/.])(?:yyyy|yy|MM|M|dd|d)\1(?:yyyy|yy|MM|M|dd|d)|yyyyMMdd)(?:[\sT'].*)?$/s;

/** @internal */
export function resolveDateOrder(format: DateFormat): Order {
  if (format === "auto" || format === "iso") return undefined;
  if (format === "dmy" || format === "mdy" || format === "ymd") return format as Order;
  // what the parser reads: three numbers with one separator (- / .), or yyyyMMdd, then an
  // optional time after a space or T; ddMMyyyy, month names (MMM) or two separators were
  // accepted and then every value was rejected as invalid_date
  if (typeof format !== "string" || !PATTERN.test(format)) {
    throw new OrderpulseError(
      "INVALID_OPTION",
      `dateFormat must be auto, iso, dmy, mdy, ymd or a pattern of yyyy (or yy), MM (or M) and dd (or d) with one separator among - / . (or yyyyMMdd), then an optional time after a space or T; got ${String(format)}`,
      { option: "dateFormat", value: format },
    );
  }
  const y = format.indexOf("y");
  const m = format.indexOf("M");
  const d = format.indexOf("d");
  if (y < 0 || m < 0 || d < 0) {
    throw new OrderpulseError(
      "INVALID_OPTION",
      `dateFormat must be auto, iso, dmy, mdy, ymd or a pattern with yyyy, MM and dd; got ${format}`,
      { option: "dateFormat", value: format },
    );
  }
  if (y < m && m < d) return "ymd";
  if (d < m && m < y) return "dmy";
  if (m < d && d < y) return "mdy";
  throw new OrderpulseError("INVALID_OPTION", `unsupported field order in dateFormat ${format}`, {
    option: "dateFormat",
    value: format,
  });
}

/**
 * Compile a per-row date parser. Wall-clock datetimes (no offset) keep their calendar date;
 * datetimes with `Z` or an offset, and `Date` objects, are instants mapped to their date in
 * `timeZone`. Numbers are read as `YYYYMMDD`.
 * @internal
 */
export function compileDateParser(format: DateFormat, timeZone: string): DateParser {
  const order = resolveDateOrder(format);
  const toDay = zoneDay(timeZone);
  const g = new Int32Array(7); // numeric groups
  const len = new Int32Array(7); // their digit counts
  return (value) => {
    if (typeof value === "number") value = String(value);
    else if (value instanceof Date) {
      const t = value.getTime();
      return Number.isFinite(t) ? toDay(t) : Number.NaN;
    }
    if (typeof value !== "string") return Number.NaN;
    const s = value;
    let n = s.length;
    let i = 0;
    // white space as the numbers take it: also no-break spaces and a stray BOM (a date padded with
    // U+00A0 was rejected where its row's ids and amounts were trimmed)
    while (i < n && isPad(s.charCodeAt(i))) i++;
    while (n > i && isPad(s.charCodeAt(n - 1))) n--; // trailing white space, also after Z
    let count = 0;
    let pm = -1; // -1 none, 0 AM, 1 PM
    let offsetMin = Number.NaN;
    let dateSep = 0;
    let afterSep = true; // a date separator needs a number before it (no leading or doubled one)
    while (i < n) {
      let c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        if (count === 7) return Number.NaN;
        let v = 0;
        let k = 0;
        while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
          v = v * 10 + (c - 48);
          k++;
          i++;
        }
        // no group is longer than YYYYMMDD: a longer one would wrap in the Int32 groups
        // ("2026-01-4294967301" read as the 5th)
        if (k > 8) return Number.NaN;
        g[count] = v;
        len[count] = k;
        count++;
        afterSep = false;
        if (i < n && c === 46 && count === 6) {
          // fractional seconds: skip
          i++;
          while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
        }
        continue;
      }
      if (count < 3) {
        // date separators must be one consistent char among - / .
        if ((c !== 45 && c !== 47 && c !== 46) || afterSep) return Number.NaN;
        afterSep = true;
        if (dateSep === 0) dateSep = c;
        else if (dateSep !== c) return Number.NaN;
        i++;
        continue;
      }
      if (count === 3 && (c === 84 || c === 116 || c === 32)) { // T, t (RFC 3339 allows it, as z) or a space
        i++;
        while (i < n && s.charCodeAt(i) === 32) i++;
        continue;
      }
      if (count >= 4 && c === 58) {
        i++;
        continue;
      }
      if (count >= 4 && (c === 90 || c === 122) && i === n - 1) {
        offsetMin = 0;
        i++;
        continue;
      }
      if (count >= 4 && (c === 43 || c === 45)) {
        // offset +HH[:]MM or +HH
        const sign = c === 45 ? -1 : 1;
        const rest = s.slice(i + 1).trim();
        const m = /^(\d{2}):?(\d{2})?$/.exec(rest);
        if (!m) return Number.NaN;
        const hh = Number(m[1]), mm = Number(m[2] ?? 0);
        if (hh > 23 || mm > 59) return Number.NaN;
        offsetMin = sign * (hh * 60 + mm);
        i = n;
        continue;
      }
      if (c === 32) {
        i++;
        continue;
      }
      if (count >= 4 && (c === 65 || c === 97 || c === 80 || c === 112)) {
        const next = s.charCodeAt(i + 1);
        if (next !== 77 && next !== 109) return Number.NaN;
        pm = c === 80 || c === 112 ? 1 : 0;
        i += 2;
        continue;
      }
      return Number.NaN;
    }
    let y: number, mo: number, d: number;
    if (count === 1 && len[0] === 8) {
      const v = g[0]!;
      y = Math.floor(v / 10000);
      mo = Math.floor(v / 100) % 100;
      d = v % 100;
      count = 3;
    } else {
      if (count < 3) return Number.NaN;
      if (len[0] === 4) {
        y = g[0]!;
        mo = g[1]!;
        d = g[2]!;
      } else if (order === "ymd") {
        if (len[0] !== 2) return Number.NaN;
        y = twoDigitYear(g[0]!);
        mo = g[1]!;
        d = g[2]!;
      } else {
        if (order === undefined) return Number.NaN;
        if (len[2] !== 4 && len[2] !== 2) return Number.NaN;
        y = len[2] === 2 ? twoDigitYear(g[2]!) : g[2]!;
        if (order === "dmy") {
          d = g[0]!;
          mo = g[1]!;
        } else {
          mo = g[0]!;
          d = g[1]!;
        }
      }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return Number.NaN;
    let h = 0, mi = 0, sec = 0;
    if (count > 3) {
      if (count < 5) return Number.NaN;
      h = g[3]!;
      mi = g[4]!;
      sec = count > 5 ? g[5]! : 0;
      if (count > 6) return Number.NaN;
      if (pm >= 0) {
        if (h < 1 || h > 12) return Number.NaN;
        h = (h % 12) + (pm === 1 ? 12 : 0);
      }
      if (h > 23 || mi > 59 || sec > 60) return Number.NaN;
    } else if (pm >= 0 || !Number.isNaN(offsetMin)) return Number.NaN;
    if (Number.isNaN(offsetMin)) return epochDay(y, mo, d);
    // epoch-day arithmetic, not Date.UTC, which reads years 0-99 as 1900-1999; a leap second
    // (23:59:60Z, the last second of its day) counts as the second before it: added whole, it
    // moved a New Year's Eve order into the next year
    return toDay(epochDay(y, mo, d) * 86_400_000 + ((h * 60 + mi - offsetMin) * 60 + Math.min(sec, 59.999)) * 1000);
  };
}

/** A 2-digit year: 70-99 -> 1970-1999, 00-69 -> 2000-2069. */
function twoDigitYear(yy: number): number {
  return yy < 70 ? 2000 + yy : 1900 + yy;
}

/** White space around a date: ASCII controls and space, no-break spaces (U+00A0, U+202F) and U+FEFF. */
function isPad(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x202f || c === 0xfeff;
}
