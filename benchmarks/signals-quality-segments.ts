/**
 * Quality of the segment- and rep-level signal detectors (not a test): detectProductVanishing,
 * detectDiscountAnomaly, detectPipelineStall and detectKpiDrop on the seeded synthetic
 * distributor, replayed weekly (every 7 days) over the last 12 months of the data, as a host
 * would run them (one pattern model per as-of day). Every flag day of every entity is recorded
 * (segment × product, segment, rep × stage, KPI × group):
 *   - recall = planted events of the detector's type flagged at or after their start (by the end
 *     of the data);
 *   - precision = flagged entities that truly changed at or before the flag (a planted event of
 *     the type on that entity; discount by rep, opt-in: a rep whose list revenue is at least 10%
 *     in the segment whose discount rose);
 *   - delay = days from the change to the first flag on or after it (median, max; until
 *     2026-12-05 recall and delay took each entity's first flag only, so an entity falsely flagged
 *     before its change counted as a miss); ids = distinct signal ids per
 *     true entity over the replay (1 = the id held while the situation lasted);
 *   - false alarms per quarter = first flags of entities without a true change ÷ 4.
 * There is no planted kpi_drop: on the plain data every kpi_drop flag is counted as an alarm (and
 * listed, with how much of its group was hit by planted customer-level events); recall and delay
 * come from drops injected into copies of the data (a rep losing 25% of its customers; a rep's
 * orders losing 35% of their lines beyond the first), replayed weekly for 13 weeks.
 * Naive baselines run on the same as-of days: vanishing = at least 3 and 50% of the habitual
 * buyers (inclusion >= 0.3, 3+ purchases) who ordered in the last 28 days without the product
 * (and had it in the 90 days before); discount = a Shewhart point (the newest complete week above
 * the prior 52 weeks' mean + 3 sd); pipeline = at least 2 open deals in the stage for over twice
 * the team's median stay; KPI = the last 4 complete weeks at least 10% below the same weeks last
 * year.
 * Usage: npm run build && node --import tsx benchmarks/signals-quality-segments.ts [-- --customers N --seeds 1,2,3 --sensitivity X]
 */
import { parseArgs } from "node:util";
import {
  activeCustomers,
  detectDiscountAnomaly,
  detectKpiDrop,
  detectPipelineStall,
  detectProductVanishing,
  discountRate,
  fitDealStages,
  fitPatterns,
  formatDay,
  fromRowsSync,
  generateSyntheticDistributor,
  grossProfit,
  parseDay,
  skuBreadth,
  type Dataset,
  type KpiRow,
  type PatternModel,
  type Signal,
} from "../dist/index.js";

const { values } = parseArgs({ options: { customers: { type: "string" }, seeds: { type: "string" }, sensitivity: { type: "string" }, weeks: { type: "string" } } });
const nCustomers = Number(values.customers ?? 2000);
const seeds = (values.seeds ?? "1,2,3").split(",").map(Number);
const sensitivity = Number(values.sensitivity ?? 1);
const weeks = Number(values.weeks ?? 52);

type Synth = ReturnType<typeof generateSyntheticDistributor>;
type Ev = Synth["truth"]["events"][number];

/** First flag day, every flag day (ascending) and the distinct ids of one entity over the replay. */
interface Flag {
  first: number;
  days: number[];
  ids: Set<string>;
}
const flagged = (m: Map<string, Flag>, key: string, day: number, id: string): void => {
  const f = m.get(key);
  if (f) {
    f.ids.add(id);
    if (f.days[f.days.length - 1] !== day) f.days.push(day);
  } else m.set(key, { first: day, days: [day], ids: new Set([id]) });
};

