// A small CRM-side host for the real-time engine, on node:http only.
//
//   POST /orders   JSON array of order rows (the data contract's orders.csv columns) -> engine.ingest
//   POST /tick     {"date":"YYYY-MM-DD"} -> engine.tick (detection when due), waits for the webhooks
//   POST /webhook  the engine's alerts, as the webhook sink sends them: signature checked, then printed
//   GET  /signals  the open situations;  GET /kpis  this month's live totals
//
// The webhook sink points at this server's own /webhook route; in a real CRM the receiving end is
// a different service (set WEBHOOK_URL), with the same signature check.
//
//   npm run build
//   node examples/crm-webhook/server.mjs --demo     # self-contained: serve, post, tick, print, exit 0
//   node examples/crm-webhook/server.mjs --port 8787  # keep serving; post your own rows (README.md)
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { createEngine, fromRowsSync, generateSyntheticDistributor } from "orderpulse";
import { createWebhookSink, verifyWebhookSignature } from "orderpulse/node";

const MAX_BODY = 64 * 1024 * 1024;

/** Read a request body as raw bytes (the signature is over these bytes, not re-serialized JSON). */
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw Object.assign(new Error("body too large"), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(res, status, value) {
  const body = value === undefined ? "" : JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body);
}

/** Events as the host would log them: what happened to which situation. */
function describeEvents(events) {
  return events.map(({ signal, event }) => ({ kind: event.kind, id: signal.id, alert: event.alert, ...(event.resolution ? { resolution: event.resolution } : {}) }));
}

/**
 * Start the host.
 * @param {object} options
 * @param {number} [options.port] - 0 (default) picks a free port
 * @param {string} options.secret - the webhook signing secret shared by sink and receiver
 * @param {import("orderpulse").Dataset} [options.dataset] - start data (master data and/or history)
 * @param {(line: string) => void} [options.log] - where the host prints (default console.log)
 * @param {string} [options.webhookUrl] - where alerts go (default: this server's /webhook)
 */
