import { isUtf8 } from "node:buffer";
import { open } from "node:fs/promises";
import Papa from "papaparse";
import type { DatasetBuilder } from "../../data/internal/builder.ts";
import { FIELDS } from "../../data/internal/builder.ts";
import { POW10 } from "../../data/internal/parse-number.ts";
import { DELIMITERS_TO_GUESS, emptyFileError, isUtf8Encoding, resolveHeader, STREAM_CHUNK, type TableReadSettings } from "./table-header.ts";
import { NO_DAY } from "../../data/internal/no-day.ts";

/*
 * Byte-level reader for orders files: tokenizes the UTF-8 bytes straight into the builder's
 * columns, without a string per field or an array per row. Numbers are parsed from the bytes
 * (the same Clinger fast path as parseNumber), dates through a table keyed by the packed
 * YYYY-MM-DD digits, ids through a byte-sequence -> id hash in front of the builder's string
 * interners (one string per distinct value).
 *
 * It is exact by construction, never an approximation of papaparse:
 * - it only runs when papaparse would see the same rows: no quote character anywhere in the
 *   file (checked in a first pass), valid UTF-8 (checked in the same pass, so an encoding error
 *   still comes from the papaparse path with its usual message), and the delimiter and line
 *   break papaparse guesses from its first chunk (asked of papaparse itself) are one byte and
 *   "\n" or "\r\n";
 * - every value is either proven to read exactly as the builder's per-row parsers read it, or
 *   the whole row is decoded to strings and handed to `addOrder`, the papaparse path's entry:
 *   rejections, trimming, exotic numbers and dates all keep one implementation.
 */

const CHUNK = 1 << 22;
const MAX_FIELDS = 256;
const Y0 = 1900;
const YEARS = 300;

/** 32-bit FNV-1a hash of buf[a, b). */
function fnv1a(buf: Uint8Array, a: number, b: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}

/** Whether x[a, a + len) and y[s, s + len) hold the same bytes (four at a time). */
function sameBytes(x: DataView, a: number, y: DataView, s: number, len: number): boolean {
  let i = 0;
  for (; i + 4 <= len; i += 4) if (x.getUint32(a + i) !== y.getUint32(s + i)) return false;
  for (; i < len; i++) if (x.getUint8(a + i) !== y.getUint8(s + i)) return false;
  return true;
}

/** Longest byte sequence kept as a number by {@link ShortIds}. */
const SHORT = 6;

/**
 * Byte sequences of 1..6 bytes (most ids: "C00417", "P01004", "R03", "phone", "USD", line
 * numbers) as one exact number each (below 2^51): the length and the bytes before the last four
 * above 2^32, the last four bytes below. One pass over the bytes in integer arithmetic, and a
 * lookup that compares numbers instead of hashing the bytes and comparing them with an arena's.
 */
class ShortIds {
  private keys = new Float64Array(2048).fill(-1);
  private ids = new Int32Array(2048);
  private mask = 2047;
  private count = 0;
  private lastKey = -1;
  private lastId = -1;

  /** The key of buf[a, b) (1..SHORT bytes). */
  static key(buf: Uint8Array, a: number, b: number): number {
    let hi = b - a;
    let i = a;
    for (; i < b - 4; i++) hi = (hi << 8) | buf[i]!;
    let lo = 0;
    for (; i < b; i++) lo = (lo << 8) | buf[i]!;
    return hi * 0x100000000 + (lo >>> 0);
  }

  private static slot(k: number, mask: number): number {
    // `| 0` keeps the low 32 bits of a double below 2^53 (ToInt32); 2^-32 is exact
    const h = Math.imul((k | 0) ^ Math.imul((k * 2.3283064365386963e-10) | 0, 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 15)) & mask;
  }

  /** The id of key k, or -1 when not seen yet. */
  get(k: number): number {
    if (k === this.lastKey) return this.lastId;
    const keys = this.keys, mask = this.mask;
    for (let slot = ShortIds.slot(k, mask); ; slot = (slot + 1) & mask) {
      const e = keys[slot]!;
      if (e === k) {
        this.lastKey = k;
        return (this.lastId = this.ids[slot]!);
      }
      if (e < 0) return -1;
    }
  }

