import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { parseDay } from "../data/parse-day.ts";
import type { OrderRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { evaluateChurnModel } from "./evaluate-churn-model.ts";
import { cdnowEvents } from "../../test/support/btyd-cdnow.ts";
import { asOfView } from "../data/as-of-view.ts";
import { churnSnapshot } from "./internal/churn-snapshots.ts";
import { rocAuc } from "./internal/classification-metrics.ts";

const at = (d: number): string => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);

/** 40 customers on 7-10-day rhythms over 900 days, every third one stopping at 200 + 15c. */
function handBuilt(): ReturnType<typeof fromRowsSync>["dataset"] {
  const orders: OrderRow[] = [];
  for (let c = 0; c < 40; c++) {
    const stop = c % 3 === 0 ? 200 + 15 * c : 10_000;
    for (let d = c % 7; d < 900 && d < stop; d += 7 + (c % 4)) {
      orders.push({ order_id: `O${c}-${d}`, order_date: at(d), customer_id: `C${c}`, product_id: "P", quantity: 1, unit_price: 5 });
    }
  }
  return fromRowsSync({ orders }).dataset;
}

describe("evaluateChurnModel", () => {
  it("synthetic distributor (400 customers, 3 years): the model beats both baselines on a temporal holdout, calibrated", () => {
    const synth = generateSyntheticDistributor({ seed: 1, customers: 400, products: 300, years: 3 });
    const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products });
    const e = evaluateChurnModel(dataset, { splitDate: "2026-02-01" });
    const split = parseDay(e.splitDate);
    // no label window crosses the split: training windows end by T, test snapshots start at T
    const lastTrain = [...e.model.training.snapshots, ...e.model.calibration.snapshots].map((d) => parseDay(d)).sort((a, b) => a - b).at(-1)!;
    expect(lastTrain + e.horizonDays).toBeLessThanOrEqual(split);
    expect(parseDay(e.testSnapshots[0]!)).toBe(split);
    expect(parseDay(e.testSnapshots.at(-1)!) + e.horizonDays).toBeLessThanOrEqual(parseDay(e.endDate));
    const [model, days, overdue] = e.scorers.map((s) => s.metrics);
    expect(e.scorers.map((s) => s.scorer)).toEqual(["model", "days_since_last", "overdue_probability"]);
    expect(model!.n).toBe(e.rows);
    expect(e.positives).toBeGreaterThan(50);
    // P(alive) from BG/NBD as of each snapshot (the default with 30+ customers), as btydSilence
    expect(e.model.alive).toBe("bg-nbd");
    expect(e.model.featureNames.at(-1)).toBe("btydSilence");
    // measured (docs/patterns.md, section 5; npm run bench:churn): model AUC 0.857, Brier 0.0419,
    // ECE 0.020; days since last 0.780 / 0.0438 / 0.015; overdue probability 0.633 / 0.0460 /
    // 0.015 (alive: "none": 0.810 / 0.0455 / 0.024)
    expect(model!.auc!).toBeGreaterThan(days!.auc! + 0.04);
    expect(model!.auc!).toBeGreaterThan(overdue!.auc! + 0.15);
    expect(model!.brier).toBeLessThan(days!.brier);
    expect(model!.brier).toBeLessThan(overdue!.brier);
    expect(model!.ece).toBeLessThanOrEqual(0.05);
    expect(model!.reliability).toHaveLength(10);
    expect(model!.reliability.reduce((s, b) => s + b.count, 0)).toBe(e.rows);
  });

  it("CDNOW 1/10 sample (2,357 consumers, 18 months): the model beats both baselines on a temporal holdout", () => {
    // one order line per CDNOW purchase record (as benchmarks/churn-accuracy.ts)
    const orders: OrderRow[] = cdnowEvents().map((e, i) => ({ order_id: `o${i}`, order_date: formatDay(e.day), customer_id: e.customerId, product_id: "cd", quantity: 1, unit_price: Math.max(0.01, e.value ?? 0) }));
    const { dataset } = fromRowsSync({ orders });
    // fewer snapshots than the defaults to keep the test short (the benchmark runs the defaults)
    const e = evaluateChurnModel(dataset, { splitDate: "1998-01-01", snapshots: 6, testSnapshots: 2 });
    expect(e.model.alive).toBe("bg-nbd");
    expect(e.testSnapshots).toEqual(["1998-01-01", "1998-01-31"]);
    const [model, days, overdue] = e.scorers.map((s) => s.metrics);
    expect(e.rows).toBeGreaterThan(700);
    expect(e.positives).toBeGreaterThan(300);
    // measured: model AUC 0.715 / Brier 0.212 / ECE 0.057; days since last 0.608 / 0.256 / 0.130;
    // overdue probability 0.434 / 0.273 / 0.131 (alive: "none": 0.719 / 0.211 / 0.069; with the
    // default snapshots, in the benchmark, 0.712 with BG/NBD vs 0.706 without)
    expect(model!.auc!).toBeGreaterThan(days!.auc! + 0.05);
    expect(model!.auc!).toBeGreaterThan(overdue!.auc! + 0.15);
    expect(model!.brier).toBeLessThan(days!.brier);
    expect(model!.brier).toBeLessThan(overdue!.brier);
  });

  it("the baselines' AUC is that of their raw scores (no clamping, no ties from the calibration)", () => {
    const dataset = handBuilt();
    const e = evaluateChurnModel(dataset, { splitDate: at(600), snapshots: 6, calibrationSnapshots: 0, testSnapshots: 3, alive: "none" });
    // the same test rows, with the raw scores
    const full = asOfView(dataset, parseDay(e.endDate));
    const days: number[] = [], overdue: number[] = [], labels: number[] = [];
    for (const d of e.testSnapshots) {
      const s = churnSnapshot(full, parseDay(d), e.horizonDays, e.model.activeDays, e.model.trendWindowDays, { kind: "none" });
      s.rows.forEach((row, i) => (days.push(row.daysSinceLast), overdue.push(row.overdueProbability), labels.push(s.labels[i]!)));
    }
    expect(labels.length).toBe(e.rows);
    // most overdue probabilities here are below 1e-9: clamped to 1e-9 before the calibration they
    // tied (reported 0.929 instead of 0.953)
    expect(overdue.filter((p) => p > 0 && p < 1e-9).length).toBeGreaterThan(10);
    expect(e.scorers[2]!.metrics.auc).toBe(rocAuc(overdue, labels));
    expect(e.scorers[1]!.metrics.auc).toBe(rocAuc(days, labels));
    // Brier score and ECE stay those of the calibrated probabilities
    expect(e.scorers[2]!.metrics.brier).toBeGreaterThan(0);
  });

  it("runs on a hand-built history and checks its options", () => {
    const dataset = handBuilt();
    const e = evaluateChurnModel(dataset, { splitDate: at(600), snapshots: 6, calibrationSnapshots: 0, testSnapshots: 3, bins: 5 });
    expect(e.testSnapshots).toEqual([at(600), at(630), at(660)]);
    expect(e.scorers[0]!.metrics.reliability).toHaveLength(5);
    expect(e.endDate).toBe(formatDay(dataset.dayRange!.last));
    const codeOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (err) {
        return isOrderpulseError(err) ? err.code : err;
      }
      return "no error";
    };
    expect(codeOf(() => evaluateChurnModel(dataset, {} as never))).toBe("INVALID_OPTION");
    expect(codeOf(() => evaluateChurnModel(dataset, { splitDate: at(850) }))).toBe("INVALID_OPTION"); // no test window fits
    expect(codeOf(() => evaluateChurnModel(dataset, { splitDate: at(600), asOf: at(600) } as never))).toBe("INVALID_OPTION");
    expect(codeOf(() => evaluateChurnModel(dataset, { splitDate: at(600), bins: 1 }))).toBe("INVALID_OPTION");
    // the option named is the caller's: splitDate (too early, or after the data), endDate (before splitDate), never asOf
    const optionOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (err) {
        return isOrderpulseError(err) ? (err.details as { option?: unknown } | undefined)?.option : err;
      }
      return "no error";
    };
    expect(optionOf(() => evaluateChurnModel(dataset, { splitDate: at(-400) }))).toBe("splitDate");
    expect(optionOf(() => evaluateChurnModel(dataset, { splitDate: at(600), endDate: at(500) }))).toBe("endDate");
    expect(optionOf(() => evaluateChurnModel(dataset, { splitDate: at(5000) }))).toBe("splitDate");
    // a later endDate is capped at the data's end, not at fault: splitDate after the data is (review 2026-12-06)
    expect(optionOf(() => evaluateChurnModel(dataset, { splitDate: at(5000), endDate: at(6000) }))).toBe("splitDate");
  });

  it("on an as-of view, ends at the view's day: a later endDate scores no day the view cannot see", () => {
    const dataset = handBuilt();
    const options = { splitDate: at(600), snapshots: 6, calibrationSnapshots: 0, bins: 5 };
    const view = asOfView(dataset, at(700));
    const e = evaluateChurnModel(view, { ...options, endDate: at(760) });
    expect(e.endDate).toBe(at(700));
    expect(e).toEqual(evaluateChurnModel(view, options));
    expect(e).toEqual(evaluateChurnModel(dataset, { ...options, endDate: at(700) }));
  });

  it("on a whole dataset, ends at its last order day: days after the data are unknown, not days without a purchase", () => {
    const dataset = handBuilt();
    const options = { splitDate: at(600), snapshots: 6, calibrationSnapshots: 0, bins: 5 };
    const last = formatDay(dataset.dayRange!.last);
    const e = evaluateChurnModel(dataset, { ...options, endDate: formatDay(dataset.dayRange!.last + 400) });
    expect(e.endDate).toBe(last);
    expect(e).toEqual(evaluateChurnModel(dataset, options));
  });
});

