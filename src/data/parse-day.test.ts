import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDay } from "./format-day.ts";
import { civilFromEpochDay } from "./civil-from-epoch-day.ts";
import { fromRowsSync } from "./from-rows-sync.ts";
import { asOfView } from "./as-of-view.ts";
import { parseDay } from "./parse-day.ts";
import { detectSignals } from "../signals/detect-signals.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";

describe("parseDay", () => {
  it("reads back every Int32 day formatDay writes, also years outside 0000-9999 (a model's predicted date past 9999)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }), (d) => {
        expect(parseDay(formatDay(d))).toBe(d);
      }),
    );
    expect(parseDay("10000-01-02")).toBe(2_932_898);
    expect(parseDay("-1-12-31")).toBe(parseDay("0000-01-01") - 1);
    expect(parseDay(" 2026-11-23 ")).toBe(20_780);
  });

  it("refuses short or zero-padded long years, a minus zero, days beyond Int32 and impossible dates", () => {
    for (const t of ["26-01-02", "026-01-02", "00010-01-01", "-0-01-01", "-01-01-01", "5881581-01-01", "-5877642-01-01", "2026-02-29", "2024-13-01", "2026-1-01"]) {
      expectInvalid(() => parseDay(t, "asOf"), "asOf");
    }
    expect(parseDay("2024-02-29")).toBe(19_782);
  });

  it("a number or a Date must be a day of 0000-01-01..9999-12-31: seconds since 1970 are refused, not read as the year 4,912,263 (review 2026-12-07: fitPatterns ran for hours)", () => {
    expect(parseDay(2_932_896)).toBe(parseDay("9999-12-31"));
    expect(parseDay(-719_528)).toBe(parseDay("0000-01-01"));
    expect(parseDay(new Date(Date.UTC(9999, 11, 31, 23)))).toBe(2_932_896);
    for (const bad of [2_932_897, -719_529, 1_793_448_000, new Date(Date.UTC(10000, 0, 1))]) {
      expectInvalid(() => parseDay(bad, "asOf"), "asOf");
      expect(() => parseDay(bad, "asOf")).toThrow(/not seconds or milliseconds/);
    }
    const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-10-01", customer_id: "C", product_id: "P", quantity: 1, unit_price: 1 }] });
    expectInvalid(() => detectSignals(dataset, { asOf: 1_793_448_000 }), "asOf");
    expectInvalid(() => detectSignals(dataset, { asOf: new Date(Date.UTC(20000, 0, 1)) }), "asOf");
    // a row dated outside (a Date or a number given to fromRows) is an invalid date, so no dataset holds such a day
    const far = fromRowsSync({ orders: [{ order_id: "1", order_date: new Date(Date.UTC(20000, 0, 1)), customer_id: "C", product_id: "P", quantity: 1, unit_price: 1 }] });
    expect([far.report.rejected, far.dataset.lines.length]).toEqual([1, 0]);
  });

  it("an option day past 9999 as text, or a Date whose day in the data's zone is, is refused naming what was given (a self-review: accepted by asOfView, then refused naming a number)", () => {
    const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-10-01", customer_id: "C", product_id: "P", quantity: 1, unit_price: 1 }] });
    expectInvalid(() => asOfView(dataset, "12026-01-01"), "asOf");
    expect(() => detectSignals(dataset, { asOf: "12026-01-01" })).toThrow(/got 12026-01-01$/);
    const kiritimati = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-10-01", customer_id: "C", product_id: "P", quantity: 1, unit_price: 1 }] }, { timeZone: "Pacific/Kiritimati" }).dataset;
    expect(() => asOfView(kiritimati, new Date("9999-12-31T12:00:00Z"))).toThrow(/10000-01-01 in Pacific\/Kiritimati/);
    expect(asOfView(kiritimati, new Date("2026-10-31T12:00:00Z")).asOf).toBe(parseDay("2026-11-01"));
  });

  it("detectSignals runs on data reaching 9999-12-31 or starting in year 0 (the discount chart's week crossed into 10000, or back into -1)", () => {
    const customers = ["C1", "C2", "C3"].map((c) => ({ customer_id: c, segment: "retail", rep_id: "R1" }));
    const weekly = (first: number): { order_id: string; order_date: string; customer_id: string; product_id: string; quantity: number; unit_price: number; unit_cost: number; list_price: number }[] =>
      Array.from({ length: 60 }, (_, w) => ["C1", "C2", "C3"].map((c) => ({ order_id: `${c}-${w}`, order_date: formatDay(first + 7 * w), customer_id: c, product_id: "P1", quantity: 2, unit_price: 10, unit_cost: 6, list_price: 12 }))).flat();
    // an ERP's "open" date, 9999-12-31, on one stray line: the default as-of is that day
    const stray = { order_id: "X", order_date: "9999-12-31", customer_id: "C1", product_id: "P1", quantity: 1, unit_price: 10, unit_cost: 6, list_price: 12 };
    for (const orders of [[...weekly(parseDay("2025-01-03")), stray], weekly(parseDay("9998-11-11")), weekly(parseDay("0000-01-05"))]) {
      const { dataset } = fromRowsSync({ orders, customers });
      expect(Array.isArray(detectSignals(dataset)), orders[0]!.order_date).toBe(true);
    }
  });
});

describe("formatDay / civilFromEpochDay", () => {
  it("a day that is no integer is INVALID_OPTION naming option day (review 2026-12-07: details held { day } only)", () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectInvalid(() => formatDay(bad), "day");
      expectInvalid(() => civilFromEpochDay(bad), "day");
    }
  });
});
