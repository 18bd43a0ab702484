/**
 * Types of the analysis ({@link analyze}), the ranked tasks ({@link rankTasks}) and the weekly
 * brief ({@link weeklyBrief}). Everything here is plain data: JSON.stringify / JSON.parse give
 * the same value back.
 * @module
 */
import type { DealStage } from "../data/dataset.ts";
import type { TargetStatus } from "../kpi/target-progress.ts";
import type { BusinessCalendar } from "../patterns/fit-interval-model.ts";
import type { PatternModel } from "../patterns/fit-patterns.ts";
import type { OfferBecause, OfferKind, OfferReason } from "../recommend/types.ts";
import type { SignalDetectorOptions } from "../signals/detect-signals.ts";
import type { Signal, SignalType } from "../signals/types.ts";

/** Languages of tasks and briefs. */
export type TaskLocale = "en" | "he";

/** Period units the analysis compares KPIs over. */
export type AnalysisPeriod = "week" | "month" | "quarter";

/**
 * Knobs of the value model (docs/tasks.md, "Value model"). Every value is expected gross margin
 * over the next 12 months, in the dataset currency.
 */
export interface ValueOptions {
  /** Share of customers at risk that a rep's action keeps, in [0, 1] (default 0.3): churn, frequency and diversity drops are multiplied by it. */
  saveRate?: number | undefined;
  /**
   * P(the offered product is bought within 90 days when offered), per offer kind, each in [0, 1].
   * Defaults from the recommendation evaluation (docs/recommend.md): cross_sell 0.04 and
   * seasonal 0.04 (precision@10 of new items over 90 days), repurchase 0.3 (precision@10 of
   * repeat items), winback 0.1 (assumed).
   */
  acceptance?: Partial<Record<OfferKind, number>> | undefined;
  /**
   * P(the flagged change is real), per signal type, each in [0, 1]. Defaults: the measured
   * precision of each detector (docs/signals-customer.md, docs/signals-items.md): customer_overdue
   * 0.95 (used only without the signal's own pStopped), frequency_drop 0.7 (without its
   * pSlowdown), item_dropped 0.8, item_volume_drop 0.68, diversity_drop 0.78.
   */
  precision?: Partial<Record<SignalType, number>> | undefined;
  /**
   * Gross margin rate used where a cost is unknown (lines without cost, deal amounts), in [0, 1].
   * Default: the dataset's margin rate over the 365 days up to asOf (costed lines), else 1
   * (values are then revenue).
   */
  marginRate?: number | undefined;
  /**
   * A customer silent for more than this many days is lost, not at risk: its overdue signal gets
   * no value (a win-back campaign, not a weekly call). An integer ≥ 1 (default 365).
   */
  lostAfterDays?: number | undefined;
  /**
   * The save rate halves for every this many days a customer has been overdue (days since its
   * next order was due: silence minus its typical gap): the longer a customer has bought
   * elsewhere, the harder it is to win back (Thomas, Blattberg & Fox 2004, "Recapturing lost
   * customers"). An integer ≥ 1 (default 90); an assumption, like `saveRate`.
   */
  winBackHalfLifeDays?: number | undefined;
}

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Day of the analysis. Default: the dataset's as-of day, else its last order day. */
  asOf?: string | Date | number | undefined;
  /** Language of signal and offer messages (default `en`). */
  locale?: TaskLocale | undefined;
  /**
   * Only this rep's accounts (signals, offers, values); KPIs keep every rep for the team average.
   * A filter: an id the data do not hold (ids are exact: `r01` is not `R01`) gives an analysis
   * without accounts, not an error (`weeklyBrief` and the CLI's `--rep` refuse it).
   */
  repId?: string | undefined;
  /** A pattern model fitted at the same asOf (fitted once when missing). */
  model?: PatternModel | undefined;
  /** Offers per customer, an integer from 1 to 20 (default 3). */
  k?: number | undefined;
  /** KPI comparison period: the last complete one against the one before (default `week`). */
  period?: AnalysisPeriod | undefined;
  /** Days of purchases kept per customer for follow-through (default 42, from 7 to 366). */
  recentDays?: number | undefined;
  /** Weeks in each customer's order sparkline (default 26, from 4 to 104). */
  sparkWeeks?: number | undefined;
  /** Signal types to detect (default all). */
  types?: readonly SignalType[] | undefined;
  /** Detector sensitivity (default 1). */
  sensitivity?: number | undefined;
  /** Per-type detector options. */
  detectors?: SignalDetectorOptions | undefined;
  /** Business calendar of the pattern model when `model` is not given. */
  calendar?: BusinessCalendar | undefined;
  /** The calibration by backtest of the pattern model fitted when `model` is not given (as `fitPatterns`'; default true). */
  calibrate?: boolean | undefined;
  /** Value model knobs. */
  value?: ValueOptions | undefined;
  /**
   * `asOf` is today, a day still in progress (as computeKpis' `asOfInProgress`): the KPI period
   * ending on it is not complete (the comparison takes the one before), and a target's elapsed
   * share counts the days the data speak for, not today; the pattern model fitted when `model` is
   * not given measures every silence to the end of the day before (fitPatterns'
   * `asOfInProgress`: a customer due today is not late yet). Default `false`. The CLI sets it when
   * `--as-of` is today.
   */
  asOfInProgress?: boolean | undefined;
}

