import { describe, expect, it } from "vitest";
import { epochDay } from "../epoch-day.ts";
import { compileDateParser } from "./parse-date.ts";

const day = (y: number, m: number, d: number): number => epochDay(y, m, d);

describe("compileDateParser", () => {
  const iso = compileDateParser("auto", "UTC");
  it("reads ISO dates and datetimes", () => {
    expect(iso("2026-11-23")).toBe(day(2026, 11, 23));
    expect(iso(" 2026-11-23 ")).toBe(day(2026, 11, 23));
    // no-break spaces and a BOM around it, as the numbers of the same row (it was rejected)
    expect(iso("2026-11-23\u00a0")).toBe(day(2026, 11, 23));
    expect(iso("\u202f\ufeff2026-11-23T10:00:00Z\u00a0")).toBe(day(2026, 11, 23));
    expect(iso("2026/11/23")).toBe(day(2026, 11, 23));
    expect(iso("20261123")).toBe(day(2026, 11, 23));
    expect(iso(20261123)).toBe(day(2026, 11, 23));
    expect(iso("2010-12-01 08:26:00")).toBe(day(2010, 12, 1));
    expect(iso("2010-12-01T23:59:59.123")).toBe(day(2010, 12, 1));
    expect(iso("2010-12-01T23:30:00Z")).toBe(day(2010, 12, 1));
    expect(iso("2010-12-01T23:30:00+02:00")).toBe(day(2010, 12, 1));
    expect(iso("2010-12-01T01:30:00+02:00")).toBe(day(2010, 11, 30));
    // a leap second is the last second of its day (it read as 2017-01-01); a lower-case t as z
    for (const x of ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5Z", "2016-12-31T23:59:60+00:00", "2017-01-01T01:59:60+02:00", "2016-12-31T23:59:60"]) expect(iso(x)).toBe(day(2016, 12, 31));
    expect(iso("2026-03-15t10:00:00Z")).toBe(day(2026, 3, 15));
    expect(iso("2026-03-15t23:30:00-02:00")).toBe(day(2026, 3, 16));
  });
  it("rejects invalid calendar values and garbage", () => {
    for (const v of ["2026-02-29", "2026-13-01", "2026-00-10", "2026-01-32", "x", "", "2026-11", "2026-11-23 25:00", "12/1/2010", "2026-11/23", null, undefined, 1.5]) {
      expect(iso(v), String(v)).toBeNaN();
    }
    expect(iso("2024-02-29")).toBe(day(2024, 2, 29));
    // offsets beyond a day, and separators without a number before them, are not dates (they
    // were read as a day several days away, or as the date without the stray separator)
    for (const v of ["2026-01-05T23:00:00+99:00", "2026-01-05T01:00:00-99:99", "2026-01-05T01:00:00+02:60", "-2026-01-05", "/2026/01/05", "2026--01--05", "2026-01-05-"]) {
      expect(iso(v), v).toBeNaN();
    }
    // a number group of 10+ digits wrapped in the Int32 groups and landed on a valid date
    for (const v of ["2026-01-4294967301", "2026-4294967297-05", "2026-01-05T4294967306:00Z", "2026-01-05 10:4294967326"]) expect(iso(v), v).toBeNaN();
    expect(iso("2026-01-05T23:00:00+23:59")).toBe(day(2026, 1, 4));
    expect(iso("2026-01-05T01:00:00-14:00")).toBe(day(2026, 1, 5));
  });
  it("reads day-first and month-first with times and AM/PM", () => {
    const dmy = compileDateParser("dmy", "UTC");
    const mdy = compileDateParser("mdy", "UTC");
    expect(dmy("31/12/2025")).toBe(day(2025, 12, 31));
    expect(dmy("1.2.25 14:05")).toBe(day(2025, 2, 1));
    expect(dmy("12/31/2025")).toBeNaN();
    expect(mdy("12/1/2010 8:26")).toBe(day(2010, 12, 1));
    expect(mdy("12/31/2025 2:05 PM")).toBe(day(2025, 12, 31));
    expect(mdy("2010-12-01 08:26:00")).toBe(day(2010, 12, 1));
    expect(compileDateParser("dd/MM/yyyy HH:mm", "UTC")("05/03/2024 10:00")).toBe(day(2024, 3, 5));
    expect(compileDateParser("MM-dd-yy", "UTC")("03-05-24")).toBe(day(2024, 3, 5));
  });
  it("maps instants to the calendar day of the time zone, wall times stay", () => {
    const jer = compileDateParser("auto", "Asia/Jerusalem");
    expect(jer("2026-01-01T23:30:00Z")).toBe(day(2026, 1, 2));
    expect(jer("2026-07-01T20:59:00Z")).toBe(day(2026, 7, 1)); // UTC+3 in summer
    expect(jer("2026-07-01T21:00:00Z")).toBe(day(2026, 7, 2));
    expect(jer("2026-01-01 23:30")).toBe(day(2026, 1, 1));
    expect(jer(new Date("2026-01-01T22:30:00Z"))).toBe(day(2026, 1, 2));
    const ny = compileDateParser("auto", "America/New_York");
    expect(ny(new Date("2026-01-02T03:00:00Z"))).toBe(day(2026, 1, 1));
  });
  it("accepts white space after Z as after any other form", () => {
    const jer = compileDateParser("auto", "Asia/Jerusalem");
    for (const v of [" 2026-01-05T23:00:00Z ", "2026-01-05T23:00:00Z\t", "2026-01-05T23:00z\r\n", "2026-01-05 23:00:00.5Z  "]) {
      expect(jer(v), JSON.stringify(v)).toBe(day(2026, 1, 6));
    }
    expect(iso("2026-01-05\t")).toBe(day(2026, 1, 5));
    expect(iso("2026-01-05T10:00:00\t")).toBe(day(2026, 1, 5));
    for (const v of ["2026-01-05T10:00:00Z x", "2026-01-05T10:00:00ZZ", "2026-01-05Z "]) expect(iso(v), v).toBeNaN();
  });
  it("reads year-first patterns with a 2-digit year (same pivot as day- and month-first)", () => {
    expect(compileDateParser("yy/MM/dd", "UTC")("26/01/05")).toBe(day(2026, 1, 5));
    expect(compileDateParser("yy-MM-dd", "UTC")("26-01-05")).toBe(day(2026, 1, 5));
    expect(compileDateParser("yy-MM-dd HH:mm", "UTC")("99-12-31 23:59")).toBe(day(1999, 12, 31));
    const ymd = compileDateParser("ymd", "UTC");
    expect(ymd("26/01/05")).toBe(day(2026, 1, 5));
    expect(ymd("70.01.05")).toBe(day(1970, 1, 5));
    expect(ymd("2026/01/05")).toBe(day(2026, 1, 5));
    for (const v of ["26/13/05", "26/02/29", "05/01/2026", "2/01/05", "260/01/05"]) expect(ymd(v), v).toBeNaN();
    expect(iso("26-01-05")).toBeNaN(); // auto never guesses a 2-digit year
  });
  it("maps instants in years 0-99 to those years, not to 1900-1999", () => {
    expect(iso("0099-03-01T12:00Z")).toBe(day(99, 3, 1));
    expect(iso("0001-01-01T00:00:00+00:00")).toBe(day(1, 1, 1));
    expect(iso("0050-06-15T01:00:00+02:00")).toBe(day(50, 6, 14));
    // a leap second is the last second of its day (until 2026-12-07 it rolled over, as Date.UTC does)
    expect(iso("2026-01-05T23:59:60Z")).toBe(day(2026, 1, 5));
    const jer = compileDateParser("auto", "Asia/Jerusalem");
    expect(jer("0099-03-01T23:00Z")).toBe(day(99, 3, 2));
    expect(jer(new Date("0099-03-01T12:00:00Z"))).toBe(day(99, 3, 1));
    expect(jer("2026-07-01T21:00:00Z")).toBe(day(2026, 7, 2));
  });
  it("reads historic offsets to the second and the year 0 (1 BC) in a time zone", () => {
    // Jerusalem's +2:20:54 before 1918, Monrovia's −0:44:30 (changed off a quarter hour in 1972):
    // 15 seconds after local midnight read as the day before when the offset lost its seconds
    expect(compileDateParser("auto", "Asia/Jerusalem")("1917-06-01T21:39:30Z")).toBe(day(1917, 6, 2));
    expect(compileDateParser("auto", "Africa/Monrovia")("1971-06-01T00:44:45Z")).toBe(day(1971, 6, 1));
    // the formatter's year has an era: 1 BC is the year 0, not 1
    expect(compileDateParser("auto", "America/New_York")("0000-06-01T12:00:00Z")).toBe(day(0, 6, 1));
  });
  it("throws on bad options", () => {
    expect(() => compileDateParser("auto", "Mars/Base")).toThrow(/time zone/);
    expect(() => compileDateParser("yyyy", "UTC")).toThrow(/dateFormat/);
    // patterns the parser cannot read (no separator, month names, two separators): they were
    // accepted, and every value rejected as invalid_date
    for (const f of ["ddMMyyyy", "yyMMdd", "MMddyyyy", "dd-MMM-yyyy", "d MMMM yyyy", "dd/MM-yyyy"]) expect(() => compileDateParser(f, "UTC"), f).toThrow(/dateFormat/);
    // the patterns it reads: one separator, yyyyMMdd, a time after a space or T
    const read = (f: string, v: string): string => new Date(compileDateParser(f, "UTC")(v) * 86_400_000).toISOString().slice(0, 10);
    expect(read("dd/MM/yyyy HH:mm", "31/12/2025 14:05")).toBe("2025-12-31");
    expect(read("MM/dd/yyyy h:mm a", "12/31/2025 2:05 PM")).toBe("2025-12-31");
    expect(read("d.M.yy", "31.12.25")).toBe("2025-12-31");
    expect(read("yyyyMMdd", "20251231")).toBe("2025-12-31");
    expect(read("yyyy-MM-ddTHH:mm:ss", "2025-12-31T14:05:00")).toBe("2025-12-31");
    // any time after a space, T or 'T' (fractions, a quoted T, a zone, AM): they read before
    expect(read("yyyy-MM-dd HH:mm:ss.SSS", "2025-12-31 14:05:00.123")).toBe("2025-12-31");
    expect(read("yyyy-MM-dd'T'HH:mm:ss", "2025-12-31T14:05:00")).toBe("2025-12-31");
    expect(read("yyyy-MM-ddTHH:mm:ssZ", "2025-12-31T14:05:00Z")).toBe("2025-12-31");
    expect(read("M/d/yyyy h:mm AM", "12/31/2025 2:05 PM")).toBe("2025-12-31");
  });
});
