/**
 * @internal Whether target period `a` is the better one to show than `b` at asOf (days as epoch
 * days or as `YYYY-MM-DD` texts, both the same way): one still running at asOf before one that
 * has ended; of two running, the later start, then the shorter (January's sales are not read
 * against the year's target); of two that have ended (the next period's row not loaded yet), the
 * one that ended last, then the later start. Equal periods are not better (the first stays). One
 * rule for `analyze`'s targets and the manager brief's team target line: until 2026-12-07 the
 * later start came first, so a November target that had ended beat the year's still running (the
 * brief read "100% of 2026-11 gone" in December), and the team line had a rule of its own (a
 * review).
 */
export function runsBefore<T extends number | string>(a: { readonly start: T; readonly end: T }, b: { readonly start: T; readonly end: T }, asOf: T): boolean {
  const aRuns = a.end >= asOf, bRuns = b.end >= asOf;
  if (aRuns !== bRuns) return aRuns;
  if (aRuns) return a.start !== b.start ? a.start > b.start : a.end < b.end;
  return a.end !== b.end ? a.end > b.end : a.start > b.start;
}
