import { createHmac } from "node:crypto";
import { OrderpulseError } from "../../data/errors.ts";

/**
 * @internal The webhook signature scheme, shared by the sink (signing) and
 * `verifyWebhookSignature` (checking): HMAC-SHA256 with the shared secret over
 * `${unixSeconds}.${body}`, sent as `X-Orderpulse-Signature: t=<unixSeconds>,v1=<hex>`.
 * @module
 */

/** @internal Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = "X-Orderpulse-Signature";
/** @internal Header carrying the payload id (the same on every attempt). */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** @internal Header carrying the 1-based delivery attempt number. */
export const ATTEMPT_HEADER = "X-Orderpulse-Attempt";

/** @internal Hex HMAC-SHA256 of `${t}.` followed by the body (text as UTF-8, or raw bytes). */
export function signatureHex(secret: string, t: number | string, body: string | Uint8Array): string {
  return createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
}

/** @internal The full header value for a body signed at unix second `t`. */
export function signatureHeader(secret: string, t: number, body: string): string {
  return `t=${t},v1=${signatureHex(secret, t, body)}`;
}

/** @internal The secret is a non-empty string, else INVALID_OPTION (its value is kept out of the error). */
export function checkSecret(secret: unknown, fn: string): void {
  if (typeof secret !== "string" || secret === "") {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option secret: expected a non-empty string`, { option: "secret" });
  }
}
