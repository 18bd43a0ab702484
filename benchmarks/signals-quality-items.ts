/**
 * Quality of the item-level signal detectors (not a test): detectItemDropped,
 * detectItemVolumeDrop and detectDiversityDrop on the seeded synthetic distributor, replayed
 * weekly (every 7 days) over the last 12 months of the data, as a host would run them. For every
 * entity (customer x product, or customer) the flag days are recorded:
 *   - recall = planted events of the detector's type starting in the replay's 12 months (from
 *     the end of the data − 364 days) flagged at or after their start, by the end of the data
 *     (until 2026-12-05 events that started before the window counted too: their "delay" was the
 *     window's first day minus their start, and most were found already open on it);
 *   - precision = entities whose first flag came at or after a true change of theirs: a planted
 *     event of the detector's type ("strict"), or another true change of the same entity,
 *     counted separately (item_dropped: the segment's vanishing product, a diversity-drop
 *     customer's items; diversity_drop: a customer that dropped an item or lost a vanishing
 *     product);
 *   - delay = days from the change to the first flag at or after it (median: the mean of the two
 *     middle values for an even count; p75);
 *   - reachable = events with at least 3 purchase days from their start to the end of the data
 *     (a change can only be seen in orders placed after it).
 * Baselines run on the same as-of days, from fitItemRhythm's habits (inclusion >= 0.3, 5+
 * purchases): item dropped = missing for 3 of its cycles (ordersSinceLast >= 3 / inclusion);
 * fitItemRhythm's missingProbability < 0.01 (no multiple-testing control); the same
 * missingProbability under the detector's own Bonferroni threshold 0.05 / (R·Σp) (the detector
 * minus its pre-run habit estimate); volume = the mean quantity of the item's last 3 purchases
 * below 0.6 x the median of the 10 before; diversity = the mean breadth of the last 4 orders
 * below 0.75 x the mean of the 26 before.
 * Usage: npm run build && node --import tsx benchmarks/signals-quality-items.ts [-- --customers N --seed S --sensitivity X]
 */
import { parseArgs } from "node:util";
import {
  detectDiversityDrop,
  detectItemDropped,
  detectItemVolumeDrop,
  fitItemRhythm,
  formatDay,
  fromRowsSync,
  generateSyntheticDistributor,
  parseDay,
  type ItemRhythm,
  type Signal,
} from "../dist/index.js";

const { values } = parseArgs({ options: { customers: { type: "string" }, seed: { type: "string" }, sensitivity: { type: "string" }, weeks: { type: "string" } } });
const nCustomers = Number(values.customers ?? 2000);
const seed = Number(values.seed ?? 1);
const sensitivity = Number(values.sensitivity ?? 1);
const weeks = Number(values.weeks ?? 52);

const t0 = performance.now();
const synth = generateSyntheticDistributor({ seed, customers: nCustomers });
const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products, reps: synth.reps, dealEvents: synth.dealEvents });
const end = parseDay(synth.truth.end);
const asOfs: number[] = [];
for (let k = weeks - 1; k >= 0; k--) asOfs.push(end - 7 * k);
// events scored for recall and delay: those starting in the replay's 12 months (an older one can
// only be seen already open on the first as-of day)
const windowStart = end - 364;

// ---- truth ----
type Ev = (typeof synth.truth.events)[number];
const events = synth.truth.events;
const segmentOf = new Map(synth.customers.map((c) => [c.customer_id, c.segment ?? ""]));
const byType = (t: string): Ev[] => events.filter((e) => e.type === t);
const startOf = (e: Ev): number => parseDay(e.start);
const pairKey = (c: string, p: string): string => `${c}|${p}`;
const firstDayOf = (m: Map<string, number>, k: string, day: number): void => {
  const d = m.get(k);
  if (d === undefined || day < d) m.set(k, day);
};
const changes = {
  itemDropped: new Map<string, number>(),
  volume: new Map<string, number>(),
  diversity: new Map<string, number>(),
  // other true changes
  pairVanished: new Map<string, { segment: string; product: string; start: number }>(),
  customerDiversity: new Map<string, number>(),
  customerItemDropped: new Map<string, number>(),
};
for (const e of byType("item_dropped")) {
  firstDayOf(changes.itemDropped, pairKey(e.customerId!, e.productId!), startOf(e));
  firstDayOf(changes.customerItemDropped, e.customerId!, startOf(e));
}
for (const e of byType("item_volume_drop")) firstDayOf(changes.volume, pairKey(e.customerId!, e.productId!), startOf(e));
for (const e of byType("diversity_drop")) {
  firstDayOf(changes.diversity, e.customerId!, startOf(e));
  firstDayOf(changes.customerDiversity, e.customerId!, startOf(e));
}
const vanishing = byType("product_vanishing").map((e) => ({ segment: e.segment!, product: e.productId!, start: startOf(e) }));

