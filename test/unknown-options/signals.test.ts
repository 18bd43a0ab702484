import { describe, expect, it } from "vitest";
import {
  backtest,
  createEngine,
  detectCustomerOverdue,
  detectDiscountAnomaly,
  detectDiversityDrop,
  detectFrequencyDrop,
  detectItemDropped,
  detectItemVolumeDrop,
  detectKpiDrop,
  detectPipelineStall,
  detectProductVanishing,
  detectSignals,
  fitPatterns,
  fromRowsSync,
  isOrderpulseError,
  type Signal,
} from "../../src/index.ts";

const at = (d: number): string => new Date(Date.UTC(2025, 0, 6 + d)).toISOString().slice(0, 10);

/** 12 customers buying weekly for 60 weeks (two products, some discount), every fourth one stopping; one rep's deals. */
function data() {
  const orders = [];
  for (let c = 0; c < 12; c++) {
    const stop = c % 4 === 0 ? 250 + 7 * c : 10_000;
    for (let d = c % 5; d < 420 && d < stop; d += 7) {
      const base = { order_id: `O${c}-${d}`, order_date: at(d), customer_id: `C${c}`, rep_id: `R${c % 2}`, segment: c % 3 ? "retail" : "horeca" };
      orders.push({ ...base, line_id: 1, product_id: "BREAD", quantity: 10, unit_price: 2, list_price: 2.2, unit_cost: 1 });
      if (d < 300 || c % 2) orders.push({ ...base, line_id: 2, product_id: "OIL", quantity: 2, unit_price: 9, list_price: 10, unit_cost: 6 });
    }
  }
  const dealEvents = [];
  for (let k = 0; k < 6; k++) {
    dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: "proposal" as const, entered_at: at(300 + k), rep_id: "R1", amount: 1000 });
    dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: k % 2 ? ("won" as const) : ("lost" as const), entered_at: at(310 + k), rep_id: "R1", amount: 1000 });
  }
  return fromRowsSync({ orders, dealEvents }).dataset;
}

const dataset = data();
const asOf = at(419);
const calendar = { weekendDays: [6], holidays: [at(100)] };

/** The options with a misspelled key added. */
const bogus = <T extends object>(o: T): T => ({ ...o, bogusKey: 1 }) as T;

const detectors: readonly [string, (o: object) => Signal[]][] = [
  ["detectCustomerOverdue", (o) => detectCustomerOverdue(dataset, o)],
  ["detectFrequencyDrop", (o) => detectFrequencyDrop(dataset, o)],
  ["detectItemDropped", (o) => detectItemDropped(dataset, o)],
  ["detectItemVolumeDrop", (o) => detectItemVolumeDrop(dataset, o)],
  ["detectDiversityDrop", (o) => detectDiversityDrop(dataset, o)],
  ["detectProductVanishing", (o) => detectProductVanishing(dataset, o)],
  ["detectDiscountAnomaly", (o) => detectDiscountAnomaly(dataset, o)],
  ["detectPipelineStall", (o) => detectPipelineStall(dataset, o)],
  ["detectKpiDrop", (o) => detectKpiDrop(dataset, o)],
  ["detectSignals", (o) => detectSignals(dataset, o)],
];

