import { lgamma } from "../../patterns/internal/lgamma.ts";
import type { History } from "./history.ts";
import { upperBound } from "../../data/internal/bounds.ts";
import { MONTHS, periodBounds, periodIndex } from "../../kpi/period.ts";

/** @internal Days of silence after which the static monthly report lists a customer. */
export const REPORT_SILENCE_DAYS: number = 90;
/** @internal Survival probability below which the naive rhythm rule flags. */
export const NAIVE_SURVIVAL: number = 1 / 2000;
/** @internal Gaps the naive rule fits its gamma to (the latest ones, at least 3). */
const NAIVE_GAPS: number = 10;
/** The smallest coefficient of variation the naive rule's gamma takes (equal gaps fit none). */
const NAIVE_MIN_CV: number = 0.1;

/** @internal What a baseline rule listed: per customer the days it was listed on, per silence the first listing. */
export interface BaselineFlags {
  /** Customer id → days listed, ascending. */
  readonly days: Map<string, number[]>;
  /** `customer:lastOrderDay` → first day that silence was listed. */
  readonly episodes: Map<string, { readonly customerId: string; readonly day: number }>;
}

/** @internal An empty set of baseline flags. */
export function emptyFlags(): BaselineFlags {
  return { days: new Map(), episodes: new Map() };
}

function list(flags: BaselineFlags, customerId: string, last: number, day: number): void {
  const d = flags.days.get(customerId);
  if (d === undefined) flags.days.set(customerId, [day]);
  else if (d[d.length - 1] !== day) d.push(day);
  const key = `${customerId}:${last}`;
  if (!flags.episodes.has(key)) flags.episodes.set(key, { customerId, day });
}

/** @internal The 1st of each month in [from, to], as epoch days. */
export function firstsOfMonth(from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = periodIndex(from, MONTHS); ; k++) {
    const day = periodBounds(k, MONTHS).start;
    if (day > to) return out;
    if (day >= from) out.push(day);
  }
}

/** @internal The day the static monthly report first lists a silence that began at `last` (if it lasts): the first 1st of a month at least 90 days after it. */
export function reportDay(last: number): number {
  const due = last + REPORT_SILENCE_DAYS;
  const month = periodIndex(due, MONTHS);
  return periodBounds(month, MONTHS).start === due ? due : periodBounds(month + 1, MONTHS).start;
}

/**
 * @internal The static monthly report as most distributors run it: on the 1st of each month in
 * [from, to], every customer whose last purchase (up to that day) is at least 90 days old.
 */
export function staticMonthlyReport(h: History, from: number, to: number): BaselineFlags {
  const flags = emptyFlags();
  const ids = h.view.ids.customers.values;
  for (const day of firstsOfMonth(from, to)) {
    for (let c = 0; c < h.days.length; c++) {
      const d = h.days[c]!;
      const n = upperBound(d, day);
      if (n === 0) continue;
      const last = d[n - 1]!;
      if (day - last >= REPORT_SILENCE_DAYS) list(flags, ids[c]!, last, day);
    }
  }
  return flags;
}

/**
 * @internal The naive own-rhythm rule at one as-of day: a gamma fitted by moments to the
 * customer's last 10 gaps (at least 3; their CV at least 0.1); flag when the current gap's
 * survival is below 1/2000.
 */
export function naiveRhythmStep(h: History, asOf: number, flags: BaselineFlags): void {
  const ids = h.view.ids.customers.values;
  for (let c = 0; c < h.days.length; c++) {
    const d = h.days[c]!;
    const n = upperBound(d, asOf);
    if (n < 4) continue;
    const k0 = Math.max(1, n - NAIVE_GAPS);
    let sum = 0;
    for (let k = k0; k < n; k++) sum += d[k]! - d[k - 1]!;
    const m = n - k0;
    const mean = sum / m;
    let ss = 0;
    for (let k = k0; k < n; k++) ss += (d[k]! - d[k - 1]! - mean) ** 2;
    // the gaps' CV floored at 0.1: equal recent gaps (a clockwork buyer's last ten weeks) fitted
    // no gamma and flagged the day after one mean gap (a weekly buyer on its 8th day, now its
    // 10th; until 2026-12-07, the rule 3-4 points less precise than a fitted gamma)
    const v = Math.max((NAIVE_MIN_CV * mean) ** 2, ss / (m - 1));
    const e = asOf - d[n - 1]!;
    const survival = gammaQ((mean * mean) / v, (mean / v) * e);
    if (survival < NAIVE_SURVIVAL) list(flags, ids[c]!, d[n - 1]!, asOf);
  }
}

/** @internal Regularized upper incomplete gamma Q(a, x) (series / continued fraction, Numerical Recipes 6.2). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lg = lgamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    let ap = a;
    for (let n = 0; n < 1000; n++) {
      ap++;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-14) break;
    }
    return Math.max(0, 1 - sum * Math.exp(-x + a * Math.log(x) - lg));
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return Math.exp(-x + a * Math.log(x) - lg) * h;
}