// purchase days per customer (the whole history, for "reachable" and the baselines)
interface Hist {
  days: number[];
  distinct: number[];
  items: Map<number, { occ: number[]; qty: number[] }>;
}
const hist: Hist[] = [];
{
  const { lines, customerStart, customerEnd } = dataset;
  for (let c = 0; c < customerEnd.length; c++) {
    const h: Hist = { days: [], distinct: [], items: new Map() };
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const q = lines.quantity[i]!;
      if (q <= 0) continue;
      const day = lines.day[i]!;
      if (h.days[h.days.length - 1] !== day) {
        h.days.push(day);
        h.distinct.push(0);
      }
      const occ = h.days.length - 1;
      const p = lines.product[i]!;
      let it = h.items.get(p);
      if (!it) h.items.set(p, (it = { occ: [], qty: [] }));
      if (it.occ[it.occ.length - 1] === occ) it.qty[it.qty.length - 1]! += q;
      else {
        it.occ.push(occ);
        it.qty.push(q);
        h.distinct[occ]!++;
      }
    }
    hist.push(h);
  }
}
const cIndex = (id: string): number => dataset.ids.customers.indexOf(id);
const purchaseDaysAfter = (customerId: string, day: number): number => hist[cIndex(customerId)]!.days.filter((d) => d >= day && d <= end).length;

// ---- replay ----
type Flags = Map<string, number[]>; // entity -> as-of days flagged
const run = { dropped: new Map() as Flags, volume: new Map() as Flags, diversity: new Map() as Flags };
const base = { dropNaive: new Map() as Flags, dropUncorrected: new Map() as Flags, dropModel: new Map() as Flags, volume: new Map() as Flags, diversity: new Map() as Flags };
// distinct signal ids per flagged entity (an id should not move while the situation lasts)
const idsOf = { dropped: new Map<string, Set<string>>(), volume: new Map<string, Set<string>>(), diversity: new Map<string, Set<string>>() };
const addId = (m: Map<string, Set<string>>, k: string, id: string): void => {
  const set = m.get(k);
  if (set) set.add(id);
  else m.set(k, new Set([id]));
};
const add = (m: Flags, k: string, day: number): void => {
  const a = m.get(k);
  if (a) {
    if (a[a.length - 1] !== day) a.push(day);
  } else m.set(k, [day]);
};
let fitMs = 0;
const detectMs = { dropped: 0, volume: 0, diversity: 0 };
let signalsPerWeek = { dropped: 0, volume: 0, diversity: 0 };
const prepMs = performance.now() - t0;
for (const asOf of asOfs) {
  let t = performance.now();
  const items: ItemRhythm[] = fitItemRhythm(dataset, { asOf });
  fitMs += performance.now() - t;
  const opts = { asOf, sensitivity };
  t = performance.now();
  const d: Signal[] = detectItemDropped(dataset, opts);
  detectMs.dropped += performance.now() - t;
  t = performance.now();
  const v: Signal[] = detectItemVolumeDrop(dataset, opts);
  detectMs.volume += performance.now() - t;
  t = performance.now();
  const g: Signal[] = detectDiversityDrop(dataset, opts);
  detectMs.diversity += performance.now() - t;
  for (const s of d) {
    add(run.dropped, pairKey(s.customerId!, s.productId!), asOf);
    addId(idsOf.dropped, pairKey(s.customerId!, s.productId!), s.id);
  }
  for (const s of v) {
    add(run.volume, pairKey(s.customerId!, s.productId!), asOf);
    addId(idsOf.volume, pairKey(s.customerId!, s.productId!), s.id);
  }
  for (const s of g) {
    add(run.diversity, s.customerId!, asOf);
    addId(idsOf.diversity, s.customerId!, s.id);
  }
  signalsPerWeek = { dropped: signalsPerWeek.dropped + d.length, volume: signalsPerWeek.volume + v.length, diversity: signalsPerWeek.diversity + g.length };
  baselines(asOf, items);
}
const totalMs = performance.now() - t0;

