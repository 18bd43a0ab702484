/**
 * @internal Internal state shared by the generator's stages.
 * @module
 */
import type { ResolvedSyntheticDistributorOptions } from "../types.ts";
import type { Rhythm } from "./params.ts";

/** @internal Per-day calendar lookups over the history (index = day − start). */
export interface Calendar {
  /** First epoch day of the history. */
  start: number;
  /** Last epoch day of the history (inclusive). */
  end: number;
  /** Number of days. */
  days: number;
  /** Month 1..12. */
  month: Int8Array;
  /** Day of month 1..31. */
  dom: Int8Array;
  /** Day of year 1..366. */
  doy: Int16Array;
  /** ISO weekday 1 (Monday) .. 7 (Sunday). */
  dow: Int8Array;
  /** Calendar year index (0 = the start's year). */
  year: Int8Array;
  /** Month index (0 = the start's month). */
  monthIndex: Int16Array;
  /** Number of calendar years touched. */
  years: number;
  /** Number of calendar months touched. */
  months: number;
  /** Calendar year of the start. */
  startYear: number;
  /** Month (1..12) of the start. */
  startMonth: number;
}

/** @internal The product catalog. */
export interface Catalog {
  /** Number of products. */
  n: number;
  /** Product ids. */
  ids: string[];
  /** Product names. */
  names: string[];
  /** Family index per product. */
  family: Int32Array;
  /** First product index of each family (length families + 1); products are grouped by family. */
  familyStart: Int32Array;
  /** List price in cents per product and calendar year: `[p * years + y]`. */
  listCents: Float64Array;
  /** Unit cost in cents per product and calendar year. */
  costCents: Float64Array;
  /** Margin per product. */
  margin: Float64Array;
  /** Global popularity weight per product. */
  popularity: Float64Array;
  /** Per segment: cumulative product weights in product order (pick within a family range). */
  segmentCum: Float64Array[];
  /** Per segment: raw product weights. */
  segmentWeight: Float64Array[];
  /** Seasonal multiplier per family and day of year: `[f * 367 + doy]`. */
  season: Float64Array;
}

/** @internal Segment-level plan (planted segment / rep events). */
export interface SegmentPlan {
  /** Per segment: product that vanishes (−1 for none). */
  vanishProduct: Int32Array;
  /** Per segment: day it vanishes. */
  vanishDay: Int32Array;
  /** Per segment: added discount from `riseDay` (0 for none). */
  riseMagnitude: Float64Array;
  /** Per segment: day the discount rises. */
  riseDay: Int32Array;
  /** Per segment: substitute pair [a, b] or undefined. */
  pairs: ([number, number] | undefined)[];
  /** Stalled rep index (−1 for none). */
  stallRep: number;
  /** Day the rep's pipeline stalls. */
  stallDay: number;
}

/** @internal One regular (or adopted) item of a customer. */
export interface Item {
  /** Product index. */
  product: number;
  /** Family index. */
  family: number;
  /** Base inclusion probability. */
  p: number;
  /** Typical quantity. */
  q: number;
  /** Discount of the customer on this item. */
  discount: number;
  /** First day the item may be ordered. */
  from: number;
  /** First day the item is no longer ordered. */
  until: number;
  /** Day from which the quantity is multiplied by `volFactor`. */
  volDay: number;
  /** Quantity multiplier after `volDay`. */
  volFactor: number;
  /** Whether the item survives a diversity drop. */
  core: boolean;
  /** Day of the first order line of the item (NaN until bought: −1 is a day, 1969-12-31). */
  firstBought: number;
}

/** @internal A customer-level planted change applied to generation. */
export interface CustomerPlan {
  /** First day without orders (churn), else after the end. */
  stop: number;
  /** Day gaps start stretching (gradual churn), else after the end. */
  stretchFrom: number;
  /** Day the frequency drops, else after the end. */
  freqDay: number;
  /** Relative drop of the order rate. */
  freqDrop: number;
  /** Day of the diversity drop, else after the end. */
  diversityDay: number;
}

/** @internal A synthetic customer's latent profile. */
export interface Customer {
  /** Index. */
  index: number;
  /** Id. */
  id: string;
  /** Name. */
  name: string;
  /** Segment index. */
  segment: number;
  /** Size factor. */
  size: number;
  /** Region index. */
  region: number;
  /** Owner rep index. */
  rep: number;
  /** Default channel index. */
  channel: number;
  /** Parent customer index or −1. */
  parent: number;
  /** First day of the order process. */
  firstDay: number;
  /** Whether it existed before the history. */
  existing: boolean;
  /** Mean gap in days. */
  meanGap: number;
  /** Gap CV. */
  cv: number;
  /** Gap process. */
  rhythm: Rhythm;
  /** Whether gaps are whole weeks on `weekday`. */
  snapped: boolean;
  /** Preferred ISO weekday when snapped. */
  weekday: number;
  /** Bit mask of closed ISO weekdays (bit d). */
  closedMask: number;
  /** Closed in August. */
  closedAug: boolean;
  /** Log trend per year. */
  trend: number;
  /** Base discount. */
  discount: number;
  /** Return propensity per purchase line. */
  returnRate: number;
  /** Noise items per order (Poisson mean). */
  noise: number;
  /** Need weight per family for held families (0 when not held). */
  held: Float64Array;
  /** Latent need per family for families not held. */
  latent: Float64Array;
  /** Items (regular, then adopted). */
  items: Item[];
  /** Number of initial regular items. */
  initialItems: number;
  /** Substitute-pair product this customer never buys (−1 for none). */
  excluded: number;
  /** Planted changes. */
  plan: CustomerPlan;
}

/** @internal Generation context. */
export interface World {
  /** Options. */
  options: ResolvedSyntheticDistributorOptions;
  /** Calendar. */
  cal: Calendar;
  /** Catalog. */
  catalog: Catalog;
  /** Number of reps (excluding managers). */
  nReps: number;
  /** Number of managers. */
  nManagers: number;
  /** Region per rep. */
  repRegion: Int32Array;
  /** Segment plan. */
  plan: SegmentPlan;
}
