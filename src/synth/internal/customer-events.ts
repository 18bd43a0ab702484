import type { PlantedEvent } from "../types.ts";
import { makeItem, pickProduct } from "./customers.ts";
import type { Customer, Item, World } from "./model.ts";
import { COMPLEMENTS, CUSTOMER_EVENT_QUOTAS, FAMILIES } from "./params.ts";
import type { CustomerEventKind } from "./params.ts";
import { Rng, STREAM } from "./rng.ts";

/** @internal A planted event with days as epoch days and entities as indices. */
export interface RawEvent {
  /** Kind. */
  type: PlantedEvent["type"];
  /** Start day. */
  start: number;
  /** End day (gradual churn stop). */
  end?: number;
  /** Churn variant. */
  variant?: "abrupt" | "gradual";
  /** Customer index. */
  customer?: number;
  /** Product index. */
  product?: number;
  /** Product indices. */
  products?: number[];
  /** Segment index. */
  segment?: number;
  /** Rep index. */
  rep?: number;
  /** Stage. */
  stage?: string;
  /** Magnitude. */
  magnitude?: number;
  /** The adopted item (adoption only). */
  item?: Item;
}

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

function itemCandidates(c: Customer, w: World): number[] {
  const vp = w.plan.vanishProduct[c.segment]!;
  const out: number[] = [];
  for (let j = 0; j < c.items.length; j++) {
    const it = c.items[j]!;
    if (it.p >= 0.4 && FAMILIES[it.family]!.amp === 0 && it.product !== vp) out.push(j);
  }
  return out;
}

function meets(kind: CustomerEventKind, c: Customer, w: World): boolean {
  if (kind === "item_dropped" || kind === "item_volume_drop") return itemCandidates(c, w).length > 0;
  if (kind === "diversity_drop") return c.items.length >= 6;
  return true;
}

const COMPLEMENT_INDEX: readonly (readonly number[])[] = FAMILIES.map((f) => {
  const out: number[] = [];
  for (const [a, b] of COMPLEMENTS) {
    if (a === f.name) out.push(FAMILIES.findIndex((x) => x.name === b));
    if (b === f.name) out.push(FAMILIES.findIndex((x) => x.name === a));
  }
  return out;
});

/**
 * @internal Assign and apply the customer-level planted events and adoptions (docs/synth.md section
 * 3). Mutates the customers' plans and items; returns the events.
 */
export function plantCustomerEvents(w: World, customers: Customer[]): RawEvent[] {
  const { cal, options } = w;
  const events: RawEvent[] = [];
  const rngs: Rng[] = [];
  const candidates: { c: Customer; u: number; start: number }[] = [];
  for (const c of customers) {
    const rng = new Rng(options.seed, STREAM.events, c.index);
    rngs.push(rng);
    const u = rng.next();
    const start = rng.chance(0.8) ? cal.end - 365 + rng.int(321) : cal.end - 730 + rng.int(365);
    const eligible =
      c.rhythm !== "seasonal" &&
      c.rhythm !== "yearly" &&
      c.meanGap <= 60 &&
      start > cal.start &&
      c.firstDay + Math.max(180, 6 * c.meanGap) <= start;
    if (eligible) candidates.push({ c, u, start });
  }
  candidates.sort((a, b) => a.u - b.u || a.c.index - b.c.index);
  const quotas = CUSTOMER_EVENT_QUOTAS.map(([kind, share]) => ({ kind, left: Math.round(share * candidates.length) }));
  for (const { c, start } of candidates) {
    const q = quotas.find((x) => x.left > 0 && meets(x.kind, c, w));
    if (!q) continue;
    q.left--;
    const rng = rngs[c.index]!;
    const plan = c.plan;
    switch (q.kind) {
      case "churn": {
        if (rng.chance(0.6)) {
          plan.stop = start;
          events.push({ type: "churn", variant: "abrupt", start, customer: c.index, magnitude: 1 });
        } else {
          const from = Math.max(c.firstDay + 90, start - 90 - rng.int(91));
          plan.stop = start;
          plan.stretchFrom = from;
          events.push({ type: "churn", variant: "gradual", start: from, end: start, customer: c.index, magnitude: 1 });
        }
        break;
      }
      case "frequency_drop": {
        const m = r4(rng.uniform(0.4, 0.65));
        plan.freqDay = start;
        plan.freqDrop = m;
        events.push({ type: "frequency_drop", start, customer: c.index, magnitude: m });
        break;
      }
      case "item_dropped":
      case "item_volume_drop": {
        const cands = itemCandidates(c, w);
        const it = c.items[cands[rng.int(cands.length)]!]!;
        if (q.kind === "item_dropped") {
          it.until = start;
          events.push({ type: "item_dropped", start, customer: c.index, product: it.product, magnitude: 1 });
        } else {
          const m = r4(rng.uniform(0.4, 0.7));
          it.volDay = start;
          it.volFactor = 1 - m;
          events.push({ type: "item_volume_drop", start, customer: c.index, product: it.product, magnitude: m });
        }
        break;
      }
      case "diversity_drop": {
        const order = c.items.map((it, j) => [it.p, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        const keep = Math.ceil(0.4 * order.length);
        let before = c.noise;
        let after = 0;
        for (let k = 0; k < order.length; k++) {
          const it = c.items[order[k]![1]]!;
          before += it.p;
          if (k >= keep) {
            it.core = false;
            after += 0.2 * it.p;
          } else after += it.p;
        }
        plan.diversityDay = start;
        events.push({ type: "diversity_drop", start, customer: c.index, magnitude: r4(1 - after / before) });
        break;
      }
    }
  }
  // adoptions: background Poisson(0.25 / year) + 8 % planted in the last 12 months
  for (const c of customers) {
    const rng = rngs[c.index]!;
    const from = c.firstDay + 60;
    const days: number[] = [];
    if (from <= cal.end) {
      const k = rng.poisson((0.25 * (cal.end - from + 1)) / 365);
      for (let j = 0; j < k; j++) days.push(from + rng.int(cal.end - from + 1));
    }
    if (rng.chance(0.08)) {
      const d = cal.end - 365 + rng.int(336);
      if (d >= from) days.push(d);
    }
    days.sort((a, b) => a - b);
    const nf = FAMILIES.length;
    const owned = new Set<number>(c.items.map((it) => it.product));
    const vp = w.plan.vanishProduct[c.segment]!;
    const weights = new Float64Array(nf);
    for (const day of days) {
      if (day >= c.plan.stop) break;
      for (let f = 0; f < nf; f++) {
        let wt = c.held[f]! > 0 ? c.held[f]! : c.latent[f]!;
        for (const g of COMPLEMENT_INDEX[f]!) if (c.held[g]! > 0) wt *= 3;
        weights[f] = wt;
      }
      for (let tries = 0; tries < 10; tries++) {
        const f = rng.pickWeighted(weights);
        const p = pickProduct(rng, w, c.segment, f);
        if (owned.has(p) || p === c.excluded || p === vp) continue;
        owned.add(p);
        if (c.held[f] === 0) {
          c.held[f] = c.latent[f]!;
          c.latent[f] = 0;
        }
        const item = makeItem(rng, w, c, p, day, rng.uniform(0.3, 0.8));
        c.items.push(item);
        events.push({ type: "adoption", start: day, customer: c.index, product: p, item });
        break;
      }
    }
  }
  return events;
}
