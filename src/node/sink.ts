/** What every sink payload has: an id. */
export interface SinkPayload {
  /**
   * Stable for the same situation (a Signal's `id`): a receiver that sees it twice with the same
   * `asOf` is seeing a retry or a replay and can drop the second copy. The webhook sink sends it,
   * with `@asOf` when the payload has one, as `Idempotency-Key`.
   */
  readonly id: string;
  /**
   * The day the payload was made (a Signal's `asOf`), when it has one. With the id it names one
   * delivery: the webhook sink sends `id@asOf` as `Idempotency-Key`, so the same situation alerted
   * again on a later day (a reopened signal, an ended snooze) is a new delivery, not a retry.
   */
  readonly asOf?: string | undefined;
}

/**
 * Where the real-time engine's output goes. A sink receives payloads one at a time and delivers
 * them on its own schedule; the engine never waits for a delivery and never sees a delivery
 * error. The callback sink (core) and the webhook sink ({@link createWebhookSink}) share this
 * shape, so `createEngine({ sinks })` can hold any mix of them.
 *
 * Rules every implementation follows:
 * - `send()` returns at once and never throws, whatever the payload or the receiver does;
 *   a payload it cannot deliver is kept or reported (never silently dropped).
 * - `flush()` resolves (never rejects) once everything sent so far has been delivered or given
 *   up on.
 * - `close()` stops accepting payloads, then flushes. Calling it again is harmless.
 *
 * Payloads carry a string `id` that is stable for the same situation (a Signal's `id`) and, for a
 * Signal, the day it was alerted (`asOf`): receivers deduplicate retried deliveries on `id@asOf`
 * (a situation alerted again on a later day is a new delivery).
 *
 * The engine takes any object with `send()` (core's `SignalSink`, the same contract for Signals,
 * with an optional `forget`); this interface is the webhook sink's, for any payload with an id.
 *
 * @typeParam T - the payload, e.g. a Signal
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Sink, SinkPayload } from "orderpulse/node";
 * // A callback sink: the simplest implementation of the contract (a payload it refuses after
 * // close() is reported, never silently dropped)
 * function callbackSink<T extends SinkPayload>(fn: (payload: T) => void, onRefused: (payload: T) => void): Sink<T> {
 *   let closed = false;
 *   return {
 *     send(payload) {
 *       if (closed) return onRefused(payload);
 *       try {
 *         fn(payload);
 *       } catch {
 *         // a sink never throws into the engine
 *       }
 *     },
 *     flush: async () => {},
 *     close: async () => { closed = true; },
 *   };
 * }
 * const seen: string[] = [], refused: string[] = [];
 * const sink = callbackSink<{ id: string }>((s) => { seen.push(s.id); throw new Error("host bug"); }, (s) => refused.push(s.id));
 * sink.send({ id: "sig-1" });
 * await sink.close();
 * sink.send({ id: "sig-2" });
 * assert.deepEqual(seen, ["sig-1"]);
 * assert.deepEqual(refused, ["sig-2"]);
 * ```
 */
export interface Sink<T extends SinkPayload> {
  /**
   * Hand a payload to the sink. Returns at once; never throws.
   * @param payload - the payload (its `id` identifies it to the receiver)
   * @returns nothing
   * @throws never
   */
  send(payload: T): void;
  /**
   * Wait until everything sent so far has been delivered or given up on. Payloads sent after the
   * call do not hold it up.
   * @returns a promise that resolves (never rejects) once everything sent before the call is delivered or given up on
   * @throws never
   */
  flush(): Promise<void>;
  /**
   * Stop accepting payloads, then flush.
   * @returns a promise that resolves (never rejects) when the sink is idle
   * @throws never
   */
  close(): Promise<void>;
}
