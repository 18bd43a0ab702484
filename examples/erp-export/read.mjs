// The same export read from code instead of the CLI: readDataset with the options run.sh passes
// as flags, then each customer's revenue in October 2026, with its Hebrew name.
//   npm run build && node examples/erp-export/read.mjs
import { join } from "node:path";
import { computeKpis } from "orderpulse";
import { readDataset } from "orderpulse/csv";

const { dataset, report } = await readDataset({
  path: join(import.meta.dirname, "data"),
  encoding: "windows-1255",
  delimiter: ";",
  dateFormat: "dd/MM/yyyy",
  decimalComma: true,
  currency: "ILS",
  timeZone: "Asia/Jerusalem",
  map: {
    order_id: "מספר חשבונית",
    line_id: "שורה",
    order_date: "תאריך",
    customer_id: "קוד לקוח",
    product_id: "קוד פריט",
    quantity: "כמות",
    unit_price: "מחיר נטו",
    unit_cost: "עלות",
    rep_id: "סוכן",
    "customers.customer_id": "קוד לקוח",
    "customers.name": "שם לקוח",
    "customers.segment": "ענף",
    "customers.region": "אזור",
    "customers.rep_id": "סוכן",
    "products.product_id": "קוד פריט",
    "products.name": "שם פריט",
    "products.family": "משפחה",
    "products.list_price": "מחיר מחירון",
    "products.unit_cost": "עלות",
  },
});
console.log(`read ${report.lines} order lines, ${report.rejected} rejected, currency ${dataset.currency}`);

const kpis = computeKpis(dataset, { asOf: "2026-10-31", period: "month", periods: 1, by: "customer", kpis: ["revenue"] });
const rows = [...(kpis.kpis.revenue ?? [])].sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || String(a.key).localeCompare(String(b.key)));
for (const r of rows) {
  const c = dataset.ids.customers.values.indexOf(String(r.key));
  console.log(`${r.period} ${r.key} ${dataset.customers.name[c] ?? "?"}: ${(r.value ?? 0).toFixed(2)} ILS`);
}
