import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/support/temp-dir.ts";
import { readDataset } from "../csv/read-dataset.ts";
import { dataNotes, folderNotes } from "./data-notes.ts";
import type { CliIo } from "./io.ts";

function io(): CliIo & { errors: string[] } {
  const errors: string[] = [];
  return { out: () => {}, err: (t) => void errors.push(t), errIsTTY: false, env: {}, errors };
}

/** What dataNotes throws on the data (as of 2026-01-06, quiet), or undefined. */
function thrown({ dataset, report }: Pick<ReturnType<typeof fromRowsSync>, "dataset" | "report">): unknown {
  try {
    dataNotes(report, dataset, "2026-01-06", false, io(), true);
  } catch (e) {
    return e;
  }
  return undefined;
}
const row = (id: string, date: string, price: number | string = 2) => ({ order_id: id, order_date: date, customer_id: "C1", product_id: "P", quantity: 1, unit_price: price });

describe("dataNotes (what an analysis command says about the data it read)", () => {
  it("says how many order rows were rejected and why, with the first one", () => {
    const { dataset, report } = fromRowsSync({ orders: [row("A", "2026-01-05"), row("B", "05/01/2026"), row("C", "2026-01-06", "abc")] });
    const out = io();
    dataNotes(report, dataset, "2026-01-06", false, out, false);
    expect(out.errors).toEqual([`orderpulse: 2 of 3 order rows were rejected (invalid_date 1, invalid_number 1); e.g. orders:2: ${report.rejectedRows[0]!.message}; orderpulse ingest lists them\n`]);
    const quiet = io();
    dataNotes(report, dataset, "2026-01-06", false, quiet, true);
    expect(quiet.errors).toEqual([]);
  });

  it("says the reader's guesses: the day order no date told apart, an encoding that was not UTF-8 (review 2026-12-07)", async () => {
    // a UK Online Retail export with days 1-12 only: read month first, as the preset's own order
    const dir = tempDir("orderpulse-notes-dates-");
    const lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"];
    for (let d = 1; d <= 12; d++) lines.push(`5${d},A1,Mug,1,${String(d).padStart(2, "0")}/12/2010 08:26,2.5,13047,United Kingdom`);
    writeFileSync(join(dir, "orders.csv"), `${lines.join("\n")}\n`);
    const { dataset, report } = await readDataset({ path: dir, preset: "online-retail" });
    const out = io();
    dataNotes(report, dataset, "2010-12-31", true, out, false);
    expect(out.errors.some((e) => e.includes("no order date tells the day from the month") && e.includes("--date-format dmy or mdy"))).toBe(true);
    // not UTF-8: read as the preset's fallback encoding, said so
    const latin = tempDir("orderpulse-notes-latin-");
    writeFileSync(join(latin, "orders.csv"), Buffer.from(`${lines[0]}\n536365,A1,Caf\xe9 mug,1,2010-12-01 08:26,2.5,13047,United Kingdom\n`, "latin1"));
    const read = await readDataset({ path: latin, preset: "online-retail" });
    const notes = io();
    dataNotes(read.report, read.dataset, "2010-12-31", true, notes, false);
    expect(notes.errors.some((e) => /not UTF-8: read as windows-1252/.test(e))).toBe(true);
    const quiet = io();
    dataNotes(read.report, read.dataset, "2010-12-31", true, quiet, true);
    expect(quiet.errors).toEqual([]);
  });

  it("says how many rows of the other tables were rejected too (a rejected deal event was not noted)", () => {
    const dealEvents = [
      { deal_id: "D1", customer_id: "C1", stage: "proposal", entered_at: "2026-01-02" },
      { deal_id: "D2", customer_id: "C1", stage: "proposal", entered_at: "someday" },
    ];
    const { dataset, report } = fromRowsSync({ orders: [row("A", "2026-01-05"), row("B", "05/01/2026")], dealEvents });
    const out = io();
    dataNotes(report, dataset, "2026-01-06", false, out, false);
    expect(out.errors.length).toBe(2);
    expect(out.errors[0]).toMatch(/^orderpulse: 1 of 2 order rows were rejected/);
    expect(out.errors[1]).toMatch(/^orderpulse: 1 of 2 deal event rows were rejected \(invalid_date 1\); e\.g\. dealEvents:2: .*; orderpulse ingest lists them\n$/);
    // only the other tables' rows rejected: noted, and the analysis goes on
    const alone = fromRowsSync({ orders: [row("A", "2026-01-05")], dealEvents });
    const out2 = io();
    dataNotes(alone.report, alone.dataset, "2026-01-06", false, out2, false);
    expect(out2.errors).toEqual([expect.stringMatching(/^orderpulse: 1 of 2 deal event rows were rejected/)]);
  });

  it("counts every rejection by reason, beyond the rejected rows the report lists", () => {
    // the reasons were taken from the listed rows (the first maxRejectedRows): a reason first met
    // after them was left out, and the counts did not add up to the rejected rows
    const { dataset, report } = fromRowsSync({ orders: [row("A", "2026-01-05", "abc"), row("B", "05/01/2026"), row("C", "2026-01-06")] }, { maxRejectedRows: 1 });
    expect(report.rejectedRows.length).toBe(1);
    const out = io();
    dataNotes(report, dataset, "2026-01-06", false, out, false);
    expect(out.errors[0]).toMatch(/^orderpulse: 2 of 3 order rows were rejected \(invalid_date 1, invalid_number 1\)/);
  });

  it("fails (INVALID_ROW, exit 3) when every order row was rejected: nothing to analyse", () => {
    const error = thrown(fromRowsSync({ orders: [row("A", "05/01/2026"), row("B", "13/01/2026")] }));
    expect(isOrderpulseError(error) && error.code).toBe("INVALID_ROW");
    expect((error as Error).message).toMatch(/^every one of the 2 order rows was rejected \(invalid_date 2\)/);
  });

  it("no order row accepted: rejected and excluded rows are told apart (3 excluded and 1 rejected read 'every one of the 4 order rows was rejected')", () => {
    const { dataset, report } = fromRowsSync({ orders: [row("A", "13/01/2026")] });
    const orders = report.tables.orders!;
    const mixed = { ...report, tables: { ...report.tables, orders: { ...orders, rowsRead: 4, accepted: 0, rejected: 1, excluded: 3, byReason: { invalid_date: 1, no_customer: 3 }, rejectedByReason: { invalid_date: 1 } } } };
    const message = (r: typeof report): string => (thrown({ dataset, report: r }) as Error | undefined)?.message ?? "";
    expect(message(mixed)).toMatch(/^no order row was accepted: 1 of 4 rejected \(invalid_date 1\), 3 excluded \(no_customer 3\)/);
    const allExcluded = { ...report, tables: { ...report.tables, orders: { ...orders, rowsRead: 3, accepted: 0, rejected: 0, excluded: 3, byReason: { no_customer: 3 }, rejectedByReason: {} } } };
    expect(message(allExcluded)).toBe("every one of the 3 order rows was excluded (no_customer 3): nothing to analyse");
  });

  it("fails (INVALID_ROW, exit 3) on an orders file with its header only (review 2026-12-07: tables of zeros, exit 0)", () => {
    const error = thrown(fromRowsSync({ orders: [] }));
    expect(isOrderpulseError(error) && error.code).toBe("INVALID_ROW");
    expect((error as Error).message).toMatch(/no order rows .*nothing to analyse/);
    // with deal events there is a pipeline to analyse: a note, not an error (self-review: pipeline_stall exited 3)
    const deals = fromRowsSync({ orders: [], dealEvents: [{ deal_id: "D1", customer_id: "C1", stage: "proposal", entered_at: "2026-01-02", rep_id: "R1", amount: 100 }] });
    const out = io();
    expect(() => dataNotes(deals.report, deals.dataset, "2026-01-06", false, out, false)).not.toThrow();
    expect(out.errors).toEqual(["orderpulse: the data has no order rows (an orders file with its header only): only its deal events are analysed\n"]);
  });

  it("notes an --as-of before the data's first day (review 2026-12-07: '0 signals' without a word)", () => {
    const { dataset, report } = fromRowsSync({ orders: [row("A", "2026-01-05"), row("B", "2026-03-05")] });
    const out = io();
    dataNotes(report, dataset, "2025-12-31", true, out, false);
    expect(out.errors).toEqual(["orderpulse: the data begins 2026-01-05, after --as-of 2025-12-31: nothing in it is visible on that day\n"]);
    const inside = io();
    dataNotes(report, dataset, "2026-01-05", true, inside, false);
    expect(inside.errors).toEqual([]);
  });

  it("notes an --as-of given long after the data's last day (not the default as-of, which has its own note)", () => {
    const { dataset, report } = fromRowsSync({ orders: [row("A", "2026-01-05")] });
    const out = io();
    dataNotes(report, dataset, "2030-01-01", true, out, false);
    expect(out.errors).toEqual(["orderpulse: the data ends 2026-01-05, 1457 days before --as-of 2030-01-01: every customer is silent since then\n"]);
    const near = io();
    dataNotes(report, dataset, "2026-01-19", true, near, false);
    dataNotes(report, dataset, "2030-01-01", false, near, false);
    expect(near.errors).toEqual([]);
    // the day from another flag is named by it (recommend --evaluate's --split read "--as-of")
    const split = io();
    dataNotes(report, dataset, "2030-01-01", true, split, false, "--split");
    expect(split.errors).toEqual(["orderpulse: the data ends 2026-01-05, 1457 days before --split 2030-01-01: every customer is silent since then\n"]);
    // not backtest's --to, clipped to the data's last day (review 2026-12-07: the note said the opposite of what the replay did)
    const to = io();
    dataNotes(report, dataset, "2030-01-01", true, to, false, "--to");
    expect(to.errors).toEqual([]);
  });
});

describe("folderNotes", () => {
  it("names a folder's file spelled like a table but not read (review 2026-12-07: customer.csv ignored without a word)", () => {
    const dir = join(tempDir("op-folder-notes-"), "d");
    mkdirSync(dir, { recursive: true });
    for (const name of ["orders.csv", "customer.csv", "Deal-Events.csv", "orders_2025.csv", "notes.txt", "Products.csv", "product.csv"]) writeFileSync(join(dir, name), "x\n");
    const out = io();
    folderNotes(dir, out, false);
    expect(out.errors).toEqual([
      `orderpulse: Deal-Events.csv in ${dir} is not read: the deal_events table is read from deal_events.csv (rename the file)\n`,
      `orderpulse: customer.csv in ${dir} is not read: the customers table is read from customers.csv (rename the file)\n`,
    ]);
    const quiet = io();
    folderNotes(dir, quiet, true);
    folderNotes(join(dir, "orders.csv"), quiet, false);
    expect(quiet.errors).toEqual([]);
  });
});
