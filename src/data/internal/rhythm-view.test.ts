import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asOfView } from "../as-of-view.ts";
import type { Dataset } from "../dataset.ts";
import { formatDay } from "../format-day.ts";
import { fromRowsSync } from "../from-rows-sync.ts";
import { occasionStarts, rhythmView, SPLIT_ORDER_DAYS } from "./rhythm-view.ts";

type Row = { order_id: string; order_date: string; customer_id: string; product_id: string; quantity: number; unit_price: number };
const row = (order_id: string, order_date: string, customer_id: string, product_id: string, quantity = 1): Row => ({ order_id, order_date, customer_id, product_id, quantity, unit_price: 10 });

/** Every visible line as "customer order product qty day", in the view's order. */
function visible(view: Dataset): string[] {
  const { lines, ids } = view;
  const out: string[] = [];
  for (let c = 0; c < view.customerEnd.length; c++) {
    for (let i = view.customerStart[c]!; i < view.customerEnd[c]!; i++) {
      out.push(`${ids.customers.values[c]} ${ids.orders.values[lines.order[i]!]} ${ids.products.values[lines.product[i]!]} ${lines.quantity[i]} ${formatDay(lines.day[i]!)}`);
    }
  }
  return out;
}

describe("occasionStarts", () => {
  it("chains an order's deliveries into occasions: within 6 days of the current start, the start; later, a new one", () => {
    expect(occasionStarts([], [])).toEqual([]);
    expect(occasionStarts([10, 10, 12, 16, 17, 19, 30], [1, 2, 3, 4, 5, 6, 7])).toEqual([10, 10, 10, 10, 17, 17, 30]);
  });
  it("a later day repeating half the occasion's basket starts a new one (twice-weekly call-offs under a standing order id); a backorder does not", () => {
    // Monday A B, Thursday A B (a call-off), Saturday C (the rest of Thursday's), next Monday A B
    expect(occasionStarts([0, 0, 3, 3, 5, 7, 7], [1, 2, 1, 2, 3, 1, 2])).toEqual([0, 0, 3, 3, 3, 7, 7]);
    // Monday A B C, Wednesday the backordered rest of A's line (self-review 2026-12-08: a purchase of its own)
    expect(occasionStarts([0, 0, 0, 2], [1, 2, 3, 1])).toEqual([0, 0, 0, 0]);
    // an order of one product cannot tell a call-off from a backorder: delivered in parts
    expect(occasionStarts([0, 2, 2], [1, 2, 1])).toEqual([0, 0, 0]);
    // one line of a two-line order backordered (self-review 2026-12-08: read as a call-off)
    expect(occasionStarts([0, 0, 2], [1, 2, 1])).toEqual([0, 0, 0]);
  });
});

