import type { OfferKind } from "../../recommend/types.ts";
import type { Signal } from "../../signals/types.ts";
import { splitIds } from "../../signals/internal/format.ts";
import { isDayText } from "../../data/internal/check.ts";
import { parseDay } from "../../data/parse-day.ts";
import type { AnalysisDeal, AnalysisOffer, CustomerFacts, ResolvedValueOptions, ValueItem } from "../types.ts";
import { gapOf, type ItemMargin } from "./facts.ts";

/** @internal Default acceptance per offer kind (docs/tasks.md). */
export const DEFAULT_ACCEPTANCE: Readonly<Record<OfferKind, number>> = { cross_sell: 0.04, seasonal: 0.04, repurchase: 0.3, winback: 0.1 };

/** @internal Default precision per signal type (docs/tasks.md). */
export const DEFAULT_PRECISION: Readonly<Record<string, number>> = {
  customer_overdue: 0.95,
  frequency_drop: 0.7,
  item_dropped: 0.8,
  item_volume_drop: 0.68,
  diversity_drop: 0.78,
};

/** @internal Default save rate. */
export const DEFAULT_SAVE_RATE = 0.3;
/** @internal Default days overdue over which the save rate halves (docs/tasks.md). */
export const DEFAULT_WIN_BACK_HALF_LIFE_DAYS = 90;

const num = (x: unknown): number | undefined => (typeof x === "number" && Number.isFinite(x) ? x : undefined);
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

function item(id: string, source: ValueItem["source"], type: ValueItem["type"], customerId: string | undefined, productId: string | undefined, formula: string, inputs: Record<string, number>): ValueItem {
  let value = 1;
  for (const v of Object.values(inputs)) value *= v;
  return { id, source, type, customerId, productId, value: Number.isFinite(value) ? Math.max(0, value) : 0, formula, inputs };
}

/** @internal What the value formulas look up. */
export interface ValueContext {
  readonly options: ResolvedValueOptions;
  customer(id: string): CustomerFacts | undefined;
  itemMargin(customerId: string, productId: string): ItemMargin | undefined;
  /** The customer's own inclusion of a product (rhythm model). */
  ownInclusion(customerId: string, productId: string): number | undefined;
  /** Mean inclusion of a product among the customers who buy it. */
  peerInclusion(productId: string): number | undefined;
  deal(dealId: string): AnalysisDeal | undefined;
}

