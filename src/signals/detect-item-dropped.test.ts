import { expectSensitivityOnlyAdds, recall, replayFlags } from "../../test/support/signal-checks.ts";
import { describe, expect, it } from "vitest";
import { asOfView } from "../data/as-of-view.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { parseDay } from "../data/parse-day.ts";
import type { OrderRow, ProductRow } from "../data/rows.ts";
import { fitPatterns } from "../patterns/fit-patterns.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { detectItemDropped } from "./detect-item-dropped.ts";

const MONDAY = Date.UTC(2025, 0, 6); // a Monday
const dayOf = (week: number, plus = 0): Date => new Date(MONDAY + (7 * week + plus) * 86_400_000);
const text = (week: number): string => dayOf(week).toISOString().slice(0, 10);

/** C1 orders every Monday for `weeks` weeks: BREAD (10 × 2, cost 1) always, OIL (2 × 9, cost 6) in weeks [0, stop). */
function oilStops(weeks: number, stop: number, extra: (w: number) => OrderRow[] = () => []): OrderRow[] {
  const orders: OrderRow[] = [];
  for (let w = 0; w < weeks; w++) {
    const order_date = dayOf(w);
    orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
    if (w < stop) orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
    orders.push(...extra(w));
  }
  return orders;
}

/** Deterministic pseudo-random in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("detectItemDropped: by hand", () => {
  const { dataset } = fromRowsSync({ orders: oilStops(40, 30), customers: [{ customer_id: "C1", rep_id: "R1" }] });

  it("a weekly staple missing from the last 10 orders", () => {
    const signals = detectItemDropped(dataset);
    expect(signals).toHaveLength(1);
    const s = signals[0]!;
    expect(s).toMatchObject({
      id: `item_dropped:C1:OIL:${text(29)}`,
      type: "item_dropped",
      asOf: text(39),
      since: text(30),
      customerId: "C1",
      productId: "OIL",
      repId: "R1",
    });
    // the habit between the first and the last purchase: 28 inclusions in 28 days, Beta(29, 1)
    expect(s.evidence.inclusionBefore).toBeCloseTo(29 / 30, 4);
    expect(s.evidence).toMatchObject({ itemOrders: 30, ordersBefore: 30, ordersSinceLast: 10, daysSinceLast: 70, usualQuantity: 2, seasonalExposure: 10 });
    // P(10 misses | Beta(29, 1)) = B(29, 11) / B(29, 1) = Π_{i<10} (1 + i) / (30 + i)
    let p = 1;
    for (let i = 0; i < 10; i++) p *= (1 + i) / (30 + i);
    expect(s.evidence.missingProbability).toBeCloseTo(p, 20);
    expect((s.evidence.missingProbability as number) / p).toBeCloseTo(1, 9);
    // threshold 0.05 / (R · Σp): 40 purchase days in the year; habits OIL 29/30 and BREAD 39/40
    expect(s.evidence.threshold).toBeCloseTo(0.05 / (40 * (29 / 30 + 39 / 40)), 12);
    // margin: BREAD 10 a week, OIL 6 a week; the year before since (weeks 0-29): 480, OIL's share
    // 180/480; value at risk = that year's 90-day margin × the share (the year to asOf, 580, had
    // lost OIL's last 10 weeks already: the value fell the longer the item stayed away, until 2026-12-07)
    expect(s.evidence.marginShare).toBeCloseTo(0.375, 4);
    expect(s.valueAtRisk).toBeCloseTo(((480 * 90) / 365) * 0.375, 2);
    expect(s.severity).toBeCloseTo(0.5 + 29 / 60, 3);
    expect(s.reason).toMatchObject({ code: "item_dropped", params: { productId: "OIL", itemOrders: 30, ordersSinceLast: 10, lastBought: text(29) } });
    // (in 30 of 30 orders: 100%; the smoothed inclusion, 0.97, is the evidence's, and read in the message until 2026-12-07)
    expect(s.message).toContain("Bought OIL in 100% of orders (30 times, usually 2 per order); missing from the last 10 orders since 2025-08-04");
    expect(s.message).toContain("44 margin at risk in 90 days");
    const [he] = detectItemDropped(dataset, { locale: "he" });
    expect(he!.message).toContain("קנה \u2068OIL\u2069 ב-100% מההזמנות (30 פעמים, בדרך כלל 2 יח'); חסר ב-10 ההזמנות האחרונות מאז 2025-08-04");
  });

  it("without any unit cost in the data the value at risk is revenue, and the message says so", () => {
    const noCost = oilStops(40, 30).map(({ unit_cost: _cost, ...rest }) => rest);
    const [s] = detectItemDropped(fromRowsSync({ orders: noCost, customers: [{ customer_id: "C1", rep_id: "R1" }] }).dataset);
    // revenue: BREAD 20 a week, OIL 18 a week; the weeks before since: 1,140, OIL's share 540 / 1,140
    expect(s!.evidence.marginShare).toBeCloseTo(540 / 1140, 4);
    expect(s!.valueAtRisk).toBeCloseTo(((1140 * 90) / 365) * (540 / 1140), 2);
    expect(s!.message).toContain("133 revenue at risk in 90 days");
    const [he] = detectItemDropped(fromRowsSync({ orders: noCost }).dataset, { locale: "he" });
    expect(he!.message).toContain("הכנסות של 133 בסיכון ב-90 הימים הקרובים");
    // one costed line anywhere keeps the margin basis (lines without a cost count 0)
    const oneCost = [...noCost, { order_id: "X", order_date: dayOf(0), customer_id: "C2", product_id: "SALT", quantity: 1, unit_price: 1, unit_cost: 0.5 }];
    const [m] = detectItemDropped(fromRowsSync({ orders: oneCost }).dataset);
    expect(m!.valueAtRisk).toBe(0);
    expect(m!.message).toContain("0 margin at risk in 90 days");
  });

  it("flags from the third missed order on, with an id that does not move", () => {
    expect(detectItemDropped(dataset, { asOf: text(31) })).toEqual([]); // two misses
    const ids = [32, 35, 39].map((w) => detectItemDropped(dataset, { asOf: text(w) }).map((s) => s.id));
    expect(ids).toEqual([[`item_dropped:C1:OIL:${text(29)}`], [`item_dropped:C1:OIL:${text(29)}`], [`item_dropped:C1:OIL:${text(29)}`]]);
    // three misses: P = 1·2·3 / (30·31·32), threshold 0.05 / (33 · (29/30 + 32/33))
    const [s] = detectItemDropped(dataset, { asOf: text(32) });
    expect(s!.evidence.missingProbability).toBeCloseTo(6 / (30 * 31 * 32), 15);
    expect(s!.evidence.threshold).toBeCloseTo(0.05 / (33 * (29 / 30 + 32 / 33)), 12);
  });

  it("one-off purchases are not habits (minItemOrders)", () => {
    const orders = oilStops(40, 0, (w) => (w < 4 ? [{ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id: "JAM", quantity: 1, unit_price: 4, unit_cost: 2 }] : []));
    const ds = fromRowsSync({ orders }).dataset;
    expect(detectItemDropped(ds)).toEqual([]); // 4 purchases < 5
    expect(detectItemDropped(ds, { minItemOrders: 3 }).map((s) => s.productId)).toEqual(["JAM"]);
  });

  it("an occasional item is not a habit (minInclusion)", () => {
    // TEA every 4th week (inclusion ~0.25) until week 24, then never
    const orders = oilStops(100, 0, (w) => (w % 4 === 0 && w <= 24 ? [{ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id: "TEA", quantity: 1, unit_price: 4, unit_cost: 2 }] : []));
    const ds = fromRowsSync({ orders }).dataset;
    expect(detectItemDropped(ds)).toEqual([]);
    expect(detectItemDropped(ds, { minInclusion: 0.2 }).map((s) => s.productId)).toEqual(["TEA"]);
  });

  it("a customer that stopped ordering altogether is not 'still ordering'", () => {
    expect(detectItemDropped(dataset, { asOf: "2026-06-01" })).toEqual([]);
  });

  it("seasonal items are not dropped out of season; a year-round item is", () => {
    // 20 customers order weekly through 2024-2025: BREAD always, ICE (ice_cream) in May-September,
    // C0 also NUTS (dry_goods) every week until October 2025
    const start = Date.UTC(2024, 0, 1); // a Monday
    const orders: OrderRow[] = [];
    for (let c = 0; c < 20; c++) {
      for (let w = 0; w < 104; w++) {
        const order_date = new Date(start + 7 * w * 86_400_000);
        const month = order_date.getUTCMonth() + 1;
        const base = { order_id: `O${c}-${w}`, order_date, customer_id: `C${c}`, quantity: 4, unit_price: 5, unit_cost: 3 };
        orders.push({ ...base, product_id: "BREAD" });
        if (month >= 5 && month <= 9) orders.push({ ...base, product_id: "ICE" });
        if (c === 0 && order_date < new Date(Date.UTC(2025, 9, 1))) orders.push({ ...base, product_id: "NUTS" });
      }
    }
    const products: ProductRow[] = [
      { product_id: "BREAD", family: "bakery" },
      { product_id: "ICE", family: "ice_cream" },
      { product_id: "NUTS", family: "dry_goods" },
    ];
    const ds = fromRowsSync({ orders, products }).dataset;
    const signals = detectItemDropped(ds, { asOf: "2025-12-22" });
    expect(signals.map((s) => `${s.customerId}:${s.productId}`)).toEqual(["C0:NUTS"]);
    // even at a high sensitivity, no ice cream in December
    expect(detectItemDropped(ds, { asOf: "2025-12-22", sensitivity: 100 }).filter((s) => s.productId === "ICE")).toEqual([]);
  });

  it("as-of safety: orders after asOf change nothing", () => {
    const later = oilStops(60, 30, (w) => (w >= 45 ? [{ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 }] : []));
    const full = fromRowsSync({ orders: later, customers: [{ customer_id: "C1", rep_id: "R1" }] }).dataset;
    expect(detectItemDropped(full, { asOf: text(39) })).toEqual(detectItemDropped(dataset));
    expect(detectItemDropped(asOfView(full, text(39)))).toEqual(detectItemDropped(dataset));
    // and back in the habit: no more signal
    expect(detectItemDropped(full, { asOf: text(50) })).toEqual([]);
  });

  it("accepts a model fitted at the same day, rejects bad options", () => {
    const model = fitPatterns(dataset, { asOf: text(39) });
    expect(detectItemDropped(dataset, { model })).toEqual(detectItemDropped(dataset));
    expectInvalid(() => detectItemDropped(dataset, { model, asOf: text(38) }), "model");
    expectInvalid(() => detectItemDropped(dataset, { minInclusion: 0 }), "minInclusion");
    expectInvalid(() => detectItemDropped(dataset, { minInclusion: 1.5 }), "minInclusion");
    expectInvalid(() => detectItemDropped(dataset, { minItemOrders: 2 }), "minItemOrders");
    expectInvalid(() => detectItemDropped(dataset, { minItemOrders: 4.5 }), "minItemOrders");
    expectInvalid(() => detectItemDropped(dataset, { sensitivity: 0 }), "sensitivity");
    expectInvalid(() => detectItemDropped(dataset, { locale: "fr" as "en" }), "locale");
    expectInvalid(() => detectItemDropped(dataset, "x" as never), "options");
  });

  it("an empty dataset gives no signal", () => {
    expect(detectItemDropped(fromRowsSync({ orders: [] }).dataset)).toEqual([]);
  });
});

describe("detectItemDropped: message numbers (review 2026-12-06)", () => {
  it("shows the share of orders that held the item (24 of 40: 60%, the smoothed 0.575 staying in the evidence) and a usual 0.145 kg half up as 0.15", () => {
    const orders: OrderRow[] = [];
    // OIL in week 0, week 39 and 22 weeks between (24 of 40 orders; smoothed 0.575); SAFFRON 0.145 kg in the first 30
    const inner = [1, 2, 4, 6, 7, 8, 9, 11, 13, 14, 15, 16, 18, 20, 21, 22, 23, 25, 27, 28, 29, 30];
    for (let w = 0; w < 52; w++) {
      const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
      orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
      if (w === 0 || w === 39 || inner.includes(w)) orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
      if (w < 30) orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "SAFFRON", quantity: 0.145, unit_price: 900, unit_cost: 600 });
    }
    const { dataset } = fromRowsSync({ orders });
    for (const locale of ["en", "he"] as const) {
      const signals = detectItemDropped(dataset, { locale, asOf: "2026-12-28" });
      const oil = signals.find((x) => x.productId === "OIL"), saffron = signals.find((x) => x.productId === "SAFFRON");
      expect([oil?.evidence["inclusionBefore"], saffron?.evidence["usualQuantity"]]).toEqual([0.575, 0.145]);
      expect(oil?.message).toMatch(locale === "en" ? /in 60% of orders \(24 times/ : /ב-60% מההזמנות \(24 פעמים/);
      expect(saffron?.message).toMatch(locale === "en" ? /usually 0\.15 per order/ : /בדרך כלל 0\.15 /);
    }
  });

  it("odds beyond a trillion read as a whole Hebrew phrase ('סיכוי של 1 ל-יותר מטריליון' was ungrammatical)", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 70; w++) {
      const order_date = new Date(Date.UTC(2025, 0, 6 + 7 * w));
      orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
      if (w < 45) orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity: 2, unit_price: 9, unit_cost: 6 });
    }
    const { dataset } = fromRowsSync({ orders });
    const [he] = detectItemDropped(dataset, { locale: "he" });
    const [en] = detectItemDropped(dataset);
    expect(en?.message).toContain("(1 in over a trillion by chance)");
    expect(he?.message).toContain("(סיכוי של פחות מ-1 לטריליון במקרה)");
  });
});

describe("detectItemDropped: properties", () => {
  /** Random weekly customers with random habits, some of which stop at a random week. */
  function randomOrders(seed: number): OrderRow[] {
    const r = rng(seed);
    const orders: OrderRow[] = [];
    const nC = 1 + Math.floor(r() * 3);
    for (let c = 0; c < nC; c++) {
      const weeks = 20 + Math.floor(r() * 50);
      const items = Array.from({ length: 2 + Math.floor(r() * 5) }, (_, j) => ({ id: `P${j}`, p: 0.2 + 0.8 * r(), stop: r() < 0.5 ? Math.floor(r() * weeks) : weeks }));
      for (let w = 0; w < weeks; w++) {
        if (r() < 0.15) continue; // a skipped week
        for (const it of items) {
          if (w < it.stop && r() < it.p) orders.push({ order_id: `O${c}-${w}`, order_date: dayOf(w, c), customer_id: `C${c}`, product_id: it.id, quantity: 1 + Math.floor(r() * 9), unit_price: 5, unit_cost: 3 });
        }
      }
    }
    return orders;
  }

  it("raising the sensitivity only adds signals; output ordered by valueAtRisk, then id", () => {
    expectSensitivityOnlyAdds(detectItemDropped, randomOrders);
  });
});

