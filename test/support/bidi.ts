/**
 * Test support: what of a text lies outside every bidi isolate (U+2066, U+2067, U+2068 … the
 * matching U+2069), with the isolates matched as the Unicode bidi algorithm does (a U+2069 that
 * closes nothing is ignored). A test checks that no right-to-left letter or embedding control is
 * left there.
 */
export function outsideIsolates(text: string): string {
  let out = "", depth = 0;
  for (const ch of text) {
    if (ch === "\u2066" || ch === "\u2067" || ch === "\u2068") depth++;
    else if (ch === "\u2069") depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}
