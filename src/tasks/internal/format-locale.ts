/**
 * @internal Locale formatting of the Markdown and HTML briefs, through Intl: `he` formats as
 * he-IL, `en` as en-US (the same locale as the message texts of {@link taskMessages}). Dates are
 * `YYYY-MM-DD` days formatted in UTC, so the output does not depend on the machine's time zone.
 * Money carries the dataset currency when it is a valid ISO 4217 code, else it is a plain number.
 */
import type { TaskLocale } from "../types.ts";
import { epochDay } from "../../data/epoch-day.ts";
import { shownRound } from "../../data/internal/shown-round.ts";
import { quantity, round } from "../../signals/internal/format.ts";

const tag = (locale: TaskLocale): string => (locale === "he" ? "he-IL" : "en-US");
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(key: string, locale: TaskLocale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(tag(locale), options);
    cache.set(key, f);
  }
  return f;
}

/** Whether the code is an ISO 4217 currency Intl knows (it formats any well-formed code: "ABC 0", "PTS 0"). */
function validCurrency(code: string | undefined): code is string {
  if (code === undefined || !/^[A-Za-z]{3}$/.test(code)) return false;
  return (currencies ??= new Set(Intl.supportedValuesOf("currency"))).has(code.toUpperCase());
}

let currencies: Set<string> | undefined;

/** A grouped number with at most `decimals` decimals (`–` when not finite). */
export function formatNumber(locale: TaskLocale, x: number | undefined, decimals: number = 0): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  return numberFormat(`n:${locale}:${decimals}`, locale, { maximumFractionDigits: decimals, minimumFractionDigits: 0 }).format(x);
}

/** Money: with the currency symbol when the currency is known, `decimals` fraction digits (default 0). */
export function formatMoney(locale: TaskLocale, x: number | undefined, currency: string | undefined, decimals: number = 0): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  if (!validCurrency(currency)) return numberFormat(`m:${locale}:${decimals}`, locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(x);
  const code = currency.toUpperCase();
  return numberFormat(`c:${locale}:${code}:${decimals}`, locale, { style: "currency", currency: code, minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(x);
}

/** A share as a percentage (0.123 → `12.3%`). */
export function formatPercent(locale: TaskLocale, x: number | undefined, decimals: number = 0): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  return numberFormat(`p:${locale}:${decimals}`, locale, { style: "percent", maximumFractionDigits: decimals, minimumFractionDigits: 0 }).format(x);
}

/** A signed relative change (0.123 → `+12.3%`, −0.05 → `−5%`, with a minus sign as the KPI texts). */
export function formatChangePct(locale: TaskLocale, x: number | undefined, decimals: number = 1): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  const f = numberFormat(`s:${locale}:${decimals}`, locale, { style: "percent", maximumFractionDigits: decimals, minimumFractionDigits: 0, signDisplay: "exceptZero" });
  // a change that rounds to zero is "±0%", as every other change of the briefs ("0%" read as no change measured)
  if (Math.round(Math.abs(x) * 100 * 10 ** decimals) === 0) return `${locale === "he" ? "\u200e" : ""}±${f.format(0)}`;
  return f.format(x).replace("-", "−");
}

/** A `YYYY-MM-DD` day in the locale's medium date style (`Oct 5, 2026`, `5 באוק׳ 2026`); anything else is returned as is. */
export function formatDate(locale: TaskLocale, day: string | undefined): string {
  if (day === undefined) return "–";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  let f = cache.get(`d:${locale}`) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(tag(locale), { dateStyle: "medium", timeZone: "UTC" });
    cache.set(`d:${locale}`, f);
  }
  // (from the epoch day: Date.UTC would read the years 0-99 as 1900-1999)
  return f.format(new Date(epochDay(Number(m[1]), Number(m[2]), Number(m[3])) * 86_400_000));
}

/**
 * @internal A suggested quantity in the locale: one decimal from 1 up with the locale's grouping,
 * two significant digits below (0.002 kg stays 0.002: two decimals read "0"), both of the field,
 * half up ({@link quantity}); the offer line and the talking point say the same.
 */
export function formatQuantity(locale: TaskLocale, q: number): string {
  if (!Number.isFinite(q)) return "–";
  const f = round(q, 4);
  return Math.abs(f) >= 1 ? formatNumber(locale, shownRound(f, 1), 1) : quantity(q);
}
