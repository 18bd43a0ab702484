import { describe, expect, it } from "vitest";
import { followThroughSummary, kpiView } from "./brief-view.ts";

const base = { label: "", current: 0.115, previous: 0.11, change: 0.005, changePct: undefined, teamAverage: undefined, targetPeriod: "2026-10", targetElapsed: 0.32 };

describe("kpiView: targets", () => {
  it("a rate's target reads target and actual so far, without a pace (it does not build up over the period)", () => {
    // a discount rate of 10.8% to date against a 10% cap read "= 108% with 32% of 2026-10 gone", ahead of pace (review 2026-12-07)
    const d = kpiView({ ...base, kpi: "discount_rate", label: "Discount rate", target: 0.1, targetActual: 0.108, targetProgress: 1.08 }, "en", "USD");
    expect(d.target).toBe("target 2026-10 10%: 10.8% so far");
    expect(d.text).toBe("Discount rate: 11.5% (+0.5 pp vs last period); target 2026-10 10%: 10.8% so far");
    expect(kpiView({ ...base, kpi: "margin", label: "Gross margin", target: 0.2, targetActual: 0.23, targetProgress: 1.15 }, "he", "USD").target).toBe("יעד 2026-10 20%: 23% עד כה");
    // an amount keeps its pace
    const r = kpiView({ ...base, kpi: "revenue", label: "Revenue", current: 100, previous: 80, change: 20, changePct: 0.25, target: 400, targetActual: 150, targetProgress: 0.375 }, "en", "USD");
    expect(r.target).toBe("target 2026-10 $400: $150 so far = 38% with 32% of 2026-10 gone");
  });
});

describe("percents of a rate read on its decimal value (review 2026-12-07: 0.575 read 57%)", () => {
  it("target progress and follow-through round 57.5 % to 58 %, as the rest of the brief", () => {
    const r = kpiView({ ...base, kpi: "revenue", label: "Revenue", current: 2875, previous: 0, change: 2875, changePct: undefined, target: 5000, targetActual: 2875, targetProgress: 0.575, targetElapsed: 12 / 31 }, "en", "USD");
    expect(r.target).toBe("target 2026-10 $5,000: $2,875 so far = 58% with 39% of 2026-10 gone");
    expect(followThroughSummary({ shown: 40, done: 23, rate: 23 / 40, previousAsOf: "2026-10-05" }, "en")).toContain("(58%)");
    expect(followThroughSummary({ shown: 40, done: 23, rate: 23 / 40, previousAsOf: "2026-10-05" }, "he")).toContain("58%");
  });
});
