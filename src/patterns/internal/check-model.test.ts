import { describe, expect, it } from "vitest";
import { analyze } from "../../analyze.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { recommend } from "../../recommend/recommend.ts";
import { detectSignals } from "../../signals/detect-signals.ts";
import { generateSyntheticDistributor } from "../../synth/generate-synthetic-distributor.ts";
import { expectInvalid } from "../../../test/support/expect-invalid.ts";
import { fitPatterns } from "../fit-patterns.ts";

describe("a model given as an option", () => {
  const asOf = "2026-08-03";
  const a = generateSyntheticDistributor({ seed: 1, customers: 30, products: 60 });
  const b = generateSyntheticDistributor({ seed: 2, customers: 30, products: 60 }); // the same ids, other orders
  const A = fromRowsSync(a).dataset, B = fromRowsSync(b).dataset;
  const model = fitPatterns(A, { asOf });

  it("fitted on other data at the same day is INVALID_OPTION naming model (review 2026-12-07: another tenant's model was accepted, a customer silent 448 days read as ordering that day)", () => {
    expectInvalid(() => detectSignals(B, { asOf, model }), "model");
    expectInvalid(() => recommend(B, { asOf, model }), "model");
    expectInvalid(() => analyze(B, { asOf, model }), "model");
    expect(() => detectSignals(B, { asOf, model })).toThrow(/fitted on other data \(customer C\d+: last order/);
  });

  it("is accepted on its own data, and on a shard of it (a subset of the customers, the whole model)", () => {
    expect(() => detectSignals(A, { asOf, model })).not.toThrow();
    const keep = new Set(a.customers.slice(0, 10).map((c) => c.customer_id));
    const shard = fromRowsSync({ ...a, orders: a.orders.filter((o) => keep.has(o.customer_id)) }).dataset;
    expect(recommend(shard, { asOf, model }).length).toBeGreaterThan(0);
  });
});
