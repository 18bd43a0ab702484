import { parseDay } from "../../data/parse-day.ts";
import { MONTHS, periodBounds, periodIndex } from "../../kpi/period.ts";
import type { SignalType } from "../../signals/types.ts";
import type { BacktestTruth, BacktestTruthEvent, BacktestTruthScore } from "../types.ts";
import type { History } from "./history.ts";
import { quantiles, ratio, round } from "./stats.ts";

/** @internal Planted customer-level kinds: a customer with none of them is "quiet". */
export const CUSTOMER_EVENT_KINDS: ReadonlySet<string> = new Set(["churn", "frequency_drop", "item_dropped", "item_volume_drop", "diversity_drop"]);

/** @internal Which known-change kind each signal type is scored against. */
export const TRUTH_KIND: Readonly<Record<SignalType, string>> = {
  customer_overdue: "churn",
  frequency_drop: "frequency_drop",
  item_dropped: "item_dropped",
  item_volume_drop: "item_volume_drop",
  diversity_drop: "diversity_drop",
  product_vanishing: "product_vanishing",
  discount_anomaly: "discount_rise",
  pipeline_stall: "pipeline_stall",
  kpi_drop: "kpi_drop",
};

/** @internal The flags of one type (or baseline) on one match key over the replay. */
export interface FlagRecord {
  /** As-of days flagged, ascending. */
  readonly days: number[];
  /** Customer, for customer-keyed entities. */
  readonly customerId: string | undefined;
  /** Product, for customer x product entities. */
  readonly productId: string | undefined;
}

/** @internal A known change, keyed like the flags it should match. */
interface KeyedEvent {
  readonly key: string;
  readonly start: number;
  /** The change's last day (its end, else its start). */
  readonly end: number;
  readonly customer: number;
}

/** @internal The known changes for one signal type, with its "related change" rule. */
export interface TypeTruth {
  readonly events: readonly KeyedEvent[];
  /** Earliest start of a matching change per key. */
  readonly firstStart: ReadonlyMap<string, number>;
  /** Whether a flag of `rec` on `day` follows another true change of the same entity (docs/backtest.md). */
  readonly related: (rec: FlagRecord, day: number) => boolean;
}

/** @internal The key a known change of `type` is matched on (undefined: it lacks the fields). */
function eventKey(type: SignalType, e: BacktestTruthEvent): string | undefined {
  switch (type) {
    case "customer_overdue":
    case "frequency_drop":
    case "diversity_drop":
      return e.customerId;
    case "item_dropped":
    case "item_volume_drop":
      return e.customerId !== undefined && e.productId !== undefined ? `${e.customerId} / ${e.productId}` : undefined;
    case "product_vanishing":
      return e.segment !== undefined && e.productId !== undefined ? `${e.segment} / ${e.productId}` : undefined;
    case "discount_anomaly":
      return e.segment !== undefined ? `segment ${e.segment}` : undefined;
    case "pipeline_stall":
      return e.repId !== undefined && e.stage !== undefined ? `${e.repId} / ${e.stage}` : undefined;
    case "kpi_drop":
      return e.segment !== undefined ? `segment ${e.segment}` : e.repId !== undefined ? `rep ${e.repId}` : "company";
  }
}

/** @internal Start day of an event (undefined when not a valid date). */
function startOf(e: BacktestTruthEvent): number | undefined {
  try {
    return parseDay(e.start);
  } catch {
    return undefined;
  }
}

/** @internal The known changes of one type, keyed, with its related-change rule. */
export function truthFor(type: SignalType, truth: BacktestTruth, h: History): TypeTruth {
  const kind = TRUTH_KIND[type];
  const events: KeyedEvent[] = [];
  const firstStart = new Map<string, number>();
  const byCustomer = (k: string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const e of truth.events) {
      const s = startOf(e);
      if (e.type !== k || e.customerId === undefined || s === undefined) continue;
      if (!(s >= (m.get(e.customerId) ?? Infinity))) m.set(e.customerId, s);
    }
    return m;
  };
  for (const e of truth.events) {
    if (e.type !== kind) continue;
    const key = eventKey(type, e);
    const start = startOf(e);
    if (key === undefined || start === undefined) continue;
    let end = start;
    if (e.end !== undefined) {
      try {
        end = Math.max(start, parseDay(e.end));
      } catch {
        end = start;
      }
    }
    events.push({ key, start, end, customer: e.customerId !== undefined ? h.customer(e.customerId) : -1 });
    if (!(start >= (firstStart.get(key) ?? Infinity))) firstStart.set(key, start);
  }
  const vanishing: { segment: string; productId: string; start: number }[] = [];
  for (const e of truth.events) {
    const s = startOf(e);
    if (e.type === "product_vanishing" && e.segment !== undefined && e.productId !== undefined && s !== undefined) vanishing.push({ segment: e.segment, productId: e.productId, start: s });
  }
  const before = (m: Map<string, number>, id: string | undefined, day: number): boolean => id !== undefined && (m.get(id) ?? Infinity) <= day;
  let related: TypeTruth["related"] = () => false;
  if (type === "customer_overdue") {
    const drops = byCustomer("frequency_drop");
    related = (r, day) => before(drops, r.customerId, day);
  } else if (type === "frequency_drop") {
    const churn = byCustomer("churn");
    related = (r, day) => before(churn, r.customerId, day);
  } else if (type === "item_dropped") {
    const diversity = byCustomer("diversity_drop");
    related = (r, day) => {
      if (before(diversity, r.customerId, day)) return true;
      const seg = r.customerId !== undefined ? h.segment(h.customer(r.customerId)) : "";
      return vanishing.some((v) => v.segment === seg && v.productId === r.productId && v.start <= day);
    };
  } else if (type === "diversity_drop") {
    const dropped = byCustomer("item_dropped");
    related = (r, day) => {
      if (before(dropped, r.customerId, day)) return true;
      if (r.customerId === undefined) return false;
      const c = h.customer(r.customerId);
      const seg = h.segment(c);
      return vanishing.some((v) => v.segment === seg && v.start <= day && h.itemDays(c, v.productId).some((d) => d < v.start));
    };
  }
  return { events, firstStart, related };
}

