import { everyDay } from "../data/internal/bidi.ts";
import { isoIn, LRM, stageName } from "../signals/internal/format.ts";
import { formatMoney } from "./internal/format-locale.ts";
import type { Task, TaskLocale } from "./types.ts";

/** One message in both languages. */
export interface TaskMessage {
  /** English. */
  readonly en: string;
  /** Hebrew. */
  readonly he: string;
}

/**
 * Every message string of tasks and briefs, in English and Hebrew, with `{name}` placeholders
 * filled from a message's `params`. Hosts that render their own text use the codes and params
 * of {@link TaskText}; renderers of the brief use the `label.*` keys for headings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { taskMessages } from "orderpulse";
 * assert.equal(taskMessages["label.tasks"]?.en, "This week's tasks");
 * for (const entry of Object.values(taskMessages)) assert.ok(entry.en.length > 0 && entry.he.length > 0);
 * ```
 */
export const taskMessages: Readonly<Record<string, TaskMessage>> = {
  // talking points, one per valued part
  "tp.customer_overdue": {
    en: "No order for {days} days; usually every {gap} days. About {value} of margin a year at risk",
    he: "אין הזמנה כבר {days} ימים; בדרך כלל כל {gap} ימים. כ-{value} רווח גולמי בשנה בסיכון",
  },
  "tp.customer_overdue_revenue": {
    en: "No order for {days} days; usually every {gap} days. About {value} of revenue a year at risk",
    he: "אין הזמנה כבר {days} ימים; בדרך כלל כל {gap} ימים. כ-{value} הכנסות בשנה בסיכון",
  },
  "tp.customer_overdue_lately": {
    en: "No order for {days} days; usually every {gap} days, lately every {recent}. About {value} of margin a year at risk",
    he: "אין הזמנה כבר {days} ימים; בדרך כלל כל {gap} ימים, לאחרונה כל {recent}. כ-{value} רווח גולמי בשנה בסיכון",
  },
  "tp.customer_overdue_revenue_lately": {
    en: "No order for {days} days; usually every {gap} days, lately every {recent}. About {value} of revenue a year at risk",
    he: "אין הזמנה כבר {days} ימים; בדרך כלל כל {gap} ימים, לאחרונה כל {recent}. כ-{value} הכנסות בשנה בסיכון",
  },
  "tp.frequency_drop": {
    en: "Orders every {after} days since {since}, was every {before} days",
    he: "מזמין כל {after} ימים מאז {since}, לעומת כל {before} ימים קודם",
  },
  "tp.diversity_drop": {
    en: "Buys {recent} different products per order since {since}, usually {usual}",
    he: "קונה {recent} מוצרים שונים בהזמנה מאז {since}, בדרך כלל {usual}",
  },
  "tp.diversity_drop_one": {
    en: "Buys 1 product per order since {since}, usually {usual}",
    he: "קונה מוצר אחד בהזמנה מאז {since}, בדרך כלל {usual}",
  },
  "tp.item_dropped": {
    en: "Stopped buying {product} (was in {share}% of orders), last bought {last}",
    he: "הפסיק לקנות {product} (היה ב-{share}% מההזמנות), נקנה לאחרונה {last}",
  },
  "tp.item_volume_drop": {
    en: "Buys {recent} of {product} per order where {usual} would be usual now",
    he: "קונה {recent} יח' של {product} בהזמנה, כשהרגיל עכשיו {usual}",
  },
  "tp.signal": { en: "{message}", he: "{message}" },
  "tp.cross_sell": {
    en: "Offer {product} at {price}: customers who buy {because} buy it too",
    he: "להציע {product} במחיר {price}: לקוחות שקונים {because} קונים גם אותו",
  },
  // (a cross-sell from the nearest customers or the segment names no product: "customers who buy  buy it too")
  "tp.cross_sell_peers": {
    en: "Offer {product} at {price}: customers like this one buy it",
    he: "להציע {product} במחיר {price}: לקוחות דומים קונים אותו",
  },
  "tp.repurchase": { en: "Due to reorder {product}: suggest {quantity} at {price}", he: "הגיע הזמן להזמין שוב {product}: להציע {quantity} במחיר {price}" },
  "tp.winback": { en: "Win back {product}: offer it at {price}", he: "להחזיר את {product}: להציע במחיר {price}" },
  "tp.seasonal": { en: "{product} is coming into season: offer it at {price}", he: "העונה של {product} מתחילה: להציע במחיר {price}" },
  "tp.deal": {
    en: "Deal {deal} has been in {stage} for {days} days (usually {typical}); win chance down from {from}% to {to}%",
    he: "העסקה {deal} בשלב {stage} כבר {days} ימים (בדרך כלל {typical}); סיכוי הזכייה ירד מ-{from}% ל-{to}%",
  },
  "tp.deal_untyped": {
    en: "Deal {deal} has been in {stage} for {days} days; win chance down from {from}% to {to}%",
    he: "העסקה {deal} בשלב {stage} כבר {days} ימים; סיכוי הזכייה ירד מ-{from}% ל-{to}%",
  },
  "tp.deal_stage_untyped": {
    en: "Deal {deal} has been in {stage} for {days} days",
    he: "העסקה {deal} בשלב {stage} כבר {days} ימים",
  },
  "tp.deal_stage": {
    en: "Deal {deal} has been in {stage} for {days} days (usually {typical})",
    he: "העסקה {deal} בשלב {stage} כבר {days} ימים (בדרך כלל {typical})",
  },
  // actions
  "action.visit": { en: "Visit: worth about {value} of margin a year", he: "ביקור: שווה כ-{value} רווח גולמי בשנה" },
  "action.visit_revenue": { en: "Visit: worth about {value} of revenue a year", he: "ביקור: שווה כ-{value} הכנסות בשנה" },
  "action.call": { en: "Call this week", he: "להתקשר השבוע" },
  "action.email": { en: "Email the offer", he: "לשלוח את ההצעה במייל" },
  "action.email_content": { en: "Send: {titles}", he: "לשלוח: {titles}" },
  // task kinds
  "kind.churn": { en: "Customer at risk", he: "לקוח בסיכון" },
  "kind.churn_lost": { en: "Win back a lost customer", he: "להחזיר לקוח שעזב" },
  "kind.item": { en: "Products dropping out", he: "מוצרים נושרים" },
  "kind.pipeline": { en: "Stalled deal", he: "עסקה תקועה" },
  "kind.cross_sell": { en: "Cross-sell", he: "מכירה משלימה" },
  "kind.reorder": { en: "Reorder due", he: "הזמנה חוזרת" },
  // task headline
  "task.headline": { en: "{customer}: {kind}, {value} at stake", he: "{customer}: {kind}, {value} על הכף" },
  // KPI names
  "kpi.revenue": { en: "Revenue", he: "הכנסות" },
  "kpi.gross_profit": { en: "Gross profit", he: "רווח גולמי" },
  "kpi.margin": { en: "Gross margin", he: "שיעור רווח גולמי" },
  "kpi.active_customers": { en: "Active customers", he: "לקוחות פעילים" },
  "kpi.discount_rate": { en: "Discount rate", he: "שיעור הנחה" },
  "kpi.sku_breadth": { en: "Products per customer", he: "מוצרים ללקוח" },
  "kpi.order_frequency": { en: "Order frequency", he: "תדירות הזמנות" },
  "kpi.expected_not_bought": { en: "Expected but not bought", he: "צפויים שלא קנו" },
  "kpi.churn_rate": { en: "Churn rate", he: "שיעור נטישה" },
  "kpi.repurchase_rate": { en: "Repurchase rate", he: "שיעור רכישה חוזרת" },
  "kpi.other": { en: "{kpi}", he: "{kpi}" },
  // KPI lines
  "unit.points": { en: "pp", he: "נק׳" },
  "kpi.line": { en: "{kpi}: {value} ({change} vs last period)", he: "{kpi}: {value} ({change} לעומת התקופה הקודמת)" },
  "kpi.vs_team": { en: "team average {team}", he: "ממוצע הצוות {team}" },
  "kpi.vs_target": { en: "target {period} {target}: {actual} so far = {progress}% with {elapsed}% of {period} gone", he: "יעד {period} {target}: {actual} עד כה = {progress}% אחרי {elapsed}% מ־{period}" },
  // a rate's target (margin, discount rate): no pace, a rate does not build up over the period
  "kpi.target_data_from": { en: "(the data begin on {date})", he: "(הנתונים מתחילים ב־{date})" },
  "kpi.vs_target_rate": { en: "target {period} {target}: {actual} so far", he: "יעד {period} {target}: {actual} עד כה" },
  // segment-level signals (manager)
  "seg.product_vanishing": {
    en: "{product} is vanishing in {segment}: {dropped} of {atRisk} regular buyers stopped since {since}",
    he: "{product} נעלם בסגמנט {segment}: {dropped} מתוך {atRisk} קונים קבועים הפסיקו מאז {since}",
  },
  "seg.product_vanishing_all": {
    en: "{product} is vanishing: {dropped} of {atRisk} regular buyers stopped since {since}",
    he: "{product} נעלם: {dropped} מתוך {atRisk} קונים קבועים הפסיקו מאז {since}",
  },
  "seg.discount_anomaly": {
    en: "Discount of {group} {key} rose to {rate}% (expected {expected}%) since {since}",
    he: "ההנחה ב{group} {key} עלתה ל-{rate}% (צפוי {expected}%) מאז {since}",
  },
  "seg.amounts_unknown": { en: " (amounts unknown)", he: " (הסכומים אינם ידועים)" },
  "seg.pipeline_stall": {
    en: "Rep {rep}: {stuck} deals stuck in {stage} since {since}",
    he: "הנציג {rep}: {stuck} עסקאות תקועות בשלב {stage} מאז {since}",
  },
  "seg.kpi_drop": {
    en: "{kpi} of {group} {key} fell to {observed} (expected {expected}) since {since}",
    he: "{kpi} של {group} {key}: ירידה ל-{observed} (צפוי {expected}) מאז {since}",
  },
  "seg.kpi_drop_company": {
    en: "{kpi} of the company fell to {observed} (expected {expected}) since {since}",
    he: "{kpi} של החברה: ירידה ל-{observed} (צפוי {expected}) מאז {since}",
  },
  "group.segment": { en: "segment", he: "סגמנט" },
  "group.rep": { en: "rep", he: "נציג" },
  // follow-through and escalations
  "ft.summary": { en: "{done} of {shown} tasks from {date} done ({rate}%)", he: "{done} מתוך {shown} משימות מ-{date} בוצעו ({rate}%)" },
  "ft.summary_one": { en: "{done} of 1 task from {date} done ({rate}%)", he: "{done} מתוך משימה אחת מ-{date} בוצעה ({rate}%)" },
  "ft.none_shown": { en: "No tasks were shown on {date}", he: "לא הוצגו משימות ב-{date}" },
  "ft.done": { en: "Done", he: "בוצע" },
  "ft.open": { en: "Still open", he: "עדיין פתוח" },
  "ft.dropped": { en: "No longer needed", he: "כבר לא נדרש" },
  "ft.new": { en: "New", he: "חדש" },
  "esc.line": { en: "{customer} (rep {rep}): open for {days} days, {value} at stake", he: "{customer} (נציג {rep}): פתוח {days} ימים, {value} על הכף" },
  "esc.line_unassigned": { en: "{customer} (unassigned): open for {days} days, {value} at stake", he: "{customer} (ללא נציג): פתוח {days} ימים, {value} על הכף" },
  "esc.line_no_rep": { en: "{customer}: open for {days} days, {value} at stake", he: "{customer}: פתוח {days} ימים, {value} על הכף" },
  // headings and titles for renderers
  "title.rep": { en: "Weekly brief for {name}, {date}", he: "סיכום שבועי עבור {name}, {date}" },
  "title.manager": { en: "Team brief for {name}, {date}", he: "סיכום צוות עבור {name}, {date}" },
  "title.company": { en: "Company brief, {date}", he: "סיכום חברה, {date}" },
  "label.tasks": { en: "This week's tasks", he: "המשימות השבוע" },
  "label.kpis": { en: "Where you stand", he: "איפה אתה עומד" },
  "label.team_kpis": { en: "Team KPIs", he: "מדדי הצוות" },
  "label.targets": { en: "Targets", he: "יעדים" },
  "label.signals": { en: "Across the business", he: "בכל העסק" },
  "label.escalations": { en: "Escalations", he: "הסלמות" },
  "label.follow_through": { en: "Last week's tasks", he: "המשימות של השבוע שעבר" },
  "label.reps": { en: "Reps", he: "נציגים" },
  "label.offers": { en: "Offers", he: "הצעות" },
  "label.content": { en: "To send", he: "לשליחה" },
  "label.value": { en: "At stake", he: "על הכף" },
  "label.none": { en: "Nothing this week", he: "אין השבוע" },
  "label.unassigned": { en: "Unassigned", he: "ללא נציג" },
  // Markdown / HTML renderers
  "label.period": { en: "{current} ({start} – {end}) against {previous}", he: "{current} ({start} – {end}) לעומת {previous}" },
  "label.kpi": { en: "KPI", he: "מדד" },
  "label.current": { en: "This period", he: "התקופה" },
  "label.change": { en: "vs last period", he: "לעומת הקודמת" },
  "label.team_average": { en: "Team average", he: "ממוצע הצוות" },
  "label.target": { en: "Target", he: "יעד" },
  "label.action": { en: "Do", he: "לעשות" },
  "label.talking_points": { en: "Talking points", he: "נקודות לשיחה" },
  "label.rhythm": { en: "Order days per week, last {weeks} weeks: {days} in all, the latest in week {week} of {weeks}", he: "ימי הזמנה בשבוע, {weeks} השבועות האחרונים: {days} בסך הכול, האחרון בשבוע {week} מתוך {weeks}" },
  "label.rhythm_none": { en: "Order days per week, last {weeks} weeks: none", he: "ימי הזמנה בשבוע, {weeks} השבועות האחרונים: אין" },
  "label.rhythm_expected": { en: "; dashed: expected {expected} a week", he: "; מקווקו: צפוי {expected} בשבוע" },
  "label.better": { en: "(better)", he: "(שיפור)" },
  "label.worse": { en: "(worse)", he: "(הרעה)" },
  "label.footer": {
    en: "orderpulse brief as of {date}. Values are expected gross margin over the next 12 months.",
    he: "סיכום orderpulse נכון ל-{date}. הערכים הם רווח גולמי צפוי ב-12 החודשים הבאים.",
  },
  "label.footer_revenue": {
    en: "orderpulse brief as of {date}. Values are expected revenue over the next 12 months (the data has no costs to measure a margin).",
    he: "סיכום orderpulse נכון ל-{date}. הערכים הם הכנסות צפויות ב-12 החודשים הבאים (אין בנתונים עלויות למדידת רווח).",
  },
  "label.rep_row": { en: "{rep}: {tasks} tasks, {value} at stake; revenue {revenue} ({change})", he: "{rep}: {tasks} משימות, {value} על הכף; הכנסות {revenue} ({change})" },
  "label.rep_row_one": { en: "{rep}: 1 task, {value} at stake; revenue {revenue} ({change})", he: "{rep}: משימה אחת, {value} על הכף; הכנסות {revenue} ({change})" },
  "label.rep_ft": { en: "follow-through {rate}", he: "ביצוע {rate}" },
  "task.rhythm": { en: "Last order {last}; next expected {next}", he: "הזמנה אחרונה {last}; הבאה צפויה {next}" },
  "task.rhythm_overdue": { en: "Last order {last}; the next was due {due}", he: "הזמנה אחרונה {last}; הבאה הייתה צפויה ב-{due}" },
  "task.rep": { en: "Rep {rep}", he: "נציג {rep}" },
  "task.open_since": { en: "Open since {date}", he: "פתוח מאז {date}" },
  "task.offer": { en: "{product}: {quantity} at {price}", he: "{product}: {quantity} במחיר {price}" },
  "task.list_price": { en: "list price {price}", he: "מחיר מחירון {price}" },
  "ft.rep_line": { en: "{rep}: {done} of {shown} done ({rate})", he: "{rep}: {done} מתוך {shown} בוצעו ({rate})" },
  "ft.history": { en: "Earlier weeks: {rates}", he: "שבועות קודמים: {rates}" },
};

