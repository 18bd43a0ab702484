import type {
  ContentItem,
  CustomerTable,
  Dataset,
  DealEvents,
  Dictionary,
  OrderLines,
  ProductTable,
  RepTable,
  Target,
} from "../dataset.ts";
import { inOptionRange } from "./day-range.ts";
import { DEAL_STAGES } from "../deal-stages.ts";
import { OrderpulseError } from "../errors.ts";
import type { IngestReport, RejectedRow, TableName, TableReport } from "../ingest-report.ts";
import { DATA_CONTRACT } from "../contract.ts";
import { createDictionary } from "./dictionary.ts";
import { parseNumber } from "./parse-number.ts";
import { compileDateParser, type DateParser } from "./parse-date.ts";
import type { ResolvedIngestOptions } from "./resolve-ingest-options.ts";


/** Reject an order row whose quantity × the amount in column `k` overflows a double. */
function overflow(v: ArrayLike<unknown>, column: string, k: number): never {
  throw new Reject(column, v[k], "invalid_number", `quantity × ${column} is beyond a double's range: ${inline(v[4])} × ${inline(v[k])}`);
}

/** A date written day-first or month-first (12/1/2010, 05.01.2026), with or without a time. */
const DAY_FIRST_OR_MONTH_FIRST = /^\s*\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/;
/** Field order of the value arrays passed to the `add*` methods (contract order). @internal */
export const FIELDS: Readonly<Record<TableName, readonly string[]>> = {
  orders: [...DATA_CONTRACT.orders.required, ...DATA_CONTRACT.orders.optional],
  customers: [...DATA_CONTRACT.customers.required, ...DATA_CONTRACT.customers.optional],
  products: [...DATA_CONTRACT.products.required, ...DATA_CONTRACT.products.optional],
  reps: [...DATA_CONTRACT.reps.required, ...DATA_CONTRACT.reps.optional],
  dealEvents: [...DATA_CONTRACT.dealEvents.required, ...DATA_CONTRACT.dealEvents.optional],
  targets: [...DATA_CONTRACT.targets.required, ...DATA_CONTRACT.targets.optional],
  content: [...DATA_CONTRACT.content.required, ...DATA_CONTRACT.content.optional],
};

const PERIOD = /^\d{4}(-(Q[1-4]|0[1-9]|1[0-2]|W(0[1-9]|[1-4]\d|5[0-3])))?$/;
const STAGE_INDEX = new Map<string, number>(DEAL_STAGES.map((s, i) => [s, i]));

/**
 * Provisional string -> id interning in first-seen order; finalised into sorted ids.
 * Two fast paths in front of the Map: the previous value (lines of one order arrive together,
 * so order, customer, rep, channel and currency usually repeat), and short canonical decimal
 * integers ("17", "536365": line numbers and many ERP ids) looked up in a typed array.
 */
class Interner {
  readonly map: Map<string, number> = new Map();
  readonly values: string[] = [];
  private lastS = "";
  private lastId = -1;
  private byInt: Int32Array = new Int32Array(0);
  /** values[0, mapped) are in the Map; {@link addNew} appends without it (synced on the next lookup). */
  private mapped = 0;
  id(s: string): number {
    if (s === this.lastS && this.lastId >= 0) return this.lastId;
    if (this.mapped !== this.values.length) this.sync();
    let id: number | undefined;
    const n = smallInt(s);
    if (n >= 0) {
      if (n < this.byInt.length) {
        id = this.byInt[n]!;
        if (id < 0) id = this.byInt[n] = this.add(s);
      } else {
        id = this.map.get(s);
        if (id === undefined) {
          id = this.add(s);
          if (n < 1 << 20) {
            const grown = new Int32Array(Math.max(1024, 1 << Math.ceil(Math.log2(n + 1)))).fill(-1);
            grown.set(this.byInt);
            this.byInt = grown;
            grown[n] = id;
          }
        }
      }
    } else {
      id = this.map.get(s);
      if (id === undefined) id = this.add(s);
    }
    this.lastS = s;
    this.lastId = id;
    return id;
  }
  /** Number of distinct values so far. */
  get size(): number {
    return this.values.length;
  }
  /** Intern a value the caller knows is not interned yet (skips the lookup). */
  addNew(s: string): number {
    if (smallInt(s) >= 0) return this.id(s);
    this.lastS = s;
    this.lastId = this.values.length;
    this.values.push(s); // the Map catches up only if a lookup or an unsorted finish needs it
    return this.lastId;
  }
  private sync(): void {
    for (let i = this.mapped; i < this.values.length; i++) this.map.set(this.values[i]!, i);
    this.mapped = this.values.length;
  }
  private add(s: string): number {
    const id = this.values.length;
    this.map.set(s, id);
    this.values.push(s);
    this.mapped = this.values.length;
    return id;
  }
  /** Sorted dictionary and the provisional -> final id remap. */
  finish(): { dict: Dictionary; remap: Int32Array } {
    const n = this.values.length;
    const v = this.values;
    // ids that arrive (nearly) in sorted order, as order numbers usually do: an index sort
    // (TimSort runs make it close to linear) gives the remap without building the Map
    let descents = 0;
    for (let i = 1; i < n; i++) if (v[i]! < v[i - 1]!) descents++;
    if (descents * 8 <= n) {
      const remap = new Int32Array(n);
      if (descents === 0) {
        for (let i = 0; i < n; i++) remap[i] = i;
        return { dict: createDictionary(v.slice()), remap };
      }
      const order: number[] = new Array<number>(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : 0));
      const sorted: string[] = new Array<string>(n);
      for (let k = 0; k < n; k++) {
        sorted[k] = v[order[k]!]!;
        remap[order[k]!] = k;
      }
      return { dict: createDictionary(sorted), remap };
    }
    this.sync();
    const sorted = this.values.slice().sort(); // UTF-16 code unit order, native
    const remap = new Int32Array(n);
    for (let i = 0; i < n; i++) remap[this.map.get(sorted[i]!)!] = i;
    return { dict: createDictionary(sorted), remap };
  }
}

/** Value of a canonical non-negative decimal integer string of 1..7 digits, else -1. */
function smallInt(s: string): number {
  const len = s.length;
  if (len === 0 || len > 7) return -1;
  let c = s.charCodeAt(0) - 48;
  if (c < 0 || c > 9 || (c === 0 && len > 1)) return -1;
  let v = c;
  for (let i = 1; i < len; i++) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

interface TableCounts {
  file: string | undefined;
  /** Rows made from another table (a preset's master data from the orders file), not read: out of the totals. */
  derived?: true;
  rowsRead: number;
  accepted: number;
  rejected: number;
  excluded: number;
  replaced: number;
  byReason: Record<string, number>;
  rejectedByReason: Record<string, number>;
  warnings: Record<string, number>;
}

interface CustomerRec { name: string | undefined; segment: number; region: number; rep: number; channel: number; parent: number }
interface ProductRec { name: string | undefined; family: number; listPrice: number; unitCost: number; active: number }
interface RepRec { name: string | undefined; manager: number; email: string | undefined }

/**
 * Text of an id-like value as ingestion reads it (trimmed; finite numbers and bigints as
 * written), or undefined when missing/blank. The engine keys lines and master rows with it too.
 * @internal
 */
export function idText(v: unknown): string | undefined {
  if (typeof v === "string") {
    const t = v.trim();
    return t === "" ? undefined : t;
  }
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "bigint") return String(v);
  return undefined;
}

/** Missing: undefined, null, blank text, or a JS NaN (fromRows: the host's "no value"; the text "NaN" is invalid). */
function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (typeof v === "number" && v !== v);
}

function show(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const s = v instanceof Date ? (Number.isFinite(v.getTime()) ? v.toISOString() : "Invalid Date") : String(v);
  // (not inside a surrogate pair: half an emoji is no well-formed text, and strict JSON readers refuse it)
  if (s.length <= 200) return s;
  const cut = s.charCodeAt(199) >= 0xd800 && s.charCodeAt(199) <= 0xdbff ? 199 : 200;
  return `${s.slice(0, cut)}…`;
}

