import type { Dataset } from "../../data/dataset.ts";
import { SPLIT_ORDER_DAYS } from "../../data/internal/rhythm-view.ts";
import type { IngestReport } from "../../data/ingest-report.ts";
import { checkKnownKeys, isDayText, isRecord, type OptionKeys } from "../../data/internal/check.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { formatDay } from "../../data/format-day.ts";
import { idText } from "../../data/internal/builder.ts";
import type { ResolvedIngestOptions } from "../../data/internal/resolve-ingest-options.ts";
import { parseDay } from "../../data/parse-day.ts";
import { bySignalOrder, joinIds, splitIds } from "../../signals/internal/format.ts";
import { SIGNAL_TYPES } from "../../signals/signal-types.ts";
import type { FrequencyDropCase } from "../../signals/internal/frequency-drop-cases.ts";
import type { ItemDroppedCase, NewPurchaseDay } from "../../signals/internal/item-dropped-cases.ts";
import type { OverdueCase } from "../../signals/internal/overdue-cases.ts";
import type { DetectorRun } from "../../signals/internal/run-detectors.ts";
import type { Signal } from "../../signals/types.ts";
import type {
  CreateEngineOptions,
  EngineSignalsOptions,
  EngineSnapshot,
  EngineStats,
  EngineUpdate,
  LineKey,
  LiveKpis,
  SignalEvent,
  SignalEventKind,
  SignalFeedback,
  SignalResolution,
  SignalSink,
  SignalStatus,
  TrackedSignal,
} from "../types.ts";
import { CooldownMap } from "./cooldown-map.ts";
import { filledBits, LineStore, linesOfDataset, masterRowsOfDataset, type MasterRows, type StoredLine } from "./line-store.ts";
import { LiveTotals } from "./live-kpis.ts";
import { materialize } from "./materialize.ts";
import { parseBatch } from "./parse-batch.ts";
import { masterRefs, rematerialize, type MasterRefs } from "./rematerialize.ts";
import { isThenable } from "../../data/internal/is-thenable.ts";

/** The option names of `engine.signals()`. */
const SIGNALS_KEYS: OptionKeys<EngineSignalsOptions> = { status: true, customerId: true, repId: true, type: true };

/** @internal What the core needs from createEngine. */
export interface CoreOptions {
  readonly dataset: Dataset | undefined;
  readonly ingestOptions: ResolvedIngestOptions;
  readonly asOf: number | undefined;
  readonly refitEvery: number;
  readonly cooldownDays: number;
  /** Days a resolved situation is kept after it was resolved (then forgotten at a tick). */
  readonly keepResolvedDays: number;
  /**
   * A full detection at asOf, keeping the per-customer cases (overdue, item dropped, frequency
   * drop) the ticks ask until the next detection; with `casesOnly`, only those types' detectors
   * run (to rebuild the cases after a restore).
   */
  readonly detect: (dataset: Dataset, asOf: number, casesOnly: boolean) => DetectorRun;
  readonly onSignal: CreateEngineOptions["onSignal"];
  readonly sinks: CreateEngineOptions["sinks"];
}

interface Tracked {
  id: string;
  status: SignalStatus;
  signal: Signal;
  openedAt: number;
  updatedAt: number;
  resolvedAt?: number;
  resolution?: SignalResolution;
  snoozedUntil?: number;
  /** Resolved only: the rep's decision it was resolved under, restored if it comes back (TrackedSignal.held). */
  held?: "acknowledged" | "snoozed";
  alerted: boolean;
  /** How many events this situation has had (its last event's number; see `emit`'s staleness test). */
  version?: number;
  /** The number of its newest event sent (told to `onSignal` and the sinks). */
  sent?: number;
}

/**
 * @internal What the batches of one async ingest share: the slots of the lines they stored; rows
 * that replaced one of those (repeats within the input) and, of those replaced lines, how many
 * their batch warned as missing a cost / a list price; the events, emitted after the last batch.
 */
export interface AsyncIngestCall {
  stored: Set<number>;
  repeats: number;
  missingCost: number;
  missingList: number;
  returnLines: number;
  /** Ids of the call's lines missing from the engine's master tables, each warned about once (`unknown_customer` ...). */
  unknown: UnknownIds;
  pending: Pending[];
}

/** @internal Distinct ids not in the engine's master tables, by kind. */
export interface UnknownIds {
  readonly customer: Set<string>;
  readonly product: Set<string>;
  readonly rep: Set<string>;
}

/** @internal A signal event waiting to be called back and sent (by `emit`). */
export interface Pending {
  signal: Signal;
  event: SignalEvent;
}

const KIND_ORDER: Record<SignalEventKind, number> = { resolved: 0, reopened: 1, opened: 2, updated: 3 };
const SNAPSHOT_FORMAT = "orderpulse-engine";

/** Type and entity of a signal: a new situation of the same family within the cooldown does not alert. */
function familyOf(s: Signal): string {
  return [s.type, s.customerId ?? "", s.productId ?? "", s.segment ?? "", s.kpi ?? "", s.stage ?? "", s.customerId === undefined ? (s.repId ?? "") : ""].map(familyField).join("\u0000");
}

/**
 * A field of a family key: as it is, unless it holds the separator U+0000 (ids may): then U+0001
 * and the field with %, U+0000 and U+0001 escaped as %XX, so the key still splits into its fields (forget() reads the customer
 * back; "x\u0000y" split in two and its cooldowns outlived it). A field starting with U+0001 is
 * encoded too, so no id reads as another's encoding. Keys of other ids are unchanged.
 */
function familyField(x: string): string {
  // %, U+0000 and U+0001 as %XX (one to one, and it cannot throw: encodeURIComponent threw a
  // URIError on an unpaired surrogate, inside the detection loop)
  return x.includes("\u0000") || x.startsWith("\u0001") ? `\u0001${x.replace(/[%\u0000\u0001]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}` : x;
}

/** A feedback record, its fields in one order (the customer, when there is one, after the type). */
function feedbackRecord(f: { readonly id: string; readonly type: SignalFeedback["type"]; readonly verdict: SignalFeedback["verdict"]; readonly note?: string | undefined; readonly at: string }, customerId: string | undefined): SignalFeedback {
  return { id: f.id, type: f.type, ...(customerId !== undefined ? { customerId } : {}), verdict: f.verdict, ...(f.note !== undefined ? { note: f.note } : {}), at: f.at };
}

/** Whether a re-detection brings news: anything but the as-of day and the message's wording of it. */
function sameEvidence(a: Signal, b: Signal): boolean {
  return a.since === b.since && a.severity === b.severity && a.valueAtRisk === b.valueAtRisk && a.repId === b.repId && JSON.stringify(a.evidence) === JSON.stringify(b.evidence);
}

/** Anchor day of an absence situation a purchase can end: the last order (overdue) or the item's last purchase (item dropped). */
function purchaseAnchor(s: Signal): number | undefined {
  if (s.type === "customer_overdue") {
    // (never throws: it runs inside ingest's loop, where a throw left a batch half stored; restore
    // checks a snapshot's lastOrder, and a signal without a day has no anchor)
    const d = s.evidence.lastOrder;
    return isDayText(d) ? parseDay(d, "lastOrder") : undefined;
  }
  if (s.type === "item_dropped") {
    const d = s.id.slice(s.id.lastIndexOf(":") + 1);
    return /^\d{4}-\d{2}-\d{2}$/.test(d) ? parseDay(d, "lastBought") : undefined;
  }
  return undefined;
}

/** Whether purchase line `l` ends situation `s` (a purchase after its anchor; the same product for item_dropped). */
function ends(s: Signal, l: StoredLine, purchaseDay: (l: StoredLine) => number): boolean {
  if (!(l.qty > 0) || l.customer !== s.customerId) return false;
  if (s.type === "item_dropped" && l.product !== s.productId) return false;
  const anchor = purchaseAnchor(s);
  // (a later delivery of the order behind the anchor is no purchase after it: rhythmView; only a
  // line within SPLIT_ORDER_DAYS of the anchor can be one, the store is read for those alone)
  return anchor !== undefined && l.day > anchor && (l.day - anchor > SPLIT_ORDER_DAYS || purchaseDay(l) > anchor);
}

