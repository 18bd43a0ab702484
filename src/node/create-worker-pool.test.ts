import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { analyze } from "../analyze.ts";
import { asOfView } from "../data/as-of-view.ts";
import type { Dataset } from "../data/dataset.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { fitPatterns, type FitPatternsOptions, type PatternModel } from "../patterns/fit-patterns.ts";
import { recommend } from "../recommend/recommend.ts";
import type { RecommendOptions } from "../recommend/types.ts";
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
    // calibrate: false reaches the fit the pool makes (the interval model without its backtest)
    const once = { types: ["customer_overdue", "frequency_drop"] as ("customer_overdue" | "frequency_drop")[], calibrate: false };
    expect(await pool.detectSignals(dataset, once)).toEqual(detectSignals(dataset, { ...once, model: fitPatterns(dataset, { calibrate: false }) }));
    expect((await pool.fitPatterns(dataset, { calibrate: false })).calibration).toBeUndefined();
    // and so does asOfInProgress (the fit's silences and kpi_drop's weeks)
    const open = { ...once, types: [...once.types, "kpi_drop" as const], asOfInProgress: true };
    expect(await pool.detectSignals(dataset, open)).toEqual(detectSignals(dataset, open));
    expect(JSON.stringify(await pool.fitPatterns(dataset, { calibrate: false, asOfInProgress: true }))).toBe(JSON.stringify(fitPatterns(dataset, { calibrate: false, asOfInProgress: true })));
    const some = { model, types: ["item_dropped", "kpi_drop", "customer_overdue"] as const, sensitivity: 2 };
    expect(await pool.detectSignals(dataset, { ...some, types: [...some.types] })).toEqual(detectSignals(dataset, { ...some, types: [...some.types] }));
    const rep = single.find((s) => s.repId !== undefined)!.repId!;
    expect(await pool.detectSignals(dataset, { model, repId: rep })).toEqual(detectSignals(dataset, { model, repId: rep }));
    // options as a settings class whose prototype holds a getter the stage knows (read by both)
    // and a host field it does not (read by neither: the pool copied it as an own key, and the
    // worker rejected it as an unknown option, as fitPatterns did with sensitivity)
    class Settings {
      readonly model = model;
      readonly types = ["customer_overdue", "item_dropped"] as ("customer_overdue" | "item_dropped")[];
      get sensitivity(): number {
        return 1.5;
      }
      get label(): string {
        return "weekly run";
      }
    }
    const settings = new Settings();
    expect(await pool.detectSignals(dataset, settings as never)).toEqual(detectSignals(dataset, settings as never));
    class FitSettings {
      get calibrate(): boolean {
        return false;
      }
      get sensitivity(): number {
        return 1.5;
      }
    }
    const fit = new FitSettings();
    expect(fitPatterns(dataset, fit as never).calibration).toBeUndefined();
    expect((await pool.fitPatterns(dataset, fit as never)).calibration).toBeUndefined();
  });

  it("recommend: customers split in contiguous shares, merged in recommend's order (all active customers, a list with repeats and unknown ids, one customer)", async () => {
    const all = recommend(dataset, { model });
    expect(all.length).toBeGreaterThan(100);
    expect(await pool.recommend(dataset, { model })).toEqual(all);
    const ids = dataset.ids.customers.values;
    const customerIds = [ids[7]!, ids[3]!, "nobody", ids[7]!, ...ids.slice(20, 40)];
    expect(await pool.recommend(dataset, { model, customerIds, k: 3 })).toEqual(recommend(dataset, { model, customerIds, k: 3 }));
    expect(await pool.recommend(dataset, { customerId: ids[9]! })).toEqual(recommend(dataset, { customerId: ids[9]! }));
    // options as a settings class (defaults on the prototype, a getter, and one it does not know,
    // which is not read) or an object with a cycle: what the single-thread call reads (the workers
    // ran on their defaults; the cycle overflowed; now its key is unknown to both, before any send)
    class Settings {
      readonly model = model;
      get k(): number {
        return 2;
      }
      get other(): number {
        return 1;
      }
    }
    const inherited = Object.assign(Object.create({ k: 1, kinds: ["cross_sell"], other: 1 }) as object, { model });
    for (const opts of [new Settings(), inherited]) expect(await pool.recommend(dataset, opts as never)).toEqual(recommend(dataset, opts as never));
    const cyclic: Record<string, unknown> = { model, k: 2 };
    cyclic["self"] = cyclic;
    expect(() => recommend(dataset, cyclic as never)).toThrow(/unknown option self/);
    await expect(pool.recommend(dataset, cyclic as never)).rejects.toThrow(/unknown option self/);
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

  it("every close() resolves only when the workers have exited, the second too (review 2026-12-06: it resolved at once)", async () => {
    const pool = createWorkerPool({ workers: 2 });
    let exited = false;
    const first = pool.close().then(() => void (exited = true));
    await pool.close();
    expect(exited).toBe(true);
    await first;
  });
});

