import type { Dataset, OrderLines } from "../dataset.ts";

/**
 * @internal A positive line of an order dated at most this many days after the start of that
 * order's current occasion is a later delivery of the same purchase, not a purchase of its own
 * (a split delivery, a backorder). Under a week: an order id that stays open for weekly call-offs
 * (a blanket order) still reads one purchase per call-off.
 */
export const SPLIT_ORDER_DAYS = 6;

/**
 * @internal The purchase day of each purchase line of one order, given their days ascending and
 * their products: the start of its occasion. The lines of a later day join the current occasion
 * when that day is at most {@link SPLIT_ORDER_DAYS} after the occasion's start, unless they repeat
 * its basket ({@link callOff}): a delivery in parts, or a backorder of part of a line, brings the
 * rest of the order; a standing order id's twice-weekly call-offs repeat their basket and stay
 * purchases of their own (reviews, 2026-12-08: Monday and Thursday call-offs read as one weekly
 * purchase, then a backordered line read as a purchase of its own). The engine's store reads its
 * lines this way; {@link rhythmView} applies the same rule over a dataset's columns.
 * @param days - the order's purchase-line days, ascending
 * @param products - their products (any ids), index by index
 * @returns their purchase days
 */
export function occasionStarts(days: readonly number[], products: readonly number[]): number[] {
  const out: number[] = new Array(days.length);
  let start = Number.NEGATIVE_INFINITY;
  const basket = new Set<number>();
  for (let i = 0; i < days.length; ) {
    let j = i + 1;
    while (j < days.length && days[j] === days[i]) j++;
    const group = products.slice(i, j);
    if (!laterDelivery(start, days[i]!) || callOff(basket, group)) (start = days[i]!), basket.clear();
    for (const p of group) basket.add(p);
    for (let k = i; k < j; k++) out[k] = start;
    i = j;
  }
  return out;
}

/** Whether a purchase line on `day` may be a later delivery of the occasion that started on `start` (its products decide: {@link callOff}). */
function laterDelivery(start: number, day: number): boolean {
  return day - start <= SPLIT_ORDER_DAYS;
}

/**
 * @internal Whether a later day's products repeat the occasion's basket: at least two of its
 * products and at least half of them (a backorder brings back a line or a few; a call-off repeats
 * the basket; one repeated product of a two-line order was read as a call-off, a self-review; an
 * order of one product cannot tell them apart and is read as delivered in parts).
 */
function callOff(basket: ReadonlySet<number>, group: ArrayLike<number>): boolean {
  if (basket.size < 2) return false;
  const seen = new Set<number>();
  for (let k = 0; k < group.length; k++) if (basket.has(group[k]!)) seen.add(group[k]!);
  return seen.size >= 2 && 2 * seen.size >= basket.size;
}

const cache = new WeakMap<Dataset, Dataset>();
/**
 * Line columns whose customer ranges [customerStart[c], ends[c]) hold no split order: a dataset
 * without any (ends: the whole ranges), or a rhythm view (ends: its own), so that its as-of views
 * (the churn snapshots, the calibration backtest) are known merged without a scan.
 */
const merged = new WeakMap<OrderLines, Uint32Array>();
/** Line columns whose customers' whole histories hold a split order (the whole-history scan is not repeated for their next views). */
const split = new WeakSet<OrderLines>();
/**
 * The last rhythm view built in full from each line columns (a dataset's): its lines' own days in
 * its order and the view's ends, so that an earlier as-of view of the same columns (a churn
 * snapshot, a backtest step, the calibration's τ) is cut from it instead of built anew.
 */
