import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { computeKpis } from "../kpi/compute-kpis.ts";
import { grossProfit } from "../kpi/gross-profit.ts";
import { asOfView } from "../data/as-of-view.ts";
import { datasetFromBytes } from "../data/dataset-from-bytes.ts";
import { datasetToBytes } from "../data/dataset-to-bytes.ts";
import { formatDay } from "../data/format-day.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { parseDay } from "../data/parse-day.ts";
import type { OrderRow, RowSource } from "../data/rows.ts";
import { detectSignals } from "../signals/detect-signals.ts";
import type { Signal } from "../signals/types.ts";
import { createWebhookSink } from "../node/create-webhook-sink.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { createEngine } from "./create-engine.ts";
import type { EngineUpdate, SignalEvent } from "./types.ts";
import { signalOf } from "../../test/support/signal-of.ts";

/** A customer who ordered every Monday of 2026 until 2026-10-05 (overdue by November). */
function weekly(customer = "C1", weeks = 40): OrderRow[] {
  const orders: OrderRow[] = [];
  for (let w = 0; w < weeks; w++) {
    const order_date = formatDay(parseDay("2026-01-05", "d") + 7 * w);
    orders.push({ order_id: `${customer}-O${w}`, line_id: 1, order_date, customer_id: customer, product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2, rep_id: "R1" });
  }
  return orders;
}

function recorder(): { seen: string[]; onSignal: (s: Signal, e: SignalEvent) => void } {
  const seen: string[] = [];
  return { seen, onSignal: (s, e) => void seen.push(`${e.kind}${e.alert ? "!" : ""} ${s.id}`) };
}

const synthCache = new Map<number, ReturnType<typeof generateSyntheticDistributor>>();
function synth(seed: number): ReturnType<typeof generateSyntheticDistributor> {
  let s = synthCache.get(seed);
  if (s === undefined) synthCache.set(seed, (s = generateSyntheticDistributor({ seed, customers: 40, products: 60, years: 2 })));
  return s;
}

describe("createEngine: callbacks that are async or call the engine back", () => {
  it("an async onSignal or sink.send that rejects is a counted callback error, never an unhandled rejection", async () => {
    const { dataset } = fromRowsSync({ orders: weekly() });
    const engine = createEngine({
      dataset,
      options: { types: ["customer_overdue"] },
      onSignal: async () => Promise.reject(new Error("host's CRM is down")),
      sinks: [{ send: (() => Promise.reject(new Error("queue full"))) as (s: Signal) => void }],
    });
    engine.tick("2026-11-09");
    await new Promise((r) => setTimeout(r, 0));
    expect(engine.stats().callbackErrors).toBe(2);
    // an async routing function: its promise is no list of sinks (one error), its rejection caught
    const routed = createEngine({ dataset, options: { types: ["customer_overdue"] }, sinks: (async () => Promise.reject(new Error("no route"))) as never });
    routed.tick("2026-11-09");
    await new Promise((r) => setTimeout(r, 0));
    expect(routed.stats().callbackErrors).toBe(1);
  });

  it("an ingest from inside onSignal that ends another open situation: its stale opened event and alert are dropped", () => {
    const { dataset } = fromRowsSync({ orders: [...weekly("C1"), ...weekly("C2")] });
    const seen: string[] = [];
    const sent: string[] = [];
    let once = false;
    const engine = createEngine({
      dataset,
      options: { types: ["customer_overdue"] },
      sinks: [{ send: (s) => void sent.push(s.id) }],
      onSignal: (s, e) => {
        seen.push(`${e.kind}(${e.status}) ${s.id}`);
        if (s.customerId === "C1" && !once) {
          once = true; // the host pulls the ERP's latest orders: C2 ordered today
          engine.ingest([{ order_id: "N2", line_id: 1, order_date: "2026-11-09", customer_id: "C2", product_id: "P", quantity: 4, unit_price: 3 }]);
        }
      },
    });
    const u = engine.tick("2026-11-09");
    expect(seen).toEqual(["opened(open) customer_overdue:C1:2026-10-05", "resolved(resolved) customer_overdue:C2:2026-10-05"]);
    expect(sent).toEqual(["customer_overdue:C1:2026-10-05"]);
    expect(u.events.map((p) => p.signal.id)).toEqual(["customer_overdue:C1:2026-10-05"]);
    expect(engine.signals({ status: "all" }).map((t) => `${t.id} ${t.status}`)).toEqual(["customer_overdue:C1:2026-10-05 open", "customer_overdue:C2:2026-10-05 resolved"]);
  });

  it("forget() from inside onSignal: nothing more about the customer leaves the engine (its alert included)", () => {
    const { dataset } = fromRowsSync({ orders: weekly("C1") });
    const seen: string[] = [];
    const sent: string[] = [];
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"] }, sinks: [{ send: (s) => void sent.push(s.id) }], onSignal: (s) => void (seen.push(s.id), engine.forget("C1")) });
    const u = engine.tick("2026-11-09");
    expect(seen).toEqual(["customer_overdue:C1:2026-10-05"]); // told before the erasure
    expect(sent).toEqual([]);
    expect(u.events.map((p) => p.signal.id)).toEqual(["customer_overdue:C1:2026-10-05"]); // the one told
  });

  describe("an async ingest while the host calls the engine between its batches", () => {
    const filler = (n: number): OrderRow => ({ order_id: `FILL${n}`, line_id: 1, order_date: "2026-11-09", customer_id: "F", product_id: "P", quantity: 1, unit_price: 3, unit_cost: 2 });
    const A: OrderRow = { order_id: "A", line_id: 1, order_date: "2026-11-09", customer_id: "F", product_id: "P", quantity: 1, unit_price: 3, unit_cost: 2 };
    const B: OrderRow = { order_id: "B", line_id: 1, order_date: "2026-11-09", customer_id: "F", product_id: "P", quantity: 2, unit_price: 3, unit_cost: 2 };
    /** Two batches (10,000 rows, then the rest); `between` runs after the first is stored. */
    async function run(second: OrderRow[], between: (engine: ReturnType<typeof createEngine>) => void): Promise<{ seen: string[]; update: EngineUpdate; engine: ReturnType<typeof createEngine> }> {
      const { dataset } = fromRowsSync({ orders: [...weekly("C1"), ...weekly("F")] });
      const seen: string[] = [];
      const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1 }, onSignal: (s, e) => void seen.push(`${e.kind}(${e.status}) ${s.id}`) });
      engine.tick("2026-11-09");
      seen.length = 0;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let firstDone!: () => void;
      const first = new Promise<void>((r) => (firstDone = r));
      async function* source(): AsyncGenerator<OrderRow> {
        yield { order_id: "N1", line_id: 1, order_date: "2026-11-09", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3, unit_cost: 2 };
        yield A;
        for (let i = 0; i < 9998; i++) yield filler(i);
        firstDone();
        await gate;
        yield* second;
        yield filler(99_999);
      }
      const pending = engine.ingest(source());
      await first;
      await new Promise((r) => setTimeout(r, 0));
      between(engine);
      release();
      return { seen, update: await pending, engine };
    }

    it("a held-back event the host's calls superseded is dropped (C1's purchase removed and detected again: open, not resolved)", async () => {
      const { seen, update, engine } = await run([], (e) => {
        e.remove([{ order_id: "N1" }]);
        e.detect();
      });
      expect(seen).toEqual(["reopened(open) customer_overdue:C1:2026-10-05", "resolved(resolved) customer_overdue:F:2026-10-05"]);
      expect(update.events.map((p) => `${p.event.kind} ${p.signal.id}`)).toEqual(["resolved customer_overdue:F:2026-10-05"]);
      expect(engine.signals({ status: "all" }).map((t) => `${t.id} ${t.status}`)).toEqual(["customer_overdue:C1:2026-10-05 open", "customer_overdue:F:2026-10-05 resolved"]);
    });

    it("superseded, then newer again: a later batch's purchase after the host's reopening goes out once, after it (the first batch's resolved is dropped)", async () => {
      const again: OrderRow = { order_id: "N2", line_id: 1, order_date: "2026-11-09", customer_id: "C1", product_id: "P", quantity: 2, unit_price: 3, unit_cost: 2 };
      const { seen, update } = await run([again], (e) => {
        e.remove([{ order_id: "N1" }]);
        e.detect();
      });
      expect(seen).toEqual(["reopened(open) customer_overdue:C1:2026-10-05", "resolved(resolved) customer_overdue:C1:2026-10-05", "resolved(resolved) customer_overdue:F:2026-10-05"]);
      expect(update.events.map((p) => `${p.event.kind} ${p.signal.id}`)).toEqual(["resolved customer_overdue:C1:2026-10-05", "resolved customer_overdue:F:2026-10-05"]);
    });

    it("a key re-sent by a later batch after the host removed and re-stored lines (a reused slot) replaces stored data, not a repeat of its own input", async () => {
      const { update } = await run([B], (e) => {
        e.remove([{ order_id: "A" }]);
        e.ingest([B]);
      });
      expect([update.added, update.replaced, update.report?.replaced, update.report?.lines]).toEqual([10_001, 1, 0, 10_002]);
    });
  });
});

