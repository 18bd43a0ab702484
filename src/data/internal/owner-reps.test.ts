import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../from-rows-sync.ts";
import { ownerRepOf, ownerReps } from "./owner-reps.ts";

describe("ownerReps", () => {
  it("customers.rep_id, else the rep of the latest order line (a credit note is not an order), else of the latest line", () => {
    const line = (order_id: string, order_date: string, customer_id: string, quantity: number, rep_id?: string) => ({ order_id, order_date, customer_id, product_id: "P", quantity, unit_price: 10, ...(rep_id ? { rep_id } : {}) });
    const { dataset } = fromRowsSync({
      customers: [{ customer_id: "A", rep_id: "R9" }, { customer_id: "B" }, { customer_id: "C" }, { customer_id: "D" }, { customer_id: "E" }],
      orders: [
        line("a1", "2026-01-05", "A", 2, "R1"), // owner R9 whoever sells
        line("b1", "2026-01-05", "B", 2, "R1"),
        line("b2", "2026-02-10", "B", -1, "RET"), // B's latest line: a credit note booked by the returns desk
        line("c1", "2026-01-05", "C", -1, "RET"), // returns only
        line("d1", "2026-01-05", "D", 1), // no rep anywhere
        line("e1", "2026-01-05", "E", 1, "R1"),
        line("e2", "2026-03-01", "E", 1, "R2"), // the latest order's rep
      ],
    });
    const name = (r: number): string | undefined => (r < 0 ? undefined : dataset.ids.reps.values[r]);
    const all = ownerReps(dataset);
    const got = dataset.ids.customers.values.map((id, c) => [id, name(all[c]!), name(ownerRepOf(dataset, c))]);
    expect(got).toEqual([
      ["A", "R9", "R9"],
      ["B", "R1", "R1"],
      ["C", "RET", "RET"],
      ["D", undefined, undefined],
      ["E", "R2", "R2"],
    ]);
  });
});
