import { OrderpulseError } from "../data/errors.ts";
import { checkEnum, checkFunction, checkInt, checkObject, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { fullJitterDelay, retryAfterMs } from "./internal/backoff.ts";
import { ATTEMPT_HEADER, checkSecret, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signatureHeader } from "./internal/signature.ts";
import type { Sink, SinkPayload } from "./sink.ts";
import { isThenable } from "../data/internal/is-thenable.ts";
import type { SinkForgetRelated } from "../engine/types.ts";
import { joinIds, splitIds } from "../signals/internal/format.ts";

/**
 * Why a payload is in the dead-letter list:
 * - `rejected`: the receiver answered a status that is not retried (3xx, or 4xx other than 408
 *   and 429); `status` says which.
 * - `retries_exhausted`: `maxAttempts` attempts ended in 5xx, 408, 429, a timeout or a
 *   connection error.
 * - `queue_full`: `send()` met a full queue (see `overflow` for which payload goes).
 * - `closed`: sent after `close()`, or still queued / in flight when `close(timeoutMs)`'s deadline
 *   passed.
 * - `invalid_payload`: no string `id` (or reading it threw), `transform` threw, or the body is not
 *   JSON-serializable.
 */
export type DeadLetterReason = "rejected" | "retries_exhausted" | "queue_full" | "closed" | "invalid_payload";

/** A payload the webhook sink gave up on. {@link WebhookSink.replay} sends it again. */
export interface DeadLetter<T> {
  /** The payload as given to `send()`. */
  readonly payload: T;
  /** Why it is here. */
  readonly reason: DeadLetterReason;
  /** Delivery attempts made (0 when it was never sent). */
  readonly attempts: number;
  /** The last HTTP status received, when the last attempt got a response. */
  readonly status?: number | undefined;
  /** What went wrong last, for people (e.g. `HTTP 400`, `no response within 10000 ms`). */
  readonly message: string;
  /** When it was dead-lettered (epoch milliseconds, from the `now` option). */
  readonly at: number;
}

/**
 * What `onError` receives: one failed attempt, one payload moved to the dead-letter list, or one
 * dead letter pushed out of a full dead-letter list (`discarded`, the last chance to keep it).
 */
export interface WebhookSinkFailure<T> {
  /** `retry`: an attempt failed and another is scheduled; `dead_letter`: moved to the dead-letter list; `discarded`: removed from a full dead-letter list. */
  readonly kind: "retry" | "dead_letter" | "discarded";
  /** The payload concerned. */
  readonly payload: T;
  /** Delivery attempts made so far. */
  readonly attempt: number;
  /** What went wrong, for people. */
  readonly message: string;
  /** The HTTP status, when the failed attempt got a response. */
  readonly status?: number | undefined;
  /** For `retry`: milliseconds until the next attempt. */
  readonly retryInMs?: number | undefined;
  /** For `dead_letter` and `discarded`: why the payload was dead-lettered. */
  readonly reason?: DeadLetterReason | undefined;
}

/** Counters of a webhook sink ({@link WebhookSink.stats}). */
export interface WebhookSinkStats {
  /** Payloads delivered (the receiver answered 2xx). */
  readonly sent: number;
  /** Retries scheduled (failed attempts that will be tried again). */
  readonly retried: number;
  /** Payloads moved to the dead-letter list, over the sink's life (a replayed payload that fails again counts again). */
  readonly failed: number;
  /** Dead letters pushed out because the dead-letter list was full (reported to `onError` first). */
  readonly discarded: number;
  /** Payloads waiting for a delivery slot now. */
  readonly queued: number;
  /** Payloads being delivered now (requests in flight and waits between retries). */
  readonly inFlight: number;
  /** Payloads in the dead-letter list now. */
  readonly deadLetters: number;
}

/** Options of {@link createWebhookSink}. */
export interface WebhookSinkOptions<T extends SinkPayload> {
  /** The receiver's endpoint (`http:` or `https:`, without credentials: put them in `headers`; with the default `fetch`, not on a port it blocks, such as 6000 or 25). Each payload is one `POST` of JSON. */
  url: string | URL;
  /**
   * Shared secret for the HMAC-SHA256 signature in `X-Orderpulse-Signature`
   * (see {@link verifyWebhookSignature}). Non-empty.
   */
  secret: string;
  /**
   * Extra request headers (e.g. `Authorization`). The sink's own headers (`Content-Type`,
   * `Idempotency-Key`, `X-Orderpulse-Attempt`, `X-Orderpulse-Signature`) win over these.
   */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Milliseconds to wait for the response's status and headers before the attempt counts as failed
   * and is retried. The status decides the outcome; the body is then read (so the connection can be
   * reused) for at most what is left of the same `timeoutMs`, and a body that stalls past it is
   * abandoned without changing the outcome. Default 10 000.
   */
  timeoutMs?: number | undefined;
  /** Attempts per payload, the first included, before it goes to the dead-letter list. Default 8. */
  maxAttempts?: number | undefined;
  /**
   * Retry delays: the wait before retry `n` is uniform in `[0, min(maxMs, baseMs * 2^(n-1)))`
   * ("full jitter"). A `Retry-After` header replaces it, capped at `maxMs`.
   * Defaults: `baseMs` 500, `maxMs` 30 000.
   */
  backoff?:
    | {
        /** Cap of the first retry's wait, doubled for each later retry, in milliseconds. Default 500. */
        readonly baseMs?: number | undefined;
        /** Largest wait between two attempts, in milliseconds (also caps `Retry-After`). Default 30 000. */
        readonly maxMs?: number | undefined;
      }
    | undefined;
  /** Payloads that may wait for a delivery slot. Default 10 000. */
  queueCapacity?: number | undefined;
  /**
   * Which payload goes to the dead-letter list (reason `queue_full`) when `send()` meets a full
   * queue: `oldest` (default: the longest-waiting queued payload makes room) or `newest` (the one
   * being sent).
   */
  overflow?: "oldest" | "newest" | undefined;
  /** Dead letters kept; past this, the oldest is discarded (and reported to `onError`). Default 10 000. */
  deadLetterCapacity?: number | undefined;
  /** Deliveries in flight at once. Default 4. */
  concurrency?: number | undefined;
  /**
   * Turns a payload into the JSON value to send, run once in `send()` (it sends what it returns,
   * `message` included when it keeps it). Default: the payload without its `message`: payloads
   * carry ids, not names, unless asked (DESIGN.md, Privacy), and a Signal's or Offer's `message`
   * is human text that can name a customer or a product. A promise is no JSON value: the payload
   * goes to the dead-letter list (`invalid_payload`).
   */
  transform?: ((payload: T) => unknown) | undefined;
  /** Send the payload's `message` too (names: ask for them only where the receiver may see them). Default false. */
  includeMessage?: boolean | undefined;
  /** Called for every failed attempt, dead letter and discarded dead letter; what it throws (or the promise it returns rejects with) is ignored. */
  onError?: ((failure: WebhookSinkFailure<T>) => void) | undefined;
  /** The fetch implementation. Default: the global `fetch` (Node 20). */
  fetch?: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Clock in epoch milliseconds (signature timestamps, `Retry-After` dates, dead-letter times). Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Uniform random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
}

/**
 * A webhook sink: a {@link Sink} that POSTs each payload to one URL, with counters, a dead-letter
 * list and replay.
 *
 * @typeParam T - the payload, e.g. a Signal
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWebhookSink } from "orderpulse/node";
 * let status = 400; // the receiver rejects the payload until it is fixed
 * const sink = createWebhookSink<{ id: string }>({
 *   url: "https://hooks.example.com/orderpulse",
 *   secret: "whsec_test",
 *   fetch: async () => new Response(null, { status }),
 * });
 * sink.send({ id: "sig-1" });
 * await sink.flush();
 * const [dead] = sink.deadLetters();
 * assert.equal(dead?.reason, "rejected");
 * assert.equal(dead?.status, 400);
 * status = 204;
 * assert.equal(sink.replay(), 1);
 * await sink.close();
 * assert.equal(sink.deadLetters().length, 0);
 * assert.equal(sink.stats().sent, 1);
 * ```
 */
export interface WebhookSink<T extends SinkPayload> extends Sink<T> {
  /**
   * Queue a payload for delivery. Returns at once and never throws: a payload that cannot be
   * queued (invalid, queue full, sink closed) goes to the dead-letter list.
   * @param payload - the payload; its `id`, with `@` and its `asOf` when it has one (a Signal does), becomes the `Idempotency-Key` (each part percent-encoded unless printable ASCII without `%` or `@`)
   * @returns nothing
   * @throws never
   */
  send(payload: T): void;
  /**
   * Wait until every payload sent (or replayed) before this call has been delivered or
   * dead-lettered. Payloads sent later do not hold it up, so it resolves under a steady stream of
   * `send()`s too.
   * @returns a promise that resolves (never rejects) once everything sent so far is delivered or given up on
   * @throws never
   */
  flush(): Promise<void>;
  /**
   * Stop accepting payloads (later `send()`s are dead-lettered with reason `closed`), then flush.
   * Retries go on until they succeed or run out, unless `timeoutMs` is given: at that deadline
   * requests in flight are aborted and everything undelivered goes to the dead-letter list with
   * reason `closed` (an aborted request may still have reached the receiver; replaying it later
   * is safe, it carries the same `Idempotency-Key`).
   * @param timeoutMs - optional deadline in milliseconds
   * @returns a promise that resolves (never rejects) when the sink is idle
   * @throws {OrderpulseError} `INVALID_OPTION` when `timeoutMs` is not an integer from 0 to 2^31-1
   */
  close(timeoutMs?: number): Promise<void>;
  /**
   * Counters and current sizes.
   * @returns a snapshot of the counters
   * @throws never
   */
  stats(): WebhookSinkStats;
  /**
   * The payloads given up on, oldest first.
   * @returns a snapshot copy of the dead-letter list
   * @throws never
   */
  deadLetters(): readonly DeadLetter<T>[];
  /**
   * Move dead letters back into the queue (oldest first, attempt count reset) as far as the queue
   * has room; the rest stay dead letters. Does nothing once the sink is closed.
   * @param filter - which dead letters to replay (default: all)
   * @returns how many were taken out of the dead-letter list (one that is still invalid goes back
   *   in at the end)
   * @throws never (a dead letter for which `filter` throws is not replayed)
   */
  replay(filter?: (deadLetter: DeadLetter<T>) => boolean): number;
  /**
   * Drop what the sink holds for a customer (the engine's `forget(customerId)` calls it): its
   * queued payloads and dead letters, and those waiting to retry are not tried again (a request
   * already on the wire cannot be called back). Payloads are matched on their `customerId`. With
   * `related.dealIds` (the engine passes the customer's deals), a queued, dead-lettered or
   * retrying `pipeline_stall` of its rep whose `evidence.dealIds` names one is kept without them
   * (its body made again; a request already on the wire goes as it was).
   * @param customerId - the customer's id
   * @param related - the customer's deal ids, which alerts of its rep may name
   * @returns the payloads dropped, rewritten or stopped
   * @throws never
   */
  forget(customerId: string, related?: SinkForgetRelated): number;
}

interface Entry<T> {
  /** (rewritten, with `body`, by forget() when it names an erased customer's deals) */
  payload: T;
  /** The Idempotency-Key: the id, with `@asOf` when the payload has one, each part encoded as needed. */
  readonly key: string;
  body: string;
  /** Order of acceptance (by `send()` or `replay()`), so `flush()` knows what was sent before it. */
  readonly seq: number;
  attempts: number;
}

/** A dead letter with what it takes to send it again: the key and body read when it was sent, if it got that far. */
interface DeadRecord<T> {
  readonly letter: DeadLetter<T>;
  readonly ready: { readonly key: string; readonly body: string } | undefined;
}

type Outcome = { ok: true } | { ok: false; retryable: boolean; message: string; status?: number | undefined; retryAfter?: number | undefined };

const FN = "createWebhookSink";
const KEYS: OptionKeys<WebhookSinkOptions<SinkPayload>> = {
  url: true,
  secret: true,
  headers: true,
  timeoutMs: true,
  maxAttempts: true,
  backoff: true,
  queueCapacity: true,
  overflow: true,
  deadLetterCapacity: true,
  concurrency: true,
  transform: true,
  includeMessage: true,
  onError: true,
  fetch: true,
  now: true,
  random: true,
};
const MAX_TIMER = 2 ** 31 - 1;

/** The Fetch standard's bad ports (fetch.spec.whatwg.org, "port blocking"), which Node's fetch refuses; 0, added to the standard in 2025, connects nowhere anyway. */
const BAD_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Throw INVALID_OPTION; `details.value` only when given (header values may hold credentials). */
function invalid(option: string, expected: string, value?: unknown): never {
  throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option ${option}: expected ${expected}`, value === undefined ? { option } : { option, value });
}

/**
 * The `Idempotency-Key` of a payload: its id, or `id@asOf` when it has an `asOf` (a Signal). Each
 * part is itself when it is printable ASCII without `%` or `@` and without a space at either end;
 * otherwise its UTF-8 percent-encoding (`encodeURIComponent`, an unpaired surrogate as U+FFFD),
 * since a header value cannot carry other characters (Hebrew customer ids in signal ids, line
 * breaks) and trims spaces. So a key holds a raw `@` exactly when the payload has an `asOf`, and a
 * raw `%` only in an encoded part: two payloads never share a key (an id "x@2026-11-09" without an
 * asOf and the id "x" with one did), and `decodeURIComponent` of each part gives it back.
 */
function idempotencyKey(id: string, asOf?: string): string {
  const part = (x: string): string => (/^[!-$&-?A-~](?:[ -$&-?A-~]*[!-$&-?A-~])?$/.test(x) ? x : encodeURIComponent(x.replace(/\p{Cs}/gu, "\uFFFD")));
  return asOf === undefined ? part(id) : `${part(id)}@${part(asOf)}`;
}

/** One line about a thrown value, with the cause's code for fetch errors (ECONNRESET...); never throws. */
function errorText(err: unknown): string {
  try {
    if (!(err instanceof Error)) return String(err);
    const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
    const detail = cause === undefined ? undefined : (cause.code ?? cause.message);
    return detail === undefined ? err.message : `${err.message} (${String(detail)})`;
  } catch {
    return "an unprintable error";
  }
}

/**
 * Read and drop a response body of at most `max` bytes, so the connection can be reused; a longer
 * one is cancelled (a receiver answering with a huge or endless body cannot fill the host's
 * memory). Never throws.
 */
async function drain(res: Response, max = 64 * 1024): Promise<void> {
  try {
    const body = res.body;
    if (body === null || body === undefined) return;
    const reader = body.getReader();
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      n += value.byteLength;
      if (n > max) {
        await reader.cancel().catch(() => undefined);
        return;
      }
    }
  } catch {
    // (a body that fails mid-way: the status has decided already)
  }
}

/** Headers the sink refuses in `headers`: Node's fetch refuses them (every attempt failed as a "connection error") or a wrong value breaks the request (Content-Length); others it sets itself it sends or ignores. */
const FORBIDDEN_HEADERS: ReadonlySet<string> = new Set(["content-length", "transfer-encoding", "keep-alive", "upgrade", "expect"]);

/**
 * Create a webhook sink: each payload is POSTed as JSON to `url`, signed, retried and never lost
 * silently. Node only (`node:crypto`).
 *
 * Each request carries `Content-Type: application/json`, `Idempotency-Key: <payload id>`, or
 * `<id>@<asOf>` when the payload has an `asOf` (a Signal: the situation on the day it was
 * alerted, so the engine's second alert of a situation on a later day, a reopened signal or an
 * ended snooze, is a new delivery and not a retry to drop). The key is the
 * same on every attempt: receivers deduplicate on it; a part (id, asOf) that is not printable
 * ASCII or holds `%` or `@`, e.g. with a Hebrew customer id, goes percent-encoded as UTF-8,
 * `encodeURIComponent(part)`, while the body keeps the raw id), `X-Orderpulse-Attempt: <1, 2, ...>` and
 * `X-Orderpulse-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with secret>`.
 * A 2xx answer is a delivery. 5xx, 408, 429 (honouring `Retry-After`), timeouts and connection
 * errors are retried with full-jitter exponential backoff up to `maxAttempts`; other answers are
 * not retried. Whatever is not delivered lands in the dead-letter list ({@link DeadLetter}),
 * which `replay()` sends again. Deliveries are at least once: a receiver that answered 2xx after
 * the timeout, or whose answer was lost, gets the payload again with the same `Idempotency-Key`.
 *
 * @typeParam T - the payload, e.g. a Signal
 * @param options - endpoint, secret, retry policy, queue bounds and hooks ({@link WebhookSinkOptions})
 * @returns the sink ({@link WebhookSink})
 * @throws {OrderpulseError} `INVALID_OPTION` when an option is unknown, missing, of the wrong type or out of
 *   range (e.g. no `secret`, a `url` that is not http(s) or holds credentials, `concurrency: 0`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWebhookSink, verifyWebhookSignature } from "orderpulse/node";
 * type Alert = { id: string; type: string; customerId: string; severity: number };
 * const requests: Request[] = [];
 * const sink = createWebhookSink<Alert>({
 *   url: "https://hooks.example.com/orderpulse",
 *   secret: "whsec_test",
 *   fetch: async (url, init) => {
 *     requests.push(new Request(url, init));
 *     return new Response(null, { status: requests.length === 1 ? 503 : 204 });
 *   },
 *   backoff: { baseMs: 1, maxMs: 5 },
 * });
 * sink.send({ id: "sig-1", type: "customer_overdue", customerId: "C001", severity: 0.8 });
 * await sink.close();
 * // the 503 was retried: two requests, same key, attempts 1 and 2
 * assert.deepEqual(requests.map((r) => r.headers.get("idempotency-key")), ["sig-1", "sig-1"]);
 * assert.deepEqual(requests.map((r) => r.headers.get("x-orderpulse-attempt")), ["1", "2"]);
 * const body = await requests[1]!.text();
 * assert.equal(JSON.parse(body).customerId, "C001");
 * assert.ok(verifyWebhookSignature("whsec_test", requests[1]!.headers.get("x-orderpulse-signature"), body));
 * assert.deepEqual(sink.stats(), { sent: 1, retried: 1, failed: 0, discarded: 0, queued: 0, inFlight: 0, deadLetters: 0 });
 * ```
 */
export function createWebhookSink<T extends SinkPayload>(options: WebhookSinkOptions<T>): WebhookSink<T> {
  const o = optionsObject(options, FN, KEYS);
  if (o.url === undefined) invalid("url", "an http(s) URL", o.url);
  let url: URL;
  try {
    url = new URL(o.url as string | URL);
  } catch {
    // not parsed: its credentials cannot be told apart, so the value stays out of the error
    invalid("url", "an http(s) URL");
  }
  // fetch refuses a URL with credentials; neither the URL nor the password goes into the error
  if (url.username !== "" || url.password !== "") invalid("url", "an http(s) URL without credentials; put them in headers");
  if (url.protocol !== "http:" && url.protocol !== "https:") invalid("url", "an http(s) URL", url.href);
  // Node's fetch refuses the Fetch standard's "bad ports" (every attempt failed as a connection
  // error, then dead-lettered); a custom fetch may allow them
  if (o.fetch === undefined && url.port !== "" && BAD_PORTS.has(Number(url.port))) invalid("url", `a port fetch does not block (${url.port} is on the Fetch standard's bad-port list; use another, or pass your own fetch)`, url.port);
  checkSecret(o.secret, FN);
  if (o.headers !== undefined) {
    const h = o.headers;
    // a plain object only: a Headers or a Map has no own keys, so it passed every check here (the
    // refused framing headers included) and fetch then sent what it held
    const proto = typeof h === "object" && h !== null ? Object.getPrototypeOf(h) : undefined;
    if (typeof h !== "object" || h === null || (proto !== Object.prototype && proto !== null) || !Object.values(h).every((v) => typeof v === "string")) {
      invalid("headers", "a plain object of header names to strings");
    }
    try {
      new Headers(h as Record<string, string>);
    } catch {
      invalid("headers", "valid HTTP header names and values");
    }
    // framing headers fetch refuses (every attempt failed, and was retried as a connection error)
    // or that break the request when wrong (Content-Length)
    for (const name of Object.keys(h)) {
      if (FORBIDDEN_HEADERS.has(name.toLowerCase())) invalid("headers", `no ${name} header (fetch sets the connection and framing headers)`);
      // (fetch takes Connection: close or keep-alive only; any other value failed every attempt)
      const value = (h as Record<string, unknown>)[name];
      if (name.toLowerCase() === "connection" && !(typeof value === "string" && /^\s*(close|keep-alive)\s*$/i.test(value))) {
        invalid("headers", `Connection must be close or keep-alive (fetch refuses other values)`);
      }
    }
  }
  checkInt(o, "timeoutMs", 1, MAX_TIMER, FN);
  checkInt(o, "maxAttempts", 1, 1000, FN);
  const backoff = checkObject(o, "backoff", ["baseMs", "maxMs"], FN);
  checkInt(backoff, "baseMs", 0, MAX_TIMER, FN, "backoff.baseMs");
  checkInt(backoff, "maxMs", 0, MAX_TIMER, FN, "backoff.maxMs");
  checkInt(o, "queueCapacity", 1, 100_000_000, FN);
  checkEnum(o, "overflow", ["oldest", "newest"], FN);
  checkInt(o, "deadLetterCapacity", 1, 100_000_000, FN);
  checkInt(o, "concurrency", 1, 10_000, FN);
  checkEnum(o, "includeMessage", [true, false], FN);
  for (const name of ["transform", "onError", "fetch", "now", "random"]) checkFunction(o, name, FN);

  const endpoint = url.href;
  const secret = options.secret;
  const extraHeaders = options.headers ?? {};
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const baseMs = options.backoff?.baseMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const queueCapacity = options.queueCapacity ?? 10_000;
  const dropOldest = (options.overflow ?? "oldest") === "oldest";
  const deadLetterCapacity = options.deadLetterCapacity ?? 10_000;
  const concurrency = options.concurrency ?? 4;
  const transform = options.transform;
  const includeMessage = options.includeMessage === true;
  const onError = options.onError;
  // read the global at call time, so a host that installs its own fetch later is honoured
  const fetchFn = options.fetch ?? ((u: string, init: RequestInit): Promise<Response> => fetch(u, init));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;

  // queued entries, in increasing `seq` (entries are accepted in that order and leave from the front)
  const queue: Entry<T>[] = [];
  const dead: DeadRecord<T>[] = [];
  const controllers = new Set<AbortController>();
  const wakers = new Set<() => void>();
  // entries in flight or waiting to retry; they leave the queue in increasing `seq`, so the first
  // one in this insertion-ordered set has the lowest `seq` of them
  const delivering = new Set<Entry<T>>();
  // entries in flight or waiting to retry whose customer was forgotten: not tried again, not kept
  const forgotten = new Set<Entry<T>>();
  // flush() calls waiting for every entry up to `mark`, in non-decreasing `mark` order
  const flushWaiters: { readonly mark: number; readonly resolve: () => void }[] = [];
  let lastSeq = 0;
  let active = 0;
  let sent = 0;
  let retried = 0;
  let failed = 0;
  let discarded = 0;
  let closed = false;
  let aborting = false;
  let closing: Promise<void> | undefined;

  function report(failure: WebhookSinkFailure<T>): void {
    if (onError === undefined) return;
    try {
      const r: unknown = onError(failure);
      // an async handler: its rejection is the handler's too (unhandled, it could end the process)
      if (isThenable(r)) Promise.resolve(r).catch(() => {});
    } catch {
      // the host's handler must not break delivery
    }
  }

  function deadLetter(payload: T, ready: Entry<T> | undefined, reason: DeadLetterReason, attempts: number, message: string, status?: number): void {
    if (ready !== undefined && forgotten.delete(ready)) return; // its customer was forgotten meanwhile
    failed++;
    let at: number;
    try {
      at = now();
    } catch {
      at = Date.now();
    }
    const letter: DeadLetter<T> = status === undefined ? { payload, reason, attempts, message, at } : { payload, reason, attempts, status, message, at };
    dead.push({ letter, ready: ready === undefined ? undefined : { key: ready.key, body: ready.body } });
    report({ kind: "dead_letter", payload, attempt: attempts, message, status, reason });
    if (dead.length > deadLetterCapacity) {
      const gone = dead.shift()!.letter;
      discarded++;
      report({ kind: "discarded", payload: gone.payload, attempt: gone.attempts, message: gone.message, status: gone.status, reason: gone.reason });
    }
  }

  /** The entry to queue, or the reason the payload cannot be sent. */
  function prepare(payload: T): Entry<T> | string {
    let id: unknown, asOf: unknown;
    try {
      id = (payload as { id?: unknown } | null | undefined)?.id;
      asOf = (payload as { asOf?: unknown } | null | undefined)?.asOf;
    } catch (err) {
      // a getter that throws or a revoked Proxy: the payload is unusable, but neither send() nor
      // replay() may throw because of it
      return `reading the payload's id threw: ${errorText(err)}`;
    }
    if (typeof id !== "string" || id === "") return "the payload has no non-empty string id";
    // one delivery: the situation (id) on the day it was alerted (asOf), so a situation alerted
    // again later (a reopened signal, an ended snooze) is a new delivery, not a retry to drop
    const key = idempotencyKey(id, typeof asOf === "string" && asOf !== "" ? asOf : undefined);
    let value: unknown = payload;
    if (transform !== undefined) {
      try {
        value = transform(payload);
      } catch (err) {
        return `transform threw: ${errorText(err)}`;
      }
      if (isThenable(value)) {
        Promise.resolve(value).catch(() => {}); // (its rejection, if any, is the transform's failure reported here)
        return "transform returned a promise (it must return the JSON value itself)";
      }
    } else if (!includeMessage && typeof payload === "object" && payload !== null && Object.hasOwn(payload, "message")) {
      // ids, not names, unless asked: the human text stays in the process
      const { message: _message, ...rest } = payload as T & { message?: unknown };
      value = rest;
    }
    try {
      const body = JSON.stringify(value);
      if (typeof body !== "string") return "the payload serializes to no JSON";
      return { payload, key, body, seq: ++lastSeq, attempts: 0 };
    } catch (err) {
      return `the payload is not JSON-serializable: ${errorText(err)}`;
    }
  }

  /** The lowest `seq` still queued, in flight or waiting to retry; Infinity when there is none. */
  function oldestPending(): number {
    const first = delivering.values().next();
    return Math.min(queue[0]?.seq ?? Infinity, first.done === true ? Infinity : first.value.seq);
  }

  /** Resolve the flush() calls whose entries are all delivered or dead-lettered. */
  function settle(): void {
    if (flushWaiters.length === 0) return;
    const oldest = oldestPending();
    let n = 0;
    while (n < flushWaiters.length && flushWaiters[n]!.mark < oldest) n++;
    for (const waiter of flushWaiters.splice(0, n)) waiter.resolve();
  }

  function pump(): void {
    while (active < concurrency && queue.length > 0) {
      const entry = queue.shift()!;
      active++;
      delivering.add(entry);
      const done = (): void => {
        active--;
        delivering.delete(entry);
        pump();
      };
      deliver(entry).then(done, (err: unknown) => {
        // deliver() catches what it expects; this is the last line of defence
        deadLetter(entry.payload, entry, "retries_exhausted", entry.attempts, `internal error: ${errorText(err)}`);
        done();
      });
    }
    settle();
  }

  /** The waker of each entry waiting to retry (forget() wakes it: its slot and flush() wait no longer). */
  const sleeping = new Map<Entry<T>, () => void>();

  function sleep(ms: number, entry?: Entry<T>): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        wakers.delete(wake);
        if (entry !== undefined) sleeping.delete(entry);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
      if (entry !== undefined) sleeping.set(entry, wake);
    });
  }

  /** `p`, or a rejection as soon as `signal` aborts, whichever comes first. */
  function abortable<R>(p: Promise<R>, signal: AbortSignal): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const onAbort = (): void => reject(new Error("aborted"));
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      Promise.resolve(p).then(
        (v) => {
          signal.removeEventListener("abort", onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
  }

  async function attempt(entry: Entry<T>): Promise<Outcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    controllers.add(controller);
    let status: number | undefined;
    try {
      const t = Math.floor(now() / 1000);
      const headers = new Headers(extraHeaders);
      headers.set("Content-Type", "application/json");
      headers.set(IDEMPOTENCY_HEADER, entry.key);
      headers.set(ATTEMPT_HEADER, String(entry.attempts));
      headers.set(SIGNATURE_HEADER, signatureHeader(secret, t, entry.body));
      // (raced against the abort: a host's fetch that ignores the signal held the attempt, and
      // close(timeoutMs) with it, forever; review 2026-12-07)
      const res = await abortable(fetchFn(endpoint, { method: "POST", headers, body: entry.body, signal: controller.signal, redirect: "manual" }), controller.signal);
      status = res.status;
      // read the answer (about 64 KiB at most: drain) so the connection can be reused; the status
      // decides whatever the body does: a body still stalling when the timeout aborts the request is
      // abandoned, a 2xx stays a delivery and a 400 a rejection rather than a retried timeout (the
      // drain raced against the abort too: a host fetch that ignores the signal and a body that
      // never ends held the slot, flush() and close(timeoutMs) forever; self-review 2026-12-07)
      await abortable(drain(res), controller.signal).catch(() => {});
      if (status >= 200 && status < 300) return { ok: true };
      const retryable = status >= 500 || status === 408 || status === 429;
      return { ok: false, retryable, status, message: `HTTP ${status}`, retryAfter: retryable ? retryAfterMs(res.headers.get("retry-after"), now()) : undefined };
    } catch (err) {
      const message = timedOut ? `no response within ${timeoutMs} ms` : aborting ? "aborted by close()" : `connection error: ${errorText(err)}`;
      return { ok: false, retryable: true, status, message };
    } finally {
      clearTimeout(timer);
      controllers.delete(controller);
    }
  }

  async function deliver(entry: Entry<T>): Promise<void> {
    let last = "";
    let lastStatus: number | undefined;
    for (;;) {
      if (forgotten.delete(entry)) return; // forget(): not tried again
      if (aborting) return deadLetter(entry.payload, entry, "closed", entry.attempts, `close() deadline passed while waiting to retry (${last})`, lastStatus);
      entry.attempts++;
      const outcome = await attempt(entry);
      if (outcome.ok) {
        forgotten.delete(entry); // (delivered before forget() could stop it)
        sent++;
        return;
      }
      const { message, status } = outcome;
      last = message;
      lastStatus = status;
      // (forgotten while on the wire: not retried, and no retry reported or waited for)
      if (forgotten.delete(entry)) return;
      if (aborting) return deadLetter(entry.payload, entry, "closed", entry.attempts, message, status);
      if (!outcome.retryable) return deadLetter(entry.payload, entry, "rejected", entry.attempts, message, status);
      if (entry.attempts >= maxAttempts) return deadLetter(entry.payload, entry, "retries_exhausted", entry.attempts, message, status);
      const delay = outcome.retryAfter !== undefined ? Math.min(outcome.retryAfter, maxMs) : fullJitterDelay(entry.attempts, baseMs, maxMs, random);
      retried++;
      report({ kind: "retry", payload: entry.payload, attempt: entry.attempts, message, status, retryInMs: delay });
      await sleep(delay, entry);
    }
  }

  function abortAll(): void {
    aborting = true;
    for (const entry of queue.splice(0)) deadLetter(entry.payload, entry, "closed", entry.attempts, "close() deadline passed before delivery");
    for (const controller of controllers) controller.abort();
    for (const wake of wakers) wake();
    settle();
  }

  function flush(): Promise<void> {
    // wait for what was accepted so far, not for the sink to go idle: under a steady stream of
    // send()s it never would
    const mark = lastSeq;
    if (oldestPending() > mark) return Promise.resolve();
    return new Promise((resolve) => flushWaiters.push({ mark, resolve }));
  }

  return {
    send(payload: T): void {
      try {
        if (closed) return deadLetter(payload, undefined, "closed", 0, "sent after close()");
        const entry = prepare(payload);
        if (typeof entry === "string") return deadLetter(payload, undefined, "invalid_payload", 0, entry);
        if (queue.length >= queueCapacity) {
          const victim = dropOldest ? queue.shift()! : entry;
          if (dropOldest) queue.push(entry);
          deadLetter(victim.payload, victim, "queue_full", 0, `queue full (${queueCapacity} waiting)`);
          return;
        }
        queue.push(entry);
        pump();
      } catch (err) {
        // not reached by design (each step above catches its own failures); send() never throws,
        // and the payload still ends up somewhere the host can see
        deadLetter(payload, undefined, "invalid_payload", 0, `internal error: ${errorText(err)}`);
      }
    },
    flush,
    close(timeoutMs?: number): Promise<void> {
      checkInt({ timeoutMs }, "timeoutMs", 0, MAX_TIMER, "WebhookSink.close");
      closed = true;
      closing ??= flush();
      if (timeoutMs === undefined) return closing;
      const deadline = setTimeout(abortAll, timeoutMs);
      return closing.then(() => clearTimeout(deadline));
    },
    stats(): WebhookSinkStats {
      return { sent, retried, failed, discarded, queued: queue.length, inFlight: active, deadLetters: dead.length };
    },
    deadLetters(): readonly DeadLetter<T>[] {
      return dead.map((d) => d.letter);
    },
    forget(customerId: string, related?: SinkForgetRelated): number {
      const of = (payload: T): boolean => {
        try {
          return (payload as { customerId?: unknown } | null | undefined)?.customerId === customerId;
        } catch {
          return false;
        }
      };
      // an entry on the wire or waiting to retry is not tried again; one waiting gives up its slot
      // now (a Retry-After of 5 s held the next customer's alert and flush() that long; review 2026-12-07)
      const stop = (entry: Entry<T>): void => {
        forgotten.add(entry);
        sleeping.get(entry)?.();
      };
      let n = 0;
      for (let i = queue.length - 1; i >= 0; i--) {
        if (!of(queue[i]!.payload)) continue;
        queue.splice(i, 1);
        n++;
      }
      for (let i = dead.length - 1; i >= 0; i--) {
        if (!of(dead[i]!.letter.payload)) continue;
        dead.splice(i, 1);
        n++;
      }
      for (const entry of delivering) {
        if (!of(entry.payload) || forgotten.has(entry)) continue;
        stop(entry);
        n++;
      }
      // a rep's pipeline_stall naming the customer's deals: kept without them (review 2026-12-07:
      // the engine erased them from its situation, the dead letter kept them and replay() sent them)
      let deals: ReadonlySet<string> | undefined;
      try {
        const ids = related?.dealIds;
        if (Array.isArray(ids) && ids.length > 0) deals = new Set(ids.filter((d): d is string => typeof d === "string"));
      } catch {
        deals = undefined;
      }
      if (deals !== undefined && deals.size > 0) {
        const gone = deals;
        /** The payload without the deals, or undefined when it names none of them. */
        const without = (payload: T): T | undefined => {
          try {
            const sig = payload as { type?: unknown; evidence?: { dealIds?: unknown } } | null | undefined;
            const listed = sig?.type === "pipeline_stall" && typeof sig.evidence?.dealIds === "string" ? splitIds(sig.evidence.dealIds) : undefined;
            if (listed === undefined) return undefined;
            const kept = listed.filter((d) => !gone.has(d));
            return kept.length === listed.length ? undefined : ({ ...(payload as object), evidence: { ...sig!.evidence, dealIds: joinIds(kept) } } as unknown as T);
          } catch {
            return undefined;
          }
        };
        for (let i = queue.length - 1; i >= 0; i--) {
          const e = queue[i]!;
          const rewritten = without(e.payload);
          if (rewritten === undefined) continue;
          const made = prepare(rewritten);
          if (typeof made === "string") queue.splice(i, 1);
          else queue[i] = { ...made, seq: e.seq, attempts: e.attempts };
          n++;
        }
        for (let i = 0; i < dead.length; i++) {
          const rewritten = without(dead[i]!.letter.payload);
          if (rewritten === undefined) continue;
          // (its body is made again when it is replayed)
          dead[i] = { letter: { ...dead[i]!.letter, payload: rewritten }, ready: undefined };
          n++;
        }
        // one waiting to retry is retried without them (the request on the wire, if any, is sent)
        for (const entry of delivering) {
          if (forgotten.has(entry)) continue;
          const rewritten = without(entry.payload);
          if (rewritten === undefined) continue;
          const made = prepare(rewritten);
          if (typeof made === "string") stop(entry);
          else {
            entry.payload = made.payload;
            entry.body = made.body;
          }
          n++;
        }
      }
      settle();
      return n;
    },
    replay(filter?: (deadLetter: DeadLetter<T>) => boolean): number {
      if (closed) return 0;
      const picks = (letter: DeadLetter<T>): boolean => {
        try {
          return filter === undefined || filter(letter);
        } catch {
          return false;
        }
      };
      let replayed = 0;
      const records = dead.splice(0);
      const kept: DeadRecord<T>[] = [];
      let next = 0;
      try {
        while (next < records.length) {
          const record = records[next++]!;
          if (queue.length >= queueCapacity || !picks(record.letter)) {
            kept.push(record);
            continue;
          }
          const { payload } = record.letter;
          let entry: Entry<T> | string;
          try {
            // the key and body read when it was first sent: the payload is not read again (its id
            // getter may throw by now)
            entry = record.ready === undefined ? prepare(payload) : { payload, key: record.ready.key, body: record.ready.body, seq: ++lastSeq, attempts: 0 };
          } catch {
            // not reached by design (prepare() catches its own failures); the record stays listed
            kept.push(record);
            continue;
          }
          replayed++;
          if (typeof entry === "string") deadLetter(payload, undefined, "invalid_payload", 0, entry);
          else queue.push(entry);
          pump();
        }
      } catch {
        // not reached by design; replay() never throws, and the records not yet looked at are put
        // back below
      } finally {
        // what stayed keeps its place ahead of anything dead-lettered again just now, so the list
        // is never left emptied by splice(0)
        const again = dead.splice(0);
        for (const record of kept) dead.push(record);
        for (const record of records.slice(next)) dead.push(record);
        for (const record of again) dead.push(record);
      }
      return replayed;
    },
  };
}
