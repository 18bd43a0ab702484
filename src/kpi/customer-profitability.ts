import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { checkEnum, checkObject, extendKeys, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { addTo, KPI_KEYS, kpiContext, netProfit } from "./internal/context.ts";
import { ownerReps } from "../data/internal/owner-reps.ts";
import { grossMargin } from "./internal/margin-rate.ts";
import type { KpiOptions } from "./types.ts";


/** Slack of the class thresholds' comparisons (sums of shares in floating point). */
const SHARE_SLACK = 1e-12;
/** Options of {@link customerProfitability}. */
export interface CustomerProfitabilityOptions extends KpiOptions {
  /**
   * ABC thresholds as shares of the total positive gross profit: `a` (default 0.8) is the share
   * made by class A, `b` (default 0.15) the next share, made by class B; C is the rest. `a + b`
   * must be at most 1.
   */
  classes?:
    | {
        /** Share of the positive gross profit made by class A (0..1, default 0.8). */
        a?: number | undefined;
        /** Share made by class B, after A (0..1, default 0.15). */
        b?: number | undefined;
      }
    | undefined;
  /**
   * What ranks and classes customers: `gross_profit`, or `revenue` (for data without unit costs).
   * Default: gross profit when any line in the window has a cost, else revenue.
   */
  basis?: "gross_profit" | "revenue" | undefined;
}

const KEYS: OptionKeys<CustomerProfitabilityOptions> = /* @__PURE__ */ extendKeys<CustomerProfitabilityOptions, KpiOptions>(KPI_KEYS, { classes: true, basis: true });

/** ABC class: A, B, C by cumulative share of profit; D = negative gross profit (loss-making). */
export type ProfitClass = "A" | "B" | "C" | "D";

/** One customer's profitability over the window. */
export interface CustomerProfitabilityRow {
  /** Rank by the basis, 1 = most profitable (ties by customer id). */
  readonly rank: number;
  /** Customer id. */
  readonly customerId: string;
  /** Account owner (customers.rep_id, else the rep of the customer's latest visible order line, else of its latest visible line), `null` when none. */
  readonly repId: string | null;
  /** Segment, `null` when none. */
  readonly segment: string | null;
  /** Net revenue Σ quantity × unit_price (returns netted). */
  readonly revenue: number;
  /** Revenue of the lines with a known cost. */
  readonly costedRevenue: number;
  /** Σ quantity × unit_cost over lines with a known cost. */
  readonly cost: number;
  /** Gross profit = costedRevenue − cost (lines without cost excluded); `undefined` when none of its lines has a cost (not measured, not 0). */
  readonly grossProfit: number | undefined;
  /** grossProfit ÷ costedRevenue; `undefined` unless that is positive (returns outweighing sales have no margin). */
  readonly margin: number | undefined;
  /** The basis' value ÷ its total over all customers where it is positive; `undefined` when that total is 0. */
  readonly share: number | undefined;
  /** Running Σ of the basis' value down the ranking (this customer included) ÷ the same total; falls below 1 through loss-making customers. */
  readonly cumulativeShare: number | undefined;
  /** ABC class (D for negative gross profit). */
  readonly class: ProfitClass;
  /** Lines without a cost (line's or product's): excluded from profit, counted. */
  readonly linesWithoutCost: number;
  /** Lines in the window. */
  readonly lines: number;
  /** What rank, share and class measure: gross profit, or revenue when the window has no costed line (or the option says so). */
  readonly basis: "gross_profit" | "revenue";
}

function threshold(value: unknown, option: string, fallback: number, positive = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !((positive ? value > 0 : value >= 0) && value <= 1)) {
    throw new OrderpulseError("INVALID_OPTION", `customerProfitability: invalid option ${option}: expected a number in ${positive ? "(0, 1]" : "0..1"}`, { option, value });
  }
  return value;
}

