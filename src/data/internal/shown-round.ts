/**
 * @internal x rounded half up to `d` decimals as its decimal text reads, for a message showing a
 * field of more decimals to fewer: x × 10^d is read to 12 significant digits first (0.145 × 100
 * is 14.4999…98 and 1.255 × 100 is 125.49…, which Math.round took down: "0.14" beside a field of
 * 0.145). Signals' and offers' messages use it.
 */
export function shownRound(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(Number((x * f).toPrecision(12))) / f;
}

/**
 * @internal A share in a message: whole percent of its 4-decimal field, half up on the field's own
 * digits (0.575 reads 58, 0.145 reads 15: Math.round of 57.49… and 14.49… read 57 and 14).
 * Signals', tasks' and offers' messages use it.
 */
export function percentOf(rate: number): number {
  return Math.round(Math.round(rate * 1e4) / 100);
}