describe("createEngine: ingest, resolve, lifecycle", () => {
  it("ingest takes a RowSource<OrderRow> (the union fromRows takes; it type-checks): a sync one at once, an async one as a promise", async () => {
    const { dataset } = fromRowsSync({ orders: weekly() });
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"] } });
    const line = (n: number): OrderRow => ({ order_id: `U${n}`, line_id: 1, order_date: "2026-10-06", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 3 });
    const sync: RowSource<OrderRow> = [line(1)];
    const a = engine.ingest(sync);
    expect(a instanceof Promise).toBe(false);
    expect((a as EngineUpdate).added).toBe(1);
    async function* rows(): AsyncGenerator<OrderRow> {
      yield line(2);
    }
    const later: RowSource<OrderRow> = rows();
    expect((await engine.ingest(later)).added).toBe(1);
    expect(engine.stats().lines).toBe(dataset.lines.length + 2);
  });

  it("opens a situation on the tick, resolves it when the customer orders again, and ignores re-syncs", () => {
    const { dataset } = fromRowsSync({ orders: weekly() });
    const r = recorder();
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"] }, onSignal: r.onSignal });
    expect(engine.clock()).toBe("2026-10-05");
    engine.tick("2026-10-08"); // three days after a weekly order: nothing missed yet
    expect(r.seen).toEqual([]);
    const u = engine.tick("2026-11-09");
    expect(u.detected).toBe(true);
    expect(r.seen).toEqual(["opened! customer_overdue:C1:2026-10-05"]);
    const line = { order_id: "N1", line_id: 1, order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 };
    const a = engine.ingest([line]);
    expect([a.added, a.replaced]).toEqual([1, 0]);
    const b = engine.ingest([line]);
    expect([b.added, b.replaced, b.events.length]).toEqual([0, 1, 0]);
    expect(r.seen.slice(1)).toEqual(["resolved customer_overdue:C1:2026-10-05"]);
    expect(engine.signals()).toEqual([]);
    expect(engine.signals({ status: "resolved" }).map((t) => [t.resolution, t.resolvedAt])).toEqual([["ordered_again", "2026-11-09"]]);
    // the purchase is after the clock: a detection at the same clock does not bring the situation back
    engine.detect();
    expect(engine.signals()).toEqual([]);
    // the purchase is deleted: it comes back (within the cooldown: no new alert)
    engine.remove([{ order_id: "N1", line_id: 1 }]);
    engine.detect();
    expect(r.seen.at(-1)).toBe("reopened customer_overdue:C1:2026-10-05");
    expect(engine.signals().map((t) => t.status)).toEqual(["open"]);
  });

  it("a re-sync of a row without line_id replaces its line whether it came with the start dataset or was ingested", () => {
    // the start dataset's lines carry the product's cost and list price filled in; the re-synced row has none
    const row = { order_id: "O1", order_date: "2026-03-02", customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, rep_id: "R1" };
    const costed = { ...row, order_id: "O2", unit_cost: 2, list_price: 4 }; // its own cost and list price, the product's values
    const products = [{ product_id: "P", unit_cost: 2, list_price: 4 }];
    const { dataset } = fromRowsSync({ orders: [row, costed], products });
    for (const engine of [createEngine({ dataset }), createEngine({ dataset: fromRowsSync({ orders: [], products }).dataset })]) {
      if (engine.stats().lines === 0) engine.ingest([row, costed]);
      const u = engine.ingest([row, costed]);
      expect([u.added, u.replaced, engine.stats().lines, engine.kpis().revenue]).toEqual([0, 2, 2, 60]);
      // a row with another cost is another line, as in fromRowsSync
      const other = { ...row, unit_cost: 1 };
      expect(engine.ingest([other]).added).toBe(1);
      expect(datasetToBytes(engine.dataset())).toEqual(datasetToBytes(fromRowsSync({ orders: [row, costed, other], products }).dataset));
    }
  });

  it("a row re-sent with the cost (list price) its product gives it is the same row: one line in fromRowsSync, a live engine and a restored one (review 2026-12-07: two lines live, one after a restore, revenue 12 against 6)", () => {
    const row = { order_id: "O1", order_date: "2026-01-05", customer_id: "C1", product_id: "P9", quantity: 2, unit_price: 3 };
    const products = [{ product_id: "P9", unit_cost: 1, list_price: 4 }];
    const other = { ...row, order_id: "O0", product_id: "P0" };
    const pairs: [OrderRow, OrderRow][] = [[row, { ...row, unit_cost: 1 }], [{ ...row, unit_cost: 1 }, row], [row, { ...row, list_price: 4 }], [{ ...row, unit_cost: 1, list_price: 4 }, row]];
    for (const [first, second] of pairs) {
      const { dataset, report } = fromRowsSync({ orders: [first, second], products });
      expect([dataset.lines.length, report.tables.orders?.replaced]).toEqual([1, 1]);
      // live: the start dataset holds another order; the rows come in one after the other
      const start = fromRowsSync({ orders: [other], products }).dataset;
      const live = createEngine({ dataset: start });
      live.ingest([first]);
      const restored = createEngine({ dataset: datasetFromBytes(datasetToBytes(live.dataset())) });
      restored.restore(live.snapshot());
      const updates = [live, restored].map((e) => e.ingest([second]));
      expect(updates.map((u) => [u.added, u.replaced])).toEqual([[0, 1], [0, 1]]);
      for (const e of [live, restored]) {
        expect([e.dataset().lines.length, e.kpis("2026-01-05").revenue]).toEqual([2, 12]);
        expect(datasetToBytes(e.dataset())).toEqual(datasetToBytes(fromRowsSync({ orders: [other, first, second], products }).dataset));
      }
    }
    // a cost other than the product's is another row, and the lines come in fromRowsSync's order:
    // the missing cost sorts as the product's (self-review 2026-12-07: the engine put 1.5 first)
    expect(fromRowsSync({ orders: [row, { ...row, unit_cost: 1.5 }], products }).dataset.lines.length).toBe(2);
    for (const rows of [[row, { ...row, unit_cost: 1.5 }], [{ ...row, unit_cost: 0.5 }, row]]) {
      const live = createEngine({ dataset: fromRowsSync({ orders: [other], products }).dataset });
      for (const r of rows) live.ingest([r]);
      expect(datasetToBytes(live.dataset())).toEqual(datasetToBytes(fromRowsSync({ orders: [other, ...rows], products }).dataset));
    }
  });

  it("emits updated events when the evidence changes and resolves situations no longer detected", () => {
    const { dataset } = fromRowsSync({ orders: weekly() });
    const r = recorder();
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1 }, onSignal: r.onSignal });
    engine.tick("2026-11-09");
    engine.tick("2026-11-10");
    expect(r.seen).toEqual(["opened! customer_overdue:C1:2026-10-05", "updated customer_overdue:C1:2026-10-05"]);
    expect(signalOf(engine.signals()[0]?.signal, "customer_overdue").evidence.daysSinceLast).toBe(36);
    // a back-dated order (inside the clock) ends the silence: resolved at once, and the detection agrees
    engine.ingest([{ order_id: "late", order_date: "2026-11-02", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 3 }]);
    engine.tick("2026-11-10");
    expect(r.seen.slice(2)).toEqual(["resolved customer_overdue:C1:2026-10-05"]);
  });

  it("snooze, acknowledge, feedback and cooldown", () => {
    const orders = [...weekly("C1"), ...weekly("C2", 38)];
    const { dataset } = fromRowsSync({ orders });
    const r = recorder();
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1, cooldownDays: 200 }, onSignal: r.onSignal });
    engine.tick("2026-11-09");
    const ids = engine.signals().map((t) => t.id).sort();
    expect(ids).toEqual(["customer_overdue:C1:2026-10-05", "customer_overdue:C2:2026-09-21"]);
    expect(engine.snooze(ids[0]!, "2026-11-20").status).toBe("snoozed");
    expect(engine.acknowledge(ids[1]!).status).toBe("acknowledged");
    r.seen.length = 0;
    engine.tick("2026-11-12");
    expect(r.seen).toEqual(["updated customer_overdue:C2:2026-09-21"]); // snoozed: quiet; acknowledged: updates, no alert
    engine.tick("2026-11-20");
    // the detection runs first (quiet for the snoozed one), then the snooze ends: back with that day's evidence
    expect(r.seen.filter((x) => x.includes("C1"))).toEqual(["reopened! customer_overdue:C1:2026-10-05"]);
    // an ended snooze is an alert: the cooldown of its type and customer runs from it
    expect(Object.entries(engine.snapshot().cooldowns).filter(([k]) => k.includes("C1")).map(([, d]) => d)).toEqual(["2026-11-20"]);
    expect(signalOf(engine.signals({ customerId: "C1" })[0]?.signal, "customer_overdue").evidence.daysSinceLast).toBe(46);
    expect(engine.feedback(ids[0]!, "useful", "called them").verdict).toBe("useful");
    expect(engine.feedbackLog()).toEqual([{ id: ids[0], type: "customer_overdue", customerId: "C1", verdict: "useful", note: "called them", at: "2026-11-20" }]);
    // an acknowledged situation snoozed is a reminder: back (an alert) when the snooze ends
    expect(engine.snooze(ids[1]!, "2026-11-27").status).toBe("snoozed");
    r.seen.length = 0;
    engine.tick("2026-11-27");
    expect(r.seen.filter((x) => x.includes("C2"))).toEqual(["reopened! customer_overdue:C2:2026-09-21"]);
    expect(engine.signals({ customerId: "C2" })[0]!.status).toBe("open");
    // C1 orders weekly again for six weeks, then goes silent: a new situation (new id) inside the
    // cooldown of its type and customer is tracked but not alerted
    const back = weekly("C1", 6).map((o, w) => ({ ...o, order_id: `N${w}`, order_date: formatDay(parseDay("2026-11-23", "d") + 7 * w) }));
    engine.ingest(back);
    expect(engine.signals({ customerId: "C1", status: "resolved" }).map((t) => t.resolution)).toEqual(["ordered_again"]);
    r.seen.length = 0;
    engine.tick("2027-04-01");
    const c1 = engine.signals({ customerId: "C1" });
    expect(c1.map((t) => [t.id, t.alerted])).toEqual([["customer_overdue:C1:2026-12-28", false]]);
    expect(r.seen).toContain("opened customer_overdue:C1:2026-12-28");
    expectInvalid(() => engine.snooze("nope", "2027-02-01"), "id");
    expectInvalid(() => engine.snooze(c1[0]!.id, "2027-02-01"), "until");
    expectInvalid(() => engine.feedback(c1[0]!.id, "meh" as "useful"), "verdict");
    expectInvalid(() => engine.tick("2026-01-01"), "date");
    // the cooldown holds the alert back, it does not drop it (review 2026-12-06: such a situation was
    // never alerted, however long it stayed open): still open when the cooldown is over, 200 days
    // from the alert of 2026-11-20, it is alerted at that day's detection, once
    r.seen.length = 0;
    engine.tick("2027-06-07");
    expect(r.seen.filter((x) => x.includes("C1"))).toEqual(["updated customer_overdue:C1:2026-12-28"]);
    r.seen.length = 0;
    engine.tick("2027-06-08");
    expect(r.seen.filter((x) => x.includes("C1"))).toEqual(["updated! customer_overdue:C1:2026-12-28"]);
    expect(engine.signals({ customerId: "C1" }).map((t) => t.alerted)).toEqual([true]);
    expect(Object.entries(engine.snapshot().cooldowns).filter(([k]) => k.includes("C1")).map(([, d]) => d)).toEqual(["2027-06-08"]);
    r.seen.length = 0;
    engine.tick("2027-06-09");
    expect(r.seen.filter((x) => x.includes("C1"))).toEqual(["updated customer_overdue:C1:2026-12-28"]);
  });

  it("a cooldown that has run out is dropped at the next tick (the snapshot kept every family's last alert), alerts as before", () => {
    const { dataset } = fromRowsSync({ orders: [...weekly("C1"), ...weekly("C2", 38)] });
    const run = (days: readonly string[]): { seen: string[]; keys: number[] } => {
      const r = recorder();
      const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1, cooldownDays: 30 }, onSignal: r.onSignal });
      const keys: number[] = [];
      for (const d of days) {
        engine.tick(d);
        keys.push(Object.keys(engine.snapshot().cooldowns).length);
      }
      return { seen: r.seen, keys };
    };
    // both alerted on 2026-11-09: their cooldowns run to 2026-12-08 inclusive, dropped on 2026-12-09
    const { seen, keys } = run(["2026-11-09", "2026-12-08", "2026-12-09", "2027-03-01"]);
    expect(seen.filter((x) => x.includes("!"))).toEqual(["opened! customer_overdue:C1:2026-10-05", "opened! customer_overdue:C2:2026-09-21"]);
    expect(keys).toEqual([2, 2, 0, 0]);
    // the events are those of a run that ticks only the last day after the first
    expect(run(["2026-11-09", "2027-03-01"]).seen.filter((x) => x.includes("!"))).toEqual(seen.filter((x) => x.includes("!")));
  });

  it("keepResolvedDays: a resolved situation is forgotten that many days after it was resolved, unless a purchase ahead of the clock ended it", () => {
    const { dataset } = fromRowsSync({ orders: weekly("C1") });
    const order = (d: string): OrderRow => ({ order_id: `X-${d}`, line_id: 1, order_date: d, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2, rep_id: "R1" });
    const resolved = (e: ReturnType<typeof createEngine>): string[] => e.signals({ status: "resolved" }).map((t) => `${t.id} ${t.resolvedAt}`);
    // (cooldownDays 0: an alerted situation is also kept while its family's cooldown runs, and the
    // customer's new silence below is alerted on the day of the long tick; the test below has it)
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1, keepResolvedDays: 100, cooldownDays: 0 } });
    engine.tick("2026-11-09");
    expect(engine.signals().map((t) => t.id)).toEqual(["customer_overdue:C1:2026-10-05"]);
    engine.ingest([order("2026-11-09")]); // the customer is back: resolved on 2026-11-09
    expect(resolved(engine)).toEqual(["customer_overdue:C1:2026-10-05 2026-11-09"]);
    engine.tick("2027-02-16"); // 99 days later (the customer went silent again meanwhile: another id)
    expect(resolved(engine)).toEqual(["customer_overdue:C1:2026-10-05 2026-11-09"]);
    engine.tick("2027-02-17"); // 100 days
    expect(resolved(engine)).toEqual([]);
    expect(engine.snapshot().signals.map((t) => t.id)).not.toContain("customer_overdue:C1:2026-10-05");
    // the default keeps them a year
    const kept = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1, cooldownDays: 0 } });
    kept.tick("2026-11-09");
    kept.ingest([order("2026-11-09")]);
    kept.tick("2027-11-08");
    expect(resolved(kept)).toEqual(["customer_overdue:C1:2026-10-05 2026-11-09"]);
    kept.tick("2027-11-09");
    expect(resolved(kept)).toEqual([]);
    // a purchase dated ahead of the clock ended it: kept while that purchase is ahead (a detection
    // at the clock still finds the silence), then forgotten
    const ahead = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1, keepResolvedDays: 0, cooldownDays: 0 } });
    ahead.tick("2026-11-09");
    ahead.ingest([order("2026-11-20")]);
    ahead.tick("2026-11-12");
    expect(resolved(ahead)).toEqual(["customer_overdue:C1:2026-10-05 2026-11-09"]);
    ahead.tick("2026-11-20");
    expect(resolved(ahead)).toEqual([]);
    expectInvalid(() => createEngine({ options: { keepResolvedDays: -1 } }), "keepResolvedDays");
    expectInvalid(() => createEngine({ options: { keepResolvedDays: 1.5 } }), "keepResolvedDays");
  });

  it("keepResolvedDays forgets after the tick's events are told, keeps at least cooldownDays, and forget erases the feedback of a forgotten situation (review 2026-12-06)", () => {
    // (1) a situation resolved by a tick's detection is told, then forgotten
    const { dataset } = fromRowsSync({ orders: weekly("C1") });
    const r = recorder();
    const e = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1, keepResolvedDays: 0, cooldownDays: 0 }, onSignal: r.onSignal });
    e.tick("2026-11-09");
    e.remove([{ order_id: "C1-O39" }]); // its last order deleted: the old id is no longer detected
    const u = e.tick("2026-11-10");
    expect(u.events.map((p) => `${p.event.kind} ${p.signal.id}`)).toContain("resolved customer_overdue:C1:2026-10-05");
    expect(r.seen).toContain("resolved customer_overdue:C1:2026-10-05");
    expect(e.signals({ status: "resolved" })).toEqual([]);
    // (2) with a cooldown longer than keepResolvedDays the record stays through the cooldown
    const k = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1, keepResolvedDays: 0, cooldownDays: 30 } });
    k.tick("2026-11-09");
    k.feedback("customer_overdue:C1:2026-10-05", "useful", "called Mrs X at C1");
    k.ingest([{ order_id: "back", line_id: 1, order_date: "2026-11-09", customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2, rep_id: "R1" }]);
    k.tick("2026-12-08"); // 29 days after it resolved
    expect(k.signals({ status: "resolved" }).map((t) => t.id)).toEqual(["customer_overdue:C1:2026-10-05"]);
    k.tick("2026-12-09");
    expect(k.signals({ status: "resolved" })).toEqual([]);
    // (3) its feedback names the customer, so forget erases it after the situation is gone
    expect(k.feedbackLog()).toEqual([{ id: "customer_overdue:C1:2026-10-05", type: "customer_overdue", customerId: "C1", verdict: "useful", note: "called Mrs X at C1", at: "2026-11-09" }]);
    k.forget("C1");
    expect(k.feedbackLog()).toEqual([]);
    expect(k.snapshot().feedback).toEqual([]);
    // (4) a snapshot from before feedback named its customer: restore names it from its situation
    const o = { types: ["customer_overdue" as const], refitEvery: 1, keepResolvedDays: 0, cooldownDays: 0 };
    const a = createEngine({ dataset, options: o });
    a.tick("2026-11-09");
    a.feedback("customer_overdue:C1:2026-10-05", "not_useful", "Mrs X at C1 is on leave");
    const old = JSON.parse(JSON.stringify(a.snapshot()));
    for (const f of old.feedback) delete f.customerId;
    const b = createEngine({ dataset, options: o });
    b.restore(old);
    expect(b.feedbackLog().map((f) => f.customerId)).toEqual(["C1"]);
    b.ingest([{ order_id: "back", line_id: 1, order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2, rep_id: "R1" }]);
    b.tick("2026-11-11");
    expect(b.signals({ status: "resolved" })).toEqual([]); // forgotten
    b.forget("C1");
    expect(b.feedbackLog()).toEqual([]);
  });

  it("a situation held back by the cooldown is not alerted when it ends if the rep acknowledged it", () => {
    const orders = [...weekly("C1")];
    const r = recorder();
    const engine = createEngine({ dataset: fromRowsSync({ orders }).dataset, options: { types: ["customer_overdue"], refitEvery: 1, cooldownDays: 70 }, onSignal: r.onSignal });
    engine.tick("2026-11-09");
    engine.ingest([{ order_id: "N1", order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 }]);
    engine.tick("2027-01-15"); // silent again after one order: flagged 67 days after the first alert
    const held = engine.signals().find((t) => t.id === "customer_overdue:C1:2026-11-10")!;
    expect(held.alerted).toBe(false);
    engine.acknowledge(held.id);
    r.seen.length = 0;
    engine.tick("2027-01-22");
    expect(r.seen).toEqual(["updated customer_overdue:C1:2026-11-10"]);
    // unacknowledged, the same situation is alerted that day (the cooldown ran out on 2027-01-18)
    const again = createEngine({ dataset: fromRowsSync({ orders }).dataset, options: { types: ["customer_overdue"], refitEvery: 1, cooldownDays: 70 }, onSignal: r.onSignal });
    again.tick("2026-11-09");
    again.ingest([{ order_id: "N1", order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 }]);
    again.tick("2027-01-15");
    r.seen.length = 0;
    again.tick("2027-01-22");
    expect(r.seen).toEqual(["updated! customer_overdue:C1:2026-11-10"]);
  });

  it("a snooze ending on a detection tick comes back only if the situation is still detected", () => {
    const { dataset } = fromRowsSync({ orders: weekly() });
    const r = recorder();
    const sent: string[] = [];
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"] }, onSignal: r.onSignal, sinks: [{ send: (s) => void sent.push(s.id) }] });
    engine.tick("2026-11-09");
    const id = "customer_overdue:C1:2026-10-05";
    engine.snooze(id, "2026-11-20");
    engine.remove([{ order_id: "C1-O39" }]); // the 2026-10-05 order is cancelled: the situation is now another one
    const u = engine.tick("2026-11-20");
    expect(u.detected).toBe(true);
    // no reopen (nor alert) for the situation the detection no longer finds; the new one is in the cooldown
    expect(r.seen).toEqual([`opened! ${id}`, `resolved ${id}`, "opened customer_overdue:C1:2026-09-28"]);
    expect(sent).toEqual([id]);
    expect(Object.fromEntries(engine.signals({ status: "all" }).map((t) => [t.id, t.status]))).toEqual({ "customer_overdue:C1:2026-09-28": "open", [id]: "resolved" });
  });

  it("a throwing callback or sink never breaks ingestion; alerts reach the sinks routed by rep", async () => {
    const { dataset } = fromRowsSync({ orders: [...weekly("C1"), ...weekly("C2").map((o) => ({ ...o, rep_id: "R2" }))] });
    const got: Record<string, string[]> = { R1: [], R2: [] };
    const flushed: string[] = [], closed: string[] = [];
    const sink = (rep: string) => ({ send: (s: Signal) => void got[rep]!.push(s.id), flush: async () => void flushed.push(rep), close: async () => void closed.push(rep) });
    const sinks = { R1: sink("R1"), R2: sink("R2") };
    const bad = { send: () => { throw new Error("sink bug"); } };
    const engine = createEngine({
      dataset,
      options: { types: ["customer_overdue"] },
      onSignal: () => { throw new Error("host bug"); },
      sinks: (s) => [sinks[s.repId as "R1" | "R2"], bad],
    });
    engine.tick("2026-11-09");
    const u = engine.ingest([{ order_id: "N", order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 3 }]);
    expect(u.added).toBe(1);
    expect(got).toEqual({ R1: ["customer_overdue:C1:2026-10-05"], R2: ["customer_overdue:C2:2026-10-05"] });
    expect(engine.stats().callbackErrors).toBe(2 + 2 + 1); // two opens (callback + bad sink), one resolve (callback)
    // flush() and close() reach every sink the routing function returned (they reached none)
    await engine.flush();
    await engine.close();
    expect(flushed.sort()).toEqual(["R1", "R2"]);
    expect(closed.sort()).toEqual(["R1", "R2"]);
  });

  it("takes orderpulse/node's webhook sink as is: one POST per alert, the signal id and its day as idempotency key", async () => {
    const posted: { key: string | null; body: { id: string; repId?: string } }[] = [];
    const webhook = createWebhookSink<Signal>({
      url: "https://crm.example/hooks/orderpulse",
      secret: "s3cret-s3cret-s3cret",
      fetch: async (_url, init) => {
        posted.push({ key: new Headers(init.headers).get("Idempotency-Key"), body: JSON.parse(String(init.body)) });
        return new Response(null, { status: 204 });
      },
    });
    const { dataset } = fromRowsSync({ orders: weekly() });
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 1 }, sinks: [webhook] });
    engine.tick("2026-11-09");
    engine.tick("2026-11-10"); // updated, not an alert
    // snoozed, then still overdue when the snooze ends: a second alert of the same situation, which a
    // receiver deduplicating on Idempotency-Key must not drop as a retry (until 2026-12-06 it had
    // the first alert's key)
    engine.snooze("customer_overdue:C1:2026-10-05", "2026-11-20");
    engine.tick("2026-11-20");
    await engine.close();
    const id = "customer_overdue:C1:2026-10-05";
    expect(posted.map((p) => [p.key, p.body.id, p.body.repId])).toEqual([
      [`${id}@2026-11-09`, id, "R1"],
      [`${id}@2026-11-20`, id, "R1"],
    ]);
    expect(webhook.stats().sent).toBe(2);
  });

  it("a snooze that ends between full detections runs one, and is alerted with that day's signal and key, not the first alert's", async () => {
    const keys: (string | null)[] = [];
    const webhook = createWebhookSink<Signal>({
      url: "https://crm.example/hooks/orderpulse",
      secret: "s3cret-s3cret-s3cret",
      fetch: async (_url, init) => {
        keys.push(new Headers(init.headers).get("Idempotency-Key"));
        return new Response(null, { status: 204 });
      },
    });
    const { dataset } = fromRowsSync({ orders: weekly() });
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 7 }, sinks: [webhook] });
    engine.tick("2026-11-09");
    engine.snooze("customer_overdue:C1:2026-10-05", "2026-11-11");
    const r = engine.tick("2026-11-11"); // no detection due by refitEvery: the ending snooze asks for one
    expect(r.detected).toBe(true);
    const alert = r.events.find((e) => e.event.kind === "reopened")!;
    // this day's signal: its asOf, evidence and message agree (a rewritten asOf kept the first alert's silence)
    const fresh = detectSignals(dataset, { asOf: "2026-11-11", types: ["customer_overdue"] })[0]!;
    expect(alert.signal).toEqual(fresh);
    await engine.close();
    expect(keys).toEqual(["customer_overdue:C1:2026-10-05@2026-11-09", "customer_overdue:C1:2026-10-05@2026-11-11"]);
  });

  it("accepts async iterables and reports rejected rows", async () => {
    const engine = createEngine({});
    async function* rows(): AsyncGenerator<OrderRow> {
      yield* weekly();
      yield { order_id: "X", order_date: "not a date", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 1 };
    }
    const u = await engine.ingest(rows());
    expect([u.added, u.report?.rejected, u.report?.byReason]).toEqual([40, 1, { invalid_date: 1 }]);
    expect(engine.clock()).toBeUndefined();
    expectInvalid(() => engine.detect(), "date");
    engine.tick("2026-11-09");
    expect(engine.signals().some((t) => t.id === "customer_overdue:C1:2026-10-05")).toBe(true);
  });

  it("an async source in several batches reports as one array would", async () => {
    const rows: OrderRow[] = [];
    for (let i = 0; i < 10_005; i++) rows.push({ order_id: `O${i}`, line_id: 1, order_date: "2026-03-02", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 3 });
    rows[10_002] = { ...rows[10_002]!, unit_price: -1 }; // row 10,003 is invalid, in the second batch of 10,000
    async function* source(): AsyncGenerator<OrderRow> {
      yield* rows;
    }
    const a = await createEngine().ingest(source());
    const b = createEngine().ingest(rows);
    expect(a.report!.rejectedRows.map((r) => r.line)).toEqual([10_003]);
    expect(a.report!.tables.orders!.rowsRead).toBe(10_005);
    expect(a.customers).toBe(1);
    expect(a).toEqual(b);
    // keys repeated across batches: repeats within the input (the report's replaced), as in one
    // array, not replacements of stored lines (they were counted so, and the report's lines twice)
    const again = [...rows, ...rows.slice(0, 3000).map((r) => ({ ...r, quantity: 2 }))];
    async function* twice(): AsyncGenerator<OrderRow> {
      yield* again;
    }
    const c = await createEngine().ingest(twice());
    const d = createEngine().ingest(again);
    expect([d.replaced, d.report!.replaced, d.report!.lines]).toEqual([0, 3000, 10_004]);
    const counts = (u: typeof c) => [u.added, u.replaced, u.customers, u.report!.rowsRead, u.report!.accepted, u.report!.rejected, u.report!.replaced, u.report!.lines, u.report!.tables.orders!.replaced];
    expect(counts(c)).toEqual(counts(d));
    // line warnings count the lines kept, as the array's parse (summed over the batches they read 13,004)
    expect([c.report!.warnings, c.report!.tables.orders!.warnings]).toEqual([d.report!.warnings, d.report!.tables.orders!.warnings]);
    expect(d.report!.warnings.missing_cost).toBe(10_004);
    // return lines too (review 2026-12-06: 5 returns re-sent as purchases in a later batch still
    // read return_lines 5, and 5 returns re-sent as returns 10)
    const returns = rows.map((r, i) => (i < 10 ? { ...r, quantity: -1 } : r));
    for (const resend of [0, 5, 10]) {
      const mixed = [...returns, ...returns.slice(0, 10).map((r, i) => ({ ...r, quantity: i < resend ? -2 : 2 }))];
      async function* source2(): AsyncGenerator<OrderRow> {
        yield* mixed;
      }
      const e = await createEngine().ingest(source2());
      const f = createEngine().ingest(mixed);
      expect(f.report!.warnings.return_lines).toBe(resend === 0 ? undefined : resend);
      expect([e.report!.warnings, e.report!.tables.orders!.warnings]).toEqual([f.report!.warnings, f.report!.tables.orders!.warnings]);
    }
  });

  it("ingest reports unknown_customer / unknown_product / unknown_rep as fromRows with the engine's master tables does, each id once per call (review 2026-12-06: never reported)", async () => {
    const customers = [{ customer_id: "C1", rep_id: "R1" }], products = [{ product_id: "P" }], reps = [{ rep_id: "R1" }];
    const row = (o: string, c: string, p: string, r?: string): OrderRow => ({ order_id: o, line_id: 1, order_date: "2026-03-02", customer_id: c, product_id: p, quantity: 1, unit_price: 3, unit_cost: 1, list_price: 4, ...(r ? { rep_id: r } : {}) });
    const rows = [row("O1", "C1", "P"), row("O2", "CX", "P"), row("O3", "CX", "PX", "RX"), row("O4", "CY", "PX", "R1")];
    const start = fromRowsSync({ orders: [], customers, products, reps }).dataset;
    const expected = fromRowsSync({ orders: rows, customers, products, reps }).report.warnings;
    expect(expected).toEqual({ unknown_customer: 2, unknown_product: 1, unknown_rep: 1 });
    expect(createEngine({ dataset: start }).ingest(rows).report!.warnings).toEqual(expected);
    // an async call in two batches counts each id once, as one array does
    const many = [...rows, ...Array.from({ length: 10_000 }, (_, i) => row(`Q${i}`, "CX", "PX", "RX"))];
    async function* source(): AsyncGenerator<OrderRow> {
      yield* many;
    }
    const a = await createEngine({ dataset: start }).ingest(source());
    expect([a.report!.warnings, a.report!.tables.orders!.warnings]).toEqual([expected, expected]);
    // without master tables nothing is unknown
    expect(createEngine().ingest(rows).report!.warnings).toEqual({});
  });

  it("ingest reports missing_cost / missing_list_price as fromRows with the engine's products does: a line whose product gives them is not missing them", () => {
    const products = [{ product_id: "P", unit_cost: 60, list_price: 120 }, { product_id: "Q" }];
    const rows: OrderRow[] = [
      { order_id: "O1", line_id: 1, order_date: "2026-10-01", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 100 },
      { order_id: "O1", line_id: 2, order_date: "2026-10-01", customer_id: "C1", product_id: "Q", quantity: 1, unit_price: 100 },
    ];
    const u = createEngine({ dataset: fromRowsSync({ orders: [], products }).dataset }).ingest(rows);
    expect(u.report!.warnings).toEqual(fromRowsSync({ orders: rows, products }).report.warnings);
    expect(u.report!.warnings).toEqual({ missing_cost: 1, missing_list_price: 1 }); // Q's line only
  });

  it("an async source in several batches calls back grouped per customer over the whole call, as one array does (batch by batch before)", async () => {
    const { dataset } = fromRowsSync({ orders: [...weekly("C1"), ...weekly("C2")] });
    const buy = (c: string, id: string): OrderRow => ({ order_id: id, line_id: 1, order_date: "2026-11-09", customer_id: c, product_id: "P", quantity: 1, unit_price: 3 });
    // C2's purchase in the first batch of 10,000 rows, C1's in the second
    const rows = [buy("C2", "N2"), ...Array.from({ length: 9_999 }, (_, i) => buy("C3", `F${i}`)), buy("C1", "N1")];
    const run = async (async: boolean): Promise<{ seen: string[]; events: string[] }> => {
      const seen: string[] = [];
      const e = createEngine({ dataset, options: { types: ["customer_overdue"] }, onSignal: (sig, ev) => void seen.push(`${ev.kind} ${sig.id}`) });
      e.tick("2026-11-09");
      seen.length = 0;
      async function* source(): AsyncGenerator<OrderRow> {
        yield* rows;
      }
      const u = async ? await e.ingest(source()) : e.ingest(rows);
      return { seen, events: u.events.map((x) => `${x.event.kind} ${x.signal.id}`) };
    };
    const array = await run(false);
    expect(array.seen).toEqual(["resolved customer_overdue:C1:2026-10-05", "resolved customer_overdue:C2:2026-10-05"]);
    expect(array.events).toEqual(array.seen);
    expect(await run(true)).toEqual(array);
  });

  it("reads ingested datetimes in the dataset's time zone, and strict ingestion leaves the state untouched", () => {
    const { dataset } = fromRowsSync({ orders: weekly() }, { timeZone: "Asia/Jerusalem" });
    const engine = createEngine({ dataset });
    engine.ingest([{ order_id: "TZ", line_id: 1, order_date: "2026-11-01T23:30:00Z", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 2 }]);
    const ds = engine.dataset();
    const i = ds.ids.orders.indexOf("TZ");
    const day = ds.lines.day[Array.from(ds.lines.order).indexOf(i)]!;
    expect(formatDay(day)).toBe("2026-11-02");
    expect(ds.timeZone).toBe("Asia/Jerusalem");
    const strict = createEngine({ dataset, options: { ingest: { strict: true } } });
    expect(() => strict.ingest([...weekly("C9"), { order_id: "bad", order_date: "2026-13-45", customer_id: "C9", product_id: "P", quantity: 1, unit_price: 1 }])).toThrow(/order_date/);
    expect(strict.stats().lines).toBe(40);
  });

  it("keeps one currency across batches, as fromRows across rows: the first batch's, when neither the options nor a dataset set one", () => {
    const row = (id: string, currency: string, unit_price: number): OrderRow => ({ order_id: id, line_id: 1, order_date: "2026-10-01", customer_id: "C1", product_id: "P", quantity: 1, unit_price, currency });
    const engine = createEngine();
    engine.ingest([row("O1", "USD", 100)]);
    expect(engine.dataset().currency).toBe("USD");
    expect(() => engine.ingest([row("O2", "ILS", 370)])).toThrow(expect.objectContaining({ code: "MIXED_CURRENCIES" }));
    expect(() => fromRowsSync({ orders: [row("O1", "USD", 100), row("O2", "ILS", 370)] })).toThrow(expect.objectContaining({ code: "MIXED_CURRENCIES" }));
    expect([engine.stats().lines, engine.kpis("2026-10-01").revenue]).toEqual([1, 100]);
    engine.ingest([row("O3", "usd", 50)]); // the same currency, any case
    expect(engine.kpis("2026-10-01").revenue).toBe(150);
    // started from master data without a currency (the dataset rebuilt from the previous one, not
    // from scratch): the dataset carries the batch's currency, so an engine restarted from its
    // bytes refuses another (it had none and took EUR rows beside USD ones)
    const master = { customers: [{ customer_id: "C1" }], products: [{ product_id: "P", unit_cost: 60 }] };
    const fromMaster = createEngine({ dataset: fromRowsSync({ ...master, orders: [] }).dataset });
    fromMaster.ingest([row("O1", "USD", 100)]);
    expect(fromMaster.dataset().currency).toBe("USD");
    expect(datasetToBytes(fromMaster.dataset())).toEqual(datasetToBytes(fromRowsSync({ ...master, orders: [row("O1", "USD", 100)] }).dataset));
    const restarted = createEngine({ dataset: datasetFromBytes(datasetToBytes(fromMaster.dataset())) });
    expect(() => restarted.ingest([row("O2", "EUR", 100)])).toThrow(expect.objectContaining({ code: "MIXED_CURRENCIES" }));
  });

  it("kpis: the month's totals follow every line and match computeKpis", () => {
    const s = synth(1);
    const { orders, ...master } = s;
    const engine = createEngine({ dataset: fromRowsSync({ ...master, orders: orders.slice(0, 20000) }).dataset });
    engine.ingest(orders.slice(20000));
    engine.remove([{ order_id: String(orders.at(-1)!.order_id) }]);
    const k = engine.kpis();
    const ds = engine.dataset();
    const kpis = computeKpis(ds, { asOf: s.truth.options.end, period: "month", periods: 1, kpis: ["gross_profit", "order_frequency", "active_customers"] }).kpis;
    const row = kpis.gross_profit!.at(-1)! as unknown as { revenue: number; value: number; lines: number; period: string; start: string; end: string; linesWithoutCost: number };
    expect([k.period, k.start, k.end]).toEqual([row.period, row.start, row.end]);
    expect(k.revenue).toBeCloseTo(row.revenue, 6);
    expect(k.grossProfit).toBeCloseTo(row.value, 6);
    expect(k.lines).toBe(row.lines);
    expect(k.linesWithoutCost).toBe(row.linesWithoutCost);
    // orders and buyers through purchase lines only: a credit note is no order (computeKpis' rule)
    expect(k.orders).toBe((kpis.order_frequency!.at(-1)! as unknown as { numerator: number }).numerator);
    expect(k.activeCustomers).toBe(kpis.active_customers!.at(-1)!.value);
    const credit = (id: string, c: string, q: number): OrderRow => ({ order_id: id, line_id: 1, order_date: "2026-01-20", customer_id: c, product_id: "P", quantity: q, unit_price: 10 });
    const small = createEngine({ dataset: fromRowsSync({ orders: [credit("S1", "C1", 5), credit("S2", "C2", 5), credit("CN1", "C1", -2), credit("CN2", "C3", -1)] }).dataset });
    expect(small.kpis("2026-01-31")).toMatchObject({ orders: 2, activeCustomers: 2, lines: 4, revenue: 70 });
    // lines, none with a cost: gross profit not measured, as grossProfit's row reads it (review
    // 2026-12-06: it read 0); a month without lines: 0, as there
    const gpRows = grossProfit(small.dataset(), { asOf: "2026-02-28", period: "month", periods: 2 });
    expect(gpRows.map((r) => r.value)).toEqual([undefined, 0]);
    expect([small.kpis("2026-01-31").grossProfit, small.kpis("2026-02-10").grossProfit]).toEqual([undefined, 0]);
    small.ingest([{ ...credit("S3", "C1", 1), unit_cost: 4 }]);
    expect(small.kpis("2026-01-31").grossProfit).toBe(6);
    // a costed credit note outweighing the costed sales: no margin (it read +40 %: review 2026-12-07)
    small.ingest([{ ...credit("CN3", "C2", -5), unit_cost: 6 }]);
    expect(small.kpis("2026-01-31")).toMatchObject({ costedRevenue: -40, grossProfit: -14, margin: undefined });
    expect(engine.kpis("2020-01-15")).toMatchObject({ period: "2020-01", revenue: 0, lines: 0, margin: undefined });
    expect(engine.kpis("2024-02-10")).toMatchObject({ period: "2024-02", start: "2024-02-01", end: "2024-02-29" }); // a leap February
  });
  it("kpis: an engine without a clock or a line has no current month (review 2026-12-07: '1970-01: revenue 0')", () => {
    const empty = createEngine({});
    expect(() => empty.kpis()).toThrow(expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringMatching(/^kpis: the engine has no clock and no order line yet/) }));
    expect(empty.kpis("2026-03-10")).toMatchObject({ period: "2026-03", revenue: 0, lines: 0 });
    empty.tick("2026-04-02");
    expect(empty.kpis()).toMatchObject({ period: "2026-04", revenue: 0 });
  });

  it("kpis: by default the month of the later of the clock and the newest line still stored", () => {
    const row = (o: string, d: string): OrderRow => ({ order_id: o, line_id: 1, order_date: d, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3 });
    const engine = createEngine({ dataset: fromRowsSync({ orders: [row("A1", "2026-03-02"), row("A2", "2026-03-09")] }).dataset });
    engine.ingest([row("TYPO", "2027-03-09")]); // keyed with the wrong year...
    expect(engine.kpis()).toMatchObject({ period: "2027-03", revenue: 30 });
    engine.ingest([row("TYPO", "2026-04-09")]); // ...corrected by a re-sync
    expect(engine.kpis()).toMatchObject({ period: "2026-04", revenue: 30 });
    engine.remove([{ order_id: "TYPO" }]); // ...then deleted
    expect(engine.kpis()).toMatchObject({ period: "2026-03", revenue: 60 });
    engine.forget("C1");
    expect(engine.kpis()).toMatchObject({ period: "2026-03", revenue: 0 }); // the clock's month
  });
  it("kpis: a month whose sales and returns cancel is 0 (as computeKpis), not rounding noise with a margin", () => {
    const line = (o: string, d: string, q: number): OrderRow => ({ order_id: o, line_id: 1, order_date: d, customer_id: "C1", product_id: "P", quantity: q, unit_price: 1.1, unit_cost: 0.9 });
    const engine = createEngine({ dataset: fromRowsSync({ orders: [line("A", "2026-01-05", 7)] }).dataset });
    engine.ingest([1, 2, 3, 4, 5, 6, 7].map((k) => line(`R${k}`, `2026-01-${10 + k}`, -1)));
    expect(engine.kpis("2026-01-20")).toMatchObject({ revenue: 0, costedRevenue: 0, cost: 0, grossProfit: 0, margin: undefined, lines: 8 });
  });
});