/** @internal The value of one signal (docs/tasks.md, "Value model"); every number is in `inputs`. */
export function signalValue(s: Signal, ctx: ValueContext): ValueItem {
  const o = ctx.options;
  const facts = s.customerId !== undefined ? ctx.customer(s.customerId) : undefined;
  const yearlyMargin = facts?.yearlyMargin ?? 0;
  const p = (type: string): number => o.precision[type] ?? 1;
  const v = (formula: string, inputs: Record<string, number>): ValueItem => item(s.id, "signal", s.type, s.customerId, s.productId, formula, inputs);
  switch (s.type) {
    case "customer_overdue": {
      const pChurn = num(s.evidence.pStopped) ?? (facts?.pAlive !== undefined ? 1 - facts.pAlive : p(s.type));
      const silent = num(s.evidence.daysSinceLast) ?? 0;
      // reachable = ½^(overdueDays ÷ winBackHalfLifeDays), overdueDays = silence − typical gap (the
      // days since the next order was due; both in the signal's evidence, the half-life in the
      // analysis' valueOptions); 0 when silent beyond lostAfterDays: lost (docs/tasks.md)
      const overdueDays = silent - (num(s.evidence.typicalGapDays) ?? 0);
      const reachable = silent > o.lostAfterDays ? 0 : halvedOver(overdueDays, o);
      return v("pChurn × yearlyMargin × saveRate × reachable", { pChurn: clamp01(pChurn), yearlyMargin, saveRate: o.saveRate, reachable });
    }
    case "frequency_drop": {
      // the signal's own share of orders lost (the seasonal clock's, as its severity and value at
      // risk); from the shown gaps for a signal made before the field (since 2026-12-07 those are
      // without the seasonal weights, and read 0.664 for a share of 0.580: self-review)
      const before = num(s.evidence.gapBeforeDays), after = num(s.evidence.gapAfterDays);
      const lostShare = clamp01(num(s.evidence.lostShare) ?? (before !== undefined && after !== undefined && after > 0 ? 1 - before / after : 0));
      return v("probability × yearlyMargin × lostShare × saveRate", { probability: clamp01(num(s.evidence.pSlowdown) ?? p(s.type)), yearlyMargin, lostShare, saveRate: o.saveRate });
    }
    case "diversity_drop":
      return v("probability × yearlyMargin × marginShareAtRisk × saveRate", { probability: p(s.type), yearlyMargin, marginShareAtRisk: clamp01(num(s.evidence.marginShareAtRisk) ?? 0), saveRate: o.saveRate });
    case "item_dropped": {
      // what a rep's call keeps of the item's margin, as for a customer at risk: the save rate,
      // halved for every winBackHalfLifeDays since the change began (its first missed purchase
      // day). Until 2026-12-07 neither: one dropped product was worth more than the same customer
      // leaving outright, and a drop 20 months old as much as last week's (docs/tasks.md)
      const m = s.customerId !== undefined && s.productId !== undefined ? ctx.itemMargin(s.customerId, s.productId) : undefined;
      return v("probability × itemYearlyMargin × saveRate × reachable", { probability: p(s.type), itemYearlyMargin: m?.yearlyMargin ?? 0, saveRate: o.saveRate, reachable: reachableSince(s, o) });
    }
    case "item_volume_drop": {
      const m = s.customerId !== undefined && s.productId !== undefined ? ctx.itemMargin(s.customerId, s.productId) : undefined;
      return v("probability × itemYearlyMargin × drop × saveRate × reachable", { probability: p(s.type), itemYearlyMargin: m?.yearlyMargin ?? 0, drop: clamp01(num(s.evidence.drop) ?? 0), saveRate: o.saveRate, reachable: reachableSince(s, o) });
    }
    case "discount_anomaly": {
      // the list revenue since the change (its first day to asOf), a day at a time to a year, as the
      // signal's own 90-day figure reads it (its weeks counted the week in progress whole: the
      // value read about 5 % below valueAtRisk × 365 / 90)
      const days = isDayText(s.since) && isDayText(s.asOf) ? Math.max(1, parseDay(s.asOf) - parseDay(s.since) + 1) : 7 * Math.max(1, num(s.evidence.weeks) ?? 1);
      return v("excessDiscount × yearlyListRevenue", { excessDiscount: Math.max(0, num(s.evidence.shift) ?? 0), yearlyListRevenue: ((num(s.evidence.listRevenue) ?? 0) * 365) / days });
    }
    case "pipeline_stall": {
      const dealIds = typeof s.evidence.dealIds === "string" ? splitIds(s.evidence.dealIds) : [];
      let amountDrop = 0, found = 0;
      for (const id of dealIds) {
        const d = ctx.deal(id);
        if (!d || d.amount === undefined) continue;
        found++;
        amountDrop += d.amount * Math.max(0, (d.stageWinProbability ?? 0) - (d.winProbability ?? 0));
      }
      if (found === 0) amountDrop = (num(s.evidence.stuckAmount) ?? 0) * (num(s.evidence.winProbability) ?? 0);
      return v("Σ dealAmount × winProbabilityDrop × marginRate", { amountTimesDrop: amountDrop, marginRate: o.marginRate });
    }
    case "product_vanishing":
    case "kpi_drop":
      return v("valueAtRisk90 × 365 / 90", { valueAtRisk90: Math.max(0, s.valueAtRisk), yearFactor: 365 / 90 });
  }
}

