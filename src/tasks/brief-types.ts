/**
 * Types of the weekly brief ({@link weeklyBrief}): versioned plain data that a host, or the
 * Markdown / HTML renderers, turn into a page. Every text is already in the brief's locale; every
 * number is there too, unformatted, for hosts that format their own.
 * @module
 */
import type { SignalType } from "../signals/types.ts";
import type { AnalysisPeriod, AnalysisPeriodRef, FollowThroughItem, FollowThroughRate, FollowThroughWeek, RankedTasks, RankTasksOptions, Task, TaskLocale } from "./types.ts";

/** Options of {@link weeklyBrief}: whom it is for, the format, and the ranking options. */
export interface WeeklyBriefOptions extends RankTasksOptions {
  /** A rep's brief: own tasks, own KPIs vs last period, team average and target. */
  repId?: string | undefined;
  /** A manager's brief: team KPIs vs last period and targets, top tasks across the team, business-level signals, escalations. Neither id: the company brief (every rep). */
  managerId?: string | undefined;
  /**
   * Output format: `json` (the default) returns the brief as data ({@link WeeklyBrief});
   * `markdown` ({@link renderBriefMarkdown}) and `html` ({@link renderBriefHtml}) return a string.
   */
  format?: "json" | "markdown" | "html" | undefined;
  /** A ranking already computed with {@link rankTasks} on the same analysis (shared between briefs; the ranking options are then ignored). */
  tasks?: RankedTasks | undefined;
  /** Tasks across reps in a manager's brief, 1 to 100 (default 10). */
  topTasks?: number | undefined;
}

/** One KPI line of a brief. */
export interface BriefKpi {
  /** KPI name. */
  readonly kpi: string;
  /** Its name in the brief's locale. */
  readonly label: string;
  /** Value in the current period (the rep's, or the team's pooled). */
  readonly current: number | undefined;
  /** Value in the previous period. */
  readonly previous: number | undefined;
  /** current − previous. */
  readonly change: number | undefined;
  /** change ÷ |previous|. */
  readonly changePct: number | undefined;
  /** Rep briefs: the team's figure in the current period to compare with (the team: the reps with the rep's manager): the mean rep for an amount or a count, the team's pooled rate for a rate (margin Σ gross profit ÷ Σ costed revenue, discount rate 1 − Σ net ÷ Σ list revenue, as the KPIs define them). */
  readonly teamAverage: number | undefined;
  /** The target of the running period, when there is one (a team: the sum of its reps' targets, for additive KPIs). */
  readonly target: number | undefined;
  /** Actual to date ÷ target. */
  readonly targetProgress: number | undefined;
  /** Share of the target's period elapsed. */
  readonly targetElapsed: number | undefined;
  /** The target's period as given in targets.csv (e.g. `2026-10`): the running month or quarter, not the KPI's comparison period. */
  readonly targetPeriod: string | undefined;
  /** Actual of the target's KPI from the target period's first day to asOf (a team: summed over the reps with a target). */
  readonly targetActual: number | undefined;
  /** The data's first day when the target's period began before it (the actual misses the days before); absent otherwise. */
  readonly targetDataFrom?: string | undefined;
  /** The line, e.g. `Revenue: 37,373 (−12.8% vs last period)`. */
  readonly text: string;
}

/** A task in a brief: the ranked task, a headline, and the customer's order rhythm for a sparkline. */
export interface BriefTask extends Task {
  /** One line: customer, kind, value. */
  readonly headline: string;
  /** Purchase days per week, oldest first (the last week ends at asOf). */
  readonly weekly: readonly number[];
  /** Expected purchase days per week under the customer's rhythm. */
  readonly expectedPerWeek: number | undefined;
  /** Last purchase day. */
  readonly lastOrder: string | undefined;
  /** Expected next purchase day. */
  readonly expectedNext: string | undefined;
  /** The day the customer's next order was due, when it is overdue (`CustomerFacts.dueSince`); the brief shows it instead of `expectedNext`. */
  readonly dueSince: string | undefined;
}