/** @internal The engine's state and rules; createEngine wraps it with option checks. */
export class EngineCore {
  private readonly o: CoreOptions;
  private readonly store = new LineStore();
  /**
   * The async ingests running (between their first and last batch): a slot another call frees
   * or fills is no longer a line such a call stored, so a later batch re-sending that key
   * replaces stored data (counted as `replaced`), not a repeat within its own input.
   */
  private readonly asyncCalls = new Set<AsyncIngestCall>();
  private master: MasterRows;
  private readonly live: LiveTotals;
  private cached: Dataset | undefined;
  /** The last materialized dataset (the base of the next incremental build; undefined after a master data change). */
  private base: Dataset | undefined;
  private refs: MasterRefs | undefined;
  clock: number | undefined;
  private lastDetection: number | undefined;
  /** The customer_overdue cases of the last detection, asked on the ticks until the next one, by customer (one each) in the detection's order (undefined: none, or not rebuilt yet after a restore). */
  private cases: Map<string, OverdueCase> | undefined;
  /** The item_dropped cases of the last detection, by customer id. */
  private itemCases: Map<string, ItemDroppedCase> | undefined;
  /** The frequency_drop cases of the last detection, by customer id. */
  private frequencyCases: Map<string, FrequencyDropCase> | undefined;
  /** Customers whose purchase lines dated after the last detection changed since a tick last asked their order-driven cases. */
  private orderDirty = new Set<string>();
  /**
   * Customers asked with every purchase up to the clock, holding one dated after it: the day of
   * the earliest such purchase, when they are asked again (unless a change asks them sooner). Kept
   * in orderDirty, they were asked again at every tick, each time at a later day: a line dated in
   * the future changed what the engine found before its day.
   */
  private waiting = new Map<string, number>();
  /** Set by restore: the cases are rebuilt from the history as of the last detection when a tick first needs them. */
  private casesToRebuild = false;
  /**
   * Stored later deliveries of orders the last detection saw start (their purchase day on or
   * before it, their own day after), of products the customer's item test holds: the tick that
   * reaches a part's own day tells the case (`amend`: the habit's last miss was a purchase). The
   * cases prepared at the detection hold that order without the part (a review, 2026-12-08: a
   * habit's last purchase in a part dated after the detection read as missed, the drop never
   * opened between detections). Derived from the history (collected at each detection and at the
   * rebuild after a restore).
   */
  private pendingParts: StoredLine[] = [];
  /** The day a case could not take its part ({@link pendingParts}): the tick reaching it detects in full. */
  private partDue: number | undefined = undefined;
  /** At the next rebuild of the cases, keep `orderDirty` as it is (an edit, or a snapshot that recorded it) instead of every customer with a purchase after the detection. */
  private keepDirty = false;
  /** Each customer's latest purchase day in the store (a pre-check: a case whose customer bought since its last order is skipped). */
  private lastPurchase = new Map<string, number>();
  private changedSinceDetection = true;
  private tracked = new Map<string, Tracked>();
  private byCustomer = new Map<string, Set<string>>();
  private cooldowns = new CooldownMap();
  private feedbacks: SignalFeedback[] = [];
  private counters = { detections: 0, materializations: 0, fullRebuilds: 0, callbackErrors: 0 };
  /** Every sink a routing `sinks` function has returned (flush() and close() reach them all). */
  private readonly routed = new Set<SignalSink>();
  private readonly timeZone: string;
  /** The lines' currency: the ingest option's, else the dataset's, else the first batch's that has one (later batches must match it). */
  private currency: string | undefined;

  constructor(o: CoreOptions) {
    this.o = o;
    this.store.onRemoved = (slot) => {
      for (const c of this.asyncCalls) c.stored.delete(slot);
    };
    const ds = o.dataset;
    this.timeZone = o.ingestOptions.timeZone;
    this.currency = o.ingestOptions.currency ?? ds?.currency;
    this.master = ds !== undefined ? masterRowsOfDataset(ds) : { customers: [], products: [], reps: [], dealEvents: [], targets: [], content: [] };
    const productCost = new Map<string, number>();
    if (ds !== undefined) {
      for (let p = 0; p < ds.ids.products.size; p++) if (!Number.isNaN(ds.products.unitCost[p]!)) productCost.set(ds.ids.products.values[p]!, ds.products.unitCost[p]!);
    }
    this.live = new LiveTotals(productCost);
    if (ds !== undefined) {
      linesOfDataset(ds, (l, filled) => {
        this.store.put(l, false, filled, true);
        this.live.apply(l, 1);
        this.notePurchase(l);
      });
      if (ds.asOf === undefined && ds.lines.length === this.store.size) this.cached = this.base = ds;
      this.store.clean();
    }
    this.clock = o.asOf ?? (ds !== undefined ? (ds.asOf ?? ds.dayRange?.last) : undefined);
  }

  // ---- order lines ----

  /**
   * @param customers - where the customers whose lines changed are collected (shared by the batches of one async ingest)
   * @param call - the batches of one async ingest: the lines they stored, how many of their rows replaced a line an earlier batch of the same call stored (a repeat within the input, as one array's parse counts it, not a replacement of stored data), and their events, emitted together by `emit` once the call's last batch is in
   */
  ingest(rows: readonly unknown[], customers: Set<string> = new Set<string>(), call?: AsyncIngestCall): EngineUpdate {
    // one currency across batches, as across the rows of one fromRows call: once a batch has
    // brought one, a later batch in another currency throws MIXED_CURRENCIES
    const opts = this.currency !== undefined && this.o.ingestOptions.currency === undefined ? { ...this.o.ingestOptions, currency: this.currency } : this.o.ingestOptions;
    const { lines, report, currency } = parseBatch(rows, opts);
    this.currency ??= currency;
    // the batch was parsed without the product table: a line without a cost (list price) that the
    // engine's products give one is no missing_cost (missing_list_price), as fromRows counts it with
    // the products
    let fixCost = 0, fixList = 0;
    const ow = report.tables.orders?.warnings;
    const warned = ow !== undefined && (ow.missing_cost !== undefined || ow.missing_list_price !== undefined);
    if (warned && this.master.products.length > 0) {
      for (const l of lines) {
        const m = this.masterPrice(l.product);
        if (m === undefined) continue;
        if (l.cost !== l.cost && m.cost) fixCost++;
        if (l.list !== l.list && m.list) fixList++;
      }
    }
    let added = 0, replaced = 0, otherCustomer = 0, saleByReturn = 0;
    const out: Pending[] = [];
    const lostPurchase = new Set<string>();
    for (const l of lines) {
      const old = this.store.put(l, true, this.filledOf(l));
      // a re-sent line whose purchase is unchanged (same customer, day, product and quantity) is
      // no news to the order-driven tests: asked again, their day-dependent thresholds would move
      const same = old !== undefined && old.customer === l.customer && old.day === l.day && old.product === l.product && old.qty === l.qty;
      if (old !== undefined) {
        // (as fromRows counts a line key replaced by another customer's row or a sale by a return:
        // here the replaced line was stored by an earlier ingest or batch; a review)
        if (old.customer !== l.customer) otherCustomer++;
        else if (old.qty > 0 && l.qty < 0) saleByReturn++;
        const slot = this.store.lastReplaced;
        for (const other of this.asyncCalls) if (other !== call) other.stored.delete(slot);
        // (the slots of the lines this call stored: a replaced one is a repeat within the input)
        if (call?.stored.delete(slot)) {
          call.repeats++;
          // (the earlier batch warned about it; it is not kept: taken off the call's merged report)
          const m = this.masterPrice(old.product);
          if (old.cost !== old.cost && m?.cost !== true) call.missingCost++;
          if (old.list !== old.list && m?.list !== true) call.missingList++;
          if (old.qty < 0) call.returnLines++;
        } else replaced++;
        this.live.apply(old, -1);
        customers.add(old.customer);
        if (!same) {
          this.noteOrderChange(old, true);
          this.notePastEdit(old);
        }
        if (this.wasLastPurchase(old)) lostPurchase.add(old.customer);
      } else added++;
      call?.stored.add(this.store.lastSlot);
      if (!same) {
        this.noteOrderChange(l);
        // a purchase dated on or before the last detection that it did not see (a late line): its
        // cases are rebuilt, as for an edit of what it saw (an item bought late is no drop)
        this.notePastEdit(l);
      }
      this.live.apply(l, 1);
      this.notePurchase(l);
      customers.add(l.customer);
      if (l.qty > 0) this.resolveByPurchase(l, out);
    }
    for (const c of lostPurchase) this.refreshPurchase(c);
    if (lines.length > 0) this.invalidate();
    if (fixCost > 0) takeWarning(report, "missing_cost", fixCost);
    if (fixList > 0) takeWarning(report, "missing_list_price", fixList);
    if (otherCustomer > 0) addWarning(report, "replaced_other_customer", otherCustomer);
    if (saleByReturn > 0) addWarning(report, "replaced_sale_by_return", saleByReturn);
    this.warnUnknown(lines, report, call?.unknown);
    if (call !== undefined) {
      for (const p of out) call.pending.push(p);
      return { added, replaced, removed: 0, customers: customers.size, events: [], report, detected: false };
    }
    this.emit(out);
    return { added, replaced, removed: 0, customers: customers.size, events: out, report, detected: false };
  }

