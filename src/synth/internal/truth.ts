import type { PlantedEvent, ResolvedSyntheticDistributorOptions, SyntheticCustomerTruth, SyntheticTruth } from "../types.ts";
import type { RawEvent } from "./customer-events.ts";
import type { Customer, World } from "./model.ts";
import { AFFINITY, FAMILIES, SEGMENTS } from "./params.ts";

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

/** @internal Convert raw events to the public form, sorted by start, type, then ids. */
export function publicEvents(w: World, raw: readonly RawEvent[], customers: readonly Customer[], repIds: readonly string[], dayText: (d: number) => string): PlantedEvent[] {
  const ids = w.catalog.ids;
  // an adoption starts on its first purchase; adoptions never bought are not events
  const kept: RawEvent[] = [];
  for (const e of raw) {
    if (e.item === undefined) kept.push(e);
    else if (!Number.isNaN(e.item.firstBought)) kept.push({ ...e, start: e.item.firstBought });
  }
  const sorted = kept.sort(
    (a, b) =>
      a.start - b.start ||
      (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) ||
      (a.customer ?? -1) - (b.customer ?? -1) ||
      (a.segment ?? -1) - (b.segment ?? -1) ||
      (a.product ?? -1) - (b.product ?? -1),
  );
  return sorted.map((e) => {
    const out: PlantedEvent = { type: e.type, start: dayText(e.start) };
    if (e.end !== undefined) out.end = dayText(e.end);
    if (e.variant !== undefined) out.variant = e.variant;
    if (e.customer !== undefined) out.customerId = customers[e.customer]!.id;
    if (e.product !== undefined) out.productId = ids[e.product]!;
    if (e.products !== undefined) out.productIds = e.products.map((p) => ids[p]!);
    if (e.segment !== undefined) out.segment = SEGMENTS[e.segment]!.name;
    if (e.rep !== undefined) out.repId = repIds[e.rep]!;
    if (e.stage !== undefined) out.stage = e.stage;
    if (e.magnitude !== undefined) out.magnitude = e.magnitude;
    return out;
  });
}

/** @internal Segment- and rep-level raw events from the plan. */
export function segmentEvents(w: World): RawEvent[] {
  const { plan, cal } = w;
  const out: RawEvent[] = [];
  for (let s = 0; s < SEGMENTS.length; s++) {
    const pair = plan.pairs[s];
    if (pair) out.push({ type: "substitute_pair", start: cal.start, products: [pair[0], pair[1]], segment: s });
    if (plan.vanishProduct[s]! >= 0) {
      out.push({ type: "product_vanishing", start: plan.vanishDay[s]!, product: plan.vanishProduct[s]!, segment: s, magnitude: 1 });
    }
    if (plan.riseMagnitude[s]! > 0) out.push({ type: "discount_rise", start: plan.riseDay[s]!, segment: s, magnitude: plan.riseMagnitude[s]! });
  }
  if (plan.stallRep >= 0) out.push({ type: "pipeline_stall", start: plan.stallDay, rep: plan.stallRep, stage: "proposal" });
  return out;
}

/** @internal Assemble truth.json. */
export function buildTruth(
  w: World,
  options: ResolvedSyntheticDistributorOptions,
  events: PlantedEvent[],
  customers: readonly Customer[],
  dayText: (d: number) => string,
): SyntheticTruth {
  const ids = w.catalog.ids;
  const segments = SEGMENTS.map((s, k) => {
    const familyAffinity: Record<string, number> = {};
    FAMILIES.forEach((f, i) => {
      familyAffinity[f.name] = AFFINITY[i]![k]!;
    });
    return { segment: s.name, share: s.share, discount: s.discount, familyAffinity };
  });
  const truthCustomers: SyntheticCustomerTruth[] = customers.map((c) => {
    const closedWeekdays: number[] = [];
    for (let d = 1; d <= 7; d++) if ((c.closedMask & (1 << d)) !== 0) closedWeekdays.push(d);
    return {
      customerId: c.id,
      segment: SEGMENTS[c.segment]!.name,
      firstOrder: dayText(Math.max(c.firstDay, w.cal.start)),
      acquired: !c.existing,
      size: r4(c.size),
      meanGapDays: r4(c.meanGap),
      gapCv: r4(c.cv),
      rhythm: c.rhythm,
      closedWeekdays,
      closedInAugust: c.closedAug,
      trendPerYear: r4(c.trend),
      discount: r4(c.discount),
      returnRate: r4(c.returnRate),
      items: c.items.slice(0, c.initialItems).map((it) => ({ productId: ids[it.product]!, probability: r4(it.p), meanQuantity: r4(it.q) })),
    };
  });
  return {
    generator: "orderpulse-synth",
    version: 1,
    options: { ...options },
    start: dayText(w.cal.start),
    end: dayText(w.cal.end),
    events,
    segments,
    customers: truthCustomers,
  };
}
