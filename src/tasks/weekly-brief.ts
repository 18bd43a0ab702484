import { CompensatedSum as Sum } from "../data/internal/compensated-sum.ts";
import { soldAtList } from "../kpi/internal/context.ts";
import { OrderpulseError } from "../data/errors.ts";
import { checkEnum, checkInt, checkString, optionsObject } from "../data/internal/check.ts";
import type { Signal } from "../signals/types.ts";
import type { BriefFollowThrough, BriefKpi, BriefRepRow, BriefSignal, BriefTask, WeeklyBrief, WeeklyBriefOptions } from "./brief-types.ts";
import { followThroughSummary, kpiView } from "./internal/brief-view.ts";
import { formatDate, formatNumber } from "./internal/format-locale.ts";
import { runsBefore } from "./internal/runs-before.ts";
import { indexAnalysis, valueBasis } from "./internal/build-tasks.ts";
import { WEEKLY_BRIEF_KEYS } from "./internal/option-keys.ts";
import { signedIn } from "../data/internal/bidi.ts";
import { moneyText, numText, say, taskKindKey, taskMessages } from "./messages.ts";
import { rankTasks } from "./rank-tasks.ts";
import { renderBriefHtml } from "./render-html.ts";
import { renderBriefMarkdown } from "./render-markdown.ts";
import type { Analysis, AnalysisRep, AnalysisTarget, CustomerFacts, KpiFigure, Task, TaskLocale } from "./types.ts";

