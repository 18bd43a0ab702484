import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { analyzeSteps } from "../analyze.ts";
import { writeDatasetBytes } from "../data/dataset-to-bytes.ts";
import { checkDataset } from "../data/internal/check-dataset.ts";
import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError, type OrderpulseErrorCode } from "../data/errors.ts";
import { checkInt, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { checkFitPatternsOptions, FIT_PATTERNS_KEYS, type FitPatternsOptions, type PatternModel } from "../patterns/fit-patterns.ts";
import { fromPatternsJSON } from "../patterns/from-patterns-json.ts";
import { RECOMMEND_KEYS, resolveRecommendOptions } from "../recommend/internal/settings.ts";
import type { Offer, RecommendOptions } from "../recommend/types.ts";
import type { DetectSignalsOptions } from "../signals/detect-signals.ts";
import { checkDetectSignalsOptions, DETECT_SIGNALS_KEYS } from "../signals/internal/run-detectors.ts";
import { CLOCK_GAP_TYPES } from "../signals/internal/customer-clock.ts";
import { bySignalOrder } from "../signals/internal/format.ts";
import { ITEM_HISTORY_TYPES } from "../signals/internal/item-history.ts";
import { NEEDS_MODEL } from "../signals/internal/registry.ts";
import type { Signal, SignalType } from "../signals/types.ts";
import type { Analysis, AnalyzeOptions } from "../tasks/types.ts";
import type { PoolRequest, PoolResponse, PoolStage } from "./internal/pool-protocol.ts";
import { packModel, type PackedModel, unpackModel } from "./internal/packed-model.ts";

/**
 * A `workerUrl` string: a URL when it starts with a scheme of two letters or more (`file:`,
 * `data:`), else a file path, relative to the working directory. It was always read as a URL
 * against the working directory: a folder named `a#b` lost everything from `#` on, `100%41` read
 * `100A`, and `C:\app\pool-worker.js` threw a TypeError for its `c:` scheme (a review).
 */
function workerScript(wu: string): URL {
  return /^[a-z][a-z0-9+.-]+:/i.test(wu) ? new URL(wu) : pathToFileURL(resolve(wu));
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Worker threads, 1..256 (default 1: a library never takes a host's cores unasked; `availableParallelism()` uses them all, as the CLI's `--workers all` does). */
  readonly workers?: number | undefined;
  /** The worker script (default: `pool-worker.js` / `.cjs` beside this module in the installed package); for hosts that bundle the package. A string is a file path (relative to the working directory) unless it starts with a URL scheme (`file:`). */
  readonly workerUrl?: string | URL | undefined;
}

const KEYS: OptionKeys<WorkerPoolOptions> = { workers: true, workerUrl: true };

/**
 * A pool of worker threads that runs the per-customer stages off the main thread and split
 * across cores. Each method gives exactly the result of the single-thread function with the same
 * arguments (tested); only the time differs.
 */
export interface WorkerPool {
  /** Number of worker threads. */
  readonly size: number;
  /**
   * {@link fitPatterns} off the main thread: one worker fits (the fit is not split by customer
   * yet) and keeps the model; it comes back packed by column, and the other workers get it the
   * same way for the stages that follow.
   * @param dataset - a dataset or as-of view
   * @param options - as for fitPatterns
   * @returns the model, read back from its JSON form (deep-equal `toJSON()` to the single-thread fit)
   */
  fitPatterns(dataset: Dataset, options?: FitPatternsOptions): Promise<PatternModel>;
  /**
   * {@link detectSignals}, its detector types spread over the workers (the model is fitted once
   * first when a customer detector needs one and none is given) and merged in detectSignals' order.
   * @param dataset - a dataset or as-of view
   * @param options - as for detectSignals
   * @returns the signals, highest value at risk first
   */
  detectSignals(dataset: Dataset, options?: DetectSignalsOptions): Promise<Signal[]>;
  /**
   * {@link recommend}, its customers split into one contiguous share per worker (each worker
   * builds the same global item tables) and merged in recommend's order.
   * @param dataset - a dataset or as-of view
   * @param options - as for recommend
   * @returns the offers
   */
  recommend(dataset: Dataset, options?: RecommendOptions): Promise<Offer[]>;
  /**
   * {@link analyze} with its stages on the workers: the pattern fit (unless a model is given) in
   * one worker, then detectSignals and recommend at once, each split as above.
   * @param dataset - a dataset or as-of view
   * @param options - as for analyze
   * @returns the analysis (the same JSON as analyze's)
   */
  analyze(dataset: Dataset, options?: AnalyzeOptions): Promise<Analysis>;
  /**
   * Stop the workers (pending calls reject with `WORKER_EXITED`). Idempotent.
   * @returns when every worker has exited
   */
  close(): Promise<void>;
}

/**
 * Datasets / models a pool keeps sent to its workers once no call uses them (least recently used
 * dropped first; one a call is using is never dropped, so more are kept while more are in use).
 */
const KEEP_DATASETS = 2;
const KEEP_MODELS = 4;

/**
 * Cost of each detector on the synthetic distributor, for balancing the workers (warm ms at 1.08M
 * lines, each type alone and the sharing groups together, 2026-12-05 after the session's speed
 * work), without the state some types share within one detectSignals call ({@link SHARED}):
 * those go to one worker together, so it is built once.
 */
const DETECTOR_COST: Readonly<Record<SignalType, number>> = {
  customer_overdue: 48,
  frequency_drop: 46,
  item_dropped: 5,
  item_volume_drop: 40,
  diversity_drop: 10,
  product_vanishing: 84,
  discount_anomaly: 12,
  pipeline_stall: 20,
  kpi_drop: 65,
};
/** Types that share state within a call, and its cost: the item history and its family season; the customers' clock gaps. */
const SHARED: readonly { readonly types: ReadonlySet<SignalType>; readonly cost: number }[] = [
  { types: ITEM_HISTORY_TYPES, cost: 60 },
  { types: CLOCK_GAP_TYPES, cost: 11 },
];

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** The worker has exited: the next use of the slot starts a fresh one (unless the pool is closed). */
  exited: boolean;
}

