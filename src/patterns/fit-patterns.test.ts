import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { fitIntervalModel } from "./fit-interval-model.ts";
import { fitPatterns } from "./fit-patterns.ts";
import { fromPatternsJSON } from "./from-patterns-json.ts";

describe("fitPatterns", () => {
  const synth = generateSyntheticDistributor({ seed: 4, customers: 120, products: 150, years: 2 });
  const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products, dealEvents: synth.dealEvents });
  const asOf = "2026-09-30";
  const model = fitPatterns(dataset, { asOf });

  it("combines the interval model with BG/NBD P(alive), item rhythms and the pipeline", () => {
    expect(model.bgNbd).toBeDefined();
    const plain = fitIntervalModel(dataset, { asOf });
    expect(model.all().length).toBe(plain.customers.length);
    for (const c of model.all()) {
      expect(c.pAlive).toBeGreaterThanOrEqual(0);
      expect(c.pAlive).toBeLessThanOrEqual(1);
      // the silence only lowers the BG/NBD prior: pAlive <= P(alive) from BG/NBD alone is implied by 1 - F(e) <= 1
      expect(c.overdueProbability).toBe(plain.customer(c.customerId)!.overdueProbability);
    }
    const someone = model.all()[0]!;
    expect(model.items(someone.customerId).length).toBeGreaterThan(0);
    const first = model.items(someone.customerId)[0]!;
    expect(model.item(someone.customerId, first.productId)).toEqual(first);
    expect(model.deals().stages.length).toBeGreaterThan(0);
  });

  it("churned customers (planted) have a lower pAlive than the rest", () => {
    const churned = new Set(synth.truth.events.filter((e) => e.type === "churn" && e.start <= "2026-06-30").map((e) => e.customerId));
    const avg = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const a = model.all().filter((c) => churned.has(c.customerId)).map((c) => c.pAlive!);
    const b = model.all().filter((c) => !churned.has(c.customerId)).map((c) => c.pAlive!);
    expect(a.length).toBeGreaterThan(0);
    expect(avg(a)).toBeLessThan(avg(b) - 0.2);
  });

  it("round-trips through JSON (versioned) without the dataset", () => {
    const copy = fromPatternsJSON(JSON.parse(JSON.stringify(model)));
    // the interval model's calibration by backtest travels with it
    expect(model.calibration?.horizonDays).toBe(120);
    expect(copy.calibration).toEqual(model.calibration);
    expect(fitPatterns(dataset, { asOf, calibrate: false }).calibration).toBeUndefined();
    expect(() => fitPatterns(dataset, { asOf, calibrate: 1 as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    // a bad calendar is fitPatterns' error, named as such (it was fitIntervalModel's, after the BG/NBD fit)
    expect(() => fitPatterns(dataset, { asOf, calendar: { weekendDay: [5] } as never })).toThrow(/^fitPatterns: .*calendar\.weekendDay/);
    expect(() => fitPatterns(dataset, { asOf, calendar: { weekendDays: [7] } })).toThrow(/^fitPatterns: invalid option calendar\.weekendDays/);
    expect(copy.all()).toEqual(model.all());
    expect(copy.asOf).toBe(asOf);
    expect(copy.deals()).toEqual(JSON.parse(JSON.stringify(model.deals())));
    expect(() => fromPatternsJSON({ version: 9 } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    // records the lookups key are checked: a null threw a TypeError, a customer without its id was
    // silently missed (one signal fewer)
    const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
    for (const bad of [{ customers: [null] }, { customers: [{}] }, { items: [null] }, { items: [{ customerId: "C" }] }, { deals: 1 }, { deals: { stages: [null], open: [] } }, { deals: { stages: [], open: [null] } }, { deals: { stages: [], open: [{ dealId: "D1" }] } }, { asOf: undefined }, { asOf: "20261031" }, { asOf: "2026-02-30" }]) {
      expect(() => fromPatternsJSON({ ...json, ...bad } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    }
    expect(() => fromPatternsJSON([json] as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    // the parts of a rhythm the detectors walk: until 2026-12-06 these passed and detectSignals
    // threw a TypeError ("r.closedMonths is not iterable")
    const first = (json["customers"] as Record<string, unknown>[])[0]!;
    for (const part of [{ closedMonths: undefined }, { closedWeekdays: null }, { monthlyIndex: null }, { posterior: null }, { posterior: 3 }]) {
      const customers = [{ ...first, ...part }, ...(json["customers"] as unknown[]).slice(1)];
      expect(() => fromPatternsJSON({ ...json, customers } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    }
    expect(fitPatterns(dataset, { asOf, alive: "none" }).all()[0]!.pAlive).toBeUndefined();
    expect(() => fitPatterns(dataset, { alive: "magic" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });
});