const BUSINESS_SIGNALS = new Set(["product_vanishing", "discount_anomaly", "pipeline_stall", "kpi_drop"]);
const KPI_ORDER = ["revenue", "gross_profit", "margin", "active_customers", "discount_rate"];
const ADDITIVE = new Set(["revenue", "gross_profit", "active_customers"]);
/** A filter keeping the first kpi_drop of each KPI and group (rep, segment or the company), and every other signal. */
function firstPerKpiGroup(): (s: BriefSignal) => boolean {
  const seen = new Set<string>();
  return (s) => {
    if (s.type !== "kpi_drop") return true;
    const key = `${s.kpi ?? ""}|${s.repId ?? ""}|${s.segment ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

/** KPI names of the analysis → names in targets.csv. */
const TARGET_NAME: Readonly<Record<string, string>> = { margin: "gross_margin" };
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The weekly brief of one rep, one manager, or the whole company, as versioned JSON data
 * ({@link weeklyBriefSchema}):
 * - rep (`repId`): the rep's ranked tasks, its KPIs of the last complete period against the one
 *   before, the team average (the reps with the same manager) and the running target; its own
 *   rep-level signals; its escalations and follow-through;
 * - manager (`managerId`): the team's pooled KPIs against the previous period and the sum of the
 *   team's targets, the top tasks across the team by priority, business-level signals (vanishing
 *   products, discount anomalies, pipeline stalls, KPI drops: the team's and every segment's),
 *   escalations, follow-through rates per rep, one row per rep;
 * - neither: the company brief, a manager brief over every rep.
 *
 * Tasks come from {@link rankTasks} (the `tasks` option passes a ranking to share between
 * briefs; otherwise the ranking options are used). Each task carries a headline and the
 * customer's purchase days per week against its expected rhythm (for a sparkline). Every text
 * is in `locale` (default: the ranking's, `tasks.locale`, which is the analysis's unless rankTasks
 * was given another; a shared ranking must be in the brief's locale), from {@link taskMessages}. No validation runs here:
 * the schema is for hosts that receive the JSON.
 *
 * With `format: "markdown"` or `format: "html"` the brief is rendered
 * ({@link renderBriefMarkdown}, {@link renderBriefHtml}) and a string is returned; the overloads
 * give the return type from the format (`json` or none: {@link WeeklyBrief}).
 *
 * @param analysis - the result of {@link analyze}
 * @param options - repId | managerId, format (`json` default, `markdown`, `html`), locale, tasks,
 *   topTasks (default 10) and the {@link rankTasks} options
 * @returns the brief as data, or its Markdown / HTML text
 * @throws {OrderpulseError} `INVALID_OPTION` for both ids, an unknown rep or manager, a manager id
 *   that manages nobody, any brief but its own rep's from an analysis restricted to one rep, a shared
 *   ranking (`tasks`) in another locale than `locale` or ranked from another analysis (its
 *   `analysisAsOf` is not the analysis' `asOf`, or a part of its tasks is not one of the analysis'
 *   `values`, by id and value), or an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze, fromRowsSync, weeklyBrief, weeklyBriefSchema } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) { // weekly on Mondays, then silent from 2026-10-12
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 5, unit_cost: 3 });
 * }
 * const { dataset } = fromRowsSync({ orders, customers: [{ customer_id: "C1", rep_id: "R1" }], reps: [{ rep_id: "R1", manager_id: "M1" }, { rep_id: "M1" }] });
 * const analysis = analyze(dataset, { asOf: "2026-11-09" });
 * const brief = weeklyBrief(analysis, { repId: "R1", locale: "he" });
 * assert.equal(brief.kind, "rep");
 * assert.equal(brief.tasks[0]?.customerId, "C1");
 * assert.match(brief.title, /סיכום שבועי/);
 * assert.equal(weeklyBrief(analysis, { managerId: "M1" }).team.join(), "R1");
 * assert.equal(weeklyBriefSchema.safeParse(JSON.parse(JSON.stringify(brief))).success, true);
 * ```
 */
export function weeklyBrief(analysis: Analysis, options: WeeklyBriefOptions & { format: "markdown" | "html" }): string;
export function weeklyBrief(analysis: Analysis, options?: WeeklyBriefOptions & { format?: "json" | undefined }): WeeklyBrief;
export function weeklyBrief(analysis: Analysis, options?: WeeklyBriefOptions): WeeklyBrief | string;
export function weeklyBrief(analysis: Analysis, options?: WeeklyBriefOptions): WeeklyBrief | string {
  const format = options?.format;
  const brief = briefData(analysis, options);
  return format === "markdown" ? renderBriefMarkdown(brief) : format === "html" ? renderBriefHtml(brief) : brief;
}

function briefData(analysis: Analysis, options: WeeklyBriefOptions | undefined): WeeklyBrief {
  const fn = "weeklyBrief";
  // its own options and the ranking's: what is left after its own goes to rankTasks
  const o = optionsObject(options, fn, WEEKLY_BRIEF_KEYS);
  checkString(o, "repId", fn);
  checkString(o, "managerId", fn);
  checkEnum(o, "format", ["json", "markdown", "html"], fn);
  checkEnum(o, "locale", ["en", "he"], fn);
  checkInt(o, "topTasks", 1, 100, fn);
  const opts = options ?? {};
  const invalid = (option: string, value: unknown, why: string): never => {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${option}: ${why}`, { option, value });
  };
  if (opts.repId !== undefined && opts.managerId !== undefined) invalid("managerId", opts.managerId, "give repId or managerId, not both");
  // (a RankedTasks, not any object of version 1: an Analysis or a brief has one too; as rankTasks checks previous)
  const tk = opts.tasks;
  if (tk !== undefined && (typeof tk !== "object" || tk === null || tk.version !== 1 || typeof tk.asOf !== "string" || !Array.isArray(tk.tasks) || !Array.isArray(tk.byRep) || !Array.isArray(tk.escalations) || (tk.locale !== "en" && tk.locale !== "he"))) invalid("tasks", tk, "expected a RankedTasks of version 1");
  // ... ranked from this analysis (one of another day gave a brief dated by the ranking, its tasks
  // beside another day's KPIs and signals)
  if (tk !== undefined && tk.analysisAsOf !== undefined && tk.analysisAsOf !== analysis.asOf) invalid("tasks", tk.analysisAsOf, `a ranking of this analysis (${analysis.asOf}); it was ranked from the analysis of ${String(tk.analysisAsOf)}`);
  // ... of this analysis's data: every valued part of its tasks is one of the analysis's (id and
  // value). Another tenant's ranking of the same day was accepted, and its customers, deals and
  // money were shown under this one's name (a review)
  if (tk !== undefined) {
    // (the analysis' index, built once per analysis: a brief per rep read every value again)
    const values = indexAnalysis(analysis).values;
    for (const t of [...tk.tasks, ...tk.escalations]) {
      for (const c of t.components ?? []) {
        if (values.get(c.id)?.value !== c.value) invalid("tasks", t.id, `a ranking of this analysis; task ${t.id}'s part ${c.id} is not one of its values (ranked from other data?)`);
      }
    }
  }
  const { tasks: given, repId, managerId, topTasks, format: _format, ...rankOptions } = opts;
  const ranked = given ?? rankTasks(analysis, rankOptions);
  // a shared ranking's texts (actions, talking points, money) are in its own locale: a brief in
  // another would mix the two (a Hebrew headline over English actions)
  if (given !== undefined && opts.locale !== undefined && opts.locale !== given.locale) invalid("locale", opts.locale, `the tasks were ranked in ${given.locale}: give locale ${given.locale}, or rank them in ${opts.locale}`);
  const locale: TaskLocale = opts.locale ?? ranked.locale;

  // who and which reps
  const { known, owns, facts, valueOf, repOf, revenueOf } = briefIndex(analysis);
  // an analysis of one rep holds that rep's customers only: another rep's, a manager's or the
  // company's brief from it showed the others with nothing to do (a review)
  if (analysis.repId !== undefined && analysis.repId !== null && repId !== analysis.repId) {
    const [option, value] = repId !== undefined ? ["repId", repId] : managerId !== undefined ? ["managerId", managerId] : ["repId", undefined];
    invalid(option, value, `the analysis holds rep ${analysis.repId}'s customers only: analyze without repId for ${repId !== undefined ? "another rep's" : managerId !== undefined ? "a manager's" : "the company"} brief`);
  }
  // a manager who owns no accounts and has no task is no row of its own (until 2026-12-07 the
  // company brief had "M01: 0 tasks, $0 at stake; revenue – (–)" for each manager); every other
  // rep is
  const managers = new Set(analysis.reps.map((r) => r.managerId).filter((m): m is string => m !== undefined && m !== null));
  const withTasks = new Set(ranked.tasks.map((t) => t.repId));
  const hasRow = (id: string): boolean => !managers.has(id) || owns.has(id) || withTasks.has(id);
  let kind: WeeklyBrief["kind"];
  let team: string[];
  if (repId !== undefined) {
    if (!known.has(repId)) invalid("repId", repId, "no such rep in the analysis");
    kind = "rep";
    team = [repId];
  } else if (managerId !== undefined) {
    // every rep below the manager, through the managers under it (a manager of managers saw its
    // managers' own small books only: $4,247 of an organisation's $81,702; a review)
    const below = new Set<string>();
    for (let level = [managerId]; level.length > 0; ) {
      const next: string[] = [];
      for (const r of analysis.reps) if (r.managerId !== undefined && r.managerId !== null && level.includes(r.managerId) && r.repId !== managerId && !below.has(r.repId)) below.add(r.repId), next.push(r.repId);
      level = next;
    }
    // (a rep who manages nobody has no team: "Team brief for Tal Rossi" read for a mistyped manager id)
    if (below.size === 0) invalid("managerId", managerId, known.has(managerId) ? "manages no rep in the analysis (its own brief: repId)" : "no such manager in the analysis");
    kind = "manager";
    // (the manager itself too when it owns accounts or has a task: a prospect's deal it works)
    team = [...below, managerId].filter(hasRow).sort(cmp);
  } else {
    kind = "company";
    team = [...known].filter(hasRow).sort(cmp);
  }
  const teamSet = new Set(team);
  const recipientId = repId ?? managerId ?? null;
  const recipientName = recipientId !== null ? analysis.reps.find((r) => r.repId === recipientId)?.name : undefined;
  const brief = (t: Task): BriefTask => briefTask(t, facts.get(t.customerId ?? ""), locale, analysis.currency);

  // tasks
  const inTeam = (t: Task): boolean => (kind === "company" ? true : t.repId !== null && teamSet.has(t.repId));
  const teamTasks = ranked.tasks.filter(inTeam);
  const shown = kind === "rep" ? teamTasks : [...teamTasks].sort((a, b) => b.priority - a.priority || b.value - a.value || cmp(a.id, b.id)).slice(0, topTasks ?? 10);

  // KPIs
  // KPI lines with neither a current nor a previous value (e.g. margin without costs) are left out
  const kpis = (kind === "rep" ? repKpis(analysis, repId!, locale) : teamKpis(analysis, kind === "company" ? undefined : teamSet, locale)).filter((k) => k.current !== undefined || k.previous !== undefined || k.target !== undefined);

  // signals
  const signals: BriefSignal[] = analysis.signals
    .filter((s) => BUSINESS_SIGNALS.has(s.type) && s.customerId === undefined)
    .filter((s) => (kind === "rep" ? s.repId === repId : s.repId === undefined || kind === "company" || teamSet.has(s.repId)))
    .map((s) => businessSignal(s, valueOf.get(s.id) ?? 0, analysis, locale))
    .sort((a, b) => b.value - a.value || cmp(a.id, b.id))
    // one line per KPI and group: kpi_drop's rhythm test and its chart can both flag the same drop
    .filter(firstPerKpiGroup());

  // follow-through
  let followThrough: BriefFollowThrough | undefined;
  const ft = ranked.followThrough;
  if (ft) {
    // (a task whose account moved to another rep is listed, and counted in no rate: it was not the rep's to do)
    const items = ft.items.filter((i) => kind === "company" || (i.repId !== null && teamSet.has(i.repId)));
    const counted = items.filter((i) => !i.reassigned);
    const done = counted.filter((i) => i.status === "done").length;
    const open = counted.filter((i) => i.status === "open").length;
    const rate = counted.length > 0 ? done / counted.length : 0;
    const keep = (r: { repId: string | null }): boolean => kind === "company" || (r.repId !== null && teamSet.has(r.repId));
    followThrough = {
      previousAsOf: ft.previousAsOf,
      shown: counted.length,
      done,
      open,
      dropped: counted.length - done - open,
      rate,
      // the rendered briefs' summary line, word for word (until 2026-12-07 the JSON said "0 of 0
      // tasks from 2026-09-28 done (0%)" where the Markdown said "No tasks were shown on Sep 28, 2026")
      text: followThroughSummary({ shown: counted.length, done, rate, previousAsOf: ft.previousAsOf }, locale),
      items,
      byRep: ft.byRep.filter(keep),
      history: ft.history.map((h) => ({ asOf: h.asOf, ...(h.shownOn !== undefined ? { shownOn: h.shownOn } : {}), byRep: h.byRep.filter(keep) })),
    };
  }

  // rep rows
  const reps: BriefRepRow[] = [];
  if (kind !== "rep") {
    // each rep's tasks (in ranking order) and follow-through rate, looked up rather than searched
    // for every rep of the team: a search per rep made the company brief quadratic in the reps
    const tasksOf = new Map<string, Task[]>();
    for (const t of ranked.tasks) {
      if (t.repId === null) continue;
      let list = tasksOf.get(t.repId);
      if (!list) tasksOf.set(t.repId, (list = []));
      list.push(t);
    }
    const rateOf = firstBy(ft?.byRep ?? [], (x) => x.repId);
    for (const r of team) {
      const mine = tasksOf.get(r) ?? [];
      const sum = new Sum(); // money: compensated
      for (const t of mine) sum.add(t.value);
      const value = sum.value;
      const rev = revenueOf.get(r);
      reps.push({
        repId: r,
        name: repOf.get(r)?.name,
        tasks: mine.length,
        value,
        revenue: rev?.current,
        revenueChangePct: rev?.changePct,
        revenueChange: rev?.change,
        // known only when last week showed the rep a task (0 of 0 is no rate of 0)
        followThroughRate: (rateOf.get(r)?.shown ?? 0) > 0 ? rateOf.get(r)!.rate : undefined,
      });
    }
  }

  const date = ranked.asOf;
  const title =
    kind === "rep"
      ? say(locale, "title.rep", { name: recipientName ?? repId!, date })
      : kind === "manager"
        ? say(locale, "title.manager", { name: recipientName ?? managerId!, date })
        : say(locale, "title.company", { date });
  return {
    version: 1,
    kind,
    asOf: ranked.asOf,
    locale,
    currency: analysis.currency,
    valueBasis: valueBasis(analysis),
    recipient: { id: recipientId, name: recipientName },
    team,
    title,
    period: { unit: analysis.kpis.period, current: analysis.kpis.current, previous: analysis.kpis.previous },
    kpis,
    tasks: shown.map(brief),
    signals,
    escalations: ranked.escalations.filter(inTeam).map(brief),
    followThrough,
    reps,
  };
}

