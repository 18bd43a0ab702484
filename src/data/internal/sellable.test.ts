import { describe, expect, it } from "vitest";
import { detectDiversityDrop } from "../../signals/detect-diversity-drop.ts";
import { detectItemDropped } from "../../signals/detect-item-dropped.ts";
import { detectProductVanishing } from "../../signals/detect-product-vanishing.ts";
import { recommend } from "../../recommend/recommend.ts";
import { resolveAsOf } from "./resolve-as-of.ts";
import { fromRowsSync } from "../from-rows-sync.ts";
import type { OrderRow } from "../rows.ts";
import { sellableProducts } from "./sellable.ts";

const asOf = "2026-10-31";
/** Six customers ordering every Monday from 2025-01-06 to 2026-10-26; `lines(c, day)` gives each order's products. */
function weekly(lines: (c: number, day: string) => string[], until: (c: number) => string = () => "2026-10-26"): OrderRow[] {
  const orders: OrderRow[] = [];
  for (let c = 0; c < 6; c++) {
    for (let w = 0; ; w++) {
      const day = new Date(Date.UTC(2025, 0, 6 + 7 * w)).toISOString().slice(0, 10);
      if (day > until(c)) break;
      for (const p of lines(c, day)) orders.push({ order_id: `O${c}-${w}`, line_id: p, order_date: day, customer_id: `C${c}`, product_id: p, quantity: 4, unit_price: 10, unit_cost: 7, list_price: 11 });
    }
  }
  return orders;
}
const sellable = (orders: OrderRow[]): Record<string, number> => {
  const { view } = resolveAsOf(fromRowsSync({ orders }).dataset, asOf);
  const s = sellableProducts(view);
  return Object.fromEntries(view.ids.products.values.map((id, p) => [id, s[p]!]));
};

describe("sellableProducts", () => {
  it("a staple renumbered for everyone (every buyer still ordering, the old id bought by none since) is off the market; its signals and offers go", () => {
    const orders = weekly((_c, day) => [day >= "2026-08-03" ? "A2" : "A", "B"]);
    expect(sellable(orders)).toEqual({ A: 0, A2: 1, B: 1 });
    const { dataset } = fromRowsSync({ orders });
    expect(detectItemDropped(dataset, { asOf }).filter((s) => s.productId === "A")).toEqual([]);
    expect(detectProductVanishing(dataset, { asOf }).filter((s) => s.productId === "A")).toEqual([]);
    expect(recommend(dataset, { asOf, customerIds: ["C0", "C1"], k: 5 }).filter((o) => o.productId === "A")).toEqual([]);
    // the same staple still bought by one customer is on the market: the others dropped it
    expect(sellable(weekly((c, day) => [day >= "2026-08-03" && c > 0 ? "A2" : "A", "B"])).A).toBe(1);
  });

  it("a six-week shortage across segments: off the market during it, sellable again once it sells; in one segment's baskets alone it may be a competitor's win and stays watched", () => {
    const orders = weekly((_c, day) => (day >= "2026-08-10" && day <= "2026-09-20" ? ["B"] : ["A", "B"]));
    const at = (day: string, segments: string[]): number => {
      const customers = segments.map((segment, c) => ({ customer_id: `C${c}`, segment }));
      const { view } = resolveAsOf(fromRowsSync({ orders, customers }).dataset, day);
      return sellableProducts(view)[view.ids.products.indexOf("A")]!;
    };
    const two = ["cafes", "cafes", "cafes", "hotels", "hotels", "hotels"];
    expect([at("2026-08-31", two), at("2026-09-18", two), at("2026-10-31", two)]).toEqual([1, 0, 1]); // 3 weeks silent is not yet a stop
    expect(at("2026-09-18", two.map(() => "cafes"))).toBe(1);
    // one hotel beside five cafes is no spread (review 2026-12-08: a one-segment loss lost its offers)
    expect(at("2026-09-18", ["cafes", "cafes", "cafes", "cafes", "cafes", "hotels"])).toBe(1);
    // customers without a segment are in none (self-review 2026-12-08: three of them read as a second segment)
    const customersOf = (segments: (string | undefined)[]) => segments.map((segment, c) => (segment === undefined ? { customer_id: `C${c}` } : { customer_id: `C${c}`, segment }));
    const { view } = resolveAsOf(fromRowsSync({ orders, customers: customersOf(["cafes", "cafes", "cafes", undefined, undefined, undefined]) }).dataset, "2026-09-18");
    expect(sellableProducts(view)[view.ids.products.indexOf("A")]).toBe(1);
    // and off the market, the product is no diversity_drop either (as a discontinued one)
    const customers = two.map((segment, c) => ({ customer_id: `C${c}`, segment }));
    const wide = weekly((_c, day) => (day >= "2026-08-10" ? ["B", "D", "F"] : ["A", "B", "C", "D", "E", "F"]));
    expect(detectDiversityDrop(fromRowsSync({ orders: wide, customers }).dataset, { asOf: "2026-10-05" })).toEqual([]);
  });

  it("stays sellable: a seasonal product out of season, one whose buyers drop it one by one, one whose buyers left the distributor", () => {
    const summer = (day: string): boolean => day.slice(5, 7) >= "06" && day.slice(5, 7) <= "08";
    expect(sellable(weekly((_c, day) => (summer(day) ? ["S", "B"] : ["B"]))).S).toBe(1);
    expect(sellable(weekly((c, day) => (day < ["2026-03-02", "2026-04-06", "2026-05-04", "2026-06-01", "2026-07-06", "2026-08-03"][c]! ? ["A", "B"] : ["B"]))).A).toBe(1);
    // every buyer of A gone since 2026-08-03 (a chain that left), B bought by customers who never took A
    const left = weekly((c) => (c < 3 ? ["A"] : ["B"]), (c) => (c < 3 ? "2026-08-03" : "2026-10-26"));
    expect(sellable(left).A).toBe(1);
  });

  it("a product marked inactive is not sellable", () => {
    const { view } = resolveAsOf(fromRowsSync({ orders: weekly(() => ["A", "B"]), products: [{ product_id: "A", active: false }] }).dataset, asOf);
    expect(Array.from(sellableProducts(view))).toEqual([0, 1]);
  });
});
