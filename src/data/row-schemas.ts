import * as z from "zod/mini";
import type { ContentRow, CustomerRow, DealEventRow, OrderRow, ProductRow, RepRow, TargetRow } from "./rows.ts";

/**
 * zod (`zod/mini`) schemas of the data contract's rows, for hosts that validate payloads at
 * their own boundary (an API receiving order lines, a queue consumer). They check shape and
 * types; the ingestion core applies the value rules (dates, prices > 0, quantity != 0) and
 * reports rejections row by row. orderpulse itself never runs zod per row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowSchemas } from "orderpulse";
 * const ok = rowSchemas.orders.safeParse({ order_id: "A1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 2, unit_price: "9.50" });
 * assert.equal(ok.success, true);
 * assert.equal(rowSchemas.orders.safeParse({ order_id: "A1" }).success, false);
 * ```
 */
export const rowSchemas: {
  /** orders.csv rows. */
  readonly orders: z.ZodMiniType<OrderRow>;
  /** customers.csv rows. */
  readonly customers: z.ZodMiniType<CustomerRow>;
  /** products.csv rows. */
  readonly products: z.ZodMiniType<ProductRow>;
  /** reps.csv rows. */
  readonly reps: z.ZodMiniType<RepRow>;
  /** deal_events.csv rows. */
  readonly dealEvents: z.ZodMiniType<DealEventRow>;
  /** targets.csv rows. */
  readonly targets: z.ZodMiniType<TargetRow>;
  /** content.csv rows. */
  readonly content: z.ZodMiniType<ContentRow>;
} = /* @__PURE__ */ (() => {
  const id = z.union([z.string().check(z.trim(), z.minLength(1)), z.number()]);
  const optId = z.optional(z.nullable(z.union([z.string(), z.number()])));
  const num = z.union([z.number(), z.string().check(z.trim(), z.minLength(1))]);
  const optNum = z.optional(z.nullable(z.union([z.number(), z.string()])));
  const optText = z.optional(z.nullable(z.union([z.string(), z.number()]))); // the core turns numbers into text
  const date = z.union([z.string().check(z.trim(), z.minLength(1)), z.number(), z.date()]);
  return {
  orders: z.object({
    order_id: id,
    order_date: date,
    customer_id: id,
    product_id: id,
    quantity: num,
    unit_price: num,
    line_id: optId,
    unit_cost: optNum,
    list_price: optNum,
    rep_id: optId,
    channel: optText,
    currency: optText,
  }) as z.ZodMiniType<OrderRow>,
  customers: z.object({ customer_id: id, name: optText, segment: optText, region: optText, rep_id: optId, channel: optText, parent_id: optId }) as z.ZodMiniType<CustomerRow>,
  products: z.object({
    product_id: id,
    name: optText,
    family: optText,
    list_price: optNum,
    unit_cost: optNum,
    active: z.optional(z.nullable(z.union([z.boolean(), z.string(), z.number()]))),
  }) as z.ZodMiniType<ProductRow>,
  reps: z.object({ rep_id: id, name: optText, manager_id: optId, email: optText }) as z.ZodMiniType<RepRow>,
  dealEvents: z.object({ deal_id: id, customer_id: id, stage: z.string().check(z.minLength(1)), entered_at: date, rep_id: optId, amount: optNum }) as z.ZodMiniType<DealEventRow>,
  targets: z.object({ rep_id: id, period: z.string().check(z.minLength(1)), kpi: z.string().check(z.minLength(1)), target: num }) as z.ZodMiniType<TargetRow>,
  content: z.object({ content_id: id, title: z.string().check(z.minLength(1)), url: z.string().check(z.minLength(1)), product_id: optId, family: optText, segment: optText, kind: optText }) as z.ZodMiniType<ContentRow>,
};
})();
