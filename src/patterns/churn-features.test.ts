import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { isOrderpulseError } from "../data/errors.ts";
import type { OrderRow } from "../data/rows.ts";
import { asOfView } from "../data/as-of-view.ts";
import { fitBgNbd } from "./btyd/bg-nbd.ts";
import { summaryFromDataset } from "./btyd/summary-from-dataset.ts";
import { churnFeatures } from "./churn-features.ts";
import { fitIntervalModel } from "./fit-interval-model.ts";
import { studentTCdf } from "./internal/student-t.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";

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

const cid = (c: number): string => `C${String(c).padStart(2, "0")}`;

/** 40 customers buying every 4..13 days from day 0..6 to day 400; every fourth one stops at day 200. */
function base40(): OrderRow[] {
  const rows: OrderRow[] = [];
  for (let c = 0; c < 40; c++) {
    const stop = c % 4 === 0 ? 200 : 401;
    for (let d = c % 7; d < stop; d += 4 + (c % 10)) rows.push(line(cid(c), d, c % 3 ? "X" : "Y", 1 + (c % 2), 3, 4));
  }
  return rows;
}

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

  it("horizonSilenceLogit: the horizon's open days skip the interval model's holidays", () => {
    // two weekly buyers; the first 60 of the 90 days after asOf are holidays: 30 open days ahead
    const orders: OrderRow[] = [];
    for (const [c, off] of [["A", 0], ["B", 1]] as const) for (let w = 0; w < 20; w++) orders.push(line(c, 4 + 7 * w + off, "P", 1, 1));
    const { dataset } = fromRowsSync({ orders });
    const asOf = 4 + 7 * 19 + 3;
    const holidays = Array.from({ length: 60 }, (_, k) => at(asOf + 1 + k));
    const im = fitIntervalModel(dataset, { asOf: at(asOf), calendar: { holidays } });
    expect(im.holidays).toEqual(holidays);
    const f = churnFeatures(dataset, { asOf: at(asOf), intervalModel: im, alive: "none", horizonDays: 90 });
    const r = im.customer("A")!, p = r.posterior!;
    expect(r.openFraction).toBeLessThan(1);
    // (the predictive read on whole days: half an open day added, wholeDaySurvival)
    const survival = (t: number): number => studentTCdf(-(Math.log(t + 0.5 / r.openFraction) - p.mu) / p.scale, p.nu);
    const e = r.openDaysSinceLast! / r.openFraction;
    const q = survival(e + 30 / r.openFraction) / survival(e);
    // before: the 60 holidays counted as open days (90 / openFraction ahead, clamped to logit 1e-6)
    expect(f.rows.find((x) => x.customerId === "A")!.features.horizonSilenceLogit).toBeCloseTo(Math.log(q / (1 - q)), 10);
    expect(Math.log(q / (1 - q))).toBeGreaterThan(-12);
  });

  it("horizonSilenceLogit on the interval model's clock: no jump in the week after a closed month", () => {
    // C00015 (synthetic seed 1, 200 customers) is closed in August and silent since 2026-03-03;
    // the model's clock stands through the week after August, the feature's stood in August only:
    // on Sep 1 the logit jumped from −8.3 to −6.5 (8x the silence probability)
    const syn = generateSyntheticDistributor({ seed: 1, customers: 200, products: 150 });
    const { dataset } = fromRowsSync({ orders: syn.orders, products: syn.products, customers: syn.customers, reps: syn.reps });
    // (each day's model without its backtest: the calibration's likelihood-ratio test switches its
    // factor on or off from one day to the next, a jump of its own, not the clock's)
    const logit = (asOf: string): number => churnFeatures(dataset, { asOf, alive: "none", intervalModel: fitIntervalModel(dataset, { asOf, calibrate: false }) }).rows.find((r) => r.customerId === "C00015")!.features.horizonSilenceLogit!;
    expect(fitIntervalModel(dataset, { asOf: "2026-08-31" }).customer("C00015")!.closedMonths).toContain(8);
    expect(Math.abs(logit("2026-09-01") - logit("2026-08-31"))).toBeLessThan(0.1);
  });

  it("window money is summed compensated: the same sales in another order give trends of exactly 0", () => {
    const orders = [line("A", 20, "P1", 1, 0.1, 1), line("A", 20, "P2", 1, 0.2, 1), line("A", 20, "P3", 1, 0.3, 1), line("A", 110, "P1", 1, 0.3, 1), line("A", 110, "P2", 1, 0.2, 1), line("A", 110, "P3", 1, 0.1, 1)];
    const f = churnFeatures(fromRowsSync({ orders }).dataset, { asOf: at(180), alive: "none" }).rows[0]!.features;
    expect([f.monetaryTrend, f.discountTrend]).toEqual([0, 0]); // were −9.25e-17 and 1.11e-16
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

  it("built-in BG/NBD P(alive): fitted as of the day, in features; btydSilence in the vector", () => {
    const orders = base40();
    const { dataset } = fromRowsSync({ orders });
    const asOf = at(400);
    const f = churnFeatures(dataset, { asOf }); // default: 40 customers >= 30, so bg-nbd
    expect(f.featureNames.at(-1)).toBe("btydSilence");
    expect(f.featureNames).not.toContain("pAlive");
    // by hand: BG/NBD on the purchase occasions up to asOf (weeks), the same fit budget
    const summary = summaryFromDataset(asOfView(dataset, asOf), { asOf });
    const fit = fitBgNbd(summary, { maxEvaluations: 1000 });
    const { r, alpha } = fit.params;
    expect(f.rows).toHaveLength(40);
    for (const row of f.rows) {
      const k = summary.customerIds.indexOf(row.customerId);
      const x = summary.x[k]!, tx = summary.tx[k]!, T = summary.T[k]!;
      expect(row.features.pAlive).toBeCloseTo(fit.probabilityAlive(x, tx, T), 12);
      expect(row.features.btydSilence).toBeCloseTo((r + x) * Math.log((alpha + T) / (alpha + tx)), 10);
      expect(row.values.at(-1)).toBe(row.features.btydSilence);
    }
    // a customer that stopped on day 200 is less likely alive than a steady one
    const gone = f.rows.find((row) => row.customerId === "C00")!.features;
    const steady = f.rows.find((row) => row.customerId === "C01")!.features;
    expect(gone.pAlive!).toBeLessThan(steady.pAlive!);
    expect(gone.btydSilence!).toBeGreaterThan(steady.btydSilence!);
  });

  it("built-in P(alive) never looks past the day: orders added after asOf change no feature", () => {
    const orders = base40();
    const later: OrderRow[] = [];
    // everybody buys again after asOf (the stoppers too), a newcomer arrives, and a big burst
    for (let c = 0; c < 40; c++) for (let d = 301; d < 420; d += 3 + (c % 5)) later.push(line(cid(c), d, "X", 5, 2, undefined, `L${c}-${d}`));
    for (let d = 310; d < 420; d += 2) later.push(line("NEW", d, "X", 1, 1));
    const asOf = at(300);
    const a = churnFeatures(fromRowsSync({ orders }).dataset, { asOf });
    const b = churnFeatures(fromRowsSync({ orders: [...orders, ...later] }).dataset, { asOf });
    expect(a.featureNames.at(-1)).toBe("btydSilence");
    expect(b).toEqual(a);
    // explicitly "bg-nbd" is the default here
    expect(churnFeatures(fromRowsSync({ orders: [...orders, ...later] }).dataset, { asOf, alive: "bg-nbd" })).toEqual(a);
  });

  it('alive: "none" drops the P(alive) features; fewer than 30 customers default to none', () => {
    const { dataset } = fromRowsSync({ orders: base40() });
    const asOf = at(400);
    const withAlive = churnFeatures(dataset, { asOf });
    const none = churnFeatures(dataset, { asOf, alive: "none" });
    expect(none.featureNames).not.toContain("pAlive");
    expect(none.featureNames).not.toContain("btydSilence");
    expect(none.featureNames).toEqual(withAlive.featureNames.slice(0, -1));
    none.rows.forEach((row, i) => {
      expect(row.features.pAlive).toBeUndefined();
      expect(row.features.btydSilence).toBeUndefined();
      expect(row.values).toEqual(withAlive.rows[i]!.values.slice(0, -1));
    });
    // 29 customers: no BG/NBD fit by default; asked for explicitly, neutral values
    const few = fromRowsSync({ orders: base40().filter((o) => Number(String(o.customer_id).slice(1)) < 29) }).dataset;
    expect(churnFeatures(few, { asOf }).featureNames).toEqual(none.featureNames);
    const forced = churnFeatures(few, { asOf, alive: "bg-nbd" });
    expect(forced.featureNames.at(-1)).toBe("btydSilence");
    for (const row of forced.rows) expect([row.features.pAlive, row.features.btydSilence]).toEqual([0.5, 0]);
  });

  it("rejects bad options", () => {
    const { dataset } = fromRowsSync({ orders: [line("A", 0, "X", 1, 1)] });
    for (const bad of [{ horizonDays: 0 }, { trendWindowDays: 1.5 }, { alive: 3 }, { alive: "pareto" }, { alive: true }, { asOf: true }]) {
      try {
        churnFeatures(dataset, bad as never);
        expect.unreachable();
      } catch (e) {
        expect(isOrderpulseError(e) && e.code).toBe("INVALID_OPTION");
      }
    }
  });
});
