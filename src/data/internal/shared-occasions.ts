import type { Dataset } from "../dataset.ts";
import { orderOccasions, type OrderOccasions } from "../order-occasions.ts";
import { perView } from "./per-view.ts";

/**
 * @internal {@link orderOccasions} of a view, built once per view and shared by the stages that
 * read it (the KPIs, the BG/NBD summary of the pattern fit and the churn features), as
 * `productOrder` and `purchaseDayIndex` are: read only, never written into. It lives as long as
 * the view (the dataset, or one of the few as-of views `resolveAsOf` keeps): about 32 bytes per
 * occasion, a twentieth of the dataset's bytes on the synthetic distributor.
 */
export const sharedOrderOccasions: (view: Dataset) => OrderOccasions = /* @__PURE__ */ perView(orderOccasions);
