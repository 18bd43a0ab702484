import type { Dataset } from "../../data/dataset.ts";
import { DEAL_STAGES } from "../../data/deal-stages.ts";
import { formatDay } from "../../data/format-day.ts";
import { occasionStarts, SPLIT_ORDER_DAYS } from "../../data/internal/rhythm-view.ts";
import type { ContentRow, CustomerRow, DealEventRow, ProductRow, RepRow, TargetRow } from "../../data/rows.ts";

/** @internal One order line as the engine hands it around: ids as text, the day as an epoch day, money as parsed. */
export interface StoredLine {
  readonly order: string;
  readonly lineId: string | undefined;
  readonly day: number;
  readonly customer: string;
  readonly product: string;
  readonly qty: number;
  readonly price: number;
  /** The line's own cost (NaN when none: the product's applies). */
  readonly cost: number;
  /** The line's own list price (NaN when none). */
  readonly list: number;
  readonly rep: string | undefined;
  readonly channel: string | undefined;
}

/** @internal Master data as contract rows (the tables other than orders). */
export interface MasterRows {
  customers: CustomerRow[];
  products: ProductRow[];
  reps: RepRow[];
  dealEvents: DealEventRow[];
  targets: TargetRow[];
  content: ContentRow[];
}

/** Strings interned to dense ids (never shrinks). */
class Interner {
  readonly map: Map<string, number> = new Map();
  readonly values: string[] = [];
  id(s: string): number {
    let i = this.map.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.map.set(s, i);
      this.values.push(s);
    }
    return i;
  }
}

const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b);
/**
 * A stored cost or list price against a row's: equal, or both are the product's (the stored one
 * equal to it or missing, the row's likewise: `storedFilled`, `givenFilled`). The whole-row key
 * compares the values a dataset holds, a missing one filled in from the product (as fromRows'
 * key): a dataset's line no longer tells a given cost from a filled one, so a key that told them
 * apart changed with a restart (review 2026-12-07: a row re-sent with the product's cost was a
 * second line live and the same line after a restore).
 */
const sameOrFilled = (stored: number, given: number, storedFilled: number, givenFilled: number): boolean => same(stored, given) || (storedFilled !== 0 && givenFilled !== 0);

/** Bits of `put`'s `filled`: the line's cost (1) or list price (2) is the product's (equal to it, or missing where the product has one). */
export const FILLED_COST = 1, FILLED_LIST = 2;

/**
 * @internal The `filled` bits of a line with cost `cost` and list price `list` whose product's are
 * `productCost` and `productList` (NaN: none): a value is the product's when the product has one
 * and the line's equals it or is missing. A Dataset's lines (their missing values filled in) and
 * ingested rows alike, so a re-sent row keys the same before and after a restart.
 */
export function filledBits(cost: number, list: number, productCost: number, productList: number): number {
  const is = (given: number, product: number): boolean => product === product && (given !== given || given === product);
  return (is(cost, productCost) ? FILLED_COST : 0) | (is(list, productList) ? FILLED_LIST : 0);
}

/** Slots an order holds before its lines are indexed by key (a search of its slot list per put made loading one order of k lines O(k²): 40,000 lines, about 8 s). */
export const INDEX_FROM = 64;

/**
 * The slots of one big order by key, each list in the order's slot order (so the first candidate
 * that matches is the one a search of the slot list finds): by line id, and, for lines without
 * one, by a hash of product and day (candidates are then compared in full, so a collision costs a
 * comparison, never a wrong match).
 */
interface OrderIndex {
  readonly byLid: Map<number, number[]>;
  readonly byContent: Map<number, number[]>;
}

/** Hash of a line without a line id (product and day; the rest of its key is compared). */
const contentKey = (p: number, day: number): number => p * 4194319 + day;

/** A change record of one customer since the last `clean()`. */
export interface CustomerChange {
  /**
   * Lines added (new keys or replacements), kept only while nothing was replaced or deleted: once
   * `removed`, the next build reads the customer's lines whole and this list stays empty (a daily
   * re-sync of unchanged lines kept one object per re-sent line until the next build).
   */
  readonly added: StoredLine[];
  /** Whether a line was replaced or deleted. */
  removed: boolean;
}

