import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDay } from "../data/format-day.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { parseDay } from "../data/parse-day.ts";
import type { OrderRow } from "../data/rows.ts";
import { fitPatterns } from "../patterns/fit-patterns.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { rng } from "../../test/support/signal-checks.ts";
import { detectProductVanishing } from "./detect-product-vanishing.ts";

const MONDAY = Date.UTC(2025, 0, 6); // a Monday
const dayOf = (week: number, plus = 0): Date => new Date(MONDAY + (7 * week + plus) * 86_400_000);

/**
 * `n` customers of `segment` order weekly (on Monday + c % 3) for `weeks` weeks: BREAD every time,
 * MILK every time until `stop` (a Date) for the customers in `stoppers` (all by default).
 */
function cafes(n: number, weeks: number, stop: Date, segment = "cafes", prefix = "C", stoppers?: (c: number) => boolean): OrderRow[] {
  const orders: OrderRow[] = [];
  for (let c = 0; c < n; c++) {
    for (let w = 0; w < weeks; w++) {
      const order_date = dayOf(w, c % 3);
      const order_id = `${prefix}${c}-${w}`;
      const customer_id = `${prefix}${c}`;
      orders.push({ order_id, order_date, customer_id, product_id: "BREAD", quantity: 5, unit_price: 2, unit_cost: 1 });
      if (order_date < stop || !(stoppers ?? (() => true))(c)) orders.push({ order_id, order_date, customer_id, product_id: "MILK", quantity: 5, unit_price: 3, unit_cost: 2 });
    }
  }
  return orders;
}
const segmentOf = (n: number, segment: string, prefix = "C"): { customer_id: string; segment: string }[] => Array.from({ length: n }, (_, c) => ({ customer_id: `${prefix}${c}`, segment }));

describe("detectProductVanishing: by hand", () => {
  const stop = new Date("2026-03-02"); // a Monday, week 60
  const { dataset } = fromRowsSync({ orders: cafes(8, 70, stop), customers: segmentOf(8, "cafes") });

  it("eight habitual buyers dropping MILK at once", () => {
    const signals = detectProductVanishing(dataset);
    expect(signals).toHaveLength(1);
    const s = signals[0]!;
    expect(s).toMatchObject({ id: "product_vanishing:cafes:MILK:2026-03-02", type: "product_vanishing", asOf: "2026-05-06", since: "2026-03-02", productId: "MILK", segment: "cafes" });
    expect(s.customerId).toBeUndefined();
    expect(s.evidence).toMatchObject({ atRisk: 8, dropped: 8, share: 1 });
    // history shorter than the reference windows: the usual drop-out rate is the 2% a year floor
    expect(s.evidence.usualDropoutPerYear).toBeCloseTo(0.02, 12);
    expect(s.evidence.expected).toBeLessThan(0.1);
    expect(s.evidence.pValue).toBeLessThan(1e-20);
    // the year before the change: 52 weekly MILK lines of 5 × (3 − 2) margin per customer
    expect(s.valueAtRisk).toBe(512.88); // in cents: 512.876…
    expect(s.severity).toBe(1);
    expect(s.message).toBe("MILK dropped out of the orders of 8 of 8 cafes customers who buy it regularly, since 2026-03-02 (< 0.1 expected by chance): a competitor's substitute? About 513 of margin per 90 days");
    const [he] = detectProductVanishing(dataset, { locale: "he" });
    expect(he!.message).toContain("נעלם מההזמנות של 8 מתוך 8 לקוחות \u2068cafes\u2069");
  });

  it("a product marked discontinued vanishing is not a competitor's substitute (review 2026-12-07)", () => {
    const orders = cafes(8, 70, stop);
    expect(detectProductVanishing(fromRowsSync({ orders, customers: segmentOf(8, "cafes"), products: [{ product_id: "MILK", active: false }] }).dataset)).toEqual([]);
  });

  it("the id stays while the product stays away", () => {
    const ids = ["2026-03-20", "2026-04-10", "2026-05-06"].map((asOf) => detectProductVanishing(dataset, { asOf }).map((s) => s.id));
    expect(ids).toEqual([["product_vanishing:cafes:MILK:2026-03-02"], ["product_vanishing:cafes:MILK:2026-03-02"], ["product_vanishing:cafes:MILK:2026-03-02"]]);
  });

  it("two customers leaving a product is not a segment event (at least three drop-outs)", () => {
    const orders = cafes(8, 70, stop, "cafes", "C", (c) => c < 2);
    expect(detectProductVanishing(fromRowsSync({ orders, customers: segmentOf(8, "cafes") }).dataset)).toEqual([]);
  });

  it("a minority leaving is below the 50% share at sensitivity 1, found at a higher sensitivity", () => {
    const orders = cafes(12, 70, stop, "cafes", "C", (c) => c < 5);
    const ds = fromRowsSync({ orders, customers: segmentOf(12, "cafes") }).dataset;
    expect(detectProductVanishing(ds)).toEqual([]);
    const [s] = detectProductVanishing(ds, { sensitivity: 1.5 });
    expect(s?.evidence).toMatchObject({ dropped: 5, atRisk: 12 });
  });

  it("only the segment that lost the product is flagged", () => {
    const orders = [...cafes(8, 70, stop), ...cafes(8, 70, new Date("2030-01-01"), "hotels", "H")];
    const customers = [...segmentOf(8, "cafes"), ...segmentOf(8, "hotels", "H")];
    expect(detectProductVanishing(fromRowsSync({ orders, customers }).dataset).map((s) => s.segment)).toEqual(["cafes"]);
  });

  it("without segments the whole customer base is one group (no segment key)", () => {
    const [s] = detectProductVanishing(fromRowsSync({ orders: cafes(8, 70, stop) }).dataset);
    expect(s?.id).toBe("product_vanishing:MILK:2026-03-02");
    expect(s?.segment).toBeUndefined();
  });
});

