import type { Customer, Item, World } from "./model.ts";
import { AFFINITY, CADENCES, FAMILIES, ITEM_KINDS, REGIONS, SEGMENTS, WEEKEND_KINDS } from "./params.ts";
import type { Rhythm } from "./params.ts";
import { Rng, STREAM } from "./rng.ts";

const ADJECTIVES: readonly string[] = [
  "Golden", "Blue", "Green", "Old", "Little", "Royal", "Silver", "Sunny", "Corner", "Harbor",
  "Olive", "Maple", "Red", "Union", "Park", "River", "Stone", "Cedar", "Lucky", "Urban",
];
const NOUNS: readonly string[] = [
  "Fork", "Spoon", "Oak", "Lantern", "Anchor", "Garden", "Bridge", "Square", "Mill", "Table",
  "Kettle", "Orchard", "Crown", "Harvest", "Hill", "Market", "Lane", "Bay", "Star", "Vine",
];
const SUFFIX: readonly (readonly string[])[] = [
  ["Bistro", "Grill", "Kitchen", "Trattoria", "Diner", "Brasserie"],
  ["Hotel", "Inn", "Suites", "Resort", "Lodge"],
  ["Cafe", "Coffee House", "Bakery Cafe", "Espresso Bar"],
  ["Market", "Grocery", "Deli", "Mini Market", "Food Store"],
  ["School", "Hospital", "University Canteen", "Care Home", "Staff Canteen"],
];

/** @internal Draw a regular item for a customer. */
export function makeItem(rng: Rng, w: World, c: Customer, product: number, from: number, probability?: number): Item {
  let p: number;
  if (probability !== undefined) p = probability;
  else {
    const k = rng.pickWeighted(ITEM_KINDS.map((x) => x[0]));
    const kind = ITEM_KINDS[k]!;
    p = rng.uniform(kind[1], kind[2]);
  }
  const f = w.catalog.family[product]!;
  const q = FAMILIES[f]!.baseQty * Math.pow(c.size, 0.6) * Math.sqrt(c.meanGap / 14) * rng.lognormal(0, 0.4);
  return {
    product,
    family: f,
    p,
    q,
    discount: c.discount + 0.015 * rng.normal(),
    from,
    until: w.cal.end + 1,
    volDay: w.cal.end + 1,
    volFactor: 1,
    core: true,
    firstBought: Number.NaN,
  };
}

/** @internal Draw a product of family `f` for segment `s`. */
export function pickProduct(rng: Rng, w: World, s: number, f: number): number {
  return rng.pickCumulative(w.catalog.segmentCum[s]!, w.catalog.familyStart[f]!, w.catalog.familyStart[f + 1]!);
}