/** @internal Where the replay ran, for scoring. */
export interface ScoreWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * @internal Score one type's (or baseline's) flags against its known changes: recall and delay
 * per change starting in [from, to] (first flag of its key at or after the start), precision per
 * flagged key (first flag at or after a matching change), false alarms per quarter.
 */
export function scoreFlags(
  flags: ReadonlyMap<string, FlagRecord>,
  tt: TypeTruth,
  h: History,
  w: ScoreWindow,
  quiet: { readonly mean: number; readonly max: number } | undefined,
): BacktestTruthScore {
  let events = 0;
  let found = 0;
  const delays: number[] = [];
  const delayGaps: number[] = [];
  const fromEnd: number[] = [];
  for (const e of tt.events) {
    if (e.start < w.from || e.start > w.to) continue;
    events++;
    const days = flags.get(e.key)?.days;
    const hit = days?.find((d) => d >= e.start);
    if (hit === undefined) continue;
    found++;
    delays.push(hit - e.start);
    fromEnd.push(hit - e.end);
    const gap = e.customer >= 0 ? h.medianGapBefore(e.customer, e.start) : undefined;
    if (gap !== undefined && gap > 0) delayGaps.push(round((hit - e.start) / gap));
  }
  let trueEntities = 0;
  let relatedEntities = 0;
  for (const [key, rec] of flags) {
    const first = rec.days[0]!;
    if ((tt.firstStart.get(key) ?? Infinity) <= first) trueEntities++;
    else if (tt.related(rec, first)) relatedEntities++;
  }
  const quarters = (w.to - w.from + 1) / 91.3125;
  return {
    events,
    found,
    recall: ratio(found, events),
    flaggedEntities: flags.size,
    trueEntities,
    precision: ratio(trueEntities, flags.size),
    precisionRelated: ratio(trueEntities + relatedEntities, flags.size),
    delayDays: quantiles(delays),
    delayFromEndDays: quantiles(fromEnd),
    delayGaps: quantiles(delayGaps),
    falseAlarmsPerQuarter: round((flags.size - trueEntities - relatedEntities) / quarters),
    quietPerCustomerMonth: quiet,
  };
}

/**
 * @internal New situations on quiet customers (no planted customer-level change) per quiet
 * customer and calendar month, over the months wholly inside [from, to] in which the method
 * looked (`looks`, ascending) after its first look (undefined when none): mean and worst month. A
 * customer counts in a month once it has a purchase before it. Only situations first flagged
 * after the first look are new: those it found on that day were already there (a month's rate
 * must not depend on where `from` falls).
 */
export function quietRate(firsts: readonly { readonly customerId: string; readonly day: number }[], truth: BacktestTruth, h: History, w: ScoreWindow, looks: readonly number[]): { mean: number; max: number } | undefined {
  const since = looks[0] ?? w.to;
  const eventful = new Set<string>();
  for (const e of truth.events) if (e.customerId !== undefined && CUSTOMER_EVENT_KINDS.has(e.type)) eventful.add(e.customerId);
  const ids = h.view.ids.customers.values;
  const firstBuy: number[] = [];
  for (let c = 0; c < h.days.length; c++) if (!eventful.has(ids[c]!) && h.days[c]!.length > 0) firstBuy.push(h.days[c]![0]!);
  const months: [number, number][] = [];
  const first = periodIndex(w.from, MONTHS);
  for (let k = periodBounds(first, MONTHS).start === w.from ? first : first + 1; ; k++) {
    const { start, end } = periodBounds(k, MONTHS);
    if (end > w.to) break;
    months.push([start, end]);
  }
  // only months in which the method looked after its first look: the static report, looking on
  // the 1sts only, shows no new situation in the month its first look opens (those it lists then
  // were already there), and that month's 0 lowered the mean (its 1.71% on 2025-11..2026-10
  // counted November as 0); a replay looks weekly, so its first month counts from its second look
  // ... and months with a quiet customer (one counts from the month after its first purchase): a
  // month before any was scored 0, so a replay reaching back before the data read a lower mean
  // (the rate must not depend on where `from` falls), and no quiet customer at all read 0, not
  // undefined (an empty group)
  const scored = months.filter(([a, b]) => looks.some((d) => d > since && d >= a && d <= b) && firstBuy.some((x) => x < a));
  if (scored.length === 0) return undefined;
  const rates = scored.map(([a, b]) => {
    const n = firsts.filter((f) => f.day > since && f.day >= a && f.day <= b && !eventful.has(f.customerId)).length;
    return n / firstBuy.filter((x) => x < a).length;
  });
  return { mean: round(rates.reduce((s, x) => s + x, 0) / rates.length), max: round(Math.max(...rates)) };
}
