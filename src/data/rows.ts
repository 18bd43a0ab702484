/**
 * Row shapes of the data contract (DESIGN.md section 3) as accepted by `fromRows()`: the same
 * snake_case field names as the canonical CSV headers. Values may be strings (as read from a CSV
 * or an API), numbers, `Date`s (for dates) or `null`/`undefined`/`""` (missing).
 * @module
 */

/** A value that identifies something: customer, product, order, rep... */
export type IdValue = string | number;
/** A number, or a string holding one (decimal point, or comma with `decimalComma`). */
export type NumberValue = number | string;
/** A calendar date or datetime: ISO string, `YYYYMMDD`, a configured format, or a `Date`. */
export type DateValue = string | number | Date;
/** Missing value markers. */
export type Missing = null | undefined;

/** One order line (orders.csv). Key: (order_id, line_id), or the whole row without line_id (a missing unit_cost or list_price read as the product's). */
export interface OrderRow {
  /** Order (invoice) id; several lines share it. */
  order_id: IdValue;
  /** Order date or datetime; becomes an epoch day in the configured time zone. */
  order_date: DateValue;
  /** Buying customer. */
  customer_id: IdValue;
  /** Product (SKU) bought. */
  product_id: IdValue;
  /** Units; negative for a return / credit note line; never 0. */
  quantity: NumberValue;
  /** Net price per unit actually charged (> 0). */
  unit_price: NumberValue;
  /** Line number within the order, for re-sync replacement. */
  line_id?: IdValue | Missing;
  /** Cost per unit (>= 0); else products.csv unit_cost; else profit is unknown for the line. */
  unit_cost?: NumberValue | Missing;
  /** List price per unit (> 0); else products.csv list_price. */
  list_price?: NumberValue | Missing;
  /** Rep who sold the line (the account owner is customers.rep_id). */
  rep_id?: IdValue | Missing;
  /** Sales channel (e.g. field, phone, web, EDI). */
  channel?: string | Missing;
  /** ISO currency code; one per dataset unless `fx` rates are given. */
  currency?: string | Missing;
}

/** One customer (customers.csv). */
export interface CustomerRow {
  /** Customer id as used in orders. */
  customer_id: IdValue;
  /** Display name. */
  name?: string | Missing;
  /** Segment (e.g. restaurants, hotels, retail); peers for shrinkage and segment signals. */
  segment?: string | Missing;
  /** Region or territory. */
  region?: string | Missing;
  /** Account owner rep. */
  rep_id?: IdValue | Missing;
  /** Default channel. */
  channel?: string | Missing;
  /** Parent account (chains, groups). */
  parent_id?: IdValue | Missing;
}

/** One product (products.csv). */
export interface ProductRow {
  /** Product (SKU) id as used in orders. */
  product_id: IdValue;
  /** Display name. */
  name?: string | Missing;
  /** Product family / category. */
  family?: string | Missing;
  /** Current list price per unit (> 0). */
  list_price?: NumberValue | Missing;
  /** Current cost per unit (>= 0). */
  unit_cost?: NumberValue | Missing;
  /** Whether the product is still sold: true/false, 1/0, yes/no, y/n. */
  active?: boolean | string | number | Missing;
}

/** One sales rep (reps.csv). */
export interface RepRow {
  /** Rep id. */
  rep_id: IdValue;
  /** Display name. */
  name?: string | Missing;
  /** The rep's manager (itself a rep id). */
  manager_id?: IdValue | Missing;
  /** Where alerts may be sent. */
  email?: string | Missing;
}

/** One pipeline event (deal_events.csv): a deal entered a stage on a date. */
export interface DealEventRow {
  /** Deal (opportunity) id. */
  deal_id: IdValue;
  /** Customer the deal is with. */
  customer_id: IdValue;
  /** Stage entered: lead, qualified, proposal, negotiation, won, lost (or a mapped name). */
  stage: string;
  /** When the stage was entered. */
  entered_at: DateValue;
  /** Rep working the deal. */
  rep_id?: IdValue | Missing;
  /** Deal amount (>= 0). */
  amount?: NumberValue | Missing;
}

/** One sales target (targets.csv). */
export interface TargetRow {
  /** Rep the target belongs to. */
  rep_id: IdValue;
  /** Period: `YYYY`, `YYYY-Qn`, `YYYY-MM` or `YYYY-Www`. */
  period: string;
  /** KPI name, e.g. `revenue`, `gross_profit`, `active_customers`. */
  kpi: string;
  /** Target value. */
  target: NumberValue;
}

/** One piece of sales content (content.csv) a rep can send. */
export interface ContentRow {
  /** Content id. */
  content_id: IdValue;
  /** Title. */
  title: string;
  /** Link. */
  url: string;
  /** Product it is about. */
  product_id?: IdValue | Missing;
  /** Product family it is about. */
  family?: string | Missing;
  /** Segment it is for. */
  segment?: string | Missing;
  /** Kind: brochure, case study, price list, video... */
  kind?: string | Missing;
}

/** Input tables for `fromRows()`: arrays, iterables or async iterables of rows. */
export interface DatasetRows {
  /** Order lines (required). */
  orders: RowSource<OrderRow>;
  /** Customers master data. */
  customers?: RowSource<CustomerRow> | undefined;
  /** Products master data. */
  products?: RowSource<ProductRow> | undefined;
  /** Reps and their managers. */
  reps?: RowSource<RepRow> | undefined;
  /** Pipeline events. */
  dealEvents?: RowSource<DealEventRow> | undefined;
  /** Sales targets. */
  targets?: RowSource<TargetRow> | undefined;
  /** Sales content. */
  content?: RowSource<ContentRow> | undefined;
}

/** Rows as an array, an iterable or an async iterable. */
export type RowSource<T> = Iterable<T> | AsyncIterable<T>;
