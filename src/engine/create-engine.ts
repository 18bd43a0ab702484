import type { Dataset } from "../data/dataset.ts";
import { checkDataset } from "../data/internal/check-dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkEnum, checkFunction, checkInt, checkKnownKeys, checkNumber, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { resolveIngestOptions } from "../data/internal/resolve-ingest-options.ts";
import { optionDay } from "../data/internal/option-day.ts";
import type { IngestReport, RowCounts, TableName, TableReport } from "../data/ingest-report.ts";
import type { OrderRow } from "../data/rows.ts";
import { CASE_TYPES, checkDetectorOptions, runDetectors } from "../signals/internal/run-detectors.ts";
import { selectedTypes } from "../signals/internal/selected-types.ts";
import { businessDays } from "../patterns/internal/customer-calendar.ts";
import { type AsyncIngestCall, EngineCore, takeWarning } from "./internal/core.ts";
import type { CreateEngineOptions, Engine, EngineOptions, EngineUpdate, LineKey } from "./types.ts";

/** Rows per batch when ingesting an async iterable. */
const ASYNC_BATCH = 10_000;

/** createEngine's option names, and those of its `options` (the engine options). */
const KEYS: OptionKeys<CreateEngineOptions> = { dataset: true, options: true, onSignal: true, sinks: true };
const ENGINE_KEYS: OptionKeys<EngineOptions> = {
  asOf: true,
  refitEvery: true,
  cooldownDays: true,
  keepResolvedDays: true,
  types: true,
  sensitivity: true,
  locale: true,
  calendar: true,
  calibrate: true,
  detectors: true,
  ingest: true,
};

/**
 * The real-time engine: keeps the order history and the open situations (signals) of a
 * distributor up to date as order lines arrive, and tells the host what changed.
 *
 * - `ingest(lines)` stores lines by key ((order_id, line_id), else the whole row), so an ERP
 *   re-sync replaces instead of double counting, and `remove(keys)` deletes; only the customers
 *   whose lines changed are touched. A purchase resolves that customer's open `customer_overdue`
 *   (and `item_dropped` for the product bought) at once.
 * - `tick(date)` advances the clock. Absence-based signals (overdue, item dropped) fire on ticks:
 *   a full detection (`detectSignals` at the clock day, pattern model refitted) runs on ticks
 *   `refitEvery` days (default 7) after the previous one; on the ticks in between, the last
 *   detection's `customer_overdue` test of every customer silent since then is asked at the clock
 *   day (its rhythm held, its silence counted to the day), so a customer is flagged overdue on the
 *   day its silence crosses the line, and its `item_dropped` and `frequency_drop` tests of every
 *   customer with new orders are asked with them, so a habit missing from one order too many (or a
 *   slowdown one more slow gap makes clear) is flagged at the tick after that order. With
 *   `refitEvery: 1` every tick that follows a change or a new day detects, and the active
 *   situations equal `detectSignals` at the clock day exactly (but for a purchase dated after
 *   the clock: the situation it resolved stays resolved, docs/engine.md "Consistency").
 * - Lifecycle: one tracked situation per signal id; `opened` / `updated` (evidence changed) /
 *   `resolved` (ordered again, or no longer detected) / `reopened` events go to `onSignal`,
 *   grouped per customer; alerts (new situations outside the cooldown of their type and entity,
 *   ended snoozes) also go to the sinks. `snooze`, `acknowledge`, `feedback`.
 * - `kpis()` gives the current month's revenue and profit, updated line by line.
 * - `snapshot()` / `restore()` keep the engine's state without the history (serialize the history
 *   with `datasetToBytes(engine.dataset())`); `forget(customerId)` erases a customer.
 *
 * Callbacks and sinks never throw into the engine: their exceptions are caught and counted.
 * docs/engine.md describes the design and its measured cost.
 *
 * @param options - `dataset` (history to start from), `options` (see {@link EngineOptions}),
 *   `onSignal` callback, `sinks`
 * @returns the engine
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option (also of `options`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createEngine, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) { // weekly on Mondays until 2026-10-05
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, line_id: 1, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2, rep_id: "R1" });
 * }
 * const { dataset } = fromRowsSync({ orders });
 * const seen: string[] = [];
 * const engine = createEngine({ dataset, options: { types: ["customer_overdue"] }, onSignal: (s, e) => seen.push(`${e.kind} ${s.id}`) });
 * engine.tick("2026-11-09");
 * assert.deepEqual(seen, ["opened customer_overdue:C1:2026-10-05"]);
 * engine.ingest([{ order_id: "O99", line_id: 1, order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 }]);
 * engine.ingest([{ order_id: "O99", line_id: 1, order_date: "2026-11-10", customer_id: "C1", product_id: "P", quantity: 4, unit_price: 3 }]); // re-sync
 * assert.deepEqual(seen.slice(1), ["resolved customer_overdue:C1:2026-10-05"]);
 * assert.equal(engine.kpis().revenue, 12);
 * assert.equal(engine.signals({ status: "resolved" })[0]?.resolution, "ordered_again");
 * ```
 */
