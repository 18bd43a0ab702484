/**
 * @internal The texts of a rendered brief, shared by the Markdown and HTML renderers: every
 * line rebuilt from the brief's numbers and message params with locale formatting
 * (internal/format-locale.ts: money with the dataset currency, dates as `Oct 5, 2026` /
 * `5 באוק׳ 2026`). Texts are raw here; each renderer escapes them.
 */
import type { BriefFollowThrough, BriefKpi, BriefTask, WeeklyBrief } from "../brief-types.ts";
import { isoIn } from "../../signals/internal/format.ts";
import { changeSign, say, taskKindKey } from "../messages.ts";
import type { TaskLocale, TaskText } from "../types.ts";
import { formatChangePct, formatDate, formatMoney, formatNumber, formatPercent, formatQuantity } from "./format-locale.ts";
import { parseDay } from "../../data/parse-day.ts";
import { priceDecimalsOf } from "../../recommend/internal/price.ts";
// (percents from a rate × 100 read on 12 digits first: 0.575 × 100 is 57.49999999999999, which
// read "57%" beside the same 23 of 40 as "58%" elsewhere; a review)
import { shownRound } from "../../data/internal/shown-round.ts";

/** One KPI row. */
export interface KpiView {
  readonly label: string;
  readonly value: string;
  readonly change: string;
  /** Sign of the change as shown: 1 up, −1 down, 0 flat (rounds to ±0) or unknown. */
  readonly direction: number;
  /** Whether the change is good news: 1 good, −1 bad, 0 neither (a rising discount rate is bad). */
  readonly tone: number;
  readonly teamAverage: string | undefined;
  readonly target: string | undefined;
  /** The whole line. */
  readonly text: string;
}

/** One offer. */
export interface OfferView {
  readonly text: string;
}

/** One content link (`url` undefined when not http(s) or mailto). */
export interface LinkView {
  readonly title: string;
  readonly url: string | undefined;
}

/** One task. */
export interface TaskView {
  readonly rank: number;
  readonly headline: string;
  readonly meta: string;
  readonly actions: readonly string[];
  readonly talkingPoints: readonly string[];
  readonly offers: readonly string[];
  readonly content: readonly LinkView[];
  readonly rhythm: string;
  readonly sparkLabel: string;
  readonly weekly: readonly number[];
  readonly expectedPerWeek: number | undefined;
}

/** The whole brief. */
export interface BriefView {
  readonly locale: TaskLocale;
  readonly kind: WeeklyBrief["kind"];
  readonly title: string;
  readonly period: string | undefined;
  readonly kpiHeading: string;
  readonly kpis: readonly KpiView[];
  readonly tasks: readonly TaskView[];
  readonly signals: readonly string[];
  readonly escalations: readonly string[];
  readonly followThrough: { readonly summary: string; readonly reps: readonly string[]; readonly history: string | undefined } | undefined;
  readonly reps: readonly string[];
  readonly footer: string;
  /** A `label.*` message in the brief's locale. */
  readonly label: (key: string) => string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RATIO = new Set(["margin", "discount_rate"]);
/** KPIs whose rise is bad news. */
const LOWER_IS_BETTER = new Set(["discount_rate"]);

/** The message params that hold days (names never do: a product named "2026-01-05" keeps its name). */
const DATE_PARAMS = new Set(["date", "since", "last", "next", "due", "start", "end", "from", "to"]);

/** Re-render a message with its `YYYY-MM-DD` date params as locale dates. */
function text(locale: TaskLocale, t: TaskText): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(t.params)) params[k] = typeof v === "string" && DATE_PARAMS.has(k) && DAY.test(v) ? formatDate(locale, v) : v;
  try {
    return say(locale, t.code, params);
  } catch {
    return t.text;
  }
}

function safeUrl(url: string): string | undefined {
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}

const daysBetween = (from: string, to: string): number => parseDay(to) - parseDay(from);