function baselines(asOf: number, items: ItemRhythm[]): void {
  const byCustomer = new Map<string, ItemRhythm[]>();
  for (const it of items) {
    const a = byCustomer.get(it.customerId);
    if (a) a.push(it);
    else byCustomer.set(it.customerId, [it]);
  }
  for (let c = 0; c < hist.length; c++) {
    const h = hist[c]!;
    const customerId = dataset.ids.customers.values[c]!;
    let n = 0;
    while (n < h.days.length && h.days[n]! <= asOf) n++;
    if (n < 2) continue;
    const habits = (byCustomer.get(customerId) ?? []).filter((it) => it.inclusion >= 0.3 && it.itemOrders >= 5);
    const perYear = Math.max(1, h.days.slice(0, n).filter((d) => d > asOf - 365).length);
    const threshold = 0.05 / (perYear * habits.reduce((a, it) => a + it.inclusion, 0));
    for (const it of habits) {
      if (it.ordersSinceLast >= 3 && it.ordersSinceLast >= 3 / it.inclusion) add(base.dropNaive, pairKey(customerId, it.productId), asOf);
      if (it.ordersSinceLast >= 1 && it.missingProbability < 0.01) add(base.dropUncorrected, pairKey(customerId, it.productId), asOf);
      if (it.ordersSinceLast >= 3 && it.missingProbability <= threshold) add(base.dropModel, pairKey(customerId, it.productId), asOf);
    }
    for (const [p, it] of h.items) {
      let k = 0;
      while (k < it.occ.length && it.occ[k]! < n) k++;
      if (k < 13) continue;
      const last3 = it.qty.slice(k - 3, k);
      const prev = it.qty.slice(k - 13, k - 3).sort((a, b) => a - b);
      const med = (prev[4]! + prev[5]!) / 2;
      if (last3.reduce((a, b) => a + b, 0) / 3 < 0.6 * med) add(base.volume, pairKey(customerId, dataset.ids.products.values[p]!), asOf);
    }
    if (n >= 30) {
      const last4 = h.distinct.slice(n - 4, n), prev = h.distinct.slice(n - 30, n - 4);
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      if (mean(last4) < 0.75 * mean(prev)) add(base.diversity, customerId, asOf);
    }
  }
}

// ---- scoring ----
interface Score {
  flagged: number;
  strict: number;
  other: number;
  recall: number;
  events: number;
  reachable: number;
  recallReachable: number;
  delayMedian: number;
  delayP75: number;
  early: number;
}
const quantile = (xs: number[], q: number): number => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  if (q === 0.5) return s.length % 2 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
function score(flags: Flags, truth: Map<string, number>, other: (entity: string, day: number) => boolean): Score {
  let strict = 0, oth = 0, early = 0;
  for (const [k, days] of flags) {
    const first = days[0]!;
    const t = truth.get(k);
    if (t !== undefined && t <= first) strict++;
    else if (other(k, first)) oth++;
    else if (t !== undefined) early++;
  }
  let found = 0, reachable = 0, foundReachable = 0, events = 0;
  const delays: number[] = [];
  for (const [k, start] of truth) {
    if (start < windowStart) continue;
    events++;
    const customerId = k.split("|")[0]!;
    const reach = purchaseDaysAfter(customerId, start) >= 3;
    if (reach) reachable++;
    const hit = (flags.get(k) ?? []).find((d) => d >= start);
    if (hit === undefined) continue;
    found++;
    if (reach) foundReachable++;
    delays.push(hit - start);
  }
  return {
    flagged: flags.size,
    strict,
    other: oth,
    recall: found / Math.max(1, events),
    events,
    reachable,
    recallReachable: foundReachable / Math.max(1, reachable),
    delayMedian: quantile(delays, 0.5),
    delayP75: quantile(delays, 0.75),
    early,
  };
}
const otherDropped = (k: string, day: number): boolean => {
  const [c, p] = k.split("|") as [string, string];
  const seg = segmentOf.get(c);
  if (vanishing.some((v) => v.segment === seg && v.product === p && v.start <= day)) return true;
  const dv = changes.customerDiversity.get(c);
  return dv !== undefined && dv <= day;
};
const otherDiversity = (c: string, day: number): boolean => {
  const dd = changes.customerItemDropped.get(c);
  if (dd !== undefined && dd <= day) return true;
  const seg = segmentOf.get(c);
  const h = hist[cIndex(c)]!;
  return vanishing.some((v) => v.segment === seg && v.start <= day && h.items.has(dataset.ids.products.indexOf(v.product)));
};
const none = (): boolean => false;