  private knownIds: { customer: Set<string>; product: Set<string>; rep: Set<string> } | undefined;
  /**
   * `unknown_customer`, `unknown_product`, `unknown_rep` as fromRows counts them with the engine's
   * master tables: distinct ids of the batch's lines missing from a table the engine has (one
   * with rows); `seen` carries the ids an async call's earlier batches counted.
   */
  private warnUnknown(lines: readonly StoredLine[], report: IngestReport, seen: UnknownIds = { customer: new Set(), product: new Set(), rep: new Set() }): void {
    const m = this.master;
    if (lines.length === 0 || (m.customers.length === 0 && m.products.length === 0 && m.reps.length === 0)) return;
    const k = (this.knownIds ??= { customer: new Set(m.customers.map((r) => String(r.customer_id))), product: new Set(m.products.map((r) => String(r.product_id))), rep: new Set(m.reps.map((r) => String(r.rep_id))) });
    const count = (kind: keyof UnknownIds, has: boolean, warning: string, of: (l: StoredLine) => string | undefined): void => {
      if (!has) return;
      let n = 0;
      for (const l of lines) {
        const id = of(l);
        if (id === undefined || k[kind].has(id) || seen[kind].has(id)) continue;
        seen[kind].add(id);
        n++;
      }
      if (n > 0) addWarning(report, warning, n);
    };
    count("customer", m.customers.length > 0, "unknown_customer", (l) => l.customer);
    count("product", m.products.length > 0, "unknown_product", (l) => l.product);
    count("rep", m.reps.length > 0, "unknown_rep", (l) => l.rep);
  }

  private productPrices: Map<string, { cost: boolean; list: boolean; unitCost: number; listPrice: number }> | undefined;
  /** Whether the engine's product table gives a product a unit cost and a list price (what fromRows falls back to for a line without them); undefined: not in it. */
  private masterPrice(product: string): { cost: boolean; list: boolean; unitCost: number; listPrice: number } | undefined {
    if (this.productPrices === undefined) {
      this.productPrices = new Map();
      for (const r of this.master.products) {
        const cost = r.unit_cost == null || r.unit_cost === "" ? Number.NaN : Number(r.unit_cost), list = r.list_price == null || r.list_price === "" ? Number.NaN : Number(r.list_price);
        this.productPrices.set(String(r.product_id), { cost: cost >= 0, list: list > 0, unitCost: cost, listPrice: list });
      }
    }
    return this.productPrices.get(product);
  }

  /** The `filled` bits of an ingested line against the start dataset's product ({@link filledBits}, as linesOfDataset marks a dataset's lines). */
  private filledOf(l: StoredLine): number {
    const m = this.masterPrice(l.product);
    return m === undefined ? 0 : filledBits(l.cost, l.list, m.unitCost, m.listPrice);
  }

  remove(keys: Iterable<LineKey>): EngineUpdate {
    if (typeof keys !== "object" || keys === null || !(Symbol.iterator in keys)) {
      throw new OrderpulseError("INVALID_OPTION", "remove: invalid option keys: expected an iterable of { order_id, line_id? }", { option: "keys" });
    }
    // check every key before deleting anything
    const parsed: [string, string | undefined][] = [];
    for (const k of keys) {
      const order = idText((k as LineKey | null)?.order_id);
      if (order === undefined) throw new OrderpulseError("INVALID_OPTION", "remove: invalid option keys: each key needs an order_id", { option: "keys", value: k });
      const lineId = idText(k.line_id);
      // a line_id given but no id (true, an object, Infinity) is a bad key, not "the whole order"
      if (lineId === undefined && k.line_id !== undefined && k.line_id !== null && k.line_id !== "") {
        throw new OrderpulseError("INVALID_OPTION", "remove: invalid option keys: a line_id must be text or a finite number", { option: "keys", value: k });
      }
      parsed.push([order, lineId]);
    }
    let removed = 0;
    const customers = new Set<string>(), lostPurchase = new Set<string>();
    for (const [order, lineId] of parsed) {
      const victims = lineId !== undefined ? [this.store.removeLine(order, lineId)] : this.store.removeOrder(order);
      for (const old of victims) {
        if (old === undefined) continue;
        removed++;
        customers.add(old.customer);
        this.live.apply(old, -1);
        this.noteOrderChange(old, true);
        this.notePastEdit(old);
        if (this.wasLastPurchase(old)) lostPurchase.add(old.customer);
      }
    }
    for (const c of lostPurchase) this.refreshPurchase(c);
    if (removed > 0) this.invalidate();
    return { added: 0, replaced: 0, removed, customers: customers.size, events: [], detected: false };
  }

  /** A purchase line dated after the last detection changes what the customer's order-driven cases (item dropped, frequency drop) see. */
  private noteOrderChange(l: StoredLine, gone = false): void {
    // a later delivery of an order the last detection saw start, of a product its item test holds
    // as a habit: told to the test at the tick reaching it (pendingParts). One removed or replaced
    // (`gone`) may have been told already, and a test cannot take it back: the next tick detects
    // in full (it still amended the test, the drop opened a week late under another id; a
    // self-review, 2026-12-08)
    if (this.mayChangeItemCase(l)) {
      if (!gone) this.pendingParts.push(l);
      else this.partDue = Math.min(this.partDue ?? Infinity, this.clock ?? l.day);
    }
    // (also while the tests wait to be rebuilt after a restore: they will be there at the next tick)
    if (!((this.itemCases !== undefined || this.frequencyCases !== undefined || this.casesToRebuild) && l.qty > 0 && this.lastDetection !== undefined && l.day > this.lastDetection)) return;
    // a purchase dated after the clock (new, changed or deleted) waits for it: asked at the next
    // tick, the tests counted the open gap to the clock day, which an engine without that line
    // did not (a slowdown opened a day early, review 2026-12-06)
    if (this.clock !== undefined && l.day > this.clock && !this.orderDirty.has(l.customer)) {
      this.rewait(l.customer);
      return;
    }
    this.orderDirty.add(l.customer);
  }

  /** The customer's wait: the day of its earliest purchase stored after the clock, or none. */
  private rewait(customer: string): void {
    let first = Number.POSITIVE_INFINITY;
    this.store.purchasesAfter(customer, this.clock!, (d) => {
      if (d < first) first = d;
    });
    if (first === Number.POSITIVE_INFINITY) this.waiting.delete(customer);
    else this.waiting.set(customer, first);
  }

  /**
   * A purchase line the last detection saw (dated on or before it) was deleted or changed: the
   * per-customer tests it left (the overdue case's last order, the item and rhythm cases) are
   * stale, so the next tick rebuilds them at that day from the lines as they are now, keeping which
   * customers are still to be asked (and asking this one).
   */
  private notePastEdit(old: StoredLine): void {
    if (!(old.qty > 0) || this.lastDetection === undefined || old.day > this.lastDetection) return;
    // (a rebuild already due without a known set, after a restore of a snapshot that did not record
    // one: it still asks every customer with a purchase after the detection, and this one too)
    if (!this.casesToRebuild) this.keepDirty = true;
    this.casesToRebuild = true;
    this.orderDirty.add(old.customer);
  }

  private notePurchase(l: StoredLine): void {
    if (!(l.qty > 0)) return;
    const prev = this.lastPurchase.get(l.customer);
    if (prev === undefined || l.day > prev) this.lastPurchase.set(l.customer, l.day);
  }

  /** Whether a deleted or replaced line was its customer's latest purchase (the day must be read again). */
  private wasLastPurchase(old: StoredLine): boolean {
    return old.qty > 0 && old.day === this.lastPurchase.get(old.customer);
  }

  /** A customer's latest purchase day read again from the store (after a purchase line was deleted or replaced). */
  private refreshPurchase(customer: string): void {
    let last = Number.NEGATIVE_INFINITY;
    this.store.purchasesAfter(customer, Number.NEGATIVE_INFINITY, (d) => {
      if (d > last) last = d;
    });
    if (Number.isFinite(last)) this.lastPurchase.set(customer, last);
    else this.lastPurchase.delete(customer);
  }

  private invalidate(): void {
    this.cached = undefined;
    this.changedSinceDetection = true;
  }

  dataset(): Dataset {
    if (this.cached === undefined) {
      let ds = this.base === undefined ? undefined : rematerialize(this.base, this.store, (this.refs ??= masterRefs(this.master)));
      if (ds === undefined) {
        ds = materialize(this.store, this.master, this.timeZone, this.currency);
        this.counters.fullRebuilds++;
      }
      // the currency the first batch brought (an engine started without one): a rebuild from the
      // previous dataset copied that dataset's, undefined, and a restart from its bytes then took
      // rows in any other currency
      if (this.currency !== undefined && ds.currency !== this.currency) ds = { ...ds, currency: this.currency };
      this.counters.materializations++;
      this.store.clean();
      this.cached = this.base = ds;
    }
    return this.cached;
  }