describe("detectItemDropped: synthetic distributor", () => {
  it("finds planted item drops and most flags are true changes", () => {
    const synth = generateSyntheticDistributor({ seed: 1, customers: 400 });
    const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products });
    const end = parseDay(synth.truth.end);
    const planted = new Map(synth.truth.events.filter((e) => e.type === "item_dropped").map((e) => [`${e.customerId}|${e.productId}`, parseDay(e.start)]));
    const segmentOf = new Map(synth.customers.map((c) => [c.customer_id, c.segment]));
    const vanishing = synth.truth.events.filter((e) => e.type === "product_vanishing");
    const diversity = new Map(synth.truth.events.filter((e) => e.type === "diversity_drop").map((e) => [e.customerId!, parseDay(e.start)]));
    // replayed every 14 days over the last year: the flag days of each customer x product
    const flags = replayFlags((asOf) => detectItemDropped(dataset, { asOf }), (s) => `${s.customerId}|${s.productId}`, end - 364, end, 14);
    // precision: the first flag of an entity came at or after a true change of it
    let truePlanted = 0, trueOther = 0;
    for (const [key, days] of flags) {
      const [c, p] = key.split("|") as [string, string];
      const day = days[0]!;
      if ((planted.get(key) ?? Infinity) <= day) truePlanted++;
      else if (vanishing.some((v) => v.segment === segmentOf.get(c) && v.productId === p && parseDay(v.start) <= day) || (diversity.get(c) ?? Infinity) <= day) trueOther++;
    }
    const found = recall(planted, flags) * planted.size;
    expect(planted.size).toBeGreaterThanOrEqual(10);
    expect(found / planted.size).toBeGreaterThanOrEqual(0.5);
    expect(truePlanted).toBeGreaterThan(0);
    expect((truePlanted + trueOther) / flags.size).toBeGreaterThanOrEqual(0.6);
  });
});

