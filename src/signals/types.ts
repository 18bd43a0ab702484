import type { PatternModel } from "../patterns/fit-patterns.ts";

/** The kinds of signal (DESIGN.md section 4). */
export type SignalType =
  | "customer_overdue"
  | "frequency_drop"
  | "item_dropped"
  | "item_volume_drop"
  | "diversity_drop"
  | "product_vanishing"
  | "discount_anomaly"
  | "pipeline_stall"
  | "kpi_drop";

/** Languages of signal messages. */
export type SignalLocale = "en" | "he";

/** Why a signal fired, as data: a stable code and its parameters (hosts can render their own text). */
export interface SignalReason {
  /** Stable reason code, e.g. `customer_overdue`. */
  readonly code: string;
  /** The numbers and ids the message is made of. */
  readonly params: Readonly<Record<string, number | string>>;
}

/**
 * One early-warning signal of type `T`: its `evidence` has that type's own fields
 * ({@link SignalEvidence}). `id` is stable for the same situation (same type, entity and
 * episode), so hosts and the real-time engine can dedupe; every number in `evidence` traces
 * back to the orders behind it.
 */
export type SignalOf<T extends SignalType> = SignalBase<T> & SignalEntity[T];

/**
 * The entity fields each signal type always has, so narrowing on `type` makes them plain
 * strings: `if (s.type === "customer_overdue") model.customer(s.customerId)` needs no check
 * (they were optional for every type; a review of an embedder's first day).
 */
export interface SignalEntity {
  /** A customer's. */
  readonly customer_overdue: {
    /** The customer. */
    readonly customerId: string;
  };
  /** A customer's. */
  readonly frequency_drop: {
    /** The customer. */
    readonly customerId: string;
  };
  /** A customer's. */
  readonly diversity_drop: {
    /** The customer. */
    readonly customerId: string;
  };
  /** A customer's product. */
  readonly item_dropped: {
    /** The customer. */
    readonly customerId: string;
    /** The product. */
    readonly productId: string;
  };
  /** A customer's product. */
  readonly item_volume_drop: {
    /** The customer. */
    readonly customerId: string;
    /** The product. */
    readonly productId: string;
  };
  /** A product (in a segment, or everyone's). */
  readonly product_vanishing: {
    /** The product. */
    readonly productId: string;
  };
  /** A KPI (the discount rate) of a segment or a rep. */
  readonly discount_anomaly: {
    /** The KPI. */
    readonly kpi: string;
  };
  /** A KPI of a rep or the company. */
  readonly kpi_drop: {
    /** The KPI. */
    readonly kpi: string;
  };
  /** A rep's stage. */
  readonly pipeline_stall: {
    /** The rep. */
    readonly repId: string;
    /** The stage. */
    readonly stage: string;
  };
}

/** The fields every signal has; {@link SignalOf} adds its type's entity ({@link SignalEntity}). */
export interface SignalBase<T extends SignalType> {
  /** Stable id: type, entity and the episode's anchor day, e.g. `customer_overdue:C00012:2026-09-14`. */
  readonly id: string;
  /** The kind of signal. */
  readonly type: T;
  /** Day the signal was computed for, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Estimated start of the change, `YYYY-MM-DD`. */
  readonly since: string;
  /** Customer, for customer-level signals. */
  readonly customerId?: string;
  /** Product, for product-level signals. */
  readonly productId?: string;
  /** Segment, for segment-level signals. */
  readonly segment?: string;
  /** The responsible rep: the account owner for customer-level signals, the rep itself for rep-level ones. */
  readonly repId?: string;
  /** Pipeline stage, for pipeline signals. */
  readonly stage?: string;
  /** KPI name, for KPI signals. */
  readonly kpi?: string;
  /** How sure and how strong, 0..1. */
  readonly severity: number;
  /** Money at stake: expected gross margin of the next 90 days that the situation puts at risk (dataset currency). */
  readonly valueAtRisk: number;
  /** The numbers behind the signal, by type ({@link SignalEvidence}). */
  readonly evidence: SignalEvidence[T];
  /** The reason as a code with parameters. */
  readonly reason: SignalReason;
  /** One line for a person, in the requested locale. */
  readonly message: string;
}

/**
 * One early-warning signal: a union over the signal types, so checking `type` narrows `evidence`
 * (`if (s.type === "customer_overdue") s.evidence.daysSinceLast` is a number, no cast).
 */