  /** Store k -> id (not present yet). */
  put(k: number, id: number): void {
    if (++this.count * 2 > this.keys.length) {
      const keys = this.keys, ids = this.ids;
      this.keys = new Float64Array(keys.length * 2).fill(-1);
      this.ids = new Int32Array(keys.length * 2);
      this.mask = this.keys.length - 1;
      for (let s = 0; s < keys.length; s++) if (keys[s]! >= 0) this.insert(keys[s]!, ids[s]!);
    }
    this.insert(k, id);
    this.lastKey = k;
    this.lastId = id;
  }

  private insert(k: number, id: number): void {
    const mask = this.mask;
    let slot = ShortIds.slot(k, mask);
    while (this.keys[slot]! >= 0) slot = (slot + 1) & mask;
    this.keys[slot] = k;
    this.ids[slot] = id;
  }

  /** Number of keys stored. */
  get size(): number {
    return this.count;
  }
}

/** Open-addressing hash of byte sequences -> id (FNV-1a), keys kept in one growing arena. */
class ByteIds {
  private readonly short = new ShortIds();
  private arena = new Uint8Array(1 << 16);
  private arenaView: DataView = new DataView(this.arena.buffer);
  /** The last buffer looked up in, and a view of it. */
  private buf: Uint8Array | undefined;
  private bufView: DataView = new DataView(new ArrayBuffer(0));
  private used = 0;
  private kStart = new Int32Array(1024);
  private kLen = new Int32Array(1024);
  private kId = new Int32Array(1024);
  private kHash = new Uint32Array(1024);
  private count = 0;
  private table = new Int32Array(2048).fill(-1);
  private mask = 2047;
  private last = -1;

  /** Number of distinct byte sequences stored. */
  get size(): number {
    return this.count + this.short.size;
  }

  /** The id of buf[a, b), or -1 when not seen yet (then {@link put} may store it, same range). */
  get(buf: Uint8Array, a: number, b: number): number {
    const len = b - a;
    if (len <= SHORT) return this.short.get(ShortIds.key(buf, a, b));
    const last = this.last;
    if (buf !== this.buf) {
      this.buf = buf;
      this.bufView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const bv = this.bufView, av = this.arenaView;
    if (last >= 0 && this.kLen[last] === len && sameBytes(bv, a, av, this.kStart[last]!, len)) return this.kId[last]!;
    const h = fnv1a(buf, a, b);
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = this.table[slot]!;
      if (e < 0) return -1;
      if (this.kHash[e] !== h || this.kLen[e] !== len) continue;
      if (sameBytes(bv, a, av, this.kStart[e]!, len)) {
        this.last = e;
        return this.kId[e]!;
      }
    }
  }

  /** Store buf[a, b) -> id (not present yet). */
  put(buf: Uint8Array, a: number, b: number, id: number): void {
    const len = b - a;
    if (len <= SHORT) return this.short.put(ShortIds.key(buf, a, b), id);
    const h = fnv1a(buf, a, b);
    if (this.used + len > this.arena.length) {
      const g = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      g.set(this.arena.subarray(0, this.used));
      this.arena = g;
      this.arenaView = new DataView(g.buffer);
    }
    const ar = this.arena;
    for (let i = 0, u = this.used; i < len; i++) ar[u + i] = buf[a + i]!;
    if (this.count === this.kStart.length) {
      const n = this.count * 2;
      const grow = <T extends Int32Array | Uint32Array>(x: T, y: T): T => (y.set(x), y);
      this.kStart = grow(this.kStart, new Int32Array(n));
      this.kLen = grow(this.kLen, new Int32Array(n));
      this.kId = grow(this.kId, new Int32Array(n));
      this.kHash = grow(this.kHash, new Uint32Array(n));
    }
    const e = this.count++;
    this.kStart[e] = this.used;
    this.kLen[e] = len;
    this.kId[e] = id;
    this.kHash[e] = h;
    this.used += len;
    this.last = e;
    if (this.count * 2 > this.table.length) this.rehash();
    else this.insert(e);
  }

