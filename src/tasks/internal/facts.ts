import type { Dataset } from "../../data/dataset.ts";
import { lapses } from "../../signals/internal/lapses.ts";
import { recentGap } from "../../signals/internal/format.ts";
import { formatDay } from "../../data/format-day.ts";
import type { PatternModel } from "../../patterns/fit-patterns.ts";
import type { CustomerFacts } from "../types.ts";
import { CompensatedSum as Sum } from "../../data/internal/compensated-sum.ts";
import { parseDay } from "../../data/parse-day.ts";

/** Overdue probability from which a customer's facts carry the day its order was due (`dueSince`). */
const OVERDUE_SHOWN = 0.9;

/** @internal Yearly margin of one customer x product (value model input). */
export interface ItemMargin {
  /** Margin in the 365 days up to the product's last purchase (net of its later returns), annualized. */
  readonly yearlyMargin: number;
  /** Days behind it. */
  readonly marginDays: number;
}

/** @internal Settings of {@link buildFacts}. */
export interface FactSettings {
  readonly asOf: number;
  readonly marginRate: number;
  readonly recentDays: number;
  readonly sparkWeeks: number;
  /** A gap longer than this many days ends a spell: the history before it is not the customer's rate (value.lostAfterDays). */
  readonly lostAfterDays: number;
}

/** Purchase days spanning fewer days than this are a short history: its rate is bounded by its orders over the days shown since its first (facts' gap). */
const SHORT_HISTORY_DAYS = 90;

