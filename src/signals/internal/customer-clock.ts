import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import type { Dataset } from "../../data/dataset.ts";
import { epochDay } from "../../data/epoch-day.ts";
import type { CustomerRhythm } from "../../patterns/fit-interval-model.ts";
import { dayClosures, openDaysBetween, spansClosedMonth, type Closures } from "../../patterns/internal/customer-calendar.ts";
import { incompleteBeta, studentTCdf } from "../../patterns/internal/student-t.ts";

/**
 * @internal Shared private helpers of the customer-level detectors (customer_overdue,
 * frequency_drop): purchase days, the customer's clock as the interval model inferred it, and
 * the guards both use.
 */

/** @internal Distinct purchase days (a positive line) of customer index `c`, ascending. */
export function purchaseDays(view: Dataset, c: number): number[] {
  const { lines, customerStart, customerEnd } = view;
  const d: number[] = [];
  for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
    if (!(lines.quantity[i]! > 0)) continue;
    const day = lines.day[i]!;
    if (d.length === 0 || d[d.length - 1] !== day) d.push(day);
  }
  return d;
}

/**
 * @internal The customer's closures as the interval model reports them (closed months and
 * weekdays, seasonal intensity); the business calendar's holidays are not part of the rhythm and
 * are left out.
 */
export function rhythmClosures(r: CustomerRhythm): Closures {
  let months = 0, weekdays = 0;
  for (const m of r.closedMonths) months |= 1 << (m - 1);
  for (const w of r.closedWeekdays) weekdays |= 1 << w;
  const index = r.monthlyIndex as readonly number[] | undefined;
  const seasonal = index !== undefined && index.length === 12 && index.some((x) => Math.abs(x - 1) > 1e-9);
  return seasonal ? { months, weekdays, intensity: Float64Array.from(index) } : { months, weekdays };
}

/** @internal P(a gap of the customer is longer than `days` calendar-equivalent days) under its predictive Student-t. */
export function gapSurvival(r: CustomerRhythm, days: number): number {
  const p = r.posterior;
  if (p === undefined) return 1;
  if (!(days > 0)) return 1;
  return 1 - studentTCdf((Math.log(days) - p.mu) / p.scale, p.nu);
}

/**
 * @internal P(a gap is longer than `days`) under a gamma renewal model of the recent gaps with the
 * rate unknown: gaps ~ Gamma(κ, λ) with κ = min(1, 1/CV²) (never a lighter tail than the
 * exponential's, heavier for bursty customers), λ's posterior Gamma(nκ, Σ gaps) (a flat prior),
 * so the predictive gap ÷ Σ gaps is beta-prime(κ, nκ) and P(gap > t) = I_{β/(β+t)}(nκ, κ).
 * Undefined with fewer than 3 gaps.
 */
export function gammaSurvival(gaps: readonly number[], days: number): number | undefined {
  const n = gaps.length;
  if (n < 3) return undefined;
  if (!(days > 0)) return 1;
  let sum = 0;
  for (const g of gaps) sum += g;
  const mean = sum / n;
  let ss = 0;
  for (const g of gaps) ss += (g - mean) ** 2;
  const cv2 = ss / (n - 1) / (mean * mean);
  const kappa = cv2 > 1 ? 1 / cv2 : 1;
  return incompleteBeta(sum / (sum + days), n * kappa, kappa);
}

/**
 * @internal The first day after the latest run of closed months that ended within
 * (`last`, `asOf`], or undefined (no closed month since the last purchase, or asOf is inside one).
 */
export function lastReopening(last: number, asOf: number, closedMonths: readonly number[]): number | undefined {
  if (closedMonths.length === 0) return undefined;
  const closed = new Set(closedMonths);
  const [ay, am] = civilFromEpochDay(asOf);
  if (closed.has(am)) return undefined;
  // walk back month by month from asOf's month: the latest month start whose previous month is closed
  let y = ay, m = am;
  for (let k = 0; k < 240; k++) {
    const start = epochDay(y, m, 1);
    if (start <= last + 1) return undefined; // no closed day between the last purchase and this month
    const py = m === 1 ? y - 1 : y, pm = m === 1 ? 12 : m - 1;
    if (closed.has(pm) && !closed.has(m)) return start;
    y = py;
    m = pm;
  }
  return undefined;
}