export function createEngine(options?: CreateEngineOptions): Engine {
  const fn = "createEngine";
  const top = optionsObject(options, fn, KEYS);
  checkFunction(top, "onSignal", fn);
  const o = optionsObject(top.options, fn);
  checkKnownKeys(o, ENGINE_KEYS, fn, "options");
  checkDateLike(o, "asOf", fn);
  checkInt(o, "refitEvery", 1, 3660, fn);
  checkInt(o, "cooldownDays", 0, 3660, fn);
  checkInt(o, "keepResolvedDays", 0, 1_000_000, fn);
  checkNumber(o, "sensitivity", 1e-3, 1e3, fn);
  checkEnum(o, "locale", ["en", "he"], fn);
  checkEnum(o, "calibrate", [true, false], fn);
  const opts = (o ?? {}) as EngineOptions;
  // checked here, at creation (a bad value would otherwise throw at every later detection);
  // detectSignals and fitPatterns read them at every detection
  selectedTypes(opts.types, fn);
  checkDetectorOptions(o, fn);
  businessDays(o, fn);
  const dataset = top.dataset as Dataset | undefined;
  if (dataset !== undefined) checkDataset(dataset, fn);
  const sinks = top.sinks;
  if (sinks !== undefined && typeof sinks !== "function" && !(Array.isArray(sinks) && sinks.every((s) => typeof s === "object" && s !== null && typeof (s as { send?: unknown }).send === "function"))) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option sinks: expected an array of sinks (objects with send()) or a function`, { option: "sinks" });
  }
  // one time zone per dataset: ingested datetimes in another zone than the start dataset's landed
  // on other days than its own lines, and the engine's dataset changed its label on a rebuild
  const ingestZone = (opts.ingest as { timeZone?: unknown } | undefined)?.timeZone;
  if (dataset !== undefined && ingestZone !== undefined && ingestZone !== dataset.timeZone) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option options.ingest.timeZone: ${String(ingestZone)} is not the start dataset's time zone (${dataset.timeZone}); leave it out to use the dataset's`, { option: "options.ingest.timeZone", value: ingestZone });
  }
  // one currency too: the dataset's lines carry no currency of their own, so an ingest currency
  // other than the dataset's relabelled them (a USD line of 100 and an EUR row of 100 read revenue
  // 200 EUR; review 2026-12-07). The same currency in any spelling ("usd ") is the same
  const ingestCurrency = (opts.ingest as { currency?: unknown } | undefined)?.currency;
  if (dataset?.currency !== undefined && ingestCurrency !== undefined && (typeof ingestCurrency !== "string" || ingestCurrency.trim().toUpperCase() !== dataset.currency)) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option options.ingest.currency: ${String(ingestCurrency)} is not the start dataset's currency (${dataset.currency}); leave it out to use the dataset's (lines in another currency need fx rates to it)`, { option: "options.ingest.currency", value: ingestCurrency });
  }
  const ingestOptions = resolveIngestOptions({
    ...(dataset !== undefined ? { timeZone: dataset.timeZone, ...(dataset.currency !== undefined ? { currency: dataset.currency } : {}) } : {}),
    ...(opts.ingest ?? {}),
  }, fn, "options.ingest");
  const detectOptions = {
    types: opts.types,
    sensitivity: opts.sensitivity,
    locale: opts.locale,
    calendar: opts.calendar,
    calibrate: opts.calibrate,
    detectors: opts.detectors,
  };
  const core = new EngineCore({
    dataset,
    ingestOptions,
    asOf: opts.asOf !== undefined ? optionDay(opts.asOf, "asOf", ingestOptions.timeZone) : undefined,
    refitEvery: opts.refitEvery ?? 7,
    cooldownDays: opts.cooldownDays ?? 30,
    keepResolvedDays: opts.keepResolvedDays ?? 365,
    detect: (ds, asOf, casesOnly) => {
      if (!casesOnly) return runDetectors(ds, { asOf, ...detectOptions }, "detectSignals", true);
      const types = selectedTypes(opts.types, fn).filter((t) => CASE_TYPES.has(t));
      return types.length > 0 ? runDetectors(ds, { asOf, ...detectOptions, types }, "detectSignals", true) : { signals: [], cases: undefined, itemCases: undefined, frequencyCases: undefined };
    },
    onSignal: top.onSignal as CreateEngineOptions["onSignal"],
    sinks: sinks as CreateEngineOptions["sinks"],
  });

  function ingest(lines: Iterable<OrderRow>): EngineUpdate;
  function ingest(lines: AsyncIterable<OrderRow>): Promise<EngineUpdate>;
  function ingest(lines: Iterable<OrderRow> | AsyncIterable<OrderRow>): EngineUpdate | Promise<EngineUpdate>;
  function ingest(lines: Iterable<OrderRow> | AsyncIterable<OrderRow>): EngineUpdate | Promise<EngineUpdate> {
    if (typeof lines === "object" && lines !== null && Symbol.iterator in lines) return core.ingest(Array.isArray(lines) ? lines : Array.from(lines));
    if (typeof lines === "object" && lines !== null && Symbol.asyncIterator in lines) {
      return (async () => {
        const parts: EngineUpdate[] = [];
        const offsets: number[] = []; // rows before each batch (its rejected rows' line numbers start after them)
        const customers = new Set<string>();
        // a key repeated across batches replaces a line this call stored: a repeat within the input
        // (the report's `replaced`, as the parse of one array counts it), not a replacement of stored data
        // its events are emitted once, after the last batch (grouped per customer over the whole
        // call, as for one array: batch by batch, C2's came before C1's when C2 was in the first)
        const call: AsyncIngestCall = { stored: new Set<number>(), repeats: 0, missingCost: 0, missingList: 0, returnLines: 0, unknown: { customer: new Set(), product: new Set(), rep: new Set() }, pending: [] };
        let batch: OrderRow[] = [];
        let read = 0;
        const run = (): void => {
          offsets.push(read);
          read += batch.length;
          parts.push(core.ingest(batch, customers, call));
          batch = [];
        };
        core.beginAsync(call);
        try {
          for await (const row of lines) {
            batch.push(row);
            if (batch.length >= ASYNC_BATCH) run();
          }
          if (batch.length > 0 || parts.length === 0) run();
        } finally {
          core.endAsync(call);
          // (also when the source or a batch throws: what the stored batches changed is told;
          // events a call between the batches made stale are dropped)
          core.emit(call.pending);
        }
        const merged = mergeUpdates(parts, offsets, customers.size, ingestOptions.maxRejectedRows, call.repeats);
        // (a line a later batch replaced was warned about by its own batch and is not kept)
        if (merged.report !== undefined) {
          if (call.missingCost > 0) takeWarning(merged.report, "missing_cost", call.missingCost);
          if (call.missingList > 0) takeWarning(merged.report, "missing_list_price", call.missingList);
          if (call.returnLines > 0) takeWarning(merged.report, "return_lines", call.returnLines);
        }
        return { ...merged, events: call.pending };
      })();
    }
    throw new OrderpulseError("INVALID_OPTION", "ingest: invalid option lines: expected an array, an iterable or an async iterable of order rows", { option: "lines" });
  }

  // a Date is read in the engine's time zone, as ingest reads an order's instant: parseDay's UTC
  // date put 01:30 on November 1 in Jerusalem on October 31, the clock a day behind the lines
  const dayOf = (input: string | Date | number, name: string): number => optionDay(input, name, ingestOptions.timeZone);
  return {
    ingest,
    remove: (keys: Iterable<LineKey>) => core.remove(keys),
    tick: (date) => core.tick(dayOf(date, "date")),
    detect: () => core.detectNow(),
    signals: (filter) => core.list(filter),
    snooze: (id, until) => core.snooze(id, dayOf(until, "until")),
    acknowledge: (id) => core.acknowledge(id),
    feedback: (id, verdict, note) => core.feedback(id, verdict, note),
    feedbackLog: () => core.feedbackLog(),
    kpis: (month) => core.kpis(month === undefined ? undefined : dayOf(month, "month")),
    dataset: () => core.dataset(),
    clock: () => (core.clock === undefined ? undefined : formatDay(core.clock)),
    snapshot: () => core.snapshot(),
    restore: (snapshot) => core.restore(snapshot),
    forget: (customerId) => core.forget(customerId),
    stats: () => core.stats(),
    flush: () => core.flush(),
    close: () => core.close(),
  };
}

/** One update from several batches (counts added, customers counted once, events and reports concatenated; `repeats` rows that replaced a line of an earlier batch counted as the report's replaced rows). */
function mergeUpdates(parts: readonly EngineUpdate[], offsets: readonly number[], customers: number, maxRejectedRows: number, repeats: number): EngineUpdate {
  if (parts.length === 1) return parts[0]!;
  const reports = parts.flatMap((p, k) => (p.report === undefined ? [] : [{ report: p.report, offset: offsets[k]! }]));
  return {
    added: parts.reduce((n, p) => n + p.added, 0),
    replaced: parts.reduce((n, p) => n + p.replaced, 0),
    removed: parts.reduce((n, p) => n + p.removed, 0),
    customers,
    events: parts.flatMap((p) => p.events),
    detected: parts.some((p) => p.detected),
    ...(reports.length > 0 ? { report: withRepeats(mergeReports(reports, maxRejectedRows), repeats) } : {}),
  };
}

/** A merged report with the rows that repeated a key of an earlier batch counted as replaced (the dataset holds accepted − replaced lines). */
function withRepeats(r: IngestReport, repeats: number): IngestReport {
  if (repeats === 0) return r;
  const orders = r.tables.orders;
  return { ...r, replaced: r.replaced + repeats, lines: r.lines - repeats, tables: { ...r.tables, ...(orders ? { orders: { ...orders, replaced: orders.replaced + repeats } } : {}) } };
}

/** Row counts of several batches added up (reasons and warnings by key). */
function addCounts(all: readonly RowCounts[]): RowCounts {
  const sum = (k: "rowsRead" | "accepted" | "rejected" | "excluded" | "replaced"): number => all.reduce((n, r) => n + r[k], 0);
  const add = (pick: (r: RowCounts) => Readonly<Record<string, number>>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const r of all) for (const [k, v] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + v;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  return { rowsRead: sum("rowsRead"), accepted: sum("accepted"), rejected: sum("rejected"), excluded: sum("excluded"), replaced: sum("replaced"), byReason: add((r) => r.byReason), rejectedByReason: add((r) => r.rejectedByReason), warnings: add((r) => r.warnings) };
}

/** The batches' reports as one report of the whole input: per-table counts added, rejected rows numbered from the first row. */
function mergeReports(parts: readonly { report: IngestReport; offset: number }[], maxRejectedRows: number): IngestReport {
  const reports = parts.map((p) => p.report);
  const tables: Partial<Record<TableName, TableReport>> = {};
  for (const r of reports) {
    for (const name of Object.keys(r.tables) as TableName[]) {
      if (tables[name] !== undefined) continue;
      const all = reports.flatMap((x) => (x.tables[name] === undefined ? [] : [x.tables[name]]));
      tables[name] = { ...all[0]!, ...addCounts(all) };
    }
  }
  return {
    ...reports[0]!,
    ...addCounts(reports),
    lines: reports.reduce((n, r) => n + r.lines, 0),
    tables,
    rejectedRows: parts.flatMap((p) => p.report.rejectedRows.map((row) => ({ ...row, line: row.line + p.offset }))).slice(0, maxRejectedRows),
  };
}
