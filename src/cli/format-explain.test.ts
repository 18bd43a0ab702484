import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { explainKpiChange, type KpiChangeExplanation } from "../kpi/explain-kpi-change.ts";
import { formatExplanation } from "./format-explain.ts";

describe("formatExplanation", () => {
  it("SKU breadth's parts are printed so that they add up to the printed change (largest remainders)", () => {
    // each part rounded alone: −0.30, −0.47, +0.47 = −0.30 beside a change of −0.31 (review 2026-12-07)
    const e = {
      kpi: "sku_breadth",
      by: "company",
      method: "m",
      asOf: "2026-02-28",
      from: { label: "2026-01", start: "2026-01-01", end: "2026-01-31", partial: false, value: 10.5 },
      to: { label: "2026-02", start: "2026-02-01", end: "2026-02-28", partial: false, value: 10.1945 },
      change: -0.3055,
      parts: { breadth: -0.3049, entered: -0.4661, left: 0.4655 },
      residual: 0,
      contributions: [],
    } as unknown as KpiChangeExplanation;
    const lines = formatExplanation(e).split("\n");
    expect(lines[0]).toBe("sku_breadth: 2026-01 10.50 -> 2026-02 10.19 (-0.31)");
    const parts = lines.slice(lines.indexOf("parts:") + 1, lines.indexOf("parts:") + 4).map((l) => Number(l.trim().split(/\s+/)[1]));
    expect(parts).toEqual([-0.31, -0.47, 0.47]); // the breadth part, whose rounding took off most, takes the cent
    expect(Math.round(parts.reduce((a, b) => a + b, 0) * 100) / 100).toBe(-0.31);
  });

  it("an exact half rounds away from zero as the printed change does; no value on one side prints why, not empty sections; a `to` ending on an as-of day in progress is in progress (review 2026-12-07)", () => {
    const base = { kpi: "sku_breadth", by: "company", method: "m", asOf: "2026-02-28", residual: 0, contributions: [] };
    const half = { ...base, from: { label: "2026-01", start: "2026-01-01", end: "2026-01-31", partial: false, value: 1.75 }, to: { label: "2026-02", start: "2026-02-01", end: "2026-02-28", partial: false, value: 1.625 }, change: -0.125, parts: { entered: -0.125 } } as unknown as KpiChangeExplanation;
    const lines = formatExplanation(half).split("\n");
    expect(lines[0]).toBe("sku_breadth: 2026-01 1.75 -> 2026-02 1.63 (-0.13)");
    expect(lines[lines.indexOf("parts:") + 1]!.trim().split(/\s+/)).toEqual(["entered", "-0.13"]);
    // no active customer in 2025-10: B undefined there, nothing decomposed
    const none = { ...base, from: { label: "2025-10", start: "2025-10-01", end: "2025-10-31", partial: true, value: undefined }, to: { label: "2026-01", start: "2026-01-01", end: "2026-01-31", partial: false, value: 1.75 }, change: undefined, parts: {} } as unknown as KpiChangeExplanation;
    const text = formatExplanation(none);
    expect(text).toContain("nothing to explain: 2025-10 has no active customer");
    expect(text).not.toContain("parts:");
    expect(text).not.toContain("largest contributions");
    // read as of today (asOfInProgress): February ends on asOf and is in progress, not "the data begins inside"
    const line = (id: string, d: string): OrderRow => ({ order_id: id, order_date: d, customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10 });
    const { dataset } = fromRowsSync({ orders: [line("A", "2025-12-01"), line("B", "2026-01-05"), line("C", "2026-02-05"), line("D", "2026-02-25")] });
    const today = formatExplanation(explainKpiChange(dataset, { kpi: "revenue", from: "2026-01", to: "2026-02", asOf: "2026-02-28", asOfInProgress: true }));
    expect(today).toContain("* 2026-02 is in progress at the as-of date: only its days so far count, against 2026-01's first 25 days");
    expect(today).not.toContain("the data begins inside or after");
  });

  it("a month in progress is compared with the previous month's first days, counted as they are (all 28 of a February)", () => {
    const line = (id: string, d: string): OrderRow => ({ order_id: id, order_date: d, customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10 });
    const ds = fromRowsSync({ orders: [line("z", "2026-01-05"), line("a", "2026-02-10"), line("b", "2026-03-10"), line("c", "2026-03-30")] }).dataset;
    const text = formatExplanation(explainKpiChange(ds, { kpi: "revenue", from: "2026-02", to: "2026-03", asOf: "2026-03-30" }));
    // (until 2026-12-07 "first 30 days", the days of March so far)
    expect(text.split("\n")[0]).toMatch(/^revenue: 2026-02 \(first 28 days\) 10(\.00)? -> 2026-03\* 20(\.00)? \(\+10(\.00)?\)$/);
    expect(text).toContain("against 2026-02's first 28 days (2026-02-01 .. 2026-02-28, like for like)");
  });
});