/** @internal Build the customers' latent profiles (docs/synth.md section 2, "Customers"). */
export function buildCustomers(w: World): Customer[] {
  const { cal, options } = w;
  const out: Customer[] = [];
  const bySegment: number[][] = SEGMENTS.map(() => []);
  const segShares = SEGMENTS.map((s) => s.share);
  const cadenceShares = CADENCES.map((c) => c[1]);
  const nf = FAMILIES.length;
  const seasonalShare = 0.02 / SEGMENTS.reduce((a, s) => a + (s.seasonalBuyers ? s.share : 0), 0);
  for (let i = 0; i < options.customers; i++) {
    const rng = new Rng(options.seed, STREAM.customer, i);
    const s = rng.pickWeighted(segShares);
    const seg = SEGMENTS[s]!;
    const size = seg.size * rng.lognormal(0, 1.1);
    const region = rng.int(Math.min(REGIONS.length, w.nReps));
    const reps: number[] = [];
    for (let r = 0; r < w.nReps; r++) if (w.repRegion[r] === region) reps.push(r);
    const rep = reps[rng.int(reps.length)]!;
    // cadence and rhythm
    let meanGap = CADENCES[rng.pickWeighted(cadenceShares)]![0];
    meanGap = Math.min(120, Math.max(3, meanGap * Math.pow(size, -0.25)));
    let rhythm: Rhythm;
    let cv: number;
    const u = rng.next();
    if (seg.seasonalBuyers && u < seasonalShare) {
      rhythm = "seasonal";
      meanGap = rng.chance(0.5) ? 7 : 14;
      cv = rng.uniform(0.1, 0.5);
    } else if (u > 0.99) {
      rhythm = "yearly";
      meanGap = 365;
      cv = 7 / 365;
    } else {
      const v = rng.next();
      if (v < 0.25) {
        rhythm = "clockwork";
        cv = rng.uniform(0.05, 0.2);
      } else if (v < 0.55) {
        rhythm = "regular";
        cv = rng.uniform(0.3, 0.6);
      } else if (v < 0.75) {
        rhythm = "irregular";
        cv = rng.uniform(0.6, 0.9);
      } else {
        rhythm = "memoryless";
        cv = 1;
      }
    }
    const snapped = rhythm === "clockwork" && meanGap >= 6.5 && meanGap <= 42;
    if (snapped) meanGap = 7 * Math.round(meanGap / 7);
    // closures
    const closed = WEEKEND_KINDS[rng.pickWeighted(seg.weekend)]!;
    let closedMask = 0;
    for (const d of closed) closedMask |= 1 << d;
    const open: number[] = [];
    for (let d = 1; d <= 7; d++) if ((closedMask & (1 << d)) === 0) open.push(d);
    const weekday = open[rng.int(open.length)]!;
    const closedAug = rng.chance(seg.august);
    // acquisition
    const existing = rng.chance(0.65);
    const firstDay = existing
      ? cal.start + rng.int(Math.max(1, Math.min(Math.round(meanGap), cal.days)))
      : cal.start + rng.int(Math.max(1, cal.days - 30));
    // trend
    const t = rng.next();
    const trend = t < 0.7 ? 0.05 * rng.normal() : t < 0.88 ? rng.uniform(0.1, 0.35) : rng.uniform(-0.25, -0.1);
    const discount = seg.discount + seg.discountSd * rng.normal();
    const returnRate = (0.015 * rng.gamma(2)) / 2;
    const noise = rng.uniform(0.1, 0.8);
    // needs
    const held = new Float64Array(nf);
    const latent = new Float64Array(nf);
    let best = 0;
    let anyHeld = false;
    for (let f = 0; f < nf; f++) {
      const a = AFFINITY[f]![s]!;
      if (a > AFFINITY[best]![s]!) best = f;
      if (rng.chance(a)) {
        held[f] = a * rng.lognormal(0, 0.5);
        anyHeld = true;
      } else latent[f] = 0.5 * a * rng.lognormal(0, 0.5);
    }
    if (!anyHeld) {
      held[best] = AFFINITY[best]![s]!;
      latent[best] = 0;
    }
    const parentPool = bySegment[s]!;
    let parent = -1;
    if ((s === 0 || s === 1) && parentPool.length > 0 && rng.chance(0.08)) {
      parent = parentPool[rng.int(parentPool.length)]!;
      const pp = out[parent]!.parent;
      if (pp >= 0) parent = pp;
    }
    bySegment[s]!.push(i);
    const name = `${ADJECTIVES[rng.int(ADJECTIVES.length)]!} ${NOUNS[rng.int(NOUNS.length)]!} ${SUFFIX[s]![rng.int(SUFFIX[s]!.length)]!}`;
    const channelU = rng.next();
    const channel =
      size >= seg.size * 3.6 && channelU < 0.6 ? 3 : (() => {
        const x = rng.next();
        return x < 0.35 ? 0 : x < 0.65 ? 1 : x < 0.9 ? 2 : 3;
      })();
    const c: Customer = {
      index: i,
      id: `C${String(i + 1).padStart(5, "0")}`,
      name,
      segment: s,
      size,
      region,
      rep,
      channel,
      parent,
      firstDay,
      existing,
      meanGap,
      cv,
      rhythm,
      snapped,
      weekday,
      closedMask,
      closedAug,
      trend,
      discount,
      returnRate,
      noise,
      held,
      latent,
      items: [],
      initialItems: 0,
      excluded: -1,
      plan: { stop: cal.end + 1, stretchFrom: cal.end + 1, freqDay: cal.end + 1, freqDrop: 0, diversityDay: cal.end + 1 },
    };
    // substitute pair: assigned member and exclusion
    const pair = w.plan.pairs[s];
    let assigned = -1;
    if (pair) {
      const pick = rng.chance(0.5) ? 0 : 1;
      assigned = pair[pick]!;
      c.excluded = pair[1 - pick]!;
    }
    // regular items
    const n = Math.min(80, Math.max(3, Math.round(3 + 8 * Math.pow(size, 0.45) * rng.lognormal(0, 0.3))));
    const famCum = new Float64Array(nf);
    let acc = 0;
    for (let f = 0; f < nf; f++) {
      acc += held[f]!;
      famCum[f] = acc;
    }
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < n && tries < n * 6; tries++) {
      const f = rng.pickCumulative(famCum);
      let p = pickProduct(rng, w, s, f);
      if (p === c.excluded) p = assigned;
      if (chosen.has(p)) continue;
      chosen.add(p);
      c.items.push(makeItem(rng, w, c, p, cal.start - 1));
    }
    if (pair && assigned >= 0 && !chosen.has(assigned) && held[w.catalog.family[assigned]!]! > 0 && rng.chance(0.6)) {
      chosen.add(assigned);
      c.items.push(makeItem(rng, w, c, assigned, cal.start - 1));
    }
    // the segment's vanishing product stops at its day
    const vp = w.plan.vanishProduct[s]!;
    for (const it of c.items) if (it.product === vp) it.until = w.plan.vanishDay[s]!;
    c.initialItems = c.items.length;
    out.push(c);
  }
  return out;
}