describe("createEngine: ticks between full detections", () => {
  const days = (from: string, to: string): number[] => {
    const out: number[] = [];
    for (let d = parseDay(from, "from"); d <= parseDay(to, "to"); d++) out.push(d);
    return out;
  };

  it("flags an overdue customer on the day detectSignals first would, not at the next detection", () => {
    const { dataset } = fromRowsSync({ orders: weekly() });
    // hand check: a clockwork weekly buyer, last order Monday 2026-10-05; detectSignals first flags it
    // three weeks later (21 days, 3x the gap)
    const first = days("2026-10-06", "2026-11-30").find((d) => detectSignals(dataset, { asOf: d, types: ["customer_overdue"] }).length > 0)!;
    expect(formatDay(first)).toBe("2026-10-26");
    const opened: Signal[] = [];
    const r = recorder();
    const engine = createEngine({
      dataset,
      options: { types: ["customer_overdue"], refitEvery: 28, asOf: "2026-10-06" },
      onSignal: (s, e) => {
        r.onSignal(s, e);
        if (e.kind === "opened") opened.push(s);
      },
    });
    const detectedOn: string[] = [];
    for (const d of days("2026-10-06", "2026-11-30")) if (engine.tick(d).detected) detectedOn.push(formatDay(d));
    expect(detectedOn).toEqual(["2026-10-06", "2026-11-03"]); // full detections every 28 days
    expect(r.seen).toEqual(["opened! customer_overdue:C1:2026-10-05", "updated customer_overdue:C1:2026-10-05"]);
    // the signal asked from the 2026-10-06 detection's case equals detectSignals' at 2026-10-26
    expect(opened).toEqual(detectSignals(dataset, { asOf: first, types: ["customer_overdue"] }));
    expect(engine.signals()[0]).toMatchObject({ openedAt: "2026-10-26" });
  });

  it("a later delivery of the last order is no purchase after it: the tick flags the customer when detectSignals does", () => {
    // the weekly buyer's last order, Monday 2026-10-05, delivered in two parts: the second on the 7th
    const orders = [...weekly(), { ...weekly()[39]!, line_id: 2, order_date: "2026-10-07", product_id: "Q" }];
    const { dataset } = fromRowsSync({ orders });
    const first = days("2026-10-08", "2026-11-30").find((d) => detectSignals(dataset, { asOf: d, types: ["customer_overdue"] }).length > 0)!;
    expect(formatDay(first)).toBe("2026-10-26");
    const r = recorder();
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 28, asOf: "2026-10-08" }, onSignal: r.onSignal });
    for (const d of days("2026-10-08", "2026-11-04")) engine.tick(d);
    expect(r.seen[0]).toBe("opened! customer_overdue:C1:2026-10-05");
    expect(engine.signals()[0]).toMatchObject({ openedAt: "2026-10-26" });
    // the part ingested late (dated after the situation's last order) does not end it
    engine.ingest([{ ...orders[40]!, line_id: 3, product_id: "R" }]);
    expect(engine.signals()[0]).toMatchObject({ status: "open", openedAt: "2026-10-26" });
  });

  it("flags a dropped item at the tick after the order that makes it significant, as detectSignals would", () => {
    // BREAD every Monday of 2026 until 2026-10-05, OIL with it until 2026-07-27 (the detector's example)
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) {
      const order_date = formatDay(parseDay("2026-01-05", "d") + 7 * w);
      orders.push({ order_id: `O${w}`, line_id: 1, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
      if (w < 30) orders.push({ order_id: `O${w}`, line_id: 2, order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
    }
    const dayOf = (o: OrderRow): number => parseDay(String(o.order_date), "d");
    const F = parseDay("2026-07-13", "F"); // week 27: OIL still bought
    const full = fromRowsSync({ orders }).dataset;
    const first = days("2026-07-13", "2026-10-12").find((d) => detectSignals(full, { asOf: d, types: ["item_dropped"] }).length > 0)!;
    // hand check: missing from 3 orders (2026-08-03, 08-10, 08-17), P = B(29, 4) / B(29, 1) = 1/4,960
    expect(formatDay(first)).toBe("2026-08-17");
    const [expected] = detectSignals(full, { asOf: first, types: ["item_dropped"] });
    for (const upfront of [false, true]) {
      const start = fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset;
      const opened: { at: string; signal: Signal }[] = [];
      const engine = createEngine({ dataset: start, options: { types: ["item_dropped"], refitEvery: 100 }, onSignal: (s, e) => void (e.kind === "opened" && opened.push({ at: e.at, signal: s })) });
      // daily batches, or everything at once (lines dated after the clock wait for it)
      if (upfront) engine.ingest(orders.filter((o) => dayOf(o) > F));
      for (const d of days("2026-07-13", "2026-10-12")) {
        if (!upfront) engine.ingest(orders.filter((o) => dayOf(o) === d));
        engine.tick(d);
      }
      expect(engine.stats().detections).toBe(1); // the first tick's
      expect(opened.map((x) => x.at)).toEqual(["2026-08-17"]);
      // the same test: only the margin behind valueAtRisk is the detection day's
      const { valueAtRisk, message, ...rest } = opened[0]!.signal;
      const { valueAtRisk: v2, message: m2, ...restExpected } = expected!;
      expect(rest).toEqual(restExpected);
      expect(valueAtRisk).toBeGreaterThan(0);
    }
  });

  it("a later delivery of an order the detection saw start, dated after it, is told to the item test at the tick reaching it (review 2026-12-08: the drop never opened)", () => {
    // as above, but the last OIL (order O29, Monday 2026-07-27) is delivered on the Wednesday
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) {
      const order_date = formatDay(parseDay("2026-01-05", "d") + 7 * w);
      orders.push({ order_id: `O${w}`, line_id: 1, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
      if (w < 30) orders.push({ order_id: `O${w}`, line_id: 2, order_date: w === 29 ? "2026-07-29" : order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
    }
    const dayOf = (o: OrderRow): number => parseDay(String(o.order_date), "d");
    const full = fromRowsSync({ orders }).dataset;
    const first = days("2026-07-27", "2026-10-12").find((d) => detectSignals(full, { asOf: d, types: ["item_dropped"] }).length > 0)!;
    expect(formatDay(first)).toBe("2026-08-17");
    const F = parseDay("2026-07-27", "F");
    const opened: string[] = [];
    const engine = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options: { types: ["item_dropped"], refitEvery: 100 }, onSignal: (s, e) => void (e.kind === "opened" && opened.push(`${e.at} ${s.id}`)) });
    for (const d of days("2026-07-27", "2026-10-12")) {
      engine.ingest(orders.filter((o) => dayOf(o) === d));
      engine.tick(d);
    }
    expect(opened).toEqual(["2026-08-17 item_dropped:C1:OIL:2026-07-27"]);
    expect(engine.stats().detections).toBe(1); // 07-27's: the part needs none
    // a restore between the part and its tick: the rebuilt test takes the part too (derived from the history)
    const e2 = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options: { types: ["item_dropped"], refitEvery: 100 } });
    e2.tick(F);
    e2.ingest(orders.filter((o) => dayOf(o) === F + 2));
    const seen: string[] = [];
    const e3 = createEngine({ dataset: e2.dataset(), options: { types: ["item_dropped"], refitEvery: 100 }, onSignal: (s, e) => void (e.kind === "opened" && seen.push(`${e.at} ${s.id}`)) });
    e3.restore(e2.snapshot());
    for (const d of days("2026-07-29", "2026-10-12")) {
      if (parseDay(d, "d") > F + 2) e3.ingest(orders.filter((o) => dayOf(o) === parseDay(d, "d")));
      e3.tick(d);
    }
    expect(seen).toEqual(["2026-08-17 item_dropped:C1:OIL:2026-07-27"]);
    expect(e3.stats().detections).toBe(0);
    // the part removed again (before or after its tick): OIL was last bought on 07-20, as detectSignals reads the data left
    // (self-review 2026-12-08: the test kept it, the drop opened a week late under another id)
    for (const removeOn of [F + 2, F + 3]) {
      const got: string[] = [];
      const e4 = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options: { types: ["item_dropped"], refitEvery: 100 }, onSignal: (s, e) => void (e.kind === "opened" && got.push(`${e.at} ${s.id}`)) });
      for (const d of days("2026-07-27", "2026-10-12")) {
        const day = parseDay(d, "d");
        e4.ingest(orders.filter((o) => dayOf(o) === day));
        if (day === removeOn) e4.remove([{ order_id: "O29", line_id: 2 }]);
        e4.tick(d);
      }
      expect(got).toEqual(["2026-08-10 item_dropped:C1:OIL:2026-07-20"]);
    }
  });

  /** C1 weekly on Mondays from 2025-06-02 (61 orders, the last on 2026-07-27), then every 21 days (68 orders). */
  const slowingDown = (): OrderRow[] => {
    const orders: OrderRow[] = [];
    let d = parseDay("2025-06-02", "d");
    for (let k = 0; k < 68; k++) {
      orders.push({ order_id: `O${k}`, line_id: 1, order_date: formatDay(d), customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
      d += k < 60 ? 7 : 21;
    }
    return orders;
  };

  it("flags a slowdown at the first order after detectSignals would (order-driven between detections)", () => {
    // weekly on Mondays from 2025-06-02 (61 orders, the last on 2026-07-27), then every 21 days
    const orders = slowingDown();
    const dayOf = (o: OrderRow): number => parseDay(String(o.order_date), "d");
    const full = fromRowsSync({ orders }).dataset;
    const F = parseDay("2026-07-27", "F"); // the first slow gap's start: nothing to see yet
    // detectSignals flags it on 2026-08-31, two weeks into the second slow gap (the open gap is
    // evidence too); between detections the engine asks on orders, so the next one (2026-09-07)
    const first = days("2026-07-27", "2026-10-31").find((x) => detectSignals(full, { asOf: x, types: ["frequency_drop"] }).length > 0)!;
    expect(formatDay(first)).toBe("2026-08-31");
    const opened: { at: string; signal: Signal }[] = [];
    const engine = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options: { types: ["frequency_drop"], refitEvery: 300 }, onSignal: (s, e) => void opened.push({ at: e.at, signal: s }) });
    for (const x of days("2026-07-27", "2026-10-31")) {
      engine.ingest(orders.filter((o) => dayOf(o) === x));
      engine.tick(x);
    }
    expect(engine.stats().detections).toBe(1);
    expect(opened.map((o) => `${o.at} ${o.signal.id}`)).toEqual(["2026-09-07 frequency_drop:C1:2026-07-27"]);
    const { valueAtRisk, message, ...rest } = opened[0]!.signal;
    const { valueAtRisk: v2, message: m2, ...restExpected } = detectSignals(full, { asOf: "2026-09-07", types: ["frequency_drop"] })[0]!;
    expect(rest).toEqual(restExpected); // the same test; only the margin behind valueAtRisk is the detection day's
  });

  it("a purchase dated after the clock changes nothing before its day, also across a snapshot (review 2026-12-06: its customer was asked at every tick, the open gap counted each time)", () => {
    // the slowdown above, with one more order dated 2027-01-04 ingested at the start
    const orders = slowingDown();
    const dayOf = (o: OrderRow): number => parseDay(String(o.order_date), "d");
    const F = parseDay("2026-07-27", "F");
    const options = { types: ["frequency_drop" as const], refitEvery: 300 };
    const run = (withFuture: boolean, snapshotAt?: string, futureDay = "2027-01-04"): string[] => {
      const future: OrderRow = { order_id: "LATER", line_id: 1, order_date: futureDay, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 };
      const opened: string[] = [];
      const onSignal = (s: Signal, e: SignalEvent): void => void (e.kind === "opened" && opened.push(`${e.at} ${s.id}`));
      let engine = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options, onSignal });
      if (withFuture) engine.ingest([future]);
      for (const x of days("2026-07-27", "2026-10-31")) {
        engine.ingest(orders.filter((o) => dayOf(o) === x));
        engine.tick(x);
        if (formatDay(x) === snapshotAt) {
          const snap = engine.snapshot();
          engine = createEngine({ dataset: datasetFromBytes(datasetToBytes(engine.dataset())), options, onSignal });
          engine.restore(snap);
        }
      }
      return opened;
    };
    const expected = ["2026-09-07 frequency_drop:C1:2026-07-27"];
    expect(run(false)).toEqual(expected);
    expect(run(true)).toEqual(expected);
    expect(run(true, "2026-08-20")).toEqual(expected);
    // a later purchase the clock reaches (2026-09-04) is asked on its day, by a restored engine too
    // (the snapshot's askAt)
    const reached = run(true, undefined, "2026-09-04");
    expect(reached).toEqual(["2026-09-04 frequency_drop:C1:2026-07-27"]);
    expect(run(true, "2026-08-20", "2026-09-04")).toEqual(reached);
    // the next order arriving the day before its date: nothing opens a day early (review
    // 2026-12-06: the tick of its arrival asked the customer with the open gap to that day)
    const early = (): string[] => {
      const opened: string[] = [];
      const engine = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options, onSignal: (sig, e) => void (e.kind === "opened" && opened.push(`${e.at} ${sig.id}`)) });
      for (const x of days("2026-07-27", "2026-10-31")) {
        engine.ingest(orders.filter((o) => dayOf(o) === x || dayOf(o) === x + 1));
        engine.tick(x);
      }
      return opened;
    };
    expect(early()).toEqual(expected);
  });

  it("a purchase deleted again or re-dated by a re-sync no longer counts as bought since the detection", () => {
    const { dataset } = fromRowsSync({ orders: weekly() });
    const late = { order_id: "LATE", line_id: 1, order_date: "2026-10-07", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 3 };
    for (const correct of ["none", "remove", "re-date"] as const) {
      const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 28, asOf: "2026-10-06" } });
      engine.tick("2026-10-06");
      if (correct !== "none") engine.ingest([late]); // keyed in by mistake (or with the wrong day)...
      if (correct === "remove") engine.remove([{ order_id: "LATE" }]); // ...then deleted in the ERP
      if (correct === "re-date") engine.ingest([{ ...late, order_date: "2026-10-05" }]); // ...or corrected to the day of the last order
      const events: string[] = [];
      for (const d of days("2026-10-07", "2026-11-02")) for (const e of engine.tick(d).events) events.push(`${e.event.at} ${e.event.kind} ${e.signal.id}`);
      expect(events).toEqual(["2026-10-26 opened customer_overdue:C1:2026-10-05"]);
    }
  });

  it("skips a customer who bought since the detection; forget erases a customer's case", () => {
    const { dataset } = fromRowsSync({ orders: [...weekly("C1"), ...weekly("C2"), ...weekly("C3")] });
    const r = recorder();
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"], refitEvery: 28, asOf: "2026-10-06" }, onSignal: r.onSignal });
    engine.tick("2026-10-06");
    engine.ingest([{ order_id: "C2-late", line_id: 1, order_date: "2026-10-07", customer_id: "C2", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 }]);
    engine.forget("C3");
    const events: string[] = [];
    for (const d of days("2026-10-07", "2026-11-03")) for (const e of engine.tick(d).events) events.push(`${e.event.at} ${e.event.kind} ${e.signal.id}`);
    // C1 by the tick of 2026-10-26; C2 (its last order moved to 2026-10-07) only at the full
    // detection of 2026-11-03, with its new last order; C3 never
    expect(events).toEqual(["2026-10-26 opened customer_overdue:C1:2026-10-05", "2026-11-03 updated customer_overdue:C1:2026-10-05", "2026-11-03 opened customer_overdue:C2:2026-10-07"]);
  });
});

