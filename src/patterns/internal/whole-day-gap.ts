import { studentTCdf } from "./student-t.ts";

/**
 * @internal The interval model's gap distribution read on whole days. The log-t predictive is
 * fitted to the logs of whole-day gaps (a weekly buyer's 7, 7, 7), so a gap of n open days is its
 * continuous variable X rounded, X ∈ (n − ½, n + ½] (a continuity correction), and after a silence
 * of `days` calendar-equivalent days (open days ÷ the open fraction `f`, each day over):
 * P(gap ≤ silence) = F(days + ½ / f). Read as F(days) until 2026-12-07: a clockwork weekly buyer
 * was 50% overdue at the end of the Monday its order did not come, and a Monday-only buyer 0.2
 * all the week after a missed Monday (its clock stands on the closed days).
 * @param mu - the predictive's location (log calendar-equivalent days)
 * @param scale - its scale
 * @param nu - its degrees of freedom
 * @param days - the silence, calendar-equivalent days (0 or less: none)
 * @param f - the customer's open fraction (0 or less reads 1)
 * @returns P(the gap is at most the silence) (0 without a silence)
 */
export function wholeDayCdf(mu: number, scale: number, nu: number, days: number, f: number): number {
  return days > 0 ? studentTCdf(wholeDayZ(mu, scale, days, f), nu) : 0;
}

/** The standardized log of a silence of `days` on whole days: (ln(days + ½ / f) − μ) ÷ scale (f of 0 or less reads 1). */
function wholeDayZ(mu: number, scale: number, days: number, f: number): number {
  return (Math.log(days + 0.5 / (f > 0 ? f : 1)) - mu) / scale;
}

/**
 * @internal P(the gap is longer than the silence): 1 − {@link wholeDayCdf}, from the upper tail
 * (no cancellation when the CDF rounds to 1).
 * @param mu - the predictive's location (log calendar-equivalent days)
 * @param scale - its scale
 * @param nu - its degrees of freedom
 * @param days - the silence, calendar-equivalent days (0 or less: none, survival 1)
 * @param f - the customer's open fraction (0 or less reads 1)
 * @returns P(the gap is longer than the silence)
 */
export function wholeDaySurvival(mu: number, scale: number, nu: number, days: number, f: number): number {
  return days > 0 ? studentTCdf(-wholeDayZ(mu, scale, days, f), nu) : 1;
}
