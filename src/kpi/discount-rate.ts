import type { Dataset } from "../data/dataset.ts";
import { customerGroup, kpiContext, lineCell, lineSlot, windowEnd, windowStart, type KpiContext, companyRow, rowKey, KPI_KEYS, soldAtList } from "./internal/context.ts";
import { presentGroups } from "./internal/present.ts";
import type { KpiOptions, KpiRow } from "./types.ts";

/** A discount-rate row: `value` = 1 − Σ net ÷ Σ list over the sales lines with a list price. */
export interface DiscountRateRow extends KpiRow {
  /** Σ quantity × unit_price over the sales lines (quantity > 0) with a list price. */
  readonly numerator: number;
  /** Σ quantity × list_price over the same lines. */
  readonly denominator: number;
  /** Money given away: denominator − numerator (negative when lines sold above list). */
  readonly discountAmount: number;
  /** Lines in the group without a list price (line's or product's), returns included: excluded, counted. */
  readonly linesWithoutList: number;
  /** Return lines (negative quantity) with a list price: excluded from the rate, counted. */
  readonly returnLines: number;
  /** Lines in the group (used + linesWithoutList + returnLines). */
  readonly lines: number;
}

/**
 * Discount rate per period (default monthly) and group, revenue-weighted:
 * `1 − Σ quantity × unit_price ÷ Σ quantity × list_price` over the sales lines that have a list
 * price (the line's, else the product's; `lines.listPrice`). Lines without a list price are
 * excluded and counted in `linesWithoutList`. Returns (negative quantity) are excluded and
 * counted in `returnLines`: a credit note reverses an earlier sale at that sale's price, and
 * netting it into the period it is booked in would distort the rate (it can even push it past
 * 100%); with returns excluded the rate is always below 1. A line sold above list contributes a
 * negative discount. `value` is `undefined` when no line qualifies.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `month`), periods, by (e.g. `segment`, `rep`, `family`), ...
 * @returns one row per period and present group
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { discountRate, fromRowsSync } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 10, unit_price: 9, list_price: 10 },
 *   { order_id: "2", order_date: "2026-01-09", customer_id: "B", product_id: "Q", quantity: 5, unit_price: 4 },
 * ] });
 * const [jan] = discountRate(dataset, { asOf: "2026-01-31", periods: 1 });
 * assert.equal(jan?.numerator, 90);
 * assert.equal(jan?.denominator, 100);
 * assert.ok(Math.abs(jan!.value! - 0.1) < 1e-12);
 * assert.equal(jan?.linesWithoutList, 1);
 * ```
 */
export function discountRate(dataset: Dataset, options?: KpiOptions): DiscountRateRow[] {
  const ctx = kpiContext(dataset, options, "month", "discountRate", KPI_KEYS);
  const { view, groups, slots } = ctx;
  const nG = groups.labels.length;
  const n = slots.length * nG;
  const net = new Float64Array(n), netC = new Float64Array(n);
  const list = new Float64Array(n), listC = new Float64Array(n);
  const nLines = new Float64Array(n), noList = new Float64Array(n), returns = new Float64Array(n);
  const t: DiscountCells = { net, netC, list, listC, nLines, noList, returns };
  for (let c = 0; c < view.customerEnd.length; c++) addCustomer(ctx, c, t);
  const rows: DiscountRateRow[] = [];
  const present = presentGroups(ctx);
  for (let s = 0; s < slots.length; s++) {
    for (const g of present) {
      const k = s * nG + g;
      const num = net[k]! + netC[k]!;
      const den = list[k]! + listC[k]!;
      // sold at list up to rounding is no discount, as a gross profit that cancels is none (review 2026-12-07)
      const atList = soldAtList(num, den);
      rows.push(companyRow(ctx, {
        kpi: "discount_rate",
        period: ctx.slots[s]!.label,
        start: ctx.slots[s]!.startText,
        end: ctx.slots[s]!.endText,
        partial: ctx.slots[s]!.rowPartial,
        key: rowKey(ctx, g),
        value: den > 0 ? (atList ? 0 : 1 - num / den) : undefined,
        numerator: num,
        denominator: den,
        discountAmount: atList ? 0 : den - num,
        linesWithoutList: noList[k]!,
        returnLines: returns[k]!,
        lines: nLines[k]!,
      }));
    }
  }
  return rows;
}

/** Per-cell totals of a discountRate pass (sums with their compensations, counts). */
interface DiscountCells {
  readonly net: Float64Array;
  readonly netC: Float64Array;
  readonly list: Float64Array;
  readonly listC: Float64Array;
  readonly nLines: Float64Array;
  readonly noList: Float64Array;
  readonly returns: Float64Array;
}

/** Add customer `c`'s window lines to the cells, in line order, as grossProfit's `addCustomer` does (a cell's sums in locals while the lines stay in it). */
function addCustomer(ctx: KpiContext, c: number, t: DiscountCells): void {
  const { quantity, unitPrice, listPrice } = ctx.view.lines;
  const { net, netC, list, listC, nLines, noList, returns } = t;
  const gc = customerGroup(ctx, c);
  let cur = -1;
  let ns = 0, nc = 0, ls = 0, lc = 0;
  for (let i = windowStart(ctx, c), end = windowEnd(ctx, c); i < end; i++) {
    const s = lineSlot(ctx, i);
    if (s < 0) continue;
    const k = lineCell(ctx, s, gc, i);
    if (k !== cur) {
      if (cur >= 0) storeCell(t, cur, ns, nc, ls, lc);
      cur = k;
      ns = net[k]!;
      nc = netC[k]!;
      ls = list[k]!;
      lc = listC[k]!;
    }
    nLines[k]!++;
    const lp = listPrice[i]!;
    if (lp !== lp) {
      noList[k]!++;
      continue;
    }
    const q = quantity[i]!;
    if (q < 0) {
      returns[k]!++;
      continue;
    }
    const x = q * unitPrice[i]!;
    let u = ns + x;
    nc += Math.abs(ns) >= Math.abs(x) ? ns - u + x : x - u + ns;
    ns = u;
    const y = q * lp;
    u = ls + y;
    lc += Math.abs(ls) >= Math.abs(y) ? ls - u + y : y - u + ls;
    ls = u;
  }
  if (cur >= 0) storeCell(t, cur, ns, nc, ls, lc);
}

/** Write a cell's sums back (see {@link addCustomer}). */
function storeCell(t: DiscountCells, k: number, ns: number, nc: number, ls: number, lc: number): void {
  t.net[k] = ns;
  t.netC[k] = nc;
  t.list[k] = ls;
  t.listC[k] = lc;
}
