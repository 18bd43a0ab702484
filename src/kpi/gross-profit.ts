import type { Dataset } from "../data/dataset.ts";
import { customerGroup, kpiContext, lineCell, lineSlot, netProfit, windowEnd, windowStart, type KpiContext, companyRow, rowKey, KPI_KEYS } from "./internal/context.ts";
import { grossMargin } from "./internal/margin-rate.ts";
import { presentGroups } from "./internal/present.ts";
import type { KpiOptions, KpiRow } from "./types.ts";

/** A revenue / gross profit row: `value` is gross profit. */
export interface GrossProfitRow extends KpiRow {
  /** Net revenue Σ quantity × unit_price (returns netted). */
  readonly revenue: number;
  /** Revenue of the lines with a known cost (the base of profit and margin). */
  readonly costedRevenue: number;
  /** Σ quantity × unit_cost over lines with a known cost. */
  readonly cost: number;
  /** Gross margin = gross profit ÷ costed revenue; `undefined` unless that is positive (returns outweighing sales have no margin). */
  readonly margin: number | undefined;
  /** Lines in the group without a cost (line's or product's): excluded from profit, counted. */
  readonly linesWithoutCost: number;
  /** Lines in the group. */
  readonly lines: number;
}

/**
 * Revenue, gross profit and margin % per period (default monthly) and group. Gross profit =
 * Σ quantity × (unit_price − unit_cost) over lines with a known cost; returns (negative
 * quantity) are netted; lines without cost are counted in `linesWithoutCost`, never guessed, and
 * when a cell has lines but none with a cost its gross profit is `undefined` (not measured), not 0.
 * Money is summed with Neumaier compensation.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `month`), periods, by, ...
 * @returns one row per period and present group
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, grossProfit } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 },
 *   { order_id: "2", order_date: "2026-01-09", customer_id: "A", product_id: "P", quantity: -2, unit_price: 3, unit_cost: 2 },
 *   { order_id: "3", order_date: "2026-01-20", customer_id: "B", product_id: "Q", quantity: 1, unit_price: 5 },
 *   { order_id: "4", order_date: "2026-02-03", customer_id: "B", product_id: "Q", quantity: 2, unit_price: 5 },
 * ] });
 * const [jan, feb] = grossProfit(dataset, { asOf: "2026-02-28", period: "month", periods: 2 });
 * assert.equal(jan?.revenue, 29);
 * assert.equal(jan?.value, 8);        // (10 - 2) x (3 - 2)
 * assert.equal(jan?.linesWithoutCost, 1);
 * assert.equal(feb?.revenue, 10);
 * assert.equal(feb?.value, undefined); // no line with a cost: not measured
 * ```
 */
export function grossProfit(dataset: Dataset, options?: KpiOptions): GrossProfitRow[] {
  const ctx = kpiContext(dataset, options, "month", "grossProfit", KPI_KEYS);
  const { view, groups, slots } = ctx;
  const nG = groups.labels.length;
  const n = slots.length * nG;
  const rev = new Float64Array(n), revC = new Float64Array(n);
  const crev = new Float64Array(n), crevC = new Float64Array(n);
  const cost = new Float64Array(n), costC = new Float64Array(n);
  const nLines = new Float64Array(n), noCost = new Float64Array(n);
  // Σ|terms| of each sum: a net within NET_ZERO of it is 0 (sales and returns that cancel)
  const revA = new Float64Array(n), crevA = new Float64Array(n), costA = new Float64Array(n);
  const t: GpCells = { rev, revC, crev, crevC, cost, costC, nLines, noCost, revA, crevA, costA };
  for (let c = 0; c < view.customerEnd.length; c++) addCustomer(ctx, c, t);
  const rows: GrossProfitRow[] = [];
  const present = presentGroups(ctx);
  for (let s = 0; s < slots.length; s++) {
    for (const g of present) {
      const k = s * nG + g;
      const { revenue, costed, cost: cst, grossProfit: gp } = netProfit(rev[k]! + revC[k]!, revA[k]!, crev[k]! + crevC[k]!, crevA[k]!, cost[k]! + costC[k]!, costA[k]!);
      rows.push(companyRow(ctx, {
        kpi: "gross_profit",
        period: ctx.slots[s]!.label,
        start: ctx.slots[s]!.startText,
        end: ctx.slots[s]!.endText,
        partial: ctx.slots[s]!.rowPartial,
        key: rowKey(ctx, g),
        // lines, none of them with a cost: not measured (a cell without lines has 0 profit, as 0 revenue)
        value: nLines[k]! > 0 && noCost[k] === nLines[k] ? undefined : gp,
        revenue,
        costedRevenue: costed,
        cost: cst,
        margin: grossMargin(gp, costed),
        linesWithoutCost: noCost[k]!,
        lines: nLines[k]!,
      }));
    }
  }
  return rows;
}

