import { CompensatedSum as Sum } from "../../data/internal/compensated-sum.ts";
import type { Signal } from "../../signals/types.ts";
import { percentOf } from "../../data/internal/shown-round.ts";
import { quantity } from "../../signals/internal/format.ts";
import { formatQuantity } from "./format-locale.ts";
import { shownChanceFell } from "./value.ts";
import { moneyText, numText, say } from "../messages.ts";
import { priceDecimalsOf } from "../../recommend/internal/price.ts";
import type {
  Analysis,
  AnalysisContent,
  AnalysisOffer,
  AnalysisProduct,
  CustomerFacts,
  Task,
  TaskAction,
  TaskCandidate,
  TaskComponent,
  TaskContent,
  TaskKind,
  TaskLocale,
  TaskText,
  ValueItem,
} from "../types.ts";

/** @internal Signal types that make customer tasks. */
export const CUSTOMER_SIGNALS: ReadonlySet<string> = new Set(["customer_overdue", "frequency_drop", "diversity_drop", "item_dropped", "item_volume_drop"]);
const CHURN = new Set(["customer_overdue", "frequency_drop", "diversity_drop"]);
const ITEM = new Set(["item_dropped", "item_volume_drop"]);

/** @internal Order of components: value descending, then id. */
export const byValue = (a: { value: number; id: string }, b: { value: number; id: string }): number => b.value - a.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** @internal The task kind a value item belongs to. */
export function kindOf(type: string): TaskKind {
  if (CHURN.has(type)) return "churn";
  if (ITEM.has(type)) return "item";
  if (type === "deal") return "pipeline";
  if (type === "cross_sell" || type === "seasonal") return "cross_sell";
  return "reorder";
}

/** @internal Lookups over an analysis, built once per call. */
export interface AnalysisIndex {
  readonly customers: ReadonlyMap<string, CustomerFacts>;
  readonly signals: ReadonlyMap<string, Signal>;
  readonly offers: ReadonlyMap<string, AnalysisOffer>;
  readonly products: ReadonlyMap<string, AnalysisProduct>;
  readonly values: ReadonlyMap<string, ValueItem>;
  readonly deals: ReadonlyMap<string, Analysis["deals"][number]>;
  /** Value items per customer (customer-level signals, offers, deals), any order. */
  readonly byCustomer: ReadonlyMap<string, ValueItem[]>;
  readonly content: readonly AnalysisContent[];
  /** What values measure: gross margin, or revenue when the data has no costs (`marginRateSource` "none"). */
  readonly valueBasis: "margin" | "revenue";
  /** The analysis's currency (money in the task texts carries it), when known. */
  readonly currency: string | undefined;
}

const indexCache = new WeakMap<Analysis, AnalysisIndex>();

/** @internal What an analysis's values measure: gross margin, or revenue when it had no costs to measure a margin rate from and none was given. */
export function valueBasis(a: Analysis): "margin" | "revenue" {
  return a.valueOptions.marginRateSource === "none" ? "revenue" : "margin";
}

/** @internal Index an analysis (cached per analysis object: analyses are treated as immutable). */
export function indexAnalysis(a: Analysis): AnalysisIndex {
  let ix = indexCache.get(a);
  if (!ix) indexCache.set(a, (ix = buildIndex(a)));
  return ix;
}

function buildIndex(a: Analysis): AnalysisIndex {
  const values = new Map<string, ValueItem>();
  const byCustomer = new Map<string, ValueItem[]>();
  const signals = new Map(a.signals.map((s) => [s.id, s]));
  for (const v of a.values) {
    values.set(v.id, v);
    if (v.customerId === undefined) continue;
    if (v.source === "signal" && !CUSTOMER_SIGNALS.has(v.type)) continue;
    let list = byCustomer.get(v.customerId);
    if (!list) byCustomer.set(v.customerId, (list = []));
    list.push(v);
  }
  return {
    customers: new Map(a.customers.map((c) => [c.customerId, c])),
    signals,
    offers: new Map(a.offers.map((o) => [o.id, o])),
    products: new Map(a.products.map((p) => [p.productId, p])),
    values,
    deals: new Map(a.deals.map((d) => [`deal:${d.dealId}`, d])),
    byCustomer,
    content: [...a.content].sort((x, y) => (x.contentId < y.contentId ? -1 : x.contentId > y.contentId ? 1 : 0)),
    valueBasis: valueBasis(a),
    currency: a.currency,
  };
}

