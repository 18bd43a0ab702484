import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import type { Dataset, Target } from "../data/dataset.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { targetProgress } from "./target-progress.ts";

const fixture = join(import.meta.dirname, "..", "..", "test", "fixtures", "kpi20");

describe("targetProgress on the kpi20 fixture (hand-computed)", async () => {
  const { dataset } = await readDataset({ path: fixture });

  it("targets.csv as given, asOf = last order day 2026-02-25 (owner basis)", () => {
    const rows = targetProgress(dataset);
    expect(rows.map((r) => [r.repId, r.period, r.kpi, r.actual, r.target, r.partial, r.status])).toEqual([
      // R1 owns C1, C2, C6. January: C1 90+20+72, C2 90+45
      ["R1", "2026-01", "revenue", 317, 450, false, "ok"],
      // February: C1 and C6 bought; C2 only returned
      ["R1", "2026-02", "active_customers", 2, 3, true, "ok"],
      // C1 85+40, C2 −13.5, C6 27
      ["R1", "2026-02", "revenue", 138.5, 450, true, "ok"],
      // R2 owns C3, C4, C5. January: C3 40+25, C4 72+30
      ["R2", "2026-01", "revenue", 167, 250, false, "ok"],
      // February: C3 60+21, C5 47.5+24
      ["R2", "2026-02", "revenue", 152.5, 300, true, "ok"],
    ]);
    expect(rows[0]).toMatchObject({ start: "2026-01-01", end: "2026-01-31" });
    expect(rows[0]!.progress).toBeCloseTo(317 / 450, 12);
    expect(rows[1]!.progress).toBeCloseTo(2 / 3, 12);
    expect(rows[3]!.progress).toBeCloseTo(0.668, 12);
    expect(rows[4]!.progress).toBeCloseTo(152.5 / 300, 12);
  });

  it("quarters, years, ISO weeks, the other KPIs, future periods, unknown names", () => {
    const rep = (id: string): number => dataset.ids.reps.indexOf(id);
    const t = (r: string, period: string, kpi: string, target: number): Target => ({ rep: rep(r), period, kpi, target });
    const ds: Dataset = {
      ...dataset,
      targets: [
        t("M1", "2026-01", "revenue", 100), // a manager owns no accounts
        t("R1", "2025-W46", "revenue", 96), // Mon 2025-11-10 .. Sun 2025-11-16: G1 2 x 24
        t("R1", "2025-W53", "revenue", 1), // 2025 has 52 ISO weeks
        t("R1", "2026-01", "gross_margin", 0.3), // (59 + 45) / (182 + 135)
        t("R1", "2026-03", "revenue", 400), // after asOf
        t("R1", "2026-Q1", "gross_profit", 0), // C1 84, C2 40.5, C6 9; target 0 -> no progress
        t("R1", "2026-Q1", "nps", 50),
        t("R2", "2025", "revenue", 144), // E1 12 x 6
        t("R2", "2026-02", "discount_rate", 0.05), // (84 − 81 + 75 − 71.5) / 159
        t("R2", "2026-02", "sku_breadth", 2.5), // C3 {P1, P4}, C5 {P1, P2}
      ],
    };
    const rows = targetProgress(ds, { asOf: "2026-02-25" });
    const by = (period: string, kpi: string) => rows.find((r) => r.period === period && r.kpi === kpi)!;
    expect(rows.map((r) => r.repId)).toEqual(["M1", "R1", "R1", "R1", "R1", "R1", "R1", "R2", "R2", "R2"]);
    expect(rows[0]).toMatchObject({ actual: 0, progress: 0, status: "ok" });
    expect(by("2025-W46", "revenue")).toMatchObject({ start: "2025-11-10", end: "2025-11-16", actual: 48, progress: 0.5, partial: false });
    expect(by("2025-W53", "revenue")).toMatchObject({ status: "invalid_period", actual: undefined, start: undefined });
    expect(by("2026-01", "gross_margin").actual).toBeCloseTo(104 / 317, 12);
    expect(by("2026-03", "revenue")).toMatchObject({ actual: 0, progress: 0, partial: true, start: "2026-03-01" });
    expect(by("2026-Q1", "gross_profit")).toMatchObject({ actual: 133.5, progress: undefined, partial: true, end: "2026-03-31" });
    expect(by("2026-Q1", "nps")).toMatchObject({ status: "unknown_kpi", actual: undefined, start: "2026-01-01" });
    // a KPI name from the data that Object.prototype has is unknown too (was a TypeError)
    expect(targetProgress({ ...ds, targets: [{ ...ds.targets[0]!, kpi: "constructor" }] }, { asOf: "2026-02-25" })[0]).toMatchObject({ status: "unknown_kpi", actual: undefined });
    // (the data begin on 2025-11-10: the year 2025 is partial, as a KPI row of it; review 2026-12-07)
    expect(by("2025", "revenue")).toMatchObject({ actual: 72, progress: 0.5, partial: true, start: "2025-01-01", end: "2025-12-31" });
    expect(by("2026-02", "discount_rate").actual).toBeCloseTo(6.5 / 159, 12);
    expect(by("2026-02", "sku_breadth")).toMatchObject({ actual: 2, progress: 0.8 });
  });

  it("asOfInProgress: a target period ending on asOf (today) is to date, partial (self-review 2026-12-07)", () => {
    // as of Feb 28 as a complete day, February is whole; read on the 28th from last night's
    // export it is not over: the same actuals, to date
    const feb = (asOfInProgress: boolean) => targetProgress(dataset, { asOf: "2026-02-28", asOfInProgress }).filter((r) => r.period === "2026-02");
    expect(feb(false).map((r) => [r.kpi, r.actual, r.partial])).toEqual([["active_customers", 2, false], ["revenue", 138.5, false], ["revenue", 152.5, false]]);
    expect(feb(true).map((r) => [r.kpi, r.actual, r.partial])).toEqual([["active_customers", 2, true], ["revenue", 138.5, true], ["revenue", 152.5, true]]);
    // January ended before asOf: whole either way
    expect(targetProgress(dataset, { asOf: "2026-02-28", asOfInProgress: true }).filter((r) => r.period === "2026-01").every((r) => !r.partial)).toBe(true);
  });

  it("ISO weeks ignore weekStartsOn; the 53rd week of 2026 exists", () => {
    const ds: Dataset = { ...dataset, targets: [{ rep: dataset.ids.reps.indexOf("R1"), period: "2026-W53", kpi: "revenue", target: 1 }] };
    expect(targetProgress(ds, { weekStartsOn: 0 })[0]).toMatchObject({ start: "2026-12-28", end: "2027-01-03", actual: 0, status: "ok" });
  });
});