/** Per-cell totals of a grossProfit pass (sums with their compensations). */
interface GpCells {
  readonly rev: Float64Array;
  readonly revC: Float64Array;
  readonly crev: Float64Array;
  readonly crevC: Float64Array;
  readonly cost: Float64Array;
  readonly costC: Float64Array;
  readonly nLines: Float64Array;
  readonly noCost: Float64Array;
  /** Σ|revenue terms|, Σ|costed revenue terms|, Σ|cost terms| (for {@link netOf}). */
  readonly revA: Float64Array;
  readonly crevA: Float64Array;
  readonly costA: Float64Array;
}

/**
 * Add customer `c`'s window lines to the cells, in line order. A small function V8 optimizes
 * after the first customers, instead of one loop over every line that waits for on-stack
 * replacement. A cell's sums stay in locals while the lines stay in it (a customer's lines of a
 * period are contiguous): the same Neumaier steps as `addTo`, without a load and store of
 * every sum per line.
 */
function addCustomer(ctx: KpiContext, c: number, t: GpCells): void {
  const { quantity, unitPrice, unitCost } = ctx.view.lines;
  const { rev, revC, crev, crevC, cost, costC, nLines, noCost, revA, crevA, costA } = t;
  const gc = customerGroup(ctx, c);
  let cur = -1;
  let rs = 0, rc = 0, cs = 0, cc = 0, ks = 0, kc = 0, lines = 0, uncosted = 0, ra = 0, ca = 0, ka = 0;
  for (let i = windowStart(ctx, c), end = windowEnd(ctx, c); i < end; i++) {
    const s = lineSlot(ctx, i);
    if (s < 0) continue;
    const k = lineCell(ctx, s, gc, i);
    if (k !== cur) {
      if (cur >= 0) storeCell(t, cur, rs, rc, cs, cc, ks, kc, lines, uncosted, ra, ca, ka);
      cur = k;
      rs = rev[k]!;
      rc = revC[k]!;
      cs = crev[k]!;
      cc = crevC[k]!;
      ks = cost[k]!;
      kc = costC[k]!;
      lines = nLines[k]!;
      uncosted = noCost[k]!;
      ra = revA[k]!;
      ca = crevA[k]!;
      ka = costA[k]!;
    }
    const q = quantity[i]!;
    const r = q * unitPrice[i]!;
    let x = rs + r;
    rc += Math.abs(rs) >= Math.abs(r) ? rs - x + r : r - x + rs;
    rs = x;
    ra += Math.abs(r);
    lines++;
    const uc = unitCost[i]!;
    if (uc === uc) {
      x = cs + r;
      cc += Math.abs(cs) >= Math.abs(r) ? cs - x + r : r - x + cs;
      cs = x;
      ca += Math.abs(r);
      const y = q * uc;
      x = ks + y;
      kc += Math.abs(ks) >= Math.abs(y) ? ks - x + y : y - x + ks;
      ks = x;
      ka += Math.abs(y);
    } else uncosted++;
  }
  if (cur >= 0) storeCell(t, cur, rs, rc, cs, cc, ks, kc, lines, uncosted, ra, ca, ka);
}

/** Write a cell's sums and counts back (see {@link addCustomer}). */
function storeCell(t: GpCells, k: number, rs: number, rc: number, cs: number, cc: number, ks: number, kc: number, lines: number, uncosted: number, ra: number, ca: number, ka: number): void {
  t.rev[k] = rs;
  t.revC[k] = rc;
  t.crev[k] = cs;
  t.crevC[k] = cc;
  t.cost[k] = ks;
  t.costC[k] = kc;
  t.nLines[k] = lines;
  t.noCost[k] = uncosted;
  t.revA[k] = ra;
  t.crevA[k] = ca;
  t.costA[k] = ka;
}
