import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import type { Dataset } from "../../data/dataset.ts";
import { epochDay } from "../../data/epoch-day.ts";
import type { CustomerRhythm } from "../../patterns/fit-interval-model.ts";
import type { PatternModel } from "../../patterns/fit-patterns.ts";
import { dayClosures, modelHolidays, openDaysBetween, spansClosedMonth, standingClock, type Closures, type HolidaySet } from "../../patterns/internal/customer-calendar.ts";
import { lgamma } from "../../patterns/internal/lgamma.ts";
import { incompleteBeta, incompleteBetaGiven, logBetaInverse } from "../../patterns/internal/student-t.ts";
import { wholeDaySurvival } from "../../patterns/internal/whole-day-gap.ts";
import { upperBound } from "../../data/internal/bounds.ts";
import { purchaseDayIndex } from "../../data/internal/purchase-days.ts";
import type { SignalType } from "../types.ts";
import { signalRunMemo } from "./run-memo.ts";

/**
 * @internal Shared private helpers of the customer-level detectors (customer_overdue,
 * frequency_drop): purchase days, the customer's clock as the interval model inferred it, and
 * the guards both use.
 */

/** @internal Distinct purchase days (a positive line) of customer index `c`, ascending (a view into the shared index: read only). */
export function purchaseDays(view: Dataset, c: number): Int32Array {
  const { days, start } = purchaseDayIndex(view);
  return days.subarray(start[c]!, start[c + 1]!);
}

/**
 * @internal The customer's closures as the interval model reports them (closed months and
 * weekdays, seasonal intensity) with the business calendar's `holidays` (the model's: see
 * {@link patternHolidays}), so a gap counts the open days the interval model counted. Until
 * 2026-12-06 the holidays were left out while the gaps were still divided by the open fraction,
 * which discounts them: a Sunday buyer's gap across Pesach read 12.8 days, the model's 6.4.
 */
export function rhythmClosures(r: CustomerRhythm, holidays?: HolidaySet): Closures {
  let months = 0, weekdays = 0;
  for (const m of r.closedMonths) months |= 1 << (m - 1);
  for (const w of r.closedWeekdays) weekdays |= 1 << w;
  const index = r.monthlyIndex as readonly number[] | undefined;
  const seasonal = index !== undefined && index.length === 12 && index.some((x) => Math.abs(x - 1) > 1e-9);
  const cl: Closures = seasonal ? { months, weekdays, intensity: Float64Array.from(index) } : { months, weekdays };
  return holidays === undefined ? cl : { ...cl, holidays };
}

/** @internal The business calendar's holidays of a pattern model, as a set (one per model). */
export function patternHolidays(model: PatternModel): HolidaySet | undefined {
  if (model.holidays === undefined || model.holidays.length === 0) return undefined;
  let kept = holidaySets.get(model);
  if (kept === undefined) holidaySets.set(model, (kept = { set: modelHolidays(model.holidays) }));
  return kept.set;
}

const holidaySets = new WeakMap<PatternModel, { set: HolidaySet | undefined }>();

