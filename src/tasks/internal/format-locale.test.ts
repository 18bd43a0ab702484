import { describe, expect, it } from "vitest";
import { formatChangePct, formatDate, formatMoney, formatNumber, formatPercent } from "./format-locale.ts";

describe("format-locale", () => {
  it("en-US and he-IL numbers, percentages and changes", () => {
    expect(formatNumber("en", 1234567.891, 1)).toBe("1,234,567.9");
    expect(formatNumber("he", 1234.5, 0)).toBe("1,235");
    expect(formatNumber("en", Number.NaN)).toBe("–");
    expect(formatPercent("en", 0.1234, 1)).toBe("12.3%");
    expect(formatChangePct("en", 0.1234, 1)).toBe("+12.3%");
    expect(formatChangePct("en", -0.05, 1)).toBe("−5%");
    // a change that rounds to zero: ±0%, as the briefs' other changes (the JSON said ±0%, the Markdown 0%)
    expect(formatChangePct("en", 0, 1)).toBe("±0%");
    expect(formatChangePct("en", -0.0001, 1)).toBe("±0%");
  });

  it("money: the currency when it is an ISO code, else a plain number", () => {
    expect(formatMoney("en", 1234.5, "USD")).toBe("$1,235");
    expect(formatMoney("en", 8.5, "usd", 2)).toBe("$8.50");
    expect(formatMoney("he", 1234, "ILS")).toBe("\u200f1,234\u00a0\u200f₪");
    expect(formatMoney("en", 1234, undefined)).toBe("1,234");
    expect(formatMoney("en", 1234, "dollars")).toBe("1,234");
    // well-formed three-letter codes that are no ISO 4217 currency: a plain number (Intl printed "ABC 1,234")
    expect(formatMoney("en", 1234, "ABC")).toBe("1,234");
    expect(formatMoney("en", 1234, "pts")).toBe("1,234");
    expect(formatMoney("he", undefined, "ILS")).toBe("–");
  });

  it("dates are days in UTC, whatever the process time zone", () => {
    expect(formatDate("en", "2026-10-05")).toBe("Oct 5, 2026");
    expect(formatDate("he", "2026-10-05")).toBe("5 באוק׳ 2026");
    // the years 0-99 are themselves (Date.UTC read them as 1900-1999)
    expect(formatDate("en", "0026-03-05")).not.toContain("1926");
    expect(formatDate("en", "0026-03-05")).toBe(new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(-61_341_235_200_000)));
    expect(formatDate("en", "2026-01-01")).toBe("Jan 1, 2026");
    expect(formatDate("en", "not a day")).toBe("not a day");
    expect(formatDate("en", undefined)).toBe("–");
  });
});
