import { formatDay } from "../../data/format-day.ts";
import { lapses } from "./lapses.ts";
import { gapMoments } from "../../patterns/internal/gap-moments.ts";
import { parseDay } from "../../data/parse-day.ts";
import { closedMonthDaysBetween, dayClosures, missedOrdersSince, monthOf, openDaysBetween, standingClock, type HolidaySet } from "../../patterns/internal/customer-calendar.ts";
import { margin90Of, type DetectorContext } from "./context.ts";
import { patternHolidays, sharedClockGaps, ESTABLISHED_DAYS, rhythmClosures, ownGapSurvival, gammaRenewalSurvival, gapSurvival, purchaseDays, seasonalPrecedent, segmentClosureShares, jointClosureShare, survivalWithoutClosures, unprovenClosureSurvival, type ClosureShares } from "./customer-clock.ts";
import { localized, recentGap, rhythmPhrase, round, signalId } from "./format.ts";
import type { CustomerRhythm } from "../../patterns/fit-interval-model.ts";
import type { SignalLocale, SignalOf } from "../types.ts";

/** Prior rate at which customers stop buying, per year (the prior of the "stopped" hypothesis at sensitivity 1). */
const STOP_RATE_PER_YEAR = 0.05;
/** Posterior P(stopped | silence) needed for a flag (measured calibrated on the synthetic distributor: precision 0.95). */
const FLAG_PROBABILITY = 0.95;
/** Purchase days needed (three gaps): fewer tell too little about a rhythm. */
const MIN_PURCHASE_DAYS = 4;
/** Gaps of the gamma tail model (the most recent ones). */
const RECENT_GAPS = 20;
/** Gaps of the customer's own empirical distribution (the most recent ones). */
const OWN_GAPS = 52;
/**
 * @internal One customer's `customer_overdue` test, prepared at the context's as-of day (its
 * rhythm, own gaps and tail model) and asked at that day or any later one, as long as the customer
 * has not bought since `last`: the detector asks it at asOf; the engine keeps the cases of its last
 * full detection and asks them on the ticks between detections.
 */
export interface OverdueCase {
  readonly customerId: string;
  /** The customer's last purchase day (the silence is counted from it). */
  readonly last: number;
  /** The id its signal has while the customer stays silent (anchored on `last`). */
  readonly id: string;
  /**
   * The signal at `day` (>= the as-of day the case was prepared at), or undefined when the
   * silence does not make the customer overdue then.
   */
  at(day: number): SignalOf<"customer_overdue"> | undefined;
}

/**
 * @internal The overdue cases of every customer with at least 4 purchase days and a fitted rhythm;
 * with `silentOnly`, only the customers silent at asOf (the detector's own run: a customer that
 * bought today cannot be overdue today, and the model is fitted only when someone is silent).
 *
 * Asked at a later day D than the as-of day F, a case counts the open days of (F, D] on the
 * customer's clock (closed weekdays and months, seasonal weights, the business calendar's
 * holidays), keeps its gaps, tail model, expected date and the valueAtRisk
 * of F, recomputes everything that depends on the day (the silence, its survival, the closure
 * guards, the overdue probability, the orders missed) and leaves P(alive) out (it is the model's
 * at F). At D = F it is the detector's computation exactly.
 */
