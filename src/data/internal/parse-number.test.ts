import { describe, expect, it } from "vitest";
import { parseNumber } from "./parse-number.ts";

describe("parseNumber", () => {
  it("parses plain and signed decimals", () => {
    expect(parseNumber("12.5", false)).toBe(12.5);
    expect(parseNumber(" -3 ", false)).toBe(-3);
    expect(parseNumber("+0.25", false)).toBe(0.25);
    expect(parseNumber(".5", false)).toBe(0.5);
    expect(parseNumber("1e3", false)).toBe(1000);
    expect(parseNumber("2.5E-2", false)).toBe(0.025);
    expect(parseNumber(7, false)).toBe(7);
  });
  it("accepts well-formed grouping only", () => {
    expect(parseNumber("1,234.56", false)).toBe(1234.56);
    expect(parseNumber("1,234,567", false)).toBe(1234567);
    expect(parseNumber("12,34", false)).toBeNaN();
    expect(parseNumber("1234,567", false)).toBeNaN();
    expect(parseNumber("1.234,56", true)).toBe(1234.56);
    expect(parseNumber("1 234,5", true)).toBe(1234.5);
    expect(parseNumber("3,75", true)).toBe(3.75);
    expect(parseNumber("3.75", true)).toBeNaN();
    // a first group of 0 is no thousands group (review 2026-12-07: "0,125" read 125, "0.125" with decimalComma 125)
    for (const s of ["0,125", "0,500", "-0,500", "+0,125", "00,125"]) expect(parseNumber(s, false), s).toBeNaN();
    expect(parseNumber("0.125", true)).toBeNaN();
    expect([parseNumber("0.125", false), parseNumber("0,125", true), parseNumber("10,125", false), parseNumber("0", false)]).toEqual([0.125, 0.125, 10125, 0]);
  });
  it("rejects everything else", () => {
    for (const s of ["", "  ", "abc", "0x10", "$12", "12$", "1.2.3", "-", "1e", "e5", "NaN", "Infinity", "1_000"]) {
      expect(parseNumber(s, false), s).toBeNaN();
    }
    expect(parseNumber(Number.POSITIVE_INFINITY, false)).toBeNaN();
  });
  it("rejects text that overflows to Infinity", () => {
    for (const s of ["1e400", "-1e400", "1e999", " 1e400 ", "+1e309", "1,000e400", "9".repeat(400)]) {
      expect(parseNumber(s, false), s).toBeNaN();
    }
    for (const s of ["1e400", "-1,5e400", "1.000e999"]) expect(parseNumber(s, true), s).toBeNaN();
    expect(parseNumber("1e308", false)).toBe(1e308);
    expect(parseNumber("1e-400", false)).toBe(0);
    expect(parseNumber(null, false)).toBeNaN();
    expect(parseNumber(true, false)).toBeNaN();
  });
});

describe("parseNumber fast path", () => {
  it("equals Number() bit for bit on plain decimals", async () => {
    const fc = (await import("fast-check")).default;
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (m, k) => {
        const s = k === 0 ? String(m) : (m / 10 ** k).toFixed(k);
        expect(Object.is(parseNumber(s, false), Number(s))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(Object.is(parseNumber("-0", false), -0)).toBe(true);
    expect(parseNumber("0.1", false)).toBe(0.1);
    expect(parseNumber("123456789012345", false)).toBe(123456789012345);
  });
});
