/**
 * Types of the real-time engine ({@link createEngine}).
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import type { IngestOptions } from "../data/ingest-options.ts";
import type { IngestReport } from "../data/ingest-report.ts";
import type { IdValue, OrderRow } from "../data/rows.ts";
import type { BusinessCalendar } from "../patterns/fit-interval-model.ts";
import type { SignalDetectorOptions } from "../signals/detect-signals.ts";
import type { Signal, SignalLocale, SignalType } from "../signals/types.ts";

/**
 * Where the engine's alerts go: any object with this shape, e.g. the webhook sink of
 * `orderpulse/node` (`createWebhookSink`) or a host's own queue. Same contract as
 * `orderpulse/node`'s `Sink`: `send()` returns at once and never throws; the engine still guards
 * every call, so a sink that throws cannot break ingestion.
 */
export interface SignalSink {
  /**
   * Take one alert (a Signal). Its `id` names the situation, which can be alerted again (a reopened
   * situation, an ended snooze): deduplicate deliveries on `id` with `asOf` (`id@asOf`, the webhook
   * sink's Idempotency-Key), not on `id` alone, which drops every second alert of a situation.
   * @param payload - the signal
   * @returns nothing
   */
  send(payload: Signal): void;
  /**
   * Wait until everything sent has been delivered or given up on (optional).
   * @returns a promise resolved when idle
   */
  flush?(): Promise<void>;
  /**
   * Stop accepting payloads, then flush (optional).
   * @returns a promise resolved when closed
   */
  close?(): Promise<void>;
  /**
   * Drop what the sink holds for a customer (optional): `engine.forget(customerId)` calls it on
   * every sink it reaches, so queued or dead-lettered alerts of an erased customer are not sent
   * later (the webhook sink's dead letters were replayed to the CRM after an erasure).
   * @param customerId - the customer's id
   * @param related - the customer's deal ids (when it had deals), which alerts of its rep
   *   (`pipeline_stall`'s `evidence.dealIds`) may name: the engine takes them out of its own
   *   situations, a sink out of the alerts it holds
   * @returns anything (ignored)
   */
  forget?(customerId: string, related?: SinkForgetRelated): unknown;
}

/** What else {@link SignalSink.forget} erases with a customer. */
export interface SinkForgetRelated {
  /** The customer's deal ids. */
  readonly dealIds: readonly string[];
}

/** Where a tracked situation stands. */
export type SignalStatus = "open" | "snoozed" | "acknowledged" | "resolved";

/** Why a situation was resolved: the customer bought again, or a full detection no longer finds it. */
export type SignalResolution = "ordered_again" | "not_detected";

/** What happened to a situation in one engine call. */
export type SignalEventKind = "opened" | "updated" | "resolved" | "reopened";

/** One change reported to `onSignal` (and, for alerts, to the sinks). */
export interface SignalEvent {
  /** What happened: a new situation, new evidence, resolved, or back after a snooze or a resolve. */
  readonly kind: SignalEventKind;
  /** The situation's status after the change. */
  readonly status: SignalStatus;
  /** The engine's clock day, `YYYY-MM-DD` (the day of the last tick). */
  readonly at: string;
  /** Whether this event was an alert (sent to the sinks): new or reopened situations outside their cooldown, snoozes that ended, and (an `updated` event) a situation held back by the cooldown and still open when it ended. */
  readonly alert: boolean;
  /** For `resolved`: why. */
  readonly resolution?: SignalResolution;
}

/** A situation the engine tracks: its latest signal and its lifecycle. */
export interface TrackedSignal {
  /** The signal id (stable per situation). */
  readonly id: string;
  /** Current status. */
  readonly status: SignalStatus;
  /** The signal as last detected. */
  readonly signal: Signal;
  /** Clock day it was first detected. */
  readonly openedAt: string;
  /** Clock day of its last change. */
  readonly updatedAt: string;
  /** Clock day it was resolved (resolved ones only). */
  readonly resolvedAt?: string;
  /** Why it was resolved (resolved ones only). */
  readonly resolution?: SignalResolution;
  /** Snoozed until this day (snoozed ones, and resolved ones that were snoozed): it comes back, with an alert, on the first tick on or after it. */
  readonly snoozedUntil?: string;
  /**
   * Resolved ones only: the rep's decision it was resolved under (`acknowledged`, or `snoozed`
   * with `snoozedUntil`). If the situation comes back (a cancelled order: `remove`), it comes back
   * so, without an alert (a snooze whose day has passed comes back open).
   */
  readonly held?: "acknowledged" | "snoozed";
  /** Whether an alert went out for it (false while its type and entity were in cooldown). */
  readonly alerted: boolean;
}

