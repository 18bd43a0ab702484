import { businessDays, closedMonthDaysBetween, silenceEnd } from "./internal/customer-calendar.ts";
import { parseDay } from "../data/parse-day.ts";
import type { Dataset } from "../data/dataset.ts";
import { checkDateLike, checkEnum, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { bgNbdFit, dropoutCollapsed } from "./internal/bg-nbd-fit.ts";
import type { BgNbdParams } from "./btyd/bg-nbd-model.ts";
import { rhythmSummary } from "./internal/rhythm-summary.ts";
import type { BtydSummary } from "./btyd/calibration-summary.ts";
import type { BtydCountingSummary } from "./btyd/counting-model.ts";
import { fitDealStages, type DealState, type StageStats } from "./fit-deal-stages.ts";
import { fitIntervalModel, type BusinessCalendar, type CustomerRhythm, type IntervalModelOptions, type PredictiveCalibration } from "./fit-interval-model.ts";
import { fitItemRhythm, type ItemRhythm } from "./fit-item-rhythm.ts";
import { buildPatternModel } from "./internal/pattern-model.ts";
import { resolveAsOf } from "../data/internal/resolve-as-of.ts";

/** Customers needed before a BG/NBD fit is trusted for P(alive). */
const MIN_BTYD_CUSTOMERS = 30;
/** Customers the BG/NBD parameters are fitted on (every k-th by id beyond this; P(alive) is evaluated for all). */
const BTYD_FIT_CUSTOMERS = 1000;
/** The BG/NBD search's stall rule (see fitPatterns). */
const BTYD_STALL = { evaluations: 200, tolerance: 1e-9 } as const;

/** Every `step`-th customer of a counting summary (ids in sorted order: a sample blind to behaviour). */
function strided(summary: BtydSummary, step: number): BtydCountingSummary {
  if (step <= 1) return summary;
  const pick = (a: Float64Array): Float64Array => {
    const out = new Float64Array(Math.ceil(a.length / step));
    for (let i = 0, k = 0; i < a.length; i += step) out[k++] = a[i]!;
    return out;
  };
  return { x: pick(summary.x), tx: pick(summary.tx), T: pick(summary.T) };
}

/** Options of {@link fitPatterns}. */
export interface FitPatternsOptions {
  /** Last visible day. Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Where `pAlive` comes from: a BG/NBD fit on the customer base (default; needs at least 30 customers, else `pAlive` stays undefined) or nowhere (`none`). */
  alive?: "bg-nbd" | "none" | undefined;
  /** Weekend days and holidays closed for every customer (see {@link BusinessCalendar}); checked by the interval model. */
  calendar?: BusinessCalendar | undefined;
  /** The interval model's calibration by backtest (see {@link IntervalModelOptions}`.calibrate`): default true; false fits the interval model once (about 30% less time for it; widths as fitted). */
  calibrate?: boolean | undefined;
  /**
   * `asOf` is today, a day still in progress (as the KPI functions' `asOfInProgress`): every
   * silence (overdue probability, the expected next order, missed orders, P(alive)) is measured to
   * the end of the day before, today's orders so far counting as purchases. A weekly Monday buyer
   * read on Monday morning is due today, not 50% overdue. Default false.
   */
  asOfInProgress?: boolean | undefined;
}

/** @internal fitPatterns' option names (the worker pool sends a worker only these of what an options object inherits). */
export const FIT_PATTERNS_KEYS: OptionKeys<FitPatternsOptions> = { asOf: true, alive: true, calendar: true, calibrate: true, asOfInProgress: true };

/** Pipeline state as plain data (the deal-stage model's tables at asOf). */
export interface PatternDeals {
  /** Per stage, the team row first, then one row per rep. */
  readonly stages: readonly StageStats[];
  /** Open deals, most unusual stay first. */
  readonly open: readonly DealState[];
}

/** The serialized form of a {@link PatternModel} (`toJSON()`; `fromPatternsJSON()` reads it back). */
export interface PatternModelJSON {
  /** Format version. */
  readonly version: 1;
  /** As-of day, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** BG/NBD parameters behind `pAlive`, when fitted. */
  readonly bgNbd: BgNbdParams | undefined;
  /** The interval model's calibration by backtest (absent in models stored before it). */
  readonly calibration?: PredictiveCalibration | undefined;
  /** The business calendar's holidays, `YYYY-MM-DD` (absent in models stored before 2026-12-06: none). */
  readonly holidays?: readonly string[] | undefined;
  /** Every customer's rhythm. */
  readonly customers: readonly CustomerRhythm[];
  /** Every customer x product rhythm. */
  readonly items: readonly ItemRhythm[];
  /** The pipeline tables. */
  readonly deals: PatternDeals;
}

/** All purchase-rhythm models of a dataset as of one day, with lookups. */
export interface PatternModel {
  /** As-of day, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** BG/NBD parameters behind `pAlive`, when fitted. */
  readonly bgNbd: BgNbdParams | undefined;
  /** The interval model's calibration by backtest: the factor on every predictive's width, and its evidence (undefined: none). */
  readonly calibration: PredictiveCalibration | undefined;
  /**
   * The business calendar's holidays (`YYYY-MM-DD`; empty without a calendar): closed for every
   * customer, skipped by every rhythm's clock, the detectors' included.
   */
  readonly holidays: readonly string[];
  /**
   * One customer's rhythm.
   * @param customerId - the id
   * @returns the rhythm, or undefined when the customer has no purchase up to asOf
   */
  customer(customerId: string): CustomerRhythm | undefined;
  /**
   * One customer x product rhythm.
   * @param customerId - the customer
   * @param productId - the product
   * @returns the rhythm, or undefined when the customer never bought the product
   */
  item(customerId: string, productId: string): ItemRhythm | undefined;
  /**
   * The products a customer buys, with their rhythms.
   * @param customerId - the customer
   * @returns its item rhythms (empty when none)
   */
  items(customerId: string): readonly ItemRhythm[];
  /**
   * The pipeline tables.
   * @returns stage statistics and open deals
   */
  deals(): PatternDeals;
  /**
   * Every customer's rhythm.
   * @returns the rhythms, in id order
   */
  all(): readonly CustomerRhythm[];
  /**
   * Plain, versioned data for storage (JSON.stringify-able).
   * @returns the serialized model
   */
  toJSON(): PatternModelJSON;
}

/**
 * Fit every purchase-rhythm model at once, as of a day: each customer's interval model (with
 * P(alive) from a BG/NBD fit of the whole customer base, Fader, Hardie & Lee 2005, combined with
 * the customer's silence), each customer x product rhythm, and the deal-stage model; with
 * lookups and a versioned, storable form (`toJSON`, read back with `fromPatternsJSON`).
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf; alive (`bg-nbd` default, or `none`); calendar; calibrate (default true); asOfInProgress
 * @returns the model
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitPatterns, fromPatternsJSON, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 20; w++) {
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `A${w}`, order_date, customer_id: "A", product_id: "P", quantity: 1, unit_price: 5 });
 *   if (w % 2 === 0) orders.push({ order_id: `B${w}`, order_date, customer_id: "B", product_id: "Q", quantity: 2, unit_price: 3 });
 * }
 * const model = fitPatterns(fromRowsSync({ orders }).dataset, { asOf: "2026-06-30" });
 * assert.equal(model.customer("A")?.status, "ok");
 * assert.equal(model.bgNbd, undefined); // BG/NBD needs at least 30 customers
 * assert.equal(model.customer("A")?.pAlive, undefined);
 * assert.equal(model.item("B", "Q")?.itemOrders, 10);
 * const copy = fromPatternsJSON(JSON.parse(JSON.stringify(model)));
 * assert.equal(JSON.stringify(copy.customer("A")), JSON.stringify(model.customer("A")));
 * ```
 */
export function fitPatterns(dataset: Dataset, options?: FitPatternsOptions): PatternModel {
  checkFitPatternsOptions(options, "fitPatterns");
  const opts = (options ?? {}) as FitPatternsOptions;
  const { asOf, view } = resolveAsOf(dataset, opts.asOf, undefined, "fitPatterns");
  let bgNbd: BgNbdParams | undefined;
  let alive: ((id: string) => number | undefined) | undefined;
  /** BG/NBD's own P(alive) of a customer at asOf with `closedDays` of its silence taken off T (undefined: not fitted). */
  let bgAlive: ((id: string, closedDays: number) => number | undefined) | undefined;
  if ((opts.alive ?? "bg-nbd") === "bg-nbd" && view.visibleLines > 0) {
    const summary = rhythmSummary(view, asOf);
    if (summary.customerIds.length >= MIN_BTYD_CUSTOMERS) {
      // B2B data leave the dropout parameters (a, b) on a flat ridge (a, b → ∞ at a fixed a / b)
      // the simplex would follow to any budget (measured: 1.2-3.5 s uncapped per fit): the search
      // stops at 1,000 evaluations or when 200 evaluations gain under 1e-9 relative (on the
      // synthetic data at 510-620 evaluations, P(alive) within 2e-10 of the 1,000-evaluation fit);
      // the four population parameters are fitted on at most 1,000 customers (every k-th by id)
      const sample = strided(summary, Math.ceil(summary.customerIds.length / BTYD_FIT_CUSTOMERS));
      const fit = bgNbdFit(sample, { maxEvaluations: 1000 }, "fitPatterns", { stall: BTYD_STALL });
      // (a fit whose dropout collapsed, a → 0, is none: P(alive) 1 for all; see dropoutCollapsed)
      if ((fit.converged || Number.isFinite(fit.logLikelihood)) && !dropoutCollapsed(fit.params)) {
        bgNbd = fit.params;
        const index = new Map(summary.customerIds.map((id, k) => [id, k]));
        // pAlive = the smaller of two posteriors that each count the silence once (docs/patterns.md,
        // "pAlive"): (1) the interval model's Bayes update of P(alive) just after the last purchase,
        // BG/NBD's P(alive | x, t_x, T = t_x) = (b + x − 1) / (a + b + x − 1), with the silence on
        // the customer's own clock as evidence (a customer without a repeat purchase, x = 0, always
        // alive under BG/NBD, gets the value of x = 1, b / (a + b): its first order could be its
        // last, as in MBG/NBD, Batislam, Denizel & Filiztekin 2007); (2) BG/NBD's P(alive) at asOf
        // with the days of the customer's closed months taken off T. Until 2026-12-07 (2) was the
        // prior of (1), so the silence counted twice (a customer ordering on its expected day read
        // 0.35), closures were not seen (8% in a usual August closure) and one order meant 100%
        const { a, b } = fit.params;
        bgAlive = (id, closedDays) => {
          const k = index.get(id);
          if (k === undefined) return undefined;
          const tx = summary.tx[k]!;
          const p = fit.probabilityAlive(summary.x[k]!, tx, Math.max(tx, summary.T[k]! - closedDays / BTYD_WEEK_DAYS));
          return Number.isFinite(p) ? p : undefined;
        };
        alive = (id) => {
          const k = index.get(id);
          if (k === undefined) return undefined;
          const x = Math.max(1, summary.x[k]!);
          const p = (b + x - 1) / (a + b + x - 1);
          return Number.isFinite(p) ? p : undefined;
        };
      }
    }
  }
  const open = opts.asOfInProgress === true;
  const customers = fitIntervalModel(view, { asOf, calendar: opts.calendar, calibrate: opts.calibrate, asOfInProgress: open, ...(alive ? { alive } : {}) });
  // (the item rhythm reads the interval model's dates; only the pattern model's rhythms take the
  // smaller pAlive, so no lookup of the interval model keeps the other value)
  const items = fitItemRhythm(view, { asOf, customers });
  // (with asOf in progress, BG/NBD's T ends a day earlier too: the day is one more day off T)
  const rhythms = bgAlive === undefined ? customers.customers : customers.customers.map((r) => withBgNbdAlive(r, asOf, open, bgAlive!));
  const stages = fitDealStages(view, { asOf });
  return buildPatternModel({ version: 1, asOf: customers.asOf, bgNbd, calibration: customers.calibration, holidays: customers.holidays ?? [], customers: rhythms, items, deals: { stages: stages.stages(), open: stages.openDeals() } });
}

/** The BTYD summary's time unit (days): the BG/NBD fit's t_x and T are in weeks. */
const BTYD_WEEK_DAYS = 7;

/** A rhythm whose pAlive is at most BG/NBD's own at asOf on the customer's clock (see fitPatterns); with `open`, a silent asOf is not counted. */
function withBgNbdAlive(r: CustomerRhythm, asOf: number, open: boolean, bgAlive: (id: string, closedDays: number) => number | undefined): CustomerRhythm {
  if (r.pAlive === undefined || r.lastOrder === undefined) return r;
  const last = parseDay(r.lastOrder);
  const quiet = silenceEnd(last, asOf, open);
  const bg = bgAlive(r.customerId, closedMonthDaysBetween(last, quiet, r.closedMonths) + (asOf - quiet));
  return bg === undefined || !(bg < r.pAlive) ? r : { ...r, pAlive: bg };
}

/**
 * @internal fitPatterns' option checks (the worker pool runs them on the calling thread, before it
 * sends anything): the names, asOf, alive, calibrate, asOfInProgress, and the calendar, under `fn` and before the
 * BG/NBD fit (the interval model checked the calendar after that fit, as fitIntervalModel's).
 */
export function checkFitPatternsOptions(options: unknown, fn: string): void {
  const o = optionsObject(options, fn, FIT_PATTERNS_KEYS);
  checkDateLike(o, "asOf", fn);
  checkEnum(o, "alive", ["bg-nbd", "none"], fn);
  checkEnum(o, "calibrate", [true, false], fn);
  checkEnum(o, "asOfInProgress", [true, false], fn);
  businessDays(o, fn);
}
