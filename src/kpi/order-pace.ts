import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import { extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { KPI_KEYS, kpiContext } from "./internal/context.ts";
import { fractionOption, intOption, median, occasionGroups } from "./internal/frequency-occasions.ts";
import type { KpiOptions } from "./types.ts";

/** Options of {@link orderPace}: the shared KPI options plus the year-over-year comparison rule. */
export interface OrderPaceOptions extends KpiOptions {
  /**
   * Gaps (between consecutive occasions) a customer needs inside *each* of the two 365-day
   * windows to be compared (integer 1..1000). Default 2, i.e. three orders in each year.
   */
  minGaps?: number | undefined;
  /**
   * Relative change of the mean gap that still counts as steady (0 <= tolerance < 1). Default
   * 0.1: a customer is faster when this year's mean gap < previous × 0.9, slower when > previous × 1.1.
   */
  tolerance?: number | undefined;
}

/** Days of the previous year the data may miss at its start and still be compared (a month: the mean gaps over 11 months or more are the year's). */
const PACE_SLACK_DAYS = 30;

const KEYS: OptionKeys<OrderPaceOptions> = /* @__PURE__ */ extendKeys<OrderPaceOptions, KpiOptions>(KPI_KEYS, { minGaps: true, tolerance: true });

/**
 * One {@link orderPace} row: gap statistics of a group (or one customer, or the company) up to
 * `asOf`, and the year-over-year pace comparison. Day counts are calendar days.
 */
export interface OrderPaceRow {
  /** Always `order_pace`. */
  readonly kpi: "order_pace";
  /** The as-of day, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Group key when grouped (`null`: no value for the dimension); absent for `company`. */
  readonly key?: string | null;
  /** Customers with at least one occasion (in the group) up to `asOf`. */
  readonly customers: number;
  /** Gaps pooled over the group's customers: consecutive occasions of one customer, whole history. */
  readonly gaps: number;
  /** Median of the pooled gaps in days; `undefined` without gaps. Same as `medianGapDays`. */
  readonly value: number | undefined;
  /** Median of the pooled gaps in days; `undefined` without gaps. */
  readonly medianGapDays: number | undefined;
  /** Mean of the pooled gaps in days; `undefined` without gaps. */
  readonly meanGapDays: number | undefined;
  /**
   * Median over the customers with at least one gap of each customer's own mean gap (so a
   * weekly buyer weighs as much as a quarterly one); `undefined` when none has a gap.
   */
  readonly medianCustomerGapDays: number | undefined;
  /** Customers with at least `minGaps` gaps in both 365-day windows. */
  readonly compared: number;
  /** Compared customers whose mean gap this year < previous year's × (1 − tolerance). */
  readonly faster: number;
  /** Compared customers whose mean gap this year > previous year's × (1 + tolerance). */
  readonly slower: number;
  /** Compared customers neither faster nor slower. */
  readonly steady: number;
  /** faster ÷ compared; `undefined` when nobody is compared. */
  readonly fasterShare: number | undefined;
  /** slower ÷ compared; `undefined` when nobody is compared. */
  readonly slowerShare: number | undefined;
  /**
   * The data begin more than 30 days into the previous year: nobody is compared (a customer whose
   * history reaches before the data has only the data's part of that year, whose few orders read
   * as a fast pace: on 13 months of data every one compared read "slower").
   */
  readonly partial: boolean;
}

/**
 * Order pace: per group (default `company`; also customer, segment, region, rep, and the
 * line-level channel, product, family) the days between consecutive purchase occasions up to
 * `asOf`, and the share of customers ordering faster or slower than in their own previous year.
 *
 * - Occasions are distinct (customer, order_id) with a positive visible line, on their earliest
 *   day (`orderOccasions`). A gap is the day difference between a customer's consecutive
 *   occasions (0 for two orders on one day). Gaps never span customers.
 * - Under a line-level dimension a customer's sequence in a group is its occasions with a
 *   positive line in that group (e.g. the days between a customer's coffee orders).
 * - Gap statistics use the whole visible history; `period`, `periods`, `weekStartsOn` and
 *   `fiscalYearStartMonth` are validated but not used.
 * - Comparison: this year = the 365 days ending with `asOf`, previous year = the 365 days before.
 *   A customer's mean gap in a window = (last − first occasion day in the window) ÷ (occasions
 *   in the window − 1), i.e. the mean of the gaps inside the window. Customers with at least
 *   `minGaps` gaps in both windows are compared; faster / slower / steady by `tolerance`. When
 *   the data begin more than 30 days into the previous year nobody is compared and the rows are
 *   `partial` (the data hold only part of that year).
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, by, repBasis, minGaps (default 2), tolerance (default 0.1)
 * @returns one row per group with at least one occasion, in key order (`null` last); `company`
 *   always gives exactly one row
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, orderPace } from "orderpulse";
 * const line = (order_id: string, order_date: string) => ({ order_id, order_date, customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 });
 * const { dataset } = fromRowsSync({ orders: [
 *   line("1", "2024-07-10"), line("2", "2024-09-08"), line("3", "2024-11-07"), // previous year: gaps 60, 60
 *   line("4", "2025-12-01"), line("5", "2025-12-21"), line("6", "2026-01-10"), // this year: gaps 20, 20
 * ] });
 * const [row] = orderPace(dataset, { asOf: "2026-06-30" }); // years: 2024-07-01..2025-06-30, 2025-07-01..2026-06-30
 * assert.equal(row?.gaps, 5);            // 60, 60, 389, 20, 20
 * assert.equal(row?.medianGapDays, 60);
 * assert.equal(row?.faster, 1);
 * assert.equal(row?.fasterShare, 1);
 * ```
 */
export function orderPace(dataset: Dataset, options?: OrderPaceOptions): OrderPaceRow[] {
  const fn = "orderPace";
  const ctx = kpiContext(dataset, options, "month", fn, KEYS);
  const minGaps = intOption(options, "minGaps", fn, 1, 1000, 2);
  const tolerance = fractionOption(options, "tolerance", fn, 0, 1, 0.1);
  const { view, groups, asOf } = ctx;
  const nG = groups.labels.length;
  const y1 = asOf - 364; // first day of this year
  const y0 = asOf - 729; // first day of the previous year
  // the data begin inside the previous year: a customer older than the data has only its last
  // days in it, and a mean gap over a few days reads as a fast pace, so the comparison would read
  // "slower" for nearly everyone (13 months of Online Retail: 2 of 2 compared, over 9 days; a review)
  // (a month of slack: an export whose first order day comes a few days after the previous year's
  // first day, a weekend or January 1, compared nobody for one missing day; a self-review)
  const partial = ctx.dataStart !== undefined && ctx.dataStart > y0 + PACE_SLACK_DAYS;
  const customers = new Float64Array(nG);
  const gapLists: number[][] = Array.from({ length: nG }, () => []);
  const customerMeans: number[][] = Array.from({ length: nG }, () => []);
  const compared = new Float64Array(nG), faster = new Float64Array(nG), slower = new Float64Array(nG);
  const { occ, groupStart, group } = occasionGroups(view, groups);
  // the occasion days of the current customer in each group, ascending
  const seq = new Map<number, number[]>();
  for (let c = 0; c < view.customerEnd.length; c++) {
    const k0 = occ.customerStart[c]!;
    const k1 = occ.customerStart[c + 1]!;
    if (k1 === k0) continue;
    seq.clear();
    for (let k = k0; k < k1; k++) {
      for (let j = groupStart[k]!; j < groupStart[k + 1]!; j++) {
        const g = group[j]!;
        let days = seq.get(g);
        if (!days) seq.set(g, (days = []));
        days.push(occ.day[k]!);
      }
    }
    for (const [g, days] of seq) {
      customers[g]!++;
      const n = days.length;
      if (n < 2) continue;
      const gaps = gapLists[g]!;
      for (let j = 1; j < n; j++) gaps.push(days[j]! - days[j - 1]!);
      customerMeans[g]!.push((days[n - 1]! - days[0]!) / (n - 1));
      if (partial) continue;
      const cur = windowStats(days, y1, asOf);
      const prev = windowStats(days, y0, y1 - 1);
      if (cur.count - 1 < minGaps || prev.count - 1 < minGaps) continue;
      compared[g]!++;
      const m1 = cur.span / (cur.count - 1);
      const m0 = prev.span / (prev.count - 1);
      if (m1 < m0 * (1 - tolerance)) faster[g]!++;
      else if (m1 > m0 * (1 + tolerance)) slower[g]!++;
    }
  }
  const rows: OrderPaceRow[] = [];
  const asOfText = formatDay(asOf);
  for (let g = 0; g < nG; g++) {
    if (customers[g] === 0 && groups.by !== "company") continue;
    const gaps = gapLists[g]!;
    let total = 0;
    for (const x of gaps) total += x; // integers: exact
    const med = median(gaps);
    const cmp = compared[g]!;
    const row: OrderPaceRow = {
      kpi: "order_pace",
      asOf: asOfText,
      ...(groups.by === "company" ? {} : { key: groups.labels[g] ?? null }),
      customers: customers[g]!,
      gaps: gaps.length,
      value: med,
      medianGapDays: med,
      meanGapDays: gaps.length > 0 ? total / gaps.length : undefined,
      medianCustomerGapDays: median(customerMeans[g]!),
      compared: cmp,
      faster: faster[g]!,
      slower: slower[g]!,
      steady: cmp - faster[g]! - slower[g]!,
      fasterShare: cmp > 0 ? faster[g]! / cmp : undefined,
      slowerShare: cmp > 0 ? slower[g]! / cmp : undefined,
      partial,
    };
    rows.push(row);
  }
  return rows;
}

/** Occasions within [from, to] of an ascending day list and the span between the first and last. */
function windowStats(days: readonly number[], from: number, to: number): { count: number; span: number } {
  let first = -1, last = -1, count = 0;
  for (const d of days) {
    if (d < from || d > to) continue;
    if (count === 0) first = d;
    last = d;
    count++;
  }
  return { count, span: count > 0 ? last - first : 0 };
}
