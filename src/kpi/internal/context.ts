import type { Dataset } from "../../data/dataset.ts";
import { formatDay } from "../../data/format-day.ts";
import { PERIOD_UNITS, periodBounds, periodIndex, periodLabel, type PeriodSpec, type PeriodUnit } from "../period.ts";
import type { Dimension, KpiOptions, KpiRow } from "../types.ts";
import { checkDateLike, checkEnum, checkInt, optionsObject, type OptionKeys } from "../../data/internal/check.ts";
import { resolveAsOf } from "../../data/internal/resolve-as-of.ts";
import { lowerBound } from "../../data/internal/bounds.ts";
import { ownerReps } from "../../data/internal/owner-reps.ts";

/** @internal One period slot of a KPI run. */
export interface Slot {
  readonly index: number;
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly partial: boolean;
  /** The row fields of the slot, made once and shared by every group's row (a catalogue of 60,000 products has 720,000 rows a KPI). */
  readonly startText: string;
  readonly endText: string;
  /** {@link partialPeriod} of the slot (the period runs past asOf or began before the data). */
  readonly rowPartial: boolean;
}

/** @internal Group resolution for a `by` dimension. */
export interface Groups {
  readonly by: Dimension;
  /** Group labels by group id (`null` = missing value). */
  readonly labels: readonly (string | null)[];
  /** Group of each line (line-level dimensions), else undefined. */
  readonly ofLine: Int32Array | undefined;
  /** Group of each customer (customer-level dimensions and company), else undefined. */
  readonly ofCustomer: Int32Array | undefined;
}

/** @internal Everything a KPI loop needs, computed once per call. */
export interface KpiContext {
  readonly view: Dataset;
  readonly asOf: number;
  readonly spec: PeriodSpec;
  readonly slots: readonly Slot[];
  /** Slot of a day: `slotOfDay[day - dayOffset]`, -1 outside the requested periods. */
  readonly slotOfDay: Int32Array;
  readonly dayOffset: number;
  readonly groups: Groups;
  readonly repBasis: "owner" | "seller";
  /** First visible order day of the view (a period starting before it is not fully covered), undefined without lines. */
  readonly dataStart: number | undefined;
  /** Only each period's first `clipDays` days count (period-to-date comparisons), undefined: whole periods. */
  readonly clipDays: number | undefined;
  /**
   * The last day the data speak for: asOf, or with an as-of day in progress (`asOfInProgress`) the
   * data's last day when earlier. A churn day, a due day or a repurchase window after it is not
   * confirmed: its row is censored (last night's export read today counted Nov 28-30 of a
   * November as days without a purchase, and churn there as confirmed).
   */
  readonly seen: number;
}

/**
 * @internal Key of the internal option that makes a KPI function count only the first N days of
 * every period: `computeKpis` compares a period in progress with the same days of the earlier
 * periods through it. Not part of the public options.
 */
export const CLIP_DAYS: unique symbol = Symbol("orderpulse.kpi.clipDays");

/**
 * @internal Key of the internal option that ends the periods at the one holding this day (before
 * the as-of day) while the as-of day still decides the view and the account owners: targetProgress
 * reads the periods of its targets only, not every period up to a far as-of day.
 */
export const LAST_PERIOD_DAY: unique symbol = Symbol("orderpulse.kpi.lastPeriodDay");

/** @internal KPI options with the internal period-to-date clip and last period. */
export type ClippedKpiOptions = KpiOptions & { readonly [CLIP_DAYS]?: number; readonly [LAST_PERIOD_DAY]?: number };

/** @internal */
export const DIMENSIONS: readonly Dimension[] = ["company", "rep", "channel", "segment", "region", "customer", "product", "family"];

/** @internal The most periods a KPI function computes (`periods` option). */
export const MAX_PERIODS = 100_000;

/**
 * @internal The option names of {@link KpiOptions}, the shared KPI options: the known keys of a KPI
 * function that takes no more, and the base of those that do (`{ ...KPI_KEYS, withinDays: true }`).
 */