export function overdueCases(ctx: DetectorContext, silentOnly: boolean): OverdueCase[] {
  const { view, asOf, sensitivity: s, locale } = ctx;
  const ids = view.ids.customers.values;
  const nC = view.customerEnd.length;
  const out: OverdueCase[] = [];
  let model: ReturnType<typeof ctx.model> | undefined;
  let closureRates: ClosureShares[] | undefined;
  for (let c = 0; c < nC; c++) {
    // cheap pre-check on the raw lines: enough purchase days, not bought today
    if (view.customerEnd[c]! - view.customerStart[c]! < MIN_PURCHASE_DAYS) continue;
    const days = purchaseDays(view, c);
    if (days.length < MIN_PURCHASE_DAYS) continue;
    const last = days[days.length - 1]!;
    if (silentOnly && asOf - last <= 0) continue;
    model ??= ctx.model();
    const customerId = ids[c]!;
    const r = model.customer(customerId);
    if (r === undefined || r.status !== "ok" || r.posterior === undefined || r.overdueProbability === undefined) continue;
    const clock = sharedClockGaps(view, model, c, days, r);
    const allGaps = clock.logGaps;
    // the gaps in days, and which are lapses (a lapse the customer came back from is no usual gap;
    // the message's usual gap then is the gaps' without it: "lately every 249" named the lapse)
    const inDays: number[] = [], starts: number[] = [], ends: number[] = [];
    for (let i = 0; i < allGaps.length; i++) {
      inDays.push(Math.exp(allGaps[i]!));
      starts.push(days[clock.from[i]!]!);
      ends.push(days[clock.from[i]! + 1]!);
    }
    const lapse = lapses(inDays, starts, ends, days[0]!);
    const kept = inDays.filter((_, i) => !lapse[i]);
    // the newest of them
    const own = kept.slice(-Math.max(OWN_GAPS, RECENT_GAPS));
    // (their mean and deviation as the rhythm reports its own: gapMoments)
    const moments = lapse.includes(true) && own.length > 0 ? gapMoments(own) : undefined;
    const usual = moments === undefined ? undefined : { mean: moments.mean!, sd: moments.sd ?? 0 };
    // the days its lapses began on (no seasonal precedent either)
    const lapseStarts = starts.filter((_, i) => lapse[i]);
    const recent = own.slice(-RECENT_GAPS);
    const ownGaps = own.slice(-OWN_GAPS);
    const young = days[0]! > asOf - ESTABLISHED_DAYS;
    const m = model;
    if (young) closureRates ??= segmentClosureShares(view, asOf, (k) => m.customer(ids[k]!));
    const rates = young ? closureRates![(view.customers.segment[c] ?? -1) + 1]! : undefined;
    const repId = ctx.owner(c);
    // the margin of the 365 days up to the last order (the silence's own year: the year to asOf
    // lost the customer's weeks as the silence grew, and a customer silent over a year was worth 0);
    // a kept case takes it now, a detector's own run when the customer is flagged
    const valueAtRisk = silentOnly ? () => margin90Of(view, c, last - 364, last) : fixedValue(margin90Of(view, c, last - 364, last));
    // a kept case holds its own copy of the days, not the view's index (engine: forget() erases a customer)
    const at = caseAt({ asOf, asOfText: ctx.asOfText, sensitivity: s, locale, customerId, repId, days: silentOnly ? days : days.slice(), r, ownGaps, recent, usual, lapseStarts, rates, holidays: patternHolidays(model), valueAtRisk });
    out.push({ customerId, last, id: signalId("customer_overdue", customerId, formatDay(last)), at });
  }
  return out;
}

/** What one customer's case is asked with. */
interface CaseParts {
  asOf: number;
  asOfText: string;
  sensitivity: number;
  locale: SignalLocale;
  customerId: string;
  repId: string | undefined;
  days: Int32Array;
  r: CustomerRhythm;
  /** The customer's last 52 gaps (calendar-equivalent days), oldest first. */
  ownGaps: number[];
  /** Its last 20 gaps (the gamma tail model's). */
  recent: number[];
  /** The days the customer's lapses began on: no seasonal precedent. */
  lapseStarts: readonly number[];
  /** The usual gap the message names when a lapse was left out of the gaps (their mean and sd), else undefined (the rhythm's). */
  usual: { mean: number; sd: number } | undefined;
  /** The segment's closure shares for a customer younger than ESTABLISHED_DAYS at asOf, else undefined. */
  rates: ClosureShares | undefined;
  /** The business calendar's holidays (the model's), closed on the customer's clock. */
  holidays: HolidaySet | undefined;
  valueAtRisk: () => number;
}

/**
 * One customer's test at any day from asOf on. A module-level factory: the closures it makes hold
 * only what they are given, not the detector's context and view (which a closure made inside
 * overdueCases' loop would keep alive through the scope chain for as long as the engine keeps the case).
 */