/**
 * @internal Survival of the silence counted from the last reopening (closed months defer orders:
 * a customer closed in August is due when it reopens, not late by its July gap), in the
 * customer's calendar-equivalent days; undefined when no closed month lies since the last purchase.
 */
export function survivalSinceReopening(r: CustomerRhythm, last: number, asOf: number, survival: (days: number) => number = (d) => gapSurvival(r, d)): number | undefined {
  const reopen = lastReopening(last, asOf, r.closedMonths);
  if (reopen === undefined) return undefined;
  const open = openDaysBetween(reopen - 1, asOf, dayClosures(rhythmClosures(r)));
  return survival(open / r.openFraction);
}

/**
 * @internal True when, a year (or two) earlier, the gap that held the same date (±`window` days)
 * lasted at least `share` × `silence` and ended in an order on or before asOf: a silence this long
 * at this time of year is the customer's habit (a holiday break, a closure its own history is too
 * sparse to prove), not news.
 */
export function seasonalPrecedent(days: readonly number[], asOf: number, silence: number, share: number = 0.75, window: number = 10): boolean {
  for (const back of [364, 728]) {
    const centre = asOf - back;
    for (let t = centre - window; t <= centre + window; t++) {
      // the purchase on or before t, and the next one
      let lo = 0, hi = days.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (days[mid]! <= t) lo = mid + 1;
        else hi = mid;
      }
      if (lo === 0 || lo >= days.length) continue;
      if (days[lo]! > asOf) continue;
      if (days[lo]! - days[lo - 1]! >= share * silence) return true;
    }
  }
  return false;
}

/** @internal A customer's gaps on its own clock: logs of calendar-equivalent days and the purchase day each gap starts at. */
export interface ClockGaps {
  /** ln(gap), calendar-equivalent days (open days on the seasonal clock ÷ open fraction). */
  readonly logGaps: Float64Array;
  /** Index into the purchase days of each gap's first purchase. */
  readonly from: Int32Array;
}

/**
 * @internal Gaps measured as the interval model measures them: open days (closed weekdays
 * removed, each open day weighted by the month's seasonal intensity) ÷ the open fraction; gaps
 * spanning a closed month are left out (the order was deferred), unless they are more than a
 * third of all gaps (a seasonal buyer), then kept. `lastGaps` keeps only the most recent ones.
 */
export function clockGaps(days: readonly number[], r: CustomerRhythm, lastGaps: number = Infinity): ClockGaps {
  const cl = rhythmClosures(r);
  const dc = dayClosures(cl);
  const f = r.openFraction > 0 ? r.openFraction : 1;
  let spanning = 0;
  if (cl.months !== 0) for (let k = 1; k < days.length; k++) if (spansClosedMonth(days[k - 1]!, days[k]!, cl)) spanning++;
  const skip = spanning > 0 && 3 * spanning <= days.length - 1;
  const ys: number[] = [];
  const from: number[] = [];
  // the most recent `lastGaps` gaps (all by default), oldest first
  let first = days.length;
  for (let kept = 0; first > 1 && kept < lastGaps; ) {
    first--;
    if (!(skip && spansClosedMonth(days[first - 1]!, days[first]!, cl))) kept++;
  }
  for (let k = Math.max(1, first); k < days.length; k++) {
    if (skip && spansClosedMonth(days[k - 1]!, days[k]!, cl)) continue;
    ys.push(Math.log(Math.max(1, openDaysBetween(days[k - 1]!, days[k]!, dc)) / f));
    from.push(k - 1);
  }
  return { logGaps: Float64Array.from(ys), from: Int32Array.from(from) };
}
