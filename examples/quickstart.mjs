// Quick start for Node (ESM): generate a small synthetic distributor, write it as CSV, read it
// back with the ingest report, and look at one customer's purchase occasions as of a date.
// Run: npm run build && node examples/quickstart.mjs
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asOfView, formatDay, orderOccasions } from "orderpulse";
import { readDataset, writeSyntheticDistributor } from "orderpulse/csv";

const dir = mkdtempSync(join(tmpdir(), "orderpulse-quickstart-"));
await writeSyntheticDistributor(dir, { seed: 7, customers: 50, products: 120, years: 2 });

const { dataset, report } = await readDataset({ path: dir });
assert.equal(report.rowsRead, report.accepted + report.rejected + report.excluded);
console.log(`read ${report.lines} order lines for ${dataset.ids.customers.size} customers (${report.rejected} rejected)`);

const view = asOfView(dataset, "2026-06-30"); // nothing after this day is visible
const occ = orderOccasions(view);
const c = 0;
const days = [];
for (let k = occ.customerStart[c]; k < occ.customerStart[c + 1]; k++) days.push(formatDay(occ.day[k]));
console.log(`customer ${dataset.ids.customers.values[c]}: ${days.length} orders up to 2026-06-30, last on ${days.at(-1) ?? "never"}`);

rmSync(dir, { recursive: true }); // the CSV files were only the round trip's