describe("rhythmView", () => {
  it("is the view itself when no order spans days (no copy), and for weekly call-offs under one order id", () => {
    const plain = fromRowsSync({ orders: [row("1", "2026-01-05", "C", "P"), row("2", "2026-01-07", "C", "Q"), row("3", "2026-01-05", "D", "P")] }).dataset;
    expect(rhythmView(plain)).toBe(plain);
    // a blanket order: call-offs a week apart are purchases of their own
    const blanket = fromRowsSync({ orders: [row("B", "2026-01-05", "C", "P"), row("B", "2026-01-12", "C", "P"), row("B", "2026-01-19", "C", "P")] }).dataset;
    expect(rhythmView(blanket)).toBe(blanket);
    // twice-weekly call-offs repeating their products under one standing order id (review 2026-12-08)
    const standing = fromRowsSync({ orders: ["2026-01-05", "2026-01-08", "2026-01-12", "2026-01-15"].flatMap((d, k) => [{ ...row("ST", d, "C", "P"), line_id: `${k}a` }, { ...row("ST", d, "C", "Q"), line_id: `${k}b` }]) }).dataset;
    expect(rhythmView(standing)).toBe(standing);
  });

  it("dates a later delivery of an order (up to 6 days after its start) on the order's first day, re-sorted; returns and other orders keep their days", () => {
    const { dataset } = fromRowsSync({
      orders: [
        row("W1", "2026-01-05", "C", "A"),
        row("W1", "2026-01-07", "C", "B"), // Wednesday's part of Monday's order
        row("X", "2026-01-06", "C", "Z"), // another order in between
        row("R", "2026-01-07", "C", "A", -1), // a return: not a purchase
        row("W1", "2026-01-11", "C", "D"), // 6 days after the start: still the same purchase
        row("W1", "2026-01-12", "C", "E"), // 7 days: a purchase of its own (a call-off)
        row("W1", "2026-01-14", "C", "F"), // a part of that call-off
        row("K", "2026-01-05", "K", "A"),
      ],
    });
    const rv = rhythmView(dataset);
    expect(rv).not.toBe(dataset);
    expect(SPLIT_ORDER_DAYS).toBe(6);
    expect(visible(rv)).toEqual([
      "C W1 A 1 2026-01-05",
      "C W1 B 1 2026-01-05",
      "C W1 D 1 2026-01-05",
      "C X Z 1 2026-01-06",
      "C R A -1 2026-01-07",
      "C W1 E 1 2026-01-12",
      "C W1 F 1 2026-01-12",
      "K K A 1 2026-01-05",
    ]);
    expect(rv.dayRange).toEqual({ first: dataset.dayRange!.first, last: dataset.dayRange!.last - 2 });
    // the dataset is untouched, the view is built once and is its own rhythm view
    expect(visible(dataset)).toContain("C W1 B 1 2026-01-07");
    expect(rhythmView(dataset)).toBe(rv);
    expect(rhythmView(rv)).toBe(rv);
    // an as-of view of it is known merged (no copy)
    const cut = asOfView(rv, "2026-01-06");
    expect(rhythmView(cut)).toBe(cut);
  });

  it("a backordered part of a line is the same purchase; twice-weekly call-offs of a basket are not (self-review 2026-12-08)", () => {
    const { dataset } = fromRowsSync({
      orders: [
        { ...row("W", "2026-01-05", "C", "A", 6), line_id: "1" },
        { ...row("W", "2026-01-05", "C", "B"), line_id: "2" },
        { ...row("W", "2026-01-05", "C", "C"), line_id: "3" },
        { ...row("W", "2026-01-07", "C", "A", 4), line_id: "1b" }, // the rest of line 1
      ],
    });
    expect(visible(rhythmView(dataset))).toEqual(["C W A 6 2026-01-05", "C W A 4 2026-01-05", "C W B 1 2026-01-05", "C W C 1 2026-01-05"]);
  });

  it("sees no line after an as-of view's day: a part delivered later joins its order once visible", () => {
    const { dataset } = fromRowsSync({ orders: [row("W1", "2026-01-05", "C", "A"), row("W1", "2026-01-07", "C", "B")] });
    const tue = asOfView(dataset, "2026-01-06");
    expect(rhythmView(tue)).toBe(tue);
    expect(visible(rhythmView(tue))).toEqual(["C W1 A 1 2026-01-05"]);
    expect(visible(rhythmView(asOfView(dataset, "2026-01-07")))).toEqual(["C W1 A 1 2026-01-05", "C W1 B 1 2026-01-05"]);
  });

  it("keeps every line (a permutation within each customer), and its purchase days at any as-of day are those of the whole view's", () => {
    const arb = fc.array(fc.record({ o: fc.integer({ min: 0, max: 5 }), c: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 0, max: 40 }), p: fc.integer({ min: 0, max: 3 }), q: fc.constantFrom(1, 2, -1) }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 40 }), (xs, t) => {
        const day = (d: number): string => formatDay(20454 + d);
        const { dataset } = fromRowsSync({ orders: xs.map((x, k) => ({ ...row(`O${x.o}`, day(x.d), `C${x.c}`, `P${x.p}`, x.q), line_id: String(k) })) });
        const rv = rhythmView(dataset);
        const strip = (s: string): string => s.slice(0, s.lastIndexOf(" "));
        expect(visible(rv).map(strip).sort()).toEqual(visible(dataset).map(strip).sort());
        // sorted by day within each customer, and no day later than the line's own
        for (let c = 0; c < rv.customerEnd.length; c++) for (let i = rv.customerStart[c]! + 1; i < rv.customerEnd[c]!; i++) expect(rv.lines.day[i - 1]!).toBeLessThanOrEqual(rv.lines.day[i]!);
        const days = (v: Dataset): string[] => [...new Set(visible(v).filter((s) => !s.split(" ")[3]!.startsWith("-")).map((s) => `${s.split(" ")[0]} ${s.split(" ")[4]}`))];
        const cutDay = 20454 + t;
        expect(days(rhythmView(asOfView(dataset, cutDay)))).toEqual(days(rv).filter((s) => Number(s.slice(s.indexOf(" ") + 1).replaceAll("-", "")) <= Number(day(t).replaceAll("-", ""))));
        // the view at t cut from the whole one's rhythm view holds what one built afresh holds, in its order
        const fresh = fromRowsSync({ orders: xs.map((x, k) => ({ ...row(`O${x.o}`, day(x.d), `C${x.c}`, `P${x.p}`, x.q), line_id: String(k) })) }).dataset;
        expect(visible(rhythmView(asOfView(dataset, cutDay)))).toEqual(visible(rhythmView(asOfView(fresh, cutDay))));
      }),
    );
  });
});