export type Signal = { [T in SignalType]: SignalOf<T> }[SignalType];

/**
 * The evidence of each signal type: the numbers behind it, each recomputable from the orders
 * (the family pages docs/signals-customer.md, docs/signals-items.md and docs/signals-segments.md
 * say how). Days are `YYYY-MM-DD` texts; day counts are whole calendar days.
 */
export interface SignalEvidence {
  /** See {@link CustomerOverdueEvidence}. */
  readonly customer_overdue: CustomerOverdueEvidence;
  /** See {@link FrequencyDropEvidence}. */
  readonly frequency_drop: FrequencyDropEvidence;
  /** See {@link ItemDroppedEvidence}. */
  readonly item_dropped: ItemDroppedEvidence;
  /** See {@link ItemVolumeDropEvidence}. */
  readonly item_volume_drop: ItemVolumeDropEvidence;
  /** See {@link DiversityDropEvidence}. */
  readonly diversity_drop: DiversityDropEvidence;
  /** See {@link ProductVanishingEvidence}. */
  readonly product_vanishing: ProductVanishingEvidence;
  /** See {@link DiscountAnomalyEvidence}. */
  readonly discount_anomaly: DiscountAnomalyEvidence;
  /** See {@link PipelineStallEvidence}. */
  readonly pipeline_stall: PipelineStallEvidence;
  /** See {@link KpiDropChartEvidence} (`basis: "chart"`) and {@link KpiDropRhythmEvidence} (`basis: "rhythm"`). */
  readonly kpi_drop: KpiDropChartEvidence | KpiDropRhythmEvidence;
}

/** Evidence of `customer_overdue` (docs/signals-customer.md). */
export type CustomerOverdueEvidence = {
  /** Day of the last order. */
  readonly lastOrder: string;
  /** Days from the last order to the as-of day. */
  readonly daysSinceLast: number;
  /** Mean gap between purchase days. */
  readonly meanGapDays: number;
  /** Standard deviation of those gaps. */
  readonly sdGapDays: number;
  /** The model's typical gap, e^μ of its log-gap. */
  readonly typicalGapDays: number;
  /** `daysSinceLast`, without the days of the customer's closed months in it, ÷ the usual gap (`recentGapDays` when present, else `meanGapDays`). */
  readonly gapRatio: number;
  /** The current gap when the model follows a change of rhythm (more than 1.5 times off the history's mean). */
  readonly recentGapDays?: number;
  /** Days of the customer's closed months in the silence, left out of `gapRatio` (present when there are any). */
  readonly closedDays?: number;
  /** Purchase days in the history. */
  readonly purchaseDays: number;
  /** P(the next order would have come by now) under the interval model. */
  readonly overdueProbability: number;
  /** S, the probability of a silence this long for a customer still buying. */
  readonly silenceSurvival: number;
  /** P(stopped) given the silence: the signal's severity. */
  readonly pStopped: number;
  /** P(alive) of the model's BG/NBD fit, when the model was fitted at the as-of day. */
  readonly pAlive?: number;
  /** Whole typical gaps elapsed without an order. */
  readonly missedOrders: number;
};

/** Evidence of `frequency_drop` (docs/signals-customer.md). */
export type FrequencyDropEvidence = {
  /** Day of the change point (the signal's `since`). */
  readonly changeDay: string;
  /** Typical gap before the change (geometric mean, calendar-equivalent days without the seasonal clock's monthly weights). */
  readonly gapBeforeDays: number;
  /** Typical gap since the change (geometric mean of the completed gaps, the same days). */
  readonly gapAfterDays: number;
  /** `gapAfterDays` ÷ `gapBeforeDays`. */
  readonly ratio: number;
  /**
   * The share of orders lost, 1 − 1/ratio with the ratio on the seasonal clock (the test's):
   * what `severity` (× `pSlowdown`) and `valueAtRisk` are scaled by (a signal made before
   * 2026-12-07 and read back from JSON lacks it).
   */
  readonly lostShare: number;
  /** Gaps before the change. */
  readonly gapsBefore: number;
  /** Gaps after the change. */
  readonly gapsAfter: number;
  /** Orders since the change. */
  readonly ordersSince: number;
  /** Posterior probability of the slowdown. */
  readonly pSlowdown: number;
  /** Days from the last order to the as-of day. */
  readonly daysSinceLast: number;
};