  kpis(day: number | undefined): LiveKpis {
    // the month of the later of the clock and the newest line: the later of the clock and the newest month's first day
    const d = day ?? Math.max(this.clock ?? Number.NEGATIVE_INFINITY, this.live.latestMonth() ?? Number.NEGATIVE_INFINITY);
    // no clock and no line: no month is current (it read "1970-01: revenue 0" before the first sync)
    if (!Number.isFinite(d)) throw new OrderpulseError("INVALID_OPTION", "kpis: the engine has no clock and no order line yet: pass a month (kpis(day)) or tick(date) first", { option: "month" });
    return this.live.month(d);
  }

  // ---- clock and detection ----

  tick(day: number): EngineUpdate {
    if (this.clock !== undefined && day < this.clock) {
      throw new OrderpulseError("INVALID_OPTION", `tick: invalid option date: ${formatDay(day)} is before the clock (${formatDay(this.clock)})`, { option: "date", value: formatDay(day) });
    }
    this.clock = day;
    const out: Pending[] = [];
    const last = this.lastDetection;
    // a snooze that ends is an alert of this day: a full detection gives it this day's signal (its
    // asOf, evidence and message agree, and a sink's key, id@asOf, is new); between detections the
    // first alert's signal went out again (a retry to drop), and rewriting its asOf alone left
    // "35 days since the last order" under a day 39 days after it
    let snoozeEnds = false;
    for (const t of this.tracked.values()) {
      if (t.status === "snoozed" && t.snoozedUntil !== undefined && t.snoozedUntil <= day) {
        snoozeEnds = true;
        break;
      }
    }
    const due = last === undefined || day - last >= this.o.refitEvery || (this.o.refitEvery <= 1 && this.changedSinceDetection) || snoozeEnds || (this.partDue !== undefined && day >= this.partDue);
    if (due) this.detectInto(out);
    else if (day > last) this.watchInto(day, out);
    // snoozes end after the detection: one it no longer finds is resolved, not brought back
    for (const t of this.tracked.values()) {
      if (t.status === "snoozed" && t.snoozedUntil !== undefined && t.snoozedUntil <= day) {
        t.status = "open";
        delete t.snoozedUntil;
        t.updatedAt = day;
        t.alerted = true;
        this.cooldowns.set(familyOf(t.signal), day); // an alert: the family's cooldown runs from it
        out.push(this.event(t, "reopened", true));
      }
    }
    // a cooldown that has run out holds nothing back any more (the clock never goes back): dropped,
    // so the map and the snapshot keep the running ones only (every family's last alert stayed:
    // 93 entries after 18 months of 300 customers, growing with the engine's age)
    const cooldownDays = this.o.cooldownDays;
    for (const [key, from] of this.cooldowns.entries()) if (day - from >= cooldownDays) this.cooldowns.delete(key);
    this.emit(out);
    // resolved situations are kept keepResolvedDays after they were resolved, then forgotten
    // (about 1 kB each in the snapshot); after emit, so a situation resolved by this tick is told
    // first. Kept longer: an alerted one while its family's cooldown runs (the record that it was
    // alerted is what keeps its return within the cooldown quiet; a sibling's alert restarts the
    // cooldown), and one a purchase dated after the clock ended while that purchase is ahead of
    // the clock (it keeps a detection at the clock from reopening it)
    const keep = this.o.keepResolvedDays;
    for (const t of this.tracked.values()) {
      if (t.status !== "resolved" || t.resolvedAt === undefined || day - t.resolvedAt < keep) continue;
      if (t.alerted && this.cooldowns.has(familyOf(t.signal))) continue;
      const c = t.signal.customerId;
      if (t.resolution === "ordered_again" && c !== undefined && (this.lastPurchase.get(c) ?? day) > day) continue;
      this.untrack(t.id);
    }
    return { added: 0, replaced: 0, removed: 0, customers: 0, events: out, detected: due };
  }

  detectNow(): EngineUpdate {
    const out: Pending[] = [];
    this.detectInto(out);
    this.emit(out);
    return { added: 0, replaced: 0, removed: 0, customers: 0, events: out, detected: true };
  }

  private detectInto(out: Pending[]): void {
    if (this.clock === undefined) {
      throw new OrderpulseError("INVALID_OPTION", "detect: the engine has no clock yet: tick(date) first", { option: "date" });
    }
    const day = this.clock;
    const run = this.store.size === 0 ? undefined : this.o.detect(this.dataset(), day, false);
    const found = run?.signals ?? [];
    this.setCases(run, day);
    this.counters.detections++;
    this.lastDetection = day;
    this.changedSinceDetection = false;
    this.partDue = undefined;
    this.pendingParts = this.store.laterParts(day, (l) => this.mayChangeItemCase(l));
    // a situation whose id moves at this detection (its change point moved: the same type and
    // entity, no longer detected under its old id and new under another) is the one the rep was
    // told of: the new id opens without an alert, under the rep's decision on the old one (a
    // slowdown whose change point swung between two days was alerted three times in five months,
    // each swing past the cooldown; a review)
    const foundIds = new Set(found.map((s) => s.id));
    const moving = new Map<string, Tracked>();
    for (const t of this.tracked.values()) if (t.status !== "resolved" && t.alerted && !foundIds.has(t.id)) moving.set(familyOf(t.signal), t);
    const seen = new Set<string>();
    for (const s of found) {
      seen.add(s.id);
      const t = this.tracked.get(s.id);
      // (also back to an id it had before: the change point swinging between two days)
      const from = t === undefined || t.status === "resolved" ? moving.get(familyOf(s)) : undefined;
      if (from !== undefined) {
        moving.delete(familyOf(s));
        // (a snooze that ends today is over, as on a tick)
        const snoozed = from.status === "snoozed" && from.snoozedUntil !== undefined && from.snoozedUntil > day;
        const status = snoozed ? "snoozed" : from.status === "acknowledged" ? "acknowledged" : "open";
        if (t === undefined) {
          const nt: Tracked = { id: s.id, status, signal: s, openedAt: day, updatedAt: day, alerted: true, ...(snoozed ? { snoozedUntil: from.snoozedUntil! } : {}) };
          this.track(nt);
          out.push(this.event(nt, "opened", false));
        } else {
          t.alerted = true;
          this.reopen(t, s, day, status, snoozed ? from.snoozedUntil : undefined, false, out);
        }
        continue;
      }
      if (t === undefined || t.status === "resolved") {
        this.observe(s, t, day, out);
        continue;
      }
      const changed = !sameEvidence(t.signal, s);
      // a new owner (an owner-less customer's latest order came from another rep) is told, as the
      // first one was: an updated repId alone reached no one (the cooldown is the first rep's)
      const reassigned = t.status === "open" && t.alerted && s.repId !== undefined && s.repId !== t.signal.repId;
      t.signal = s;
      // a situation that opened within its family's cooldown, and is still open (neither
      // acknowledged nor snoozed) when the cooldown is over, is alerted now: the cooldown holds an
      // alert back, it does not drop it (one opened so was never alerted however long it lasted)
      const held = t.status === "open" && !t.alerted && this.mayAlert(s, day);
      if (held) t.alerted = true;
      if (changed || held) {
        t.updatedAt = day;
        if (t.status !== "snoozed") out.push(this.event(t, "updated", held || reassigned));
      }
    }
    for (const t of this.tracked.values()) {
      if (t.status === "resolved" || seen.has(t.id)) continue;
      this.resolve(t, "not_detected", day, out);
      // an alerted situation no longer detected: its family's cooldown runs from today, so one that
      // comes back within cooldownDays (a statistic near its threshold) is no news for the rep
      // (a soak of 18 months re-alerted such item_volume_drop flaps 1-6 weeks after they resolved)
      if (t.alerted) this.cooldowns.set(familyOf(t.signal), day);
    }
  }