/**
 * Customer profitability with ABC classes: per customer with a line in the window (the
 * `periods` periods, default 12, of `period`, default `month`, ending with the one holding
 * `asOf`), revenue, gross profit (as in `grossProfit`: Σ quantity × (unit_price − unit_cost)
 * over lines with a known cost, returns netted), margin and share of the total. Customers are
 * ranked by gross profit (descending, ties by id). Profitable customers (gross profit > 0) are
 * classed by the cumulative share of the total positive gross profit *before* them: A while it
 * is below `a` (default 0.8), B while below `a + b` (default 0.95), else C. So A is the
 * smallest top group making at least 80% and the customer crossing a boundary joins the upper
 * class. A customer with zero gross profit (including one without any costed line, whose
 * `grossProfit` is undefined: not measured) is C; a customer with negative gross profit is D,
 * listed last, never diluting the A/B shares. On data without unit costs (no costed line in the
 * window; UCI Online Retail) the same ranking and classes are by revenue (`basis: "revenue"`,
 * also an option).
 * `by` must be `company` or `customer` (other groupings are meaningless here).
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `month`), periods (default 12), classes `{ a, b }`, ...
 * @returns one row per customer, by rank
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option (classes.a outside (0, 1], classes.b outside 0..1 or a + b > 1, `by` other than company/customer)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { customerProfitability, fromRowsSync } from "orderpulse";
 * const line = (c: string, qty: number, price: number) => ({ order_id: c, order_date: "2026-01-05", customer_id: c, product_id: "P", quantity: qty, unit_price: price, unit_cost: 1 });
 * const { dataset } = fromRowsSync({ orders: [line("A", 70, 2), line("B", 20, 2), line("C", 10, 2), line("D", 5, 0.5)] });
 * const rows = customerProfitability(dataset, { asOf: "2026-01-31" });
 * assert.deepEqual(rows.map((r) => [r.customerId, r.grossProfit, r.class]), [["A", 70, "A"], ["B", 20, "A"], ["C", 10, "B"], ["D", -2.5, "D"]]);
 * // without costs: by revenue, gross profit not measured
 * const plain = fromRowsSync({ orders: [line("A", 70, 2), line("B", 20, 2), line("C", 10, 2)].map(({ unit_cost: _c, ...x }) => x) }).dataset;
 * const byRevenue = customerProfitability(plain, { asOf: "2026-01-31" });
 * assert.deepEqual(byRevenue.map((r) => [r.customerId, r.basis, r.revenue, r.grossProfit, r.class]), [["A", "revenue", 140, undefined, "A"], ["B", "revenue", 40, undefined, "A"], ["C", "revenue", 20, undefined, "B"]]);
 * ```
 */