export const KPI_KEYS: OptionKeys<KpiOptions> = { asOf: true, period: true, periods: true, by: true, weekStartsOn: true, fiscalYearStartMonth: true, repBasis: true, asOfInProgress: true };

/**
 * @internal Validate the shared KPI options by hand (no zod in KPI imports); throws INVALID_OPTION
 * naming the option. With `known` (the function's option names), an own key it does not list with
 * a value other than undefined is INVALID_OPTION too (pass it once per call, at the public entry).
 */
export function checkOptions(options: unknown, fn: string, known?: Readonly<Record<string, true>>): void {
  const o = optionsObject(options, fn, known);
  checkDateLike(o, "asOf", fn);
  checkEnum(o, "period", PERIOD_UNITS, fn);
  checkInt(o, "periods", 1, MAX_PERIODS, fn);
  checkEnum(o, "by", DIMENSIONS, fn);
  checkEnum(o, "weekStartsOn", [0, 1], fn);
  checkInt(o, "fiscalYearStartMonth", 1, 12, fn);
  checkEnum(o, "repBasis", ["owner", "seller"], fn);
  checkEnum(o, "asOfInProgress", [true, false], fn);
}

/** @internal The period spec of a KPI call's options for `unit`: weeks from Monday and the fiscal year from January unless given. */
export function periodSpecOf(unit: PeriodUnit, o: { readonly weekStartsOn?: PeriodSpec["weekStartsOn"] | undefined; readonly fiscalYearStartMonth?: number | undefined }): PeriodSpec {
  return { unit, weekStartsOn: o.weekStartsOn ?? 1, fiscalYearStartMonth: o.fiscalYearStartMonth ?? 1 };
}

/**
 * @internal Build the context: as-of view, period slots (the `periods` periods ending with the
 * one holding asOf), the day -> slot table and the groups for `by`. `known`: the calling public
 * function's option names, to reject unknown keys (see {@link checkOptions}); left out when the
 * caller checked them already or built the options itself.
 */
export function kpiContext(dataset: Dataset, options: KpiOptions | undefined, defaultPeriod: PeriodUnit, fn: string, known?: Readonly<Record<string, true>>): KpiContext {
  checkOptions(options, fn, known);
  const o = options ?? {};
  const { asOf, view } = resolveAsOf(dataset, o.asOf, undefined, fn);
  const spec = periodSpecOf(o.period ?? defaultPeriod, o);
  const lastDay = (o as ClippedKpiOptions)[LAST_PERIOD_DAY];
  const open = o.asOfInProgress === true;
  const lastIndex = periodIndex(lastDay !== undefined && lastDay < asOf ? lastDay : asOf, spec);
  const n = o.periods ?? 12;
  const slots: Slot[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const index = lastIndex - k;
    const { start, end } = periodBounds(index, spec);
    slots.push({ index, label: periodLabel(index, spec), start, end, partial: end > asOf, startText: formatDay(start), endText: formatDay(end), rowPartial: partialPeriod(start, end, asOf, view.dayRange?.first, open) });
  }
  const dayOffset = slots[0]!.start;
  const slotOfDay = new Int32Array(asOf - dayOffset + 1).fill(-1);
  const clipDays = (o as ClippedKpiOptions)[CLIP_DAYS];
  for (let s = 0; s < slots.length; s++) {
    const sl = slots[s]!;
    const last = Math.min(sl.end, asOf, clipDays === undefined ? sl.end : sl.start + clipDays - 1);
    for (let d = sl.start; d <= last; d++) slotOfDay[d - dayOffset] = s;
  }
  const repBasis = o.repBasis ?? "owner";
  const dataLast = view.dayRange?.last;
  const seen = open && dataLast !== undefined && dataLast < asOf ? dataLast : asOf;
  return { view, asOf, spec, slots, slotOfDay, dayOffset, groups: resolveGroups(view, o.by ?? "company", repBasis), repBasis, dataStart: view.dayRange?.first, clipDays, seen };
}