  /** A detected situation that is new (opened) or was resolved (reopened, unless a purchase already ended it). */
  private observe(s: Signal, t: Tracked | undefined, day: number, out: Pending[]): void {
    if (t === undefined) {
      // a purchase already stored, dated after the clock, ends it before it opens: tracked as
      // resolved, without an alert or a cooldown (it opened and alerted, stayed open up to the next
      // full detection, 34 days at refitEvery 56, and its not_detected end started a cooldown that
      // silenced the customer's real next alert; a review of the engine)
      if (this.orderedAgain(s)) {
        this.track({ id: s.id, status: "resolved", signal: s, openedAt: day, updatedAt: day, alerted: false, resolution: "ordered_again", resolvedAt: day });
        return;
      }
      const alert = this.mayAlert(s, day);
      const nt: Tracked = { id: s.id, status: "open", signal: s, openedAt: day, updatedAt: day, alerted: alert };
      this.track(nt);
      out.push(this.event(nt, "opened", alert));
      return;
    }
    // a purchase that ended it and is dated after the clock still ends it
    if (t.resolution === "ordered_again" && this.orderedAgain(s)) return;
    // the rep's decision comes back with it (a cancelled order reopened an acknowledged or snoozed
    // situation as open, and alerted it again; a review of the engine)
    // (resolve keeps snoozedUntil only for a held snooze; a snooze whose day has passed is over)
    const keep = t.held === "acknowledged" || (t.held === "snoozed" && t.snoozedUntil !== undefined && t.snoozedUntil > day) ? t.held : undefined;
    // a held snooze whose day has passed is the reminder the rep asked for: it comes back with an
    // alert whatever the cooldown, as a snooze ending on a tick does (the cooldown held it back: a
    // rep who snoozed to the 20th heard nothing when the situation came back on the 25th; a review)
    const reminder = t.held === "snoozed" && keep === undefined;
    // an alerted situation that comes back under another owner is told to that rep, whatever the
    // cooldown (the first rep's), as one reassigned while open is (the new owner of an account
    // moved while it was resolved was never told; a review)
    const reassigned = keep === undefined && t.alerted && s.repId !== undefined && s.repId !== t.signal.repId;
    let alert = false;
    if (reminder || reassigned) {
      alert = true;
      this.cooldowns.set(familyOf(s), day); // an alert: the family's cooldown runs from it
    } else if (keep === undefined) alert = this.mayAlert(s, day);
    // (a snoozed one too, without an alert: a host mirroring statuses from the events kept it
    // resolved until the snooze ended; a review)
    this.reopen(t, s, day, keep ?? "open", keep === "snoozed" ? t.snoozedUntil : undefined, alert, out);
  }

  /**
   * A resolved situation open again as `status` (snoozed until `snoozedUntil`, else no snooze
   * day kept), its signal now `s`, with its `reopened` event: detectInto's moved ids and
   * {@link observe}'s comebacks.
   */
  private reopen(t: Tracked, s: Signal, day: number, status: SignalStatus, snoozedUntil: number | undefined, alert: boolean, out: Pending[]): void {
    t.status = status;
    delete t.resolvedAt;
    delete t.resolution;
    delete t.held;
    if (snoozedUntil !== undefined) t.snoozedUntil = snoozedUntil;
    else delete t.snoozedUntil;
    t.signal = s;
    t.updatedAt = day;
    t.alerted = t.alerted || alert;
    out.push(this.event(t, "reopened", alert));
  }

  /**
   * A tick between full detections: the customer_overdue cases of the last detection are asked at
   * the clock day, so an overdue customer is flagged on the day its silence crosses the line, not
   * at the next detection. Customers who bought since their case's last order are skipped, open
   * situations are left as they are (their evidence is refreshed by the next detection), and
   * nothing is resolved here.
   */
  private watchInto(day: number, out: Pending[]): void {
    const from = this.lastDetection;
    // after a restore or an edit of a line the detection saw: the tests rebuilt at the detection's
    // day; the customers to ask are those of the snapshot or the live engine when known (after a
    // restore of an older snapshot: every customer with a purchase after the detection; what was
    // already found is tracked)
    if (this.casesToRebuild && from !== undefined && this.store.size > 0) {
      const dirty = new Set(this.orderDirty), waiting = new Map(this.waiting); // copies: setCases refills them in place
      this.setCases(this.o.detect(this.dataset(), from, true), from);
      this.pendingParts = this.store.laterParts(from, (l) => this.mayChangeItemCase(l));
      if (this.itemCases !== undefined || this.frequencyCases !== undefined) {
        if (this.keepDirty) {
          this.orderDirty = dirty;
          this.waiting = waiting;
        } else for (const c of dirty) this.orderDirty.add(c); // (edited customers, beside every one with a later purchase)
      }
    }
    this.casesToRebuild = false;
    this.keepDirty = false;
    // the later deliveries the clock has reached, told to their item cases
    if (this.pendingParts.length > 0) {
      const later: StoredLine[] = [];
      for (const l of this.pendingParts) {
        if (l.day > day) later.push(l);
        else if (this.itemCases?.get(l.customer)?.amend(l.product, this.store.purchaseDayOf(l)) === false) this.partDue = Math.min(this.partDue ?? Infinity, day + 1);
      }
      this.pendingParts = later;
    }
    this.watchItems(day, out);
    const cases = this.cases;
    if (cases === undefined) return;
    for (const k of cases.values()) {
      const bought = this.lastPurchase.get(k.customerId);
      // bought since its last order (the latest purchase is in (last, day], or a later-dated one hides an earlier)
      // (a purchase within SPLIT_ORDER_DAYS of the last order may be a later delivery of it: the store says)
      if (bought !== undefined && bought > k.last && ((bought <= day && bought - k.last > SPLIT_ORDER_DAYS) || this.boughtIn(k.customerId, k.last, day))) continue;
      const t = this.tracked.get(k.id);
      if (t !== undefined && t.status !== "resolved") continue;
      const s = k.at(day);
      if (s !== undefined) this.observe(this.addressed(s, day), t, day, out);
    }
  }

  /** customers.rep_id by customer id, from the master rows it was built from (see {@link addressed}). */
  private accountOwners: { rows: MasterRows["customers"]; map: Map<string, string> } | undefined;

  /**
   * A signal found between detections, addressed to its customer's owner as of `day`: the account
   * owner, else the rep of its latest order line by then (the store's). The case holds the owner
   * of its detection, and a new order of a customer without an account owner can move it: until
   * 2026-12-07 the alert went to the previous rep.
   */
  private addressed(s: Signal, day: number): Signal {
    const c = s.customerId;
    if (c === undefined) return s;
    const rows = this.master.customers;
    if (this.accountOwners?.rows !== rows) {
      const map = new Map<string, string>();
      for (const r of rows) if (r.rep_id !== undefined && r.rep_id !== null && r.rep_id !== "") map.set(String(r.customer_id), String(r.rep_id));
      this.accountOwners = { rows, map };
    }
    const rep = this.accountOwners.map.get(c) ?? this.store.latestRep(c, day);
    if (rep === s.repId) return s;
    if (rep !== undefined) return { ...s, repId: rep };
    const { repId: _, ...rest } = s;
    return rest as Signal;
  }

  /** The cases of a detection at `day`; for the order-driven ones, customers with purchases already stored dated after it are to be asked. */
  private setCases(run: DetectorRun | undefined, day: number): void {
    this.cases = run?.cases === undefined ? undefined : new Map(run.cases.map((k) => [k.customerId, k]));
    this.itemCases = run?.itemCases === undefined ? undefined : new Map(run.itemCases.map((k) => [k.customerId, k]));
    this.frequencyCases = run?.frequencyCases === undefined ? undefined : new Map(run.frequencyCases.map((k) => [k.customerId, k]));
    this.orderDirty.clear();
    this.waiting.clear();
    if (this.itemCases !== undefined || this.frequencyCases !== undefined) for (const [c, d] of this.lastPurchase) if (d > day) this.orderDirty.add(c);
    this.casesToRebuild = false;
  }

  /**
   * item_dropped and frequency_drop between detections: each customer with purchase lines dated
   * after the last detection that changed since it was last asked gets its cases asked at `day`
   * with its purchase days after the detection up to `day` (from the store), so a habit missing
   * from one more order, or a slowdown one more slow gap makes significant, is flagged at the tick
   * after that order. A purchase dated after `day` waits for the clock: the customer is asked
   * again on the tick that reaches it. Situations already active are left to the next detection.
   */
  private watchItems(day: number, out: Pending[]): void {
    const from = this.lastDetection;
    if ((this.itemCases === undefined && this.frequencyCases === undefined) || from === undefined) return;
    for (const [customer, d] of this.waiting) {
      if (d > day) continue;
      this.waiting.delete(customer);
      this.orderDirty.add(customer);
    }
    if (this.orderDirty.size === 0) return;
    for (const customer of [...this.orderDirty].sort()) {
      this.orderDirty.delete(customer);
      this.waiting.delete(customer);
      const k = this.itemCases?.get(customer), fk = this.frequencyCases?.get(customer);
      if (k === undefined && fk === undefined) continue;
      const byDay = new Map<number, Set<string>>();
      let later = Infinity;
      this.store.purchaseDaysAfter(customer, from, (d, product, own) => {
        if (own > day) {
          later = Math.min(later, own); // asked again when the clock reaches it
          return;
        }
        let set = byDay.get(d);
        if (set === undefined) byDay.set(d, (set = new Set()));
        set.add(product);
      });
      if (later !== Infinity) this.waiting.set(customer, later);
      // nothing up to the clock: nothing to ask with (a customer without new orders is not asked)
      if (byDay.size === 0) continue;
      const newDays: NewPurchaseDay[] = [...byDay].sort((a, b) => a[0] - b[0]).map(([d, products]) => ({ day: d, products }));
      const found: Signal[] = k?.at(day, newDays) ?? [];
      const slower = fk?.at(day, newDays.map((nd) => nd.day));
      // one slowdown per customer: a moved change point (a new id) waits for the next detection
      if (slower !== undefined && !this.hasActive(customer, "frequency_drop")) found.push(slower);
      for (const s of found) {
        const t = this.tracked.get(s.id);
        if (t !== undefined && t.status !== "resolved") continue;
        this.observe(this.addressed(s, day), t, day, out);
      }
    }
  }

