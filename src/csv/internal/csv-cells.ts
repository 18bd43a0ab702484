/**
 * @internal The cells of one CSV row, as `writeCsv` and the CLI's `--csv` write them: text as it
 * is, numbers, booleans and bigints with `String()`, a `Date` as `YYYY-MM-DD` when it is midnight
 * UTC else as its ISO timestamp (an invalid date, `null` and `undefined` as an empty cell).
 *
 * `escapeFormulas` guards a file meant for a spreadsheet against CSV injection (OWASP): a text
 * cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
 * Excel, LibreOffice and Google Sheets show it as text instead of running it as a formula
 * (`=HYPERLINK(...)` in a customer name from the ERP). Numbers are never touched (a credit
 * note's −6 stays a number); the prefix changes the text, so a file read back by a program is
 * written without it.
 */

/** @internal A text cell's first character that a spreadsheet takes for the start of a formula. */
function startsFormula(s: string): boolean {
  const c = s.charCodeAt(0);
  // = + - @ TAB CR
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

/**
 * @internal One value as its CSV cell text (before quoting).
 * @param value - any value of a row
 * @param escapeFormulas - prefix formula-like text with `'`
 * @returns the cell's text
 */
export function csvCell(value: unknown, escapeFormulas: boolean): string {
  if (typeof value === "string") return escapeFormulas && value.length > 0 && startsFormula(value) ? `'${value}` : value;
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return "";
    const iso = value.toISOString();
    // (years beyond 0000-9999 print as ±YYYYYY: keep everything before the time)
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, -14) : iso;
  }
  return String(value);
}

/**
 * @internal A row's cells in header order: an object's own value under each header (a name every
 * object inherits, such as `constructor` or `toString`, is an empty cell unless the row has it
 * itself), an array's cells by position; anything that is not an object, empty cells.
 * @param row - an object, or an array of cells
 * @param headers - column names in order
 * @param escapeFormulas - as for {@link csvCell}
 * @returns one text per header
 */
export function csvCells(row: object, headers: readonly string[], escapeFormulas: boolean): string[] {
  const out = new Array<string>(headers.length);
  if (typeof row !== "object" || row === null) return out.fill(""); // (not a row: an empty one)
  if (Array.isArray(row)) {
    for (let h = 0; h < headers.length; h++) out[h] = csvCell(row[h], escapeFormulas);
    return out;
  }
  const r = row as Record<string, unknown>;
  for (let h = 0; h < headers.length; h++) {
    const name = headers[h]!;
    out[h] = csvCell(Object.hasOwn(r, name) || !(name in Object.prototype) ? r[name] : undefined, escapeFormulas);
  }
  return out;
}
