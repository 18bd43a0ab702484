import { asOfView } from "../data/as-of-view.ts";
import { checkDataset } from "../data/internal/check-dataset.ts";
import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkFunction, checkInt, checkNumber, isDayText, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { parseDay } from "../data/parse-day.ts";
import { optionDay } from "../data/internal/option-day.ts";
import { businessDays } from "../patterns/internal/customer-calendar.ts";
import { selectedTypes } from "../signals/internal/selected-types.ts";
import type { Signal, SignalType } from "../signals/types.ts";
import { emptyFlags, firstsOfMonth, naiveRhythmStep, staticMonthlyReport, type BaselineFlags } from "./internal/baselines.ts";
import { CUSTOMER_TYPES, entityOf, ITEM_TYPES, matchKeyOf } from "./internal/entity.ts";
import { purchaseHistory, type History } from "./internal/history.ts";
import { overdueCheck, type OverdueFlag } from "./internal/overdue.ts";
import { replayStep } from "./internal/replay-step.ts";
import { quantiles, ratio, round } from "./internal/stats.ts";
import { quietRate, scoreFlags, truthFor, type FlagRecord, type ScoreWindow } from "./internal/truth.ts";
import type {
  BacktestBaseline,
  BacktestEntity,
  BacktestOptions,
  BacktestResult,
  BacktestSituation,
  BacktestTruth,
  BacktestTypeReport,
} from "./types.ts";

const FN = "backtest";
const KEYS: OptionKeys<BacktestOptions> = { from: true, to: true, every: true, truth: true, types: true, sensitivity: true, calendar: true, onProgress: true };
/** Days after a flag in which a purchase counts as "bought again". */
const BOUGHT_AGAIN_DAYS = 90;

/** One situation while the replay runs. */
interface Situation {
  readonly first: Signal;
  readonly entity: string;
  readonly firstDay: number;
  lastDay: number;
  times: number;
}

/**
 * Replay the signals over history, as of every `every` days from `from` to `to`, and measure them.
 *
 * Each as-of day sees only the orders and deal events up to that day (the dataset is cut at `to`
 * first, so nothing later is ever read) and runs what the real-time engine's tick would: one
 * pattern model fitted that day, shared by the selected detectors (detectSignals). It records
 * when every situation (signal id) and every entity (customer, customer x product, segment x
 * product, segment or rep, rep x stage, KPI x group) was first flagged and when it cleared, and
 * reports per type:
 * - without ground truth (what a host can run on its own data): situations, new ones per as-of
 *   day, resolved ones, how often the customer or item was bought again within 90 days; for
 *   customer_overdue, the share of flagged customers that indeed did not order within their p90
 *   gap after the flag, and the lead time against a static monthly report (a customer listed
 *   once it has had no order for 90 days, looked at on the 1st of each month);
 * - with `truth` (the synthetic distributor's truth.json format): recall, precision (also
 *   counting related true changes), delay from the change to the flag in days and in multiples
 *   of the customer's median gap, false alarms per quarter, and new alerts on quiet customers per
 *   month; customer_overdue and frequency_drop are compared with the static monthly report and a
 *   naive own-rhythm rule (gamma on the last gaps, flag below survival 1/2000) run on the same
 *   days. Matching rules: docs/backtest.md. Deterministic.
 *
 * @param dataset - a dataset or as-of view
 * @param options - from (default `to` − 364), to (default: the last order day), every (days,
 *   default 7), truth, types (default all), sensitivity (default 1), calendar, onProgress
 * @returns the situations, entities and one report per type
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown option, a bad date, `from` after `to`,
 *   a bad `every`, an unknown type, a bad sensitivity, calendar, truth or onProgress
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backtest, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 61; w++) { // weekly on Mondays from 2026-01-05: C1 until 2026-10-05, C2 through 2027-03-01
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   if (w < 40) orders.push({ order_id: `A${w}`, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
 *   orders.push({ order_id: `B${w}`, order_date, customer_id: "C2", product_id: "P", quantity: 5, unit_price: 3, unit_cost: 2 });
 * }
 * const { dataset } = fromRowsSync({ orders });
 * const result = backtest(dataset, { from: "2026-09-07", to: "2027-03-01", types: ["customer_overdue"] });
 * const [situation] = result.situations;
 * assert.equal(situation?.id, "customer_overdue:C1:2026-10-05");
 * const overdue = result.byType[0]!.overdue!;
 * assert.equal(overdue.leadDays!.median, 98); // flagged 2026-10-26; the monthly report lists it on 2027-02-01
 * assert.equal(overdue.confirmedShare, 1); // and it never came back
 * ```
 */
