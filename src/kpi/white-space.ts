import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { extendKeys, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { KPI_KEYS, kpiContext } from "./internal/context.ts";
import type { KpiOptions } from "./types.ts";

/** Options of {@link whiteSpace}. */
export interface WhiteSpaceOptions extends Omit<KpiOptions, "by"> {
  /** Compare reps (default; `repBasis` decides owner or seller), segments or regions (e.g. countries, for data without reps or segments). */
  by?: "rep" | "segment" | "region" | undefined;
  /** Compare products (default) or product families. */
  level?: "product" | "family" | undefined;
  /** A gap is flagged only when at least this share of the peers' customers buy the item (0..1, default 0.2). */
  minPeerShare?: number | undefined;
  /** A gap is flagged when the own share is at most this fraction of the peers' share (0..1, default 0.5). */
  maxRatio?: number | undefined;
}

const KEYS: OptionKeys<WhiteSpaceOptions> = /* @__PURE__ */ extendKeys<WhiteSpaceOptions, KpiOptions>(KPI_KEYS, { level: true, minPeerShare: true, maxRatio: true });

/** One group (rep, segment or region) and one item (product or family) that someone bought in the window. */
export interface WhiteSpaceRow {
  /** Rep id, segment or region name; `null` for customers without one. */
  readonly key: string | null;
  /** Product id or family name. */
  readonly item: string;
  /** The group's customers: distinct customers with a purchase (positive line) in the window. */
  readonly customers: number;
  /** Of those, how many bought the item. */
  readonly buyers: number;
  /** buyers ÷ customers. */
  readonly share: number;
  /** Customers of all other groups (customer-group memberships; distinct customers under owner basis or by segment). */
  readonly peerCustomers: number;
  /** Of those, how many bought the item. */
  readonly peerBuyers: number;
  /** peerBuyers ÷ peerCustomers; `undefined` when there are no peers. */
  readonly peerShare: number | undefined;
  /** peerShare − share (positive: the group sells it to fewer of its customers than its peers do). */
  readonly gap: number | undefined;
  /** share ÷ peerShare; `undefined` when peerShare is 0 or undefined. */
  readonly ratio: number | undefined;
  /** Customers who would buy it at the peers' rate minus those who do: gap × customers. */
  readonly opportunity: number | undefined;
  /** peerShare ≥ minPeerShare, share < peerShare and share ≤ maxRatio × peerShare. */
  readonly flagged: boolean;
}

/** The white-space analysis of one window. */
export interface WhiteSpaceResult {
  /** The grouping compared. */
  readonly by: "rep" | "segment" | "region";
  /** The item level compared. */
  readonly level: "product" | "family";
  /** First day of the window, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last visible day of the window (asOf), `YYYY-MM-DD`. */
  readonly end: string;
  /** The flagging thresholds used. */
  readonly minPeerShare: number;
  /** The flagging thresholds used. */
  readonly maxRatio: number;
  /** Every group with customers × every item bought by someone in the window (group order, then item order). */
  readonly rows: WhiteSpaceRow[];
  /** Catalogue products (in products.csv, `active` not 0) nobody bought in the window, by id. */
  readonly unsoldProducts: string[];
  /** Families with catalogue products of which no product at all was bought in the window. */
  readonly unsoldFamilies: string[];
}

function invalid(option: string, message: string): OrderpulseError {
  return new OrderpulseError("INVALID_OPTION", `whiteSpace: invalid option ${option}: ${message}`, { option });
}

function fraction(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw invalid(option, "expected a number in 0..1");
  return value;
}

/**
 * White space: products (or families) that a rep (or segment, or region) sells to a much smaller
 * share of its customers than its peers (all other groups) sell to theirs, plus the catalogue
 * items nobody bought. The window is the `periods` periods (default 1) of `period` (default
 * `quarter`) ending with the one holding `asOf`. A customer of a group is one with a purchase
 * (positive line) in the window; a buyer of an item is one with a positive line of it (returns
 * never make a buyer). Under `repBasis: "seller"` a customer belongs to every rep that sold it
 * something, and peers count customer-rep memberships. At `level: "family"` products without a
 * family are left out of the items. A row is flagged when peerShare ≥ `minPeerShare` (peers
 * commonly buy it), share < peerShare and share ≤ `maxRatio` × peerShare.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `quarter`), periods (default 1), by (`rep` | `segment` | `region`), level, minPeerShare, maxRatio, repBasis, ...
 * @returns the rows, the unsold catalogue products and families, and the window
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option (e.g. `by: "channel"`, `maxRatio: 2`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRowsSync, whiteSpace } from "orderpulse";
 * const o = (id: string, c: string, p: string) => ({ order_id: id, order_date: "2026-01-05", customer_id: c, product_id: p, quantity: 1, unit_price: 2 });
 * const { dataset } = fromRowsSync({
 *   orders: [o("1", "A", "P"), o("1", "A", "Q"), o("2", "B", "P"), o("2", "B", "Q"), o("3", "C", "P")],
 *   customers: [{ customer_id: "A", rep_id: "R1" }, { customer_id: "B", rep_id: "R1" }, { customer_id: "C", rep_id: "R2" }],
 *   products: [{ product_id: "P" }, { product_id: "Q" }, { product_id: "Z" }],
 * });
 * const ws = whiteSpace(dataset, { asOf: "2026-01-31" });
 * const gap = ws.rows.find((r) => r.flagged);
 * assert.deepEqual([gap?.key, gap?.item, gap?.share, gap?.peerShare], ["R2", "Q", 0, 1]);
 * assert.deepEqual(ws.unsoldProducts, ["Z"]);
 * ```
 */
export function whiteSpace(dataset: Dataset, options?: WhiteSpaceOptions): WhiteSpaceResult {
  // (an options object, and null values refused, not read as the defaults)
  const o = optionsObject(options, "whiteSpace", KEYS) as WhiteSpaceOptions;
  const by = o.by === undefined ? "rep" : o.by;
  if (by !== "rep" && by !== "segment" && by !== "region") throw invalid("by", `expected "rep", "segment" or "region", got ${String(by)}`);
  const level = o.level === undefined ? "product" : o.level;
  if (level !== "product" && level !== "family") throw invalid("level", `expected "product" or "family", got ${String(level)}`);
  const minPeerShare = fraction(o.minPeerShare, "minPeerShare", 0.2);
  const maxRatio = fraction(o.maxRatio, "maxRatio", 0.5);
  const ctx = kpiContext(dataset, { ...o, by, periods: o.periods === undefined ? 1 : o.periods }, "quarter", "whiteSpace", KEYS);
  const { view, groups, slotOfDay, dayOffset, slots, asOf } = ctx;
  const { lines, customerStart, customerEnd, products, ids } = view;
  const nG = groups.labels.length;
  const nI = level === "product" ? ids.products.size : ids.families.size;
  const customers = new Float64Array(nG);
  const custStamp = new Int32Array(nG).fill(-1);
  const buyers = new Float64Array(nG * nI);
  const buyStamp = new Int32Array(nG * nI).fill(-1);
  const totalBuyers = new Float64Array(nI);
  const productSold = new Uint8Array(ids.products.size);
  for (let c = 0; c < customerEnd.length; c++) {
    const gc = groups.ofCustomer ? groups.ofCustomer[c]! : -1;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (lines.quantity[i]! <= 0) continue;
      const d = lines.day[i]! - dayOffset;
      if (d < 0 || slotOfDay[d]! < 0) continue;
      const g = gc >= 0 ? gc : groups.ofLine![i]!;
      if (custStamp[g] !== c) {
        custStamp[g] = c;
        customers[g]!++;
      }
      const p = lines.product[i]!;
      productSold[p] = 1;
      const item = level === "product" ? p : products.family[p]!;
      if (item < 0) continue;
      const cell = g * nI + item;
      if (buyStamp[cell] !== c) {
        buyStamp[cell] = c;
        buyers[cell]!++;
        totalBuyers[item]!++;
      }
    }
  }
  let totalCustomers = 0;
  for (let g = 0; g < nG; g++) totalCustomers += customers[g]!;
  const itemLabels = level === "product" ? ids.products.values : ids.families.values;
  const rows: WhiteSpaceRow[] = [];
  for (let g = 0; g < nG; g++) {
    const own = customers[g]!;
    if (own === 0) continue;
    const peers = totalCustomers - own;
    for (let item = 0; item < nI; item++) {
      const all = totalBuyers[item]!;
      if (all === 0) continue;
      const b = buyers[g * nI + item]!;
      const share = b / own;
      const peerBuyers = all - b;
      const peerShare = peers > 0 ? peerBuyers / peers : undefined;
      const gap = peerShare === undefined ? undefined : peerShare - share;
      rows.push({
        key: groups.labels[g] ?? null,
        item: itemLabels[item]!,
        customers: own,
        buyers: b,
        share,
        peerCustomers: peers,
        peerBuyers,
        peerShare,
        gap,
        ratio: peerShare !== undefined && peerShare > 0 ? share / peerShare : undefined,
        opportunity: gap === undefined ? undefined : gap * own,
        // (the boundary within rounding: 1/10 against 0.3 × 1/3, 0.09999999999999999, was not flagged)
        flagged: peerShare !== undefined && peerShare >= minPeerShare && share < peerShare && share <= maxRatio * peerShare * (1 + 1e-12),
      });
    }
  }
  const unsoldProducts: string[] = [];
  const familyCatalogue = new Uint8Array(ids.families.size);
  const familySold = new Uint8Array(ids.families.size);
  for (let p = 0; p < ids.products.size; p++) {
    const f = products.family[p]!;
    if (productSold[p] && f >= 0) familySold[f] = 1;
    if (!products.known[p] || products.active[p] === 0) continue;
    if (f >= 0) familyCatalogue[f] = 1;
    if (!productSold[p]) unsoldProducts.push(ids.products.values[p]!);
  }
  const unsoldFamilies: string[] = [];
  for (let f = 0; f < ids.families.size; f++) if (familyCatalogue[f] && !familySold[f]) unsoldFamilies.push(ids.families.values[f]!);
  return { by, level, start: formatDay(slots[0]!.start), end: formatDay(asOf), minPeerShare, maxRatio, rows, unsoldProducts, unsoldFamilies };
}
