import type { Dataset, Target } from "./data/dataset.ts";
import { rhythmView } from "./data/internal/rhythm-view.ts";
import { checkModelFor } from "./patterns/internal/check-model.ts";
import { OrderpulseError } from "./data/errors.ts";
import { formatDay } from "./data/format-day.ts";
import { checkDateLike, checkEnum, checkFitted, checkInt, checkNumber, checkObject, checkString, optionsObject, type OptionKeys } from "./data/internal/check.ts";
import { resolveAsOf } from "./data/internal/resolve-as-of.ts";
import { computeKpis } from "./kpi/compute-kpis.ts";
import type { KpiRowWithTrend } from "./kpi/kpi-trend.ts";
import { targetPeriodBounds, targetPeriodStart, targetProgressOf } from "./kpi/target-progress.ts";
import { fitPatterns, type FitPatternsOptions, type PatternModel } from "./patterns/fit-patterns.ts";
import { recommend } from "./recommend/recommend.ts";
import type { Offer, OfferKind, RecommendOptions } from "./recommend/types.ts";
import { detectSignals, type DetectSignalsOptions } from "./signals/detect-signals.ts";
import { signalId } from "./signals/internal/format.ts";
import { runsBefore } from "./tasks/internal/runs-before.ts";
import { checkDetectorOptions } from "./signals/internal/run-detectors.ts";
import { selectedTypes } from "./signals/internal/selected-types.ts";
import { SIGNAL_TYPES } from "./signals/signal-types.ts";
import type { Signal } from "./signals/types.ts";
import { businessDays } from "./patterns/internal/customer-calendar.ts";
import { buildFacts, type ItemMargin } from "./tasks/internal/facts.ts";
import { ownerReps } from "./data/internal/owner-reps.ts";
import { trailingMarginRate } from "./kpi/internal/margin-rate.ts";
import { toDateDaysOf } from "./kpi/internal/context.ts";
import { DEFAULT_ACCEPTANCE, DEFAULT_PRECISION, DEFAULT_SAVE_RATE, DEFAULT_WIN_BACK_HALF_LIFE_DAYS, dealValue, offerValue, signalValue, type ValueContext } from "./tasks/internal/value.ts";
import { parseDay } from "./data/parse-day.ts";
import type {
  Analysis,
  AnalysisContent,
  AnalysisDeal,
  AnalysisKpis,
  AnalysisOffer,
  AnalysisPeriod,
  AnalysisProduct,
  AnalysisRep,
  AnalysisTarget,
  AnalyzeOptions,
  CustomerFacts,
  KpiFigure,
  ResolvedValueOptions,
  ValueItem,
} from "./tasks/types.ts";

