/**
 * Differential-test support: one synthetic dataset (>= 100k lines, with returns, missing costs
 * and missing list prices) loaded both into an orderpulse Dataset and into DuckDB, so each KPI
 * can be checked row by row against SQL written independently in the test.
 */
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { expect } from "vitest";
import { writeCsv } from "../../src/csv/write-csv.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import { fromRowsSync } from "../../src/data/from-rows-sync.ts";
import { generateSyntheticDistributor } from "../../src/synth/generate-synthetic-distributor.ts";
import { tempDir } from "./temp-dir.ts";

export interface DuckFixture {
  readonly dataset: Dataset;
  readonly db: DuckDBConnection;
  /** Rows of a query as plain objects (BigInt -> number, DATE -> YYYY-MM-DD). */
  readonly query: (sql: string) => Promise<Record<string, unknown>[]>;
  /** Last order day, YYYY-MM-DD. */
  readonly lastDay: string;
}

let fixture: Promise<DuckFixture> | undefined;

/** The shared fixture (built once per test file). */
export function duckFixture(): Promise<DuckFixture> {
  return (fixture ??= build());
}

async function build(): Promise<DuckFixture> {
  const synth = generateSyntheticDistributor({ seed: 11, customers: 290, products: 400, years: 2 });
  // holes: lines without their own cost / list price, products without cost / list price
  // a few customers without an owner rep, to exercise the latest-order fallback; their credit
  // notes booked by a returns desk (RET), which is no order and never their owner
  const customers = synth.customers.map((c, i) => ({ ...c, rep_id: i % 23 === 0 ? "" : c.rep_id }));
  const ownerless = new Set(customers.filter((c) => c.rep_id === "").map((c) => c.customer_id));
  // split deliveries: a line of some orders dated 3 days after the rest (a back-order under the
  // same order_id), so the definitions by order occasion and by line day differ in the fixture
  const shifted = (o: (typeof synth.orders)[number], i: number): string | Date | number => (i % 53 === 7 && Number(o.quantity) > 0 ? new Date(Date.parse(`${String(o.order_date).slice(0, 10)}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10) : o.order_date);
  const orders = synth.orders.map((o, i) => ({ ...o, order_date: shifted(o, i), unit_cost: i % 29 === 0 ? "" : o.unit_cost, list_price: i % 31 === 0 ? "" : o.list_price, rep_id: ownerless.has(o.customer_id) && Number(o.quantity) < 0 ? "RET" : o.rep_id }));
  const products = synth.products.map((p, i) => ({ ...p, unit_cost: i % 13 === 0 ? "" : p.unit_cost, list_price: i % 17 === 0 ? "" : p.list_price }));
  const { dataset } = fromRowsSync({ orders: orders as never, products: products as never, customers: customers as never, reps: synth.reps });

  const dir = tempDir("orderpulse-duck-");
  await writeCsv(join(dir, "orders.csv"), orders as never);
  await writeCsv(join(dir, "products.csv"), products as never);
  await writeCsv(join(dir, "customers.csv"), customers as never);
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  const f = (name: string): string => join(dir, name).replaceAll("'", "''");
  await db.run(`CREATE TABLE orders AS SELECT * FROM read_csv('${f("orders.csv")}', header = true, all_varchar = true)`);
  await db.run(`CREATE TABLE products AS SELECT * FROM read_csv('${f("products.csv")}', header = true, all_varchar = true)`);
  await db.run(`CREATE TABLE customers AS SELECT * FROM read_csv('${f("customers.csv")}', header = true, all_varchar = true)`);
  // resolved lines: the contract's fallbacks (product cost / list price; owner rep = customer's
  // rep, else the rep of the customer's latest order line (a purchase), else of its latest line;
  // channel = line's, else customer's)
  await db.run(`
    CREATE TABLE lines AS
    WITH o AS (
      SELECT order_id, CAST(order_date AS DATE) AS day, customer_id, product_id,
             CAST(quantity AS DOUBLE) AS qty, CAST(unit_price AS DOUBLE) AS price,
             TRY_CAST(NULLIF(unit_cost, '') AS DOUBLE) AS line_cost,
             TRY_CAST(NULLIF(list_price, '') AS DOUBLE) AS line_list,
             NULLIF(rep_id, '') AS seller, NULLIF(channel, '') AS line_channel
      FROM orders
    ), latest AS (
      SELECT customer_id, COALESCE(arg_max(seller, day || '|' || order_id) FILTER (WHERE seller IS NOT NULL AND qty > 0),
                                   arg_max(seller, day || '|' || order_id) FILTER (WHERE seller IS NOT NULL)) AS latest_rep FROM o GROUP BY customer_id
    )
    SELECT o.*, COALESCE(o.line_cost, TRY_CAST(NULLIF(p.unit_cost, '') AS DOUBLE)) AS cost,
           COALESCE(o.line_list, TRY_CAST(NULLIF(p.list_price, '') AS DOUBLE)) AS list,
           NULLIF(p.family, '') AS family, NULLIF(c.segment, '') AS segment, NULLIF(c.region, '') AS region,
           COALESCE(NULLIF(c.rep_id, ''), latest.latest_rep) AS owner,
           COALESCE(o.line_channel, NULLIF(c.channel, '')) AS channel
    FROM o LEFT JOIN products p USING (product_id) LEFT JOIN customers c USING (customer_id)
    LEFT JOIN latest USING (customer_id)`);
  const query = async (sql: string): Promise<Record<string, unknown>[]> => {
    const reader = await db.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  };
  const [{ last }] = (await query("SELECT strftime(max(day), '%Y-%m-%d') AS last FROM lines")) as [{ last: string }];
  return { dataset, db, query, lastDay: last };
}

/** Compare two row sets by key fields: counts exactly, money to 1e-9 relative (1e-6 absolute near zero). */
export function expectSameRows(
  oursRows: readonly object[],
  theirsRows: readonly object[],
  keys: readonly string[],
  fields: readonly string[],
): void {
  const ours = oursRows as readonly Record<string, unknown>[];
  const theirs = theirsRows as readonly Record<string, unknown>[];
  const keyOf = (r: Record<string, unknown>): string => keys.map((k) => String(r[k] ?? null)).join("|");
  const a = new Map(ours.map((r) => [keyOf(r), r]));
  const b = new Map(theirs.map((r) => [keyOf(r), r]));
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, r] of a) {
    const s = b.get(k)!;
    for (const f of fields) {
      const x = r[f] === undefined || r[f] === null ? null : Number(r[f]);
      const y = s[f] === undefined || s[f] === null ? null : Number(s[f]);
      if (x === null || y === null) {
        expect(x, `${k} ${f}`).toBe(y);
        continue;
      }
      const tol = Math.max(1e-6, 1e-9 * Math.abs(y));
      expect(Math.abs(x - y), `${k} ${f}: ${x} vs ${y}`).toBeLessThanOrEqual(tol);
    }
  }
}

/** SQL expression for the first day of the period holding `day` (matches periodOf). */
export function periodStartSql(unit: "day" | "week" | "month" | "quarter" | "year", weekStartsOn: 0 | 1 = 1): string {
  switch (unit) {
    case "day":
      return "day";
    case "week":
      return weekStartsOn === 1 ? "date_trunc('week', day)" : "CAST(day - CAST(dayofweek(day) AS INTEGER) AS DATE)";
    default:
      return `date_trunc('${unit}', day)`;
  }
}