/** @internal The facts of the given customers (dictionary ids, any order) and the yearly margins of the wanted items (`c:productId` keys). */
export function buildFacts(
  view: Dataset,
  model: PatternModel,
  owner: Int32Array,
  customers: readonly number[],
  wantedItems: ReadonlyMap<number, ReadonlySet<number>>,
  s: FactSettings,
): { facts: CustomerFacts[]; items: Map<string, ItemMargin> } {
  const { day, quantity, unitPrice, unitCost, product, isReturn } = view.lines;
  const ids = view.ids;
  const facts: CustomerFacts[] = [];
  const items = new Map<string, ItemMargin>();
  const lineMargin = (i: number): number => {
    const cost = unitCost[i]!;
    return quantity[i]! * (Number.isFinite(cost) ? unitPrice[i]! - cost : unitPrice[i]! * s.marginRate);
  };
  const sparkStart = s.asOf - 7 * s.sparkWeeks + 1;
  for (const c of [...customers].sort((a, b) => a - b)) {
    const id = ids.customers.values[c]!;
    const rhythm = model.customer(id);
    const start = view.customerStart[c]!, end = view.customerEnd[c]!;
    let first = Infinity, last = -Infinity, yearDays = 0, prevDay = Number.NaN;
    const pdays: number[] = [];
    const weekly = new Array<number>(s.sparkWeeks).fill(0);
    const recent: { day: string; productIds: string[] }[] = [];
    for (let i = start; i < end; i++) {
      if (isReturn[i]) continue;
      const d = day[i]!;
      if (d < first) first = d;
      if (d > last) last = d;
      if (d === prevDay) continue;
      pdays.push(d);
      prevDay = d;
      if (d > s.asOf - 365) yearDays++;
      if (d >= sparkStart) weekly[Math.floor((d - sparkStart) / 7)]!++;
    }
    // recent purchase days with their products (lines are sorted by day, then order, then product)
    const recentFrom = s.asOf - s.recentDays + 1;
    for (let i = start; i < end; i++) {
      if (isReturn[i] || day[i]! < recentFrom) continue;
      const label = formatDay(day[i]!);
      let entry = recent[recent.length - 1];
      if (!entry || entry.day !== label) recent.push((entry = { day: label, productIds: [] }));
      const pid = ids.products.values[product[i]!]!;
      if (!entry.productIds.includes(pid)) entry.productIds.push(pid);
    }
    for (const r of recent) r.productIds.sort();
    // the gap of its yearly order rate: with closed months, its purchase days' span over their
    // gaps (the rhythm's mean gap is the one while open, closures left out: a Monday buyer closed
    // five months a year orders every 7 days, about 30 times a year, not 52)
    const closedYear = rhythm !== undefined && rhythm.closedMonths.length > 0 && rhythm.purchaseDays >= 2 && last > first;
    // after a win-back (a gap over lostAfterDays), the spell's own rate: the whole history's mean
    // gap counted the lapse (a customer back biweekly read a 22.7-day gap and a fifth of the margin
    // of the same orders from a newcomer; a review, 2026-12-08); a rhythm that changed (monthly, now
    // weekly) at its current gap, as the overdue message says "lately every 7" (it read 18.8 days:
    // 0.37 orders a week on the sparkline, offers at 19 orders a year)
    // `spell`: the first purchase day after the last lapse (the overdue test's, docs/signals-customer.md)
    // or gap over lostAfterDays, a win-back's new start
    const { spell, spellDays } = spellOf(pdays, s.lostAfterDays);
    const winBack = spell > first && spellDays >= 2;
    const lately = rhythm?.posterior !== undefined ? changedGap(rhythm.meanGapDays, recentGap(rhythm.meanGapDays, rhythm.posterior.mu, rhythm.posterior.sigma2, rhythm.purchaseDays), pdays) : undefined;
    const modelGap = winBack
      ? Math.max(1, (last - spell) / (spellDays - 1))
      : closedYear
        ? Math.max(1, (last - first) / (rhythm.purchaseDays - 1))
        : lately !== undefined
          ? Math.max(1, lately)
          : gapOf(rhythm?.meanGapDays, rhythm?.nextP50, rhythm?.lastOrder);
    // (the spell is the history the rate and the margin are read over)
    const from = spell > first ? spell : first;
    // a customer of one or two purchase days has no gap of its own (the peers' guess): its orders
    // over the days it has shown since its first are its rate at most, so one order 206 days back
    // is not counted as 30 orders a year at a 12-day gap (its margin read 1,597 a year beside 53 in
    // the last 365 days, its cross-sells 30.4 orders a year; a review of small data)
    // The same for a short history (its purchase days within 90 days): four orders three days apart
    // and then 160 days of silence were a 3-day rhythm, 12 days of margin annualized 30 times
    // (2,433 a year from 80 of lifetime margin, the rep's one task; a review of the value model)
    const short = rhythm !== undefined && Number.isFinite(from) && (rhythm.purchaseDays < 3 || last - from < SHORT_HISTORY_DAYS);
    const gap = short ? Math.max(modelGap, (s.asOf - from) / (winBack ? spellDays : rhythm.purchaseDays)) : modelGap;
    let yearlyMargin = 0, marginDays = 0;
    if (Number.isFinite(last)) {
      const m = new Sum();
      // the 365 days up to the last purchase, net of returns since (every line after it is a return)
      // (the spell's lines alone: a win-back's margin before its lapse is not its rate)
      for (let i = start; i < end; i++) if (day[i]! > last - 365 && day[i]! >= from) m.add(lineMargin(i));
      // (a short history is annualized over no fewer days than it has been seen: four orders three
      // days apart and 79 days of silence read 316 over 31 days, 3,721 a year, beside the signal's
      // 78 in 90 days; a review of small data)
      marginDays = Math.min(365, short ? Math.max(last - from + gap, s.asOf - from) : last - from + gap);
      yearlyMargin = Math.max(0, (m.value * 365) / marginDays);
    }
    const wanted = wantedItems.get(c);
    if (wanted && wanted.size > 0) {
      // an item bought in the spell is read over the spell; one not bought since the lapse (the one
      // item_dropped names) over its own year to its last purchase (it read 0, its task below the
      // list's floor; a self-review, 2026-12-08)
      const firstOf = new Map<number, number>(), firstInSpell = new Map<number, number>(), lastOf = new Map<number, number>();
      for (let i = start; i < end; i++) {
        const p = product[i]!;
        if (isReturn[i] || !wanted.has(p)) continue;
        if (!firstOf.has(p)) firstOf.set(p, day[i]!);
        if (!firstInSpell.has(p) && day[i]! >= from) firstInSpell.set(p, day[i]!);
        lastOf.set(p, day[i]!);
      }
      for (const [p, f] of firstInSpell) firstOf.set(p, f);
      const sums = new Map<number, Sum>();
      for (let i = start; i < end; i++) {
        const p = product[i]!;
        const l = lastOf.get(p);
        // net of the product's returns after its last purchase, as for the customer
        if (l === undefined || day[i]! <= l - 365 || (firstInSpell.has(p) && day[i]! < from)) continue;
        let acc = sums.get(p);
        if (!acc) sums.set(p, (acc = new Sum()));
        acc.add(lineMargin(i));
      }
      for (const p of [...wanted].sort((a, b) => a - b)) {
        const l = lastOf.get(p), f = firstOf.get(p);
        if (l === undefined || f === undefined) continue;
        const pid = ids.products.values[p]!;
        const inclusion = model.item(id, pid)?.inclusion ?? 1;
        const days = Math.min(365, l - f + gap / Math.max(inclusion, 1e-3));
        items.set(`${c}:${pid}`, { yearlyMargin: Math.max(0, ((sums.get(p)?.value ?? 0) * 365) / days), marginDays: days });
      }
    }
    const r = owner[c]!;
    const seg = view.customers.segment[c] ?? -1, ch = view.customers.channel[c] ?? -1;
    facts.push({
      customerId: id,
      name: view.customers.name[c],
      repId: r >= 0 ? ids.reps.values[r]! : null,
      segment: seg >= 0 ? ids.segments.values[seg] : undefined,
      channel: ch >= 0 ? ids.channels.values[ch] : undefined,
      firstOrder: Number.isFinite(first) ? formatDay(first) : undefined,
      lastOrder: Number.isFinite(last) ? formatDay(last) : undefined,
      meanGapDays: rhythm?.meanGapDays,
      gapDays: gap,
      expectedNext: rhythm?.expectedNext,
      dueSince: rhythm !== undefined && (rhythm.overdueProbability ?? 0) >= OVERDUE_SHOWN ? rhythm.nextP50 : undefined,
      pAlive: rhythm?.pAlive,
      ordersLastYear: yearDays,
      yearlyMargin,
      marginDays,
      weekly,
      // (the rate while open, as the sparkline's weeks are read: with closed months the yearly
      // gap above read "expected 0.4 a week" for a customer ordering weekly while open; a review)
      expectedPerWeek: Number.isFinite(gap) && rhythm?.meanGapDays !== undefined ? 7 / (closedYear && rhythm.meanGapDays > 0 ? rhythm.meanGapDays : gap) : undefined,
      recent,
    });
  }
  return { facts, items };
}