/** A period of the KPI comparison. */
export interface AnalysisPeriodRef {
  /** Label, e.g. `2026-W44`. */
  readonly label: string;
  /** First day, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last day, `YYYY-MM-DD`. */
  readonly end: string;
}

/** One KPI of one group (the company or a rep) in the current and the previous period. */
export interface KpiFigure {
  /** KPI name: revenue, gross_profit, margin, active_customers or discount_rate. */
  readonly kpi: string;
  /** Rep id; `null` for the company. */
  readonly repId: string | null;
  /** Value in the current period (`undefined` for a ratio without data). */
  readonly current: number | undefined;
  /** Value in the previous period. */
  readonly previous: number | undefined;
  /** current − previous. */
  readonly change: number | undefined;
  /** change ÷ |previous|. */
  readonly changePct: number | undefined;
  /** Ratio KPIs (margin, discount_rate): numerator and denominator of the current value, so teams can be pooled. */
  readonly parts?: RatioParts;
}

/** Numerator and denominator of a ratio KPI in the current and the previous period. */
export interface RatioParts {
  /** Current numerator (margin: gross profit; discount_rate: net revenue of lines with a list price). */
  readonly numerator: number;
  /** Current denominator (margin: costed revenue; discount_rate: list revenue). */
  readonly denominator: number;
  /** Previous numerator. */
  readonly previousNumerator: number;
  /** Previous denominator. */
  readonly previousDenominator: number;
}

/** The KPI comparison of an analysis. */
export interface AnalysisKpis {
  /** Period unit. */
  readonly period: AnalysisPeriod;
  /** The last complete period at asOf. */
  readonly current: AnalysisPeriodRef | undefined;
  /** The period before it. */
  readonly previous: AnalysisPeriodRef | undefined;
  /** Company figures, one per KPI. */
  readonly company: readonly KpiFigure[];
  /** Figures per rep (account-owner basis), in rep id then KPI order. */
  readonly reps: readonly KpiFigure[];
}

/** A target row of the running period (targets.csv) with the share of the period elapsed. */
export interface AnalysisTarget {
  /** Rep id. */
  readonly repId: string;
  /** Period as given. */
  readonly period: string;
  /** KPI name. */
  readonly kpi: string;
  /** Actual to date. */
  readonly actual: number | undefined;
  /** Target. */
  readonly target: number;
  /** actual ÷ target. */
  readonly progress: number | undefined;
  /** Share of the period's days up to asOf, in [0, 1] (pace: progress should be near it). */
  readonly elapsed: number;
  /** First day, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last day, `YYYY-MM-DD`. */
  readonly end: string;
  /** Whether the actual could be computed. */
  readonly status: TargetStatus;
  /**
   * The data's first day, `YYYY-MM-DD`, when the period began before it: the actual misses the
   * days before (absent when the data cover the whole period so far). The briefs say so beside
   * the target line.
   */
  readonly dataFrom?: string | undefined;
}

/** A rep or manager of the dataset. */
export interface AnalysisRep {
  /** Rep id. */
  readonly repId: string;
  /** Display name, when known. */
  readonly name: string | undefined;
  /** Manager id, when known. */
  readonly managerId: string | undefined;
}

