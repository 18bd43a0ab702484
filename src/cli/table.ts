import { isoLtr } from "../signals/internal/format.ts";
import { priceDecimalsOf } from "../recommend/internal/price.ts";

/** Characters without a column of their own: bidi marks and controls, combining marks (Hebrew points, Arabic vowels), zero-width joiners. */
const NO_WIDTH = /[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\p{Mn}\p{Me}]/gu;
/** A quick test for any character that is not printable ASCII (most cells are). */
const NOT_ASCII = /[^\x20-\x7e]/;

/**
 * Whether a code point takes two columns on a terminal: East Asian Wide and Fullwidth (Unicode
 * UAX #11; the ranges terminals' wcwidth uses: Hangul Jamo, CJK and its punctuation, Hiragana,
 * Katakana, Hangul syllables, compatibility ideographs, fullwidth forms, emoji, CJK extensions).
 */
function wide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

const LINE_OR_TAB = /\r\n|[\t\n\v\f\r\u0085\u2028\u2029]/g;

/** @internal Columns a cell takes on screen: code points, less those without width, East Asian wide ones (CJK, emoji) twice. */
export function shownWidth(c: string): number {
  if (!NOT_ASCII.test(c)) return c.length;
  let n = 0;
  for (const ch of c.replace(NO_WIDTH, "")) n += wide(ch.codePointAt(0)!) ? 2 : 1;
  return n;
}

/**
 * @internal Aligned text table: the first `left` columns are left-aligned (labels), the rest
 * right-aligned (numbers). Trailing spaces trimmed. Every cell with right-to-left letters (or bidi
 * controls) is isolated (U+2068 … U+2069), so a Hebrew name cannot reorder the numbers after it on
 * a bidi-aware terminal (the KPI, report, similar and explain tables left theirs bare); widths are
 * the columns on screen (isolation marks and Hebrew points take none, CJK and emoji two).
 */
export function alignedTable(header: readonly string[], body: readonly (readonly string[])[], left = 1): string[] {
  // widths by a loop, not Math.max(...cells): one argument a row overflowed the call stack past
  // about 120,000 rows (`orderpulse kpis --by customer` on 12,000 customers)
  // (a line break or tab inside a cell, from an id or a name, broke the row over two lines or
  // shifted every column after it: one space each)
  const cellsOf = (cells: readonly string[]): string[] =>
    cells.map((c) => {
      const flat = c.replace(LINE_OR_TAB, " ");
      return NOT_ASCII.test(flat) ? isoLtr(flat) : flat;
    });
  const head = cellsOf(header);
  const rows = body.map(cellsOf);
  const width = head.map(shownWidth);
  for (const b of rows) for (let i = 0; i < width.length; i++) width[i] = Math.max(width[i]!, shownWidth(b[i] ?? ""));
  const pad = (c: string, w: number, end: boolean): string => {
    const fill = " ".repeat(Math.max(0, w - shownWidth(c)));
    return end ? c + fill : fill + c;
  };
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, width[i]!, i < left))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

/**
 * @internal An en-US number format, made once per set of options: `toLocaleString` builds one
 * per call (about 35 µs each; a 200,000-row table spent seconds in it). Same text.
 */
export function enUsFormat(minimumFractionDigits: number, maximumFractionDigits: number): Intl.NumberFormat {
  const key = minimumFractionDigits * 64 + maximumFractionDigits;
  let f = FORMATS.get(key);
  if (f === undefined) FORMATS.set(key, (f = new Intl.NumberFormat("en-US", { minimumFractionDigits, maximumFractionDigits })));
  return f;
}
const FORMATS = new Map<number, Intl.NumberFormat>();

/**
 * @internal A unit price as the offers' messages show it: cents ("29.30", not "29.3"), or as many
 * decimals as an item below 0.10 needs ("0.004"); "–" for NaN. The offers table, the customer card
 * and the demo each wrote it out.
 */
export function unitPrice(x: number): string {
  return Number.isNaN(x) ? "–" : enUsFormat(2, priceDecimalsOf(x)).format(x);
}

/** @internal Number with thousands separators and up to `digits` decimals; "–" for undefined. */
export function num(v: number | undefined, digits = 0): string {
  return v === undefined || Number.isNaN(v) ? "–" : enUsFormat(0, digits).format(v);
}

const PERCENT_1 = /* @__PURE__ */ new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false, signDisplay: "negative" });

/**
 * @internal A fraction as a percentage number with one decimal, no sign for a value that rounds
 * to 0 ("0.0"): rounded half away from zero on the decimal value, as the briefs' Intl percent
 * format (toFixed rounded the binary product, 0.0115 read 1.1 where the brief said 1.2; a review).
 */
export function percentText(v: number): string {
  return PERCENT_1.format(v).slice(0, -1);
}

/** @internal Percentage with one decimal; "–" for undefined. */
export function pct(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? "–" : `${percentText(v)}%`;
}
