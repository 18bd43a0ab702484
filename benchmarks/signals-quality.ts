/**
 * The issue's signal-quality targets (not a test), measured with the product's own measurement:
 * backtest() on the seeded synthetic distributor, as of every 7 days over the last 12 months of
 * the data, scored against the planted events (truth.json). Each figure is printed beside the two
 * baselines backtest() runs on the same as-of days: the static monthly report (a customer listed
 * once it has had no order for 90 days, looked at on the 1st of each month) and a naive
 * own-rhythm rule (a gamma fitted by moments to the customer's last 10 gaps; flag when the
 * current gap's survival is below 1/2000). The two baselines are customer-level rules, so they
 * stand beside churn, frequency drop and the quiet-data rate; the item, segment, pipeline and KPI
 * rows have no such baseline ("n/a"; benchmarks/signals-quality-items.ts and
 * signals-quality-segments.ts keep their own type-specific naive rules).
 * Matching rules (docs/backtest.md): recall = planted changes starting in the window flagged on
 * an as-of day on or after their start; precision = flagged entities whose first flag came on or
 * after a matching change ("true" also counts a related change: churn <-> frequency drop,
 * item dropped <- the segment's vanishing product or a diversity drop, diversity drop <- an
 * item dropped or a vanishing product it bought); delay = days from the start to that flag.
 * The synthetic data has no planted KPI drop: kpi_drop's recall and delay come from two drops
 * injected into copies of the data (a rep losing 25% of its customers; a rep's orders losing 35%
 * of the lines beyond the first), each backtested weekly for 13 weeks from the injection with a
 * one-event truth { type: "kpi_drop", repId, start }; its false alarms from the plain replay.
 * Churn delay: a gradual churn's gaps stretch from its start for 90-180 days before it stops (its
 * `end`); customer_overdue detects the stop, so the delay target is judged from the stop day (for
 * an abrupt churn start = stop) and the delay from the start is printed beside it.
 * Usage: npm run build && node --import tsx benchmarks/signals-quality.ts [--customers 2000] [--seeds 1,2,3] [--sensitivity 1]
 */
import { parseArgs } from "node:util";
import {
  backtest,
  formatDay,
  fromRowsSync,
  generateSyntheticDistributor,
  parseDay,
  type BacktestResult,
  type BacktestTruthScore,
  type BacktestTypeReport,
  type SignalType,
} from "../dist/index.js";

const { values } = parseArgs({ options: { customers: { type: "string" }, seeds: { type: "string" }, sensitivity: { type: "string" } } });
const nCustomers = Number(values.customers ?? 2000);
const seeds = (values.seeds ?? "1").split(",").map(Number);
const sensitivity = Number(values.sensitivity ?? 1);

interface SeedRun {
  seed: number;
  result: BacktestResult;
  /** kpi_drop on the injected drops. */
  injected: BacktestTruthScore[];
  seconds: number;
}

function progress(label: string): (p: { done: number; total: number; asOf: string }) => void {
  return (p) => process.stderr.write(`\r${label}: ${p.done}/${p.total} ${p.asOf}   ${p.done === p.total ? "\n" : ""}`);
}