/** @internal P(a gap of the customer is longer than `days` calendar-equivalent days) under its predictive Student-t. */
export function gapSurvival(r: CustomerRhythm, days: number): number {
  const p = r.posterior;
  if (p === undefined) return 1;
  // (read on whole days as the model's overdueProbability: wholeDaySurvival)
  return wholeDaySurvival(p.mu, p.scale, p.nu, days, r.openFraction);
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

/** Shapes of the gamma renewal model's grid (log-spaced, 1/4 … 64: CV 2 … 1/8). */
const SHAPES: readonly number[] = /* @__PURE__ */ Array.from({ length: 33 }, (_, i) => 0.25 * 2 ** (i / 4));

/**
 * @internal Predictive survival of the next gap under a gamma renewal model with both the shape
 * and the rate unknown: gaps ~ Gamma(κ, λ), λ with the scale-invariant prior 1/λ (so given κ the
 * predictive gap ÷ Σgaps is beta-prime(κ, nκ) and P(gap > t | κ) = I_{Σ/(Σ+t)}(nκ, κ)), κ on a
 * log-spaced grid from 1/4 to 64 with a flat prior on log κ, weighted by its marginal likelihood
 * Γ(nκ) Π xᵢ^(κ−1) / (Γ(κ)ⁿ Σ^(nκ)). A regular buyer's tail decays like e^(−κt/mean), not like the
 * exponential's; the shape's uncertainty (few gaps, an odd long one) keeps heavier shapes in the
 * mixture. Each order may also be skipped, with probability ε = 1/(n + 2) (Laplace's rule of
 * succession: none seen among n gaps), so the next gap spans j + 1 renewal gaps with probability
 * (1 − ε) εʲ, a sum that is Gamma((j + 1)κ, λ): S(t) = Σ_κ w_κ Σ_j (1 − ε) εʲ I_{Σ/(Σ+t)}(nκ, (j + 1)κ).
 * A clockwork buyer's skipped week stays plausible, three skipped in a row do not. Undefined with
 * fewer than 3 gaps.
 *
 * The terms are non-negative, so any partial sum is a lower bound: asked with `stopAbove`, it
 * returns the first partial sum found above it (first the heaviest shapes' unskipped terms, then
 * the sum in its fixed order), for callers that only need to know S(t) exceeds a threshold. A
 * value not above `stopAbove` is the full sum, the same as without it.
 */
export function gammaRenewalSurvival(gaps: readonly number[]): ((days: number, stopAbove?: number) => number) | undefined {
  const n = gaps.length;
  if (n < 3) return undefined;
  let sum = 0, sumLog = 0;
  for (const g of gaps) {
    const x = Math.max(0.5, g);
    sum += x;
    sumLog += Math.log(x);
  }
  // the grid's weights in a module scratch (used within this call only): the same operations as
  // map / spread max / reduce, in the same order, without their arrays and iterators per customer
  const w = GRID_SCRATCH;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < SHAPES.length; i++) {
    const k = SHAPES[i]!;
    w[i] = (k - 1) * sumLog - n * lgamma(k) + lgamma(n * k) - n * k * Math.log(sum);
    max = Math.max(max, w[i]!);
  }
  let total = 0;
  for (let i = 0; i < SHAPES.length; i++) total += w[i] = Math.exp(w[i]! - max);
  const shapes: number[] = [], weights: number[] = [];
  for (let i = 0; i < SHAPES.length; i++) {
    if (w[i]! / total > 1e-9) {
      shapes.push(SHAPES[i]!);
      weights.push(w[i]! / total);
    }
  }
  const skip = 1 / (n + 2);
  // the terms' log-beta constants, once per customer at its first use (the engine asks this
  // survival at every tick)
  let terms: number[][] | undefined;
  const termsOf = (): number[][] =>
    shapes.map((k) => {
      const g: number[] = [];
      for (let j = 0, pj = 1 - skip; pj > 1e-12; j++, pj *= skip) g.push(logBetaInverse(n * k, (j + 1) * k));
      return g;
    });
  // for an early stop: the shapes heaviest first (sorted at the first call that may stop early), and
  // their first terms (j = 0) of the current call
  let heaviest: number[] | undefined;
  const first = new Float64Array(shapes.length);
  return (days, stopAbove = Number.POSITIVE_INFINITY) => {
    if (!(days > 0)) return 1;
    const x = sum / (sum + days);
    // x at 0 or 1 (a silence too long or too short for doubles): incompleteBeta's own edges
    const inside = x > 0 && x < 1;
    const lx = Math.log(x), l1x = Math.log1p(-x);
    const g = inside ? (terms ??= termsOf()) : undefined;
    first.fill(Number.NaN);
    if (stopAbove < 1) {
      heaviest ??= shapes.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
      // a lower bound first: the heaviest shapes' first terms (no skipped order) carry most of the sum
      let bound = 0, covered = 0;
      for (const i of heaviest) {
        first[i] = renewalTerm(shapes[i]!, n, g?.[i], x, lx, l1x, 0);
        bound += weights[i]! * (1 - skip) * first[i]!;
        if (bound > stopAbove) return bound;
        covered += weights[i]!;
        if (covered > 0.99) break;
      }
    }
    // the sum in its fixed order (the same value whatever was asked before)
    let s = 0;
    for (let i = 0; i < shapes.length; i++) {
      for (let j = 0, pj = 1 - skip; pj > 1e-12; j++, pj *= skip) {
        const t = j === 0 && !Number.isNaN(first[i]!) ? first[i]! : renewalTerm(shapes[i]!, n, g?.[i], x, lx, l1x, j);
        s += weights[i]! * pj * t;
        if (s > stopAbove) return Math.min(1, s);
      }
    }
    return Math.min(1, Math.max(0, s));
  };
}