describe("targetProgress edge cases", () => {
  it("no targets, no rows; bad options throw INVALID_OPTION", () => {
    const { dataset } = fromRowsSync({ orders: [] });
    expect(targetProgress(dataset, { asOf: "2026-01-31" })).toEqual([]);
    expect(() => targetProgress(dataset, { repBasis: "boss" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => targetProgress(dataset, { period: "decade" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => targetProgress(dataset, { asOf: "soon" })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });

  it("seller basis counts the lines a rep sold to others' accounts", () => {
    const { dataset } = fromRowsSync({
      orders: [
        { order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 10, rep_id: "R2" },
        { order_id: "2", order_date: "2026-01-06", customer_id: "A", product_id: "P", quantity: 1, unit_price: 5, rep_id: "R1" },
      ],
      customers: [{ customer_id: "A", rep_id: "R1" }],
      targets: [{ rep_id: "R2", period: "2026-01", kpi: "revenue", target: 20 }],
    });
    expect(targetProgress(dataset, { asOf: "2026-01-31" })[0]!.actual).toBe(0);
    expect(targetProgress(dataset, { asOf: "2026-01-31", repBasis: "seller" })[0]!.progress).toBe(0.5);
  });

  it("a ratio KPI with no data is undefined, not 0", () => {
    const { dataset } = fromRowsSync({
      orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 10 }],
      targets: [{ rep_id: "R1", period: "2026-01", kpi: "discount_rate", target: 0.1 }],
    });
    expect(targetProgress(dataset, { asOf: "2026-01-31" })[0]).toMatchObject({ actual: undefined, progress: undefined, status: "ok" });
  });
});

describe("targetProgress properties", () => {
  const day = (d: number): string => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
  const row = fc.record({
    order_id: fc.constantFrom("O1", "O2", "O3"),
    order_date: fc.integer({ min: 0, max: 89 }).map(day),
    customer_id: fc.constantFrom("A", "B", "C"),
    product_id: fc.constantFrom("P1", "P2"),
    quantity: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0),
    unit_price: fc.integer({ min: 1, max: 9 }),
    unit_cost: fc.option(fc.integer({ min: 0, max: 9 }), { nil: "" }),
    list_price: fc.option(fc.integer({ min: 1, max: 9 }), { nil: "" }),
  });
  const customers = [{ customer_id: "A", rep_id: "R1" }, { customer_id: "B", rep_id: "R2" }, { customer_id: "C", rep_id: "R1" }];
  const targets = ["revenue", "gross_profit", "active_customers", "sku_breadth", "discount_rate"].flatMap((kpi) =>
    ["2026-01", "2026-02", "2026-Q1", "2026-W05", "2026"].map((period) => ({ rep_id: "R1", period, kpi, target: 10 })),
  );

  it("row order changes nothing; adding orders after asOf changes nothing", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.array(row, { maxLength: 10 }), fc.integer({ min: 0, max: 80 }), (base, extra, cut) => {
        const keyed = base.map((x, i) => ({ ...x, line_id: String(i) }));
        const later = extra.map((x, i) => ({ ...x, order_id: `L${i}`, order_date: day(cut + 1 + i) }));
        const a = targetProgress(fromRowsSync({ orders: keyed, customers, targets }).dataset, { asOf: day(cut) });
        const b = targetProgress(fromRowsSync({ orders: [...later, ...keyed].reverse(), customers: [...customers].reverse(), targets: [...targets].reverse() }).dataset, { asOf: day(cut) });
        expect(b).toEqual(a);
        for (const r of a) if (r.kpi === "discount_rate" && r.actual !== undefined) expect(r.actual).toBeLessThan(1);
      }),
      { numRuns: 100 },
    );
  });
});

describe("targetProgress: a far as-of day", () => {
  it("reads the periods of the targets, not every week up to asOf (4000-01-01: 102,998 weeks threw INVALID_OPTION)", () => {
    const { dataset } = fromRowsSync({
      orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 10, unit_price: 30 }],
      customers: [{ customer_id: "A", rep_id: "R1" }],
      targets: [{ rep_id: "R1", period: "2026-W02", kpi: "revenue", target: 400 }, { rep_id: "R1", period: "2026-01", kpi: "revenue", target: 400 }],
    });
    for (const asOf of ["2026-06-30", "4000-01-01"]) {
      // (January begins before the data's first day, 2026-01-05: partial; its week W02 begins on it)
      expect(targetProgress(dataset, { asOf }).map((r) => [r.period, r.status, r.actual, r.partial])).toEqual([["2026-01", "ok", 300, true], ["2026-W02", "ok", 300, false]]);
    }
  });
});
