import { describe, expect, it } from "vitest";
import { fullJitterDelay, retryAfterMs } from "./backoff.ts";

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
