import { OrderpulseError } from "../errors.ts";

/** @internal True on little-endian hosts (typed-array bytes can be copied as they are). */
const LITTLE: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Typed = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** @internal Growable little-endian byte writer. */
export class ByteWriter {
  private buf: Uint8Array = new Uint8Array(1 << 16);
  private view: DataView = new DataView(this.buf.buffer);
  private n = 0;
  private readonly enc = new TextEncoder();
  private ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.n + k) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(x: number): void {
    this.ensure(1);
    this.buf[this.n++] = x;
  }
  u32(x: number): void {
    this.ensure(4);
    this.view.setUint32(this.n, x, true);
    this.n += 4;
  }
  i32(x: number): void {
    this.ensure(4);
    this.view.setInt32(this.n, x, true);
    this.n += 4;
  }
  f64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.n, x, true);
    this.n += 8;
  }
  /** A string (UTF-8, u32 byte length), or undefined (length 0xFFFFFFFF). */
  str(s: string | undefined): void {
    if (s === undefined) return this.u32(0xffffffff);
    const b = this.enc.encode(s);
    this.u32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  strs(xs: readonly (string | undefined)[]): void {
    this.u32(xs.length);
    for (const s of xs) this.str(s);
  }
  /** A typed array: u32 length, padding to its element size, then little-endian elements. */
  array(a: Typed): void {
    this.u32(a.length);
    const size = a.BYTES_PER_ELEMENT;
    while (this.n % size !== 0) this.u8(0);
    this.ensure(a.byteLength);
    if (LITTLE || size === 1) {
      this.buf.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), this.n);
      this.n += a.byteLength;
      return;
    }
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      if (a instanceof Float64Array) this.view.setFloat64(this.n, x, true);
      else if (a instanceof Int32Array) this.view.setInt32(this.n, x, true);
      else this.view.setUint32(this.n, x, true);
      this.n += size;
    }
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/** @internal Reader of {@link ByteWriter} output; any overrun throws INVALID_OPTION (`bytes`). */
export class ByteReader {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private n = 0;
  private readonly dec = new TextDecoder("utf-8", { fatal: true });
  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
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
    let s: string;
    try {
      s = this.dec.decode(this.buf.subarray(this.n, this.n + len));
    } catch {
      this.fail("a string is not valid UTF-8");
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
    const out = make(len);
    const size = out.BYTES_PER_ELEMENT;
    while (this.n % size !== 0) this.u8();
    this.need(len * size);
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
