import { CompensatedSum } from "../data/internal/compensated-sum.ts";
import type { Dataset, DealStage } from "../data/dataset.ts";
import { DEAL_STAGES } from "../data/deal-stages.ts";
import { formatDay } from "../data/format-day.ts";
import { trailingMarginRate } from "../kpi/internal/margin-rate.ts";
import { fitDealStages, type DealStageModel } from "../patterns/fit-deal-stages.ts";
import type { OptionKeys } from "../data/internal/check.ts";
import { DETECTOR_KEYS, detectorContext } from "./internal/context.ts";
import type { CostBasis } from "./internal/cost-basis.ts";
import { bySignalOrder, fmt, iso, isoLtr, joinIds, localized, money, round, signalId, stageName } from "./internal/format.ts";
import { poissonBinomialTail, surprise } from "./internal/segment-tail.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";

/** Options of {@link detectPipelineStall}. */
export interface PipelineStallOptions extends DetectorOptions {}

const KEYS: OptionKeys<PipelineStallOptions> = DETECTOR_KEYS;

/** Open stages (lead, qualified, proposal, negotiation). */
const OPEN_STAGES = 4;
const LOST = 5;
/** Fewest stuck deals for a signal. */
const MIN_STUCK = 2;
/** −ln of the tail probability a signal needs at sensitivity 1 (p ≤ 1e-4; calibrated on the synthetic replay, where the largest score of a rep × stage without a stall over a year of weekly runs was 7.1). */
const MIN_SURPRISE = -Math.log(1e-4);
/** Candidate change days within this many days. */
const LOOKBACK = 365;
/** Floor of the background share of stays that never end (zombie deals nobody closes). */
const MIN_DEAD_SHARE = 0.01;

/** One stay of a deal in an open stage. */
interface Stay {
  deal: number;
  rep: number;
  stage: number;
  entry: number;
  /** Day the deal left the stage; undefined while it is still there. */
  exit: number | undefined;
  amount: number;
}

/** A change day evaluated for one rep × stage. */
interface Scan {
  t: number;
  /** Deals in the stage at some point since t (a deal that came back counts once). */
  inStage: number;
  stuck: Stay[];
  expected: number;
  tail: number;
  score: number;
}

/**
 * `pipeline_stall`: a rep's deals staying in a stage far longer than that stage's duration
 * distribution for this rep. Per rep × stage (lead, qualified, proposal, negotiation), the stays
 * that were in the stage at some point since a candidate change day t (the day after each exit
 * from the stage, and each open stay's entry, within the last year) are examined: under the
 * deal-stage model ({@link fitDealStages}: the rep's log-normal stay with a Student-t predictive,
 * shrunk to the team's) a stay that entered on day e and was still in the stage on day
 * t0 = max(t, e) is still there at asOf with probability
 * π = S̃(asOf − e) ÷ S̃(t0 − e), S̃(a) = π0 + (1 − π0)·(1 − F(a)), where F is the rep's
 * `durationPercentile` and π0 the usual share of stays that never end (zombie deals nobody closed:
 * of the team's stays that entered the stage one to two years ago, the share still there, at least
 * 1%). The number of stays
 * still open is compared with its Poisson-binomial distribution (exact tail) and t is chosen as
 * the scan statistic's maximum, so one stalled rep gives one signal per stage with its deals as
 * evidence. Flagged when at least 2 deals are stuck and P(X ≥ stuck) ≤ e^(−9.2 / sensitivity)
 * (1e-4 at sensitivity 1). A throughput drop (no exits) is the same evidence seen from the other
 * side; the exits of the last 90 days against the year before are reported in the evidence.
 * `since` = the chosen change day (usually the day after the stage's last exit); `valueAtRisk` =
 * Σ stuck amounts × the team's win probability from the stage × the company's gross margin rate
 * over the last 365 days (1 when the data has no unit cost at all: the value is then revenue).
 *
 * @param dataset - a dataset or as-of view (its deal events are used)
 * @param options - asOf, sensitivity, locale
 * @returns the signals, largest valueAtRisk first, then by id
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectPipelineStall, fromRowsSync } from "orderpulse";
 * // R1's deals usually spend 10 days in proposal; the last four have been there for 60+ days
 * const dealEvents = [];
 * for (let k = 0; k < 24; k++) {
 *   const start = new Date(Date.UTC(2025, 0, 5 + 14 * k));
 *   const deal_id = `D${k}`;
 *   dealEvents.push({ deal_id, customer_id: "C1", stage: "proposal", entered_at: start, rep_id: "R1", amount: 1000 });
 *   if (k < 20) dealEvents.push({ deal_id, customer_id: "C1", stage: k % 2 ? "won" : "lost", rep_id: "R1",
 *     entered_at: new Date(start.getTime() + (8 + (k % 5)) * 86_400_000) });
 * }
 * const orders = [{ order_id: "1", order_date: "2025-12-01", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10, unit_cost: 6 }];
 * const { dataset } = fromRowsSync({ orders, dealEvents });
 * const [signal] = detectPipelineStall(dataset, { asOf: "2026-02-15" });
 * assert.equal(signal?.repId, "R1");
 * assert.equal(signal?.stage, "proposal");
 * assert.equal(signal?.evidence.stuck, 4);
 * ```
 */