describe("createEngine: edits of what the last detection saw; re-syncs; restores", () => {
  const clone = (e: ReturnType<typeof createEngine>, options: object) => {
    const r = recorder();
    const c = createEngine({ dataset: datasetFromBytes(datasetToBytes(e.dataset())), options, onSignal: r.onSignal });
    c.restore(JSON.parse(JSON.stringify(e.snapshot())));
    return { r, e: c };
  };

  it("a restore keeps 'lines changed since the detection': at refitEvery 1 the same-day tick detects again, as in the engine that took the snapshot", () => {
    const options = { types: ["customer_overdue" as const], refitEvery: 1 };
    const a = createEngine({ dataset: fromRowsSync({ orders: weekly() }).dataset, options });
    a.tick("2026-11-09");
    a.remove([{ order_id: "C1-O39" }]); // the last order (2026-10-05) deleted in the ERP
    const b = clone(a, options);
    expect(b.e.tick("2026-11-09").detected).toBe(a.tick("2026-11-09").detected);
    expect(b.e.signals().map((t) => t.id)).toEqual(["customer_overdue:C1:2026-09-28"]);
    expect(a.signals().map((t) => t.id)).toEqual(["customer_overdue:C1:2026-09-28"]);
  });

  it("a snapshot taken right after restoring one without askAgain leaves it out too (its restore asks every customer with a purchase since the detection, not none)", () => {
    const options = { types: ["customer_overdue" as const], refitEvery: 100 };
    const a = createEngine({ dataset: fromRowsSync({ orders: weekly() }).dataset, options });
    a.tick("2026-11-09");
    const { askAgain: _, ...older } = a.snapshot();
    const b = createEngine({ dataset: datasetFromBytes(datasetToBytes(a.dataset())), options });
    b.restore(JSON.parse(JSON.stringify(older)));
    expect(b.snapshot().askAgain).toBeUndefined(); // was []: a restore of it asked nobody
    b.tick("2026-11-10");
    expect(Array.isArray(b.snapshot().askAgain)).toBe(true); // known again after the tick
  });

  it("a chart kpi_drop restored from a snapshot older than its evidence's basis gets basis \"chart\" in front, as the detector writes it", () => {
    const options = { types: ["customer_overdue" as const], refitEvery: 7 };
    const a = createEngine({ dataset: fromRowsSync({ orders: weekly() }).dataset, options });
    a.tick("2026-11-09");
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const id = "kpi_drop:gross_profit:rep:R1:2026-10-05";
    const evidence = { observed: 80, expected: 100, drop: 0.2, weeklyDrop: 0.2, weeks: 4, cusum: 9, threshold: 5, sigma: 3, rho: 0.1, seasonal: 0, baselineWeeks: 52 };
    const signal = { ...snap.signals[0].signal, id, type: "kpi_drop", customerId: undefined, kpi: "gross_profit", repId: "R1", evidence };
    delete signal.customerId;
    snap.signals.push({ ...snap.signals[0], id, signal });
    const b = createEngine({ dataset: datasetFromBytes(datasetToBytes(a.dataset())), options });
    b.restore(snap);
    const restored = b.signals().find((t) => t.id === id)!.signal.evidence;
    expect(JSON.stringify(restored)).toBe(JSON.stringify({ basis: "chart", ...evidence }));
  });

  it("a tick after the deletion of an order the detection saw tests the customer without it (as detectSignals does)", () => {
    const options = { types: ["customer_overdue" as const], refitEvery: 100 };
    const r = recorder();
    const a = createEngine({ dataset: fromRowsSync({ orders: weekly() }).dataset, options, onSignal: r.onSignal });
    a.detect();
    a.remove([{ order_id: "C1-O39" }]);
    a.tick("2026-11-09");
    const batch = detectSignals(a.dataset(), { asOf: "2026-11-09", types: ["customer_overdue"] }).map((x) => x.id);
    expect(batch).toEqual(["customer_overdue:C1:2026-09-28"]);
    expect(r.seen).toEqual(["opened! customer_overdue:C1:2026-09-28"]); // not anchored on the deleted 2026-10-05 order
  });

  /** C1: BREAD every Monday from 2026-01-05 for 40 weeks, OIL in the first 30 of those orders. */
  const oilDrop = (): OrderRow[] => {
    const rows: OrderRow[] = [];
    for (let w = 0; w < 40; w++) {
      const order_date = formatDay(parseDay("2026-01-05", "d") + 7 * w);
      rows.push({ order_id: `O${w}`, line_id: 1, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
      if (w < 30) rows.push({ order_id: `O${w}`, line_id: 2, order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
    }
    return rows;
  };
  const dayOf = (o: OrderRow): number => parseDay(String(o.order_date), "d");

  it("a purchase dated before the last detection that arrives after it (a late sync) is seen by the ticks' item test, as detectSignals sees it", () => {
    const orders = oilDrop();
    const F = parseDay("2026-07-27", "d");
    const late = (o: OrderRow): boolean => o.product_id === "OIL" && dayOf(o) > F - 14 && dayOf(o) <= F; // OIL of 07-20 and 07-27
    const r = recorder();
    const engine = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F && !late(o)) }).dataset, options: { types: ["item_dropped"], refitEvery: 100 }, onSignal: r.onSignal });
    engine.tick(formatDay(F)); // OIL last bought on 07-13 as far as this detection knows
    for (let d = F + 1; d <= parseDay("2026-08-20", "d"); d++) {
      if (d === F + 2) engine.ingest(orders.filter(late));
      engine.ingest(orders.filter((o) => dayOf(o) === d));
      engine.tick(formatDay(d));
    }
    const full = fromRowsSync({ orders }).dataset;
    expect(detectSignals(full, { asOf: "2026-08-16", types: ["item_dropped"] })).toEqual([]);
    expect(detectSignals(full, { asOf: "2026-08-17", types: ["item_dropped"] }).map((x) => x.id)).toEqual(["item_dropped:C1:OIL:2026-07-27"]);
    expect(r.seen).toEqual(["opened! item_dropped:C1:OIL:2026-07-27"]); // not item_dropped:C1:OIL:2026-07-13 on 08-03
  });

  it("restoring a snapshot without askAgain asks every customer with a purchase since the detection, even after a pending edit", () => {
    const orders = oilDrop();
    const F = parseDay("2026-07-13", "d");
    const options = { types: ["item_dropped" as const], refitEvery: 100, asOf: formatDay(F) };
    const a = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options });
    a.tick(formatDay(F));
    const { askAgain: _, ...older } = a.snapshot(); // as an older build wrote it
    const full = fromRowsSync({ orders }).dataset;
    const run = (warm: boolean): string[] => {
      const r = recorder();
      const e = createEngine({ dataset: full, options, onSignal: r.onSignal });
      if (warm) e.tick(formatDay(F)); // this engine had detected itself before the restore...
      e.ingest([{ ...orders.find((o) => o.order_id === "O20" && o.line_id === 1)!, quantity: 11 }]); // ...and an edit of a line it saw is pending
      e.restore(JSON.parse(JSON.stringify(older)));
      for (let d = F + 1; d <= parseDay("2026-08-20", "d"); d++) e.tick(formatDay(d));
      return r.seen;
    };
    expect(run(false)).toEqual(["opened! item_dropped:C1:OIL:2026-07-27"]);
    expect(run(true)).toEqual(run(false));
  });

  it("an edit of a line the detection saw, after restoring a snapshot without askAgain, still asks every customer with a purchase since the detection (it asked the edited one only)", () => {
    // C1 and C2: the same OIL drop; the edit (an old BREAD line of C1) comes after the restore
    const orders = ["C1", "C2"].flatMap((c) => oilDrop().map((o) => ({ ...o, order_id: `${c}-${o.order_id}`, customer_id: c })));
    const F = parseDay("2026-07-13", "d");
    const options = { types: ["item_dropped" as const], refitEvery: 100, asOf: formatDay(F) };
    const a = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options });
    a.tick(formatDay(F));
    const { askAgain: _, ...older } = a.snapshot();
    const full = fromRowsSync({ orders }).dataset;
    const run = (edit: boolean): string[] => {
      const r = recorder();
      const e = createEngine({ dataset: full, options, onSignal: r.onSignal });
      e.restore(JSON.parse(JSON.stringify(older)));
      if (edit) e.ingest([{ ...orders.find((o) => o.order_id === "C1-O20" && o.line_id === 1)!, quantity: 11 }]);
      for (let d = F + 1; d <= parseDay("2026-08-20", "d"); d++) e.tick(formatDay(d));
      return r.seen;
    };
    expect(run(false)).toEqual(["opened! item_dropped:C1:OIL:2026-07-27", "opened! item_dropped:C2:OIL:2026-07-27"]);
    expect(run(true)).toEqual(run(false));
  });

  it("re-sent unchanged lines and a restore change nothing: the item_dropped situation opens on the same tick in all three", () => {
    // C1: BREAD every Monday (and Thursday until 2025-07-20), OIL in every order but each 7th until
    // 2026-07-06; after the one detection (2026-07-13) an order every third Monday. B gets last
    // week's lines again each day (an ERP re-sync); C is restored from A's snapshot after the
    // 2026-09-14 tick. Asked again on other days than A, a test's 365-day budget moves its threshold
    const F = parseDay("2026-07-13", "d");
    const before: OrderRow[] = [], after = new Map<number, OrderRow[]>();
    let k = 0;
    for (let d = parseDay("2024-09-02", "d"); d <= parseDay("2026-10-31", "d"); d++) {
      const dow = (d + 4) % 7;
      let isOrder = dow === 1 || (d <= parseDay("2025-07-20", "d") && dow === 4);
      if (d > F && dow === 1) isOrder = (d - F) % 21 < 7;
      if (!isOrder) continue;
      k++;
      const o = `O${d}`;
      const rows: OrderRow[] = [{ order_id: o, line_id: 1, order_date: formatDay(d), customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 3, unit_cost: 2 }];
      if (d <= parseDay("2026-07-06", "d") && k % 7 !== 0) rows.push({ order_id: o, line_id: 2, order_date: formatDay(d), customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
      if (d <= F) before.push(...rows);
      else after.set(d, rows);
    }
    const options = { types: ["item_dropped" as const], refitEvery: 200 };
    const ds = fromRowsSync({ orders: before }).dataset;
    const ra = recorder(), rb = recorder();
    const A = createEngine({ dataset: ds, options, onSignal: ra.onSignal });
    const B = createEngine({ dataset: ds, options, onSignal: rb.onSignal });
    A.detect();
    B.detect();
    let C: ReturnType<typeof clone> | undefined;
    const opened: string[] = [];
    for (let d = F + 1; d <= parseDay("2026-10-31", "d"); d++) {
      const batch = after.get(d) ?? [];
      A.ingest(batch);
      B.ingest(batch);
      C?.e.ingest(batch);
      expect(B.ingest(after.get(d - 7) ?? []).events).toEqual([]);
      const n = [ra.seen.length, rb.seen.length, C?.r.seen.length ?? 0];
      A.tick(d);
      B.tick(d);
      C?.e.tick(d);
      for (const [name, seen, k] of [["A", ra.seen, n[0]!], ["B", rb.seen, n[1]!], ["C", C?.r.seen ?? [], n[2]!]] as const) for (const x of seen.slice(k)) opened.push(`${formatDay(d)} ${name} ${x}`);
      if (d === parseDay("2026-09-14", "d")) C = clone(A, options);
    }
    expect(opened).toEqual(["2026-10-05 A opened! item_dropped:C1:OIL:2026-07-06", "2026-10-05 B opened! item_dropped:C1:OIL:2026-07-06", "2026-10-05 C opened! item_dropped:C1:OIL:2026-07-06"]);
  });
});

