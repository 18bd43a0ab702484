import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { fitIntervalModel } from "./fit-interval-model.ts";
import { fitItemRhythm } from "./fit-item-rhythm.ts";
import { formatDay } from "../data/format-day.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";

const day = (k: number): string => new Date(Date.UTC(2026, 0, 5 + 7 * k)).toISOString().slice(0, 10);

function weekly(customer: string, weeks: number, items: Record<string, (w: number) => number>): OrderRow[] {
  const rows: OrderRow[] = [];
  for (let w = 0; w < weeks; w++) {
    for (const [product, qty] of Object.entries(items)) {
      const q = qty(w);
      if (q > 0) rows.push({ order_id: `${customer}-${w}`, order_date: day(w), customer_id: customer, product_id: product, quantity: q, unit_price: 1 });
    }
  }
  return rows;
}

describe("fitItemRhythm", () => {
  it("counts, cadence, usual quantity and the missing streak (hand-computed)", () => {
    const rows = weekly("C1", 12, { BREAD: () => 10, OIL: (w) => (w % 3 === 0 ? 2 : 0), SALT: (w) => (w < 6 ? 1 : 0) });
    const r = fitItemRhythm(fromRowsSync({ orders: rows }).dataset, { asOf: day(11) });
    const get = (p: string) => r.find((x) => x.productId === p)!;
    expect(get("BREAD")).toMatchObject({ orders: 12, itemOrders: 12, usualQuantity: 10, ordersSinceLast: 0 });
    expect(get("OIL")).toMatchObject({ orders: 12, itemOrders: 4, ordersSinceLast: 2, lastBought: day(9) });
    expect(get("SALT")).toMatchObject({ orders: 12, itemOrders: 6, ordersSinceLast: 6 });
    expect(get("BREAD").inclusion).toBeGreaterThan(0.85);
    expect(get("SALT").missingProbability).toBeLessThan(0.05); // bought every week, then 6 weeks without: unusual
    expect(get("OIL").missingProbability).toBeGreaterThan(0.3); // every 3rd order, missing 2: normal
  });

  it("shrinks a short history towards how the product is usually bought", () => {
    const rows: OrderRow[] = [];
    for (let c = 0; c < 20; c++) rows.push(...weekly(`P${c}`, 20, { MILK: () => 1, CAKE: (w) => (w % 4 === 0 ? 1 : 0) }));
    rows.push(...weekly("NEW", 2, { CAKE: (w) => (w === 0 ? 1 : 0), MILK: () => 1 }));
    const r = fitItemRhythm(fromRowsSync({ orders: rows }).dataset, { asOf: day(19) });
    const cake = r.find((x) => x.customerId === "NEW" && x.productId === "CAKE")!;
    expect(cake.itemOrders).toBe(1);
    expect(cake.inclusion).toBeGreaterThan(0.2);
    expect(cake.inclusion).toBeLessThan(0.5); // raw 1/2, pulled towards 1/4
  });

  it("dates the next purchase from the customer's rhythm", () => {
    const rows = weekly("C1", 20, { BREAD: () => 10, OIL: (w) => (w % 4 === 0 ? 2 : 0) });
    const ds = fromRowsSync({ orders: rows }).dataset;
    const customers = fitIntervalModel(ds, { asOf: day(19) });
    const r = fitItemRhythm(ds, { asOf: day(19), customers });
    const bread = r.find((x) => x.productId === "BREAD")!;
    const oil = r.find((x) => x.productId === "OIL")!;
    expect(bread.expectedNext).toBe(customers.customer("C1")!.expectedNext);
    expect(oil.expectedNext! > bread.expectedNext!).toBe(true);
  });

  it("dates the next purchase of a prior_only customer in calendar days (its typical gap is in open days)", () => {
    const rows: OrderRow[] = [];
    for (let c = 0; c < 20; c++) rows.push(...weekly(`P${c}`, 20, { MILK: () => 1, CAKE: (w) => (w % 4 === 0 ? 1 : 0) }));
    for (const p of ["MILK", "CAKE"]) rows.push({ order_id: "NEW-0", order_date: day(18), customer_id: "NEW", product_id: p, quantity: 1, unit_price: 1 });
    const ds = fromRowsSync({ orders: rows }).dataset;
    for (const calendar of [undefined, { weekendDays: [5, 6] }]) {
      const customers = fitIntervalModel(ds, { asOf: day(19), calendar });
      const c = customers.customer("NEW")!;
      expect(c.status).toBe("prior_only");
      const cake = fitItemRhythm(ds, { asOf: day(19), customers }).find((x) => x.customerId === "NEW" && x.productId === "CAKE")!;
      // every step is the calendar-equivalent typical gap e^μ = typicalGapOpenDays ÷ openFraction
      const gap = c.typicalGapOpenDays! / c.openFraction;
      expect(gap).toBeCloseTo(Math.exp(c.posterior!.mu), 10);
      const wait = Math.max(1, Math.ceil(Math.log(0.5) / Math.log(1 - cake.inclusion)));
      expect(wait).toBeGreaterThan(1);
      const next = Date.parse(c.expectedNext!) / 86_400_000 + Math.round((wait - 1) * gap);
      expect(cake.expectedNext).toBe(formatDay(next));
      // with Friday and Saturday closed the open-day gap used as calendar days gave a Saturday
      expect(new Date(cake.expectedNext!).getUTCDay()).not.toBe(6);
    }
  });

  it("rejects an interval model fitted at another asOf (INVALID_OPTION, as churnFeatures)", () => {
    const rows = weekly("A", 30, { MILK: () => 1, CAKE: (w) => (w % 3 === 0 ? 1 : 0) });
    const ds = fromRowsSync({ orders: rows }).dataset;
    const later = fitIntervalModel(ds, { asOf: day(29) });
    // a later model dates from data after asOf: it is refused, not used
    expectInvalid(() => fitItemRhythm(ds, { asOf: day(12), customers: later }), "customers");
    expectInvalid(() => fitItemRhythm(ds, { customers: null as never }), "customers"); // was a TypeError
    // a model stored as JSON, or { asOf } alone, has no customer() (a TypeError further on)
    expectInvalid(() => fitItemRhythm(ds, { customers: JSON.parse(JSON.stringify(later)) }), "customers");
    expectInvalid(() => fitItemRhythm(ds, { customers: { asOf: later.asOf } as never }), "customers");
    expect(() => fitItemRhythm(ds, { asOf: day(12), customers: fitIntervalModel(ds, { asOf: day(12) }) })).not.toThrow();
    // the default asOf (the last order day) is compared as resolved
    expect(() => fitItemRhythm(ds, { customers: later })).not.toThrow();
  });

  it("minPriorPairs 1: a product with a single pair takes the all-pairs prior, as with 2 (not a weak Beta(1, 1))", () => {
    // ten customers buy BASE weekly and RARE every fifth week; Z buys SOLO once and BASE nine times
    const rows: OrderRow[] = [];
    const wk = (k: number): string => new Date(Date.UTC(2026, 0, 5 + 7 * k)).toISOString().slice(0, 10);
    for (let c = 0; c < 10; c++) {
      for (let w = 0; w < 10; w++) {
        rows.push({ order_id: `${c}-${w}`, order_date: wk(w), customer_id: `C${c}`, product_id: "BASE", quantity: 1, unit_price: 1 });
        if (w % 5 === 0) rows.push({ order_id: `${c}-${w}`, order_date: wk(w), customer_id: `C${c}`, product_id: "RARE", quantity: 1, unit_price: 1 });
      }
    }
    for (let w = 0; w < 10; w++) rows.push({ order_id: `Z-${w}`, order_date: wk(w), customer_id: "Z", product_id: w === 0 ? "SOLO" : "BASE", quantity: 1, unit_price: 1 });
    const ds = fromRowsSync({ orders: rows }).dataset;
    const solo = (minPriorPairs: number): number => fitItemRhythm(ds, { asOf: wk(9), minPriorPairs }).find((r) => r.productId === "SOLO")!.inclusion;
    // (until 2026-12-06, 1 gave Beta(1, 1): (1 + 1) / (10 + 2) = 0.1667, against 0.1450 with 2 or 5)
    expect(solo(1)).toBe(solo(2));
    expect(solo(1)).toBe(solo(5));
    expect(solo(1)).not.toBeCloseTo(2 / 12, 3);
  });

  it("an item's next date skips the business calendar's holidays, as the customer's own does (it fell on the first day of Pesach)", () => {
    // five Thursday buyers (weekend Fri-Sat); SALT every third order; the calendar's holidays include 2026-04-02
    const holidays = ["2026-04-02", "2026-04-08", "2026-04-22", "2026-05-22"];
    const orders: OrderRow[] = [];
    let k = 0;
    for (const [i, c] of ["A", "B", "C", "D", "E"].entries()) {
      let n = 0;
      for (let d = Date.UTC(2024, 0, 4) / 86_400_000 + i; d <= Date.UTC(2026, 2, 14) / 86_400_000; d += 7) {
        const order_date = formatDay(d);
        orders.push({ order_id: `O${k++}`, order_date, customer_id: c, product_id: "BREAD", quantity: 10, unit_price: 2 });
        if (n++ % 3 === 0) orders.push({ order_id: `O${k++}`, order_date, customer_id: c, product_id: "SALT", quantity: 1, unit_price: 1 });
      }
    }
    const ds = fromRowsSync({ orders }).dataset;
    for (const asOf of ["2026-03-16", "2026-03-20", "2026-03-24"]) {
      const customers = fitIntervalModel(ds, { asOf, calendar: { weekendDays: [5, 6], holidays } });
      for (const r of fitItemRhythm(ds, { asOf, customers })) expect(holidays.includes(r.expectedNext!), `${asOf} ${r.customerId} ${r.productId} ${r.expectedNext}`).toBe(false);
    }
  });

  it("usual quantity: median of the per-day totals (same-day lines summed; odd, even and long counts)", () => {
    // P: per purchase day 5, 1+2 (two orders that day), 3, 9, 2 -> totals 5, 3, 3, 9, 2 -> median 3
    const rows: OrderRow[] = [];
    const add = (w: number, order: string, product: string, quantity: number): void => void rows.push({ order_id: order, order_date: day(w), customer_id: "C", product_id: product, quantity, unit_price: 1 });
    [5, 1, 3, 9, 2].forEach((q, w) => add(w, `A${w}`, "P", q));
    add(1, "B1", "P", 2);
    // Q: 4, 8, 1, 7 -> (4 + 7) / 2; R: 40 days of 1..40 shuffled -> 20.5
    [4, 8, 1, 7].forEach((q, w) => add(w, `A${w}`, "Q", q));
    for (let w = 0; w < 40; w++) add(w, `A${w}`, "R", ((w * 17) % 40) + 1);
    const r = fitItemRhythm(fromRowsSync({ orders: rows }).dataset, { asOf: day(40) });
    const get = (p: string) => r.find((x) => x.productId === p)!;
    expect(get("P")).toMatchObject({ itemOrders: 5, usualQuantity: 3 });
    expect(get("Q")).toMatchObject({ itemOrders: 4, usualQuantity: 5.5 });
    expect(get("R")).toMatchObject({ itemOrders: 40, usualQuantity: 20.5 });
  });

  it("a permutation of the input rows gives identical output (families, returns, same-day lines)", () => {
    const products = ["A", "B", "C", "D", "E", "F"].map((id, i) => ({ product_id: id, family: i < 2 ? "ice" : i < 4 ? "dairy" : undefined }));
    const rows: OrderRow[] = [];
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let c = 0; c < 8; c++) {
      for (let w = 0; w < 60; w++) {
        if (rnd() < 0.3) continue;
        for (const p of products) {
          if (rnd() < 0.4) rows.push({ order_id: `${c}-${w}`, line_id: rows.length, order_date: day(w), customer_id: `C${c}`, product_id: p.product_id, quantity: rnd() < 0.05 ? -1 : 1 + Math.floor(rnd() * 9), unit_price: 1 });
        }
        if (rnd() < 0.2) rows.push({ order_id: `${c}-${w}b`, line_id: rows.length, order_date: day(w), customer_id: `C${c}`, product_id: "A", quantity: 3, unit_price: 1 });
      }
    }
    const fit = (xs: OrderRow[]) => {
      const ds = fromRowsSync({ orders: xs, products }).dataset;
      return fitItemRhythm(ds, { asOf: day(50), customers: fitIntervalModel(ds, { asOf: day(50) }) });
    };
    const base = fit(rows);
    expect(base.length).toBeGreaterThan(30);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 2 }), (s) => {
        let t = s;
        const shuffled = [...rows];
        for (let i = shuffled.length - 1; i > 0; i--) {
          t = (t * 16807) % 2147483647;
          const j = t % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(fit(shuffled)).toEqual(base);
      }),
      { numRuns: 10 },
    );
  });

  describe("seasonal product families", () => {
    const iso = (d: Date): string => d.toISOString().slice(0, 10);
    const mondays = (from: string, to: string): string[] => {
      const out: string[] = [];
      for (let d = new Date(`${from}T00:00:00Z`); iso(d) <= to; d.setUTCDate(d.getUTCDate() + 7)) out.push(iso(d));
      return out;
    };
    const summer = (date: string): boolean => date.slice(5, 7) >= "06" && date.slice(5, 7) <= "08";
    const products = [
      { product_id: "ICE", family: "ice_cream" },
      { product_id: "MILK", family: "dairy" },
      { product_id: "BREAD", family: "bakery" },
    ];
    const line = (customer: string, date: string, product: string): OrderRow => ({ order_id: `${customer}-${date}`, order_date: date, customer_id: customer, product_id: product, quantity: 1, unit_price: 1 });
    /** `peers` customers buying weekly in 2025 (from `from`): bread and milk always, ice cream only June-August. */
    function peers(n: number, from = "2025-01-06"): OrderRow[] {
      const rows: OrderRow[] = [];
      for (let c = 0; c < n; c++) {
        for (const date of mondays(from, "2025-12-22")) {
          rows.push(line(`P${c}`, date, "BREAD"), line(`P${c}`, date, "MILK"));
          if (summer(date)) rows.push(line(`P${c}`, date, "ICE"));
        }
      }
      return rows;
    }
    // X: weekly to August (ice cream in summer), then 12 purchase days 10 days apart without it
    const x: OrderRow[] = [];
    for (const date of mondays("2025-01-06", "2025-08-31")) x.push(line("X", date, "BREAD"), ...(summer(date) ? [line("X", date, "ICE")] : []));
    for (let i = 0; i < 12; i++) x.push(line("X", iso(new Date(Date.UTC(2025, 8, 5 + 10 * i))), "BREAD"));
    // Y: weekly all year, milk every week except the last 12
    const yDays = mondays("2025-01-06", "2025-12-22");
    const y = yDays.flatMap((date, w) => [line("Y", date, "BREAD"), ...(w < yDays.length - 12 ? [line("Y", date, "MILK")] : [])]);
    const asOf = "2025-12-28";

    it("an ice-cream item skipped all autumn is not missing; a staple missing 12 purchase days is", () => {
      const ds = fromRowsSync({ orders: [...peers(20), ...x, ...y], products }).dataset;
      const customers = fitIntervalModel(ds, { asOf });
      const r = fitItemRhythm(ds, { asOf, customers });
      const get = (c: string, p: string) => r.find((e) => e.customerId === c && e.productId === p)!;
      const ice = get("X", "ICE"), milk = get("Y", "MILK");
      expect(ice).toMatchObject({ itemOrders: 13, ordersSinceLast: 12, lastBought: "2025-08-25" });
      expect(ice.seasonalIndex).toBeLessThan(0.2); // December
      expect(ice.missingProbability).toBeGreaterThan(0.5);
      expect(ice.inclusion).toBeLessThan(0.35); // de-seasonalized: about 13 of 50 season-weighted days
      expect(milk.ordersSinceLast).toBe(12);
      expect(milk.seasonalIndex).toBeGreaterThan(0.9);
      expect(milk.seasonalIndex).toBeLessThan(1.1);
      expect(milk.missingProbability).toBeLessThan(0.01);
      // next summer, not next week; bread (every order) comes with the next order
      expect(ice.expectedNext! >= "2026-05-01" && ice.expectedNext! <= "2026-08-31").toBe(true);
      expect(get("X", "BREAD").expectedNext).toBe(customers.customer("X")!.expectedNext);
      // the same orders without product families: the ice cream looks dropped
      const flat = fitItemRhythm(fromRowsSync({ orders: [...peers(20), ...x, ...y] }).dataset, { asOf });
      const iceFlat = flat.find((e) => e.customerId === "X" && e.productId === "ICE")!;
      expect(iceFlat.seasonalIndex).toBe(1);
      expect(iceFlat.missingProbability).toBeLessThan(0.01);
    });

    it("shrinks a thinly observed index towards 1; a month without purchase days is 1", () => {
      const dec = (rows: OrderRow[]) => fitItemRhythm(fromRowsSync({ orders: rows, products }).dataset, { asOf }).find((e) => e.productId === "ICE")!.seasonalIndex;
      const many = dec(peers(20)), one = dec(peers(1));
      expect(many).toBeLessThan(0.15);
      expect(one).toBeGreaterThan(many + 0.1); // 4 December purchase days vs 10 pseudo-days
      // history from March: as of February nobody bought anything in February
      const feb = fitItemRhythm(fromRowsSync({ orders: peers(5, "2025-03-03"), products }).dataset, { asOf: "2026-02-15" });
      expect(feb.find((e) => e.productId === "ICE")!.seasonalIndex).toBe(1);
    });
  });

  it("properties: inclusion in (0,1]; row order and data after asOf change nothing", () => {
    const r = fc.record({ c: fc.constantFrom("A", "B", "C"), p: fc.constantFrom("X", "Y", "Z"), w: fc.integer({ min: 0, max: 30 }), q: fc.integer({ min: -2, max: 5 }).filter((q) => q !== 0) });
    fc.assert(
      fc.property(fc.array(r, { maxLength: 60 }), (xs) => {
        const rows: OrderRow[] = xs.map((x, i) => ({ order_id: `${x.c}-${x.w}`, line_id: i, order_date: day(x.w), customer_id: x.c, product_id: x.p, quantity: x.q, unit_price: 1 }));
        const a = fitItemRhythm(fromRowsSync({ orders: rows }).dataset, { asOf: day(30) });
        for (const x of a) {
          expect(x.inclusion).toBeGreaterThan(0);
          expect(x.inclusion).toBeLessThanOrEqual(1);
          expect(x.missingProbability).toBeLessThanOrEqual(1);
        }
        const later = [...rows].reverse().concat([{ order_id: "Z", order_date: day(40), customer_id: "A", product_id: "X", quantity: 1, unit_price: 1 }]);
        expect(fitItemRhythm(fromRowsSync({ orders: later }).dataset, { asOf: day(30) })).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });

  describe("dates on the customer's open days", () => {
    const epoch = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;
    const iso = (d: number): string => new Date(d * 86_400_000).toISOString().slice(0, 10);

    it("a Monday-only weekly buyer: gaps of exactly 7 days (no seasonal clock in the observed gaps), its seasonal item dated on a Monday", () => {
      const rows: OrderRow[] = [];
      let seed = 3;
      const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (let c = 0; c < 20; c++) {
        let k = 0;
        for (let d = epoch(2023, 1, 2); d <= epoch(2025, 12, 15); d += 7, k++) {
          const m = new Date(d * 86_400_000).getUTCMonth();
          rows.push({ order_id: `C${c}-${k}`, order_date: iso(d), customer_id: `C${c}`, product_id: "MILK", quantity: 10, unit_price: 1 });
          if (m >= 4 && m <= 8 && rand() < 0.9) rows.push({ order_id: `C${c}-${k}`, order_date: iso(d), customer_id: `C${c}`, product_id: "ICE", quantity: 5, unit_price: 1 });
        }
      }
      const ds = fromRowsSync({ orders: rows, products: [{ product_id: "MILK", family: "dairy" }, { product_id: "ICE", family: "icecream" }] }).dataset;
      const customers = fitIntervalModel(ds, { asOf: "2025-12-15" });
      const c0 = customers.customer("C0")!;
      expect(c0.closedWeekdays).toEqual([0, 2, 3, 4, 5, 6]);
      expect([c0.meanGapDays, c0.sdGapDays]).toEqual([7, 0]); // (7.15 ± 0.20 with the seasonal clock's weights)
      const ice = fitItemRhythm(ds, { asOf: "2025-12-15", customers }).find((x) => x.customerId === "C0" && x.productId === "ICE")!;
      expect(new Date(ice.expectedNext!).getUTCDay()).toBe(1);
      expect(ice.expectedNext! > "2026-04-01" && ice.expectedNext! < "2026-06-15").toBe(true);
    });

    it("a customer closed every August: its item's next purchase is not dated in August", () => {
      const rows: OrderRow[] = [];
      // peers every ~6 days all year
      for (let p = 0; p < 30; p++) for (let d = epoch(2023, 1, 1) + (p % 6), k = 0; d <= epoch(2026, 10, 31); d += 5 + (k % 3), k++) rows.push({ order_id: `P${p}-${k}`, order_date: iso(d), customer_id: `P${p}`, product_id: "BREAD", quantity: 1, unit_price: 1 });
      let k = 0;
      for (let d = epoch(2023, 1, 2); d <= epoch(2026, 7, 20); d += 5, k++) {
        if (new Date(d * 86_400_000).getUTCMonth() === 7) continue;
        rows.push({ order_id: `AUG-${k}`, order_date: iso(d), customer_id: "AUG", product_id: "BREAD", quantity: 1, unit_price: 1 });
        if (k % 4 === 0) rows.push({ order_id: `AUG-${k}`, order_date: iso(d), customer_id: "AUG", product_id: "OIL", quantity: 1, unit_price: 1 });
      }
      const ds = fromRowsSync({ orders: rows }).dataset;
      for (const asOf of ["2026-07-22", "2026-07-28"]) {
        const customers = fitIntervalModel(ds, { asOf });
        expect(customers.customer("AUG")!.closedMonths).toEqual([8]);
        const oil = fitItemRhythm(ds, { asOf, customers }).find((x) => x.customerId === "AUG" && x.productId === "OIL")!;
        expect([asOf, oil.expectedNext!.slice(0, 7)]).toEqual([asOf, "2026-09"]); // (2026-08-05 and 2026-08-09 before)
      }
    });
  });
});

describe("fitItemRhythm: order of a customer's items (review 2026-12-07)", () => {
  it("products first bought on the same day come by product id, whichever invoice each was on", () => {
    const orders = (aOrder: string, bOrder: string): OrderRow[] => {
      const rows: OrderRow[] = [];
      for (let w = 0; w < 10; w++) {
        const d = day(w);
        // week 0: B and A on two invoices of one day; the order ids decide which comes first in the lines
        rows.push({ order_id: w === 0 ? bOrder : `W${w}`, order_date: d, customer_id: "C1", product_id: "B", quantity: 1, unit_price: 2 });
        rows.push({ order_id: w === 0 ? aOrder : `W${w}`, order_date: d, customer_id: "C1", product_id: "A", quantity: 1, unit_price: 2 });
        if (w >= 2) rows.push({ order_id: `W${w}`, order_date: d, customer_id: "C1", product_id: "0LATER", quantity: 1, unit_price: 2 });
      }
      return rows;
    };
    for (const [a, b] of [["O1", "O2"], ["O2", "O1"]]) {
      const items = fitItemRhythm(fromRowsSync({ orders: orders(a!, b!) }).dataset).map((r) => r.productId);
      // A and B by id (first bought the same day); 0LATER, a smaller id, after them (first bought later)
      expect(items).toEqual(["A", "B", "0LATER"]);
    }
  });
});