/** What the analysis knows about one customer that matters (active in the year, or with a signal or deal). */
export interface CustomerFacts {
  /** Customer id. */
  readonly customerId: string;
  /** Display name, when known. */
  readonly name: string | undefined;
  /** Account owner: customers.rep_id, else the rep of its latest order line (a purchase), else of its latest line; `null` when none. */
  readonly repId: string | null;
  /** Segment, when known. */
  readonly segment: string | undefined;
  /** Default channel, when known. */
  readonly channel: string | undefined;
  /** First purchase day, `YYYY-MM-DD`. */
  readonly firstOrder: string | undefined;
  /** Last purchase day, `YYYY-MM-DD`. */
  readonly lastOrder: string | undefined;
  /** Mean gap between purchase days (rhythm model), days. */
  readonly meanGapDays: number | undefined;
  /** The typical gap the value model counts orders with: the mean gap (with closed months, the span of the purchase days over their gaps), else the median of the prior's next gap, else 30 days (docs/tasks.md). */
  readonly gapDays: number;
  /** Expected next purchase (rhythm model), `YYYY-MM-DD`. */
  readonly expectedNext: string | undefined;
  /**
   * When the customer is overdue (its rhythm's overdue probability at least 0.9, so the 90th
   * percentile of its next gap has passed): the day its next order was due, the median of that
   * gap counted from the last order, `YYYY-MM-DD`. Undefined otherwise. A brief says "was due"
   * with it instead of the expected next day, which for a long silence is the conditional median
   * given the silence (often days away) and would read as a promise.
   */
  readonly dueSince: string | undefined;
  /** P(still a customer) (rhythm model with BG/NBD), when fitted. */
  readonly pAlive: number | undefined;
  /** Purchase days in the 365 days up to asOf. */
  readonly ordersLastYear: number;
  /** Gross margin of the 365 days up to its last purchase day, net of later returns, annualized when its history is shorter (docs/tasks.md). */
  readonly yearlyMargin: number;
  /** Days behind `yearlyMargin` (≤ 365). */
  readonly marginDays: number;
  /** Purchase days per week, oldest first; the last week ends at asOf. */
  readonly weekly: readonly number[];
  /** Expected purchase days per week under its rhythm (7 ÷ its gap; with closed months, 7 ÷ its mean gap while open), for the sparkline. */
  readonly expectedPerWeek: number | undefined;
  /** Purchase days of the last `recentDays` days with the products bought, oldest first (follow-through). */
  readonly recent: readonly RecentPurchase[];
}

/** One purchase day of a customer, with the products bought. */
export interface RecentPurchase {
  /** The day, `YYYY-MM-DD`. */
  readonly day: string;
  /** Products bought that day, by id. */
  readonly productIds: readonly string[];
}

/** A product referenced by a signal or an offer. */
export interface AnalysisProduct {
  /** Product id. */
  readonly productId: string;
  /** Name, when known. */
  readonly name: string | undefined;
  /** Family, when known. */
  readonly family: string | undefined;
}

/** A piece of sales content (content.csv). */
export interface AnalysisContent {
  /** Content id. */
  readonly contentId: string;
  /** Title. */
  readonly title: string;
  /** Link. */
  readonly url: string;
  /** Product it is about, when given. */
  readonly productId: string | undefined;
  /** Family it is about, when given. */
  readonly family: string | undefined;
  /** Segment it is for, when given. */
  readonly segment: string | undefined;
  /** Kind (brochure, case study...), when given. */
  readonly kind: string | undefined;
}

/** An offer of the analysis with its stable id. */
export interface AnalysisOffer {
  /** Stable id: `offer:<customer>:<product>`, each id's `%` and `:` percent-encoded (as in signal ids). */
  readonly id: string;
  /** Customer id. */
  readonly customerId: string;
  /** Product id. */
  readonly productId: string;
  /** Offer kind. */
  readonly kind: OfferKind;
  /** Recommendation score (recommend()). */
  readonly score: number;
  /** Suggested unit price. */
  readonly suggestedPrice: number;
  /** List price (NaN becomes `null` in JSON: read with `Number.isFinite`). */
  readonly listPrice: number | null;
  /** Suggested quantity. */
  readonly quantity: number;
  /** Gross margin of one order at the suggested price and quantity (`null` when the cost is unknown). */
  readonly expectedMargin: number | null;
  /** Gross margin rate at the suggested price (`null` when the cost is unknown). */
  readonly marginRate: number | null;
  /** Products behind the offer. */
  readonly because: readonly string[];
  /** recommend()'s evidence whole: the products behind the offer and the counts its message cites (similar customers, support, lift, confidence). */
  readonly evidence: OfferBecause;
  /** Reason code of recommend(). */
  readonly reasonCode: string;
  /** recommend()'s reason: its code and the numbers and ids its message is made of (for hosts that render their own text). */
  readonly reason: OfferReason;
  /** recommend()'s message, in the analysis locale. */
  readonly message: string;
}

