import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { cli } from "../../test/support/cli.ts";
import type { CustomerRhythm } from "../patterns/fit-interval-model.ts";
import { calibrationLine, explainRhythm } from "./commands/patterns.ts";
import { tempDir } from "../../test/support/temp-dir.ts";

const fixture = join(import.meta.dirname, "..", "..", "test", "fixtures", "kpi20");


describe("orderpulse patterns", () => {
  it("names closed months and weekdays, the shorter way", () => {
    const base = { status: "ok", lastOrder: "2026-03-01", meanGapDays: 7, sdGapDays: 2, daysSinceLast: 10, purchaseDays: 20 } as unknown as CustomerRhythm;
    const say = (closedMonths: number[], closedWeekdays: number[]): string => explainRhythm({ ...base, closedMonths, closedWeekdays });
    expect(say([8], [5, 6])).toMatch(/; closed in Aug; never on Fri\/Sat$/);
    expect(say([7, 8], [0, 2, 3, 4, 5, 6])).toMatch(/; closed in Jul, Aug; only on Mon$/);
    expect(say([], [0, 1, 2])).toMatch(/; never on Sun\/Mon\/Tue$/); // 3 closed, 4 open: the closed ones
    expect(say([], [])).not.toMatch(/never|only|closed/);
  });

  it("the rhythm line shows the rhythm it prints, rounded as it is (review 2026-12-06: '7±6' above an sdGapDays of 5.4993, rounded as a 2-decimal evidence field, 5.5)", () => {
    const c = { status: "ok", lastOrder: "2026-03-01", meanGapDays: 6.80188679245283, sdGapDays: 5.499259844740205, daysSinceLast: 5, purchaseDays: 20, closedMonths: [], closedWeekdays: [] } as unknown as CustomerRhythm;
    expect(explainRhythm(c)).toBe("orders every 7±5 days; 5 days since the last order (0.7x the usual gap)");
  });

  it("two orders are no rhythm yet: said so, not 'orders every 4 days ... (12.5x the usual gap)' (review 2026-12-07)", () => {
    const c = { status: "ok", lastOrder: "2026-09-10", meanGapDays: 4, sdGapDays: undefined, daysSinceLast: 50, purchaseDays: 2, closedMonths: [], closedWeekdays: [] } as unknown as CustomerRhythm;
    expect(explainRhythm(c)).toBe("two orders so far, 4 days apart; 50 days since the last order; judged mostly by its peers' rhythm");
    // with closures the mean gap is in open days: the rhythm phrase with its closures (a self-review: "1 day apart" for a Thursday and a Sunday)
    expect(explainRhythm({ ...c, meanGapDays: 1.4, closedWeekdays: [5, 6] } as CustomerRhythm)).toMatch(/; never on Fri\/Sat$/);
  });

  it("says how the backtest set the predictives' widths", async () => {
    const base = { n: 111, customers: 786, backtestAsOf: "1997-06-02", horizonDays: 120 };
    expect(calibrationLine({ ...base, factor: 1.98, fitted: 1.98, lrStatistic: 17.36 })).toBe("widths x1.98: a backtest from 1997-06-02 found the model too sure (111 next purchases since 1997-06-02, likelihood ratio 17.4)");
    expect(calibrationLine({ ...base, factor: 0.87, fitted: 0.87, lrStatistic: 19 })).toMatch(/^widths x0\.87: .* too vague/);
    expect(calibrationLine({ ...base, factor: 1, fitted: 0.96, lrStatistic: 2.31 })).toBe("widths as fitted: a backtest from 1997-06-02 found no miscalibration (111 next purchases since 1997-06-02, likelihood ratio 2.3; best factor 0.96)");
    expect(calibrationLine({ ...base, n: 4, factor: 1, fitted: 1, lrStatistic: 0 })).toMatch(/scored 4 next purchases, too few to test/);
    // three months of data: no backtest (it needs 90 days before its own as-of day, 120 days back)
    const r = await cli("patterns", "--data", fixture, "--as-of", "2026-03-31");
    expect(r.out).not.toMatch(/widths/);
    const all = JSON.parse((await cli("patterns", "--data", fixture, "--as-of", "2026-03-31", "--json")).out);
    expect(all.calibration).toBeNull();
  });

  it("lists customers most overdue first with an explanation; --customer and --json", async () => {
    const r = await cli("patterns", "--data", fixture, "--as-of", "2026-03-31");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rhythm as of 2026-03-31: 6 customers, most overdue first/);
    expect(r.out).toMatch(/C4 .* orders every 23±7 days; 60 days since the last order \(2\.6x the usual gap\)/); // gaps 18 and 28 days
    expect(r.out).toMatch(/\nexpected next and its 10-90% range: given no order up to the as-of day, if the customer still buys/);
    const one = await cli("patterns", "--data", fixture, "--as-of", "2026-03-31", "--customer", "C5", "--json");
    expect(JSON.parse(one.out)).toMatchObject({ customerId: "C5", status: "prior_only", lastOrder: "2026-02-20" });
    const all = JSON.parse((await cli("patterns", "--data", fixture, "--as-of", "2026-03-31", "--json")).out);
    const od = all.customers.map((c: { overdueProbability: number }) => c.overdueProbability);
    expect(od).toEqual([...od].sort((a: number, b: number) => b - a));
    expect((await cli("patterns", "--data", fixture, "--customer", "NOPE")).code).toBe(2);
    // without --json, a card for a person: the rhythm, the dates, the products as a table (review
    // 2026-12-07: a text line, then 700 lines of JSON no reader took)
    const card = await cli("patterns", "--data", fixture, "--as-of", "2026-03-31", "--customer", "C4");
    expect(card.code).toBe(0);
    expect(card.out).toMatch(/^C4: orders every 23±7 days; 60 days since the last order \(2\.6x the usual gap\)\n {2}last order \d{4}-\d\d-\d\d; expected next /);
    expect(card.out).toMatch(/\n {2}product +in orders +cadence +usual qty +last bought +expected next\n/);
    expect(card.out).not.toContain("{");
  });

  it("--weekend and --holidays close days for every customer; bad values are usage errors", async () => {
    const dir = tempDir("op-hol-");
    const file = join(dir, "holidays.txt");
    writeFileSync(file, "# closed\n2026-03-02\n2026-03-03\n");
    const plain = JSON.parse((await cli("patterns", "--data", fixture, "--as-of", "2026-03-31", "--customer", "C4", "--json")).out);
    const cal0 = (await cli("patterns", "--data", fixture, "--as-of", "2026-03-31", "--customer", "C4", "--json", "--weekend", "fri,sat", "--holidays", file)).out;
    const cal = JSON.parse(cal0);
    expect(plain.closedWeekdays).toEqual([]);
    expect(cal.closedWeekdays).toEqual([5, 6]);
    expect(cal.openDaysSinceLast).toBeLessThan(plain.openDaysSinceLast);
    const il = await cli("patterns", "--data", fixture, "--as-of", "2026-03-31", "--holidays", "israel", "--json");
    expect(il.code).toBe(0);
    // the holiday years are those the calendar covers (1900..2200): an as-of before them is not an error; a spaced as-of is the same day
    expect((await cli("patterns", "--data", fixture, "--as-of", "1890-01-01", "--holidays", "israel", "--json")).code).toBe(0);
    expect((await cli("patterns", "--data", fixture, "--as-of", " 2026-03-31", "--holidays", "israel", "--json")).out).toBe(il.out);
    expect((await cli("patterns", "--data", fixture, "--weekend", "fry")).code).toBe(2);
    // only a three-letter or whole name (review 2026-12-06: "monkey" read Monday)
    expect((await cli("patterns", "--data", fixture, "--weekend", "monkey")).code).toBe(2);
    expect((await cli("patterns", "--data", fixture, "--as-of", "2026-03-31", "--customer", "C4", "--json", "--weekend", "Friday,SATURDAY", "--holidays", file)).out).toBe(cal0);
    expect((await cli("patterns", "--data", fixture, "--holidays", join(dir, "missing.txt"))).code).toBe(2);
    writeFileSync(file, "March 2\n");
    expect((await cli("patterns", "--data", fixture, "--holidays", file)).code).toBe(2);
  });

  it("reads today as in progress: a Monday buyer read on Monday morning is due today, not late (CLI review 2026-12-07: 'next expected next Monday', overdue)", async () => {
    const dir = tempDir("op-patterns-today-");
    const o = ["order_id,order_date,customer_id,product_id,quantity,unit_price,unit_cost"];
    // 40 customers, every Monday (the last on 2026-11-23); last night's export ends Sunday 2026-11-29
    for (let c = 0; c < 40; c++) for (let t = Date.UTC(2024, 10, 4), k = 0; t <= Date.UTC(2026, 10, 23); t += 7 * 86_400_000, k++) o.push(`${c}-${k},${new Date(t).toISOString().slice(0, 10)},C${c},P1,1,10,6`);
    o.push("x,2026-11-29,OTHER,P1,1,10,6");
    writeFileSync(join(dir, "orders.csv"), `${o.join("\n")}\n`);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const card = async (...extra: string[]) => JSON.parse((await cli("patterns", "--data", dir, "--customer", "C0", "--json", "--quiet", ...extra)).out) as CustomerRhythm;
      vi.setSystemTime(new Date("2026-11-30T09:00:00Z")); // Monday morning
      const today = await card();
      expect([today.expectedNext, today.daysSinceLast, today.missedOrders]).toEqual(["2026-11-30", 7, 0]);
      expect(today.overdueProbability).toBeLessThan(0.01);
      // the same Monday read on Tuesday: a whole Monday without its order
      vi.setSystemTime(new Date("2026-12-01T09:00:00Z"));
      const monday = await card("--as-of", "2026-11-30");
      expect(monday.expectedNext).toBe("2026-12-07");
      expect(monday.overdueProbability).toBeGreaterThan(0.1);
    } finally {
      vi.useRealTimers();
    }
  }, 60_000);
});
