import type { BusinessCalendar } from "../patterns/fit-interval-model.ts";
import type { SignalType } from "../signals/types.ts";

/**
 * One known change for {@link backtest} to score the signals against: a planted event of the
 * synthetic distributor (`truth.json`'s `events`, docs/synth.md section 3) or a change a host
 * knows about. Which event types count for which signal type is listed in docs/backtest.md.
 */
export interface BacktestTruthEvent {
  /** Kind of change: `churn`, `frequency_drop`, `item_dropped`, `item_volume_drop`, `diversity_drop`, `product_vanishing`, `discount_rise`, `pipeline_stall`, `kpi_drop`; other kinds are ignored. */
  readonly type: string;
  /** First day of the change, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last day of a change that has one (the stop day of a gradual churn). */
  readonly end?: string | undefined;
  /** `abrupt` or `gradual` (churn). */
  readonly variant?: string | undefined;
  /** Customer concerned. */
  readonly customerId?: string | undefined;
  /** Product concerned. */
  readonly productId?: string | undefined;
  /** Segment concerned. */
  readonly segment?: string | undefined;
  /** Rep concerned (pipeline_stall; kpi_drop of a rep). */
  readonly repId?: string | undefined;
  /** Deal stage concerned (pipeline_stall). */
  readonly stage?: string | undefined;
}

/** Ground truth for {@link backtest}: the shape of the synthetic distributor's `truth.json` (only `events` is read). */
export interface BacktestTruth {
  /** The known changes. */
  readonly events: readonly BacktestTruthEvent[];
}

/** Progress of a {@link backtest} replay, reported after each as-of day. */
export interface BacktestProgress {
  /** As-of days replayed so far. */
  readonly done: number;
  /** As-of days in all. */
  readonly total: number;
  /** The as-of day just replayed, `YYYY-MM-DD`. */
  readonly asOf: string;
}

/** Options of {@link backtest}. */
export interface BacktestOptions {
  /** First as-of day. Default: `to` − 364 days. */
  from?: string | Date | number | undefined;
  /** Last day of the replay: nothing after it is read. Default: the dataset's last order day (its as-of day for a view), which is also the latest `to` can be: a later one is that day. */
  to?: string | Date | number | undefined;
  /** Days between as-of days, 1..366 (default 7: weekly). */
  every?: number | undefined;
  /** Known changes to score recall, precision and delay against (e.g. the synthetic distributor's `truth`). */
  truth?: BacktestTruth | undefined;
  /** Signal types to replay (default: all). */
  types?: readonly SignalType[] | undefined;
  /** Detector sensitivity, > 0 (default 1). */
  sensitivity?: number | undefined;
  /** Business calendar for the pattern model fitted at each as-of day. */
  calendar?: BusinessCalendar | undefined;
  /** Called after each as-of day (replays are long: one pattern fit and nine detectors per day). */
  onProgress?: ((progress: BacktestProgress) => void) | undefined;
}

/** One situation (one signal id) over the replay. */
export interface BacktestSituation {
  /** The signal id (stable while the situation lasts). */
  readonly id: string;
  /** Signal type. */
  readonly type: SignalType;
  /** The entity it is about, e.g. `C00012`, `C00012 / P00034`, `hotels / P00034`, `segment hotels`, `R01 / proposal`, `gross_profit / rep R01`. */
  readonly entity: string;
  /** Customer, for customer-level types. */
  readonly customerId: string | undefined;
  /** Product, for product-level types. */
  readonly productId: string | undefined;
  /** The signal's `since` at its first flag. */
  readonly since: string;
  /** First as-of day it was flagged. */
  readonly firstFlagged: string;
  /** Last as-of day it was flagged. */
  readonly lastFlagged: string;
  /** As-of days it was flagged on. */
  readonly timesFlagged: number;
  /** First as-of day it was no longer flagged after its last flag (undefined: still flagged on the last as-of day). */
  readonly resolved: string | undefined;
  /** Severity at the first flag. */
  readonly severity: number;
  /** Value at risk at the first flag. */
  readonly valueAtRisk: number;
}

/** One entity (a type and what it is about) over the replay. */
export interface BacktestEntity {
  /** Signal type. */
  readonly type: SignalType;
  /** The entity (as in {@link BacktestSituation.entity}). */
  readonly entity: string;
  /** First as-of day any situation of it was flagged. */
  readonly firstFlagged: string;
  /** Distinct signal ids (situations) of it. */
  readonly situations: number;
  /** As-of days it was flagged on. */
  readonly timesFlagged: number;
}

/** Median and quartiles of a sample (undefined when the sample is empty). */
export interface BacktestQuantiles {
  /** Sample size. */
  readonly n: number;
  /** 25th percentile. */
  readonly p25: number;
  /** Median. */
  readonly median: number;
  /** 75th percentile. */
  readonly p75: number;
  /** Largest value. */
  readonly max: number;
}

/** customer_overdue judged without ground truth: did the customer stay away, and how early was it against the monthly report. */
export interface BacktestOverdueCheck {
  /** Situations first flagged after the first as-of day (earlier ones may have begun before `from`). */
  readonly flagged: number;
  /** Of those, the ones whose check window (the customer's p90 gap after the flag) ends by `to`. */
  readonly checkable: number;
  /** Of the checkable, the ones without any order in that window. */
  readonly confirmed: number;
  /** confirmed ÷ checkable. */
  readonly confirmedShare: number | undefined;
  /** Situations the static monthly report also listed (same silence) by `to`. */
  readonly reportListed: number;
  /** Situations the report never lists: the customer ordered again before the report's day that would list it (the first 1st of a month after 90 days of silence). */
  readonly reportNeverListed: number;
  /** Situations the report would list only after `to`. */
  readonly reportPending: number;
  /** Days the signal came before the report's listing (negative: after it), over the listed situations. */
  readonly leadDays: BacktestQuantiles | undefined;
  /** Listed situations flagged strictly before the report listed them. */
  readonly earlier: number;
}

