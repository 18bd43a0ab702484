import type { Dataset } from "../../data/dataset.ts";
import { DEAL_STAGES } from "../../data/deal-stages.ts";
import { formatDay } from "../../data/format-day.ts";
import type { ContentRow, CustomerRow, DealEventRow, ProductRow, RepRow, TargetRow } from "../../data/rows.ts";

/** @internal One order line as the engine keeps it: ids as text, the day as an epoch day, money as parsed. */
export interface StoredLine {
  /** Line key: `o\u0000order\u0000line_id`, or `r\u0000` + the whole row without a line_id. */
  readonly key: string;
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

/** @internal The key of a line: (order_id, line_id), else the whole row (identical rows are one line). */
export function lineKey(order: string, lineId: string | undefined, day: number, customer: string, product: string, qty: number, price: number, cost: number, list: number, rep: string | undefined, channel: string | undefined): string {
  if (lineId !== undefined) return `o\u0000${order}\u0000${lineId}`;
  return `r\u0000${order}\u0000${day}\u0000${customer}\u0000${product}\u0000${qty}\u0000${price}\u0000${cost}\u0000${list}\u0000${rep ?? ""}\u0000${channel ?? ""}`;
}

/**
 * @internal Mutable store of order lines keyed by line key, indexed by customer and by order,
 * with reference counts of the other ids (so a rebuild knows whether a dictionary value vanished)
 * and the customers changed since `clean()`.
 */
export class LineStore {
  readonly byKey: Map<string, StoredLine> = new Map();
  readonly byCustomer: Map<string, Set<string>> = new Map();
  readonly byOrder: Map<string, Set<string>> = new Map();
  readonly productRefs: Map<string, number> = new Map();
  readonly repRefs: Map<string, number> = new Map();
  readonly channelRefs: Map<string, number> = new Map();
  readonly lineIdRefs: Map<string, number> = new Map();
  /** Customers whose lines changed since the last `clean()`. */
  readonly dirty: Set<string> = new Set();

  clean(): void {
    this.dirty.clear();
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Insert or replace; returns the line it replaced, if any. */
  put(line: StoredLine): StoredLine | undefined {
    const old = this.byKey.get(line.key);
    if (old !== undefined) this.unindex(old);
    this.byKey.set(line.key, line);
    let c = this.byCustomer.get(line.customer);
    if (c === undefined) this.byCustomer.set(line.customer, (c = new Set()));
    c.add(line.key);
    let o = this.byOrder.get(line.order);
    if (o === undefined) this.byOrder.set(line.order, (o = new Set()));
    o.add(line.key);
    ref(this.productRefs, line.product, 1);
    if (line.rep !== undefined) ref(this.repRefs, line.rep, 1);
    if (line.channel !== undefined) ref(this.channelRefs, line.channel, 1);
    if (line.lineId !== undefined) ref(this.lineIdRefs, line.lineId, 1);
    this.dirty.add(line.customer);
    return old;
  }

  /** Delete by key; returns the line removed, if any. */
  delete(key: string): StoredLine | undefined {
    const old = this.byKey.get(key);
    if (old === undefined) return undefined;
    this.byKey.delete(key);
    this.unindex(old);
    return old;
  }

  private unindex(line: StoredLine): void {
    this.dirty.add(line.customer);
    ref(this.productRefs, line.product, -1);
    if (line.rep !== undefined) ref(this.repRefs, line.rep, -1);
    if (line.channel !== undefined) ref(this.channelRefs, line.channel, -1);
    if (line.lineId !== undefined) ref(this.lineIdRefs, line.lineId, -1);
    const c = this.byCustomer.get(line.customer);
    if (c !== undefined) {
      c.delete(line.key);
      if (c.size === 0) this.byCustomer.delete(line.customer);
    }
    const o = this.byOrder.get(line.order);
    if (o !== undefined) {
      o.delete(line.key);
      if (o.size === 0) this.byOrder.delete(line.order);
    }
  }

  /** The lines of one customer (unordered). */
  customerLines(customer: string): StoredLine[] {
    const keys = this.byCustomer.get(customer);
    if (keys === undefined) return [];
    return Array.from(keys, (k) => this.byKey.get(k)!);
  }
}

function ref(map: Map<string, number>, key: string, d: number): void {
  const n = (map.get(key) ?? 0) + d;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

/** @internal The order lines of a dataset (all of them, not only a view's visible ones) as stored lines. */
export function linesOfDataset(dataset: Dataset, store: LineStore): void {
  const { lines, ids } = dataset;
  const cust = ids.customers.values, prod = ids.products.values, ord = ids.orders.values, reps = ids.reps.values, chans = ids.channels.values, lids = ids.lineIds.values;
  for (let i = 0; i < lines.length; i++) {
    const order = ord[lines.order[i]!]!;
    const lid = lines.lineId[i]!;
    const lineId = lid >= 0 ? lids[lid] : undefined;
    const day = lines.day[i]!;
    const customer = cust[lines.customer[i]!]!;
    const product = prod[lines.product[i]!]!;
    const qty = lines.quantity[i]!, price = lines.unitPrice[i]!, cost = lines.unitCost[i]!, list = lines.listPrice[i]!;
    const r = lines.rep[i]!, ch = lines.channel[i]!;
    const rep = r >= 0 ? reps[r] : undefined;
    const channel = ch >= 0 ? chans[ch] : undefined;
    const key = lineKey(order, lineId, day, customer, product, qty, price, cost, list, rep, channel);
    store.put({ key, order, lineId, day, customer, product, qty, price, cost, list, rep, channel });
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
