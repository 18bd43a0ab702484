import type { Dataset, Dictionary, OrderLines } from "../../data/dataset.ts";
import { idText } from "../../data/internal/builder.ts";
import { createDictionary } from "../../data/internal/dictionary.ts";
import type { LineStore, MasterRows, StoredLine } from "./line-store.ts";

/** @internal Ids the master tables put in the dictionaries (they stay even without lines). */
export interface MasterRefs {
  readonly customers: ReadonlySet<string>;
  readonly products: ReadonlySet<string>;
  readonly reps: ReadonlySet<string>;
  readonly channels: ReadonlySet<string>;
}

/** @internal The ids the master rows reference, per dictionary. */
export function masterRefs(master: MasterRows): MasterRefs {
  const customers = new Set<string>(), products = new Set<string>(), reps = new Set<string>(), channels = new Set<string>();
  const add = (set: Set<string>, v: unknown): void => {
    const t = idText(v);
    if (t !== undefined) set.add(t);
  };
  for (const c of master.customers) {
    add(customers, c.customer_id);
    add(customers, c.parent_id);
    add(reps, c.rep_id);
    add(channels, c.channel);
  }
  for (const p of master.products) add(products, p.product_id);
  for (const r of master.reps) {
    add(reps, r.rep_id);
    add(reps, r.manager_id);
  }
  for (const e of master.dealEvents) {
    add(customers, e.customer_id);
    add(reps, e.rep_id);
  }
  for (const t of master.targets) add(reps, t.rep_id);
  return { customers, products, reps, channels };
}

/** The engine's own value -> id maps of the order and line-id dictionaries (extended in place when ids only get appended). */
const INDEX = new WeakMap<Dictionary, Map<string, number>>();

function indexOf(dict: Dictionary): Map<string, number> {
  let m = INDEX.get(dict);
  if (m === undefined) {
    m = new Map();
    const v = dict.values;
    for (let i = 0; i < v.length; i++) m.set(v[i]!, i);
    INDEX.set(dict, m);
  }
  return m;
}

/** Sorted merge of `old` (minus `gone`) and the sorted `added`; the old -> new id map (-1 when gone) and whether it is the identity. */
function mergeDictionary(oldDict: Dictionary, gone: ReadonlySet<string>, added: readonly string[]): { dict: Dictionary; remap: Int32Array; identity: boolean } {
  const old = oldDict.values;
  const values: string[] = [];
  const remap = new Int32Array(old.length);
  let j = 0;
  for (let i = 0; i < old.length; i++) {
    const v = old[i]!;
    while (j < added.length && added[j]! < v) values.push(added[j++]!);
    if (gone.has(v)) {
      remap[i] = -1;
      continue;
    }
    remap[i] = values.length;
    values.push(v);
  }
  while (j < added.length) values.push(added[j++]!);
  let identity = true;
  for (let i = 0; i < old.length && identity; i++) if (remap[i] !== i) identity = false;
  if (identity && added.length === 0) return { dict: oldDict, remap, identity };
  const dict = createDictionary(values);
  if (identity) {
    // ids only appended: move the old map over and extend it
    const m = INDEX.get(oldDict);
    if (m !== undefined) {
      INDEX.delete(oldDict);
      for (let i = old.length; i < values.length; i++) m.set(values[i]!, i);
      INDEX.set(dict, m);
    }
  }
  return { dict, remap, identity };
}

const cmpNum = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1);

/**
 * @internal The store as a Dataset, from the previous one: unchanged customers' lines are copied
 * column by column (order and line ids remapped when those dictionaries changed), the changed
 * customers' lines are rebuilt and sorted as the ingestion builder sorts them. Returns undefined
 * when a customer, product, rep or channel appears or vanishes (the dictionaries the master
 * tables index change: the caller rebuilds everything).
 */
