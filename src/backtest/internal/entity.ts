import type { Signal, SignalType } from "../../signals/types.ts";

/** @internal Types whose entity is a customer. */
export const CUSTOMER_TYPES: ReadonlySet<SignalType> = new Set<SignalType>(["customer_overdue", "frequency_drop", "diversity_drop"]);
/** @internal Types whose entity is a customer x product. */
export const ITEM_TYPES: ReadonlySet<SignalType> = new Set<SignalType>(["item_dropped", "item_volume_drop"]);

/** @internal The group a KPI or discount signal is about: `rep R01`, `segment hotels` or `company`. */
export function groupOf(s: { readonly repId?: string | undefined; readonly segment?: string | undefined }): string {
  return s.segment !== undefined ? `segment ${s.segment}` : s.repId !== undefined ? `rep ${s.repId}` : "company";
}

/**
 * @internal The entity a signal is about (DESIGN section 4's levels): customer; customer x
 * product; segment x product; segment or rep (discount); rep x stage; KPI x group.
 */
export function entityOf(s: Signal): string {
  switch (s.type) {
    case "customer_overdue":
    case "frequency_drop":
    case "diversity_drop":
      return s.customerId ?? "";
    case "item_dropped":
    case "item_volume_drop":
      return `${s.customerId ?? ""} / ${s.productId ?? ""}`;
    case "product_vanishing":
      return `${s.segment ?? ""} / ${s.productId ?? ""}`;
    case "discount_anomaly":
      return groupOf(s);
    case "pipeline_stall":
      return `${s.repId ?? ""} / ${s.stage ?? ""}`;
    case "kpi_drop":
      return `${s.kpi ?? ""} / ${groupOf(s)}`;
  }
}

/** @internal The key a type's flags are matched to known changes by: the entity, except kpi_drop (its group, any KPI). */
export function matchKeyOf(s: Signal): string {
  return s.type === "kpi_drop" ? groupOf(s) : entityOf(s);
}