/**
 * @internal Fill a message's placeholders; a missing key or parameter throws (a bug, caught by
 * tests). A `{stage}` holding a deal stage is written in the locale (Hebrew sales terms). In
 * Hebrew, a text parameter with Latin letters (a name or id such as "ACME Ltd.") is wrapped in
 * Unicode's first-strong isolate (U+2068 … U+2069), so right-to-left layout keeps it whole: the
 * period of "Ltd." stays at its end in HTML, Markdown and JSON alike.
 */
export function say(locale: TaskLocale, code: string, params: Readonly<Record<string, string | number>>): string {
  const entry = taskMessages[code];
  if (!entry) throw new Error(`orderpulse: no message ${code}`);
  // "every 1 days" becomes "every day" in the template with its numbers filled in, before the
  // names: a customer or product named "Fresh every 1 days Bakery" keeps its name
  const texts: string[] = [];
  const numbered = entry[locale].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`orderpulse: message ${code} needs ${name}`);
    if (typeof v === "number" || /^[\d.,]+$/.test(v)) return isoIn(locale, String(v));
    texts.push(name === "stage" ? stageName(String(v), locale) : isoIn(locale, String(v)));
    return `\u0000${texts.length - 1}\u0000`;
  });
  return everyDay(numbered).replace(/\u0000(\d+)\u0000/g, (_, k: string) => texts[Number(k)]!);
}

