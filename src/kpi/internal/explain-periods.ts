import { epochDay } from "../../data/epoch-day.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { parseDay } from "../../data/parse-day.ts";
import { periodOf, type PeriodInfo, type PeriodSpec } from "../period.ts";

const LABEL_FORMS: Record<PeriodSpec["unit"], string> = {
  day: "YYYY-MM-DD",
  week: "YYYY-Www (Monday weeks) or the week's first day",
  month: "YYYY-MM",
  quarter: "YYYY-Qn",
  year: "YYYY",
  fiscal: "FYyyyy",
};

/** A day inside the period a label names (the label is checked afterwards by round-trip). */
function candidateDay(label: string): number | undefined {
  let m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) {
    const mo = Number(m[2]);
    return mo >= 1 && mo <= 12 ? epochDay(Number(m[1]), mo, 1) : undefined;
  }
  m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (m) return epochDay(Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 1);
  m = /^(\d{4})-W(\d{2})$/.exec(label);
  // ISO week 1 holds January 4th
  if (m) return epochDay(Number(m[1]), 1, 4) + (Number(m[2]) - 1) * 7;
  m = /^(?:FY)?(\d{4})$/.exec(label);
  // January 1st lies in calendar year y and in the fiscal year ending in y, whatever its start
  if (m) return epochDay(Number(m[1]), 1, 1);
  return undefined;
}

/**
 * @internal The period a `from` / `to` option names: a period label of the requested unit
 * (`2026-09`, `2026-Q3`, `2026-W37`, `2026`, `FY2027`) or any `YYYY-MM-DD` day inside it.
 * @throws {OrderpulseError} `INVALID_OPTION` when it is neither
 */
export function resolvePeriod(input: string, spec: PeriodSpec, option: "from" | "to"): PeriodInfo {
  const text = input.trim().toUpperCase();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return periodOf(parseDay(text, option), spec);
  const day = candidateDay(text);
  if (day !== undefined) {
    const p = periodOf(day, spec);
    if (p.label === text) return p;
  }
  throw new OrderpulseError(
    "INVALID_OPTION",
    `explainKpiChange: ${option} "${input}" is not a ${spec.unit} label (${LABEL_FORMS[spec.unit]}) nor a YYYY-MM-DD day`,
    { option, value: input },
  );
}
