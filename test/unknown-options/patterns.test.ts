import { describe, expect, it } from "vitest";
import {
  calibrationSummary,
  churnFeatures,
  customerLifetimeValue,
  evaluateChurnModel,
  fitBgNbd,
  fitChurnClassifier,
  fitDealStages,
  fitGammaGamma,
  fitIntervalModel,
  fitItemRhythm,
  fitMbgNbd,
  fitParetoNbd,
  fitPatterns,
  fromRowsSync,
  gammaGammaModel,
  isOrderpulseError,
  paretoNbdModel,
  summaryFromDataset,
} from "../../src/index.ts";

const at = (d: number): string => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);

/** 40 customers buying every 7..10 days over 900 days, every third one stopping; one rep's deals. */
function data() {
  const orders = [];
  for (let c = 0; c < 40; c++) {
    const stop = c % 3 === 0 ? 200 + 15 * c : 10_000;
    for (let d = c % 7; d < 900 && d < stop; d += 7 + (c % 4)) {
      orders.push({ order_id: `O${c}-${d}`, order_date: at(d), customer_id: `C${c}`, product_id: `P${d % 3}`, quantity: 1, unit_price: 5 });
    }
  }
  const dealEvents = [];
  for (let k = 0; k < 6; k++) {
    dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: "proposal" as const, entered_at: at(800 + k), rep_id: "R1", amount: 1000 });
    dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: k % 2 ? ("won" as const) : ("lost" as const), entered_at: at(810 + k), rep_id: "R1", amount: 1000 });
  }
  return fromRowsSync({ orders, dealEvents }).dataset;
}

const dataset = data();
const asOf = at(899);
const summary = { x: [0, 1, 3, 0, 2, 5, 0, 1], tx: [0, 4, 20, 0, 12, 30, 0, 2], T: [30, 32, 35, 20, 26, 38, 15, 30] };
const spendData = { x: [1, 2, 4, 1, 3, 0], monetary: [20, 35, 28, 60, 22, 0] };
const events = [
  { customerId: "A", day: 0, value: 10 },
  { customerId: "A", day: 7, value: 4 },
  { customerId: "A", day: 21, value: 30 },
  { customerId: "B", day: 14, value: 5 },
];
const purchases = paretoNbdModel({ r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 });
const spend = gammaGammaModel({ p: 6.25, q: 3.74, v: 15.44 });
const customer = { x: 26, tx: 30.86, T: 31, monetary: 40 };
const churn = { horizonDays: 90, snapshotEveryDays: 30, snapshots: 6, l2: 1, trendWindowDays: 90, activeDays: 90, calibrationSnapshots: 0, alive: "none" as const };

/** The options with a misspelled key added. */
const bogus = <T extends object>(o: T): T => ({ ...o, bogusKey: 1 }) as T;

describe("patterns: unknown option keys are INVALID_OPTION", () => {
  const cases: [string, () => unknown][] = [
    ["fitPatterns", () => fitPatterns(dataset, bogus({ asOf }))],
    ["fitIntervalModel", () => fitIntervalModel(dataset, bogus({ asOf }))],
    ["fitItemRhythm", () => fitItemRhythm(dataset, bogus({ asOf }))],
    ["fitDealStages", () => fitDealStages(dataset, bogus({ asOf }))],
    ["churnFeatures", () => churnFeatures(dataset, bogus({ asOf }))],
    ["fitChurnClassifier", () => fitChurnClassifier(dataset, bogus({ asOf, ...churn }))],
    ["evaluateChurnModel", () => evaluateChurnModel(dataset, bogus({ splitDate: at(600), ...churn }))],
    ["calibrationSummary", () => calibrationSummary(events, bogus({ calibrationEnd: 28 }))],
    ["summaryFromDataset", () => summaryFromDataset(dataset, bogus({ asOf }))],
    ["fitBgNbd", () => fitBgNbd(summary, bogus({ maxEvaluations: 100 }))],
    ["fitMbgNbd", () => fitMbgNbd(summary, bogus({ maxEvaluations: 100 }))],
    ["fitParetoNbd", () => fitParetoNbd(summary, bogus({ maxEvaluations: 100 }))],
    ["fitGammaGamma", () => fitGammaGamma(spendData, bogus({ maxEvaluations: 100 }))],
    ["customerLifetimeValue", () => customerLifetimeValue(purchases, spend, customer, bogus({ periods: 12 }))],
  ];
  for (const [name, call] of cases) {
    it(name, () => {
      expect(call).toThrow(new RegExp(`^${name}: unknown option bogusKey \\(known: `));
    });
  }

  it("the error: INVALID_OPTION naming the option and the known ones, with { option, value }", () => {
    let err: unknown;
    try {
      fitPatterns(dataset, bogus({ asOf }));
    } catch (e) {
      err = e;
    }
    expect(isOrderpulseError(err) && err.code === "INVALID_OPTION").toBe(true);
    expect((err as Error).message).toBe("fitPatterns: unknown option bogusKey (known: asOf, alive, calendar, calibrate, asOfInProgress)");
    expect(isOrderpulseError(err) && err.details).toEqual({ option: "bogusKey" }); // (no value: a misspelled key may hold a secret)
  });

  it("evaluateChurnModel: asOf keeps its own message (the classifier's option; evaluateChurnModel takes splitDate)", () => {
    expect(() => evaluateChurnModel(dataset, { splitDate: at(600), asOf: at(600) } as never)).toThrow(/invalid option asOf: use splitDate/);
  });
});

