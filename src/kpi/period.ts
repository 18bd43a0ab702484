import { civilFromEpochDay } from "../data/civil-from-epoch-day.ts";
import { epochDay } from "../data/epoch-day.ts";
import { yearText } from "../data/internal/year-text.ts";
import { formatDay } from "../data/format-day.ts";
import { OrderpulseError } from "../data/errors.ts";
import { checkEnum, checkInt, optionsObject } from "../data/internal/check.ts";

/** Calendar period units. `fiscal` is a year starting in `fiscalYearStartMonth`. */
export type PeriodUnit = "day" | "week" | "month" | "quarter" | "year" | "fiscal";

/** How days group into periods. */
export interface PeriodSpec {
  /** The unit. */
  readonly unit: PeriodUnit;
  /** First day of a week: 1 Monday (ISO, default) or 0 Sunday (Israel, US). */
  readonly weekStartsOn: 0 | 1;
  /** First month (1..12) of the fiscal year; default 1. A fiscal year is named by the calendar year it ends in. */
  readonly fiscalYearStartMonth: number;
}

/** @internal Every period unit, in size order. */
export const PERIOD_UNITS: readonly PeriodUnit[] = ["day", "week", "month", "quarter", "year", "fiscal"];
const SPEC_KEYS: Readonly<Record<keyof PeriodSpec, true>> = { unit: true, weekStartsOn: true, fiscalYearStartMonth: true };

/** One period: its ordinal, label and inclusive day bounds. */
export interface PeriodInfo {
  /** Ordinal: consecutive periods have consecutive ordinals. */
  readonly index: number;
  /** Label: `2026-11-23`, `2026-W48` (Monday weeks, ISO) or `2026-11-22` (Sunday weeks: the start day), `2026-11`, `2026-Q4`, `2026`, `FY2027`. */
  readonly label: string;
  /** First day (epoch day). */
  readonly start: number;
  /** Last day (epoch day, inclusive). */
  readonly end: number;
}

/**
 * The ordinal of the period holding an epoch day: integer arithmetic, no Date objects (this
 * runs once per distinct day of a dataset).
 * @internal
 */
export function periodIndex(day: number, spec: PeriodSpec): number {
  switch (spec.unit) {
    case "day":
      return day;
    case "week":
      // epoch day 0 is a Thursday: Monday-start weeks begin at day -3, Sunday-start at day -4
      return Math.floor((day + (spec.weekStartsOn === 1 ? 3 : 4)) / 7);
    default: {
      const [y, m] = civilFromEpochDay(day);
      if (spec.unit === "month") return y * 12 + m - 1;
      if (spec.unit === "quarter") return y * 4 + Math.floor((m - 1) / 3);
      if (spec.unit === "year") return y;
      const s = spec.fiscalYearStartMonth;
      return s === 1 || m < s ? y : y + 1;
    }
  }
}

/** @internal Calendar months, for day arithmetic by month ({@link periodIndex}, {@link periodBounds}); the week and fiscal fields are unused. */
export const MONTHS: PeriodSpec = { unit: "month", weekStartsOn: 1, fiscalYearStartMonth: 1 };

