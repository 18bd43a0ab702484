import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { formatReport } from "./format-report.ts";

const row = (id: string, date: string) => ({ order_id: id, order_date: date, customer_id: "C1", product_id: "P", quantity: 1, unit_price: 2 });

describe("formatReport", () => {
  it("counts, reasons, the first rejected rows, and what --json lists", () => {
    const orders = [row("A", "2026-01-05"), ...Array.from({ length: 8 }, (_, k) => row(`B${k}`, "05/01/2026"))];
    const all = formatReport(fromRowsSync({ orders }).report, 5).split("\n");
    expect(all[0]).toBe("rows read 9 = accepted 1 + rejected 8 + excluded 0; replaced 0; order lines 1");
    expect(all[1]).toMatch(/read 9, accepted 1, rejected 8, excluded 0; by reason: invalid_date 8; warnings: missing_cost 1, missing_list_price 1$/);
    expect(all.filter((l) => l.startsWith("  rejected orders:"))).toHaveLength(5);
    expect(all.at(-1)).toBe("  ... and 3 more rejected rows (--json lists them)");
    // the report keeps the first maxRejectedRows rows only: --json does not list them all
    const capped = formatReport(fromRowsSync({ orders }, { maxRejectedRows: 6 }).report, 5).split("\n");
    expect(capped.at(-1)).toBe("  ... and 3 more rejected rows (--json lists the first 6; the counts by reason above are complete)");
  });
});
