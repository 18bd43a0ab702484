import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { isOrderpulseError } from "../data/errors.ts";
import type { OrderRow } from "../data/rows.ts";
import { churnFeatures } from "./churn-features.ts";
import { fitIntervalModel } from "./fit-interval-model.ts";

const at = (d: number): string => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
const line = (c: string, d: number, p: string, q: number, price: number, list?: number, id = `${c}-${d}`): OrderRow => ({
  order_id: id,
  order_date: at(d),
  customer_id: c,
  product_id: p,
  quantity: q,
  unit_price: price,
  ...(list !== undefined ? { list_price: list } : {}),
});

describe("churnFeatures", () => {
  it("trends, return share and tenure (hand-computed)", () => {
    // asOf = day 200; windows of 90: previous (20, 110], recent (110, 200]
    const orders: OrderRow[] = [
      line("A", 0, "X", 1, 10, 10), // before both windows: tenure only
      line("A", 30, "X", 2, 9, 10),
      line("A", 30, "Y", 1, 10, 10),
      line("A", 60, "Z", 1, 20),
      line("A", 100, "X", 1, 9, 10),
      line("A", 150, "X", 3, 8, 10),
      line("A", 170, "X", -1, 8, 10, "CN1"), // a return: not a purchase day, counts in the return share
    ];
    const { dataset } = fromRowsSync({ orders });
    const f = churnFeatures(dataset, { asOf: at(200), trendWindowDays: 90 });
    expect(f.asOf).toBe(at(200));
    expect(f.featureNames).not.toContain("pAlive");
    const r = f.rows[0]!.features;
    // purchase days: previous 3 (30, 60, 100), recent 1 (150)
    expect(r.frequencyTrend).toBeCloseTo((1 - 3) / 4, 14);
    // distinct products: previous X, Y, Z = 3; recent X = 1
    expect(r.breadthTrend).toBeCloseTo((1 - 3) / 4, 14);
    // sales: previous 18 + 10 + 20 + 9 = 57; recent 24
    expect(r.monetaryTrend).toBeCloseTo((24 - 57) / (24 + 57), 14);
    // discount: previous 1 - (18 + 10 + 9) / (20 + 10 + 10) = 0.075 (Z has no list price); recent 1 - 24/30 = 0.2
    expect(r.discountTrend).toBeCloseTo(0.2 - 0.075, 14);
    // returned 8 of 81 sold in both windows
    expect(r.returnShare).toBeCloseTo(8 / 81, 14);
    expect(r.logTenure).toBeCloseTo(Math.log(201), 14);
    expect(r.logPurchaseDays).toBeCloseTo(Math.log(5), 14);
    expect(r.logDaysSinceLast).toBeCloseTo(Math.log(51), 14);
    expect(f.rows[0]!.daysSinceLast).toBe(50);
    expect(f.rows[0]!.values).toEqual(f.featureNames.map((n) => r[n]));
    for (const v of f.rows[0]!.values) expect(Number.isFinite(v)).toBe(true);
  });

  it("takes the interval model's view of the silence", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) orders.push(line("W", 7 * w, "P", 1, 1));
    const { dataset } = fromRowsSync({ orders });
    const soon = churnFeatures(dataset, { asOf: at(7 * 39 + 2) }).rows[0]!;
    const late = churnFeatures(dataset, { asOf: at(7 * 39 + 40) }).rows[0]!;
    const im = fitIntervalModel(dataset, { asOf: at(7 * 39 + 40) }).customer("W")!;
    expect(late.overdueProbability).toBe(im.overdueProbability);
    expect(late.features.overdueLogit).toBeGreaterThan(soon.features.overdueLogit);
    expect(late.features.logGapRatio).toBeCloseTo(Math.log((1 + im.openDaysSinceLast!) / (1 + im.typicalGapOpenDays!)), 12);
    expect(late.features.logTypicalGap).toBeCloseTo(Math.log(im.typicalGapOpenDays!), 12);
    // a weekly buyer staying silent for 90 more days is very unlikely under its rhythm
    expect(soon.features.horizonSilenceLogit).toBeLessThan(Math.log(0.01 / 0.99));
    // the same interval model passed in gives the same answer; another day is refused
    expect(churnFeatures(dataset, { asOf: at(7 * 39 + 40), intervalModel: fitIntervalModel(dataset, { asOf: at(7 * 39 + 40) }) }).rows).toEqual([late]);
    expect(() => churnFeatures(dataset, { asOf: at(7 * 39 + 41), intervalModel: fitIntervalModel(dataset, { asOf: at(7 * 39 + 40) }) })).toThrow(/intervalModel/);
  });

  it("reads nothing after asOf: orders added later change no feature", () => {
    const base: OrderRow[] = [];
    for (let d = 0; d < 300; d += 5) base.push(line("A", d, d % 10 ? "X" : "Y", 2, 3, 4));
    for (let d = 2; d < 300; d += 11) base.push(line("B", d, "X", 1, 3));
    const later: OrderRow[] = [line("A", 301, "Z", 50, 1, 9), line("B", 305, "X", -1, 3, 3, "CN9"), line("C", 302, "X", 1, 1), line("A", 400, "X", 1, 1)];
    const seen: string[] = [];
    const alive = (id: string, asOf: string): number => (seen.push(asOf), id === "A" ? 0.9 : 0.4);
    const a = churnFeatures(fromRowsSync({ orders: base }).dataset, { asOf: at(300), alive });
    const b = churnFeatures(fromRowsSync({ orders: [...base, ...later] }).dataset, { asOf: at(300), alive });
    expect(b).toEqual(a);
    expect(a.featureNames.at(-1)).toBe("pAlive");
    expect(a.rows.map((r) => r.features.pAlive)).toEqual([0.9, 0.4]);
    expect(new Set(seen)).toEqual(new Set([at(300)]));
  });

  it("rejects bad options", () => {
    const { dataset } = fromRowsSync({ orders: [line("A", 0, "X", 1, 1)] });
    for (const bad of [{ horizonDays: 0 }, { trendWindowDays: 1.5 }, { alive: 3 }, { asOf: true }]) {
      try {
        churnFeatures(dataset, bad as never);
        expect.unreachable();
      } catch (e) {
        expect(isOrderpulseError(e) && e.code).toBe("INVALID_OPTION");
      }
    }
  });
});
