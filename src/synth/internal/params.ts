/**
 * @internal The fixed parameters of the synthetic distributor (docs/synth.md is the contract; keep
 * the two in sync and do not tune these to make a detector look good).
 * @module
 */

/** @internal One customer segment. */
export interface SegmentParams {
  /** Segment name. */
  readonly name: string;
  /** Share of customers. */
  readonly share: number;
  /** Size multiplier. */
  readonly size: number;
  /** Mean discount. */
  readonly discount: number;
  /** Between-customer sd of the discount. */
  readonly discountSd: number;
  /** Probability of being closed in August. */
  readonly august: number;
  /** Probabilities of closed weekdays: Sat-Sun, Fri-Sat, Sun, none. */
  readonly weekend: readonly [number, number, number, number];
  /** Amplitude of the segment's order-rate seasonality (peak mid July; negative = trough). */
  readonly seasonAmp: number;
  /** Whether seasonal-only buyers exist in the segment. */
  readonly seasonalBuyers: boolean;
}

/** @internal Segments (docs/synth.md section 2). */
export const SEGMENTS: readonly SegmentParams[] = [
  { name: "restaurants", share: 0.34, size: 1.0, discount: 0.08, discountSd: 0.03, august: 0.15, weekend: [0.35, 0.1, 0.3, 0.25], seasonAmp: 0, seasonalBuyers: false },
  { name: "hotels", share: 0.1, size: 1.6, discount: 0.12, discountSd: 0.03, august: 0, weekend: [0.3, 0.1, 0.2, 0.4], seasonAmp: 0.25, seasonalBuyers: false },
  { name: "cafes", share: 0.24, size: 0.6, discount: 0.05, discountSd: 0.02, august: 0.1, weekend: [0.35, 0.15, 0.3, 0.2], seasonAmp: 0, seasonalBuyers: true },
  { name: "retail", share: 0.2, size: 0.9, discount: 0.14, discountSd: 0.04, august: 0.05, weekend: [0.45, 0.15, 0.25, 0.15], seasonAmp: 0, seasonalBuyers: true },
  { name: "institutions", share: 0.12, size: 1.5, discount: 0.18, discountSd: 0.04, august: 0.55, weekend: [0.8, 0.15, 0.05, 0], seasonAmp: -0.2, seasonalBuyers: false },
];

/** @internal Closed ISO weekdays per weekend kind (index as in `SegmentParams.weekend`). */
export const WEEKEND_KINDS: readonly (readonly number[])[] = [[6, 7], [5, 6], [7], []];

/** @internal One product family. */
export interface FamilyParams {
  /** Family name. */
  readonly name: string;
  /** Display noun used in product names. */
  readonly nouns: readonly string[];
  /** Share of the catalog. */
  readonly share: number;
  /** Median list price. */
  readonly price: number;
  /** Median units per line for a customer of size 1. */
  readonly baseQty: number;
  /** Seasonal amplitude. */
  readonly amp: number;
  /** Peak day of year. */
  readonly peak: number;
}

/** @internal Families (docs/synth.md section 2). */
export const FAMILIES: readonly FamilyParams[] = [
  { name: "dairy", nouns: ["Whole Milk", "Butter", "Cream", "Yogurt", "Cheddar", "Mozzarella", "Feta"], share: 0.09, price: 6, baseQty: 8, amp: 0, peak: 0 },
  { name: "bakery", nouns: ["Baguette", "Croissant", "Sourdough", "Bagel", "Brioche Bun", "Pita"], share: 0.07, price: 4, baseQty: 10, amp: 0, peak: 0 },
  { name: "fresh_produce", nouns: ["Tomatoes", "Lettuce", "Onions", "Potatoes", "Lemons", "Herbs", "Peppers"], share: 0.09, price: 3.5, baseQty: 12, amp: 0.15, peak: 196 },
  { name: "meat_poultry", nouns: ["Chicken Breast", "Ground Beef", "Pork Loin", "Bacon", "Sausages", "Turkey"], share: 0.08, price: 14, baseQty: 6, amp: 0, peak: 0 },
  { name: "seafood", nouns: ["Salmon Fillet", "Shrimp", "Cod", "Tuna Loin", "Mussels"], share: 0.05, price: 22, baseQty: 4, amp: 0, peak: 0 },
  { name: "frozen_foods", nouns: ["Fries", "Mixed Vegetables", "Pizza Base", "Dumplings", "Berries"], share: 0.08, price: 9, baseQty: 6, amp: 0, peak: 0 },
  { name: "dry_goods", nouns: ["Pasta", "Rice", "Flour", "Sugar", "Olive Oil", "Canned Tomatoes", "Lentils"], share: 0.11, price: 5, baseQty: 8, amp: 0, peak: 0 },
  { name: "sauces_condiments", nouns: ["Ketchup", "Mayonnaise", "Mustard", "Soy Sauce", "Vinegar", "Pesto"], share: 0.07, price: 6, baseQty: 5, amp: 0, peak: 0 },
  { name: "coffee_tea", nouns: ["Espresso Beans", "Ground Coffee", "Black Tea", "Green Tea", "Cocoa"], share: 0.06, price: 18, baseQty: 4, amp: 0.2, peak: 15 },
  { name: "cold_beverages", nouns: ["Cola", "Sparkling Water", "Orange Juice", "Iced Tea", "Lemonade"], share: 0.07, price: 2.5, baseQty: 24, amp: 0.6, peak: 196 },
  { name: "ice_cream", nouns: ["Vanilla Tub", "Chocolate Tub", "Sorbet", "Ice Pops", "Gelato"], share: 0.04, price: 8, baseQty: 6, amp: 0.95, peak: 201 },
  { name: "soups_broths", nouns: ["Chicken Broth", "Tomato Soup", "Minestrone", "Miso Base", "Bouillon"], share: 0.04, price: 5, baseQty: 6, amp: 0.7, peak: 15 },
  { name: "cleaning_supplies", nouns: ["Dish Detergent", "Degreaser", "Sanitizer", "Floor Cleaner", "Gloves"], share: 0.06, price: 12, baseQty: 3, amp: 0, peak: 0 },
  { name: "paper_disposables", nouns: ["Napkins", "Takeaway Cups", "Foil", "Cling Film", "Cones", "Boxes"], share: 0.06, price: 10, baseQty: 4, amp: 0.1, peak: 196 },
  { name: "kitchen_equipment", nouns: ["Chef Knife", "Sheet Pan", "Blender", "Stock Pot", "Scale"], share: 0.02, price: 120, baseQty: 1, amp: 0, peak: 0 },
  { name: "heating_supplies", nouns: ["Patio Gas", "Chafing Fuel", "Heater Element", "Hot Plate"], share: 0.01, price: 25, baseQty: 3, amp: 0.9, peak: 10 },
];

