import type { Dataset } from "../data/dataset.ts";
import { PRESETS } from "../csv/internal/presets.ts";

/**
 * @internal The id the data hold for a customer or product id typed on the command line: as typed
 * when the data have it, else as `--preset` rewrites the file's ids when the data have that (an
 * Online Retail user types what the file shows: product `58573p` is `58573P` in the data, customer
 * `15730.0` of Online Retail II is `15730`; both read "no ... in the data" until 2026-12-07).
 * @param preset - the `--preset` flag's value
 * @param dataset - the data read
 * @param kind - which ids
 * @param id - as typed
 * @returns the id to look up (as typed when neither form is in the data)
 */
export function presetId(preset: unknown, dataset: Dataset, kind: "customer" | "product", id: string): string {
  const ids = kind === "customer" ? dataset.ids.customers : dataset.ids.products;
  if (ids.indexOf(id) >= 0 || typeof preset !== "string" || !Object.hasOwn(PRESETS, preset)) return id;
  const p = PRESETS[preset]!;
  const rewrite = kind === "customer" ? p.customerId : p.productId;
  const as = rewrite?.(id);
  return as !== undefined && ids.indexOf(as) >= 0 ? as : id;
}