/** {@link show} for a one-line message: line breaks and tabs written as \n, \r, \t (a value holding one broke the CLI's report lines). */
function inline(v: unknown): string | undefined {
  return show(v)?.replace(/[\n\r\t\v\f\u0085\u2028\u2029]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : " "));
}

/** Signals a rejected row inside the add* methods. */
class Reject {
  readonly column: string | undefined;
  readonly value: unknown;
  readonly reason: string;
  readonly message: string;
  constructor(column: string | undefined, value: unknown, reason: string, message: string) {
    this.column = column;
    this.value = value;
    this.reason = reason;
    this.message = message;
  }
}

/**
 * Accumulates rows of every table (validated by hand-written parsers, no zod per row) and
 * produces the immutable columnar {@link Dataset} plus the {@link IngestReport}.
 * Shared by `fromRows`, the CSV reader and the engine so every path gives the same result.
 * @internal
 */
export class DatasetBuilder {
  private readonly o: ResolvedIngestOptions;
  private readonly counts = new Map<TableName, TableCounts>();
  private readonly rejectedRows: RejectedRow[] = [];

  private readonly customersI = new Interner();
  private readonly productsI = new Interner();
  private readonly ordersI = new Interner();
  private readonly repsI = new Interner();
  private readonly channelsI = new Interner();
  private readonly segmentsI = new Interner();
  private readonly regionsI = new Interner();
  private readonly familiesI = new Interner();
  private readonly lineIdsI = new Interner();
  private readonly dealsI = new Interner();
  private readonly currencies = new Interner();

  // order line columns (provisional ids), grown by doubling
  private n = 0;
  private cap = 0;
  /** Quantity, unit price, unit cost, list price of the line {@link pushOrder} appends next. */
  readonly lineNumbers: Float64Array = new Float64Array(4);
  private cust = new Uint32Array(0);
  private day = new Int32Array(0);
  private ord = new Uint32Array(0);
  private prod = new Uint32Array(0);
  private qty = new Float64Array(0);
  private price = new Float64Array(0);
  private cost = new Float64Array(0);
  private list = new Float64Array(0);
  private rep = new Int32Array(0);
  private chan = new Int32Array(0);
  private lid = new Int32Array(0);
  private cur = new Int32Array(0);
  private dead = new Uint8Array(0);
  private deadCount = 0;

  private readonly customerRecs = new Map<number, CustomerRec>();
  private readonly productRecs = new Map<number, ProductRec>();
  private readonly repRecs = new Map<number, RepRec>();
  private readonly dealRecs = new Map<string, { deal: number; customer: number; stage: number; day: number; rep: number; amount: number }>();
  private readonly targetRecs = new Map<string, { rep: number; period: string; kpi: string; target: number }>();
  private readonly contentRecs = new Map<string, { contentId: string; title: string; url: string; product: string | undefined; family: string | undefined; segment: string | undefined; kind: string | undefined }>();

  constructor(options: ResolvedIngestOptions) {
    this.o = options;
  }

  /**
   * Start (or continue) a table; `file` is used in rejected-row reports. `derived`: its rows are
   * made from another table (online-retail's products from Description, customers from Country),
   * reported per table but left out of the report's totals, which count the rows of the files (an
   * 18-row file read "rows read 31 = accepted 23 + excluded 8"; a review).
   */
  table(table: TableName, file?: string, derived = false): void {
    const c = this.counts.get(table);
    if (c) {
      if (file !== undefined) c.file = file;
      return;
    }
    this.counts.set(table, { file, rowsRead: 0, accepted: 0, rejected: 0, excluded: 0, replaced: 0, byReason: {}, rejectedByReason: {}, warnings: {}, ...(derived ? { derived: true as const } : {}) });
  }

  private c(table: TableName): TableCounts {
    let c = this.counts.get(table);
    if (!c) {
      this.table(table);
      c = this.counts.get(table)!;
    }
    return c;
  }

  /**
   * The file being read is separated by ';' (set by the CSV reader per file): without
   * `decimalComma`, a number written with a comma there is refused, not read as thousands grouping.
   * Such files come from locales whose decimal mark is the comma: `1,500` read as 1500 and `3,250`
   * as 3250 (a line worth ×1000) while `12,50` was rejected, without a hint (a review).
   */
  semicolonFile = false;

  /** Add `n` to a table's warning counter. */
  warn(table: TableName, key: string, n = 1): void {
    const c = this.c(table);
    c.warnings[key] = (c.warnings[key] ?? 0) + n;
  }

  /** Count a row that a rule (preset) deliberately leaves out. */
  exclude(table: TableName, reason: string): void {
    const c = this.c(table);
    c.rowsRead++;
    c.excluded++;
    c.byReason[reason] = (c.byReason[reason] ?? 0) + 1;
  }

  /** Count and record a row refused before reaching the add* methods (e.g. not an object). */
  rejectRow(table: TableName, line: number, column: string | undefined, value: unknown, reason: string, message: string): void {
    const c = this.c(table);
    c.rowsRead++;
    this.recordReject(table, c, line, new Reject(column, value, reason, message));
  }

  private recordReject(table: TableName, c: TableCounts, line: number, r: Reject): void {
    c.rejected++;
    c.byReason[r.reason] = (c.byReason[r.reason] ?? 0) + 1;
    c.rejectedByReason[r.reason] = (c.rejectedByReason[r.reason] ?? 0) + 1;
    const row: RejectedRow = {
      table,
      file: c.file,
      line,
      column: r.column,
      value: show(r.value),
      reason: r.reason,
      message: r.message,
    };
    if (this.o.strict) {
      const where = `${c.file ?? table}${line > 0 ? `:${line}` : ""}`;
      throw new OrderpulseError("INVALID_ROW", `${where}: ${r.message}`, { ...row });
    }
    if (this.rejectedRows.length < this.o.maxRejectedRows) this.rejectedRows.push(row);
  }

  /** Run one row through `fn`, counting acceptance or rejection. */
  private run(table: TableName, line: number, fn: () => void): void {
    const c = this.c(table);
    c.rowsRead++;
    try {
      fn();
      c.accepted++;
    } catch (e) {
      if (e instanceof Reject) this.recordReject(table, c, line, e);
      else throw e;
    }
  }

  private reqId(v: unknown, column: string): string {
    const t = idText(v);
    if (t === undefined) {
      if (!isMissing(v) && typeof v !== "string") throw new Reject(column, v, "invalid_value", `${column} must be text or a finite number`);
      throw new Reject(column, v, "missing_value", `${column} is required`);
    }
    return t;
  }

  private optId(v: unknown): string | undefined {
    return idText(v);
  }

  // parse first, classify the failure (missing vs invalid) only on the slow path
  private reqNumber(v: unknown, column: string): number {
    const x = parseNumber(v, this.o.decimalComma);
    if (x === x && !this.commaInSemicolonFile(v)) return x;
    if (isMissing(v)) throw new Reject(column, v, "missing_value", `${column} is required`);
    throw new Reject(column, v, "invalid_number", `${column} is not a number: ${inline(v)}${this.commaHint(v)}`);
  }

  private optNumber(v: unknown, column: string): number {
    if (v === undefined || v === "") return Number.NaN;
    const x = parseNumber(v, this.o.decimalComma);
    if ((x === x && !this.commaInSemicolonFile(v)) || isMissing(v)) return x;
    throw new Reject(column, v, "invalid_number", `${column} is not a number: ${inline(v)}${this.commaHint(v)}`);
  }

  /** A number written with a comma in a ';'-separated file read without decimalComma ({@link semicolonFile}). */
  private commaInSemicolonFile(v: unknown): boolean {
    return this.semicolonFile && !this.o.decimalComma && typeof v === "string" && v.includes(",");
  }