function runSeed(seed: number): SeedRun {
  const t0 = performance.now();
  const synth = generateSyntheticDistributor({ seed, customers: nCustomers });
  const tables = { customers: synth.customers, products: synth.products, reps: synth.reps, dealEvents: synth.dealEvents };
  const { dataset } = fromRowsSync({ orders: synth.orders, ...tables });
  const end = parseDay(synth.truth.end);
  const result = backtest(dataset, { from: end - 364, to: end, every: 7, truth: synth.truth, sensitivity, onProgress: progress(`seed ${seed}`) });

  // injected rep-level drops for kpi_drop (as benchmarks/signals-quality-segments.ts)
  const ownerOf = new Map(synth.customers.map((c) => [String(c.customer_id), String(c.rep_id ?? "")]));
  const reps = [...new Set(synth.customers.map((c) => String(c.rep_id ?? "")))].filter(Boolean).sort();
  const injections = [
    { rep: reps[seed % reps.length]!, kind: "customers", from: end - 150 },
    { rep: reps[(seed + 5) % reps.length]!, kind: "lines", from: end - 120 },
  ];
  let rnd = seed * 7919;
  const uniform = (): number => ((rnd = (Math.imul(rnd, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const injected: BacktestTruthScore[] = [];
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
    const truth = { events: [{ type: "kpi_drop", repId: inj.rep, start: formatDay(inj.from) }] };
    const r = backtest(ds, { from: inj.from, to: Math.min(end, inj.from + 91), types: ["kpi_drop"], truth, sensitivity });
    injected.push(r.byType[0]!.truth!);
  }
  return { seed, result, injected, seconds: (performance.now() - t0) / 1000 };
}

// ---- pooled scores over seeds ----
interface Pooled {
  events: number;
  found: number;
  flagged: number;
  strict: number;
  related: number;
  delays: number[];
  /** Median delays from the change's end (a gradual churn's stop). */
  stopDelays: number[];
  maxDelay: number;
  falsePerQuarter: number;
  quiet: number[];
  quietMax: number;
}
function pool(scores: readonly (BacktestTruthScore | undefined)[]): Pooled {
  const p: Pooled = { events: 0, found: 0, flagged: 0, strict: 0, related: 0, delays: [], stopDelays: [], maxDelay: -Infinity, falsePerQuarter: 0, quiet: [], quietMax: -Infinity };
  for (const s of scores) {
    if (!s) continue;
    p.events += s.events;
    p.found += s.found;
    p.flagged += s.flaggedEntities;
    p.strict += s.trueEntities;
    p.related += Math.round((s.precisionRelated ?? 0) * s.flaggedEntities);
    if (s.delayDays) {
      p.delays.push(s.delayDays.median);
      if (s.delayFromEndDays) p.stopDelays.push(s.delayFromEndDays.median);
      p.maxDelay = Math.max(p.maxDelay, s.delayDays.max);
    }
    p.falsePerQuarter += s.falseAlarmsPerQuarter / scores.length;
    if (s.quietPerCustomerMonth) {
      p.quiet.push(s.quietPerCustomerMonth.mean);
      p.quietMax = Math.max(p.quietMax, s.quietPerCustomerMonth.max);
    }
  }
  return p;
}
const f2 = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(2));
const recallOf = (p: Pooled): number | undefined => (p.events ? p.found / p.events : undefined);
const precOf = (p: Pooled): number | undefined => (p.flagged ? p.related / p.flagged : undefined);
const strictOf = (p: Pooled): number | undefined => (p.flagged ? p.strict / p.flagged : undefined);
const medianDelay = (p: Pooled, from: "start" | "stop" = "start"): number | undefined => {
  const xs = from === "start" ? p.delays : p.stopDelays;
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
};
const mean = (xs: number[]): number | undefined => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const pr = (p: Pooled): string => `R ${f2(recallOf(p))} (${p.found}/${p.events}) P ${f2(precOf(p))} [strict ${f2(strictOf(p))}] d ${f2(medianDelay(p))}`;

function report(runs: readonly SeedRun[]): void {
  const typeOf = (t: SignalType): BacktestTypeReport[] => runs.map((r) => r.result.byType.find((x) => x.type === t)!);
  const scores = (t: SignalType): Pooled => pool(typeOf(t).map((x) => x.truth));
  const base = (t: SignalType, name: string): Pooled => pool(typeOf(t).map((x) => x.baselines.find((b) => b.name === name)?.truth));
  const rows: string[][] = [["figure", "target", "reached", "met", "static monthly report", "naive own-rhythm rule"]];
  const yes = (ok: boolean): string => (ok ? "yes" : "NO");

  const churn = scores("customer_overdue");
  const churnS = base("customer_overdue", "static_monthly_report");
  const churnN = base("customer_overdue", "naive_rhythm");
  rows.push(["churn: recall", ">= 0.95 and >= naive", f2(recallOf(churn)), yes((recallOf(churn) ?? 0) >= 0.95 && (recallOf(churn) ?? 0) >= (recallOf(churnN) ?? 0)), f2(recallOf(churnS)), f2(recallOf(churnN))]);
  rows.push(["churn: precision (true change) [strict]", ">= 0.85, > both baselines", `${f2(precOf(churn))} [${f2(strictOf(churn))}]`, yes((precOf(churn) ?? 0) >= 0.85 && (precOf(churn) ?? 0) > (precOf(churnS) ?? 0) && (precOf(churn) ?? 0) > (precOf(churnN) ?? 0)), `${f2(precOf(churnS))} [${f2(strictOf(churnS))}]`, `${f2(precOf(churnN))} [${f2(strictOf(churnN))}]`]);
  const dl = (p: Pooled): string => `${f2(medianDelay(p, "stop"))} (from start ${f2(medianDelay(p))})`;
  const stopOk = (medianDelay(churn, "stop") ?? Infinity) <= 35 && (medianDelay(churn, "stop") ?? Infinity) < (medianDelay(churnS, "stop") ?? Infinity) && (medianDelay(churn, "stop") ?? Infinity) < (medianDelay(churnN, "stop") ?? Infinity);
  rows.push(["churn: median delay from the stop, days (from the start)", "<= 35, < both baselines", dl(churn), yes(stopOk), dl(churnS), dl(churnN)]);
  const gaps = typeOf("customer_overdue").map((x) => x.truth?.delayGaps?.median).filter((x): x is number => x !== undefined);
  rows.push(["churn: median delay in median gaps (mean of seeds)", "–", f2(mean(gaps)), "", f2(mean(typeOf("customer_overdue").map((x) => x.baselines[0]?.truth?.delayGaps?.median ?? NaN))), f2(mean(typeOf("customer_overdue").map((x) => x.baselines[1]?.truth?.delayGaps?.median ?? NaN)))]);

  const pairTarget = (label: string, t: SignalType, r: number, p: number, withBaselines: boolean): void => {
    const s = scores(t);
    const ok = (recallOf(s) ?? 0) >= r && (precOf(s) ?? 0) >= p;
    const b = (name: string): string => (withBaselines ? pr(base(t, name)) : "n/a");
    rows.push([label, `recall >= ${r} at precision >= ${p}`, pr(s), yes(ok), b("static_monthly_report"), b("naive_rhythm")]);
  };
  pairTarget("frequency drop", "frequency_drop", 0.8, 0.7, true);
  pairTarget("item dropped", "item_dropped", 0.8, 0.6, false);
  pairTarget("item volume drop", "item_volume_drop", 0.7, 0.6, false);
  pairTarget("diversity drop", "diversity_drop", 0.7, 0.6, false);

  for (const t of ["product_vanishing", "discount_anomaly", "pipeline_stall", "kpi_drop"] as const) {
    const s = t === "kpi_drop" ? pool(runs.flatMap((r) => r.injected)) : scores(t);
    const fa = scores(t).falsePerQuarter;
    const ok = s.events > 0 && s.found === s.events && s.maxDelay <= 14 && fa <= 1;
    rows.push([`${t}${t === "kpi_drop" ? " (injected drops)" : ""}`, "flagged within 14 days, <= 1 false alarm / quarter", `${s.found}/${s.events} found, delay max ${Number.isFinite(s.maxDelay) ? s.maxDelay : "–"} d, false ${fa.toFixed(2)} / qtr`, yes(ok), "n/a", "n/a"]);
  }
  const quiet = scores("customer_overdue");
  const q = (p: Pooled): string => `${((mean(p.quiet) ?? NaN) * 100).toFixed(2)}% (worst month ${(p.quietMax * 100).toFixed(2)}%)`;
  rows.push(["quiet data: new customer_overdue per customer-month", "< 1%", q(quiet), yes((mean(quiet.quiet) ?? 1) < 0.01), q(churnS), q(churnN)]);

  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  for (const [i, r] of rows.entries()) {
    console.log(`| ${r.map((c, j) => c.padEnd(widths[j]!)).join(" | ")} |`);
    if (i === 0) console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  }
}

console.log(`# Signal quality: backtest() on the synthetic distributor, ${nCustomers} customers, seeds ${seeds.join(", ")}, as of every 7 days over the last 12 months, sensitivity ${sensitivity}\n`);
const runs: SeedRun[] = [];
for (const seed of seeds) {
  const run = runSeed(seed);
  runs.push(run);
  if (seeds.length > 1) {
    console.log(`## seed ${seed} (${run.seconds.toFixed(0)} s)\n`);
    report([run]);
    console.log("");
  }
}
if (seeds.length > 1) console.log(`## pooled over seeds ${seeds.join(", ")} (recall and precision over all events and flags; delay = median of the seeds' medians)\n`);
report(runs);
console.log("");
console.log("R = recall (found / planted), P = precision counting related true changes, strict = only the type's own planted event, d = median delay in days.");
const od = runs.map((r) => r.result.byType.find((x) => x.type === "customer_overdue")!.overdue!);
console.log(`Without truth, customer_overdue: confirmed (no order within the p90 gap after the flag) ${od.map((o) => f2(o.confirmedShare)).join(" / ")}; median lead over the static monthly report ${od.map((o) => o.leadDays?.median ?? "–").join(" / ")} days (flagged earlier ${od.map((o) => `${o.earlier}/${o.reportListed}`).join(" / ")}) by seed.`);
console.log(`Time per seed (data, replay of ${runs[0]?.result.asOfDays.length} as-of days, injections): ${runs.map((r) => `${r.seconds.toFixed(0)} s`).join(", ")}.`);