/** Evidence of `item_dropped` (docs/signals-items.md). */
export type ItemDroppedEvidence = {
  /** Share of the customer's orders that held the item before it stopped. */
  readonly inclusionBefore: number;
  /** Purchase days with the item. */
  readonly itemOrders: number;
  /** The customer's purchase days from the item's first to its last purchase. */
  readonly ordersBefore: number;
  /** The customer's purchase days since the item's last purchase. */
  readonly ordersSinceLast: number;
  /** Eₘ, the missed orders weighted by the item's season. */
  readonly seasonalExposure: number;
  /** Days from the item's last purchase to the as-of day. */
  readonly daysSinceLast: number;
  /** P, the probability of missing it this often while still buying it. */
  readonly missingProbability: number;
  /** t, the level P is compared with. */
  readonly threshold: number;
  /** Median quantity per purchase of the item. */
  readonly usualQuantity: number;
  /** The item's share of the customer's margin in the year before `since`. */
  readonly marginShare: number;
};

/** Evidence of `item_volume_drop` (docs/signals-items.md). */
export type ItemVolumeDropEvidence = {
  /** Median quantity per purchase over the baseline. */
  readonly usualQuantity: number;
  /** Median quantity per purchase since the change. */
  readonly recentQuantity: number;
  /** What it would buy per purchase now had the item kept its volume: recent ÷ (1 − drop). */
  readonly expectedQuantity: number;
  /** The relative drop, season and trend taken out. */
  readonly drop: number;
  /** Shift of the item's log-quantity. */
  readonly itemLogShift: number;
  /** Shift of the customer's whole log-volume over the same purchases. */
  readonly customerLogShift: number;
  /** Purchases with the item in the baseline. */
  readonly baselineInclusions: number;
  /** Purchases with the item since the change. */
  readonly recentInclusions: number;
  /** The lower CUSUM statistic. */
  readonly cusum: number;
  /** The t statistic of the shift (Welch's), within ±1000 (a difference without any spread reads ±1000). */
  readonly t: number;
  /** The CUSUM's threshold. */
  readonly threshold: number;
  /** The item's share of the customer's margin. */
  readonly marginShare: number;
};

/** Evidence of `diversity_drop` (docs/signals-items.md). */
export type DiversityDropEvidence = {
  /** Mean distinct products per order over the baseline. */
  readonly usualProducts: number;
  /** Mean distinct products per order since the change. */
  readonly recentProducts: number;
  /** Median distinct products per order over the baseline. */
  readonly usualMedian: number;
  /** Median distinct products per order since the change. */
  readonly recentMedian: number;
  /** The relative drop. */
  readonly drop: number;
  /** Orders in the baseline. */
  readonly baselineOrders: number;
  /** Orders since the change. */
  readonly recentOrders: number;
  /** Products whose rate fell by at least half (from at least 0.1). */
  readonly productsFallen: number;
  /** The largest single product's share of the fall. */
  readonly largestProductShare: number;
  /** The lower CUSUM statistic. */
  readonly cusum: number;
  /** The CUSUM's threshold. */
  readonly threshold: number;
  /** Share of the customer's margin the fallen products carry, weighted by their drop. */
  readonly marginShareAtRisk: number;
};

/** Evidence of `product_vanishing` (docs/signals-segments.md). */
export type ProductVanishingEvidence = {
  /** The segment's customers who bought the product and were at risk of dropping it. */
  readonly atRisk: number;
  /** Of them, those who dropped it. */
  readonly dropped: number;
  /** Drop-outs expected, Σπ. */
  readonly expected: number;
  /** `dropped` ÷ `atRisk`. */
  readonly share: number;
  /** The scan's p-value (at least 1e-300). */
  readonly pValue: number;
  /** −ln p in full (beyond the 1e-300 of `pValue`; at most 1e6). */
  readonly surprise: number;
  /** The surprise needed to flag. */
  readonly threshold: number;
  /** The segment's usual drop-out rate per year. */
  readonly usualDropoutPerYear: number;
  /** φ, the season's factor on the drop-out rate. */
  readonly seasonFactor: number;
};

/** Evidence of `discount_anomaly` (docs/signals-segments.md). */
export type DiscountAnomalyEvidence = {
  /** Discount rate since the change. */
  readonly rate: number;
  /** Expected discount rate. */
  readonly expected: number;
  /** The shift in rate points. */
  readonly shift: number;
  /** Weeks in the run. */
  readonly weeks: number;
  /** The CUSUM statistic. */
  readonly cusum: number;
  /** The weeks' autocorrelation. */
  readonly rho: number;
  /** The CUSUM's threshold. */
  readonly threshold: number;
  /** The weekly rate's standard deviation. */
  readonly sigma: number;
  /** 1 when the prediction is the same weeks of last year, else 0. */
  readonly seasonal: number;
  /** List revenue since the change. */
  readonly listRevenue: number;
  /** Weeks in the baseline. */
  readonly baselineWeeks: number;
};

