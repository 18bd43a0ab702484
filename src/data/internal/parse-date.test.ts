import { describe, expect, it } from "vitest";
import { epochDay } from "../epoch-day.ts";
import { compileDateParser } from "./parse-date.ts";

const day = (y: number, m: number, d: number): number => epochDay(y, m, d);

describe("compileDateParser", () => {
  const iso = compileDateParser("auto", "UTC");
  it("reads ISO dates and datetimes", () => {
    expect(iso("2026-11-23")).toBe(day(2026, 11, 23));
    expect(iso(" 2026-11-23 ")).toBe(day(2026, 11, 23));
    expect(iso("2026/11/23")).toBe(day(2026, 11, 23));
    expect(iso("20261123")).toBe(day(2026, 11, 23));
    expect(iso(20261123)).toBe(day(2026, 11, 23));
    expect(iso("2010-12-01 08:26:00")).toBe(day(2010, 12, 1));
    expect(iso("2010-12-01T23:59:59.123")).toBe(day(2010, 12, 1));
    expect(iso("2010-12-01T23:30:00Z")).toBe(day(2010, 12, 1));
    expect(iso("2010-12-01T23:30:00+02:00")).toBe(day(2010, 12, 1));
    expect(iso("2010-12-01T01:30:00+02:00")).toBe(day(2010, 11, 30));
  });
  it("rejects invalid calendar values and garbage", () => {
    for (const v of ["2026-02-29", "2026-13-01", "2026-00-10", "2026-01-32", "x", "", "2026-11", "2026-11-23 25:00", "12/1/2010", "2026-11/23", null, undefined, 1.5]) {
      expect(iso(v), String(v)).toBeNaN();
    }
    expect(iso("2024-02-29")).toBe(day(2024, 2, 29));
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
  it("throws on bad options", () => {
    expect(() => compileDateParser("auto", "Mars/Base")).toThrow(/time zone/);
    expect(() => compileDateParser("yyyy", "UTC")).toThrow(/dateFormat/);
  });
});
