import { checkDateLike, checkEnum, checkInt, checkString, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { checkDataset } from "../data/internal/check-dataset.ts";
import { DIMENSIONS, heldToDateDays, partialPeriod, periodSpecOf, resolveGroups } from "./internal/context.ts";
import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { addRaw, blankContribution, type RawContribution } from "./internal/explain-common.ts";
import { explainActiveCustomers, explainSkuBreadth } from "./internal/explain-customers.ts";
import { resolvePeriod } from "./internal/explain-periods.ts";
import { explainPvm } from "./internal/explain-pvm.ts";
import { PERIOD_UNITS, type PeriodInfo, type PeriodUnit } from "./period.ts";
import type { Dimension } from "./types.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";

/** KPIs whose change {@link explainKpiChange} can break down. */
export type ExplainableKpi = "active_customers" | "gross_profit" | "revenue" | "sku_breadth";

/**
 * What a contribution is.
 *
 * - active customers: `lost` (active in `from`, not in `to`), `gained` (first purchase ever after
 *   `from` ended), `returned` (bought before `from`, not in it, back in `to`);
 * - gross profit / revenue (sequential price–volume–mix): `volume`, `mix`, `price`, `cost`
 *   (gross profit only) for items sold in both periods; `new`, `lost_item`, `returns_only` for
 *   items without a positive net quantity in `from`, in `to`, or in either;
 * - SKU breadth: `breadth` (customers active in both periods: their own breadth change; negative
 *   = narrowed), `entered` and `left` (composition: who is active).
 */
export type ChangePart =
  | "lost"
  | "gained"
  | "returned"
  | "volume"
  | "mix"
  | "price"
  | "cost"
  | "new"
  | "lost_item"
  | "returns_only"
  | "breadth"
  | "entered"
  | "left";

/** Options of {@link explainKpiChange}. */
export interface ExplainKpiChangeOptions {
  /** The KPI whose change to explain. */
  kpi: ExplainableKpi;
  /** The base period: a label of the `period` unit (`2026-09`, `2026-Q3`, `2026-W37`, `2026`, `FY2027`) or a `YYYY-MM-DD` day inside it. */
  from: string;
  /** The compared period (after `from`), given like `from`. */
  to: string;
  /** Period unit. Default `month`. */
  period?: PeriodUnit | undefined;
  /** Dimension the contributions are grouped by. Default `company`. */
  by?: Dimension | undefined;
  /** Last visible day (`YYYY-MM-DD`, `Date` or epoch day). Default: the dataset's last order day (a dataset without orders: the last day of `to`). */
  asOf?: string | Date | number | undefined;
  /** First day of a week: 1 Monday (ISO, default) or 0 Sunday. */
  weekStartsOn?: 0 | 1 | undefined;
  /** First month of the fiscal year (1..12). Default 1. */
  fiscalYearStartMonth?: number | undefined;
  /** Rep basis when `by` is `rep`: `owner` (default, account owner) or `seller` (orders.rep_id). */
  repBasis?: "owner" | "seller" | undefined;
  /** Keep only the `top` largest contributions (the rest are summed in `omitted`). Default: all. */
  top?: number | undefined;
  /**
   * When `to` is in progress at `asOf`, explain it against the same first days of `from` (its
   * first `toDateDays` days, as `computeKpis` compares it). Default `true`; `false`: against the
   * whole of `from`.
   */
  toDate?: boolean | undefined;
  /**
   * `asOf` is today, a day still in progress: a `to` period ending on it is in progress too and is
   * explained like for like, up to the data's last day (as computeKpis' `asOfInProgress`). Default
   * `false`: `asOf` is a complete day.
   */
  asOfInProgress?: boolean | undefined;
}

/** One of the two compared periods and the KPI's value in it. */
export interface ExplainedPeriod {
  /** Period label (`2026-02`, `2026-W07`...). */
  readonly label: string;
  /** First day, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last day, `YYYY-MM-DD`. */
  readonly end: string;
  /**
   * True when the data does not cover the whole period: it ends after `asOf` (still in progress:
   * only the days up to `asOf` count) or starts before the first order day of the data (an
   * export that begins inside it: an undercount, and "new customers" that are only new to the data).
   */
  readonly partial: boolean;
  /** The KPI value, as the KPI function gives it; `undefined` for SKU breadth without active customers. */
  readonly value: number | undefined;
  /** SKU breadth: Σ distinct (customer, product) pairs. */
  readonly numerator?: number;
  /** SKU breadth: active customers. */
  readonly denominator?: number;
  /** Gross profit: lines without a cost in the period (excluded from profit, as in `grossProfit`). */
  readonly linesWithoutCost?: number;
}

/** One piece of the change: a part in a group. */
export interface ChangeContribution {
  /** Group key (the `by` dimension's value; `null` = no value). Absent when `by` is `company`. */
  readonly key?: string | null;
  /** What kind of contribution. */
  readonly part: ChangePart;
  /** Its share of the change, in the KPI's unit (customers, money, SKUs per customer). */
  readonly value: number;
  /** Customers (active customers, SKU breadth) or items ((group, product) pairs: gross profit, revenue) behind it. */
  readonly count: number;
  /** Active customers, SKU breadth: the customer ids behind it, sorted. */
  readonly customers?: readonly string[];
  /** Gross profit, revenue: net quantity of its items in `from`. */
  readonly fromQuantity?: number;
  /** Gross profit, revenue: net quantity of its items in `to`. */
  readonly toQuantity?: number;
  /** Gross profit, revenue: the items' profit (revenue) in `from`; SKU breadth: the customers' distinct SKUs in `from`. */
  readonly fromValue?: number;
  /** Gross profit, revenue: the items' profit (revenue) in `to`; SKU breadth: the customers' distinct SKUs in `to`. */
  readonly toValue?: number;
  /** SKU breadth `breadth`: customers who bought fewer distinct SKUs in `to` than in `from`. */
  readonly narrowed?: number;
  /** SKU breadth `breadth`: customers who bought more distinct SKUs. */
  readonly widened?: number;
}

/** The contributions left out by `top`. */
export interface OmittedContributions {
  /** How many. */
  readonly count: number;
  /** Their summed value. */
  readonly value: number;
}

/** Why a KPI moved between two periods. */
export interface KpiChangeExplanation {
  /** The KPI. */
  readonly kpi: ExplainableKpi;
  /** The decomposition method, named. */
  readonly method: string;
  /** The grouping dimension. */
  readonly by: Dimension;
  /** The period unit. */
  readonly period: PeriodUnit;
  /** The as-of day used, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** The base period. */
  readonly from: ExplainedPeriod;
  /** The compared period. */
  readonly to: ExplainedPeriod;
  /** `to.value − from.value`; `undefined` when either is undefined (then nothing is decomposed). */
  readonly change: number | undefined;
  /** Total of each part over all groups (every part of the KPI is listed, 0 when empty). */
  readonly parts: Readonly<Partial<Record<ChangePart, number>>>;
  /** The contributions, largest |value| first (ties: part order, then key); zero ones are left out, but for a `breadth` one whose customers narrowed and widened in equal measure (it names them). */
  readonly contributions: readonly ChangeContribution[];
  /** What `top` left out (`{ count: 0, value: 0 }` without `top`). */
  readonly omitted: OmittedContributions;
  /** `change − Σ contributions` over all of them (floating-point rounding only; 0 when `change` is undefined). */
  readonly residual: number;
  /** Set when `to` is in progress: the days `to` has had so far; `from` counts at most as many of its first days (like for like; `from.end` is the last of them: all of a shorter `from`, a February against 30 days of March). */
  readonly toDateDays?: number;
}

const KPIS = ["active_customers", "gross_profit", "revenue", "sku_breadth"] as const;
const PART_ORDER: readonly ChangePart[] = ["lost", "gained", "returned", "volume", "mix", "price", "cost", "new", "lost_item", "returns_only", "breadth", "entered", "left"];
const PARTS: Record<ExplainableKpi, readonly ChangePart[]> = {
  active_customers: ["lost", "gained", "returned"],
  gross_profit: ["volume", "mix", "price", "cost", "new", "lost_item", "returns_only"],
  revenue: ["volume", "mix", "price", "new", "lost_item", "returns_only"],
  sku_breadth: ["breadth", "entered", "left"],
};
const METHODS: Record<ExplainableKpi, string> = {
  active_customers: "customer flows: lost, gained (first purchase ever), returned",
  gross_profit: "sequential price-volume-mix-cost variance analysis at (group, product) level: volume at base average margin, mix at base item margins, price and cost at current quantities",
  revenue: "sequential price-volume-mix variance analysis at (group, product) level: volume at base average price, mix at base item prices, price at current quantities",
  sku_breadth: "composition / within-customer (shift-share) decomposition of distinct SKUs per active customer",
};

function invalid(message: string, option: string, cause?: unknown): OrderpulseError {
  return new OrderpulseError("INVALID_OPTION", `explainKpiChange: ${message}`, { option }, cause);
}

const KEYS: OptionKeys<ExplainKpiChangeOptions> = { kpi: true, from: true, to: true, period: true, by: true, asOf: true, weekStartsOn: true, fiscalYearStartMonth: true, repBasis: true, top: true, toDate: true, asOfInProgress: true };

/** Hand-written option checks (no zod in KPI imports); throws INVALID_OPTION naming the option. */
function checkExplainOptions(options: unknown): void {
  const fn = "explainKpiChange";
  const o = optionsObject(options, fn, KEYS);
  if (o.kpi === undefined) throw new OrderpulseError("INVALID_OPTION", `${fn}: option kpi is required: one of ${KPIS.join(", ")}`, { option: "kpi" });
  checkEnum(o, "kpi", KPIS, fn);
  checkString(o, "from", fn, true);
  checkString(o, "to", fn, true);
  checkEnum(o, "period", PERIOD_UNITS, fn);
  checkEnum(o, "by", DIMENSIONS, fn);
  checkDateLike(o, "asOf", fn);
  checkEnum(o, "weekStartsOn", [0, 1], fn);
  checkInt(o, "fiscalYearStartMonth", 1, 12, fn);
  checkEnum(o, "repBasis", ["owner", "seller"], fn);
  checkInt(o, "top", 1, Number.MAX_SAFE_INTEGER, fn);
  checkEnum(o, "toDate", [true, false], fn);
  checkEnum(o, "asOfInProgress", [true, false], fn);
}

/**
 * Why did a KPI move? Breaks the change of `kpi` between two periods into contributions that add
 * up to it exactly (up to floating-point rounding, reported as `residual`):
 *
 * - `active_customers`: customers `lost`, `gained` (first purchase ever after `from` ended) and
 *   `returned` (bought before `from`, not in it), each ±1;
 * - `gross_profit` / `revenue`: a sequential price–volume–mix(–cost) variance analysis over
 *   (group, product) items — `volume` = ΔQ × base average margin, `mix` = Q1 × Δshare × base item
 *   margin, `price` = Δunit price × new quantity, `cost` = −Δunit cost × new quantity; items
 *   without a positive net quantity in a period give `new` / `lost_item` / `returns_only` whole;
 * - `sku_breadth`: the change in distinct SKUs per active customer split into `breadth` (customers
 *   active in both periods; negative = narrowed) and composition (`entered`, `left`).
 *
 * Contributions are grouped by `by`. Customer-level dimensions (company, customer, segment,
 * region, owner rep) place a customer in its group; line-level ones (channel, product, family,
 * seller rep) place a customer's ±1 (active customers, SKU breadth) in the group of its largest
 * revenue in the period, and profit items are (group, product) pairs. A period starting after
 * `asOf` is refused; the one holding `asOf` is explained as far as `asOf` and marked `partial`,
 * against the same first days of `from` (like for like, `toDateDays`; `toDate: false` takes the
 * whole of `from`). A `to` without data yet (the data end before it begins) has `toDateDays` 0,
 * no values and no contributions. The `from` / `to` values equal those of `activeCustomers`,
 * `grossProfit` and `skuBreadth` over the same days.
 * docs/kpis.md ("Explaining a change") gives the formulas.
 *
 * @param dataset - a dataset or as-of view
 * @param options - kpi, from, to (period labels or days inside them), period (default `month`),
 *   by (default `company`), asOf, weekStartsOn, fiscalYearStartMonth, repBasis, top, toDate,
 *   asOfInProgress
 * @returns the two periods with their values, the change, per-part totals, the contributions
 *   (largest first) and the residual
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option, a label that is not a period of the
 *   unit, `from` not before `to`, or a period starting after `asOf`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainKpiChange, fromRowsSync } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 },
 *   { order_id: "2", order_date: "2026-01-20", customer_id: "B", product_id: "P", quantity: 1, unit_price: 3, unit_cost: 2 },
 *   { order_id: "3", order_date: "2026-02-03", customer_id: "A", product_id: "P", quantity: 12, unit_price: 3.5, unit_cost: 2 },
 *   { order_id: "4", order_date: "2026-02-10", customer_id: "C", product_id: "P", quantity: 1, unit_price: 3, unit_cost: 2 },
 * ] });
 * const ac = explainKpiChange(dataset, { kpi: "active_customers", from: "2026-01", to: "2026-02", asOf: "2026-02-28" });
 * assert.equal(ac.change, 0);
 * assert.deepEqual(ac.parts, { lost: -1, gained: 1, returned: 0 });
 * const gp = explainKpiChange(dataset, { kpi: "gross_profit", from: "2026-01", to: "2026-02", asOf: "2026-02-28" });
 * assert.equal(gp.change, 8);             // (12 x 1.5 + 1 x 1) - 11 x 1
 * const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
 * assert.ok(close(gp.parts.volume ?? NaN, 2));   // (13 - 11) x 11 / 11
 * assert.ok(close(gp.parts.price ?? NaN, 6));    // 13 x (45 / 13 - 3)
 * assert.ok(Math.abs(gp.residual) <= 1e-9 * 8);
 * ```
 */
export function explainKpiChange(dataset: Dataset, options: ExplainKpiChangeOptions): KpiChangeExplanation {
  checkExplainOptions(options);
  checkDataset(dataset, "explainKpiChange");
  const o = options;
  const spec = periodSpecOf(o.period ?? "month", o);
  const whole = resolvePeriod(o.from, spec, "from");
  const to = resolvePeriod(o.to, spec, "to");
  // a dataset without orders has no last order day to default asOf to: the end of `to` (nothing of
  // either period is known: no values), not 1970-01-01, which refused every `to` (data, not options)
  const { asOf, view } = resolveAsOf(dataset, o.asOf, dataset.dayRange === undefined ? to.end : undefined, "explainKpiChange");
  if (whole.index >= to.index) throw invalid(`from (${whole.label}) must be a period before to (${to.label})`, "from");
  if (to.start > asOf) throw invalid(`to (${to.label}) starts after asOf (${formatDay(asOf)}): nothing of it is known yet`, "to");
  // `to` in progress: `from` counts only as many of its first days as `to` has data for (like for
  // like; up to the data's last day when it ends before asOf: toDateDaysOf). None yet: nothing is
  // compared (`from` stays whole: its first 0 days read as an inverted range, 2026-11-30..2026-11-29)
  const open = o.asOfInProgress === true;
  const toDateDays = to.end >= asOf && o.toDate !== false ? heldToDateDays(view, asOf, to.start, to.end, open) : undefined;
  const from: PeriodInfo = toDateDays === undefined || toDateDays === 0 ? whole : { ...whole, end: Math.min(whole.end, whole.start + toDateDays - 1) };
  const by = o.by ?? "company";
  const groups = resolveGroups(view, by, o.repBasis ?? "owner");
  const kpi = o.kpi;
  const base = (p: PeriodInfo): { label: string; start: string; end: string; partial: boolean } => ({
    label: p.label,
    start: formatDay(p.start),
    end: formatDay(p.end),
    partial: partialPeriod(p.start, p.end, asOf, view.dayRange?.first, open),
  });

  let fromPeriod: ExplainedPeriod;
  let toPeriod: ExplainedPeriod;
  let cells: RawContribution[];
  if (toDateDays === 0) {
    // no data of `to` yet: neither side has a value to compare, nothing to decompose
    fromPeriod = { ...base(from), value: undefined };
    toPeriod = { ...base(to), value: undefined };
    cells = [];
  } else if (kpi === "active_customers") {
    const r = explainActiveCustomers(view, groups, from, to);
    fromPeriod = { ...base(from), value: r.from };
    toPeriod = { ...base(to), value: r.to };
    cells = r.cells;
  } else if (kpi === "sku_breadth") {
    const r = explainSkuBreadth(view, groups, from, to);
    fromPeriod = { ...base(from), ...r.from };
    toPeriod = { ...base(to), ...r.to };
    cells = r.cells;
  } else {
    const gp = kpi === "gross_profit";
    const r = explainPvm(view, groups, from, to, gp);
    const period = (p: PeriodInfo, t: typeof r.from): ExplainedPeriod =>
      // gross profit of a period whose lines all lack a cost is not measured (as in grossProfit)
      gp ? { ...base(p), value: t.lines > 0 && t.linesWithoutCost === t.lines ? undefined : t.grossProfit, linesWithoutCost: t.linesWithoutCost } : { ...base(p), value: t.revenue };
    fromPeriod = period(from, r.from);
    toPeriod = period(to, r.to);
    cells = r.cells;
  }
  const change = fromPeriod.value !== undefined && toPeriod.value !== undefined ? toPeriod.value - fromPeriod.value : undefined;
  // a side not measured (no active customer for SKU breadth, no cost for gross profit): nothing to decompose
  if (change === undefined) cells = [];

  // per-part totals and the residual, over every cell
  const partTotals = new Map<string, RawContribution>();
  const all = blankContribution(-1, "all");
  for (const part of PARTS[kpi]) partTotals.set(part, blankContribution(-1, part));
  for (const c of cells) {
    const v = c.value + c.comp;
    addRaw(partTotals.get(c.part)!, v);
    addRaw(all, v);
  }
  const parts: Partial<Record<ChangePart, number>> = {};
  for (const part of PARTS[kpi]) {
    const t = partTotals.get(part)!;
    parts[part] = t.value + t.comp;
  }
  const residual = change === undefined ? 0 : change - (all.value + all.comp);

  const partRank = (p: string): number => PART_ORDER.indexOf(p as ChangePart);
  const kept = cells
    .filter((c) => c.value + c.comp !== 0 || (c.narrowed ?? 0) + (c.widened ?? 0) > 0)
    .sort((a, b) => Math.abs(b.value + b.comp) - Math.abs(a.value + a.comp) || partRank(a.part) - partRank(b.part) || a.group - b.group);
  const top = o.top ?? kept.length;
  const omitted = blankContribution(-1, "omitted");
  for (let i = top; i < kept.length; i++) {
    addRaw(omitted, kept[i]!.value + kept[i]!.comp);
    omitted.count++;
  }
  const customerIds = view.ids.customers.values;
  const contributions = kept.slice(0, top).map((c): ChangeContribution => {
    const head = { part: c.part as ChangePart, value: c.value + c.comp, count: c.count };
    // key first (absent for company), then the numbers
    const out: Mutable<ChangeContribution> = by === "company" ? head : { key: groups.labels[c.group] ?? null, ...head };
    if (c.customers) out.customers = c.customers.map((k) => customerIds[k]!);
    if (c.fromQuantity !== undefined) out.fromQuantity = c.fromQuantity;
    if (c.toQuantity !== undefined) out.toQuantity = c.toQuantity;
    if (c.fromValue !== undefined) out.fromValue = c.fromValue;
    if (c.toValue !== undefined) out.toValue = c.toValue;
    if (c.narrowed !== undefined) out.narrowed = c.narrowed;
    if (c.widened !== undefined) out.widened = c.widened;
    return out;
  });
  return {
    kpi,
    method: METHODS[kpi],
    by,
    period: spec.unit,
    asOf: formatDay(asOf),
    from: fromPeriod,
    to: toPeriod,
    change,
    parts,
    contributions,
    omitted: { count: omitted.count, value: omitted.value + omitted.comp },
    residual,
    ...(toDateDays === undefined ? {} : { toDateDays }),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

