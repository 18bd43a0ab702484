import { OrderpulseError } from "../../data/errors.ts";
import type { TableName } from "../../data/ingest-report.ts";
import { type DatasetBuilder, FIELDS } from "../../data/internal/builder.ts";
import { DATA_CONTRACT } from "../../data/contract.ts";
import type { ReadProgress } from "../read-dataset-options.ts";
import type { Preset } from "./presets.ts";
import Papa from "papaparse";

/**
 * @internal Bytes per chunk of the papaparse path's file stream. papaparse guesses the
 * delimiter and line break from its first chunk, so the byte-level reader asks it about the
 * same bytes.
 */
export const STREAM_CHUNK: number = 1 << 16;

/** @internal The delimiters papaparse may guess when none is given (both CSV paths ask it the same). */
export const DELIMITERS_TO_GUESS: readonly string[] = [",", ";", "\t", "|"];

/**
 * @internal Whether an encoding label names UTF-8: any of its WHATWG labels ("utf-8", "utf8",
 * "unicode-1-1-utf-8", …, case and surrounding spaces ignored, as TextDecoder reads them), so the
 * strict check and the fast reader apply to all of them; false for an unsupported label.
 */
export function isUtf8Encoding(encoding: string): boolean {
  try {
    return new TextDecoder(encoding).encoding === "utf-8";
  } catch {
    return false;
  }
}

/** @internal The error for a file without a header row (both CSV paths). */
export function emptyFileError(label: string): OrderpulseError {
  return new OrderpulseError("EMPTY_FILE", `${label}: the file is empty (no header row)`, { file: label });
}

/** @internal Settings for reading one table file. */
export interface TableReadSettings {
  readonly table: TableName;
  readonly file: string;
  readonly label: string;
  readonly encoding: string;
  readonly delimiter: string | undefined;
  readonly map: ReadonlyMap<string, string>;
  readonly preset: Preset;
  readonly onProgress: ((p: ReadProgress) => void) | undefined;
  /** Derived master data collected from extra columns (online-retail): per id, the value of its earliest-dated accepted row. */
  readonly derived?: { productName: Map<string, DerivedValue>; customerRegion: Map<string, DerivedValue> };
}

/** @internal A derived value and the day of the row it came from. */
export interface DerivedValue {
  readonly day: number;
  readonly value: string;
}

/**
 * @internal The delimiter the header line separates the table's column names with, when
 * papaparse's guess over the first chunk reads fewer of them: on a short file, data rows whose
 * values hold another candidate (`a;b` ids in a comma file) outvote its header, and a file
 * `writeCsv` wrote did not read back (MISSING_COLUMN). Undefined: keep the guess. Names count as
 * resolveHeader finds them: the contract's fields, the preset's and the mapping's column names,
 * case and surrounding spaces ignored.
 */
export function headerDelimiter(s: TableReadSettings, first: string, guess: string = guessDelimiter(first)): string | undefined {
  const line = first.replace(/^\uFEFF/, "").split(/\r?\n/).find((l) => l.trim() !== "");
  if (line === undefined) return undefined;
  const known = new Set<string>(FIELDS[s.table].map((f) => f.toLowerCase()));
  for (const list of Object.values(s.preset.columns[s.table] ?? {})) for (const c of list ?? []) known.add(c.toLowerCase());
  if (s.table === "orders") for (const list of Object.values(s.preset.extraOrderColumns ?? {})) for (const c of list) known.add(c.toLowerCase());
  for (const [k, v] of s.map) if (k.startsWith(`${s.table}.`) || (s.table === "orders" && !k.includes("."))) known.add(v.trim().toLowerCase());
  const score = (d: string): number => {
    let n = 0;
    for (const name of Papa.parse<string[]>(line, { delimiter: d, header: false }).data[0] ?? []) if (known.has(name.trim().toLowerCase())) n++;
    return n;
  };
  let best = guess, top = score(guess);
  for (const d of DELIMITERS_TO_GUESS) {
    const n = score(d);
    if (n > top) {
      best = d;
      top = n;
    }
  }
  return best !== guess ? best : undefined;
}

/** Papaparse's guess of the delimiter over the first rows of `first` (the file's first chunk, as read). @internal */
export function guessDelimiter(first: string): string {
  return Papa.parse<string[]>(first, { delimiter: "", delimitersToGuess: [...DELIMITERS_TO_GUESS], header: false, preview: 10 }).meta.delimiter;
}