/** `p`'s outcome, or "pending" when it has not settled within `ms` (a hung call fails the test instead of timing it out). */
async function within<T>(p: Promise<T>, ms = 20_000): Promise<{ value: T } | { error: unknown } | "pending"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"pending">((resolve) => (timer = setTimeout(() => resolve("pending"), ms)));
  try {
    return await Promise.race([p.then((value) => ({ value }), (error: unknown) => ({ error })), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe("createWorkerPool: datasets and models kept while calls use them", () => {
  it("a call keeps its dataset while it awaits the fit, though other calls send more datasets than the pool keeps", async () => {
    const [a, b, c] = [1, 2, 4].map((seed) => fromRowsSync(generateSyntheticDistributor({ seed, customers: 30 })).dataset) as [Dataset, Dataset, Dataset];
    const pool = createWorkerPool({ workers: 1 });
    try {
      const pa = pool.detectSignals(a); // fits first (awaits) with a's dataset already sent
      const pb = pool.recommend(b, { k: 1 }); // two more datasets meanwhile: more than the 2 kept
      const pc = pool.recommend(c, { k: 1 });
      expect(await pa).toEqual(detectSignals(a));
      expect(await pb).toEqual(recommend(b, { k: 1 }));
      expect(await pc).toEqual(recommend(c, { k: 1 }));
      // and later calls with any of them still work (sent again when dropped)
      for (const d of [a, b, c]) expect(await pool.recommend(d, { k: 1 })).toEqual(recommend(d, { k: 1 }));
    } finally {
      await pool.close();
    }
  });

  it("more models at once than the pool keeps: every call gets its own", async () => {
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 5, customers: 30 }));
    const days = ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31"];
    const models = days.map((asOf) => fitPatterns(dataset, { asOf }));
    const pool = createWorkerPool({ workers: 2 });
    try {
      const calls = days.map((asOf, k) => pool.detectSignals(dataset, { asOf, model: models[k]!, types: ["customer_overdue", "item_dropped"] }));
      const fits = days.slice(0, 3).map((asOf) => pool.detectSignals(dataset, { asOf, types: ["frequency_drop"] })); // fitted in the pool, remembered meanwhile
      const got = await Promise.all([...calls, ...fits]);
      expect(got).toEqual([
        ...days.map((asOf, k) => detectSignals(dataset, { asOf, model: models[k]!, types: ["customer_overdue", "item_dropped"] })),
        ...days.slice(0, 3).map((asOf) => detectSignals(dataset, { asOf, types: ["frequency_drop"] })),
      ]);
    } finally {
      await pool.close();
    }
  });
});

