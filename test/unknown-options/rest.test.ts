/**
 * Unknown option keys (a misspelled `sensitivty: 2`) are INVALID_OPTION, naming the key, in the
 * recommend, tasks, analyze, node, csv, synth and ingest functions; a key whose value is
 * undefined passes, and every documented option is still taken.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyze,
  churnRate,
  detectSignals,
  evaluateRecommendations,
  fitPatterns,
  fromRows,
  fromRowsSync,
  generateSyntheticDistributor,
  isOrderpulseError,
  rankTasks,
  recommend,
  similarProducts,
  weeklyBrief,
  type Analysis,
  type Dataset,
  type PatternModel,
  type RankTasksOptions,
  type SyntheticDistributor,
} from "../../src/index.ts";
import { createWebhookSink, createWorkerPool, readDataset, writeCsv, writeSyntheticDistributor, type WorkerPool } from "../../src/node/index.ts";

const ASOF = "2026-10-31";
const bogus = { bogusKey: 1 } as Record<string, unknown>;
const UNKNOWN = /unknown option bogusKey/;

/** The INVALID_OPTION error `f` throws (or its promise rejects with). */
async function caught(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
}

let synth: SyntheticDistributor;
let dataset: Dataset;
let model: PatternModel;
let analysis: Analysis;
let dir: string;
const ORDERS = [{ order_id: "O1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 2, unit_price: 3 }];

beforeAll(() => {
  synth = generateSyntheticDistributor({ seed: 1, customers: 40 });
  dataset = fromRowsSync(synth).dataset;
  model = fitPatterns(dataset, { asOf: ASOF });
  analysis = analyze(dataset, { asOf: ASOF, model });
  dir = mkdtempSync(join(tmpdir(), "op-unknown-options-"));
  writeFileSync(join(dir, "orders.csv"), "order_id,order_date,customer_id,product_id,quantity,unit_price\nO1,2026-01-05,C1,P1,2,3\n");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("an unknown option is INVALID_OPTION naming it", () => {
  it("recommend, similarProducts, evaluateRecommendations", () => {
    expect(() => recommend(dataset, { asOf: ASOF, k: 2, ...bogus })).toThrow(UNKNOWN);
    expect(() => similarProducts(dataset, { productId: dataset.ids.products.values[0]!, ...bogus })).toThrow(UNKNOWN);
    expect(() => evaluateRecommendations(dataset, { splitDate: "2026-08-01", ...bogus })).toThrow(UNKNOWN);
  });

  it("analyze, rankTasks, weeklyBrief (its own options and the ranking's)", () => {
    expect(() => analyze(dataset, { asOf: ASOF, model, ...bogus })).toThrow(UNKNOWN);
    expect(() => rankTasks(analysis, { perRep: 3, ...bogus })).toThrow(UNKNOWN);
    expect(() => weeklyBrief(analysis, { perRep: 3, ...bogus })).toThrow(/^weeklyBrief: unknown option bogusKey/);
    expect(() => weeklyBrief(analysis, { format: "markdown", ...bogus } as { format: "markdown" })).toThrow(UNKNOWN);
  });

  it("generateSyntheticDistributor, fromRowsSync, fromRows", async () => {
    expect(() => generateSyntheticDistributor({ seed: 1, customers: 5, ...bogus })).toThrow(UNKNOWN);
    expect(() => fromRowsSync({ orders: ORDERS }, { timeZone: "UTC", ...bogus })).toThrow(UNKNOWN);
    await expect(fromRows({ orders: ORDERS }, { timeZone: "UTC", ...bogus })).rejects.toThrow(UNKNOWN);
  });

  it("the error: code INVALID_OPTION, the function, the key and the known ones; details name the key", async () => {
    const calls: [string, () => unknown][] = [
      ["recommend", () => recommend(dataset, { ...bogus })],
      ["analyze", () => analyze(dataset, { ...bogus })],
      ["rankTasks", () => rankTasks(analysis, { ...bogus })],
      ["fromRowsSync", () => fromRowsSync({ orders: ORDERS }, { ...bogus })],
      ["readDataset", () => readDataset({ path: dir, ...bogus })],
      ["createWorkerPool", () => createWorkerPool({ ...bogus })],
    ];
    for (const [fn, f] of calls) {
      const e = await caught(f);
      expect(isOrderpulseError(e) && e.code).toBe("INVALID_OPTION");
      expect((e as Error).message).toMatch(new RegExp(`^${fn}: unknown option bogusKey \\(known: .+\\)$`));
      expect(isOrderpulseError(e) && e.details).toEqual({ option: "bogusKey" }); // (no value: a misspelled key may hold a secret)
    }
    expect((await caught(() => analyze(dataset, { ...bogus })) as Error).message).toContain("known: asOf, locale, repId, model, k, period");
  });

  it("createWebhookSink, writeCsv, writeSyntheticDistributor, readDataset", async () => {
    expect(() => createWebhookSink({ url: "https://hooks.example.com/x", secret: "s", ...bogus })).toThrow(UNKNOWN);
    await expect(writeCsv(join(dir, "out.csv"), [{ a: 1 }], { headers: ["a"], ...bogus })).rejects.toThrow(UNKNOWN);
    await expect(writeSyntheticDistributor(join(dir, "synth"), { seed: 1, customers: 5, ...bogus })).rejects.toThrow(/^writeSyntheticDistributor: unknown option bogusKey/);
    await expect(readDataset({ path: dir, ...bogus })).rejects.toThrow(UNKNOWN);
    // an ingest option misspelled in readDataset's options
    await expect(readDataset({ path: dir, timezone: "UTC" } as never)).rejects.toThrow(/^readDataset: unknown option timezone/);
  });
});

describe("createWorkerPool and its methods", () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = createWorkerPool({ workers: 1 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it("createWorkerPool rejects an unknown option", () => {
    expect(() => createWorkerPool({ workers: 1, ...bogus })).toThrow(UNKNOWN);
  });

  it("each method rejects an unknown option of its stage", async () => {
    await expect(pool.recommend(dataset, { asOf: ASOF, k: 2, ...bogus })).rejects.toThrow(UNKNOWN);
    await expect(pool.analyze(dataset, { asOf: ASOF, model, ...bogus })).rejects.toThrow(UNKNOWN);
    await expect(pool.detectSignals(dataset, { asOf: ASOF, model, ...bogus })).rejects.toThrow(UNKNOWN);
    const e = await caught(() => pool.fitPatterns(dataset, { asOf: ASOF, ...bogus }));
    expect(isOrderpulseError(e) && [e.code, e.message.startsWith("fitPatterns: unknown option bogusKey")]).toEqual(["INVALID_OPTION", true]);
  });

  it("the pool with its own options, and a method with recommend's, as the single-thread call", async () => {
    const own = createWorkerPool({ workers: 1, workerUrl: new URL("../../src/node/internal/pool-worker.ts", import.meta.url) });
    try {
      const options = { asOf: ASOF, customerIds: dataset.ids.customers.values.slice(0, 5), k: 2, model, bogusKey: undefined };
      expect(await own.recommend(dataset, options)).toEqual(recommend(dataset, options));
    } finally {
      await own.close();
    }
  });
});

describe("an unknown key whose value is undefined passes", () => {
  it("in every function of the area", async () => {
    const u = { bogusKey: undefined } as Record<string, unknown>;
    expect(recommend(dataset, { asOf: ASOF, k: 1, customerIds: [dataset.ids.customers.values[0]!], ...u })).toBeInstanceOf(Array);
    expect(similarProducts(dataset, { productId: dataset.ids.products.values[0]!, ...u })).toBeInstanceOf(Array);
    expect(rankTasks(analysis, { ...u }).version).toBe(1);
    expect(weeklyBrief(analysis, { ...u }).kind).toBe("company");
    expect(analyze(dataset, { asOf: ASOF, model, ...u }).version).toBe(1);
    expect(generateSyntheticDistributor({ seed: 1, customers: 5, products: 20, years: 1, ...u }).orders.length).toBeGreaterThan(0);
    expect(fromRowsSync({ orders: ORDERS }, { ...u }).dataset.lines.length).toBe(1);
    expect((await fromRows({ orders: ORDERS }, { ...u })).dataset.lines.length).toBe(1);
    expect((await readDataset({ path: dir, ...u })).dataset.lines.length).toBe(1);
    expect(await writeCsv(join(dir, "u.csv"), [{ a: 1 }], { ...u })).toBe(1);
    const sink = createWebhookSink({ url: "https://hooks.example.com/x", secret: "s", fetch: async () => new Response(null, { status: 204 }), ...u });
    await sink.close();
    const pool = createWorkerPool({ workers: 1, ...u });
    await pool.close();
  });
});

describe("nested options: an unknown key whose value is undefined passes there too, a defined one is INVALID_OPTION", () => {
  // (review 2026-12-06: checkObject, analyze's value.precision and evaluateRecommendations' kinds
  // rejected { legacyFlag: undefined }, which the top level and createEngine's options accept)
  it("calendar, detectors.<type>, churn, value, value.precision, kinds, backoff", async () => {
    const u = { legacyFlag: undefined } as Record<string, unknown>;
    const d = { legacyFlag: 1 } as Record<string, unknown>;
    const calls: [string, (x: Record<string, unknown>) => unknown][] = [
      ["detectSignals calendar", (x) => detectSignals(dataset, { asOf: ASOF, model, types: ["kpi_drop"], calendar: { weekendDays: [6], ...x } })],
      ["detectSignals detectors.kpi_drop", (x) => detectSignals(dataset, { asOf: ASOF, model, types: ["kpi_drop"], detectors: { kpi_drop: { ...x } } })],
      ["churnRate churn", (x) => churnRate(dataset, { asOf: ASOF, churn: { windowDays: 90, ...x } })],
      ["analyze value", (x) => analyze(dataset, { asOf: ASOF, model, value: { saveRate: 0.3, ...x } })],
      ["analyze value.precision", (x) => analyze(dataset, { asOf: ASOF, model, value: { precision: { customer_overdue: 0.9, ...x } } })],
      ["evaluateRecommendations kinds", (x) => evaluateRecommendations(dataset, { splitDate: "2026-08-01", k: 2, kinds: { new: ["cross_sell"], ...x } })],
      ["createWebhookSink backoff", (x) => createWebhookSink({ url: "https://hooks.example.com/x", secret: "s", fetch: async () => new Response(null, { status: 204 }), backoff: { baseMs: 1, ...x } }).close()],
    ];
    for (const [name, f] of calls) {
      expect(await caught(() => f(u)), name).toBeUndefined();
      const e = await caught(() => f(d));
      expect(isOrderpulseError(e) && e.code === "INVALID_OPTION" && /legacyFlag/.test(e.message), name).toBe(true);
    }
  });
});

describe("every documented option is still taken", () => {
  it("recommend, similarProducts, evaluateRecommendations", () => {
    const customerIds = dataset.ids.customers.values.slice(0, 3);
    const all = { asOf: ASOF, k: 3, kinds: ["cross_sell", "repurchase", "winback", "seasonal"] as const, minMargin: 0.1, blockedProductIds: [], halfLifeDays: 180, neighbors: 40, minSupport: 5, activeWithinDays: 120, locale: "he" as const, model };
    expect(recommend(dataset, { ...all, kinds: [...all.kinds], customerIds }).length).toBeGreaterThan(0);
    expect(recommend(dataset, { ...all, kinds: [...all.kinds], customerId: customerIds[0]! })).toBeInstanceOf(Array);
    expect(similarProducts(dataset, { asOf: ASOF, productId: dataset.ids.products.values[0]!, k: 3, mode: "substitutes", minSupport: 1 })).toBeInstanceOf(Array);
    const r = evaluateRecommendations(dataset, { splitDate: "2026-08-01", target: "horizon", horizonDays: 60, k: 5, truth: synth.truth, kinds: { new: ["cross_sell"], repeat: ["repurchase"] } });
    expect(r.parts.length).toBeGreaterThan(0);
  });

  it("analyze, rankTasks, weeklyBrief", () => {
    const a = analyze(dataset, {
      asOf: ASOF,
      locale: "en",
      repId: undefined,
      model,
      k: 2,
      period: "month",
      recentDays: 42,
      sparkWeeks: 26,
      types: ["customer_overdue", "kpi_drop"],
      sensitivity: 1,
      detectors: {},
      calendar: { weekendDays: [5, 6], holidays: [] },
      calibrate: false,
      value: { saveRate: 0.3, acceptance: { cross_sell: 0.1 }, precision: { customer_overdue: 0.5 }, marginRate: 0.3, lostAfterDays: 365, winBackHalfLifeDays: 90 },
    });
    expect(analyze(dataset, { asOf: ASOF, repId: a.reps[0]!.repId, model }).repId).toBe(a.reps[0]!.repId);
    const previous = rankTasks(a, { asOf: "2026-10-24" }); // a week before: one of the same day has nothing to follow through
    const rank: RankTasksOptions = {
      asOf: ASOF,
      perRep: 4,
      maxPerKind: 2,
      minValue: 0,
      relativeFloor: 0.05,
      highValue: 100,
      previous,
      doneWithinDays: 14,
      escalateAfterDays: 21,
      snoozed: [{ id: "task:nobody", until: "2026-12-01" }],
      acknowledged: ["task:nobody"],
      rules: [{ id: "r", effect: "boost", factor: 2, when: () => false }],
      locale: "en",
      maxContent: 2,
    };
    const ranked = rankTasks(a, rank);
    expect(ranked.version).toBe(1);
    const repId = a.reps.find((r) => a.customers.some((c) => c.repId === r.repId))?.repId ?? a.reps[0]!.repId;
    expect(weeklyBrief(a, { ...rank, repId, format: "json", topTasks: 5 }).kind).toBe("rep");
    const managerId = a.reps.find((r) => r.managerId !== undefined)?.managerId;
    expect(typeof weeklyBrief(a, { managerId, tasks: ranked, format: "html" })).toBe("string");
    expect(typeof weeklyBrief(a, { format: "markdown" })).toBe("string");
  });

  it("generateSyntheticDistributor, writeSyntheticDistributor, writeCsv, fromRowsSync, fromRows, readDataset", async () => {
    const small = { seed: 2, customers: 5, products: 20, years: 1, end: "2026-06-30" };
    expect(generateSyntheticDistributor(small).truth.options).toEqual(small);
    expect((await writeSyntheticDistributor(join(dir, "small"), small)).files.length).toBe(8);
    expect(await writeCsv(join(dir, "h.csv"), [{ a: 1, b: 2 }], { headers: ["b"] })).toBe(1);
    const ingest = { timeZone: "UTC", dateFormat: "auto" as const, decimalComma: false, currency: "USD", fx: { EUR: 1.1 }, strict: false, stages: { demo: "qualified" as const }, maxRejectedRows: 10 };
    expect(fromRowsSync({ orders: ORDERS }, ingest).dataset.lines.length).toBe(1);
    expect((await fromRows({ orders: ORDERS }, ingest)).dataset.lines.length).toBe(1);
    const seen: string[] = [];
    const read = await readDataset({
      ...ingest,
      path: dir,
      preset: "canonical",
      map: {},
      delimiter: ",",
      encoding: "utf-8",
      files: { orders: "orders.csv" },
      onProgress: (p) => seen.push(p.file),
    });
    expect(read.dataset.lines.length).toBe(1);
  });

  it("createWebhookSink", async () => {
    const sink = createWebhookSink<{ id: string }>({
      url: "https://hooks.example.com/x",
      secret: "s",
      headers: { Authorization: "Bearer t" },
      timeoutMs: 1000,
      maxAttempts: 2,
      backoff: { baseMs: 1, maxMs: 2 },
      queueCapacity: 10,
      overflow: "newest",
      deadLetterCapacity: 10,
      concurrency: 1,
      transform: (p) => p,
      includeMessage: false,
      onError: () => {},
      fetch: async () => new Response(null, { status: 204 }),
      now: () => 0,
      random: () => 0.5,
    });
    sink.send({ id: "a" });
    await sink.close();
    expect(sink.stats().sent).toBe(1);
  });
});
