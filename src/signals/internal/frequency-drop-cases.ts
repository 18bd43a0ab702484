import { everyDay } from "../../data/internal/bidi.ts";
import { formatDay } from "../../data/format-day.ts";
import { dayClosures, monthOf, nextMonthStart, openDaysBetween, standingClock, type Closures, type HolidaySet } from "../../patterns/internal/customer-calendar.ts";
import type { CustomerRhythm } from "../../patterns/fit-interval-model.ts";
import type { SignalLocale, SignalOf } from "../types.ts";
import { dailyMargins, margin90Of, type DailyMargins, type DetectorContext } from "./context.ts";
import { margin90Within } from "./margin-window.ts";
import { appendClockGaps, clockLogGap, patternHolidays, purchaseDays, rhythmClosures, sharedClockGaps, type ClockGaps } from "./customer-clock.ts";
import { fmt, localized, round, shownOf, signalId } from "./format.ts";
import { logNormalSurvival } from "./normal-tail.ts";

/** Prior probability of a change of rhythm after any one gap. */
const HAZARD = 0.01;
/** Prior standard deviation of the change of the mean log-gap (a factor of two at one sd). */
const JUMP_SD = 0.7;
/** Floor of the within-regime log-gap standard deviation (a clockwork customer's skipped week is not a slowdown). */
const SIGMA_FLOOR = 0.25;
/** Gaps needed before a change point. */
const MIN_BEFORE = 6;
/** Slow gaps needed after it: completed ones, and the open gap once it is already slow (at least one completed: "still ordering"). */
const MIN_SLOW = 2;
/** Smallest slowdown that counts: the new gaps at least this many times the old (mean and median of the log-gaps). */
const MIN_RATIO = 1.5;
/** Posterior probability of a slowdown needed at sensitivity 1 (odds 19:1; sensitivity s needs odds 19/s). */
const FLAG_PROBABILITY = 0.95;
/** Gaps older than this (days before asOf) are not part of the baseline. */
const HISTORY_DAYS = 730;
/** A change point older than this is the new normal. */
const MAX_AGE_DAYS = 365;
/** The current silence must be at most this many new typical gaps (longer: a customer_overdue matter). */
const MAX_SILENCE_GAPS = 3;
/**
 * … and at most this many predictive standard deviations above the new rhythm's mean log-gap: a
 * silence its slowed rhythm makes a 1-in-160 event (Φc(2.5) = 0.0062) is no longer a slowdown but
 * a customer gone quiet, about where customer_overdue's test calls a customer stopped (P ≥ 0.95
 * needs a survival below about (1 − π) ÷ 19π, 0.003-0.006 at a P(alive) prior π of 0.90-0.95).
 * Until 2026-12-07 only the 3-gap rule: a customer ordering every 14
 * days, then every 34, stayed "every 34 days since" at 90 days of silence, beside its
 * customer_overdue from 75 days on (a review counted 13 such customers, 64 customer-weeks, over a
 * year of weekly runs of the 1.08M-line data).
 */
const MAX_SILENCE_Z = 2.5;

/**
 * @internal One customer's `frequency_drop` test, prepared at the detection day F (its rhythm's
 * clock, its purchase days) and asked at F or a later day D with its purchase days in (F, D]: the
 * new days add gaps measured on the same clock, the open gap is counted to D. At D = F without new
 * days it is detectFrequencyDrop's computation exactly.
 */
export interface FrequencyDropCase {
  readonly customerId: string;
  /**
   * The signal at `day`, given the customer's purchase days after F (ascending; later ones ignored).
   */
  at(day: number, newDays: readonly number[]): SignalOf<"frequency_drop"> | undefined;
}

/**
 * @internal detectFrequencyDrop's body: the signals at the context's as-of day, and with
 * `keepCases` every customer's {@link FrequencyDropCase} (customers with a fitted rhythm and at
 * least MIN_BEFORE + 1 purchase days), for the engine's ticks between detections.
 */