/**
 * @internal Mutable columnar store of order lines (typed-array slots, interned ids, no object per
 * line: a million lines cost the garbage collector little). A line's key is (order_id, line_id),
 * or the whole row without a line_id; lines are found through their order's slots. A line that
 * came with a Dataset has its cost and list price filled in from the product when its row had
 * none: a row without them then has the same key as that line (whichever way it entered). Keeps
 * reference counts of products, reps, channels and line ids (so a rebuild knows whether a
 * dictionary value vanished) and the customers changed since `clean()`.
 */
export class LineStore {
  private cap = 0;
  private top = 0; // slots used so far (free ones are reused)
  private free: number[] = [];
  private cust = new Int32Array(0);
  private prod = new Int32Array(0);
  private ord = new Int32Array(0);
  private rep = new Int32Array(0);
  private chan = new Int32Array(0);
  private lid = new Int32Array(0);
  private dayC = new Int32Array(0);
  private qty = new Float64Array(0);
  private price = new Float64Array(0);
  private cost = new Float64Array(0);
  private list = new Float64Array(0);
  private alive = new Uint8Array(0);
  private filled = new Uint8Array(0);
  /** Index of each live slot in its customer's slot list (so removing a line does not search the list). */
  private custPos = new Int32Array(0);
  /** Index of each live slot in its order's slot list. */
  private orderPos = new Int32Array(0);
  private readonly customersI = new Interner();
  private readonly productsI = new Interner();
  private readonly ordersI = new Interner();
  private readonly repsI = new Interner();
  private readonly channelsI = new Interner();
  private readonly lineIdsI = new Interner();
  /**
   * Each order's slots, in the order they were stored; a removed line leaves a hole (−1) until the
   * holes outnumber the lines, when the list is closed up (see `release`).
   */
  private readonly orderSlots: (number[] | undefined)[] = [];
  /** Holes in each order's slot list. */
  private readonly orderHoles: number[] = [];
  /** The key index of each order of at least `indexFrom` slots. */
  private readonly orderIndex: (OrderIndex | undefined)[] = [];
  private readonly indexFrom: number;
  /** Slots compared with a key by `put` and `removeLine` so far (a count for tests). */
  keySteps = 0;
  private readonly customerSlots: (number[] | undefined)[] = [];
  private productRefs = new Int32Array(0);
  private repRefs = new Int32Array(0);
  private channelRefs = new Int32Array(0);
  private lineIdRefs = new Int32Array(0);
  /** Lines stored. */
  size = 0;
  /** Customers with at least one line. */
  customers = 0;
  /** Customers whose lines changed since the last `clean()`. */
  readonly dirty: Map<string, CustomerChange> = new Map();

  /** @param indexFrom - slots an order holds before its lines are indexed by key (tests lower it) */
  constructor(indexFrom: number = INDEX_FROM) {
    this.indexFrom = indexFrom;
  }

  clean(): void {
    this.dirty.clear();
  }

  private change(customer: string): CustomerChange {
    let c = this.dirty.get(customer);
    if (c === undefined) this.dirty.set(customer, (c = { added: [], removed: false }));
    return c;
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.cust = g(this.cust, (n) => new Int32Array(n));
    this.prod = g(this.prod, (n) => new Int32Array(n));
    this.ord = g(this.ord, (n) => new Int32Array(n));
    this.rep = g(this.rep, (n) => new Int32Array(n));
    this.chan = g(this.chan, (n) => new Int32Array(n));
    this.lid = g(this.lid, (n) => new Int32Array(n));
    this.dayC = g(this.dayC, (n) => new Int32Array(n));
    this.qty = g(this.qty, (n) => new Float64Array(n));
    this.price = g(this.price, (n) => new Float64Array(n));
    this.cost = g(this.cost, (n) => new Float64Array(n));
    this.list = g(this.list, (n) => new Float64Array(n));
    this.alive = g(this.alive, (n) => new Uint8Array(n));
    this.filled = g(this.filled, (n) => new Uint8Array(n));
    this.custPos = g(this.custPos, (n) => new Int32Array(n));
    this.orderPos = g(this.orderPos, (n) => new Int32Array(n));
    this.cap = cap;
  }

  private static ref(counts: Int32Array<ArrayBuffer>, id: number, d: number): Int32Array<ArrayBuffer> {
    if (id < 0) return counts;
    let c = counts;
    if (id >= c.length) {
      c = new Int32Array(Math.max(64, 2 * c.length, id + 1));
      c.set(counts);
    }
    c[id]! += d;
    return c;
  }