export async function startCrmHost({ port = 0, secret, dataset, log = console.log, webhookUrl }) {
  const seen = new Set(); // Idempotency-Key of every alert received: deliveries are at least once
  const alerts = [];
  let engine;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (req.method === "POST" && url.pathname === "/webhook") {
        const raw = await readBody(req);
        if (!verifyWebhookSignature(secret, req.headers["x-orderpulse-signature"], raw)) {
          log("webhook: rejected a request with a bad signature (401)");
          return send(res, 401, { error: "bad signature" });
        }
        // the key from the verified body (what the sink sends as Idempotency-Key: id@asOf), not from
        // the header, which the signature does not cover (a captured request re-sent with another
        // key, or alerts without the header, which all shared the key "")
        const signal = JSON.parse(raw.toString("utf8"));
        if (typeof signal !== "object" || signal === null || typeof signal.id !== "string" || typeof signal.asOf !== "string") return send(res, 400, { error: "expected a signal" });
        const key = `${signal.id}@${signal.asOf}`;
        if (!seen.has(key)) {
          seen.add(key);
          alerts.push(signal);
          const about = signal.customerId ?? (signal.segment !== undefined ? `segment ${signal.segment}` : (signal.kpi ?? signal.stage ?? ""));
          log(`ALERT to ${signal.repId ?? "(no rep)"}: ${signal.type} ${about}: ${signal.message}`);
        }
        return send(res, 204);
      }
      if (req.method === "POST" && url.pathname === "/orders") {
        const rows = JSON.parse((await readBody(req)).toString("utf8"));
        if (!Array.isArray(rows)) return send(res, 400, { error: "expected a JSON array of order rows" });
        const update = engine.ingest(rows);
        return send(res, 200, {
          added: update.added,
          replaced: update.replaced,
          rejected: update.report?.rejected ?? 0,
          rejectedRows: update.report?.rejectedRows.slice(0, 10) ?? [],
          events: describeEvents(update.events),
        });
      }
      if (req.method === "POST" && url.pathname === "/tick") {
        const body = JSON.parse((await readBody(req)).toString("utf8"));
        if (typeof body !== "object" || body === null || Array.isArray(body)) return send(res, 400, { error: 'expected {"date":"YYYY-MM-DD"}' });
        const { date } = body;
        const update = engine.tick(date);
        await engine.flush(); // answer once every alert of this tick was delivered (or dead-lettered)
        return send(res, 200, { clock: engine.clock(), detected: update.detected, events: describeEvents(update.events) });
      }
      if (req.method === "GET" && url.pathname === "/signals") {
        return send(res, 200, engine.signals().map((t) => ({ id: t.id, status: t.status, message: t.signal.message })));
      }
      if (req.method === "GET" && url.pathname === "/kpis") return send(res, 200, engine.kpis());
      return send(res, 404, { error: "not found" });
    } catch (err) {
      // OrderpulseError (a bad date, bad options) and JSON syntax errors are the client's fault
      const status = err?.status ?? (err instanceof SyntaxError || err?.code === "INVALID_OPTION" ? 400 : 500);
      return send(res, status, { error: String(err?.message ?? err) });
    }
  });

  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${address.port}`;

  const webhook = createWebhookSink({
    url: webhookUrl ?? `${base}/webhook`,
    secret,
    concurrency: 1, // one at a time: alerts arrive in the order the engine emitted them
    maxAttempts: 3,
    backoff: { baseMs: 100, maxMs: 1000 },
    // the receiver here is this host itself, so it may see names: the message goes too (by
    // default a payload carries ids, not names; a CRM renders its own text from signal.reason).
    // An external receiver (WEBHOOK_URL) gets ids only
    includeMessage: webhookUrl === undefined,
    onError: (f) => log(`webhook sink: ${f.kind} ${f.payload.id}: ${f.message}`),
  });
  engine = createEngine({
    dataset,
    options: { refitEvery: 7 },
    sinks: [webhook],
  });

  return {
    base,
    engine,
    webhook,
    alerts,
    async close() {
      await engine.close(); // flushes and closes the webhook sink
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function postJson(url, value) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(value) });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
}

/** The self-contained demo: a seeded synthetic distributor plays the ERP. */
async function demo() {
  const synth = generateSyntheticDistributor({ seed: 3, customers: 40, products: 60, years: 2 });
  // The engine takes order lines; master data (names, segments, account owners) come from the
  // start dataset: here the synthetic master data without any order.
  const { dataset } = fromRowsSync({ orders: [], customers: synth.customers, products: synth.products, reps: synth.reps });
  const host = await startCrmHost({ secret: "whsec_demo_only", dataset });
  console.log(`host listening on ${host.base}`);

  const cut = "2026-09-30";
  const history = synth.orders.filter((o) => o.order_date <= cut);
  const recent = synth.orders.filter((o) => o.order_date > cut);

  let r = await postJson(`${host.base}/orders`, history);
  console.log(`POST /orders history: ${r.body.added} lines added, ${r.body.rejected} rejected`);
  r = await postJson(`${host.base}/tick`, { date: cut });
  console.log(`POST /tick ${cut}: detection ${r.body.detected}, ${r.body.events.length} events`);

  // October arrives week by week
  let from = cut;
  for (const day of ["2026-10-07", "2026-10-14", "2026-10-21", "2026-10-28"]) {
    const batch = recent.filter((o) => o.order_date > from && o.order_date <= day);
    from = day;
    r = await postJson(`${host.base}/orders`, batch);
    console.log(`POST /orders ${day}: ${r.body.added} lines added, ${r.body.rejected} rejected`);
    r = await postJson(`${host.base}/tick`, { date: day });
    const kinds = r.body.events.map((e) => e.kind);
    console.log(`POST /tick ${day}: detection ${r.body.detected}, opened ${kinds.filter((k) => k === "opened").length}, resolved ${kinds.filter((k) => k === "resolved").length}`);
  }

  // A customer the engine flagged as overdue orders again: the situation resolves at once.
  const overdue = host.engine.signals({ type: "customer_overdue" })[0];
  if (overdue !== undefined) {
    const line = { order_id: "CRM-1", line_id: 1, order_date: "2026-10-30", customer_id: overdue.signal.customerId, product_id: synth.products[0].product_id, quantity: 3, unit_price: 9.5 };
    r = await postJson(`${host.base}/orders`, [line]);
    for (const e of r.body.events) console.log(`POST /orders CRM-1: ${e.kind} ${e.id}${e.resolution ? ` (${e.resolution})` : ""}`);
  }

  // A request without the right signature is refused (a current timestamp: the signature itself is checked).
  const now = Math.floor(Date.now() / 1000);
  const forged = await fetch(`${host.base}/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-orderpulse-signature": `t=${now},v1=${"0".repeat(64)}` },
    body: JSON.stringify({ id: "forged", type: "customer_overdue", asOf: "2026-10-30", message: "pay here" }),
  });
  console.log(`forged webhook answered ${forged.status}`);
  // An alert already received, re-sent correctly signed under another Idempotency-Key (a captured
  // request replayed): the host keys on the signed body's id@asOf, so it is not printed again.
  const first = host.alerts[0];
  if (first !== undefined) {
    const body = JSON.stringify(first);
    const mac = createHmac("sha256", "whsec_demo_only").update(`${now}.${body}`).digest("hex");
    const replay = await fetch(`${host.base}/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-orderpulse-signature": `t=${now},v1=${mac}`, "idempotency-key": "another-key" }, body });
    console.log(`replayed alert answered ${replay.status}; alerts received still ${host.alerts.length}`);
  }

  const open = await (await fetch(`${host.base}/signals`)).json();
  console.log(`alerts received: ${host.alerts.length}; open situations: ${open.length}; webhook sink: ${JSON.stringify(host.webhook.stats())}`);
  await host.close();
  if (host.alerts.length === 0 || forged.status !== 401 || host.webhook.stats().deadLetters > 0) process.exitCode = 1;
}

function arg(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv.includes("--demo")) {
    await demo();
  } else {
    const secret = process.env.ORDERPULSE_WEBHOOK_SECRET ?? "whsec_change_me";
    const host = await startCrmHost({ port: Number(arg("--port") ?? 8787), secret, webhookUrl: process.env.WEBHOOK_URL });
    console.log(`host listening on ${host.base} (POST /orders, POST /tick, GET /signals, GET /kpis); Ctrl-C stops`);
    process.on("SIGINT", () => void host.close().then(() => process.exit(0)));
  }
}