  private insert(e: number): void {
    const mask = this.mask;
    let slot = this.kHash[e]! & mask;
    while (this.table[slot]! >= 0) slot = (slot + 1) & mask;
    this.table[slot] = e;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    this.mask = this.table.length - 1;
    for (let e = 0; e < this.count; e++) this.insert(e);
  }
}

/** One id column of the orders file: its byte cache in front of the builder's interner. */
class IdColumn {
  readonly cache: ByteIds = new ByteIds();
  readonly interner: { id(s: string): number; addNew(s: string): number; readonly size: number };
  readonly required: boolean;
  readonly upper: boolean;
  /** Result of the last {@link look}: the id, or the decoded text of a miss. */
  id = -1;
  text = "";
  constructor(interner: IdColumn["interner"], required: boolean, upper: boolean) {
    this.interner = interner;
    this.required = required;
    this.upper = upper;
  }
  /**
   * Look buf[a, b) up without interning (a rejected row must intern nothing): 1 found (or
   * absent optional, id -1), 2 a new value to intern with {@link commit}, 0 the row must take
   * the per-row path (missing required value, or text that is not already trimmed).
   */
  look(buf: Buffer, a: number, b: number): number {
    if (a === b) {
      this.id = -1;
      return this.required ? 0 : 1;
    }
    const id = this.cache.get(buf, a, b);
    if (id >= 0) {
      this.id = id;
      return 1;
    }
    // short ASCII values (most ids) become text without the UTF-8 decoder; they are trimmed
    // exactly when neither end is white space or a control character
    let ascii = b - a <= 32;
    for (let i = a; ascii && i < b; i++) ascii = buf[i]! < 0x80;
    let str: string;
    if (ascii) {
      if (buf[a]! <= 32 || buf[b - 1]! <= 32) return 0;
      str = buf.toString("latin1", a, b);
    } else {
      str = buf.toString("utf8", a, b);
      if (str.trim() !== str) return 0;
    }
    this.text = str;
    return 2;
  }
  /** Intern the miss of the last {@link look} (same range). */
  commit(buf: Buffer, a: number, b: number): void {
    const str = this.text;
    // while every value of the interner came through this cache (distinct bytes <-> distinct
    // text, no case folding), a cache miss is a new value: skip the Map lookup
    const id = this.upper ? this.interner.id(str.toUpperCase()) : this.interner.size === this.cache.size ? this.interner.addNew(str) : this.interner.id(str);
    this.cache.put(buf, a, b, id);
    this.id = id;
  }
}

/**
 * parseNumber's Clinger fast path on bytes: `-?digits[.digits]`, 1..15 bytes. Writes the value to
 * out[k] and returns true, or returns false (not of that form). The value goes to an array, not
 * out as the return value: a double returned from a call the compiler does not inline is boxed,
 * and four of them a line were most of the reader's garbage (51 MB at 1.08M lines).
 */
function fastNumber(buf: Uint8Array, a: number, b: number, out: Float64Array, k: number): boolean {
  const n = b - a;
  if (n <= 0 || n >= 16) return false;
  let i = a;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  let m = 0;
  let frac = -1;
  let nd = 0;
  for (; i < b; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      nd++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return false;
  }
  if (nd === 0) return false;
  const x = frac > 0 ? m / POW10[frac]! : m;
  out[k] = neg ? -x : x;
  return true;
}