describe("evaluateChurnModel / fitChurnClassifier: nobody at risk (review 2026-12-07)", async () => {
  const { fitChurnClassifier } = await import("./fit-churn-classifier.ts");
  // 40 customers on 7-10 day rhythms, every third stopping early, all silent from day 560; one new
  // customer's only order on day 1000, the data's last day
  const at = (d: number): string => formatDay(parseDay("2024-01-01") + d);
  const orders: OrderRow[] = [];
  let n = 0;
  for (let c = 0; c < 40; c++) {
    const stop = c % 3 === 0 ? Math.min(560, 200 + 15 * c) : 560;
    for (let d = c % 7; d < stop; d += 7 + (c % 4)) orders.push({ order_id: `O${n++}`, order_date: at(d), customer_id: `C${c}`, product_id: "P", quantity: 1, unit_price: 5 });
  }
  orders.push({ order_id: "LATE", order_date: at(1000), customer_id: "NEWBIE", product_id: "P", quantity: 1, unit_price: 5 });
  const { dataset } = fromRowsSync({ orders });
  const errorOf = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it("test snapshots without a customer at risk are too little history, not NaN metrics", () => {
    const e = errorOf(() => evaluateChurnModel(dataset, { splitDate: at(700), alive: "none" }));
    expect(isOrderpulseError(e) && e.code === "INVALID_OPTION" && e.details).toMatchObject({ option: "splitDate", reason: "insufficient_history", rows: 0 });
  });

  it("an as-of day after the data says to move it earlier, not later", () => {
    const e = errorOf(() => fitChurnClassifier(dataset, { asOf: at(1600), alive: "none" }));
    expect(isOrderpulseError(e) && e.details).toMatchObject({ reason: "insufficient_history" });
    expect((e as Error).message).toMatch(/after the data's last order day 2026-09-27: move it to at most that day$/);
  });
});
