import type { Dataset } from "../../data/dataset.ts";
import { upperBound } from "../../data/internal/bounds.ts";
import { dayClosures, openDaysBetween, standingClock, type HolidaySet } from "../../patterns/internal/customer-calendar.ts";
import { bgNbdModel, type BgNbdModel, type BgNbdParams } from "../../patterns/btyd/bg-nbd-model.ts";
import type { CustomerRhythm } from "../../patterns/fit-interval-model.ts";
import type { PatternModel } from "../../patterns/fit-patterns.ts";
import { gapSurvival, patternHolidays, purchaseDays, rhythmClosures } from "./customer-clock.ts";

/** One group's count in one week against what its customers' rhythms expected ({@link rhythmActiveWeeks}: buyers; {@link rhythmItemWeeks}: habitual items bought). */
export interface RhythmWeek {
  /** First and last day of the week (epoch days). */
  readonly start: number;
  readonly end: number;
  /** The count: buyers, or habitual items bought. */
  observed: number;
  /** Σ p over the trials (each customer, or each customer × habitual item). */
  expected: number;
  /** Σ p(1 − p): the variance of `observed` if the trials are independent. */
  variance: number;
  /** Σ p² (the variance of the counts when every p is scaled by a common factor ρ is ρ·expected − ρ²·Σ p²). */
  squares: number;
  /** Customers counted: with a rhythm and a purchase before the week (buyers), or who bought in it with at least one item rhythm (items). */
  customers: number;
  /**
   * Each trial's p (buyers only; undefined for items): scaled by a ratio ρ > 1 a trial's ρp can
   * pass 1, where Σ ρp(1 − ρp) goes wrong; the variance then clips each at 1 (kpi_drop).
   */
  ps?: number[];
}

/** Per group, one zeroed {@link RhythmWeek} per week. */
function emptyWeeks(weeks: readonly { start: number; end: number }[], groups: number): RhythmWeek[][] {
  return Array.from({ length: groups }, () => weeks.map((w): RhythmWeek => ({ start: w.start, end: w.end, observed: 0, expected: 0, variance: 0, squares: 0, customers: 0 })));
}

/**
 * @internal Per group, each week's active customers against their own rhythms: every customer
 * of the group with a fitted interval-model rhythm and a purchase before the week is expected to
 * buy in it with probability P(alive) × (S(t₀) − S(t₁)) / S(t₀), where S is its gap survival on its
 * own clock (closed weekdays and months, seasonal weights) and t₀, t₁ the clock time from its
 * last purchase before the week to the day before the week and to the week's last day. P(alive)
 * is the model's BG/NBD at the day before the week, from the purchases before it (the model's own
 * P(alive) at asOf would already know of the silence inside the week; 1 without a BG/NBD fit). New
 * customers (no purchase before the week) count on neither side. The observed count is then a
 * sum of independent Bernoulli trials, whose mean and variance are the sums of p and p(1 − p):
 * a reference that does not carry last year's noise.
 *
 * @param view - the as-of view
 * @param model - the pattern model fitted at the view's as-of day
 * @param weeks - the weeks, each [start, end] within the view
 * @param group - per customer index its group (< 0: none)
 * @param groups - number of groups
 * @returns per group, one {@link RhythmWeek} per week (in the order given)
 */
export function rhythmActiveWeeks(view: Dataset, model: PatternModel, weeks: readonly { start: number; end: number }[], group: Int32Array, groups: number): RhythmWeek[][] {
  const out = emptyWeeks(weeks, groups);
  const ids = view.ids.customers.values;
  const bg = model.bgNbd === undefined ? undefined : bgNbdOf(model.bgNbd);
  const holidays = patternHolidays(model);
  // one small function per customer: optimized after the first customers, where this function's
  // loop would wait for an on-stack replacement
  for (let c = 0; c < view.customerEnd.length; c++) {
    const g = group[c]!;
    if (g < 0 || g >= groups) continue;
    const days = purchaseDays(view, c);
    if (days.length === 0) continue;
    const r = model.customer(ids[c]!);
    if (r === undefined || r.status !== "ok" || r.posterior === undefined) continue;
    activeWeeksOf(weeks, days, r, bg, out[g]!, holidays);
  }
  return out;
}

/**
 * The BG/NBD model of a pattern model's parameters, one per parameters object: the same model's
 * `probabilityAlive` in every run (a new closure per run made the per-customer code that inlined
 * the last run's deoptimize at its first call).
 */
function bgNbdOf(params: BgNbdParams): BgNbdModel {
  const kept = bgModels.get(params);
  // the values too: a parameters object changed in place gets a new model
  if (kept !== undefined && kept.r === params.r && kept.alpha === params.alpha && kept.a === params.a && kept.b === params.b) return kept.model;
  const model = bgNbdModel(params);
  bgModels.set(params, { r: params.r, alpha: params.alpha, a: params.a, b: params.b, model });
  return model;
}

const bgModels = new WeakMap<BgNbdParams, { r: number; alpha: number; a: number; b: number; model: BgNbdModel }>();

