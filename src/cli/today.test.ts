import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { formatDay } from "../data/format-day.ts";
import { parseDay } from "../data/parse-day.ts";
import type { CliIo } from "./io.ts";
import { defaultAsOf, STALE_EXPORT_DAYS, today } from "./today.ts";

function io(): CliIo & { errors: string[] } {
  const errors: string[] = [];
  return { out: () => {}, err: (t) => void errors.push(t), errIsTTY: false, env: {}, errors };
}

/** "Today" in these tests: pinned (the clock's day could turn between two reads), passed as defaultAsOf's `now`. */
const NOW = "2027-03-01";

/** A dataset whose last order is `daysAgo` days before NOW. */
function endingDaysAgo(daysAgo: number): ReturnType<typeof fromRowsSync>["dataset"] {
  const last = parseDay(NOW) - daysAgo;
  const orders = [last - 40, last - 20, last].map((d, k) => ({ order_id: `O${k}`, order_date: formatDay(d), customer_id: "C1", product_id: "P", quantity: 1, unit_price: 2 }));
  return fromRowsSync({ orders }).dataset;
}

describe("today", () => {
  it("is the clock's date in the time zone, YYYY-MM-DD", () => {
    const before = new Date().toISOString().slice(0, 10);
    const t = today("UTC");
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(t);
    expect(today("Pacific/Kiritimati")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("defaultAsOf (the CLI's --as-of when none is given)", () => {
  it("today for live data (the last order at most 14 days back), silently", () => {
    for (const daysAgo of [0, 3, STALE_EXPORT_DAYS]) {
      const out = io();
      expect(defaultAsOf(endingDaysAgo(daysAgo), "UTC", out, false, NOW)).toBe(NOW);
      expect(out.errors).toEqual([]);
    }
  });

  it("the data's last order day for a historical export, with a note (none under --quiet)", () => {
    const ds = endingDaysAgo(STALE_EXPORT_DAYS + 1);
    const end = formatDay(ds.dayRange!.last);
    const out = io();
    expect(defaultAsOf(ds, "UTC", out, false, NOW)).toBe(end);
    expect(out.errors).toEqual([`orderpulse: the data ends ${end}, ${STALE_EXPORT_DAYS + 1} days before today (${NOW}): analysing as of ${end} (--as-of D chooses the day)\n`]);
    const quiet = io();
    expect(defaultAsOf(endingDaysAgo(5000), "UTC", quiet, true, NOW)).toBe(formatDay(parseDay(NOW) - 5000));
    expect(quiet.errors).toEqual([]);
  });

  it("a line dated after today (a mistyped year) does not make a historical export live: the last day up to today, with a note", () => {
    const ds = endingDaysAgo(40);
    const end = formatDay(ds.dayRange!.last);
    const future = formatDay(parseDay(NOW) + 36 * 365);
    const orders = [...[80, 60, 40].map((ago, k) => ({ order_id: `O${k}`, order_date: formatDay(parseDay(NOW) - ago), customer_id: "C1", product_id: "P", quantity: 1, unit_price: 2 })), { order_id: "X", order_date: future, customer_id: "C2", product_id: "P", quantity: 1, unit_price: 2 }];
    const out = io();
    expect(defaultAsOf(fromRowsSync({ orders }).dataset, "UTC", out, false, NOW)).toBe(end);
    expect(out.errors[0]).toBe(`orderpulse: 1 order line is dated after today (${NOW}; the latest ${future}): the default as-of day leaves it out (--as-of D chooses the day)\n`);
    expect(out.errors[1]).toMatch(/^orderpulse: the data ends /);
    // only future lines: today
    expect(defaultAsOf(fromRowsSync({ orders: orders.slice(3) }).dataset, "UTC", io(), true, NOW)).toBe(NOW);
  });

  it("today for data without orders", () => {
    expect(defaultAsOf(fromRowsSync({ orders: [] }).dataset, "UTC", io(), false, NOW)).toBe(NOW);
  });
});
