import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { analyze } from "../analyze.ts";
import { asOfView } from "../data/as-of-view.ts";
import type { Dataset } from "../data/dataset.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { fitPatterns, type PatternModel } from "../patterns/fit-patterns.ts";
import { recommend } from "../recommend/recommend.ts";
import { detectSignals } from "../signals/detect-signals.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { createWorkerPool, type WorkerPool } from "./create-worker-pool.ts";

describe("createWorkerPool: the same results as the single-thread calls", () => {
  let dataset: Dataset;
  let model: PatternModel;
  let pool: WorkerPool;
  beforeAll(() => {
    dataset = fromRowsSync(generateSyntheticDistributor({ seed: 3, customers: 150 })).dataset;
    model = fitPatterns(dataset);
    pool = createWorkerPool({ workers: 3 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it("fitPatterns: the model's JSON is deep-equal", async () => {
    const m = await pool.fitPatterns(dataset);
    expect(pool.size).toBe(3);
    expect(m.toJSON()).toEqual(model.toJSON());
    const id = model.all()[5]!.customerId;
    expect(m.customer(id)).toEqual(model.customer(id));
    expect(m.items(id)).toEqual(model.items(id));
  });

  it("detectSignals: every type spread over the workers, merged in detectSignals' order; with and without a model; a subset of types; repId", async () => {
    const single = detectSignals(dataset, { model });
    expect(single.length).toBeGreaterThan(5);
    expect(new Set(single.map((s) => s.type)).size).toBeGreaterThan(3);
    expect(await pool.detectSignals(dataset, { model })).toEqual(single);
    expect(await pool.detectSignals(dataset)).toEqual(single); // fits the same model first
    const some = { model, types: ["item_dropped", "kpi_drop", "customer_overdue"] as const, sensitivity: 2 };
    expect(await pool.detectSignals(dataset, { ...some, types: [...some.types] })).toEqual(detectSignals(dataset, { ...some, types: [...some.types] }));
    const rep = single.find((s) => s.repId !== undefined)!.repId!;
    expect(await pool.detectSignals(dataset, { model, repId: rep })).toEqual(detectSignals(dataset, { model, repId: rep }));
  });

  it("recommend: customers split in contiguous shares, merged in recommend's order (all active customers, a list with repeats and unknown ids, one customer)", async () => {
    const all = recommend(dataset, { model });
    expect(all.length).toBeGreaterThan(100);
    expect(await pool.recommend(dataset, { model })).toEqual(all);
    const ids = dataset.ids.customers.values;
    const customerIds = [ids[7]!, ids[3]!, "nobody", ids[7]!, ...ids.slice(20, 40)];
    expect(await pool.recommend(dataset, { model, customerIds, k: 3 })).toEqual(recommend(dataset, { model, customerIds, k: 3 }));
    expect(await pool.recommend(dataset, { customerId: ids[9]! })).toEqual(recommend(dataset, { customerId: ids[9]! }));
  });

  it("analyze: the same analysis (JSON) with the fit, signals and offers on the workers; with a model, a rep, an earlier asOf", async () => {
    expect(JSON.stringify(await pool.analyze(dataset))).toBe(JSON.stringify(analyze(dataset)));
    expect(JSON.stringify(await pool.analyze(dataset, { model, locale: "he", k: 2 }))).toBe(JSON.stringify(analyze(dataset, { model, locale: "he", k: 2 })));
    const rep = dataset.ids.reps.values[0]!;
    expect(JSON.stringify(await pool.analyze(dataset, { asOf: "2026-05-31", repId: rep }))).toBe(JSON.stringify(analyze(dataset, { asOf: "2026-05-31", repId: rep })));
  });

  it("an as-of view goes to the workers as a view (nothing after asOf visible)", async () => {
    const view = asOfView(dataset, "2026-06-30");
    const m = fitPatterns(view);
    expect(await pool.detectSignals(view, { model: m, types: ["customer_overdue", "discount_anomaly"] })).toEqual(detectSignals(view, { model: m, types: ["customer_overdue", "discount_anomaly"] }));
    expect(await pool.recommend(view, { model: m, k: 2 })).toEqual(recommend(view, { model: m, k: 2 }));
  });

  it("a bad stage option rejects with the stage's own OrderpulseError (code kept across the thread)", async () => {
    const e1 = await pool.detectSignals(dataset, { types: ["nope" as "kpi_drop"] }).catch((e: unknown) => e);
    expect(isOrderpulseError(e1) && e1.code).toBe("INVALID_OPTION");
    const e2 = await pool.recommend(dataset, { k: 0 }).catch((e: unknown) => e);
    expect(isOrderpulseError(e2) && e2.code).toBe("INVALID_OPTION");
    const e3 = await pool.fitPatterns(dataset, { alive: "nope" as "none" }).catch((e: unknown) => e);
    expect(isOrderpulseError(e3) && e3.code).toBe("INVALID_OPTION");
    // the pool still works after errors
    expect((await pool.recommend(dataset, { model, customerIds: [dataset.ids.customers.values[0]!] })).length).toBeGreaterThan(0);
  });
});

describe("createWorkerPool: options and lifecycle", () => {
  it("rejects bad options", () => {
    expectInvalid(() => createWorkerPool({ workers: 0 }), "workers");
    expectInvalid(() => createWorkerPool({ workers: 1.5 }), "workers");
    expectInvalid(() => createWorkerPool({ workerUrl: 3 as unknown as string }), "workerUrl");
  });

  it("default: one worker; after close every call rejects and close is idempotent", async () => {
    const pool = createWorkerPool();
    expect(pool.size).toBe(1);
    const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 1, unit_price: 2 }] });
    expect(await pool.recommend(dataset, { customerId: "C1" })).toEqual(recommend(dataset, { customerId: "C1" }));
    await pool.close();
    await pool.close();
    await expect(pool.recommend(dataset, { customerId: "C1" })).rejects.toThrow(/closed/);
  });
});