/** @internal Settings of candidate building. */
export interface BuildSettings {
  readonly locale: TaskLocale;
  readonly asOf: string;
  readonly maxContent: number;
  /** Signal / offer / deal ids to leave out (acknowledged or snoozed). */
  readonly hidden: ReadonlySet<string>;
}

/**
 * @internal Merge one customer's valued parts into a task (docs/tasks.md, "One task per customer"):
 * risk = the largest churn part or the sum of the item parts, whichever is larger; offers for a
 * product already in an item part are not counted again; deals add up.
 */
export function buildTask(customerId: string, parts: readonly ValueItem[], ix: AnalysisIndex, s: BuildSettings): Candidate | undefined {
  // (a deal part's id is `deal:<dealId>`; the deal id alone, the one a rep sees, hides it too:
  // acknowledging "D08" did nothing; a review)
  const visible = parts.filter((p) => !s.hidden.has(p.id) && !(p.id.startsWith("deal:") && s.hidden.has(p.id.slice(5)))).sort(byValue);
  if (visible.length === 0) return undefined;
  const churn = visible.filter((p) => CHURN.has(p.type));
  const items = visible.filter((p) => ITEM.has(p.type));
  const churnMax = churn[0]?.value ?? 0;
  let itemSum = 0;
  for (const p of items) itemSum += p.value;
  const counted = new Set<string>();
  // a part worth nothing (a churn valued 0: a customer lost long ago, a save rate of 0) is no
  // risk: it must not turn an offers-only task into a call
  if (churn[0] && churnMax > 0 && churnMax >= itemSum) counted.add(churn[0].id);
  else for (const p of items) if (p.value > 0) counted.add(p.id);
  const itemProducts = new Set(items.map((p) => p.productId));
  for (const p of visible) {
    if (p.source === "deal") counted.add(p.id);
    if (p.source === "offer" && !itemProducts.has(p.productId)) counted.add(p.id);
  }
  const components: TaskComponent[] = visible.map((p) => ({ ...p, counted: counted.has(p.id) }));
  // money: compensated sums, as everywhere
  const total = new Sum();
  const byKind = new Map<TaskKind, number>();
  for (const c of components) {
    if (!c.counted) continue;
    total.add(c.value);
    const k = kindOf(c.type);
    byKind.set(k, (byKind.get(k) ?? 0) + c.value);
  }
  const value = total.value;
  if (!(value > 0)) return undefined;
  let kind: TaskKind = "reorder", best = -1;
  for (const k of ["churn", "item", "pipeline", "cross_sell", "reorder"] as const) {
    const v = byKind.get(k) ?? -1;
    if (v > best) {
      best = v;
      kind = k;
    }
  }
  const facts = ix.customers.get(customerId);
  const offers = components
    .filter((c) => c.source === "offer")
    .map((c) => {
      const o = ix.offers.get(c.id)!;
      const prod = ix.products.get(o.productId);
      return { id: o.id, productId: o.productId, productName: prod?.name, family: prod?.family, kind: o.kind, suggestedPrice: o.suggestedPrice, listPrice: o.listPrice, quantity: o.quantity, value: c.value };
    });
  const signals = components
    .filter((c) => c.source === "signal")
    .map((c) => {
      const sig = ix.signals.get(c.id)!;
      return { id: sig.id, type: sig.type, since: sig.since, productId: sig.productId, value: c.value, severity: sig.severity };
    });
  const deals = components
    .filter((c) => c.source === "deal")
    .map((c) => {
      const d = ix.deals.get(c.id)!;
      return { dealId: d.dealId, stage: d.stage, daysInStage: d.daysInStage, amount: d.amount, value: c.value };
    });
  // a customer with neither an owner nor a rep on its lines (a prospect) but with open deals: the
  // rep of its most valuable deal works it (its task was "Unassigned", in the company brief only)
  let dealRep: string | undefined, dealValue = -Infinity;
  if (facts?.repId === undefined || facts.repId === null) {
    for (const c of components) {
      const r = c.source === "deal" ? ix.deals.get(c.id)?.repId : undefined;
      if (r !== undefined && c.value > dealValue) (dealRep = r), (dealValue = c.value);
    }
  }
  return {
    id: `task:${customerId}`,
    repId: facts?.repId ?? dealRep ?? null,
    customerId,
    customerName: facts?.name,
    segment: facts?.segment,
    kind,
    value,
    priority: value,
    rank: 0,
    status: "new",
    firstShown: s.asOf,
    offers,
    signals,
    deals,
    components,
    boostedBy: [],
    hasRisk: isRiskTask(components, value),
  };
}

