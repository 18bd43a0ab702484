import { CompensatedSum as Sum } from "../data/internal/compensated-sum.ts";
import { SIGNAL_TYPES } from "../signals/signal-types.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkEnum, checkInt, checkKnownKeys, checkNumber, isDayText, optionsObject } from "../data/internal/check.ts";
import { parseDay } from "../data/parse-day.ts";
import { buildTask, finishTask, indexAnalysis, isRiskTask, riskParts, type AnalysisIndex, type Candidate } from "./internal/build-tasks.ts";
import { RANK_TASKS_KEYS, RULE_KEYS } from "./internal/option-keys.ts";
import type { Analysis, FollowThrough, FollowThroughItem, FollowThroughRate, RankedTasks, RankTasksOptions, RepRanking, SuppressedTask, Task, TaskCandidate, TaskKind } from "./types.ts";

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Rep order: ids, then the unassigned (`null`) last. */
const byRep = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : cmp(a, b));
/** Rank order: priority, then value, descending; then id. */
const byPriority = (a: TaskCandidate, b: TaskCandidate): number => b.priority - a.priority || b.value - a.value || cmp(a.id, b.id);

function invalid(option: string, value: unknown, expected: string): never {
  throw new OrderpulseError("INVALID_OPTION", `rankTasks: invalid option ${option}: expected ${expected}`, { option, value });
}

/**
 * Rank each rep's tasks for the week: one task per customer (its signals, offers and deals
 * merged, valued with the analysis's value model), highest priority first, at most `perRep` per
 * rep, with a diversity rule (at most `maxPerKind` tasks of one kind: churn, item, pipeline,
 * cross_sell, reorder), a value floor (a task below `minValue` or below `relativeFloor` × the
 * rep's top priority is never shown: no padding), deterministic ties (priority, value, then id),
 * snoozed and acknowledged tasks or signals left out, and host rules that suppress tasks or
 * boost their priority (docs/tasks.md).
 *
 * Each task has the suggested actions (visit / call / email, rule in docs/tasks.md), talking
 * points in the requested locale, its offers with prices, and the content to send (content items
 * matching the offered products, their families, or the customer's segment).
 *
 * Given last week's result as `previous`: each task is `new` or `open` (with the day it was first
 * shown), last week's tasks are followed through (`done` when what settles the task's risk
 * happened within `doneWithinDays` of last week's asOf: an overdue customer ordered, a dropped
 * product was bought again, a deal left its stage, a slowdown, narrower basket or smaller volume
 * is no longer flagged after an order (a purchase of the item); for an offers-only task an
 * offered product was bought; `open`; `dropped`), per-rep follow-through rates are appended to last week's history, and
 * high-value tasks open longer than `escalateAfterDays` are escalations.
 *
 * @param analysis - the result of {@link analyze}
 * @param options - asOf, perRep (default 6), maxPerKind, minValue, relativeFloor, highValue,
 *   previous, doneWithinDays, escalateAfterDays, snoozed, acknowledged, rules, locale, maxContent
 * @returns the ranked tasks (plain data)
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or an analysis of another version
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze, fromRowsSync, rankTasks } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) { // weekly on Mondays, then silent from 2026-10-12
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 5, unit_cost: 3 });
 * }
 * const { dataset } = fromRowsSync({ orders, customers: [{ customer_id: "C1", rep_id: "R1" }] });
 * const ranked = rankTasks(analyze(dataset, { asOf: "2026-11-09" }), { perRep: 5 });
 * const [task] = ranked.tasks;
 * assert.equal(task?.id, "task:C1");
 * assert.equal(task?.repId, "R1");
 * assert.equal(task?.kind, "churn");
 * assert.ok(task.value > 0);
 * assert.equal(rankTasks(analyze(dataset, { asOf: "2026-11-09" }), { acknowledged: ["task:C1"] }).tasks.length, 0);
 * ```
 */