describe("createEngine: snapshot, restore, forget", () => {
  it("restore + the same ingest gives the same output as the engine that took the snapshot", () => {
    const s = synth(3);
    const { orders, ...master } = s;
    const end = parseDay(s.truth.options.end, "end");
    const byDay = (lo: number, hi: number) => orders.filter((o) => { const d = parseDay(String(o.order_date), "d"); return d > lo && d <= hi; });
    const start = end - 120;
    const run = () => {
      const r = recorder();
      return { r, engine: createEngine({ dataset: fromRowsSync({ ...master, orders: byDay(-Infinity, start) }).dataset, options: { refitEvery: 14 }, onSignal: r.onSignal }) };
    };
    const a = run();
    const snapDay = start + 60;
    for (let d = start + 1; d <= snapDay; d++) {
      a.engine.ingest(byDay(d - 1, d));
      a.engine.tick(d);
    }
    const snapshot = JSON.parse(JSON.stringify(a.engine.snapshot()));
    const bytes = datasetToBytes(a.engine.dataset());
    const b = { r: recorder(), engine: undefined as unknown as ReturnType<typeof createEngine> };
    b.engine = createEngine({ dataset: datasetFromBytes(bytes), options: { refitEvery: 14 }, onSignal: b.r.onSignal });
    b.engine.restore(snapshot);
    a.r.seen.length = 0;
    const outA: unknown[] = [], outB: unknown[] = [];
    for (let d = snapDay + 1; d <= end; d++) {
      for (const [e, out] of [[a.engine, outA], [b.engine, outB]] as const) {
        out.push(e.ingest(byDay(d - 1, d)).events, e.tick(d).events);
      }
    }
    expect(outB).toEqual(outA);
    expect(b.r.seen).toEqual(a.r.seen);
    expect(a.r.seen.length).toBeGreaterThan(0);
    expect(b.engine.signals({ status: "all" })).toEqual(a.engine.signals({ status: "all" }));
    expect(b.engine.snapshot()).toEqual(a.engine.snapshot());
    expectInvalid(() => b.engine.restore({ ...snapshot, version: 2 }), "snapshot");
    expectInvalid(() => b.engine.restore({} as never), "snapshot");
    // a malformed entry is INVALID_OPTION and leaves the engine as it was (it threw TypeErrors,
    // or cleared the situations before failing, or was accepted and broke snapshot() and forget())
    const good = JSON.stringify(b.engine.snapshot());
    const sig = snapshot.signals[0]!;
    for (const bad of [
      { signals: [null] },
      { signals: [{ id: "a" }] },
      { signals: [sig, { ...sig, id: "zz", signal: { ...sig.signal, id: "zz" }, openedAt: "2026-13-45" }] },
      { signals: [{ ...sig, openedAt: undefined }] },
      { signals: [{ ...sig, status: "bogus" }] },
      { feedback: [null] },
      { cooldowns: { a: "nope" } },
      { clock: 12 },
      { askAgain: "C1" },
      // (review 2026-12-06: both were taken; a snoozed situation without its day never came back)
      { signals: [{ ...sig, status: "snoozed", snoozedUntil: undefined }] },
      { feedback: [{ id: sig.id, type: sig.signal.type, verdict: "useful", at: "2026-11-09", note: 42 }] },
      { askAt: ["C1"] },
      { askAt: { C1: "soon" } },
    ]) {
      expectInvalid(() => b.engine.restore({ ...JSON.parse(good), ...bad }), "snapshot");
      expect(JSON.stringify(b.engine.snapshot())).toBe(good);
    }
  });

  it("forget erases a customer's cooldowns, also when its id holds U+0000; forget(\"\") erases nothing", () => {
    for (const id of ["x\u0000y", "C1"]) {
      const { dataset } = fromRowsSync({ orders: [...weekly(id), ...weekly("KEEP")] });
      const engine = createEngine({ dataset, options: { types: ["customer_overdue"] } });
      engine.tick("2026-11-09");
      const keys = Object.keys(engine.snapshot().cooldowns);
      expect(keys).toHaveLength(2);
      // no customer is "": business-level keys (empty customer field) stayed only by chance before
      expect(engine.forget("")).toBe(0);
      expect(Object.keys(engine.snapshot().cooldowns)).toEqual(keys);
      expect(engine.forget(id)).toBe(40);
      // until 2026-12-06 the key of "x\u0000y" split in two and outlived it in every snapshot
      expect(Object.keys(engine.snapshot().cooldowns)).toEqual(keys.filter((k) => k.includes("KEEP")));
    }
  });

  it("item_dropped opened by a tick carries the detector's margin share (the year before its run of misses, not the year to the last detection)", () => {
    const orders: OrderRow[] = [];
    const dd = (w: number): string => new Date(Date.UTC(2026, 0, 5 + 7 * w)).toISOString().slice(0, 10);
    for (let w = 0; w < 44; w++) {
      orders.push({ order_id: `O${w}`, line_id: 1, order_date: dd(w), customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
      if (w < 30) orders.push({ order_id: `O${w}`, line_id: 2, order_date: dd(w), customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
      // after OIL's last purchase a big new item every week: the year to the detection holds it
      if (w >= 30) orders.push({ order_id: `O${w}`, line_id: 3, order_date: dd(w), customer_id: "C1", product_id: "BIG", quantity: 1, unit_price: 100, unit_cost: 50 });
    }
    const F = dd(31); // OIL missing from 2 orders: not yet flagged, its run of misses under way
    const opened: { at: string; signal: Signal }[] = [];
    const engine = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => String(o.order_date) <= F) }).dataset, options: { types: ["item_dropped"], refitEvery: 100 }, onSignal: (s, e) => void (e.kind === "opened" && opened.push({ at: e.at, signal: s })) });
    for (let t = Date.parse(F); t <= Date.parse(dd(43)); t += 86_400_000) {
      const d = new Date(t).toISOString().slice(0, 10);
      engine.ingest(orders.filter((o) => o.order_date === d));
      engine.tick(d);
    }
    expect(opened).toHaveLength(1);
    const { at, signal } = opened[0]!;
    const ref = detectSignals(fromRowsSync({ orders }).dataset, { asOf: at, types: ["item_dropped"] }).find((x) => x.id === signal.id)!;
    // OIL's margin 180 of the customer's 480 in the year before its misses (the year to F read 0.3)
    expect(signalOf(ref, "item_dropped").evidence.marginShare).toBeCloseTo(0.375, 4);
    expect(signal.evidence).toEqual(ref.evidence);
  });

  it("no two ids share a cooldown key: an id that reads as another's encoded form keeps its own", () => {
    const a = "a\u0000b", b = "\u0001a%00b";
    const { dataset } = fromRowsSync({ orders: [...weekly(a), ...weekly(b)] });
    const events: { id: string; alerted: boolean }[] = [];
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"] }, onSignal: (s, e) => events.push({ id: s.customerId!, alerted: e.alert }) });
    engine.tick("2026-11-09");
    // two customers: two alerts (one silenced the other when their keys were the same)
    expect(events.filter((e) => e.alerted).map((e) => e.id).sort()).toEqual([a, b].sort());
    engine.forget(a);
    expect(Object.keys(engine.snapshot().cooldowns)).toHaveLength(1);
  });

  it("forget erases a customer's lines, master data and situations", () => {
    const { dataset } = fromRowsSync({ orders: [...weekly("C1"), ...weekly("C2")], customers: [{ customer_id: "C1", name: "Acme", rep_id: "R1" }, { customer_id: "C2", parent_id: "C1" }] });
    const engine = createEngine({ dataset, options: { types: ["customer_overdue"] } });
    engine.tick("2026-11-09");
    engine.feedback("customer_overdue:C1:2026-10-05", "not_useful");
    expect(engine.forget("C1")).toBe(40);
    expect(engine.signals({ status: "all" }).map((t) => t.id)).toEqual(["customer_overdue:C2:2026-10-05"]);
    expect(engine.feedbackLog()).toEqual([]);
    const ds = engine.dataset();
    expect(ds.ids.customers.values).toEqual(["C2"]);
    expect(ds.customers.parent[0]).toBe(-1);
    expect(JSON.stringify(engine.snapshot())).not.toContain("C1");
  });

  it("forget takes the customer's deals out of the evidence of its rep's pipeline_stall situation", () => {
    // R1's deals spend 8..12 days in proposal; the last four have not moved: D20, D21 are C2's
    const dealEvents = [];
    for (let k = 0; k < 24; k++) {
      const start = new Date(Date.UTC(2025, 0, 5 + 14 * k));
      const customer_id = k === 20 || k === 21 ? "C2" : "C1";
      dealEvents.push({ deal_id: `D${k}`, customer_id, stage: "proposal", entered_at: start, rep_id: "R1", amount: 1000 });
      if (k < 20) dealEvents.push({ deal_id: `D${k}`, customer_id, stage: k % 2 ? "won" : "lost", rep_id: "R1", entered_at: new Date(start.getTime() + (8 + (k % 5)) * 86_400_000) });
    }
    const orders = ["C1", "C2"].map((c) => ({ order_id: `O-${c}`, order_date: "2025-12-01", customer_id: c, product_id: "P", quantity: 1, unit_price: 10, unit_cost: 6 }));
    // a sink is told the deals with the customer (review 2026-12-07: its held alerts kept them)
    const told: unknown[][] = [];
    const sink = { send: () => {}, forget: (...args: unknown[]) => void told.push(args) };
    const engine = createEngine({ dataset: fromRowsSync({ orders, dealEvents }).dataset, options: { types: ["pipeline_stall"], asOf: "2026-02-15" }, sinks: [sink] });
    engine.tick("2026-02-15");
    const [stall] = engine.signals();
    expect(signalOf(stall?.signal, "pipeline_stall").evidence.dealIds).toBe("D20,D21,D22,D23");
    engine.forget("C2");
    engine.forget("C9");
    expect(told).toEqual([["C2", { dealIds: ["D20", "D21"] }], ["C9"]]);
    expect(signalOf(engine.signals()[0]?.signal, "pipeline_stall").evidence.dealIds).toBe("D22,D23");
    const snap = JSON.stringify(engine.snapshot());
    expect(snap).not.toContain("D20");
    expect(snap).not.toContain("C2");
  });

  it("forget erases a customer known only as another customer's parent, after an incremental build too", () => {
    const row = (o: string, c: string, d: string): OrderRow => ({ order_id: o, line_id: 1, order_date: d, customer_id: c, product_id: "P", quantity: 1, unit_price: 3 });
    const orders = [row("A1", "C1", "2026-03-02"), row("A2", "C1", "2026-03-09"), row("B1", "C2", "2026-03-03")];
    // C2's parent is C1, which has no customers row
    const engine = createEngine({ dataset: fromRowsSync({ orders, customers: [{ customer_id: "C2", parent_id: "C1" }] }).dataset });
    engine.ingest([row("B2", "C2", "2026-03-10")]);
    engine.dataset(); // an incremental build, the usual state of a running engine
    expect(engine.forget("C1")).toBe(2);
    const bytes = datasetToBytes(engine.dataset());
    expect(bytes).toEqual(datasetToBytes(fromRowsSync({ orders: [orders[2]!, row("B2", "C2", "2026-03-10")], customers: [{ customer_id: "C2" }] }).dataset));
    expect(Buffer.from(bytes).includes("C1")).toBe(false);
  });

  it("an engine started from an as-of view starts with what the view shows: lines and deal events up to its day", () => {
    const line = (o: string, d: string): OrderRow => ({ order_id: o, line_id: 1, order_date: d, customer_id: "C1", product_id: "P", quantity: 1, unit_price: 3 });
    const deal = (stage: string, d: string) => ({ deal_id: "D1", customer_id: "C1", stage, entered_at: d, rep_id: "R1" });
    const orders = [line("A1", "2026-03-02"), line("A2", "2026-05-04")];
    const dealEvents = [deal("lead", "2026-03-01"), deal("proposal", "2026-05-01")];
    const engine = createEngine({ dataset: asOfView(fromRowsSync({ orders, dealEvents }).dataset, "2026-04-01") });
    expect(engine.clock()).toBe("2026-04-01");
    expect([engine.stats().lines, engine.kpis("2026-05-04").revenue]).toEqual([1, 0]);
    engine.tick("2026-06-01");
    const seen = fromRowsSync({ orders: orders.slice(0, 1), dealEvents: dealEvents.slice(0, 1) }).dataset;
    expect(datasetToBytes(engine.dataset())).toEqual(datasetToBytes(seen));
    // the later line arrives as any other
    expect(engine.ingest([orders[1]!]).added).toBe(1);
  });

  it("one currency per dataset: an ingest currency other than the start dataset's is refused (review 2026-12-07: a USD line of 100 and an EUR row of 100 read revenue 200 EUR)", () => {
    const row = (id: string, currency: string): OrderRow => ({ order_id: id, order_date: "2026-03-02", customer_id: "C", product_id: "P", quantity: 1, unit_price: 100, currency });
    const start = fromRowsSync({ orders: [row("A", "USD")] }).dataset;
    expect(start.currency).toBe("USD");
    expectInvalid(() => createEngine({ dataset: start, options: { ingest: { currency: "EUR" } } }), "options.ingest.currency");
    expectInvalid(() => createEngine({ dataset: start, options: { ingest: { currency: "ILS", fx: { USD: 3.7 } } } }), "options.ingest.currency");
    // the same currency in any spelling, or none: USD rows go in, an EUR row is MIXED_CURRENCIES
    for (const ingest of [{ currency: " usd" }, {}]) {
      const engine = createEngine({ dataset: start, options: { ingest } });
      expect(engine.ingest([row("B", "USD")]).added).toBe(1);
      expect(() => engine.ingest([row("C", "EUR")])).toThrow(/EUR/);
      expect([engine.dataset().currency, engine.kpis("2026-03-02").revenue]).toEqual(["USD", 200]);
    }
  });

  it("one time zone per dataset: an ingest zone other than the start dataset's is refused (review 2026-12-07: one instant landed on two days)", () => {
    const row = (id: string): OrderRow => ({ order_id: id, order_date: "2026-03-26T22:30:00Z", customer_id: "C", product_id: "P", quantity: 1, unit_price: 1 });
    const start = fromRowsSync({ orders: [row("A")] }, { timeZone: "Asia/Jerusalem" }).dataset;
    expectInvalid(() => createEngine({ dataset: start, options: { ingest: { timeZone: "UTC" } } }), "options.ingest.timeZone");
    // the same zone, or none (the dataset's): the instant is March 27 on both sides
    for (const ingest of [{ timeZone: "Asia/Jerusalem" }, {}]) {
      const engine = createEngine({ dataset: start, options: { ingest } });
      engine.ingest([row("B")]);
      const ds = engine.dataset();
      expect([ds.timeZone, [...ds.lines.day].map((d) => formatDay(d))]).toEqual(["Asia/Jerusalem", ["2026-03-27", "2026-03-27"]]);
    }
    // without a start dataset the ingest zone is the engine's
    expect(createEngine({ options: { ingest: { timeZone: "UTC" } } }).stats().lines).toBe(0);
  });

  it("a purchase already stored and dated after the clock ends an overdue situation before it opens: no alert, no cooldown (review 2026-12-07)", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) orders.push({ order_id: `A${w}`, order_date: new Date(Date.UTC(2026, 0, 5 + 7 * w)), customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
    const booked: OrderRow = { order_id: "F1", order_date: "2026-10-28", customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3 };
    const run = (ingestOn: string): string[] => {
      const log: string[] = [];
      const e = createEngine({ dataset: fromRowsSync({ orders }).dataset, options: { types: ["customer_overdue"] }, onSignal: (s, ev) => void log.push(`${ev.at} ${ev.kind}${ev.alert ? "!" : ""} ${s.id}`) });
      for (let d = parseDay("2026-10-06"); d <= parseDay("2026-11-05"); d++) {
        if (formatDay(d) === ingestOn) e.ingest([booked]);
        e.tick(d);
      }
      return log;
    };
    // stored on 10-20 (the ERP's booked order): it opened and alerted on 10-26 and stayed open to the next detection
    expect(run("2026-10-20")).toEqual([]);
    // stored on 10-27, after the situation opened: resolved at once, as before
    expect(run("2026-10-27")).toEqual(["2026-10-26 opened! customer_overdue:C1:2026-10-05", "2026-10-26 resolved customer_overdue:C1:2026-10-05"]);
  });

  it("a cancelled order brings an acknowledged or snoozed situation back as it was, without an alert (review 2026-12-07: open, alerted again)", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) orders.push({ order_id: `A${w}`, order_date: new Date(Date.UTC(2026, 0, 5 + 7 * w)), customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
    for (const mode of ["ack", "snooze"] as const) {
      const log: string[] = [];
      const e = createEngine({ dataset: fromRowsSync({ orders }).dataset, options: { types: ["customer_overdue"] }, onSignal: (s, ev) => void (ev.kind !== "updated" && log.push(`${ev.at} ${ev.kind}${ev.alert ? "!" : ""} ${ev.status}`)) });
      e.tick("2026-11-09");
      const id = e.signals()[0]!.id;
      if (mode === "ack") e.acknowledge(id);
      else e.snooze(id, "2027-03-01");
      for (const d of ["2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"]) e.tick(d);
      e.ingest([{ order_id: "Z1", order_date: "2026-12-15", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 }]); // placed
      e.tick("2026-12-15");
      expect(e.signals({ status: "all" }).find((t) => t.id === id)).toMatchObject({ status: "resolved", held: mode === "ack" ? "acknowledged" : "snoozed" });
      // a snapshot keeps the decision
      const again = createEngine({ dataset: fromRowsSync({ orders }).dataset, options: { types: ["customer_overdue"] } });
      again.restore(e.snapshot());
      expect(again.snapshot()).toEqual(e.snapshot());
      e.remove([{ order_id: "Z1" }]); // the ERP cancels it
      e.tick("2026-12-16");
      e.tick("2026-12-21");
      const t = e.signals({ status: "all" }).find((x) => x.id === id)!;
      expect([t.status, t.snoozedUntil]).toEqual(mode === "ack" ? ["acknowledged", undefined] : ["snoozed", "2027-03-01"]);
      expect(log.filter((l) => l.includes("!"))).toEqual(["2026-11-09 opened! open"]); // one alert
      // the comeback is an event in both cases (review 2026-12-07: none for the snoozed one, so a
      // host mirroring statuses from events kept it resolved until the snooze ended)
      expect(log.filter((l) => l.includes("reopened"))).toEqual([`2026-12-16 reopened ${mode === "ack" ? "acknowledged" : "snoozed"}`]);
    }
  });

  it("a held snooze whose day passed while resolved comes back with its reminder, whatever the cooldown (review 2026-12-07: no alert)", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) orders.push({ order_id: `A${w}`, order_date: new Date(Date.UTC(2026, 0, 5 + 7 * w)), customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
    const log: string[] = [];
    const e = createEngine({ dataset: fromRowsSync({ orders }).dataset, options: { types: ["customer_overdue"], refitEvery: 1 }, onSignal: (sig, ev) => void (ev.kind !== "updated" && log.push(`${ev.at} ${ev.kind}${ev.alert ? "!" : ""} ${ev.status}`)) });
    e.tick("2026-11-09");
    const id = e.signals()[0]!.id;
    e.snooze(id, "2026-11-20");
    e.ingest([{ order_id: "Z1", order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 }]);
    e.tick("2026-11-10");
    e.remove([{ order_id: "Z1" }]); // cancelled after the snooze's day, inside the 30-day cooldown of 11-09
    e.tick("2026-11-24");
    e.tick("2026-11-25");
    // (resolved at ingest, dated by the clock then; back on the first tick after the cancellation)
    expect(log).toEqual(["2026-11-09 opened! open", "2026-11-09 resolved resolved", "2026-11-24 reopened! open"]);
  });

  it("forget takes the id as ingest stores it, trimmed (review 2026-12-07: forget(' C9 ') erased nothing)", () => {
    const forgot: string[] = [];
    const e = createEngine({ options: { types: ["customer_overdue"] }, sinks: [{ send: () => {}, forget: (id: string) => void forgot.push(id) }] });
    e.ingest([
      { order_id: "O1", order_date: "2026-11-02", customer_id: "C8", product_id: "P", quantity: 1, unit_price: 3 },
      { order_id: "O2", order_date: "2026-11-02", customer_id: " C9 ", product_id: "P", quantity: 1, unit_price: 3 },
    ]);
    expect(e.forget(" C9 ")).toBe(1);
    expect(e.dataset().ids.customers.values).toEqual(["C8"]);
    expect(forgot).toEqual(["C9"]);
  });

  it("checks its options", () => {
    expectInvalid(() => createEngine({ options: { refitEvery: 0 } }), "refitEvery");
    expectInvalid(() => createEngine({ options: { cooldownDays: -1 } }), "cooldownDays");
    expectInvalid(() => createEngine({ options: { types: ["nope" as "kpi_drop"] } }), "types");
    expectInvalid(() => createEngine({ options: { locale: "fr" as "en" } }), "locale");
    expectInvalid(() => createEngine({ options: { calibrate: "no" as never } }), "calibrate");
    // at creation, not at every later detection
    expectInvalid(() => createEngine({ options: { detectors: { item_dropt: {} } as never } }), "detectors.item_dropt");
    expectInvalid(() => createEngine({ options: { detectors: { item_dropped: { minInclusion: 5 } } } }), "detectors.item_dropped.minInclusion");
    expectInvalid(() => createEngine({ options: { calendar: "x" as never } }), "calendar");
    expectInvalid(() => createEngine({ options: { calendar: { weekendDays: [9] } } }), "calendar.weekendDays");
    expectInvalid(() => createEngine({ onSignal: 3 as never }), "onSignal");
    expectInvalid(() => createEngine({ sinks: [{}] as never }), "sinks");
    expectInvalid(() => createEngine({ dataset: {} as never }), "dataset");
    expectInvalid(() => createEngine().ingest(3 as never), "lines");
    expectInvalid(() => createEngine().remove([{} as never]), "keys");
    const e = createEngine();
    e.ingest(weekly());
    expectInvalid(() => e.remove([{ order_id: "C1-O1" }, { order_id: "" }]), "keys");
    expect(e.stats().lines).toBe(40); // nothing deleted when a key is bad
    expectInvalid(() => createEngine().signals({ status: "x" as "open" }), "status");
  });
});

