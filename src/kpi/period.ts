import { civilFromEpochDay } from "../data/civil-from-epoch-day.ts";
import { epochDay } from "../data/epoch-day.ts";
import { yearText } from "../data/internal/year-text.ts";
import { formatDay } from "../data/format-day.ts";

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
 * @param day - epoch day
 * @param spec - unit, week start and fiscal start month
 * @returns the period
 * @throws never
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
  const index = periodIndex(day, spec);
  const { start, end } = periodBounds(index, spec);
  return { index, label: periodLabel(index, spec), start, end };
}
