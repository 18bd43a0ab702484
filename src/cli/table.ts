/**
 * @internal Aligned text table: the first `left` columns are left-aligned (labels), the rest
 * right-aligned (numbers). Trailing spaces trimmed.
 */
export function alignedTable(header: readonly string[], body: readonly (readonly string[])[], left = 1): string[] {
  const width = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i < left ? c.padEnd(width[i]!) : c.padStart(width[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)];
}

/** @internal Number with thousands separators and up to `digits` decimals; "–" for undefined. */
export function num(v: number | undefined, digits = 0): string {
  return v === undefined || Number.isNaN(v) ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** @internal Percentage with one decimal; "–" for undefined. */
export function pct(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? "–" : `${(v * 100).toFixed(1)}%`;
}
