/**
 * KPI benchmark (not a test): on the ~1M-line synthetic dataset, the KPI pack (monthly, 24
 * months, company + by rep + by segment) computed by orderpulse from its Dataset and by DuckDB
 * (default threads) from the same data already loaded in a table, with the SQL fixed here.
 * Prints each KPI's time (median of RUNS) and the ratio orderpulse / DuckDB.
 *
 * Usage: npm run bench:kpis [-- --runs N]
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { readDataset, writeSyntheticDistributor } from "../dist/csv/index.js";
import { activeCustomers, grossProfit, skuBreadth, type Dataset, type Dimension } from "../dist/index.js";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = Number(values.runs ?? 5);
const dir = join(import.meta.dirname, ".data", "synth-s1-cdefault");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeIt(fn: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const DIMS: [Dimension, string][] = [
  ["company", "NULL"],
  ["rep", "owner"],
  ["segment", "segment"],
];

async function main(): Promise<void> {
  if (!existsSync(join(dir, "orders.csv"))) await writeSyntheticDistributor(dir, { seed: 1 });
  const { dataset } = await readDataset({ path: dir });
  const asOf = "2026-10-31";
  const db = await (await DuckDBInstance.create(":memory:")).connect();
  const f = (n: string): string => join(dir, n).replaceAll("'", "''");
  for (const t of ["orders", "products", "customers"]) await db.run(`CREATE TABLE ${t} AS SELECT * FROM read_csv('${f(`${t}.csv`)}', header = true)`);
  await db.run(`CREATE TABLE lines AS SELECT o.order_id, CAST(o.order_date AS DATE) AS day, o.customer_id, o.product_id,
      CAST(o.quantity AS DOUBLE) AS qty, CAST(o.unit_price AS DOUBLE) AS price,
      COALESCE(CAST(o.unit_cost AS DOUBLE), CAST(p.unit_cost AS DOUBLE)) AS cost,
      c.segment, c.rep_id AS owner
    FROM orders o LEFT JOIN products p USING (product_id) LEFT JOIN customers c USING (customer_id)`);
  const window = `day <= DATE '${asOf}' AND day >= DATE '${asOf}' - INTERVAL 23 MONTH - INTERVAL (day('${asOf}'::DATE) - 1) DAY`;
  const opts = (by: Dimension) => ({ asOf, period: "month", periods: 24, by }) as const;
  const kpis: { name: string; ours: (d: Dataset, by: Dimension) => unknown; sql: (col: string) => string }[] = [
    {
      name: "active_customers",
      ours: (d, by) => activeCustomers(d, opts(by)),
      sql: (col) => `SELECT date_trunc('month', day) AS m, ${col} AS k, count(DISTINCT customer_id) FROM lines WHERE qty > 0 AND ${window} GROUP BY ALL`,
    },
    {
      name: "sku_breadth",
      ours: (d, by) => skuBreadth(d, opts(by)),
      sql: (col) => `SELECT date_trunc('month', day) AS m, ${col} AS k, count(DISTINCT (customer_id, product_id)) / count(DISTINCT customer_id) FROM lines WHERE qty > 0 AND ${window} GROUP BY ALL`,
    },
    {
      name: "revenue, gross_profit, margin",
      ours: (d, by) => grossProfit(d, opts(by)),
      sql: (col) => `SELECT date_trunc('month', day) AS m, ${col} AS k, sum(qty * price), sum(qty * (price - cost)) FILTER (WHERE cost IS NOT NULL), count(*) FILTER (WHERE cost IS NULL) FROM lines WHERE ${window} GROUP BY ALL`,
    },
  ];
  console.log(`KPI benchmark: ${dataset.lines.length.toLocaleString("en-US")} order lines, monthly x 24, company + rep + segment, median of ${RUNS} runs, node ${process.version}`);
  let totalOurs = 0, totalDuck = 0;
  for (const k of kpis) {
    const ours = await timeIt(() => DIMS.forEach(([by]) => k.ours(dataset, by)));
    const duck = await timeIt(async () => {
      for (const [, col] of DIMS) await db.runAndReadAll(k.sql(col));
    });
    totalOurs += ours;
    totalDuck += duck;
    console.log(`${k.name.padEnd(32)} orderpulse ${ours.toFixed(1).padStart(8)} ms   DuckDB ${duck.toFixed(1).padStart(8)} ms   ratio ${(ours / duck).toFixed(2)}`);
  }
  console.log(`${"total".padEnd(32)} orderpulse ${totalOurs.toFixed(1).padStart(8)} ms   DuckDB ${totalDuck.toFixed(1).padStart(8)} ms   ratio ${(totalOurs / totalDuck).toFixed(2)} (target <= 1.0)`);
}

await main();