/** @internal Segment x family affinity (rows: families in `FAMILIES` order; columns: segments). */
export const AFFINITY: readonly (readonly number[])[] = [
  [0.8, 0.9, 0.95, 0.7, 0.8],
  [0.6, 0.9, 0.95, 0.5, 0.6],
  [0.95, 0.8, 0.4, 0.3, 0.7],
  [0.95, 0.8, 0.2, 0.2, 0.6],
  [0.6, 0.5, 0.05, 0.1, 0.2],
  [0.7, 0.6, 0.4, 0.6, 0.9],
  [0.9, 0.8, 0.5, 0.9, 0.9],
  [0.9, 0.6, 0.3, 0.7, 0.5],
  [0.4, 0.9, 1.0, 0.6, 0.5],
  [0.6, 0.8, 0.8, 0.95, 0.4],
  [0.3, 0.5, 0.6, 0.8, 0.2],
  [0.4, 0.5, 0.3, 0.5, 0.8],
  [0.8, 0.95, 0.6, 0.5, 0.9],
  [0.6, 0.8, 0.9, 0.5, 0.9],
  [0.15, 0.2, 0.1, 0.02, 0.1],
  [0.1, 0.2, 0.3, 0.15, 0.05],
];

/** @internal Complementary family pairs (symmetric), by family name. */
export const COMPLEMENTS: readonly (readonly [string, string])[] = [
  ["coffee_tea", "bakery"],
  ["coffee_tea", "dairy"],
  ["ice_cream", "paper_disposables"],
  ["cold_beverages", "ice_cream"],
  ["meat_poultry", "sauces_condiments"],
  ["seafood", "sauces_condiments"],
  ["soups_broths", "bakery"],
  ["fresh_produce", "dry_goods"],
  ["cleaning_supplies", "paper_disposables"],
  ["frozen_foods", "dry_goods"],
  ["kitchen_equipment", "cleaning_supplies"],
];

/** @internal Cadence classes: mean gap in days and share. */
export const CADENCES: readonly (readonly [number, number])[] = [
  [3.5, 0.05],
  [7, 0.22],
  [14, 0.25],
  [21, 0.1],
  [30, 0.2],
  [45, 0.08],
  [60, 0.05],
  [91, 0.05],
];

/** @internal Regularity kinds of the gap distribution. */
export type Rhythm = "clockwork" | "regular" | "irregular" | "memoryless" | "seasonal" | "yearly";

/** @internal Inclusion-probability kinds of regular items: share, low, high. */
export const ITEM_KINDS: readonly (readonly [number, number, number])[] = [
  [0.35, 0.75, 0.97],
  [0.25, 0.4, 0.7],
  [0.25, 0.22, 0.4],
  [0.15, 0.08, 0.2],
];

/** @internal Sales channels. */
export const CHANNELS: readonly string[] = ["field", "phone", "web", "edi"];

/** @internal Regions. */
export const REGIONS: readonly string[] = ["north", "south", "east", "west", "central"];

/** @internal Deal stages of the synthetic pipeline: mean days in stage and loss probability. */
export const DEAL_STAGE_PARAMS: readonly (readonly [string, number, number])[] = [
  ["lead", 9, 0.25],
  ["qualified", 14, 0.2],
  ["proposal", 16, 0.25],
  ["negotiation", 11, 0.3],
];

/** @internal Customer-level planted kinds and their quota (share of eligible customers). */
export const CUSTOMER_EVENT_QUOTAS: readonly (readonly [CustomerEventKind, number])[] = [
  ["churn", 0.08],
  ["frequency_drop", 0.05],
  ["item_dropped", 0.05],
  ["item_volume_drop", 0.05],
  ["diversity_drop", 0.05],
];

/** @internal Customer-level planted kinds (adoption is handled separately). */
export type CustomerEventKind = "churn" | "frequency_drop" | "item_dropped" | "item_volume_drop" | "diversity_drop";

/** @internal Day of year (1..366) of an epoch day's date, with month and year. */
export const CUMULATIVE_MONTH_DAYS: readonly number[] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