  /** The hint of a number with a decimal comma read without decimalComma (the option that reads it). */
  private commaHint(v: unknown): string {
    return !this.o.decimalComma && typeof v === "string" && /^\s*[-+]?\d[\d.]*,\d+\s*$/.test(v) ? " (a decimal comma? decimalComma reads it; --decimal-comma in the CLI)" : "";
  }

  /** Parsers of the two day orders, for the hint of a date the format did not read (made at the first such date). */
  private dayOrders: DateParser[] | undefined;

  /** Whether `dmy` or `mdy` reads `v` as a date. */
  private dayOrderReads(v: string): boolean {
    this.dayOrders ??= [compileDateParser("dmy", this.o.timeZone), compileDateParser("mdy", this.o.timeZone)];
    return this.dayOrders.some((parse) => {
      const d = parse(v);
      return d === d;
    });
  }

  private reqDate(v: unknown, column: string): number {
    const d = this.o.parseDate(v);
    // (a day outside 0000-9999, from a Date or a number in a row, is no date a dataset holds: the
    // options read none, so an analysis of such data could not be asked for its own last day)
    if (d === d && inOptionRange(d)) return d;
    if (isMissing(v)) throw new Reject(column, v, "missing_value", `${column} is required`);
    // a d/m/y or m/d/y date the format did not read: say which option reads it (only when one
    // does: 13/45/2010 or 31/02/2011 is a date in neither order; a review)
    const hint = typeof v === "string" && DAY_FIRST_OR_MONTH_FIRST.test(v) && this.dayOrderReads(v) ? " (day-first or month-first? dateFormat dmy or mdy reads it; --date-format in the CLI)" : "";
    throw new Reject(column, v, "invalid_date", `${column} is not a valid date: ${inline(v)}${hint}`);
  }

  /** Pre-size the order-line columns (e.g. from a file size estimate) to avoid regrowth. */
  reserve(lines: number): void {
    if (lines > this.cap) this.grow(lines);
  }

  private grow(min = 0): void {
    const cap = Math.max(1024, this.cap * 2, min);
    const g = <T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.cust = g(this.cust, (k) => new Uint32Array(k));
    this.day = g(this.day, (k) => new Int32Array(k));
    this.ord = g(this.ord, (k) => new Uint32Array(k));
    this.prod = g(this.prod, (k) => new Uint32Array(k));
    this.qty = g(this.qty, (k) => new Float64Array(k));
    this.price = g(this.price, (k) => new Float64Array(k));
    this.cost = g(this.cost, (k) => new Float64Array(k));
    this.list = g(this.list, (k) => new Float64Array(k));
    this.rep = g(this.rep, (k) => new Int32Array(k));
    this.chan = g(this.chan, (k) => new Int32Array(k));
    this.lid = g(this.lid, (k) => new Int32Array(k));
    this.cur = g(this.cur, (k) => new Int32Array(k));
    this.dead = g(this.dead, (k) => new Uint8Array(k));
    this.cap = cap;
  }

  /**
   * Add one order line; `v` holds values in {@link FIELDS}.orders order:
   * order_id, order_date, customer_id, product_id, quantity, unit_price, line_id, unit_cost,
   * list_price, rep_id, channel, currency.
   * @returns whether the row was accepted (false: rejected and recorded in the report)
   */
  addOrder(v: ArrayLike<unknown>, line: number): boolean {
    const c = (this.ordersCounts ??= this.c("orders"));
    c.rowsRead++;
    try {
      this.orderRow(v);
      c.accepted++;
      return true;
    } catch (e) {
      if (e instanceof Reject) this.recordReject("orders", c, line, e);
      else throw e;
      return false;
    }
  }

  private ordersCounts: TableCounts | undefined;

  /** The resolved ingest options (the byte-level CSV reader reads `parseDate`, `fx`, `decimalComma`). */
  get options(): ResolvedIngestOptions {
    return this.o;
  }

  /**
   * The interners of the order-line id columns, for the byte-level CSV reader, which caches
   * byte sequence -> provisional id in front of them (one string per distinct value).
   */
  orderInterners(): Readonly<Record<"orders" | "customers" | "products" | "lineIds" | "reps" | "channels" | "currencies", { id(s: string): number; addNew(s: string): number; readonly size: number }>> {
    return {
      orders: this.ordersI,
      customers: this.customersI,
      products: this.productsI,
      lineIds: this.lineIdsI,
      reps: this.repsI,
      channels: this.channelsI,
      currencies: this.currencies,
    };
  }

  /**
   * Append an order line whose values were already parsed and checked exactly as `orderRow`
   * does (ids are provisional ids from {@link orderInterners}; -1 / NaN for absent optional
   * values). Used by the byte-level CSV reader; any row it cannot prove valid goes through
   * {@link addOrder} instead, so both paths give the same dataset and report. Quantity, unit
   * price, unit cost and list price come in {@link lineNumbers}[0..3]: a double passed as an
   * argument to a call the compiler does not inline is boxed (a heap number each, about 80 bytes
   * of garbage a line over the four).
   */
  pushOrder(ord: number, day: number, cust: number, prod: number, lid: number, rep: number, chan: number, cur: number): void {
    const c = (this.ordersCounts ??= this.c("orders"));
    c.rowsRead++;
    c.accepted++;
    this.store(ord, day, cust, prod, lid, rep, chan, cur);
  }

  /** Append one line to the columns (provisional ids; the four numbers in {@link lineNumbers}). */
  private store(ord: number, day: number, cust: number, prod: number, lid: number, rep: number, chan: number, cur: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    const x = this.lineNumbers;
    this.cust[i] = cust;
    this.day[i] = day;
    this.ord[i] = ord;
    this.prod[i] = prod;
    // + 0 turns −0 ("-0" in a file) into 0: the duplicate rule compares them equal, so which one a
    // dataset kept would depend on the rows' order
    this.qty[i] = x[0]! + 0;
    this.price[i] = x[1]! + 0;
    this.cost[i] = x[2]! + 0;
    this.list[i] = x[3]! + 0;
    this.rep[i] = rep;
    this.chan[i] = chan;
    this.cur[i] = cur;
    this.lid[i] = lid;
  }

  private orderRow(v: ArrayLike<unknown>): void {
      const orderId = this.reqId(v[0], "order_id");
      const day = this.reqDate(v[1], "order_date");
      const customerId = this.reqId(v[2], "customer_id");
      const productId = this.reqId(v[3], "product_id");
      const qty = this.reqNumber(v[4], "quantity");
      if (qty === 0) throw new Reject("quantity", v[4], "zero_quantity", "quantity is 0: a line must buy or return something");
      let price = this.reqNumber(v[5], "unit_price");
      if (price <= 0) throw new Reject("unit_price", v[5], "non_positive_price", `unit_price must be > 0, got ${inline(v[5])}`);
      const lineId = this.optId(v[6]);
      let cost = this.optNumber(v[7], "unit_cost");
      if (cost < 0) throw new Reject("unit_cost", v[7], "negative_cost", `unit_cost must be >= 0, got ${inline(v[7])}`);
      let list = this.optNumber(v[8], "list_price");
      if (list <= 0) throw new Reject("list_price", v[8], "non_positive_price", `list_price must be > 0, got ${inline(v[8])}`);
      const repId = this.optId(v[9]);
      const channel = this.optId(v[10]);
      const currency = this.optId(v[11])?.toUpperCase();
      let cur = -1;
      if (this.o.fx) {
        const code = currency ?? this.o.currency!;
        const rate = this.o.fx.get(code);
        if (rate === undefined) throw new Reject("currency", v[11], "unknown_currency", `no fx rate for currency ${code}`);
        price *= rate;
        cost *= rate;
        list *= rate;
      } else if (currency !== undefined) cur = this.currencies.id(currency);
      // each number is finite, but a line's money must be too: 1e200 × 1e200 overflowed to
      // Infinity and every sum it entered read NaN (company revenue and gross profit; a review)
      if (!Number.isFinite(qty * price)) overflow(v, "unit_price", 5);
      if (!Number.isFinite(qty * cost) && cost === cost) overflow(v, "unit_cost", 7);
      if (!Number.isFinite(qty * list) && list === list) overflow(v, "list_price", 8);

      const x = this.lineNumbers;
      x[0] = qty;
      x[1] = price;
      x[2] = cost;
      x[3] = list;
      this.store(
        this.ordersI.id(orderId),
        day,
        this.customersI.id(customerId),
        this.productsI.id(productId),
        lineId === undefined ? -1 : this.lineIdsI.id(lineId),
        repId === undefined ? -1 : this.repsI.id(repId),
        channel === undefined ? -1 : this.channelsI.id(channel),
        cur,
      );
  }