/** Options of the engine (`createEngine({ options })`). */
export interface EngineOptions {
  /** Start of the clock (default: the dataset's last order day; without a dataset, the first tick sets it). */
  asOf?: string | Date | number | undefined;
  /**
   * Full detections (model refit and every detector on the whole base) happen on ticks at least
   * this many days after the previous one (default 7). `1` makes every tick exact: the open
   * situations equal `detectSignals` at the clock day. In between, ingestion resolves
   * situations the new orders end (a customer orders again), the lifecycle runs, and every tick
   * asks the last detection's `customer_overdue` test of each customer still silent since then at
   * the clock day (an overdue customer is flagged on the day its silence crosses the line) and its
   * `item_dropped` and `frequency_drop` tests of each customer with new orders (a habit missing
   * from one order too many, or a slowdown one more slow gap makes clear, is flagged at the tick
   * after that order).
   */
  refitEvery?: number | undefined;
  /** Days after an alert (or after an alerted situation stopped being detected) during which a situation of the same type and entity does not alert again (default 30; 0 = off). */
  cooldownDays?: number | undefined;
  /**
   * Days a resolved situation stays listed (`signals({ status: "resolved" })`, the snapshot) after
   * it was resolved (an alerted one also while its family's cooldown runs); a tick then forgets
   * it, after telling that tick's events (default 365; up to 1,000,000, which keeps them). A
   * detection that finds it again afterwards opens it anew (`opened`, not `reopened`). The
   * feedback log keeps its entries.
   */
  keepResolvedDays?: number | undefined;
  /** Signal types to run (default all). */
  types?: readonly SignalType[] | undefined;
  /** Detector sensitivity (default 1). */
  sensitivity?: number | undefined;
  /** Message language. */
  locale?: SignalLocale | undefined;
  /** Business calendar of the pattern model. */
  calendar?: BusinessCalendar | undefined;
  /** The pattern model's calibration by backtest at each refit (default true; false: one fit of the interval model per refit, widths as fitted; see fitPatterns). */
  calibrate?: boolean | undefined;
  /** Per-type detector options. */
  detectors?: SignalDetectorOptions | undefined;
  /**
   * How ingested rows are read (time zone, date format, currency, strictness): the `fromRows`
   * options. With a start dataset, the time zone and the currency are the dataset's: another
   * one throws `INVALID_OPTION` (one zone and one currency per dataset; lines in another currency
   * need `fx` rates into the dataset's).
   */
  ingest?: IngestOptions | undefined;
}

/** What `createEngine` takes. */
export interface CreateEngineOptions {
  /**
   * History to start from (its order lines, master data and pipeline events); default: empty.
   * An as-of view (`asOfView`) gives what it shows: its order lines and pipeline events dated up
   * to its day (the lines it hides are not stored: ingest them as they come), and the clock starts
   * at that day.
   */
  dataset?: Dataset | undefined;
  /** Engine options. */
  options?: EngineOptions | undefined;
  /**
   * Called for every event, grouped per customer within a call. May throw: the engine catches it
   * (counted in `stats().callbackErrors`).
   * @param signal - the signal concerned
   * @param event - what happened
   */
  onSignal?: ((signal: Signal, event: SignalEvent) => void) | undefined;
  /** Alert destinations; each alert goes to every sink, or to those the function picks (route by `signal.repId`, the account owner). */
  sinks?: readonly SignalSink[] | ((signal: Signal) => readonly SignalSink[]) | undefined;
}

/** A line to delete: its order, and its line_id (without one, every line of the order goes). */
export interface LineKey {
  /** Order id. */
  readonly order_id: IdValue;
  /** Line id within the order. */
  readonly line_id?: IdValue | undefined;
}

/** One emitted event with its signal (as `onSignal` received them). */
export interface EngineEvent {
  /** The signal concerned (its latest version). */
  readonly signal: Signal;
  /** What happened. */
  readonly event: SignalEvent;
}

/** What one `ingest` / `remove` / `tick` call did. */
export interface EngineUpdate {
  /** New lines stored. */
  readonly added: number;
  /** Lines that replaced a stored line with the same key (re-syncs). */
  readonly replaced: number;
  /** Lines deleted. */
  readonly removed: number;
  /** Customers whose lines changed. */
  readonly customers: number;
  /** The events emitted, in emission order (grouped per customer). */
  readonly events: readonly EngineEvent[];
  /** For `ingest`: how the rows were read (rejected rows with reasons). */
  readonly report?: IngestReport;
  /** Whether a full detection ran. */
  readonly detected: boolean;
}

/** Options of `engine.signals()`. */
export interface EngineSignalsOptions {
  /** Which ones: a status, `active` (open, snoozed or acknowledged; the default) or `all`. */
  status?: SignalStatus | "active" | "all" | undefined;
  /** Only this customer's. */
  customerId?: string | undefined;
  /** Only this responsible rep's. */
  repId?: string | undefined;
  /** Only this type. */
  type?: SignalType | undefined;
}