  /** The line in a slot. */
  line(s: number): StoredLine {
    const r = this.rep[s]!, ch = this.chan[s]!, li = this.lid[s]!;
    return {
      order: this.ordersI.values[this.ord[s]!]!,
      lineId: li >= 0 ? this.lineIdsI.values[li] : undefined,
      day: this.dayC[s]!,
      customer: this.customersI.values[this.cust[s]!]!,
      product: this.productsI.values[this.prod[s]!]!,
      qty: this.qty[s]!,
      price: this.price[s]!,
      cost: this.cost[s]!,
      list: this.list[s]!,
      rep: r >= 0 ? this.repsI.values[r] : undefined,
      channel: ch >= 0 ? this.channelsI.values[ch] : undefined,
    };
  }

  /** Slot of the stored line with the same key as `l` (ids already interned), or -1. */
  private find(o: number, li: number, l: StoredLine, c: number, p: number, r: number, ch: number, given: number): number {
    const slots = this.orderSlots[o];
    if (slots === undefined) return -1;
    const ix = this.orderIndex[o];
    const cand = ix === undefined ? slots : li >= 0 ? ix.byLid.get(li) : ix.byContent.get(contentKey(p, l.day));
    if (cand === undefined) return -1;
    for (const s of cand) {
      this.keySteps++;
      if (s < 0 || this.lid[s] !== li) continue;
      if (li >= 0) return s;
      const f = this.filled[s]!;
      if (this.cust[s] === c && this.prod[s] === p && this.dayC[s] === l.day && same(this.qty[s]!, l.qty) && same(this.price[s]!, l.price) && sameOrFilled(this.cost[s]!, l.cost, f & FILLED_COST, given & FILLED_COST) && sameOrFilled(this.list[s]!, l.list, f & FILLED_LIST, given & FILLED_LIST) && this.rep[s] === r && this.chan[s] === ch) return s;
    }
    return -1;
  }

  /** Told the slot of each line a remove (not a put's replacement) frees: a later put may reuse it. */
  onRemoved: ((slot: number) => void) | undefined = undefined;

  /** The slot the last `put` stored its line in, and the slot of the line it replaced (−1: none). */
  lastSlot = -1;
  lastReplaced = -1;

  /**
   * Insert or replace (same key); returns the line it replaced, if any.
   * @param filled - FILLED_COST / FILLED_LIST when the line's cost / list price is the product's
   *   (equal to it, or missing where the product has one): kept with the line, and its key's part
   * @param insertOnly - never replace (a Dataset's own lines are distinct keys already)
   */
  put(l: StoredLine, track = true, filled = 0, insertOnly = false): StoredLine | undefined {
    const c = this.customersI.id(l.customer), p = this.productsI.id(l.product), o = this.ordersI.id(l.order);
    const r = l.rep === undefined ? -1 : this.repsI.id(l.rep);
    const ch = l.channel === undefined ? -1 : this.channelsI.id(l.channel);
    const li = l.lineId === undefined ? -1 : this.lineIdsI.id(l.lineId);
    const existing = insertOnly ? -1 : this.find(o, li, l, c, p, r, ch, filled);
    this.lastReplaced = existing;
    let old: StoredLine | undefined;
    if (existing >= 0) {
      old = this.line(existing);
      this.release(existing, track);
    }
    let s = this.free.pop();
    if (s === undefined) {
      if (this.top === this.cap) this.grow();
      s = this.top++;
    }
    this.lastSlot = s;
    this.cust[s] = c;
    this.prod[s] = p;
    this.ord[s] = o;
    this.rep[s] = r;
    this.chan[s] = ch;
    this.lid[s] = li;
    this.dayC[s] = l.day;
    this.qty[s] = l.qty;
    this.price[s] = l.price;
    this.cost[s] = l.cost;
    this.list[s] = l.list;
    this.alive[s] = 1;
    this.filled[s] = filled;
    const os = (this.orderSlots[o] ??= []);
    this.orderPos[s] = os.length;
    os.push(s);
    const ix = this.orderIndex[o];
    if (ix !== undefined) this.indexSlot(ix, s);
    else if (os.length - (this.orderHoles[o] ?? 0) >= this.indexFrom) {
      const built: OrderIndex = { byLid: new Map(), byContent: new Map() };
      for (const x of os) if (x >= 0) this.indexSlot(built, x);
      this.orderIndex[o] = built;
    }
    let cs = this.customerSlots[c];
    if (cs === undefined || cs.length === 0) {
      this.customers++;
      cs ??= this.customerSlots[c] = [];
    }
    this.custPos[s] = cs.length;
    cs.push(s);
    this.productRefs = LineStore.ref(this.productRefs, p, 1);
    this.repRefs = LineStore.ref(this.repRefs, r, 1);
    this.channelRefs = LineStore.ref(this.channelRefs, ch, 1);
    this.lineIdRefs = LineStore.ref(this.lineIdRefs, li, 1);
    this.size++;
    if (track) {
      const ch = this.change(l.customer);
      if (!ch.removed) ch.added.push(l);
    }
    return old;
  }

