import type { PeriodUnit } from "./period.ts";

/** Dimensions KPIs can be grouped by. `company` is the whole business (no `key`). */
export type Dimension = "company" | "rep" | "channel" | "segment" | "region" | "customer" | "product" | "family";

/**
 * Options shared by every KPI function.
 */
export interface KpiOptions {
  /** Last visible day (`YYYY-MM-DD`, `Date` or epoch day). Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Period unit; each KPI has its own default cadence (weekly or monthly). */
  period?: PeriodUnit | undefined;
  /** How many periods, ending with the one holding `asOf`. Default 12. */
  periods?: number | undefined;
  /** Group rows by this dimension. Default `company`. */
  by?: Dimension | undefined;
  /** First day of a week: 1 Monday (ISO, default) or 0 Sunday. */
  weekStartsOn?: 0 | 1 | undefined;
  /** First month of the fiscal year (1..12). Default 1. */
  fiscalYearStartMonth?: number | undefined;
  /**
   * Which rep a line counts for when grouping by rep: `owner` (default: the account owner,
   * customers.rep_id, else the rep of the customer's latest order line, a purchase, else of its
   * latest line) or `seller` (orders.rep_id).
   */
  repBasis?: "owner" | "seller" | undefined;
  /**
   * `asOf` is today, a day still in progress (its orders are not all in the data yet): a period
   * ending on it is `partial` as one ending after it is, and a churn day, due day or repurchase
   * window after the data's last day is not confirmed (its row censored). Default `false`: `asOf`
   * is a complete day. The CLI sets it when `--as-of` is today.
   */
  asOfInProgress?: boolean | undefined;
}

/** One KPI value for one period and group. */
export interface KpiRow {
  /** KPI name, e.g. `active_customers`. */
  readonly kpi: string;
  /** Period label (`2026-11`, `2026-W48`, `2026-Q4`...). */
  readonly period: string;
  /** First day of the period, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last day of the period, `YYYY-MM-DD`. */
  readonly end: string;
  /**
   * True when the data does not cover the whole period: it ends after `asOf` (still in
   * progress), or it starts before the first order day of the data (an export that begins
   * mid-month undercounts its first month). Trends never compare against a partial period.
   */
  readonly partial: boolean;
  /** Group key when grouped (`null`: lines or customers with no value for the dimension). */
  readonly key?: string | null;
  /** The KPI value; `undefined` when it is undefined for the group (e.g. a ratio over zero). */
  readonly value: number | undefined;
  /** Numerator of a ratio KPI. */
  readonly numerator?: number;
  /** Denominator of a ratio KPI. */
  readonly denominator?: number;
}