export function frequencyDropRun(ctx: DetectorContext, keepCases: boolean): { signals: SignalOf<"frequency_drop">[]; cases: FrequencyDropCase[] | undefined } {
  const { view, asOf, sensitivity: s, locale } = ctx;
  const ids = view.ids.customers.values;
  const nC = view.customerEnd.length;
  const minOdds = (FLAG_PROBABILITY / (1 - FLAG_PROBABILITY)) / s;
  const out: SignalOf<"frequency_drop">[] = [];
  const cases: FrequencyDropCase[] | undefined = keepCases ? [] : undefined;
  let model: ReturnType<typeof ctx.model> | undefined;
  const minDays = keepCases ? MIN_BEFORE + 1 : MIN_BEFORE + 2;
  for (let c = 0; c < nC; c++) {
    if (view.customerEnd[c]! - view.customerStart[c]! < minDays) continue;
    const days = purchaseDays(view, c);
    if (days.length < minDays) continue;
    // a change needs a slow gap completed within the age limit
    const current = days.length >= MIN_BEFORE + 2 && days[days.length - 1]! > asOf - MAX_AGE_DAYS;
    if (!current && !keepCases) continue;
    model ??= ctx.model();
    const customerId = ids[c]!;
    const r = model.customer(customerId);
    if (r === undefined || r.status !== "ok") continue;
    const all = sharedClockGaps(view, model, c, days, r);
    const parts: CaseParts = {
      asOf,
      asOfText: ctx.asOfText,
      minOdds,
      locale,
      customerId,
      repId: ctx.owner(c),
      days: keepCases ? days.slice() : days,
      r,
      all,
      holidays: patternHolidays(model),
      // the margin of the year before the change (the year to asOf holds the slower orders already,
      // and the value fell the longer the drop lasted); a kept case holds the customer's margins
      margin90: keepCases ? margin90Before(dailyMargins(view, c)) : (since) => margin90Of(view, c, since - 365, since - 1),
    };
    const at = caseAt(parts);
    if (current) {
      const found = at(asOf, []);
      if (found !== undefined) out.push(found);
    }
    cases?.push({ customerId, at });
  }
  return { signals: out, cases };
}

/** What one customer's case is asked with. */
interface CaseParts {
  asOf: number;
  asOfText: string;
  minOdds: number;
  locale: SignalLocale;
  customerId: string;
  repId: string | undefined;
  /** Purchase days at asOf, ascending. */
  days: Int32Array;
  r: CustomerRhythm;
  /** The customer's clock gaps at asOf. */
  all: ClockGaps;
  /** The business calendar's holidays (the model's), closed on the customer's clock. */
  holidays: HolidaySet | undefined;
  /** The customer's 90-day margin of the year before a change day (epoch day). */
  margin90: (since: number) => number;
}

