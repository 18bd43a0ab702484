import { describe, expect, it } from "vitest";
import { evidenceProblems } from "../../test/support/signal-of.ts";
import { formatDay } from "../data/format-day.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { parseDay } from "../data/parse-day.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { detectSignals } from "./detect-signals.ts";

describe("Signal: the evidence of each type has the fields SignalEvidence declares", () => {
  it("every signal of a year of the synthetic distributor (kpi_drop's two forms: detect-kpi-drop.test.ts)", () => {
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 1, customers: 300 }));
    const end = parseDay("2026-10-31", "end");
    const shapes = new Set<string>();
    const problems: string[] = [];
    for (let k = 0; k < 4; k++) {
      for (const s of detectSignals(dataset, { asOf: formatDay(end - 91 * k) })) {
        const r = evidenceProblems(s);
        shapes.add(r.shape);
        problems.push(...r.problems);
      }
    }
    expect(problems).toEqual([]);
    // (a check of every type but kpi_drop, which a year of this data does not raise)
    expect([...shapes].sort()).toEqual(["customer_overdue", "discount_anomaly", "diversity_drop", "frequency_drop", "item_dropped", "item_volume_drop", "pipeline_stall", "product_vanishing"]);
  });

  it("each type's entity ids are plain strings once narrowed (SignalEntity), and present at run time (review 2026-12-07: optional for every type)", () => {
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 1, customers: 300 }));
    const end = parseDay("2026-10-31", "end");
    const missing: string[] = [];
    for (let k = 0; k < 4; k++) {
      for (const s of detectSignals(dataset, { asOf: formatDay(end - 91 * k) })) {
        // (each line compiles only if the field is a string for that type)
        const ids: string[] =
          s.type === "item_dropped" || s.type === "item_volume_drop" ? [s.customerId, s.productId]
          : s.type === "customer_overdue" || s.type === "frequency_drop" || s.type === "diversity_drop" ? [s.customerId]
          : s.type === "product_vanishing" ? [s.productId]
          : s.type === "pipeline_stall" ? [s.repId, s.stage]
          : [s.kpi];
        for (const id of ids) if (typeof id !== "string" || id === "") missing.push(s.id);
      }
    }
    expect(missing).toEqual([]);
  });

  it("narrows by type: a switch on `type` reads each type's own fields (compile-time; the values as declared)", () => {
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 1, customers: 300 }));
    const seen: string[] = [];
    for (const s of detectSignals(dataset, { asOf: "2026-10-31" })) {
      switch (s.type) {
        case "customer_overdue":
          expect(s.evidence.daysSinceLast).toBe(parseDay(s.asOf, "asOf") - parseDay(s.evidence.lastOrder, "lastOrder"));
          break;
        case "frequency_drop":
          expect(s.evidence.changeDay).toBe(s.since);
          break;
        case "pipeline_stall":
          expect(s.evidence.dealIds.split(",")).toHaveLength(s.evidence.stuck);
          break;
        default:
          continue;
      }
      seen.push(s.type);
    }
    expect(new Set(seen).size).toBeGreaterThanOrEqual(2);
  });
});
