import type { ItemRhythm } from "../fit-item-rhythm.ts";
import type { PatternModel, PatternModelJSON } from "../fit-patterns.ts";

/** @internal Lookups over the plain pattern data (shared by fitPatterns and fromPatternsJSON). */
export function buildPatternModel(json: PatternModelJSON): PatternModel {
  const byCustomer = new Map(json.customers.map((c) => [c.customerId, c]));
  const itemsOf = new Map<string, ItemRhythm[]>();
  for (const it of json.items) {
    let list = itemsOf.get(it.customerId);
    if (!list) itemsOf.set(it.customerId, (list = []));
    list.push(it);
  }
  return {
    asOf: json.asOf,
    bgNbd: json.bgNbd,
    calibration: json.calibration,
    holidays: json.holidays ?? [],
    customer: (id) => byCustomer.get(id),
    item: (c, p) => itemsOf.get(c)?.find((x) => x.productId === p),
    items: (c) => itemsOf.get(c) ?? [],
    deals: () => json.deals,
    all: () => json.customers,
    toJSON: () => json,
  };
}
