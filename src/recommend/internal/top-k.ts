let heap = new Int32Array(64);

/**
 * @internal Indices of the m largest of `values[0..n)` (ties: smaller `key`), in no particular order: a
 * bounded min-heap of the m best so far (most candidates fail the first comparison).
 */
export function topIndices(values: Float64Array, n: number, m: number, key: Int32Array): Int32Array {
  const out = new Int32Array(m);
  if (m === 0) return out;
  if (m === n) {
    for (let q = 0; q < n; q++) out[q] = q;
    return out;
  }
  if (heap.length < m) heap = new Int32Array(Math.max(m, heap.length * 2));
  const h = heap;
  // worse(a, b): a ranks below b (smaller value, or equal value and larger key)
  const worse = (a: number, b: number): boolean => values[a]! < values[b]! || (values[a] === values[b] && key[a]! > key[b]!);
  const down = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      let w = l;
      if (l + 1 < m && worse(h[l + 1]!, h[l]!)) w = l + 1;
      if (!worse(h[w]!, h[i]!)) break;
      const x = h[i]!;
      h[i] = h[w]!;
      h[w] = x;
      i = w;
    }
  };
  for (let q = 0; q < m; q++) h[q] = q;
  for (let i = (m >> 1) - 1; i >= 0; i--) down(i);
  // most candidates fail against the heap's root: that test is written out against the root's
  // value and key held in locals (the same condition as worse(h[0], q))
  let rootV = values[h[0]!]!, rootK = key[h[0]!]!;
  for (let q = m; q < n; q++) {
    const v = values[q]!;
    if (!(rootV < v || (rootV === v && rootK > key[q]!))) continue;
    h[0] = q;
    down(0);
    rootV = values[h[0]!]!;
    rootK = key[h[0]!]!;
  }
  for (let q = 0; q < m; q++) out[q] = h[q]!;
  return out;
}
