import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { Rng } from "../synth/internal/rng.ts";
import { createWebhookSink, type WebhookSinkFailure, type WebhookSinkOptions } from "./create-webhook-sink.ts";
import { verifyWebhookSignature } from "./verify-webhook-signature.ts";

const SECRET = "whsec_test_secret";

interface Payload {
  readonly id: string;
  readonly type: string;
  readonly customerId?: string;
  readonly message?: string;
}

const payload = (n: number): Payload => ({ id: `sig-${n}`, type: "customer_overdue", customerId: `C${n}` });

/** One request as the receiver saw it. */
interface Seen {
  readonly key: string;
  readonly attempt: number;
  readonly answer: string;
  readonly signed: boolean;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/**
 * A real receiver on 127.0.0.1 (port 0). `answer(key, attempt)` picks what it does with each
 * request: `ok` (200), a status such as `500` or `429`, `hang` (never answer), `hang_after`
 * (process, never answer), `drop_mid` (destroy the socket before reading the body), `drop_after`
 * (process, then destroy the socket). It dedupes by Idempotency-Key: `delivered` holds each key's
 * first processed body, `duplicates` counts the rest.
 */
interface Receiver {
  readonly url: string;
  readonly seen: Seen[];
  readonly delivered: Map<string, unknown>;
  duplicates: number;
  answer: (key: string, attempt: number) => string;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function receiver(answer: Receiver["answer"]): Promise<Receiver> {
  const r: Receiver = {
    url: "",
    seen: [],
    delivered: new Map(),
    duplicates: 0,
    answer,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = String(req.headers["idempotency-key"]);
    const attempt = Number(req.headers["x-orderpulse-attempt"]);
    const how = r.answer(key, attempt);
    if (how === "drop_mid") {
      r.seen.push({ key, attempt, answer: how, signed: false, headers: req.headers, body: "" });
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString("utf8");
      const signed = verifyWebhookSignature(SECRET, req.headers["x-orderpulse-signature"], raw);
      r.seen.push({ key, attempt, answer: how, signed, headers: req.headers, body });
      const accept = (): void => {
        if (r.delivered.has(key)) r.duplicates++;
        else r.delivered.set(key, JSON.parse(body));
      };
      if (how === "ok") {
        accept();
        res.writeHead(200, { "Content-Type": "text/plain" }).end("thanks");
      } else if (how === "hang_after") accept();
      else if (how === "drop_after") {
        accept();
        req.socket.destroy();
      } else if (how === "429") res.writeHead(429, { "Retry-After": "0" }).end();
      else if (/^\d+$/.test(how)) res.writeHead(Number(how), how === "302" ? { Location: "http://127.0.0.1:1/elsewhere" } : {}).end(`answer ${how}`);
      // "hang": never answer; the sink's timeout aborts the request
    });
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  (r as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}

/** Test defaults: small timeouts and backoffs so the file runs in seconds. */
function fast(url: string): WebhookSinkOptions<Payload> {
  return { url, secret: SECRET, timeoutMs: 300, backoff: { baseMs: 2, maxMs: 20 } };
}

describe("createWebhookSink against a real node:http receiver", () => {
  it("reads at most 64 KiB of the receiver's answer: an endless body on a 200 is still a delivery, not a timeout", async () => {
    let written = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        const chunk = Buffer.alloc(64 * 1024, 120);
        const pump = (): void => {
          while (!res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) {
              res.once("drain", pump);
              return;
            }
          }
        };
        pump();
      });
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const sink = createWebhookSink<Payload>({ ...fast(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`), timeoutMs: 5000 });
    sink.send(payload(1));
    await sink.flush();
    expect(sink.stats()).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    // the sink stopped reading after 64 KiB: the receiver got no further than its socket buffers
    // (reading it all, until the 5 s timeout, took gigabytes into the host's memory)
    expect(written).toBeLessThan(64 * 1024 * 1024);
    await sink.close();
  });

  it("delivers 200 payloads exactly once (after dedupe) through 500s, 429s, hangs and dropped connections", async () => {
    // seeded schedule: what the receiver does depends only on (key, attempt); from attempt 6 on it
    // has recovered, so every payload must get through within the default 8 attempts
    const menu = ["ok", "ok", "ok", "ok", "ok", "500", "500", "503", "429", "hang", "hang_after", "drop_mid", "drop_after", "drop_after"];
    const r = await receiver((key, attempt) => {
      if (attempt >= 6) return "ok";
      const rng = new Rng(20261124, 1, Number(key.slice(4)) * 16 + attempt);
      return menu[rng.int(menu.length)]!;
    });
    const failures: WebhookSinkFailure<Payload>[] = [];
    const sink = createWebhookSink<Payload>({ ...fast(r.url), timeoutMs: 200, concurrency: 10, onError: (f) => failures.push(f) });
    const t0 = performance.now();
    for (let n = 0; n < 200; n++) sink.send(payload(n));
    await sink.flush();
    const ms = performance.now() - t0;

    // every id exactly once after dedupe, nothing dead
    expect(r.delivered.size).toBe(200);
    for (let n = 0; n < 200; n++) expect(r.delivered.get(`sig-${n}`)).toEqual(payload(n));
    expect(sink.deadLetters()).toEqual([]);
    const stats = sink.stats();
    expect(stats).toMatchObject({ sent: 200, failed: 0, discarded: 0, queued: 0, inFlight: 0, deadLetters: 0 });

    // the faults really happened; some payloads were processed but their answer was lost, so the
    // receiver saw them again and deduped them
    const answers = new Set(r.seen.map((s) => s.answer));
    for (const a of menu) expect(answers, a).toContain(a);
    expect(r.duplicates).toBeGreaterThan(0);
    expect(r.seen.length).toBeLessThanOrEqual(200 + stats.retried); // every request seen was one attempt
    expect(failures.every((f) => f.kind === "retry")).toBe(true);
    expect(failures.length).toBe(stats.retried);
    expect(failures.some((f) => f.message.startsWith("no response within 200 ms"))).toBe(true);
    expect(failures.some((f) => f.message.startsWith("connection error"))).toBe(true);
    expect(failures.some((f) => f.status === 500)).toBe(true);

    // each key got a 200, and no (key, attempt number) pair came twice
    const oks = new Set(r.seen.filter((s) => s.answer === "ok").map((s) => s.key));
    expect(oks.size).toBe(200);
    const attempts = r.seen.map((s) => `${s.key}#${s.attempt}`);
    expect(new Set(attempts).size).toBe(attempts.length);
    // every request the receiver read carries a valid signature
    expect(r.seen.filter((s) => s.answer !== "drop_mid").every((s) => s.signed)).toBe(true);
    const one = r.seen.find((s) => s.answer === "ok")!;
    expect(one.headers["content-type"]).toBe("application/json");
    expect(one.headers["x-orderpulse-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(ms).toBeLessThan(20_000);
    await r.close();
  });

  it("a 400 goes to the dead-letter list without a retry; replay() after the receiver is fixed delivers it", async () => {
    const r = await receiver(() => "400");
    const sink = createWebhookSink<Payload>(fast(r.url));
    sink.send(payload(1));
    await sink.flush();
    expect(r.seen.length).toBe(1);
    const [dead] = sink.deadLetters();
    expect(dead).toMatchObject({ payload: payload(1), reason: "rejected", status: 400, attempts: 1, message: "HTTP 400" });
    expect(sink.stats()).toMatchObject({ sent: 0, retried: 0, failed: 1, deadLetters: 1 });

    r.answer = () => "ok";
    expect(sink.replay()).toBe(1);
    await sink.flush();
    expect([...r.delivered.keys()]).toEqual(["sig-1"]);
    expect(r.seen.map((s) => s.attempt)).toEqual([1, 1]); // a replay starts counting again
    expect(sink.deadLetters()).toEqual([]);
    expect(sink.stats()).toMatchObject({ sent: 1, failed: 1, deadLetters: 0 });
    await sink.close();
  });

  it("does not follow redirects: a 302 is a rejected delivery", async () => {
    const r = await receiver(() => "302");
    const sink = createWebhookSink<Payload>(fast(r.url));
    sink.send(payload(1));
    await sink.close();
    expect(sink.deadLetters()[0]).toMatchObject({ reason: "rejected", status: 302 });
    expect(r.seen.length).toBe(1);
  });

  it("gives up after maxAttempts retryable answers: retries_exhausted with the last status", async () => {
    const r = await receiver(() => "500");
    const failures: WebhookSinkFailure<Payload>[] = [];
    const sink = createWebhookSink<Payload>({ ...fast(r.url), maxAttempts: 3, onError: (f) => failures.push(f) });
    sink.send(payload(7));
    await sink.flush();
    expect(r.seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(sink.deadLetters()).toMatchObject([{ reason: "retries_exhausted", status: 500, attempts: 3 }]);
    expect(failures.map((f) => f.kind)).toEqual(["retry", "retry", "dead_letter"]);
    expect(failures[0]!.retryInMs).toBeLessThan(2); // full jitter below baseMs * 2^0
    expect(failures[2]!.reason).toBe("retries_exhausted");
    expect(sink.stats()).toMatchObject({ sent: 0, retried: 2, failed: 1 });
  });

  it("retries connection refused and dead-letters it with the connection error", async () => {
    const r = await receiver(() => "ok");
    await r.close(); // nothing listens on that port any more
    const sink = createWebhookSink<Payload>({ ...fast(r.url), maxAttempts: 2 });
    sink.send(payload(1));
    await sink.flush();
    const [dead] = sink.deadLetters();
    expect(dead).toMatchObject({ reason: "retries_exhausted", attempts: 2 });
    expect(dead!.message).toMatch(/^connection error: .*ECONNREFUSED/);
    expect(dead!.status).toBeUndefined();
  });

  it("close(timeoutMs) aborts hung requests and dead-letters everything undelivered with reason closed", async () => {
    const r = await receiver(() => "hang");
    const sink = createWebhookSink<Payload>({ ...fast(r.url), timeoutMs: 30_000, concurrency: 2 });
    for (let n = 0; n < 5; n++) sink.send(payload(n));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the first two reach the receiver
    const t0 = performance.now();
    await sink.close(100);
    expect(performance.now() - t0).toBeLessThan(5000);
    const dead = sink.deadLetters();
    expect(dead.map((d) => d.payload.id).sort()).toEqual(["sig-0", "sig-1", "sig-2", "sig-3", "sig-4"]);
    expect(dead.every((d) => d.reason === "closed")).toBe(true);
    expect(dead.filter((d) => d.attempts === 1).length).toBe(2); // the two that were in flight
    expect(sink.stats()).toMatchObject({ queued: 0, inFlight: 0, deadLetters: 5 });
    expect(sink.replay()).toBe(0); // closed: nothing is sent any more
  });
});

/** A fetch that answers from a script and records what it was asked. */
function scripted(answer: (init: RequestInit, call: number) => Response | Promise<Response>): {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  calls: { url: string; init: RequestInit; at: number }[];
} {
  const calls: { url: string; init: RequestInit; at: number }[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init, at: performance.now() });
      return answer(init, calls.length);
    },
  };
}

/** A gate: `wait()` resolves once `open()` is called. */
function gate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const p = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => p, open };
}

describe("createWebhookSink: ids and URLs a header or fetch cannot carry as they are", () => {
  it("an id that is not printable ASCII (a Hebrew customer id) goes as a percent-encoded Idempotency-Key; ASCII ids as they are; the body keeps the raw id", async () => {
    const r = await receiver(() => "ok");
    const ids = ["customer_overdue:לקוח-7:2026-10-05", "customer_overdue:C7:2026-10-05", "sig 7", "café", " padded ", "line\nbreak", "\ud800lone"];
    const failures: string[] = [];
    const sink = createWebhookSink<Payload>({ ...fast(r.url), maxAttempts: 2, onError: (f) => void failures.push(f.message) });
    for (const id of ids) sink.send({ id, type: "customer_overdue" });
    await sink.close();
    expect(failures).toEqual([]);
    expect(sink.stats()).toMatchObject({ sent: ids.length, retried: 0, deadLetters: 0 });
    const keys = ["customer_overdue%3A%D7%9C%D7%A7%D7%95%D7%97-7%3A2026-10-05", "customer_overdue:C7:2026-10-05", "sig 7", "caf%C3%A9", "%20padded%20", "line%0Abreak", "%EF%BF%BDlone"];
    expect(new Map([...r.delivered].map(([key, body]) => [key, (body as Payload).id]))).toEqual(new Map(keys.map((key, k) => [key, ids[k]!])));
    for (const [key, body] of r.delivered) if (!(body as Payload).id.includes("\ud800")) expect(decodeURIComponent(key)).toBe((body as Payload).id);
  });

  it("rejects a url with credentials (fetch refuses it) without repeating the URL or the password", () => {
    for (const url of ["https://user:s3cret-pw@hooks.example.com/x", "https://user@hooks.example.com/x", new URL("http://:s3cret-pw@hooks.example.com/"), "ftp://user:s3cret-pw@hooks.example.com/"]) {
      let err: unknown;
      try {
        createWebhookSink<Payload>({ url, secret: SECRET });
      } catch (e) {
        err = e;
      }
      expectInvalid(() => {
        throw err;
      }, "url");
      const { message, details } = err as { message: string; details: unknown };
      expect(message).toMatch(/without credentials; put them in headers/);
      expect(JSON.stringify({ message, details })).not.toMatch(/s3cret|hooks\.example|user/);
    }
  });
  it("rejects a port Node's fetch blocks (6000, 25, ...) unless a custom fetch is given; other ports pass", async () => {
    for (const url of ["http://127.0.0.1:6000/hook", "https://hooks.example.com:25/x", "http://localhost:10080/", "http://h.example:0/"]) expectInvalid(() => createWebhookSink<Payload>({ url, secret: SECRET }), "url");
    // the real fetch does refuse it: every attempt would fail ("bad port")
    const cause = await fetch("http://127.0.0.1:6000/").then(
      () => undefined,
      (e: unknown) => String((e as { cause?: unknown }).cause),
    );
    expect(cause).toMatch(/bad port/);
    expect(() => createWebhookSink<Payload>({ url: "http://127.0.0.1:6000/hook", secret: SECRET, fetch: async () => new Response(null, { status: 200 }) }).close()).not.toThrow();
    for (const url of ["http://127.0.0.1:6001/hook", "https://hooks.example.com:443/x", "http://127.0.0.1:8080/"]) expect(() => createWebhookSink<Payload>({ url, secret: SECRET }).close()).not.toThrow();
  });
});

describe("createWebhookSink: queue, dead letters, options", () => {
  const url = "https://hooks.example.com/orderpulse";

  it("a full queue sends the oldest waiting payload to the dead-letter list (queue_full), or the newest", async () => {
    for (const overflow of ["oldest", "newest"] as const) {
      const g = gate();
      const f = scripted(async () => {
        await g.wait();
        return new Response(null, { status: 204 });
      });
      const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch, concurrency: 1, queueCapacity: 2, overflow });
      for (let n = 0; n < 5; n++) sink.send(payload(n)); // sig-0 in flight, two wait, two overflow
      expect(sink.stats()).toMatchObject({ inFlight: 1, queued: 2, failed: 2, deadLetters: 2 });
      const dead = sink.deadLetters();
      expect(dead.map((d) => d.payload.id)).toEqual(overflow === "oldest" ? ["sig-1", "sig-2"] : ["sig-3", "sig-4"]);
      expect(dead.every((d) => d.reason === "queue_full" && d.attempts === 0)).toBe(true);
      g.open();
      await sink.flush();
      expect(sink.stats().sent).toBe(3);
      expect(sink.replay()).toBe(2);
      await sink.close();
      expect(sink.stats()).toMatchObject({ sent: 5, deadLetters: 0 });
      expect(f.calls.length).toBe(5);
    }
  });