/** A customer's test at asOf or later (a module-level factory: it holds only what it is given, not the detector's view). */
function caseAt(p: CaseParts): (day: number, newDays: readonly number[]) => SignalOf<"frequency_drop"> | undefined {
  const { asOf, asOfText, minOdds, locale, customerId, repId, r } = p;
  const f = r.openFraction > 0 ? r.openFraction : 1;
  const cl = rhythmClosures(r, p.holidays);
  const dc = dayClosures(cl);
  const plain: Closures | undefined = dc.intensity === undefined ? undefined : { ...dc, intensity: undefined };
  // the usual log-gap at asOf (the last 20 gaps): between detections only a new gap slower than it
  // by half of ln MIN_RATIO can make a slowdown news (a faster one only weakens the evidence)
  const recent = p.all.logGaps.subarray(Math.max(0, p.all.logGaps.length - 20));
  let usual = 0;
  for (const y of recent) usual += y / recent.length;
  const slowEnough = usual + 0.5 * Math.log(MIN_RATIO);
  return (day, newDays) => {
    let days: ArrayLike<number> = p.days;
    let all = p.all;
    const added = newDays.filter((d) => d > asOf && d <= day && d > p.days[p.days.length - 1]!);
    if (added.length > 0) {
      // without closed months no gap is left out: the newest gap is known before the others are appended
      if (cl.months === 0) {
        const lastDay = added[added.length - 1]!, before = added.length > 1 ? added[added.length - 2]! : p.days[p.days.length - 1]!;
        if (!(clockLogGap(before, lastDay, dc, f) > slowEnough)) return undefined;
      }
      // a new gap holding a whole calendar month its clock leaves open may be a closure the
      // detection day's model did not know yet (a customer's first closed August): the case waits
      // for the next detection, whose refit learns it or confirms the slowdown (a tick opened
      // "every 3 days ... every 13 days since, 4.2x slower" on the reopening week's order that
      // detectSignals never found; a review, 2026-12-07)
      for (let k = 0, prev = p.days[p.days.length - 1]!; k < added.length; prev = added[k++]!) {
        if (holdsOpenMonth(prev, added[k]!, cl.months)) return undefined;
      }
      const joined = new Int32Array(p.days.length + added.length);
      joined.set(p.days);
      joined.set(added, p.days.length);
      days = joined;
      all = appendClockGaps(joined, p.days.length, p.all, r, p.holidays);
      if (!(all.logGaps[all.logGaps.length - 1]! > slowEnough)) return undefined;
    }
    const last = days[days.length - 1]!;
    if (days.length < MIN_BEFORE + 2 || last <= day - MAX_AGE_DAYS) return undefined;
    // the baseline: gaps starting within the last HISTORY_DAYS (an older shift of rhythm is not this change's "before")
    let skip = 0;
    while (skip < all.from.length && days[all.from[skip]!]! < day - HISTORY_DAYS) skip++;
    const ys = all.logGaps.subarray(skip), from = all.from.subarray(skip);
    // the open gap on the same clock (calendar-equivalent days since the last purchase, at least one)
    const openDays = day === asOf && added.length === 0 ? (r.openDaysSinceLast ?? day - last) : openDaysBetween(last, standingClock(last, day, cl), dc);
    const open = Math.log(Math.max(1, openDays / f));
    const found = slowdown(ys, open, (k) => days[from[k]!]!, day, minOdds / (1 + minOdds));
    if (found === undefined) return undefined;
    const { pSlow, k, before, after, nBefore, nAfter, sdAfter } = found;
    if (!(pSlow / Math.max(1e-300, 1 - pSlow) >= minOdds)) return undefined;
    const newGap = Math.exp(after);
    if (day - last > MAX_SILENCE_GAPS * newGap || open > after + MAX_SILENCE_Z * sdAfter) return undefined;
    const lost = 1 - Math.exp(before - after);
    const sinceDay = days[from[k]!]!;
    const since = formatDay(sinceDay);
    /** exp(mean ln gap) of gaps [lo, hi) without the monthly weights (`clock`: their mean on the clock, when it has none). */
    const plainGap = (lo: number, hi: number, clock: number): number => {
      if (plain === undefined || hi <= lo) return Math.exp(clock);
      let sum = 0;
      for (let i = lo; i < hi; i++) sum += clockLogGap(days[from[i]!]!, days[from[i]! + 1]!, plain, f);
      return Math.exp(sum / (hi - lo));
    };
    // the gaps shown are calendar-equivalent days, the same gaps without the seasonal clock's
    // monthly weights (geometric means, as the test's): a customer ordering every 28 days read
    // "every 24 days since" in its slow months (review 2026-12-07); the test, the severity and the
    // value at risk keep the seasonal clock
    const oldGap = plainGap(0, k, before), shownNew = plainGap(k, ys.length, after);
    const ratio = shownNew / oldGap;
    const orders = days.length - 1 - from[k]!;
    // the message's numbers are the evidence fields' as shown: 2-decimal gaps, a 3-decimal ratio
    const shown = { before: shownOf(oldGap, 2, 0), after: shownOf(shownNew, 2, 0), ratio: shownOf(ratio, 3, 1) };
    return {
      id: signalId("frequency_drop", customerId, since),
      type: "frequency_drop",
      asOf: day === asOf ? asOfText : formatDay(day),
      since,
      customerId,
      ...(repId !== undefined ? { repId } : {}),
      severity: round(pSlow * lost, 4),
      valueAtRisk: round(p.margin90(sinceDay) * lost, 2),
      evidence: {
        changeDay: since,
        gapBeforeDays: round(oldGap, 2),
        gapAfterDays: round(shownNew, 2),
        ratio: round(ratio, 3),
        lostShare: round(lost, 4),
        gapsBefore: nBefore,
        gapsAfter: nAfter,
        ordersSince: orders,
        pSlowdown: round(pSlow, 4),
        daysSinceLast: day - last,
      },
      reason: { code: "frequency_drop", params: { customerId, gapBeforeDays: shown.before, gapAfterDays: shown.after, ratio: shown.ratio, since, ordersSince: orders } },
      message: localized(
        locale,
        everyDay(`Ordered every ${fmt(shown.before, 0)} days until ${since}; every ${fmt(shown.after, 0)} days since (${fmt(shown.ratio)}x slower, ${orders === 1 ? "1 order" : `${orders} orders`})`),
        everyDay(`הזמין כל ${fmt(shown.before, 0)} ימים עד ${since}; מאז כל ${fmt(shown.after, 0)} ימים (פי ${fmt(shown.ratio)} לאט יותר, ${orders === 1 ? "הזמנה אחת" : `${orders} הזמנות`})`),
      ),
    };
  };
}

