import { describe, expect, it } from "vitest";
import { fullJitterDelay, httpDateMs, retryAfterMs } from "./backoff.ts";

describe("fullJitterDelay", () => {
  it("is uniform below min(maxMs, baseMs * 2^(retry-1))", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => fullJitterDelay(n, 100, 1000, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(fullJitterDelay(3, 100, 1000, () => 0)).toBe(0);
    expect(fullJitterDelay(3, 100, 1000, () => 0.5)).toBe(200);
    // spread: the mean of many draws is half the cap
    let sum = 0;
    for (let i = 0; i < 1000; i++) sum += fullJitterDelay(2, 100, 1000, () => (i + 0.5) / 1000);
    expect(sum / 1000).toBeCloseTo(99.5, 0);
  });

  it("clamps a random source outside [0, 1) and never overflows for large retry numbers", () => {
    expect(fullJitterDelay(1, 100, 1000, () => 7)).toBe(100);
    expect(fullJitterDelay(1, 100, 1000, () => -1)).toBe(0);
    expect(fullJitterDelay(1, 100, 1000, () => Number.NaN)).toBe(0);
    expect(fullJitterDelay(2000, 100, 1000, () => 0.5)).toBe(500);
  });
});

describe("retryAfterMs", () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  it("reads delta-seconds and HTTP dates", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(retryAfterMs(new Date(now - 90_000).toUTCString(), now)).toBe(0);
  });
  it("is undefined when absent or unreadable", () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs("-5", now)).toBeUndefined();
  });
});

describe("httpDateMs", () => {
  const now = Date.UTC(2026, 9, 5, 8, 0, 0);
  const at = Date.UTC(2026, 9, 5, 8, 0, 10);
  // The old code handed these to Date.parse, which reads a date without a zone (asctime) as the
  // host's local time: the asctime cases failed whenever the process ran outside UTC (e.g. with
  // TZ=Asia/Jerusalem the 10 s wait below came out as 0, with TZ=America/New_York as 4 h and 10 s).
  // The expectations are Date.UTC values, so they hold in every time zone.
  it("reads the three RFC 9110 forms as GMT: IMF-fixdate, RFC 850 and asctime", () => {
    expect(httpDateMs("Mon, 05 Oct 2026 08:00:10 GMT", now)).toBe(at);
    expect(httpDateMs("Monday, 05-Oct-26 08:00:10 GMT", now)).toBe(at);
    expect(httpDateMs("Mon Oct  5 08:00:10 2026", now)).toBe(at);
    expect(httpDateMs("Mon Oct 15 08:00:10 2026", now)).toBe(Date.UTC(2026, 9, 15, 8, 0, 10));
    expect(httpDateMs("Sun Nov  6 08:49:37 1994", now)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it("gives retryAfterMs the same wait for an asctime date as for the IMF-fixdate of the same instant", () => {
    expect(retryAfterMs("Mon, 05 Oct 2026 08:00:10 GMT", now)).toBe(10_000);
    expect(retryAfterMs("Mon Oct  5 08:00:10 2026", now)).toBe(10_000);
  });

  it("takes a two-digit RFC 850 year within 50 years of now, case and runs of spaces as they come, and a leap second", () => {
    expect(httpDateMs("Sunday, 06-Nov-94 08:49:37 GMT", now)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(httpDateMs("Saturday, 06-Nov-76 08:49:37 GMT", now)).toBe(Date.UTC(2076, 10, 6, 8, 49, 37));
    expect(httpDateMs("Sunday, 06-Nov-77 08:49:37 GMT", now)).toBe(Date.UTC(1977, 10, 6, 8, 49, 37));
    expect(httpDateMs("  mon,  05 OCT 2026 08:00:10 gmt ", now)).toBe(at);
    expect(httpDateMs("mon oct 5 08:00:10 2026", now)).toBe(at);
    expect(httpDateMs("Wed, 31 Dec 2025 23:59:60 GMT", now)).toBe(Date.UTC(2026, 0, 1, 0, 0, 0));
  });

  it("is undefined for anything that is not one of the three forms or names no real instant", () => {
    for (const v of [
      "Mon, 05 Oct 2026 08:00:10", // IMF-fixdate and RFC 850 name the zone, always GMT
      "Mon, 05 Oct 2026 08:00:10 +0200",
      "2026-10-05T08:00:10Z",
      "Mon, 31 Feb 2026 08:00:10 GMT",
      "Mon, 00 Oct 2026 08:00:10 GMT",
      "Mon, 05 Oct 2026 24:00:00 GMT",
      "Mon, 05 Oct 2026 08:60:00 GMT",
      "Mon, 05 Okt 2026 08:00:10 GMT",
      "Mon Oct  5 08:00:10",
      "soon",
      "",
    ]) {
      expect(httpDateMs(v, now), v).toBeUndefined();
    }
  });
});