interface BriefIndex {
  readonly known: ReadonlySet<string>;
  readonly owns: ReadonlySet<string>;
  readonly facts: ReadonlyMap<string, CustomerFacts>;
  readonly valueOf: ReadonlyMap<string, number>;
  /** Each rep of `analysis.reps` by id (the first of an id). */
  readonly repOf: ReadonlyMap<string, AnalysisRep>;
  /** Each rep's revenue figure of `analysis.kpis.reps` (the first of a rep). */
  readonly revenueOf: ReadonlyMap<string, KpiFigure>;
  /** Per KPI name of targets.csv, each rep's first target with status `ok` (as {@link targetOf} finds it). */
  readonly okTargets: ReadonlyMap<string, ReadonlyMap<string, AnalysisTarget>>;
}
const briefCache = new WeakMap<Analysis, BriefIndex>();

/** The first item of each key, in a map (a search from the front finds the same one). */
function firstBy<T, K>(items: readonly T[], keyOf: (x: T) => K): Map<K, T> {
  const m = new Map<K, T>();
  for (const x of items) {
    const k = keyOf(x);
    if (!m.has(k)) m.set(k, x);
  }
  return m;
}

/** Lookups over an analysis shared by the briefs of one analysis (analyses are treated as immutable). */
function briefIndex(a: Analysis): BriefIndex {
  let ix = briefCache.get(a);
  if (ix) return ix;
  const known = new Set<string>(a.reps.map((r) => r.repId));
  const owns = new Set<string>();
  for (const c of a.customers) {
    if (c.repId === null) continue;
    known.add(c.repId);
    owns.add(c.repId);
  }
  const valueOf = new Map<string, number>();
  for (const v of a.values) if (v.source === "signal" && v.customerId === undefined) valueOf.set(v.id, v.value);
  const revenueOf = new Map<string, KpiFigure>();
  for (const f of a.kpis.reps) if (f.kpi === "revenue" && f.repId !== null && !revenueOf.has(f.repId)) revenueOf.set(f.repId, f);
  const okTargets = new Map<string, Map<string, AnalysisTarget>>();
  for (const t of a.targets) {
    if (t.status !== "ok") continue;
    let byRep = okTargets.get(t.kpi);
    if (!byRep) okTargets.set(t.kpi, (byRep = new Map()));
    if (!byRep.has(t.repId)) byRep.set(t.repId, t);
  }
  ix = { known, owns, facts: new Map(a.customers.map((c) => [c.customerId, c])), valueOf, repOf: firstBy(a.reps, (r) => r.repId), revenueOf, okTargets };
  briefCache.set(a, ix);
  return ix;
}