  /**
   * Line keys: of the lines sharing (order_id, line_id), only the last one given survives.
   * Done once before finishing with a counting sort by order (no per-row hash map).
   */
  private dropReplacedLineKeys(): void {
    const n = this.n;
    const nO = this.ordersI.values.length;
    if (this.lineIdsI.values.length === 0 || n === 0) return;
    if (!this.mayRepeatLineKeys()) return;
    const start = new Uint32Array(nO + 1);
    for (let i = 0; i < n; i++) if (this.lid[i]! >= 0) start[this.ord[i]! + 1]!++;
    for (let o = 0; o < nO; o++) start[o + 1]! += start[o]!;
    const pos = start.slice(0, nO);
    const byOrder = new Uint32Array(start[nO]!);
    for (let i = 0; i < n; i++) if (this.lid[i]! >= 0) byOrder[pos[this.ord[i]!]!++] = i; // ascending i within an order
    const orders = this.c("orders");
    for (let o = 0; o < nO; o++) {
      const a = start[o]!, b = start[o + 1]!;
      if (b - a < 2) continue;
      if (b - a <= 64) {
        for (let x = b - 1; x > a; x--) {
          const ix = byOrder[x]!;
          if (this.dead[ix]) continue;
          for (let y = x - 1; y >= a; y--) {
            const iy = byOrder[y]!;
            if (!this.dead[iy] && this.lid[iy] === this.lid[ix]) {
              this.dead[iy] = 1;
              this.deadCount++;
              orders.replaced++;
              this.replacedOddly(iy, ix, orders);
            }
          }
        }
      } else {
        // each key's survivor first, then every earlier row of the key replaced by it (as the
        // small orders' path compares them, so the warnings do not depend on the order's size)
        const last = new Map<number, number>();
        for (let x = a; x < b; x++) last.set(this.lid[byOrder[x]!]!, byOrder[x]!);
        for (let x = a; x < b; x++) {
          const i = byOrder[x]!;
          const keep = last.get(this.lid[i]!)!;
          if (keep === i) continue;
          this.dead[i] = 1;
          this.deadCount++;
          orders.replaced++;
          this.replacedOddly(i, keep, orders);
        }
      }
    }
  }

  /**
   * A line key replaced by a row of another customer, or a sale by a return, is more likely two
   * lines than an ERP re-sync (a branch numbering its orders anew, a credit note booked on the
   * sale's line): still replaced, as the line-key rule says, and counted as a warning
   * (`replaced_other_customer`, `replaced_sale_by_return`) so it is not silent (a review: a
   * branch's order 1001/1 replaced another's, revenue 110 read 20).
   */
  private replacedOddly(old: number, by: number, orders: TableCounts): void {
    if (this.cust[old] !== this.cust[by]) orders.warnings.replaced_other_customer = (orders.warnings.replaced_other_customer ?? 0) + 1;
    else if (this.qty[old]! > 0 && this.qty[by]! < 0) orders.warnings.replaced_sale_by_return = (orders.warnings.replaced_sale_by_return ?? 0) + 1;
  }

  /**
   * False when no (order_id, line_id) key can repeat: the keyed lines of every order come in one
   * run with strictly increasing line ids (one linear pass; exports list an order's lines
   * together, so the counting sort below is usually skipped).
   */
  private mayRepeatLineKeys(): boolean {
    const seen = new Uint8Array(this.ordersI.values.length);
    const lid = this.lid, ord = this.ord, n = this.n;
    let prevOrd = -1, prevLid = -1;
    for (let i = 0; i < n; i++) {
      const l = lid[i]!;
      if (l < 0) continue;
      const o = ord[i]!;
      if (o !== prevOrd) {
        if (seen[o]) return true;
        seen[o] = 1;
        prevOrd = o;
      } else if (l <= prevLid) return true;
      prevLid = l;
    }
    return false;
  }

  /** Add a customer: customer_id, name, segment, region, rep_id, channel, parent_id. */
  addCustomer(v: ArrayLike<unknown>, line: number): void {
    this.run("customers", line, () => {
      const id = this.customersI.id(this.reqId(v[0], "customer_id"));
      const opt = (x: unknown, I: Interner): number => {
        const t = this.optId(x);
        return t === undefined ? -1 : I.id(t);
      };
      const rec: CustomerRec = {
        name: this.optId(v[1]),
        segment: opt(v[2], this.segmentsI),
        region: opt(v[3], this.regionsI),
        rep: opt(v[4], this.repsI),
        channel: opt(v[5], this.channelsI),
        parent: opt(v[6], this.customersI),
      };
      if (this.customerRecs.has(id)) this.c("customers").replaced++;
      this.customerRecs.set(id, rec);
    });
  }

  /** Add a product: product_id, name, family, list_price, unit_cost, active. */
  addProduct(v: ArrayLike<unknown>, line: number): void {
    this.run("products", line, () => {
      // validate the whole row before interning: a rejected row leaves no product or family behind
      const productId = this.reqId(v[0], "product_id");
      const listPrice = this.optNumber(v[3], "list_price");
      if (listPrice <= 0) throw new Reject("list_price", v[3], "non_positive_price", `list_price must be > 0, got ${inline(v[3])}`);
      const unitCost = this.optNumber(v[4], "unit_cost");
      if (unitCost < 0) throw new Reject("unit_cost", v[4], "negative_cost", `unit_cost must be >= 0, got ${inline(v[4])}`);
      const active = parseActive(v[5]);
      const id = this.productsI.id(productId);
      const fam = this.optId(v[2]);
      const rec: ProductRec = {
        name: this.optId(v[1]),
        family: fam === undefined ? -1 : this.familiesI.id(fam),
        listPrice,
        unitCost,
        active,
      };
      if (this.productRecs.has(id)) this.c("products").replaced++;
      this.productRecs.set(id, rec);
    });
  }

  /** Add a rep: rep_id, name, manager_id, email. */
  addRep(v: ArrayLike<unknown>, line: number): void {
    this.run("reps", line, () => {
      const id = this.repsI.id(this.reqId(v[0], "rep_id"));
      const mgr = this.optId(v[2]);
      const rec: RepRec = { name: this.optId(v[1]), manager: mgr === undefined ? -1 : this.repsI.id(mgr), email: this.optId(v[3]) };
      if (this.repRecs.has(id)) this.c("reps").replaced++;
      this.repRecs.set(id, rec);
    });
  }

