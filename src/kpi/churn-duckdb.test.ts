import { describe, expect, it } from "vitest";
import { duckFixture, expectSameRows } from "../../test/support/duck.ts";
import { churnRate } from "./churn-rate.ts";

// Differential test: churnRate written independently as SQL over the same data in DuckDB.
// Base of month [s, e]: last purchase day t (a day with a positive line) before s with
// t >= s - windowDays and t >= s - lookbackDays. Churned: some purchase day u >= t whose next
// purchase day is later than u + windowDays (or none), with u + windowDays in [s, min(e, asOf)].
function churnSql(asOf: string, periods: number, windowDays: number, lookbackDays: number, key: string): string {
  const A = `DATE '${asOf}'`;
  return `
    WITH p AS (
      SELECT DISTINCT customer_id, day FROM lines WHERE qty > 0 AND day <= ${A}
    ), pn AS (
      SELECT customer_id, day, lead(day) OVER (PARTITION BY customer_id ORDER BY day) AS next_day FROM p
    ), months AS (
      SELECT CAST(m AS DATE) AS s, CAST(m + INTERVAL 1 MONTH AS DATE) - 1 AS e
      FROM range(date_trunc('month', ${A}) - INTERVAL (${periods - 1}) MONTH, date_trunc('month', ${A}) + INTERVAL 1 MONTH, INTERVAL 1 MONTH) r(m)
    ), last_before AS (
      SELECT months.s, months.e, p.customer_id, max(p.day) AS t FROM months JOIN p ON p.day < months.s GROUP BY ALL
    ), base AS (
      SELECT * FROM last_before WHERE t >= s - ${windowDays} AND t >= s - ${lookbackDays}
    ), churn AS (
      SELECT b.s, b.customer_id, min(pn.day) AS last_order
      FROM base b JOIN pn ON pn.customer_id = b.customer_id AND pn.day >= b.t
      WHERE pn.day + ${windowDays} BETWEEN b.s AND least(b.e, ${A})
        AND (pn.next_day IS NULL OR pn.next_day > pn.day + ${windowDays})
      GROUP BY ALL
    ), rev AS (
      SELECT b.s, b.customer_id, greatest(coalesce(sum(l.qty * l.price), 0), 0) AS r
      FROM base b LEFT JOIN lines l ON l.customer_id = b.customer_id AND l.day >= b.s - ${lookbackDays} AND l.day < b.s
      GROUP BY ALL
    ), cust AS (
      SELECT customer_id, NULLIF(segment, '') AS segment FROM customers
    )
    SELECT strftime(b.s, '%Y-%m-%d') AS start, ${key} AS key, b.customer_id, c.last_order IS NOT NULL AS churned,
           strftime(c.last_order, '%Y-%m-%d') AS last_order, rev.r AS r
    FROM base b JOIN rev USING (s, customer_id) LEFT JOIN churn c USING (s, customer_id) LEFT JOIN cust USING (customer_id)`;
}

describe("churnRate vs DuckDB", async () => {
  const fx = await duckFixture();
  const cases = [
    { asOf: fx.lastDay, windowDays: 90, lookbackDays: 365 },
    { asOf: "2026-06-17", windowDays: 30, lookbackDays: 60 },
    { asOf: "2026-03-09", windowDays: 45, lookbackDays: 30 },
  ];
  for (const { asOf, windowDays, lookbackDays } of cases) {
    for (const [by, key] of [["company", "NULL"], ["segment", "cust.segment"]] as const) {
      it(`count and revenue rate by ${by}, asOf ${asOf}, window ${windowDays}, look-back ${lookbackDays}`, async () => {
        const periods = 13;
        const perCustomer = await fx.query(churnSql(asOf, periods, windowDays, lookbackDays, key));
        const cells = new Map<string, { start: string; key: unknown; denominator: number; numerator: number; baseRevenue: number; churnedRevenue: number }>();
        for (const r of perCustomer) {
          const k = `${String(r.start)}|${String(r.key)}`;
          const cell = cells.get(k) ?? { start: String(r.start), key: by === "company" ? null : r.key, denominator: 0, numerator: 0, baseRevenue: 0, churnedRevenue: 0 };
          cell.denominator++;
          cell.baseRevenue += Number(r.r);
          if (r.churned) {
            cell.numerator++;
            cell.churnedRevenue += Number(r.r);
          }
          cells.set(k, cell);
        }
        const theirs = [...cells.values()].map((c) => ({
          ...c,
          value: c.numerator / c.denominator,
          revenueRate: c.baseRevenue > 0 ? c.churnedRevenue / c.baseRevenue : null,
        }));
        const rows = churnRate(fx.dataset, { asOf, periods, by, churn: { windowDays, lookbackDays } });
        expect(rows).toHaveLength(periods * (by === "company" ? 1 : new Set(rows.map((r) => r.key)).size));
        const ours = rows.filter((r) => r.denominator > 0).map((r) => ({ ...r, key: by === "company" ? null : r.key }));
        expect(ours.some((r) => r.numerator > 0)).toBe(true);
        expectSameRows(ours, theirs, ["start", "key"], ["numerator", "denominator", "baseRevenue", "churnedRevenue", "value", "revenueRate"]);
        // the lists: who churned, and from which last purchase
        const ourList = ours.flatMap((r) => r.churned.map((c) => `${r.start} ${c.customerId} ${c.lastOrder}`)).sort();
        const theirList = perCustomer.filter((r) => r.churned).map((r) => `${String(r.start)} ${String(r.customer_id)} ${String(r.last_order)}`).sort();
        expect(ourList).toEqual(theirList);
        // censoring: only a month ending after asOf
        expect(rows.filter((r) => r.censored).every((r) => r.end > asOf)).toBe(true);
      });
    }
  }
});
