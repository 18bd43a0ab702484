import { describe, expect, it } from "vitest";
import { duckFixture, expectSameRows, periodStartSql } from "../../test/support/duck.ts";
import { customerProfitability } from "./customer-profitability.ts";
import { discountRate } from "./discount-rate.ts";
import type { Dimension } from "./types.ts";

// Differential tests: discount rate and customer profitability written independently as SQL.
const DIMS: [Dimension, string][] = [
  ["company", "NULL"],
  ["segment", "segment"],
  ["rep", "owner"],
  ["family", "family"],
];

describe("discountRate and customerProfitability vs DuckDB", async () => {
  const fx = await duckFixture();
  const asOf = fx.lastDay;
  const monthWindow = (months: number): string => `day <= DATE '${asOf}' AND date_trunc('month', day) >= date_trunc('month', DATE '${asOf}') - INTERVAL (${months - 1}) MONTH`;

  for (const [by, col] of DIMS) {
    it(`discount rate by ${by} per month`, async () => {
      const ps = periodStartSql("month");
      const theirs = await fx.query(`
        SELECT strftime(${ps}, '%Y-%m-%d') AS start, ${col} AS key,
               coalesce(sum(qty * price) FILTER (WHERE list IS NOT NULL AND qty > 0), 0) AS net,
               coalesce(sum(qty * list) FILTER (WHERE list IS NOT NULL AND qty > 0), 0) AS list,
               count(*) FILTER (WHERE list IS NULL) AS nolist,
               count(*) FILTER (WHERE list IS NOT NULL AND qty < 0) AS ret,
               count(*) AS n
        FROM lines WHERE ${monthWindow(13)} GROUP BY ALL`);
      const keyed = (rows: readonly Record<string, unknown>[]): Record<string, unknown>[] => rows.map((r) => ({ ...r, key: by === "company" ? null : r.key }));
      const ours = discountRate(fx.dataset, { asOf, period: "month", periods: 13, by }).filter((r) => r.lines > 0);
      expect(ours.some((r) => r.linesWithoutList > 0)).toBe(true);
      expectSameRows(
        keyed(ours.map((r) => ({ ...r }))),
        keyed(
          theirs.map((r) => ({
            start: r.start,
            key: r.key,
            numerator: r.net,
            denominator: r.list,
            value: Number(r.list) > 0 ? 1 - Number(r.net) / Number(r.list) : null,
            linesWithoutList: r.nolist,
            returnLines: r.ret,
            lines: r.n,
          })),
        ),
        ["start", "key"],
        ["numerator", "denominator", "value", "linesWithoutList", "returnLines", "lines"],
      );
    });
  }

  const classesSeen = new Set<string>();
  for (const [months, a, b] of [[12, 0.8, 0.15], [1, 0.5, 0.3], [2, 0.8, 0.15]] as const) {
    it(`customer profitability over ${months} month(s): gross profit, rank and class (a = ${a}, b = ${b})`, async () => {
      const theirs = await fx.query(`
        WITH c AS (
          SELECT customer_id, any_value(owner) AS owner, any_value(segment) AS segment,
                 sum(qty * price) AS revenue,
                 coalesce(sum(qty * (price - cost)) FILTER (WHERE cost IS NOT NULL), 0) AS gp,
                 sum(qty * (price - cost)) FILTER (WHERE cost IS NOT NULL) AS gp_measured,
                 count(*) FILTER (WHERE cost IS NULL) AS nocost, count(*) AS n
          FROM lines WHERE ${monthWindow(months)} GROUP BY customer_id
        ), r AS (
          SELECT *, row_number() OVER w AS rank,
                 coalesce(sum(gp) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
                 sum(CASE WHEN gp > 0 THEN gp ELSE 0 END) OVER () AS pos
          FROM c WINDOW w AS (ORDER BY gp DESC, customer_id)
        )
        SELECT customer_id, owner, segment, revenue, gp, gp_measured, nocost, n, rank,
               CASE WHEN gp < 0 THEN 'D' WHEN gp = 0 THEN 'C' WHEN before < ${a} * pos THEN 'A' WHEN before < ${a + b} * pos THEN 'B' ELSE 'C' END AS class
        FROM r`);
      const ours = customerProfitability(fx.dataset, { asOf, periods: months, classes: { a, b } });
      expect(ours.length).toBe(theirs.length);
      for (const r of ours) classesSeen.add(r.class);
      const mine = ours.map((r) => ({ ...r, key: r.customerId, owner: r.repId }));
      const sql = theirs.map((r) => ({ key: r.customer_id, owner: r.owner, segment: r.segment, revenue: r.revenue, grossProfit: r.gp_measured, linesWithoutCost: r.nocost, lines: r.n, rank: r.rank, class: r.class }));
      expectSameRows(mine, sql, ["key"], ["revenue", "grossProfit", "linesWithoutCost", "lines", "rank"]);
      const text = (rows: readonly Record<string, unknown>[]): string[] => rows.map((r) => `${String(r.key)}|${String(r.owner)}|${String(r.segment)}|${String(r.class)}`).sort();
      expect(text(mine)).toEqual(text(sql));
    });
  }
  it("the windows above exercised every class, loss-making customers included", () => {
    expect([...classesSeen].sort()).toEqual(["A", "B", "C", "D"]);
  });
});
