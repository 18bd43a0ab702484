/** @internal Test support: hand-made analyses for the task tests (not exported). */
import type { OfferKind } from "../../recommend/types.ts";
import type { Signal, SignalType } from "../../signals/types.ts";
import type { Analysis, AnalysisOffer, CustomerFacts, ValueItem } from "../../tasks/types.ts";

/** One valued part of a fixture customer. */
export interface FixturePart {
  /** A customer-level signal type, an offer kind, or `deal`. */
  type: SignalType | OfferKind | "deal";
  /** Its value. */
  value: number;
  /** Product (item signals, offers). */
  productId?: string;
}

/** One fixture customer. */
export interface FixtureCustomer {
  id: string;
  repId: string | null;
  segment?: string;
  parts: FixturePart[];
  /** Purchase days with products (follow-through). */
  recent?: { day: string; productIds: string[] }[];
}

const OFFER_KINDS = new Set(["cross_sell", "repurchase", "winback", "seasonal"]);

/** A hand-made Analysis: each part becomes a signal, offer or deal with exactly the given value. */
export function taskFixture(customers: readonly FixtureCustomer[], asOf = "2026-11-02", extra: Partial<Analysis> = {}): Analysis {
  const signals: Signal[] = [];
  const offers: AnalysisOffer[] = [];
  const values: ValueItem[] = [];
  const deals: Analysis["deals"][number][] = [];
  const facts: CustomerFacts[] = [];
  const products = new Set<string>();
  for (const c of customers) {
    facts.push({
      customerId: c.id,
      name: `Name ${c.id}`,
      repId: c.repId,
      segment: c.segment,
      channel: undefined,
      firstOrder: "2025-01-01",
      lastOrder: "2026-10-01",
      meanGapDays: 7,
      gapDays: 7,
      expectedNext: "2026-10-08",
      dueSince: undefined,
      pAlive: 0.5,
      ordersLastYear: 40,
      yearlyMargin: 1000,
      marginDays: 365,
      weekly: [1, 1, 0, 1],
      expectedPerWeek: 1,
      recent: c.recent ?? [],
    });
    c.parts.forEach((p, k) => {
      const productId = p.productId ?? (p.type === "deal" ? undefined : `P${k}`);
      if (productId !== undefined) products.add(productId);
      const inputs = { value: p.value };
      if (p.type === "deal") {
        const dealId = `D-${c.id}-${k}`;
        deals.push({ dealId, customerId: c.id, repId: c.repId ?? undefined, stage: "proposal", daysInStage: 40, typicalDays: 10, amount: 1000, stageWinProbability: 0.5, winProbability: 0.1 });
        values.push({ id: `deal:${dealId}`, source: "deal", type: "deal", customerId: c.id, productId: undefined, value: p.value, formula: "value", inputs });
      } else if (OFFER_KINDS.has(p.type)) {
        const id = `offer:${c.id}:${productId}`;
        offers.push({ id, customerId: c.id, productId: productId!, kind: p.type as OfferKind, score: 0.5, suggestedPrice: 9.5, listPrice: 10, quantity: 2, expectedMargin: 3, marginRate: 0.3, because: ["PX"], evidence: { productIds: ["PX"], similarCustomers: 10, support: 5, lift: 1, confidence: 0.5 }, reasonCode: p.type, reason: { code: p.type, params: {} }, message: "m" });
        values.push({ id, source: "offer", type: p.type as OfferKind, customerId: c.id, productId, value: p.value, formula: "value", inputs });
      } else {
        const item = p.type === "item_dropped" || p.type === "item_volume_drop";
        const id = `${p.type}:${c.id}${item ? `:${productId}` : ""}:${k}`;
        signals.push({
          id,
          type: p.type as SignalType,
          asOf,
          since: "2026-09-01",
          customerId: c.id,
          ...(item ? { productId: productId! } : {}),
          ...(c.repId !== null ? { repId: c.repId } : {}),
          severity: 0.5,
          valueAtRisk: p.value,
          // (one set of the fields the task texts read, whatever the type: a fixture, not a detector's evidence)
          evidence: { daysSinceLast: 60, meanGapDays: 7, gapBeforeDays: 5, gapAfterDays: 10, recentProducts: 3, usualProducts: 6, inclusionBefore: 0.8, recentQuantity: 2, usualQuantity: 5 } as unknown as Signal["evidence"],
          reason: { code: p.type, params: { lastBought: "2026-08-30" } },
          message: `signal ${id}`,
        } as Signal);
        values.push({ id, source: "signal", type: p.type as SignalType, customerId: c.id, productId: item ? productId : undefined, value: p.value, formula: "value", inputs });
      }
    });
  }
  values.sort((a, b) => b.value - a.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    version: 1,
    asOf,
    locale: "en",
    currency: undefined,
    repId: undefined,
    valueOptions: { saveRate: 0.3, acceptance: { cross_sell: 0.04, seasonal: 0.04, repurchase: 0.3, winback: 0.1 }, precision: {}, marginRate: 0.25, marginRateSource: "option", lostAfterDays: 365, winBackHalfLifeDays: 90 },
    kpis: { period: "week", current: undefined, previous: undefined, company: [], reps: [] },
    targets: [],
    reps: [],
    customers: facts,
    products: [...products].sort().map((productId) => ({ productId, name: undefined, family: productId === "P0" ? "dairy" : undefined })),
    content: [
      { contentId: "K1", title: "Dairy catalogue", url: "https://x/dairy", productId: undefined, family: "dairy", segment: undefined, kind: "brochure" },
      { contentId: "K2", title: "P1 sheet", url: "https://x/p1", productId: "P1", family: undefined, segment: undefined, kind: "sheet" },
      { contentId: "K3", title: "Cafe guide", url: "https://x/cafe", productId: undefined, family: undefined, segment: "cafes", kind: "guide" },
    ],
    signals,
    offers,
    deals,
    values,
    ...extra,
  };
}
