/**
 * Types of the seeded synthetic distributor (docs/synth.md is the specification).
 * @module
 */
import type {
  ContentRow,
  CustomerRow,
  DealEventRow,
  OrderRow,
  ProductRow,
  RepRow,
  TargetRow,
} from "../data/rows.ts";

/** Options of `generateSyntheticDistributor()`; every field is optional. */
export interface SyntheticDistributorOptions {
  /** PRNG seed, any safe integer (default 1). Same options give deep-equal output. */
  seed?: number | undefined;
  /** Number of customers, 1..1,000,000 (default 2000). */
  customers?: number | undefined;
  /** Number of products, 20..200,000 (default 2500). */
  products?: number | undefined;
  /** Length of the history in whole years, 1..20 (default 3). */
  years?: number | undefined;
  /** Last day of the history, `YYYY-MM-DD` (default `"2026-10-31"`). */
  end?: string | undefined;
}

/** The options actually used, with every default filled in. */
export interface ResolvedSyntheticDistributorOptions {
  /** PRNG seed. */
  seed: number;
  /** Number of customers. */
  customers: number;
  /** Number of products. */
  products: number;
  /** Length of the history in years. */
  years: number;
  /** Last day of the history, `YYYY-MM-DD`. */
  end: string;
}

/** Kinds of planted events (docs/synth.md section 3). */
export type PlantedEventType =
  | "churn"
  | "frequency_drop"
  | "item_dropped"
  | "item_volume_drop"
  | "diversity_drop"
  | "adoption"
  | "product_vanishing"
  | "discount_rise"
  | "pipeline_stall"
  | "substitute_pair";

/** One behaviour change planted in the synthetic data (and applied to it). */
export interface PlantedEvent {
  /** What changed. */
  type: PlantedEventType;
  /** First day of the change, `YYYY-MM-DD`. */
  start: string;
  /** Last day of a change that has an end: the stop day of a gradual churn. */
  end?: string;
  /** `abrupt` or `gradual` (churn only). */
  variant?: "abrupt" | "gradual";
  /** Customer concerned (customer-level kinds). */
  customerId?: string;
  /** Product concerned (item_dropped, item_volume_drop, adoption, product_vanishing). */
  productId?: string;
  /** The two products of a substitute pair. */
  productIds?: string[];
  /** Segment concerned (product_vanishing, discount_rise, substitute_pair). */
  segment?: string;
  /** Rep concerned (pipeline_stall). */
  repId?: string;
  /** Deal stage concerned (pipeline_stall: `proposal`). */
  stage?: string;
  /** Size of the change: relative drop (0..1) or, for discount_rise, added discount. */
  magnitude?: number;
}

/** A regular item of a customer as generated (before events and adoptions). */
export interface SyntheticItemTruth {
  /** Product id. */
  productId: string;
  /** Probability that an order includes the item (before seasonality). */
  probability: number;
  /** Typical quantity per line (before trend and seasonality). */
  meanQuantity: number;
}

/** The latent behaviour of one synthetic customer. */
export interface SyntheticCustomerTruth {
  /** Customer id. */
  customerId: string;
  /** Segment. */
  segment: string;
  /**
   * Day its order process starts, `YYYY-MM-DD`: the acquisition day of a new customer; for a
   * customer that existed before the history, a day within one mean gap of the history start.
   */
  firstOrder: string;
  /** Whether the customer was acquired during the history (false: a customer before it began). */
  acquired: boolean;
  /** Size factor (lognormal; 1 = typical). */
  size: number;
  /** Mean gap between orders in days (before trend, seasonality and events). */
  meanGapDays: number;
  /** Coefficient of variation of the gaps. */
  gapCv: number;
  /** Kind of gap process. */
  rhythm: "clockwork" | "regular" | "irregular" | "memoryless" | "seasonal" | "yearly";
  /** ISO weekdays (1 = Monday .. 7 = Sunday) without orders. */
  closedWeekdays: number[];
  /** Whether the customer never orders in August. */
  closedInAugust: boolean;
  /** Log change per year of the order volume (half frequency, half quantity). */
  trendPerYear: number;
  /** The customer's base discount off list price. */
  discount: number;
  /** Probability that a purchase line is later (partly) returned. */
  returnRate: number;
  /** Regular items at the start. */
  items: SyntheticItemTruth[];
}

/** The latent needs of one segment. */
export interface SyntheticSegmentTruth {
  /** Segment name. */
  segment: string;
  /** Share of customers. */
  share: number;
  /** Mean discount of the segment. */
  discount: number;
  /** Affinity (0..1) of the segment for each product family. */
  familyAffinity: Record<string, number>;
}

/** Ground truth of a synthetic distributor (written as truth.json). */
export interface SyntheticTruth {
  /** Always `"orderpulse-synth"`. */
  generator: "orderpulse-synth";
  /** Version of the specification (docs/synth.md). */
  version: 1;
  /** Options used. */
  options: ResolvedSyntheticDistributorOptions;
  /** First day of the history, `YYYY-MM-DD`. */
  start: string;
  /** Last day of the history, `YYYY-MM-DD`. */
  end: string;
  /** Planted events, sorted by start, type, customer and segment, then product in the generator's own order (its index, not its id). */
  events: PlantedEvent[];
  /** Latent needs per segment. */
  segments: SyntheticSegmentTruth[];
  /** Latent behaviour per customer. */
  customers: SyntheticCustomerTruth[];
}

/** The generated tables (rows of the data contract) and their ground truth. */
export interface SyntheticDistributor {
  /** Order lines (orders.csv), sorted by date, then in generation order (each kind, sales and credit notes, in id order; a day's credit notes stand among its sales, docs/synth.md). */
  orders: OrderRow[];
  /** Customers (customers.csv). */
  customers: CustomerRow[];
  /** Products (products.csv). */
  products: ProductRow[];
  /** Reps and managers (reps.csv). */
  reps: RepRow[];
  /** Pipeline events (deal_events.csv). */
  dealEvents: DealEventRow[];
  /** Monthly targets per rep (targets.csv). */
  targets: TargetRow[];
  /** Sales content (content.csv). */
  content: ContentRow[];
  /** What was planted (truth.json). */
  truth: SyntheticTruth;
  /** The options used. */
  options: ResolvedSyntheticDistributorOptions;
}