export function detectPipelineStall(dataset: Dataset, options?: PipelineStallOptions): SignalOf<"pipeline_stall">[] {
  const fn = "detectPipelineStall";
  const ctx = detectorContext(dataset, options, fn, KEYS);
  const { view, asOf, sensitivity, locale } = ctx;
  const ev = view.dealEvents;
  if (ev.length === 0) return [];
  const model = fitDealStages(view, { asOf });
  const { ids } = view;

  // every stay in an open stage (consecutive repeats of a stage collapsed, as the model does);
  // deals without a rep count in the team's usual dead share (only deals with a rep are tested)
  const stays: Stay[] = [];
  for (let i = 0; i < ev.length; ) {
    const d = ev.deal[i]!;
    let rep = -1;
    let amount = Number.NaN;
    const stages: number[] = [];
    const days: number[] = [];
    for (; i < ev.length && ev.deal[i] === d; i++) {
      const st = ev.stage[i]!;
      if (ev.rep[i]! >= 0) rep = ev.rep[i]!;
      if (!Number.isNaN(ev.amount[i]!)) amount = ev.amount[i]!;
      if (st > LOST || stages[stages.length - 1] === st) continue;
      stages.push(st);
      days.push(ev.day[i]!);
    }
    for (let k = 0; k < stages.length; k++) {
      if (stages[k]! >= OPEN_STAGES) continue;
      stays.push({ deal: d, rep, stage: stages[k]!, entry: days[k]!, exit: k + 1 < stages.length ? days[k + 1]! : undefined, amount });
    }
  }

  const byRepStage = new Map<number, Stay[]>();
  for (const s of stays) {
    if (s.rep < 0) continue;
    const key = s.rep * OPEN_STAGES + s.stage;
    let list = byRepStage.get(key);
    if (!list) byRepStage.set(key, (list = []));
    list.push(s);
  }
  const deadShare = [0, 1, 2, 3].map((stage) => usualDeadShare(stays, stage, asOf));
  const minScore = MIN_SURPRISE / sensitivity;
  let marginRate: number | undefined;
  const out: SignalOf<"pipeline_stall">[] = [];
  for (const [key, list] of byRepStage) {
    const rep = Math.floor(key / OPEN_STAGES);
    const s = key - rep * OPEN_STAGES;
    const stage = DEAL_STAGES[s]!;
    const repId = ids.reps.values[rep]!;
    const best = bestChangeDay(list, asOf, (a) => deadShare[s]! + (1 - deadShare[s]!) * (1 - (model.durationPercentile(stage, repId, a) ?? 0)));
    if (!best || best.score < minScore) continue;
    // without a cost on the year's lines the deals' value is their revenue (rate 1: the revenue
    // basis, as analyze values them; costs only on older lines gave rate 0 and "about 0 of
    // expected margin" beside analyze's 1,667 for the same stall: a review)
    marginRate ??= trailingMarginRate(view, asOf) ?? 1;
    out.push(signalOf(view, model, best, list, repId, stage, marginRate, ctx.asOfText, asOf, minScore, locale, ctx.basis));
  }
  return out.sort(bySignalOrder);
}

