import { describe, expect, it } from "vitest";
import { duckFixture, expectSameRows, periodStartSql } from "../../test/support/duck.ts";
import { activeCustomers } from "./active-customers.ts";
import { grossProfit } from "./gross-profit.ts";
import { skuBreadth } from "./sku-breadth.ts";
import type { Dimension } from "./types.ts";

// Differential tests: each KPI written independently as SQL over the same data in DuckDB.
const DIMS: [Dimension, string][] = [
  ["company", "NULL"],
  ["rep", "owner"],
  ["segment", "segment"],
  ["region", "region"],
  ["channel", "channel"],
  ["family", "family"],
  ["product", "product_id"],
];

describe("KPIs vs DuckDB", async () => {
  const fx = await duckFixture();
  const asOf = fx.lastDay;
  it("fixture has >= 100k lines with returns, missing costs and missing list prices", async () => {
    const [r] = await fx.query("SELECT count(*) AS n, count(*) FILTER (WHERE qty < 0) AS ret, count(*) FILTER (WHERE cost IS NULL) AS nocost, count(*) FILTER (WHERE list IS NULL) AS nolist FROM lines");
    expect(Number(r!.n)).toBeGreaterThanOrEqual(100_000);
    expect(Number(r!.ret)).toBeGreaterThan(0);
    expect(Number(r!.nocost)).toBeGreaterThan(0);
    expect(Number(r!.nolist)).toBeGreaterThan(0);
    expect(fx.dataset.lines.length).toBe(Number(r!.n));
  });

  for (const [unit, ws] of [["month", 1], ["week", 1], ["week", 0]] as const) {
    for (const [by, col] of DIMS) {
      it(`active customers, SKU breadth, gross profit by ${by} per ${unit}${unit === "week" ? (ws ? " (Mon)" : " (Sun)") : ""}`, async () => {
        const periods = unit === "month" ? 13 : 20;
        const opts = { asOf, period: unit, periods, by, weekStartsOn: ws } as const;
        const ps = periodStartSql(unit, ws);
        const inWindow = `day <= DATE '${asOf}' AND ${ps} >= (${windowStart(unit, ws, periods, asOf)})`;
        const theirs = await fx.query(`
          SELECT strftime(${ps}, '%Y-%m-%d') AS start, ${col} AS key,
                 count(DISTINCT customer_id) FILTER (WHERE qty > 0) AS active,
                 count(DISTINCT (customer_id, product_id)) FILTER (WHERE qty > 0) AS pairs,
                 sum(qty * price) AS revenue,
                 sum(qty * price) FILTER (WHERE cost IS NOT NULL) AS costed,
                 coalesce(sum(qty * cost) FILTER (WHERE cost IS NOT NULL), 0) AS cost,
                 count(*) FILTER (WHERE cost IS NULL) AS nocost
          FROM lines WHERE ${inWindow} GROUP BY ALL`);
        const keyed = (rows: readonly object[]): Record<string, unknown>[] => (rows as Record<string, unknown>[]).map((r) => ({ ...r, key: by === "company" ? null : r.key }));
        // orderpulse emits every present group in every period; SQL only the non-empty cells
        const ac = activeCustomers(fx.dataset, opts).filter((r) => r.value! > 0);
        expectSameRows(keyed(ac), keyed(theirs.filter((r) => Number(r.active) > 0).map((r) => ({ start: r.start, key: r.key, value: r.active }))), ["start", "key"], ["value"]);
        const sb = skuBreadth(fx.dataset, opts).filter((r) => r.denominator! > 0);
        expectSameRows(keyed(sb), keyed(theirs.filter((r) => Number(r.active) > 0).map((r) => ({ start: r.start, key: r.key, numerator: r.pairs, denominator: r.active, value: Number(r.pairs) / Number(r.active) }))), ["start", "key"], ["numerator", "denominator", "value"]);
        const gp = grossProfit(fx.dataset, opts).filter((r) => r.lines > 0);
        expectSameRows(
          keyed(gp),
          // SQL's sum over no costed line is NULL: gross profit not measured
          keyed(theirs.map((r) => ({ start: r.start, key: r.key, revenue: r.revenue, costedRevenue: r.costed ?? 0, cost: r.cost, value: r.costed === null ? undefined : Number(r.costed) - Number(r.cost), linesWithoutCost: r.nocost }))),
          ["start", "key"],
          ["revenue", "costedRevenue", "cost", "value", "linesWithoutCost"],
        );
      });
    }
  }
});

/** First day of the earliest of `periods` periods ending with asOf's (independent of periodOf). */
function windowStart(unit: "week" | "month", ws: 0 | 1, periods: number, asOf: string): string {
  const last = unit === "month" ? `date_trunc('month', DATE '${asOf}')` : ws === 1 ? `date_trunc('week', DATE '${asOf}')` : `CAST(DATE '${asOf}' - CAST(dayofweek(DATE '${asOf}') AS INTEGER) AS DATE)`;
  return `${last} - INTERVAL (${periods - 1}) ${unit.toUpperCase()}`;
}