/**
 * @internal Slot s's `partial`, also when the `historyDays` before it reach before the data's first
 * day: a KPI that looks back (churn's windows, expected-not-bought's purchase history) misses what
 * lies before the data, so such a period is no base either.
 */
export function partialWithHistory(ctx: KpiContext, s: number, historyDays: number): boolean {
  const slot = ctx.slots[s]!;
  return slot.rowPartial || (ctx.dataStart !== undefined && slot.start - historyDays < ctx.dataStart);
}

/**
 * @internal The days of a period in progress (starting on `start`) that the data can speak for:
 * up to `asOf`, or up to the data's last day when the data end before it. An export of last night
 * read as of this morning has no line dated today because today is not exported yet, not because
 * nothing sold: counted, today made a week read "0 active customers, −100 %" every Monday and a
 * month to date one day short against full days of the month before. 0 or less: no data yet.
 */
export function toDateDaysOf(view: Dataset, asOf: number, start: number): number {
  const last = view.dayRange?.last;
  return (last !== undefined && last < asOf ? last : asOf) - start + 1;
}

/** Dense groups from ids into a dictionary (-1 = missing -> its own `null` group). */
function fromIds(ids: Int32Array | Uint32Array, values: readonly string[]): { of: Int32Array; labels: (string | null)[] } {
  const of = new Int32Array(ids.length);
  const missing = values.length;
  let anyMissing = false;
  for (let i = 0; i < ids.length; i++) {
    const x = ids[i]!;
    if (x < 0) {
      of[i] = missing;
      anyMissing = true;
    } else of[i] = x;
  }
  const labels: (string | null)[] = [...values];
  if (anyMissing) labels.push(null);
  return { of, labels };
}

/** @internal */
export function resolveGroups(view: Dataset, by: Dimension, repBasis: "owner" | "seller"): Groups {
  const { lines, customers, products, ids } = view;
  switch (by) {
    case "company":
      return { by, labels: [null], ofLine: undefined, ofCustomer: new Int32Array(view.customerEnd.length) };
    case "customer": {
      const ofCustomer = new Int32Array(view.customerEnd.length);
      for (let c = 0; c < ofCustomer.length; c++) ofCustomer[c] = c;
      return { by, labels: ids.customers.values, ofLine: undefined, ofCustomer };
    }
    case "segment": {
      const g = fromIds(customers.segment, ids.segments.values);
      return { by, labels: g.labels, ofLine: undefined, ofCustomer: g.of };
    }
    case "region": {
      const g = fromIds(customers.region, ids.regions.values);
      return { by, labels: g.labels, ofLine: undefined, ofCustomer: g.of };
    }
    case "rep": {
      if (repBasis === "owner") {
        const g = fromIds(ownerReps(view), ids.reps.values);
        return { by, labels: g.labels, ofLine: undefined, ofCustomer: g.of };
      }
      const g = fromIds(lines.rep, ids.reps.values);
      return { by, labels: g.labels, ofLine: g.of, ofCustomer: undefined };
    }
    case "channel": {
      // the line's channel, else the customer's default channel
      const ch = new Int32Array(lines.length);
      for (let i = 0; i < lines.length; i++) {
        const x = lines.channel[i]!;
        ch[i] = x >= 0 ? x : customers.channel[lines.customer[i]!]!;
      }
      const g = fromIds(ch, ids.channels.values);
      return { by, labels: g.labels, ofLine: g.of, ofCustomer: undefined };
    }
    case "product":
      return { by, labels: ids.products.values, ofLine: Int32Array.from(lines.product), ofCustomer: undefined };
    case "family": {
      const fam = new Int32Array(lines.length);
      for (let i = 0; i < lines.length; i++) fam[i] = products.family[lines.product[i]!]!;
      const g = fromIds(fam, ids.families.values);
      return { by, labels: g.labels, ofLine: g.of, ofCustomer: undefined };
    }
  }
}

/**
 * @internal A period the data does not cover whole: it ends after `asOf` (still in progress), or
 * on an `asOf` that is itself still in progress (`asOfOpen`: today), or it starts before the first
 * order day of the data (`dataStart`; a period of an export that begins mid-week or mid-month is an
 * undercount, not a quiet week). The rows' `partial`.
 */