function briefTask(t: Task, f: CustomerFacts | undefined, locale: TaskLocale, currency: string | undefined): BriefTask {
  const headline = say(locale, "task.headline", { customer: t.customerName ?? t.customerId ?? "?", kind: say(locale, taskKindKey(t), {}), value: moneyText(locale, t.value, 0, currency) });
  return { ...t, headline, weekly: f?.weekly ?? [], expectedPerWeek: f?.expectedPerWeek, lastOrder: f?.lastOrder, expectedNext: f?.expectedNext, dueSince: f?.dueSince };
}

function kpiLabel(kpi: string, locale: TaskLocale): string {
  return taskMessages[`kpi.${kpi}`] !== undefined ? say(locale, `kpi.${kpi}`, {}) : say(locale, "kpi.other", { kpi });
}

/** A KPI's line; money in the data's currency, as the task texts state it; the same line the Markdown / HTML show (one formatter: {@link kpiView}). */
function kpiLine(kpi: string, f: Omit<BriefKpi, "label" | "text" | "kpi">, locale: TaskLocale, currency: string | undefined): BriefKpi {
  const label = kpiLabel(kpi, locale);
  return { kpi, label, ...f, text: kpiView({ kpi, label, ...f }, locale, currency).text };
}

function targetOf(targets: readonly AnalysisTarget[], repId: string, kpi: string): AnalysisTarget | undefined {
  const name = TARGET_NAME[kpi] ?? kpi;
  return targets.find((t) => t.repId === repId && t.kpi === name && t.status === "ok");
}