const built = new WeakMap<OrderLines, { readonly rv: Dataset; readonly own: Int32Array; readonly ends: Uint32Array }>();

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
  if (known === undefined && !split.has(lines)) {
    // once per line columns: does any customer's whole history hold a split order?
    const whole = customerStart.subarray(1);
    if (mergedDays(view, whole) === undefined) {
      merged.set(lines, whole);
      return view;
    }
    split.add(lines);
  }
  const base = built.get(lines);
  if (base !== undefined && view.asOf !== undefined && customerEnd.every((e, c) => e <= base.ends[c]!)) return cut(view, base);
  const found = mergedDays(view, customerEnd);
  if (found === undefined) return view;
  const { day, moved } = found;
  const own = lines.day;
  const out = copyLines(lines, day);
  // (the lines' own days, in the view's order: what an earlier as-of view is cut by)
  const ownDays = own.slice();
  const all = [...columns(out), ownDays];
  // (day, order, product, then the earlier position: the dataset's own order within a day)
  const cmp = (x: number, y: number): number => day[x]! - day[y]! || out.order[x]! - out.order[y]! || out.product[x]! - out.product[y]! || x - y;
  const perm: number[] = [], stay: number[] = [], move: number[] = [];
  for (let c = 0; c < nC; c++) {
    if (moved[c] !== 1) continue;
    const a = customerStart[c]!, b = customerEnd[c]!;
    // the lines that did not move keep their order; the moved ones (earlier, onto a day their
    // order already has) are sorted among themselves and merged in: linear in the customer's lines
    stay.length = 0;
    move.length = 0;
    for (let i = a; i < b; i++) (day[i] === own[i] ? stay : move).push(i);
    move.sort(cmp);
    perm.length = 0;
    for (let x = 0, y = 0; x < stay.length || y < move.length; ) perm.push(y === move.length || (x < stay.length && cmp(stay[x]!, move[y]!) < 0) ? stay[x++]! : move[y++]!);
    permuteRange(all, a, perm);
  }
  merged.set(out, customerEnd);
  const rv: Dataset = { ...view, lines: out, dayRange: dayRangeOf(out, customerStart, customerEnd) };
  built.set(lines, { rv, own: ownDays, ends: customerEnd });
  return rv;
}

/** A copy of the line columns (with `day` as the day column when given). */
function copyLines(src: OrderLines, day: Int32Array = src.day.slice()): OrderLines {
  return {
    length: src.length,
    customer: src.customer.slice(),
    day,
    order: src.order.slice(),
    product: src.product.slice(),
    quantity: src.quantity.slice(),
    unitPrice: src.unitPrice.slice(),
    unitCost: src.unitCost.slice(),
    listPrice: src.listPrice.slice(),
    rep: src.rep.slice(),
    channel: src.channel.slice(),
    lineId: src.lineId.slice(),
    isReturn: src.isReturn.slice(),
  };
}

/** The line columns of `lines`, to permute together. */
function columns(lines: OrderLines): (Int32Array | Uint32Array | Float64Array | Uint8Array)[] {
  const { length: _, ...cols } = lines;
  return Object.values(cols) as (Int32Array | Uint32Array | Float64Array | Uint8Array)[];
}

/** Rewrites positions a .. a + perm.length − 1 of every column with the values at `perm`'s positions. */
function permuteRange(all: readonly (Int32Array | Uint32Array | Float64Array | Uint8Array)[], a: number, perm: readonly number[]): void {
  const tmp = new Float64Array(perm.length);
  for (const col of all) {
    for (let j = 0; j < perm.length; j++) tmp[j] = col[perm[j]!]!;
    for (let j = 0; j < perm.length; j++) col[a + j] = tmp[j]!;
  }
}

/** First and last day of the lines visible through the ranges (undefined without any). */
function dayRangeOf(lines: OrderLines, customerStart: Uint32Array, customerEnd: Uint32Array): Dataset["dayRange"] {
  let first = Number.POSITIVE_INFINITY, last = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < customerEnd.length; c++) {
    const a = customerStart[c]!, b = customerEnd[c]!;
    if (b === a) continue;
    if (lines.day[a]! < first) first = lines.day[a]!;
    if (lines.day[b - 1]! > last) last = lines.day[b - 1]!;
  }
  return Number.isFinite(first) ? { first, last } : undefined;
}

/**
 * The rhythm view of an as-of view (day t) of the line columns `base` was built from: base's
 * lines whose own day is on or before t, in base's order (a line's purchase day depends on its
 * order's earlier lines alone, so it is the same in both). When each customer's visible lines are
 * a prefix of its range in base (no part dated after t of an occasion started by it), base's
 * columns themselves with the view's ends; otherwise a copy with those customers' lines
 * partitioned, the visible ones first.
 */