/** @internal Inclusive day bounds of a period ordinal. */
export function periodBounds(index: number, spec: PeriodSpec): { start: number; end: number } {
  switch (spec.unit) {
    case "day":
      return { start: index, end: index };
    case "week": {
      const start = index * 7 - (spec.weekStartsOn === 1 ? 3 : 4);
      return { start, end: start + 6 };
    }
    case "month": {
      const y = Math.floor(index / 12);
      const m = index - y * 12 + 1;
      return { start: epochDay(y, m, 1), end: epochDay(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1 };
    }
    case "quarter": {
      const y = Math.floor(index / 4);
      const q = index - y * 4;
      return { start: epochDay(y, q * 3 + 1, 1), end: epochDay(q === 3 ? y + 1 : y, q === 3 ? 1 : q * 3 + 4, 1) - 1 };
    }
    case "year":
      return { start: epochDay(index, 1, 1), end: epochDay(index + 1, 1, 1) - 1 };
    case "fiscal": {
      const s = spec.fiscalYearStartMonth;
      const startYear = s === 1 ? index : index - 1;
      return { start: epochDay(startYear, s, 1), end: epochDay(startYear + 1, s, 1) - 1 };
    }
  }
}

/** @internal Label of a period ordinal. */
export function periodLabel(index: number, spec: PeriodSpec): string {
  switch (spec.unit) {
    case "day":
      return formatDay(index);
    case "week": {
      const { start } = periodBounds(index, spec);
      if (spec.weekStartsOn === 0) return formatDay(start);
      // ISO week: the week's Thursday decides the year
      const thursday = start + 3;
      const [y] = civilFromEpochDay(thursday);
      const week = Math.floor((thursday - epochDay(y, 1, 1)) / 7) + 1;
      return `${yearText(y)}-W${week < 10 ? "0" : ""}${week}`;
    }
    case "month": {
      const y = Math.floor(index / 12);
      const m = index - y * 12 + 1;
      return `${yearText(y)}-${m < 10 ? "0" : ""}${m}`;
    }
    case "quarter": {
      const y = Math.floor(index / 4);
      return `${yearText(y)}-Q${index - y * 4 + 1}`;
    }
    case "year":
      return yearText(index);
    case "fiscal":
      return `FY${yearText(index)}`;
  }
}

/**
 * The period holding a day: ordinal, label and bounds. Weeks start on Monday (ISO, labelled
 * `2026-W48`) or Sunday (labelled by their first day); a fiscal year starting in month `s` is
 * named by the calendar year it ends in (`FY2027` = 2026-07-01 .. 2027-06-30 for `s = 7`).
 *
 * @param day - epoch day (an integer)
 * @param spec - unit, week start (default 1, Monday) and fiscal start month (default 1)
 * @returns the period
 * @throws {OrderpulseError} `INVALID_OPTION` for a day that is not an integer, an unknown unit,
 *   a week start other than 0 or 1, a fiscal start month outside 1..12, or an unknown spec key
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { epochDay, formatDay, periodOf } from "orderpulse";
 * const p = periodOf(epochDay(2026, 11, 23), { unit: "week", weekStartsOn: 1, fiscalYearStartMonth: 1 });
 * assert.equal(p.label, "2026-W48");
 * assert.equal(formatDay(p.start), "2026-11-23");
 * const fy = periodOf(epochDay(2026, 8, 1), { unit: "fiscal", weekStartsOn: 1, fiscalYearStartMonth: 7 });
 * assert.equal(fy.label, "FY2027");
 * ```
 */
export function periodOf(day: number, spec: PeriodSpec): PeriodInfo {
  // checked: a week start of 9 or none gave Sunday bounds under an ISO label, a fiscal month of 13
  // calendar years, an unknown unit a TypeError
  const fn = "periodOf";
  const o = optionsObject(spec, fn, SPEC_KEYS);
  if (!Number.isInteger(day)) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option day: expected an integer epoch day, got ${String(day)}`, { option: "day", value: day });
  checkEnum({ unit: o["unit"] ?? null }, "unit", PERIOD_UNITS, fn); // required
  checkEnum(o, "weekStartsOn", [0, 1], fn);
  checkInt(o, "fiscalYearStartMonth", 1, 12, fn);
  if (spec.weekStartsOn === undefined || spec.fiscalYearStartMonth === undefined) spec = { unit: spec.unit, weekStartsOn: spec.weekStartsOn ?? 1, fiscalYearStartMonth: spec.fiscalYearStartMonth ?? 1 };
  const index = periodIndex(day, spec);
  const { start, end } = periodBounds(index, spec);
  return { index, label: periodLabel(index, spec), start, end };
}