/** Scratch of {@link gammaRenewalSurvival}'s grid weights (filled and read within one call). */
const GRID_SCRATCH = /* @__PURE__ */ new Float64Array(SHAPES.length);

/**
 * Term j of shape k in {@link gammaRenewalSurvival}: I_x(nk, (j + 1)k), from the shape's log-beta
 * constants `g` when x is inside (0, 1). A module function, not a closure made per call.
 */
function renewalTerm(k: number, n: number, g: readonly number[] | undefined, x: number, lx: number, l1x: number, j: number): number {
  return g ? incompleteBetaGiven(x, n * k, (j + 1) * k, g[j]!, lx, l1x) : incompleteBeta(x, n * k, (j + 1) * k);
}

/**
 * @internal Survival of the next gap from the customer's own gaps x₁…xₙ, exchangeable with it:
 * within their range the rank predictive P(next > t) = (#{xᵢ > t} + 1) / (n + 1) (exact for
 * exchangeable continuous gaps at the order statistics), beyond the longest gap x₍ₙ₎ the chance
 * 1 / (n + 1) of a new longest gap times the parametric model's conditional tail
 * S₀(t) / S₀(x₍ₙ₎). The parametric model only shapes the tail beyond what the customer has
 * shown: a memoryless-tailed model of a regular buyer no longer keeps a silence three times its
 * longest gap plausible, and a light-tailed model of a clockwork buyer cannot make a gap it has
 * already had (a skipped week) look impossible. With fewer than 3 gaps (a gap across a closed
 * month is not one) the parametric model's S₀ alone, as docs/signals-customer.md says (until
 * 2026-12-06 it was 1 there: such a customer was never flagged, however long its silence).
 */