/** A verdict on a signal, kept for tuning. */
export interface SignalFeedback {
  /** The signal id. */
  readonly id: string;
  /** The signal's type. */
  readonly type: SignalType;
  /** The signal's customer, when it has one (`forget` erases the customer's feedback by it, also after its situation is forgotten). */
  readonly customerId?: string;
  /** Was it worth acting on. */
  readonly verdict: "useful" | "not_useful";
  /** Free text. */
  readonly note?: string;
  /** Clock day it was given. */
  readonly at: string;
}

/** Live totals of the current month ({@link Engine.kpis}), updated as lines arrive. */
export interface LiveKpis {
  /** Month label, `YYYY-MM`. */
  readonly period: string;
  /** First day of the month. */
  readonly start: string;
  /** Last day of the month. */
  readonly end: string;
  /** Net revenue Σ quantity × unit_price (returns netted). */
  readonly revenue: number;
  /** Revenue of the lines with a known cost. */
  readonly costedRevenue: number;
  /** Σ quantity × unit_cost of the lines with a known cost. */
  readonly cost: number;
  /** Gross profit = costed revenue − cost; `undefined` (not measured) when the month has lines but none with a cost, as in `grossProfit`'s rows. */
  readonly grossProfit: number | undefined;
  /** Gross margin = gross profit ÷ costed revenue; undefined unless that is positive (returns outweighing sales have no margin). */
  readonly margin: number | undefined;
  /** Order lines. */
  readonly lines: number;
  /** Lines without a cost (line's or product's). */
  readonly linesWithoutCost: number;
  /** Distinct orders with at least one purchase line (a credit note is no order, as in computeKpis). */
  readonly orders: number;
  /** Customers with at least one purchase line (quantity > 0). */
  readonly activeCustomers: number;
}

/** The engine's own state, versioned, without the order history (serialize the dataset with `datasetToBytes`). */
export interface EngineSnapshot {
  /** Format marker. */
  readonly format: "orderpulse-engine";
  /** Format version. */
  readonly version: 1;
  /** Clock day, when set. */
  readonly clock: string | undefined;
  /** Day of the last full detection, when any. */
  readonly lastDetection: string | undefined;
  /** Every tracked situation. */
  readonly signals: readonly TrackedSignal[];
  /** Per type and entity, the day its running cooldown started: its last alert, or the day an alerted situation of it stopped being detected (one that has run out is dropped at the next tick). */
  readonly cooldowns: Readonly<Record<string, string>>;
  /** Feedback given. */
  readonly feedback: readonly SignalFeedback[];
  /** Whether lines changed since the last detection (a tick at `refitEvery: 1` detects again); absent in older snapshots: no. */
  readonly pendingChanges?: boolean | undefined;
  /**
   * Customers whose item and rhythm tests are still to be asked at the next tick (purchases after
   * the last detection not yet looked at); absent in older snapshots: every customer with a
   * purchase after the detection is asked again.
   */
  readonly askAgain?: readonly string[] | undefined;
  /**
   * Customers already asked with their purchases up to the clock that hold a purchase dated after
   * it: the day (YYYY-MM-DD) they are asked again, when the clock reaches that purchase; absent in
   * older snapshots (then such customers are in `askAgain`).
   */
  readonly askAt?: Readonly<Record<string, string>> | undefined;
}

/** Counters of the engine. */
export interface EngineStats {
  /** Order lines stored. */
  readonly lines: number;
  /** Customers with lines. */
  readonly customers: number;
  /** Full detections run. */
  readonly detections: number;
  /** Datasets materialized (incrementally from the previous one, or rebuilt). */
  readonly materializations: number;
  /** Of those, full rebuilds (a customer, product, rep or channel appeared or vanished, or master data changed). */
  readonly fullRebuilds: number;
  /** Exceptions thrown by `onSignal` or a sink (caught). */
  readonly callbackErrors: number;
}