/**
 * @internal The message key of a task's kind: a churn task whose customer has been overdue longer
 * than the win-back half-life (its save rate under half, `reachable` < 0.5) is a lost customer to
 * win back, not one at risk.
 */
export function taskKindKey(t: Pick<Task, "kind" | "components">): string {
  if (t.kind === "churn" && t.components.some((c) => c.type === "customer_overdue" && (c.inputs.reachable ?? 1) < 0.5)) return "kind.churn_lost";
  return `kind.${t.kind}`;
}

/**
 * @internal The sign of a change as shown: "±" when the shown (rounded) magnitude is 0 (never
 * "−0"), else "+" or "−"; in Hebrew led by a left-to-right mark (U+200E), so right-to-left layout
 * keeps the sign before its number ("+2", not "2+"), as ICU's own signed percentages do.
 */
export function changeSign(change: number, shown: number, locale: TaskLocale): string {
  const sign = shown === 0 ? "±" : change > 0 ? "+" : "−";
  return locale === "he" ? `${LRM}${sign}` : sign;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** @internal Money for a message: whole units (or `decimals`), grouped, in the locale's format (he-IL / en-US), with the dataset's currency when it has a valid ISO code. */
export function moneyText(locale: TaskLocale, x: number, decimals: number = 0, currency?: string): string {
  if (!Number.isFinite(x)) return "?";
  if (currency !== undefined) return formatMoney(locale, x, currency, decimals);
  const key = `${locale}:${decimals}`;
  let f = moneyFormats.get(key);
  if (!f) moneyFormats.set(key, (f = new Intl.NumberFormat(locale === "he" ? "he-IL" : "en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
  return f.format(x);
}

/** @internal A number for a message: at most `digits` decimals. */
export function numText(x: number, digits: number = 1): string {
  if (!Number.isFinite(x)) return "?";
  const f = 10 ** digits;
  return String(Math.round(x * f) / f);
}