/** The slowdown found in a customer's log-gaps. */
interface Slowdown {
  /** Posterior probability of a qualifying slowdown. */
  pSlow: number;
  /** Index of the first gap of the slow regime (most probable qualifying change). */
  k: number;
  /** Mean log-gap before and after that change (completed gaps). */
  before: number;
  after: number;
  nBefore: number;
  nAfter: number;
  /** Predictive standard deviation of a log-gap under the new rhythm: √(σ² + σ²/nAfter). */
  sdAfter: number;
}

/**
 * Single change-point posterior over all change points k (MIN_BEFORE <= k <= n − 1), with the
 * current, still open gap as a right-censored log-gap `open` (it is longer than the silence so far);
 * returns the probability mass of qualifying slowdowns and the most probable one, or undefined
 * (also when even every recent change counted as a slowdown would not reach `needed`).
 *
 * Under M_k the slow regime's mean μ has the prior N(m_b, ω² + σ²/n_b) (the jump prior and the
 * uncertainty of the old mean m_b), under M₀ N(m_b, σ²/n_b); the completed slow gaps give
 * N(m_a | μ, σ²/n_a) and the open gap P(y > open | μ) = Φc((open − μ)/σ), so with the normal posterior
 * N(m*, v*) of μ from the completed gaps the marginal is N(m_a | m_b, A + σ²/n_a) Φc((open − m*)/√(σ² + v*)),
 * and BF_k is its ratio between the two priors (Smith's Bayes factor when the open gap is short).
 * A change qualifies with the posterior probability that the new mean is at least ln 1.5 above the
 * old (integrated over μ on a grid, the old mean's uncertainty included).
 */
function slowdown(ys: Float64Array, open: number, startDay: (k: number) => number, asOf: number, needed: number): Slowdown | undefined {
  const n = ys.length;
  if (n < MIN_BEFORE + 1) return undefined;
  let sum = 0, msd = 0;
  for (let j = 0; j < n; j++) {
    sum += ys[j]!;
    if (j > 0) msd += (ys[j]! - ys[j - 1]!) ** 2;
  }
  const sigma2 = Math.max(SIGMA_FLOOR ** 2, msd / (2 * (n - 1)));
  const sigma = Math.sqrt(sigma2);
  const omega2 = JUMP_SD ** 2;
  const minShift = Math.log(MIN_RATIO);
  const log0 = (n - 1) * Math.log1p(-HAZARD);
  const logPrior = Math.log(HAZARD) + (n - 2) * Math.log1p(-HAZARD);
  /** log marginal of the slow segment (completed mean ma of na gaps, and the open gap) under the prior N(mb, A) of its mean. */
  const logMarginal = (mb: number, A: number, ma: number, na: number): number => {
    const B = sigma2 / na;
    const v = 1 / (1 / A + 1 / B);
    const m = v * (mb / A + ma / B);
    return -0.5 * Math.log(A + B) - (0.5 * (ma - mb) ** 2) / (A + B) + logNormalSurvival((open - m) / Math.sqrt(sigma2 + v));
  };
  const first = MIN_BEFORE, last = n - 1;
  const m = last - first + 1;
  const logs = new Float64Array(m);
  const means = new Float64Array(2 * m);
  let before = 0;
  for (let j = 0; j < first - 1; j++) before += ys[j]!;
  let max = log0;
  for (let k = first; k <= last; k++) {
    before += ys[k - 1]!;
    const nb = k, na = n - k;
    const mb = before / nb, ma = (sum - before) / na;
    const V0 = sigma2 / nb;
    const l = logPrior + logMarginal(mb, omega2 + V0, ma, na) - logMarginal(mb, V0, ma, na);
    const j = k - first;
    logs[j] = l;
    means[2 * j] = mb;
    means[2 * j + 1] = ma;
    if (l > max) max = l;
  }
  let total = Math.exp(log0 - max);
  for (let j = 0; j < m; j++) total += Math.exp(logs[j]! - max);
  // an upper bound first (every recent change a qualifying slowdown): most customers stop here
  let bound = 0;
  for (let j = 0; j < m; j++) if (startDay(j + first) >= asOf - MAX_AGE_DAYS) bound += Math.exp(logs[j]! - max) / total;
  if (bound < needed) return undefined;
  let slow = 0, best = -1, bestW = -1;
  for (let j = 0; j < m; j++) {
    const k = j + first;
    const w = Math.exp(logs[j]! - max) / total;
    if (w < 1e-6) continue;
    if (startDay(k) < asOf - MAX_AGE_DAYS) continue;
    const mb = means[2 * j]!, ma = means[2 * j + 1]!;
    // slow gaps seen: completed ones above the old mean by half the minimum shift, and the open gap once it is
    let slowGaps = open > mb + minShift / 2 ? 1 : 0;
    for (let i = k; i < n; i++) if (ys[i]! > mb + minShift / 2) slowGaps++;
    if (slowGaps < MIN_SLOW) continue;
    const p = w * shiftProbability(mb, k, ma, n - k, sigma2, omega2, open, minShift);
    if (!(p > 0)) continue;
    slow += p;
    if (p > bestW) {
      bestW = p;
      best = j;
    }
  }
  if (best < 0) return undefined;
  return { pSlow: Math.min(1, slow), k: best + first, before: means[2 * best]!, after: means[2 * best + 1]!, nBefore: best + first, nAfter: n - best - first, sdAfter: Math.sqrt(sigma2 * (1 + 1 / (n - best - first))) };
}

