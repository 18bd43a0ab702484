/**
 * @internal Columnar packing of an array of flat plain records for `postMessage`: one typed array
 * per numeric field, one dictionary-coded index per text field, so a worker's answer of 76,000
 * item rhythms crosses threads as a few buffers instead of 76,000 cloned objects (the structured
 * clone of the objects cost ~330 ms at 1M order lines; packing, copying and unpacking ~60 ms).
 *
 * `unpackRecords(packRecords(xs))` is deep-equal to `xs`, with each record's keys in their
 * original order (so `JSON.stringify` gives the same text): numbers keep NaN and −0, a key that is
 * absent stays absent, a key holding `undefined` holds `undefined`. Arrays it cannot pack that
 * way (records that are not plain objects, or whose keys come in conflicting orders) give
 * `undefined`, and the caller sends them as they are.
 */

/** @internal One field of the packed records. */
export type PackedColumn =
  | { readonly kind: "number"; readonly values: Float64Array }
  | { readonly kind: "string"; readonly dictionary: readonly string[]; readonly index: Int32Array }
  | { readonly kind: "any"; readonly values: readonly unknown[] };

/** @internal Records packed by {@link packRecords}. */
export interface PackedRecords {
  readonly packed: "records-v1";
  readonly length: number;
  /** Every key, in an order consistent with each record's own key order. */
  readonly keys: readonly string[];
  /** Per key: 1 where the record has the key (undefined: every record has it). */
  readonly present: readonly (Uint8Array | undefined)[];
  /** Per key: its values (entries of records without the key are filler). */
  readonly columns: readonly PackedColumn[];
}

/**
 * @internal Pack flat plain records column by column.
 * @param records - plain objects (their values are kept as they are: nested values go whole)
 * @returns the packed records, or undefined when they cannot be packed exactly
 */
export function packRecords(records: readonly unknown[]): PackedRecords | undefined {
  const n = records.length;
  const keys: string[] = [];
  const slot = new Map<string, number>();
  // the union of the keys, each record's keys in increasing slot order (else: not packable)
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (typeof r !== "object" || r === null || Object.getPrototypeOf(r) !== Object.prototype) return undefined;
    let last = -1;
    for (const k of Object.keys(r)) {
      if (k === "__proto__") return undefined; // (an own key of that name: set back, it would be the prototype)
      let s = slot.get(k);
      if (s === undefined) {
        s = keys.length;
        keys.push(k);
        slot.set(k, s);
      }
      if (s <= last) return undefined;
      last = s;
    }
  }
  const present: (Uint8Array | undefined)[] = [];
  const columns: PackedColumn[] = [];
  for (const key of keys) {
    let has: Uint8Array | undefined;
    let numbers = true, strings = true;
    for (let i = 0; i < n; i++) {
      const r = records[i] as Record<string, unknown>;
      if (!Object.hasOwn(r, key)) {
        if (has === undefined) has = new Uint8Array(n).fill(1, 0, i);
        continue;
      }
      if (has !== undefined) has[i] = 1;
      const t = typeof r[key];
      if (t !== "number") numbers = false;
      if (t !== "string") strings = false;
    }
    present.push(has);
    if (numbers) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) if (has === undefined || has[i]) values[i] = (records[i] as Record<string, number>)[key]!;
      columns.push({ kind: "number", values });
    } else if (strings) {
      const dictionary: string[] = [];
      const code = new Map<string, number>();
      const index = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (has !== undefined && !has[i]) continue;
        const v = (records[i] as Record<string, string>)[key]!;
        let c = code.get(v);
        if (c === undefined) {
          c = dictionary.length;
          dictionary.push(v);
          code.set(v, c);
        }
        index[i] = c;
      }
      columns.push({ kind: "string", dictionary, index });
    } else {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) values[i] = has === undefined || has[i] ? (records[i] as Record<string, unknown>)[key] : undefined;
      columns.push({ kind: "any", values });
    }
  }
  return { packed: "records-v1", length: n, keys, present, columns };
}

/**
 * @internal The records back from {@link packRecords}.
 * @param p - packed records
 * @returns plain objects, deep-equal to the packed ones
 */
export function unpackRecords(p: PackedRecords): Record<string, unknown>[] {
  const { length: n, keys, present, columns } = p;
  const out = new Array<Record<string, unknown>>(n);
  if (present.every((h) => h === undefined)) {
    // every record has every key: clone one template with them all (each object is allocated
    // once with its final shape; the stores below then only overwrite)
    const template: Record<string, unknown> = {};
    for (const key of keys) template[key] = undefined;
    for (let i = 0; i < n; i++) out[i] = { ...template };
  } else for (let i = 0; i < n; i++) out[i] = {};
  // column by column: within one loop every store has the same key and the same shape
  // transition (a monomorphic store), which is several times faster than record by record
  for (let c = 0; c < keys.length; c++) {
    const key = keys[c]!;
    const has = present[c];
    const col = columns[c]!;
    if (col.kind === "string") {
      const { dictionary, index } = col;
      for (let i = 0; i < n; i++) if (has === undefined || has[i]) out[i]![key] = dictionary[index[i]!];
    } else {
      const v = col.values; // numbers (Float64Array) or values as they were
      for (let i = 0; i < n; i++) if (has === undefined || has[i]) out[i]![key] = v[i];
    }
  }
  return out;
}

/** @internal Whether `x` is the output of {@link packRecords}. */
export function isPackedRecords(x: unknown): x is PackedRecords {
  return typeof x === "object" && x !== null && (x as { packed?: unknown }).packed === "records-v1";
}