describe("createEngine: review fixes (2026-12-06)", () => {
  it("forget erases a deal id holding ',' from a pipeline_stall's evidence (it is percent-encoded there)", () => {
    const s = synth(1);
    const { orders, truth: _t, ...master } = s;
    const dealEvents = master.dealEvents.map((e) => ({ ...e, deal_id: `${e.deal_id},x` }));
    const D = "2026-09-30";
    const engine = createEngine({ dataset: fromRowsSync({ ...master, dealEvents, orders: orders.filter((o) => String(o.order_date) <= D) }).dataset, options: { refitEvery: 1, types: ["pipeline_stall"] } });
    engine.tick(D);
    const st = engine.signals().find((t) => t.signal.type === "pipeline_stall")!;
    const first = signalOf(st.signal, "pipeline_stall").evidence.dealIds.split(",")[0]!.replaceAll("%2C", ",");
    const victim = dealEvents.find((e) => e.deal_id === first)!.customer_id as string;
    engine.forget(victim);
    const encoded = new Set(dealEvents.filter((e) => e.customer_id === victim).map((e) => String(e.deal_id).replaceAll(",", "%2C")));
    const after = engine.signals().find((t) => t.id === st.id);
    expect((after === undefined ? "" : signalOf(after.signal, "pipeline_stall").evidence.dealIds).split(",").filter((d) => encoded.has(d))).toEqual([]);
    expect(JSON.stringify(engine.snapshot())).not.toContain(first.replace(",", "%2C"));
  });
  it("restore refuses an overdue situation without a day in evidence.lastOrder, and a snapshot that is not plain JSON", () => {
    const a = createEngine({ dataset: fromRowsSync({ orders: weekly() }).dataset });
    a.tick("2026-11-09");
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    expect(snap.signals.length).toBeGreaterThan(0);
    const b = createEngine({ dataset: fromRowsSync({ orders: weekly() }).dataset });
    // (it was accepted, and the next ingest threw half-way, one line of two stored)
    const bad = { ...snap, signals: snap.signals.map((t: { signal: Signal }) => ({ ...t, signal: { ...t.signal, evidence: { ...t.signal.evidence, lastOrder: "2026-10-5" } } })) };
    expectInvalid(() => b.restore(bad), "snapshot");
    expectInvalid(() => b.restore({ ...snap, clock: 1n } as never), "snapshot"); // (a TypeError from JSON.stringify)
    b.restore(snap);
    const r = b.ingest([...weekly("C9", 2)]);
    expect(r.added).toBe(2);
  });
  it("a routing sinks function's answer that is no list, or an entry without send, is a counted callback error, not a throw", () => {
    for (const route of [() => ({ send: () => {} }), () => 3, () => [null]]) {
      const seen: string[] = [];
      let alerts = 0;
      const engine = createEngine({ dataset: fromRowsSync({ orders: [...weekly("C1"), ...weekly("C2")] }).dataset, onSignal: (s, e) => void (seen.push(s.id), (alerts += e.alert ? 1 : 0)), sinks: route as never });
      const update = engine.tick("2026-11-09");
      // every event reached onSignal (the throw cut the batch's events short), one error per alert
      expect(seen.length).toBe(update.events.length);
      expect(seen.filter((id) => id.startsWith("customer_overdue:")).length).toBe(2);
      expect(engine.stats().callbackErrors).toBe(alerts);
    }
  });
  it("remove refuses a line_id that is no id (it removed the whole order); signals refuses filters it cannot read", () => {
    const engine = createEngine({ dataset: fromRowsSync({ orders: weekly() }).dataset });
    for (const line_id of [true, { id: 2 }, Number.POSITIVE_INFINITY, [2]]) expectInvalid(() => engine.remove([{ order_id: "C1-O0", line_id } as never]), "keys");
    expect(engine.dataset().lines.length).toBe(40);
    engine.tick("2026-11-09");
    expectInvalid(() => engine.signals("resolved" as never), "filter");
    expectInvalid(() => engine.signals({ type: "no_such_type" } as never), "type");
    expectInvalid(() => engine.signals({ customerId: 1 } as never), "customerId");
  });
});

