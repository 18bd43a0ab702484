import { OrderpulseError } from "../errors.ts";

/** @internal True on little-endian hosts (typed-array bytes can be copied as they are). */
const LITTLE: boolean = /* @__PURE__ */ new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Typed = Uint8Array | Uint32Array | Int32Array | Float64Array;

/**
 * @internal Growable little-endian byte writer. Strings are UTF-8, or WTF-8 (UTF-8 that also
 * encodes a lone surrogate as its 3-byte form, so any JS string comes back exactly) when `wtf8`.
 */
export class ByteWriter {
  // without a target the writer only measures: every method advances `n` by the bytes it would write
  private readonly buf: Uint8Array | undefined;
  private readonly view: DataView | undefined;
  private n = 0;
  private readonly enc = new TextEncoder();
  /** Writing: strings are written as WTF-8. Measuring: a string measured so far holds a lone surrogate. */
  wtf8: boolean;
  /**
   * @param target - the buffer to write into (exactly `length` bytes of a measuring pass), or none to measure.
   * @param wtf8 - write strings as WTF-8 (the measuring pass's `wtf8`: some string needs it)
   */
  constructor(target?: Uint8Array, wtf8 = false) {
    this.buf = target;
    this.view = target ? new DataView(target.buffer, target.byteOffset, target.byteLength) : undefined;
    this.wtf8 = wtf8;
  }
  /** Bytes written (or measured) so far. */
  get length(): number {
    return this.n;
  }
  u8(x: number): void {
    if (this.buf) this.buf[this.n] = x;
    this.n++;
  }
  u32(x: number): void {
    this.view?.setUint32(this.n, x, true);
    this.n += 4;
  }
  i32(x: number): void {
    this.view?.setInt32(this.n, x, true);
    this.n += 4;
  }
  f64(x: number): void {
    this.view?.setFloat64(this.n, x, true);
    this.n += 8;
  }
  str(s: string | undefined): void {
    if (s === undefined) return this.u32(0xffffffff);
    if (!this.buf) {
      const k = utf8Length(s);
      if (k < 0) this.wtf8 = true;
      this.n += 4 + Math.abs(k);
      return;
    }
    const written = this.wtf8 ? encodeWtf8(s, this.buf, this.n + 4) : this.enc.encodeInto(s, this.buf.subarray(this.n + 4)).written;
    this.u32(written);
    this.n += written;
  }
  strs(xs: readonly (string | undefined)[]): void {
    this.u32(xs.length);
    for (const s of xs) this.str(s);
  }
  array(a: Typed): void {
    // a column that is no typed array (a Dataset revived from JSON, a column rebuilt with
    // Array.from): an error, not a loop (its element size undefined, the padding below never ended)
    if (!ArrayBuffer.isView(a) || typeof a.BYTES_PER_ELEMENT !== "number") {
      throw new OrderpulseError("INVALID_OPTION", "datasetToBytes: invalid option dataset: a column is not a typed array (a Dataset read back from JSON? store one with datasetToBytes and read it with datasetFromBytes)", { option: "dataset" });
    }
    this.u32(a.length);
    const size = a.BYTES_PER_ELEMENT;
    while (this.n % size !== 0) this.u8(0);
    if (!this.buf) {
      this.n += a.byteLength;
      return;
    }
    if (LITTLE || size === 1) {
      this.buf.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), this.n);
      this.n += a.byteLength;
      return;
    }
    const view = this.view!;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      if (a instanceof Float64Array) view.setFloat64(this.n, x, true);
      else if (a instanceof Int32Array) view.setInt32(this.n, x, true);
      else view.setUint32(this.n, x, true);
      this.n += size;
    }
  }
  /** The written buffer (the target itself). */
  bytes(): Uint8Array {
    if (!this.buf || this.n !== this.buf.length) throw new Error(`ByteWriter: wrote ${this.n} of ${this.buf?.length ?? 0} bytes`);
    return this.buf;
  }
}

/**
 * UTF-8 length of a string, negated when it holds a lone surrogate (3 bytes in WTF-8, as
 * TextEncoder's U+FFFD would be).
 */
function utf8Length(s: string): number {
  let n = 0;
  let lone = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n++;
    else if (c < 0x800) n += 2;
    else if ((c & 0xf800) !== 0xd800) n += 3;
    else if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else {
      n += 3;
      lone = true;
    }
  }
  return lone ? -n : n;
}

/** Write `s` as WTF-8 at `buf[at]` (room measured by utf8Length); returns the bytes written. */
function encodeWtf8(s: string, buf: Uint8Array, at: number): number {
  let p = at;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[p++] = c;
      continue;
    }
    if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      buf[p++] = 0xf0 | (c >> 18);
      buf[p++] = 0x80 | ((c >> 12) & 0x3f);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
      continue;
    }
    buf[p++] = 0xe0 | (c >> 12); // a lone surrogate too: ED A0..BF xx
    buf[p++] = 0x80 | ((c >> 6) & 0x3f);
    buf[p++] = 0x80 | (c & 0x3f);
  }
  return p - at;
}