/** A type's (or a baseline's) flags scored against the ground truth. */
export interface BacktestTruthScore {
  /** Known changes of the matching kinds that start in [from, to]. */
  readonly events: number;
  /** Of those, flagged on an as-of day at or after their start. */
  readonly found: number;
  /** found ÷ events. */
  readonly recall: number | undefined;
  /** Entities flagged during the replay. */
  readonly flaggedEntities: number;
  /** Flagged entities whose first flag came at or after a matching change of theirs. */
  readonly trueEntities: number;
  /** trueEntities ÷ flaggedEntities. */
  readonly precision: number | undefined;
  /** Precision also counting related true changes (docs/backtest.md), e.g. a planted frequency drop for a customer_overdue flag. */
  readonly precisionRelated: number | undefined;
  /** Days from each found change's start to its first flag at or after it. */
  readonly delayDays: BacktestQuantiles | undefined;
  /** Days from each found change's last day (`end`: the stop of a gradual churn; else its start) to the same flag; negative when flagged before it. */
  readonly delayFromEndDays: BacktestQuantiles | undefined;
  /** The same delays in multiples of the customer's median gap before the change (customer-level changes only). */
  readonly delayGaps: BacktestQuantiles | undefined;
  /** Entities whose first flag is not true (nor related), per 91.3 days of replay. */
  readonly falseAlarmsPerQuarter: number;
  /** Customer-keyed types: new situations on customers without any planted customer-level change, per such customer and month (mean and worst full month, over the months with such a customer; undefined when there is none). */
  readonly quietPerCustomerMonth:
    | {
        /** Mean over the months. */
        readonly mean: number;
        /** The worst month. */
        readonly max: number;
      }
    | undefined;
}

/** A naive rule run on the same as-of days, to compare a customer-level type against. */
export interface BacktestBaseline {
  /** `static_monthly_report` (no order for 90 days, looked at on the 1st of each month) or `naive_rhythm` (gamma fitted to the last gaps, survival below 1/2000). */
  readonly name: "static_monthly_report" | "naive_rhythm";
  /** Customers the rule listed during the replay. */
  readonly flaggedEntities: number;
  /** Distinct silences (customer and last order day) it listed. */
  readonly situations: number;
  /** Its score against the ground truth, when given. */
  readonly truth: BacktestTruthScore | undefined;
}

/** What the replay shows for one signal type. */
export interface BacktestTypeReport {
  /** Signal type. */
  readonly type: SignalType;
  /** Distinct signal ids flagged. */
  readonly situations: number;
  /** Distinct entities flagged. */
  readonly entities: number;
  /** Situations already flagged on the first as-of day (they may have begun before `from`). */
  readonly openAtStart: number;
  /** New situations per as-of day after the first: mean; undefined with a single as-of day. */
  readonly newPerAsOfMean: number | undefined;
  /** New situations per as-of day after the first: most; undefined with a single as-of day. */
  readonly newPerAsOfMax: number | undefined;
  /** Signals shown per as-of day: mean. */
  readonly shownPerAsOfMean: number;
  /** Situations no longer flagged by the last as-of day. */
  readonly resolved: number;
  /** Days from first flag to resolution, over resolved situations. */
  readonly daysToResolve: BacktestQuantiles | undefined;
  /** Customer or customer x product types (not diversity_drop or item_volume_drop, which require the customer, or the item, to keep being bought: 100 % by construction): situations whose customer (or item) was bought again within 90 days after the first flag, over those first flagged by `to` − 90. */
  readonly boughtAgainWithin90:
    | {
        /** Situations first flagged by `to` − 90. */
        readonly checkable: number;
        /** Share of them bought again within 90 days. */
        readonly share: number | undefined;
      }
    | undefined;
  /** customer_overdue only: the truth-free check. */
  readonly overdue: BacktestOverdueCheck | undefined;
  /** Score against the ground truth, when given. */
  readonly truth: BacktestTruthScore | undefined;
  /** customer_overdue and frequency_drop: the two naive rules on the same as-of days. */
  readonly baselines: readonly BacktestBaseline[];
}

/** The result of {@link backtest}. */
export interface BacktestResult {
  /** First as-of day, `YYYY-MM-DD` (undefined when nothing is replayed: the dataset holds no order and no `to` was given). */
  readonly from: string | undefined;
  /** Last day read, `YYYY-MM-DD` (undefined as `from`). */
  readonly to: string | undefined;
  /** Days between as-of days. */
  readonly every: number;
  /** The as-of days replayed. */
  readonly asOfDays: readonly string[];
  /** Signal types replayed. */
  readonly types: readonly SignalType[];
  /** Sensitivity used. */
  readonly sensitivity: number;
  /** One report per type, in {@link SIGNAL_TYPES} order. */
  readonly byType: readonly BacktestTypeReport[];
  /** Every situation, by first flag day, then id. */
  readonly situations: readonly BacktestSituation[];
  /** Every flagged entity, by type order, first flag day, then entity. */
  readonly entities: readonly BacktestEntity[];
}