/**
 * Share of a task's value its counted risk parts (churn, item, deal) must reach for the task to be
 * a risk (a call or a visit, follow-through by any order): the default relative floor of a rep's
 * list. A deal worth 0.028 (a win chance 1e-5 below its stage's, floating noise in others) beside
 * offers worth 383 made an offers-only "Reorder due" task a visit until 2026-12-07.
 */
const MATERIAL_RISK_SHARE = 0.05;

/**
 * @internal Whether a task is a risk: its counted risk parts (churn, item, deal) make at least
 * {@link MATERIAL_RISK_SHARE} of its value (the action, and "done" in the follow-through, follow).
 */
export function isRiskTask(components: readonly TaskComponent[], value: number): boolean {
  let risk = 0;
  for (const c of components) if (c.counted && c.value > 0 && (CHURN.has(c.type) || ITEM.has(c.type) || c.source === "deal")) risk += c.value;
  return value > 0 && risk >= MATERIAL_RISK_SHARE * value;
}

/**
 * @internal What would settle a task's counted risks: an order for an overdue customer, the
 * product bought again for a dropped item, the deal moving for a deal. A slowdown, a narrower
 * basket and a smaller volume are situations of a customer still ordering (still buying the
 * item), so an order does not settle them: they are `standing`, settled when their signal is gone.
 */
export function riskParts(components: readonly TaskComponent[]): { customer: boolean; items: Set<string>; standing: { type: string; productId: string | undefined }[]; deals: boolean } {
  const out = { customer: false, items: new Set<string>(), standing: [] as { type: string; productId: string | undefined }[], deals: false };
  for (const c of components) {
    if (!c.counted || !(c.value > 0)) continue;
    if (c.type === "customer_overdue") out.customer = true;
    else if (c.type === "item_dropped" && c.productId !== undefined) out.items.add(c.productId);
    else if (CHURN.has(c.type) || (c.type === "item_volume_drop" && c.productId !== undefined)) out.standing.push({ type: c.type, productId: c.productId });
    else if (c.source === "deal") out.deals = true;
  }
  return out;
}

/** @internal A candidate task before its texts: what ranking and host rules see, with whether it holds a risk. */
export type Candidate = TaskCandidate & { readonly hasRisk: boolean };

/** @internal Fill in a ranked candidate's texts: talking points (largest parts first, at most 4), content, actions. */
export function finishTask(c: Candidate, rank: number, ix: AnalysisIndex, s: BuildSettings, highValue: number): Task {
  const { hasRisk, ...task } = c;
  const talkingPoints: TaskText[] = [];
  for (const comp of task.components) {
    if (talkingPoints.length >= 4) break;
    const tp = talkingPoint(comp, ix, s.locale);
    if (tp) talkingPoints.push(tp);
  }
  const content = contentFor(task.offers, task.signals, task.segment, ix, s.maxContent);
  return { ...task, rank, talkingPoints, content, actions: actionsFor({ value: task.value, content }, hasRisk, highValue, s.locale, ix.valueBasis, ix.currency) };
}