export function rematerialize(prev: Dataset, store: LineStore, refs: MasterRefs): Dataset | undefined {
  const dirty = store.dirty;
  const { ids } = prev;
  const P = prev.lines;
  // 1. dictionary changes
  const newOrders = new Set<string>(), newLineIds = new Set<string>();
  const dirtyIdx: number[] = [];
  const orderIndex = indexOf(ids.orders), lineIdIndex = indexOf(ids.lineIds);
  for (const c of dirty.keys()) {
    const ci = ids.customers.indexOf(c);
    if (ci < 0) return undefined; // new customer
    if (store.customerCount(c) === 0 && !refs.customers.has(c)) return undefined; // customer vanished
    dirtyIdx.push(ci);
    const change = dirty.get(c)!;
    const lines = change.removed ? store.customerLines(c) : change.added;
    for (const l of lines) {
      if (ids.products.indexOf(l.product) < 0) return undefined;
      if (l.rep !== undefined && ids.reps.indexOf(l.rep) < 0) return undefined;
      if (l.channel !== undefined && ids.channels.indexOf(l.channel) < 0) return undefined;
      if (!orderIndex.has(l.order)) newOrders.add(l.order);
      if (l.lineId !== undefined && !lineIdIndex.has(l.lineId)) newLineIds.add(l.lineId);
    }
  }
  // values only the changed customers' old lines referenced may have vanished
  const goneOrders = new Set<string>(), goneLineIds = new Set<string>();
  for (const ci of dirtyIdx) {
    if (!dirty.get(ids.customers.values[ci]!)!.removed) continue; // only additions: nothing vanished
    for (let i = prev.customerStart[ci]!; i < prev.customerStart[ci + 1]!; i++) {
      const product = ids.products.values[P.product[i]!]!;
      if (!store.hasProduct(product) && !refs.products.has(product)) return undefined;
      const r = P.rep[i]!;
      if (r >= 0 && !store.hasRep(ids.reps.values[r]!) && !refs.reps.has(ids.reps.values[r]!)) return undefined;
      const ch = P.channel[i]!;
      if (ch >= 0 && !store.hasChannel(ids.channels.values[ch]!) && !refs.channels.has(ids.channels.values[ch]!)) return undefined;
      const order = ids.orders.values[P.order[i]!]!;
      if (!store.hasOrder(order)) goneOrders.add(order);
      const li = P.lineId[i]!;
      if (li >= 0 && !store.hasLineId(ids.lineIds.values[li]!)) goneLineIds.add(ids.lineIds.values[li]!);
    }
  }
  const orders = mergeDictionary(ids.orders, goneOrders, [...newOrders].sort());
  const lineIds = mergeDictionary(ids.lineIds, goneLineIds, [...newLineIds].sort());

  // 2. columns
  const nC = ids.customers.size;
  const isDirty = new Uint8Array(nC);
  for (const ci of dirtyIdx) isDirty[ci] = 1;
  const start = new Uint32Array(nC + 1);
  for (let c = 0; c < nC; c++) {
    const n = isDirty[c] ? store.customerCount(ids.customers.values[c]!) : prev.customerStart[c + 1]! - prev.customerStart[c]!;
    start[c + 1] = start[c]! + n;
  }
  const n = start[nC]!;
  const L: OrderLines = {
    length: n,
    customer: new Uint32Array(n),
    day: new Int32Array(n),
    order: new Uint32Array(n),
    product: new Uint32Array(n),
    quantity: new Float64Array(n),
    unitPrice: new Float64Array(n),
    unitCost: new Float64Array(n),
    listPrice: new Float64Array(n),
    rep: new Int32Array(n),
    channel: new Int32Array(n),
    lineId: new Int32Array(n),
    isReturn: new Uint8Array(n),
  };
  const copy = (from: number, to: number, at: number): void => {
    if (to <= from) return;
    L.customer.set(P.customer.subarray(from, to), at);
    L.day.set(P.day.subarray(from, to), at);
    L.product.set(P.product.subarray(from, to), at);
    L.quantity.set(P.quantity.subarray(from, to), at);
    L.unitPrice.set(P.unitPrice.subarray(from, to), at);
    L.unitCost.set(P.unitCost.subarray(from, to), at);
    L.listPrice.set(P.listPrice.subarray(from, to), at);
    L.rep.set(P.rep.subarray(from, to), at);
    L.channel.set(P.channel.subarray(from, to), at);
    L.isReturn.set(P.isReturn.subarray(from, to), at);
    if (orders.identity) L.order.set(P.order.subarray(from, to), at);
    else for (let i = from, k = at; i < to; i++, k++) L.order[k] = orders.remap[P.order[i]!]!;
    if (lineIds.identity) L.lineId.set(P.lineId.subarray(from, to), at);
    else for (let i = from, k = at; i < to; i++, k++) L.lineId[k] = P.lineId[i]! < 0 ? -1 : lineIds.remap[P.lineId[i]!]!;
  };
  let runFrom = -1; // first customer of the current run of unchanged customers
  for (let c = 0; c <= nC; c++) {
    if (c < nC && !isDirty[c]) {
      if (runFrom < 0) runFrom = c;
      continue;
    }
    if (runFrom >= 0) {
      copy(prev.customerStart[runFrom]!, prev.customerStart[c]!, start[runFrom]!);
      runFrom = -1;
    }
    if (c >= nC) continue;
    // lines only added, all after the customer's last day: copy its old lines and append the new ones
    const change = dirty.get(ids.customers.values[c]!)!;
    const a = prev.customerStart[c]!, b = prev.customerStart[c + 1]!;
    if (!change.removed && (b === a || change.added.every((l) => l.day > P.day[b - 1]!))) {
      copy(a, b, start[c]!);
      writeLines(c, change.added, start[c]! + (b - a), L, prev, orders.dict, lineIds.dict);
    } else writeLines(c, store.customerLines(ids.customers.values[c]!), start[c]!, L, prev, orders.dict, lineIds.dict);
  }
  let first = Number.POSITIVE_INFINITY, last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const d = L.day[i]!;
    if (d < first) first = d;
    if (d > last) last = d;
  }
  return {
    ...prev,
    lines: L,
    customerStart: start,
    customerEnd: start.subarray(1).slice(),
    asOf: undefined,
    visibleLines: n,
    dayRange: n > 0 ? { first, last } : undefined,
    ids: { ...ids, orders: orders.dict, lineIds: lineIds.dict },
  };
}