const rows: [string, Score, string][] = [
  ["item_dropped", score(run.dropped, changes.itemDropped, otherDropped), "recall >= 0.8 at precision >= 0.6"],
  ["  baseline: 3 missed cycles", score(base.dropNaive, changes.itemDropped, otherDropped), ""],
  ["  baseline: P(missing) < 0.01", score(base.dropUncorrected, changes.itemDropped, otherDropped), ""],
  ["  baseline: fitItemRhythm P(missing), same threshold", score(base.dropModel, changes.itemDropped, otherDropped), ""],
  ["item_volume_drop", score(run.volume, changes.volume, none), "recall >= 0.7 at precision >= 0.6"],
  ["  baseline: last 3 < 0.6 x median", score(base.volume, changes.volume, none), ""],
  ["diversity_drop", score(run.diversity, changes.diversity, otherDiversity), "recall >= 0.7 at precision >= 0.6"],
  ["  baseline: last 4 < 0.75 x mean", score(base.diversity, changes.diversity, otherDiversity), ""],
];
const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : "-");
console.log(`synthetic distributor seed ${seed}, ${nCustomers} customers, ${dataset.lines.length} lines; ${asOfs.length} weekly as-of days ${formatDay(asOfs[0]!)} .. ${formatDay(end)}; sensitivity ${sensitivity}`);
console.log("");
console.log("| detector | events | recall | reachable (>= 3 orders after) | recall of reachable | flagged entities | precision strict | + other true changes | false flags (per 1000 customers) | delay median / p75 (days) | target |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const [name, s, target] of rows) {
  const p = s.flagged ? s.strict / s.flagged : Number.NaN;
  const p2 = s.flagged ? (s.strict + s.other) / s.flagged : Number.NaN;
  const wrong = s.flagged - s.strict - s.other;
  console.log(`| ${name} | ${s.events} | ${f(s.recall)} | ${s.reachable} | ${f(s.recallReachable)} | ${s.flagged} | ${f(p)} | ${f(p2)} (${s.other}) | ${wrong} (${f((1000 * wrong) / nCustomers, 1)}) | ${f(s.delayMedian, 0)} / ${f(s.delayP75, 0)} | ${target} |`);
}
console.log("(false flags include flags of an entity before its own planted change: item_dropped / volume / diversity: " + rows.filter((r) => !r[0].startsWith(" ")).map((r) => r[1].early).join(" / ") + ")");
console.log("");
const w = asOfs.length;
const idsPerEntity = (m: Map<string, Set<string>>): string => f([...m.values()].reduce((a, x) => a + x.size, 0) / Math.max(1, m.size));
console.log(`distinct ids per flagged entity over the replay: item_dropped ${idsPerEntity(idsOf.dropped)}, item_volume_drop ${idsPerEntity(idsOf.volume)}, diversity_drop ${idsPerEntity(idsOf.diversity)}`);
console.log(`signals per weekly run: item_dropped ${f(signalsPerWeek.dropped / w, 1)}, item_volume_drop ${f(signalsPerWeek.volume / w, 1)}, diversity_drop ${f(signalsPerWeek.diversity / w, 1)}`);
console.log(`time: data ${f(prepMs / 1000, 1)} s; per as-of day: fitItemRhythm (baselines) ${f(fitMs / w, 0)} ms, detectItemDropped ${f(detectMs.dropped / w, 0)} ms, detectItemVolumeDrop ${f(detectMs.volume / w, 0)} ms, detectDiversityDrop ${f(detectMs.diversity / w, 0)} ms; total ${f(totalMs / 1000, 1)} s`);
