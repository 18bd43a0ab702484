import type { Dataset } from "../../data/dataset.ts";
import { rhythmView } from "../../data/internal/rhythm-view.ts";
import { checkModelFor } from "../../patterns/internal/check-model.ts";
import { formatDay } from "../../data/format-day.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { checkDateLike, checkEnum, checkFitted, checkNumber, optionsObject, type OptionKeys } from "../../data/internal/check.ts";
import { resolveAsOf } from "../../data/internal/resolve-as-of.ts";
import { ownerRepOf } from "../../data/internal/owner-reps.ts";
import { fitPatterns, type PatternModel } from "../../patterns/fit-patterns.ts";
import type { DetectorOptions, SignalLocale } from "../types.ts";
import { costBasis, costFor, type CostBasis } from "./cost-basis.ts";

/**
 * @internal What every detector starts from: the as-of view, the pattern model (shared when the
 * caller passes one), the sensitivity and locale, and lazily computed shared tables.
 */
export interface DetectorContext {
  /** The as-of view on purchase days (rhythmView: an order delivered in parts is one purchase), for the detectors against the customers' rhythms. */
  readonly view: Dataset;
  /** The as-of view itself, on the lines' own days, for the detectors of a KPI (kpi_drop, discount_anomaly: their numbers are the KPI functions'). */
  readonly kpiView: Dataset;
  readonly asOf: number;
  readonly asOfText: string;
  readonly sensitivity: number;
  readonly locale: SignalLocale;
  /** The pattern model at asOf (fitted on first use). */
  model(): PatternModel;
  /** What money measures: margin, or revenue when the view has no unit cost at all ({@link CostBasis}). */
  readonly basis: CostBasis;
  /** Expected gross margin of the next 90 days per customer index (trailing 365 days' margin × 90/365; lines without a cost count 0; revenue on the revenue basis). */
  customerMargin90(): Float64Array;
  /** The responsible rep of a customer index: its account owner, else the rep of its latest order line (undefined when neither is known). */
  owner(c: number): string | undefined;
}

/** @internal The options every detector takes ({@link DetectorOptions}), for the detectors' own option-name lists. */
export const DETECTOR_KEYS: OptionKeys<DetectorOptions> = { asOf: true, model: true, sensitivity: true, locale: true };

/**
 * @internal Checks the options every detector (and detectSignals) takes — asOf, sensitivity,
 * locale, and a model fitted at the same day — and resolves the as-of view once. Returns the
 * options object for the caller's own checks. With `known` (the caller's option names), an
 * unknown option is INVALID_OPTION; undefined when the caller checked the names already (or
 * built the options itself).
 */
export function commonOptions(dataset: Dataset, options: DetectorOptions | undefined, fn: string, known: Readonly<Record<string, true>> | undefined): { o: Record<string, unknown>; asOf: number; asOfText: string; view: Dataset } {
  const o = optionsObject(options, fn, known);
  checkDateLike(o, "asOf", fn);
  checkNumber(o, "sensitivity", 1e-3, 1e3, fn);
  checkEnum(o, "locale", ["en", "he"], fn);
  checkFitted(o, "model", fn, "a PatternModel (fitPatterns; a stored one read back with fromPatternsJSON)", ["customer", "items", "all"]);
  const { asOf, view } = resolveAsOf(dataset, options?.asOf, undefined, fn);
  const asOfText = formatDay(asOf);
  const model = options?.model;
  if (model !== undefined) checkModelFor(model, view, asOfText, fn);
  return { o, asOf, asOfText, view };
}

/** @internal Checks the common detector options (and with `known` the option names, see {@link commonOptions}) and builds the context. */
export function detectorContext(dataset: Dataset, options: DetectorOptions | undefined, fn: string, known: Readonly<Record<string, true>> | undefined): DetectorContext {
  const { asOf, asOfText, view } = commonOptions(dataset, options, fn, known);
  const opts = options ?? {};
  return new Context(view, asOf, asOfText, opts.sensitivity ?? 1, opts.locale ?? "en", opts.model);
}

/**
 * The context as a class: its methods live on one prototype, so code optimized in one call keeps
 * calling the same functions in the next (fresh closures per call made every detector's
 * optimized code deoptimize at its first `ctx.…()` call of the next detection).
 */
class Context implements DetectorContext {
  readonly view: Dataset;
  readonly kpiView: Dataset;
  readonly asOf: number;
  readonly asOfText: string;
  readonly sensitivity: number;
  readonly locale: SignalLocale;
  readonly basis: CostBasis;
  #model: PatternModel | undefined;
  #margins: Float64Array | undefined = undefined;