/** Index of a `dddd-dd-dd` field in the day table (years 1900-2199), or -1. */
function dateSlot(buf: Uint8Array, a: number): number {
  if (buf[a + 4] !== 45 || buf[a + 7] !== 45) return -1;
  let y = 0;
  for (let i = a; i < a + 4; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return -1;
    y = y * 10 + c;
  }
  const m0 = buf[a + 5]! - 48, m1 = buf[a + 6]! - 48, d0 = buf[a + 8]! - 48, d1 = buf[a + 9]! - 48;
  if (m0 < 0 || m0 > 9 || m1 < 0 || m1 > 9 || d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9) return -1;
  y -= Y0;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (y < 0 || y >= YEARS || m > 12 || d > 31) return -1;
  return (y * 13 + m) * 32 + d;
}

interface Layout {
  delimiter: number;
  /** The pass's read buffer, CHUNK bytes, for the reading pass to reuse (fresh pages are costly). */
  buf: Buffer;
}

/**
 * First pass: the file qualifies when it has no quote byte, is valid UTF-8, and papaparse's
 * own guess on its first chunk gives a one-byte delimiter and a "\n" or "\r\n" line break.
 */
async function qualify(s: TableReadSettings): Promise<Layout | undefined> {
  const fh = await open(s.file, "r");
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0;
    let first: string | undefined;
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, CHUNK - carry, null);
      const end = carry + bytesRead;
      if (first === undefined) first = new TextDecoder("utf-8").decode(buf.subarray(0, Math.min(end, STREAM_CHUNK)), { stream: true });
      if (buf.subarray(0, end).indexOf(34) >= 0) return undefined;
      if (bytesRead === 0) {
        if (end > 0 && !isUtf8(buf.subarray(0, end))) return undefined;
        break;
      }
      // validate up to the last ASCII byte (never inside a multi-byte sequence); carry the rest
      let cut = end;
      while (cut > 0 && buf[cut - 1]! >= 0x80) cut--;
      if (cut === 0 && end === CHUNK) return undefined; // 4 MiB without an ASCII byte
      if (!isUtf8(buf.subarray(0, cut))) return undefined;
      buf.copy(buf, 0, cut, end);
      carry = end - cut;
    }
    if (first === undefined || first === "") return undefined;
    const meta = Papa.parse<string[]>(first, { delimiter: s.delimiter ?? "", delimitersToGuess: [...DELIMITERS_TO_GUESS], header: false, preview: 1 }).meta;
    const d = meta.delimiter;
    if (d.length !== 1 || d.charCodeAt(0) >= 128 || d === '"' || d === "\r" || d === "\n") return undefined;
    if (meta.linebreak !== "\n" && meta.linebreak !== "\r\n") return undefined;
    // the header must end inside the first chunk and fit the field positions kept (every LF ends
    // a row, a CR before it dropped: CRLF and LF may mix, as the papaparse path reads them)
    const lines = first.split(/\r?\n/);
    const h = lines.findIndex((l) => l.trim() !== "");
    if (h < 0 || h === lines.length - 1 || lines[h]!.split(d).length > MAX_FIELDS) return undefined;
    return { delimiter: d.charCodeAt(0), buf };
  } finally {
    await fh.close();
  }
}

/**
 * Read an orders file with the byte-level tokenizer when it qualifies; returns false (having
 * done nothing) when it does not, and the caller reads it with papaparse.
 * @internal
 */
