import type { DealStage } from "../../data/dataset.ts";
import type { SignalLocale } from "../types.ts";
import type { CostBasis } from "./cost-basis.ts";
import { shownRound } from "../../data/internal/shown-round.ts";

/**
 * @internal A number for a message: `digits` decimals (default 1), whole numbers without them
 * (with one digit). Rounded as the evidence fields are ({@link round}, half up): toFixed rounds the
 * binary value, so 4.35 (4.3499…) read "4.3" beside a field of 4.4, and 2.05 "2" beside 2.1.
 */
export function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return "?";
  // (the fields' own rounding: a field of the same digits reads the same, e.g. params.gapRatio)
  const y = round(x, digits);
  return digits <= 1 && Number.isInteger(y) ? String(y) : y.toFixed(digits);
}

/**
 * @internal A quantity for a message: one decimal from 1 up (whole numbers without), two
 * significant digits below (a product sold by weight, 0.05 kg an order, must not read "0"); of
 * the field's 4 decimals, half up ("0.15" beside a `usualQuantity` of 0.145, where toPrecision
 * read "0.14"; "2.1" beside 2.05).
 */
export function quantity(x: number): string {
  if (!Number.isFinite(x)) return "?";
  const f = round(x, 4);
  if (f === 0) return String(Number(x.toPrecision(2)));
  // from 1 up one decimal (whole numbers without), below two significant digits; both of the field
  if (Math.abs(f) >= 1) {
    const y = shownRound(f, 1);
    return Number.isInteger(y) ? String(y) : y.toFixed(1);
  }
  return String(shownRound(f, 1 - Math.floor(Math.log10(Math.abs(f)))));
}


// the bidi helpers live in data/internal/bidi.ts (offers and briefs use them too; recommend must
// not import signals: DESIGN.md's layers)
export { iso, isoIn, isoLtr } from "../../data/internal/bidi.ts";
import { everyDay } from "../../data/internal/bidi.ts";

/** @internal Left-to-right mark (U+200E): put before a sign in a Hebrew message so right-to-left layout keeps it before its number ("−5%", not "5%−"). */
export const LRM = "\u200E";

/** @internal Money for a message, rounded to whole units with thousands separators. */
export function money(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}

/**
 * @internal Deal stage names for messages: the data contract's English names, and the Hebrew
 * sales terms (a Hebrew message would otherwise say "בשלב proposal").
 */
const DEAL_STAGE_NAMES: Readonly<Record<DealStage, { readonly en: string; readonly he: string }>> = {
  lead: { en: "lead", he: "ליד" },
  qualified: { en: "qualified", he: "ליד מאומת" },
  proposal: { en: "proposal", he: "הצעת מחיר" },
  negotiation: { en: "negotiation", he: "משא ומתן" },
  won: { en: "won", he: "זכייה" },
  lost: { en: "lost", he: "הפסד" },
};

/** @internal A deal stage's name in the locale (DEAL_STAGE_NAMES); any other text as is. */
export function stageName(stage: string, locale: SignalLocale): string {
  return Object.hasOwn(DEAL_STAGE_NAMES, stage) ? DEAL_STAGE_NAMES[stage as DealStage][locale] : stage;
}

/** @internal "1,234 margin at risk in 90 days" (revenue on the revenue {@link CostBasis}), in the locale. */
export function atRiskText(x: number, basis: CostBasis, locale: SignalLocale): string {
  if (locale === "he") return `${basis === "revenue" ? "הכנסות" : "רווח"} של ${money(x)} בסיכון ב-90 הימים הקרובים`;
  return `${money(x)} ${basis} at risk in 90 days`;
}

/** @internal "About 1,234 of margin per 90 days" (revenue on the revenue {@link CostBasis}), in the locale. */
export function per90Text(x: number, basis: CostBasis, locale: SignalLocale): string {
  if (locale === "he") return `כ-${money(x)} ${basis === "revenue" ? "מההכנסות" : "מהרווח הגולמי"} ב-90 יום`;
  return `About ${money(x)} of ${basis} per 90 days`;
}

/**
 * @internal The current rhythm's mean gap when the model follows a change: the log-normal mean
 * under the posterior, e^(μ + σ²/2), when it is more than 1.5 times longer or shorter than the mean
 * of the whole history's gaps (customers with at least 8 purchase days); else undefined.
 */
export function recentGap(meanGap: number | undefined, mu: number, sigma2: number, purchaseDays: number): number | undefined {
  if (meanGap === undefined || !(meanGap > 0) || purchaseDays < 8) return undefined;
  const m = Math.exp(mu + sigma2 / 2);
  return m > 1.5 * meanGap || m < meanGap / 1.5 ? m : undefined;
}