  /** Add a deal event: deal_id, customer_id, stage, entered_at, rep_id, amount. Key: deal, stage, day. */
  addDealEvent(v: ArrayLike<unknown>, line: number): void {
    this.run("dealEvents", line, () => {
      const dealId = this.reqId(v[0], "deal_id");
      const customerId = this.reqId(v[1], "customer_id");
      const raw = this.reqId(v[2], "stage").toLowerCase();
      const mapped = this.o.stages.get(raw) ?? raw;
      const stage = STAGE_INDEX.get(mapped);
      if (stage === undefined) {
        throw new Reject("stage", v[2], "unknown_stage", `unknown deal stage ${inline(v[2])}; map it with the stages option (CLI: --stage NAME=stage)`);
      }
      const day = this.reqDate(v[3], "entered_at");
      const repId = this.optId(v[4]);
      const amount = this.optNumber(v[5], "amount");
      if (amount < 0) throw new Reject("amount", v[5], "negative_amount", `amount must be >= 0, got ${inline(v[5])}`);
      const deal = this.dealsI.id(dealId);
      const key = `${deal}\u0000${stage}\u0000${day}`;
      // a row of the same event (deal, stage, day) replaces the earlier one, but a rep or an
      // amount it does not give is kept from it: "the latest event that names one", whichever
      // row came first (the whole row was replaced, and the rep and amount of a stage logged
      // twice in a day depended on the rows' order; a review)
      const earlier = this.dealRecs.get(key);
      if (earlier) this.c("dealEvents").replaced++;
      this.dealRecs.set(key, {
        deal,
        customer: this.customersI.id(customerId),
        stage,
        day,
        rep: repId === undefined ? (earlier?.rep ?? -1) : this.repsI.id(repId),
        amount: Number.isNaN(amount) && earlier ? earlier.amount : amount,
      });
    });
  }

  /** Add a target: rep_id, period, kpi, target. Key: rep, period, kpi. */
  addTarget(v: ArrayLike<unknown>, line: number): void {
    this.run("targets", line, () => {
      const repId = this.reqId(v[0], "rep_id");
      const period = this.reqId(v[1], "period");
      if (!PERIOD.test(period)) {
        throw new Reject("period", v[1], "invalid_period", `period must be YYYY, YYYY-Qn, YYYY-MM or YYYY-Www, got ${inline(v[1])}`);
      }
      const kpi = this.reqId(v[2], "kpi");
      const target = this.reqNumber(v[3], "target");
      const rep = this.repsI.id(repId);
      const key = `${rep}\u0000${period}\u0000${kpi}`;
      if (this.targetRecs.has(key)) this.c("targets").replaced++;
      this.targetRecs.set(key, { rep, period, kpi, target });
    });
  }

  /** Add content: content_id, title, url, product_id, family, segment, kind. Key: content_id. */
  addContent(v: ArrayLike<unknown>, line: number): void {
    this.run("content", line, () => {
      const contentId = this.reqId(v[0], "content_id");
      const title = this.reqId(v[1], "title");
      const url = this.reqId(v[2], "url");
      if (this.contentRecs.has(contentId)) this.c("content").replaced++;
      const product = this.optId(v[3]);
      // a product no order or products.csv row names yet enters the dictionary (as a product of
      // the master data without a row would): its index was -1, "no product", and the row was sent
      // as segment or family content to every customer of the segment
      if (product !== undefined) this.productsI.id(product);
      this.contentRecs.set(contentId, {
        contentId,
        title,
        url,
        product,
        family: this.optId(v[4]),
        segment: this.optId(v[5]),
        kind: this.optId(v[6]),
      });
    });
  }

  /** Add a row of any table. */
  add(table: TableName, v: ArrayLike<unknown>, line: number): void {
    switch (table) {
      case "orders":
        this.addOrder(v, line);
        return;
      case "customers":
        return this.addCustomer(v, line);
      case "products":
        return this.addProduct(v, line);
      case "reps":
        return this.addRep(v, line);
      case "dealEvents":
        return this.addDealEvent(v, line);
      case "targets":
        return this.addTarget(v, line);
      case "content":
        return this.addContent(v, line);
    }
  }