  it("replay() takes no more than the queue has room for, and honours a filter", async () => {
    let status = 400;
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: async () => new Response(null, { status }), queueCapacity: 1, concurrency: 1 });
    for (let n = 0; n < 4; n++) {
      sink.send(payload(n));
      await sink.flush();
    }
    expect(sink.deadLetters().length).toBe(4);
    status = 200;
    expect(sink.replay((d) => d.payload.id !== "sig-0" && d.payload.id !== "sig-1")).toBe(2);
    await sink.flush();
    expect(sink.deadLetters().map((d) => d.payload.id)).toEqual(["sig-0", "sig-1"]);
    expect(sink.replay(() => { throw new Error("bad filter"); })).toBe(0);
    expect(sink.replay()).toBe(2); // one in flight at once, one waiting: both fit
    await sink.close();
    expect(sink.stats()).toMatchObject({ sent: 4, deadLetters: 0 });
  });

  it("forget(customerId) drops the customer's dead letters and queued payloads, and stops its retries; the others stay", async () => {
    let status = 400;
    const bodies: string[] = [];
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: async (_u, init) => {
      bodies.push(String(init.body));
      return new Response(null, { status });
    }, concurrency: 1, backoff: { baseMs: 1, maxMs: 1 } });
    for (const n of [1, 2, 1]) sink.send(payload(n));
    await sink.flush();
    expect(sink.deadLetters().map((d) => d.payload.customerId)).toEqual(["C1", "C2", "C1"]);
    expect(sink.forget("C1")).toBe(2);
    expect(sink.deadLetters().map((d) => d.payload.customerId)).toEqual(["C2"]);
    // one waiting to retry (503s) is not tried again once forgotten, nor dead-lettered
    status = 503;
    bodies.length = 0;
    sink.send(payload(3));
    await new Promise((r) => setTimeout(r, 20));
    expect(bodies.length).toBeGreaterThan(0);
    expect(sink.forget("C3")).toBe(1);
    const tries = bodies.length;
    await sink.flush();
    expect(bodies.length).toBeLessThanOrEqual(tries + 1); // (at most the request already on the wire)
    expect(sink.deadLetters().map((d) => d.payload.customerId)).toEqual(["C2"]);
    status = 200;
    expect(sink.replay()).toBe(1);
    await sink.close();
    expect(sink.stats()).toMatchObject({ deadLetters: 0 });
  });

  it("a host fetch that ignores the abort signal still times out, and close(timeoutMs) resolves (review 2026-12-07: both waited forever)", async () => {
    let calls = 0;
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: () => {
      calls++;
      return new Promise<Response>(() => {});
    }, timeoutMs: 50, maxAttempts: 2, backoff: { baseMs: 1, maxMs: 1 } });
    sink.send(payload(1));
    await sink.flush();
    expect(calls).toBe(2);
    expect(sink.deadLetters()).toMatchObject([{ reason: "retries_exhausted", message: "no response within 50 ms" }]);
    const stuck = createWebhookSink<Payload>({ url, secret: SECRET, fetch: () => new Promise<Response>(() => {}), timeoutMs: 60_000 });
    stuck.send(payload(2));
    const t0 = Date.now();
    await stuck.close(100);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(stuck.deadLetters()).toMatchObject([{ reason: "closed" }]);
  });

  it("a 2xx whose body never ends, from a fetch that ignores the abort signal, is a delivery when timeoutMs runs out (self-review 2026-12-07: flush() and close() waited forever)", async () => {
    const endless = (): Response => new Response(new ReadableStream({ start: () => {} }), { status: 200 });
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: async () => endless(), timeoutMs: 50 });
    sink.send(payload(1));
    const t0 = Date.now();
    await sink.flush();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(sink.stats()).toMatchObject({ sent: 1, inFlight: 0 });
    await sink.close(100);
  });

  it("forget(customerId) while its request is on the wire: no retry, none reported, none waited for (self-review 2026-12-07: flush() waited out a Retry-After of 5 s)", async () => {
    const retries: string[] = [];
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: async (_u, init) => {
      if (!String(init.body).includes('"C1"')) return new Response(null, { status: 200 });
      await new Promise((r) => setTimeout(r, 100));
      return new Response(null, { status: 503, headers: { "Retry-After": "5" } });
    }, concurrency: 1, onError: (e) => void (e.kind === "retry" && retries.push(String(e.payload.customerId))) });
    sink.send(payload(1));
    await new Promise((r) => setTimeout(r, 20)); // on the wire
    expect(sink.forget("C1")).toBe(1);
    sink.send(payload(2));
    const t0 = Date.now();
    await sink.flush();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(retries).toEqual([]);
    expect(sink.stats()).toMatchObject({ sent: 1, inFlight: 0, deadLetters: 0 });
    await sink.close();
  });

  it("forget(customerId) frees the slot of a payload waiting to retry at once (review 2026-12-07: the next customer's alert and flush() waited for its retry timer)", async () => {
    const bodies: string[] = [];
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: async (_u, init) => {
      bodies.push(String(init.body));
      return new Response(null, { status: String(init.body).includes('"C1"') ? 503 : 200 });
    }, concurrency: 1, backoff: { baseMs: 5000, maxMs: 5000 }, random: () => 0.999 });
    sink.send(payload(1));
    await new Promise((r) => setTimeout(r, 20)); // answered 503: waiting about 5 s to retry
    expect(sink.forget("C1")).toBe(1);
    const t0 = Date.now();
    sink.send(payload(2));
    await sink.flush();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(bodies.map((b) => (JSON.parse(b) as Payload).customerId)).toEqual(["C1", "C2"]);
    expect(sink.stats()).toMatchObject({ sent: 1, inFlight: 0, queued: 0, deadLetters: 0 });
    await sink.close();
  });

  it("forget(customerId, { dealIds }) takes the customer's deals out of its rep's pipeline_stall alerts it holds, dead or queued (review 2026-12-07: a dead letter kept them and replay() sent them)", async () => {
    let status = 400;
    const bodies: string[] = [];
    const sink = createWebhookSink<{ id: string; asOf: string; type: string; repId: string; evidence: { dealIds: string; stalled: number } }>({ url, secret: SECRET, fetch: async (_u, init) => {
      bodies.push(String(init.body));
      return new Response(null, { status });
    }, concurrency: 1, backoff: { baseMs: 1, maxMs: 1 } });
    const stall = (id: string, dealIds: string) => ({ id, asOf: "2026-06-07", type: "pipeline_stall", repId: "R02", evidence: { dealIds, stalled: 3 } });
    sink.send(stall("pipeline_stall:R02:proposal:2026-06-07", "D1,D%2C2,D3"));
    sink.send(stall("pipeline_stall:R03:lead:2026-06-07", "D4"));
    await sink.flush();
    expect(sink.deadLetters()).toHaveLength(2);
    // D1 and "D,2" (a comma, percent-encoded in the list) were the erased customer's
    expect(sink.forget("C28", { dealIds: ["D1", "D,2"] })).toBe(1);
    expect(sink.deadLetters().map((d) => d.payload.evidence)).toEqual([{ dealIds: "D3", stalled: 3 }, { dealIds: "D4", stalled: 3 }]);
    status = 200;
    bodies.length = 0;
    expect(sink.replay()).toBe(2);
    await sink.flush();
    expect(bodies.map((b) => (JSON.parse(b) as { evidence: { dealIds: string } }).evidence.dealIds)).toEqual(["D3", "D4"]);
    // one waiting to retry is retried without them (self-review 2026-12-07: it was dropped without a trace)
    let later = 503;
    const tries: string[] = [];
    const slow = createWebhookSink<ReturnType<typeof stall>>({ url, secret: SECRET, fetch: async (_u, init) => {
      tries.push(String(init.body));
      return new Response(null, { status: later });
    }, concurrency: 1, backoff: { baseMs: 200, maxMs: 200 }, random: () => 0.999 });
    slow.send(stall("pipeline_stall:R04:lead:2026-06-07", "D1,D5"));
    await new Promise((r) => setTimeout(r, 15));
    expect(tries).toHaveLength(1); // sent once, now waiting to retry
    expect(slow.forget("C28", { dealIds: ["D1"] })).toBe(1);
    later = 200;
    await slow.flush();
    expect(tries.map((b) => (JSON.parse(b) as { evidence: { dealIds: string } }).evidence.dealIds)).toEqual(["D1,D5", "D5"]);
    expect([slow.deadLetters().length, slow.stats().sent]).toEqual([0, 1]);
    await slow.close();
    // without deal ids, or with none of them listed: nothing moves; a payload of another type is never read as one
    sink.send({ ...stall("x", "D9"), type: "kpi_drop" });
    expect(sink.forget("C28")).toBe(0);
    expect(sink.forget("C28", { dealIds: ["D9"] })).toBe(0);
    await sink.close();
  });

  it("send after close() is recorded as a dead letter with reason closed (not sent, not thrown)", async () => {
    const f = scripted(() => new Response(null, { status: 200 }));
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch });
    sink.send(payload(1));
    const closing = sink.close();
    expect(sink.close()).toBe(closing); // the same wait
    sink.send(payload(2));
    await closing;
    expect(f.calls.length).toBe(1);
    expect(sink.deadLetters()).toMatchObject([{ payload: payload(2), reason: "closed", attempts: 0, message: "sent after close()" }]);
    expect(sink.stats()).toMatchObject({ sent: 1, failed: 1 });
  });

  it("honours Retry-After (seconds or a date) in place of the jitter, capped at backoff.maxMs", async () => {
    const clock = Date.UTC(2026, 10, 24, 12, 0, 0);
    const retryAfter = ["1", new Date(clock + 3_600_000).toUTCString()];
    const f = scripted((_, call) => (call <= 2 ? new Response(null, { status: call === 1 ? 429 : 503, headers: { "Retry-After": retryAfter[call - 1]! } }) : new Response(null, { status: 200 })));
    const failures: WebhookSinkFailure<Payload>[] = [];
    const sink = createWebhookSink<Payload>({
      url,
      secret: SECRET,
      fetch: f.fetch,
      backoff: { baseMs: 1, maxMs: 120 },
      random: () => 0, // the jitter alone would retry at once
      now: () => clock,
      onError: (e) => failures.push(e),
    });
    sink.send(payload(1));
    await sink.close();
    expect(failures.map((e) => [e.status, e.retryInMs])).toEqual([[429, 120], [503, 120]]);
    expect(f.calls[1]!.at - f.calls[0]!.at).toBeGreaterThanOrEqual(100);
    expect(f.calls[2]!.at - f.calls[1]!.at).toBeGreaterThanOrEqual(100);
    // the signature timestamp comes from the injected clock
    expect(new Headers(f.calls[0]!.init.headers).get("x-orderpulse-signature")).toMatch(new RegExp(`^t=${clock / 1000},v1=`));
  });

  it("waits between retries with full jitter: uniform below baseMs * 2^(n-1)", async () => {
    const f = scripted(() => new Response(null, { status: 500 }));
    const failures: WebhookSinkFailure<Payload>[] = [];
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch, maxAttempts: 6, backoff: { baseMs: 4, maxMs: 20 }, random: () => 0.999, onError: (e) => failures.push(e) });
    sink.send(payload(1));
    await sink.close();
    expect(failures.filter((e) => e.kind === "retry").map((e) => e.retryInMs)).toEqual([3, 7, 15, 19, 19]);
  });

  it("send() never throws: invalid payloads become dead letters, a throwing onError or fetch changes nothing", async () => {
    let calls = 0;
    const sink = createWebhookSink<Payload>({
      url,
      secret: SECRET,
      backoff: { baseMs: 0, maxMs: 0 },
      transform: (p) => {
        if (p.type === "explode") throw new Error("boom");
        if (p.type === "unprintable") throw Object.create(null); // String() of it throws too
        return p.type === "bigint" ? { n: 1n } : p.type === "nothing" ? undefined : p;
      },
      onError: () => {
        throw new Error("host handler bug");
      },
      fetch: (() => {
        calls++;
        if (calls === 1) throw new Error("synchronous fetch failure");
        return Promise.resolve(new Response(null, { status: 200 }));
      }) as (url: string, init: RequestInit) => Promise<Response>,
    });
    const bad = [
      undefined,
      null,
      { type: "x" },
      { id: "", type: "x" },
      { id: 5, type: "x" },
      { id: "sig-e", type: "explode" },
      { id: "sig-b", type: "bigint" },
      { id: "sig-u", type: "nothing" },
      { id: "sig-w", type: "unprintable" },
    ] as unknown as Payload[];
    for (const p of bad) expect(() => sink.send(p)).not.toThrow();
    sink.send(payload(1));
    await sink.close();
    expect(calls).toBe(2); // the synchronous throw was a failed attempt, retried
    expect(sink.stats()).toMatchObject({ sent: 1, retried: 1, failed: bad.length });
    const dead = sink.deadLetters();
    expect(dead.every((d) => d.reason === "invalid_payload")).toBe(true);
    expect(dead[5]!.message).toBe("transform threw: boom");
    expect(dead[6]!.message).toMatch(/^the payload is not JSON-serializable: .*BigInt/i);
    expect(dead[7]!.message).toBe("the payload serializes to no JSON");
    expect(dead[8]!.message).toBe("transform threw: an unprintable error");
  });

  it("transform shapes the body (e.g. keeps the message in the process); extra headers go along, the sink's own win", async () => {
    const f = scripted(() => new Response(null, { status: 202 }));
    const sink = createWebhookSink<Payload>({
      url: new URL(url),
      secret: SECRET,
      fetch: f.fetch,
      headers: { Authorization: "Bearer t0k3n", "content-type": "text/plain", "idempotency-key": "spoofed" },
      transform: ({ message: _message, ...rest }) => rest,
    });
    sink.send({ ...payload(1), message: "Acme Ltd has not ordered for 40 days" });
    await sink.close();
    const { url: to, init } = f.calls[0]!;
    expect(to).toBe(url);
    expect(init.method).toBe("POST");
    expect(JSON.parse(String(init.body))).toEqual(payload(1));
    const h = new Headers(init.headers);
    expect(h.get("authorization")).toBe("Bearer t0k3n");
    expect(h.get("content-type")).toBe("application/json");
    expect(h.get("idempotency-key")).toBe("sig-1");
    expect(h.get("x-orderpulse-attempt")).toBe("1");
    expect(verifyWebhookSignature(SECRET, h.get("x-orderpulse-signature"), String(init.body))).toBe(true);
  });

  it("keeps at most deadLetterCapacity dead letters: the oldest is discarded and reported", async () => {
    const discarded: string[] = [];
    const sink = createWebhookSink<Payload>({
      url,
      secret: SECRET,
      fetch: async () => new Response(null, { status: 404 }),
      deadLetterCapacity: 2,
      onError: (e) => void (e.kind === "discarded" && discarded.push(e.payload.id)),
    });
    for (let n = 0; n < 4; n++) sink.send(payload(n));
    await sink.close();
    expect(sink.deadLetters().map((d) => d.payload.id)).toEqual(["sig-2", "sig-3"]);
    expect(discarded).toEqual(["sig-0", "sig-1"]);
    expect(sink.stats()).toMatchObject({ failed: 4, discarded: 2, deadLetters: 2 });
  });

  it("flush() resolves at once when idle, and every waiter resolves when the sink goes idle", async () => {
    const g = gate();
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: async () => (await g.wait(), new Response(null, { status: 200 })) });
    await sink.flush();
    sink.send(payload(1));
    let done = 0;
    const waits = [sink.flush().then(() => done++), sink.flush().then(() => done++)];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(0);
    g.open();
    await Promise.all(waits);
    expect(done).toBe(2);
    await sink.close();
  });

  it("rejects bad options with INVALID_OPTION", () => {
    const ok = { url, secret: SECRET };
    const make = (o: unknown) => (): unknown => createWebhookSink(o as WebhookSinkOptions<Payload>);
    expectInvalid(make(undefined), "url");
    expectInvalid(make("x"), "options");
    expectInvalid(make({ secret: SECRET }), "url");
    expectInvalid(make({ ...ok, url: "not a url" }), "url");
    expectInvalid(make({ ...ok, url: "ftp://example.com/x" }), "url");
    expectInvalid(make({ url }), "secret");
    expectInvalid(make({ ...ok, secret: "" }), "secret");
    expectInvalid(make({ ...ok, headers: { a: 1 } }), "headers");
    expectInvalid(make({ ...ok, headers: { "bad header": "x" } }), "headers");
    expectInvalid(make({ ...ok, timeoutMs: 0 }), "timeoutMs");
    expectInvalid(make({ ...ok, maxAttempts: 0 }), "maxAttempts");
    expectInvalid(make({ ...ok, backoff: { baseMs: -1 } }), "backoff.baseMs");
    expectInvalid(make({ ...ok, backoff: { maxMs: 1.5 } }), "backoff.maxMs");
    expectInvalid(make({ ...ok, backoff: { factor: 2 } }), "backoff.factor");
    expectInvalid(make({ ...ok, queueCapacity: 0 }), "queueCapacity");
    expectInvalid(make({ ...ok, overflow: "drop" }), "overflow");
    expectInvalid(make({ ...ok, deadLetterCapacity: 0 }), "deadLetterCapacity");
    expectInvalid(make({ ...ok, concurrency: 0 }), "concurrency");
    for (const name of ["transform", "onError", "fetch", "now", "random"]) expectInvalid(make({ ...ok, [name]: 1 }), name);
    const sink = createWebhookSink(ok);
    expectInvalid(() => sink.close(-1), "timeoutMs");
  });
});

