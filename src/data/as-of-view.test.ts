import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asOfView } from "./as-of-view.ts";
import type { Dataset } from "./dataset.ts";
import { epochDay } from "./epoch-day.ts";
import { fromRowsSync } from "./from-rows-sync.ts";
import { orderOccasions } from "./order-occasions.ts";
import type { OrderRow } from "./rows.ts";

const row = (order_id: string, order_date: string, customer_id: string, quantity = 1): OrderRow => ({
  order_id,
  order_date,
  customer_id,
  product_id: "P1",
  quantity,
  unit_price: 10,
});

/** Visible lines as strings, independent of dictionary ids. */
function visible(ds: Dataset): string[] {
  const out: string[] = [];
  for (let c = 0; c < ds.customerEnd.length; c++) {
    for (let i = ds.customerStart[c]!; i < ds.customerEnd[c]!; i++) {
      out.push(`${ds.ids.customers.values[c]}|${ds.ids.orders.values[ds.lines.order[i]!]}|${ds.lines.day[i]}|${ds.lines.quantity[i]}`);
    }
  }
  return out;
}

describe("asOfView", () => {
  const { dataset } = fromRowsSync({
    orders: [row("1", "2026-01-01", "A"), row("2", "2026-01-10", "A"), row("3", "2026-01-20", "A"), row("4", "2026-01-05", "B"), row("5", "2026-02-01", "C")],
    dealEvents: [
      { deal_id: "D1", customer_id: "A", stage: "lead", entered_at: "2026-01-02" },
      { deal_id: "D1", customer_id: "A", stage: "won", entered_at: "2026-01-30" },
    ],
  });

  it("hides lines and deal events after asOf (hand-computed)", () => {
    const v = asOfView(dataset, "2026-01-10");
    expect(v.asOf).toBe(epochDay(2026, 1, 10));
    expect([...v.customerEnd]).toEqual([2, 4, 4]); // A: 2 lines, B: 1 line (index 3), C: none
    expect(v.visibleLines).toBe(3);
    expect(v.dayRange).toEqual({ first: epochDay(2026, 1, 1), last: epochDay(2026, 1, 10) });
    expect(v.dealEvents.length).toBe(1);
    expect(v.lines).toBe(dataset.lines); // columns shared, not copied
  });

  it("is inclusive of asOf, handles before-everything and after-everything", () => {
    expect(asOfView(dataset, "2026-01-20").visibleLines).toBe(4);
    const none = asOfView(dataset, "2025-12-31");
    expect(none.visibleLines).toBe(0);
    expect(none.dayRange).toBeUndefined();
    expect(asOfView(dataset, "2030-01-01").visibleLines).toBe(5);
  });

  it("a view of a view can only move earlier", () => {
    const early = asOfView(dataset, "2026-01-05");
    expect(asOfView(early, "2026-12-31").asOf).toBe(early.asOf);
    expect(asOfView(early, "2026-12-31").visibleLines).toBe(early.visibleLines);
  });

  it("rejects a bad asOf with INVALID_OPTION", () => {
    expect(() => asOfView(dataset, "yesterday")).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    // an epoch day beyond Int32 (the binary format wrote 2^31 back as -2^31: a view before every line)
    expect(() => asOfView(dataset, 2 ** 31)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => asOfView(dataset, Number.MAX_SAFE_INTEGER)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });

  it("property: adding data after asOf changes nothing visible (lines and occasions)", () => {
    const day = fc.integer({ min: 0, max: 59 }).map((d) => {
      const date = new Date(Date.UTC(2026, 0, 1 + d));
      return date.toISOString().slice(0, 10);
    });
    const r = fc.record({
      order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5", "O6"),
      order_date: day,
      customer_id: fc.constantFrom("A", "B", "C"),
      product_id: fc.constantFrom("P1", "P2"),
      quantity: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0),
      unit_price: fc.integer({ min: 1, max: 99 }),
    });
    fc.assert(
      fc.property(fc.array(r, { maxLength: 30 }), fc.array(r, { maxLength: 15 }), fc.integer({ min: 0, max: 59 }), (base, extra, cut) => {
        const asOf = epochDay(2026, 1, 1) + cut;
        const later = extra.map((x) => ({ ...x, order_id: `L${x.order_id}`, order_date: new Date(Date.UTC(2026, 0, 2 + cut + Math.abs(x.quantity))).toISOString().slice(0, 10) }));
        const a = asOfView(fromRowsSync({ orders: base }).dataset, asOf);
        const b = asOfView(fromRowsSync({ orders: [...base, ...later] }).dataset, asOf);
        expect(visible(b)).toEqual(visible(a));
        const occ = (ds: Dataset): string[] => {
          const o = orderOccasions(ds);
          return Array.from({ length: o.length }, (_, k) => `${ds.ids.customers.values[o.customer[k]!]}|${ds.ids.orders.values[o.order[k]!]}|${o.day[k]}|${o.lines[k]}|${o.revenue[k]}`);
        };
        expect(occ(b)).toEqual(occ(a));
      }),
      { numRuns: 200 },
    );
  });
});

describe("an asOf given as a Date", () => {
  it("is the day of its instant in the dataset's time zone, as an order's datetime is (review 2026-12-07: its UTC date left out an order of 01:30 local)", async () => {
    const { computeKpis } = await import("../kpi/compute-kpis.ts");
    const { fitIntervalModel } = await import("../patterns/fit-interval-model.ts");
    // 01:30 on 2026-03-16 in Jerusalem (UTC+2) is 23:30 UTC on March 15
    const orders: OrderRow[] = [{ order_id: "1", order_date: "2026-03-15T23:30:00Z", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 5 }];
    const { dataset } = fromRowsSync({ orders }, { timeZone: "Asia/Jerusalem" });
    expect(dataset.lines.day[0]).toBe(epochDay(2026, 3, 16));
    const now = new Date("2026-03-15T23:45:00Z"); // 01:45 local, March 16
    expect(asOfView(dataset, now).visibleLines).toBe(1);
    expect(computeKpis(dataset, { asOf: now, period: "day", periods: 1, kpis: ["revenue"] }).kpis.revenue!.at(-1)).toMatchObject({ period: "2026-03-16", value: 5 });
    // a holiday given as a Date: Yom Kippur 2025 at local midnight (21:00 UTC the day before)
    const model = fitIntervalModel(dataset, { asOf: "2026-03-20", calendar: { holidays: [new Date("2025-10-01T21:00:00Z")] } });
    expect(model.holidays).toEqual(["2025-10-02"]);
    // a dataset in UTC reads the same instant as its UTC date
    const utc = fromRowsSync({ orders }).dataset;
    expect(asOfView(utc, now).asOf).toBe(epochDay(2026, 3, 15));
  });
});