/** A business-level signal (vanishing product, discount anomaly, pipeline stall, KPI drop). */
export interface BriefSignal {
  /** Signal id. */
  readonly id: string;
  /** Type. */
  readonly type: SignalType;
  /** Value (value model, 12 months). */
  readonly value: number;
  /** Severity 0..1. */
  readonly severity: number;
  /** Start of the change. */
  readonly since: string;
  /** Segment, for segment-level signals. */
  readonly segment: string | undefined;
  /** Rep, for rep-level signals. */
  readonly repId: string | undefined;
  /** Product, when about one. */
  readonly productId: string | undefined;
  /** KPI, when about one. */
  readonly kpi: string | undefined;
  /** One line in the brief's locale. */
  readonly text: string;
}

/** A rep's row in a manager's brief. */
export interface BriefRepRow {
  /** Rep id. */
  readonly repId: string;
  /** Name. */
  readonly name: string | undefined;
  /** Tasks shown this week. */
  readonly tasks: number;
  /** Their value. */
  readonly value: number;
  /** Revenue in the current period. */
  readonly revenue: number | undefined;
  /** Its change vs the previous period, relative (undefined when the previous period's revenue is 0). */
  readonly revenueChangePct: number | undefined;
  /** Its change vs the previous period, in money: shown when the relative change is not (a previous period without revenue). */
  readonly revenueChange?: number | undefined;
  /** Follow-through rate of last week's tasks, when known. */
  readonly followThroughRate: number | undefined;
}

/** Follow-through of last week's tasks in a brief. */
export interface BriefFollowThrough {
  /** Last week's asOf. */
  readonly previousAsOf: string;
  /** Tasks shown last week. */
  readonly shown: number;
  /** Done. */
  readonly done: number;
  /** Still open. */
  readonly open: number;
  /** No longer needed. */
  readonly dropped: number;
  /** done ÷ shown. */
  readonly rate: number;
  /** The summary line. */
  readonly text: string;
  /** Each task. */
  readonly items: readonly FollowThroughItem[];
  /** Per-rep rates this week. */
  readonly byRep: readonly FollowThroughRate[];
  /** Per-rep rates over time. */
  readonly history: readonly FollowThroughWeek[];
}

/** Who a brief is for. */
export interface BriefRecipient {
  /** Rep or manager id; `null` for the company brief. */
  readonly id: string | null;
  /** Name, when known. */
  readonly name: string | undefined;
}

/** The KPI period of a brief. */
export interface BriefPeriod {
  /** Unit. */
  readonly unit: AnalysisPeriod;
  /** Current (last complete) period. */
  readonly current: AnalysisPeriodRef | undefined;
  /** The period before. */
  readonly previous: AnalysisPeriodRef | undefined;
}

/** The weekly brief of a rep, a manager or the company (versioned JSON; {@link weeklyBriefSchema} validates it). */
export interface WeeklyBrief {
  /** Format version. */
  readonly version: 1;
  /** `rep`, `manager` or `company`. */
  readonly kind: "rep" | "manager" | "company";
  /** Day of the brief. */
  readonly asOf: string;
  /** Language of every text. */
  readonly locale: TaskLocale;
  /** Currency of the money figures, when known. */
  readonly currency: string | undefined;
  /** What the values measure: expected gross margin, or revenue when the data has no costs (`Analysis.valueOptions.marginRateSource` "none"). Undefined in briefs stored before this field (read as margin). */
  readonly valueBasis: "margin" | "revenue" | undefined;
  /** Whom it is for. */
  readonly recipient: BriefRecipient;
  /** Reps covered (the rep; a manager's team, the manager included when it owns accounts; every rep). */
  readonly team: readonly string[];
  /** Title line. */
  readonly title: string;
  /** KPI period. */
  readonly period: BriefPeriod;
  /** KPI lines: the rep's own (with team average and target) or the team's; a KPI with no value in either period is left out. */
  readonly kpis: readonly BriefKpi[];
  /** Tasks: the rep's list, or the top tasks across the team by priority. */
  readonly tasks: readonly BriefTask[];
  /** Business-level signals (manager and company: the team's reps and every segment; rep: its own rep-level signals). */
  readonly signals: readonly BriefSignal[];
  /** High-value tasks open longer than the escalation delay. */
  readonly escalations: readonly BriefTask[];
  /** Follow-through of last week's tasks, when the ranking had `previous`. */
  readonly followThrough: BriefFollowThrough | undefined;
  /** Manager and company briefs: one row per rep of the team. */
  readonly reps: readonly BriefRepRow[];
}