export function backtest(dataset: Dataset, options?: BacktestOptions): BacktestResult {
  const o = optionsObject(options, FN, KEYS);
  checkDateLike(o, "from", FN);
  checkDateLike(o, "to", FN);
  checkInt(o, "every", 1, 366, FN);
  checkNumber(o, "sensitivity", 1e-3, 1e3, FN);
  checkFunction(o, "onProgress", FN);
  const opts = (options ?? {}) as BacktestOptions;
  const types = selectedTypes(opts.types, FN, true);
  const truth = checkTruth(opts.truth);
  businessDays(o, FN); // checked here; the detectors read it at every as-of day
  const every = opts.every ?? 7;
  const sensitivity = opts.sensitivity ?? 1;
  // nothing is known after an as-of view's day, or after the data's last order day: a later `to`
  // is that day (the detectors stop there too; the baselines and outcome checks would read the
  // unknown days as silence: with `to` 92 days past the data, 99% of the overdue flags read
  // "confirmed" and recall 2/2 came from days after the data, until 2026-12-07)
  checkDataset(dataset, FN);
  const known = dataset.asOf ?? dataset.dayRange?.last;
  // (a Date is its instant's day in the dataset's time zone, as asOf everywhere)
  const asked = opts.to !== undefined ? optionDay(opts.to, "to", dataset.timeZone) : undefined;
  // no order and no `to`: no day is known, nothing is replayed (it replayed 1969, the year before
  // day 0, until 2026-12-07; with `from` given it threw "from is after the data's last day 1970-01-01")
  const none = asked === undefined && known === undefined;
  const to = asked !== undefined ? Math.min(asked, known ?? Number.POSITIVE_INFINITY) : (known ?? 0);
  const from = opts.from !== undefined ? optionDay(opts.from, "from", dataset.timeZone) : to - 364;
  if (from > to && !none) {
    // (the clipped `to` named as the data's last day: "after to 2026-10-31" named a --to never given)
    const what = asked === undefined || asked > to ? `the data's last day ${formatDay(to)}` : `to ${formatDay(to)}`;
    throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option from: ${formatDay(from)} is after ${what}`, { option: "from", value: opts.from });
  }

  const view = asOfView(dataset, to);
  const h = purchaseHistory(view);
  const asOfs: number[] = [];
  if (!none) for (let d = from; d <= to; d += every) asOfs.push(d);
  const settings = { types, sensitivity, calendar: opts.calendar };

  const situations = new Map<string, Situation>();
  const flags = new Map<SignalType, Map<string, FlagRecord>>(types.map((t) => [t, new Map()]));
  const newCounts = new Map<SignalType, number[]>(types.map((t) => [t, []]));
  const shown = new Map<SignalType, number>(types.map((t) => [t, 0]));
  const overdueFlags: OverdueFlag[] = [];
  const compare = types.includes("customer_overdue") || types.includes("frequency_drop");
  const naive: BaselineFlags = emptyFlags();
  const entities = new Map<string, { type: SignalType; entity: string; first: number; n: number; times: number; seen: number }>();
  for (const [k, asOf] of asOfs.entries()) {
    const { signals, model } = replayStep(view, asOf, settings);
    const fresh = new Map<SignalType, number>();
    for (const s of signals) {
      shown.set(s.type, shown.get(s.type)! + 1);
      const known = situations.get(s.id);
      if (known) {
        known.lastDay = asOf;
        known.times++;
      } else {
        situations.set(s.id, { first: s, entity: entityOf(s), firstDay: asOf, lastDay: asOf, times: 1 });
        fresh.set(s.type, (fresh.get(s.type) ?? 0) + 1);
        if (s.type === "customer_overdue" && s.customerId !== undefined && k > 0) {
          const r = model?.customer(s.customerId);
          const gap = r?.nextP90 !== undefined && r.lastOrder !== undefined ? parseDay(r.nextP90) - parseDay(r.lastOrder) : undefined;
          overdueFlags.push({ customerId: s.customerId, day: asOf, gapP90: gap });
        }
      }
      const ek = `${s.type}\u0000${situations.get(s.id)!.entity}`;
      const e = entities.get(ek);
      if (e === undefined) entities.set(ek, { type: s.type, entity: situations.get(s.id)!.entity, first: asOf, n: 1, times: 1, seen: asOf });
      else {
        if (!known) e.n++;
        if (e.seen !== asOf) e.times++;
        e.seen = asOf;
      }
      const key = matchKeyOf(s);
      const byKey = flags.get(s.type)!;
      const rec = byKey.get(key);
      if (rec === undefined) byKey.set(key, { days: [asOf], customerId: s.customerId, productId: s.productId });
      else if (rec.days[rec.days.length - 1] !== asOf) rec.days.push(asOf);
    }
    if (k > 0) for (const t of types) newCounts.get(t)!.push(fresh.get(t) ?? 0);
    if (compare) naiveRhythmStep(h, asOf, naive);
    opts.onProgress?.({ done: k + 1, total: asOfs.length, asOf: formatDay(asOf) });
  }

  const last = asOfs[asOfs.length - 1]!;
  const window: ScoreWindow = { from, to };
  const report: BaselineFlags = compare ? staticMonthlyReport(h, from, to) : emptyFlags();
  const sorted = [...situations.values()].sort((a, b) => a.firstDay - b.firstDay || (a.first.id < b.first.id ? -1 : a.first.id > b.first.id ? 1 : 0));
  const byType: BacktestTypeReport[] = types.map((type) => {
    const mine = sorted.filter((s) => s.first.type === type);
    const news = newCounts.get(type)!;
    const resolvedOnes = mine.filter((s) => s.lastDay < last);
    const tt = truth !== undefined ? truthFor(type, truth, h) : undefined;
    const customerKeyed = CUSTOMER_TYPES.has(type) || ITEM_TYPES.has(type);
    // (a flag a planted segment-level change explains, an item its segment's vanishing product, is
    // no noise on a quiet customer: it counted as such, and item_dropped's quiet rate read 2.3x)
    const firsts = mine
      .filter((s) => tt === undefined || !tt.related({ days: [s.firstDay], customerId: s.first.customerId, productId: s.first.productId }, s.firstDay))
      .map((s) => ({ customerId: s.first.customerId ?? "", day: s.firstDay }));
    const baselines: BacktestBaseline[] = [];
    if (type === "customer_overdue" || type === "frequency_drop") {
      // the days each baseline looks: the report on the 1sts in the window, the rule on the as-of days
      const looks = { static_monthly_report: firstsOfMonth(from, to), naive_rhythm: asOfs };
      for (const [name, b] of [["static_monthly_report", report], ["naive_rhythm", naive]] as const) {
        baselines.push({
          name,
          flaggedEntities: b.days.size,
          situations: b.episodes.size,
          truth: tt !== undefined && truth !== undefined ? scoreFlags(baselineRecords(b), tt, h, window, quietRate([...b.episodes.values()], truth, h, window, looks[name])) : undefined,
        });
      }
    }
    return {
      type,
      situations: mine.length,
      entities: new Set(mine.map((s) => s.entity)).size,
      openAtStart: mine.filter((s) => s.firstDay === from).length,
      // (no as-of day after the first: nothing to average, undefined rather than 0)
      newPerAsOfMean: news.length ? round(news.reduce((a, b) => a + b, 0) / news.length) : undefined,
      newPerAsOfMax: news.length ? Math.max(...news) : undefined,
      shownPerAsOfMean: round(shown.get(type)! / asOfs.length),
      resolved: resolvedOnes.length,
      daysToResolve: quantiles(resolvedOnes.map((s) => s.lastDay + every - s.firstDay)),
      // (not for the types that require the customer, or the item, to keep being bought: 100 % by construction)
      boughtAgainWithin90: customerKeyed && type !== "diversity_drop" && type !== "item_volume_drop" ? boughtAgain(mine, h, to) : undefined,
      overdue: type === "customer_overdue" ? overdueCheck(overdueFlags, h, to) : undefined,
      truth: tt !== undefined && truth !== undefined ? scoreFlags(flags.get(type)!, tt, h, window, customerKeyed ? quietRate(firsts, truth, h, window, asOfs) : undefined) : undefined,
      baselines,
    };
  });

  const outSituations: BacktestSituation[] = sorted.map((s) => ({
    id: s.first.id,
    type: s.first.type,
    entity: s.entity,
    customerId: s.first.customerId,
    productId: s.first.productId,
    since: s.first.since,
    firstFlagged: formatDay(s.firstDay),
    lastFlagged: formatDay(s.lastDay),
    timesFlagged: s.times,
    resolved: s.lastDay < last ? formatDay(s.lastDay + every) : undefined,
    severity: s.first.severity,
    valueAtRisk: s.first.valueAtRisk,
  }));
  return {
    from: none ? undefined : formatDay(from),
    to: none ? undefined : formatDay(to),
    every,
    asOfDays: asOfs.map(formatDay),
    types,
    sensitivity,
    byType,
    situations: outSituations,
    entities: entitiesOf(entities, types),
  };
}

/** Per-entity first flags, in type order, then first flag day, then entity. */
function entitiesOf(m: ReadonlyMap<string, { type: SignalType; entity: string; first: number; n: number; times: number }>, types: readonly SignalType[]): BacktestEntity[] {
  return [...m.values()]
    .sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type) || a.first - b.first || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0))
    .map((e) => ({ type: e.type, entity: e.entity, firstFlagged: formatDay(e.first), situations: e.n, timesFlagged: e.times }));
}

/** A baseline's listings as flag records keyed by customer. */
function baselineRecords(b: BaselineFlags): Map<string, FlagRecord> {
  const out = new Map<string, FlagRecord>();
  for (const [id, days] of b.days) out.set(id, { days, customerId: id, productId: undefined });
  return out;
}

/** Share of customer (or customer x product) situations bought again within 90 days of the first flag, over those flagged by `to` − 90. */
function boughtAgain(mine: readonly Situation[], h: History, to: number): { checkable: number; share: number | undefined } {
  let checkable = 0;
  let again = 0;
  for (const s of mine) {
    if (s.firstDay + BOUGHT_AGAIN_DAYS > to || s.first.customerId === undefined) continue;
    const c = h.customer(s.first.customerId);
    if (c < 0) continue;
    checkable++;
    const until = s.firstDay + BOUGHT_AGAIN_DAYS;
    if (s.first.productId !== undefined) {
      if (h.itemDays(c, s.first.productId).some((d) => d > s.firstDay && d <= until)) again++;
    } else if (h.boughtIn(c, s.firstDay, until)) again++;
  }
  return { checkable, share: ratio(again, checkable) };
}


/** The ids each kind of planted change is matched by (kinds not listed need none or are not scored). */
const REQUIRED_IDS: Readonly<Record<string, readonly string[]>> = {
  churn: ["customerId"],
  frequency_drop: ["customerId"],
  diversity_drop: ["customerId"],
  item_dropped: ["customerId", "productId"],
  item_volume_drop: ["customerId", "productId"],
  product_vanishing: ["segment", "productId"],
  discount_rise: ["segment"],
  pipeline_stall: ["repId", "stage"],
};

/** The truth object: `{ events: [{ type, start, ... }] }`; INVALID_OPTION otherwise. */
function checkTruth(truth: unknown): BacktestTruth | undefined {
  if (truth === undefined) return undefined;
  const bad = (why: string): never => {
    throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option truth: ${why}`, { option: "truth", value: truth });
  };
  if (typeof truth !== "object" || truth === null || !Array.isArray((truth as { events?: unknown }).events)) bad("expected an object with an events array (truth.json)");
  for (const [i, e] of ((truth as { events: unknown[] }).events).entries()) {
    if (typeof e !== "object" || e === null) bad(`events[${i}] is not an object`);
    const { type, start, end } = e as { type?: unknown; start?: unknown; end?: unknown };
    if (typeof type !== "string") bad(`events[${i}].type is not a string`);
    if (!isDayText(start)) bad(`events[${i}].start is not a YYYY-MM-DD date`);
    if (end !== undefined && !isDayText(end)) bad(`events[${i}].end is not a YYYY-MM-DD date`);
    // ids are texts, as in the data: a number (a host with numeric customer ids) matched nothing,
    // and its change scored as a miss beside a false alarm, silently
    for (const f of ["customerId", "productId", "segment", "repId", "stage", "variant"] as const) {
      const v = (e as Record<string, unknown>)[f];
      if (v !== undefined && typeof v !== "string") bad(`events[${i}].${f} is not a string`);
    }
    // the ids a change is matched by: without them it matched nothing and vanished from the
    // counts (a churn without customerId, a customer_id spelled the data's way)
    for (const f of REQUIRED_IDS[type as string] ?? []) {
      if ((e as Record<string, unknown>)[f] === undefined) bad(`events[${i}] (${type as string}) has no ${f}`);
    }
  }
  return truth as BacktestTruth;
}

