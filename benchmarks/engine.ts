/**
 * Real-time engine benchmark (not a test), on the seeded ~1M-line synthetic distributor (seed 1,
 * default options, 3 years ending 2026-10-31):
 *   1. baseline: the bare papaparse parse of its orders.csv (the bench:ingest stage (a) parse),
 *      and detectSignals at one as-of (the last day) on the Dataset in memory, as a ratio of it
 *      (target <= 0.5x);
 *   2. replay: an engine started with the first two years, then the last year ingested in daily
 *      batches with a tick every day; total time as a ratio of one batch detectSignals run
 *      (target < 10), for each --refit value (refitEvery); µs per ingested line;
 *   3. latency: with the full ~1M-line state, single orders (the lines of one order, re-keyed
 *      and dated the day after the clock) ingested one by one; p50 / p99 / max of the time from
 *      the ingest call to its return (every callback has run by then), over every order and
 *      over the orders that resolved a situation (a callback fired). Target p99 <= 5 ms.
 *
 * Usage: npm run bench:engine [-- --refit 7,42,56 --days 365 --orders 2000 --runs 3]
 */
import { parseArgs } from "node:util";
import { SYNTH_DIR, SYNTH_ORDERS, bareParse, ensureSyntheticDistributor, timeIt } from "./support.ts";
// the built package, as users run it (npm run bench:engine builds first)
import { createEngine, detectSignals, formatDay, fromRowsSync, generateSyntheticDistributor, parseDay, type OrderRow } from "../dist/index.js";

const { values } = parseArgs({ options: { refit: { type: "string" }, days: { type: "string" }, orders: { type: "string" }, runs: { type: "string" } } });
const REFITS = (values.refit ?? "7,42,56").split(",").map(Number);
const DAYS = Number(values.days ?? 365);
const ORDERS = Number(values.orders ?? 2000);
const RUNS = Number(values.runs ?? 3);
// the same directory as bench:ingest, bench:kpis and bench:patterns (default options, seed 1)
const dir = SYNTH_DIR;
const file = SYNTH_ORDERS;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}