  /** Add slot s at the end of its key's list. */
  private indexSlot(ix: OrderIndex, s: number): void {
    const li = this.lid[s]!;
    const map = li >= 0 ? ix.byLid : ix.byContent;
    const key = li >= 0 ? li : contentKey(this.prod[s]!, this.dayC[s]!);
    const list = map.get(key);
    if (list === undefined) map.set(key, [s]);
    else list.push(s);
  }

  /** Take slot s out of its key's list (kept in order; the list is short: lines of one key). */
  private unindexSlot(ix: OrderIndex, s: number): void {
    const li = this.lid[s]!;
    const map = li >= 0 ? ix.byLid : ix.byContent;
    const key = li >= 0 ? li : contentKey(this.prod[s]!, this.dayC[s]!);
    const list = map.get(key)!;
    if (list.length === 1) {
      map.delete(key);
      return;
    }
    let k = 0;
    while (list[k] !== s) k++;
    for (; k + 1 < list.length; k++) list[k] = list[k + 1]!;
    list.length--;
  }

  private release(s: number, track: boolean): void {
    const c = this.cust[s]!, o = this.ord[s]!;
    if (track) {
      const ch = this.change(this.customersI.values[c]!);
      ch.removed = true;
      ch.added.length = 0;
    }
    const ix = this.orderIndex[o];
    if (ix !== undefined) this.unindexSlot(ix, s);
    // An order's list keeps its order (of two lines with the same key, `find` gives the first;
    // `removeOrder` returns the lines in it), so a removed line leaves a hole where a search for
    // the slot and a splice made removing a big order quadratic. The list is closed up once its
    // holes outnumber its lines, which costs less than two steps per line removed since the last.
    const os = this.orderSlots[o]!;
    os[this.orderPos[s]!] = -1;
    let holes = (this.orderHoles[o] ?? 0) + 1;
    const left = os.length - holes;
    if (left === 0) {
      this.orderSlots[o] = undefined;
      this.orderIndex[o] = undefined;
      holes = 0;
    } else if (holes > left) {
      let k = 0;
      for (const x of os) {
        if (x < 0) continue;
        this.orderPos[x] = k;
        os[k++] = x;
      }
      os.length = k;
      holes = 0;
    }
    this.orderHoles[o] = holes;
    // Swap-remove: the customer's last slot takes this one's place (this order of the list is the
    // order of customerLines, which a rebuild of the customer reads). The slot's place is kept,
    // as a search of the list made forgetting a customer, or re-sending its lines, quadratic in
    // its line count.
    const cs = this.customerSlots[c]!;
    const k = this.custPos[s]!, last = cs[cs.length - 1]!;
    cs[k] = last;
    this.custPos[last] = k;
    cs.pop();
    if (cs.length === 0) this.customers--;
    this.productRefs[this.prod[s]!]!--;
    if (this.rep[s]! >= 0) this.repRefs[this.rep[s]!]!--;
    if (this.chan[s]! >= 0) this.channelRefs[this.chan[s]!]!--;
    if (this.lid[s]! >= 0) this.lineIdRefs[this.lid[s]!]!--;
    this.alive[s] = 0;
    this.free.push(s);
    this.size--;
  }

  /** Delete the line (order, lineId); returns it, if it was there. */
  removeLine(order: string, lineId: string): StoredLine | undefined {
    const o = this.ordersI.map.get(order), li = this.lineIdsI.map.get(lineId);
    if (o === undefined || li === undefined) return undefined;
    const ix = this.orderIndex[o];
    for (const s of (ix === undefined ? this.orderSlots[o] : ix.byLid.get(li)) ?? []) {
      this.keySteps++;
      if (s < 0 || this.lid[s] !== li) continue;
      const old = this.line(s);
      this.release(s, true);
      this.onRemoved?.(s);
      return old;
    }
    return undefined;
  }

