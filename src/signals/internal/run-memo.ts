/**
 * @internal What the detectors of one `detectSignals` call share (the item history of the as-of
 * view, the customers' clock gaps): kept only while the call runs, so nothing outlives it. A
 * cache keyed by the dataset (as before 2026-12-04) keeps the item history (about 12 bytes per
 * order line now, 28 then: 140 MB at 5M lines) alive for as long as the host holds the dataset.
 *
 * Outside a call (a detector run on its own) there is no memo and each detector builds what it
 * needs.
 */
export interface SignalRunMemo {
  /** The item history of the last view asked for, with the view's identity. */
  item: { lines: object; customerStart: object; customerEnd: object; products: object; value: unknown } | undefined;
  /** Clock gaps per (view, model): customer index -> gaps. */
  readonly gaps: Map<object, Map<object, unknown[]>>;
}

let memo: SignalRunMemo | undefined;

/** @internal The memo of the `detectSignals` call running now (undefined outside one). */
export function signalRunMemo(): SignalRunMemo | undefined {
  return memo;
}

/** @internal Run `fn` with a run memo (re-entrant: an inner call shares the outer one's memo). */
export function withSignalRun<T>(fn: (run: SignalRunMemo) => T): T {
  if (memo !== undefined) return fn(memo);
  const run: SignalRunMemo = (memo = { item: undefined, gaps: new Map() });
  try {
    return fn(run);
  } finally {
    memo = undefined;
  }
}
