import { describe, expect, it } from "vitest";
import { duckFixture, expectSameRows, periodStartSql } from "../../test/support/duck.ts";
import { orderFrequency } from "./order-frequency.ts";
import { repurchaseRate } from "./repurchase-rate.ts";
import type { Dimension } from "./types.ts";

// Differential tests: order frequency and item re-purchase rate written independently as SQL
// over the same synthetic data in DuckDB, monthly, at the last order day and at a mid-month asOf.
const DIMS: [Dimension, string][] = [
  ["company", "NULL"],
  ["segment", "segment"],
  ["family", "family"],
  ["channel", "channel"],
  ["rep", "owner_asof"],
];
const PERIODS = 13;

describe("order frequency and re-purchase rate vs DuckDB", async () => {
  const fx = await duckFixture();
  const midMonth = new Date(Date.parse(`${fx.lastDay}T00:00:00Z`) - 75 * 86_400_000).toISOString().slice(0, 10);
  const windowStart = (asOf: string): string => `date_trunc('month', DATE '${asOf}') - INTERVAL (${PERIODS - 1}) MONTH`;
  // visible lines with the account owner as of asOf: customers.rep_id, else the seller of the latest
  // visible order line (a purchase), else of the latest visible line
  const visible = (asOf: string): string => `
    SELECT l.*, COALESCE(NULLIF(c.rep_id, ''), own.latest) AS owner_asof
    FROM lines l LEFT JOIN customers c ON c.customer_id = l.customer_id
    LEFT JOIN (SELECT customer_id, COALESCE(arg_max(seller, day || '|' || order_id) FILTER (WHERE seller IS NOT NULL AND qty > 0),
                                            arg_max(seller, day || '|' || order_id) FILTER (WHERE seller IS NOT NULL)) AS latest
               FROM lines WHERE day <= DATE '${asOf}' GROUP BY customer_id) own ON own.customer_id = l.customer_id
    WHERE l.day <= DATE '${asOf}' AND l.qty > 0`;
  const keyed = (by: Dimension, rows: readonly object[]): Record<string, unknown>[] => rows.map((r) => ({ ...r, key: by === "company" ? null : (r as { key?: unknown }).key }));

  it("the fixture has multi-line orders, orders delivered on two days, return-only orders and repeat purchases", async () => {
    const [r] = await fx.query(`
      SELECT (SELECT count(*) FROM (SELECT customer_id, order_id FROM lines GROUP BY ALL HAVING count(*) > 1)) AS multi,
             (SELECT count(*) FROM (SELECT customer_id, order_id FROM lines WHERE qty > 0 GROUP BY ALL HAVING count(DISTINCT day) > 1)) AS split,
             (SELECT count(*) FROM (SELECT customer_id, order_id FROM lines GROUP BY ALL HAVING max(qty) < 0)) AS returns_only,
             (SELECT count(*) FROM (SELECT customer_id, product_id FROM lines WHERE qty > 0 GROUP BY ALL HAVING count(DISTINCT day) > 1)) AS repeats`);
    expect(Number(r!.multi)).toBeGreaterThan(0);
    expect(Number(r!.split)).toBeGreaterThan(0);
    expect(Number(r!.returns_only)).toBeGreaterThan(0);
    expect(Number(r!.repeats)).toBeGreaterThan(0);
  });

  for (const asOfKind of ["last day", "mid-month"] as const) {
    for (const [by, col] of DIMS) {
      it(`order frequency by ${by}, monthly, asOf = ${asOfKind}`, async () => {
        const asOf = asOfKind === "last day" ? fx.lastDay : midMonth;
        // occasion = (customer, order) with a positive line, dated on its earliest positive line;
        // it counts in each group one of its positive lines belongs to
        const theirs = await fx.query(`
          WITH v AS (${visible(asOf)}),
          occ AS (SELECT customer_id, order_id, min(day) AS day FROM v GROUP BY customer_id, order_id),
          og AS (SELECT DISTINCT customer_id, order_id, ${col} AS key FROM v),
          x AS (SELECT ${periodStartSql("month")} AS ps, og.key, occ.customer_id FROM occ JOIN og USING (customer_id, order_id))
          SELECT strftime(ps, '%Y-%m-%d') AS start, key, count(*) AS occasions, count(DISTINCT customer_id) AS active
          FROM x WHERE ps >= ${windowStart(asOf)} GROUP BY ALL`);
        const ours = orderFrequency(fx.dataset, { asOf, period: "month", periods: PERIODS, by }).filter((r) => r.denominator! > 0);
        expect(ours.length).toBeGreaterThan(0);
        expectSameRows(
          keyed(by, ours),
          keyed(by, theirs.map((r) => ({ start: r.start, key: r.key, numerator: r.occasions, denominator: r.active, value: Number(r.occasions) / Number(r.active) }))),
          ["start", "key"],
          ["numerator", "denominator", "value"],
        );
      });

      for (const withinDays of [undefined, 30] as const) {
        it(`re-purchase rate by ${by}, monthly, ${withinDays === undefined ? "following month" : `within ${withinDays} days`}, asOf = ${asOfKind}`, async () => {
          const asOf = asOfKind === "last day" ? fx.lastDay : midMonth;
          // window of a pair: the following month, or the withinDays days after its last purchase in the month
          const pairEnd = withinDays === undefined ? "ps + INTERVAL 2 MONTH - INTERVAL 1 DAY" : `last + INTERVAL ${withinDays} DAY`;
          const rowEnd = withinDays === undefined ? "ps + INTERVAL 2 MONTH - INTERVAL 1 DAY" : `ps + INTERVAL 1 MONTH - INTERVAL 1 DAY + INTERVAL ${withinDays} DAY`;
          const theirs = await fx.query(`
            WITH v0 AS (${visible(asOf)}),
            -- each line on its order's occasion: the earliest day of the order's visible positive lines
            v AS (SELECT v0.* REPLACE (o.day AS day) FROM v0 JOIN (SELECT customer_id, order_id, min(day) AS day FROM v0 GROUP BY ALL) o USING (customer_id, order_id)),
            days AS (SELECT DISTINCT customer_id, product_id, day FROM v),
            nx AS (SELECT *, ${periodStartSql("month")} AS ps, lead(day) OVER (PARTITION BY customer_id, product_id ORDER BY day) AS next FROM days),
            -- next purchase after the month's last one: next days increase with day, so it is the month's largest (NULL: never)
            pp AS (SELECT customer_id, product_id, ps, max(day) AS last, max(coalesce(next, DATE '9999-12-31')) AS next FROM nx GROUP BY ALL),
            pr AS (SELECT *, next <= ${pairEnd} AS again, ${pairEnd} > DATE '${asOf}' AS pending FROM pp),
            pg AS (SELECT DISTINCT customer_id, product_id, ${periodStartSql("month")} AS ps, ${col} AS key FROM v)
            SELECT strftime(ps, '%Y-%m-%d') AS start, key, count(*) AS pairs, count(*) FILTER (WHERE again) AS again,
                   count(*) FILTER (WHERE NOT again AND pending) AS open, (${rowEnd}) > DATE '${asOf}' AS censored
            FROM pr JOIN pg USING (customer_id, product_id, ps) WHERE ps >= ${windowStart(asOf)} GROUP BY ALL`);
          const ours = repurchaseRate(fx.dataset, { asOf, period: "month", periods: PERIODS, by, withinDays }).filter((r) => r.denominator > 0);
          expect(ours.some((r) => r.numerator > 0)).toBe(true);
          expect(ours.some((r) => r.censored && r.openPairs > 0)).toBe(true);
          expectSameRows(
            keyed(by, ours.map((r) => ({ ...r, censored: r.censored ? 1 : 0 }))),
            keyed(by, theirs.map((r) => ({ start: r.start, key: r.key, numerator: r.again, denominator: r.pairs, value: Number(r.again) / Number(r.pairs), openPairs: r.open, censored: r.censored ? 1 : 0 }))),
            ["start", "key"],
            ["numerator", "denominator", "value", "openPairs", "censored"],
          );
        });
      }
    }
  }
});