function caseAt(p: CaseParts): (day: number) => SignalOf<"customer_overdue"> | undefined {
  const { asOf, asOfText, sensitivity: s, locale, customerId, repId, days, r, ownGaps, recent, usual, lapseStarts, rates, holidays, valueAtRisk } = p;
  // the silence's survival: the interval model's (a log-t: heavy right tail) and, when lighter,
  // the recent gaps' gamma predictive (memoryless buyers have exponential, not log-normal, tails)
  const renewal = gammaRenewalSurvival(recent);
  // a young customer's months bought in (its own open months), and the peers' closure shares among
  // those open then, per month
  let open = 0;
  if (rates !== undefined) for (let i = 0; i < days.length; i++) open |= 1 << monthOf(days[i]!); // (month 0..11: bit m − 1 for month m)
  const monthly = rates === undefined ? new Float64Array(12) : Float64Array.from({ length: 12 }, (_, m) => jointClosureShare(rates, 1 << m, open));
  // the tail beyond the longest own gap is S₀(t) / S₀(longest): S₀(longest) computed once per case
  let longest = 0;
  for (const g of ownGaps) if (g > longest) longest = g;
  let atLongest: number | undefined;
  // a survival above `enough` clears the customer at this day (see `at` below): the renewal sum
  // may stop there, and `cut` says one did
  let enough = Number.POSITIVE_INFINITY;
  let cut = false;
  const tail = (d: number): number => {
    if (renewal === undefined) return gapSurvival(r, d);
    if (d === longest) return (atLongest ??= renewal(d));
    // ownGapSurvival's tail is S₀(t) / S₀(longest) / (n + 1), so S₀(t) above this clears
    const stop = atLongest === undefined ? Number.POSITIVE_INFINITY : enough * (ownGaps.length + 1) * atLongest;
    const v = renewal(d, stop);
    if (v > stop) cut = true;
    return v;
  };
  const survivalAt = (d: number): number => ownGapSurvival(ownGaps, d, tail);
  const post = r.posterior!;
  const last = days[days.length - 1]!;
  const f = r.openFraction > 0 ? r.openFraction : 1;
  const cl = rhythmClosures(r, holidays);
  const dc = dayClosures(cl);
  const openAtAsOf = r.openDaysSinceLast ?? asOf - last;
  const clockAtAsOf = standingClock(last, asOf, cl);
  return (day: number): SignalOf<"customer_overdue"> | undefined => {
    const silence = day - last;
    if (silence <= 0) return undefined;
    const later = day !== asOf;
    const clock = later ? standingClock(last, day, cl) : clockAtAsOf;
    const openDays = later ? openAtAsOf + openDaysBetween(clockAtAsOf, clock, dc) : (r.openDaysSinceLast ?? silence);
    const elapsed = openDays / f;
    const silenceSurvival = (): number => {
      let v = survivalAt(elapsed);
      const reopened = survivalWithoutClosures(r, cl, last, day, survivalAt);
      if (reopened !== undefined) v = Math.max(v, reopened);
      if (rates !== undefined && days[0]! > day - ESTABLISHED_DAYS) {
        // the silence's open days outside from..to (before it, and after it when it has ended)
        const without = (from: number, to: number): number => survivalAt((openDaysBetween(last, Math.min(day, from - 1), dc) + (to < day ? openDaysBetween(to, day, dc) : 0)) / f);
        v = unprovenClosureSurvival(v, last, day, days[0]!, r, monthly, without, (mask) => jointClosureShare(rates, mask, open));
      }
      return v;
    };
    const pStopped = (rate: number): number => {
      const q = -Math.expm1(-(rate / 365) * silence);
      return q / (q + (1 - q) * survival);
    };
    // P(stopped) >= F needs a survival <= q(1 − F) / (F(1 − q)). The survival only grows with each
    // renewal term (and through the max and mixtures above), so a renewal sum cut above that bound
    // (with a 1e-9 margin) is a lower bound that already clears the customer; a flag computed with a
    // cut sum is computed again in full (the engine asks every silent customer at every tick).
    const q = -Math.expm1(-((STOP_RATE_PER_YEAR * s) / 365) * silence);
    enough = q < 1 ? ((q * (1 - FLAG_PROBABILITY)) / (FLAG_PROBABILITY * (1 - q))) * (1 + 1e-9) : Number.POSITIVE_INFINITY;
    cut = false;
    let survival = silenceSurvival();
    if (cut && pStopped(STOP_RATE_PER_YEAR * s) >= FLAG_PROBABILITY) {
      enough = Number.POSITIVE_INFINITY;
      survival = silenceSurvival();
    }
    if (!(pStopped(STOP_RATE_PER_YEAR * s) >= FLAG_PROBABILITY)) return undefined;
    if (seasonalPrecedent(days, day, silence, undefined, undefined, lapseStarts)) return undefined;
    const severity = round(pStopped(STOP_RATE_PER_YEAR), 4);
    const meanGap = usual?.mean ?? r.meanGapDays ?? Math.exp(post.mu);
    const sdGap = usual?.sd ?? r.sdGapDays ?? 0;
    const recent = usual !== undefined ? undefined : recentGap(r.meanGapDays, post.mu, post.sigma2, days.length);
    // (the ratio leaves the days of its closed months out, as its gaps do)
    const closedDays = closedMonthDaysBetween(last, day, r.closedMonths);
    const en = rhythmPhrase(meanGap, sdGap, silence, recent, "en", 2, closedDays), he = rhythmPhrase(meanGap, sdGap, silence, recent, "he", 2, closedDays);
    const ratio = en.ratio;
    const lastOrder = formatDay(last);
    const due = r.nextP50 !== undefined ? parseDay(r.nextP50) : last + Math.round(meanGap);
    const since = formatDay(Math.min(day, Math.max(last + 1, due)));
    return {
      id: signalId("customer_overdue", customerId, lastOrder),
      type: "customer_overdue",
      asOf: later ? formatDay(day) : asOfText,
      since,
      customerId,
      ...(repId !== undefined ? { repId } : {}),
      severity,
      valueAtRisk: round(valueAtRisk(), 2),
      evidence: {
        lastOrder,
        daysSinceLast: silence,
        meanGapDays: round(meanGap, 2),
        sdGapDays: round(sdGap, 2),
        typicalGapDays: round(Math.exp(post.mu), 2),
        gapRatio: round(ratio, 2),
        // the gap the message names and gapRatio divides by when the rhythm changed ("lately every 11")
        ...(recent !== undefined ? { recentGapDays: round(recent, 2) } : {}),
        // the days of its closed months in the silence, which gapRatio leaves out (as its gaps do)
        ...(closedDays > 0 ? { closedDays } : {}),
        purchaseDays: days.length,
        overdueProbability: later ? 1 - gapSurvival(r, elapsed) : r.overdueProbability!,
        silenceSurvival: survival,
        pStopped: severity,
        // P(alive) is the model's at its fit day: left out when asked at a later one
        ...(r.pAlive !== undefined && !later ? { pAlive: round(r.pAlive, 4) } : {}),
        // the open days of the silence before that day, as gapRatio counts it (its closed months
        // left out): the model's own count takes a closure's days in once its reopening week is
        // over ("the deferred order did not come"), and one signal read "6.6x the usual gap" beside
        // "10 missed orders" for a weekly buyer silent 6 open weeks across its closed August (a review)
        // (and not past the standing clock, as the model counts: in a closure's reopening week the
        // evidence read 5 where the model's card read 4; a self-review)
        missedOrders: missedOrdersSince(last, day, clock, cl, f, Math.exp(post.mu)),
      },
      reason: { code: "customer_overdue", params: { customerId, meanGapDays: en.shown.mean, sdGapDays: en.shown.sd!, ...(en.shown.recent !== undefined ? { recentGapDays: en.shown.recent } : {}), daysSinceLast: silence, gapRatio: en.shown.ratio, ...(closedDays > 0 ? { closedDays } : {}), lastOrder } },
      message: localized(locale, en.text, he.text),
    };
  };
}

function fixedValue(x: number): () => number {
  return () => x;
}