/** @internal The suggested actions (docs/tasks.md, "Suggested action"). */
export function actionsFor(task: Pick<Task, "value" | "content">, hasRisk: boolean, highValue: number, locale: TaskLocale, basis: "margin" | "revenue", currency: string | undefined): TaskAction[] {
  const high = task.value >= highValue;
  const value = moneyText(locale, task.value, 0, currency);
  const out: TaskAction[] = [];
  const titles = task.content.map((c) => c.title).join(", ");
  const act = (type: TaskAction["type"], code: string, params: Record<string, string | number>): TaskAction => ({ type, code, params, text: say(locale, code, params) });
  if (hasRisk ? high : false) out.push(act("visit", basis === "revenue" ? "action.visit_revenue" : "action.visit", { value }));
  else if (hasRisk || high) out.push(act("call", "action.call", {}));
  else out.push(act("email", task.content.length > 0 ? "action.email_content" : "action.email", task.content.length > 0 ? { titles } : {}));
  if (out[0]!.type !== "email" && task.content.length > 0) out.push(act("email", "action.email_content", { titles }));
  return out;
}

function productLabel(ix: AnalysisIndex, id: string | undefined): string {
  if (id === undefined) return "?";
  return ix.products.get(id)?.name ?? id;
}

function talkingPoint(c: TaskComponent, ix: AnalysisIndex, locale: TaskLocale): TaskText | undefined {
  const t = (code: string, params: Record<string, string | number>): TaskText => ({ code, params, text: say(locale, code, params) });
  const money = (x: number, d = 0): string => moneyText(locale, x, d, ix.currency);
  if (c.source === "signal") {
    const sig = ix.signals.get(c.id);
    if (!sig) return undefined;
    // (read by name, as the message parameters are: an analysis read back from JSON may be older)
    const e: Readonly<Record<string, number | string>> = sig.evidence;
    const n = (k: string): number => (typeof e[k] === "number" ? (e[k] as number) : Number.NaN);
    // a number the signal's message shows: its reason's (rounded as the message is), else the
    // evidence's (the evidence's 6.5 re-rounded read "every 7 days" beside the message's 6)
    const shown = (k: string): number => (typeof sig.reason.params[k] === "number" ? (sig.reason.params[k] as number) : n(k));
    switch (sig.type) {
      case "customer_overdue": {
        // the customer's yearly margin at risk, P(churn) × yearly margin: the task's value also
        // counts the save rate (what acting is expected to keep), which is not what the customer is worth
        const { pChurn, yearlyMargin } = c.inputs;
        const atRisk = pChurn !== undefined && yearlyMargin !== undefined ? pChurn * yearlyMargin : c.value;
        // a changed rhythm: the recent gap the signal's message names too ("lately every 11")
        const recent = shown("recentGapDays");
        const basis = ix.valueBasis === "revenue" ? "_revenue" : "";
        const common = { days: numText(shown("daysSinceLast"), 0), gap: numText(shown("meanGapDays"), 0) };
        if (Number.isFinite(recent)) return t(`tp.customer_overdue${basis}_lately`, { ...common, recent: numText(recent, 0), value: money(atRisk) });
        return t(`tp.customer_overdue${basis}`, { ...common, value: money(atRisk) });
      }
      case "frequency_drop":
        return t("tp.frequency_drop", { after: numText(shown("gapAfterDays"), 0), before: numText(shown("gapBeforeDays"), 0), since: sig.since });
      case "diversity_drop":
        return t(numText(shown("recentProducts")) === "1" ? "tp.diversity_drop_one" : "tp.diversity_drop", { recent: numText(shown("recentProducts")), usual: numText(shown("usualProducts")), since: sig.since });
      case "item_dropped": {
        // the signal's message's share, the orders that held it (itemOrders of ordersBefore): the
        // test's smoothed inclusionBefore read 98 % beside the signal's 100 % (a review); a signal
        // stored before ordersBefore was in the evidence keeps the smoothed figure
        const orders = n("ordersBefore"), held = n("itemOrders");
        const share = orders > 0 && Number.isFinite(held) ? held / orders : n("inclusionBefore");
        return t("tp.item_dropped", { product: productLabel(ix, sig.productId), share: String(percentOf(share)), last: String(sig.reason.params.lastBought ?? sig.since) });
      }
      case "item_volume_drop":
        // the season- and trend-adjusted expectation (the signal's message), else the old median
        return t("tp.item_volume_drop", { product: productLabel(ix, sig.productId), recent: quantity(n("recentQuantity")), usual: quantity(Number.isFinite(n("expectedQuantity")) ? n("expectedQuantity") : n("usualQuantity")) });
      default:
        return t("tp.signal", { message: sig.message });
    }
  }
  if (c.source === "offer") {
    const o = ix.offers.get(c.id);
    if (!o) return undefined;
    const product = productLabel(ix, o.productId), price = money(o.suggestedPrice, priceDecimalsOf(o.suggestedPrice));
    if (o.kind === "cross_sell") return o.because.length > 0 ? t("tp.cross_sell", { product, price, because: o.because.map((b) => productLabel(ix, b)).join(" + ") }) : t("tp.cross_sell_peers", { product, price });
    if (o.kind === "repurchase") return t("tp.repurchase", { product, price, quantity: formatQuantity(locale, o.quantity) });
    return t(`tp.${o.kind}`, { product, price });
  }
  const d = ix.deals.get(c.id);
  if (!d) return undefined;
  const stay = { deal: d.dealId, stage: d.stage, days: d.daysInStage, typical: numText(d.typicalDays ?? Number.NaN, 0) };
  // the win chance only when both are known and the shown one fell (a deal early in its stage,
  // or one without a deal history, has lost nothing: "down from 50% to 50%" would be false)
  const from = d.stageWinProbability, to = d.winProbability;
  // a stage without a typical stay (no deal has left it yet) says nothing of one ("usually ?")
  const typed = d.typicalDays !== undefined && Number.isFinite(d.typicalDays);
  if (from === undefined || to === undefined || !shownChanceFell(from, to)) return t(typed ? "tp.deal_stage" : "tp.deal_stage_untyped", stay);
  return t(typed ? "tp.deal" : "tp.deal_untyped", { ...stay, from: numText(from * 100, 0), to: numText(to * 100, 0) });
}