describe("createWorkerPool: the single-thread validation, failed workers", () => {
  const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 1, customers: 20 }));
  const asOf = "2026-06-30";

  it("detectSignals with types: [] still checks the other options (as detectSignals does), then returns []", async () => {
    const pool = createWorkerPool({ workers: 2 });
    try {
      const bad = { types: [], sensitivity: -5 };
      expectInvalid(() => detectSignals(dataset, bad), "sensitivity");
      const e = await pool.detectSignals(dataset, bad).catch((err: unknown) => err);
      expect(isOrderpulseError(e) && [e.code, e.details["option"]]).toEqual(["INVALID_OPTION", "sensitivity"]);
      expect(await pool.detectSignals(dataset, { types: [], asOf })).toEqual(detectSignals(dataset, { types: [], asOf }));
    } finally {
      await pool.close();
    }
  });

  it("checks the options in the calling thread, in detectSignals' and recommend's order, before fitting or sending; plain copies go to the workers", async () => {
    const pool = createWorkerPool({ workers: 2 });
    const codeOf = async (p: Promise<unknown>): Promise<unknown> => p.then(() => "no error", (e: unknown) => (isOrderpulseError(e) ? [e.code, e.details["option"], e.message.split(":")[0]] : String(e)));
    try {
      // a model that is no PatternModel: INVALID_OPTION as in one thread (a TypeError from toJSON before)
      expect(await codeOf(pool.recommend(dataset, { model: {} as never }))).toEqual(["INVALID_OPTION", "model", "recommend"]);
      expect(await codeOf(pool.detectSignals(dataset, { model: "x" as never }))).toEqual(["INVALID_OPTION", "model", "detectSignals"]);
      // a look-alike whose toJSON is no model's: INVALID_OPTION, not a TypeError from the packing (review 2026-12-07)
      const fitted = fitPatterns(dataset, { asOf });
      const lookAlike = { asOf: fitted.asOf, toJSON: () => ({ bogus: 1 }), customer: () => undefined, items: () => [], all: () => [] };
      // (refused in the calling thread since 2026-12-07: it knows none of the data's customers)
      expect(await codeOf(pool.recommend(dataset, { asOf, model: lookAlike as never }))).toEqual(["INVALID_OPTION", "model", "recommend"]);
      expect(await codeOf(pool.recommend(dataset, { asOf, model: { ...lookAlike, customer: (id: string) => fitted.customer(id) } as never }))).toEqual(["INVALID_OPTION", "model", "createWorkerPool"]);
      // detectSignals' own error, not the fit's (the fit ran first and failed on its own option)
      expect(await codeOf(pool.detectSignals(dataset, { calibrate: "yes" as never }))).toEqual(["INVALID_OPTION", "calibrate", "detectSignals"]);
      expect(await codeOf(pool.detectSignals(dataset, { sensitivity: 0, calendar: { weekendDays: [9] } }))).toEqual(["INVALID_OPTION", "sensitivity", "detectSignals"]);
      // a Proxy (as reactive state hands out) cannot be cloned to a worker: its plain copy goes
      const ids = dataset.ids.customers.values.slice(0, 5);
      expect(await pool.recommend(dataset, { asOf, customerIds: new Proxy([...ids], {}) })).toEqual(recommend(dataset, { asOf, customerIds: [...ids] }));
      // a value no worker can receive (a function) goes as a text naming it: the stage's own
      // INVALID_OPTION, as in one thread (a DataCloneError before), and the pool stays usable
      expect(((await codeOf(pool.fitPatterns(dataset, { asOf, calendar: { holidays: [() => 1] as never } }))) as unknown[])[0]).toBe("INVALID_OPTION");
      expect(await pool.detectSignals(dataset, { asOf, types: ["discount_anomaly"] })).toEqual(detectSignals(dataset, { asOf, types: ["discount_anomaly"] }));
    } finally {
      await pool.close();
    }
  });

  it("a model the worker cannot read fails the calls that use it (a job error); the worker lives on", async () => {
    const pool = createWorkerPool({ workers: 1 });
    try {
      // a malformed model object (programmer error): its JSON is not a version-1 model (its
      // customers are the data's, as the calling thread checks)
      const fitted = fitPatterns(dataset, { asOf });
      const bad = { asOf, items: () => [], customer: (id: string) => fitted.customer(id), all: () => [], toJSON: () => ({ version: 2, asOf, customers: [], items: [], deals: { stages: [], open: [] } }) } as unknown as PatternModel;
      const r1 = await within(pool.detectSignals(dataset, { asOf, model: bad, types: ["discount_anomaly"] }));
      expect(r1 !== "pending" && "error" in r1 && isOrderpulseError(r1.error) && [r1.error.code, r1.error.message]).toEqual(["INVALID_OPTION", "fromPatternsJSON: not a version-1 pattern model: expected an object with version 1"]);
      const single = detectSignals(dataset, { asOf, types: ["discount_anomaly"] });
      for (let k = 0; k < 2; k++) expect(await within(pool.detectSignals(dataset, { asOf, types: ["discount_anomaly"] }))).toEqual({ value: single });
    } finally {
      await pool.close();
    }
  });

  /**
   * The pool's own worker script, but a run whose option `option` is `value` does `act` instead (a
   * file in a fresh folder). A valid option's rare value, not a key of its own: an unknown option is
   * INVALID_OPTION on the main thread, before anything is sent.
   */
  const hookedWorker = (name: string, option: string, value: number, act: string): { dir: string; script: string } => {
    const dir = mkdtempSync(join(tmpdir(), "op-pool-"));
    const script = join(dir, `${name}-worker.ts`);
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    const real = pathToFileURL(join(import.meta.dirname, "internal", "pool-worker.ts")).href;
    writeFileSync(
      script,
      [
        `import { parentPort } from "node:worker_threads";`,
        `type Listener = (req: { type: string; options?: Record<string, unknown> }) => void;`,
        `const port = parentPort as unknown as { on(event: string, listener: Listener): void };`,
        `const on = port.on.bind(port);`,
        `port.on = (event, listener) => on(event, event !== "message" ? listener : (req) => (req.type === "run" && req.options?.[${JSON.stringify(option)}] === ${value} ? ${act} : listener(req)));`,
        `await import(${JSON.stringify(real)});`,
      ].join("\n"),
    );
    return { dir, script };
  };

  it("workerUrl as a path string: a folder named with # and %41 is the folder, not a URL's fragment or escape (review 2026-12-07)", async () => {
    const { dir } = hookedWorker("unused", "sensitivity", 77, "process.exit(3)");
    const odd = join(dir, "a#b 100%41");
    mkdirSync(odd);
    writeFileSync(join(odd, "package.json"), '{ "type": "module" }\n');
    const script = join(odd, "w.ts");
    writeFileSync(script, `await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, "internal", "pool-worker.ts")).href)});\n`);
    const pool = createWorkerPool({ workers: 1, workerUrl: script });
    try {
      expect(await within(pool.recommend(dataset, { asOf, k: 2 }))).toEqual({ value: recommend(dataset, { asOf, k: 2 }) });
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // a string with a URL scheme is a URL (the one form read before)
    const viaUrl = createWorkerPool({ workers: 1, workerUrl: pathToFileURL(join(import.meta.dirname, "internal", "pool-worker.ts")).href });
    try {
      expect(await within(viaUrl.recommend(dataset, { asOf, k: 2 }))).toEqual({ value: recommend(dataset, { asOf, k: 2 }) });
    } finally {
      await viaUrl.close();
    }
  });

  it("a worker that exits: its calls reject with WORKER_EXITED, a fresh worker takes its place and later calls give the single-thread results", async () => {
    // the pool's own worker, but it exits (as after a crash) on a run with sensitivity 77
    const { dir, script } = hookedWorker("crash", "sensitivity", 77, "process.exit(3)");
    const model = fitPatterns(dataset, { asOf });
    const pool = createWorkerPool({ workers: 2, workerUrl: pathToFileURL(script) });
    try {
      expect(await pool.detectSignals(dataset, { asOf, model })).toEqual(detectSignals(dataset, { asOf, model }));
      // one type: one worker runs it and exits; the other lives on
      const crash = await within(pool.detectSignals(dataset, { asOf, model, types: ["kpi_drop"], sensitivity: 77 }));
      expect(crash !== "pending" && "error" in crash && isOrderpulseError(crash.error) && crash.error.code).toBe("WORKER_EXITED");
      // the dataset and model go to the workers again (the fresh one has neither)
      expect(await within(pool.detectSignals(dataset, { asOf, model }))).toEqual({ value: detectSignals(dataset, { asOf, model }) });
      expect(await within(pool.recommend(dataset, { asOf, model, k: 2 }))).toEqual({ value: recommend(dataset, { asOf, model, k: 2 }) });
      expect(await within(pool.fitPatterns(dataset, { asOf }).then((m) => m.toJSON()))).toEqual({ value: model.toJSON() });
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a worker that dies of an uncaught error: a call made as the pending ones are rejected (a retry) gets a fresh worker, not the dying one", async () => {
    // the pool's own worker, but it throws an uncaught error instead of a run with minMargin 7.5
    const { dir, script } = hookedWorker("boom", "minMargin", 7.5, `setImmediate(() => { throw new Error("boom"); })`);
    const pool = createWorkerPool({ workers: 1, workerUrl: pathToFileURL(script) });
    try {
      const retried = pool.recommend(dataset, { asOf, k: 2, minMargin: 7.5 }).then(
        () => "answered",
        (e: unknown) => pool.recommend(dataset, { asOf, k: 2 }).then((offers) => ({ error: String(e), offers })),
      );
      const r = await within(retried);
      expect(r).toEqual({ value: { error: "Error: boom", offers: recommend(dataset, { asOf, k: 2 }) } });
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("options as the single-thread call takes them: null is INVALID_OPTION; a function is INVALID_OPTION where a value is checked and under a key the stage does not know (no DataCloneError)", async () => {
    const pool = createWorkerPool({ workers: 1 });
    try {
      const code = (p: Promise<unknown>): Promise<unknown> => p.then(() => "resolved", (e: unknown) => (isOrderpulseError(e) ? e.code : String(e)));
      expect(await code(pool.fitPatterns(dataset, null as never))).toBe("INVALID_OPTION");
      expect(() => fitPatterns(dataset, null as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
      expect(await code(pool.fitPatterns(dataset, { asOf: (() => 0) as never }))).toBe("INVALID_OPTION");
      expect(await code(pool.detectSignals(dataset, { asOf, calendar: { holidays: [(() => 0) as never] } }))).toBe("INVALID_OPTION");
      expect(() => recommend(dataset, { asOf, k: 2, extra: () => 0 } as RecommendOptions)).toThrow(/unknown option extra/);
      await expect(pool.recommend(dataset, { asOf, k: 2, extra: () => 0 } as RecommendOptions)).rejects.toThrow(/unknown option extra/);
      // (checked on this thread before anything is sent, as detectSignals and recommend do: with
      // something that is not a dataset, the option's error, not a TypeError of the sending)
      expect(() => fitPatterns(dataset, { asOf, extra: () => 0 } as FitPatternsOptions)).toThrow(/unknown option extra/);
      await expect(pool.fitPatterns(dataset, { asOf, extra: () => 0 } as FitPatternsOptions)).rejects.toThrow(/unknown option extra/);
      await expect(pool.fitPatterns({} as Dataset, { asOf, extra: 1 } as FitPatternsOptions)).rejects.toThrow(/^fitPatterns: unknown option extra/);
    } finally {
      await pool.close();
    }
  });
});

describe("createWorkerPool: idle workers and malformed datasets (review 2026-12-07)", () => {
  it("a host process exits after its last line without close(), its workers idle or never used (a never-used worker kept it alive)", async () => {
    const { spawnSync } = await import("node:child_process");
    const here = pathToFileURL(join(import.meta.dirname, "create-worker-pool.ts")).href;
    const data = pathToFileURL(join(import.meta.dirname, "..", "data", "from-rows-sync.ts")).href;
    const script = [
      `const { createWorkerPool } = await import(${JSON.stringify(here)});`,
      `const { fromRowsSync } = await import(${JSON.stringify(data)});`,
      `const { dataset } = fromRowsSync({ orders: [{ order_id: "A", order_date: "2026-01-05", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 2 }] });`,
      `const pool = createWorkerPool({ workers: 2 });`,
      `const m = await pool.fitPatterns(dataset);`,
      `createWorkerPool({ workers: 1 });`,
      `console.log("done", m.asOf);`,
    ].join("\n");
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect([r.signal, r.status, r.stdout.trim()]).toEqual([null, 0, "done 2026-01-05"]);
  }, 40_000);

  it("a dataset whose column is no typed array is INVALID_OPTION, in datasetToBytes and the pool (it looped for ever)", async () => {
    const { datasetToBytes } = await import("../data/dataset-to-bytes.ts");
    const { dataset } = fromRowsSync({ orders: [{ order_id: "A", order_date: "2026-01-05", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 2 }] });
    const broken = { ...dataset, lines: { ...dataset.lines, quantity: Array.from(dataset.lines.quantity) } } as unknown as Dataset;
    expectInvalid(() => datasetToBytes(broken), "dataset");
    const pool = createWorkerPool({ workers: 1 });
    try {
      const e = await pool.recommend(broken, {}).catch((x: unknown) => x);
      expect(isOrderpulseError(e) && [e.code, e.details["option"]]).toEqual(["INVALID_OPTION", "dataset"]);
    } finally {
      await pool.close();
    }
  });
});
