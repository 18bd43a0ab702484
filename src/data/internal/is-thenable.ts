/**
 * @internal Whether a value a host's callback returned is a promise (any thenable): its rejection
 * must be caught (counted or reported), never left unhandled, which ends a Node process.
 * @param x - the callback's return value
 * @returns true for an object or function with a `then` method
 */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === "object" || typeof x === "function") && x !== null && typeof (x as { then?: unknown }).then === "function";
}
