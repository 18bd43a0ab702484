/** @internal A lapse (the customer was gone and came back) is a gap of at least this many days... */
export const LAPSE_MIN_DAYS = 180;
/** @internal ...and this many times the median of its gaps... */
export const LAPSE_MEDIANS = 10;
/** @internal ...that is no season: days of the year within which two dates are "the same time of year". */
const SAME_SEASON_DAYS = 30;

/** Whether two epoch days fall within {@link SAME_SEASON_DAYS} of each other in the year. */
function sameSeason(a: number, b: number): boolean {
  const d = (((a - b) % 365) + 365) % 365;
  return Math.min(d, 365 - d) <= SAME_SEASON_DAYS;
}

/**
 * @internal Which of a customer's gaps are lapses: a gap of at least {@link LAPSE_MIN_DAYS} days
 * and {@link LAPSE_MEDIANS} times the median gap that is no season, i.e. no other gap at least
 * half as long began at the same time of year (±30 days: a winter closure every year), and it is
 * not the year of a buyer of one season (its purchases before the gap within 60 days of its first,
 * the gap ending at that time of year: a December-only buyer in its second year). Kept among its usual gaps, a 430-day silence before a win-back made any later
 * silence under 430 days "a gap it has had before": a customer who came back and left again was
 * never flagged, and its brief read the lapse in its usual gap (a review, 2026-12-08). Two lapses
 * at different times of year are both lapses.
 * @param gaps - the gaps in days, oldest first
 * @param starts - the epoch day each gap begins on (its first purchase), index by index
 * @param ends - the epoch day each gap ends on (the next purchase)
 * @param firstDay - the customer's first purchase day
 * @returns per gap, whether it is a lapse
 */
export function lapses(gaps: readonly number[], starts: readonly number[], ends: readonly number[], firstDay: number): boolean[] {
  const out = gaps.map(() => false);
  if (gaps.length === 0) return out;
  const sorted = gaps.slice().sort((a, b) => a - b);
  const floor = Math.max(LAPSE_MIN_DAYS, LAPSE_MEDIANS * sorted[(sorted.length - 1) >> 1]!);
  for (let k = 0; k < gaps.length; k++) {
    const g = gaps[k]!;
    if (g < floor) continue;
    // (the history's anniversary makes a season of a one-season buyer's year only: its purchases
    // before the gap all near its first; any lapse ending in that month was one, a self-review)
    let season = starts[k]! - firstDay <= 2 * SAME_SEASON_DAYS && sameSeason(ends[k]!, firstDay);
    for (let j = 0; j < gaps.length && !season; j++) if (j !== k && gaps[j]! >= g / 2 && sameSeason(starts[j]!, starts[k]!)) season = true;
    out[k] = !season;
  }
  return out;
}