describe("createEngine: alerts reach the customer's owner of the day (2026-12-07)", () => {
  // C1 has no account owner (no customers.rep_id): its owner is the rep of its latest order. It
  // buys BREAD every Monday and OIL until week 30 (2026-07-27); R2 takes the account over from the
  // order of `handover`. The engine starts on a Wednesday (full detections on Wednesdays).
  const history = (handover: string): OrderRow[] => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) {
      const order_date = formatDay(parseDay("2026-01-05", "d") + 7 * w);
      const rep_id = order_date < handover ? "R1" : "R2";
      orders.push({ order_id: `O${w}`, line_id: 1, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1, rep_id });
      if (w < 30) orders.push({ order_id: `O${w}`, line_id: 2, order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6, rep_id });
    }
    return orders;
  };
  const replay = (handover: string, to: string): { alerts: string[]; events: string[] } => {
    const orders = history(handover);
    const F = "2026-07-15";
    const alerts: string[] = [], events: string[] = [];
    const engine = createEngine({
      dataset: fromRowsSync({ orders: orders.filter((o) => String(o.order_date) <= F) }).dataset,
      options: { types: ["item_dropped"] },
      onSignal: (s, e) => {
        events.push(`${e.at} ${e.kind} ${s.repId}`);
        if (e.alert) alerts.push(`${e.at} ${s.repId}`);
      },
    });
    for (let d = parseDay(F, "d"); d <= parseDay(to, "d"); d++) {
      engine.ingest(orders.filter((o) => o.order_date === formatDay(d) && String(o.order_date) > F));
      engine.tick(formatDay(d));
    }
    return { alerts, events };
  };

  it("flagged by a tick after the new owner's order: the alert goes to the new owner, as detectSignals names it", () => {
    const { alerts } = replay("2026-08-17", "2026-08-26");
    const full = fromRowsSync({ orders: history("2026-08-17").filter((o) => String(o.order_date) <= "2026-08-17") }).dataset;
    expect(detectSignals(full, { asOf: "2026-08-17", types: ["item_dropped"] }).map((s) => s.repId)).toEqual(["R2"]);
    // (until 2026-12-07 the tick's alert went to R1, the owner at the last detection, and the next
    // detection moved the situation to R2 with a silent update)
    expect(alerts).toEqual(["2026-08-17 R2"]);
  });

  it("an open situation whose owner changes is alerted to the new owner at the next detection", () => {
    const { alerts, events } = replay("2026-09-07", "2026-09-16");
    expect(alerts[0]).toBe("2026-08-17 R1");
    expect(events).toContain("2026-09-09 updated R2");
    expect(alerts).toEqual(["2026-08-17 R1", "2026-09-09 R2"]);
  });

  it("a situation alerted to one rep that reopens after its account moved is alerted to the new owner (review 2026-12-07: reopened silently within the first rep's cooldown)", () => {
    const s = generateSyntheticDistributor({ seed: 3, customers: 120, years: 2 });
    const D = "2026-10-10";
    const tables = (customers: typeof s.customers, extra: OrderRow[] = []): ReturnType<typeof fromRowsSync>["dataset"] =>
      fromRowsSync({ orders: [...s.orders.filter((o) => String(o.order_date) <= D), ...extra], customers, products: s.products, reps: s.reps }).dataset;
    const sent: string[] = [];
    const make = (ds: ReturnType<typeof fromRowsSync>["dataset"]): ReturnType<typeof createEngine> => createEngine({ dataset: ds, sinks: [{ send: (p: { id: string; repId?: string }) => void sent.push(`${p.id}->${p.repId}`) }] });
    const e1 = make(asOfView(tables(s.customers), D));
    e1.detect();
    const t = e1.signals({ status: "open", repId: "R01", type: "customer_overdue" }).find((x) => x.alerted)!;
    const C = t.signal.customerId!;
    const line: OrderRow = { order_id: "NEW1", line_id: 1, order_date: "2026-10-11", customer_id: C, product_id: s.orders.find((o) => o.customer_id === C)!.product_id, quantity: 5, unit_price: 10, unit_cost: 6, rep_id: "R01" };
    e1.tick("2026-10-11");
    e1.ingest([line]);
    expect(e1.signals({ status: "all" }).find((x) => x.id === t.id)?.status).toBe("resolved");
    const snap = e1.snapshot();
    // the account moves to R02 (new master data, a restart), then the order is cancelled
    const e2 = make(asOfView(tables(s.customers.map((c) => (String(c.customer_id) === C ? { ...c, rep_id: "R02" } : c)), [line]), "2026-10-11"));
    e2.restore(snap);
    sent.length = 0;
    e2.tick("2026-10-12");
    e2.remove([{ order_id: "NEW1" }]);
    e2.detect();
    expect(sent.filter((x) => x.startsWith(`${t.id}->`))).toEqual([`${t.id}->R02`]);
  });
});