/**
 * Decode WTF-8 (`buf[a, b)`): UTF-8 plus lone surrogates in their 3-byte form; undefined for
 * anything else (overlong or truncated forms, a surrogate pair written as two 3-byte forms).
 */
function decodeWtf8(buf: Uint8Array, a: number, b: number): string | undefined {
  const units: number[] = [];
  let prevHigh = false; // the previous code point was a (lone) high surrogate
  for (let i = a; i < b; ) {
    const c = buf[i]!;
    let cp = c, k = 0, min = 0; // code point, continuation bytes, least value of that length
    if (c >= 0xc2 && c < 0xe0) (cp = c & 0x1f), (k = 1), (min = 0x80);
    else if (c >= 0xe0 && c < 0xf0) (cp = c & 0x0f), (k = 2), (min = 0x800);
    else if (c >= 0xf0 && c < 0xf5) (cp = c & 0x07), (k = 3), (min = 0x10000);
    else if (c >= 0x80) return undefined;
    if (i + k >= b) return undefined; // truncated
    for (let j = 1; j <= k; j++) {
      const x = buf[i + j]!;
      if ((x & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff) return undefined;
    const low = cp >= 0xdc00 && cp <= 0xdfff;
    if (low && prevHigh) return undefined;
    prevHigh = cp >= 0xd800 && cp <= 0xdbff;
    if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
    i += k + 1;
  }
  let out = "";
  for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
  return out;
}

export class ByteReader {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private n = 0;
  // ignoreBOM: a string that starts with U+FEFF keeps it (the decoder strips a leading one by default)
  private readonly dec = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  /** Strings may hold lone surrogates (WTF-8; format version 2). */
  wtf8 = false;
  // share: columns are views into `buf` (no copy) where the host is little-endian and aligned
  private readonly share: boolean;
  constructor(buf: Uint8Array, share = false) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.share = share;
  }
  fail(why: string): never {
    throw new OrderpulseError("INVALID_OPTION", `datasetFromBytes: invalid option bytes: ${why}`, { option: "bytes", value: `${this.buf.length} bytes` });
  }
  private need(k: number): void {
    if (this.n + k > this.buf.length) this.fail("truncated");
  }
  get done(): boolean {
    return this.n === this.buf.length;
  }
  u8(): number {
    this.need(1);
    return this.buf[this.n++]!;
  }
  u32(): number {
    this.need(4);
    const x = this.view.getUint32(this.n, true);
    this.n += 4;
    return x;
  }
  i32(): number {
    this.need(4);
    const x = this.view.getInt32(this.n, true);
    this.n += 4;
    return x;
  }
  f64(): number {
    this.need(8);
    const x = this.view.getFloat64(this.n, true);
    this.n += 8;
    return x;
  }
  str(): string | undefined {
    const len = this.u32();
    if (len === 0xffffffff) return undefined;
    this.need(len);
    let s: string | undefined;
    try {
      s = this.dec.decode(this.buf.subarray(this.n, this.n + len));
    } catch {
      if (this.wtf8) s = decodeWtf8(this.buf, this.n, this.n + len);
      if (s === undefined) this.fail(this.wtf8 ? "a string is not valid WTF-8" : "a string is not valid UTF-8");
    }
    this.n += len;
    return s;
  }
  reqStr(): string {
    const s = this.str();
    if (s === undefined) this.fail("a required string is missing");
    return s;
  }
  strs(): (string | undefined)[] {
    const k = this.u32();
    if (k > this.buf.length) this.fail("bad count");
    const out = new Array<string | undefined>(k);
    for (let i = 0; i < k; i++) out[i] = this.str();
    return out;
  }
  reqStrs(): string[] {
    return this.strs().map((s) => (s === undefined ? this.fail("a required string is missing") : s));
  }
  array<T extends Typed>(make: (n: number) => T, expected?: number): T {
    const len = this.u32();
    if (expected !== undefined && len !== expected) this.fail(`column of ${len} entries where ${expected} were expected`);
    const probe = make(0);
    const size = probe.BYTES_PER_ELEMENT;
    while (this.n % size !== 0) this.u8();
    this.need(len * size);
    if (this.share && LITTLE && (this.buf.byteOffset + this.n) % size === 0) {
      const View = probe.constructor as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T;
      const out = new View(this.buf.buffer, this.buf.byteOffset + this.n, len);
      this.n += len * size;
      return out;
    }
    const out = make(len);
    if (LITTLE || size === 1) {
      new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(this.buf.subarray(this.n, this.n + len * size));
      this.n += len * size;
      return out;
    }
    for (let i = 0; i < len; i++) {
      out[i] = out instanceof Float64Array ? this.view.getFloat64(this.n, true) : out instanceof Int32Array ? this.view.getInt32(this.n, true) : this.view.getUint32(this.n, true);
      this.n += size;
    }
    return out;
  }
}