/**
 * The line break of a file from its first chunk, as read: "\n" when it has one (the reader turns
 * CRLF into LF), "\r" for a file of lone CRs, undefined without either (one line). Papaparse is
 * given it: its own guess ran on the rewritten text, where a header ending in "\r\r\n" (Python's
 * csv.writer on Windows) became "\r\n", taken for the file's break, and every row was lost. @internal
 */
export function newlineOf(first: string): "\n" | "\r" | undefined {
  return first.includes("\n") ? "\n" : first.includes("\r") ? "\r" : undefined;
}

/** Resolve the header: contract field index -> column index (-1 absent). @internal */
export function resolveHeader(s: TableReadSettings, header: readonly string[], builder: DatasetBuilder, extra: readonly string[]): { index: Int32Array; extraIndex: Int32Array } {
  const names = header.map((h) => h.replace(/^\uFEFF/, "").trim());
  const lower = names.map((h) => h.toLowerCase());
  const counts = new Map<string, number>();
  for (const h of lower) counts.set(h, (counts.get(h) ?? 0) + 1);
  const find = (candidates: readonly string[]): number => {
    for (const c of candidates) {
      const i = names.indexOf(c);
      if (i >= 0) return i;
    }
    for (const c of candidates) {
      const i = lower.indexOf(c.toLowerCase());
      if (i >= 0) return i;
    }
    return -1;
  };
  const used = new Set<number>();
  const check = (i: number, column: string): void => {
    if (i >= 0 && (counts.get(lower[i]!) ?? 0) > 1) {
      throw new OrderpulseError("DUPLICATE_COLUMN", `${s.label}: column "${names[i]}" appears more than once in the header (used for ${column})`, {
        file: s.label,
        column,
        header: names[i],
      });
    }
    if (i >= 0) used.add(i);
  };
  const fields = FIELDS[s.table];
  const required = new Set(DATA_CONTRACT[s.table].required);
  const presetCols = s.preset.columns[s.table] ?? {};
  const index = new Int32Array(fields.length);
  for (let k = 0; k < fields.length; k++) {
    const f = fields[k]!;
    const explicit = s.map.get(`${s.table}.${f}`) ?? (s.table === "orders" ? s.map.get(f) : undefined);
    const candidates = explicit !== undefined ? [explicit] : (presetCols[f] ?? [f]);
    // (a mapped name is matched as the header's names are, trimmed: `map: { order_id: " DocNo" }`
    // was MISSING_COLUMN while the CLI's trimmed --map read the file; a review)
    const i = find(explicit !== undefined ? [explicit.trim()] : candidates);
    // a mapping the caller gave names a column the file must have, required or not: a mapped
    // unit_cost or rep_id that is not in the header silently dropped the field (and the file's own
    // column of that name), and gross profit or the rep split went missing without a word
    if (i < 0 && (required.has(f) || explicit !== undefined)) {
      const via = explicit !== undefined ? ` (mapped from "${explicit}")` : candidates[0] !== f ? ` (looked for ${candidates.map((c) => `"${c}"`).join(" or ")})` : "";
      // a header read as one or two fields that hold another separator: the delimiter guessed
      // wrong (a short ';' file whose values hold commas), not a missing column
      const other = names.length <= 2 ? [";", "\t", "|", ","].find((d) => names.some((n) => n.split(d).length > 2)) : undefined;
      const hint = other !== undefined ? `; the header looks separated by ${other === "\t" ? "tabs" : `"${other}"`}: give the delimiter (delimiter option, --delimiter)` : "";
      throw new OrderpulseError("MISSING_COLUMN", `${s.label}: missing ${required.has(f) ? "required " : ""}column ${f}${via}${hint}`, { file: s.label, column: f, candidates, header: names });
    }
    check(i, f);
    index[k] = i;
  }
  const extraIndex = new Int32Array(extra.length);
  const extraCols = s.preset.extraOrderColumns ?? {};
  for (let k = 0; k < extra.length; k++) {
    const i = find(extraCols[extra[k]!] ?? []);
    if (i >= 0 && (counts.get(lower[i]!) ?? 0) <= 1) used.add(i);
    extraIndex[k] = i;
  }
  let dupUnused = 0;
  for (const [, n] of counts) if (n > 1) dupUnused += n - 1;
  if (dupUnused > 0) builder.warn(s.table, "duplicate_header", dupUnused);
  return { index, extraIndex };
}