/** One customer's part of {@link rhythmActiveWeeks}, added to its group's `row`. */
function activeWeeksOf(weeks: readonly { start: number; end: number }[], days: Int32Array, r: CustomerRhythm, bg: BgNbdModel | undefined, row: RhythmWeek[], holidays: HolidaySet | undefined): void {
  const cl = rhythmClosures(r, holidays);
  const dc = dayClosures(cl);
  const f = r.openFraction > 0 ? r.openFraction : 1;
  for (let k = 0; k < weeks.length; k++) {
    const { start, end } = weeks[k]!;
    const before = upperBound(days, start - 1);
    if (before === 0) continue; // no purchase before the week: a new customer
    const last = days[before - 1]!;
    // BG/NBD in weeks: x repeat purchase days, t_x and T from the first purchase (summaryFromDataset's convention)
    const alive = bg === undefined ? 1 : bg.probabilityAlive(before - 1, (last - days[0]!) / 7, (start - 1 - days[0]!) / 7);
    const clock = (day: number): number => openDaysBetween(last, standingClock(last, day, cl), dc) / f;
    const s0 = gapSurvival(r, clock(start - 1));
    const p = s0 > 1e-12 ? (Number.isFinite(alive) ? alive : 1) * Math.max(0, Math.min(1, (s0 - gapSurvival(r, clock(end))) / s0)) : 0;
    const w = row[k]!;
    w.customers++;
    w.expected += p;
    w.variance += p * (1 - p);
    w.squares += p * p;
    (w.ps ??= []).push(p);
    if (before < days.length && days[before]! <= end) w.observed++;
  }
}

/**
 * @internal Per group, each week's purchases of habitual items against the customer × item
 * rhythms: every customer of the group who bought in the week (on n distinct days) is expected
 * to include each item of its rhythms with probability q = 1 − (1 − π)ⁿ, π = its inclusion
 * probability per order × the item's seasonal index (at most 0.99); the observed count is the
 * items of its rhythms it bought in the week. `customers` counts the customers who bought with
 * at least one item rhythm, so observed ÷ customers and expected ÷ customers are habitual SKUs
 * per ordering customer. Losing lines (a competitor taking part of the basket) shows here in the
 * first complete week, where the SKU-breadth chart against last year needs several.
 *
 * @param view - the as-of view
 * @param model - the pattern model fitted at the view's as-of day
 * @param weeks - the weeks, each [start, end] within the view
 * @param group - per customer index its group (< 0: none)
 * @param groups - number of groups
 * @returns per group, one {@link RhythmWeek} per week (in the order given)
 */
export function rhythmItemWeeks(view: Dataset, model: PatternModel, weeks: readonly { start: number; end: number }[], group: Int32Array, groups: number): RhythmWeek[][] {
  const out = emptyWeeks(weeks, groups);
  const bought = new Uint8Array(view.ids.products.size);
  const touched: number[] = [];
  // one small function per customer: optimized after the first customers, where this function's
  // loop would wait for an on-stack replacement (and box every double until then)
  for (let c = 0; c < view.customerEnd.length; c++) {
    const g = group[c]!;
    if (g < 0 || g >= groups) continue;
    itemWeeksOf(view, model, weeks, c, out[g]!, bought, touched);
  }
  return out;
}

/** Customer c's part of {@link rhythmItemWeeks}, added to its group's `row`; `bought` and `touched` are scratch (left clear). */
function itemWeeksOf(view: Dataset, model: PatternModel, weeks: readonly { start: number; end: number }[], c: number, row: RhythmWeek[], bought: Uint8Array, touched: number[]): void {
  const { lines, customerStart, customerEnd, ids } = view;
  const a = customerStart[c]!, b = customerEnd[c]!;
  if (b <= a || lines.day[b - 1]! < weeks[0]!.start) return;
  const items = model.items(ids.customers.values[c]!);
  if (items.length === 0) return;
  const itemProducts = items.map((it) => ids.products.indexOf(it.productId));
  for (let k = 0; k < weeks.length; k++) {
    const { start, end } = weeks[k]!;
    // the week's purchase days and products (lines are sorted by day within the customer)
    let n = 0, lastDay = Number.NaN;
    for (let i = upperBound(lines.day, start - 1, a, b); i < b && lines.day[i]! <= end; i++) {
      if (!(lines.quantity[i]! > 0)) continue;
      if (lines.day[i] !== lastDay) {
        n++;
        lastDay = lines.day[i]!;
      }
      const p = lines.product[i]!;
      if (bought[p] === 0) {
        bought[p] = 1;
        touched.push(p);
      }
    }
    if (n > 0) {
      const w = row[k]!;
      w.customers++;
      for (let j = 0; j < items.length; j++) {
        const it = items[j]!;
        const pi = Math.min(0.99, it.inclusion * it.seasonalIndex);
        if (!(pi > 0)) continue;
        const q = 1 - (1 - pi) ** n;
        w.expected += q;
        w.variance += q * (1 - q);
        w.squares += q * q;
        const p = itemProducts[j]!;
        if (p >= 0 && bought[p] === 1) w.observed++;
      }
    }
    for (const p of touched) bought[p] = 0;
    touched.length = 0;
  }
}
