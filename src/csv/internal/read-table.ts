import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import Papa from "papaparse";
import { OrderpulseError } from "../../data/errors.ts";
import { type DatasetBuilder, FIELDS } from "../../data/internal/builder.ts";
import { readOrdersFast } from "./read-orders-fast.ts";
import { DELIMITERS_TO_GUESS, emptyFileError, guessDelimiter, headerDelimiter, isUtf8Encoding, newlineOf, resolveHeader, STREAM_CHUNK, type DerivedValue, type TableReadSettings } from "./table-header.ts";

function decoder(encoding: string, file: string): TextDecoder {
  try {
    return new TextDecoder(encoding, { fatal: isUtf8Encoding(encoding) });
  } catch (cause) {
    throw new OrderpulseError("UNSUPPORTED_ENCODING", `${file}: unsupported encoding ${encoding}`, { file, encoding }, cause);
  }
}

/**
 * Index of the first byte of `b` that starts an ill-formed UTF-8 sequence (the byte a fatal
 * TextDecoder stops at), or `b.length` when every sequence is valid or only cut off at the end.
 */
function firstBadUtf8(b: Uint8Array): number {
  const n = b.length;
  for (let i = 0; i < n; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number, lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return n;
      const d = b[i + k]!;
      if (d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return n;
}

/** The bytes at the end of `b` that start a UTF-8 sequence cut off there (0-3 bytes; the decoder holds them for the next chunk). */
function cutTail(b: Uint8Array): number {
  for (let j = b.length - 1; j >= Math.max(0, b.length - 3); j--) {
    const c = b[j]!;
    if (c < 0x80) return 0;
    if (c >= 0xc0) return b.length - j < (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) ? b.length - j : 0;
  }
  return 0;
}

/** The first `n` bytes of a file (fewer when it is shorter; empty when it cannot be read: its error comes from the read). */
async function firstBytes(file: string, n: number): Promise<Buffer> {
  try {
    const fh = await open(file, "r");
    try {
      const b = Buffer.alloc(n);
      const { bytesRead } = await fh.read(b, 0, n, 0);
      return b.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return Buffer.alloc(0);
  }
}

/** A ZIP (an .xlsx workbook) or gzip file by its first bytes, named for a message; undefined otherwise. */
async function binaryKind(file: string): Promise<string | undefined> {
  const b = await firstBytes(file, 4);
  if (b.length === 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return "a ZIP archive (an Excel .xlsx workbook is one)";
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return "a gzip-compressed file";
  return undefined;
}

/**
 * INVALID_ENCODING at the first invalid byte of the chunk that starts at byte `bytes` (`chunk`
 * undefined: the file's end, where a sequence was cut off), with its line. Read back from the file
 * on this error path only: the up to 3 bytes before the chunk that the decoder held (a sequence
 * cut by the chunk's start), and the newlines before the byte. Until 2026-12-07 the error named
 * the chunk's offset ("near offset 0" for a bad byte at 60,000).
 */
async function invalidEncoding(file: string, label: string, encoding: string, bytes: number, chunk: Buffer | undefined, cause: unknown): Promise<OrderpulseError> {
  let offset = bytes;
  let line = 1;
  try {
    const fh = await open(file, "r");
    try {
      if (isUtf8Encoding(encoding)) {
        const before = Buffer.alloc(Math.min(3, bytes));
        await fh.read(before, 0, before.length, bytes - before.length);
        const held = before.subarray(before.length - cutTail(before));
        offset = bytes - held.length + (chunk === undefined ? 0 : Math.min(firstBadUtf8(Buffer.concat([held, chunk])), held.length + chunk.length));
      }
      const buf = Buffer.alloc(STREAM_CHUNK);
      for (let at = 0; at < offset; ) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, offset - at), at);
        if (bytesRead === 0) break;
        for (let i = buf.indexOf(10); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) line++;
        at += bytesRead;
      }
    } finally {
      await fh.close();
    }
  } catch {
    // (the file went away meanwhile: the chunk's offset, as before)
  }
  // a workbook or a compressed file is no text in any encoding: say so (the encoding hint led nowhere)
  const kind = await binaryKind(file);
  return new OrderpulseError(
    "INVALID_ENCODING",
    kind !== undefined
      ? `${label}: not CSV text but ${kind}: save or extract it as a CSV file first`
      : `${label}: the byte at offset ${offset} (line ${line}) is not valid ${encoding}; pass the file's encoding (e.g. encoding: "windows-1255" for Hebrew, "windows-1252" for Western European exports)`,
    { file: label, encoding, offset, line },
    cause,
  );
}

async function* decoded(file: string, label: string, encoding: string, total: number, onProgress: TableReadSettings["onProgress"]): AsyncGenerator<string> {
  const dec = decoder(encoding, label);
  let bytes = 0;
  // CRLF becomes LF (a CR at a chunk's end waits for the next chunk): papaparse takes one line
  // break for the whole file from its first chunk, so a file whose header ended in CRLF and its
  // rows in LF (or that mixed both) lost rows into fields; the fast reader ends rows the same way
  let heldCR = false;
  for await (const chunk of createReadStream(file, { highWaterMark: STREAM_CHUNK })) {
    let text: string;
    try {
      text = dec.decode(chunk as Buffer, { stream: true });
    } catch (cause) {
      throw await invalidEncoding(file, label, encoding, bytes, chunk as Buffer, cause);
    }
    bytes += (chunk as Buffer).length;
    onProgress?.({ file: label, bytesRead: bytes, totalBytes: total });
    if (heldCR) text = `\r${text}`;
    heldCR = text.endsWith("\r");
    if (heldCR) text = text.slice(0, -1);
    if (text.includes("\r\n")) text = text.replaceAll("\r\n", "\n");
    if (text !== "") yield text;
  }
  let tail: string;
  try {
    tail = dec.decode();
  } catch (cause) {
    throw await invalidEncoding(file, label, encoding, bytes, undefined, cause);
  }
  if (heldCR) tail = `\r${tail}`;
  if (tail.includes("\r\n")) tail = tail.replaceAll("\r\n", "\n");
  if (tail !== "") yield tail;
}

/** A TextDecoder knows the encoding label. */
function knownEncoding(encoding: string): boolean {
  try {
    new TextDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

/**
 * @internal The encoding a file's byte order mark names: EF BB BF UTF-8, FF FE UTF-16LE (Excel's
 * "Unicode Text"), FE FF UTF-16BE; undefined without one (or when the file cannot be read: its
 * error comes from the read).
 */
export async function bomEncoding(file: string): Promise<"utf-8" | "utf-16le" | "utf-16be" | undefined> {
  const b = await firstBytes(file, 3);
  if (b.length === 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return "utf-8";
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return undefined;
}

/** The file's first STREAM_CHUNK bytes as text in its encoding ("" when the encoding is unknown: its error comes from the read). */
async function firstChunk(s: TableReadSettings): Promise<string> {
  let dec: TextDecoder;
  try {
    dec = new TextDecoder(s.encoding);
  } catch {
    return "";
  }
  const fh = await open(s.file, "r");
  try {
    const buf = Buffer.alloc(STREAM_CHUNK);
    const { bytesRead } = await fh.read(buf, 0, STREAM_CHUNK, 0);
    return dec.decode(buf.subarray(0, bytesRead), { stream: true });
  } finally {
    await fh.close();
  }
}

function withHeaderDelimiter(s: TableReadSettings, first: string, guess: string | undefined): TableReadSettings {
  const d = guess === undefined ? undefined : headerDelimiter(s, first, guess);
  return d === undefined ? s : { ...s, delimiter: d };
}

/**
 * Stream one CSV file through papaparse into the builder: the file is decoded chunk by chunk
 * (never read as one string), rows arrive as string arrays, values go through the builder's
 * hand-written parsers. `size` is the file's size in bytes, from readDataset's check of every
 * file (which also refused pipes and devices).
 * @internal
 */
export async function readTable(asked: TableReadSettings, builder: DatasetBuilder, size: number): Promise<void> {
  // a file that starts with the UTF-8 byte order mark is UTF-8 whatever encoding was asked for, as
  // the WHATWG decoding rules read it: one `--encoding windows-1255` applies to every file of a
  // folder, and a customers.csv saved from Excel as "CSV UTF-8" beside a windows-1255 orders.csv
  // read "missing required column customer_id" (its BOM decoded as three Hebrew letters; a review)
  // (an encoding no decoder knows keeps its UNSUPPORTED_ENCODING error)
  // (a UTF-16 mark likewise: Excel's "Unicode Text" export stopped with "not valid utf-8; pass
  // windows-1255 ..." and that hint led to "missing required column"; a review)
  const bom = knownEncoding(asked.encoding) ? await bomEncoding(asked.file) : undefined;
  const given = bom !== undefined && new TextDecoder(asked.encoding).encoding !== bom ? { ...asked, encoding: bom } : asked;
  // the delimiter from the header when papaparse's guess over the first chunk reads fewer column names
  const first = await firstChunk(given);
  // papaparse's guess over the first chunk as read, made once (the header check and the parse below)
  const guess = given.delimiter === undefined && first !== "" ? guessDelimiter(first) : undefined;
  const s = given.delimiter === undefined ? withHeaderDelimiter(given, first, guess) : given;
  // (a ';'-separated file: a number with a comma in it is refused without decimalComma, never read
  // as thousands grouping; see DatasetBuilder.semicolonFile)
  builder.semicolonFile = (s.delimiter ?? guess) === ";";
  const fields = FIELDS[s.table];
  const isOrders = s.table === "orders";
  if (isOrders && (await readOrdersFast(s, builder, size))) return;
  if (isOrders) builder.reserve(Math.ceil(size / 45)); // typical order lines are 45-70 bytes
  const extra = isOrders ? Object.keys(s.preset.extraOrderColumns ?? {}) : [];
  const exclude = isOrders ? s.preset.excludeOrder : undefined;
  const values: (string | undefined)[] = new Array(fields.length);
  let index: Int32Array | undefined;
  let extraIndex: Int32Array = new Int32Array(0);
  let width = 0;
  let line = 0;
  const get = (row: readonly string[]) => (column: string): string | undefined => {
    const k = fields.indexOf(column);
    if (k >= 0) return index![k]! >= 0 ? row[index![k]!] : undefined;
    const e = extra.indexOf(column);
    return e >= 0 && extraIndex[e]! >= 0 ? row[extraIndex[e]!] : undefined;
  };
  const derive = s.preset.derive;
  const customerId = isOrders ? s.preset.customerId : undefined;
  const customerAt = fields.indexOf("customer_id");
  const productId = isOrders ? s.preset.productId : undefined;
  const productAt = fields.indexOf("product_id");
  const nameAt = derive?.productName !== undefined ? extra.indexOf(derive.productName) : -1;
  const regionAt = derive?.customerRegion !== undefined ? extra.indexOf(derive.customerRegion) : -1;

  const onRows = (rows: readonly string[][], badQuotes: ReadonlySet<number> | undefined): void => {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      line++;
      if (row.length === 1 && row[0]!.trim() === "") continue; // blank line
      if (index === undefined) {
        builder.table(s.table, s.label);
        const h = resolveHeader(s, row, builder, extra);
        index = h.index;
        extraIndex = h.extraIndex;
        width = row.length;
        continue;
      }
      if (badQuotes?.has(r)) {
        // a quote opened and not closed properly: papaparse reads on to the next quote that ends
        // a field, or to the end of the file, into this row; none of its fields can be trusted
        const text = row.join(",");
        // (the file's own last line break, swallowed with the rest when the quote runs to the end
        // of the file, ends a line and starts none: "the next 2 lines" for one until 2026-12-07)
        const more = text.replace(/\r?\n$/, "").split("\n").length - 1;
        builder.rejectRow(s.table, line, undefined, text, "malformed_quotes", `a quoted field is not closed properly${more > 0 ? `; the row runs on over the next ${more} line${more === 1 ? "" : "s"} of the file, read as part of it` : ""}`);
        continue;
      }
      if (row.length !== width) {
        builder.rejectRow(s.table, line, undefined, row.join(","), "field_count", `row has ${row.length} fields, the header has ${width}`);
        continue;
      }
      if (exclude) {
        const reason = exclude(get(row), builder.options.decimalComma);
        if (reason !== undefined) {
          builder.exclude(s.table, reason);
          continue;
        }
      }
      for (let k = 0; k < fields.length; k++) {
        const i = index[k]!;
        values[k] = i >= 0 ? row[i] : undefined;
      }
      if (customerId && values[customerAt] !== undefined) values[customerAt] = customerId(values[customerAt]);
      let upperCased = false;
      if (productId && values[productAt] !== undefined) {
        const id = productId(values[productAt]);
        if (id !== values[productAt]) {
          upperCased = true;
          values[productAt] = id;
        }
      }
      const accepted = s.table === "orders" ? builder.addOrder(values, line) : (builder.add(s.table, values, line), true);
      // (counted for accepted rows only: a rejected row leaves nothing behind)
      if (upperCased && accepted) builder.warn("orders", "product_id_upper_cased");
      // names and regions come from accepted rows only: a rejected row leaves nothing behind
      // (the value of the earliest-dated accepted row, ties to the smallest: a rule over every row,
      // such as the most frequent value, let rows dated after an as-of day change what it shows)
      if (s.derived && accepted) {
        const day = builder.options.parseDate(values[1] ?? "");
        if (nameAt >= 0 && extraIndex[nameAt]! >= 0) {
          const id = values[3]?.trim();
          const name = row[extraIndex[nameAt]!]?.trim();
          if (id) tally(s.derived.productName, id, day, name ?? "");
        }
        if (regionAt >= 0 && extraIndex[regionAt]! >= 0) {
          const id = values[2]?.trim();
          const region = row[extraIndex[regionAt]!]?.trim();
          if (id) tally(s.derived.customerRegion, id, day, region ?? "");
        }
      }
    }
  };

  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (e: unknown): void => {
      if (!failed) {
        failed = true;
        reject(e);
      }
    };
    const input = Readable.from(decoded(s.file, s.label, s.encoding, size, s.onProgress));
    input.on("error", fail);
    // the delimiter and line break of the file as read, not papaparse's guesses on the text with
    // CRLF turned into LF (a tab file with a CRLF header and LF rows was guessed ',' there, and a
    // header ending in CR CR LF took the rows' breaks for none; a fuzz review)
    const newline = newlineOf(first);
    Papa.parse<string[]>(input as unknown as File, {
      delimiter: s.delimiter ?? guess ?? "",
      ...(newline !== undefined ? { newline } : {}),
      delimitersToGuess: [...DELIMITERS_TO_GUESS],
      header: false,
      skipEmptyLines: false,
      chunk: (results, parser) => {
        if (failed) return;
        try {
          onRows(results.data, quoteErrorRows(results.errors));
        } catch (e) {
          fail(e); // first: abort() calls complete synchronously
          parser.abort();
        }
      },
      complete: () => {
        if (failed) return;
        if (index === undefined) {
          // an empty file of a table other than orders is a table without rows (ERPs write one for
          // a table they have nothing for; it stopped the whole read with EMPTY_FILE, where a
          // header-only or missing file reads fine; a review), with a warning
          if (!isOrders) {
            builder.warn(s.table, "empty_file");
            resolve();
            return;
          }
          fail(emptyFileError(s.label));
          return;
        }
        resolve();
      },
      error: (e: unknown) => fail(new OrderpulseError("IO_ERROR", `${s.label}: ${String((e as Error)?.message ?? e)}`, { file: s.label }, e)),
    });
  });
}

/** The rows (indices into the chunk's data) papaparse reports a malformed or unclosed quote in; undefined when none. */
function quoteErrorRows(errors: readonly Papa.ParseError[]): Set<number> | undefined {
  let rows: Set<number> | undefined;
  for (const e of errors) {
    if (e.type !== "Quotes" || e.row === undefined) continue;
    (rows ??= new Set()).add(e.row);
  }
  return rows;
}

/** Keep `value` for `id` when its row is the earliest so far (ties to the smallest value). */
function tally(first: Map<string, DerivedValue>, id: string, day: number, value: string): void {
  // every id of an accepted row is listed (one without any name or region is in the derived
  // table without it, not an unknown_product / unknown_customer of a master file nobody gave);
  // the earliest day, even when its value is empty (a value from a later row let rows dated after
  // an as-of day fill in a region, moving revenue before it); on that day a value beats none, then
  // the smallest value
  const m = first.get(id);
  if (m === undefined || day < m.day) first.set(id, { day, value });
  else if (day === m.day && (m.value === "" ? value !== "" : value !== "" && value < m.value)) first.set(id, { day, value });
}
