/**
 * @internal Retry timing for the webhook sink: "full jitter" exponential backoff (AWS
 * Architecture Blog, "Exponential Backoff And Jitter", 2015) and the HTTP `Retry-After` header.
 * @module
 */

/**
 * @internal Delay before retry number `retry` (1 = the first retry): uniform in
 * `[0, min(maxMs, baseMs * 2^(retry-1)))`, whole milliseconds. `random` outside [0, 1) is clamped.
 */
export function fullJitterDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  const r = random();
  const u = r >= 0 && r < 1 ? r : r >= 1 ? 1 : 0;
  return Math.floor(u * cap);
}

/**
 * @internal `Retry-After` in milliseconds from now: delta-seconds (`"120"`) or an HTTP date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`, never negative); undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // an HTTP date names a weekday and a month; this keeps Date.parse from reading "-5" as a year
  const at = /[a-z]{3}/i.test(v) ? Date.parse(v) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