/** An open deal of the pipeline (deal-stage model at asOf). */
export interface AnalysisDeal {
  /** Deal id. */
  readonly dealId: string;
  /** Customer id. */
  readonly customerId: string;
  /** Rep of the deal. */
  readonly repId: string | undefined;
  /** Current stage. */
  readonly stage: DealStage;
  /** Days in the current stage. */
  readonly daysInStage: number;
  /** Typical stay in that stage for the rep (team when unknown), days. */
  readonly typicalDays: number | undefined;
  /** Amount, when known. */
  readonly amount: number | undefined;
  /** P(win | reached the stage) for the rep (team when unknown). */
  readonly stageWinProbability: number | undefined;
  /** P(win) now, given the stay so far. */
  readonly winProbability: number | undefined;
}

/** Where a value comes from. */
export type ValueSource = "signal" | "offer" | "deal";

/** One valued item: a signal, an offer or a deal, with the formula and its inputs. */
export interface ValueItem {
  /** The signal id, offer id or `deal:<dealId>`. */
  readonly id: string;
  /** What it is. */
  readonly source: ValueSource;
  /** Signal type, offer kind or `deal`. */
  readonly type: SignalType | OfferKind | "deal";
  /** Customer, for customer-level items. */
  readonly customerId: string | undefined;
  /** Product, when it is about one. */
  readonly productId: string | undefined;
  /** Expected gross margin of the next 12 months (dataset currency), ≥ 0. */
  readonly value: number;
  /** The formula, as in docs/tasks.md, e.g. `pChurn × yearlyMargin × saveRate`. */
  readonly formula: string;
  /** The numbers the formula multiplies. */
  readonly inputs: Readonly<Record<string, number>>;
}

/** Resolved value-model settings of an analysis. */
export interface ResolvedValueOptions {
  /** Save rate. */
  readonly saveRate: number;
  /** Acceptance per offer kind. */
  readonly acceptance: Readonly<Record<OfferKind, number>>;
  /** Precision per signal type. */
  readonly precision: Readonly<Record<string, number>>;
  /** Margin rate for unknown costs. */
  readonly marginRate: number;
  /** Where the margin rate came from. */
  readonly marginRateSource: "option" | "data" | "none";
  /** Silence after which a customer is lost (no churn value). */
  readonly lostAfterDays: number;
  /** Days overdue over which the save rate halves. */
  readonly winBackHalfLifeDays: number;
}

/**
 * Everything the tasks and briefs are made of, computed once by {@link analyze}: plain,
 * versioned, deterministic data (JSON round-trips it).
 */
export interface Analysis {
  /** Format version. */
  readonly version: 1;
  /** As-of day, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Locale of the signal and offer messages. */
  readonly locale: TaskLocale;
  /** Currency of the dataset, when known. */
  readonly currency: string | undefined;
  /** The rep the analysis was restricted to, if any. */
  readonly repId: string | undefined;
  /** Days of purchases the customers' facts hold (`recent`), from asOf back: the follow-through window of `rankTasks`' `previous`. Absent in analyses of hosts that build their own. */
  readonly recentDays?: number | undefined;
  /** The signal types detected (`types`, default every type): a situation of another type is not looked for, not gone (the follow-through reads it so). Absent in analyses of hosts that build their own, and before 2026-12-07: every type. */
  readonly signalTypes?: readonly SignalType[] | undefined;
  /** Value model settings used. */
  readonly valueOptions: ResolvedValueOptions;
  /** KPIs of the last complete period against the one before. */
  readonly kpis: AnalysisKpis;
  /** Targets of the running period (latest period starting on or before asOf, per rep and KPI). */
  readonly targets: readonly AnalysisTarget[];
  /** Reps and managers. */
  readonly reps: readonly AnalysisRep[];
  /** Customers that matter, by id. */
  readonly customers: readonly CustomerFacts[];
  /** Products referenced by signals and offers, by id. */
  readonly products: readonly AnalysisProduct[];
  /** Sales content. */
  readonly content: readonly AnalysisContent[];
  /** Signals (detectSignals), highest value at risk first. */
  readonly signals: readonly Signal[];
  /** Offers (recommend) for the customers that matter, by customer then score. */
  readonly offers: readonly AnalysisOffer[];
  /** Open deals with an amount, by deal id. */
  readonly deals: readonly AnalysisDeal[];
  /** Value of every signal, offer and deal, highest first (ties by id). */
  readonly values: readonly ValueItem[];
}