describe("createEngine: line keys replaced oddly (2026-12-07)", () => {
  it("a stored line key replaced by another customer's row, or a sale by a return, is counted as fromRows counts it (review: silent when the line was stored by an earlier ingest)", () => {
    const row = (customer_id: string, quantity: number): OrderRow => ({ order_id: "1001", line_id: 1, order_date: "2026-01-05", customer_id, product_id: "P", quantity, unit_price: 5 });
    const e = createEngine({});
    e.ingest([row("C1", 10)]);
    expect(e.ingest([row("C2", 4)]).report?.warnings).toMatchObject({ replaced_other_customer: 1 });
    expect(e.ingest([row("C2", -3)]).report?.warnings).toMatchObject({ replaced_sale_by_return: 1 });
    expect(e.ingest([row("C2", 5)]).report?.warnings).not.toHaveProperty("replaced_other_customer"); // a re-sync
  });
});

describe("createEngine: a situation whose id moves (2026-12-07)", () => {
  it("a slowdown whose change point swings between two days is alerted once, its other ids opened without an alert (review: three alerts in five months, each swing past the cooldown)", () => {
    const synth = generateSyntheticDistributor({ seed: 1, customers: 300, products: 600 });
    const { dataset } = fromRowsSync(synth);
    const start = "2026-04-30";
    const byDay = new Map<string, OrderRow[]>();
    for (const o of synth.orders) {
      const d = String(o.order_date).slice(0, 10);
      if (d > start) (byDay.get(d) ?? byDay.set(d, []).get(d)!).push(o);
    }
    const events: { id: string; kind: string; alert: boolean }[] = [];
    const engine = createEngine({ dataset: asOfView(dataset, start), options: { refitEvery: 7, types: ["frequency_drop"] }, onSignal: (s, e) => void (s.customerId === "C00094" && events.push({ id: s.id, kind: e.kind, alert: e.alert })) });
    for (let t = parseDay(start, "d") + 1; t <= parseDay("2026-10-31", "d"); t++) {
      const rows = byDay.get(formatDay(t));
      if (rows) engine.ingest(rows);
      engine.tick(formatDay(t));
    }
    expect(new Set(events.map((e) => e.id)).size).toBeGreaterThan(1); // the id moved
    expect(events.filter((e) => e.alert).length).toBe(1);
  }, 60_000);
});

describe("createEngine: a Date is a day of the engine's time zone (2026-12-07)", () => {
  it("tick and kpis read a Date as ingest reads an order's instant (snooze uses the same conversion)", () => {
    // 01:30 on 2026-11-01 in Jerusalem is 2026-10-31 22:30 UTC
    const now = new Date("2026-10-31T22:30:00Z");
    const engine = createEngine({ options: { ingest: { timeZone: "Asia/Jerusalem" } } });
    engine.ingest([{ order_id: "SO1", line_id: 1, order_date: now, customer_id: "C1", product_id: "P", quantity: 2, unit_price: 5 }]);
    expect(engine.dataset().dayRange).toEqual({ first: parseDay("2026-11-01", "d"), last: parseDay("2026-11-01", "d") });
    engine.tick(now);
    // (the clock read 2026-10-31 and kpis(now) October, revenue 0, until 2026-12-07)
    expect(engine.clock()).toBe("2026-11-01");
    expect(engine.kpis(now)).toMatchObject({ period: "2026-11", revenue: 10 });
    const utc = createEngine({});
    utc.tick(now);
    expect(utc.clock()).toBe("2026-10-31");
  });
});

describe("createEngine: forget reaches the sinks (2026-12-07)", () => {
  it("forget(customerId) asks every sink the engine reaches to drop the customer's alerts; a sink's failure stays its own", () => {
    const asked: string[] = [];
    const listed = { send: () => {}, forget: (c: string) => void asked.push(`list:${c}`) };
    const throwing = { send: () => {}, forget: () => { throw new Error("sink down"); } };
    const a = createEngine({ dataset: fromRowsSync({ orders: weekly("C1", 10) }).dataset, sinks: [listed, throwing] });
    expect(a.forget("C1")).toBe(10);
    expect(asked).toEqual(["list:C1"]);
    // a routing function's sinks: those it has returned so far
    const routedSink = { send: () => {}, forget: (c: string) => void asked.push(`routed:${c}`) };
    const b = createEngine({ dataset: fromRowsSync({ orders: weekly("C1") }).dataset, options: { types: ["customer_overdue"] }, sinks: () => [routedSink] });
    b.tick("2026-11-09"); // C1 overdue: alerted through the routing function
    b.forget("C1");
    expect(asked).toEqual(["list:C1", "routed:C1"]);
  });
});

describe("createEngine: an item dropped again after a win-back, opened by a tick (review 2026-12-07)", () => {
  it("is valued on the year to the detection day, not on the ended run's year (153.86 where detectSignals read 1.48)", () => {
    // C1 orders Mondays and Thursdays; BREAD always (10, then 40 from 2025-06-30); OIL until
    // 2025-06-30, once more on 2026-07-30, then never
    const orders: OrderRow[] = [];
    const grow = parseDay("2025-06-30", "d"), back = parseDay("2026-07-30", "d");
    for (let mon = parseDay("2024-01-01", "d"); mon <= parseDay("2026-10-31", "d"); mon += 7) {
      for (const d of [mon, mon + 3]) {
        const day = formatDay(d), id = `O-${day}`;
        orders.push({ order_id: id, line_id: 1, order_date: day, customer_id: "C1", product_id: "BREAD", quantity: d <= grow ? 10 : 40, unit_price: 2, unit_cost: 1 });
        if (d <= grow || d === back) orders.push({ order_id: id, line_id: 2, order_date: day, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
      }
    }
    const F = parseDay("2026-07-27", "d");
    const dayOf = (o: OrderRow): number => parseDay(String(o.order_date), "d");
    const opened: { id: string; at: string; value: number }[] = [];
    const engine = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options: { refitEvery: 56, types: ["item_dropped"] }, onSignal: (s, e) => void (e.kind === "opened" && opened.push({ id: s.id, at: e.at, value: s.valueAtRisk })) });
    for (let d = F + 1; d <= parseDay("2026-09-10", "d"); d++) {
      engine.ingest(orders.filter((o) => dayOf(o) === d));
      engine.tick(d);
    }
    const again = opened.find((x) => x.id === "item_dropped:C1:OIL:2026-07-30");
    expect(again).toBeDefined();
    // OIL had no margin in the year to the detection day: 0 until the next detection takes the
    // purchase of 07-30 in (detectSignals: 1.48); the ended run's year read 153.86
    expect(again!.value).toBeLessThan(2);
  });
});

describe("createEngine: a closed month the detection day's model did not know (review 2026-12-07)", () => {
  it("a tick does not open a frequency_drop on the first order after a customer's first closed August", () => {
    // C1 buys every 3-4 days from 2024-11-01, never in August; in 2026 it reopens on 09-01 and
    // orders 5 days later; the model at 2026-07-30 has no closed month yet (one August seen)
    const orders: OrderRow[] = [];
    const add = (d: number): void => void orders.push({ order_id: `O${orders.length}`, line_id: 1, order_date: formatDay(d), customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
    let d = parseDay("2024-11-01", "d"), k = 0;
    while (d <= parseDay("2026-10-31", "d")) {
      if (formatDay(d).slice(5, 7) === "08") {
        d = parseDay(`${formatDay(d).slice(0, 4)}-09-01`, "d");
        add(d);
        d += d > parseDay("2026-01-01", "d") ? 5 : 3;
        continue;
      }
      add(d);
      d += k++ % 2 ? 4 : 3;
    }
    const F = parseDay("2026-07-30", "d");
    const dayOf = (o: OrderRow): number => parseDay(String(o.order_date), "d");
    const opened: string[] = [];
    const engine = createEngine({ dataset: fromRowsSync({ orders: orders.filter((o) => dayOf(o) <= F) }).dataset, options: { refitEvery: 56, types: ["frequency_drop"] }, onSignal: (s, e) => void (e.kind === "opened" && opened.push(`${e.at} ${s.id}`)) });
    for (let day = F + 1; day <= parseDay("2026-09-20", "d"); day++) {
      engine.ingest(orders.filter((o) => dayOf(o) === day));
      engine.tick(day);
    }
    // (it opened frequency_drop:C1:2026-07-30 on 09-06, "every 4 days ... every 13 days since"; detectSignals never finds one)
    expect(opened).toEqual([]);
    expect(detectSignals(engine.dataset(), { asOf: "2026-09-06", types: ["frequency_drop"] })).toEqual([]);
  });
});