/**
 * A rate KPI from its pooled parts (the discount rate's are net and list revenue: 1 − net ÷ list,
 * 0 when they differ only by rounding, as discountRate reads a sale at list; a team's converted
 * list prices read "-0%"; self-review 2026-12-07).
 */
function pooledRate(kpi: string, numerator: number, denominator: number): number {
  if (kpi !== "discount_rate") return numerator / denominator;
  return soldAtList(numerator, denominator) ? 0 : 1 - numerator / denominator;
}

function repKpis(a: Analysis, repId: string, locale: TaskLocale): BriefKpi[] {
  const manager = a.reps.find((r) => r.repId === repId)?.managerId;
  const mates = new Set(manager !== undefined ? a.reps.filter((r) => r.managerId === manager).map((r) => r.repId) : a.kpis.reps.map((f) => f.repId ?? ""));
  mates.add(repId);
  const out: BriefKpi[] = [];
  // a rep who owns no account (every one moved away, a new hire) has no row: its amounts are 0 on
  // the owner basis, history included, and its running targets are shown against them (its
  // brief had no KPI line, its targets in force dropped; a review)
  const ownsNone = !a.kpis.reps.some((f) => f.repId === repId);
  for (const kpi of KPI_ORDER) {
    const own = a.kpis.reps.find((f) => f.repId === repId && f.kpi === kpi) ?? (ownsNone && ADDITIVE.has(kpi) ? { current: 0, previous: 0, change: 0, changePct: undefined } : undefined);
    const s = new Sum(); // money: compensated
    let n = 0;
    // a rate (margin, discount) pooled over the team, as the KPI is defined (revenue-weighted): a
    // plain mean of the reps' rates read 23% where the pooled rate was 23.2% (review 2026-12-07);
    // an amount: the mean rep
    // (every mate's parts, also one whose own rate is undefined: a rep with only returns this week)
    const pooled = !ADDITIVE.has(kpi);
    let num = 0, den = 0;
    for (const f of a.kpis.reps) {
      if (f.kpi !== kpi || f.repId === null || !mates.has(f.repId)) continue;
      num += f.parts?.numerator ?? 0;
      den += f.parts?.denominator ?? 0;
      if (f.current === undefined) continue;
      s.add(f.current);
      n++;
    }
    const teamAverage = pooled && den > 0 ? pooledRate(kpi, num, den) : n > 0 ? s.value / n : undefined;
    const t = targetOf(a.targets, repId, kpi);
    out.push(
      kpiLine(
        kpi,
        {
          current: own?.current,
          previous: own?.previous,
          change: own?.change,
          changePct: own?.changePct,
          teamAverage,
          target: t?.target,
          targetProgress: t?.progress,
          targetElapsed: t?.elapsed,
          targetPeriod: t?.period,
          targetActual: t?.actual,
          ...(t?.dataFrom !== undefined ? { targetDataFrom: t.dataFrom } : {}),
        },
        locale,
        a.currency,
      ),
    );
  }
  return out;
}