describe("patterns: an unknown key set to undefined is accepted", () => {
  it("as if absent", () => {
    const u = <T extends object>(o: T): T => ({ ...o, bogusKey: undefined }) as T;
    expect(fitDealStages(dataset, u({ asOf })).stages()).toEqual(fitDealStages(dataset, { asOf }).stages());
    expect(calibrationSummary(events, u({ calibrationEnd: 28 }))).toEqual(calibrationSummary(events, { calibrationEnd: 28 }));
    expect(summaryFromDataset(dataset, u({ asOf }))).toEqual(summaryFromDataset(dataset, { asOf }));
    expect(fitBgNbd(summary, u({ maxEvaluations: 200 })).params).toEqual(fitBgNbd(summary, { maxEvaluations: 200 }).params);
    expect(fitMbgNbd(summary, u({ maxEvaluations: 200 })).params).toEqual(fitMbgNbd(summary, { maxEvaluations: 200 }).params);
    expect(fitParetoNbd(summary, u({ maxEvaluations: 200 })).params).toEqual(fitParetoNbd(summary, { maxEvaluations: 200 }).params);
    expect(fitGammaGamma(spendData, u({ maxEvaluations: 200 })).params).toEqual(fitGammaGamma(spendData, { maxEvaluations: 200 }).params);
    expect(customerLifetimeValue(purchases, spend, customer, u({ periods: 6 }))).toBe(customerLifetimeValue(purchases, spend, customer, { periods: 6 }));
    expect(() => fitPatterns(dataset, u({ asOf, alive: "none" as const, calibrate: false }))).not.toThrow();
  });
});

describe("patterns: a documented key set to undefined takes its default (and type-checks: the BTYD option types said `x?: T`)", () => {
  it("the BTYD fits, summaries and CLV", () => {
    const none = { penalizer: undefined, initial: undefined, maxEvaluations: undefined };
    expect(fitBgNbd(summary, none).params).toEqual(fitBgNbd(summary).params);
    expect(fitMbgNbd(summary, none).params).toEqual(fitMbgNbd(summary).params);
    expect(fitParetoNbd(summary, { initial: undefined, maxEvaluations: undefined }).params).toEqual(fitParetoNbd(summary).params);
    expect(fitGammaGamma(spendData, { initial: undefined, maxEvaluations: undefined }).params).toEqual(fitGammaGamma(spendData).params);
    expect(summaryFromDataset(dataset, { asOf, holdoutEnd: undefined, timeUnitDays: undefined })).toEqual(summaryFromDataset(dataset, { asOf }));
    const unvalued = [...events, { customerId: "B", day: 20, value: undefined }];
    expect(calibrationSummary(unvalued, { calibrationEnd: 28, holdoutEnd: undefined, timeUnitDays: undefined })).toEqual(calibrationSummary(unvalued, { calibrationEnd: 28 }));
    expect(customerLifetimeValue(purchases, spend, customer, { periods: undefined, discountRate: undefined, periodLength: undefined })).toBe(customerLifetimeValue(purchases, spend, customer));
  });
});

describe("patterns: every documented option is still accepted", () => {
  it("fitPatterns, fitIntervalModel, fitItemRhythm, fitDealStages", () => {
    const calendar = { weekendDays: [6], holidays: [at(700)] };
    expect(() => fitPatterns(dataset, { asOf, alive: "bg-nbd", calendar, calibrate: false, asOfInProgress: false })).not.toThrow();
    const interval = fitIntervalModel(dataset, { asOf, calendar, minPriorCustomers: 5, priorShape: 3, changeHazard: 0.01, changeScale: 0.7, alive: () => 0.9, calibrate: false, asOfInProgress: false });
    expect(interval.asOf).toBe(asOf);
    expect(fitItemRhythm(dataset, { asOf, minPriorPairs: 5, customers: interval }).length).toBeGreaterThan(0);
    expect(fitDealStages(dataset, { asOf, minRepDeals: 5, priorShape: 3 }).stages().length).toBeGreaterThan(0);
    expect(churnFeatures(dataset, { asOf, horizonDays: 90, trendWindowDays: 90, alive: "none", intervalModel: interval }).rows.length).toBeGreaterThan(0);
  });

  it("fitChurnClassifier, evaluateChurnModel", () => {
    expect(fitChurnClassifier(dataset, { asOf, ...churn }).asOf).toBe(asOf);
    const e = evaluateChurnModel(dataset, { splitDate: at(600), endDate: at(899), testSnapshots: 3, bins: 5, ...churn });
    expect(e.testSnapshots.length).toBe(3);
    expect(e.model.alive).toBe("none");
  });

  it("the BTYD functions", () => {
    expect(calibrationSummary(events, { calibrationEnd: 28, holdoutEnd: 35, timeUnitDays: 7 }).customerIds).toEqual(["A", "B"]);
    expect(summaryFromDataset(dataset, { asOf: at(700), holdoutEnd: at(800), timeUnitDays: 7 }).xStar).toBeDefined();
    expect(fitBgNbd(summary, { penalizer: 0.01, initial: { r: 1, alpha: 20, a: 1, b: 1 }, maxEvaluations: 200 }).customers).toBe(8);
    expect(fitMbgNbd(summary, { penalizer: 0.01, initial: { r: 1, alpha: 20, a: 1, b: 1 }, maxEvaluations: 200 }).customers).toBe(8);
    expect(fitParetoNbd(summary, { initial: { r: 1, alpha: 20, s: 1, beta: 20 }, maxEvaluations: 200 }).customers).toBe(8);
    expect(fitGammaGamma(spendData, { initial: { p: 1, q: 1, v: 1 }, maxEvaluations: 200 }).customers).toBe(5);
    expect(customerLifetimeValue(purchases, spend, customer, { periods: 24, discountRate: 0.02, periodLength: 4 })).toBeGreaterThan(0);
  });
});
