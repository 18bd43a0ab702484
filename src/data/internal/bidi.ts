/**
 * @internal Bidirectional-text helpers for messages: names and ids isolated (U+2068 … U+2069) so
 * right-to-left and left-to-right text do not reorder each other (signals, offers, briefs, CLI).
 */

/**
 * @internal A name or id for a right-to-left (Hebrew) text: with a letter of a left-to-right
 * script (Latin, Cyrillic, Greek, CJK...: any letter but Hebrew, Arabic, Syriac, Thaana or N'Ko)
 * or a bidi control (an override must not run on) it is wrapped in Unicode's first-strong isolate
 * (U+2068 … U+2069), so the layout keeps it whole ("ACME Ltd." and "ООО Ромашка." keep their
 * period at their end; until 2026-12-06 only Latin letters were); others (and already isolated
 * ones) as they are.
 */
export function iso(s: string): string {
  const b = balanced(s);
  // (the pattern made at the first call: the build turns the literal into a RegExp constructor
  // call, which a module-level constant kept in every bundle, one data function's included)
  ltrOrControl ??= /(?![\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}])\p{L}|[\u202a-\u202e\u2066-\u2069]/u;
  return ltrOrControl.test(b) && !isolated(b) ? `\u2068${b}\u2069` : b;
}

/** A letter of a left-to-right script (a letter not of the right-to-left ones), or a bidi control; made by the first {@link iso}. */
let ltrOrControl: RegExp | undefined;

/**
 * The name with its isolates balanced: a U+2069 that closes nothing in it is dropped, and one is
 * added at its end for each isolate it leaves open. Otherwise a stray U+2069 in a name closed the
 * isolate put around it, and an override after it ran to the end of the line; an isolate the name
 * left open swallowed the closing U+2069 meant for the one around it (invisible marks only: what
 * shows of the name is the same).
 */
function balanced(s: string): string {
  if (!/[\u2066-\u2069]/.test(s)) return s;
  let out = "", depth = 0;
  for (const ch of s) {
    if (ch === "\u2069") {
      if (depth === 0) continue;
      depth--;
    } else if (ch === "\u2066" || ch === "\u2067" || ch === "\u2068") depth++;
    out += ch;
  }
  return out + "\u2069".repeat(depth);
}

/** Whether s is one isolate already: U+2068 … U+2069 with no other isolate mark inside ("\u2068ACME Ltd." from the data left it open). */
function isolated(s: string): boolean {
  return s.length >= 2 && s.startsWith("\u2068") && s.endsWith("\u2069") && !/[\u2066-\u2069]/.test(s.slice(1, -1));
}

/**
 * @internal A name or id for a left-to-right (English) text: isolated (U+2068 … U+2069) when it
 * holds right-to-left letters or bidi controls, else as it is. An unclosed right-to-left override
 * (U+202E) in a customer's name reversed the rest of the line ("…: Customer at risk, $252 at
 * stake" read backwards, the amount disguised); an isolate ends every embedding opened in it.
 */
export function isoLtr(s: string): string {
  const b = balanced(s);
  return /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u202a-\u202e\u2066-\u2069\u061c\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u.test(b) && !isolated(b) ? `\u2068${b}\u2069` : b;
}

/** @internal A name or id put in a message of that locale: {@link iso} in Hebrew, {@link isoLtr} in English. */
export function isoIn(locale: "en" | "he", s: string): string {
  return locale === "he" ? iso(s) : isoLtr(s);
}

/**
 * @internal A number's text in a message of that locale: a leading minus as "−" (U+2212), in
 * Hebrew led by a left-to-right mark (U+200E) so right-to-left layout keeps it before its number
 * ("ל--400" read "400-" before); other texts as they are.
 */
export function signedIn(locale: "en" | "he", s: string): string {
  return s.startsWith("-") ? `${locale === "he" ? "\u200E" : ""}−${s.slice(1)}` : s;
}

/**
 * @internal "every 1 days" as "every day" (and "כל 1 ימים" as "כל יום") in a finished message: a
 * customer that orders daily; and "for 1 days" as "for 1 day" ("כבר 1 ימים" as "כבר יום אחד"): a
 * deal one day in its stage.
 */
export function everyDay(text: string): string {
  return text.includes(" 1 ") ? text.replace(/\bevery 1 days\b/g, "every day").replace(/כל 1 ימים/g, "כל יום").replace(/\bfor 1 days\b/g, "for 1 day").replace(/כבר 1 ימים/g, "כבר יום אחד") : text;
}
