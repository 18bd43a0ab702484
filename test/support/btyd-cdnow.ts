// Test-only helpers: the CDNOW 1/10 sample (Fader, Hardie & Lee 2005) parsed from the raw event
// log (as events and as order rows), and the lifetimes summary with transactions. Not exported from the package.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { epochDay } from "../../src/data/epoch-day.ts";
import { formatDay } from "../../src/data/format-day.ts";
import type { OrderRow } from "../../src/data/rows.ts";
import type { BtydEvent } from "../../src/patterns/btyd/calibration-summary.ts";

const dir = join(import.meta.dirname, "..", "fixtures", "btyd");

/** CDNOW_sample.txt: `masterid sampleid YYYYMMDD cds dollars`, customer = sampleid. */
export function cdnowEvents(): BtydEvent[] {
  const out: BtydEvent[] = [];
  for (const line of readFileSync(join(dir, "CDNOW_sample.txt"), "utf8").split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const ymd = f[2]!;
    out.push({ customerId: String(Number(f[1])), day: epochDay(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)), Number(ymd.slice(6, 8))), value: Number(f[4]) });
  }
  return out;
}

/**
 * The same events as order rows: one line of product "cd" per event, its dollars as the price (a
 * $0 purchase at 0.01, so it stays a purchase), the customer id as the file writes it (4 digits,
 * zero-padded, as benchmarks/patterns-accuracy.ts reads it: the same dictionary order).
 */
export function cdnowOrders(): (OrderRow & { order_date: string })[] {
  return cdnowEvents().map((e, i) => ({ order_id: `o${i}`, order_date: formatDay(e.day), customer_id: e.customerId.padStart(4, "0"), product_id: "cd", quantity: 1, unit_price: Math.max(0.01, e.value ?? 0) }));
}

/** cdnow_customers_summary_with_transactions.csv rows: ID,x,t_x,T,zbar. */
export function cdnowReference(): { id: string; x: number; tx: number; T: number; zbar: number }[] {
  const lines = readFileSync(join(dir, "cdnow_customers_summary_with_transactions.csv"), "utf8").trim().split(/\r?\n/).slice(1);
  return lines.map((l) => {
    const [id, x, tx, T, zbar] = l.split(",");
    return { id: String(Number(id)), x: Number(x), tx: Number(tx), T: Number(T), zbar: Number(zbar) };
  });
}

/** The CDNOW calibration summary columns (weeks) from the lifetimes file, in file order. */
export function cdnowSummaryColumns(): { x: Float64Array; tx: Float64Array; T: Float64Array } {
  const rows = cdnowReference();
  return {
    x: Float64Array.from(rows, (r) => r.x),
    tx: Float64Array.from(rows, (r) => r.tx),
    T: Float64Array.from(rows, (r) => r.T),
  };
}