describe("detectProductVanishing: season", () => {
  // three years: ICE comes with every weekly order in weeks 15..38 of each 52 and never else
  const orders: OrderRow[] = [];
  for (let c = 0; c < 8; c++) {
    for (let w = 0; w < 52 * 2 + 48; w++) {
      const order_id = `C${c}-${w}`;
      orders.push({ order_id, order_date: dayOf(w, c % 3), customer_id: `C${c}`, product_id: "BREAD", quantity: 5, unit_price: 2, unit_cost: 1 });
      if (w % 52 >= 15 && w % 52 <= 38) orders.push({ order_id, order_date: dayOf(w, c % 3), customer_id: `C${c}`, product_id: "ICE", quantity: 5, unit_price: 3, unit_cost: 2 });
    }
  }
  const customers = segmentOf(8, "cafes");
  const asOf = formatDay(parseDay(dayOf(52 * 2 + 47, 3)));

  it("an absence that happened in the same weeks last year is a season, not a vanishing", () => {
    expect(detectProductVanishing(fromRowsSync({ orders, customers }).dataset, { asOf })).toEqual([]);
  });

  it("the same absence without last year's season is flagged", () => {
    // last year ICE was bought all year round
    const allYear = orders.filter((o) => o.product_id !== "ICE");
    for (let c = 0; c < 8; c++) {
      for (let w = 0; w < 52 * 2 + 48; w++) {
        const inSeason = w % 52 >= 15 && w % 52 <= 38;
        if (w < 52 * 2 + 15 || inSeason) allYear.push({ order_id: `C${c}-${w}`, order_date: dayOf(w, c % 3), customer_id: `C${c}`, product_id: "ICE", quantity: 5, unit_price: 3, unit_cost: 2 });
      }
    }
    const [s] = detectProductVanishing(fromRowsSync({ orders: allYear, customers }).dataset, { asOf });
    expect(s?.productId).toBe("ICE");
    expect(s?.since).toBe(formatDay(parseDay(dayOf(52 * 2 + 39))));
  });
});

describe("detectProductVanishing: options, as-of safety, sensitivity", () => {
  // 3 segments × 10 customers × 6 products with random inclusions; some pairs stop at random weeks
  const r = rng(11);
  const orders: OrderRow[] = [];
  const customers: { customer_id: string; segment: string; rep_id?: string }[] = [];
  for (let g = 0; g < 3; g++) {
    for (let c = 0; c < 10; c++) {
      const id = `G${g}C${c}`;
      customers.push({ customer_id: id, segment: `seg${g}` });
      const incl = Array.from({ length: 6 }, () => 0.3 + 0.65 * r());
      const stopAt = Array.from({ length: 6 }, (_, p) => (r() < 0.25 + 0.1 * p ? 40 + Math.floor(r() * 30) : 999));
      for (let w = 0; w < 75; w++) {
        if (r() < 0.1) continue;
        const order_date = dayOf(w, c % 4);
        orders.push({ order_id: `${id}-${w}`, order_date, customer_id: id, product_id: "BASE", quantity: 1, unit_price: 2, unit_cost: 1 });
        for (let p = 0; p < 6; p++) {
          if (w < stopAt[p]! && r() < incl[p]!) orders.push({ order_id: `${id}-${w}`, order_date, customer_id: id, product_id: `P${p}`, quantity: 2, unit_price: 5, unit_cost: 3 });
        }
      }
    }
  }
  const { dataset } = fromRowsSync({ orders, customers });
  const asOfs = [60, 66, 74].map((w) => formatDay(parseDay(dayOf(w, 4))));
  const models = new Map(asOfs.map((a) => [a, fitPatterns(dataset, { asOf: a })]));

  it("rejects bad options", () => {
    expectInvalid(() => detectProductVanishing(dataset, { sensitivity: -1 }), "sensitivity");
    expectInvalid(() => detectProductVanishing(dataset, { asOf: true as never }), "asOf");
    expectInvalid(() => detectProductVanishing(dataset, { asOf: asOfs[0]!, model: models.get(asOfs[1]!)! }), "model");
  });

  it("orders dated after asOf change nothing", () => {
    const cut = asOfs[0]!;
    const later = [...orders, ...customers.map((c, i) => ({ order_id: `L${i}`, order_date: dayOf(62 + (i % 5)), customer_id: c.customer_id, product_id: "P0", quantity: 3, unit_price: 5, unit_cost: 3 }))];
    const a = detectProductVanishing(dataset, { asOf: cut, sensitivity: 3 });
    const b = detectProductVanishing(fromRowsSync({ orders: later, customers }).dataset, { asOf: cut, sensitivity: 3 });
    expect(b).toEqual(a);
  });

  it("raising the sensitivity only ever adds signals", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 20, noNaN: true }), fc.double({ min: 1, max: 5, noNaN: true }), fc.constantFrom(...asOfs), (s, factor, asOf) => {
        const model = models.get(asOf)!;
        const low = new Set(detectProductVanishing(dataset, { asOf, model, sensitivity: s }).map((x) => x.id));
        const high = new Set(detectProductVanishing(dataset, { asOf, model, sensitivity: Math.min(1000, s * factor) }).map((x) => x.id));
        for (const id of low) expect(high.has(id)).toBe(true);
      }),
      { numRuns: 40 },
    );
    // not vacuous: the data hold signals at some sensitivities and not at others
    const counts = [0.5, 1, 5, 20].map((sensitivity) => detectProductVanishing(dataset, { asOf: asOfs[2]!, model: models.get(asOfs[2]!)!, sensitivity }).length);
    expect(counts[3]).toBeGreaterThan(counts[0]!);
  });
});

