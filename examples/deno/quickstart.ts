// Quick start for Deno: a seeded synthetic distributor, its KPIs as a table, one customer's buying
// rhythm, and the week's top tasks. The core entry point is runtime-neutral (no file system).
//   deno run examples/deno/quickstart.ts          (npm: npx deno run examples/deno/quickstart.ts)
// In this repository the import below is the source itself; in your project import "orderpulse"
// (deno add npm:orderpulse, or "npm:orderpulse"): the same names. The repository's deno.json also
// maps "orderpulse" to ./src/index.ts, which examples/notebook.ipynb uses.
import {
  analyze,
  computeKpis,
  detectSignals,
  fitPatterns,
  fromRowsSync,
  generateSyntheticDistributor,
  rankTasks,
} from "../../src/index.ts";

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
const asOf = synth.truth.end;
console.log(`${report.lines} order lines, ${dataset.ids.customers.size} customers, ${report.rejected} rejected, as of ${asOf}`);

// KPIs of the last six months, one row per month.
const kpis = computeKpis(dataset, { asOf, period: "month", periods: 6, kpis: ["revenue", "gross_profit", "margin", "active_customers"] });
const byMonth = new Map<string, Record<string, string | number>>();
for (const [kpi, rows] of Object.entries(kpis.kpis)) {
  for (const r of rows) {
    const row = byMonth.get(r.period) ?? { month: r.period };
    row[kpi] = r.value === undefined ? "–" : kpi === "margin" ? `${(r.value * 100).toFixed(1)}%` : Math.round(r.value);
    byMonth.set(r.period, row);
  }
}
console.log("KPIs by month");
console.table([...byMonth.values()]);

// One customer's rhythm: the customer behind the most valuable customer-level signal.
const model = fitPatterns(dataset, { asOf });
const signal = detectSignals(dataset, { asOf, model }).find((s) => s.customerId !== undefined);
const customerId = signal?.customerId ?? dataset.ids.customers.values[0] ?? "";
const rhythm = model.customer(customerId);
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
console.log(`rhythm of ${customerId}${signal ? ` (${signal.type})` : ""}`);
console.table({
  "purchase days": rhythm?.purchaseDays,
  "last order": rhythm?.lastOrder,
  "days since last": rhythm?.daysSinceLast,
  "mean gap (days)": rhythm?.meanGapDays?.toFixed(1),
  regularity: rhythm?.cv?.toFixed(2),
  "next expected": rhythm?.expectedNext,
  "next p10..p90": `${rhythm?.nextP10} .. ${rhythm?.nextP90}`,
  "overdue probability": rhythm?.overdueProbability?.toFixed(2),
  "closed weekdays": rhythm?.closedWeekdays.map((d) => WEEKDAYS[d]).join(" ") || "none",
});

// The week's tasks: every rep's ranked list; the five most valuable across reps.
const ranked = rankTasks(analyze(dataset, { asOf, model }));
const top = [...ranked.tasks].sort((a, b) => b.value - a.value || a.id.localeCompare(b.id)).slice(0, 5);
console.log(`top tasks (${ranked.tasks.length} tasks for ${ranked.byRep.length} reps)`);
console.table(
  top.map((t) => ({
    rep: t.repId ?? "–",
    customer: t.customerName ?? t.customerId ?? "",
    kind: t.kind,
    value: Math.round(t.value),
    action: t.actions[0]?.text ?? "",
  })),
);
