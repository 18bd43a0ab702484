import { expectSensitivityOnlyAdds, recall, replayFlags } from "../../test/support/signal-checks.ts";
import { describe, expect, it } from "vitest";
import { asOfView } from "../data/as-of-view.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { parseDay } from "../data/parse-day.ts";
import type { OrderRow, ProductRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { detectDiversityDrop } from "./detect-diversity-drop.ts";

const MONDAY = Date.UTC(2025, 0, 6); // a Monday
const dayOf = (week: number, plus = 0): Date => new Date(MONDAY + (7 * week + plus) * 86_400_000);
const text = (week: number): string => dayOf(week).toISOString().slice(0, 10);

/** Deterministic pseudo-random in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** C1 orders every Monday from ten products P0..P9: 6-8 of them a week, 2-3 from week `from`. */
function narrows(weeks: number, from: number): OrderRow[] {
  const orders: OrderRow[] = [];
  for (let w = 0; w < weeks; w++) {
    const breadth = w < from ? 6 + (w % 3) : 2 + (w % 2);
    for (let p = 0; p < breadth; p++) {
      orders.push({ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id: `P${(p + w) % 10}`, quantity: 5, unit_price: 10, unit_cost: 7 });
    }
  }
  return orders;
}

describe("detectDiversityDrop: by hand", () => {
  const { dataset } = fromRowsSync({ orders: narrows(40, 30), customers: [{ customer_id: "C1", rep_id: "R1" }] });

  it("from 6-8 distinct products a week to 2-3", () => {
    const signals = detectDiversityDrop(dataset);
    expect(signals).toHaveLength(1);
    const s = signals[0]!;
    expect(s).toMatchObject({ id: `diversity_drop:C1:${text(30)}`, type: "diversity_drop", asOf: text(39), since: text(30), customerId: "C1", repId: "R1" });
    expect(s.productId).toBeUndefined();
    // weeks 0-29: 6, 7, 8 repeating (mean 7); weeks 30-39: 2, 3 alternating (mean 2.5)
    expect(s.evidence).toMatchObject({ usualProducts: 7, recentProducts: 2.5, usualMedian: 7, recentMedian: 2.5, baselineOrders: 30, recentOrders: 10, productsFallen: 10 });
    expect(s.evidence.drop).toBeCloseTo(1 - 2.5 / 7, 4);
    expect(s.evidence.cusum as number).toBeGreaterThan(s.evidence.threshold as number);
    // every product carries the same margin (15 a line) and lost the same share of its rate
    expect(s.evidence.marginShareAtRisk).toBeCloseTo(1 - 2.5 / 7, 4);
    // of the 90-day margin of the year before since (weeks 0-29; the year to asOf held the narrower weeks)
    const margin90 = (15 * 7 * 30 * 90) / 365;
    expect(s.valueAtRisk).toBeCloseTo(margin90 * (1 - 2.5 / 7), 1);
    expect(s.reason).toMatchObject({ code: "diversity_drop", params: { usualProducts: 7, recentProducts: 2.5, orders: 10, productsFallen: 10, since: text(30) } });
    expect(s.message).toContain("2.5 distinct products per order since 2025-08-04 (10 orders), usually 7 (−64%); 10 products fell away");
    const [he] = detectDiversityDrop(dataset, { locale: "he" });
    expect(he!.message).toContain("2.5 מוצרים שונים בהזמנה מאז 2025-08-04 (10 הזמנות), בדרך כלל 7 (ירידה של 64%)");
  });

  it("the id does not move while the breadth stays down", () => {
    const ids = [33, 36, 39].map((w) => detectDiversityDrop(dataset, { asOf: text(w) }).map((s) => s.id));
    expect(ids).toEqual([[`diversity_drop:C1:${text(30)}`], [`diversity_drop:C1:${text(30)}`], [`diversity_drop:C1:${text(30)}`]]);
    expect(detectDiversityDrop(dataset, { asOf: text(29) })).toEqual([]);
  });

  it("one product dropping is an item drop, not a breadth drop (even at the highest sensitivity)", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 60; w++) {
      for (let p = 0; p < 6; p++) {
        if (p === 0 && w >= 40) continue; // P0 every week until week 40, P1-P5 every week
        orders.push({ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id: `P${p}`, quantity: 5, unit_price: 10, unit_cost: 7 });
      }
    }
    expect(detectDiversityDrop(fromRowsSync({ orders }).dataset, { sensitivity: 1000 })).toEqual([]);
    // P1 stopping too: two products, half of the drop each, is a (small) breadth drop
    const two = orders.filter((o) => !(o.product_id === "P1" && (o.order_date as Date) >= dayOf(40)));
    const [s] = detectDiversityDrop(fromRowsSync({ orders: two }).dataset, { sensitivity: 1000 });
    expect(s).toMatchObject({ since: text(40), evidence: { largestProductShare: 0.5, productsFallen: 2 } });
  });

  it("ordering less often with the same baskets is not a breadth drop", () => {
    const orders = narrows(30, 30);
    for (let w = 30; w < 80; w += 3) {
      for (let p = 0; p < 6 + (w % 3); p++) orders.push({ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id: `P${(p + w) % 10}`, quantity: 5, unit_price: 10, unit_cost: 7 });
    }
    expect(detectDiversityDrop(fromRowsSync({ orders }).dataset)).toEqual([]);
  });

  it("a summer-only range does not make every winter a breadth drop", () => {
    // 20 customers order weekly through 2024-2025: BREAD, MILK, EGGS always, three ice creams in May-September
    const start = Date.UTC(2024, 0, 1);
    const orders: OrderRow[] = [];
    for (let c = 0; c < 20; c++) {
      for (let w = 0; w < 104; w++) {
        const order_date = new Date(start + 7 * w * 86_400_000);
        const month = order_date.getUTCMonth() + 1;
        const products = ["BREAD", "MILK", "EGGS", ...(month >= 5 && month <= 9 ? ["ICE1", "ICE2", "ICE3"] : [])];
        for (const product_id of products) orders.push({ order_id: `O${c}-${w}`, order_date, customer_id: `C${c}`, product_id, quantity: 4, unit_price: 5, unit_cost: 3 });
      }
    }
    const products: ProductRow[] = [
      { product_id: "BREAD", family: "bakery" },
      { product_id: "MILK", family: "dairy" },
      { product_id: "EGGS", family: "dairy" },
      { product_id: "ICE1", family: "ice_cream" },
      { product_id: "ICE2", family: "ice_cream" },
      { product_id: "ICE3", family: "ice_cream" },
    ];
    const ds = fromRowsSync({ orders, products }).dataset;
    for (const asOf of ["2025-10-27", "2025-11-24", "2025-12-22"]) expect(detectDiversityDrop(ds, { asOf })).toEqual([]);
  });

  it("as-of safety: orders after asOf change nothing", () => {
    const full = fromRowsSync({ orders: narrows(60, 30), customers: [{ customer_id: "C1", rep_id: "R1" }] }).dataset;
    expect(detectDiversityDrop(full, { asOf: text(39) })).toEqual(detectDiversityDrop(dataset));
    expect(detectDiversityDrop(asOfView(full, text(39)))).toEqual(detectDiversityDrop(dataset));
  });

  it("rejects bad options", () => {
    expectInvalid(() => detectDiversityDrop(dataset, { minDrop: 0 }), "minDrop");
    expectInvalid(() => detectDiversityDrop(dataset, { minDrop: 2 }), "minDrop");
    expectInvalid(() => detectDiversityDrop(dataset, { sensitivity: 1e9 }), "sensitivity");
    expectInvalid(() => detectDiversityDrop(dataset, { locale: "ar" as "en" }), "locale");
    expect(detectDiversityDrop(fromRowsSync({ orders: [] }).dataset)).toEqual([]);
  });
});