  /** Freeze everything into a Dataset and its report. */
  finish(): { dataset: Dataset; report: IngestReport } {
    const orders = this.c("orders");
    this.dropReplacedLineKeys();
    let currency = this.o.currency;

    const cu = this.customersI.finish();
    const pr = this.productsI.finish();
    const od = this.ordersI.finish();
    const rp = this.repsI.finish();
    const ch = this.channelsI.finish();
    const sg = this.segmentsI.finish();
    const rg = this.regionsI.finish();
    const fm = this.familiesI.finish();
    const li = this.lineIdsI.finish();
    const dl = this.dealsI.finish();
    const m = (remap: Int32Array, x: number): number => (x < 0 ? -1 : remap[x]!);

    // products first: lines fall back to product list price / cost
    const nP = pr.dict.size;
    const products: ProductTable = {
      known: new Uint8Array(nP),
      name: new Array<string | undefined>(nP).fill(undefined),
      family: new Int32Array(nP).fill(-1),
      listPrice: new Float64Array(nP).fill(Number.NaN),
      unitCost: new Float64Array(nP).fill(Number.NaN),
      active: new Uint8Array(nP).fill(2),
    };
    for (const [prov, r] of this.productRecs) {
      const id = pr.remap[prov]!;
      products.known[id] = 1;
      (products.name as (string | undefined)[])[id] = r.name;
      products.family[id] = m(fm.remap, r.family);
      products.listPrice[id] = r.listPrice + 0; // −0 as 0, as on the lines
      products.unitCost[id] = r.unitCost + 0;
      products.active[id] = r.active;
    }

    // order lines: counting sort by customer, then sort within customer by content, all on the
    // builder's own columns (they become the dataset's). Replaced lines are squeezed out first, so
    // a line's index is its raw index; order ids are remapped in place (they are a sort key); the
    // comparator remaps the other ids lazily for the few ties on (day, order).
    const nC = cu.dict.size;
    const rawCust = this.cust, rawOrd = this.ord, rawProd = this.prod, rawLid = this.lid, rawRep = this.rep, rawChan = this.chan;
    const day = this.day, qty = this.qty, price = this.price, cost = this.cost, list = this.list;
    const cuRemap = cu.remap, odRemap = od.remap, prRemap = pr.remap, liRemap = li.remap, rpRemap = rp.remap, chRemap = ch.remap;
    if (this.deadCount > 0) {
      let k = 0;
      // (the currency column too: the currency rule below counts the kept lines by it)
      for (const col of [rawCust, rawOrd, rawProd, rawLid, rawRep, rawChan, this.cur, day, qty, price, cost, list]) k = squeeze(col, this.dead, this.n);
      this.n = k;
      this.deadCount = 0;
    }
    const alive = this.n;
    remapInPlace(rawOrd, odRemap, alive);
    const { start, perm } = groupLines(rawCust, cuRemap, alive, nC); // perm[sortedPos] = line index
    // (rows that differ only in their currency are two lines: merged as repeated rows, a USD and a
    // EUR line were one, and the currency rule after the merge saw one currency; by code, so the
    // order does not depend on which came first)
    const curCol = this.cur, curCodes = this.currencies.values;
    const cmpCurrency = (a: number, b: number): number => {
      const x = curCol[a]!, y = curCol[b]!;
      if (x === y) return 0;
      const sx = x >= 0 ? curCodes[x]! : "", sy = y >= 0 ? curCodes[y]! : "";
      return sx < sy ? -1 : sx > sy ? 1 : 0;
    };
    const cmpNum = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1);
    // a line's cost and list price as the dataset will hold them: a missing one is the product's
    // (completeLines). The whole-row key compares these, so a row re-sent with the cost the product
    // gives it is the same row: the only rule a dataset's lines can keep (they no longer tell a
    // given cost from a filled one), and the engine's after a restart (a review: two lines live,
    // one after a restore, revenue 12 against 6)
    const unitCostOf = products.unitCost, listPriceOf = products.listPrice;
    const effCost = (i: number): number => (cost[i] === cost[i] ? cost[i]! : unitCostOf[prRemap[rawProd[i]!]!]!);
    const effList = (i: number): number => (list[i] === list[i] ? list[i]! : listPriceOf[prRemap[rawProd[i]!]!]!);
    const cmp = (a: number, b: number): number =>
      day[a]! - day[b]! ||
      rawOrd[a]! - rawOrd[b]! ||
      prRemap[rawProd[a]!]! - prRemap[rawProd[b]!]! ||
      m(liRemap, rawLid[a]!) - m(liRemap, rawLid[b]!) ||
      cmpNum(qty[a]!, qty[b]!) ||
      cmpNum(price[a]!, price[b]!) ||
      cmpNum(effCost(a), effCost(b)) ||
      cmpNum(effList(a), effList(b)) ||
      m(rpRemap, rawRep[a]!) - m(rpRemap, rawRep[b]!) ||
      m(chRemap, rawChan[a]!) - m(chRemap, rawChan[b]!) ||
      cmpCurrency(a, b);
    sortWithinCustomers(perm, start, nC, cmp, day, rawOrd, od.dict.size, rawProd, prRemap);
    // whole-row keys: identical lines without line_id are one line (adjacent after sorting)
    const newStart = new Uint32Array(nC + 1);
    const out = dropRepeatedRows(perm, start, nC, rawLid, cmp, newStart); // compacts perm in place
    orders.replaced += alive - out;
    // currency rule, over the lines the dataset keeps (identical rows are one line: they were
    // counted twice in the error's details), the details in code order (they were in first-seen
    // order, so the rows' order changed the error)
    if (!this.o.fx && this.currencies.values.length > 0) {
      const perCur = new Float64Array(this.currencies.values.length);
      const cur = this.cur;
      for (let p = 0; p < out; p++) {
        const k = cur[perm[p]!]!;
        if (k >= 0) perCur[k]!++;
      }
      const seen = new Map<string, number>();
      this.currencies.values.forEach((code, k) => {
        if (perCur[k]! > 0) seen.set(code, perCur[k]!);
      });
      const codes = [...seen.keys()].sort();
      if (codes.length > 1 || (currency !== undefined && codes.length === 1 && codes[0] !== currency)) {
        // each currency with its line count; one currency other than the one asked is said as such
        // ("several currencies (EUR, USD)" for all-USD lines and currency EUR until 2026-12-07)
        const lines = (c: string): string => `${seen.get(c)!.toLocaleString("en-US")} line${seen.get(c) === 1 ? "" : "s"}`;
        const what = codes.length > 1 ? `order lines are in several currencies (${codes.map((c) => `${c}: ${lines(c)}`).join(", ")})` : `order lines are in ${codes[0]} (${lines(codes[0]!)}), not in the currency asked (${currency}),`;
        throw new OrderpulseError(
          "MIXED_CURRENCIES",
          `${what} and no fx rates were given; pass { currency, fx } to convert them`,
          { currencies: Object.fromEntries(codes.map((c) => [c, seen.get(c)!])), expected: currency },
        );
      }
      currency ??= codes[0];
    }
    // Each column is gathered in final order (remapped on the way) into the buffer of the column
    // gathered before it, the first into the spent currency column (the int columns all hold
    // `cap` 4-byte entries). The first float column goes out as two 4-byte halves into the two
    // int buffers still free (the customer column, free since grouping and refilled below, and
    // the last int column's) and is put together in the last float column's buffer. No scratch
    // copy of any column and no fresh buffer: first writes to fresh pages cost about 3 ms per MB
    // here (a scratch float column was 8 bytes a line, and a copy of every column into it).
    const rawIdx = perm; // rawIdx[j] = line at final position j
    const u32 = (a: Int32Array | Uint32Array | Float64Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
    const i32 = (a: Int32Array | Uint32Array): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.length);
    const outDay = gatherI(this.cur, day, rawIdx, out, undefined);
    const outOrd = gatherU(u32(day), rawOrd, rawIdx, out, undefined);
    const outProd = gatherU(rawOrd, rawProd, rawIdx, out, prRemap);
    const outLid = gatherI(i32(rawProd), rawLid, rawIdx, out, liRemap);
    const outRep = gatherI(rawLid, rawRep, rawIdx, out, rpRemap);
    const outChan = gatherI(rawRep, rawChan, rawIdx, out, chRemap);
    const halfA = rawCust, halfB = u32(rawChan);
    gatherHalves(halfA, halfB, u32(qty), rawIdx, out);
    const outPrice = gatherF(qty, price, rawIdx, out);
    const outCost = gatherF(price, cost, rawIdx, out);
    const outList = gatherF(cost, list, rawIdx, out);
    const outQty = joinHalves(list, halfA, halfB, out);
    for (let c = 0; c < nC; c++) rawCust.fill(c, newStart[c]!, newStart[c + 1]!);
    const isReturn = new Uint8Array(out);
    const { missingCost, missingList, returns, first, last } = completeLines(out, outDay, outProd, outQty, outCost, outList, products, isReturn);
    // the columns become the dataset's: a copy of exactly `out` lines when more than a fifth of
    // the capacity would stay unused (a reserve that guessed high, replaced or repeated rows)
    const trim = this.cap > out * 1.25;
    const fit = <T extends Int32Array | Uint32Array | Float64Array>(a: T): T => (trim ? (a.slice(0, out) as T) : (a.subarray(0, out) as T));
    const lines = {
      length: out,
      customer: fit(rawCust),
      day: fit(outDay),
      order: fit(outOrd),
      product: fit(outProd),
      quantity: fit(outQty),
      unitPrice: fit(outPrice),
      unitCost: fit(outCost),
      listPrice: fit(outList),
      rep: fit(outRep),
      channel: fit(outChan),
      lineId: fit(outLid),
      isReturn,
    } satisfies OrderLines;
    // the columns now belong to the dataset: this builder is spent
    this.n = this.cap = 0;
    this.cust = new Uint32Array(0);
    this.day = new Int32Array(0);
    this.ord = new Uint32Array(0);
    this.prod = new Uint32Array(0);
    this.qty = new Float64Array(0);
    this.price = new Float64Array(0);
    this.cost = new Float64Array(0);
    this.list = new Float64Array(0);
    this.rep = new Int32Array(0);
    this.chan = new Int32Array(0);
    this.lid = new Int32Array(0);
    this.cur = new Int32Array(0);
    this.dead = new Uint8Array(0);
    if (missingCost) orders.warnings.missing_cost = missingCost;
    if (missingList) orders.warnings.missing_list_price = missingList;
    if (returns) orders.warnings.return_lines = returns;

    // customers
    const customers: CustomerTable = {
      known: new Uint8Array(nC),
      name: new Array<string | undefined>(nC).fill(undefined),
      segment: new Int32Array(nC).fill(-1),
      region: new Int32Array(nC).fill(-1),
      rep: new Int32Array(nC).fill(-1),
      channel: new Int32Array(nC).fill(-1),
      parent: new Int32Array(nC).fill(-1),
    };
    for (const [prov, r] of this.customerRecs) {
      const id = cu.remap[prov]!;
      customers.known[id] = 1;
      (customers.name as (string | undefined)[])[id] = r.name;
      customers.segment[id] = m(sg.remap, r.segment);
      customers.region[id] = m(rg.remap, r.region);
      customers.rep[id] = m(rp.remap, r.rep);
      customers.channel[id] = m(ch.remap, r.channel);
      customers.parent[id] = m(cu.remap, r.parent);
    }
    const nR = rp.dict.size;
    const reps: RepTable = {
      known: new Uint8Array(nR),
      name: new Array<string | undefined>(nR).fill(undefined),
      manager: new Int32Array(nR).fill(-1),
      email: new Array<string | undefined>(nR).fill(undefined),
    };
    for (const [prov, r] of this.repRecs) {
      const id = rp.remap[prov]!;
      reps.known[id] = 1;
      (reps.name as (string | undefined)[])[id] = r.name;
      reps.manager[id] = m(rp.remap, r.manager);
      (reps.email as (string | undefined)[])[id] = r.email;
    }