describe("detectProductVanishing: the synthetic distributor (400 customers, seed 1)", () => {
  const synth = generateSyntheticDistributor({ seed: 1, customers: 400 });
  const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products });
  const planted = synth.truth.events.filter((e) => e.type === "product_vanishing");
  const end = parseDay(synth.truth.end);

  it("finds both planted vanishing products at the end of the data, and nothing else", () => {
    expect(planted).toHaveLength(2);
    const signals = detectProductVanishing(dataset, { asOf: end, model: fitPatterns(dataset, { asOf: end }) });
    expect(signals.map((s) => `${s.segment}:${s.productId}`).sort()).toEqual(planted.map((e) => `${e.segment}:${e.productId}`).sort());
    for (const s of signals) {
      const e = planted.find((x) => x.productId === s.productId)!;
      expect(parseDay(s.since) - parseDay(e.start)).toBeGreaterThanOrEqual(0);
      expect(parseDay(s.since) - parseDay(e.start)).toBeLessThanOrEqual(14);
      expect(s.valueAtRisk).toBeGreaterThan(0);
    }
  });

  it("flags the later one within 4 weeks of its start (10 habitual buyers at this size), and nothing a quarter before it", () => {
    const later = planted.reduce((a, b) => (a.start > b.start ? a : b));
    const at = parseDay(later.start) + 28;
    const signals = detectProductVanishing(dataset, { asOf: at, model: fitPatterns(dataset, { asOf: at }) });
    expect(signals.map((s) => s.productId)).toContain(later.productId);
    const before = parseDay(later.start) - 91;
    expect(detectProductVanishing(dataset, { asOf: before, model: fitPatterns(dataset, { asOf: before }) }).map((s) => s.productId)).not.toContain(later.productId);
  });
});

describe("detectProductVanishing: segments as seen at the as-of day", () => {
  it("a customer with a segment whose first order is after asOf leaves the unsegmented scan as it was", () => {
    // eight customers without a segment buy BREAD and MILK weekly; MILK stops for all on 2026-03-02
    const MONDAY = Date.UTC(2025, 0, 6);
    const orders: OrderRow[] = [];
    for (let c = 0; c < 8; c++) {
      for (let w = 0; w < 70; w++) {
        const order_date = new Date(MONDAY + (7 * w + (c % 3)) * 864e5).toISOString().slice(0, 10);
        const base = { order_id: `C${c}-${w}`, order_date, customer_id: `C${c}`, quantity: 5, unit_cost: 1 };
        orders.push({ ...base, product_id: "BREAD", unit_price: 2 });
        if (order_date < "2026-03-02") orders.push({ ...base, product_id: "MILK", unit_price: 3 });
      }
    }
    const asOf = "2026-04-01";
    const before = detectProductVanishing(fromRowsSync({ orders }).dataset, { asOf }).map((s) => s.id);
    expect(before).toEqual(["product_vanishing:MILK:2026-03-02"]);
    // a hotel whose only order comes after asOf (a segment in the dictionary, none among the buyers at asOf)
    const later = [...orders, { order_id: "NEW-1", order_date: "2026-04-20", customer_id: "NEW", product_id: "BREAD", quantity: 1, unit_price: 2, unit_cost: 1 }];
    const after = detectProductVanishing(fromRowsSync({ orders: later, customers: [{ customer_id: "NEW", segment: "hotels" }] }).dataset, { asOf }).map((s) => s.id);
    expect(after).toEqual(before);
  });
});