  /** Delete every line of an order; returns them. */
  removeOrder(order: string): StoredLine[] {
    const o = this.ordersI.map.get(order);
    if (o === undefined) return [];
    const out: StoredLine[] = [];
    this.orderIndex[o] = undefined; // every line goes: no index to keep up
    for (const s of (this.orderSlots[o] ?? []).slice()) {
      if (s < 0) continue;
      out.push(this.line(s));
      this.release(s, true);
      this.onRemoved?.(s);
    }
    return out;
  }

  /** Delete every line of a customer; returns them. */
  removeCustomer(customer: string): StoredLine[] {
    const c = this.customersI.map.get(customer);
    if (c === undefined) return [];
    const out: StoredLine[] = [];
    for (const s of (this.customerSlots[c] ?? []).slice()) {
      out.push(this.line(s));
      this.release(s, true);
      this.onRemoved?.(s);
    }
    return out;
  }

  /** The lines of one customer (unordered). */
  customerLines(customer: string): StoredLine[] {
    const c = this.customersI.map.get(customer);
    if (c === undefined) return [];
    return (this.customerSlots[c] ?? []).map((s) => this.line(s));
  }

  /**
   * Visits each purchase line (quantity > 0) of one customer whose purchase day is after `from`:
   * that day and its product id. A purchase day is the line's own, or for a later delivery of an
   * order the day the order started (rhythmView, src/data/internal/rhythm-view.ts): a part
   * delivered after `from` of an order started by then is no purchase after it. `fn` gets the
   * line's own day too (a line dated after the clock waits for it, whatever its purchase day).
   */
  purchaseDaysAfter(customer: string, from: number, fn: (day: number, product: string, ownDay: number) => void): void {
    const c = this.customersI.map.get(customer);
    if (c === undefined) return;
    const byOrder = new Map<number, number[]>();
    for (const s of this.customerSlots[c] ?? []) {
      if (!(this.qty[s]! > 0)) continue;
      const list = byOrder.get(this.ord[s]!);
      if (list === undefined) byOrder.set(this.ord[s]!, [s]);
      else list.push(s);
    }
    for (const slots of byOrder.values()) {
      slots.sort((x, y) => this.dayC[x]! - this.dayC[y]!);
      const starts = occasionStarts(slots.map((s) => this.dayC[s]!), slots.map((s) => this.prod[s]!));
      for (let j = 0; j < slots.length; j++) if (starts[j]! > from) fn(starts[j]!, this.productsI.values[this.prod[slots[j]!]!]!, this.dayC[slots[j]!]!);
    }
  }

  /** The purchase day of a purchase line (stored or not) among its order's stored lines (its order's start, for a later delivery: {@link purchaseDaysAfter}). */
  purchaseDayOf(l: StoredLine): number {
    const c = this.customersI.map.get(l.customer);
    const o = this.ordersI.map.get(l.order);
    if (c === undefined || o === undefined) return l.day;
    // the order's lines of this customer up to the line's day (read from the order's own slots:
    // the customer's were a scan per line, quadratic in a large account's lines; a self-review),
    // the line itself last (stored or not: a duplicate on its own day changes nothing)
    const slots = (this.orderSlots[o] ?? []).filter((s) => s >= 0 && this.cust[s] === c && this.qty[s]! > 0 && this.dayC[s]! <= l.day).sort((x, y) => this.dayC[x]! - this.dayC[y]!);
    if (slots.length === 0 || this.dayC[slots[0]!] === l.day) return l.day;
    const p = this.productsI.map.get(l.product) ?? -1;
    const starts = occasionStarts([...slots.map((s) => this.dayC[s]!), l.day], [...slots.map((s) => this.prod[s]!), p]);
    return starts[starts.length - 1]!;
  }

  /**
   * The stored purchase lines dated in (from, from + SPLIT_ORDER_DAYS] whose purchase day is on or
   * before `from` (later deliveries of orders a detection at `from` saw start) and that `counts`,
   * by own day. A scan of the live slots' days; the store is read further only for the few lines
   * in that window that `counts`.
   */
  laterParts(from: number, counts: (l: StoredLine) => boolean): StoredLine[] {
    const out: StoredLine[] = [];
    for (let s = 0; s < this.alive.length; s++) {
      if (this.alive[s] !== 1 || !(this.qty[s]! > 0)) continue;
      const d = this.dayC[s]!;
      if (d <= from || d - from > SPLIT_ORDER_DAYS) continue;
      const l = this.line(s);
      if (counts(l) && this.purchaseDayOf(l) <= from) out.push(l);
    }
    return out.sort((x, y) => x.day - y.day);
  }