/** Build the texts of a brief. */
export function briefView(b: WeeklyBrief): BriefView {
  const locale = b.locale;
  const cur = b.currency;
  const money = (x: number | undefined, decimals: number = 0): string => formatMoney(locale, x, cur, decimals);
  const date = (d: string | undefined): string => formatDate(locale, d);
  const label = (key: string): string => say(locale, key, {});
  const name = b.recipient.name ?? b.recipient.id ?? "";
  const title = b.kind === "company" ? say(locale, "title.company", { date: date(b.asOf) }) : say(locale, b.kind === "rep" ? "title.rep" : "title.manager", { name, date: date(b.asOf) });
  const p = b.period;
  const period = p.current && p.previous ? say(locale, "label.period", { current: p.current.label, start: date(p.current.start), end: date(p.current.end), previous: p.previous.label }) : undefined;

  const kpis: KpiView[] = b.kpis.map((k) => kpiView(k, locale, cur));

  const customer = (t: BriefTask): string => t.customerName ?? t.customerId ?? "?";
  // a name put in a line as it is (not through a message's parameters) is isolated like them
  const isolate = (x: string): string => isoIn(locale, x);
  const tasks: TaskView[] = b.tasks.map((t) => {
    const meta: string[] = [];
    // data without reps: every task would say "Rep Unassigned"
    // (no rep: "Unassigned" alone; "Rep Unassigned" read "נציג ללא נציג", rep: without a rep, in Hebrew)
    if (b.kind !== "rep" && (t.repId !== null || b.team.length > 0)) meta.push(t.repId !== null ? say(locale, "task.rep", { rep: t.repId }) : label("label.unassigned"));
    meta.push(t.status === "new" ? label("ft.new") : say(locale, "task.open_since", { date: date(t.firstShown) }));
    if (t.segment !== undefined) meta.push(isolate(t.segment));
    return {
      rank: t.rank,
      headline: say(locale, "task.headline", { customer: customer(t), kind: label(taskKindKey(t)), value: money(t.value) }),
      meta: meta.join(" · "),
      actions: t.actions.map((a) => text(locale, a)),
      talkingPoints: t.talkingPoints.map((x) => text(locale, x)),
      offers: t.offers.map((o) => {
        const line = say(locale, "task.offer", { product: o.productName ?? o.productId, quantity: formatQuantity(locale, o.quantity), price: money(o.suggestedPrice, priceDecimalsOf(o.suggestedPrice)) });
        return o.listPrice !== null && Number.isFinite(o.listPrice) && o.listPrice !== o.suggestedPrice ? `${line} (${say(locale, "task.list_price", { price: money(o.listPrice, priceDecimalsOf(o.listPrice)) })})` : line;
      }),
      content: t.content.map((c) => ({ title: isolate(c.title), url: safeUrl(c.url) })),
      rhythm: t.dueSince !== undefined ? say(locale, "task.rhythm_overdue", { last: date(t.lastOrder), due: date(t.dueSince) }) : say(locale, "task.rhythm", { last: date(t.lastOrder), next: date(t.expectedNext) }),
      sparkLabel: sparkLabel(locale, t.weekly, t.expectedPerWeek),
      weekly: t.weekly,
      expectedPerWeek: t.expectedPerWeek,
    };
  });

  // data without reps: no "Unassigned" on every line
  const noReps = b.team.length === 0;
  const escalations = b.escalations.map((t) => {
    const params = { customer: customer(t), days: formatNumber(locale, daysBetween(t.firstShown, b.asOf), 0), value: money(t.value) };
    return t.repId === null ? say(locale, noReps ? "esc.line_no_rep" : "esc.line_unassigned", params) : say(locale, "esc.line", { ...params, rep: t.repId });
  });

  let followThrough: BriefView["followThrough"];
  const ft = b.followThrough;
  if (ft) {
    const rate = (x: number): string => formatPercent(locale, x, 0);
    const history = ft.history.slice(0, -1).map((h) => {
      let shown = 0, done = 0;
      for (const r of h.byRep) (shown += r.shown), (done += r.done);
      // labelled by the day its tasks were shown, as the summary line dates its own (until
      // 2026-12-07 by the day it was measured, a week later: "Oct 17 56%" was the tasks of Oct 10)
      return `${date(h.shownOn ?? h.asOf)} ${shown > 0 ? rate(done / shown) : "–"}`;
    });
    followThrough = {
      summary: followThroughSummary(ft, locale),
      reps: noReps ? [] : ft.byRep.map((r) => say(locale, "ft.rep_line", { rep: r.repId ?? label("label.unassigned"), done: r.done, shown: r.shown, rate: r.shown > 0 ? rate(r.rate) : "–" })),
      history: history.length > 0 ? say(locale, "ft.history", { rates: history.join(", ") }) : undefined,
    };
  }

  const reps = b.reps.map((r) => {
    let line = say(locale, r.tasks === 1 ? "label.rep_row_one" : "label.rep_row", {
      rep: r.name !== undefined ? `${r.name} (${r.repId})` : r.repId,
      tasks: r.tasks,
      value: money(r.value),
      revenue: money(r.revenue),
      // a previous period without revenue: the change in money, as the KPI line says it ("revenue
      // 2,875 (–)" under "+2,875 vs last period"; a review)
      change: r.revenueChangePct === undefined && r.revenueChange !== undefined && Number.isFinite(r.revenueChange) ? signedAmount(r.revenueChange, locale, money) : formatChangePct(locale, r.revenueChangePct, 1),
    });
    if (r.followThroughRate !== undefined) line += `; ${say(locale, "label.rep_ft", { rate: formatPercent(locale, r.followThroughRate, 0) })}`;
    return line;
  });

  return {
    locale,
    kind: b.kind,
    title,
    period,
    kpiHeading: label(b.kind === "rep" ? "label.kpis" : "label.team_kpis"),
    kpis,
    tasks,
    // (a stall whose deals have no amount says so in its text: no "(0)" beside it)
    signals: b.signals.map((s) => (s.type === "pipeline_stall" && s.value === 0 ? s.text : `${s.text} (${money(s.value)})`)),
    escalations,
    followThrough,
    reps,
    footer: say(locale, b.valueBasis === "revenue" ? "label.footer_revenue" : "label.footer", { date: date(b.asOf) }),
    label,
  };
}