/** Whether `p` settles within `ms` milliseconds: `"resolved"` or `"pending"`. */
function within(p: Promise<unknown>, ms: number): Promise<"resolved" | "pending"> {
  return Promise.race([p.then(() => "resolved" as const), new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms))]);
}

describe("createWebhookSink: flush() waits for what was sent before it", () => {
  const url = "https://hooks.example.com/orderpulse";

  /** A fetch that answers 204 to a payload once its id's gate is opened (or fails when aborted). */
  function gated(): { fetch: (url: string, init: RequestInit) => Promise<Response>; open: (id: string) => void } {
    const gates = new Map<string, ReturnType<typeof gate>>();
    const of = (id: string): ReturnType<typeof gate> => {
      let g = gates.get(id);
      if (g === undefined) gates.set(id, (g = gate()));
      return g;
    };
    return {
      open: (id) => of(id).open(),
      fetch: (_url, init) =>
        new Promise((resolve, reject) => {
          init.signal?.addEventListener("abort", () => reject(new Error("aborted")));
          void of((JSON.parse(String(init.body)) as Payload).id).wait().then(() => resolve(new Response(null, { status: 204 })));
        }),
    };
  }

  it("resolves once the payloads sent before the call are done, while later ones are still queued or in flight", async () => {
    // the old flush() waited for the whole sink to be idle, so a steady stream of send()s starved it
    const f = gated();
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch, concurrency: 1 });
    sink.send(payload(1)); // in flight
    sink.send(payload(2)); // queued
    const first = sink.flush();
    sink.send(payload(3)); // sent after the first flush(): it must not hold it up
    const second = sink.flush();
    f.open("sig-1");
    expect(await within(first, 30)).toBe("pending"); // sig-2 (sent before it) is now in flight
    f.open("sig-2");
    expect(await within(first, 2000)).toBe("resolved");
    expect(sink.stats()).toMatchObject({ sent: 2, queued: 0, inFlight: 1 }); // sig-3 still in flight
    expect(await within(second, 30)).toBe("pending");
    f.open("sig-3");
    expect(await within(second, 2000)).toBe("resolved");
    expect(await within(sink.flush(), 0)).toBe("resolved"); // nothing pending: at once
    await sink.close();
  });

  it("counts a payload waiting to retry and a replayed one as sent before a later flush()", async () => {
    let calls = 0;
    const sink = createWebhookSink<Payload>({
      url,
      secret: SECRET,
      fetch: async () => new Response(null, { status: ++calls === 1 ? 503 : calls === 3 ? 400 : 204 }),
      backoff: { baseMs: 200, maxMs: 200 },
      random: () => 0.5, // the retry waits 100 ms
    });
    sink.send(payload(1));
    const retrying = sink.flush();
    expect(await within(retrying, 30)).toBe("pending");
    expect(sink.stats()).toMatchObject({ retried: 1, inFlight: 1 });
    expect(await within(retrying, 2000)).toBe("resolved");
    sink.send(payload(2)); // answered 400: a dead letter
    await sink.flush();
    expect(sink.replay()).toBe(1);
    const replayed = sink.flush();
    expect(sink.stats().inFlight).toBe(1);
    expect(await within(replayed, 2000)).toBe("resolved");
    expect(sink.stats()).toMatchObject({ sent: 2, inFlight: 0, deadLetters: 0 });
  });

  it("close(timeoutMs) resolves flush() calls still waiting", async () => {
    const f = gated(); // never opened: the request hangs until close() aborts it
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch });
    sink.send(payload(1));
    const waiting = sink.flush();
    expect(await within(waiting, 20)).toBe("pending");
    await sink.close(10);
    expect(await within(waiting, 0)).toBe("resolved");
    expect(sink.deadLetters()).toMatchObject([{ reason: "closed", attempts: 1 }]);
  });
});

