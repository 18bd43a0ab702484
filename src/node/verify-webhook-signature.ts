import { timingSafeEqual } from "node:crypto";
import { checkNumber } from "../data/internal/check.ts";
import { checkSecret, signatureHex } from "./internal/signature.ts";

const FN = "verifyWebhookSignature";

/**
 * Check a webhook request from {@link createWebhookSink} on the receiving side: the
 * `X-Orderpulse-Signature` header (`t=<unix seconds>,v1=<hex>`) must hold an HMAC-SHA256, with
 * the shared secret, of `<t>.<raw body>`, and `t` must be within `toleranceSeconds` of now (so a
 * captured request cannot be replayed later). Several `v1=` entries are accepted (one matching is
 * enough); the MAC is checked over `t` as the header writes it, and a header with more than one
 * `t=` (or a `t` that is not 1-15 digits) is malformed. Verify the raw body bytes before parsing them: re-serialized JSON will not match.
 * Comparison is constant-time. Node only (`node:crypto`).
 *
 * @param secret - the secret the sink was created with
 * @param header - the `X-Orderpulse-Signature` header value (Node's `req.headers["x-orderpulse-signature"]`)
 * @param body - the raw request body, as received (text, bytes, or a Fetch API `ArrayBuffer`)
 * @param toleranceSeconds - largest accepted distance between `t` and now, in seconds; default 300;
 *   `Infinity` turns the check off
 * @param nowMs - the current time in epoch milliseconds; default `Date.now()`
 * @returns whether the signature is valid and fresh (false for a missing or malformed header)
 * @throws {OrderpulseError} `INVALID_OPTION` when `secret` is not a non-empty string or
 *   `toleranceSeconds` is not a number >= 0, or `nowMs` is not a valid time
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHmac } from "node:crypto";
 * import { verifyWebhookSignature } from "orderpulse/node";
 * // what the sink sends, rebuilt by hand
 * const body = '{"id":"sig-1","type":"customer_overdue"}';
 * const t = 1_790_000_000;
 * const hex = createHmac("sha256", "whsec_test").update(`${t}.${body}`).digest("hex");
 * const header = `t=${t},v1=${hex}`;
 * const now = t * 1000 + 60_000; // received a minute later
 * assert.equal(verifyWebhookSignature("whsec_test", header, body, 300, now), true);
 * assert.equal(verifyWebhookSignature("whsec_test", header, body + " ", 300, now), false); // body changed
 * assert.equal(verifyWebhookSignature("other", header, body, 300, now), false); // wrong secret
 * assert.equal(verifyWebhookSignature("whsec_test", header, body, 30, now), false); // too old
 * assert.equal(verifyWebhookSignature("whsec_test", undefined, body), false); // no header
 * ```
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | readonly string[] | null | undefined,
  body: string | Uint8Array | ArrayBuffer,
  toleranceSeconds: number = 300,
  nowMs: number = Date.now(),
): boolean {
  checkSecret(secret, FN);
  checkNumber({ toleranceSeconds }, "toleranceSeconds", 0, Infinity, FN);
  checkNumber({ nowMs }, "nowMs", 0, 8.64e15, FN);
  // a header of another kind (a number, an object from JavaScript callers) is malformed: false
  if (typeof header !== "string" && !(Array.isArray(header) && header.every((h) => typeof h === "string"))) return false;
  // t as written: the MAC covers the header's text (a reformatted number, "01790000000" read as
  // 1790000000, let the text change without the check failing); more than one t is malformed
  let tText: string | undefined;
  let ts = 0;
  const candidates: string[] = [];
  for (const part of (typeof header === "string" ? header : header.join(",")).split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (!/^\d{1,15}$/.test(value) || ++ts > 1) return false;
      tText = value;
    } else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (tText === undefined || candidates.length === 0) return false;
  if (Math.abs(nowMs / 1000 - Number(tText)) > toleranceSeconds) return false;
  // (a Fetch API receiver has the body as an ArrayBuffer: `await request.arrayBuffer()`)
  const raw = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
  if (typeof raw !== "string" && !(raw instanceof Uint8Array)) return false;
  const expected = Buffer.from(signatureHex(secret, tText, raw), "hex");
  let ok = false;
  for (const c of candidates) ok = timingSafeEqual(expected, Buffer.from(c, "hex")) || ok;
  return ok;
}