describe("detectDiversityDrop: properties", () => {
  /** Random weekly customers whose occasional products may thin out at a random week. */
  function randomOrders(seed: number): OrderRow[] {
    const r = rng(seed);
    const orders: OrderRow[] = [];
    const nC = 1 + Math.floor(r() * 3);
    for (let c = 0; c < nC; c++) {
      const weeks = 20 + Math.floor(r() * 60);
      const at = Math.floor(r() * weeks * 1.5);
      const keep = 0.05 + 0.5 * r();
      const items = Array.from({ length: 3 + Math.floor(r() * 10) }, (_, j) => ({ id: `P${j}`, p: 0.1 + 0.9 * r() }));
      for (let w = 0; w < weeks; w++) {
        for (const it of items) {
          const p = w >= at && it.p < 0.6 ? it.p * keep : it.p;
          if (r() < p) orders.push({ order_id: `O${c}-${w}`, order_date: dayOf(w, c), customer_id: `C${c}`, product_id: it.id, quantity: 3, unit_price: 5, unit_cost: 3 });
        }
      }
    }
    return orders;
  }

  it("raising the sensitivity only adds signals; output ordered by valueAtRisk, then id", () => {
    expectSensitivityOnlyAdds(detectDiversityDrop, randomOrders);
  });
});

