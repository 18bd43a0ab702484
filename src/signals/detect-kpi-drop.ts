import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { checkEnum, optionsObject, extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { activeCustomers } from "../kpi/active-customers.ts";
import { grossProfit, type GrossProfitRow } from "../kpi/gross-profit.ts";
import { withKpiCallMemo } from "../kpi/internal/context.ts";
import { ownerReps } from "../data/internal/owner-reps.ts";
import { skuBreadth } from "../kpi/sku-breadth.ts";
import { periodBounds, periodIndex, type PeriodSpec } from "../kpi/period.ts";
import type { KpiOptions, KpiRow } from "../kpi/types.ts";
import { runChart, seriesByKey, type ChartPoint, type ChartSpec } from "./internal/control-chart.ts";
import { DETECTOR_KEYS, detectorContext, type DetectorContext } from "./internal/context.ts";
import { logNormalSurvival, normalCriticalValue } from "./internal/normal-tail.ts";
import { rhythmActiveWeeks, rhythmItemWeeks, type RhythmWeek } from "./internal/rhythm-active.ts";
import { signedIn } from "../data/internal/bidi.ts";
import { bySignalOrder, fmt, iso, isoLtr, localized, LRM, money, round, signalId } from "./internal/format.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";

/** The KPIs {@link detectKpiDrop} watches. */
export type WatchedKpi = "active_customers" | "sku_breadth" | "gross_profit";

/** The groups {@link detectKpiDrop} charts. */
export type KpiDropLevel = "company" | "rep" | "segment";

/** Options of {@link detectKpiDrop}. */
export interface KpiDropOptions extends DetectorOptions {
  /** KPIs to watch. Default all three: `active_customers`, `sku_breadth`, `gross_profit`. */
  kpis?: readonly WatchedKpi[] | undefined;
  /** Groups to chart: `company`, `rep` (account owner, as the KPI layer's `by: "rep"`), `segment`. Default `["company", "rep"]`. */
  levels?: readonly KpiDropLevel[] | undefined;
  /** First day of a chart week: 1 Monday (ISO, default) or 0 Sunday (a Sunday-Thursday business week ends on Saturday). */
  weekStartsOn?: 0 | 1 | undefined;
  /**
   * `asOf` is today, a day still in progress (as computeKpis' option): a week ending on it is not
   * complete and is not charted or tested (read from last night's export, it lacked today's orders
   * and read as a drop). Default `false`. `analyze` passes its own.
   */
  asOfInProgress?: boolean | undefined;
}

/** @internal The option names of {@link detectKpiDrop} (detectSignals takes the ones beyond the common ones under `detectors`). */
export const KPI_DROP_KEYS: OptionKeys<KpiDropOptions> = /* @__PURE__ */ extendKeys<KpiDropOptions, DetectorOptions>(DETECTOR_KEYS, { kpis: true, levels: true, weekStartsOn: true, asOfInProgress: true });

const KPIS: readonly WatchedKpi[] = ["active_customers", "sku_breadth", "gross_profit"];
const LEVELS: readonly KpiDropLevel[] = ["company", "rep", "segment"];
/** The levels in the order that lets the company level reuse the rep level's rows. */
const REP_FIRST: readonly KpiDropLevel[] = ["rep", "company", "segment"];

/** Weeks the CUSUM runs over (the newest complete ones). */
const TEST_WEEKS = 13;
/** Weeks before the test window that form the baseline. */
const BASELINE_WEEKS = 52;
/** Widest test window: an alarm whose CUSUM run reaches back to the window's start widens it, 13 weeks at a time, up to this. */
const MAX_TEST_WEEKS = 52;
/** Weeks fetched: the widest test window + baseline + the year before them (seasonal reference) + the partial week. */
const SERIES_WEEKS = MAX_TEST_WEEKS + BASELINE_WEEKS + 54;
/** CUSUM decision interval h at sensitivity 1 (standard deviations). */
const H = 8;
/** Smallest relative drop worth a signal at sensitivity 1. */
const MIN_DROP = 0.1;
/** Weeks with activity (a value above 0) a group needs in the baseline before the run to be charted: a group of one order fired at severity 1 every week after it. */
const MIN_ACTIVE_WEEKS = 8;
/** A rep's week (buyers, or habitual SKUs bought) this many standard deviations below its customers' rhythms is a drop at sensitivity 1 (one-sided tail 3.2e-5; sensitivity s multiplies the tail by s). */
const RHYTHM_Z = 4;
/** Expected count (buyers, or habitual SKUs) a rep's week needs for the rhythm tests (fewer: one skipped order is a large share). */
const MIN_EXPECTED = 10;
/** Complete weeks the rhythm test flags on (the newest ones): a drop it finds stays flagged for two weeks at least. */
const RHYTHM_WEEKS = 2;
/** Complete weeks the rhythm test measures: the flagged weeks and the run of low weeks before them (for `since`). */
const RHYTHM_HISTORY = 8;
/** A week at least this many standard deviations below the rhythms' expectation continues a drop's run back in time. */
const RUN_Z = 2;
/** Weeks back a run of low weeks is followed for `since`, at most (the chart's longest window). */
const RHYTHM_RUN_WEEKS = 52;

const SPEC: Omit<ChartSpec, "extendAbove"> = {
  direction: -1,
  scale: "relative",
  testWeeks: TEST_WEEKS,
  maxTestWeeks: MAX_TEST_WEEKS,
  baselineWeeks: BASELINE_WEEKS,
  minBaseline: 12,
  k: 0.5,
  cap: 5,
  minSigma: 0.02,
};

const NAMES: Record<WatchedKpi, { en: string; he: string; unit: string; heUnit: string }> = {
  active_customers: { en: "Active customers", he: "מספר הלקוחות הפעילים", unit: " a week", heUnit: " בשבוע" },
  sku_breadth: { en: "SKUs per customer", he: 'מספר המק"טים ללקוח', unit: " a week", heUnit: " בשבוע" },
  gross_profit: { en: "Gross profit", he: "הרווח הגולמי", unit: " a week", heUnit: " בשבוע" },
};

/**
 * `kpi_drop`: a rep's (or the company's, or a segment's) active customers, SKU breadth or gross
 * profit fell beyond its own history and season. The KPIs are the KPI layer's
 * ({@link activeCustomers}, {@link skuBreadth}, {@link grossProfit}, grouped `by: "rep"` with the
 * account owner, or by segment), on complete calendar weeks (the week in progress is left out:
 * its counts are not comparable yet). Each group's newest 13 weeks are charted against a
 * prediction from the 52 weeks before them: the same week last year (52 weeks back) scaled by
 * the baseline's year-over-year ratio wherever the data allow (seasonality), else a linear trend
 * through the baseline. Relative residuals (observed ÷ predicted − 1)
 * are standardized by 1.4826 × their median absolute deviation over the baseline, widened by
 * √((1 + ρ) ÷ (1 − ρ)) for the baseline's lag-1 autocorrelation ρ and by √(typical ÷ this week's
 * size) for a thin week, capped at ±5 (two weeks of a sharp drop can alarm, one freak week
 * cannot), and a one-sided lower CUSUM (Page 1954; k = 0.5 sd) accumulates them. A group is
 * flagged when the CUSUM at the newest week exceeds h = 8 / sensitivity and the mean drop since
 * the change is at least 10% / sensitivity. `since` is the change point inside the CUSUM run
 * (maximum-likelihood mean shift); an alarm whose run reaches back to the window's first week
 * widens the window (up to 52 weeks) so that `since`, and the id, hold. `valueAtRisk` is the
 * gross profit lost over 90 days at the drop's rate (gross profit: the weekly shortfall × 90 / 7;
 * the other KPIs: the relative drop × the group's expected 90-day margin).
 *
 * A rep's active customers and SKU breadth are also measured against its customers' own rhythms
 * (at the `rep` level), from the pattern model (`model`, else fitted): in each of the two newest
 * complete weeks, each customer with a purchase before the week is expected to buy in it with
 * P(alive) × P(its next order falls in the week | none since its last), and each customer who
 * bought (on n days) to include each of its habitual items with 1 − (1 − inclusion)ⁿ. The counts
 * are sums of Bernoulli trials with a known mean and variance, scaled by the company's own
 * observed ÷ expected ratio of that week (a holiday or a short week of data moves every rep). A
 * week 4 standard deviations below (the one-sided tail 3.2e-5 multiplied by the sensitivity, and
 * never less than 2) and at least 10% / sensitivity below is flagged, when at least 10 were
 * expected. This catches a rep losing a quarter of its accounts, or its customers dropping part of
 * their baskets, in the first complete week, where the chart needs several (last year's same week
 * moves 15-20% a week at a rep). Such a signal has its own id (ending in `:rhythm`, `since` the
 * first of the run of weeks at least 2 sd below) and `evidence.basis` `"rhythm"` (the chart's: `"chart"`); SKU breadth is
 * then reported in habitual SKUs per ordering customer. The chart's signal of the same drop may
 * follow weeks later.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, model, sensitivity, locale, kpis, levels, weekStartsOn
 * @returns the signals, largest valueAtRisk first, then by id
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectKpiDrop, fromRowsSync } from "orderpulse";
 * // rep R1's ten customers order every week for 80 weeks; four of them stop for the last three weeks
 * const orders = [];
 * for (let w = 0; w < 80; w++) {
 *   for (let c = 0; c < 10; c++) {
 *     if (w >= 77 && c < 4) continue;
 *     orders.push({ order_id: `O${w}-${c}`, order_date: new Date(Date.UTC(2025, 0, 6 + 7 * w)), customer_id: `C${c}`,
 *       product_id: "P", quantity: 10, unit_price: 10, unit_cost: 7 });
 *   }
 * }
 * const customers = Array.from({ length: 10 }, (_, c) => ({ customer_id: `C${c}`, rep_id: "R1" }));
 * const { dataset } = fromRowsSync({ orders, customers });
 * const signals = detectKpiDrop(dataset, { asOf: "2026-07-19", levels: ["rep"], kpis: ["active_customers"] });
 * assert.equal(signals.length, 1);
 * assert.equal(signals[0]?.repId, "R1");
 * assert.equal(signals[0]?.since, "2026-06-29");
 * assert.equal(signals[0]?.evidence.observed, 6);
 * ```
 */
export function detectKpiDrop(dataset: Dataset, options?: KpiDropOptions): SignalOf<"kpi_drop">[] {
  // the KPIs of a level share one pass of line cells (kept for this call only)
  return withKpiCallMemo(() => kpiDrop(dataset, options));
}

function kpiDrop(dataset: Dataset, options: KpiDropOptions | undefined): SignalOf<"kpi_drop">[] {
  const fn = "detectKpiDrop";
  const ctx = detectorContext(dataset, options, fn, KPI_DROP_KEYS);
  checkKpiDropOptions(optionsObject(options, fn), fn);
  const kpis = options?.kpis ?? KPIS;
  const levels = options?.levels ?? ["company", "rep"];
  const weekStartsOn = options?.weekStartsOn ?? 1;
  const open = options?.asOfInProgress === true;
  const { kpiView: view, asOf, sensitivity, locale } = ctx;
  const h = H / sensitivity;
  const minDrop = MIN_DROP / sensitivity;
  const spec: ChartSpec = { ...SPEC, extendAbove: h };
  // active customers are a count: a small group's spread at least its Poisson one (ChartSpec.counts)
  const countSpec: ChartSpec = { ...spec, counts: true };
  const margin90 = ctx.customerMargin90();
  const out: SignalOf<"kpi_drop">[] = [];
  // owner reps partition the customers (a missing owner is its own group), so with both levels
  // asked the company's counts are sums of the rep level's (companyRows), not a pass of their
  // own over the lines; exact, being integers. Gross profit is money: its company rows come from
  // the KPI layer's own pass (sums of the reps' rounded sums could differ in the last bits, and
  // the company's signal would then depend on the levels asked)
  const deriveCompany = levels.includes("company") && levels.includes("rep");
  const repRows = new Map<WatchedKpi, KpiRow[]>();
  for (const level of deriveCompany ? REP_FIRST : LEVELS) {
    if (!levels.includes(level)) continue;
    const by = level;
    // expected 90-day margin of each group (the KPI layer's grouping: owner rep, segment)
    const groupMargin = new Map<string, number>();
    const owners = level === "rep" ? ownerReps(view) : undefined;
    for (let c = 0; c < margin90.length; c++) {
      const g = level === "company" ? 0 : level === "rep" ? owners![c]! : view.customers.segment[c]!;
      if (g < 0) continue;
      const key = level === "company" ? "" : level === "rep" ? view.ids.reps.values[g]! : view.ids.segments.values[g]!;
      groupMargin.set(key, (groupMargin.get(key) ?? 0) + margin90[c]!);
    }
    // (with an as-of day in progress the week ending on it is partial, and the series leave it out)
    const kpiOptions = { asOf, period: "week", periods: SERIES_WEEKS, by, weekStartsOn, ...(open ? { asOfInProgress: true } : {}) } as KpiOptions;
    for (const kpi of KPIS) {
      if (!kpis.includes(kpi)) continue;
      let series: Map<string, ChartPoint[]>;
      if (level === "company" && deriveCompany && kpi !== "gross_profit") series = kpiSeries(kpi, companyRows(kpi, repRows.get(kpi)!));
      else {
        const rows = kpiRows(view, kpi, kpiOptions);
        if (level === "rep" && deriveCompany && kpi !== "gross_profit") repRows.set(kpi, rows);
        series = kpiSeries(kpi, rows);
      }
      for (const [key, points] of series) {
        const chart = runChart(points, kpi === "active_customers" ? countSpec : spec);
        if (!chart || chart.runStart < 0 || !(chart.statistic > h) || !(chart.shift >= minDrop)) continue;
        // a group needs a history to fall from: weeks with activity in the baseline before the run
        // (zero weeks from before its first order count as defined weeks, and one order gave a
        // baseline mean of 0.06 customers a week and a −100% drop every week after it)
        let active = 0;
        for (let k = Math.max(0, chart.changeStart - BASELINE_WEEKS); k < chart.changeStart; k++) if ((points[k]!.value ?? 0) > 0) active++;
        if (active < MIN_ACTIVE_WEEKS) continue;
        const run = points.slice(chart.changeStart);
        const since = formatDay(run[0]!.start);
        // what the message shows: the run's mean against its mean expectation (the test's shift is
        // the mean of the weekly relative drops, which can differ by a few points from it)
        const drop = chart.expected > 0 ? 1 - chart.observed / chart.expected : chart.shift;
        // both must show the drop: a run can hold one week far above its expectation (a yearly
        // trade fair, bigger this year) whose size outweighs the weekly drops around it, and the
        // message then read "fell to 60 (expected 53, −-12.5%)" with a negative value at risk
        if (!(drop >= minDrop)) continue;
        // (to the cent, as every other type's)
        const valueAtRisk = round(kpi === "gross_profit" ? Math.max(0, ((chart.expected - chart.observed) * 90) / 7) : drop * (groupMargin.get(key) ?? 0), 2);
        const severity = Math.min(1, 0.5 * Math.min(1, chart.statistic / (2 * H)) + 0.5 * Math.max(0, Math.min(1, drop / 0.4)));
        const name = NAMES[kpi];
        const who = level === "company" ? { en: "", he: "" } : level === "rep" ? { en: ` of rep ${isoLtr(key)}`, he: ` של הנציג ${iso(key)}` } : { en: ` of segment ${isoLtr(key)}`, he: ` של הסגמנט ${iso(key)}` };
        const digits = kpi === "sku_breadth" ? 1 : 0;
        // whole counts grouped as money is ("fell to 1,234", as the KPI lines of a brief read it)
        const show = (x: number): string => (kpi === "gross_profit" || digits === 0 ? money(x) : fmt(x, digits));
        out.push({
          id: signalId("kpi_drop", kpi, level, level === "company" ? undefined : key, since),
          type: "kpi_drop",
          asOf: ctx.asOfText,
          since,
          ...(level === "rep" ? { repId: key } : level === "segment" ? { segment: key } : {}),
          kpi,
          severity,
          valueAtRisk,
          evidence: {
            basis: "chart",
            observed: chart.observed,
            expected: chart.expected,
            drop,
            weeklyDrop: chart.shift,
            weeks: run.length,
            cusum: chart.statistic,
            threshold: h,
            sigma: chart.sigma,
            rho: chart.rho,
            seasonal: chart.seasonal ? 1 : 0,
            baselineWeeks: chart.baselinePoints,
          },
          reason: { code: "kpi_drop", params: { kpi, level, key: level === "company" ? "company" : key, observed: chart.observed, expected: chart.expected, dropPct: drop * 100, since } },
          message: localized(
            locale,
            `${name.en}${who.en} fell to ${signedIn("en", show(chart.observed))}${name.unit} (expected ${signedIn("en", show(chart.expected))}, −${fmt(drop * 100)}%) since ${since}`,
            `${name.he}${who.he} ירד ל-${signedIn("he", show(chart.observed))}${name.heUnit} (צפוי ${signedIn("he", show(chart.expected))}, ${LRM}−${fmt(drop * 100)}%) מאז ${since}`,
          ),
        });
      }
    }
  }
  // the rhythm test is a situation of its own (its own id): a rep's drop it finds in the first
  // weeks is usually charted too a few weeks later, and raising the sensitivity must only add ids
  if (levels.includes("rep")) for (const kpi of ["active_customers", "sku_breadth"] as const) if (kpis.includes(kpi)) out.push(...rhythmDrops(ctx, kpi, weekStartsOn, minDrop, margin90, open));
  return out.sort(bySignalOrder);
}

/**
 * The rhythm tests of a rep's week (`active_customers`: its customers who bought, from
 * {@link rhythmActiveWeeks}; `sku_breadth`: the habitual items its ordering customers bought,
 * from {@link rhythmItemWeeks}): in each of the newest {@link RHYTHM_WEEKS} complete weeks, the
 * count against its expectation scaled by the company's observed ÷ expected ratio of the week; a
 * week at least RHYTHM_Z standard deviations below (the one-sided tail multiplied by the
 * sensitivity) and at least `minDrop` below in relative terms is a drop. `since` is the start of
 * the run of weeks at least RUN_Z sd below that leads to the newest flagged week, whose numbers
 * the signal reports.
 */
function rhythmDrops(ctx: DetectorContext, kpi: "active_customers" | "sku_breadth", weekStartsOn: 0 | 1, minDrop: number, margin90: Float64Array, open: boolean): SignalOf<"kpi_drop">[] {
  const { kpiView: view, asOf, sensitivity, locale } = ctx;
  const reps = view.ids.reps.values;
  const range = view.dayRange;
  if (reps.length === 0 || range === undefined) return [];
  // the KPI layer's weeks (the chart's): the newest complete one is asOf's own when asOf is its last day
  const spec: PeriodSpec = { unit: "week", weekStartsOn, fiscalYearStartMonth: 1 };
  const current = periodIndex(asOf, spec);
  const newestWeek = periodBounds(current, spec).end === asOf && !open ? current : current - 1;
  // weeks after the data's first day (a customer needs a purchase before the week to count)
  const weeks = Array.from({ length: RHYTHM_HISTORY }, (_, k) => periodBounds(newestWeek - (RHYTHM_HISTORY - 1 - k), spec)).filter((w) => w.start > range.first);
  if (weeks.length < RHYTHM_WEEKS) return [];
  const owners = ownerReps(view);
  // customers without an owner rep are one more group: the company's week counts everyone
  const groupOf = owners.map((g) => (g < 0 ? reps.length : g));
  const measure = (ws: readonly { start: number; end: number }[]): { found: RhythmWeek[][]; ratio: number[] } => {
    const found = (kpi === "active_customers" ? rhythmActiveWeeks : rhythmItemWeeks)(view, ctx.model(), ws, groupOf, reps.length + 1);
    // the company's own ratio of observed to expected in each week (a holiday, a short week of
    // data, a season the rhythms miss): a rep is measured against it, so only a drop of its own is news
    const ratio = ws.map((_, k) => {
      let o = 0, e = 0;
      for (const row of found) {
        o += row[k]!.observed;
        e += row[k]!.expected;
      }
      return e > 0 ? o / e : 1;
    });
    return { found, ratio };
  };
  // at least RUN_Z: a flagged week is always inside its run of low weeks, so `since` does not depend on the sensitivity
  const z0 = Math.max(RUN_Z, normalCriticalValue(logNormalSurvival(RHYTHM_Z) + Math.log(sensitivity)));
  const tests = ({ found, ratio }: { found: RhythmWeek[][]; ratio: number[] }, g: number) => {
    const score = (k: number): { expected: number; z: number } | undefined => {
      const w = found[g]![k]!;
      const expected = ratio[k]! * w.expected;
      // Σ ρp(1 − ρp), the variance of the rhythms' Bernoulli weeks scaled by the company's ratio ρ,
      // holds while every ρp ≤ 1; scaled up (ρ > 1), a customer's ρp can pass 1 and its term goes
      // negative (ρ = 1.85 on customers buying in 80 % of weeks at random: the sum 0.60 for a sd of
      // 2.5, and a week 1 below its mean read z = −4.5; 2 false alarms in 104 runs of plain data, a
      // review of the segment signals): each ρp is clipped at 1 (a sure purchase varies by nothing)
      const rho = ratio[k]!;
      let variance = expected - rho ** 2 * w.squares;
      if (rho > 1 && w.ps !== undefined) {
        variance = 0;
        for (const p of w.ps) {
          const q = Math.min(1, rho * p);
          variance += q * (1 - q);
        }
      }
      if (!(variance > 0) || !(expected >= MIN_EXPECTED)) return undefined;
      return { expected, z: (w.observed - expected) / Math.sqrt(variance) };
    };
    const flags = (k: number): boolean => {
      const t = score(k);
      return t !== undefined && t.z <= -z0 && found[g]![k]!.observed <= (1 - minDrop) * t.expected;
    };
    return { score, flags };
  };
  // the newest weeks first: the earlier ones are measured only when a rep flags (for `since`)
  const newestWeeks = measure(weeks.slice(-RHYTHM_WEEKS));
  let any = false;
  for (let g = 0; g < reps.length && !any; g++) {
    const { flags } = tests(newestWeeks, g);
    for (let k = 0; k < RHYTHM_WEEKS && !any; k++) any = flags(k);
  }
  if (!any) return [];
  const m = measure(weeks);
  const found = m.found, ratio = m.ratio;
  // older weeks, in blocks of RHYTHM_HISTORY before the measured ones (block 0 the newest),
  // measured when a run reaches back to the first measured week, up to RHYTHM_RUN_WEEKS in all
  const older: { weeks: { start: number; end: number }[]; m: { found: RhythmWeek[][]; ratio: number[] } }[] = [];
  const olderWeeks = (b: number): (typeof older)[number] | undefined => {
    while (older.length <= b) {
      const k = older.length;
      // (the oldest block is cut at RHYTHM_RUN_WEEKS: whole blocks stopped at 48 weeks)
      if (RHYTHM_HISTORY * (k + 1) >= RHYTHM_RUN_WEEKS) return undefined;
      const oldest = newestWeek - RHYTHM_RUN_WEEKS + 1;
      const ws = Array.from({ length: RHYTHM_HISTORY }, (_, j) => newestWeek - RHYTHM_HISTORY * (k + 2) + 1 + j)
        .filter((x) => x >= oldest)
        .map((x) => periodBounds(x, spec))
        .filter((x) => x.start > range.first);
      if (ws.length === 0) return undefined;
      older.push({ weeks: ws, m: measure(ws) });
      if (ws.length < RHYTHM_HISTORY) break; // the data's first weeks, or the limit: nothing older
    }
    return older[b];
  };
  const repMargin = new Float64Array(reps.length);
  for (let c = 0; c < owners.length; c++) if (owners[c]! >= 0) repMargin[owners[c]!]! += margin90[c]!;
  const out: SignalOf<"kpi_drop">[] = [];
  for (let g = 0; g < reps.length; g++) {
    const { score, flags } = tests(m, g);
    let newest = -1;
    for (let k = weeks.length - RHYTHM_WEEKS; k < weeks.length; k++) if (flags(k)) newest = k;
    if (newest < 0) continue;
    // the drop began with the run of low weeks that leads to it (so the id holds while it lasts);
    // a run as old as the measured weeks is followed back through older ones, 8 at a time
    let first = newest;
    while (first > 0 && (score(first - 1)?.z ?? 0) <= -RUN_Z) first--;
    let sinceDay = weeks[first]!.start;
    if (first === 0 && (score(0)?.z ?? 0) <= -RUN_Z) {
      for (let b = 0; ; b++) {
        const block = olderWeeks(b);
        if (block === undefined) break;
        const t = tests(block.m, g);
        let k = block.weeks.length - 1;
        while (k >= 0 && (t.score(k)?.z ?? 0) <= -RUN_Z) sinceDay = block.weeks[k--]!.start;
        if (k >= 0) break;
      }
    }
    const w = found[g]![newest]!;
    const { expected, z } = score(newest)!;
    const key = reps[g]!;
    const since = formatDay(sinceDay);
    const week = formatDay(w.start);
    const drop = 1 - w.observed / expected;
    const name = NAMES[kpi];
    // SKU breadth in habitual SKUs per ordering customer; active customers as counted
    const per = kpi === "sku_breadth" ? w.customers : 1;
    const digits = kpi === "sku_breadth" ? 1 : 0;
    const observed = w.observed / per, expectedShown = expected / per;
    const basis = kpi === "sku_breadth" ? { en: "the customers' item rhythms", he: "קצב הרכישה של כל פריט" } : { en: "the customers' own rhythms", he: "קצב ההזמנות של הלקוחות" };
    out.push({
      id: signalId("kpi_drop", kpi, "rep", key, since, "rhythm"),
      type: "kpi_drop",
      asOf: ctx.asOfText,
      since,
      repId: key,
      kpi,
      severity: Math.min(1, 0.5 * Math.min(1, -z / (2 * RHYTHM_Z)) + 0.5 * Math.min(1, drop / 0.4)),
      valueAtRisk: round(drop * repMargin[g]!, 2),
      evidence: {
        basis: "rhythm",
        week,
        observed,
        expected: expectedShown,
        ...(kpi === "sku_breadth" ? { itemsObserved: w.observed, itemsExpected: expected } : {}),
        companyRatio: ratio[newest]!,
        drop,
        // the run's length, from its first week (followed back through older blocks) to the newest
        weeks: Math.round((w.start - sinceDay) / 7) + 1,
        z,
        threshold: -z0,
        customers: w.customers,
      },
      reason: { code: "kpi_drop", params: { kpi, level: "rep", key, observed, expected: expectedShown, dropPct: drop * 100, since } },
      message: localized(
        locale,
        `${name.en} of rep ${isoLtr(key)} fell to ${fmt(observed, digits)} in the week of ${week} (expected ${fmt(expectedShown, digits)} from ${basis.en}, −${fmt(drop * 100)}%)`,
        `${name.he} של הנציג ${iso(key)} ירד ל-${fmt(observed, digits)} בשבוע של ${week} (צפוי ${fmt(expectedShown, digits)} לפי ${basis.he}, ${LRM}−${fmt(drop * 100)}%)`,
      ),
    });
  }
  return out;
}

/** One KPI's weekly rows per group (the KPI layer's). */
function kpiRows(view: Dataset, kpi: WatchedKpi, options: KpiOptions): KpiRow[] {
  if (kpi === "gross_profit") return grossProfit(view, options);
  return kpi === "active_customers" ? activeCustomers(view, options) : skuBreadth(view, options);
}

/** One KPI's weekly series per group (complete weeks only), weighted by the size behind each point. */
function kpiSeries(kpi: WatchedKpi, rows: readonly KpiRow[]): Map<string, ChartPoint[]> {
  if (kpi === "gross_profit") return seriesByKey(rows as readonly GrossProfitRow[], false, (r) => Math.abs(r.costedRevenue));
  return seriesByKey(rows, false, (r) => (kpi === "active_customers" ? (r.value ?? 0) : (r.denominator ?? 0)));
}

/**
 * The company's weekly rows of a count KPI from the rows of a partition of the customers (the
 * owner reps): active customers, and SKU breadth's distinct customer x product pairs and active
 * customers, are sums over the groups (exact: integers), and each value is computed from the sums
 * as the KPI computes it for one group. {@link kpiSeries} turns them into the chart's points.
 */
function companyRows(kpi: "active_customers" | "sku_breadth", rows: readonly KpiRow[]): KpiRow[] {
  // one accumulator per week, in the rows' (slot-major) order
  const weeks = new Map<string, { row: KpiRow; a: number; b: number }>();
  for (const r of rows) {
    let w = weeks.get(r.start);
    if (!w) weeks.set(r.start, (w = { row: r, a: 0, b: 0 }));
    if (kpi === "active_customers") w.a += r.value ?? 0;
    else {
      w.a += r.numerator ?? 0;
      w.b += r.denominator ?? 0;
    }
  }
  return Array.from(weeks.values(), ({ row, a, b }): KpiRow => {
    const base = { kpi, period: row.period, start: row.start, end: row.end, partial: row.partial };
    if (kpi === "active_customers") return { ...base, value: a };
    return { ...base, value: b > 0 ? a / b : undefined, numerator: a, denominator: b };
  });
}

/** `o[name]` is undefined or a non-empty array of allowed values. */
function checkList(o: Record<string, unknown>, name: string, allowed: readonly string[], fn: string): void {
  const v = o[name];
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => allowed.includes(x as string))) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${name}: expected a non-empty array of ${allowed.join(", ")}`, { option: name, value: v });
  }
}

/** @internal The detector's own options (detectSignals checks them for every type it is given options of). */
export function checkKpiDropOptions(o: Record<string, unknown>, fn: string): void {
  checkList(o, "kpis", KPIS, fn);
  checkList(o, "levels", LEVELS, fn);
  checkEnum(o, "weekStartsOn", [0, 1], fn);
  checkEnum(o, "asOfInProgress", [true, false], fn);
}