export async function readOrdersFast(s: TableReadSettings, builder: DatasetBuilder, size: number): Promise<boolean> {
  const o = builder.options;
  if (s.table !== "orders" || !isUtf8Encoding(s.encoding) || s.derived || s.preset.excludeOrder || s.preset.customerId || s.preset.extraOrderColumns || o.fx || o.decimalComma) return false;
  const layout = await qualify(s);
  if (!layout) return false;
  const DELIM = layout.delimiter;
  const DELIM_TEXT = String.fromCharCode(DELIM);
  const fields = FIELDS.orders;
  const interners = builder.orderInterners();
  const cOrd = new IdColumn(interners.orders, true, false), cCust = new IdColumn(interners.customers, true, false);
  const cProd = new IdColumn(interners.products, true, false), cLid = new IdColumn(interners.lineIds, false, false);
  const cRep = new IdColumn(interners.reps, false, false), cChan = new IdColumn(interners.channels, false, false);
  const cCur = new IdColumn(interners.currencies, false, true);
  const dayTable = new Int32Array(YEARS * 13 * 32).fill(NO_DAY);
  const parseDate = o.parseDate;

  let index: Int32Array | undefined;
  let width = 0;
  let line = 0;
  // field positions of the current row (fields past MAX_FIELDS are counted, not kept: such a row
  // is rejected or is a header, and both are re-read as text)
  const fs = new Int32Array(MAX_FIELDS + 1);
  const fe = new Int32Array(MAX_FIELDS + 1);
  const values: (string | undefined)[] = new Array(fields.length);
  const nums = builder.lineNumbers;

  /** A whole row as strings, through the per-row path. */
  const slowRow = (buf: Buffer): void => {
    for (let k = 0; k < fields.length; k++) {
      const c = index![k]!;
      values[k] = c >= 0 ? buf.toString("utf8", fs[c]!, fe[c]!) : undefined;
    }
    builder.addOrder(values, line);
  };
  /** Position of a column's value (absent column: an empty range, read as missing). */
  const at = (c: number): number => (c < 0 ? 0 : fs[c]!);
  const to = (c: number): number => (c < 0 ? 0 : fe[c]!);
  const dayOf = (buf: Buffer, c: number): number => {
    const a = fs[c]!, b = fe[c]!;
    if (b - a === 10) {
      const slot = dateSlot(buf, a);
      if (slot >= 0) {
        let d = dayTable[slot]!;
        if (d === NO_DAY) {
          const v = parseDate(buf.toString("latin1", a, b));
          if (v !== v) return Number.NaN;
          d = dayTable[slot] = v;
        }
        return d;
      }
    }
    return parseDate(buf.toString("utf8", a, b));
  };
  // numbers go to nums[k] (quantity, unit price, unit cost, list price: builder.lineNumbers)
  /** Whether column c holds a plain number (then in nums[k]). */
  const numOf = (buf: Buffer, c: number, k: number): boolean => c >= 0 && fastNumber(buf, fs[c]!, fe[c]!, nums, k);
  /** An optional number: true when absent (nums[k] NaN) or plain (in nums[k]); false: take the slow row. */
  const optNum = (buf: Buffer, c: number, k: number): boolean => {
    if (c < 0 || fs[c] === fe[c]) {
      nums[k] = Number.NaN;
      return true;
    }
    return fastNumber(buf, fs[c]!, fe[c]!, nums, k);
  };

  const header = (buf: Buffer, nf: number, rowStart: number, rowEnd: number): void => {
    builder.table(s.table, s.label);
    const row = buf.toString("utf8", rowStart, rowEnd).split(DELIM_TEXT);
    index = resolveHeader(s, row, builder, []).index;
    width = nf;
  };

  const row = (buf: Buffer, nf: number, rowStart: number, rowEnd: number): void => {
    line++;
    if (nf === 1 && buf.toString("utf8", rowStart, rowEnd).trim() === "") return; // blank line
    if (index === undefined) return header(buf, nf, rowStart, rowEnd);
    if (nf !== width) {
      const text = buf.toString("utf8", rowStart, rowEnd);
      builder.rejectRow(s.table, line, undefined, DELIM === 44 ? text : text.split(DELIM_TEXT).join(","), "field_count", `row has ${nf} fields, the header has ${width}`);
      return;
    }
    const ix = index;
    const day = dayOf(buf, ix[1]!);
    if (day !== day) return slowRow(buf);
    if (!numOf(buf, ix[4]!, 0) || nums[0] === 0) return slowRow(buf);
    if (!numOf(buf, ix[5]!, 1) || !(nums[1]! > 0)) return slowRow(buf);
    if (!optNum(buf, ix[7]!, 2) || nums[2]! < 0) return slowRow(buf);
    if (!optNum(buf, ix[8]!, 3) || nums[3]! <= 0) return slowRow(buf);
    const o = ix[0]!, cu = ix[2]!, pr = ix[3]!, li = ix[6]!, re = ix[9]!, ch = ix[10]!, cy = ix[11]!;
    const lo = cOrd.look(buf, at(o), to(o));
    if (lo === 0) return slowRow(buf);
    const lc = cCust.look(buf, at(cu), to(cu));
    if (lc === 0) return slowRow(buf);
    const lp = cProd.look(buf, at(pr), to(pr));
    if (lp === 0) return slowRow(buf);
    const ll = cLid.look(buf, at(li), to(li));
    if (ll === 0) return slowRow(buf);
    const lr = cRep.look(buf, at(re), to(re));
    if (lr === 0) return slowRow(buf);
    const lh = cChan.look(buf, at(ch), to(ch));
    if (lh === 0) return slowRow(buf);
    const ly = cCur.look(buf, at(cy), to(cy));
    if (ly === 0) return slowRow(buf);
    if (lo === 2) cOrd.commit(buf, at(o), to(o));
    if (lc === 2) cCust.commit(buf, at(cu), to(cu));
    if (lp === 2) cProd.commit(buf, at(pr), to(pr));
    if (ll === 2) cLid.commit(buf, at(li), to(li));
    if (lr === 2) cRep.commit(buf, at(re), to(re));
    if (lh === 2) cChan.commit(buf, at(ch), to(ch));
    if (ly === 2) cCur.commit(buf, at(cy), to(cy));
    builder.pushOrder(cOrd.id, day, cCust.id, cProd.id, cLid.id, cRep.id, cChan.id, cCur.id);
  };

  /** Tokenize buf[from, end): whole rows only unless `final`; returns where the unfinished row starts. */
  const scan = (buf: Buffer, from: number, end: number, final: boolean): number => {
    let p = from;
    while (p < end) {
      const rowStart = p;
      let nf = 0;
      fs[0] = p;
      let done = false;
      while (p < end) {
        const c = buf[p]!;
        if (c === DELIM) {
          if (nf < MAX_FIELDS) {
            fe[nf] = p;
            fs[nf + 1] = p + 1;
          }
          nf++;
          p++;
          continue;
        }
        if (c === 10) {
          const rowEnd = p > rowStart && buf[p - 1] === 13 ? p - 1 : p;
          if (nf < MAX_FIELDS) fe[nf] = rowEnd;
          nf++;
          p++;
          row(buf, nf, rowStart, rowEnd);
          done = true;
          break;
        }
        p++;
      }
      if (!done) {
        if (!final) return rowStart;
        if (nf < MAX_FIELDS) fe[nf] = end;
        nf++;
        row(buf, nf, rowStart, end);
      }
    }
    return end;
  };

  const fh = await open(s.file, "r");
  try {
    let buf = layout.buf;
    let carry = 0;
    let bytes = 0;
    let atStart = true;
    for (;;) {
      if (carry === buf.length) {
        const g = Buffer.allocUnsafe(buf.length * 2); // one row longer than the buffer
        buf.copy(g, 0, 0, carry);
        buf = g;
      }
      const { bytesRead } = await fh.read(buf, carry, buf.length - carry, null);
      bytes += bytesRead;
      const end = carry + bytesRead;
      let from = 0;
      const first = atStart;
      if (first) {
        atStart = false;
        if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) from = 3; // BOM
      }
      if (bytesRead === 0) {
        scan(buf, from, end, true);
        break;
      }
      const rest = scan(buf, from, end, false);
      if (first && rest > 0) {
        // size the columns once from the first chunk's bytes per row (+2 %): no regrowth, and no
        // capacity left unused in the dataset's columns (a fixed guess left a third of them empty)
        builder.reserve(Math.ceil((line * size * 1.02) / rest) + 1024);
      }
      buf.copy(buf, 0, rest, end);
      carry = end - rest;
      s.onProgress?.({ file: s.label, bytesRead: bytes, totalBytes: size });
    }
  } finally {
    await fh.close();
  }
  if (index === undefined) throw emptyFileError(s.label);
  return true;
}