describe("detectDiversityDrop: synthetic distributor", () => {
  it("finds planted breadth drops and most flags are true changes", () => {
    const synth = generateSyntheticDistributor({ seed: 1, customers: 400 });
    const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products });
    const end = parseDay(synth.truth.end);
    const planted = new Map(synth.truth.events.filter((e) => e.type === "diversity_drop").map((e) => [e.customerId!, parseDay(e.start)]));
    const dropped = new Map(synth.truth.events.filter((e) => e.type === "item_dropped").map((e) => [e.customerId!, parseDay(e.start)]));
    const flags = replayFlags((asOf) => {
      const out = detectDiversityDrop(dataset, { asOf });
      for (const s of out) expect(s.evidence.drop as number).toBeGreaterThanOrEqual(0.15);
      return out;
    }, (s) => s.customerId!, end - 364, end, 14);
    const trueChange = [...flags].filter(([c, days]) => Math.min(planted.get(c) ?? Infinity, dropped.get(c) ?? Infinity) <= days[0]!).length;
    const found = Math.round(recall(planted, flags) * planted.size);
    // 15 planted at this size, half of them with fewer than 8 orders after their start
    expect(planted.size).toBeGreaterThanOrEqual(10);
    expect(found).toBeGreaterThanOrEqual(5);
    expect(trueChange / flags.size).toBeGreaterThanOrEqual(0.6);
  });
});

describe("detectDiversityDrop: one small top-up order", () => {
  it("is not a narrower basket", () => {
    // 8 products every Monday for 31 weeks, plus one 2-product top-up on the Thursday of week 29;
    // until 2026-12-06 that Thursday raised a diversity_drop of severity 1 for a day
    const orders: OrderRow[] = [];
    const on = (w: number, plus = 0): string => new Date(MONDAY + (7 * w + plus) * 86_400_000).toISOString().slice(0, 10);
    for (let w = 0; w < 31; w++) {
      for (let p = 0; p < 8; p++) orders.push({ order_id: `O${w}`, order_date: on(w), customer_id: "C1", product_id: `P${p}`, quantity: 5, unit_price: 10, unit_cost: 7 });
      if (w === 29) for (const p of ["P0", "P1"]) orders.push({ order_id: `T${w}`, order_date: on(w, 3), customer_id: "C1", product_id: p, quantity: 1, unit_price: 10, unit_cost: 7 });
    }
    const ds = fromRowsSync({ orders }).dataset;
    for (const asOf of [on(29, 3), on(29, 5), on(30)]) expect([asOf, detectDiversityDrop(ds, { asOf })]).toEqual([asOf, []]);
  });
});

