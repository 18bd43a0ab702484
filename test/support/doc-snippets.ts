/**
 * @internal Test support (not exported) for test/docs-snippets.test.ts: the context the code
 * blocks of README.md and docs/*.md run in, and the runner that imports them one after another in
 * one child process (`node --import tsx`).
 *
 * A block may use, without declaring them, the names exported below (what the host holds in the
 * prose around the block: its `dataset`, its `asOf` day, a `signal`, its logger...). The test
 * imports into a block only the names it uses and does not declare. Everything is small and
 * deterministic: the synthetic distributor with 60 customers (seed 1, data up to 2026-10-31).
 *
 * Nothing leaves the process: `fetch` to the example CRM (https://crm.example.com/) is answered
 * here after checking the signature, and a server a block starts listens on a free port of
 * 127.0.0.1 instead of the one written (see {@link checkReceiver}).
 */
import { writeFileSync } from "node:fs";
import { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { analyze } from "../../src/analyze.ts";
import { fromRowsSync } from "../../src/data/from-rows-sync.ts";
import { israeliHolidays } from "../../src/data/israeli-holidays.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import type { OrderRow } from "../../src/data/rows.ts";
import type { SignalEvent, SignalSink } from "../../src/engine/types.ts";
import type { BusinessCalendar } from "../../src/patterns/fit-interval-model.ts";
import { detectSignals } from "../../src/signals/detect-signals.ts";
import type { Signal } from "../../src/signals/types.ts";
import { generateSyntheticDistributor } from "../../src/synth/generate-synthetic-distributor.ts";
import { rankTasks } from "../../src/tasks/rank-tasks.ts";
import type { RankedTasks } from "../../src/tasks/types.ts";
import { weeklyBrief } from "../../src/tasks/weekly-brief.ts";
import { readDataset } from "../../src/csv/read-dataset.ts";
import { createWebhookSink } from "../../src/node/create-webhook-sink.ts";
import { verifyWebhookSignature } from "../../src/node/verify-webhook-signature.ts";

/** The synthetic distributor's options: also what the test writes to `data/` for `readDataset({ path: "data/" })`. */
export const SYNTH_OPTIONS = { seed: 1, customers: 60, products: 200 } as const;

/** The webhook secret (the blocks read it from `ORDERPULSE_WEBHOOK_SECRET`, which the runner sets to this). */
export const SECRET = "doc-snippets-secret";
process.env["ORDERPULSE_WEBHOOK_SECRET"] ??= SECRET;

// ---- the host's data

/** The host's dataset: the synthetic distributor (60 customers, 2023-11-01..2026-10-31). */
export const dataset: Dataset = fromRowsSync(generateSyntheticDistributor(SYNTH_OPTIONS)).dataset;
/** The as-of day (the synthetic data's last day). */
export const asOf = "2026-10-31";
/** A business calendar: Friday-Saturday weekends and Israeli holidays. */
export const calendar: BusinessCalendar = { weekendDays: [5, 6], holidays: israeliHolidays(2023, 2027).map((h) => h.day) };
/** The first five customers (for a batch of offers). */
export const customerIds: readonly string[] = dataset.ids.customers.values.slice(0, 5);
/** The docs' 20-line fixture (test/fixtures/kpi20), the `dataset` of docs/kpis.md's worked examples. */
export const kpi20: Dataset = (await readDataset({ path: join(import.meta.dirname, "..", "fixtures", "kpi20") })).dataset;

const detected = detectSignals(dataset, { asOf });
/** One signal, as the engine would hand it to a sink. */
export const signal: Signal = detected[0]!;

/** New order lines after the data's end (two lines of one order of the first customer). */
export const lines: OrderRow[] = [
  { order_id: "SO1", line_id: "1", order_date: "2026-11-01", customer_id: customerIds[0]!, product_id: dataset.ids.products.values[0]!, quantity: 2, unit_price: 12.5 },
  { order_id: "SO1", line_id: "2", order_date: "2026-11-01", customer_id: customerIds[0]!, product_id: dataset.ids.products.values[1]!, quantity: 1, unit_price: 30 },
];

const earlier = analyze(dataset, { asOf: "2026-10-18" });
/** Last week's ranking (for `rankTasks`' `previous`). */
export const lastWeek: RankedTasks = rankTasks(earlier);
/** A weekly brief as JSON text, as a host receives it at its boundary. */
export const json: string = JSON.stringify(weeklyBrief(earlier, { repId: "R01", tasks: lastWeek }));

// ---- the host's callbacks

/** What the host's callbacks received: engine events, log lines, webhook payloads handled by a receiver. */
export const received: { events: SignalEvent[]; logged: unknown[][]; handled: unknown[] } = { events: [], logged: [], handled: [] };
/** The engine's `onSignal` callback. */
export const onSignal = (_signal: Signal, event: SignalEvent): void => void received.events.push(event);
/** The host's logger. */
export const log = { warn: (...args: unknown[]): void => void received.logged.push(args) };
/** A receiver's handler of a verified payload. */
export const handle = (payload: unknown): void => void received.handled.push(payload);

// ---- the example CRM and the receivers (no network)

/** The CRM the docs' webhook sinks post to; answered by the `fetch` stub below. */
export const url = "https://crm.example.com/hooks/orderpulse";
/** The webhook secret, as a host reads it. */
export const secret: string = process.env["ORDERPULSE_WEBHOOK_SECRET"] ?? SECRET;

/** Requests the stub CRM received, with whether the signature verified. */
export const crmRequests: { body: string; verified: boolean }[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const target = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!target.startsWith("https://crm.example.com/")) return realFetch(input, init);
  const body = typeof init?.body === "string" ? init.body : "";
  const headers = new Headers(init?.headers);
  crmRequests.push({ body, verified: verifyWebhookSignature(secret, headers.get("x-orderpulse-signature") ?? undefined, Buffer.from(body)) });
  return new Response(null, { status: 204 });
};

