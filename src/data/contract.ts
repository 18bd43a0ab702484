import type { TableName } from "./ingest-report.ts";

/** Description of one table of the data contract. */
export interface TableContract {
  /** Canonical CSV file name. */
  readonly file: string;
  /** Columns that must be present. */
  readonly required: readonly string[];
  /** Columns that may be present. */
  readonly optional: readonly string[];
}

/**
 * The data contract (DESIGN.md section 3): for each table its canonical file name, required and
 * optional columns. Field order here is the order the ingestion core reads values in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DATA_CONTRACT } from "orderpulse";
 * assert.equal(DATA_CONTRACT.orders.file, "orders.csv");
 * assert.ok(DATA_CONTRACT.orders.required.includes("unit_price"));
 * ```
 */
export const DATA_CONTRACT: Readonly<Record<TableName, TableContract>> = {
  orders: {
    file: "orders.csv",
    required: ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price"],
    optional: ["line_id", "unit_cost", "list_price", "rep_id", "channel", "currency"],
  },
  customers: {
    file: "customers.csv",
    required: ["customer_id"],
    optional: ["name", "segment", "region", "rep_id", "channel", "parent_id"],
  },
  products: {
    file: "products.csv",
    required: ["product_id"],
    optional: ["name", "family", "list_price", "unit_cost", "active"],
  },
  reps: { file: "reps.csv", required: ["rep_id"], optional: ["name", "manager_id", "email"] },
  dealEvents: {
    file: "deal_events.csv",
    required: ["deal_id", "customer_id", "stage", "entered_at"],
    optional: ["rep_id", "amount"],
  },
  targets: { file: "targets.csv", required: ["rep_id", "period", "kpi", "target"], optional: [] },
  content: {
    file: "content.csv",
    required: ["content_id", "title", "url"],
    optional: ["product_id", "family", "segment", "kind"],
  },
};