  /** Whether a purchase line is a later delivery of an order the last detection saw start, of a product the customer's item test holds. */
  private mayChangeItemCase(l: StoredLine): boolean {
    const F = this.lastDetection;
    if (!(l.qty > 0) || F === undefined || l.day <= F || l.day - F > SPLIT_ORDER_DAYS) return false;
    if (this.itemCases?.get(l.customer)?.watches(l.product) !== true) return false;
    return this.store.purchaseDayOf(l) <= F;
  }

  /** Whether the customer has an active (not resolved) situation of this type. */
  private hasActive(customer: string, type: Signal["type"]): boolean {
    for (const id of this.byCustomer.get(customer) ?? []) {
      const t = this.tracked.get(id)!;
      if (t.status !== "resolved" && t.signal.type === type) return true;
    }
    return false;
  }

  /** Whether the store holds a purchase by `customer` on a purchase day after `from`, dated up to `to` (a later delivery of an order started by `from` is none: rhythmView). */
  private boughtIn(customer: string, from: number, to: number): boolean {
    let found = false;
    this.store.purchaseDaysAfter(customer, from, (_d, _p, own) => {
      if (own <= to) found = true;
    });
    return found;
  }

  /** A stored purchase line's purchase day (its order's start, for a later delivery). */
  private readonly purchaseDay = (l: StoredLine): number => this.store.purchaseDayOf(l);

  /** Whether the store holds a purchase that ends `s` (one dated after the clock, when s was just re-detected). */
  private orderedAgain(s: Signal): boolean {
    if (s.customerId === undefined) return false;
    for (const l of this.store.customerLines(s.customerId)) if (ends(s, l, this.purchaseDay)) return true;
    return false;
  }

  private resolveByPurchase(l: StoredLine, out: Pending[]): void {
    const ids = this.byCustomer.get(l.customer);
    if (ids === undefined) return;
    for (const id of ids) {
      const t = this.tracked.get(id)!;
      if (t.status !== "resolved" && ends(t.signal, l, this.purchaseDay)) this.resolve(t, "ordered_again", this.clock ?? l.day, out);
    }
  }

  private resolve(t: Tracked, why: SignalResolution, day: number, out: Pending[]): void {
    // (the rep's decision is kept, for a situation that comes back: observe)
    if (t.status === "acknowledged" || t.status === "snoozed") t.held = t.status;
    else delete t.held;
    t.status = "resolved";
    t.resolution = why;
    t.resolvedAt = day;
    t.updatedAt = day;
    if (t.held !== "snoozed") delete t.snoozedUntil;
    out.push(this.event(t, "resolved", false));
  }

  private mayAlert(s: Signal, day: number): boolean {
    const fam = familyOf(s);
    const last = this.cooldowns.get(fam);
    if (last !== undefined && this.o.cooldownDays > 0 && day - last < this.o.cooldownDays) return false;
    this.cooldowns.set(fam, day);
    return true;
  }

  private track(t: Tracked): void {
    this.tracked.set(t.id, t);
    const c = t.signal.customerId;
    if (c === undefined) return;
    let set = this.byCustomer.get(c);
    if (set === undefined) this.byCustomer.set(c, (set = new Set()));
    set.add(t.id);
  }

  private untrack(id: string): void {
    const t = this.tracked.get(id);
    if (t === undefined) return;
    this.tracked.delete(id);
    const c = t.signal.customerId;
    if (c !== undefined) {
      const set = this.byCustomer.get(c);
      set?.delete(id);
      if (set?.size === 0) this.byCustomer.delete(c);
    }
  }

  private event(t: Tracked, kind: SignalEventKind, alert: boolean): Pending {
    const at = formatDay(this.clock ?? t.updatedAt);
    const event: SignalEvent = { kind, status: t.status, at, alert, ...(kind === "resolved" && t.resolution !== undefined ? { resolution: t.resolution } : {}) };
    const p: Pending = { signal: t.signal, event };
    t.version = (t.version ?? 0) + 1;
    this.origin.set(p, [t, t.version]);
    return p;
  }

  /** Each event's situation and its number (kept beside the public Pending objects, not in them). */
  private readonly origin = new WeakMap<Pending, readonly [Tracked, number]>();

  /** Count a callback's async failure (a returned promise that rejects) as a callback error. */
  private settle(r: unknown, count = true): void {
    if (isThenable(r)) {
      // (Promise.resolve adopts a thenable without calling it here: a `then` that throws rejects)
      Promise.resolve(r).then(undefined, () => {
        if (count) this.counters.callbackErrors++;
      });
    }
  }

  /** An async ingest starts (its batches share `call`) / has ended (see `asyncCalls`). */
  beginAsync(call: AsyncIngestCall): void {
    this.asyncCalls.add(call);
  }

  endAsync(call: AsyncIngestCall): void {
    this.asyncCalls.delete(call);
  }

  /**
   * Sort the events of one call (grouped per customer; a signal's events together, in the order
   * they happened, placed by its first one), then call back and alert; nothing thrown gets out.
   * (Public for an async ingest, which emits its batches' events at once after the last one.)
   */
  emit(out: Pending[]): void {
    if (out.length === 0) return;
    // Stale events are dropped (and left out of `out`, the call's returned events): those of a
    // situation forgotten or restored away since, or one a newer event of which has gone out
    // already, from a call made inside a callback of this emit or between the batches of an async
    // ingest. Its status moved on, and an alert of it would be news of a situation that is over.
    // (Events of one situation within one call go out in the order they happened: each is newer
    // than the last one sent.)
    const current = (p: Pending): boolean => {
      const o = this.origin.get(p);
      return o === undefined || (this.tracked.get(p.signal.id) === o[0] && o[1] >= (o[0].sent ?? 0));
    };
    const first = new Map<string, Pending>();
    for (const p of out) if (!first.has(p.signal.id)) first.set(p.signal.id, p);
    out.sort((x, y) => {
      const a = first.get(x.signal.id)!, b = first.get(y.signal.id)!;
      const ca = a.signal.customerId ?? "\uffff", cb = b.signal.customerId ?? "\uffff";
      return ca < cb ? -1 : ca > cb ? 1 : KIND_ORDER[a.event.kind] - KIND_ORDER[b.event.kind] || bySignalOrder(a.signal, b.signal);
    });
    const { onSignal, sinks } = this.o;
    const sent: Pending[] = [];
    for (const p of out) {
      if (!current(p)) continue;
      sent.push(p);
      const o = this.origin.get(p);
      if (o !== undefined) o[0].sent = o[1];
      if (onSignal !== undefined) {
        try {
          this.settle(onSignal(p.signal, p.event));
        } catch {
          this.counters.callbackErrors++;
        }
      }
      // (a callback above may have ended it: no alert for a situation over before it went out)
      if (!p.event.alert || sinks === undefined || !current(p)) continue;
      let targets: readonly SignalSink[];
      try {
        targets = typeof sinks === "function" ? sinks(p.signal) : sinks;
        // (an async routing function's promise is no list, counted below: its rejection is only caught)
        this.settle(targets, false);
      } catch {
        this.counters.callbackErrors++;
        continue;
      }
      // a routing function's answer that is no list (one sink, a number) counts as a callback error,
      // as does an entry without send: iterating it threw a TypeError into the host
      if (targets === undefined || targets === null) continue;
      if (!Array.isArray(targets)) {
        this.counters.callbackErrors++;
        continue;
      }
      for (const sink of targets) {
        if (typeof (sink as SignalSink | null)?.send !== "function") {
          this.counters.callbackErrors++;
          continue;
        }
        // (only sinks with something to flush, close or forget: a routing function may wrap each call in a fresh { send })
        if (typeof sinks === "function" && (sink.flush !== undefined || sink.close !== undefined || sink.forget !== undefined)) this.routed.add(sink);
        try {
          this.settle(sink.send(p.signal));
        } catch {
          this.counters.callbackErrors++;
        }
      }
    }
    if (sent.length !== out.length) {
      out.length = 0;
      for (const p of sent) out.push(p);
    }
  }

  // ---- lifecycle ----

