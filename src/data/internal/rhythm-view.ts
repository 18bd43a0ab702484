import type { Dataset, OrderLines } from "../dataset.ts";

/**
 * @internal A positive line of an order dated at most this many days after the start of that
 * order's current occasion is a later delivery of the same purchase, not a purchase of its own
 * (a split delivery, a backorder). Under a week: an order id that stays open for weekly call-offs
 * (a blanket order) still reads one purchase per call-off.
 */
export const SPLIT_ORDER_DAYS = 6;

/**
 * @internal The purchase day of each purchase line of one order, given their days ascending: the
 * start of its occasion (the line's own day, unless it is at most {@link SPLIT_ORDER_DAYS} after
 * the current occasion's start). The engine's store reads its lines this way; {@link rhythmView}
 * applies the same rule over a dataset's columns.
 * @param days - the order's purchase-line days, ascending
 * @returns their purchase days
 */
export function occasionStarts(days: readonly number[]): number[] {
  const out: number[] = new Array(days.length);
  let start = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < days.length; j++) {
    if (!laterDelivery(start, days[j]!)) start = days[j]!;
    out[j] = start;
  }
  return out;
}

/** Whether a purchase line on `day` is a later delivery of the occasion that started on `start`. */
function laterDelivery(start: number, day: number): boolean {
  return day - start <= SPLIT_ORDER_DAYS;
}

const cache = new WeakMap<Dataset, Dataset>();
/**
 * Line columns whose customer ranges [customerStart[c], ends[c]) hold no split order: a dataset
 * without any (ends: the whole ranges), or a rhythm view (ends: its own), so that its as-of views
 * (the churn snapshots, the calibration backtest) are known merged without a scan.
 */
const merged = new WeakMap<OrderLines, Uint32Array>();

/**
 * @internal The view the purchase-rhythm layers read (the interval model, the item rhythm, the
 * churn features, the signals and the offers): the same lines, except that a later delivery of
 * an order ({@link SPLIT_ORDER_DAYS}) carries the day its order started, so one purchase is one
 * purchase day whatever the ERP's delivery dates. An order delivered in two parts, Monday and
 * Wednesday, read two purchases 2 days apart: a weekly customer's usual gap 3.5 days, and each
 * part's products "missing" from the other's order (a review, 2026-12-07). Returns and lines of
 * other orders keep their days; the KPIs read the dataset's own days.
 *
 * The view itself when no order spans days (the usual export: no copy); otherwise a copy of the
 * line columns, each customer's visible lines re-sorted by (day, order, product, earlier
 * position). Built once per view. Derived from an as-of view, it sees no line after its as-of
 * day (a part delivered later joins its order's day only once it is visible).
 * @param view - a dataset or an as-of view
 * @returns the view with split orders on their first day
 */
export function rhythmView(view: Dataset): Dataset {
  let out = cache.get(view);
  if (out === undefined) {
    out = build(view);
    cache.set(view, out);
    if (out !== view) cache.set(out, out);
  }
  return out;
}

function build(view: Dataset): Dataset {
  const { lines, customerStart, customerEnd } = view;
  const nC = customerEnd.length;
  const known = merged.get(lines);
  if (known !== undefined && customerEnd.every((e, c) => e <= known[c]!)) return view;
  if (known === undefined) {
    // once per line columns: does any customer's whole history hold a split order?
    const whole = customerStart.subarray(1);
    if (mergedDays(view, whole) === undefined) {
      merged.set(lines, whole);
      return view;
    }
  }
  const found = mergedDays(view, customerEnd);
  if (found === undefined) return view;
  const { day, moved } = found;
  const cols = {
    customer: lines.customer.slice(),
    day,
    order: lines.order.slice(),
    product: lines.product.slice(),
    quantity: lines.quantity.slice(),
    unitPrice: lines.unitPrice.slice(),
    unitCost: lines.unitCost.slice(),
    listPrice: lines.listPrice.slice(),
    rep: lines.rep.slice(),
    channel: lines.channel.slice(),
    lineId: lines.lineId.slice(),
    isReturn: lines.isReturn.slice(),
  };
  const all = Object.values(cols) as (Int32Array | Uint32Array | Float64Array | Uint8Array)[];
  let first = Number.POSITIVE_INFINITY, last = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < nC; c++) {
    const a = customerStart[c]!, b = customerEnd[c]!;
    if (b === a) continue;
    if (moved[c] === 1) {
      // re-sorted by (day, order, product, then the earlier position: the dataset's own order within a day)
      const cmp = (x: number, y: number): number => day[x]! - day[y]! || cols.order[x]! - cols.order[y]! || cols.product[x]! - cols.product[y]! || x - y;
      let sorted = true;
      for (let i = a + 1; i < b && sorted; i++) sorted = cmp(i - 1, i) < 0;
      if (!sorted) {
        const idx = Array.from({ length: b - a }, (_, j) => a + j);
        idx.sort(cmp);
        for (const col of all) {
          const vals = idx.map((j) => col[j]!);
          for (let j = 0; j < vals.length; j++) col[a + j] = vals[j]!;
        }
      }
    }
    if (day[a]! < first) first = day[a]!;
    if (day[b - 1]! > last) last = day[b - 1]!;
  }
  const out: OrderLines = { length: lines.length, ...cols };
  merged.set(out, customerEnd);
  return { ...view, lines: out, dayRange: Number.isFinite(first) ? { first, last } : undefined };
}

/**
 * The day column with every later delivery of an order within {@link SPLIT_ORDER_DAYS} of its
 * occasion's start moved to that start, over the ranges [customerStart[c], ends[c]), and the
 * customers with a moved line; undefined when no line moves.
 */
function mergedDays(view: Dataset, ends: Uint32Array): { day: Int32Array; moved: Uint8Array } | undefined {
  const { lines, customerStart } = view;
  const { quantity, order, day: days } = lines;
  // the current occasion of order o for customer c: start[o], valid when stamp[o] === c + 1
  const nO = view.ids.orders.size;
  const stamp = new Uint32Array(nO);
  const start = new Int32Array(nO);
  let day: Int32Array | undefined;
  let moved: Uint8Array | undefined;
  for (let c = 0; c < ends.length; c++) {
    for (let i = customerStart[c]!; i < ends[c]!; i++) {
      if (!(quantity[i]! > 0)) continue;
      const o = order[i]!, d = days[i]!;
      if (stamp[o] !== c + 1) {
        stamp[o] = c + 1;
        start[o] = d;
      } else if (!laterDelivery(start[o]!, d)) start[o] = d;
      else if (d !== start[o]) {
        (day ??= days.slice())[i] = start[o]!;
        (moved ??= new Uint8Array(ends.length))[c] = 1;
      }
    }
  }
  return day === undefined || moved === undefined ? undefined : { day, moved };
}