/** The engine's webhook sink (to the stub CRM). */
export const webhook: SignalSink = createWebhookSink<Signal>({ url, secret });

/** Servers the blocks started (listening on 127.0.0.1, a free port). */
export const servers: Server[] = [];
const realListen = Server.prototype.listen;
Server.prototype.listen = function listen(this: Server, ...args: unknown[]): Server {
  servers.push(this);
  this.unref();
  const callback = args.find((a) => typeof a === "function");
  return realListen.call(this, { port: 0, host: "127.0.0.1" }, callback as (() => void) | undefined);
} as Server["listen"];

/**
 * Checks the last server a block started as the webhook receiver of docs/delivery.md: a payload
 * delivered by the webhook sink (twice, with the same Idempotency-Key) is handled once, and a
 * request with a bad signature is answered 401 and not handled.
 */
export async function checkReceiver(): Promise<void> {
  const server = servers.at(-1);
  if (server === undefined) throw new Error("the block started no server");
  if (!server.listening) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const before = received.handled.length;
  // (the sink's requests recorded: one is re-sent below under another Idempotency-Key)
  const captured: { body: string; signature: string }[] = [];
  const recording: typeof fetch = (input, init) => {
    const h = new Headers(init?.headers);
    captured.push({ body: String(init?.body), signature: h.get("x-orderpulse-signature") ?? "" });
    return realFetch(input, init);
  };
  const sink = createWebhookSink<Signal>({ url: target, secret, fetch: recording });
  const failures: string[] = [];
  const dead = createWebhookSink<Signal>({ url: target, secret: "another-secret", fetch: realFetch, onError: (f) => void failures.push(`${f.kind} ${f.reason}`) });
  sink.send(signal);
  await sink.flush();
  sink.send(signal); // the same payload again: the same Idempotency-Key
  dead.send(signal);
  await Promise.all([sink.close(), dead.close()]);
  // a captured request replayed under another key (the header is not signed): handled once still
  const replay = await realFetch(target, { method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": "another-key", "X-Orderpulse-Signature": captured[0]!.signature }, body: captured[0]!.body });
  if (replay.status >= 300) throw new Error(`the receiver refused a replayed duplicate (${replay.status}): a duplicate is a success too`);
  server.close();
  const handled = received.handled.slice(before);
  if (handled.length !== 1 || (handled[0] as { id?: unknown }).id !== signal.id) throw new Error(`the receiver handled ${JSON.stringify(handled)}, not the one signal once`);
  if (sink.stats().sent !== 2) throw new Error(`the receiver did not answer 2xx to both copies: ${JSON.stringify(sink.stats())}`);
  if (failures.length !== 1 || !failures[0]!.startsWith("dead")) throw new Error(`a wrong secret was not refused: ${JSON.stringify(failures)}`);
}

// ---- the runner

/** The outcome of one block's module. */
export interface SnippetResult {
  readonly file: string;
  readonly error?: string;
  readonly ms: number;
}

/**
 * Imports the modules one after another (each must settle within `timeoutMs`) and writes their
 * results as JSON to `resultFile`; an unhandled rejection while a module runs is its error.
 */
export async function runSnippets(files: readonly string[], resultFile: string, timeoutMs = 20_000): Promise<void> {
  const results: SnippetResult[] = [];
  let current: unknown[] = [];
  process.on("unhandledRejection", (e) => void current.push(e));
  for (const file of files) {
    current = [];
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        import(pathToFileURL(file).href),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`did not settle within ${timeoutMs} ms`)), timeoutMs))),
      ]);
      await new Promise((resolve) => setImmediate(resolve));
      if (current.length > 0) throw current[0];
      results.push({ file, ms: performance.now() - started });
    } catch (e) {
      results.push({ file, error: e instanceof Error ? (e.stack ?? e.message) : String(e), ms: performance.now() - started });
    } finally {
      clearTimeout(timer);
    }
  }
  writeFileSync(resultFile, JSON.stringify(results));
}