/**
 * The team's pooled KPIs (every rep's: the company figures) with the sum of the team's targets.
 * The team is a set and the targets are looked up by rep: a search per rep made a brief over
 * thousands of reps quadratic.
 */
function teamKpis(a: Analysis, team: ReadonlySet<string> | undefined, locale: TaskLocale): BriefKpi[] {
  const { okTargets } = briefIndex(a);
  const out: BriefKpi[] = [];
  for (const kpi of KPI_ORDER) {
    let current: number | undefined, previous: number | undefined;
    if (team === undefined) {
      const f = a.kpis.company.find((x) => x.kpi === kpi);
      current = f?.current;
      previous = f?.previous;
    } else {
      const rows = a.kpis.reps.filter((f): f is KpiFigure & { repId: string } => f.kpi === kpi && f.repId !== null && team.has(f.repId));
      if (ADDITIVE.has(kpi)) {
        // money: compensated sums
        const c = new Sum(), p = new Sum();
        let nc = 0, np = 0;
        for (const r of rows) {
          if (r.current !== undefined) (c.add(r.current), nc++);
          if (r.previous !== undefined) (p.add(r.previous), np++);
        }
        current = nc > 0 ? c.value : undefined;
        previous = np > 0 ? p.value : undefined;
      } else {
        let n = 0, d = 0, pn = 0, pd = 0;
        for (const r of rows) {
          n += r.parts?.numerator ?? 0;
          d += r.parts?.denominator ?? 0;
          pn += r.parts?.previousNumerator ?? 0;
          pd += r.parts?.previousDenominator ?? 0;
        }
        current = d > 0 ? pooledRate(kpi, n, d) : undefined;
        previous = pd > 0 ? pooledRate(kpi, pn, pd) : undefined;
      }
    }
    const change = current !== undefined && previous !== undefined ? current - previous : undefined;
    const changePct = change !== undefined && previous !== undefined && previous !== 0 ? change / Math.abs(previous) : undefined;
    // targets: additive KPIs only, summed over the team's reps whose target is for the same
    // period: the running one, else the one that ended last (runsBefore, as analyze chooses; one
    // rep's October target and another's Q3 one do not add up; a rep whose current target is for
    // another period is left out)
    let target: number | undefined, actual: number | undefined, elapsed: number | undefined, period: string | undefined, dataFrom: string | undefined;
    if (ADDITIVE.has(kpi)) {
      const members = team ?? new Set(a.targets.map((t) => t.repId));
      const ok = okTargets.get(TARGET_NAME[kpi] ?? kpi);
      const own: AnalysisTarget[] = [];
      for (const r of members) {
        const t = ok?.get(r); // targetOf(a.targets, r, kpi), looked up
        if (t && t.actual !== undefined) own.push(t);
      }
      let chosen: AnalysisTarget | undefined;
      for (const t of own) if (chosen === undefined || runsBefore(t, chosen, a.asOf)) chosen = t;
      const ts = new Sum(), as = new Sum();
      for (const t of own) {
        if (t.start !== chosen!.start || t.end !== chosen!.end) continue;
        ts.add(t.target);
        as.add(t.actual!);
        target = ts.value;
        actual = as.value;
        elapsed = t.elapsed;
        period = t.period;
        dataFrom ??= t.dataFrom;
      }
    }
    out.push(kpiLine(kpi, { current, previous, change, changePct, teamAverage: undefined, target, targetProgress: target !== undefined && actual !== undefined && target !== 0 ? actual / target : undefined, targetElapsed: elapsed, targetPeriod: period, targetActual: actual, ...(dataFrom !== undefined ? { targetDataFrom: dataFrom } : {}) }, locale, a.currency));
  }
  return out;
}