/** KPIs of the comparison. */
const KPIS = ["revenue", "gross_profit", "margin", "active_customers", "discount_rate"] as const;
const OFFER_KINDS: readonly OfferKind[] = ["cross_sell", "repurchase", "winback", "seasonal"];
const KEYS: OptionKeys<AnalyzeOptions> = {
  asOf: true,
  locale: true,
  repId: true,
  model: true,
  k: true,
  period: true,
  recentDays: true,
  sparkWeeks: true,
  types: true,
  sensitivity: true,
  detectors: true,
  calendar: true,
  calibrate: true,
  value: true,
  asOfInProgress: true,
};
const CUSTOMER_TYPES = new Set(["customer_overdue", "frequency_drop", "diversity_drop", "item_dropped", "item_volume_drop"]);

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Run every stage once, in order, and keep what tasks and briefs need as plain data: KPIs of the
 * last complete period against the one before (company and each rep, account-owner basis),
 * target progress of the running period (when the dataset has targets), the pattern model
 * (fitPatterns, unless given), signals (detectSignals with that model), offers (recommend with
 * that model, `k` per customer, for every customer with a purchase in the year up to asOf), the
 * open deals of the deal-stage model, the facts of every customer that matters (active in the
 * year, or with a signal or a deal) and the value of every signal, offer and deal (docs/tasks.md,
 * "Value model": expected gross margin of the next 12 months, each with its formula and inputs).
 *
 * The result is versioned and JSON-serializable; the same dataset and options give the same
 * bytes (`JSON.stringify`). Hand it to {@link rankTasks} and {@link weeklyBrief}.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, locale (en | he), repId (only that rep's accounts), model, k (default 3),
 *   period (`week` default, `month`, `quarter`), recentDays, sparkWeeks, types, sensitivity,
 *   detectors, calendar, calibrate (of the model fitted when none is given), value (saveRate,
 *   acceptance, precision, marginRate)
 * @returns the analysis
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or a model fitted at another day or on other data (a customer of the data with another last order, or missing)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) { // C1 orders every Monday, then falls silent after 2026-10-05
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `A${w}`, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 5, unit_cost: 3 });
 * }
 * const { dataset } = fromRowsSync({ orders, customers: [{ customer_id: "C1", rep_id: "R1" }] });
 * const analysis = analyze(dataset, { asOf: "2026-11-09" });
 * assert.equal(analysis.version, 1);
 * const churn = analysis.values.find((v) => v.type === "customer_overdue");
 * assert.equal(churn?.formula, "pChurn × yearlyMargin × saveRate × reachable");
 * assert.equal(churn?.inputs.saveRate, 0.3);
 * const text = JSON.stringify(analysis);
 * assert.equal(JSON.stringify(JSON.parse(text)), text); // plain data
 * ```
 */
export function analyze(dataset: Dataset, options?: AnalyzeOptions): Analysis {
  const steps = analyzeSteps(dataset, options);
  let r = steps.next();
  while (!r.done) {
    const step = r.value;
    r = steps.next(
      step.type === "model"
        ? fitPatterns(step.view, step.options)
        : step.type === "awaitModel"
          ? undefined // answered at "model" already
          : { signals: detectSignals(step.view, step.signals), offers: step.offers === undefined ? [] : recommend(step.view, step.offers) },
    );
  }
  return r.value;
}

/**
 * @internal A stage call {@link analyzeSteps} needs: the driver (in-process, or the worker pool)
 * runs it on `view` (or on the dataset with the same asOf) and answers. The model is asked for
 * twice: at "model" the driver answers with it or with undefined (it is being fitted elsewhere:
 * analyze computes the KPIs meanwhile), and at "awaitModel" (only after an undefined) with it.
 */
export type AnalyzeStep =
  | { readonly type: "model"; readonly view: Dataset; readonly options: FitPatternsOptions }
  | { readonly type: "awaitModel" }
  | { readonly type: "stages"; readonly view: Dataset; readonly signals: DetectSignalsOptions; readonly offers: RecommendOptions | undefined };

/** @internal The answer to an {@link AnalyzeStep}: the model (or undefined: later), or the signals and offers. */
export type AnalyzeAnswer = PatternModel | undefined | { readonly signals: readonly Signal[]; readonly offers: readonly Offer[] };

/**
 * @internal analyze as a coroutine: it yields the pattern fit (when no model is given) and then
 * the detectSignals and recommend calls (independent, so a driver may run them at once), and
 * returns the analysis. `analyze` drives it in-process; the worker pool drives it across threads.
 */
export function* analyzeSteps(dataset: Dataset, options?: AnalyzeOptions): Generator<AnalyzeStep, Analysis, AnalyzeAnswer> {
  const fn = "analyze";
  const o = optionsObject(options, fn, KEYS);
  checkDateLike(o, "asOf", fn);
  checkEnum(o, "locale", ["en", "he"], fn);
  checkString(o, "repId", fn);
  checkInt(o, "k", 1, 20, fn);
  checkEnum(o, "period", ["week", "month", "quarter"], fn);
  checkInt(o, "recentDays", 7, 366, fn);
  checkInt(o, "sparkWeeks", 4, 104, fn);
  checkFitted(o, "model", fn, "a PatternModel (fitPatterns; a stored one read back with fromPatternsJSON)", ["customer", "items", "all"]);
  // the options analyze passes on to fitPatterns and detectSignals, checked here: a bad one failed
  // only after the KPIs and the model fit had run, under the other function's name
  checkNumber(o, "sensitivity", 1e-3, 1e3, fn);
  selectedTypes(o["types"], fn);
  checkDetectorOptions(o, fn);
  businessDays(o, fn);
  checkEnum(o, "calibrate", [true, false], fn);
  checkEnum(o, "asOfInProgress", [true, false], fn);
  const vo = checkObject(o, "value", ["saveRate", "acceptance", "precision", "marginRate", "lostAfterDays", "winBackHalfLifeDays"], fn);
  checkInt(vo, "lostAfterDays", 1, 100000, fn, "value.lostAfterDays");
  checkInt(vo, "winBackHalfLifeDays", 1, 100000, fn, "value.winBackHalfLifeDays");
  checkNumber(vo, "saveRate", 0, 1, fn, "value.saveRate");
  checkNumber(vo, "marginRate", 0, 1, fn, "value.marginRate");
  const acc = checkObject(vo, "acceptance", OFFER_KINDS, fn, "value.acceptance");
  for (const k of OFFER_KINDS) checkNumber(acc, k, 0, 1, fn, `value.acceptance.${k}`);
  const prec = vo.precision;
  if (prec !== undefined && (typeof prec !== "object" || prec === null || Array.isArray(prec))) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option value.precision: expected an object`, { option: "value.precision", value: prec });
  }
  for (const [k, v] of Object.entries((prec ?? {}) as Record<string, unknown>)) {
    if (v === undefined) continue; // (as an option set to undefined anywhere)
    // a signal type's precision: a misspelled one was ignored, the default left in place
    if (!(SIGNAL_TYPES as readonly string[]).includes(k)) throw new OrderpulseError("INVALID_OPTION", `${fn}: no such option value.precision.${k} (signal types: ${SIGNAL_TYPES.join(", ")})`, { option: `value.precision.${k}` });
    checkNumber({ [k]: v }, k, 0, 1, fn, `value.precision.${k}`);
  }
  const opts = (options ?? {}) as AnalyzeOptions;
  const locale = opts.locale ?? "en";
  // the facts' recent window, also returned with the analysis (rankTasks checks its previous ranking against it)
  const recentDays = opts.recentDays ?? 42;
  const { asOf, view } = resolveAsOf(dataset, opts.asOf, undefined, fn);
  const asOfText = formatDay(asOf);
  let model: PatternModel | undefined;
  if (opts.model !== undefined) {
    checkModelFor(opts.model, view, asOfText, fn);
    model = opts.model;
  } else model = (yield { type: "model", view, options: { asOf, calendar: opts.calendar, ...(opts.calibrate !== undefined ? { calibrate: opts.calibrate } : {}), ...(opts.asOfInProgress === true ? { asOfInProgress: true } : {}) } }) as PatternModel | undefined;
  const ids = view.ids;
  const owner = ownerReps(view);
  const repOf = (c: number): string | null => (owner[c]! >= 0 ? ids.reps.values[owner[c]!]! : null);
  const repFilter = opts.repId;
  const mine = (c: number): boolean => repFilter === undefined || repOf(c) === repFilter;

  // value-model settings
  const measured = trailingMarginRate(view, asOf);
  const marginRate = opts.value?.marginRate ?? measured ?? 1;
  const valueOptions: ResolvedValueOptions = {
    saveRate: opts.value?.saveRate ?? DEFAULT_SAVE_RATE,
    acceptance: { ...DEFAULT_ACCEPTANCE, ...(opts.value?.acceptance ?? {}) },
    precision: { ...DEFAULT_PRECISION, ...(opts.value?.precision ?? {}) },
    marginRate,
    marginRateSource: opts.value?.marginRate !== undefined ? "option" : measured !== undefined ? "data" : "none",
    lostAfterDays: opts.value?.lostAfterDays ?? 365,
    winBackHalfLifeDays: opts.value?.winBackHalfLifeDays ?? DEFAULT_WIN_BACK_HALF_LIFE_DAYS,
  };

  // KPIs and targets
  const open = opts.asOfInProgress === true;
  const kpis = kpiComparison(view, asOf, opts.period ?? "week", measured !== undefined, open);
  const targets = currentTargets(view, asOf, open);

  // signals and offers (offers: `k` per customer active in the year up to asOf), asked at once
  const active: number[] = [];
  const { day, isReturn } = view.lines;
  for (let c = 0; c < ids.customers.size; c++) {
    if (!mine(c)) continue;
    for (let i = view.customerEnd[c]! - 1; i >= view.customerStart[c]!; i--) {
      if (day[i]! <= asOf - 365) break;
      if (!isReturn[i]) {
        active.push(c);
        break;
      }
    }
  }
  const k = opts.k ?? 3;
  // nothing above needs the model: a driver that fits elsewhere has had the KPIs' time for it
  if (model === undefined) model = (yield { type: "awaitModel" }) as PatternModel;
  const answer = (yield {
    type: "stages",
    view,
    // (an as-of day in progress: kpi_drop leaves the week ending on it out, as the KPI comparison does)
    signals: { asOf, model, locale, types: opts.types, sensitivity: opts.sensitivity, detectors: opts.detectors, ...(open ? { asOfInProgress: true } : {}) },
    offers: active.length === 0 ? undefined : { asOf, model, k, locale, customerIds: active.map((c) => ids.customers.values[c]!) },
  }) as { readonly signals: readonly Signal[]; readonly offers: readonly Offer[] };
  const all = answer.signals;
  const rawOffers = answer.offers;
  const signals: Signal[] = [];
  for (const s of all) {
    if (repFilter !== undefined) {
      if (s.customerId !== undefined) {
        const c = ids.customers.indexOf(s.customerId);
        if (c < 0 || !mine(c)) continue;
      } else if (s.repId !== repFilter) continue; // (a segment's or the company's signal is no rep's account, as in detectSignals({ repId }))
    }
    signals.push(s);
  }

  // open deals with an amount
  const dealsModel = model.deals();
  const stageRow = new Map<string, { win: number | undefined; typical: number }>();
  for (const r of dealsModel.stages) stageRow.set(`${r.stage}|${r.repId ?? ""}`, { win: r.winProbability, typical: r.typicalDays });
  // (every open deal values the signals that name it: a rep's stall on another rep's customer
  // kept its signal but lost that deal from its value; the list holds the rep's customers' deals)
  const deals: AnalysisDeal[] = [];
  const allDeals: AnalysisDeal[] = [];
  for (const d of dealsModel.open) {
    if (d.status !== "open" || d.amount === undefined || !Number.isFinite(d.amount)) continue;
    const c = ids.customers.indexOf(d.customerId);
    // a customer without an account owner (a prospect: deal events only) is the deal's rep's to
    // work, as rankTasks assigns it (until 2026-12-07 only a customer id unknown to the data was:
    // deal events put every prospect in it, and a rep's own analysis lost its prospects' deals)
    const listed = repFilter === undefined || (c < 0 || owner[c]! < 0 ? d.repId === repFilter : mine(c));
    const row = (d.repId !== undefined ? stageRow.get(`${d.stage}|${d.repId}`) : undefined) ?? stageRow.get(`${d.stage}|`);
    const deal: AnalysisDeal = {
      dealId: d.dealId,
      customerId: d.customerId,
      repId: d.repId,
      stage: d.stage,
      daysInStage: d.daysInStage,
      typicalDays: row?.typical,
      amount: d.amount,
      stageWinProbability: row?.win,
      winProbability: d.winProbability,
    };
    allDeals.push(deal);
    if (listed) deals.push(deal);
  }
  deals.sort((a, b) => byId(a.dealId, b.dealId));

  // the customers that matter
  const matter = new Set<number>(active);
  const wantedItems = new Map<number, Set<number>>();
  for (const s of signals) {
    if (s.customerId === undefined) continue;
    const c = ids.customers.indexOf(s.customerId);
    if (c < 0) continue;
    matter.add(c);
    if (s.productId !== undefined) {
      const p = ids.products.indexOf(s.productId);
      if (p >= 0) {
        let set = wantedItems.get(c);
        if (!set) wantedItems.set(c, (set = new Set()));
        set.add(p);
      }
    }
  }
  for (const d of deals) {
    const c = ids.customers.indexOf(d.customerId);
    if (c >= 0) matter.add(c);
  }

  // offers
  const offers: AnalysisOffer[] = rawOffers.map((x) => ({
    // (each part's ':' escaped as in signal ids: customer "A" with product "B:C" and customer "A:B"
    // with product "C" shared one id, one's offer shown in the other's task; a review)
    id: signalId("offer", x.customerId, x.productId),
    customerId: x.customerId,
    productId: x.productId,
    kind: x.kind,
    score: x.score,
    suggestedPrice: x.suggestedPrice,
    listPrice: Number.isFinite(x.listPrice) ? x.listPrice : null,
    quantity: x.quantity,
    expectedMargin: Number.isFinite(x.expectedMargin) ? x.expectedMargin : null,
    marginRate: Number.isFinite(x.marginRate) ? x.marginRate : null,
    because: [...x.because.productIds],
    // (the counts and parameters the message cites: an analysis offer kept only the product ids
    // and the code, so "expected in 71% of orders ... margin 16%" had no field behind it)
    evidence: x.because,
    reasonCode: x.reason.code,
    reason: x.reason,
    message: x.message,
  }));
  offers.sort((a, b) => byId(a.customerId, b.customerId) || b.score - a.score || byId(a.productId, b.productId));

  // facts
  // (on purchase days, as the model and the signals: an order delivered in parts is one purchase,
  // its last order the day it started; the owner above stays the lines' own)
  const { facts, items } = buildFacts(rhythmView(view), model, owner, [...matter], wantedItems, {
    asOf,
    marginRate,
    recentDays,
    sparkWeeks: opts.sparkWeeks ?? 26,
    lostAfterDays: valueOptions.lostAfterDays,
  });
  const factIndex = new Map<string, CustomerFacts>(facts.map((f) => [f.customerId, f]));

  // peer inclusion of offered products (cross-sell, seasonal, win-back without own rhythm)
  const offered = new Set(offers.map((x) => x.productId));
  const inclusionSum = new Map<string, { s: number; n: number }>();
  for (const r of model.all()) {
    for (const it of model.items(r.customerId)) {
      if (!offered.has(it.productId)) continue;
      let acc = inclusionSum.get(it.productId);
      if (!acc) inclusionSum.set(it.productId, (acc = { s: 0, n: 0 }));
      acc.s += it.inclusion;
      acc.n++;
    }
  }
  const dealIndex = new Map(allDeals.map((d) => [d.dealId, d]));
  const ctx: ValueContext = {
    options: valueOptions,
    customer: (id) => factIndex.get(id),
    itemMargin: (c, p): ItemMargin | undefined => items.get(`${ids.customers.indexOf(c)}:${p}`),
    ownInclusion: (c, p) => model.item(c, p)?.inclusion,
    peerInclusion: (p) => {
      const a = inclusionSum.get(p);
      return a && a.n > 0 ? a.s / a.n : undefined;
    },
    deal: (id) => dealIndex.get(id),
  };
  const values: ValueItem[] = [];
  for (const s of signals) values.push(signalValue(s, ctx));
  for (const x of offers) values.push(offerValue(x, ctx));
  for (const d of deals) values.push(dealValue(d, valueOptions));
  values.sort((a, b) => b.value - a.value || byId(a.id, b.id));

  // products and content
  const productIds = new Set<string>();
  for (const s of signals) if (s.productId !== undefined) productIds.add(s.productId);
  for (const x of offers) {
    productIds.add(x.productId);
    for (const b of x.because) productIds.add(b);
  }
  const products: AnalysisProduct[] = [...productIds].sort(byId).map((pid) => {
    const p = ids.products.indexOf(pid);
    const fam = p >= 0 ? (view.products.family[p] ?? -1) : -1;
    return { productId: pid, name: p >= 0 ? view.products.name[p] : undefined, family: fam >= 0 ? ids.families.values[fam] : undefined };
  });
  const content: AnalysisContent[] = view.content
    .map((x) => ({
      contentId: x.contentId,
      title: x.title,
      url: x.url,
      productId: x.product >= 0 ? ids.products.values[x.product] : undefined,
      family: x.family,
      segment: x.segment,
      kind: x.kind,
    }))
    .sort((a, b) => byId(a.contentId, b.contentId));

  const reps: AnalysisRep[] = [];
  const listed = visibleReps(view, asOf);
  for (let r = 0; r < ids.reps.size; r++) {
    if (listed[r] === 0) continue;
    const m = view.reps.manager[r] ?? -1;
    reps.push({ repId: ids.reps.values[r]!, name: view.reps.name[r], managerId: m >= 0 ? ids.reps.values[m] : undefined });
  }

  return {
    version: 1,
    asOf: asOfText,
    locale,
    currency: view.currency,
    repId: repFilter,
    recentDays,
    signalTypes: selectedTypes(opts.types, fn),
    valueOptions,
    kpis,
    targets,
    reps,
    customers: facts,
    products,
    content,
    signals: signals.filter((s) => s.customerId === undefined || !CUSTOMER_TYPES.has(s.type) || factIndex.has(s.customerId)),
    offers,
    deals,
    values,
  };
}

