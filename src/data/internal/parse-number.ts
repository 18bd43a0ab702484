/**
 * Hand-written number parsing for the per-row path (no zod, no regex per row).
 * Accepts optional surrounding white space, a sign, digits with an optional decimal separator
 * ('.' by default, ',' with `decimalComma`) and an exponent. Grouping separators are accepted
 * when well formed: ',' (point decimal) or '.', ' ', U+00A0, U+202F, '\'' (comma decimal), every group of
 * three digits. Returns NaN for anything else (hex, currency symbols, "1,2,3", text).
 * @internal
 */
export function parseNumber(value: unknown, decimalComma: boolean): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value !== "string") return Number.NaN;
  let s = value;
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  if (a === b) return Number.NaN;
  const dec = decimalComma ? 44 : 46; // ',' : '.'
  let i = a;
  let c = s.charCodeAt(i);
  if (c === 43 || c === 45) i++; // + -
  let digits = 0;
  let groupLen = -1; // -1: no grouping seen; else digits since last group separator
  let firstGroupDigits = 0;
  let grouped = false;
  let sawDec = false;
  let sawExp = false;
  for (; i < b; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (groupLen >= 0) groupLen++;
      else if (!sawDec) firstGroupDigits++;
      continue;
    }
    if (!sawDec && !sawExp && c === dec) {
      if (groupLen >= 0 && groupLen !== 3) return Number.NaN;
      groupLen = -1;
      sawDec = true;
      continue;
    }
    if (!sawDec && !sawExp && isGroupSeparator(c, decimalComma)) {
      if (groupLen >= 0 ? groupLen !== 3 : firstGroupDigits < 1 || firstGroupDigits > 3) return Number.NaN;
      groupLen = 0;
      grouped = true;
      continue;
    }
    if ((c === 101 || c === 69) && digits > 0 && !sawExp) {
      if (groupLen >= 0 && groupLen !== 3) return Number.NaN;
      groupLen = -1;
      sawExp = true;
      const n = s.charCodeAt(i + 1);
      if (n === 43 || n === 45) i++;
      if (i + 1 >= b) return Number.NaN;
      continue;
    }
    return Number.NaN;
  }
  if (digits === 0 || (groupLen >= 0 && groupLen !== 3)) return Number.NaN;
  if (a !== 0 || b !== s.length) s = s.slice(a, b);
  if (grouped || decimalComma) {
    let out = "";
    for (let k = 0; k < s.length; k++) {
      const ch = s.charCodeAt(k);
      if (ch === dec) out += ".";
      else if (!isGroupSeparator(ch, decimalComma)) out += s[k];
    }
    s = out;
  }
  return Number(s);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff;
}

function isGroupSeparator(c: number, decimalComma: boolean): boolean {
  return decimalComma ? c === 46 || c === 32 || c === 0xa0 || c === 0x202f || c === 39 : c === 44;
}