describe("detectItemDropped: a discontinued product (review 2026-12-07)", () => {
  it("no win-back of a product marked inactive: it is no habit the customer can keep", () => {
    const orders = oilStops(40, 30);
    const customers = [{ customer_id: "C1", rep_id: "R1" }];
    expect(detectItemDropped(fromRowsSync({ orders, customers }).dataset).map((s) => s.productId)).toEqual(["OIL"]);
    const products: ProductRow[] = [{ product_id: "OIL", active: false }, { product_id: "BREAD", active: true }];
    expect(detectItemDropped(fromRowsSync({ orders, customers, products }).dataset)).toEqual([]);
  });
});

describe("detectItemDropped: the value at risk does not fall as the item stays away (review 2026-12-07)", () => {
  it("the item's margin share × the customer's margin of the year before the run of misses, at every as-of day", () => {
    const { dataset } = fromRowsSync({ orders: oilStops(100, 52) });
    const values = [60, 70, 90].map((w) => detectItemDropped(dataset, { asOf: text(w) })[0]?.valueAtRisk);
    // the year before week 52: BREAD 10 and OIL 6 a week, 52 weeks: OIL's 312 × 90/365
    for (const v of values) expect(v).toBeCloseTo((312 * 90) / 365, 2);
  });
});

describe("detectItemDropped: a short-season habit (review 2026-12-07)", () => {
  it("an ice cream bought in every summer order is a habit by its in-season inclusion; its summer missed is flagged", () => {
    // 20 customers weekly from 2024-01-01; ICE (family icecream) in every June-August order;
    // C0-C4 buy no ICE in the summer of 2026. The family index is about 3.9 in June-August and
    // 0.04 otherwise: the average month's inclusion of an every-summer-order item is about 0.26
    const orders: OrderRow[] = [];
    for (let c = 0; c < 20; c++) {
      for (let w = 0; w < 144; w++) {
        const d = new Date(Date.UTC(2024, 0, 1) + (7 * w + (c % 5)) * 86_400_000);
        const m = d.getUTCMonth() + 1;
        const line = (product_id: string, quantity: number, unit_price: number, unit_cost: number): OrderRow => ({ order_id: `O${c}-${w}`, order_date: d, customer_id: `C${c}`, product_id, quantity, unit_price, unit_cost });
        orders.push(line("BREAD", 10, 2, 1), line("TEA", 3, 4, 3));
        if (m >= 6 && m <= 8 && !(c < 5 && d >= new Date(Date.UTC(2026, 0, 1)))) orders.push(line("ICE", 5, 6, 3));
      }
    }
    const products: ProductRow[] = [{ product_id: "ICE", family: "icecream" }, { product_id: "BREAD", family: "bakery" }, { product_id: "TEA", family: "drinks" }];
    const { dataset } = fromRowsSync({ orders, products });
    const ice = detectItemDropped(dataset, { asOf: "2026-10-02" }).filter((s) => s.productId === "ICE");
    expect(ice.map((s) => s.customerId).sort()).toEqual(["C0", "C1", "C2", "C3", "C4"]);
    // out of its season a year before, nobody is flagged
    expect(detectItemDropped(dataset, { asOf: "2025-12-26" }).filter((s) => s.productId === "ICE")).toEqual([]);
  });
});