/** A dataset or model sent to the workers under `id`. */
interface Kept<T> {
  readonly value: T;
  readonly id: number;
  /** Calls using it now (from taking the id until their results are in); it is not dropped while any is. */
  leases: number;
  /** Forgotten after a worker exited (the fresh worker does not have it): later calls send it again; dropped from the other workers once its last lease ends. */
  forgotten: boolean;
}

/**
 * The datasets or models sent to the workers, least recently used first: a call takes a lease
 * ({@link find}, or {@link add} after sending) and {@link release}s it when its results are in;
 * past `keep` entries, those without a lease are dropped from the workers.
 */
interface KeptList<T> {
  /** The entry of `value` with one more lease, made the most recently used; undefined when not sent. */
  find(value: T): Kept<T> | undefined;
  /** Record `value` as sent under `id`, with one lease (or none). */
  add(value: T, id: number, leases: 0 | 1): Kept<T>;
  /** End one lease (nothing for undefined). */
  release(entry: Kept<T> | undefined): void;
  /** Forget every entry (a worker exited): dropped from the workers now, or when its last lease ends. */
  forget(): void;
}

function keptList<T>(keep: number, drop: (id: number) => void): KeptList<T> {
  const list: Kept<T>[] = [];
  const evict = (): void => {
    for (let k = 0; list.length > keep && k < list.length; ) {
      if (list[k]!.leases > 0) k++;
      else drop(list.splice(k, 1)[0]!.id);
    }
  };
  return {
    find(value) {
      const k = list.findIndex((e) => e.value === value);
      if (k < 0) return undefined;
      const [e] = list.splice(k, 1);
      list.push(e!);
      e!.leases++;
      return e;
    },
    add(value, id, leases) {
      const e: Kept<T> = { value, id, leases, forgotten: false };
      list.push(e);
      evict();
      return e;
    },
    release(e) {
      if (e === undefined) return;
      e.leases--;
      if (!e.forgotten) evict();
      else if (e.leases === 0) drop(e.id);
    },
    forget() {
      for (const e of list.splice(0)) {
        e.forgotten = true;
        if (e.leases === 0) drop(e.id);
      }
    },
  };
}