  constructor(view: Dataset, asOf: number, asOfText: string, sensitivity: number, locale: SignalLocale, model: PatternModel | undefined) {
    this.view = rhythmView(view);
    this.kpiView = view;
    this.asOf = asOf;
    this.asOfText = asOfText;
    this.sensitivity = sensitivity;
    this.locale = locale;
    this.basis = costBasis(this.view);
    this.#model = model;
  }

  model(): PatternModel {
    return (this.#model ??= fitPatterns(this.view, { asOf: this.asOf }));
  }

  customerMargin90(): Float64Array {
    return (this.#margins ??= marginsOf(this.view, this.asOf));
  }

  owner(c: number): string | undefined {
    // (the lines' own order: the rep of the latest purchase line, one rule with the KPIs and tasks)
    const r = ownerRepOf(this.kpiView, c);
    return r >= 0 ? this.view.ids.reps.values[r] : undefined;
  }
}

/** @internal A customer's gross margin per day with lines, days ascending (as customerMargins counts them: returns netted, a line without a cost at 0, revenue on the revenue basis). */
export interface DailyMargins {
  readonly days: Int32Array;
  readonly margins: Float64Array;
}

/**
 * @internal Customer index c's {@link DailyMargins} (one pass over its lines, which are sorted by
 * day). A signal values what it puts at risk on the margin of a year it names (the year before
 * its `since`, or up to the last order), not the year to asOf: that year loses the customer's
 * good weeks as the situation lasts, and an old, larger loss ranked below a new, smaller one (a
 * customer silent over a year was worth 0; a review, 2026-12-07). A case the engine keeps holds
 * this copy, not the view.
 */
export function dailyMargins(view: Dataset, c: number): DailyMargins {
  const { lines } = view;
  const basis = costBasis(view);
  const a = view.customerStart[c]!, b = view.customerEnd[c]!;
  const days = new Int32Array(b - a), margins = new Float64Array(b - a);
  let n = -1, comp = 0;
  for (let i = a; i < b; i++) {
    const cost = costFor(lines.unitCost, i, basis);
    if (!Number.isFinite(cost)) continue;
    const x = lines.quantity[i]! * (lines.unitPrice[i]! - cost);
    const day = lines.day[i]!;
    if (n < 0 || days[n] !== day) {
      if (n >= 0) margins[n]! += comp;
      n++;
      days[n] = day;
      margins[n] = 0;
      comp = 0;
    }
    // Neumaier summation (money)
    const sum = margins[n]!, t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    margins[n] = t;
  }
  if (n >= 0) margins[n]! += comp;
  return { days: days.slice(0, n + 1), margins: margins.slice(0, n + 1) };
}

/** @internal Customer index c's margin of its lines dated in [from, to] (as {@link dailyMargins} counts them), × 90/365, at least 0: one pass, no arrays. */
export function margin90Of(view: Dataset, c: number, from: number, to: number): number {
  const { lines } = view;
  const basis = costBasis(view);
  let sum = 0, comp = 0;
  for (let i = view.customerStart[c]!; i < view.customerEnd[c]!; i++) {
    const day = lines.day[i]!;
    if (day < from || day > to) continue;
    const cost = costFor(lines.unitCost, i, basis);
    if (!Number.isFinite(cost)) continue;
    const x = lines.quantity[i]! * (lines.unitPrice[i]! - cost), t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return Math.max(0, ((sum + comp) * 90) / 365);
}


/** Margins per as-of view: the detectors of one detectSignals run share one view, so one pass. */
const marginCache = new WeakMap<Dataset, { asOf: number; margins: Float64Array }>();

function marginsOf(view: Dataset, asOf: number): Float64Array {
  const hit = marginCache.get(view);
  if (hit !== undefined && hit.asOf === asOf) return hit.margins;
  const margins = customerMargins(view, asOf);
  marginCache.set(view, { asOf, margins });
  return margins;
}

/** Trailing 365-day gross margin × 90/365 per customer (lines without a cost count at 0 margin; revenue on the revenue basis). */
function customerMargins(view: Dataset, asOf: number): Float64Array {
  const out = new Float64Array(view.customerEnd.length);
  for (let c = 0; c < out.length; c++) out[c] = margin90Of(view, c, asOf - 364, asOf);
  return out;
}
