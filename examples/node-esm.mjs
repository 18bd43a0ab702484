// A short tour of the public API for Node (ESM). examples/node-cjs.cjs is the same tour with
// require() and prints the same lines.
//   npm run build && node examples/node-esm.mjs
// Inside this repository "orderpulse" resolves to the built package (package.json self-reference);
// in your project it is the installed package.
import {
  analyze,
  computeKpis,
  detectSignals,
  fitPatterns,
  fromRowsSync,
  generateSyntheticDistributor,
  recommend,
  weeklyBrief,
} from "orderpulse";

// 1. Data: a small seeded synthetic distributor (same seed, same data), read like your own rows.
//    With files, use readDataset from "orderpulse/csv"; fromRows (async) takes async iterables.
const synth = generateSyntheticDistributor({ seed: 7, customers: 60, products: 80, years: 2 });
const { dataset, report } = fromRowsSync({
  orders: synth.orders,
  customers: synth.customers,
  products: synth.products,
  reps: synth.reps,
  dealEvents: synth.dealEvents,
  targets: synth.targets,
  content: synth.content,
});
const asOf = synth.truth.end; // analyse as of the last day of the history
console.log(`data: ${report.lines} order lines, ${dataset.ids.customers.size} customers, ${report.rejected} rejected, as of ${asOf}`);

// 2. KPIs: the last three complete months of revenue and gross margin rate.
const kpis = computeKpis(dataset, { asOf, period: "month", periods: 3, kpis: ["revenue", "margin"] });
for (const row of kpis.kpis.revenue ?? []) {
  const margin = kpis.kpis.margin?.find((m) => m.period === row.period)?.value;
  console.log(`kpi ${row.period}: revenue ${row.value?.toFixed(2)}, margin ${((margin ?? NaN) * 100).toFixed(1)}%`);
}

// 3. Patterns: every customer's buying rhythm, fitted once and shared by the steps below.
const model = fitPatterns(dataset, { asOf });

// 4. Signals: situations worth a look, highest value at risk first.
const signals = detectSignals(dataset, { asOf, model });
const byType = new Map();
for (const s of signals) byType.set(s.type, (byType.get(s.type) ?? 0) + 1);
console.log(`signals: ${signals.length} (${[...byType].map(([type, n]) => `${type} ${n}`).join(", ")})`);
const top = signals.find((s) => s.customerId !== undefined);
if (top === undefined) throw new Error("expected a customer-level signal");
console.log(`top customer signal: ${top.message}`);

// The customer of that signal: its rhythm and its offers.
const customerId = top.customerId;
const rhythm = model.customer(customerId);
console.log(
  `rhythm ${customerId}: ${rhythm?.purchaseDays} purchase days, typical gap ${rhythm?.meanGapDays?.toFixed(1)} days, ` +
    `last order ${rhythm?.lastOrder}, next expected ${rhythm?.expectedNext}`,
);

// 5. Offers for that customer (cross-sell, repurchase, win-back...), best first.
const offers = recommend(dataset, { asOf, model, customerId, k: 3 });
for (const o of offers) console.log(`offer ${o.kind} ${o.productId} at ${o.suggestedPrice.toFixed(2)} (score ${o.score.toFixed(2)})`);

// 6. Everything at once (KPIs, signals, offers, deals, values), then a rep's weekly brief.
const analysis = analyze(dataset, { asOf, model });
const repId = top.repId ?? analysis.reps[0]?.repId;
const markdown = weeklyBrief(analysis, { repId, format: "markdown" });
const lines = markdown.split("\n");
console.log(`brief for ${repId}: ${lines.length} lines of markdown`);
console.log(lines[0]);
const firstTask = lines.find((l) => /^### /.test(l) || /^\d+\. /.test(l));
if (firstTask !== undefined) console.log(firstTask);
