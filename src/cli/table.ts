/** Bidi marks and controls (no width on screen). */
const BIDI_MARK = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;
const BIDI_MARKS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/**
 * @internal Aligned text table: the first `left` columns are left-aligned (labels), the rest
 * right-aligned (numbers). Trailing spaces trimmed.
 */
export function alignedTable(header: readonly string[], body: readonly (readonly string[])[], left = 1): string[] {
  // widths by a loop, not Math.max(...cells): one argument a row overflowed the call stack past
  // about 120,000 rows (`orderpulse kpis --by customer` on 12,000 customers); the invisible bidi
  // marks of an isolated name (U+2068 … U+2069) take no column
  const shown = (c: string): number => (BIDI_MARK.test(c) ? c.replace(BIDI_MARKS, "").length : c.length);
  const width = header.map(shown);
  for (const b of body) for (let i = 0; i < width.length; i++) width[i] = Math.max(width[i]!, shown(b[i] ?? ""));
  const pad = (c: string, w: number, end: boolean): string => {
    const fill = " ".repeat(Math.max(0, w - shown(c)));
    return end ? c + fill : fill + c;
  };
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, width[i]!, i < left))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)];
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

/** @internal Number with thousands separators and up to `digits` decimals; "–" for undefined. */
export function num(v: number | undefined, digits = 0): string {
  return v === undefined || Number.isNaN(v) ? "–" : enUsFormat(0, digits).format(v);
}

/** @internal Percentage with one decimal; "–" for undefined. */
export function pct(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? "–" : `${(v * 100).toFixed(1)}%`;
}
