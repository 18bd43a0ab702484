import { describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { epochDay } from "./epoch-day.ts";
import { formatDay } from "./format-day.ts";
import { type Holiday, type IsraeliHolidayOptions, israeliHolidays } from "./israeli-holidays.ts";

// ICU's Hebrew calendar (full ICU ships with Node 20), used only as an independent oracle.
const icuFormat = new Intl.DateTimeFormat("en-u-ca-hebrew", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });
function icu(day: number): { month: string; day: number; year: number } {
  const parts = icuFormat.formatToParts(new Date(day * 86_400_000));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return { month: get("month"), day: Number(get("day")), year: Number(get("year")) };
}

const ALL: IsraeliHolidayOptions = { includeCholHamoed: true, includeEve: true, includeNational: true };
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
const weekday = (day: number): string => DAY_NAMES[(((day + 4) % 7) + 7) % 7]!;

/** Expected ICU (month, day) of every holiday but Yom HaAtzmaut (which moves). */
const EXPECTED: Record<string, readonly [string, number]> = {
  erev_rosh_hashanah: ["Elul", 29],
  rosh_hashanah_1: ["Tishri", 1],
  rosh_hashanah_2: ["Tishri", 2],
  erev_yom_kippur: ["Tishri", 9],
  yom_kippur: ["Tishri", 10],
  erev_sukkot: ["Tishri", 14],
  sukkot: ["Tishri", 15],
  chol_hamoed_sukkot_1: ["Tishri", 16],
  chol_hamoed_sukkot_2: ["Tishri", 17],
  chol_hamoed_sukkot_3: ["Tishri", 18],
  chol_hamoed_sukkot_4: ["Tishri", 19],
  chol_hamoed_sukkot_5: ["Tishri", 20],
  hoshana_rabbah: ["Tishri", 21],
  shemini_atzeret: ["Tishri", 22],
  erev_pesach: ["Nisan", 14],
  pesach_1: ["Nisan", 15],
  chol_hamoed_pesach_1: ["Nisan", 16],
  chol_hamoed_pesach_2: ["Nisan", 17],
  chol_hamoed_pesach_3: ["Nisan", 18],
  chol_hamoed_pesach_4: ["Nisan", 19],
  chol_hamoed_pesach_5: ["Nisan", 20],
  pesach_7: ["Nisan", 21],
  erev_shavuot: ["Sivan", 5],
  shavuot: ["Sivan", 6],
};
const YOM_TOV = ["rosh_hashanah_1", "rosh_hashanah_2", "yom_kippur", "sukkot", "shemini_atzeret", "pesach_1", "pesach_7", "shavuot"];

function dayOf(list: readonly Holiday[], name: string, year: number): string | undefined {
  return list.find((h) => h.name === name && h.day.startsWith(`${year}-`))?.day;
}