/**
 * @internal The follow-through's summary line ("9 of 15 tasks from Sep 21, 2026 done (60%)", or
 * "No tasks were shown on …"): the JSON brief's `followThrough.text` and the rendered line alike.
 */
export function followThroughSummary(ft: Pick<BriefFollowThrough, "shown" | "done" | "rate" | "previousAsOf">, locale: TaskLocale): string {
  const date = formatDate(locale, ft.previousAsOf);
  return ft.shown > 0 ? say(locale, ft.shown === 1 ? "ft.summary_one" : "ft.summary", { done: ft.done, shown: ft.shown, date, rate: formatNumber(locale, shownRound(ft.rate * 100, 0), 0) }) : say(locale, "ft.none_shown", { date });
}

/** A change in whole units with its sign, "±0" when it rounds to 0 (a KPI line's money or count change, a rep row's revenue change in money). */
function signedAmount(change: number, locale: TaskLocale, format: (x: number) => string): string {
  return `${changeSign(change, Math.round(Math.abs(change)), locale)}${format(Math.abs(change))}`;
}

/** What a KPI's line is made of (a {@link BriefKpi} before its text). */
type KpiParts = Omit<BriefKpi, "text">;

/**
 * @internal The texts of a KPI's line: its value, change, team average, target and the whole line,
 * in the locale's number formats. The JSON brief's `text` is this line too (it rounded and
 * grouped numbers its own way: "2.9%" and "+1900%" where the Markdown said "3%" and "+1,900%").
 */