    // unknown references (only meaningful when the master table was given)
    const distinctUnknown = (known: Uint8Array, ids: ArrayLike<number>, len: number): number => {
      const seen = new Uint8Array(known.length);
      let u = 0;
      for (let j = 0; j < len; j++) {
        const x = ids[j]!;
        if (x >= 0 && !known[x] && !seen[x]) {
          seen[x] = 1;
          u++;
        }
      }
      return u;
    };
    if (this.counts.has("customers")) {
      const u = distinctUnknown(customers.known, lines.customer, out);
      if (u) orders.warnings.unknown_customer = u;
    }
    if (this.counts.has("products")) {
      const u = distinctUnknown(products.known, lines.product, out);
      if (u) orders.warnings.unknown_product = u;
    }
    if (this.counts.has("reps")) {
      const u = distinctUnknown(reps.known, lines.rep, out);
      if (u) orders.warnings.unknown_rep = u;
      // the account owners, the deals' and the targets' reps too: an owner missing from reps.csv
      // (a new hire, a typo) belongs to no manager, and its accounts left every manager's brief
      // without a word (a review)
      const owners = this.counts.get("customers");
      if (owners) {
        const k = distinctUnknown(reps.known, customers.rep, customers.rep.length);
        if (k) owners.warnings.unknown_rep = k;
      }
      const deals = this.counts.get("dealEvents");
      if (deals) {
        const k = distinctUnknown(reps.known, [...this.dealRecs.values()].map((e) => m(rp.remap, e.rep)), this.dealRecs.size);
        if (k) deals.warnings.unknown_rep = k;
      }
      const targets = this.counts.get("targets");
      if (targets) {
        const k = distinctUnknown(reps.known, [...this.targetRecs.values()].map((t) => rp.remap[t.rep]!), this.targetRecs.size);
        if (k) targets.warnings.unknown_rep = k;
      }
    }

    // deal events sorted by (deal, day, stage)
    const evs = [...this.dealRecs.values()].map((e) => ({ ...e, deal: dl.remap[e.deal]!, customer: cu.remap[e.customer]!, rep: m(rp.remap, e.rep) }));
    evs.sort((a, b) => a.deal - b.deal || a.day - b.day || a.stage - b.stage);
    const nE = evs.length;
    const dealEvents: DealEvents = {
      length: nE,
      deal: Uint32Array.from(evs, (e) => e.deal),
      customer: Uint32Array.from(evs, (e) => e.customer),
      stage: Uint8Array.from(evs, (e) => e.stage),
      day: Int32Array.from(evs, (e) => e.day),
      rep: Int32Array.from(evs, (e) => e.rep),
      amount: Float64Array.from(evs, (e) => e.amount),
    };
    const targets: Target[] = [...this.targetRecs.values()]
      .map((t) => ({ ...t, rep: rp.remap[t.rep]! }))
      .sort((a, b) => a.rep - b.rep || cmpStr(a.period, b.period) || cmpStr(a.kpi, b.kpi));
    const content: ContentItem[] = [...this.contentRecs.values()]
      .map((c) => ({
        contentId: c.contentId,
        title: c.title,
        url: c.url,
        product: c.product === undefined ? -1 : pr.dict.indexOf(c.product),
        family: c.family,
        segment: c.segment,
        kind: c.kind,
      }))
      .sort((a, b) => cmpStr(a.contentId, b.contentId));

    const dataset: Dataset = {
      lines,
      customerStart: newStart,
      customerEnd: newStart.subarray(1).slice(),
      asOf: undefined,
      visibleLines: out,
      dayRange: out > 0 ? { first, last } : undefined,
      ids: {
        customers: cu.dict,
        products: pr.dict,
        orders: od.dict,
        reps: rp.dict,
        channels: ch.dict,
        segments: sg.dict,
        regions: rg.dict,
        families: fm.dict,
        lineIds: li.dict,
        deals: dl.dict,
      },
      customers,
      products,
      reps,
      dealEvents,
      targets,
      content,
      currency,
      timeZone: this.o.timeZone,
    };
    return { dataset, report: this.report(out) };
  }

  private report(lines: number): IngestReport {
    const tables: Partial<Record<TableName, TableReport>> = {};
    let rowsRead = 0, accepted = 0, rejected = 0, excluded = 0, replaced = 0;
    const byReason: Record<string, number> = {};
    const rejectedByReason: Record<string, number> = {};
    const warnings: Record<string, number> = {};
    for (const [name, c] of this.counts) {
      tables[name] = { table: name, ...c, byReason: sortKeys(c.byReason), rejectedByReason: sortKeys(c.rejectedByReason), warnings: sortKeys(c.warnings) };
      if (c.derived) continue;
      rowsRead += c.rowsRead;
      accepted += c.accepted;
      rejected += c.rejected;
      excluded += c.excluded;
      replaced += c.replaced;
      for (const [k, v] of Object.entries(c.byReason)) byReason[k] = (byReason[k] ?? 0) + v;
      for (const [k, v] of Object.entries(c.rejectedByReason)) rejectedByReason[k] = (rejectedByReason[k] ?? 0) + v;
      for (const [k, v] of Object.entries(c.warnings)) warnings[k] = (warnings[k] ?? 0) + v;
    }
    return {
      rowsRead,
      accepted,
      rejected,
      excluded,
      replaced,
      lines,
      byReason: sortKeys(byReason),
      rejectedByReason: sortKeys(rejectedByReason),
      warnings: sortKeys(warnings),
      tables,
      rejectedRows: this.rejectedRows,
    };
  }
}

/**
 * Sort each customer's slice of `perm` by `cmp`. Fast path: pack (day, order, position) into
 * one float64 key and use the native numeric sort, then settle ties of equal (day, order) —
 * the few lines of one order — with an insertion sort on the full comparator. Falls back to a
 * comparator sort when the packed key would not fit in 53 bits.
 */