/** Kinds of task (what its largest part is about); the diversity rule caps each kind. */
export type TaskKind = "churn" | "item" | "pipeline" | "cross_sell" | "reorder";

/** Suggested ways to act. */
export type ActionType = "visit" | "call" | "email";

/** A message as data and text. */
export interface TaskText {
  /** Message key of {@link taskMessages}. */
  readonly code: string;
  /** Its parameters. */
  readonly params: Readonly<Record<string, string | number>>;
  /** Rendered in the requested locale. */
  readonly text: string;
}

/** A suggested action; the first of a task is the main one. */
export interface TaskAction extends TaskText {
  /** Visit, call or email. */
  readonly type: ActionType;
}

/** A signal behind a task. */
export interface TaskSignal {
  /** Signal id. */
  readonly id: string;
  /** Signal type. */
  readonly type: SignalType;
  /** Start of the change, `YYYY-MM-DD`. */
  readonly since: string;
  /** Product, when it is about one. */
  readonly productId: string | undefined;
  /** Value (value model). */
  readonly value: number;
  /** Severity 0..1. */
  readonly severity: number;
}

/** An offer of a task, with its price. */
export interface TaskOffer {
  /** Offer id. */
  readonly id: string;
  /** Product id. */
  readonly productId: string;
  /** Product name, when known. */
  readonly productName: string | undefined;
  /** Product family, when known. */
  readonly family: string | undefined;
  /** Offer kind. */
  readonly kind: OfferKind;
  /** Suggested unit price. */
  readonly suggestedPrice: number;
  /** List price, `null` when unknown. */
  readonly listPrice: number | null;
  /** Suggested quantity. */
  readonly quantity: number;
  /** Value (value model). */
  readonly value: number;
}

/** A deal of a task. */
export interface TaskDeal {
  /** Deal id. */
  readonly dealId: string;
  /** Stage. */
  readonly stage: DealStage;
  /** Days in stage. */
  readonly daysInStage: number;
  /** Amount, when known. */
  readonly amount: number | undefined;
  /** Value (value model). */
  readonly value: number;
}

/** A piece of content to send with a task. */
export interface TaskContent {
  /** Content id. */
  readonly contentId: string;
  /** Title. */
  readonly title: string;
  /** Link. */
  readonly url: string;
  /** Why it matches: the offered `product`, its `family`, or the customer's `segment`. */
  readonly match: "product" | "family" | "segment";
}

/** A valued part of a task, and whether it counts in the task's value (docs/tasks.md, "One task per customer"). */
export interface TaskComponent extends ValueItem {
  /** False when another part already covers it (e.g. an item drop inside a churn risk). */
  readonly counted: boolean;
}

/** One task: one customer, its signals, offers and deals merged, with a value and what to do. */
export interface Task {
  /** Stable id: `task:<customerId>`. */
  readonly id: string;
  /** The account owner the task goes to; for a customer without one but with open deals (a prospect), the rep of its most valuable deal; `null` when neither. */
  readonly repId: string | null;
  /** Customer id. */
  readonly customerId?: string;
  /** Customer name, when known. */
  readonly customerName: string | undefined;
  /** Customer segment, when known. */
  readonly segment: string | undefined;
  /** What the largest part is about. */
  readonly kind: TaskKind;
  /** Expected gross margin of the next 12 months at stake (counted components summed). */
  readonly value: number;
  /** Ranking score: value times the factors of boosting rules. */
  readonly priority: number;
  /** Position in the rep's list, from 1 (0 when not in a list, e.g. an escalation only). */
  readonly rank: number;
  /** `new` this week, or `open` since an earlier brief. */
  readonly status: "new" | "open";
  /** Day it was first shown, `YYYY-MM-DD`. */
  readonly firstShown: string;
  /** Suggested actions, main one first. */
  readonly actions: readonly TaskAction[];
  /** What to say, largest value first. */
  readonly talkingPoints: readonly TaskText[];
  /** Offers with prices. */
  readonly offers: readonly TaskOffer[];
  /** Signals behind it. */
  readonly signals: readonly TaskSignal[];
  /** Open deals. */
  readonly deals: readonly TaskDeal[];
  /** Content to send. */
  readonly content: readonly TaskContent[];
  /** The valued parts behind `value`. */
  readonly components: readonly TaskComponent[];
  /** Ids of the boosting rules that applied. */
  readonly boostedBy: readonly string[];
}