/** Ages (days) the survival memo of {@link bestChangeDay} holds at most: 100 years. */
const MEMO_DAYS = 36_525;

/**
 * One rep x stage: the change day of the last year whose stays are the most surprisingly stuck
 * (undefined when fewer than MIN_STUCK deals are stuck). `survivalOf(a)` = P(still in the stage
 * after a days); ages are whole days, so each is computed once per rep x stage (in a table).
 */
function bestChangeDay(list: readonly Stay[], asOf: number, survivalOf: (a: number) => number): Scan | undefined {
  // indexed loops: this runs for 60-odd rep x stage lists a run, mostly before it is optimized,
  // where `for...of` allocates an iterator result per element
  let open = 0, oldest = asOf;
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    if (x.exit === undefined) open++;
    if (x.entry < oldest) oldest = x.entry;
  }
  if (open < MIN_STUCK) return undefined;
  // a memo of the survival by age in days (ages past it computed each time: an asOf far past the
  // deals, which an epoch-day option allows, must not ask for gigabytes)
  const table = new Float64Array(Math.min(asOf - oldest + 1, MEMO_DAYS)).fill(Number.NaN);
  const survival = (a: number): number => {
    if (!(a >= 0 && a < table.length)) return survivalOf(a);
    let v = table[a]!;
    if (v !== v) v = table[a] = survivalOf(a);
    return v;
  };
  const candidates = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    if (x.exit === undefined) {
      if (x.entry >= asOf - LOOKBACK) candidates.add(x.entry);
    } else if (x.exit + 1 >= asOf - LOOKBACK && x.exit + 1 <= asOf) candidates.add(x.exit + 1);
  }
  let best: Scan | undefined;
  for (const t of [...candidates].sort((a, b) => a - b)) {
    const probs: number[] = [];
    const stuck: Stay[] = [];
    let expected = 0;
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      const t0 = Math.max(t, x.entry);
      if (t0 > asOf || (x.exit !== undefined && x.exit <= t0)) continue; // not in the stage on t0
      const pi = Math.min(1, survival(asOf - x.entry) / survival(t0 - x.entry));
      probs.push(pi);
      expected += pi;
      if (x.exit === undefined) stuck.push(x);
    }
    if (stuck.length < MIN_STUCK) continue;
    const { logTail, pValue } = stuck.length > expected ? poissonBinomialTail(probs, stuck.length) : { logTail: 0, pValue: 1 };
    const score = surprise(logTail);
    if (!best || score > best.score) {
      // deals, not stays: a deal that came back to the stage has two stays (the test counts each,
      // the message counts deals: "4 of 5 deals" read for 4 deals)
      const deals = new Set<number>();
      for (const x of list) {
        const t0 = Math.max(t, x.entry);
        if (t0 <= asOf && !(x.exit !== undefined && x.exit <= t0)) deals.add(x.deal);
      }
      best = { t, inStage: deals.size, stuck, expected, tail: pValue, score };
    }
  }
  return best;
}

/**
 * The usual share of never-ending stays in a stage, from stays old enough to know: of the team's
 * stays that entered the stage one to two years before asOf, the share still there at asOf,
 * (dead + 0.2) / (entered + 10) (a weak prior near 2%), at least 1%. Recent stays are left out, so
 * a stall under way does not excuse itself.
 */
function usualDeadShare(stays: readonly Stay[], stage: number, asOf: number): number {
  let n = 0, dead = 0;
  for (const x of stays) {
    if (x.stage !== stage || x.entry >= asOf - 365 || x.entry < asOf - 730) continue;
    n++;
    if (x.exit === undefined) dead++;
  }
  return Math.min(0.99, Math.max(MIN_DEAD_SHARE, (dead + 0.2) / (n + 10)));
}

