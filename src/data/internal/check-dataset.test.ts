import { describe, expect, it } from "vitest";
import { analyze } from "../../analyze.ts";
import { backtest } from "../../backtest/backtest.ts";
import { explainKpiChange } from "../../kpi/explain-kpi-change.ts";
import { fitDealStages } from "../../patterns/fit-deal-stages.ts";
import { fitIntervalModel } from "../../patterns/fit-interval-model.ts";
import { summaryFromDataset } from "../../patterns/btyd/summary-from-dataset.ts";
import { targetProgress } from "../../kpi/target-progress.ts";
import { createEngine } from "../../engine/create-engine.ts";
import { computeKpis } from "../../kpi/compute-kpis.ts";
import { fitPatterns } from "../../patterns/fit-patterns.ts";
import { recommend } from "../../recommend/recommend.ts";
import { detectSignals } from "../../signals/detect-signals.ts";
import { asOfView } from "../as-of-view.ts";
import { datasetToBytes } from "../dataset-to-bytes.ts";
import { isOrderpulseError } from "../errors.ts";
import { fromRowsSync } from "../from-rows-sync.ts";
import { orderOccasions } from "../order-occasions.ts";

describe("a Dataset argument that is not one", () => {
  it("is INVALID_OPTION naming dataset, with the likely mistake: readDataset without await, or its whole result (review 2026-12-07: a bare TypeError reading 'day')", () => {
    const result = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-10-01", customer_id: "C", product_id: "P", quantity: 1, unit_price: 1 }] });
    const promise = Promise.resolve(result);
    const calls: [string, (d: never) => unknown][] = [
      ["computeKpis", (d) => computeKpis(d)],
      ["analyze", (d) => analyze(d)],
      ["recommend", (d) => recommend(d)],
      ["detectSignals", (d) => detectSignals(d)],
      ["fitPatterns", (d) => fitPatterns(d)],
      ["orderOccasions", (d) => orderOccasions(d)],
      ["datasetToBytes", (d) => datasetToBytes(d)],
      ["asOfView", (d) => asOfView(d, "2026-10-01")],
      ["createEngine", (d) => createEngine({ dataset: d })],
      ["fitDealStages", (d) => fitDealStages(d)],
      ["backtest", (d) => backtest(d)],
      ["explainKpiChange", (d) => explainKpiChange(d, { kpi: "revenue", from: "2026-01", to: "2026-02" })],
      ["fitIntervalModel", (d) => fitIntervalModel(d)],
      ["targetProgress", (d) => targetProgress(d)],
      ["summaryFromDataset", (d) => summaryFromDataset(d, { asOf: "2026-10-01" })],
    ];
    for (const [name, call] of calls) {
      for (const [bad, hint] of [[promise, /await it/], [result, /pass its \.dataset/], [null, /expected a Dataset$/]] as const) {
        let err: unknown;
        try {
          call(bad as never);
        } catch (e) {
          err = e;
        }
        expect(isOrderpulseError(err) && err.code === "INVALID_OPTION" && (err.details as { option?: string }).option === "dataset", name).toBe(true);
        expect((err as Error).message, name).toMatch(hint);
        expect((err as Error).message, name).toMatch(new RegExp(`^${name}: `)); // (the function named, as every option error does)
      }
      expect(() => call(result.dataset as never), name).not.toThrow();
    }
  });
});