describe("detectDiversityDrop: one product per order reads in the singular", () => {
  it("'1 distinct product per order' / 'מוצר אחד בהזמנה', and the brief's talking point the same (review 2026-12-07: '1 distinct products', '1 מוצרים שונים')", async () => {
    const { analyze } = await import("../analyze.ts");
    const { rankTasks } = await import("../tasks/rank-tasks.ts");
    // four products a week for 60 weeks, then only P1 for 10 weeks
    const orders: OrderRow[] = [];
    const day = (d: number): string => new Date(Date.UTC(2025, 0, 6 + d)).toISOString().slice(0, 10);
    for (let w = 0; w < 70; w++) for (const p of w < 60 ? ["P1", "P2", "P3", "P4"] : ["P1"]) orders.push({ order_id: `O${w}`, line_id: p, order_date: day(7 * w), customer_id: "C1", product_id: p, quantity: 5, unit_price: 10, unit_cost: 7 });
    const ds = fromRowsSync({ orders }).dataset;
    const asOf = day(7 * 69 + 6);
    const [en] = detectDiversityDrop(ds, { asOf });
    const [he] = detectDiversityDrop(ds, { asOf, locale: "he" });
    expect(en?.message).toMatch(/^1 distinct product per order since /);
    expect(he?.message).toMatch(/^מוצר אחד בהזמנה מאז /);
    for (const locale of ["en", "he"] as const) {
      const points = rankTasks(analyze(ds, { asOf, locale })).tasks.flatMap((t) => t.talkingPoints).filter((p) => p.code.startsWith("tp.diversity_drop"));
      expect(points.map((p) => p.text)).toEqual([expect.stringMatching(locale === "en" ? /^Buys 1 product per order since / : /^קונה מוצר אחד בהזמנה מאז /)]);
    }
  });
});

describe("detectDiversityDrop: products per day, not per order alone (review 2026-12-07)", () => {
  /** C1 buys P0..P11 every week: one Monday order for `weeks`, then split Monday P0-P5 / Thursday P6-P11 for `split` weeks. */
  function splits(weeks: number, split: number, keep = 12): OrderRow[] {
    const orders: OrderRow[] = [];
    for (let w = 0; w < weeks + split; w++) {
      for (let p = 0; p < 12; p++) {
        if (w >= weeks && p >= keep) continue;
        const thursday = w >= weeks && p >= 6;
        orders.push({ order_id: `O${w}${thursday ? "t" : ""}`, order_date: dayOf(w, thursday ? 3 : 0), customer_id: "C1", product_id: `P${p}`, quantity: 4, unit_price: 10, unit_cost: 6 });
      }
    }
    return orders;
  }

  it("the same weekly basket in two deliveries is no breadth drop (it read 12 products fell away, half the margin at risk)", () => {
    for (const split of [4, 8, 12]) expect(detectDiversityDrop(fromRowsSync({ orders: splits(52, split) }).dataset, { sensitivity: 4 })).toEqual([]);
  });

  it("a breadth drop after a split is still found: products bought per day fell too", () => {
    // split into two deliveries and only 4 of the 12 products kept (2 on Mondays, 2 on Thursdays)
    const orders = splits(52, 10).filter((o) => !["P2", "P3", "P4", "P5", "P8", "P9", "P10", "P11"].includes(o.product_id as string) || (o.order_date as Date) < dayOf(52));
    const [s] = detectDiversityDrop(fromRowsSync({ orders }).dataset);
    expect(s).toMatchObject({ since: text(52), evidence: { productsFallen: 8 } });
    // the eight lost products carry 8/12 of the margin, at a rate of 0 now
    expect(s!.evidence.marginShareAtRisk).toBeCloseTo(8 / 12, 3);
  });

  it("a product marked discontinued leaving the baskets is not counted", () => {
    // P0 and P1 leave the weekly basket of 12 from week 30; with both discontinued nothing is left to flag
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) {
      for (let p = 0; p < 12; p++) {
        if (w >= 30 && p >= 6) continue;
        orders.push({ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id: `P${p}`, quantity: 4, unit_price: 10, unit_cost: 6 });
      }
    }
    expect(detectDiversityDrop(fromRowsSync({ orders }).dataset)).toHaveLength(1);
    const products: ProductRow[] = [6, 7, 8, 9, 10, 11].map((p) => ({ product_id: `P${p}`, active: false }));
    expect(detectDiversityDrop(fromRowsSync({ orders, products }).dataset)).toEqual([]);
  });
});