/** One detector's (or baseline's) score against the planted events of one seed. */
interface Score {
  planted: number;
  found: number;
  delays: number[];
  trueEntities: number;
  flaggedEntities: number;
  idsPerTrue: number[];
  falseKeys: string[];
}
function score(flags: Map<string, Flag>, truth: Map<string, number>, isTrue: (key: string, day: number) => boolean = (k, d) => truth.has(k) && d >= truth.get(k)!): Score {
  const s: Score = { planted: truth.size, found: 0, delays: [], trueEntities: 0, flaggedEntities: flags.size, idsPerTrue: [], falseKeys: [] };
  // recall and delay: the first flag on or after the start (a false alarm before it does not hide
  // a later true flag); precision below judges each entity by its first flag
  for (const [key, start] of truth) {
    const hit = flags.get(key)?.days.find((d) => d >= start);
    if (hit !== undefined) {
      s.found++;
      s.delays.push(hit - start);
    }
  }
  for (const [key, f] of flags) {
    if (isTrue(key, f.first)) {
      s.trueEntities++;
      s.idsPerTrue.push(f.ids.size);
    } else s.falseKeys.push(`${key}@${formatDay(f.first)}`);
  }
  return s;
}
const rows: string[][] = [];
const merged = new Map<string, Score[]>();
function record(name: string, s: Score): void {
  if (!merged.has(name)) merged.set(name, []);
  merged.get(name)!.push(s);
}
const median = (xs: number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
};
const pct = (a: number, b: number): string => (b === 0 ? "-" : `${((100 * a) / b).toFixed(0)}% (${a}/${b})`);

const timing = { model: 0, vanishing: 0, discount: 0, pipeline: 0, kpi: 0, runs: 0 };
const kpiAlarmLines: string[] = [];
const injectionLines: string[] = [];