async function main(): Promise<void> {
  await ensureSyntheticDistributor();
  const synth = generateSyntheticDistributor({ seed: 1 });
  const { orders, ...master } = synth;
  const end = parseDay(synth.truth.options.end, "end");
  const dayOf = (o: OrderRow): number => parseDay(String(o.order_date), "order_date");
  const { dataset } = fromRowsSync(synth);
  const lines = dataset.lines.length;
  console.log(`engine benchmark: ${lines.toLocaleString("en-US")} order lines, ${dataset.ids.customers.size.toLocaleString("en-US")} customers (seed 1), node ${process.version}`);

  // 1. baselines
  const papa = await timeIt(() => bareParse(file), RUNS);
  const detect = await timeIt(() => detectSignals(dataset, { asOf: end }), RUNS);
  const ms = (x: number): string => `${(x / 1000).toFixed(3).padStart(8)} s`;
  console.log(`${"bare papaparse parse of orders.csv (baseline)".padEnd(58)} ${ms(papa)}`);
  console.log(`${"detectSignals at one as-of (model fit + 9 detectors)".padEnd(58)} ${ms(detect)}  ${(detect / papa).toFixed(2)}x papaparse (target <= 0.5)`);

  // 2. replay of the last DAYS days in daily batches with daily ticks
  const start = end - DAYS;
  const before = orders.filter((o) => dayOf(o) <= start);
  const byDay = new Map<number, OrderRow[]>();
  for (const o of orders) {
    const d = dayOf(o);
    if (d <= start) continue;
    let a = byDay.get(d);
    if (a === undefined) byDay.set(d, (a = []));
    a.push(o);
  }
  const replayed = orders.length - before.length;
  const initial = fromRowsSync({ ...master, orders: before }).dataset;
  for (const refitEvery of REFITS) {
    let events = 0;
    const engine = createEngine({ dataset: initial, options: { refitEvery }, onSignal: () => void events++ });
    let ingestMs = 0, tickMs = 0, watchMs = 0, watchTicks = 0, watchOpened = 0, earlier = 0, lastDetected = start;
    const openedByType = new Map<string, number>();
    const t0 = performance.now();
    for (let d = start + 1; d <= end; d++) {
      const t = performance.now();
      engine.ingest(byDay.get(d) ?? []);
      const t1 = performance.now();
      const u = engine.tick(d);
      const t2 = performance.now();
      ingestMs += t1 - t;
      tickMs += t2 - t1;
      if (u.detected) lastDetected = d;
      else {
        watchMs += t2 - t1;
        watchTicks++;
        for (const e of u.events) {
          if (e.event.kind !== "opened" && e.event.kind !== "reopened") continue;
          watchOpened++;
          openedByType.set(e.signal.type, (openedByType.get(e.signal.type) ?? 0) + 1);
          earlier += lastDetected + refitEvery - d; // days before the next full detection
        }
      }
    }
    const total = performance.now() - t0;
    const st = engine.stats();
    console.log(
      `replay ${DAYS} days, refitEvery ${String(refitEvery).padStart(2)}: ${ms(total)} = ${(total / detect).toFixed(1)} detectSignals runs (target < 10); ` +
        `ingest ${(ingestMs * 1000 / replayed).toFixed(2)} µs/line (${replayed.toLocaleString("en-US")} lines), ticks ${ms(tickMs)}, ` +
        `${st.detections} detections, ${st.materializations} datasets built, ${events} events; ` +
        `${watchTicks} ticks between detections (overdue, item_dropped and frequency_drop cases asked): ${(watchMs / Math.max(1, watchTicks)).toFixed(2)} ms each, ${watchOpened} situations opened by them (${[...openedByType].sort().map(([t, n]) => `${t} ${n}`).join(", ")}), ${(earlier / Math.max(1, watchOpened)).toFixed(1)} days before the next detection on average`,
    );
  }

  // 3. single-order latency on the full state
  let fired = 0;
  const engine = createEngine({ dataset, onSignal: () => void fired++ });
  engine.tick(end);
  // first, one order from each customer with an open absence situation (its purchase resolves it: a
  // callback fires), the product of the situation when there is one; then recent orders re-dated
  const lastLines = new Map<string, OrderRow[]>();
  for (const o of orders) {
    const c = String(o.customer_id);
    const prev = lastLines.get(c);
    if (prev === undefined || String(prev[0]!.order_id) !== String(o.order_id)) lastLines.set(c, [o]);
    else prev.push(o);
  }
  const firing: OrderRow[][] = [];
  for (const t of engine.signals()) {
    const s = t.signal;
    if ((s.type !== "customer_overdue" && s.type !== "item_dropped") || s.customerId === undefined) continue;
    const template = lastLines.get(s.customerId);
    if (template === undefined) continue;
    firing.push(s.productId === undefined ? template : [{ ...template[0]!, product_id: s.productId }]);
  }
  const recent = new Map<string, OrderRow[]>();
  for (const o of orders) {
    if (dayOf(o) <= end - 30) continue;
    const k = String(o.order_id);
    let a = recent.get(k);
    if (a === undefined) recent.set(k, (a = []));
    a.push(o);
  }
  const picked = [...firing, ...recent.values()].slice(0, ORDERS);
  const all: number[] = [], withCallback: number[] = [];
  const next = formatDay(end + 1);
  let lineCount = 0;
  picked.forEach((lines, k) => {
    // new ERP order numbers, after the existing ones
    const order = lines.map((l) => ({ ...l, order_id: `SO9${String(k).padStart(6, "0")}`, order_date: next }));
    lineCount += order.length;
    const f = fired;
    const t = performance.now();
    engine.ingest(order);
    const dt = performance.now() - t;
    all.push(dt);
    if (fired > f) withCallback.push(dt);
  });
  const show = (xs: number[]): string => xs.length === 0 ? "none" : `p50 ${quantile(xs, 0.5).toFixed(3)} ms, p99 ${quantile(xs, 0.99).toFixed(3)} ms, max ${Math.max(...xs).toFixed(3)} ms (${xs.length} orders)`;
  console.log(`single-order latency, ${engine.stats().lines.toLocaleString("en-US")}-line state: all orders ${show(all)}; orders that fired a callback ${show(withCallback)} (target p99 <= 5 ms)`);
  const t = performance.now();
  engine.dataset();
  const t1 = performance.now();
  engine.kpis();
  const t2 = performance.now();
  engine.detect();
  console.log(`after them (${picked.length} orders, ${lineCount} lines): engine.dataset() ${ms(t1 - t)} (incremental: ${engine.stats().fullRebuilds} full rebuilds in this engine's life), kpis() ${(t2 - t1).toFixed(3)} ms, tick with a full detection ${ms(performance.now() - t2)}`);
}

await main();
