/**
 * The in-memory, columnar form of a distributor's data (DESIGN.md section 2): typed arrays,
 * epoch-day integers and dictionary-encoded ids. A `Dataset` is immutable; `asOfView()` gives a
 * cheap view that hides everything dated after a day.
 * @module
 */

/**
 * Strings stored once, referred to by dense integer ids `0..size-1`. Ids are assigned in sorted
 * (UTF-16 code unit) order of the values, so they do not depend on input row order.
 */
export interface Dictionary {
  /** Number of distinct values. */
  readonly size: number;
  /** The values; `values[id]` is the string of an id. */
  readonly values: readonly string[];
  /**
   * Id of a value.
   * @param value - the string
   * @returns its id, or -1 when absent
   */
  indexOf(value: string): number;
}

/**
 * Order lines as parallel columns, sorted by (customer, day, order, product, then the other
 * fields), one entry per line. Optional references hold -1 when missing; unknown money is NaN.
 */
export interface OrderLines {
  /** Number of lines (all of them; an as-of view limits iteration through `customerEnd`). */
  readonly length: number;
  /** Customer id (into `ids.customers`). */
  readonly customer: Uint32Array;
  /** Epoch day of the order date. */
  readonly day: Int32Array;
  /** Order id (into `ids.orders`). */
  readonly order: Uint32Array;
  /** Product id (into `ids.products`). */
  readonly product: Uint32Array;
  /** Quantity; negative for returns. */
  readonly quantity: Float64Array;
  /** Net unit price in the dataset currency (> 0). */
  readonly unitPrice: Float64Array;
  /** Unit cost: the line's, else the product's; NaN when unknown. */
  readonly unitCost: Float64Array;
  /** List price: the line's, else the product's; NaN when unknown. */
  readonly listPrice: Float64Array;
  /** Rep who sold the line (into `ids.reps`), -1 when missing. */
  readonly rep: Int32Array;
  /** Channel (into `ids.channels`), -1 when missing. */
  readonly channel: Int32Array;
  /** line_id (into `ids.lineIds`), -1 when the row had none (then the whole row is its key). */
  readonly lineId: Int32Array;
  /** 1 for a return / credit-note line (negative quantity), else 0. */
  readonly isReturn: Uint8Array;
}

/** Customer master data, indexed by customer id. Missing references are -1. */
export interface CustomerTable {
  /** 1 when the customer appears in customers.csv, 0 when only referenced (orders, deals). */
  readonly known: Uint8Array;
  /** Display names (`undefined` when not given). */
  readonly name: readonly (string | undefined)[];
  /** Segment (into `ids.segments`). */
  readonly segment: Int32Array;
  /** Region (into `ids.regions`). */
  readonly region: Int32Array;
  /** Account owner (into `ids.reps`). */
  readonly rep: Int32Array;
  /** Default channel (into `ids.channels`). */
  readonly channel: Int32Array;
  /** Parent account (into `ids.customers`). */
  readonly parent: Int32Array;
}

/** Product master data, indexed by product id. */
export interface ProductTable {
  /** 1 when the product appears in products.csv. */
  readonly known: Uint8Array;
  /** Display names. */
  readonly name: readonly (string | undefined)[];
  /** Family (into `ids.families`), -1 when missing. */
  readonly family: Int32Array;
  /** List price, NaN when unknown. */
  readonly listPrice: Float64Array;
  /** Unit cost, NaN when unknown. */
  readonly unitCost: Float64Array;
  /** 1 active, 0 inactive, 2 unknown. */
  readonly active: Uint8Array;
}

/** Reps, indexed by rep id. */
export interface RepTable {
  /** 1 when the rep appears in reps.csv. */
  readonly known: Uint8Array;
  /** Display names. */
  readonly name: readonly (string | undefined)[];
  /** Manager (into `ids.reps`), -1 when none. */
  readonly manager: Int32Array;
  /** E-mail addresses. */
  readonly email: readonly (string | undefined)[];
}

/** The canonical deal stages, in pipeline order. */
export type DealStage = "lead" | "qualified" | "proposal" | "negotiation" | "won" | "lost";

