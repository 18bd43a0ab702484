/**
 * @internal A year as dates and period labels write it: four digits for 0..9999 (`0426`, as in
 * `0426-08-01`), else as is (`10000`, `-2`), which `parseDay` reads back.
 * @param y - the year
 * @returns its text
 */
export function yearText(y: number): string {
  return y >= 0 && y < 10000 ? String(y).padStart(4, "0") : String(y);
}