  /** Visits each purchase line (quantity > 0) of one customer dated after `from`: its day and product id (no line objects made). */
  purchasesAfter(customer: string, from: number, fn: (day: number, product: string) => void): void {
    const c = this.customersI.map.get(customer);
    if (c === undefined) return;
    for (const s of this.customerSlots[c] ?? []) {
      const day = this.dayC[s]!;
      if (day > from && this.qty[s]! > 0) fn(day, this.productsI.values[this.prod[s]!]!);
    }
  }

  /**
   * The rep of a customer's latest line dated on or before `upTo` that names one, a purchase's
   * (quantity > 0) before any other's (a credit note is no order: src/data/internal/owner-reps.ts),
   * "latest" in the dataset's order: day, then order id, then product id. Undefined when none.
   */
  latestRep(customer: string, upTo: number): string | undefined {
    const c = this.customersI.map.get(customer);
    if (c === undefined) return undefined;
    const later = (s: number, t: number): boolean => {
      if (t < 0) return true;
      if (this.dayC[s] !== this.dayC[t]) return this.dayC[s]! > this.dayC[t]!;
      const os = this.ordersI.values[this.ord[s]!]!, ot = this.ordersI.values[this.ord[t]!]!;
      if (os !== ot) return os > ot;
      return this.productsI.values[this.prod[s]!]! > this.productsI.values[this.prod[t]!]!;
    };
    let order = -1, any = -1;
    for (const s of this.customerSlots[c] ?? []) {
      if (this.rep[s]! < 0 || this.dayC[s]! > upTo) continue;
      if (later(s, any)) any = s;
      if (this.qty[s]! > 0 && later(s, order)) order = s;
    }
    const s = order >= 0 ? order : any;
    return s < 0 ? undefined : this.repsI.values[this.rep[s]!];
  }

  /** Number of lines of one customer. */
  customerCount(customer: string): number {
    const c = this.customersI.map.get(customer);
    return c === undefined ? 0 : (this.customerSlots[c]?.length ?? 0);
  }

  hasOrder(order: string): boolean {
    const o = this.ordersI.map.get(order);
    return o !== undefined && this.orderSlots[o] !== undefined;
  }

  hasProduct(product: string): boolean {
    const p = this.productsI.map.get(product);
    return p !== undefined && (this.productRefs[p] ?? 0) > 0;
  }

  hasRep(rep: string): boolean {
    const r = this.repsI.map.get(rep);
    return r !== undefined && (this.repRefs[r] ?? 0) > 0;
  }

  hasChannel(channel: string): boolean {
    const c = this.channelsI.map.get(channel);
    return c !== undefined && (this.channelRefs[c] ?? 0) > 0;
  }

  hasLineId(lineId: string): boolean {
    const l = this.lineIdsI.map.get(lineId);
    return l !== undefined && (this.lineIdRefs[l] ?? 0) > 0;
  }

  /** Call `fn` with every stored line, in slot order (`fn` must not keep the line object: it is reused). */
  forEach(fn: (l: StoredLine) => void): void {
    const l = { order: "", lineId: undefined as string | undefined, day: 0, customer: "", product: "", qty: 0, price: 0, cost: 0, list: 0, rep: undefined as string | undefined, channel: undefined as string | undefined };
    for (let s = 0; s < this.top; s++) {
      if (!this.alive[s]) continue;
      const r = this.rep[s]!, ch = this.chan[s]!, li = this.lid[s]!;
      l.order = this.ordersI.values[this.ord[s]!]!;
      l.lineId = li >= 0 ? this.lineIdsI.values[li] : undefined;
      l.day = this.dayC[s]!;
      l.customer = this.customersI.values[this.cust[s]!]!;
      l.product = this.productsI.values[this.prod[s]!]!;
      l.qty = this.qty[s]!;
      l.price = this.price[s]!;
      l.cost = this.cost[s]!;
      l.list = this.list[s]!;
      l.rep = r >= 0 ? this.repsI.values[r] : undefined;
      l.channel = ch >= 0 ? this.channelsI.values[ch] : undefined;
      fn(l);
    }
  }
}