function cut(view: Dataset, base: { readonly rv: Dataset; readonly own: Int32Array; readonly ends: Uint32Array }): Dataset {
  const { customerStart, customerEnd } = view;
  const t = view.asOf!;
  const { own, ends } = base;
  const nC = customerEnd.length;
  let straddle: Uint8Array | undefined;
  for (let c = 0; c < nC; c++) {
    for (let j = customerStart[c]!; j < customerEnd[c]!; j++) {
      if (own[j]! > t) {
        (straddle ??= new Uint8Array(nC))[c] = 1;
        break;
      }
    }
  }
  let lines = base.rv.lines;
  if (straddle !== undefined) {
    lines = copyLines(base.rv.lines);
    const all = columns(lines);
    const perm: number[] = [];
    for (let c = 0; c < nC; c++) {
      if (straddle[c] !== 1) continue;
      const a = customerStart[c]!, b = ends[c]!;
      perm.length = 0;
      for (let j = a; j < b; j++) if (own[j]! <= t) perm.push(j);
      for (let j = a; j < b; j++) if (own[j]! > t) perm.push(j);
      permuteRange(all, a, perm);
    }
    merged.set(lines, customerEnd);
  }
  return { ...view, lines, dayRange: dayRangeOf(lines, customerStart, customerEnd) };
}

/**
 * The day column with every later delivery of an order within {@link SPLIT_ORDER_DAYS} of its
 * occasion's start moved to that start, over the ranges [customerStart[c], ends[c]), and the
 * customers with a moved line; undefined when no line moves.
 */
function mergedDays(view: Dataset, ends: Uint32Array): { day: Int32Array; moved: Uint8Array } | undefined {
  const { lines, customerStart } = view;
  const { quantity, order, product, day: days } = lines;
  // the current occasion of order o for customer c: start[o], valid when stamp[o] === c + 1, its
  // lines on its first day [first[o], firstEnd[o]) (contiguous: sorted by day, then order); its
  // basket (distinct products) made only for an order seen on a second day
  const nO = view.ids.orders.size;
  const stamp = new Uint32Array(nO);
  const start = new Int32Array(nO);
  const first = new Int32Array(nO), firstEnd = new Int32Array(nO);
  const baskets = new Map<number, Set<number>>();
  let day: Int32Array | undefined;
  let moved: Uint8Array | undefined;
  const group: number[] = [];
  for (let c = 0; c < ends.length; c++) {
    const a = customerStart[c]!, b = ends[c]!;
    baskets.clear();
    for (let i = a; i < b; ) {
      // the lines [i, j) of one order on one day (sorted by day, then order)
      const d = days[i]!, o = order[i]!;
      let j = i + 1;
      while (j < b && days[j] === d && order[j] === o) j++;
      group.length = 0;
      for (let k = i; k < j; k++) if (quantity[k]! > 0) group.push(product[k]!);
      if (group.length > 0) {
        if (stamp[o] !== c + 1) {
          stamp[o] = c + 1;
          start[o] = d;
          first[o] = i;
          firstEnd[o] = j;
          baskets.delete(o);
        } else {
          // a later day of the order: its occasion's basket so far (its first day's lines, then kept)
          let basket = baskets.get(o);
          if (basket === undefined) {
            baskets.set(o, (basket = new Set()));
            for (let k = first[o]!; k < firstEnd[o]!; k++) if (quantity[k]! > 0) basket.add(product[k]!);
          }
          if (!laterDelivery(start[o]!, d) || callOff(basket, group)) {
            // (a new occasion: its basket is this day's, added below)
            start[o] = d;
            basket.clear();
          } else {
            day ??= days.slice();
            for (let k = i; k < j; k++) if (quantity[k]! > 0) day[k] = start[o]!;
            (moved ??= new Uint8Array(ends.length))[c] = 1;
          }
          for (const p of group) basket.add(p);
        }
      }
      i = j;
    }
  }
  return day === undefined || moved === undefined ? undefined : { day, moved };
}