/**
 * P(μ_new − μ_old ≥ shift | M_k, data): μ_new's posterior is N(m*, v*) (prior N(mb, ω² + σ²/nb),
 * the completed slow gaps) times the open gap's Φc((open − μ)/σ); μ_old ~ N(mb, σ²/nb). Integrated
 * on a 161-point grid over m* ± 8√v*.
 */
function shiftProbability(mb: number, nb: number, ma: number, na: number, sigma2: number, omega2: number, open: number, shift: number): number {
  const A = omega2 + sigma2 / nb, B = sigma2 / na;
  const v = 1 / (1 / A + 1 / B);
  const m = v * (mb / A + ma / B);
  const sd = Math.sqrt(v), sigma = Math.sqrt(sigma2), sdOld = Math.sqrt(sigma2 / nb);
  const steps = 160;
  const h = (16 * sd) / steps;
  let num = 0, den = 0;
  const logs: number[] = [];
  let top = -Infinity;
  for (let i = 0; i <= steps; i++) {
    const mu = m - 8 * sd + i * h;
    const l = (-0.5 * (mu - m) ** 2) / v + logNormalSurvival((open - mu) / sigma);
    logs.push(l);
    if (l > top) top = l;
  }
  for (let i = 0; i <= steps; i++) {
    const mu = m - 8 * sd + i * h;
    const w = Math.exp(logs[i]! - top);
    den += w;
    // P(μ_old <= μ − shift)
    num += w * Math.exp(-logNormalSurvivalNeg((mu - shift - mb) / sdOld));
  }
  return den > 0 ? Math.min(1, num / den) : 0;
}

/** −ln Φ(z) = −ln P(Z <= z). */
function logNormalSurvivalNeg(z: number): number {
  return -logNormalSurvival(-z);
}

/** The 90-day margin of the year before a day, from a customer's daily margins. */
function margin90Before(d: DailyMargins): (since: number) => number {
  return (since) => margin90Within(d.days, d.margins, 0, d.days.length, since - 365, since - 1);
}

/** A gap from purchase day `a` to `b` holds a whole calendar month that `closedMonths` (bits, month − 1) leaves open. */
function holdsOpenMonth(a: number, b: number, closedMonths: number): boolean {
  for (let m = nextMonthStart(a); nextMonthStart(m) - 1 < b; m = nextMonthStart(m)) {
    if ((closedMonths & (1 << monthOf(m))) === 0) return true;
  }
  return false;
}