describe("createWebhookSink: Idempotency-Key of an id holding %", () => {
  it("percent-encodes an id with %, so two ids never share a key and decodeURIComponent(key) is the id", async () => {
    // the old rule sent an ASCII id with % as it was: the second id got the first one's key, and
    // decodeURIComponent threw on the third
    const f = scripted(() => new Response(null, { status: 204 }));
    const sink = createWebhookSink<Payload>({ url: "https://hooks.example.com/orderpulse", secret: SECRET, fetch: f.fetch, concurrency: 1 });
    const ids = ["customer_overdue:ל-7:2026-10-05", "customer_overdue%3A%D7%9C-7%3A2026-10-05", "customer_overdue:ACME 50%:2026-10-05", "100%", "sig-1"];
    for (const id of ids) sink.send({ id, type: "customer_overdue" });
    await sink.close();
    const keys = f.calls.map((c) => new Headers(c.init.headers).get("idempotency-key")!);
    expect(keys).toEqual([
      "customer_overdue%3A%D7%9C-7%3A2026-10-05",
      "customer_overdue%253A%25D7%259C-7%253A2026-10-05",
      "customer_overdue%3AACME%2050%25%3A2026-10-05",
      "100%25",
      "sig-1",
    ]);
    expect(keys.map((key) => decodeURIComponent(key))).toEqual(ids);
  });

  it("with an asOf the key is id@asOf, each part encoded as needed; an id holding @ is encoded, so no two payloads share a key", async () => {
    const f = scripted(() => new Response(null, { status: 204 }));
    const sink = createWebhookSink<Payload & { asOf?: string }>({ url: "https://hooks.example.com/orderpulse", secret: SECRET, fetch: f.fetch, concurrency: 1 });
    const sent = [{ id: "x@2026-11-09" }, { id: "x", asOf: "2026-11-09" }, { id: "customer_overdue:ל-7:2026-10-05", asOf: "2026-11-09" }, { id: "ACME ", asOf: "2026-11-09" }, { id: "a@b", asOf: "c" }, { id: "a", asOf: "b@c" }];
    for (const p of sent) sink.send({ ...p, type: "customer_overdue" });
    await sink.close();
    const keys = f.calls.map((c) => new Headers(c.init.headers).get("idempotency-key")!);
    // (a host's own id "x@2026-11-09" and the Signal x of that day shared a key)
    expect(keys).toEqual(["x%402026-11-09", "x@2026-11-09", "customer_overdue%3A%D7%9C-7%3A2026-10-05@2026-11-09", "ACME%20@2026-11-09", "a%40b@c", "a@b%40c"]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("createWebhookSink: replay() of a payload whose id cannot be read", () => {
  it("never throws and keeps every dead letter; the payload goes back as invalid_payload", async () => {
    // the old replay() emptied the list, then read the id outside any try: it threw and lost all four
    const sink = createWebhookSink<Payload>({ url: "https://hooks.example.com/orderpulse", secret: SECRET, fetch: async () => new Response(null, { status: 400 }) });
    for (let n = 0; n < 3; n++) sink.send(payload(n));
    await sink.flush();
    const { proxy, revoke } = Proxy.revocable({ id: "sig-bad", type: "x" }, {});
    revoke();
    sink.send(proxy);
    const reasons = (): string[] => sink.deadLetters().map((d) => d.reason);
    expect(reasons()).toEqual(["rejected", "rejected", "rejected", "invalid_payload"]);

    let replayed: number | undefined;
    expect(() => (replayed = sink.replay((d) => d.reason === "invalid_payload"))).not.toThrow();
    expect(replayed).toBe(1); // taken out, and back in at the end, still invalid
    expect(reasons()).toEqual(["rejected", "rejected", "rejected", "invalid_payload"]);
    expect(sink.deadLetters().slice(0, 3).map((d) => d.payload.id)).toEqual(["sig-0", "sig-1", "sig-2"]);
    expect(sink.deadLetters()[3]!.message).toMatch(/^reading the payload's id threw: .*revoked/);

    expect(sink.replay()).toBe(4); // the three 400s go out again (and come back), the proxy with them
    await sink.flush();
    expect(reasons().sort()).toEqual(["invalid_payload", "rejected", "rejected", "rejected"]);
    expect(sink.stats()).toMatchObject({ failed: 9, deadLetters: 4 });
    await sink.close();
  });
});

describe("createWebhookSink: review fixes (2026-12-06)", () => {
  const url = "https://hooks.example.com/orderpulse";
  it("sends ids, not names: a payload's message stays in the process unless includeMessage (DESIGN.md, Privacy)", async () => {
    const f = scripted(() => new Response(null, { status: 200 }));
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch });
    sink.send({ ...payload(1), message: "Acme Ltd has not ordered for 40 days" });
    const asked = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch, includeMessage: true });
    asked.send({ ...payload(2), message: "Acme Ltd has not ordered for 40 days" });
    await Promise.all([sink.close(), asked.close()]);
    expect(JSON.parse(String(f.calls[0]!.init.body))).toEqual(payload(1));
    expect(JSON.parse(String(f.calls[1]!.init.body)).message).toBe("Acme Ltd has not ordered for 40 days");
    expectInvalid(() => createWebhookSink<Payload>({ url, secret: SECRET, includeMessage: "yes" as never }), "includeMessage");
  });
  it("refuses the framing headers fetch refuses (they failed every attempt as 'connection errors'); others it sends or ignores stay allowed", () => {
    for (const name of ["Transfer-Encoding", "expect", "Keep-Alive", "Upgrade", "Content-Length"]) {
      expectInvalid(() => createWebhookSink<Payload>({ url, secret: SECRET, headers: { [name]: "5" } }), "headers");
    }
    for (const name of ["Host", "TE", "Trailer"]) expect(() => createWebhookSink<Payload>({ url, secret: SECRET, headers: { [name]: "x" } })).not.toThrow();
    // Connection: fetch takes close and keep-alive; any other value (upgrade) failed every attempt
    for (const value of ["close", " Keep-Alive "]) expect(() => createWebhookSink<Payload>({ url, secret: SECRET, headers: { Connection: value } })).not.toThrow();
    for (const value of ["upgrade", "keep-alive, Upgrade", "x"]) expectInvalid(() => createWebhookSink<Payload>({ url, secret: SECRET, headers: { connection: value } }), "headers");
    // a Headers or a Map has no own keys: it passed every check, a refused header inside it too
    // (review 2026-12-06); a plain object, also without a prototype, is the option
    for (const h of [new Headers({ "Transfer-Encoding": "chunked" }), new Map([["Authorization", "x"]])]) expectInvalid(() => createWebhookSink<Payload>({ url, secret: SECRET, headers: h as never }), "headers");
    expect(() => createWebhookSink<Payload>({ url, secret: SECRET, headers: Object.assign(Object.create(null) as Record<string, string>, { Authorization: "x" }) })).not.toThrow();
  });
  it("a misspelled option keeps its value out of the error (Secret for secret, a header token, a URL with a password)", () => {
    for (const opts of [{ url, Secret: "s3cr3t-value" }, { url, secret: SECRET, header: { Authorization: "Bearer s3cr3t-value" } }, { URL: "https://bot:s3cr3t-value@example.com/", secret: SECRET }, { url, secret: SECRET, backoff: { token: "s3cr3t-value" } }]) {
      let err: unknown;
      try {
        createWebhookSink<Payload>(opts as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeDefined();
      const shown = `${String(err)} ${JSON.stringify((err as { details?: unknown }).details)} ${inspect(err, { depth: 5 })}`;
      expect(shown).not.toContain("s3cr3t-value");
    }
  });

  it("a url that does not parse stays out of the error (its password with it)", () => {
    for (const bad of ["http://user:hunter2@exa mple.com/", "http://user:hunter2@host:99999/"]) {
      let err: unknown;
      try {
        createWebhookSink<Payload>({ url: bad, secret: SECRET });
      } catch (e) {
        err = e;
      }
      expectInvalid(() => {
        throw err;
      }, "url");
      expect(JSON.stringify({ m: (err as Error).message, d: (err as { details: unknown }).details })).not.toMatch(/hunter2/);
    }
  });
  it("a dead letter made at close() while waiting to retry keeps the last status (its message gave it, its status did not)", async () => {
    const f = scripted(() => new Response(null, { status: 503 }));
    const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch, backoff: { baseMs: 5000, maxMs: 5000 }, random: () => 0.9 });
    sink.send(payload(1));
    await new Promise((r) => setTimeout(r, 50));
    await sink.close(20);
    expect(sink.deadLetters().map((d) => [d.reason, d.status])).toEqual([["closed", 503]]);
  });
  it("an async transform dead-letters the payload (it sent '{}' as delivered); an async onError's rejection is caught", async () => {
    const f = scripted(() => new Response(null, { status: 400 }));
    const errors: unknown[] = [];
    const onUnhandled = (e: unknown): void => void errors.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const sink = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch, transform: async (p) => p, onError: async () => { throw new Error("handler"); } });
      sink.send(payload(1));
      const plain = createWebhookSink<Payload>({ url, secret: SECRET, fetch: f.fetch, onError: async () => { throw new Error("handler"); } });
      plain.send(payload(2)); // a 400: rejected, reported to the async handler
      await Promise.all([sink.close(), plain.close()]);
      await new Promise((r) => setTimeout(r, 20));
      expect(f.calls.length).toBe(1);
      expect(sink.deadLetters().map((d) => d.reason)).toEqual(["invalid_payload"]);
      expect(sink.stats().sent).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