/**
 * KPIs of the last complete period and the one before, for the company and every rep; without
 * costs in the data (`hasCosts` false) gross profit and margin are not measured (undefined, not 0).
 */
function kpiComparison(view: Dataset, asOf: number, period: AnalysisPeriod, hasCosts: boolean, open: boolean): AnalysisKpis {
  if (view.visibleLines === 0) return { period, current: undefined, previous: undefined, company: [], reps: [] };
  // whole periods only (the brief reports the last complete one): no like-for-like pass (with an
  // as-of day still in progress, the period ending on it is not complete either)
  const base = { asOf, period, periods: 3, kpis: KPIS, slopePeriods: 2, toDate: false, asOfInProgress: open } as const;
  const company = computeKpis(view, { ...base, by: "company" });
  const byRep = computeKpis(view, { ...base, by: "rep" });
  // the last complete period: the latest start among rows that are not partial
  const starts = [...new Set((company.kpis.revenue ?? []).filter((r) => !r.partial).map((r) => r.start))].sort();
  const cur = starts[starts.length - 1];
  const prev = starts[starts.length - 2];
  const ref = (start: string | undefined): { label: string; start: string; end: string } | undefined => {
    const r = start === undefined ? undefined : (company.kpis.revenue ?? []).find((x) => x.start === start);
    return r ? { label: r.period, start: r.start, end: r.end } : undefined;
  };
  const figures = (rows: Readonly<Record<string, readonly KpiRowWithTrend[]>>, rep: boolean): KpiFigure[] => {
    const out: KpiFigure[] = [];
    const keys = new Set<string>();
    for (const name of KPIS) for (const r of rows[name] ?? []) if (rep && typeof r.key === "string") keys.add(r.key);
    const groups: (string | null)[] = rep ? [...keys].sort(byId) : [null];
    // each KPI's rows by start and group, built once: a linear search per rep and KPI made this
    // quadratic in the number of reps. The first row of a start and group is kept (as a search
    // from the front found it); the company's rows are looked up by start alone. A start is a
    // `YYYY-MM-DD` day, so "start|key" is unambiguous whatever the rep id holds.
    const index = new Map<string, Map<string, KpiRowWithTrend>>();
    for (const name of KPIS) {
      const m = new Map<string, KpiRowWithTrend>();
      for (const r of rows[name] ?? []) {
        if (rep && typeof r.key !== "string") continue;
        const k = rep ? `${r.start}|${r.key as string}` : r.start;
        if (!m.has(k)) m.set(k, r);
      }
      index.set(name, m);
    }
    for (const g of groups) {
      for (const name of KPIS) {
        const find = (start: string | undefined): KpiRowWithTrend | undefined => (start === undefined ? undefined : index.get(name)!.get(rep ? `${start}|${g!}` : start));
        const measured = hasCosts || (name !== "gross_profit" && name !== "margin");
        const c = measured ? find(cur) : undefined, p = measured ? find(prev) : undefined;
        const current = c?.value, previous = p?.value;
        const change = current !== undefined && previous !== undefined ? current - previous : undefined;
        const changePct = change !== undefined && previous !== undefined && previous !== 0 ? change / Math.abs(previous) : undefined;
        const figure: KpiFigure = { kpi: name, repId: g, current, previous, change, changePct };
        const parts = ratioParts(name, c, p);
        out.push(parts ? { ...figure, parts } : figure);
      }
    }
    return out;
  };
  return { period, current: ref(cur), previous: ref(prev), company: figures(company.kpis, false), reps: figures(byRep.kpis, true) };
}