/**
 * The first purchase day after the customer's last lapse ({@link lapses}) or gap over
 * `lostAfterDays`, and its purchase days from there (the whole history without either).
 */
function spellOf(pdays: readonly number[], lostAfterDays: number): { spell: number; spellDays: number } {
  if (pdays.length === 0) return { spell: Infinity, spellDays: 0 };
  const gaps = pdays.slice(1).map((d, i) => d - pdays[i]!);
  const lapse = lapses(gaps, pdays.slice(0, -1), pdays.slice(1), pdays[0]!);
  let k = gaps.length - 1;
  while (k >= 0 && !lapse[k] && !(gaps[k]! > lostAfterDays)) k--;
  return { spell: pdays[k + 1]!, spellDays: pdays.length - (k + 1) };
}

/**
 * The rhythm model's current gap when its rhythm changed and the newest three gaps (their median)
 * say so too, in the same direction; else undefined. The model's last regime alone moved with one
 * skipped week: a clockwork weekly buyer read 14 days, half its orders (a review, 2026-12-08).
 */
function changedGap(meanGap: number | undefined, lately: number | undefined, pdays: readonly number[]): number | undefined {
  if (lately === undefined || meanGap === undefined || pdays.length < 4) return undefined;
  const newest = [0, 1, 2].map((k) => pdays[pdays.length - 1 - k]! - pdays[pdays.length - 2 - k]!).sort((a, b) => a - b);
  const m = newest[1]!;
  return (lately > meanGap && m > 1.5 * meanGap) || (lately < meanGap && m < meanGap / 1.5) ? lately : undefined;
}

/** @internal A customer's typical gap in days: its mean gap, else its prior's median next purchase, else 30. */
export function gapOf(meanGap: number | undefined, nextP50: string | undefined, lastOrder: string | undefined): number {
  if (meanGap !== undefined && Number.isFinite(meanGap) && meanGap > 0) return Math.max(1, meanGap);
  if (nextP50 !== undefined && lastOrder !== undefined) {
    const d = parseDay(nextP50) - parseDay(lastOrder);
    if (Number.isFinite(d) && d >= 1) return d;
  }
  return 30;
}