/** Pipeline events as columns, sorted by (deal, day, stage order). */
export interface DealEvents {
  /** Number of events. */
  readonly length: number;
  /** Deal id (into `ids.deals`). */
  readonly deal: Uint32Array;
  /** Customer id (into `ids.customers`). */
  readonly customer: Uint32Array;
  /** Stage index into {@link DEAL_STAGES}. */
  readonly stage: Uint8Array;
  /** Epoch day the stage was entered. */
  readonly day: Int32Array;
  /** Rep (into `ids.reps`), -1 when missing. */
  readonly rep: Int32Array;
  /** Amount, NaN when missing. */
  readonly amount: Float64Array;
}

/** A sales target. */
export interface Target {
  /** Rep id (into `ids.reps`). */
  readonly rep: number;
  /** Period as given: `YYYY`, `YYYY-Qn`, `YYYY-MM` or `YYYY-Www`. */
  readonly period: string;
  /** KPI name. */
  readonly kpi: string;
  /** Target value. */
  readonly target: number;
}

/** A piece of sales content. */
export interface ContentItem {
  /** Content id. */
  readonly contentId: string;
  /** Title. */
  readonly title: string;
  /** Link. */
  readonly url: string;
  /** Product (into `ids.products`), -1 when none or unknown. */
  readonly product: number;
  /** Family name, when given. */
  readonly family: string | undefined;
  /** Segment name, when given. */
  readonly segment: string | undefined;
  /** Kind, when given. */
  readonly kind: string | undefined;
}

/** An inclusive range of epoch days. */
export interface DayRange {
  /** First day. */
  readonly first: number;
  /** Last day. */
  readonly last: number;
}

/** All dictionaries of a dataset. */
export interface DatasetIds {
  /** Customer ids (from orders, customers, deal events, parent ids). */
  readonly customers: Dictionary;
  /** Product ids (from orders and products). */
  readonly products: Dictionary;
  /** Order ids. */
  readonly orders: Dictionary;
  /** Rep ids (sellers, account owners, managers, deal reps, target reps). */
  readonly reps: Dictionary;
  /** Channels. */
  readonly channels: Dictionary;
  /** Segments. */
  readonly segments: Dictionary;
  /** Regions. */
  readonly regions: Dictionary;
  /** Product families. */
  readonly families: Dictionary;
  /** line_id values. */
  readonly lineIds: Dictionary;
  /** Deal ids. */
  readonly deals: Dictionary;
}

/**
 * A distributor's data, columnar. Lines of customer `c` are `customerStart[c]` up to (not
 * including) `customerEnd[c]`; in an as-of view `customerEnd` stops at the last line dated on or
 * before `asOf`. Iterate through these offsets and nothing after `asOf` is visible.
 */
export interface Dataset {
  /** The order lines. */
  readonly lines: OrderLines;
  /** First line of each customer (length = customers + 1; last entry = lines.length). */
  readonly customerStart: Uint32Array;
  /** End (exclusive) of each customer's visible lines. */
  readonly customerEnd: Uint32Array;
  /** Epoch day of the view, or `undefined` for the whole history. */
  readonly asOf: number | undefined;
  /** Number of visible lines (`sum(customerEnd - customerStart)`). */
  readonly visibleLines: number;
  /** First and last visible order day, `undefined` when there are none. */
  readonly dayRange: DayRange | undefined;
  /** Dictionaries. */
  readonly ids: DatasetIds;
  /** Customers. */
  readonly customers: CustomerTable;
  /** Products. */
  readonly products: ProductTable;
  /** Reps. */
  readonly reps: RepTable;
  /** Pipeline events (only those on or before `asOf` in a view). */
  readonly dealEvents: DealEvents;
  /** Sales targets. */
  readonly targets: readonly Target[];
  /** Sales content. */
  readonly content: readonly ContentItem[];
  /** Currency of all money columns, when known. */
  readonly currency: string | undefined;
  /** IANA time zone in which datetimes became days. */
  readonly timeZone: string;
}