function ratioParts(name: string, c: KpiRowWithTrend | undefined, p: KpiRowWithTrend | undefined): KpiFigure["parts"] | undefined {
  const pick = (r: KpiRowWithTrend | undefined): [number, number] => {
    if (!r) return [0, 0];
    const x = r as unknown as Record<string, number>;
    if (name === "margin") return [(x.costedRevenue ?? 0) - (x.cost ?? 0), x.costedRevenue ?? 0];
    return [x.numerator ?? 0, x.denominator ?? 0];
  };
  if (name !== "margin" && name !== "discount_rate") return undefined;
  const [n, d] = pick(c), [pn, pd] = pick(p);
  return { numerator: n, denominator: d, previousNumerator: pn, previousDenominator: pd };
}

/**
 * Per rep and KPI, the target of the latest period starting on or before asOf; of periods
 * starting the same day, the shortest one still running at asOf (the one that ended last when
 * all have ended).
 */
function currentTargets(view: Dataset, asOf: number, open: boolean): AnalysisTarget[] {
  if (view.targets.length === 0) return [];
  const asOfText = formatDay(asOf);
  // each rep and KPI's latest target period that has started: only those are computed
  // (targetProgress over every target computes years of monthly KPIs). Periods starting the same
  // day (the year 2026, its first quarter and January all start on 1 January) go to the shorter
  // one, as the manager brief picks among its reps' targets: January's sales are not read against
  // the year's target. A period that has ended does not beat one still running, whatever the
  // starts: in February the quarter (the year, without a quarterly one) is the running target,
  // not January (runsBefore). Of equal periods the first is kept.
  const chosen = new Map<string, { start: number; end: number; target: Target }>();
  for (const t of view.targets) {
    const bounds = targetPeriodBounds(t.period);
    if (bounds === undefined || bounds.start > asOf) continue;
    const { start, end } = bounds;
    const key = `${t.rep}|${t.kpi}`;
    const had = chosen.get(key);
    if (had === undefined || runsBefore({ start, end }, had, asOf)) chosen.set(key, { start, end, target: t });
  }
  const current = view.targets.filter((t) => chosen.get(`${t.rep}|${t.kpi}`)?.target === t);
  const latest = new Map<string, AnalysisTarget>();
  const first = view.dayRange?.first;
  for (const r of targetProgressOf(view, current, { asOf })) {
    if (r.start === undefined || r.end === undefined || r.start > asOfText) continue;
    const key = `${r.repId}|${r.kpi}`;
    const had = latest.get(key);
    // the same rule on the days' texts (`YYYY-MM-DD` sorts as the day does)
    if (had && !runsBefore({ start: r.start, end: r.end }, had, asOfText)) continue;
    const span = parseDay(r.end) - parseDay(r.start) + 1;
    // (an as-of day still in progress: the days the data speak for, as the actual counts them;
    // today counted as gone read a rep one day behind with last night's export)
    const done = Math.min(span, open ? Math.max(0, toDateDaysOf(view, asOf, parseDay(r.start))) : asOf - parseDay(r.start) + 1);
    // (the data begin inside the period: its actual misses the days before; self-review 2026-12-07,
    // a March exported from the 20th read "40% with 100% of 2026-03 gone" unmarked)
    const dataFrom = first !== undefined && first > parseDay(r.start) ? formatDay(first) : undefined;
    latest.set(key, { repId: r.repId, period: r.period, kpi: r.kpi, actual: r.actual, target: r.target, progress: r.progress, elapsed: done / span, start: r.start, end: r.end, status: r.status, ...(dataFrom !== undefined ? { dataFrom } : {}) });
  }
  return [...latest.values()].sort((a, b) => byId(a.repId, b.repId) || byId(a.kpi, b.kpi));
}