/**
 * Create a pool of `worker_threads` for the per-customer stages (Node only). The dataset goes to
 * the workers once per dataset (its columnar bytes in one `SharedArrayBuffer`, `datasetToBytes`),
 * a model once per model (its item rhythms packed by column); later calls with the same objects
 * reuse them. A dataset or model stays in the workers while a call uses it; of the others, the 2
 * most recently used datasets and 4 models are kept.
 *
 * How work is split (docs/scaling.md): `recommend` by customer, in one contiguous share per
 * worker (the item co-occurrence and neighbour tables are global and every worker builds the
 * same ones); `detectSignals` by detector type, balanced by each detector's typical cost;
 * `fitPatterns` runs whole in one worker (the others get the model from the main thread);
 * `analyze` fits while the main thread computes the KPIs, then runs signals and offers at once. Results are merged with the single-thread functions'
 * own orderings, so they are identical to the single-thread calls. Idle workers do not keep the
 * process alive; call `close()` when done.
 *
 * A worker that exits while the pool is open (a crash, running out of memory) rejects the calls
 * running on it with `WORKER_EXITED` (or with the error it died of); the next call starts a fresh
 * worker in its place and sends the datasets and models again.
 *
 * @param options - `workers` (default 1), `workerUrl`
 * @returns the pool; its methods reject with the stage's own `OrderpulseError` for an unknown or
 *   bad option, `WORKER_EXITED` when a worker exits during the call (or `close()` ends it)
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectSignals, fromRowsSync, generateSyntheticDistributor, recommend } from "orderpulse";
 * import { createWorkerPool } from "orderpulse/node";
 * const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 1, customers: 40 }));
 * const pool = createWorkerPool({ workers: 2 });
 * try {
 *   const model = await pool.fitPatterns(dataset);
 *   assert.deepEqual(await pool.detectSignals(dataset, { model }), detectSignals(dataset, { model }));
 *   const customerIds = ["C00001", "C00002", "C00003"];
 *   assert.deepEqual(await pool.recommend(dataset, { customerIds, model }), recommend(dataset, { customerIds, model }));
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export function createWorkerPool(options?: WorkerPoolOptions): WorkerPool {
  const fn = "createWorkerPool";
  const o = optionsObject(options, fn, KEYS);
  checkInt(o, "workers", 1, 256, fn);
  const wu = o["workerUrl"];
  if (wu !== undefined && typeof wu !== "string" && !(wu instanceof URL)) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option workerUrl: expected a string or URL`, { option: "workerUrl", value: wu });
  }
  const size = (options?.workers as number | undefined) ?? 1;
  const script = wu === undefined ? defaultWorkerUrl() : typeof wu === "string" ? workerScript(wu) : wu;
  const slots: Slot[] = [];
  let closed = false;
  let nextJob = 1;
  let nextId = 1;
  const datasets = keptList<Dataset>(KEEP_DATASETS, (id) => post({ type: "drop", datasetId: id }));
  const models = keptList<PatternModel>(KEEP_MODELS, (id) => post({ type: "drop", modelId: id }));

  function spawn(): Slot {
    // from source under Node (tests, tsx): register tsx's loader in the worker first (Deno runs .ts itself)
    const ts = script.pathname.endsWith(".ts") && !("Deno" in globalThis);
    const worker = ts
      ? new Worker(`import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(script.href)}); })`, { eval: true })
      : new Worker(script);
    const slot: Slot = { worker, pending: new Map(), exited: false };
    worker.on("message", (res: PoolResponse) => {
      const p = slot.pending.get(res.job);
      if (!p) return;
      slot.pending.delete(res.job);
      if (slot.pending.size === 0) worker.unref();
      if (res.ok) p.resolve(res.result);
      else {
        const e = res.error;
        p.reject(e.code !== undefined ? new OrderpulseError(e.code as OrderpulseErrorCode, e.message, (e.details ?? {}) as Record<string, unknown>) : new Error(`${e.name}: ${e.message}`));
      }
    });
    // an uncaught error ends the worker as its exit does (whichever comes first): the slot is
    // marked at once, so a call made as the pending ones are rejected (a retry) gets a fresh
    // worker, not the dying one (it failed with WORKER_EXITED)
    const down = (error: unknown): void => {
      if (slot.exited) return;
      slot.exited = true;
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
      // unexpected (a crash): the slot gets a fresh worker at its next use, which has no dataset
      // or model yet, so every one is sent again when next used
      if (!closed) {
        datasets.forget();
        models.forget();
      }
    };
    worker.on("error", (error) => {
      down(error);
      void worker.terminate();
    });
    worker.on("exit", (code) => down(exitError(code)));
    // unref'd after its listeners: under Node 20 adding a "message" listener refs a worker again,
    // so one that never ran a job kept the host's process alive after its last line (review 2026-12-07)
    worker.unref();
    return slot;
  }
  for (let k = 0; k < size; k++) slots.push(spawn());

  function exitError(code: number): OrderpulseError {
    return new OrderpulseError("WORKER_EXITED", `${fn}: a worker exited (code ${code})${closed ? ": the pool is closed" : ""}`, { code });
  }

  function live(): void {
    if (closed) throw new OrderpulseError("INVALID_OPTION", `${fn}: the pool is closed`, { option: "pool" });
  }

  /** Slot `k`, with a fresh worker in place of one that exited. */
  function slotAt(k: number): Slot {
    let s = slots[k]!;
    if (s.exited && !closed) slots[k] = s = spawn();
    return s;
  }

  function post(req: PoolRequest): void {
    for (let k = 0; k < slots.length; k++) slotAt(k).worker.postMessage(req);
  }

  /** A lease on `dataset` in the workers (sent now unless kept there). */
  function datasetLease(dataset: Dataset): Kept<Dataset> {
    const kept = datasets.find(dataset);
    if (kept !== undefined) return kept;
    checkDataset(dataset, fn);
    // the columnar bytes straight into shared memory: every worker reads the same copy
    const shared = writeDatasetBytes(dataset, (n) => new Uint8Array(new SharedArrayBuffer(n)));
    const id = nextId++;
    post({ type: "dataset", id, bytes: shared });
    return datasets.add(dataset, id, 1);
  }

  /** A lease on `model` in the workers (sent now unless kept there). */
  function modelLease(model: PatternModel | undefined): Kept<PatternModel> | undefined {
    if (model === undefined) return undefined;
    const kept = models.find(model);
    if (kept !== undefined) return kept;
    if (typeof (model as { toJSON?: unknown }).toJSON !== "function") throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option model: expected a PatternModel (fitPatterns), without toJSON`, { option: "model" });
    const json: unknown = model.toJSON();
    // (a look-alike whose toJSON is no model's threw a TypeError from the packing; a review)
    if (json === null || typeof json !== "object" || !Array.isArray((json as { items?: unknown }).items)) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option model: expected a PatternModel (fitPatterns): its toJSON() is no model's`, { option: "model" });
    const packed = packModel(json as ReturnType<PatternModel["toJSON"]>);
    const id = nextId++;
    post({ type: "model", id, model: packed });
    return models.add(model, id, 1);
  }

  function run<T>(slot: number, stage: PoolStage, dataset: number, model: number | undefined, stageOptions: object, keepAs?: number): Promise<T> {
    // a call still running when the pool closed (its worker is gone)
    if (closed) return Promise.reject(new OrderpulseError("WORKER_EXITED", `${fn}: the pool was closed during the call`, {}));
    const s = slotAt(slot);
    const job = nextJob++;
    return new Promise<T>((resolve, reject) => {
      // the options as plain data (a Proxy, as reactive state hands out, cannot be cloned to a worker)
      const req: PoolRequest = { type: "run", job, stage, datasetId: dataset, modelId: model, options: plainData(stageOptions) as object, ...(keepAs !== undefined ? { keepAs } : {}) };
      s.pending.set(job, { resolve: resolve as (v: unknown) => void, reject });
      s.worker.ref();
      try {
        s.worker.postMessage(req);
      } catch (err) {
        // not sent (a value no worker can receive): the job never ran, and must not keep the worker
        // referenced (an idle pool would keep the process alive)
        s.pending.delete(job);
        if (s.pending.size === 0) s.worker.unref();
        reject(err);
      }
    });
  }

  /**
   * Plain copies of arrays and records (a Proxy reads as its target); dates and other values as
   * they are, but functions and symbols, which no worker can receive (postMessage threw a
   * DataCloneError, not an OrderpulseError): as a text naming them, so an option that must not be
   * one is the worker's INVALID_OPTION (an unknown key is one too, as on this thread).
   */
  function plainData(v: unknown, within: Set<object> = new Set()): unknown {
    if (typeof v === "function") return `[function ${v.name}]`;
    if (typeof v === "symbol") return `[${String(v)}]`;
    if (typeof v !== "object" || v === null || v instanceof Date || ArrayBuffer.isView(v)) return v;
    // a cycle (an options object that refers to itself): the repeated object is left out, as an
    // ignored key is on this thread (it recursed until the stack overflowed)
    if (within.has(v)) return undefined;
    within.add(v);
    const out = Array.isArray(v) ? Array.from(v, (x) => plainData(x, within)) : Object.fromEntries(readableEntries(v).map(([k, x]) => [k, plainData(x, within)]));
    within.delete(v);
    return out;
  }

  /** The options without `model` (it goes by id), with what the single-thread call would read of them. */
  function withoutModel<T extends { model?: unknown }>(opts: T | undefined, known: Readonly<Record<string, true>>): Omit<T, "model"> {
    return Object.fromEntries(stageEntries(opts ?? {}, known).filter(([k]) => k !== "model")) as Omit<T, "model">;
  }

  async function fitPatterns(dataset: Dataset, opts?: FitPatternsOptions): Promise<PatternModel> {
    live();
    // the options checked here first, as detectSignals and recommend check theirs (a bad one was
    // the worker's error, after the dataset had been sent)
    checkFitPatternsOptions(opts, "fitPatterns");
    // one worker fits and keeps the model; the others get its packed form from here (fitting in
    // every worker at once made each fit slower, on cores the main thread also needs)
    const ds = datasetLease(dataset);
    try {
      const id = nextId++;
      // (an object: anything else was refused above)
      const sent = Object.fromEntries(stageEntries(opts ?? {}, FIT_PATTERNS_KEYS));
      const packed = await run<PackedModel>(0, "fitPatterns", ds.id, undefined, sent, id);
      for (let k = 1; k < slots.length; k++) slotAt(k).worker.postMessage({ type: "model", id, model: packed } satisfies PoolRequest);
      const model = fromPatternsJSON(unpackModel(packed));
      models.add(model, id, 0);
      return model;
    } finally {
      datasets.release(ds);
    }
  }

  async function detectSignals(dataset: Dataset, opts?: DetectSignalsOptions): Promise<Signal[]> {
    live();
    // detectSignals' own option checks first, here: a bad option gives its error before anything
    // is fitted or sent
    const { types: selected } = checkDetectSignalsOptions(dataset, opts, "detectSignals");
    // the dataset stays in the workers until the results are in (also while the model is fitted)
    let ds = datasetLease(dataset);
    let ml: Kept<PatternModel> | undefined;
    try {
      if (selected.length === 0) return [];
      const list = [...new Set<SignalType>(selected)];
      let model = opts?.model;
      if (model === undefined && list.some((t) => NEEDS_MODEL.has(t))) {
        model = await fitPatterns(dataset, { ...(opts?.asOf !== undefined ? { asOf: opts.asOf } : {}), ...(opts?.calendar !== undefined ? { calendar: opts.calendar } : {}), ...(opts?.calibrate !== undefined ? { calibrate: opts.calibrate } : {}), ...(opts?.asOfInProgress !== undefined ? { asOfInProgress: opts.asOfInProgress } : {}) });
        if (ds.forgotten) {
          // a worker exited during the fit: its fresh replacement needs the dataset again
          const fresh = datasetLease(dataset);
          datasets.release(ds);
          ds = fresh;
        }
      }
      ml = modelLease(model);
      // longest processing time first onto the least loaded worker; types that share state as one
      // unit (built once)
      const units: { types: SignalType[]; cost: number }[] = [];
      for (const g of SHARED) {
        const types = list.filter((t) => g.types.has(t));
        if (types.length > 0) units.push({ types, cost: types.reduce((sum, t) => sum + DETECTOR_COST[t], g.cost) });
      }
      for (const t of list) if (!SHARED.some((g) => g.types.has(t))) units.push({ types: [t], cost: DETECTOR_COST[t] });
      const load = new Array<number>(slots.length).fill(0);
      const share: SignalType[][] = slots.map(() => []);
      for (const u of units.sort((a, b) => b.cost - a.cost || (a.types[0]! < b.types[0]! ? -1 : 1))) {
        let k = 0;
        for (let j = 1; j < load.length; j++) if (load[j]! < load[k]!) k = j;
        share[k]!.push(...u.types);
        load[k]! += u.cost;
      }
      const id = ds.id;
      const mid = ml?.id;
      const parts = await Promise.all(share.map((ts, k) => (ts.length === 0 ? Promise.resolve([] as Signal[]) : run<Signal[]>(k, "detectSignals", id, mid, { ...withoutModel(opts, DETECT_SIGNALS_KEYS), types: ts }))));
      return parts.flat().sort(bySignalOrder);
    } finally {
      datasets.release(ds);
      models.release(ml);
    }
  }

  async function recommend(dataset: Dataset, opts?: RecommendOptions): Promise<Offer[]> {
    live();
    // the customers recommend would serve, in its order (validates the options as recommend does,
    // before anything is sent)
    const { customers, view } = resolveRecommendOptions(dataset, opts, "recommend", undefined);
    const ds = datasetLease(dataset);
    let ml: Kept<PatternModel> | undefined;
    try {
      ml = modelLease(opts?.model);
      const id = ds.id;
      const mid = ml?.id;
      const ids = Array.from(customers, (c) => view.ids.customers.values[c]!);
      // (an inherited key recommend does not know is not sent: see stageEntries)
      const rest = withoutModel(opts, RECOMMEND_KEYS);
      delete (rest as { customerId?: string }).customerId;
      const n = Math.min(slots.length, ids.length);
      if (n <= 1) return await run(0, "recommend", id, mid, { ...rest, customerIds: ids });
      const parts = await Promise.all(
        Array.from({ length: n }, (_, k) => run<Offer[]>(k, "recommend", id, mid, { ...rest, customerIds: ids.slice(Math.floor((k * ids.length) / n), Math.floor(((k + 1) * ids.length) / n)) })),
      );
      // recommend's order: score, then customer id, then product id; stable, so one customer's
      // offers with equal keys keep their order (the shares are contiguous and concatenated in order)
      return parts.flat().sort((a, b) => b.score - a.score || cmp(a.customerId, b.customerId) || cmp(a.productId, b.productId));
    } finally {
      datasets.release(ds);
      models.release(ml);
    }
  }

  async function analyze(dataset: Dataset, opts?: AnalyzeOptions): Promise<Analysis> {
    live();
    // the stage calls go to the workers with the caller's dataset (sent once) and analyze's asOf,
    // which selects the same view analyze works on
    const steps = analyzeSteps(dataset, opts);
    let r = steps.next();
    let fitting: Promise<PatternModel> | undefined;
    while (!r.done) {
      const step = r.value;
      if (step.type === "model") {
        // a worker fits while analyze computes the KPIs here (the next steps.next() runs them)
        fitting = fitPatterns(dataset, step.options);
        fitting.catch(() => {}); // awaited below; this only keeps an early throw of analyze from leaving it unhandled
        r = steps.next(undefined);
      } else if (step.type === "awaitModel") r = steps.next(await fitting!);
      else {
        const [signals, offers] = await Promise.all([detectSignals(dataset, step.signals), step.offers === undefined ? Promise.resolve([]) : recommend(dataset, step.offers)]);
        r = steps.next({ signals, offers });
      }
    }
    return r.value;
  }

  // every call resolves when the workers have exited: a second call returned at once while they
  // still ran (a host's signal handler and its finally both closing)
  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closed = true;
    closing ??= Promise.all(slots.map((s) => s.worker.terminate())).then(() => undefined);
    return closing;
  }

  return { size, fitPatterns, detectSignals, recommend, analyze, close };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The worker script beside this module: built (`pool-worker.js` / `.cjs`, in this folder or `node/`) or source (`internal/pool-worker.ts`). */
