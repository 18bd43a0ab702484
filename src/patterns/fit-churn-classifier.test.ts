import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { parseDay } from "../data/parse-day.ts";
import type { OrderRow } from "../data/rows.ts";
import { churnFeatures } from "./churn-features.ts";
import { aliveProvider, fitChurnClassifier } from "./fit-churn-classifier.ts";
import { churnSnapshot } from "./internal/churn-snapshots.ts";

const at = (d: number): string => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);

/** 60 customers buying every 5..12 days for ~2.5 years; every third one stops at a day spread over the history. */
function population(): OrderRow[] {
  const rows: OrderRow[] = [];
  for (let c = 0; c < 60; c++) {
    const gap = 5 + (c % 8);
    const stop = c % 3 === 0 ? 250 + 10 * c : 100_000;
    // the stoppers slow down before they stop
    let d = c % 5;
    while (d < 900 && d < stop) {
      rows.push({ order_id: `O${c}-${d}`, order_date: at(d), customer_id: `C${String(c).padStart(2, "0")}`, product_id: `P${d % 3}`, quantity: 2, unit_price: 10, list_price: 11 });
      d += stop - d < 120 ? 2 * gap : gap;
    }
  }
  return rows;
}

describe("fitChurnClassifier", () => {
  const { dataset } = fromRowsSync({ orders: population() });
  const asOf = at(899);
  const model = fitChurnClassifier(dataset, { asOf, snapshots: 12 });

  it("trains on snapshots whose label windows end by asOf, calibrates on the newest", () => {
    expect(model.asOf).toBe(asOf);
    expect(model.training.snapshots).toHaveLength(9);
    expect(model.calibration.snapshots).toHaveLength(3);
    // newest snapshot = asOf − 90; each 30 days earlier
    expect(model.calibration.snapshots.at(-1)).toBe(at(899 - 90));
    expect(model.training.snapshots[0]).toBe(at(899 - 90 - 11 * 30));
    expect(model.training.converged).toBe(true);
    expect(model.training.positives).toBeGreaterThan(0);
    expect(model.calibration.method).toBe("platt");
    expect(model.coefficients.map((c) => c.name)).toEqual(model.featureNames);
    expect(model.featureNames).toContain("overdueLogit");
  });

  it("predicts churn for a customer that went silent, not for a steady one", () => {
    // C54 stops at day 790: silent for 109 days at asOf; C01 buys every 6 days
    const gone = model.predict("C54")!;
    const steady = model.predict("C01")!;
    expect(steady).toBeLessThan(0.2);
    expect(gone).toBeGreaterThan(steady);
    expect(model.predict("nobody")).toBeUndefined();
    expect(model.predictions).toHaveLength(60);
    for (const p of model.predictions) expect(p.probability).toBeGreaterThanOrEqual(0), expect(p.probability).toBeLessThanOrEqual(1);
    expect(model.predictions.find((p) => p.customerId === "C54")).toMatchObject({ atRisk: false, daysSinceLast: expect.any(Number) });
    expect(model.probability(model.features("C01")!.values)).toBe(steady);
  });

  it("serializes its parameters", () => {
    const json = JSON.parse(JSON.stringify(model));
    expect(json).toEqual(model.toJSON());
    expect(json.predictions).toBeUndefined();
    expect(Object.keys(json)).toEqual(["asOf", "horizonDays", "trendWindowDays", "activeDays", "l2", "alive", "featureNames", "intercept", "coefficients", "calibration", "training"]);
    // a vector of the wrong length is a programmer error with a code (it was a plain RangeError)
    expect(() => model.probability([1, 2])).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });

  it("as-of leakage: orders after asOf change nothing at asOf", () => {
    const extra: OrderRow[] = [];
    for (let c = 0; c < 60; c += 2) extra.push({ order_id: `L${c}`, order_date: at(900 + c), customer_id: `C${String(c).padStart(2, "0")}`, product_id: "NEW", quantity: 9, unit_price: 1 });
    extra.push({ order_id: "L-new", order_date: at(950), customer_id: "NEWCOMER", product_id: "P1", quantity: 1, unit_price: 1 });
    const more = fromRowsSync({ orders: [...population(), ...extra] }).dataset;
    const again = fitChurnClassifier(more, { asOf, snapshots: 12 });
    expect(again.toJSON()).toEqual(model.toJSON());
    expect(again.predictions).toEqual(model.predictions);
  });

  it("P(alive) from BG/NBD by default (60 customers), as btydSilence; none on request", () => {
    expect(model.alive).toBe("bg-nbd");
    expect(model.featureNames.at(-1)).toBe("btydSilence");
    expect(model.features("C01")!.features.pAlive).toBeGreaterThan(0);
    const none = fitChurnClassifier(dataset, { asOf, snapshots: 12, alive: "none" });
    expect(none.alive).toBe("none");
    expect(none.featureNames).toEqual(model.featureNames.slice(0, -1));
    expect(none.features("C01")!.features.pAlive).toBeUndefined();
    // fewer than 30 customers at the oldest snapshot: none by default
    const few = fromRowsSync({ orders: population().filter((o) => Number(String(o.customer_id).slice(1)) < 29) }).dataset;
    expect(fitChurnClassifier(few, { asOf: at(600), snapshots: 6, calibrationSnapshots: 0 }).alive).toBe("none");
  });

  it("snapshot features never look past the snapshot day (BG/NBD fitted from the whole dataset's view)", () => {
    // the provider is bound to the full dataset (as evaluateChurnModel does); a dataset that
    // physically ends at the snapshot day must give the same features
    const day = parseDay(at(600));
    const aliveAt = aliveProvider(dataset, "bg-nbd");
    const snap = churnSnapshot(dataset, day, 90, 90, 90, aliveAt(day));
    const cut = fromRowsSync({ orders: population().filter((o) => String(o.order_date) <= at(600)) }).dataset;
    const direct = churnFeatures(cut, { asOf: at(600), alive: "bg-nbd" });
    expect(snap.featureNames).toEqual(direct.featureNames);
    expect(snap.rows.length).toBeGreaterThan(20);
    expect(snap.rows).toEqual(direct.rows.filter((r) => r.daysSinceLast < 90));
    expect(aliveAt(day)).toBe(aliveAt(day)); // one fit per day
  });

  it("uses the injected P(alive) as of each snapshot", () => {
    const days = new Set<string>();
    // (8 snapshots: 3 training ones held fewer than 10 churned rows)
    const m = fitChurnClassifier(dataset, { asOf, snapshots: 8, calibrationSnapshots: 1, alive: (_id, day) => (days.add(day), 0.7) });
    expect(m.featureNames.at(-1)).toBe("pAlive");
    expect(m.featureNames).not.toContain("btydSilence");
    expect(m.alive).toBe("custom");
    // 8 snapshots + asOf itself
    expect([...days].sort()).toEqual([...Array.from({ length: 8 }, (_, k) => at(899 - 90 - 30 * k)), asOf].sort());
  });

  it("uncalibrated when no snapshot is held out; errors on too little history and bad options", () => {
    const m = fitChurnClassifier(dataset, { asOf, snapshots: 4, calibrationSnapshots: 0, l2: 10 });
    expect(m.calibration).toMatchObject({ method: "none", slope: 1, intercept: 0 });
    const codeOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return isOrderpulseError(e) ? e.code : e;
      }
      return "no error";
    };
    expect(codeOf(() => fitChurnClassifier(dataset, { asOf: at(60) }))).toBe("INVALID_OPTION");
    expect(codeOf(() => fitChurnClassifier(dataset, { snapshots: 0 }))).toBe("INVALID_OPTION");
    expect(codeOf(() => fitChurnClassifier(dataset, { snapshots: 4, calibrationSnapshots: 4 }))).toBe("INVALID_OPTION");
    expect(codeOf(() => fitChurnClassifier(dataset, { l2: -1 }))).toBe("INVALID_OPTION");
    expect(codeOf(() => fitChurnClassifier(dataset, { horizonDays: 2.5 }))).toBe("INVALID_OPTION");
    expect(codeOf(() => fitChurnClassifier(dataset, { alive: "btyd" as never }))).toBe("INVALID_OPTION");
  });

  it("refuses fewer than 10 training rows of an outcome (review 2026-12-07: one churned row of 141 trained a classifier that lost to both baselines)", () => {
    // 30 steady weekly buyers and one that stops: a handful of churned rows at most
    const rows: OrderRow[] = [];
    for (let c = 0; c < 31; c++) for (let d = c % 7; d < 700 && (c > 0 || d < 400); d += 7) rows.push({ order_id: `O${c}-${d}`, order_date: at(d), customer_id: `C${c}`, product_id: "P", quantity: 1, unit_price: 10 });
    const few = fromRowsSync({ orders: rows }).dataset;
    let error: unknown;
    try {
      fitChurnClassifier(few, { asOf: at(699) });
    } catch (e) {
      error = e;
    }
    expect(isOrderpulseError(error) && error.code).toBe("INVALID_OPTION");
    expect((error as Error).message).toMatch(/ churned, \d+ snapshots\): at least 10 rows of each outcome are needed/);
    // a data shortfall, told apart from a bad option by its reason (docs/data.md)
    expect(isOrderpulseError(error) && error.details).toMatchObject({ option: "asOf", reason: "insufficient_history" });
    expect(isOrderpulseError(error) && (error.details["churned"] as number) < 10).toBe(true);
  });

  it("held-out snapshots without a churned row go back into training (Platt needs both outcomes)", () => {
    // every third customer stops between days 300 and 495: the newest snapshots' label windows hold no churn
    const rows = population().filter((r) => {
      const c = Number(String(r.customer_id).slice(1));
      return c % 3 !== 0 || parseDay(r.order_date) - parseDay(at(0)) < 300 + 3 * c;
    });
    const { dataset: d } = fromRowsSync({ orders: rows });
    const m = fitChurnClassifier(d, { asOf: at(899), alive: "none" });
    const none = fitChurnClassifier(d, { asOf: at(899), alive: "none", calibrationSnapshots: 0 });
    expect(m.calibration).toMatchObject({ method: "none", snapshots: [], rows: 0 });
    // every snapshot is accounted for: until 2026-12-06 the 3 held out were neither used nor reported
    expect(m.training).toEqual(none.training);
    expect(m.training.snapshots.length).toBe(12);
  });

  it("probability(values) takes an array of featureNames.length numbers, else INVALID_OPTION", () => {
    const n = model.featureNames.length;
    const p = model.probability(new Array(n).fill(0));
    expect(p > 0 && p < 1).toBe(true);
    for (const bad of [new Array(n).fill("1"), new Array(n).fill(null), new Array(n).fill({}), new Array(n), [1], "x"]) {
      let code: unknown = "no error";
      try {
        model.probability(bad as never);
      } catch (e) {
        code = isOrderpulseError(e) ? e.code : e;
      }
      expect(code).toBe("INVALID_OPTION");
    }
    expect(model.probability(new Array(n).fill(Number.NaN))).toBeNaN();
  });
});