/** A task before ranking, as host rules see it: everything but the texts (actions, talking points, content), which are filled in for the tasks that are shown. */
export type TaskCandidate = Omit<Task, "actions" | "talkingPoints" | "content">;

/** A host business rule: a predicate on a candidate task that suppresses it or boosts its priority. */
export interface TaskRule {
  /** Rule id (reported in `boostedBy` and `suppressed`). */
  readonly id: string;
  /** `suppress` drops matching tasks; `boost` multiplies their priority by `factor`. */
  readonly effect: "suppress" | "boost";
  /** Priority factor of a boost, > 0 (default 2). */
  readonly factor?: number | undefined;
  /**
   * The predicate.
   * @param task - the candidate task (before ranking; without its texts)
   * @returns whether the rule applies
   */
  readonly when: (task: TaskCandidate) => boolean;
}

/** A snoozed task or signal: hidden while the day is before `until`. */
export interface Snooze {
  /** Task id or signal id. */
  readonly id: string;
  /** First day it shows again (a `Date`: its UTC date, as rankTasks' `asOf`). */
  readonly until: string | Date | number;
}

/** Options of {@link rankTasks}. */
export interface RankTasksOptions {
  /** Day of the ranking (snoozes, escalations). Default: the analysis asOf. A `Date` is its UTC date (an analysis carries no time zone): give `YYYY-MM-DD` for a local day. */
  asOf?: string | Date | number | undefined;
  /** Tasks per rep, an integer from 1 to 50 (default 6). */
  perRep?: number | undefined;
  /** Most tasks of one kind in a rep's list, an integer ≥ 1 (default ⌈perRep / 2⌉). */
  maxPerKind?: number | undefined;
  /** Smallest value of a task, ≥ 0 (default 0). */
  minValue?: number | undefined;
  /** Smallest priority relative to the rep's top task, in [0, 1] (default 0.05). */
  relativeFloor?: number | undefined;
  /**
   * Value from which a task is high-value (visit, escalation). Default: the 75th percentile of the
   * values of the candidate tasks at or above their rep's floor (before rules), over the analysis'
   * candidates: an analysis of one rep (`analyze({ repId })`) takes that rep's alone, so the same
   * task can be a visit in it and a call in the company's (1,381 against 1,611 in a review). Pass
   * the company's `highValue` (a full ranking's result carries it) for the same actions.
   */
  highValue?: number | undefined;
  /** Last week's result, for status, follow-through and escalations. */
  previous?: RankedTasks | undefined;
  /** A previous task is done when what settles its risk happened (risk tasks: an order, the dropped product bought again, the deal moving, the situation no longer flagged after an order) or the customer bought an offered product (offer tasks) within this many days, 1 to 90 (default 14). */
  doneWithinDays?: number | undefined;
  /** Open high-value tasks older than this many days are escalated, 1 to 365 (default 14). */
  escalateAfterDays?: number | undefined;
  /** Snoozed ids, as `acknowledged` takes them. */
  snoozed?: readonly Snooze[] | undefined;
  /**
   * Acknowledged ids, never shown again: a task id (the whole task), or a part of one, left out of
   * its task: a signal id, an offer id, or a deal by its id (`D08`, or its part id `deal:D08`);
   * the part ids are a task's `components[].id`.
   */
  acknowledged?: readonly string[] | undefined;
  /** Host business rules, applied in order. */
  rules?: readonly TaskRule[] | undefined;
  /** Language of talking points and actions (default: the analysis locale). */
  locale?: TaskLocale | undefined;
  /** Content items per task, 0 to 10 (default 3). */
  maxContent?: number | undefined;
}