/** The real-time engine ({@link createEngine}). */
export interface Engine {
  /**
   * Add or replace order lines (idempotent by line key: (order_id, line_id), else the whole row).
   * @param lines - order rows, an array or iterable; an async iterable gives a promise
   * @returns what changed and the events emitted
   * @throws {OrderpulseError} `MIXED_CURRENCIES` when the rows are in another currency than the
   *   engine's (its ingest option, its dataset's, or the first batch's) and no fx rates were given
   */
  ingest(lines: Iterable<OrderRow>): EngineUpdate;
  /**
   * Add or replace order lines from an async source, in batches of 10,000 rows.
   * @param lines - order rows
   * @returns a promise of what changed (all batches together)
   */
  ingest(lines: AsyncIterable<OrderRow>): Promise<EngineUpdate>;
  /**
   * Either of the above, when the caller's type is the union (a `RowSource<OrderRow>`, as
   * `fromRows` takes): a sync iterable is ingested at once, an async one gives a promise.
   * @param lines - order rows, sync or async
   * @returns what changed, or a promise of it for an async source
   */
  ingest(lines: Iterable<OrderRow> | AsyncIterable<OrderRow>): EngineUpdate | Promise<EngineUpdate>;
  /**
   * Delete lines (order deleted or corrected in the ERP).
   * @param keys - line keys; one without line_id deletes the whole order
   * @returns what changed
   * @throws {OrderpulseError} `INVALID_OPTION` (option `keys`) for a key without an order_id, or with
   *   a line_id that is no id (not text or a finite number); nothing is deleted then
   */
  remove(keys: Iterable<LineKey>): EngineUpdate;
  /**
   * Advance the clock to a day (never backwards); snoozes end, and a full detection runs when due;
   * otherwise the last detection's overdue, item-dropped and frequency-drop tests are asked at the new day (see `refitEvery`).
   * @param date - the new clock day (`YYYY-MM-DD`, an epoch day, or a `Date`, read in the engine's time zone as ingest reads an order's instant), a day that is over: its silence counts (tick at the end of the day, or with yesterday in the morning)
   * @returns the events emitted
   */
  tick(date: string | Date | number): EngineUpdate;
  /**
   * Run a full detection at the clock day now, whatever `refitEvery` says.
   * @returns the events emitted
   */
  detect(): EngineUpdate;
  /**
   * Tracked situations.
   * @param options - status filter (default `active`), customerId, repId, type
   * @returns them, highest value at risk first
   * @throws {OrderpulseError} `INVALID_OPTION` for a filter that is no object, an unknown option,
   *   an unknown status or type, or a customer / rep id that is not text
   */
  signals(options?: EngineSignalsOptions): TrackedSignal[];
  /**
   * Silence a situation until a day; it comes back (with an alert) on the first tick on or after it if still detected.
   * An acknowledged situation can be snoozed too: a reminder (it comes back open, with an alert). A resolved one cannot.
   * @param id - signal id
   * @param until - the day (a `Date` is read in the engine's time zone)
   * @returns the tracked situation
   */
  snooze(id: string, until: string | Date | number): TrackedSignal;
  /**
   * Mark a situation as seen: no more alerts for it; it still resolves.
   * @param id - signal id
   * @returns the tracked situation
   */
  acknowledge(id: string): TrackedSignal;
  /**
   * Record whether a signal was useful (kept in the snapshot for tuning).
   * @param id - signal id
   * @param verdict - `useful` or `not_useful`
   * @param note - free text
   * @returns the record
   */
  feedback(id: string, verdict: "useful" | "not_useful", note?: string): SignalFeedback;
  /**
   * All feedback given, oldest first.
   * @returns the records
   */
  feedbackLog(): SignalFeedback[];
  /**
   * Live totals of a month (default: the month of the latest of the clock and the newest line).
   * @param month - any day of the month (a `Date` is read in the engine's time zone)
   * @returns the month's totals
   * @throws {OrderpulseError} `INVALID_OPTION` without `month` while the engine has neither a clock
   *   nor an order line (no month is current: it read January 1970)
   */
  kpis(month?: string | Date | number): LiveKpis;
  /**
   * The whole history as a Dataset (built lazily, cached until the next change).
   * @returns the dataset (every line, including those dated after the clock)
   */
  dataset(): Dataset;
  /**
   * The clock day.
   * @returns `YYYY-MM-DD`, or undefined before the first tick of an engine without data
   */
  clock(): string | undefined;
  /**
   * The engine's state without the order history.
   * @returns a JSON-serializable snapshot
   */
  snapshot(): EngineSnapshot;
  /**
   * Replace the engine's state by a snapshot (the engine's lines should be the ones it was taken with).
   * @param snapshot - from `snapshot()`
   * @returns nothing
   */
  restore(snapshot: EngineSnapshot): void;
  /**
   * Erase a customer: its lines, master data, pipeline events, situations and feedback, and (through
   * each sink's optional `forget`) the alerts the sinks still hold for it.
   * @param customerId - the customer, as `ingest` stores ids (trimmed: `" C9 "` is `C9`)
   * @returns lines erased
   */
  forget(customerId: string): number;
  /**
   * Counters.
   * @returns the counters
   */
  stats(): EngineStats;
  /**
   * Wait until every sink has delivered what it was given.
   * @returns a promise (never rejects)
   */
  flush(): Promise<void>;
  /**
   * Close every sink.
   * @returns a promise (never rejects)
   */
  close(): Promise<void>;
}
