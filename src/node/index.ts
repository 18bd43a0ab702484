/**
 * `orderpulse/node`: Node-only extras: the webhook sink for the real-time engine and the
 * receiver's signature check, and the worker-thread pool for the per-customer stages; it also
 * re-exports the CSV entry point so Node hosts can import everything from one place.
 * @module
 */
export * from "../csv/index.ts";
export type { Sink, SinkPayload } from "./sink.ts";
export type {
  DeadLetter,
  DeadLetterReason,
  WebhookSink,
  WebhookSinkFailure,
  WebhookSinkOptions,
  WebhookSinkStats,
} from "./create-webhook-sink.ts";
export { createWebhookSink } from "./create-webhook-sink.ts";
export { verifyWebhookSignature } from "./verify-webhook-signature.ts";
export type { WorkerPool, WorkerPoolOptions } from "./create-worker-pool.ts";
export { createWorkerPool } from "./create-worker-pool.ts";
