/**
 * KPI benchmark (not a test): on the ~1M-line synthetic dataset, the KPI pack (monthly, 24
 * months, company + by rep + by segment) computed by orderpulse from its Dataset and by DuckDB
 * (default threads) from the same data already loaded in a table, with the SQL fixed here.
 * Prints each KPI's time (median of RUNS) and the ratio orderpulse / DuckDB.
 *
 * Usage: npm run bench:kpis [-- --runs N]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SYNTH_DIR, ensureSyntheticDistributor, timeIt } from "./support.ts";
import { DuckDBInstance } from "@duckdb/node-api";
import { readDataset } from "../dist/csv/index.js";
import { activeCustomers, churnRate, discountRate, grossProfit, orderFrequency, repurchaseRate, skuBreadth, type Dataset, type Dimension } from "../dist/index.js";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = Number(values.runs ?? 5);
const dir = SYNTH_DIR;

const DIMS: [Dimension, string][] = [
  ["company", "NULL"],
  ["rep", "owner"],
  ["segment", "segment"],
];

async function main(): Promise<void> {
  await ensureSyntheticDistributor();
  const { dataset } = await readDataset({ path: dir });
  const asOf = "2026-10-31";
  const db = await (await DuckDBInstance.create(":memory:")).connect();
  const f = (n: string): string => join(dir, n).replaceAll("'", "''");
  for (const t of ["orders", "products", "customers"]) await db.run(`CREATE TABLE ${t} AS SELECT * FROM read_csv('${f(`${t}.csv`)}', header = true)`);
  await db.run(`CREATE TABLE lines AS SELECT o.order_id, CAST(o.order_date AS DATE) AS day, o.customer_id, o.product_id,
      CAST(o.quantity AS DOUBLE) AS qty, CAST(o.unit_price AS DOUBLE) AS price,
      COALESCE(CAST(o.unit_cost AS DOUBLE), CAST(p.unit_cost AS DOUBLE)) AS cost,
      COALESCE(CAST(o.list_price AS DOUBLE), CAST(p.list_price AS DOUBLE)) AS list,
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
    {
      name: "discount_rate",
      ours: (d, by) => discountRate(d, opts(by)),
      sql: (col) => `SELECT date_trunc('month', day) AS m, ${col} AS k, 1 - sum(qty * price) / sum(qty * list), count(*) FILTER (WHERE list IS NULL) FROM lines WHERE qty > 0 AND list IS NOT NULL AND ${window} GROUP BY ALL`,
    },
    {
      name: "order_frequency",
      ours: (d, by) => orderFrequency(d, opts(by)),
      sql: (col) => `WITH occ AS (SELECT customer_id, order_id, min(day) AS day, any_value(${col}) AS k FROM lines WHERE qty > 0 GROUP BY ALL)
        SELECT date_trunc('month', day) AS m, k, count(*) / count(DISTINCT customer_id) FROM occ WHERE ${window} GROUP BY ALL`,
    },
    {
      name: "repurchase_rate",
      ours: (d, by) => repurchaseRate(d, opts(by)),
      sql: (col) => `WITH p AS (SELECT customer_id, product_id, date_trunc('month', day) AS m, any_value(${col}) AS k FROM lines WHERE qty > 0 AND day <= DATE '${asOf}' GROUP BY ALL)
        SELECT a.m, a.k, avg(CASE WHEN b.customer_id IS NULL THEN 0 ELSE 1 END) FROM p a LEFT JOIN p b
          ON a.customer_id = b.customer_id AND a.product_id = b.product_id AND b.m = a.m + INTERVAL 1 MONTH
        WHERE a.m >= DATE '${asOf}' - INTERVAL 23 MONTH - INTERVAL (day('${asOf}'::DATE) - 1) DAY GROUP BY ALL`,
    },
    {
      name: "churn_rate",
      ours: (d, by) => churnRate(d, opts(by)),
      sql: (col) => `WITH pd AS (SELECT DISTINCT customer_id, day, ${col} AS k FROM lines WHERE qty > 0 AND day <= DATE '${asOf}'),
        ev AS (SELECT customer_id, k, day + 90 AS churn_day FROM (SELECT *, lead(day) OVER (PARTITION BY customer_id ORDER BY day) AS nxt FROM pd)
               WHERE (nxt IS NULL OR nxt > day + 90) AND day + 90 <= DATE '${asOf}'),
        months AS (SELECT date_trunc('month', DATE '${asOf}') - INTERVAL (i) MONTH AS s FROM range(0, 24) t(i)),
        base AS (SELECT m.s, pd.k, count(DISTINCT pd.customer_id) AS n FROM months m JOIN pd ON pd.day < m.s AND pd.day >= m.s - INTERVAL 90 DAY GROUP BY ALL)
        SELECT base.s, base.k, count(ev.customer_id) / any_value(base.n) FROM base LEFT JOIN ev ON ev.k IS NOT DISTINCT FROM base.k
          AND ev.churn_day >= base.s AND ev.churn_day < base.s + INTERVAL 1 MONTH GROUP BY ALL`,
    },
  ];
  console.log(`KPI benchmark: ${dataset.lines.length.toLocaleString("en-US")} order lines, monthly x 24, company + rep + segment, median of ${RUNS} runs, node ${process.version}`);
  let totalOurs = 0, totalDuck = 0;
  for (const k of kpis) {
    const ours = await timeIt(() => DIMS.forEach(([by]) => k.ours(dataset, by)), RUNS, false);
    const duck = await timeIt(async () => {
      for (const [, col] of DIMS) await db.runAndReadAll(k.sql(col));
    }, RUNS, false);
    totalOurs += ours;
    totalDuck += duck;
    console.log(`${k.name.padEnd(32)} orderpulse ${ours.toFixed(1).padStart(8)} ms   DuckDB ${duck.toFixed(1).padStart(8)} ms   ratio ${(ours / duck).toFixed(2)}`);
  }
  console.log(`${"total".padEnd(32)} orderpulse ${totalOurs.toFixed(1).padStart(8)} ms   DuckDB ${totalDuck.toFixed(1).padStart(8)} ms   ratio ${(totalOurs / totalDuck).toFixed(2)} (target <= 1.0)`);
}

await main();