  private get(id: string, fn: string): Tracked {
    const t = typeof id === "string" ? this.tracked.get(id) : undefined;
    if (t === undefined) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option id: no tracked signal ${JSON.stringify(id)}`, { option: "id", value: id });
    return t;
  }

  list(filter: EngineSignalsOptions | undefined): TrackedSignal[] {
    const f = filter ?? {};
    const status = f.status ?? "active";
    if (!["open", "snoozed", "acknowledged", "resolved", "active", "all"].includes(status)) {
      throw new OrderpulseError("INVALID_OPTION", `signals: invalid option status: ${JSON.stringify(status)}`, { option: "status", value: status });
    }
    if (filter !== undefined && (typeof filter !== "object" || filter === null || Array.isArray(filter))) {
      throw new OrderpulseError("INVALID_OPTION", "signals: invalid option filter: expected an object { status?, customerId?, repId?, type? }", { option: "filter", value: filter });
    }
    if (filter !== undefined) checkKnownKeys(f as Record<string, unknown>, SIGNALS_KEYS, "signals");
    for (const k of ["customerId", "repId", "type"] as const) {
      if (f[k] !== undefined && typeof f[k] !== "string") throw new OrderpulseError("INVALID_OPTION", `signals: invalid option ${k}: expected a string`, { option: k, value: f[k] });
    }
    if (f.type !== undefined && !(SIGNAL_TYPES as readonly string[]).includes(f.type)) {
      throw new OrderpulseError("INVALID_OPTION", `signals: invalid option type: ${JSON.stringify(f.type)} (types: ${SIGNAL_TYPES.join(", ")})`, { option: "type", value: f.type });
    }
    const out: Tracked[] = [];
    for (const t of this.tracked.values()) {
      if (status === "active" ? t.status === "resolved" : status !== "all" && t.status !== status) continue;
      if (f.customerId !== undefined && t.signal.customerId !== f.customerId) continue;
      if (f.repId !== undefined && t.signal.repId !== f.repId) continue;
      if (f.type !== undefined && t.signal.type !== f.type) continue;
      out.push(t);
    }
    return out.sort((a, b) => bySignalOrder(a.signal, b.signal)).map(publicOf);
  }

  snooze(id: string, until: number): TrackedSignal {
    const t = this.get(id, "snooze");
    if (t.status === "resolved") throw new OrderpulseError("INVALID_OPTION", `snooze: invalid option id: ${id} is resolved`, { option: "id", value: id });
    if (this.clock !== undefined && until <= this.clock) {
      throw new OrderpulseError("INVALID_OPTION", `snooze: invalid option until: ${formatDay(until)} is not after the clock (${formatDay(this.clock)})`, { option: "until", value: formatDay(until) });
    }
    t.status = "snoozed";
    t.snoozedUntil = until;
    return publicOf(t);
  }

  acknowledge(id: string): TrackedSignal {
    const t = this.get(id, "acknowledge");
    if (t.status !== "resolved") {
      t.status = "acknowledged";
      delete t.snoozedUntil;
    }
    return publicOf(t);
  }

  feedback(id: string, verdict: unknown, note: unknown): SignalFeedback {
    const t = this.get(id, "feedback");
    if (verdict !== "useful" && verdict !== "not_useful") {
      throw new OrderpulseError("INVALID_OPTION", `feedback: invalid option verdict: expected useful or not_useful, got ${String(verdict)}`, { option: "verdict", value: verdict });
    }
    if (note !== undefined && typeof note !== "string") throw new OrderpulseError("INVALID_OPTION", "feedback: invalid option note: expected a string", { option: "note", value: note });
    const rec = feedbackRecord({ id, type: t.signal.type, verdict, note, at: formatDay(this.clock ?? t.updatedAt) }, t.signal.customerId);
    this.feedbacks.push(rec);
    return rec;
  }

  feedbackLog(): SignalFeedback[] {
    return this.feedbacks.slice();
  }

  forget(given: string): number {
    if (typeof given !== "string") throw new OrderpulseError("INVALID_OPTION", "forget: invalid option customerId: expected a string", { option: "customerId", value: given });
    // the id as ingest stores it, trimmed (forget(" C9 ") erased nothing of the C9 that the row
    // " C9 " made, while remove() trims; a review), and so to the sinks
    const customerId = idText(given) ?? given;
    let erased = 0;
    for (const l of this.store.removeCustomer(customerId)) {
      this.live.apply(l, -1);
      erased++;
    }
    const m = this.master;
    const before = m.customers.length + m.dealEvents.length;
    m.customers = m.customers.filter((c) => idText(c.customer_id) !== customerId);
    let parentOf = false; // a parent reference alone keeps the id in the dictionary
    for (const c of m.customers) {
      if (idText(c.parent_id) === customerId) {
        c.parent_id = undefined;
        parentOf = true;
      }
    }
    // its deals, named in the evidence of business-level signals (pipeline_stall's dealIds)
    const deals = new Set<string>();
    for (const e of m.dealEvents) if (idText(e.customer_id) === customerId && idText(e.deal_id) !== undefined) deals.add(idText(e.deal_id)!);
    m.dealEvents = m.dealEvents.filter((e) => idText(e.customer_id) !== customerId);
    const masterChanged = parentOf || m.customers.length + m.dealEvents.length !== before;
    // its own situations through the customer index (a pass over every tracked situation per
    // call made forgetting n customers one after another O(n²): 4,000 took 0.36-0.50 s)
    const gone = new Set<string>(this.byCustomer.get(customerId) ?? []);
    for (const id of gone) this.untrack(id);
    for (const t of deals.size > 0 ? this.tracked.values() : []) {
      // a situation of its rep or segment keeps no trace of it: its deals leave the evidence's
      // list (the counts follow at the next detection)
      const sig = t.signal;
      if (sig.type === "pipeline_stall" && typeof sig.evidence.dealIds === "string") {
        // (read and written as the detector writes them: an id holding ',' or '%' is percent-encoded,
        // and split on ',' it stayed in the evidence and the snapshot)
        const listed = splitIds(sig.evidence.dealIds);
        const kept = listed.filter((d) => !deals.has(d));
        if (kept.length !== listed.length) t.signal = { ...sig, evidence: { ...sig.evidence, dealIds: joinIds(kept) } };
      }
    }
    // (by the customer the record names too: its situation may be forgotten already, keepResolvedDays)
    this.feedbacks = this.feedbacks.filter((f) => !gone.has(f.id) && f.customerId !== customerId);
    this.cases?.delete(customerId);
    this.itemCases?.delete(customerId);
    this.frequencyCases?.delete(customerId);
    this.orderDirty.delete(customerId);
    this.waiting.delete(customerId);
    this.lastPurchase.delete(customerId);
    // (no customer is "": the business-level keys have an empty customer field)
    if (customerId !== "") this.cooldowns.deleteCustomer(familyField(customerId));
    if (masterChanged) {
      this.base = undefined;
      this.refs = undefined;
      this.knownIds = undefined;
    }
    if (erased > 0 || masterChanged) this.invalidate();
    // the sinks' queued and dead-lettered alerts of the customer (a webhook sink replayed them to
    // the CRM after the erasure); a sink's own failure is its business, never the host's
    for (const s of this.sinkList()) {
      try {
        this.settle(deals.size > 0 ? s.forget?.(customerId, { dealIds: [...deals] }) : s.forget?.(customerId), false);
      } catch {
        // (as for send: a sink must not break the engine)
      }
    }
    return erased;
  }

  // ---- state ----

  snapshot(): EngineSnapshot {
    const signals = [...this.tracked.values()].map(publicOf);
    const cooldowns: Record<string, string> = {};
    for (const [k, d] of this.cooldowns.entries()) cooldowns[k] = formatDay(d);
    const snap: EngineSnapshot = {
      format: SNAPSHOT_FORMAT,
      version: 1,
      clock: this.clock === undefined ? undefined : formatDay(this.clock),
      lastDetection: this.lastDetection === undefined ? undefined : formatDay(this.lastDetection),
      signals,
      cooldowns,
      feedback: this.feedbacks.slice(),
      pendingChanges: this.changedSinceDetection,
      // (right after restoring a snapshot without the list, before the tick that applies its rule,
      // the set is not known yet: left out, so a restore of this one applies the same rule)
      ...(this.casesToRebuild && !this.keepDirty ? {} : { askAgain: [...this.orderDirty].sort(), ...(this.waiting.size > 0 ? { askAt: Object.fromEntries([...this.waiting].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([c, d]) => [c, formatDay(d)])) } : {}) }),
    };
    return JSON.parse(JSON.stringify(snap)) as EngineSnapshot;
  }

  restore(snapshot: EngineSnapshot): void {
    const s = snapshot as Partial<EngineSnapshot> | null;
    if (typeof s !== "object" || s === null || s.format !== SNAPSHOT_FORMAT) {
      throw new OrderpulseError("INVALID_OPTION", "restore: invalid option snapshot: not an engine snapshot", { option: "snapshot" });
    }
    if (s.version !== 1) throw new OrderpulseError("INVALID_OPTION", `restore: invalid option snapshot: unsupported version ${String(s.version)} (this build reads 1)`, { option: "snapshot", value: s.version });
    if (!Array.isArray(s.signals) || !Array.isArray(s.feedback) || typeof s.cooldowns !== "object" || s.cooldowns === null) {
      throw new OrderpulseError("INVALID_OPTION", "restore: invalid option snapshot: missing signals, feedback or cooldowns", { option: "snapshot" });
    }
    let copy: EngineSnapshot;
    try {
      copy = JSON.parse(JSON.stringify(s)) as EngineSnapshot;
    } catch (e) {
      // a BigInt or a cycle: no snapshot (snapshot() writes plain JSON)
      throw new OrderpulseError("INVALID_OPTION", "restore: invalid option snapshot: not plain JSON", { option: "snapshot" }, e);
    }
    // everything read and checked into locals first, assigned at the end: a bad entry leaves the
    // engine as it was (a bad second signal left it with the first only; a null threw a TypeError)
    const bad = (why: string): never => {
      throw new OrderpulseError("INVALID_OPTION", `restore: invalid option snapshot: ${why}`, { option: "snapshot" });
    };
      const day = (x: unknown, what: string): number => (isDayText(x) ? parseDay(x, "snapshot") : bad(`${what} must be a YYYY-MM-DD day`));
    const optDay = (x: unknown, what: string): number | undefined => (x === undefined ? undefined : day(x, what));
    const tracked: Tracked[] = [];
    for (const p of copy.signals as unknown[]) {
      if (!isRecord(p) || typeof p["id"] !== "string") bad("a signal entry without an id");
      const e = p as Record<string, unknown>;
      const id = e["id"] as string;
      if (!["open", "snoozed", "acknowledged", "resolved"].includes(e["status"] as string)) bad(`${id}: unknown status`);
      const sig = e["signal"];
      if (!isRecord(sig) || sig["id"] !== id || typeof sig["type"] !== "string" || !isRecord(sig["evidence"])) bad(`${id}: not a signal of that id`);
      if (typeof e["alerted"] !== "boolean") bad(`${id}: alerted must be true or false`);
      // what ingest and forget read of a signal: its customer, and the day a purchase must follow
      // to end an overdue situation (a bad one threw inside a later ingest, half the batch stored)
      const sr = sig as Record<string, unknown>;
      if (sr["customerId"] !== undefined && typeof sr["customerId"] !== "string") bad(`${id}: customerId must be a string`);
      if (sr["type"] === "customer_overdue" && !isDayText((sr["evidence"] as Record<string, unknown>)["lastOrder"])) bad(`${id}: evidence.lastOrder must be a YYYY-MM-DD day`);
      // a chart kpi_drop of a snapshot from before its evidence named the test (2026-12-06): the
      // field in front, as the detector writes it, so its first detection is not "updated" for it
      const ev = sr["evidence"] as Record<string, unknown>;
      if (sr["type"] === "kpi_drop" && ev["basis"] === undefined) sr["evidence"] = { basis: "chart", ...ev };
      const t: Tracked = { id, status: e["status"] as SignalStatus, signal: sig as unknown as Signal, openedAt: day(e["openedAt"], `${id}: openedAt`), updatedAt: day(e["updatedAt"], `${id}: updatedAt`), alerted: e["alerted"] as boolean };
      const resolvedAt = optDay(e["resolvedAt"], `${id}: resolvedAt`), snoozedUntil = optDay(e["snoozedUntil"], `${id}: snoozedUntil`);
      if (resolvedAt !== undefined) t.resolvedAt = resolvedAt;
      if (e["resolution"] !== undefined) {
        if (e["resolution"] !== "ordered_again" && e["resolution"] !== "not_detected") bad(`${id}: unknown resolution`);
        t.resolution = e["resolution"] as SignalResolution;
      }
      if (snoozedUntil !== undefined) t.snoozedUntil = snoozedUntil;
      // (a snoozed situation without its day never came back)
      else if (t.status === "snoozed") bad(`${id}: a snoozed situation needs snoozedUntil`);
      if (e["held"] !== undefined) {
        if ((e["held"] !== "acknowledged" && e["held"] !== "snoozed") || t.status !== "resolved") bad(`${id}: held is acknowledged or snoozed, of a resolved situation`);
        if (e["held"] === "snoozed" && snoozedUntil === undefined) bad(`${id}: a held snooze needs snoozedUntil`);
        t.held = e["held"] as "acknowledged" | "snoozed";
      }
      tracked.push(t);
    }
    const cooldowns = new CooldownMap();
    for (const [k, v] of Object.entries(copy.cooldowns)) cooldowns.set(k, day(v, `cooldown ${k}`));
    for (const f of copy.feedback as unknown[]) {
      if (!isRecord(f) || typeof f["id"] !== "string" || typeof f["type"] !== "string" || (f["verdict"] !== "useful" && f["verdict"] !== "not_useful")) bad("a feedback entry without an id, a type or a verdict");
      day((f as Record<string, unknown>)["at"], "a feedback entry's at");
      const note = (f as Record<string, unknown>)["note"];
      if (note !== undefined && typeof note !== "string") bad("a feedback entry's note must be text");
    }
    const clock = optDay(copy.clock, "clock"), lastDetection = optDay(copy.lastDetection, "lastDetection");
    const askAgain = copy.askAgain as unknown;
    if (askAgain !== undefined && !(Array.isArray(askAgain) && askAgain.every((x) => typeof x === "string"))) bad("askAgain must be a list of customer ids");
    const askAt = copy.askAt as unknown;
    if (askAt !== undefined && !isRecord(askAt)) bad("askAt must be an object of customer ids and days");
    const waiting = new Map<string, number>();
    for (const [c, d] of Object.entries((askAt ?? {}) as Record<string, unknown>)) waiting.set(c, day(d, `askAt ${c}`));

    this.tracked = new Map();
    this.byCustomer = new Map();
    for (const t of tracked) this.track(t);
    this.cooldowns = cooldowns;
    // a snapshot from before feedback named its customer: named from its tracked situation, so
    // forget still finds it after the situation is forgotten
    const customerOf = new Map(tracked.map((t) => [t.id, t.signal.customerId]));
    this.feedbacks = copy.feedback.map((f) => {
      const customerId = f.customerId === undefined ? customerOf.get(f.id) : undefined;
      return customerId === undefined ? f : feedbackRecord(f, customerId);
    });
    this.clock = clock;
    this.lastDetection = lastDetection;
    // (the parts are collected again when the cases are rebuilt, at the first tick that needs them)
    this.partDue = undefined;
    this.pendingParts = [];
    // lines changed since the last detection (a snapshot without the field: none)
    this.changedSinceDetection = copy.pendingChanges === true;
    // the cases are derived state: rebuilt from the history as of the last detection; the
    // customers still to be asked are the snapshot's (an older snapshot without them: every
    // customer with a purchase after the detection)
    this.setCases(undefined, 0);
    this.casesToRebuild = this.lastDetection !== undefined;
    // (set either way: a pending edit before the restore must not keep the old set)
    this.keepDirty = askAgain !== undefined;
    if (this.keepDirty) {
      this.orderDirty = new Set(askAgain as string[]);
      this.waiting = waiting;
    }
  }

  stats(): EngineStats {
    return { lines: this.store.size, customers: this.store.customers, ...this.counters };
  }

  /** The sinks flush(), close() and forget() reach: the given list, or every sink the routing function has returned. */
  private sinkList(): readonly SignalSink[] {
    const s = this.o.sinks;
    return s === undefined ? [] : typeof s === "function" ? [...this.routed] : s;
  }

  async flush(): Promise<void> {
    await Promise.allSettled(this.sinkList().map(async (s) => s.flush?.()));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.sinkList().map(async (s) => s.close?.()));
  }
}

function publicOf(t: Tracked): TrackedSignal {
  return {
    id: t.id,
    status: t.status,
    signal: t.signal,
    openedAt: formatDay(t.openedAt),
    updatedAt: formatDay(t.updatedAt),
    ...(t.resolvedAt !== undefined ? { resolvedAt: formatDay(t.resolvedAt) } : {}),
    ...(t.resolution !== undefined ? { resolution: t.resolution } : {}),
    ...(t.snoozedUntil !== undefined ? { snoozedUntil: formatDay(t.snoozedUntil) } : {}),
    ...(t.held !== undefined ? { held: t.held } : {}),
    alerted: t.alerted,
  };
}

/** @internal Add n to an orders warning of a report (the table's and the total). */
function addWarning(report: IngestReport, key: string, n: number): void {
  const mutable = report as { warnings: Record<string, number>; tables: { orders?: { warnings: Record<string, number> } } };
  for (const w of [mutable.warnings, mutable.tables.orders?.warnings]) if (w !== undefined) w[key] = (w[key] ?? 0) + n;
}

/** @internal Take n off an orders warning of a report (the table's and the total), dropping it at 0. */
export function takeWarning(report: IngestReport, key: string, n: number): void {
  const mutable = report as { warnings: Record<string, number>; tables: { orders?: { warnings: Record<string, number> } } };
  for (const w of [mutable.warnings, mutable.tables.orders?.warnings]) {
    if (w === undefined || w[key] === undefined) continue;
    const left = w[key] - n;
    if (left > 0) w[key] = left;
    else delete w[key];
  }
}
