import { CompensatedSum } from "../data/internal/compensated-sum.ts";
import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { checkEnum, optionsObject, extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { discountRate } from "../kpi/discount-rate.ts";
import { runChart, seriesByKey, type ChartSpec } from "./internal/control-chart.ts";
import { DETECTOR_KEYS, detectorContext } from "./internal/context.ts";
import { signedIn } from "../data/internal/bidi.ts";
import { bySignalOrder, fmt, iso, isoLtr, localized, LRM, money, round, signalId } from "./internal/format.ts";
import type { DetectorOptions, SignalOf } from "./types.ts";

/** Options of {@link detectDiscountAnomaly}. */
export interface DiscountAnomalyOptions extends DetectorOptions {
  /** Which groups to chart: customer segments (default), reps (account owners: their rate also moves with their customer mix, so expect more alarms), or both. */
  by?: "segment" | "rep" | "both" | undefined;
  /** First day of a chart week: 1 Monday (ISO, default) or 0 Sunday. */
  weekStartsOn?: 0 | 1 | undefined;
}

/** @internal The option names of {@link detectDiscountAnomaly} (detectSignals takes the ones beyond the common ones under `detectors`). */
export const DISCOUNT_ANOMALY_KEYS: OptionKeys<DiscountAnomalyOptions> = /* @__PURE__ */ extendKeys<DiscountAnomalyOptions, DetectorOptions>(DETECTOR_KEYS, { by: true, weekStartsOn: true });

/** Weeks the CUSUM runs over (the newest ones, the current partial week included). */
const TEST_WEEKS = 13;
/** Complete weeks without a line the chart looks past to the newest week with one (a monthly buyer's quiet weeks). */
const QUIET_WEEKS = 4;
/** Weeks before the test window that form the baseline. */
const BASELINE_WEEKS = 52;
/** Widest test window: an alarm whose CUSUM run reaches back to the window's start widens it, 13 weeks at a time, up to this. */
const MAX_TEST_WEEKS = 52;
/** Weeks fetched: the widest test window + baseline + the year before them (seasonal reference). */
const SERIES_WEEKS = MAX_TEST_WEEKS + BASELINE_WEEKS + 53;
/** CUSUM decision interval h at sensitivity 1 (standard deviations). */
const H = 5;
/** Smallest rise worth a signal at sensitivity 1: one percentage point of list revenue. */
const MIN_SHIFT = 0.01;

const SPEC: Omit<ChartSpec, "extendAbove"> = {
  direction: 1,
  scale: "additive",
  testWeeks: TEST_WEEKS,
  maxTestWeeks: MAX_TEST_WEEKS,
  baselineWeeks: BASELINE_WEEKS,
  minBaseline: 12,
  k: 0.5,
  cap: 4,
  minSigma: 0.001,
  // the run's rate, expected rate and shift weighted by list revenue: the run's pooled rate
  weighted: true,
};

/**
 * `discount_anomaly`: a segment's or a rep's revenue-weighted discount rate rose beyond its own
 * history and season. The rate is the KPI layer's {@link discountRate} (1 − Σ net ÷ Σ list over
 * the sales lines with a list price), weekly (the current, partial week included: a thinner week
 * counts as a noisier point). Each group's newest 13 weeks are charted against a prediction from
 * the 52 weeks before them: the same week last year (52 weeks back) moved to this year's level
 * wherever the data allow (seasonality), else a linear trend through the baseline. Residuals are
 * standardized by 1.4826 × their median absolute deviation over the baseline, widened by
 * √((1 + ρ) ÷ (1 − ρ)) for the baseline's lag-1 autocorrelation ρ and by √(typical ÷ this week's
 * list revenue) for a thin week, capped at ±4 (one freak week cannot alarm alone), and a one-sided
 * upper CUSUM (Page 1954; k = 0.5 sd) accumulates them. A group is flagged when the CUSUM at the
 * newest week exceeds h = 5 / sensitivity and the mean rise since the change point is at least
 * 1 / sensitivity percentage points. `since` is the change point inside the CUSUM run (the
 * maximum-likelihood mean shift); an alarm is also charted over windows 13, 26 and 39 weeks wider
 * (up to 52 weeks) and the one where the ongoing run starts earliest is kept, so that `since`, and
 * the id, hold while the new level lasts (docs/signals-segments.md: a known limit). Weeks without a
 * line have no rate: the chart ends at the newest week with one, up to 4 quiet weeks back.
 * `valueAtRisk` is the extra discount at the list revenue since the change, over 90 days (money
 * given away from margin). Rep charts (`by: "rep"`) also move with a rep's customer mix.
 * docs/signals-segments.md has the false-alarm calibration.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, sensitivity, locale, by (`segment` default, `rep` or `both`), weekStartsOn
 * @returns the signals, largest valueAtRisk first, then by id
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectDiscountAnomaly, fromRowsSync } from "orderpulse";
 * // one retail customer buying every week at 10% off list, 30% off for the last three weeks
 * const orders = [];
 * for (let w = 0; w < 80; w++) {
 *   const discount = w >= 77 ? 0.3 : 0.1;
 *   orders.push({ order_id: `O${w}`, order_date: new Date(Date.UTC(2025, 0, 6 + 7 * w)), customer_id: "C1",
 *     product_id: "P", quantity: 10, unit_price: 10 * (1 - discount), list_price: 10 });
 * }
 * const customers = [{ customer_id: "C1", segment: "retail", rep_id: "R1" }];
 * const { dataset } = fromRowsSync({ orders, customers });
 * const [signal] = detectDiscountAnomaly(dataset, { by: "segment" });
 * assert.equal(signal?.type, "discount_anomaly");
 * assert.equal(signal?.segment, "retail");
 * assert.equal(signal?.since, "2026-06-29"); // the first week at 30%
 * ```
 */
export function detectDiscountAnomaly(dataset: Dataset, options?: DiscountAnomalyOptions): SignalOf<"discount_anomaly">[] {
  const fn = "detectDiscountAnomaly";
  const ctx = detectorContext(dataset, options, fn, DISCOUNT_ANOMALY_KEYS);
  checkDiscountAnomalyOptions(optionsObject(options, fn), fn);
  const by = options?.by ?? "segment";
  const weekStartsOn = options?.weekStartsOn ?? 1;
  const { kpiView: view, asOf, sensitivity, locale } = ctx;
  const h = H / sensitivity;
  const minShift = MIN_SHIFT / sensitivity;
  const spec: ChartSpec = { ...SPEC, extendAbove: h };
  const out: SignalOf<"discount_anomaly">[] = [];
  const dims: ("segment" | "rep")[] = by === "both" ? ["segment", "rep"] : [by];
  for (const dim of dims) {
    const rows = discountRate(view, { asOf, period: "week", periods: SERIES_WEEKS, by: dim, weekStartsOn });
    for (const [key, points] of seriesByKey(rows, true, (r) => r.denominator)) {
      // a week without a line says nothing of the discount: the week in progress before the
      // group's first line of it, and the quiet weeks of a segment that orders every other week or
      // monthly (or through a holiday). The chart ends at the newest week with a line, up to
      // QUIET_WEEKS back (else the signal would vanish on the days before that line, or every
      // other week: until 2026-12-06 only the empty week in progress was skipped)
      let quiet = 0;
      while (points.length > 0 && points[points.length - 1]!.value === undefined && (points[points.length - 1]!.end > asOf || quiet++ < QUIET_WEEKS)) points.pop();
      const chart = runChart(points, spec);
      if (!chart || chart.runStart < 0 || !(chart.statistic > h) || !(chart.shift >= minShift)) continue;
      const run = points.slice(chart.changeStart);
      const since = formatDay(run[0]!.start);
      const listSum = new CompensatedSum(); // money
      for (const p of run) listSum.add(p.weight);
      const list = listSum.value;
      // list revenue per day since the change, up to asOf (docs/signals-segments.md): the quiet weeks
      // taken off the chart count as days without list revenue (until 2026-12-06 the days stopped
      // at the newest week with a line, and the value stood still through quiet weeks)
      const days = Math.max(1, asOf - run[0]!.start + 1);
      // (to the cent, as every other type's: it read 2958.4334821625444)
      const valueAtRisk = round((chart.shift * list * 90) / days, 2);
      const severity = Math.min(1, 0.5 * Math.min(1, chart.statistic / (2 * H)) + 0.5 * Math.min(1, chart.shift / 0.05));
      const rate = chart.observed, expected = chart.expected;
      const points100 = chart.shift * 100;
      const who = dim === "segment" ? { en: `segment ${isoLtr(key)}`, he: `בסגמנט ${iso(key)}` } : { en: `rep ${isoLtr(key)}'s customers`, he: `אצל הלקוחות של הנציג ${iso(key)}` };
      out.push({
        id: signalId("discount_anomaly", dim, key, since),
        type: "discount_anomaly",
        asOf: ctx.asOfText,
        since,
        ...(dim === "segment" ? { segment: key } : { repId: key }),
        kpi: "discount_rate",
        severity,
        valueAtRisk,
        evidence: {
          rate,
          expected,
          shift: chart.shift,
          weeks: run.length,
          cusum: chart.statistic,
          rho: chart.rho,
          threshold: h,
          sigma: chart.sigma,
          seasonal: chart.seasonal ? 1 : 0,
          listRevenue: list,
          baselineWeeks: chart.baselinePoints,
        },
        reason: { code: "discount_anomaly", params: { group: dim, key, rate, expected, shiftPoints: points100, since } },
        // ("+1 point", "+1 נקודה": it read "+1 points", "+1 נקודות"; a review)
        message: localized(
          locale,
          `Discount of ${who.en} rose to ${signedIn("en", fmt(rate * 100))}% (expected ${signedIn("en", fmt(expected * 100))}%, +${fmt(points100)} ${fmt(points100) === "1" ? "point" : "points"}) since ${since}; about ${money(valueAtRisk)} of margin per 90 days`,
          `ההנחה ${who.he} עלתה ל-${signedIn("he", fmt(rate * 100))}% (צפוי ${signedIn("he", fmt(expected * 100))}%, ${LRM}+${fmt(points100)} ${fmt(points100) === "1" ? "נקודה" : "נקודות"}) מאז ${since}; כ-${money(valueAtRisk)} מהרווח הגולמי ב-90 יום`,
        ),
      });
    }
  }
  return out.sort(bySignalOrder);
}

/** @internal The detector's own options (detectSignals checks them for every type it is given options of). */
export function checkDiscountAnomalyOptions(o: Record<string, unknown>, fn: string): void {
  checkEnum(o, "by", ["segment", "rep", "both"], fn);
  checkEnum(o, "weekStartsOn", [0, 1], fn);
}
