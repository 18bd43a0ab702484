import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { datasetToBytes } from "./dataset-to-bytes.ts";
import { epochDay } from "./epoch-day.ts";
import { isOrderpulseError } from "./errors.ts";
import { fromRows } from "./from-rows.ts";
import { fromRowsSync } from "./from-rows-sync.ts";
import type { OrderRow } from "./rows.ts";

const line = (o: Partial<OrderRow> & { order_id: OrderRow["order_id"] }): OrderRow => ({
  order_date: "2026-01-05",
  customer_id: "C1",
  product_id: "P1",
  quantity: 1,
  unit_price: 10,
  ...o,
});

describe("fromRows", () => {
  it("builds columns sorted by (customer, day) with sorted dictionaries and offsets", async () => {
    const { dataset: ds, report } = await fromRows({
      orders: [
        line({ order_id: "B", customer_id: "C2", order_date: "2026-02-01", product_id: "P2", quantity: 3, unit_price: 2.5 }),
        line({ order_id: "A", customer_id: "C1", order_date: "2026-01-10" }),
        line({ order_id: "Z", customer_id: "C1", order_date: "2026-01-02", product_id: "P3" }),
      ],
    });
    expect(report).toMatchObject({ rowsRead: 3, accepted: 3, rejected: 0, excluded: 0, replaced: 0, lines: 3 });
    expect(ds.ids.customers.values).toEqual(["C1", "C2"]);
    expect(ds.ids.products.values).toEqual(["P1", "P2", "P3"]);
    expect([...ds.customerStart]).toEqual([0, 2, 3]);
    expect([...ds.customerEnd]).toEqual([2, 3]);
    expect([...ds.lines.day]).toEqual([epochDay(2026, 1, 2), epochDay(2026, 1, 10), epochDay(2026, 2, 1)]);
    expect([...ds.lines.product]).toEqual([2, 0, 1]);
    expect(ds.ids.orders.values[ds.lines.order[0]!]).toBe("Z");
    expect(ds.lines.quantity[2]).toBe(3);
    expect(ds.lines.unitPrice[2]).toBe(2.5);
    expect(ds.lines.rep[0]).toBe(-1);
    expect(Number.isNaN(ds.lines.unitCost[0]!)).toBe(true);
    expect(report.warnings).toEqual({ missing_cost: 3, missing_list_price: 3 });
    expect(ds.dayRange).toEqual({ first: epochDay(2026, 1, 2), last: epochDay(2026, 2, 1) });
  });

  it("accepts async iterables and gives the same result as arrays", async () => {
    const rows = [line({ order_id: "1" }), line({ order_id: "2", customer_id: "C9" })];
    async function* gen(): AsyncGenerator<OrderRow> {
      for (const r of rows) yield r;
    }
    const a = await fromRows({ orders: rows });
    const b = await fromRows({ orders: gen() });
    expect(b).toEqual(a);
    expect(fromRowsSync({ orders: rows })).toEqual(a);
    expect(() => fromRowsSync({ orders: gen() as never })).toThrow(/synchronous/);
  });

  it("rejects bad values with table, line, column, value and reason, and counts by reason", async () => {
    const { dataset, report } = await fromRows({
      orders: [
        line({ order_id: "1" }),
        line({ order_id: "2", order_date: "2026-02-30" }),
        line({ order_id: "3", quantity: "abc" }),
        line({ order_id: "4", quantity: "" }),
        line({ order_id: "5", unit_price: "" }),
        line({ order_id: "6", unit_price: -2 }),
        line({ order_id: "7", unit_price: 0 }),
        line({ order_id: "8", customer_id: "  " }),
        line({ order_id: "9", quantity: 0 }),
        line({ order_id: "10", unit_cost: -1 }),
        line({ order_id: "11", list_price: "n/a" }),
        null as unknown as OrderRow,
      ],
    });
    expect(dataset.lines.length).toBe(1);
    expect(report.rowsRead).toBe(12);
    expect(report.rowsRead).toBe(report.accepted + report.rejected + report.excluded);
    expect(report.byReason).toEqual({
      invalid_date: 1,
      invalid_number: 2,
      invalid_row: 1,
      missing_value: 3,
      negative_cost: 1,
      non_positive_price: 2,
      zero_quantity: 1,
    });
    expect(report.rejectedRows[0]).toEqual({
      table: "orders",
      file: undefined,
      line: 2,
      column: "order_date",
      value: "2026-02-30",
      reason: "invalid_date",
      message: "order_date is not a valid date: 2026-02-30",
    });
    expect(report.rejectedRows.map((r) => r.column)).toEqual([
      "order_date", "quantity", "quantity", "unit_price", "unit_price", "unit_price", "customer_id", "quantity", "unit_cost", "list_price", undefined,
    ]);
  });

  it("a d/m/y or m/d/y date the format did not read gets the day-order hint only when one of the orders reads it (review 2026-12-07)", () => {
    const rows = ["12/25/2010 8:26", "13/45/2010 8:26", "31/02/2011 8:26"].map((order_date, k) => ({ order_id: `O${k}`, order_date, customer_id: "C", product_id: "P", quantity: 1, unit_price: 2 }));
    const { report } = fromRowsSync({ orders: rows }, { dateFormat: "dmy" });
    expect(report.rejectedRows.map((r) => [r.value, r.message.includes("dateFormat dmy or mdy reads it")])).toEqual([
      ["12/25/2010 8:26", true], // mdy reads it
      ["13/45/2010 8:26", false], // no month 45 or 13 either way
      ["31/02/2011 8:26", false], // February 31st, and no month 31
    ]);
  });

  it("a line whose quantity × price (cost, list) overflows a double is rejected as invalid_number (review 2026-12-07: revenue read NaN)", () => {
    const base = { customer_id: "C", product_id: "P", order_date: "2026-01-05" };
    const { dataset, report } = fromRowsSync({
      orders: [
        { ...base, order_id: "ok", quantity: 2, unit_price: 10 },
        { ...base, order_id: "big", quantity: 1e200, unit_price: 1e200 },
        { ...base, order_id: "cost", quantity: 1e200, unit_price: 1, unit_cost: 1e200 },
        { ...base, order_id: "fine", quantity: 1e150, unit_price: 1e150 },
      ],
    });
    expect(report.rejectedRows.map((r) => [r.line, r.column, r.reason])).toEqual([[2, "unit_price", "invalid_number"], [3, "unit_cost", "invalid_number"]]);
    expect(report.rejectedRows[0]!.message).toBe("quantity × unit_price is beyond a double's range: 1e+200 × 1e+200");
    expect(dataset.lines.quantity.length).toBe(2);
  });

  it("throws INVALID_ROW at the first bad row with strict", async () => {
    const err = await fromRows({ orders: [line({ order_id: "1" }), line({ order_id: "2", unit_price: "x" })] }, { strict: true }).catch((e: unknown) => e);
    expect(isOrderpulseError(err)).toBe(true);
    expect(err).toMatchObject({ code: "INVALID_ROW", details: { line: 2, column: "unit_price", reason: "invalid_number" } });
  });

  it("replaces repeated line keys (order_id + line_id) and identical whole rows, counting them", async () => {
    const { dataset, report } = await fromRows({
      orders: [
        line({ order_id: "1", line_id: 1, quantity: 5 }),
        line({ order_id: "1", line_id: 2, quantity: 1 }),
        line({ order_id: "1", line_id: 1, quantity: 7 }), // ERP re-sync of line 1
        line({ order_id: "2" }),
        line({ order_id: "2" }), // same whole row, no line_id
        line({ order_id: "2", quantity: 2 }), // differs: a second line
      ],
    });
    expect(report.accepted).toBe(6);
    expect(report.replaced).toBe(2);
    expect(dataset.lines.length).toBe(4);
    const q = [...dataset.lines.quantity].sort();
    expect(q).toEqual([1, 1, 2, 7]);
    expect(report.warnings).not.toHaveProperty("replaced_other_customer");
  });

  it("a line key replaced by another customer's row, or a sale by a return, is still replaced and counted as a warning (review 2026-12-07: silent)", () => {
    const { report } = fromRowsSync({
      orders: [
        line({ order_id: "1001", line_id: 1, customer_id: "C1" }),
        line({ order_id: "1001", line_id: 1, customer_id: "C2" }), // another branch's order 1001
        line({ order_id: "A1", line_id: 1, quantity: 10 }),
        line({ order_id: "A1", line_id: 1, quantity: -3 }), // a credit note booked on the sale's line
        line({ order_id: "B1", line_id: 1, quantity: 10 }),
        line({ order_id: "B1", line_id: 1, quantity: 12 }), // a re-sync
      ],
    });
    expect(report.replaced).toBe(3);
    expect(report.tables.orders?.warnings).toMatchObject({ replaced_other_customer: 1, replaced_sale_by_return: 1 });
  });

  it("keeps returns, flags them, and counts them", async () => {
    const { dataset, report } = await fromRows({ orders: [line({ order_id: "1", quantity: 4 }), line({ order_id: "CR1", quantity: -1, order_date: "2026-01-20" })] });
    expect([...dataset.lines.isReturn]).toEqual([0, 1]);
    expect(report.warnings.return_lines).toBe(1);
  });

  it("an account owner, a deal's or a target's rep missing from the reps table is a warning of its table (review 2026-12-07: an owner not in reps.csv lost its accounts from every manager's brief without a word)", () => {
    const { report } = fromRowsSync({
      orders: [line({ order_id: "1" })],
      customers: [{ customer_id: "C1", rep_id: "R9" }, { customer_id: "C2", rep_id: "R1" }],
      reps: [{ rep_id: "R1" }],
      dealEvents: [{ deal_id: "D1", customer_id: "C1", stage: "lead", entered_at: "2026-01-05", rep_id: "R8" }],
      targets: [{ rep_id: "R7", period: "2026-01", kpi: "revenue", target: 100 }],
    });
    expect([report.tables.customers?.warnings, report.tables.dealEvents?.warnings, report.tables.targets?.warnings]).toEqual([{ unknown_rep: 1 }, { unknown_rep: 1 }, { unknown_rep: 1 }]);
  });

  it("counts unknown customers and products (distinct ids) as warnings, still accepted", async () => {
    const { dataset, report } = await fromRows({
      orders: [line({ order_id: "1" }), line({ order_id: "2", customer_id: "X" }), line({ order_id: "3", customer_id: "X", product_id: "Q" })],
      customers: [{ customer_id: "C1", segment: "cafe", rep_id: "R1" }],
      products: [{ product_id: "P1", family: "coffee", list_price: 12, unit_cost: 6 }],
    });
    expect(dataset.lines.length).toBe(3);
    expect(report.tables.orders?.warnings).toMatchObject({ unknown_customer: 1, unknown_product: 1 });
    const c1 = dataset.ids.customers.indexOf("C1");
    expect(dataset.customers.known[c1]).toBe(1);
    expect(dataset.ids.segments.values[dataset.customers.segment[c1]!]).toBe("cafe");
    expect(dataset.ids.reps.values[dataset.customers.rep[c1]!]).toBe("R1");
    // line falls back to the product's list price and cost
    expect(dataset.lines.listPrice[0]).toBe(12);
    expect(dataset.lines.unitCost[0]).toBe(6);
  });

  it("refuses mixed currencies without fx, converts with fx", async () => {
    const rows = [line({ order_id: "1", currency: "USD" }), line({ order_id: "2", currency: "eur", unit_price: 2 })];
    const err = await fromRows({ orders: rows }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "MIXED_CURRENCIES" });
    expect(String((err as Error).message)).toMatch(/several currencies \(EUR: 1 line, USD: 1 line\)/);
    // the details count the lines the dataset would keep (an identical row is one line), in code
    // order whatever the rows' order
    for (const orders of [[rows[0]!, rows[0]!, rows[1]!], [rows[1]!, rows[0]!, rows[0]!]]) {
      const e = await fromRows({ orders }).catch((x: unknown) => x);
      expect(JSON.stringify((e as { details: unknown }).details)).toBe('{"currencies":{"EUR":1,"USD":1}}');
    }
    // two rows that differ only in their currency are two lines, not a repeated row: an error in
    // either order (merged first, one order was accepted as USD, the other as EUR)
    const twin = [line({ order_id: "9", currency: "USD" }), line({ order_id: "9", currency: "EUR" })];
    for (const orders of [twin, [...twin].reverse()]) expect(await fromRows({ orders }).catch((x: unknown) => x)).toMatchObject({ code: "MIXED_CURRENCIES" });
    const err2 = await fromRows({ orders: [rows[0]!] }, { currency: "ILS" }).catch((e: unknown) => e);
    expect(err2).toMatchObject({ code: "MIXED_CURRENCIES" });
    // one currency, not the one asked: said so (review 2026-12-07: "several currencies (ILS, USD)")
    expect(String((err2 as Error).message)).toMatch(/^order lines are in USD \(1 line\), not in the currency asked \(ILS\), and no fx rates were given/);
    const { dataset, report } = await fromRows({ orders: [...rows, line({ order_id: "3", currency: "GBP" })] }, { currency: "USD", fx: { EUR: 1.1 } });
    expect(dataset.currency).toBe("USD");
    expect([...dataset.lines.unitPrice].sort()).toEqual([10, 2.2]);
    expect(report.byReason).toEqual({ unknown_currency: 1 });
    const single = await fromRows({ orders: [rows[0]!] });
    expect(single.dataset.currency).toBe("USD");
  });

  it("validates options at the boundary", async () => {
    await expect(fromRows({ orders: [] }, { timeZone: "Nowhere/Land" })).rejects.toMatchObject({ code: "INVALID_OPTION" });
    await expect(fromRows({ orders: [] }, { fx: { EUR: 1 } })).rejects.toMatchObject({ code: "INVALID_OPTION" });
    await expect(fromRows({ orders: [] }, { maxRejectedRows: -1 })).rejects.toMatchObject({ code: "INVALID_OPTION" });
    // two rates for one currency in two spellings, and a rate for the target currency other than 1
    // (review 2026-12-07: the last one was kept, and ILS: 2 into ILS was set to 1 silently)
    await expect(fromRows({ orders: [] }, { currency: "ILS", fx: { USD: 3.7, usd: 1 } })).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "fx" } });
    await expect(fromRows({ orders: [] }, { currency: "ILS", fx: { ILS: 2 } })).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "fx" } });
    // a stage name in two spellings mapped to two stages (self-review 2026-12-07: the last one won)
    await expect(fromRows({ orders: [] }, { stages: { Closed: "won", "closed ": "lost" } })).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "stages" } });
    await expect(fromRows({ orders: [] }, { stages: { Closed: "won", "closed ": "won" } })).resolves.toBeDefined();
    // the same rate twice, and the target's own rate 1, are fine
    await expect(fromRows({ orders: [] }, { currency: "ILS", fx: { USD: 3.7, " usd": 3.7, ILS: 1 } })).resolves.toBeDefined();
  });

  it("refuses rows without orders, and a table under another spelling, naming it (its rows were lost without a word); other keys are no tables and stay ignored", async () => {
    for (const rows of [{}, { customers: [{ customer_id: "C1" }] }]) {
      expect(() => fromRowsSync(rows as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", details: { option: "orders" } }));
      await expect(fromRows(rows as never)).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "orders" } });
    }
    expect(() => fromRowsSync({ Orders: [line({ order_id: "1" })] } as never)).toThrow(/rows\.Orders is not a table: did you mean rows\.orders\?/);
    expect(() => fromRowsSync({ orders: [], deal_events: [] } as never)).toThrow(/did you mean rows\.dealEvents\?/);
    expect(() => fromRowsSync({ orders: [], product: [] } as never)).toThrow(/did you mean rows\.products\?/);
    // (the synthetic distributor comes with its truth beside the tables)
    expect(fromRowsSync({ orders: [line({ order_id: "1" })], truth: { events: [] } } as never).report.accepted).toBe(1);
  });

  it("a JS NaN is a missing value (policy: NaN skipped and counted): an optional cost or list price is missing, a required value missing_value", () => {
    const { dataset, report } = fromRowsSync({
      orders: [line({ order_id: "1", unit_cost: Number.NaN, list_price: Number.NaN }), line({ order_id: "2", quantity: Number.NaN }), line({ order_id: Number.NaN })],
    });
    expect(dataset.lines.length).toBe(1); // the line with NaN cost and list price is kept (it was rejected as invalid_number)
    expect(report.warnings).toMatchObject({ missing_cost: 1, missing_list_price: 1 });
    expect(report.byReason).toEqual({ missing_value: 2 });
  });

  it("refuses a table that is not iterable with INVALID_OPTION, as fromRowsSync does, before reading any row", async () => {
    for (const bad of ["abc", 5, {}, null, true, () => []]) {
      await expect(fromRows({ orders: bad as never }), String(bad)).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "orders" } });
      expect(() => fromRowsSync({ orders: bad as never }), String(bad)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    }
    let read = 0;
    function* counted(): Generator<OrderRow> {
      read++;
      yield line({ order_id: "1" });
    }
    await expect(fromRows({ orders: counted(), products: 7 as never })).rejects.toMatchObject({ code: "INVALID_OPTION", details: { option: "products" } });
    expect(() => fromRowsSync({ orders: counted(), customers: {} as never })).toThrow(/rows\.customers/);
    expect(read).toBe(0);
    await expect(fromRows(null as never)).rejects.toMatchObject({ code: "INVALID_OPTION" });
    expect(() => fromRowsSync(undefined as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    // sync and async iterables that are not arrays still work
    const set = new Set([line({ order_id: "1" })]);
    expect((await fromRows({ orders: set })).report.accepted).toBe(1);
    expect(fromRowsSync({ orders: set }).report.accepted).toBe(1);
  });

  it("reads the other tables, maps deal stages, validates periods", async () => {
    const { dataset, report } = await fromRows({
      orders: [],
      reps: [{ rep_id: "R1", manager_id: "M1" }, { rep_id: "M1", name: "Maya" }],
      dealEvents: [
        { deal_id: "D1", customer_id: "C1", stage: "Lead", entered_at: "2026-01-01", amount: 500 },
        { deal_id: "D1", customer_id: "C1", stage: "Quote sent", entered_at: "2026-01-10" },
        { deal_id: "D1", customer_id: "C1", stage: "mystery", entered_at: "2026-01-11" },
      ],
      targets: [{ rep_id: "R1", period: "2026-03", kpi: "revenue", target: "1000" }, { rep_id: "R1", period: "March", kpi: "revenue", target: 1 }],
      content: [{ content_id: "K1", title: "Price list", url: "https://example.com/p.pdf", product_id: "P1" }],
      products: [{ product_id: "P1", active: "no" }, { product_id: "P2", active: "maybe" }],
    }, { stages: { "Quote sent": "proposal" } });
    expect(dataset.dealEvents.length).toBe(2);
    expect([...dataset.dealEvents.stage]).toEqual([0, 2]);
    expect(report.byReason).toEqual({ invalid_boolean: 1, invalid_period: 1, unknown_stage: 1 });
    expect(dataset.targets).toEqual([{ rep: dataset.ids.reps.indexOf("R1"), period: "2026-03", kpi: "revenue", target: 1000 }]);
    expect(dataset.reps.manager[dataset.ids.reps.indexOf("R1")]).toBe(dataset.ids.reps.indexOf("M1"));
    expect(dataset.content[0]?.product).toBe(dataset.ids.products.indexOf("P1"));
    expect(dataset.products.active[dataset.ids.products.indexOf("P1")]).toBe(0);
  });

  it("content about a product no order or products row names keeps its product (it was -1: sent as segment or family content)", () => {
    const { dataset } = fromRowsSync({
      orders: [line({ order_id: "1" })],
      content: [{ content_id: "K1", title: "Datasheet", url: "https://example.com/d.pdf", product_id: "NOPE", segment: "hotels" }],
    });
    expect(dataset.ids.products.values[dataset.content[0]!.product]).toBe("NOPE");
  });

  it("a rejected row of any table leaves no id in the dictionaries (validated before interning)", async () => {
    const { dataset, report } = await fromRows({
      orders: [line({ order_id: "1" })],
      products: [
        { product_id: "P1", family: "F1" },
        { product_id: "PX", family: "FX", list_price: -1 },
        { product_id: "PY", family: "FY", active: "maybe" },
        { product_id: "PZ", family: "FZ", unit_cost: "-2" },
        { product_id: "PW", list_price: "1e400" },
      ],
      customers: [{ customer_id: "C1" }, { customer_id: "", segment: "SX", rep_id: "RX" }],
      dealEvents: [
        { deal_id: "DX", customer_id: "CX", stage: "mystery", entered_at: "2026-01-01", rep_id: "RX" },
        { deal_id: "DY", customer_id: "CY", stage: "lead", entered_at: "2026-02-30", rep_id: "RY" },
        { deal_id: "DZ", customer_id: "CZ", stage: "lead", entered_at: "2026-01-01", rep_id: "RZ", amount: -5 },
      ],
      targets: [{ rep_id: "RT", period: "March", kpi: "revenue", target: 1 }, { rep_id: "RU", period: "2026-03", kpi: "revenue", target: "lots" }],
      reps: [{ rep_id: "", manager_id: "MX" }],
      content: [{ content_id: "K1", title: "", url: "https://example.com", product_id: "PV" }],
    });
    expect(report.rejected).toBe(12);
    expect(dataset.ids.products.values).toEqual(["P1"]);
    expect(dataset.ids.families.values).toEqual(["F1"]);
    expect(dataset.ids.customers.values).toEqual(["C1"]);
    expect(dataset.ids.reps.values).toEqual([]);
    expect(dataset.ids.deals.values).toEqual([]);
    expect(dataset.ids.segments.values).toEqual([]);
    expect([...dataset.products.known]).toEqual([1]);
  });

  it("property: any shuffle of the input rows gives an identical Dataset", () => {
    const row = fc.record({
      order_id: fc.constantFrom("O1", "O2", "O3", "O4", "O5"),
      line_id: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      order_date: fc.integer({ min: 0, max: 60 }).map((d) => `2026-01-${String((d % 28) + 1).padStart(2, "0")}`),
      customer_id: fc.constantFrom("C1", "C2", "C3"),
      product_id: fc.constantFrom("P1", "P2", "P3", "P4"),
      quantity: fc.integer({ min: -3, max: 9 }).filter((q) => q !== 0),
      unit_price: fc.integer({ min: 1, max: 500 }).map((c) => c / 10),
      rep_id: fc.option(fc.constantFrom("R1", "R2"), { nil: undefined }),
    });
    // unique line keys so "last wins" cannot depend on order
    const rows = fc
      .array(row, { maxLength: 40 })
      .map((rs) => {
        const seen = new Set<string>();
        return rs.filter((r) => {
          if (r.line_id === undefined) return true;
          const k = `${r.order_id}/${r.line_id}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
      });
    fc.assert(
      fc.property(rows.chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))), ([a, b]) => {
        const x = fromRowsSync({ orders: a });
        const y = fromRowsSync({ orders: b });
        expect(y.dataset.lines).toEqual(x.dataset.lines);
        expect(y.dataset.ids.orders.values).toEqual(x.dataset.ids.orders.values);
        expect(y.dataset.customerStart).toEqual(x.dataset.customerStart);
        expect(y.report.replaced).toBe(x.report.replaced);
      }),
      { numRuns: 200 },
    );
  });
});

describe("fromRows options", () => {
  it("bad ingest options name the function, the option, what was expected and what was given (review 2026-12-07: \"invalid ingest option : Invalid input\")", () => {
    const rows = { orders: [] };
    const cases: [unknown, string, string][] = [
      ["x", "options", 'fromRowsSync: invalid option options: expected an object, got "x"'],
      [null, "options", "fromRowsSync: invalid option options: expected an object, got null"],
      [[], "options", "fromRowsSync: invalid option options: expected an object, got an array"],
      [{ maxRejectedRows: -1 }, "maxRejectedRows", "fromRowsSync: invalid option maxRejectedRows: expected at least 0, got -1"],
      [{ strict: 1 }, "strict", "fromRowsSync: invalid option strict: expected a boolean, got 1"],
    ];
    for (const [options, option, message] of cases) {
      try {
        fromRowsSync(rows, options as never);
        expect.unreachable();
      } catch (e) {
        expect(isOrderpulseError(e) && [e.code, e.details["option"], e.message]).toEqual(["INVALID_OPTION", option, message]);
      }
    }
  });
});

describe("fromRows rejected values in messages", () => {
  it("a line break or tab in a rejected value is written \\n / \\t in the one-line message; a long value is not cut inside an emoji (review 2026-12-07)", () => {
    const row = (quantity: string): OrderRow => ({ order_id: "1", order_date: "2026-01-05", customer_id: "C", product_id: "P", quantity, unit_price: 2 });
    const broken = fromRowsSync({ orders: [row("1\n2\t3")] }).report.rejectedRows[0]!;
    expect(broken.message).toBe("quantity is not a number: 1\\n2\\t3");
    expect(broken.value).toBe("1\n2\t3"); // the value as it came
    const long = fromRowsSync({ orders: [row(`${"a".repeat(199)}\u{1F355}`)] }).report.rejectedRows[0]!;
    expect(long.value).toBe(`${"a".repeat(199)}…`);
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    expect(lone.test(long.value as string) || lone.test(long.message)).toBe(false);
  });
});

describe("fromRows id dictionaries", () => {
  it("a cost of -0 is stored as 0: rows equal up to it give the same Dataset in either order", () => {
    const r = (unit_cost: string | number) => ({ order_id: "O1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 1, unit_price: 10, unit_cost });
    for (const [a, b] of [["0", "-0"], [0, -0]] as const) {
      const x = fromRowsSync({ orders: [r(a), r(b)], products: [{ product_id: "P1", unit_cost: "-0" }] }).dataset;
      const y = fromRowsSync({ orders: [r(b), r(a)], products: [{ product_id: "P1", unit_cost: "-0" }] }).dataset;
      expect(datasetToBytes(y)).toEqual(datasetToBytes(x));
      expect(Object.is(x.lines.unitCost[0], 0)).toBe(true);
      expect(Object.is(x.products.unitCost[0], 0)).toBe(true);
    }
  });

  it("property: ids arriving sorted, nearly sorted or shuffled give an identical Dataset", () => {
    // sorted input takes the identity remap, a few swaps the index sort, a shuffle the Map
    const row = fc.record({
      order_id: fc.integer({ min: 1, max: 60 }).map((i) => `O${String(i).padStart(2, "0")}`),
      order_date: fc.integer({ min: 1, max: 28 }).map((d) => `2026-01-${String(d).padStart(2, "0")}`),
      customer_id: fc.integer({ min: 1, max: 30 }).map((i) => `C${String(i).padStart(2, "0")}`),
      product_id: fc.constantFrom("P1", "P2", "P3"),
      quantity: fc.integer({ min: 1, max: 9 }),
      unit_price: fc.constant(2),
    });
    const input = fc.array(row, { minLength: 1, maxLength: 80 }).chain((rs) => {
      const sorted = [...rs].sort((a, b) => (a.order_id < b.order_id ? -1 : a.order_id > b.order_id ? 1 : 0));
      return fc.tuple(
        fc.constant(sorted),
        fc.array(fc.nat(sorted.length - 1), { maxLength: 3 }),
        fc.shuffledSubarray(sorted, { minLength: sorted.length, maxLength: sorted.length }),
      );
    });
    fc.assert(
      fc.property(input, ([sorted, swaps, shuffled]) => {
        const nearly = [...sorted];
        for (const i of swaps) [nearly[i], nearly[nearly.length - 1 - i]] = [nearly[nearly.length - 1 - i]!, nearly[i]!];
        const x = fromRowsSync({ orders: sorted });
        for (const other of [nearly, shuffled]) {
          const y = fromRowsSync({ orders: other });
          expect(y.dataset.lines).toEqual(x.dataset.lines);
          expect(y.dataset.ids.orders.values).toEqual(x.dataset.ids.orders.values);
          expect(y.dataset.ids.customers.values).toEqual(x.dataset.ids.customers.values);
          expect(y.report.replaced).toBe(x.report.replaced);
        }
        expect([...x.dataset.ids.orders.values]).toEqual([...new Set(sorted.map((r) => r.order_id))]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("fromRows deal events logged twice", () => {
  it("the same event (deal, stage, day) twice keeps the rep and amount one of them gives, in either row order (review 2026-12-07: the later row replaced the earlier whole)", () => {
    const full = { deal_id: "D1", customer_id: "C1", stage: "proposal", entered_at: "2026-03-02", rep_id: "R1", amount: 100 };
    const bare = { deal_id: "D1", customer_id: "C1", stage: "proposal", entered_at: "2026-03-02" };
    const read = (dealEvents: object[]) => {
      const { dataset, report } = fromRowsSync({ orders: [], dealEvents: dealEvents as never });
      const e = dataset.dealEvents;
      return { length: e.length, rep: e.rep[0]! >= 0 ? dataset.ids.reps.values[e.rep[0]!] : undefined, amount: e.amount[0], replaced: report.replaced };
    };
    expect(read([full, bare])).toEqual({ length: 1, rep: "R1", amount: 100, replaced: 1 });
    expect(read([bare, full])).toEqual({ length: 1, rep: "R1", amount: 100, replaced: 1 });
    // a later row that gives them wins
    expect(read([full, { ...bare, rep_id: "R2", amount: 250 }])).toEqual({ length: 1, rep: "R2", amount: 250, replaced: 1 });
  });
});

describe("fromRows replaced line keys", () => {
  it("property: repeated (order_id, line_id) keys give the dataset of the last row of each key alone", () => {
    const row = fc.record({
      order_id: fc.constantFrom("O1", "O2", "O3", "O4"),
      line_id: fc.constantFrom("1", "2", "3"),
      order_date: fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, "0")}`),
      customer_id: fc.constantFrom("C1", "C2", "C3"),
      product_id: fc.constantFrom("P1", "P2", "P3", "P4"),
      quantity: fc.integer({ min: -2, max: 9 }).filter((q) => q !== 0),
      unit_price: fc.integer({ min: 1, max: 90 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const last = new Map<string, (typeof rows)[number]>();
        for (const r of rows) {
          const k = `${r.order_id}/${r.line_id}`;
          last.delete(k); // keep the last occurrence's position
          last.set(k, r);
        }
        const x = fromRowsSync({ orders: rows });
        const y = fromRowsSync({ orders: [...last.values()] });
        // compared as text: a replaced line's ids stay in the dictionaries (they were seen)
        const text = (d: typeof x.dataset): string[] =>
          Array.from({ length: d.lines.length }, (_, j) =>
            [d.ids.customers.values[d.lines.customer[j]!], d.ids.orders.values[d.lines.order[j]!], d.ids.lineIds.values[d.lines.lineId[j]!], d.ids.products.values[d.lines.product[j]!], d.lines.day[j], d.lines.quantity[j], d.lines.unitPrice[j], d.lines.isReturn[j]].join(" "),
          );
        expect(text(x.dataset)).toEqual(text(y.dataset));
        expect(x.report.replaced).toBe(rows.length - last.size);
      }),
      { numRuns: 200 },
    );
  });
});

describe("fromRows field order", () => {
  it("reads every order field by name (the static fast path matches the contract order)", async () => {
    const { FIELDS } = await import("./internal/builder.ts");
    expect(FIELDS.orders).toEqual(["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price", "line_id", "unit_cost", "list_price", "rep_id", "channel", "currency"]);
    const { dataset } = fromRowsSync({
      orders: [{ order_id: "O", order_date: "2026-03-01", customer_id: "C", product_id: "P", quantity: 3, unit_price: 2, line_id: 7, unit_cost: 1, list_price: 2.5, rep_id: "R", channel: "web", currency: "EUR" }],
    });
    const L = dataset.lines;
    expect([L.quantity[0], L.unitPrice[0], L.unitCost[0], L.listPrice[0]]).toEqual([3, 2, 1, 2.5]);
    expect([dataset.ids.lineIds.values[L.lineId[0]!], dataset.ids.reps.values[L.rep[0]!], dataset.ids.channels.values[L.channel[0]!], dataset.currency]).toEqual(["7", "R", "web", "EUR"]);
  });
});