/**
 * @internal The order lines of a dataset as lines: of a view, only the visible ones (as its deal
 * events); `filled` tells which of a line's cost and list price equal the product's (FILLED_COST,
 * FILLED_LIST).
 */
export function linesOfDataset(dataset: Dataset, fn: (l: StoredLine, filled: number) => void): void {
  const { lines, ids, products, customerStart, customerEnd } = dataset;
  const cust = ids.customers.values, prod = ids.products.values, ord = ids.orders.values, reps = ids.reps.values, chans = ids.channels.values, lids = ids.lineIds.values;
  for (let c = 0; c < customerEnd.length; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const lid = lines.lineId[i]!, r = lines.rep[i]!, ch = lines.channel[i]!, p = lines.product[i]!;
      const filled = filledBits(lines.unitCost[i]!, lines.listPrice[i]!, products.unitCost[p]!, products.listPrice[p]!);
      fn({
        order: ord[lines.order[i]!]!,
        lineId: lid >= 0 ? lids[lid] : undefined,
        day: lines.day[i]!,
        customer: cust[lines.customer[i]!]!,
        product: prod[p]!,
        qty: lines.quantity[i]!,
        price: lines.unitPrice[i]!,
        cost: lines.unitCost[i]!,
        list: lines.listPrice[i]!,
        rep: r >= 0 ? reps[r] : undefined,
        channel: ch >= 0 ? chans[ch] : undefined,
      }, filled);
    }
  }
}

/** @internal A dataset's master tables as contract rows (so the store can be rebuilt with the ingestion code). */
export function masterRowsOfDataset(dataset: Dataset): MasterRows {
  const { ids } = dataset;
  const num = (x: number): number | undefined => (Number.isNaN(x) ? undefined : x);
  const rep = (r: number): string | undefined => (r >= 0 ? ids.reps.values[r] : undefined);
  const customers: CustomerRow[] = [];
  const c = dataset.customers;
  for (let k = 0; k < ids.customers.size; k++) {
    if (!c.known[k]) continue;
    customers.push({
      customer_id: ids.customers.values[k]!,
      name: c.name[k],
      segment: c.segment[k]! >= 0 ? ids.segments.values[c.segment[k]!] : undefined,
      region: c.region[k]! >= 0 ? ids.regions.values[c.region[k]!] : undefined,
      rep_id: rep(c.rep[k]!),
      channel: c.channel[k]! >= 0 ? ids.channels.values[c.channel[k]!] : undefined,
      parent_id: c.parent[k]! >= 0 ? ids.customers.values[c.parent[k]!] : undefined,
    });
  }
  const products: ProductRow[] = [];
  const p = dataset.products;
  for (let k = 0; k < ids.products.size; k++) {
    if (!p.known[k]) continue;
    products.push({
      product_id: ids.products.values[k]!,
      name: p.name[k],
      family: p.family[k]! >= 0 ? ids.families.values[p.family[k]!] : undefined,
      list_price: num(p.listPrice[k]!),
      unit_cost: num(p.unitCost[k]!),
      active: p.active[k] === 2 ? undefined : p.active[k] === 1,
    });
  }
  const reps: RepRow[] = [];
  const r = dataset.reps;
  for (let k = 0; k < ids.reps.size; k++) {
    if (!r.known[k]) continue;
    reps.push({ rep_id: ids.reps.values[k]!, name: r.name[k], manager_id: rep(r.manager[k]!), email: r.email[k] });
  }
  const e = dataset.dealEvents;
  const dealEvents: DealEventRow[] = [];
  for (let k = 0; k < e.length; k++) {
    dealEvents.push({
      deal_id: ids.deals.values[e.deal[k]!]!,
      customer_id: ids.customers.values[e.customer[k]!]!,
      stage: DEAL_STAGES[e.stage[k]!]!,
      entered_at: formatDay(e.day[k]!),
      rep_id: rep(e.rep[k]!),
      amount: num(e.amount[k]!),
    });
  }
  const targets: TargetRow[] = dataset.targets.map((t) => ({ rep_id: ids.reps.values[t.rep]!, period: t.period, kpi: t.kpi, target: t.target }));
  const content: ContentRow[] = dataset.content.map((x) => ({
    content_id: x.contentId,
    title: x.title,
    url: x.url,
    product_id: x.product >= 0 ? ids.products.values[x.product] : undefined,
    family: x.family,
    segment: x.segment,
    kind: x.kind,
  }));
  return { customers, products, reps, dealEvents, targets, content };
}
