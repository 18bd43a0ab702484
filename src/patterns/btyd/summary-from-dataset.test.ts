import { describe, expect, it } from "vitest";
import { cdnowEvents } from "../../../test/support/btyd-cdnow.ts";
import { asOfView } from "../../data/as-of-view.ts";
import { isOrderpulseError } from "../../data/errors.ts";
import { formatDay } from "../../data/format-day.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { calibrationSummary } from "./calibration-summary.ts";
import { summaryFromDataset } from "./summary-from-dataset.ts";

describe("summaryFromDataset", () => {
  it("equals calibrationSummary of the same purchases on CDNOW (orders as occasions, one per event)", () => {
    // ingestion rejects the 8 zero-dollar rows (unit_price must be > 0): compare on the rest
    const events = cdnowEvents().filter((e) => (e.value ?? 0) > 0);
    expect(events.length).toBe(6911);
    const orders = events.map((e, i) => ({
      order_id: `o${i}`,
      order_date: formatDay(e.day),
      customer_id: e.customerId,
      product_id: "CD",
      quantity: 1,
      unit_price: e.value ?? 0,
    }));
    const { dataset, report } = fromRowsSync({ orders });
    expect(report.rejected).toBe(0);
    const a = summaryFromDataset(dataset, { asOf: "1997-09-30", holdoutEnd: "1998-06-30" });
    const b = calibrationSummary(events, { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30" });
    expect(a.customerIds).toEqual(b.customerIds);
    expect([...a.x]).toEqual([...b.x]);
    expect([...a.tx]).toEqual([...b.tx]);
    expect([...a.T]).toEqual([...b.T]);
    expect([...a.xStar!]).toEqual([...b.xStar!]);
    for (let i = 0; i < a.x.length; i++) expect(Math.abs(a.monetary[i]! - b.monetary[i]!)).toBeLessThan(1e-9);
    // a view reaching the holdout end gives the same; one ending before it is an option error
    const v = summaryFromDataset(asOfView(dataset, "1998-06-30"), { asOf: "1997-09-30", holdoutEnd: "1998-06-30" });
    expect([...v.xStar!]).toEqual([...b.xStar!]);
    let err: unknown;
    try {
      summaryFromDataset(asOfView(dataset, "1998-01-01"), { asOf: "1997-09-30", holdoutEnd: "1998-06-30" });
    } catch (e) {
      err = e;
    }
    expect(isOrderpulseError(err) && err.code === "INVALID_OPTION").toBe(true);
  });

  it("ignores returns, merges same-day orders, uses positive revenue", () => {
    const { dataset } = fromRowsSync({
      orders: [
        { order_id: "1", order_date: "2026-01-01", customer_id: "A", product_id: "P", quantity: 1, unit_price: 10 },
        { order_id: "2", order_date: "2026-01-08", customer_id: "A", product_id: "P", quantity: 2, unit_price: 10 },
        { order_id: "2", order_date: "2026-01-08", customer_id: "A", product_id: "Q", quantity: -1, unit_price: 10 },
        { order_id: "3", order_date: "2026-01-08", customer_id: "A", product_id: "P", quantity: 1, unit_price: 5 },
        { order_id: "4", order_date: "2026-01-15", customer_id: "A", product_id: "P", quantity: -3, unit_price: 10 },
        { order_id: "5", order_date: "2026-01-20", customer_id: "B", product_id: "P", quantity: 1, unit_price: 10 },
        { order_id: "6", order_date: "2026-02-20", customer_id: "C", product_id: "P", quantity: 1, unit_price: 10 },
      ],
    });
    const s = summaryFromDataset(dataset, { asOf: "2026-01-29", timeUnitDays: 1 });
    expect(s.customerIds).toEqual(["A", "B"]);
    expect([...s.x]).toEqual([1, 0]);
    expect([...s.tx]).toEqual([7, 0]);
    expect([...s.T]).toEqual([28, 9]);
    expect([...s.monetary]).toEqual([25, 0]);
  });

  it("an order whose lines run past asOf counts what it had by asOf (as-of monotonicity); the holdout counts purchases up to its end", () => {
    const line = (o: string, d: string, q = 1) => ({ order_id: o, order_date: d, customer_id: "A", product_id: "P", quantity: q, unit_price: 10 });
    const upTo = [line("1", "2026-01-05"), line("2", "2026-01-19")];
    const more = [...upTo, line("2", "2026-02-10", 5), line("3", "2026-02-16"), line("4", "2026-03-20")];
    const a = summaryFromDataset(fromRowsSync({ orders: upTo }).dataset, { asOf: "2026-01-31" });
    const b = summaryFromDataset(fromRowsSync({ orders: more }).dataset, { asOf: "2026-01-31" });
    expect([...b.monetary]).toEqual([10]); // not 60: order 2's line of 2026-02-10 is after asOf
    expect(b).toEqual(a);
    const h = summaryFromDataset(fromRowsSync({ orders: more }).dataset, { asOf: "2026-01-31", holdoutEnd: "2026-02-28" });
    expect([...h.monetary, ...h.xStar!]).toEqual([10, 1]); // order 3 (order 2 began before asOf; order 4 after the holdout)
  });
});