/** Per-rep bookkeeping of a ranking. */
export interface RepRanking {
  /** Rep id (`null`: customers without an owner). */
  readonly repId: string | null;
  /** Ids of the shown tasks, rank order. */
  readonly taskIds: readonly string[];
  /** Candidate tasks (after rules, snoozes and acknowledgements). */
  readonly candidates: number;
  /** The value floor used. */
  readonly floor: number;
  /** Candidates under the floor. */
  readonly belowFloor: number;
  /** Candidates left out by the diversity rule. */
  readonly cappedByKind: number;
}

/** What happened to one of last week's tasks. */
export interface FollowThroughItem {
  /** Task id. */
  readonly taskId: string;
  /** Rep. */
  readonly repId: string | null;
  /** Customer. */
  readonly customerId: string | undefined;
  /** `done` (what settles its risk happened, or an offered product was bought, in time: docs/tasks.md), `open` (still a task) or `dropped` (no longer a task, not done; also a task whose customer moved to another rep). */
  readonly status: "done" | "open" | "dropped";
  /** The customer's account moved to another rep since the task was shown (not done: left out of its rep's rate, which counts the tasks the rep kept). */
  readonly reassigned: boolean;
  /** The customer ordered within `doneWithinDays` after last week's asOf. */
  readonly ordered: boolean;
  /** Offered products bought in that window. */
  readonly offersBought: readonly string[];
  /** The task's value last week. */
  readonly value: number;
}

/** One rep's follow-through rate in one week. */
export interface FollowThroughRate {
  /** Rep. */
  readonly repId: string | null;
  /** Tasks shown the week before. */
  readonly shown: number;
  /** Of them, done. */
  readonly done: number;
  /** done ÷ shown (0 when none shown). */
  readonly rate: number;
  /** Value of the done tasks. */
  readonly valueDone: number;
}

/** Follow-through of last week's tasks. */
export interface FollowThrough {
  /** Last week's asOf. */
  readonly previousAsOf: string;
  /** Each of last week's shown tasks. */
  readonly items: readonly FollowThroughItem[];
  /** Per-rep rates this week. */
  readonly byRep: readonly FollowThroughRate[];
  /** Rates over time, oldest first (last week's history plus this week). */
  readonly history: readonly FollowThroughWeek[];
}

/** The follow-through rates of one week. */
export interface FollowThroughWeek {
  /** The week's asOf: the day the rates were measured. */
  readonly asOf: string;
  /** The day the rated tasks were shown (the ranking the rates follow through); absent in rankings saved before 2026-12-07. */
  readonly shownOn?: string | undefined;
  /** Per-rep rates. */
  readonly byRep: readonly FollowThroughRate[];
}

/** The result of {@link rankTasks}. */
export interface RankedTasks {
  /** Format version. */
  readonly version: 1;
  /** Day of the ranking. */
  readonly asOf: string;
  /** The analysis asOf. */
  readonly analysisAsOf: string;
  /** Locale of the texts. */
  readonly locale: TaskLocale;
  /** Tasks per rep used. */
  readonly perRep: number;
  /** High-value threshold used. */
  readonly highValue: number;
  /** Shown tasks, by rep id (unassigned last) then rank. */
  readonly tasks: readonly Task[];
  /** Per rep. */
  readonly byRep: readonly RepRanking[];
  /** High-value tasks open longer than `escalateAfterDays`, highest value first. */
  readonly escalations: readonly Task[];
  /** Follow-through of `previous`, when given. */
  readonly followThrough: FollowThrough | undefined;
  /** Tasks suppressed by rules, with the rule id. */
  readonly suppressed: readonly SuppressedTask[];
  /** Every candidate task shown this week or before that is still a candidate, with the day it was first shown (carried to next week's `previous`). */
  readonly tracked: readonly TrackedTask[];
}

/** A task a host rule suppressed. */
export interface SuppressedTask {
  /** Task id. */
  readonly taskId: string;
  /** The rule. */
  readonly ruleId: string;
}

/** A task that has been shown, with the day it first was. */
export interface TrackedTask {
  /** Task id. */
  readonly taskId: string;
  /** First day shown, `YYYY-MM-DD`. */
  readonly firstShown: string;
  /** The rep it was shown to (a task whose customer moved to another rep is new to that rep); absent in results of before 2026-12-07. */
  readonly repId?: string | null | undefined;
}