/**
 * ½^(days ÷ the win-back half-life), days below 0 counted as 0: how much of a change a rep can
 * still win back after that many days (an analysis saved before the half-life existed has none:
 * the default).
 */
function halvedOver(days: number, o: ResolvedValueOptions): number {
  const halfLife = o.winBackHalfLifeDays > 0 ? o.winBackHalfLifeDays : DEFAULT_WIN_BACK_HALF_LIFE_DAYS;
  return 0.5 ** (Math.max(0, days) / halfLife);
}

/** {@link halvedOver} the days from the signal's `since` to its `asOf` (1 when either day is missing): a customer-level item change. */
function reachableSince(s: Signal, o: ResolvedValueOptions): number {
  return isDayText(s.since) && isDayText(s.asOf) ? halvedOver(parseDay(s.asOf) - parseDay(s.since), o) : 1;
}

/** @internal The value of one offer. */
export function offerValue(offer: AnalysisOffer, ctx: ValueContext): ValueItem {
  const o = ctx.options;
  const facts = ctx.customer(offer.customerId);
  // the gap the customer's yearly margin was counted with (an analysis serialized before the
  // field: its mean gap, else 30)
  const gap = facts?.gapDays ?? gapOf(facts?.meanGapDays, undefined, undefined);
  const orderMargin = offer.expectedMargin ?? offer.suggestedPrice * offer.quantity * o.marginRate;
  const acceptance = o.acceptance[offer.kind];
  const v = (formula: string, inputs: Record<string, number>): ValueItem => item(offer.id, "offer", offer.kind, offer.customerId, offer.productId, formula, inputs);
  switch (offer.kind) {
    case "repurchase":
      return v("acceptance × orderMargin", { acceptance, orderMargin: Math.max(0, orderMargin) });
    case "winback":
      return v("acceptance × orderMargin × ordersPerYear × inclusion", {
        acceptance,
        orderMargin: Math.max(0, orderMargin),
        ordersPerYear: 365 / gap,
        inclusion: ctx.ownInclusion(offer.customerId, offer.productId) ?? ctx.peerInclusion(offer.productId) ?? 0.5,
      });
    case "cross_sell":
      return v("acceptance × orderMargin × ordersPerYear × peerInclusion", {
        acceptance,
        orderMargin: Math.max(0, orderMargin),
        ordersPerYear: 365 / gap,
        peerInclusion: ctx.peerInclusion(offer.productId) ?? 0.5,
      });
    case "seasonal":
      return v("acceptance × orderMargin × ordersPer90Days × peerInclusion", {
        acceptance,
        orderMargin: Math.max(0, orderMargin),
        ordersPer90Days: 90 / gap,
        peerInclusion: ctx.peerInclusion(offer.productId) ?? 0.5,
      });
  }
}

/** @internal A deal's win chance shown in whole percents fell from `from` to `to` (the talking point and the deal's value read the same test). */
export function shownChanceFell(from: number, to: number): boolean {
  return Math.round(to * 100) < Math.round(from * 100);
}

/**
 * @internal The value of one open deal: amount × (P(win | stage) − P(win) now) × margin rate, 0
 * until the win chance shown (whole percents, as the talking point reads it) has fallen: a deal one
 * day into its stage lost 4e-6 of its chance and made a rep's whole list "Stalled deal, 0 at stake,
 * call this week" (a review).
 */
export function dealValue(d: AnalysisDeal, o: ResolvedValueOptions): ValueItem {
  const from = d.stageWinProbability ?? 0, to = d.winProbability ?? 0;
  const drop = shownChanceFell(from, to) ? Math.max(0, from - to) : 0;
  return item(`deal:${d.dealId}`, "deal", "deal", d.customerId, undefined, "amount × winProbabilityDrop × marginRate", { amount: d.amount ?? 0, winProbabilityDrop: drop, marginRate: o.marginRate });
}