export function rankTasks(analysis: Analysis, options?: RankTasksOptions): RankedTasks {
  const fn = "rankTasks";
  if (analysis === null || typeof analysis !== "object" || analysis.version !== 1 || !Array.isArray(analysis.values) || !Array.isArray(analysis.customers) || typeof analysis.asOf !== "string") invalid("analysis", analysis, "an Analysis of version 1 (analyze())");
  const o = optionsObject(options, fn, RANK_TASKS_KEYS);
  checkDateLike(o, "asOf", fn);
  checkInt(o, "perRep", 1, 50, fn);
  checkInt(o, "maxPerKind", 1, 50, fn);
  checkNumber(o, "minValue", 0, Number.MAX_VALUE, fn);
  checkNumber(o, "relativeFloor", 0, 1, fn);
  checkNumber(o, "highValue", 0, Number.MAX_VALUE, fn);
  checkInt(o, "doneWithinDays", 1, 90, fn);
  checkInt(o, "escalateAfterDays", 1, 365, fn);
  checkInt(o, "maxContent", 0, 10, fn);
  checkEnum(o, "locale", ["en", "he"], fn);
  const opts = options ?? {};
  if (opts.snoozed !== undefined && (!Array.isArray(opts.snoozed) || opts.snoozed.some((x) => typeof x?.id !== "string"))) invalid("snoozed", opts.snoozed, "an array of { id, until }");
  if (opts.acknowledged !== undefined && (!Array.isArray(opts.acknowledged) || opts.acknowledged.some((x) => typeof x !== "string"))) invalid("acknowledged", opts.acknowledged, "an array of ids");
  if (opts.rules !== undefined) {
    if (!Array.isArray(opts.rules)) invalid("rules", opts.rules, "an array of rules");
    for (const [i, r] of opts.rules.entries()) {
      if (typeof r?.id !== "string" || typeof r.when !== "function" || (r.effect !== "suppress" && r.effect !== "boost")) invalid("rules", r, "{ id, effect: suppress | boost, when }");
      // a misspelled field (factr: 5) left the boost at its default
      checkKnownKeys(r as unknown as Record<string, unknown>, RULE_KEYS, fn, `rules[${i}]`);
      if (r.factor !== undefined && !(typeof r.factor === "number" && r.factor > 0 && Number.isFinite(r.factor))) invalid("rules", r, "a factor > 0");
    }
  }
  // (a RankedTasks, not any object of version 1: an Analysis or a brief has one too)
  const prev = opts.previous;
  if (prev !== undefined && (typeof prev !== "object" || prev === null || prev.version !== 1 || typeof prev.asOf !== "string" || !Array.isArray(prev.tasks) || !Array.isArray(prev.byRep) || (prev.tracked !== undefined && !Array.isArray(prev.tracked)))) invalid("previous", prev, "a RankedTasks of version 1");
  // the fields the follow-through and the tracking read, task by task (a trimmed ranking, a task
  // without its offers, failed with a TypeError deep inside)
  if (prev !== undefined) {
    const list = (x: unknown): boolean => Array.isArray(x) && x.every((e) => typeof e === "object" && e !== null);
    const text = (x: unknown): boolean => typeof x === "string";
    for (const [i, t] of prev.tasks.entries()) {
      const ok = typeof t === "object" && t !== null && text(t.id) && isDayText(t.firstShown) && (t.repId === null || text(t.repId)) && (t.customerId === undefined || text(t.customerId)) && typeof t.value === "number" && list(t.offers) && list(t.components) && list(t.deals);
      if (!ok) invalid("previous", t, `a RankedTasks whose tasks[${i}] has id, repId, firstShown, value, offers, components and deals`);
    }
    for (const [i, t] of (prev.tracked ?? []).entries()) if (typeof t !== "object" || t === null || !text(t.taskId) || !isDayText(t.firstShown)) invalid("previous", t, `a RankedTasks whose tracked[${i}] has taskId and firstShown`);
    for (const [i, r] of prev.byRep.entries()) if (typeof r !== "object" || r === null || !(r.repId === null || text(r.repId))) invalid("previous", r, `a RankedTasks whose byRep[${i}] has repId`);
    const history: unknown = (prev.followThrough as { history?: unknown } | null | undefined)?.history;
    if (history !== undefined && !Array.isArray(history)) invalid("previous", history, "a RankedTasks whose followThrough.history is a list");
  }
  const asOf = opts.asOf !== undefined ? parseDay(opts.asOf, "asOf") : parseDay(analysis.asOf, "asOf");
  const asOfText = formatDay(asOf);
  if (prev !== undefined) {
    // its follow-through reads the purchases since its day from the facts' recent window: a later
    // ranking (its deals not yet there counted as moved) or one before the window (every task read
    // undone, 0%) gave wrong rates without a word
    // (both bounds from the analysis' day: its facts' recent purchases end there, whatever asOf the
    // ranking is made at)
    const since = isDayText(prev.asOf) ? parseDay(prev.asOf, "previous.asOf") : invalid("previous", prev.asOf, "a RankedTasks with a YYYY-MM-DD asOf");
    const factsDay = parseDay(analysis.asOf, "asOf");
    // (one of the analysis' own day has no day to follow through: every task read undone, 0%)
    if (since >= factsDay) invalid("previous", prev.asOf, `a ranking of a day before the analysis' ${analysis.asOf}`);
    const recent = analysis.recentDays;
    if (recent !== undefined && since + 1 < factsDay - recent + 1) invalid("previous", prev.asOf, `a ranking of the analysis' last ${recent} days (recentDays: the follow-through reads the purchases since it from there)`);
  }
  const perRep = opts.perRep ?? 6;
  const maxPerKind = opts.maxPerKind ?? Math.ceil(perRep / 2);
  const relativeFloor = opts.relativeFloor ?? 0.05;
  const minValue = opts.minValue ?? 0;
  const locale = opts.locale ?? analysis.locale;
  const previous = opts.previous;

  // hidden: acknowledged ids and snoozes still running
  const hidden = new Set<string>(opts.acknowledged ?? []);
  for (const s of opts.snoozed ?? []) if (asOf < parseDay(s.until, "snoozed.until")) hidden.add(s.id);

  const ix = indexAnalysis(analysis);
  const firstShown = new Map<string, string>();
  // the rep each tracked task was shown to: a task whose customer moved to another rep is new to
  // that rep (until 2026-12-07 it kept its age: "open since Oct 3" and escalated on the new
  // owner's first day with it; a review)
  const shownTo = new Map<string, string | null>();
  if (previous) {
    for (const t of previous.tracked ?? []) {
      firstShown.set(t.taskId, t.firstShown);
      if (t.repId !== undefined) shownTo.set(t.taskId, t.repId);
    }
    for (const t of previous.tasks) {
      if (!firstShown.has(t.id)) firstShown.set(t.id, t.firstShown);
      if (!shownTo.has(t.id)) shownTo.set(t.id, t.repId);
    }
  }
  // last week's follow-through (whether a task is done does not depend on this week's candidates;
  // open or dropped does, and is settled below)
  const followed = previous ? follow(previous, ix, asOf, parseDay(analysis.asOf, "analysis.asOf"), opts.doneWithinDays ?? 14, analysis.signalTypes) : undefined;
  // a task last week's follow-through calls done that is a candidate again is a new one, shown
  // from today. Until 2026-12-07 it kept its first day: "open for 28 days" and escalated, beside "done"
  for (const it of followed?.items ?? []) if (it.status === "done") firstShown.delete(it.taskId);

  // candidates, one per customer, in customer id order
  const settings = { locale, asOf: asOfText, maxContent: opts.maxContent ?? 3, hidden };
  const built: Candidate[] = [];
  for (const customerId of [...ix.byCustomer.keys()].sort(cmp)) {
    const b = buildTask(customerId, ix.byCustomer.get(customerId)!, ix, settings);
    if (!b || hidden.has(b.id)) continue;
    const to = shownTo.get(b.id);
    if (to !== undefined && to !== b.repId) firstShown.delete(b.id);
    const seen = firstShown.get(b.id);
    built.push(seen !== undefined ? { ...b, status: "open", firstShown: seen } : b);
  }
  // host rules
  const suppressed: SuppressedTask[] = [];
  const finished: Candidate[] = [];
  for (const b of built) {
    let task = b;
    let drop: string | undefined;
    for (const rule of opts.rules ?? []) {
      if (!rule.when(task)) continue;
      if (rule.effect === "suppress") {
        drop = rule.id;
        break;
      }
      task = { ...task, priority: task.priority * (rule.factor ?? 2), boostedBy: [...task.boostedBy, rule.id] };
    }
    if (drop !== undefined) suppressed.push({ taskId: task.id, ruleId: drop });
    else finished.push(task);
  }
  // high-value threshold: the 75th percentile (nearest rank) of the values of the candidates at or
  // above their rep's floor (relative to its top priority, as the lists below are cut), after the
  // host rules (until 2026-12-07 before them: a suppressed task's value and an unboosted top set it)
  const topOfRep = new Map<string | null, number>();
  for (const t of finished) topOfRep.set(t.repId, Math.max(topOfRep.get(t.repId) ?? 0, t.priority));
  const sortedValues = finished
    .filter((t) => t.priority >= Math.max(minValue, relativeFloor * topOfRep.get(t.repId)!) && t.value >= minValue)
    .map((t) => t.value)
    .sort((x, y) => x - y);
  const highValue = opts.highValue ?? (sortedValues.length > 0 ? sortedValues[Math.min(sortedValues.length - 1, Math.ceil(0.75 * sortedValues.length) - 1)]! : 0);

  // per rep: floor, diversity cap, perRep; texts only for the tasks shown
  const groups = new Map<string | null, Candidate[]>();
  for (const t of finished) {
    let g = groups.get(t.repId);
    if (!g) groups.set(t.repId, (g = []));
    g.push(t);
  }
  const tasks: Task[] = [];
  const reps: RepRanking[] = [];
  for (const repId of [...groups.keys()].sort(byRep)) {
    const list = groups.get(repId)!.sort(byPriority);
    const floor = Math.max(minValue, relativeFloor * (list[0]?.priority ?? 0));
    const perKind = new Map<TaskKind, number>();
    const shown: Task[] = [];
    let belowFloor = 0, capped = 0;
    for (const t of list) {
      if (!(t.priority >= floor) || !(t.value >= minValue) || !(t.value > 0)) {
        belowFloor++;
        continue;
      }
      if (shown.length >= perRep) continue;
      const n = perKind.get(t.kind) ?? 0;
      if (n >= maxPerKind) {
        capped++;
        continue;
      }
      perKind.set(t.kind, n + 1);
      shown.push(finishTask(t, shown.length + 1, ix, settings, highValue));
    }
    tasks.push(...shown);
    reps.push({ repId, taskIds: shown.map((t) => t.id), candidates: list.length, floor, belowFloor, cappedByKind: capped });
  }

  // tracking, escalations, follow-through
  const shownById = new Map(tasks.map((t) => [t.id, t]));
  const tracked = finished
    .filter((t) => shownById.has(t.id) || firstShown.has(t.id))
    .map((t) => ({ taskId: t.id, firstShown: t.firstShown, repId: t.repId }))
    .sort((x, y) => cmp(x.taskId, y.taskId));
  const escalateAfter = opts.escalateAfterDays ?? 14;
  const escalations = finished
    .filter((t) => t.status === "open" && asOf - parseDay(t.firstShown, "firstShown") > escalateAfter && t.value >= highValue && t.value > 0)
    .sort((x, y) => y.value - x.value || cmp(x.id, y.id))
    .map((t) => shownById.get(t.id) ?? finishTask(t, 0, ix, settings, highValue));
  const candidateIds = new Set(finished.map((t) => t.id));
  const followThrough = followed ? { ...followed, items: followed.items.map((it) => (it.status === "done" || (candidateIds.has(it.taskId) && !it.reassigned) ? it : { ...it, status: "dropped" as const })) } : undefined;

  return {
    version: 1,
    asOf: asOfText,
    analysisAsOf: analysis.asOf,
    locale,
    perRep,
    highValue,
    tasks,
    byRep: reps,
    escalations,
    followThrough,
    suppressed,
    tracked,
  };
}