export function ownGapSurvival(gaps: readonly number[], days: number, base: (days: number) => number): number {
  const n = gaps.length;
  if (n < 3) return base(days);
  let longer = 0, max = 0;
  for (const g of gaps) {
    if (g > days) longer++;
    if (g > max) max = g;
  }
  if (longer > 0) return (longer + 1) / (n + 1);
  const b = base(max);
  const tail = b > 0 ? Math.min(1, base(days) / b) : 0;
  return tail / (n + 1);
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
 * @internal Survival of the silence with the closed months since the last purchase left out (the
 * clock stands while the customer is closed: a customer closed in August is not late by its
 * August days), in the customer's calendar-equivalent days; undefined when no closed month lies
 * since the last purchase. The days before the closure count: a customer silent for months before
 * it closed is not made fresh by reopening. `cl`: the customer's closures as its case measures
 * with them ({@link rhythmClosures}, the model's holidays included).
 */
export function survivalWithoutClosures(r: CustomerRhythm, cl: Closures, last: number, asOf: number, survival: (days: number) => number): number | undefined {
  // measured to the day the clock stands at: inside a closed month or its reopening week, the day
  // before that closure began. Until 2026-12-06 the guard was skipped inside a closure (asOf in a
  // closed month), and a customer that was fine on November 30 was flagged on December 1 (its
  // earlier August counted again), then cleared in the reopening week
  const day = standingClock(last, asOf, cl);
  if (lastReopening(last, day, r.closedMonths) === undefined) return undefined;
  return survival(openDaysBetween(last, day, cl) / r.openFraction);
}

/** Days of history after which a customer has lived through every calendar month once (its closed months are its own). */
export const ESTABLISHED_DAYS = 400;
/** Established customers a segment needs before its closure shares are used. */
const MIN_ESTABLISHED = 20;

/**
 * @internal Share of the established customers (first purchase at least 400 days before asOf, a
 * rhythm fitted) of each segment closed in each calendar month by their interval model, with a
 * Beta(0.5, 0.5) prior: out[segment + 1][month − 1] (index 0: customers without a segment); 0 for
 * a segment with fewer than 20 established customers (too few to tell), and for a month none of
 * them closes in. A customer too new to have lived through a month is closed in it with its
 * segment's share.
 */
export function segmentClosureRates(view: Dataset, asOf: number, rhythm: (c: number) => CustomerRhythm | undefined): Float64Array[] {
  return segmentClosureShares(view, asOf, rhythm).map((x) => Float64Array.from({ length: 12 }, (_, m) => jointClosureShare(x, 1 << m)));
}

/** @internal A segment's established customers' closures, from which {@link jointClosureShare} reads the share of a month or a run of months. */
export interface ClosureShares {
  /** Each established customer's closed months as a bit mask (bit m − 1). */
  readonly masks: readonly number[];
}

/**
 * @internal Share of the segment's established customers closed in every month of `mask` (bit
 * m − 1 for month m), among those open in every month of `open` (the months the young customer
 * has bought in: a peer closed in one of them is not its kind; one seasonal peer in a hundred
 * held a customer that bought all spring from being flagged all winter, a self-review,
 * 2026-12-08), with the Beta(0.5, 0.5) prior of {@link segmentClosureRates}; 0 with fewer than 20
 * such customers or none closed in all of the months.
 * @param shares - the segment's shares
 * @param mask - months, bit m − 1 for month m
 * @param open - months the customer bought in, the same bits (0: none)
 * @returns the share
 */
export function jointClosureShare(shares: ClosureShares, mask: number, open = 0): number {
  let n = 0, k = 0;
  for (const m of shares.masks) {
    if ((m & open) !== 0) continue;
    n++;
    if ((m & mask) === mask) k++;
  }
  // (a month no established customer of the segment closes in is no closure's month: the prior
  // alone, 0.5 / (N + 1), put a floor under a young customer's survival at every new month)
  return n >= MIN_ESTABLISHED && k > 0 ? (k + 0.5) / (n + 1) : 0;
}

/** @internal Each segment's established customers' closed months ({@link ClosureShares}), index segment + 1 (0: customers without a segment). */
export function segmentClosureShares(view: Dataset, asOf: number, rhythm: (c: number) => CustomerRhythm | undefined): ClosureShares[] {
  const nS = view.ids.segments.values.length + 1;
  const masks = Array.from({ length: nS }, (): number[] => []);
  // the first purchase day (a credit note dated before it makes no customer established)
  const { days, start } = purchaseDayIndex(view);
  for (let c = 0; c < view.customerEnd.length; c++) {
    if (start[c + 1]! === start[c]! || days[start[c]!]! > asOf - ESTABLISHED_DAYS) continue;
    const r = rhythm(c);
    if (r === undefined || r.status !== "ok") continue;
    let mask = 0;
    for (const m of r.closedMonths) mask |= 1 << (m - 1);
    masks[(view.customers.segment[c] ?? -1) + 1]!.push(mask);
  }
  return masks.map((m) => ({ masks: m }));
}

/**
 * @internal The silence's survival under "alive" when the customer may be closed in a month it
 * has not lived through yet (its history is shorter than 400 days): for each calendar month m
 * after its last purchase's month up to asOf's that its model does not already close, with its
 * segment's closure share p, the mixture (1 − p) S + p S_m; the largest over the months. For an
 * earlier month S_m is the survival counted from the first day after m (the order deferred to the
 * reopening; measuring it without m but with the days before, as for known closures, raised the
 * quiet customers' alerts in the worst month from 0.07% to 0.20-0.41%), at most the survival of
 * the silence before m alone (a customer overdue before m began stays overdue: without that bound
 * it was cleared in the first days after every month and flagged again a week later). For asOf's
 * month S_m is the survival of the silence before m: a closure beginning on the 1st does not
 * explain the weeks of silence before it. `survival` is S at the silence; `without(a, b)` the
 * survival of the silence with the days a..b left out. A share of 0 (no established peer closes
 * in the month, see {@link segmentClosureRates}) leaves the survival as it is.
 *
 * (Until 2026-12-06 S_m was 1 in asOf's month: every new month gave a young customer's silence a
 * floor of p, at least the prior's 0.5 / (N + 1), so a customer silent for half a year was not
 * flagged once its segment had enough established customers for shares.)
 */
export function unprovenClosureSurvival(survival: number, last: number, asOf: number, firstDay: number, r: CustomerRhythm, rates: Float64Array, without: (from: number, to: number) => number, joint?: (mask: number) => number): number {
  if (firstDay <= asOf - ESTABLISHED_DAYS) return survival;
  const known = new Set(r.closedMonths);
  let best = survival;
  const [ly, lm] = civilFromEpochDay(last);
  const [ay, am] = civilFromEpochDay(asOf);
  for (let y = ly, m = lm + 1; y < ay || (y === ay && m <= am); m++) {
    if (m > 12) {
      m = 1;
      y++;
      if (y > ay || (y === ay && m > am)) break;
    }
    if (known.has(m)) continue;
    const p = rates[m - 1]!;
    const from = epochDay(y, m, 1);
    const to = (m === 12 ? epochDay(y + 1, 1, 1) : epochDay(y, m + 1, 1)) - 1;
    const current = y === ay && m === am;
    // an ended month: the silence after it, but never more than the silence before it alone (a
    // closure in m cannot explain the weeks before m: a customer overdue before the month began
    // stays overdue after it, where the survival after m alone cleared it in the first days of
    // every month and brought it back a week later)
    best = Math.max(best, (1 - p) * survival + p * (current ? without(from, to) : Math.min(without(from, asOf), without(last + 1, to))));
  }
  if (joint === undefined) return best;
  // a run of months from the one after the last purchase's, as one closure with the share of the
  // peers closed in all of them (a seasonal buyer closed October to April: no single month explains
  // half a year of silence, and every young one was flagged all its first winter; a review,
  // 2026-12-08). Tested as the single months are: the silence before the run for a run reaching
  // asOf's month, else the silence after it, at most the silence before it alone.
  const from = lm === 12 ? epochDay(ly + 1, 1, 1) : epochDay(ly, lm + 1, 1);
  let mask = 0, months = 0;
  for (let y = ly, m = lm + 1; ; m++) {
    if (m > 12) (m = 1), y++;
    if (y > ay || (y === ay && m > am) || months === 11) break;
    months++;
    if (!known.has(m)) mask |= 1 << (m - 1);
    const to = (m === 12 ? epochDay(y + 1, 1, 1) : epochDay(y, m + 1, 1)) - 1;
    if (months < 2 || (mask & (mask - 1)) === 0) continue; // one unproven month: tested above
    const p = joint(mask);
    if (!(p > 0)) break; // no peer closes in all of them: nor in a longer run
    const current = y === ay && m === am;
    best = Math.max(best, (1 - p) * survival + p * (current ? without(from, asOf) : Math.min(without(from, asOf), without(last + 1, to))));
  }
  return best;
}

/** @internal A seasonal precedent is a gap shorter than a year (a longer one was a lapse, not a season). */
const PRECEDENT_MAX_DAYS = 365;

/**
 * @internal True when, a year (or two) earlier, the gap that held the same date (±`window` days)
 * lasted at least `share` × `silence`, began by the same day of the year as this silence (±
 * `window` days) and ended in an order on or before asOf: a silence this long at this time of
 * year is the customer's habit (a holiday break, a closure its own history is too sparse to
 * prove), not news. A gap of a year or more is none, nor one of `lapseStarts` (lapses, not seasons). (Without the start: a weekly buyer that stopped in late June was excused by
 * last August's closure gap, which began four weeks later in its year, and flagged 4 weeks late; a
 * review, 2026-12-07.)
 */
export function seasonalPrecedent(days: ArrayLike<number>, asOf: number, silence: number, share: number = 0.75, window: number = 10, lapseStarts: readonly number[] = []): boolean {
  for (const back of [364, 728]) {
    const centre = asOf - back;
    for (let t = centre - window; t <= centre + window; t++) {
      // the purchase on or before t, and the next one
      const lo = upperBound(days, t);
      if (lo === 0 || lo >= days.length) continue;
      if (days[lo]! > asOf) continue;
      if (days[lo - 1]! > asOf - silence - back + window) continue;
      // (a gap of a year or more is no habit of the season: a lapse the customer came back from,
      // which excused every silence after the win-back that began within it; a review, 2026-12-08)
      const gap = days[lo]! - days[lo - 1]!;
      // (nor a lapse under a year: a customer back for six months after eight gone was excused by it; a self-review)
      if (gap >= share * silence && gap < PRECEDENT_MAX_DAYS && !lapseStarts.includes(days[lo - 1]!)) return true;
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
  /** Gaps spanning a closed month (kept or not). */
  readonly spanning: number;
}

/** @internal One gap on the customer's clock: ln(open days from `from` to `to`, at least 1, ÷ its open fraction `f`). */
export function clockLogGap(from: number, to: number, dc: Closures, f: number): number {
  return Math.log(Math.max(1, openDaysBetween(from, to, dc)) / f);
}

/**
 * @internal Gaps measured as the interval model measures them: open days (closed weekdays
 * removed, each open day weighted by the month's seasonal intensity) ÷ the open fraction; gaps
 * spanning a closed month are left out (the order was deferred), unless they are more than a
 * third of all gaps (a seasonal buyer), then kept. All of them, oldest first (a caller wanting the
 * most recent n takes the tail).
 */
export function clockGaps(days: ArrayLike<number>, r: CustomerRhythm, holidays?: HolidaySet): ClockGaps {
  const cl = rhythmClosures(r, holidays);
  const dc = dayClosures(cl);
  const f = r.openFraction > 0 ? r.openFraction : 1;
  let spanning = 0;
  if (cl.months !== 0) for (let k = 1; k < days.length; k++) if (spansClosedMonth(days[k - 1]!, days[k]!, cl)) spanning++;
  const skip = spanning > 0 && 3 * spanning <= days.length - 1;
  // typed columns with room for every gap, trimmed when some were left out (no lists and copies
  // through an iterator)
  const size = Math.max(0, days.length - 1);
  const ys = new Float64Array(size), from = new Int32Array(size);
  let m = 0;
  for (let k = 1; k < days.length; k++) {
    if (skip && spansClosedMonth(days[k - 1]!, days[k]!, cl)) continue;
    ys[m] = clockLogGap(days[k - 1]!, days[k]!, dc, f);
    from[m++] = k - 1;
  }
  return { logGaps: m === size ? ys : ys.slice(0, m), from: m === size ? from : from.slice(0, m), spanning };
}

/**
 * @internal {@link clockGaps} of `days` whose first `known` days had `gaps`: only the new gaps are
 * measured, unless they change whether spanning gaps are left out (then all are measured again).
 */
export function appendClockGaps(days: ArrayLike<number>, known: number, gaps: ClockGaps, r: CustomerRhythm, holidays?: HolidaySet): ClockGaps {
  if (known < 1 || days.length <= known) return known === days.length ? gaps : clockGaps(days, r, holidays);
  const cl = rhythmClosures(r, holidays);
  let spanning = gaps.spanning;
  if (cl.months !== 0) for (let k = known; k < days.length; k++) if (spansClosedMonth(days[k - 1]!, days[k]!, cl)) spanning++;
  const skip = spanning > 0 && 3 * spanning <= days.length - 1;
  if (skip !== (gaps.spanning > 0 && 3 * gaps.spanning <= known - 1)) return clockGaps(days, r, holidays);
  const dc = dayClosures(cl);
  const f = r.openFraction > 0 ? r.openFraction : 1;
  // typed copies with room for every new gap (the engine appends at every tick)
  let m = gaps.logGaps.length;
  const ys = new Float64Array(m + days.length - known), from = new Int32Array(ys.length);
  ys.set(gaps.logGaps);
  from.set(gaps.from);
  for (let k = known; k < days.length; k++) {
    if (skip && spansClosedMonth(days[k - 1]!, days[k]!, cl)) continue;
    ys[m] = clockLogGap(days[k - 1]!, days[k]!, dc, f);
    from[m++] = k - 1;
  }
  return { logGaps: m === ys.length ? ys : ys.slice(0, m), from: m === ys.length ? from : from.slice(0, m), spanning };
}

/** @internal The detector types that read {@link sharedClockGaps} (they share it within one detectSignals call). */
export const CLOCK_GAP_TYPES: ReadonlySet<SignalType> = new Set<SignalType>(["customer_overdue", "frequency_drop"]);

/**
 * @internal {@link clockGaps} of customer index `c` (all its gaps); inside a `detectSignals` call
 * computed once per as-of view and pattern model and shared by the detectors of the run (the run
 * memo), else computed fresh. `days` and `r` must be the customer's purchase days in `view` and
 * its rhythm in `model`.
 */
export function sharedClockGaps(view: Dataset, model: PatternModel, c: number, days: ArrayLike<number>, r: CustomerRhythm): ClockGaps {
  const run = signalRunMemo();
  if (run === undefined) return clockGaps(days, r, patternHolidays(model));
  let byModel = run.gaps.get(view);
  if (byModel === undefined) run.gaps.set(view, (byModel = new Map()));
  let list = byModel.get(model) as (ClockGaps | undefined)[] | undefined;
  if (list === undefined) byModel.set(model, (list = []));
  return (list[c] ??= clockGaps(days, r, patternHolidays(model)));
}

