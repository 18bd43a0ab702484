/**
 * `orderpulse/node`: Node-only extras (webhook sink, worker pool). Today: the webhook sink for the
 * real-time engine and the receiver's signature check; it also re-exports the CSV entry point so
 * Node hosts can import everything from one place.
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