/**
 * Follow-through of last week's shown tasks against this analysis's recent purchases: each item
 * `done` or `open` (one that is no candidate any more is made `dropped` by the caller, which knows
 * the candidates after the host rules).
 */
function follow(previous: RankedTasks, ix: AnalysisIndex, asOf: number, analysisAsOf: number, within: number, analysisTypes: readonly string[] | undefined): FollowThrough {
  const from = parseDay(previous.asOf, "previous.asOf");
  const to = Math.min(asOf, from + within);
  const items: FollowThroughItem[] = [];
  // the situations flagged as of the analysis: a standing risk (a slowdown, a narrower basket, a
  // smaller volume) is settled when it is no longer flagged (under any id: a moved change point
  // is the same situation) and the customer ordered (bought the item) within the window
  const situation = (type: string, customerId: string | undefined, productId: string | undefined): string => `${type}\u0000${customerId ?? ""}\u0000${productId ?? ""}`;
  const flagged = new Set<string>();
  for (const s of ix.signals.values()) if (s.customerId !== undefined) flagged.add(situation(s.type, s.customerId, s.productId));
  // (a type the analysis did not detect was not looked for: not gone, not settled; a review)
  const detected = new Set<string>(analysisTypes ?? SIGNAL_TYPES);
  for (const t of [...previous.tasks].sort((a, b) => byRep(a.repId, b.repId) || cmp(a.id, b.id))) {
    const facts = t.customerId !== undefined ? ix.customers.get(t.customerId) : undefined;
    let ordered = false, itemBack = false;
    const bought = new Set<string>(), boughtAny = new Set<string>();
    const offered = new Set(t.offers.map((x) => x.productId));
    const parts = riskParts(t.components);
    for (const r of facts?.recent ?? []) {
      const d = parseDay(r.day, "day");
      if (d <= from || d > to) continue;
      ordered = true;
      for (const p of r.productIds) {
        boughtAny.add(p);
        if (offered.has(p)) bought.add(p);
        if (parts.items.has(p)) itemBack = true;
      }
    }
    const settled = parts.standing.some((s) => detected.has(s.type) && !flagged.has(situation(s.type, t.customerId, s.productId)) && (s.productId === undefined ? ordered : boughtAny.has(s.productId)));
    const risk = isRiskTask(t.components, t.value);
    // every deal left its stage within the window: its current stage was entered in (from, to]
    // (its entry day is the analysis' asOf − daysInStage: the days are counted to the analysis'
    // day, not to the ranking's, which may be later), also when that is the stage it was shown in
    // (moved on and back, or lost and reopened: until 2026-12-07 such a deal counted as not moved,
    // against docs/tasks.md; a review); a deal no longer listed (won or lost) has no day kept and
    // counts as moved
    const dealMoved = t.deals.length > 0 && t.deals.every((d) => {
      const now = ix.deals.get(`deal:${d.dealId}`);
      if (now === undefined) return true;
      const entered = analysisAsOf - now.daysInStage;
      return entered > from && entered <= to;
    });
    // a risk task is done by what settles its risk: an order for an overdue customer, the dropped
    // product bought again for an item one, the deal moving for a stalled deal, the situation no
    // longer flagged (after an order, or a purchase of the item) for a slowdown, a narrower basket
    // or a smaller volume. Any order counted for all of them: a deal 144 days in proposal was
    // "done" every week its customer ordered (and, new again each week, never escalated), a
    // dropped item "done" without one purchase of it; and until 2026-12-07 an order settled a
    // slowdown, so a customer flagged for months, ordering slowly, was "done" (and new) each week
    const done = risk
      ? (parts.customer && ordered) || itemBack || settled || (parts.deals && dealMoved) || (!parts.customer && parts.items.size === 0 && parts.standing.length === 0 && !parts.deals && ordered)
      : bought.size > 0;
    // the account moved to another rep since (its current owner, as the analysis reads it): not
    // done, it is no longer this rep's task and stays out of its rate (until 2026-12-07 the old
    // rep read "0 of 3 done" for the three accounts taken from it; a review)
    const reassigned = !done && facts !== undefined && facts.repId !== t.repId;
    items.push({
      taskId: t.id,
      repId: t.repId,
      customerId: t.customerId,
      status: done ? "done" : "open",
      reassigned,
      ordered,
      offersBought: [...bought].sort(cmp),
      value: t.value,
    });
  }
  // the value done is money: a compensated sum
  const rates = new Map<string | null, { shown: number; done: number; valueDone: Sum }>();
  for (const r of previous.byRep) rates.set(r.repId, { shown: 0, done: 0, valueDone: new Sum() });
  for (const it of items) {
    if (it.reassigned) continue;
    let r = rates.get(it.repId);
    if (!r) rates.set(it.repId, (r = { shown: 0, done: 0, valueDone: new Sum() }));
    r.shown++;
    if (it.status === "done") {
      r.done++;
      r.valueDone.add(it.value);
    }
  }
  const byRepRates: FollowThroughRate[] = [...rates.entries()]
    .sort((a, b) => byRep(a[0], b[0]))
    .map(([repId, r]) => ({ repId, shown: r.shown, done: r.done, rate: r.shown > 0 ? r.done / r.shown : 0, valueDone: r.valueDone.value }));
  return {
    previousAsOf: previous.asOf,
    items,
    byRep: byRepRates,
    history: [...(previous.followThrough?.history ?? []), { asOf: formatDay(asOf), shownOn: previous.asOf, byRep: byRepRates }],
  };
}