export function kpiView(k: KpiParts, locale: TaskLocale, currency: string | undefined): KpiView {
  const money = (x: number | undefined): string => formatMoney(locale, x, currency, 0);
  const label = (key: string): string => say(locale, key, {});
  const kpiValue = (x: number | undefined): string => (RATIO.has(k.kpi) ? formatPercent(locale, x, 1) : k.kpi === "active_customers" ? formatNumber(locale, x, 0) : money(x));
  const value = kpiValue(k.current);
  let change = "–";
  let direction = 0;
  if (k.change !== undefined && Number.isFinite(k.change)) {
    // the magnitude as shown (tenths of a point or of a percent, whole units): ±0 has no direction
    const shown = RATIO.has(k.kpi) || k.changePct !== undefined ? Math.round(Math.abs(RATIO.has(k.kpi) ? k.change : k.changePct!) * 1000) : Math.round(Math.abs(k.change));
    direction = shown === 0 ? 0 : Math.sign(k.change);
    if (RATIO.has(k.kpi)) change = `${changeSign(k.change, shown, locale)}${formatNumber(locale, shownRound(Math.abs(k.change) * 100, 1), 1)} ${label("unit.points")}`;
    else if (k.changePct !== undefined) change = formatChangePct(locale, k.changePct, 1);
    // money and counts are shown in whole units: a change that rounds to 0 is "±0", never "+0"
    else change = signedAmount(k.change, locale, kpiValue);
  }
  const teamAverage = k.teamAverage !== undefined ? kpiValue(k.teamAverage) : undefined;
  // a rate's target is not paced by the share of the period gone (a discount rate of 10.8% against a
  // 10% cap read "= 108% with 32% of 2026-10 gone", ahead of pace, until 2026-12-07)
  const target =
    k.target !== undefined && k.targetProgress !== undefined && RATIO.has(k.kpi)
      ? say(locale, "kpi.vs_target_rate", { period: k.targetPeriod ?? "", actual: kpiValue(k.targetActual), target: kpiValue(k.target) })
      : k.target !== undefined && k.targetProgress !== undefined
      ? say(locale, "kpi.vs_target", { period: k.targetPeriod ?? "", actual: kpiValue(k.targetActual), progress: formatNumber(locale, shownRound(k.targetProgress * 100, 0), 0), target: kpiValue(k.target), elapsed: formatNumber(locale, shownRound((k.targetElapsed ?? 0) * 100, 0), 0) })
      : undefined;
  // (the data begin inside the target's period: its actual misses the days before)
  const targetText = target !== undefined && k.targetDataFrom !== undefined ? `${target} ${say(locale, "kpi.target_data_from", { date: k.targetDataFrom })}` : target;
  let line = say(locale, "kpi.line", { kpi: k.label, value, change });
  if (teamAverage !== undefined) line += `; ${say(locale, "kpi.vs_team", { team: teamAverage })}`;
  if (targetText !== undefined) line += `; ${targetText}`;
  return { label: k.label, value, change, direction, tone: LOWER_IS_BETTER.has(k.kpi) ? -direction : direction, teamAverage, target: targetText, text: line };
}

/**
 * The sparkline's text alternative (WCAG 1.1.1): what it draws, in words: the order days over the
 * weeks shown and the latest week with one (week 1 the oldest), and the expected rate of the
 * dashed line, with enough digits never to print 0 for a positive rate (a gap of 362 days is
 * 0.019 a week).
 */
function sparkLabel(locale: TaskLocale, weekly: readonly number[], expectedPerWeek: number | undefined): string {
  let days = 0, latest = 0;
  for (let i = 0; i < weekly.length; i++) {
    const v = weekly[i]!;
    if (Number.isFinite(v) && v > 0) {
      days += v;
      latest = i + 1;
    }
  }
  const weeks = weekly.length;
  let text = days > 0 ? say(locale, "label.rhythm", { weeks, days: formatNumber(locale, days, Number.isInteger(days) ? 0 : 1), week: latest }) : say(locale, "label.rhythm_none", { weeks });
  // (the dashed line is drawn for a positive rate only)
  if (expectedPerWeek !== undefined && Number.isFinite(expectedPerWeek) && expectedPerWeek > 0) {
    const digits = expectedPerWeek >= 0.1 ? 1 : Math.min(20, 1 - Math.floor(Math.log10(expectedPerWeek)));
    text += say(locale, "label.rhythm_expected", { expected: formatNumber(locale, expectedPerWeek, digits) });
  }
  return text;
}