function businessSignal(s: Signal, value: number, a: Analysis, locale: TaskLocale): BriefSignal {
  const e: Readonly<Record<string, number | string>> = s.evidence;
  const n = (k: string): number => (typeof e[k] === "number" ? (e[k] as number) : Number.NaN);
  let text: string;
  const since = formatDate(locale, s.since);
  switch (s.type) {
    case "product_vanishing": {
      const product = a.products.find((p) => p.productId === s.productId)?.name ?? s.productId ?? "?";
      // without segments the detector watches all customers as one group
      text = say(locale, s.segment !== undefined ? "seg.product_vanishing" : "seg.product_vanishing_all", { product, segment: s.segment ?? "", dropped: numText(n("dropped"), 0), atRisk: numText(n("atRisk"), 0), since });
      break;
    }
    case "discount_anomaly":
      text = say(locale, "seg.discount_anomaly", {
        group: say(locale, s.segment !== undefined ? "group.segment" : "group.rep", {}),
        key: s.segment ?? s.repId ?? "?",
        rate: signedIn(locale, numText(n("rate") * 100, 1)),
        expected: signedIn(locale, numText(n("expected") * 100, 1)),
        since,
      });
      break;
    case "pipeline_stall":
      text = say(locale, "seg.pipeline_stall", { rep: s.repId ?? "?", stuck: numText(n("stuck"), 0), stage: s.stage ?? "?", since });
      // (no stuck deal with an amount: the line says so, and the brief shows no "(0)"; self-review 2026-12-07)
      if (s.evidence.pricedDeals === 0) text += say(locale, "seg.amounts_unknown", {});
      break;
    default: {
      const kpi = s.kpi ?? "?";
      // (counts grouped as the brief's KPI lines group them: "fell to 1234" read beside "1,234")
      // (the sign by signedIn: Intl's Hebrew minus comes after a mark of its own)
      const count = (x: number): string => {
        const t = formatNumber(locale, Math.abs(x), kpi === "sku_breadth" ? 1 : 0);
        return signedIn(locale, x < 0 && /[1-9]/.test(t) ? `-${t}` : t);
      };
      const show = (x: number): string => (kpi === "gross_profit" ? moneyText(locale, x, 0, a.currency) : count(x));
      const values = { kpi: kpiLabel(kpi, locale), observed: show(n("observed")), expected: show(n("expected")), since };
      // the segment or rep id is a parameter of its own, isolated alone in Hebrew (within one
      // isolate with the Hebrew word for "rep", "ACME Ltd." read ".ACME Ltd")
      const key = s.segment ?? s.repId;
      text = key === undefined
        ? say(locale, "seg.kpi_drop_company", values)
        : say(locale, "seg.kpi_drop", { ...values, group: say(locale, s.segment !== undefined ? "group.segment" : "group.rep", {}), key });
    }
  }
  return { id: s.id, type: s.type, value, severity: s.severity, since: s.since, segment: s.segment, repId: s.repId, productId: s.productId, kpi: s.kpi, text };
}

