import type { Dataset } from "../data/dataset.ts";
import { addTo, kpiContext, lineCells, rowBase } from "./internal/context.ts";
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
 * @throws {OrderpulseError} `INVALID_OPTION` for bad options
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
  const ctx = kpiContext(dataset, options, "month", "discountRate");
  const { view, groups, slots } = ctx;
  const { lines } = view;
  const nG = groups.labels.length;
  const n = slots.length * nG;
  const net = new Float64Array(n), netC = new Float64Array(n);
  const list = new Float64Array(n), listC = new Float64Array(n);
  const nLines = new Float64Array(n), noList = new Float64Array(n), returns = new Float64Array(n);
  const cells = lineCells(ctx);
  for (let i = 0; i < cells.length; i++) {
    const k = cells[i]!;
    if (k < 0) continue;
    nLines[k]!++;
    const lp = lines.listPrice[i]!;
    if (lp !== lp) {
      noList[k]!++;
      continue;
    }
    const q = lines.quantity[i]!;
    if (q < 0) {
      returns[k]!++;
      continue;
    }
    addTo(net, netC, k, q * lines.unitPrice[i]!);
    addTo(list, listC, k, q * lp);
  }
  const rows: DiscountRateRow[] = [];
  const present = presentGroups(ctx, cells);
  for (let s = 0; s < slots.length; s++) {
    for (const g of present) {
      const k = s * nG + g;
      const num = net[k]! + netC[k]!;
      const den = list[k]! + listC[k]!;
      rows.push({
        ...rowBase("discount_rate", ctx, s, g),
        value: den > 0 ? 1 - num / den : undefined,
        numerator: num,
        denominator: den,
        discountAmount: den - num,
        linesWithoutList: noList[k]!,
        returnLines: returns[k]!,
        lines: nLines[k]!,
      });
    }
  }
  return rows;
}