/** Content matching the offered products, then their (and the signals' products') families, then the segment. */
function contentFor(
  offers: readonly { productId: string; family: string | undefined }[],
  signals: readonly { productId: string | undefined }[],
  segment: string | undefined,
  ix: AnalysisIndex,
  max: number,
): TaskContent[] {
  if (max === 0 || ix.content.length === 0) return [];
  const products = new Set(offers.map((o) => o.productId));
  const families = new Set<string>();
  for (const o of offers) if (o.family !== undefined) families.add(o.family);
  for (const sg of signals) {
    const f = sg.productId !== undefined ? ix.products.get(sg.productId)?.family : undefined;
    if (f !== undefined) families.add(f);
  }
  const out: TaskContent[] = [];
  const seen = new Set<string>();
  const pass = (match: TaskContent["match"], ok: (c: AnalysisContent) => boolean): void => {
    for (const c of ix.content) {
      if (out.length >= max) return;
      if (seen.has(c.contentId) || !ok(c)) continue;
      seen.add(c.contentId);
      out.push({ contentId: c.contentId, title: c.title, url: c.url, match });
    }
  };
  const forSegment = (c: AnalysisContent): boolean => c.segment === undefined || c.segment === segment;
  pass("product", (c) => c.productId !== undefined && products.has(c.productId) && forSegment(c));
  pass("family", (c) => c.family !== undefined && families.has(c.family) && (c.productId === undefined || products.has(c.productId)) && forSegment(c));
  pass("segment", (c) => segment !== undefined && c.segment === segment && c.productId === undefined && c.family === undefined);
  return out;
}