function sortWithinCustomers(
  perm: Uint32Array,
  start: Uint32Array,
  nC: number,
  cmp: (a: number, b: number) => number,
  dayOf: Int32Array,
  ord: Uint32Array,
  nOrders: number,
  prod: Uint32Array,
  prodRank: Int32Array,
): void {
  let minDay = Number.POSITIVE_INFINITY, maxDay = Number.NEGATIVE_INFINITY, maxLen = 1;
  for (let i = 0; i < perm.length; i++) {
    // perm is a permutation of 0 .. n − 1: read the days in line order
    const d = dayOf[i]!;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  for (let c = 0; c < nC; c++) maxLen = Math.max(maxLen, start[c + 1]! - start[c]!);
  const span = maxDay - minDay + 1;
  const packed = span * Math.max(nOrders, 1) * maxLen < 2 ** 53;
  const keys = packed ? new Float64Array(maxLen) : undefined;
  const tmp = packed ? new Uint32Array(maxLen) : new Uint32Array(0);
  for (let c = 0; c < nC; c++) {
    const a = start[c]!, b = start[c + 1]!;
    const n = b - a;
    if (n < 2) continue;
    if (!keys) {
      perm.subarray(a, b).sort(cmp);
      continue;
    }
    // lines read in date order (most exports) are already in (day, order) order: the tie pass
    // below checks that as it goes (it only moves lines within a run of equal (day, order), so the
    // line before j keeps its key); on the first line out of order, sort by key and start over
    if (!settleTies(perm, a, b, cmp, dayOf, ord, prod, prodRank, true)) {
      for (let j = 0; j < n; j++) {
        const k = perm[a + j]!;
        keys[j] = ((dayOf[k]! - minDay) * nOrders + ord[k]!) * maxLen + j;
      }
      const ks = keys.subarray(0, n).sort();
      for (let j = 0; j < n; j++) tmp[j] = perm[a + (ks[j]! % maxLen)]!;
      perm.set(tmp.subarray(0, n), a);
      settleTies(perm, a, b, cmp, dayOf, ord, prod, prodRank, false);
    }
  }
}

/** Runs of tied lines up to this long are settled by insertion sort, longer ones by the engine's O(k log k) sort. */
const SHORT_RUN = 32;

/**
 * @internal Ties on (day, order) in perm[a, b), the lines of one order, put in the order of the
 * full comparator (whose next key after day and order is the product), lines it ties in the order
 * they came. With `check`, stops and returns false at the first line whose (day, order) is below
 * the previous line's. A run of ties comes with the lines `cmp` ties in ascending line index (the
 * order in which the customer's lines are grouped, which the sorts before and here keep), so the
 * line index as the last key gives the same order as a stable sort.
 */
export function settleTies(perm: Uint32Array, a: number, b: number, cmp: (a: number, b: number) => number, dayOf: Int32Array, ord: Uint32Array, prod: Uint32Array, prodRank: Int32Array, check: boolean): boolean {
  for (let s = a; s < b; ) {
    const first = perm[s]!;
    const dx = dayOf[first]!, ox = ord[first]!;
    let e = s + 1;
    while (e < b && dayOf[perm[e]!] === dx && ord[perm[e]!] === ox) e++;
    if (check && e < b) {
      const y = perm[e]!;
      if (dayOf[y]! < dx || (dayOf[y] === dx && ord[y]! < ox)) return false;
    }
    if (e - s > SHORT_RUN) {
      // One order of thousands of lines (a monthly consolidated invoice, products in any order)
      // took an insertion sort quadratic time. The comparator with the line index as the last key
      // is a total order, so the engine's O(k log k) sort gives the insertion sort's order.
      perm.subarray(s, e).sort((x, y) => cmp(x, y) || x - y);
    } else {
      // insertion sort (stable), by product first: most lines of an order differ in it
      for (let j = s + 1; j < e; j++) {
        const x = perm[j]!;
        const px = prodRank[prod[x]!]!;
        let i = j - 1;
        for (; i >= s; i--) {
          const y = perm[i]!;
          const py = prodRank[prod[y]!]!;
          if (py < px || (py === px && cmp(y, x) <= 0)) break;
          perm[i + 1] = y;
        }
        perm[i + 1] = x;
      }
    }
    s = e;
  }
  return true;
}

// The hot loops of finish() live in small functions below: a loop inside finish() itself ran at
// baseline-tier speed (about 30-50 ns a line), its on-stack replacement waiting on a compile of the
// whole long method, and finish() runs once per read.


/** dst[j] = src[idx[j]] (remapped; −1 stays −1) for j < n; returns dst. */
function gatherI(dst: Int32Array, src: Int32Array, idx: Uint32Array, n: number, remap: Int32Array | undefined): Int32Array {
  if (remap) {
    for (let j = 0; j < n; j++) {
      const x = src[idx[j]!]!;
      dst[j] = x < 0 ? -1 : remap[x]!;
    }
  } else for (let j = 0; j < n; j++) dst[j] = src[idx[j]!]!;
  return dst;
}

/** dst[j] = src[idx[j]] (remapped) for j < n; returns dst. */
function gatherU(dst: Uint32Array, src: Uint32Array, idx: Uint32Array, n: number, remap: Int32Array | undefined): Uint32Array {
  if (remap) for (let j = 0; j < n; j++) dst[j] = remap[src[idx[j]!]!]!;
  else for (let j = 0; j < n; j++) dst[j] = src[idx[j]!]!;
  return dst;
}

/** The 8-byte entries src[idx[j]] for j < n (`src` viewed as 4-byte words) as their first and second words: a[j], b[j]. */
function gatherHalves(a: Uint32Array, b: Uint32Array, src: Uint32Array, idx: Uint32Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const k = idx[j]! * 2;
    a[j] = src[k]!;
    b[j] = src[k + 1]!;
  }
}

/** The 8-byte entries split by {@link gatherHalves} put back together into dst[0, n); returns dst. */
function joinHalves(dst: Float64Array, a: Uint32Array, b: Uint32Array, n: number): Float64Array {
  const w = new Uint32Array(dst.buffer, dst.byteOffset, n * 2);
  for (let j = 0; j < n; j++) {
    w[2 * j] = a[j]!;
    w[2 * j + 1] = b[j]!;
  }
  return dst;
}

/** dst[j] = src[idx[j]] for j < n; returns dst. */
function gatherF(dst: Float64Array, src: Float64Array, idx: Uint32Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) dst[j] = src[idx[j]!]!;
  return dst;
}

/** Keep the entries of the first n lines that are not dead, in order, at the front of `col`; returns how many. */
function squeeze(col: Int32Array | Uint32Array | Float64Array, dead: Uint8Array, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (!dead[i]) col[k++] = col[i]!;
  return k;
}

/** col[i] = remap[col[i]] for the first n entries. */
function remapInPlace(col: Uint32Array, remap: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) col[i] = remap[col[i]!]!;
}

/** Counting sort of the first n lines by remapped customer: each customer's lines (ascending) at perm[start[c]] .. perm[start[c + 1] − 1]. */
function groupLines(cust: Uint32Array, remap: Int32Array, n: number, nC: number): { start: Uint32Array; perm: Uint32Array } {
  const start = new Uint32Array(nC + 1);
  for (let i = 0; i < n; i++) start[remap[cust[i]!]! + 1]!++;
  for (let c = 0; c < nC; c++) start[c + 1]! += start[c]!;
  const pos = start.slice(0, nC);
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[pos[remap[cust[i]!]!]!++] = i;
  return { start, perm };
}

/**
 * Drop, within each customer's sorted lines, a line without line id equal in every field to the
 * one before (whole-row keys: identical lines are one line); compacts `perm` in place (an entry is
 * written at or before it is read), fills `newStart`, returns the lines kept.
 */
function dropRepeatedRows(perm: Uint32Array, start: Uint32Array, nC: number, lid: Int32Array, cmp: (a: number, b: number) => number, newStart: Uint32Array): number {
  let out = 0;
  for (let c = 0; c < nC; c++) {
    newStart[c] = out;
    let prev = -1;
    for (let p = start[c]!; p < start[c + 1]!; p++) {
      const k = perm[p]!;
      if (prev >= 0 && lid[k]! < 0 && cmp(prev, k) === 0) continue;
      perm[out++] = k;
      prev = k;
    }
  }
  newStart[nC] = out;
  return out;
}

/** Fill missing cost and list price from the product table, flag returns, and count both; with the day range. */
function completeLines(
  n: number,
  day: Int32Array,
  prod: Uint32Array,
  qty: Float64Array,
  cost: Float64Array,
  list: Float64Array,
  products: ProductTable,
  isReturn: Uint8Array,
): { missingCost: number; missingList: number; returns: number; first: number; last: number } {
  let missingCost = 0, missingList = 0, returns = 0;
  let first = Number.POSITIVE_INFINITY, last = Number.NEGATIVE_INFINITY;
  const unitCost = products.unitCost, listPrice = products.listPrice;
  for (let j = 0; j < n; j++) {
    const d = day[j]!;
    if (d < first) first = d;
    if (d > last) last = d;
    const p = prod[j]!;
    if (qty[j]! < 0) {
      isReturn[j] = 1;
      returns++;
    }
    if (cost[j] !== cost[j]) {
      const uc = (cost[j] = unitCost[p]!);
      if (uc !== uc) missingCost++;
    }
    if (list[j] !== list[j]) {
      const lp = (list[j] = listPrice[p]!);
      if (lp !== lp) missingList++;
    }
  }
  return { missingCost, missingList, returns, first, last };
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}

function parseActive(v: unknown): number {
  if (isMissing(v)) return 2;
  if (typeof v === "boolean") return v ? 1 : 0;
  const s = String(v).trim().toLowerCase();
  if (s === "1" || s === "true" || s === "yes" || s === "y" || s === "t") return 1;
  if (s === "0" || s === "false" || s === "no" || s === "n" || s === "f") return 0;
  throw new Reject("active", v, "invalid_boolean", `active must be true/false, 1/0, yes/no; got ${inline(v)}`);
}

