/** @internal A copy of `a` with length `n` (>= a.length), of the same typed-array kind: for columns that grow by doubling. */
export function resized<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  const b = (a instanceof Int32Array ? new Int32Array(n) : a instanceof Uint32Array ? new Uint32Array(n) : a instanceof Uint8Array ? new Uint8Array(n) : new Float64Array(n)) as T;
  b.set(a);
  return b;
}
