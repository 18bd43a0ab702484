import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { verifyWebhookSignature } from "./verify-webhook-signature.ts";

const secret = "whsec_rotating";
const body = JSON.stringify({ id: "sig-1", type: "customer_overdue", message: "שלום, Acme" });
const t = 1_790_000_000;
const now = t * 1000 + 10_000;
const hex = (s: string, ts: number, b: string | Buffer): string => createHmac("sha256", s).update(`${ts}.`).update(b).digest("hex");
const header = `t=${t},v1=${hex(secret, t, body)}`;

describe("verifyWebhookSignature", () => {
  it("accepts the scheme: HMAC-SHA256 over `${t}.${raw body}`, text or bytes", () => {
    expect(verifyWebhookSignature(secret, header, body, 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, header, Buffer.from(body, "utf8"), 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, header, new TextEncoder().encode(body), 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, header.toUpperCase().replace("T=", "t=").replace("V1=", "v1="), body, 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, ` t=${t} , v1=${hex(secret, t, body)} `, body, 300, now)).toBe(true);
  });

  it("rejects a changed body, a wrong secret or a changed timestamp", () => {
    expect(verifyWebhookSignature(secret, header, body.replace("sig-1", "sig-2"), 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, JSON.stringify(JSON.parse(body), null, 1), 300, now)).toBe(false); // re-serialized
    expect(verifyWebhookSignature("other", header, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, 300, now + 1000)).toBe(false);
  });

  it("checks the MAC over t as written, and one t only (review 2026-12-06: the number was signed, and the last t won)", () => {
    const mac = (ts: string): string => createHmac("sha256", secret).update(`${ts}.`).update(body).digest("hex");
    // a reformatted t ("0" in front) no longer passes with the number's MAC, and passes with its own text's
    expect(verifyWebhookSignature(secret, `t=0${t},v1=${mac(String(t))}`, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, `t=0${t},v1=${mac(`0${t}`)}`, body, 300, now)).toBe(true);
    // two t entries: malformed, whichever the MAC is for
    expect(verifyWebhookSignature(secret, `t=${t},v1=${mac(String(t))},t=${t + 1}`, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, `t=${t + 1},t=${t},v1=${mac(String(t))}`, body, 300, now)).toBe(false);
    // a Fetch API receiver's ArrayBuffer body
    const bytes = new TextEncoder().encode(body);
    expect(verifyWebhookSignature(secret, header, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), 300, now)).toBe(true);
  });

  it("checks freshness both ways within toleranceSeconds; Infinity turns it off", () => {
    expect(verifyWebhookSignature(secret, header, body, 10, now)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, 9, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, t * 1000 - 301_000)).toBe(false); // from the future
    expect(verifyWebhookSignature(secret, header, body, Infinity, now + 86_400_000 * 365)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body)).toBe(false); // default: now, 300 s
  });

  it("accepts any of several v1 signatures (secret rotation) and repeated headers", () => {
    const both = `t=${t},v1=${hex("old", t, body)},v1=${hex(secret, t, body)}`;
    expect(verifyWebhookSignature(secret, both, body, 300, now)).toBe(true);
    expect(verifyWebhookSignature("old", both, body, 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, [`t=${t}`, `v1=${hex(secret, t, body)}`], body, 300, now)).toBe(true);
  });

  it("is false, not an exception, for missing or malformed headers", () => {
    for (const h of [undefined, null, "", "garbage", `t=${t}`, `v1=${hex(secret, t, body)}`, `t=abc,v1=${hex(secret, t, body)}`, `t=${t},v1=zz`, `t=${t},v1=${hex(secret, t, body).slice(1)}`, `t=${t},v0=${hex(secret, t, body)}`]) {
      expect(verifyWebhookSignature(secret, h, body, 300, now), String(h)).toBe(false);
    }
    expect(verifyWebhookSignature(secret, header, 42 as unknown as string, 300, now)).toBe(false);
    // a header of another kind from a JavaScript caller (it threw a TypeError: header.join)
    for (const h of [123, {}, [1, 2]]) expect(verifyWebhookSignature(secret, h as never, body, 300, now)).toBe(false);
  });

  it("throws INVALID_OPTION for a bad secret, tolerance or clock", () => {
    expectInvalid(() => verifyWebhookSignature("", header, body), "secret");
    expectInvalid(() => verifyWebhookSignature(undefined as unknown as string, header, body), "secret");
    expectInvalid(() => verifyWebhookSignature(secret, header, body, -1), "toleranceSeconds");
    expectInvalid(() => verifyWebhookSignature(secret, header, body, Number.NaN), "toleranceSeconds");
    expectInvalid(() => verifyWebhookSignature(secret, header, body, 300, Number.NaN), "nowMs");
  });
});