describe("signals, engine, backtest: unknown option keys are INVALID_OPTION", () => {
  for (const [name, f] of detectors) {
    it(`${name} rejects an unknown option`, () => {
      expect(() => f(bogus({ asOf }))).toThrow(new RegExp(`^${name}: unknown option bogusKey \\(known: asOf, model, sensitivity, locale`));
    });
  }

  it("the error is INVALID_OPTION naming the option (not its value: a misspelled key may hold a secret)", () => {
    let caught: unknown;
    try {
      detectSignals(dataset, { asOf, sensitivty: 2 } as never);
    } catch (e) {
      caught = e;
    }
    expect(isOrderpulseError(caught) && caught.code).toBe("INVALID_OPTION");
    expect(isOrderpulseError(caught) && caught.details).toEqual({ option: "sensitivty" });
  });

  it("createEngine rejects an unknown option, of its own, of `options` and of `options.ingest`", () => {
    expect(() => createEngine(bogus({ dataset }))).toThrow(/^createEngine: unknown option bogusKey \(known: dataset, options, onSignal, sinks\)/);
    expect(() => createEngine({ dataset, options: bogus({ refitEvery: 7 }) })).toThrow(/^createEngine: unknown option options\.bogusKey \(known: asOf, refitEvery/);
    expect(() => createEngine({ dataset, options: { ingest: bogus({ timeZone: "UTC" }) } })).toThrow(/unknown option options\.ingest\.bogusKey/);
  });

  it("engine.signals rejects an unknown option", () => {
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"] } });
    expect(() => engine.signals(bogus({ status: "all" as const }))).toThrow(/^signals: unknown option bogusKey \(known: status, customerId, repId, type\)/);
  });

  it("backtest rejects an unknown option", () => {
    expect(() => backtest(dataset, bogus({ types: ["customer_overdue" as const] }))).toThrow(/^backtest: unknown option bogusKey \(known: from, to, every/);
  });

  it("an unknown key whose value is undefined is accepted", () => {
    for (const [, f] of detectors.filter(([n]) => n === "detectItemDropped" || n === "detectDiscountAnomaly")) expect(() => f({ asOf, bogusKey: undefined })).not.toThrow();
    expect(() => detectSignals(dataset, { asOf, types: ["item_volume_drop"], bogusKey: undefined } as never)).not.toThrow();
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"], bogusKey: undefined } as never, bogusKey: undefined } as never);
    expect(() => engine.signals({ bogusKey: undefined } as never)).not.toThrow();
    expect(() => backtest(dataset, { from: at(405), types: ["item_volume_drop"], bogusKey: undefined } as never)).not.toThrow();
  });

  it("every documented option is still accepted", () => {
    const model = fitPatterns(dataset, { asOf, calendar });
    const common = { asOf, model, sensitivity: 1.5, locale: "he" as const };
    expect(() => detectCustomerOverdue(dataset, common)).not.toThrow();
    expect(() => detectFrequencyDrop(dataset, common)).not.toThrow();
    expect(() => detectItemDropped(dataset, { ...common, minInclusion: 0.4, minItemOrders: 4 })).not.toThrow();
    expect(() => detectItemVolumeDrop(dataset, { ...common, minDrop: 0.3 })).not.toThrow();
    expect(() => detectDiversityDrop(dataset, { ...common, minDrop: 0.2 })).not.toThrow();
    expect(() => detectProductVanishing(dataset, common)).not.toThrow();
    expect(() => detectDiscountAnomaly(dataset, { ...common, by: "both", weekStartsOn: 0 })).not.toThrow();
    expect(() => detectPipelineStall(dataset, common)).not.toThrow();
    expect(() => detectKpiDrop(dataset, { ...common, kpis: ["gross_profit"], levels: ["company", "segment"], weekStartsOn: 0 })).not.toThrow();
    const detectorOptions = {
      item_dropped: { minInclusion: 0.4, minItemOrders: 4 },
      item_volume_drop: { minDrop: 0.3 },
      diversity_drop: { minDrop: 0.2 },
      discount_anomaly: { by: "rep" as const, weekStartsOn: 0 as const },
      kpi_drop: { kpis: ["active_customers" as const], levels: ["rep" as const], weekStartsOn: 1 as const },
    };
    // every type, so each detector is called with the options detectSignals builds for it
    const all = detectSignals(dataset, { ...common, repId: "R1", calendar, calibrate: false, asOfInProgress: false, detectors: detectorOptions });
    expect(all.every((s) => s.repId === "R1")).toBe(true);
    const engine = createEngine({
      dataset,
      options: { asOf, refitEvery: 3, cooldownDays: 10, types: ["customer_overdue", "item_dropped"], sensitivity: 1.5, locale: "he", calendar, calibrate: false, detectors: detectorOptions, ingest: { timeZone: "UTC", strict: false } },
      onSignal: () => {},
      sinks: [],
    });
    engine.tick(at(426));
    expect(() => engine.signals({ status: "all", customerId: "C0", repId: "R0", type: "customer_overdue" })).not.toThrow();
    const progress: number[] = [];
    expect(() =>
      backtest(dataset, { from: at(398), to: asOf, every: 7, truth: { events: [] }, types: ["customer_overdue", "item_dropped"], sensitivity: 1.5, calendar, onProgress: (p) => progress.push(p.done) }),
    ).not.toThrow();
    expect(progress).toEqual([1, 2, 3]); // (at(398), at(405), at(412): `to` stops at the data's last day, at(417))
  });
});