for (const seed of seeds) {
  const synth = generateSyntheticDistributor({ seed, customers: nCustomers });
  const tables = { customers: synth.customers, products: synth.products, reps: synth.reps, dealEvents: synth.dealEvents };
  const { dataset } = fromRowsSync({ orders: synth.orders, ...tables });
  const end = parseDay(synth.truth.end);
  const asOfs: number[] = [];
  for (let k = weeks - 1; k >= 0; k--) asOfs.push(end - 7 * k);
  const events = synth.truth.events;
  const of = (t: string): Ev[] => events.filter((e) => e.type === t);

  // truth per entity
  const vanishTruth = new Map(of("product_vanishing").map((e) => [`${e.segment}|${e.productId}`, parseDay(e.start)]));
  const discountTruth = new Map(of("discount_rise").map((e) => [e.segment!, parseDay(e.start)]));
  const stallTruth = new Map(of("pipeline_stall").map((e) => [`${e.repId}|${e.stage}`, parseDay(e.start)]));
  // reps exposed to the discount rise: >= 10% of their list revenue (trailing year at the end) in the segment
  const riseSegment = of("discount_rise")[0]?.segment;
  const segmentOf = new Map(synth.customers.map((c) => [String(c.customer_id), String(c.segment ?? "")]));
  const ownerOf = new Map(synth.customers.map((c) => [String(c.customer_id), String(c.rep_id ?? "")]));
  const repList = new Map<string, { all: number; seg: number }>();
  for (const o of synth.orders) {
    const q = Number(o.quantity);
    if (q <= 0 || parseDay(o.order_date as string) < end - 364) continue;
    const rep = ownerOf.get(String(o.customer_id))!;
    const x = repList.get(rep) ?? { all: 0, seg: 0 };
    const v = q * Number(o.list_price);
    x.all += v;
    if (segmentOf.get(String(o.customer_id)) === riseSegment) x.seg += v;
    repList.set(rep, x);
  }
  const repDiscountTruth = new Map<string, number>();
  for (const [rep, x] of repList) if (riseSegment && x.seg >= 0.1 * x.all) repDiscountTruth.set(rep, discountTruth.get(riseSegment)!);

  const flags = {
    vanishing: new Map<string, Flag>(),
    discount: new Map<string, Flag>(),
    discountRep: new Map<string, Flag>(),
    pipeline: new Map<string, Flag>(),
    kpi: new Map<string, Flag>(),
    baseVanishing: new Map<string, Flag>(),
    baseDiscount: new Map<string, Flag>(),
    basePipeline: new Map<string, Flag>(),
    baseKpi: new Map<string, Flag>(),
  };
  for (const asOf of asOfs) {
    let t = performance.now();
    const model = fitPatterns(dataset, { asOf });
    timing.model += performance.now() - t;
    t = performance.now();
    for (const s of detectProductVanishing(dataset, { asOf, model, sensitivity })) flagged(flags.vanishing, `${s.segment}|${s.productId}`, asOf, s.id);
    timing.vanishing += performance.now() - t;
    t = performance.now();
    for (const s of detectDiscountAnomaly(dataset, { asOf, sensitivity, by: "both" })) {
      if (s.segment !== undefined) flagged(flags.discount, s.segment, asOf, s.id);
      else flagged(flags.discountRep, s.repId!, asOf, s.id);
    }
    timing.discount += performance.now() - t;
    t = performance.now();
    for (const s of detectPipelineStall(dataset, { asOf, sensitivity })) flagged(flags.pipeline, `${s.repId}|${s.stage}`, asOf, s.id);
    timing.pipeline += performance.now() - t;
    t = performance.now();
    for (const s of detectKpiDrop(dataset, { asOf, model, sensitivity })) flagged(flags.kpi, kpiKey(s), asOf, s.id);
    timing.kpi += performance.now() - t;
    timing.runs++;
    // baselines
    for (const k of baselineVanishing(dataset, model, asOf)) flagged(flags.baseVanishing, k, asOf, k);
    for (const k of baselineDiscount(dataset, asOf)) flagged(flags.baseDiscount, k, asOf, k);
    for (const k of baselinePipeline(dataset, asOf)) flagged(flags.basePipeline, k, asOf, k);
    for (const k of baselineKpi(dataset, asOf)) flagged(flags.baseKpi, k, asOf, k);
  }
  record("product_vanishing", score(flags.vanishing, vanishTruth));
  record("  baseline: 50% of habitual buyers without it for 28 days", score(flags.baseVanishing, vanishTruth));
  record("discount_anomaly (segment, default)", score(flags.discount, discountTruth));
  record("discount_anomaly (rep, opt-in)", score(flags.discountRep, repDiscountTruth));
  record("  baseline: Shewhart 3 sd on the newest week (segment)", score(flags.baseDiscount, discountTruth));
  record("pipeline_stall", score(flags.pipeline, stallTruth));
  record("  baseline: 2+ deals over 2x the team's median stay", score(flags.basePipeline, stallTruth));
  record("kpi_drop (company + rep, plain data)", score(flags.kpi, new Map()));
  record("  baseline: last 4 weeks 10% below last year", score(flags.baseKpi, new Map()));

  // the kpi alarms on plain data, with their groups' exposure to planted customer-level events
  const hit = new Map<string, number>(); // customer -> start of a churn / frequency / diversity event
  for (const e of events) if (e.customerId && ["churn", "frequency_drop", "diversity_drop"].includes(e.type)) hit.set(e.customerId, parseDay(e.start));
  for (const [key, f] of flags.kpi) {
    const [, level, group] = key.split("|");
    const members = synth.customers.filter((c) => level === "company" || String(c.rep_id) === group);
    const exposed = members.filter((c) => {
      const d = hit.get(String(c.customer_id));
      return d !== undefined && d <= f.first && d >= f.first - 182;
    }).length;
    const inRise = members.filter((c) => String(c.segment) === riseSegment).length;
    kpiAlarmLines.push(`seed ${seed}  ${key.padEnd(34)} first ${formatDay(f.first)}  customers hit by planted churn/frequency/diversity events in the 182 days before: ${((100 * exposed) / members.length).toFixed(1)}%  in the discount-rise segment: ${((100 * inRise) / members.length).toFixed(0)}%${discountTruth.size && f.first >= [...discountTruth.values()][0]! ? " (after the rise)" : ""}`);
  }

  // injected rep-level drops: recall and delay of kpi_drop (and of the baseline)
  const reps = [...new Set(synth.customers.map((c) => String(c.rep_id ?? "")))].filter(Boolean).sort();
  const injections: { rep: string; kind: "customers" | "lines"; from: number }[] = [
    { rep: reps[seed % reps.length]!, kind: "customers", from: end - 150 },
    { rep: reps[(seed + 5) % reps.length]!, kind: "lines", from: end - 120 },
  ];
  let rnd = seed * 7919;
  const uniform = (): number => ((rnd = (Math.imul(rnd, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (const inj of injections) {
    const lost = new Set(synth.customers.filter((c) => String(c.rep_id) === inj.rep && uniform() < 0.25).map((c) => String(c.customer_id)));
    const firstLine = new Set<string>();
    const orders = synth.orders.filter((o) => {
      const c = String(o.customer_id);
      if (ownerOf.get(c) !== inj.rep || parseDay(o.order_date as string) < inj.from) return true;
      if (inj.kind === "customers") return !lost.has(c);
      const oid = String(o.order_id);
      if (!firstLine.has(oid)) {
        firstLine.add(oid);
        return true;
      }
      return uniform() >= 0.35;
    });
    const ds = fromRowsSync({ orders, ...tables }).dataset;
    let found: number | undefined, foundBase: number | undefined, kpi = "";
    for (let a = inj.from; a <= Math.min(end, inj.from + 91); a += 7) {
      if (found === undefined) {
        const s = detectKpiDrop(ds, { asOf: a, sensitivity }).find((x) => x.repId === inj.rep);
        if (s) {
          found = a;
          kpi = s.kpi!;
        }
      }
      if (foundBase === undefined && baselineKpi(ds, a).some((k) => k.endsWith(`|rep|${inj.rep}`))) foundBase = a;
    }
    injectionLines.push(
      `seed ${seed}  ${inj.rep} ${inj.kind === "customers" ? "loses 25% of its customers" : "orders lose 35% of lines beyond the first"} from ${formatDay(inj.from)}: kpi_drop ${found === undefined ? "not flagged in 13 weeks" : `after ${found - inj.from} days (${kpi})`}; baseline ${foundBase === undefined ? "not flagged" : `after ${foundBase - inj.from} days`}`,
    );
  }
}

// ---- report ----
console.log(`# Segment- and rep-level signals: synthetic distributor, ${nCustomers} customers, seeds ${seeds.join(", ")}, sensitivity ${sensitivity}, weekly as-of days over the last ${weeks} weeks\n`);
rows.push(["detector", "recall", "precision", "delay median / max (days)", "false alarms / quarter", "ids per true entity"]);
for (const [name, list] of merged) {
  const planted = list.reduce((a, s) => a + s.planted, 0);
  const found = list.reduce((a, s) => a + s.found, 0);
  const trueE = list.reduce((a, s) => a + s.trueEntities, 0);
  const flaggedE = list.reduce((a, s) => a + s.flaggedEntities, 0);
  const delays = list.flatMap((s) => s.delays);
  const falseCount = list.reduce((a, s) => a + s.falseKeys.length, 0);
  const ids = list.flatMap((s) => s.idsPerTrue);
  rows.push([
    name,
    planted ? pct(found, planted) : "-",
    pct(trueE, flaggedE),
    delays.length ? `${median(delays)} / ${Math.max(...delays)}` : "-",
    ((falseCount / list.length) * (13 / weeks)).toFixed(2),
    ids.length ? `${median(ids)} (max ${Math.max(...ids)})` : "-",
  ]);
}
const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
for (const [i, r] of rows.entries()) {
  console.log(`| ${r.map((c, j) => c.padEnd(widths[j]!)).join(" | ")} |`);
  if (i === 0) console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
}
console.log("\nFalse alarms (first flags of entities without a planted change):");
for (const [name, list] of merged) {
  const keys = list.flatMap((s, i) => s.falseKeys.map((k) => `seed ${seeds[i]} ${k}`));
  if (keys.length) console.log(`  ${name}: ${keys.slice(0, 12).join(", ")}${keys.length > 12 ? `, … (${keys.length})` : ""}`);
}
console.log("\nkpi_drop alarms on the plain data:");
for (const l of kpiAlarmLines) console.log(`  ${l}`);
console.log("\nkpi_drop on injected rep-level drops (weekly as-of days from the injection):");
for (const l of injectionLines) console.log(`  ${l}`);
const per = (x: number): string => `${(x / timing.runs).toFixed(0)} ms`;
console.log(`\nTime per as-of day: fitPatterns ${per(timing.model)}, product_vanishing ${per(timing.vanishing)}, discount_anomaly (both levels) ${per(timing.discount)}, pipeline_stall ${per(timing.pipeline)}, kpi_drop ${per(timing.kpi)}`);

// ---- helpers ----
function kpiKey(s: Signal): string {
  return `${s.kpi}|${s.repId !== undefined ? "rep" : s.segment !== undefined ? "segment" : "company"}|${s.repId ?? s.segment ?? ""}`;
}

function baselineVanishing(ds: Dataset, model: PatternModel, asOf: number): string[] {
  const counts = new Map<string, { risk: number; dropped: number }>();
  for (const r of model.all()) {
    if (r.lastOrder === undefined || parseDay(r.lastOrder) < asOf - 27) continue; // ordered in the last 28 days
    const c = ds.ids.customers.indexOf(r.customerId);
    const g = ds.customers.segment[c]!;
    if (g < 0) continue;
    const seg = ds.ids.segments.values[g]!;
    for (const it of model.items(r.customerId)) {
      if (it.inclusion < 0.3 || it.itemOrders < 3) continue;
      const last = parseDay(it.lastBought);
      if (last < asOf - 27 - 90) continue; // had it in the 90 days before the window
      const k = `${seg}|${it.productId}`;
      const x = counts.get(k) ?? { risk: 0, dropped: 0 };
      x.risk++;
      if (last < asOf - 27) x.dropped++;
      counts.set(k, x);
    }
  }
  return [...counts].filter(([, x]) => x.dropped >= 3 && x.dropped >= 0.5 * x.risk).map(([k]) => k);
}

function weeklySeries<R extends KpiRow>(rows: readonly R[], value: (r: R) => number | undefined): Map<string, (number | undefined)[]> {
  const out = new Map<string, (number | undefined)[]>();
  for (const r of rows) {
    if (r.key === null || r.partial) continue;
    const k = r.key ?? "";
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(value(r));
  }
  return out;
}

function baselineDiscount(ds: Dataset, asOf: number): string[] {
  const out: string[] = [];
  for (const [seg, xs] of weeklySeries(discountRate(ds, { asOf, period: "week", periods: 54, by: "segment" }), (r) => r.value)) {
    const last = xs[xs.length - 1];
    const prior = xs.slice(0, -1).filter((x): x is number => x !== undefined);
    if (last === undefined || prior.length < 12) continue;
    const m = prior.reduce((a, b) => a + b, 0) / prior.length;
    const sd = Math.sqrt(prior.reduce((a, b) => a + (b - m) ** 2, 0) / (prior.length - 1));
    if (last > m + 3 * sd) out.push(seg);
  }
  return out;
}

function baselinePipeline(ds: Dataset, asOf: number): string[] {
  const model = fitDealStages(ds, { asOf });
  const count = new Map<string, number>();
  for (const d of model.openDeals()) {
    const p50 = model.stage(d.stage)?.quantiles?.p50;
    if (d.repId === undefined || p50 === undefined || d.daysInStage <= 2 * p50) continue;
    const k = `${d.repId}|${d.stage}`;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  return [...count].filter(([, n]) => n >= 2).map(([k]) => k);
}

function baselineKpi(ds: Dataset, asOf: number): string[] {
  const out: string[] = [];
  for (const by of ["company", "rep"] as const) {
    const opts = { asOf, period: "week" as const, periods: 58, by };
    const sets: [string, Map<string, (number | undefined)[]>][] = [
      ["active_customers", weeklySeries(activeCustomers(ds, opts), (r) => r.value)],
      ["sku_breadth", weeklySeries(skuBreadth(ds, opts), (r) => r.value)],
      ["gross_profit", weeklySeries(grossProfit(ds, opts), (r) => r.value)],
    ];
    for (const [kpi, series] of sets) {
      for (const [key, xs] of series) {
        const n = xs.length;
        if (n < 56) continue;
        let now = 0, then = 0;
        for (let j = n - 4; j < n; j++) {
          now += xs[j] ?? 0;
          then += xs[j - 52] ?? 0;
        }
        if (then > 0 && now < 0.9 * then) out.push(`${kpi}|${by}|${key}`);
      }
    }
  }
  return out;
}