function defaultWorkerUrl(): URL {
  // CJS build: __filename; ESM build and source: import.meta.url
  const here = typeof __filename === "string" ? pathToFileURL(__filename).href : import.meta.url;
  const cjs = here.endsWith(".cjs");
  // dist/node/index.*, a chunk in dist/, or the CLI bundle in dist/cli/
  const names = here.endsWith(".ts") ? ["./internal/pool-worker.ts"] : cjs ? ["./pool-worker.cjs", "./node/pool-worker.cjs", "../node/pool-worker.cjs"] : ["./pool-worker.js", "./node/pool-worker.js", "../node/pool-worker.js"];
  for (const n of names) {
    const u = new URL(n, here);
    if (existsSync(fileURLToPath(u))) return u;
  }
  return new URL(names[0]!, here);
}

/**
 * {@link readableEntries} of a stage's options object, as the stage's check sees them on this
 * thread: every own key (an unknown one is the worker's INVALID_OPTION, as here), and of the
 * inherited ones only those the stage knows (`known`). A settings class's other getters are not
 * options; copied as own keys, they made the worker reject what a single-thread call accepts.
 */
function stageEntries(v: object, known: Readonly<Record<string, true>>): [string, unknown][] {
  return readableEntries(v).filter(([k]) => Object.prototype.hasOwnProperty.call(v, k) || Object.hasOwn(known, k));
}

/**
 * The keys and values a single-thread call reads of an options object: its own enumerable keys,
 * and what it inherits that is not a method (a prototype's data or getter, e.g. a settings class
 * with defaults: `o.k` reads them, and a copy of the own keys alone lost them, so a worker ran on
 * its defaults), each read once through the object.
 */
function readableEntries(v: object): [string, unknown][] {
  const keys = new Set(Object.keys(v));
  for (let p = Object.getPrototypeOf(v) as object | null; p !== null && p !== Object.prototype && p !== Array.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const k of Object.getOwnPropertyNames(p)) {
      if (k === "constructor" || keys.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(p, k)!;
      if (d.get !== undefined || (d.value !== undefined && typeof d.value !== "function")) keys.add(k);
    }
  }
  return [...keys].map((k): [string, unknown] => [k, (v as Record<string, unknown>)[k]]);
}
