import type { PatternModel } from "../patterns/fit-patterns.ts";

/**
 * Kinds of offer (DESIGN.md section 4): a product the customer does not buy yet (`cross_sell`),
 * one it buys and is due for (`repurchase`), one it has stopped buying (`winback`), one whose
 * season is starting and that it or its peers bought in the same season last year (`seasonal`).
 */
export type OfferKind = "cross_sell" | "repurchase" | "winback" | "seasonal";

/** Languages of offer messages. */
export type OfferLocale = "en" | "he";

/** What an offer rests on, as numbers a person can check. */
export interface OfferBecause {
  /**
   * The customer's own products behind the offer: for a cross-sell the one or two products A (and
   * B) of the rule "customers who buy A and B also buy C", else its product most bought with C
   * (largest similarity among those whose buyers buy C more than customers at large; empty when
   * none does); for the other kinds the offered product itself.
   */
  readonly productIds: readonly string[];
  /** How many customers the evidence is about: those who buy A (and B) for a rule, else the similar customers (the customer's segment when it has none; the customer's own purchase days for repurchase / win-back, and for a seasonal offer of its own product its purchase days in the same weeks last year). */
  readonly similarCustomers: number;
  /** How many of them buy the offered product (a rule's support count). */
  readonly support: number;
  /** P(offered product | the evidence) / P(offered product) over all customers; for a seasonal offer the family's seasonal index of the coming month (how much likelier than in an average month); 1 when not meaningful. */
  readonly lift: number;
  /** support / similarCustomers, in [0, 1]. */
  readonly confidence: number;
}

/** Why an offer was made, as data: a stable code and its parameters (hosts can render their own text). */
export interface OfferReason {
  /** Stable reason code: the offer kind, with a suffix for the evidence, e.g. `cross_sell_rule`, `cross_sell_peers`, `cross_sell_segment`. */
  readonly code: string;
  /** The numbers and ids the message is made of. */
  readonly params: Readonly<Record<string, number | string>>;
}

/** One product to offer one customer, with a price and the reason. */
export interface Offer {
  /** Customer id. */
  readonly customerId: string;
  /** Product id. */
  readonly productId: string;
  /** The kind of offer. */
  readonly kind: OfferKind;
  /** Estimated probability (0..1) that the customer buys the product soon when offered; offers of one call are sorted by it. */
  readonly score: number;
  /** Suggested unit price, within [unit cost × (1 + minMargin), list price] whenever both are known; on cents, or for an item priced below 0.10 on two significant digits of its price (0.004, not 0.01). */
  readonly suggestedPrice: number;
  /** Current list price, NaN when unknown. */
  readonly listPrice: number;
  /** Current unit cost, NaN when unknown. */
  readonly unitCost: number;
  /** Suggested quantity: the usual quantity per purchase day (a weighted median) of the customer (repurchase, win-back, seasonal of its own products) or of its peers. */
  readonly quantity: number;
  /** Expected gross margin of one order at the suggested price and quantity, (price − cost) × quantity, rounded to cents; NaN when the cost is unknown. */
  readonly expectedMargin: number;
  /** Margin rate at the suggested price, (price − cost) / price; NaN when the cost is unknown. */
  readonly marginRate: number;
  /** The numbers behind the offer. */
  readonly because: OfferBecause;
  /** The reason as a code with parameters. */
  readonly reason: OfferReason;
  /** One line for a person, in the requested locale. */
  readonly message: string;
}

/** Options of {@link recommend}. */
export interface RecommendOptions {
  /** Last visible day (nothing after it is used). Default: the dataset's as-of day, else its last order day. */
  asOf?: string | Date | number | undefined;
  /** One customer to recommend for. */
  customerId?: string | undefined;
  /** Several customers (unknown ids give no offers). Neither this nor `customerId`: every customer with a purchase in the 365 days up to `asOf`. */
  customerIds?: readonly string[] | undefined;
  /** Offers per customer, an integer from 1 to 1000 (default 10). */
  k?: number | undefined;
  /** Kinds of offer to make (default all four). */
  kinds?: readonly OfferKind[] | undefined;
  /** Smallest margin over cost of a suggested price, in [0, 10] (default 0.1: price >= cost × 1.1). */
  minMargin?: number | undefined;
  /** Products never to offer (unknown ids are ignored). */
  blockedProductIds?: readonly string[] | undefined;
  /** Half-life in days of the time decay of a customer's purchases (SAR-style affinity), from 1 to 100000 (default 180). */
  halfLifeDays?: number | undefined;
  /** Similar customers per customer, an integer from 1 to 1000 (default 40). */
  neighbors?: number | undefined;
  /** Customers needed to buy A, B and C before "who buy A and B also buy C" is a rule, an integer >= 2 (default 5). */
  minSupport?: number | undefined;
  /** A product with no sale (by anyone) in this many days before `asOf` is not offered, an integer >= 1 (default 120; seasonal offers look back 400 days). */
  activeWithinDays?: number | undefined;
  /** Message language (default `en`). */
  locale?: OfferLocale | undefined;
  /** A pattern model fitted at the same `asOf` (fitPatterns): repurchase and win-back then use its seasonal customer x item rhythms instead of the plain inclusion rates. */
  model?: PatternModel | undefined;
}

/** How {@link similarProducts} relates two products. */
export type SimilarityMode = "complements" | "substitutes";

/** Options of {@link similarProducts}. */
export interface SimilarProductsOptions {
  /** Last visible day. Default: the dataset's as-of day, else its last order day. */
  asOf?: string | Date | number | undefined;
  /** The product to find neighbours of (required). */
  productId: string;
  /** How many, an integer from 1 to 1000 (default 10). */
  k?: number | undefined;
  /** `complements` (bought together, default) or `substitutes` (bought by the same kinds of customers, rarely together). */
  mode?: SimilarityMode | undefined;
  /** Customers needed to buy both (complements) or expected to (substitutes), an integer >= 1 (default 5). */
  minSupport?: number | undefined;
}

/** A product related to another one. */
export interface SimilarProduct {
  /** The related product. */
  readonly productId: string;
  /** Its name, when known. */
  readonly name: string | undefined;
  /** How it relates. */
  readonly mode: SimilarityMode;
  /** Substitutes: the segment where the two are least bought together (`together`, `expectedTogether` and `lift` are that segment's); undefined for complements or without segments. */
  readonly segment: string | undefined;
  /** Ranking score (higher first): the shrunk lift for complements, profile similarity × deficit for substitutes. */
  readonly score: number;
  /** Customers who bought both (substitutes: in `segment`, when set). */
  readonly together: number;
  /** Customers expected to buy both if the two were bought independently within each segment (substitutes: in `segment`, when set). */
  readonly expectedTogether: number;
  /** together / expectedTogether (above 1: complements; well below 1: substitutes). */
  readonly lift: number;
  /** Jaccard index of the two sets of buyers over all customers (whatever the mode and `segment`): both ÷ either. */
  readonly jaccard: number;
  /** Cosine similarity of the two products' co-purchase profiles (the other products their buyers buy), 0..1. */
  readonly profileSimilarity: number;
  /** Customers who bought the given product. */
  readonly buyersOfProduct: number;
  /** Customers who bought this one. */
  readonly buyers: number;
}