export function partialPeriod(start: number, end: number, asOf: number, dataStart: number | undefined, asOfOpen = false): boolean {
  return inProgress(end, asOf, asOfOpen) || (dataStart !== undefined && start < dataStart);
}

/** @internal A period ending on `end` is still in progress at `asOf`: it ends after it, or on an as-of day itself in progress. */
export function inProgress(end: number, asOf: number, asOfOpen: boolean): boolean {
  return end > asOf || (asOfOpen && end === asOf);
}

/**
 * @internal The period holding `asOf` (`start`..`end`, end >= asOf) measured to date: the days the
 * data speak for ({@link toDateDaysOf}; 0: none yet) when it is still in progress, i.e. it ends
 * after asOf, or on an as-of day that is itself in progress (`asOfOpen`: today, read from last
 * night's export: `period: "day"` showed today as "0, −100 %" and a month ending today was one day
 * short against whole months); undefined when the period is complete. computeKpis and
 * explainKpiChange compare such a period like for like.
 */
export function heldToDateDays(view: Dataset, asOf: number, start: number, end: number, asOfOpen: boolean): number | undefined {
  return inProgress(end, asOf, asOfOpen) ? Math.max(0, toDateDaysOf(view, asOf, start)) : undefined;
}

/**
 * @internal The group key of a row: group g's label, `null` for the group of a missing value.
 * The rows list it after the period's fields as an own property, and a company-level row drops it
 * with {@link companyRow}.
 *
 * Rows are written as one object literal each (the period's fields, the key, the KPI's own
 * fields), never `{ ...base, value, … }`: on Node 20 a spread followed by more properties cost
 * about 10 µs a row (120,000 rows of gross profit by product took 1.6 s, the literals 0.1 s).
 */
export function rowKey(ctx: KpiContext, group: number): string | null {
  return ctx.groups.labels[group] ?? null;
}

/** @internal `row` as it is, or without its `key` at company level (at most one row a period: no hot path). */
export function companyRow<R extends KpiRow>(ctx: KpiContext, row: R): R {
  if (ctx.groups.by !== "company") return row;
  const { key: _key, ...rest } = row;
  return rest as R;
}

/**
 * @internal Relative size below which a net money sum counts as 0: sales and returns that cancel
 * leave floating-point noise (7 × 1.10 bought and 7 × 1.10 returned sum to 4.4e-16, not 0, even
 * compensated), which would read as a margin of 175% or a share of 100%. Each term q × p carries
 * at most half an ulp (ε/2 of its size) and the compensated sum about ε of the result, so the
 * noise stays below about ε/2 × Σ|terms| (the example: 0.13ε × 15.4); ε is the bound, and no
 * more: a looser 1e-9 let a 1e18 line and its credit note erase a real sale of 1e6 beside them.
 */
export const NET_ZERO: number = Number.EPSILON;

/**
 * @internal A net money sum whose terms' absolute values sum to `magnitude`: 0 when it is within
 * {@link NET_ZERO} × magnitude of 0 (the terms cancel up to rounding), else the sum itself.
 */
export function netOf(sum: number, magnitude: number): number {
  return Math.abs(sum) <= NET_ZERO * magnitude ? 0 : sum;
}

/**
 * @internal Net revenue `net` sold at its list revenue `list` up to rounding ({@link netOf} of their
 * difference): no discount, 0 (a list price converted by an fx rate, 12 × 3.7 against 44.4, read
 * a discount of −2.2e-16, "-0.0%"). The discount rate's one rule: discountRate and the briefs' pooled team rates.
 */
export function soldAtList(net: number, list: number): boolean {
  return netOf(list - net, list + Math.abs(net)) === 0;
}

/**
 * @internal Revenue, costed revenue, cost and gross profit of one cell from its sums and their
 * terms' absolute sums (`…Abs`), each through {@link netOf}; gross profit = costed revenue − cost,
 * its magnitude theirs. The one rule grossProfit, customerProfitability and the engine's live
 * totals share.
 */