function signalOf(view: Dataset, model: DealStageModel, scan: Scan, list: readonly Stay[], repId: string, stage: DealStage, marginRate: number, asOfText: string, asOf: number, minScore: number, locale: "en" | "he", basis: CostBasis): SignalOf<"pipeline_stall"> {
  const since = formatDay(scan.t);
  const win = model.stage(stage)?.winProbability ?? 0;
  const sum = new CompensatedSum(); // money
  let oldest = 0, priced = 0;
  for (const x of scan.stuck) {
    if (Number.isFinite(x.amount)) (sum.add(x.amount), priced++);
    oldest = Math.max(oldest, asOf - x.entry);
  }
  const amount = sum.value;
  // money in cents, as every other detector gives it (it read 23888.935784043028)
  const valueAtRisk = round(amount * win * marginRate, 2);
  // (no stuck deal with an amount: the value is unknown, not "about 0 of expected revenue"; some:
  // the value is theirs, said so; reviews 2026-12-07)
  const stuckN = scan.stuck.length;
  const partly = priced > 0 && priced < stuckN;
  const valueEn = priced > 0 ? `about ${money(valueAtRisk)} of expected ${basis}${partly ? ` (${priced} of ${stuckN} with an amount)` : ""}` : "their amounts are unknown";
  const valueHe = priced > 0 ? `כ-${money(valueAtRisk)} ${basis === "revenue" ? "הכנסות צפויות" : "רווח צפוי"}${partly ? ` (ל-${priced} מתוך ${stuckN} יש סכום)` : ""}` : "הסכומים שלהן אינם ידועים";
  // throughput: exits from the stage in the last 90 days against the mean per 90 days of the year before
  let recent = 0, before = 0;
  for (const x of list) {
    if (x.exit === undefined) continue;
    if (x.exit > asOf - 90) recent++;
    else if (x.exit > asOf - 455) before++;
  }
  const stuckIds = joinIds(scan.stuck.map((x) => view.ids.deals.values[x.deal]!).sort());
  const stats = model.stage(stage, repId);
  const expectedText = scan.expected < 0.1 ? "< 0.1" : fmt(scan.expected);
  return {
    id: signalId("pipeline_stall", repId, stage, since),
    type: "pipeline_stall",
    asOf: asOfText,
    since,
    repId,
    stage,
    severity: Math.min(1, scan.score / (2 * MIN_SURPRISE)),
    valueAtRisk,
    evidence: {
      stuck: scan.stuck.length,
      inStage: scan.inStage,
      expected: scan.expected,
      pValue: scan.tail,
      surprise: scan.score,
      threshold: minScore,
      oldestDays: oldest,
      typicalDays: stats?.typicalDays ?? Number.NaN,
      stuckAmount: amount,
      pricedDeals: priced,
      winProbability: win,
      exitsLast90: recent,
      exitsPer90Before: (before * 90) / 365,
      dealIds: stuckIds,
    },
    reason: { code: "pipeline_stall", params: { repId, stage, stuck: scan.stuck.length, inStage: scan.inStage, expected: scan.expected, since } },
    message: localized(
      locale,
      `Rep ${isoLtr(repId)}: ${scan.stuck.length} of ${scan.inStage} deals in ${stage} since ${since} have not moved (${expectedText} expected to still be there; oldest ${oldest} days, usually ${fmt(stats?.typicalDays ?? Number.NaN)} days); ${valueEn}`,
      `הנציג ${iso(repId)}: ${scan.stuck.length} מתוך ${scan.inStage} עסקאות בשלב ${stageName(stage, "he")} מאז ${since} לא התקדמו (צפוי ${expectedText}; הוותיקה ${oldest} ימים, בדרך כלל ${fmt(stats?.typicalDays ?? Number.NaN)} ימים); ${valueHe}`,
    ),
  };
}