describe("israeliHolidays", () => {
  it("hand-checked dates for 2024-2026", () => {
    const h = israeliHolidays(2024, 2026);
    expect(dayOf(h, "rosh_hashanah_1", 2025)).toBe("2025-09-23"); // 5786
    expect(dayOf(h, "rosh_hashanah_1", 2026)).toBe("2026-09-12"); // 5787
    expect(dayOf(h, "rosh_hashanah_2", 2025)).toBe("2025-09-24");
    expect(dayOf(h, "yom_kippur", 2025)).toBe("2025-10-02");
    expect(dayOf(h, "yom_kippur", 2026)).toBe("2026-09-21");
    expect(dayOf(h, "pesach_1", 2025)).toBe("2025-04-13");
    expect(dayOf(h, "pesach_1", 2026)).toBe("2026-04-02");
    expect(dayOf(h, "shavuot", 2025)).toBe("2025-06-02");
    expect(dayOf(h, "shavuot", 2026)).toBe("2026-05-22");
    expect(dayOf(h, "sukkot", 2025)).toBe("2025-10-07");
    expect(dayOf(h, "yom_haatzmaut", 2024)).toBe("2024-05-14"); // 5 Iyar a Monday -> Tuesday
    expect(dayOf(h, "yom_haatzmaut", 2025)).toBe("2025-05-01"); // 5 Iyar a Saturday -> Thursday
    expect(dayOf(h, "yom_haatzmaut", 2026)).toBe("2026-04-22"); // 5 Iyar a Wednesday, stays
  });

  it("the full 2025 default list, with kinds and Hebrew names", () => {
    expect(israeliHolidays(2025, 2025).map((h) => [h.day, h.name, h.kind, h.hebrewName])).toEqual([
      ["2025-04-13", "pesach_1", "yom_tov", "פסח"],
      ["2025-04-19", "pesach_7", "yom_tov", "שביעי של פסח"],
      ["2025-05-01", "yom_haatzmaut", "national", "יום העצמאות"],
      ["2025-06-02", "shavuot", "yom_tov", "שבועות"],
      ["2025-09-23", "rosh_hashanah_1", "yom_tov", "ראש השנה א׳"],
      ["2025-09-24", "rosh_hashanah_2", "yom_tov", "ראש השנה ב׳"],
      ["2025-10-02", "yom_kippur", "yom_tov", "יום כיפור"],
      ["2025-10-07", "sukkot", "yom_tov", "סוכות"],
      ["2025-10-14", "shemini_atzeret", "yom_tov", "שמיני עצרת / שמחת תורה"],
    ]);
  });

  it("options: default is yom tov + national; chol hamoed and eves on request; national can be dropped", () => {
    const kinds = (o?: IsraeliHolidayOptions): string[] => [...new Set(israeliHolidays(2026, 2026, o).map((h) => h.kind))].sort();
    expect(kinds()).toEqual(["national", "yom_tov"]);
    expect(kinds({})).toEqual(["national", "yom_tov"]);
    expect(kinds({ includeNational: undefined, includeEve: undefined, includeCholHamoed: undefined })).toEqual(["national", "yom_tov"]);
    expect(kinds({ includeNational: false })).toEqual(["yom_tov"]);
    expect(kinds(ALL)).toEqual(["chol_hamoed", "erev", "national", "yom_tov"]);
    const all = israeliHolidays(2026, 2026, ALL);
    expect(all.filter((h) => h.kind === "chol_hamoed").map((h) => h.day)).toEqual([
      "2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06", "2026-04-07",
      "2026-09-27", "2026-09-28", "2026-09-29", "2026-09-30", "2026-10-01", "2026-10-02",
    ]);
    expect(all.filter((h) => h.kind === "erev").map((h) => `${h.day} ${h.name}`)).toEqual([
      "2026-04-01 erev_pesach",
      "2026-05-21 erev_shavuot",
      "2026-09-11 erev_rosh_hashanah",
      "2026-09-20 erev_yom_kippur",
      "2026-09-25 erev_sukkot",
    ]);
  });

  it("Yom HaAtzmaut: none before 1949; on Monday 5 Iyar stays Monday before 2004", () => {
    expect(israeliHolidays(1900, 1948).some((h) => h.name === "yom_haatzmaut")).toBe(false);
    expect(dayOf(israeliHolidays(1949, 1949), "yom_haatzmaut", 1949)).toBe("1949-05-04"); // 5 Iyar 5709, a Wednesday
    expect(dayOf(israeliHolidays(1997, 1997), "yom_haatzmaut", 1997)).toBe("1997-05-12"); // 5 Iyar 5757, a Monday
    expect(dayOf(israeliHolidays(2004, 2004), "yom_haatzmaut", 2004)).toBe("2004-04-27"); // 5 Iyar 5764 a Monday -> Tuesday
  });

  it("sorted by day, day = formatDay(epochDay), one holiday per day, range bounds respected", () => {
    const h = israeliHolidays(1900, 2200, ALL);
    for (let i = 0; i < h.length; i++) {
      const x = h[i]!;
      expect(x.day).toBe(formatDay(x.epochDay));
      if (i > 0) expect(x.epochDay).toBeGreaterThan(h[i - 1]!.epochDay);
    }
    expect(h[0]!.epochDay).toBeGreaterThanOrEqual(epochDay(1900, 1, 1));
    expect(h[h.length - 1]!.epochDay).toBeLessThanOrEqual(epochDay(2200, 12, 31));
    // a range is the concatenation of its years
    expect(israeliHolidays(2030, 2032, ALL)).toEqual([...israeliHolidays(2030, 2030, ALL), ...israeliHolidays(2031, 2031, ALL), ...israeliHolidays(2032, 2032, ALL)]);
  });

  it("differential vs ICU's Hebrew calendar, every Gregorian year 1900..2200 (covers 1950..2100): month and day of every holiday; each holiday exactly once a year", () => {
    const all = israeliHolidays(1900, 2200, ALL);
    const perYear = new Map<number, Map<string, number>>();
    let checked = 0;
    for (const h of all) {
      const year = Number(h.day.slice(0, 4));
      const counts = perYear.get(year) ?? new Map<string, number>();
      perYear.set(year, counts);
      counts.set(h.name, (counts.get(h.name) ?? 0) + 1);
      const got = icu(h.epochDay);
      if (h.name === "yom_haatzmaut") {
        // 5 Iyar, or 3/4 Iyar (advanced to Thursday), or 6 Iyar (postponed to Tuesday, from 2004)
        expect(got.month, h.day).toBe("Iyar");
        const wd = weekday(h.epochDay);
        if (got.day === 5) expect(["Monday", "Wednesday"], h.day).toContain(wd);
        else if (got.day === 3 || got.day === 4) expect(wd, h.day).toBe("Thursday");
        else expect([got.day, wd, year >= 2004], h.day).toEqual([6, "Tuesday", true]);
        if (got.day === 5 && wd === "Monday") expect(year, h.day).toBeLessThan(2004);
      } else {
        const want = EXPECTED[h.name];
        expect(want, h.name).toBeDefined();
        expect([got.month, got.day], `${h.day} ${h.name}`).toEqual(want);
      }
      checked++;
    }
    expect(checked).toBe(all.length);
    for (let year = 1900; year <= 2200; year++) {
      const counts = perYear.get(year);
      const names = [...Object.keys(EXPECTED), ...(year >= 1949 ? ["yom_haatzmaut"] : [])].sort();
      expect([...(counts?.keys() ?? [])].sort(), String(year)).toEqual(names);
      for (const n of names) expect(counts?.get(n), `${year} ${n}`).toBe(1);
    }
    // The default set for 1950..2100: 8 yom tov days + Yom HaAtzmaut per year, ICU-checked.
    const def = israeliHolidays(1950, 2100);
    expect(def.length).toBe(151 * 9);
    for (const h of def) if (YOM_TOV.includes(h.name)) expect([icu(h.epochDay).month, icu(h.epochDay).day]).toEqual(EXPECTED[h.name]);
  });

  it("Hebrew year lengths (and leap years, Heshvan/Kislev lengths) agree with ICU, A.M. 5661..5960", () => {
    // ICU's own 1 Tishrei of each Gregorian year, found by scanning September and early October.
    const icuNewYear = new Map<number, number>();
    for (let y = 1900; y <= 2200; y++) {
      for (let d = epochDay(y, 9, 1); d <= epochDay(y, 10, 10); d++) {
        const g = icu(d);
        if (g.month === "Tishri" && g.day === 1) {
          icuNewYear.set(g.year, d);
          break;
        }
      }
    }
    expect(icuNewYear.size).toBe(301);
    const ours = new Map<number, number>();
    const pesach = new Map<number, number>();
    for (const h of israeliHolidays(1900, 2200)) {
      if (h.name === "rosh_hashanah_1") ours.set(Number(h.day.slice(0, 4)) + 3761, h.epochDay);
      if (h.name === "pesach_1") pesach.set(Number(h.day.slice(0, 4)) + 3760, h.epochDay);
    }
    const seen = new Set<number>();
    for (let hy = 5661; hy <= 5960; hy++) {
      const length = ours.get(hy + 1)! - ours.get(hy)!;
      expect(length, String(hy)).toBe(icuNewYear.get(hy + 1)! - icuNewYear.get(hy)!);
      expect([353, 354, 355, 383, 384, 385], String(hy)).toContain(length);
      seen.add(length);
      const leap = length > 355;
      expect(leap, String(hy)).toBe((7 * hy + 1) % 19 < 7);
      // 14 Adar (Purim) is in Adar II in a leap year
      expect(icu(pesach.get(hy)! - 30), String(hy)).toEqual({ month: leap ? "Adar II" : "Adar", day: 14, year: hy });
      // Heshvan has 30 days in a complete year; Kislev 29 in a deficient one
      const ny = ours.get(hy)!;
      expect(icu(ny + 59).month, String(hy)).toBe(length % 10 === 5 ? "Heshvan" : "Kislev");
      expect(icu(ny + 88), String(hy)).toEqual(length % 10 === 3 ? { month: "Tevet", day: 1, year: hy } : { month: "Kislev", day: length % 10 === 5 ? 29 : 30, year: hy });
      // Rosh Hashanah never on Sunday, Wednesday or Friday; Pesach never on Monday, Wednesday or Friday
      expect(["Monday", "Tuesday", "Thursday", "Saturday"]).toContain(weekday(ny));
      expect(["Sunday", "Tuesday", "Thursday", "Saturday"]).toContain(weekday(pesach.get(hy)!));
    }
    expect([...seen].sort()).toEqual([353, 354, 355, 383, 384, 385]);
  });

  it("invalid years and options throw INVALID_OPTION", () => {
    expectInvalid(() => israeliHolidays(2025.5, 2026), "fromYear");
    expectInvalid(() => israeliHolidays(2025, 2026.5), "toYear");
    expectInvalid(() => israeliHolidays(Number.NaN, 2026), "fromYear");
    expectInvalid(() => israeliHolidays("2025" as unknown as number, 2026), "fromYear");
    expectInvalid(() => israeliHolidays(1899, 2026), "fromYear");
    // both years are required (review 2026-12-07: a missing one returned no holiday, without a word)
    expectInvalid(() => (israeliHolidays as (a?: number, b?: number) => unknown)(2025), "toYear");
    expectInvalid(() => (israeliHolidays as (a?: number, b?: number) => unknown)(), "fromYear");
    expectInvalid(() => (israeliHolidays as (a?: number, b?: number) => unknown)(undefined, 2025), "fromYear");
    expectInvalid(() => israeliHolidays(2025, 2201), "toYear");
    expectInvalid(() => israeliHolidays(2027, 2026), "toYear");
    expectInvalid(() => israeliHolidays(2025, 2025, null as unknown as IsraeliHolidayOptions), "options");
    expectInvalid(() => israeliHolidays(2025, 2025, 5 as unknown as IsraeliHolidayOptions), "options");
    expectInvalid(() => israeliHolidays(2025, 2025, [] as unknown as IsraeliHolidayOptions), "options");
    expectInvalid(() => israeliHolidays(2025, 2025, { includeEve: "yes" } as unknown as IsraeliHolidayOptions), "includeEve");
    expectInvalid(() => israeliHolidays(2025, 2025, { includeCholHamoed: 1 } as unknown as IsraeliHolidayOptions), "includeCholHamoed");
    expectInvalid(() => israeliHolidays(2025, 2025, { includeNational: null } as unknown as IsraeliHolidayOptions), "includeNational");
    expect(israeliHolidays(1900, 1900).length).toBe(8);
    expect(israeliHolidays(2200, 2200).length).toBe(9);
  });
});