/** Lines of customer `c`, sorted as the ingestion builder sorts them, written at `at`. */
function writeLines(c: number, lines: readonly StoredLine[], at: number, L: OrderLines, prev: Dataset, orders: Dictionary, lineIds: Dictionary): void {
  if (lines.length === 0) return;
  const { ids, products } = prev;
  const orderIndex = indexOf(orders), lineIdIndex = indexOf(lineIds);
  const k = lines.length;
  const ord = new Uint32Array(k), prod = new Uint32Array(k), lid = new Int32Array(k), rep = new Int32Array(k), chan = new Int32Array(k);
  for (let j = 0; j < k; j++) {
    const l = lines[j]!;
    ord[j] = orderIndex.get(l.order)!;
    prod[j] = ids.products.indexOf(l.product);
    lid[j] = l.lineId === undefined ? -1 : lineIdIndex.get(l.lineId)!;
    rep[j] = l.rep === undefined ? -1 : ids.reps.indexOf(l.rep);
    chan[j] = l.channel === undefined ? -1 : ids.channels.indexOf(l.channel);
  }
  const perm = Array.from({ length: k }, (_, j) => j);
  // (a missing cost or list price sorts as the product's, as the builder's key reads it: the
  // dataset holds the filled value, and its order must be fromRowsSync's; self-review 2026-12-07)
  const cost = (l: StoredLine, p: number): number => (l.cost === l.cost ? l.cost : products.unitCost[p]!);
  const list = (l: StoredLine, p: number): number => (l.list === l.list ? l.list : products.listPrice[p]!);
  perm.sort((a, b) => {
    const la = lines[a]!, lb = lines[b]!;
    return (
      la.day - lb.day ||
      ord[a]! - ord[b]! ||
      prod[a]! - prod[b]! ||
      lid[a]! - lid[b]! ||
      cmpNum(la.qty, lb.qty) ||
      cmpNum(la.price, lb.price) ||
      cmpNum(cost(la, prod[a]!), cost(lb, prod[b]!)) ||
      cmpNum(list(la, prod[a]!), list(lb, prod[b]!)) ||
      rep[a]! - rep[b]! ||
      chan[a]! - chan[b]!
    );
  });
  for (let j = 0; j < k; j++) {
    const x = perm[j]!;
    const l = lines[x]!;
    const i = at + j;
    L.customer[i] = c;
    L.day[i] = l.day;
    L.order[i] = ord[x]!;
    L.product[i] = prod[x]!;
    L.quantity[i] = l.qty;
    L.unitPrice[i] = l.price;
    L.unitCost[i] = Number.isNaN(l.cost) ? products.unitCost[prod[x]!]! : l.cost;
    L.listPrice[i] = Number.isNaN(l.list) ? products.listPrice[prod[x]!]! : l.list;
    L.rep[i] = rep[x]!;
    L.channel[i] = chan[x]!;
    L.lineId[i] = lid[x]!;
    L.isReturn[i] = l.qty < 0 ? 1 : 0;
  }
}