/**
 * The reps an as-of view shows (1): those in reps.csv, account owners, reps on its visible lines,
 * deal events and targets of periods begun by asOf (as currentTargets reads them), and the managers
 * above them. The rep dictionary also holds reps seen only on lines or deal events after asOf, or
 * on targets of later periods, which must not appear (as-of monotonicity).
 */
function visibleReps(view: Dataset, asOf: number): Uint8Array {
  const { ids, reps, customers, lines, dealEvents } = view;
  const out = new Uint8Array(ids.reps.size);
  const mark = (r: number | undefined): void => {
    if (r !== undefined && r >= 0) out[r] = 1;
  };
  for (let r = 0; r < out.length; r++) if (reps.known[r]) out[r] = 1;
  for (let c = 0; c < ids.customers.size; c++) {
    mark(customers.rep[c]);
    for (let i = view.customerStart[c]!; i < view.customerEnd[c]!; i++) mark(lines.rep[i]);
  }
  for (let e = 0; e < dealEvents.length; e++) mark(dealEvents.rep[e]);
  for (const t of view.targets) {
    const start = targetPeriodStart(t.period);
    if (start !== undefined && start <= asOf) mark(t.rep);
  }
  // managers of listed reps, up the chain (a manager known only as manager_id)
  for (let changed = true; changed; ) {
    changed = false;
    for (let r = 0; r < out.length; r++) {
      const m = reps.manager[r] ?? -1;
      if (out[r] && m >= 0 && !out[m]) {
        out[m] = 1;
        changed = true;
      }
    }
  }
  return out;
}