/** Evidence of `pipeline_stall` (docs/signals-segments.md). */
export type PipelineStallEvidence = {
  /** Deals stuck in the stage. */
  readonly stuck: number;
  /** The rep's deals in the stage. */
  readonly inStage: number;
  /** Deals expected to still be there. */
  readonly expected: number;
  /** The scan's p-value (at least 1e-300). */
  readonly pValue: number;
  /** −ln p in full (beyond the 1e-300 of `pValue`; at most 1e6). */
  readonly surprise: number;
  /** The surprise needed to flag. */
  readonly threshold: number;
  /** Days in the stage of the oldest stuck deal. */
  readonly oldestDays: number;
  /** The rep's median stay in the stage (NaN when unknown). */
  readonly typicalDays: number;
  /** Sum of the stuck deals' amounts. */
  readonly stuckAmount: number;
  /** Stuck deals with an amount (the others add nothing to `stuckAmount` and the value: unknown, not 0). */
  readonly pricedDeals: number;
  /** The team's win probability from the stage. */
  readonly winProbability: number;
  /** Exits from the stage in the last 90 days. */
  readonly exitsLast90: number;
  /** Exits per 90 days in the year before. */
  readonly exitsPer90Before: number;
  /** The stuck deals' ids, comma-separated (a `,` or `%` inside an id as `%2C` / `%25`). */
  readonly dealIds: string;
};

/** Evidence of a `kpi_drop` found by the weekly chart (docs/signals-segments.md). */
export type KpiDropChartEvidence = {
  /** The test: the group's weekly chart (the rhythm test's evidence has `basis: "rhythm"`). */
  readonly basis: "chart";
  /** Mean of the KPI since the change point. */
  readonly observed: number;
  /** Its expected mean. */
  readonly expected: number;
  /** 1 − observed ÷ expected, the figure the message shows. */
  readonly drop: number;
  /** Mean of the weekly relative drops. */
  readonly weeklyDrop: number;
  /** Weeks in the run. */
  readonly weeks: number;
  /** The CUSUM statistic. */
  readonly cusum: number;
  /** The CUSUM's threshold. */
  readonly threshold: number;
  /** The weekly KPI's standard deviation. */
  readonly sigma: number;
  /** The weeks' autocorrelation. */
  readonly rho: number;
  /** 1 when the prediction is the same weeks of last year, else 0. */
  readonly seasonal: number;
  /** Weeks in the baseline. */
  readonly baselineWeeks: number;
};

/** Evidence of a rep's `kpi_drop` against its customers' own rhythms (docs/signals-segments.md). */
export type KpiDropRhythmEvidence = {
  /** The test. */
  readonly basis: "rhythm";
  /** Start of the newest flagged week. */
  readonly week: string;
  /** The KPI that week (SKU breadth: habitual SKUs per ordering customer). */
  readonly observed: number;
  /** Its expectation from the rhythms, E′. */
  readonly expected: number;
  /** SKU breadth only: habitual SKUs bought that week, all customers together. */
  readonly itemsObserved?: number;
  /** SKU breadth only: habitual SKUs expected that week, all customers together. */
  readonly itemsExpected?: number;
  /** The company's observed ÷ expected that week (the common factor taken out). */
  readonly companyRatio: number;
  /** 1 − observed ÷ expected. */
  readonly drop: number;
  /** Weeks in the run. */
  readonly weeks: number;
  /** The week's z score. */
  readonly z: number;
  /** The z needed to flag. */
  readonly threshold: number;
  /** Customers who ordered that week. */
  readonly customers: number;
};

/** Options every detector takes. */
export interface DetectorOptions {
  /** Day to detect at. Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Pattern model fitted at the same asOf (fitted when missing; pass it to share one fit between detectors). */
  model?: PatternModel | undefined;
  /** Sensitivity knob, > 0 (default 1): raising it only ever adds signals, never removes one. */
  sensitivity?: number | undefined;
  /** Message language. Default `en`. */
  locale?: SignalLocale | undefined;
}