/**
 * @internal A customer's rhythm in messages: "Orders every 21±5 days; 38 days since the last order
 * (1.8x the usual gap)", with ", lately every 9" and the ratio to that gap when the rhythm changed
 * ({@link recentGap}); the ratio is silence ÷ the gap it names, the silence without `closedDays`
 * (the days of its closed months in it, which its gaps do not count either: "35 days since the
 * last order (1.1x the usual gap, 31 closed days not counted)"; it read 9.9x for a customer in its
 * usual August closure until 2026-12-07). `shown`: the numbers the text prints (with `stored`, the
 * evidence fields rounded for display; without, the values as given, which the text rounds), for
 * a signal's params.
 */
export function rhythmPhrase(meanGap: number, sdGap: number | undefined, silence: number, recent: number | undefined, locale: SignalLocale, stored?: number, closedDays = 0): { text: string; ratio: number; shown: { mean: number; sd: number | undefined; recent: number | undefined; ratio: number } } {
  // with `stored` (customer_overdue: 2) the gaps and the ratio as their evidence fields hold them,
  // then shown (half up on the fields' digits); without (the CLI's patterns, which prints the raw
  // rhythm beside it) the values themselves
  const show = (x: number, d: number): number => (stored === undefined ? x : shownOf(x, stored, d));
  const gap = recent ?? meanGap;
  const held = stored === undefined ? gap : round(gap, stored);
  const ratio = Math.max(0, silence - closedDays) / (held > 0 ? held : gap);
  // (the numbers as shown, also for the signal's params)
  const shown = { mean: show(meanGap, 0), sd: sdGap !== undefined ? show(sdGap, 0) : undefined, recent: recent !== undefined ? show(recent, 0) : undefined, ratio: show(ratio, 1) };
  const mean = fmt(shown.mean, 0), sd = shown.sd !== undefined ? `±${fmt(shown.sd, 0)}` : "", r = fmt(shown.ratio);
  const lately = shown.recent !== undefined ? fmt(shown.recent, 0) : "";
  if (locale === "he") {
    const since = silence === 1 ? "יום אחד" : `${silence} ימים`;
    const closed = closedDays > 0 ? `, לא כולל ${closedDays === 1 ? "יום סגור אחד" : `${closedDays} ימים סגורים`}` : "";
    return { ratio, shown, text: everyDay(`מזמין כל ${mean}${sd} ימים${recent !== undefined ? `, לאחרונה כל ${lately}` : ""}; ${since} מאז ההזמנה האחרונה (פי ${r} מהרגיל${closed})`) };
  }
  const closed = closedDays > 0 ? `, ${closedDays} closed day${closedDays === 1 ? "" : "s"} not counted` : "";
  return { ratio, shown, text: everyDay(`Orders every ${mean}${sd} days${recent !== undefined ? `, lately every ${lately}` : ""}; ${silence} day${silence === 1 ? "" : "s"} since the last order (${r}x the usual gap${closed})`) };
}

/** @internal Pick the message of the locale. */
export function localized(locale: SignalLocale, en: string, he: string): string {
  return locale === "he" ? he : en;
}

/**
 * @internal Stable signal id: type and the situation's parts joined by ':', each part with '%'
 * and ':' percent-encoded (customer "A:B" with product "C" and customer "A" with product "B:C"
 * would otherwise share an id; ids without either character are as they always were).
 */
export function signalId(type: string, ...parts: readonly (string | number | undefined)[]): string {
  let id = type;
  for (const p of parts) {
    if (p === undefined) continue;
    id += `:${escaped(String(p), ":", "%3A")}`;
  }
  return id;
}

/**
 * @internal A list of ids as one evidence text: comma-separated, each id's '%' and ',' percent-
 * encoded (a deal id holding a comma was split in two by the reader); {@link splitIds} reads it
 * back. Ids without either character are as they always were.
 */
export function joinIds(ids: readonly string[]): string {
  return ids.map((t) => escaped(t, ",", "%2C")).join(",");
}

/** A part of a joined text with '%' and its separator percent-encoded (as it is when it holds neither). */
function escaped(t: string, separator: string, code: string): string {
  return t.includes(separator) || t.includes("%") ? t.replaceAll("%", "%25").replaceAll(separator, code) : t;
}

/** @internal The ids of a {@link joinIds} text (none for ""). */
export function splitIds(text: string): string[] {
  return text === "" ? [] : text.split(",").map((t) => (t.includes("%") ? t.replaceAll("%2C", ",").replaceAll("%25", "%") : t));
}

/** @internal Signal order: valueAtRisk descending, then id (every detector and `detectSignals`). */
export function bySignalOrder<T extends { readonly valueAtRisk: number; readonly id: string }>(a: T, b: T): number {
  return b.valueAtRisk - a.valueAtRisk || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * @internal A number as its evidence field stores it (`stored` decimals), then as a message shows
 * that field (`shown` decimals, half up on the field's digits): the message's number is the
 * field's ("every 13 days" beside a meanGapDays of 13.5, "6.4x" beside a gapRatio of 6.45, when
 * both rounded the raw value).
 */
export function shownOf(x: number, stored: number, shown: number): number {
  return shownRound(round(x, stored), shown);
}

/** @internal Round to `d` decimals (evidence numbers). */
export function round(x: number, d = 4): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