export function netProfit(revenue: number, revenueAbs: number, costed: number, costedAbs: number, cost: number, costAbs: number): { revenue: number; costed: number; cost: number; grossProfit: number } {
  const c = netOf(costed, costedAbs), k = netOf(cost, costAbs);
  return { revenue: netOf(revenue, revenueAbs), costed: c, cost: k, grossProfit: netOf(c - k, costedAbs + costAbs) };
}

/** @internal Neumaier compensated accumulation into parallel sum/compensation arrays. */
export function addTo(sum: Float64Array, comp: Float64Array, k: number, x: number): void {
  const s = sum[k]!;
  const t = s + x;
  comp[k]! += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
  sum[k] = t;
}

/**
 * @internal First line of customer `c` in the window: dated on or after the first slot's start
 * (a customer's lines are sorted by day, and the view ends at asOf). The line-scanning KPIs walk
 * each customer's window lines and take a line's cell (`slot * groups + group`) from the day ->
 * slot table as they go: no column of cells per call (4 bytes a line of fresh memory) and no
 * visit of the lines before the window.
 */
export function windowStart(ctx: KpiContext, c: number): number {
  const { view } = ctx;
  return lowerBound(view.lines.day, ctx.dayOffset, view.customerStart[c]!, view.customerEnd[c]!);
}

/** @internal End (exclusive) of customer `c`'s window lines: its first line after the day -> slot table's last day. */
export function windowEnd(ctx: KpiContext, c: number): number {
  const { view } = ctx;
  return lowerBound(view.lines.day, ctx.dayOffset + ctx.slotOfDay.length, view.customerStart[c]!, view.customerEnd[c]!);
}

/** @internal Slot of window line i (from {@link windowStart} to {@link windowEnd}), -1 outside every period. */
export function lineSlot(ctx: KpiContext, i: number): number {
  return ctx.slotOfDay[ctx.view.lines.day[i]! - ctx.dayOffset]!;
}

/** @internal Customer `c`'s group when groups are per customer, else -1 (then each line's, see {@link lineCell}). */
export function customerGroup(ctx: KpiContext, c: number): number {
  return ctx.groups.ofCustomer ? ctx.groups.ofCustomer[c]! : -1;
}

/** @internal The cell of line i in slot s: `s * groups + group`, the group `gc` ({@link customerGroup}) or else the line's. */
export function lineCell(ctx: KpiContext, s: number, gc: number, i: number): number {
  return s * ctx.groups.labels.length + (gc >= 0 ? gc : ctx.groups.ofLine![i]!);
}

/** @internal The key of a context's cells: the KPIs of one call with the same key see the same cells. */
export function cellsKey(ctx: KpiContext): string {
  const { groups, spec } = ctx;
  return `${groups.by}|${ctx.repBasis}|${spec.unit}|${spec.weekStartsOn}|${spec.fiscalYearStartMonth}|${ctx.dayOffset}|${ctx.asOf}|${ctx.slots.length}|${ctx.clipDays ?? ""}`;
}

/**
 * @internal What the KPIs of one `computeKpis` call share (the groups present in the cells of
 * a view, by {@link cellsKey}): filled only inside {@link withKpiCallMemo}, emptied when the
 * call ends, so nothing outlives the call. The order occasions are kept per view
 * (`sharedOrderOccasions`).
 */
export const KPI_CALL_MEMO: {
  depth: number;
  view: Dataset | undefined;
  /** presentGroups' answer by cells key, for `view` */
  present: Map<string, readonly number[]>;
} = { depth: 0, view: undefined, present: new Map() };

/** @internal Run `fn` with {@link KPI_CALL_MEMO} active (re-entrant); the memo is emptied when the outermost call ends. */
export function withKpiCallMemo<T>(fn: () => T): T {
  const memo = KPI_CALL_MEMO;
  memo.depth++;
  try {
    return fn();
  } finally {
    if (--memo.depth === 0) {
      memo.view = undefined;
      memo.present.clear();
    }
  }
}