export function customerProfitability(dataset: Dataset, options?: CustomerProfitabilityOptions): CustomerProfitabilityRow[] {
  // (an options object: null and 5 read as no options)
  const o = optionsObject(options, "customerProfitability", KEYS) as CustomerProfitabilityOptions;
  if (o.by !== undefined && o.by !== "company" && o.by !== "customer") {
    throw new OrderpulseError("INVALID_OPTION", `customerProfitability: invalid option by: expected "company" or "customer", got ${String(o.by)}`, { option: "by" });
  }
  checkEnum(o as Record<string, unknown>, "basis", ["gross_profit", "revenue"], "customerProfitability");
  const cl = checkObject(o as Record<string, unknown>, "classes", ["a", "b"], "customerProfitability");
  // (a = 0 left the top customer out of A: the classes' promise is that it is always A)
  const a = threshold(cl["a"], "classes.a", 0.8, true);
  const b = threshold(cl["b"], "classes.b", 0.15);
  if (a + b > 1 + SHARE_SLACK) throw new OrderpulseError("INVALID_OPTION", "customerProfitability: invalid option classes: a + b must be at most 1", { option: "classes" });
  const ctx = kpiContext(dataset, { ...o, by: "company" }, "month", "customerProfitability", KEYS);
  const { view, slotOfDay, dayOffset } = ctx;
  const { lines, customerStart, customerEnd, ids, customers } = view;
  const nC = customerEnd.length;
  const rev = new Float64Array(nC), revC = new Float64Array(nC);
  const crev = new Float64Array(nC), crevC = new Float64Array(nC);
  const cost = new Float64Array(nC), costC = new Float64Array(nC);
  const nLines = new Float64Array(nC), noCost = new Float64Array(nC);
  // Σ|terms| of each sum: a net within NET_ZERO of it is 0 (a customer who returned what it bought)
  const revA = new Float64Array(nC), crevA = new Float64Array(nC), costA = new Float64Array(nC);
  for (let c = 0; c < nC; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const d = lines.day[i]! - dayOffset;
      if (d < 0 || slotOfDay[d]! < 0) continue;
      const q = lines.quantity[i]!;
      const r = q * lines.unitPrice[i]!;
      addTo(rev, revC, c, r);
      revA[c]! += Math.abs(r);
      nLines[c]!++;
      const uc = lines.unitCost[i]!;
      if (uc === uc) {
        addTo(crev, crevC, c, r);
        crevA[c]! += Math.abs(r);
        addTo(cost, costC, c, q * uc);
        costA[c]! += Math.abs(q * uc);
      } else noCost[c]!++;
    }
  }
  const owner = ownerReps(view);
  const list: { c: number; gp: number; costed: number; cost: number; revenue: number; v: number }[] = [];
  let anyCost = false;
  for (let c = 0; c < nC; c++) {
    if (nLines[c] === 0) continue;
    const net = netProfit(rev[c]! + revC[c]!, revA[c]!, crev[c]! + crevC[c]!, crevA[c]!, cost[c]! + costC[c]!, costA[c]!);
    if (noCost[c]! < nLines[c]!) anyCost = true;
    list.push({ c, gp: net.grossProfit, costed: net.costed, cost: net.cost, revenue: net.revenue, v: 0 });
  }
  const basis = o.basis ?? (anyCost ? "gross_profit" : "revenue");
  for (const e of list) e.v = basis === "revenue" ? e.revenue : e.gp;
  // customer ids are dictionary ids in sorted string order: ties break by id
  list.sort((x, y) => y.v - x.v || x.c - y.c);
  const total = new Float64Array(1), totalC = new Float64Array(1);
  for (const e of list) if (e.v > 0) addTo(total, totalC, 0, e.v);
  const positive = total[0]! + totalC[0]!;
  const run = new Float64Array(1), runC = new Float64Array(1);
  return list.map((e, k): CustomerProfitabilityRow => {
    const before = positive > 0 ? (run[0]! + runC[0]!) / positive : 0;
    addTo(run, runC, 0, e.v);
    // (the thresholds with a 1e-12 slack, as a + b ≤ 1 is checked: 0.8 + 0.15 is 0.9500000000000001
    // in floating point, and a customer with 95% before it read B; review 2026-12-07)
    // (the top customer is A whatever a; with a + b = 1 nothing is left for C)
    const cls: ProfitClass = e.v < 0 ? "D" : e.v === 0 ? "C" : k === 0 || before < a - SHARE_SLACK ? "A" : before < a + b - SHARE_SLACK || a + b >= 1 - SHARE_SLACK ? "B" : "C";
    const rep = owner[e.c]!;
    const seg = customers.segment[e.c]!;
    return {
      rank: k + 1,
      customerId: ids.customers.values[e.c]!,
      repId: rep >= 0 ? ids.reps.values[rep]! : null,
      segment: seg >= 0 ? ids.segments.values[seg]! : null,
      revenue: e.revenue,
      costedRevenue: e.costed,
      cost: e.cost,
      grossProfit: noCost[e.c] === nLines[e.c] ? undefined : e.gp,
      margin: grossMargin(e.gp, e.costed),
      share: positive > 0 ? e.v / positive : undefined,
      cumulativeShare: positive > 0 ? (run[0]! + runC[0]!) / positive : undefined,
      class: cls,
      linesWithoutCost: noCost[e.c]!,
      lines: nLines[e.c]!,
      basis,
    };
  });
}
