import type { Dataset } from "./dataset.ts";
import { checkDataset } from "./internal/check-dataset.ts";
import { resized } from "./internal/resized.ts";

/**
 * Purchase occasions: one per distinct (customer, order_id) with at least one positive
 * (non-return) visible line. Sorted by (customer, day, order); `customerStart` gives each
 * customer's range, as in the dataset.
 */
export interface OrderOccasions {
  /** Number of occasions. */
  readonly length: number;
  /** Customer id. */
  readonly customer: Uint32Array;
  /** Order id. */
  readonly order: Uint32Array;
  /** Epoch day: the earliest day of the order's positive lines. */
  readonly day: Int32Array;
  /** Number of positive lines in the order. */
  readonly lines: Uint32Array;
  /** Σ quantity × unit_price over the positive lines (Neumaier-compensated). */
  readonly revenue: Float64Array;
  /** First occasion of each customer (length = customers + 1). */
  readonly customerStart: Uint32Array;
}

/**
 * The purchase occasions of a dataset (or as-of view): distinct (customer, order_id) with
 * positive lines. A return-only credit note is not an occasion. An order whose lines carry
 * different dates counts once, on its earliest date.
 *
 * @param dataset - a dataset or an as-of view
 * @returns the occasions, columnar
 * @throws {OrderpulseError} `INVALID_OPTION` when `dataset` is not a Dataset (a Promise, an ingest result)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, orderOccasions } from "orderpulse";
 * const { dataset } = fromRowsSync({ orders: [
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 2, unit_price: 5 },
 *   { order_id: "1", order_date: "2026-01-05", customer_id: "C1", product_id: "P2", quantity: 1, unit_price: 4 },
 *   { order_id: "R9", order_date: "2026-01-09", customer_id: "C1", product_id: "P1", quantity: -1, unit_price: 5 },
 * ] });
 * const occ = orderOccasions(dataset);
 * assert.equal(occ.length, 1);
 * assert.equal(occ.revenue[0], 14);
 * assert.equal(occ.lines[0], 2);
 * ```
 */
export function orderOccasions(dataset: Dataset): OrderOccasions {
  checkDataset(dataset, "orderOccasions");
  const { lines, customerStart, customerEnd } = dataset;
  const nC = customerEnd.length;
  // an order is one occasion (of one customer, as a rule): columns sized by the orders, not the
  // lines (about a tenth), grown in the rare case of an order split across customers
  let cap = Math.max(16, Math.min(dataset.visibleLines, dataset.ids.orders.size));
  let customer = new Uint32Array(cap);
  let order = new Uint32Array(cap);
  let day = new Int32Array(cap);
  let count = new Uint32Array(cap);
  let revenue = new Float64Array(cap);
  let comp = new Float64Array(cap);
  const start = new Uint32Array(nC + 1);
  // the occasion of order o for the current customer: slot[o], valid when stamp[o] === c + 1
  // (typed arrays over the order dictionary instead of a Map per customer)
  const nO = dataset.ids.orders.size;
  const stamp = new Uint32Array(nO);
  const slot = new Uint32Array(nO);
  let n = 0;
  for (let c = 0; c < nC; c++) {
    start[c] = n;
    let lastOrder = -1;
    let lastOcc = -1;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const q = lines.quantity[i]!;
      if (q <= 0) continue;
      const o = lines.order[i]!;
      let k: number;
      if (o === lastOrder) k = lastOcc;
      else {
        if (stamp[o] !== c + 1) {
          if (n === cap) {
            cap *= 2;
            customer = resized(customer, cap), order = resized(order, cap), day = resized(day, cap);
            count = resized(count, cap), revenue = resized(revenue, cap), comp = resized(comp, cap);
          }
          k = n++;
          stamp[o] = c + 1;
          slot[o] = k;
          customer[k] = c;
          order[k] = o;
          day[k] = lines.day[i]!;
        } else k = slot[o]!;
        lastOrder = o;
        lastOcc = k;
      }
      count[k]!++;
      // Neumaier compensated summation
      const x = q * lines.unitPrice[i]!;
      const s = revenue[k]!;
      const t = s + x;
      comp[k]! += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
      revenue[k] = t;
    }
  }
  start[nC] = n;
  for (let k = 0; k < n; k++) revenue[k]! += comp[k]!;
  // an order spanning several days may have been created before a later-dated one: re-sort if needed
  for (let c = 0; c < nC; c++) {
    let sorted = true;
    for (let k = start[c]! + 1; k < start[c + 1]!; k++) {
      if (day[k - 1]! > day[k]! || (day[k - 1] === day[k] && order[k - 1]! > order[k]!)) {
        sorted = false;
        break;
      }
    }
    if (sorted) continue;
    const idx = Array.from({ length: start[c + 1]! - start[c]! }, (_, j) => start[c]! + j);
    idx.sort((a, b) => day[a]! - day[b]! || order[a]! - order[b]!);
    const o2 = idx.map((j) => order[j]!), d2 = idx.map((j) => day[j]!), c2 = idx.map((j) => count[j]!), r2 = idx.map((j) => revenue[j]!);
    for (let j = 0; j < idx.length; j++) {
      const k = start[c]! + j;
      order[k] = o2[j]!;
      day[k] = d2[j]!;
      count[k] = c2[j]!;
      revenue[k] = r2[j]!;
    }
  }
  return {
    length: n,
    customer: customer.slice(0, n),
    order: order.slice(0, n),
    day: day.slice(0, n),
    lines: count.slice(0, n),
    revenue: revenue.slice(0, n),
    customerStart: start,
  };
}
