import { expectSensitivityOnlyAdds, recall, replayFlags } from "../../test/support/signal-checks.ts";
import { describe, expect, it } from "vitest";
import { asOfView } from "../data/as-of-view.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { parseDay } from "../data/parse-day.ts";
import type { OrderRow, ProductRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { detectItemVolumeDrop } from "./detect-item-volume-drop.ts";

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

const BEFORE = [20, 22, 18, 21, 19];
const AFTER = [8, 9, 7];
/** C1 orders every Monday: BREAD 10 × 2 (cost 1), OIL 20 ± 2 × 10 (cost 7), OIL down to 8 ± 1 from week `from` (and gone from week `gone`). */
function oilShrinks(weeks: number, from: number, gone = Infinity): OrderRow[] {
  const orders: OrderRow[] = [];
  for (let w = 0; w < weeks; w++) {
    const order_date = dayOf(w);
    orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
    if (w < gone) orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity: w < from ? BEFORE[w % 5]! : AFTER[w % 3]!, unit_price: 10, unit_cost: 7 });
  }
  return orders;
}

describe("detectItemVolumeDrop: by hand", () => {
  const { dataset } = fromRowsSync({ orders: oilShrinks(40, 30), customers: [{ customer_id: "C1", rep_id: "R1" }] });

  it("a change of the unit of sale is no volume drop: 12 units at 10 became one case at 120, the same money (review 2026-12-07: −92 %, 244 at risk); a real drop in cases still reads", () => {
    const mk = (caseQty: (units: number) => number): ReturnType<typeof fromRowsSync>["dataset"] => {
      const orders: OrderRow[] = [];
      for (let w = 0; w < 40; w++) {
        const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w)).toISOString().slice(0, 10);
        const units = [12, 12, 11, 13, 12][w % 5]!;
        const cased = w >= 30;
        orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity: cased ? caseQty(units) : units, unit_price: cased ? 120 : 10, unit_cost: cased ? 84 : 7, list_price: cased ? 120 : 10 });
      }
      return fromRowsSync({ orders }).dataset;
    };
    expect(detectItemVolumeDrop(mk((u) => u / 12), { asOf: "2026-10-04" })).toEqual([]);
    // half the cases: a drop of half the volume
    const half = detectItemVolumeDrop(mk((u) => u / 24), { asOf: "2026-10-04" });
    expect(half.length).toBe(1);
    expect(half[0]!.evidence.drop).toBeCloseTo(0.5, 1);
  });

  it("a case of 6 at 30 becoming a case of 12 at exactly twice the list is no volume drop (review 2026-12-08: −52 %, read as a halving)", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) {
      const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w)).toISOString().slice(0, 10);
      const cases = [10, 10, 9, 11, 10][w % 5]!; // cases of 6
      const big = w >= 30;
      const list = big ? 60 : 30;
      orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "OIL", quantity: big ? cases / 2 : cases, unit_price: list * 0.9, unit_cost: list * 0.6, list_price: list });
    }
    expect(detectItemVolumeDrop(fromRowsSync({ orders }).dataset, { asOf: "2026-10-04" })).toEqual([]);
  });

  it("OIL from about 20 to about 8 a week", () => {
    const signals = detectItemVolumeDrop(dataset);
    expect(signals).toHaveLength(1);
    const s = signals[0]!;
    expect(s).toMatchObject({ id: `item_volume_drop:C1:OIL:${text(30)}`, type: "item_volume_drop", asOf: text(39), since: text(30), customerId: "C1", productId: "OIL", repId: "R1" });
    const before = Array.from({ length: 30 }, (_, w) => BEFORE[w % 5]!);
    const after = Array.from({ length: 10 }, (_, w) => AFTER[(w + 30) % 3]!);
    const meanLog = (xs: number[]): number => xs.reduce((a, x) => a + Math.log(x), 0) / xs.length;
    const drop = 1 - Math.exp(meanLog(after) - meanLog(before));
    expect(s.evidence).toMatchObject({ usualQuantity: 20, recentQuantity: 8, baselineInclusions: 30, recentInclusions: 10, customerLogShift: 0 });
    expect(s.evidence.drop).toBeCloseTo(drop, 4);
    expect(s.evidence.cusum as number).toBeGreaterThan(s.evidence.threshold as number);
    // margin in the year before since: OIL 3 × 600 = 1800, BREAD 10 × 30 = 300; the value at risk is
    // of that year's 90-day margin (the trailing year to asOf, until 2026-12-07: it held the
    // smaller orders already, and the value fell the longer the drop lasted)
    const margin90 = (2100 * 90) / 365;
    expect(s.evidence.marginShare).toBeCloseTo(1800 / 2100, 4);
    expect(s.valueAtRisk).toBeCloseTo(margin90 * (1800 / 2100) * drop, 1);
    expect(s.severity).toBeGreaterThan(0.5);
    expect(s.severity).toBeLessThanOrEqual(1);
    expect(s.reason).toMatchObject({ code: "item_volume_drop", params: { productId: "OIL", usualQuantity: 20, recentQuantity: 8, orders: 10, since: text(30) } });
    // the message reads the recent median against what the adjusted drop implies now (8 ÷ (1 − drop)),
    // so its numbers and its percentage agree; the old median follows
    expect(s.evidence.expectedQuantity as number).toBeCloseTo(8 / (1 - drop), 2);
    const expected = String(Math.round(8 / (1 - drop)));
    expect(s.message).toContain(`Buys 8 of OIL per order where ${expected} would be usual now (−${Math.round(drop * 100)}%, season and trend taken out; 20 before) since 2025-08-04 (10 orders)`);
    const [he] = detectItemVolumeDrop(dataset, { locale: "he" });
    expect(he!.message).toContain(`קונה 8 יח' של \u2068OIL\u2069 בהזמנה, כשהרגיל עכשיו ${expected} (ירידה של ${Math.round(drop * 100)}% בניכוי עונה ומגמה; 20 קודם) מאז 2025-08-04 (10 הזמנות)`);
  });

  it("needs three smaller orders; the id does not move while the drop lasts", () => {
    expect(detectItemVolumeDrop(dataset, { asOf: text(31) })).toEqual([]); // two smaller orders
    const ids = [32, 35, 39].map((w) => detectItemVolumeDrop(dataset, { asOf: text(w) }).map((s) => s.id));
    expect(ids).toEqual([[`item_volume_drop:C1:OIL:${text(30)}`], [`item_volume_drop:C1:OIL:${text(30)}`], [`item_volume_drop:C1:OIL:${text(30)}`]]);
  });

  it("no signal while the quantity holds, nor once the item is gone (item_dropped's case)", () => {
    expect(detectItemVolumeDrop(dataset, { asOf: text(29) })).toEqual([]);
    const gone = fromRowsSync({ orders: oilShrinks(70, 30, 34) }).dataset;
    expect(detectItemVolumeDrop(gone, { asOf: text(33) }).map((s) => s.productId)).toEqual(["OIL"]);
    expect(detectItemVolumeDrop(gone)).toEqual([]);
    // one or two orders without it: not gone yet (item_dropped needs three), the drop stays listed
    // (the week after two misses of a habit bought every week, neither detector spoke until 2026-12-07)
    for (const w of [34, 35]) expect(detectItemVolumeDrop(gone, { asOf: text(w) }).map((s) => s.productId), String(w)).toEqual(["OIL"]);
    expect(detectItemVolumeDrop(gone, { asOf: text(36) })).toEqual([]);
  });

  it("no signal once the customer has stopped ordering (a customer-level case, as for item_dropped)", () => {
    // C1's last order is week 39; a weekly customer silent for more than 60 days is no item's case
    const later = (w: number): string => text(w);
    expect(detectItemVolumeDrop(dataset, { asOf: later(47) }).map((s) => s.id)).toEqual([`item_volume_drop:C1:OIL:${text(30)}`]); // 56 days
    for (const w of [49, 60, 80]) expect(detectItemVolumeDrop(dataset, { asOf: later(w) })).toEqual([]);
  });

  it("a product sold by weight reads its small quantities in its message (0.05 kg, not 0)", () => {
    const rows: OrderRow[] = [];
    for (let w = 0; w < 40; w++) {
      const quantity = w < 30 ? [0.05, 0.055, 0.045, 0.052, 0.048][w % 5]! : [0.02, 0.022, 0.018][w % 3]!;
      rows.push({ order_id: `O${w}`, order_date: text(w), customer_id: "C1", product_id: "SAFFRON", quantity, unit_price: 3000, unit_cost: 2000 });
      rows.push({ order_id: `O${w}`, order_date: text(w), customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
    }
    const [s] = detectItemVolumeDrop(fromRowsSync({ orders: rows }).dataset);
    expect(s?.evidence).toMatchObject({ usualQuantity: 0.05, recentQuantity: 0.02 });
    expect(s?.message).toContain("Buys 0.02 of SAFFRON per order where 0.05 would be usual now (−60%");
  });

  it("a drop shared by all the customer's items is not an item's drop (difference in differences)", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) {
      for (const [k, product_id] of ["A", "B", "C", "D"].entries()) {
        const q = (w < 30 ? BEFORE[(w + k) % 5]! : AFTER[(w + k) % 3]!) * (k + 1);
        orders.push({ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id, quantity: q, unit_price: 10, unit_cost: 7 });
      }
    }
    const ds = fromRowsSync({ orders }).dataset;
    expect(detectItemVolumeDrop(ds)).toEqual([]);
    expect(detectItemVolumeDrop(ds, { sensitivity: 10 })).toEqual([]);
  });

  it("noisy but steady quantities raise nothing", () => {
    const r = rng(7);
    const orders: OrderRow[] = [];
    for (let w = 0; w < 104; w++) {
      for (const product_id of ["A", "B", "C"]) {
        const q = Math.max(1, Math.round(12 * Math.exp(0.35 * (r() + r() + r() + r() - 2) * 1.73)));
        orders.push({ order_id: `O${w}`, order_date: dayOf(w), customer_id: "C1", product_id, quantity: q, unit_price: 10, unit_cost: 7 });
      }
    }
    expect(detectItemVolumeDrop(fromRowsSync({ orders }).dataset)).toEqual([]);
  });

  it("as-of safety: orders after asOf change nothing", () => {
    const full = fromRowsSync({ orders: oilShrinks(60, 30), customers: [{ customer_id: "C1", rep_id: "R1" }] }).dataset;
    expect(detectItemVolumeDrop(full, { asOf: text(39) })).toEqual(detectItemVolumeDrop(dataset));
    expect(detectItemVolumeDrop(asOfView(full, text(39)))).toEqual(detectItemVolumeDrop(dataset));
  });

  it("rejects bad options", () => {
    expectInvalid(() => detectItemVolumeDrop(dataset, { minDrop: 0 }), "minDrop");
    expectInvalid(() => detectItemVolumeDrop(dataset, { minDrop: 1 }), "minDrop");
    expectInvalid(() => detectItemVolumeDrop(dataset, { sensitivity: -1 }), "sensitivity");
    expectInvalid(() => detectItemVolumeDrop(dataset, { locale: "de" as "en" }), "locale");
    expectInvalid(() => detectItemVolumeDrop(dataset, { asOf: "someday" }), "asOf");
  });

  it("a higher minDrop lets fewer drops through", () => {
    expect(detectItemVolumeDrop(dataset, { minDrop: 0.9 })).toEqual([]);
    expect(detectItemVolumeDrop(fromRowsSync({ orders: [] }).dataset)).toEqual([]);
  });
});

describe("detectItemVolumeDrop: the pooled scale (review 2026-12-06)", () => {
  it("items bought in the same quantity every time do not shrink the others' yardstick: plain noise is no drop", () => {
    // 10 customers buy a 0.4 kg item weekly with ±30 % noise and no change; 12 others always buy
    // exactly one unit of theirs (no spread: their median pulled the class's scale to its floor)
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
    const gauss = (): number => Array.from({ length: 12 }, rnd).reduce((a, b) => a + b, 0) - 6;
    const flagged = (units: number): number => {
      const hit = new Set<string>();
      for (let s0 = 1; s0 <= 3; s0++) {
        seed = s0;
        const orders: OrderRow[] = [];
        for (let w = 0; w < 60; w++) {
          const order_date = new Date(Date.UTC(2025, 0, 6 + 7 * w));
          for (let c = 0; c < units; c++) orders.push({ order_id: `U${c}-${w}`, order_date, customer_id: `U${c}`, product_id: `UNIT${c}`, quantity: 1, unit_price: 10, unit_cost: 7 });
          for (let c = 0; c < 10; c++) orders.push({ order_id: `K${c}-${w}`, order_date, customer_id: `K${c}`, product_id: `KG${c}`, quantity: Math.round(0.4 * Math.exp(0.3 * gauss()) * 1000) / 1000, unit_price: 10, unit_cost: 7 });
        }
        const ds = fromRowsSync({ orders }).dataset;
        for (let w = 20; w < 60; w += 2) for (const sig of detectItemVolumeDrop(ds, { asOf: new Date(Date.UTC(2025, 0, 6 + 7 * w)).toISOString().slice(0, 10) })) if (sig.customerId?.startsWith("K")) hit.add(`${s0}:${sig.customerId}`);
      }
      return hit.size;
    };
    expect([flagged(0), flagged(12)]).toEqual([0, 0]);
  });
});

describe("detectItemVolumeDrop: properties", () => {
  /** Random weekly customers whose items' quantities may fall at a random week. */
  function randomOrders(seed: number): OrderRow[] {
    const r = rng(seed);
    const orders: OrderRow[] = [];
    const nC = 1 + Math.floor(r() * 3);
    for (let c = 0; c < nC; c++) {
      const weeks = 20 + Math.floor(r() * 60);
      const items = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, j) => ({ id: `P${j}`, p: 0.5 + 0.5 * r(), q: 2 + 30 * r(), at: Math.floor(r() * weeks * 1.5), factor: 0.2 + 0.8 * r() }));
      for (let w = 0; w < weeks; w++) {
        for (const it of items) {
          if (r() >= it.p) continue;
          const q = Math.max(1, Math.round(it.q * (w >= it.at ? it.factor : 1) * Math.exp(0.6 * (r() - 0.5))));
          orders.push({ order_id: `O${c}-${w}`, order_date: dayOf(w, c), customer_id: `C${c}`, product_id: it.id, quantity: q, unit_price: 5, unit_cost: 3 });
        }
      }
    }
    return orders;
  }

  it("raising the sensitivity only adds signals; output ordered by valueAtRisk, then id", () => {
    expectSensitivityOnlyAdds(detectItemVolumeDrop, randomOrders);
  });
});

describe("detectItemVolumeDrop: synthetic distributor", () => {
  it("finds planted volume drops and most flags are planted ones", () => {
    const synth = generateSyntheticDistributor({ seed: 1, customers: 400 });
    const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products });
    const end = parseDay(synth.truth.end);
    const planted = new Map(synth.truth.events.filter((e) => e.type === "item_volume_drop").map((e) => [`${e.customerId}|${e.productId}`, parseDay(e.start)]));
    const flags = replayFlags((asOf) => {
      const out = detectItemVolumeDrop(dataset, { asOf });
      for (const s of out) expect(s.evidence.drop as number).toBeGreaterThanOrEqual(0.35);
      return out;
    }, (s) => `${s.customerId}|${s.productId}`, end - 364, end, 14);
    const truePlanted = [...flags].filter(([key, days]) => (planted.get(key) ?? Infinity) <= days[0]!).length;
    const found = recall(planted, flags) * planted.size;
    expect(planted.size).toBeGreaterThanOrEqual(10);
    expect(found / planted.size).toBeGreaterThanOrEqual(0.5);
    expect(truePlanted / flags.size).toBeGreaterThanOrEqual(0.6);
  });
});

describe("detectItemVolumeDrop: constant quantities", () => {
  it("Welch's t when both sides are constant: their variance is rounding dust, not a spread; the difference reads −1000, not 0", () => {
    // OIL exactly 20 a week for 30 weeks, then exactly 10: until 2026-12-06 evidence.t read about
    // −1.9e15, then 0 ("no difference", a review 2026-12-07) beside a drop of 50 %
    const orders: OrderRow[] = [];
    for (let w = 0; w < 40; w++) orders.push({ order_id: `O${w}`, order_date: new Date(Date.UTC(2026, 0, 5 + 7 * w)), customer_id: "C1", product_id: "OIL", quantity: w < 30 ? 20 : 10, unit_price: 10, unit_cost: 7 });
    const [s] = detectItemVolumeDrop(fromRowsSync({ orders }).dataset);
    expect([s?.evidence.drop, s?.evidence.t]).toEqual([0.5, -1000]);
  });
});

describe("detectItemVolumeDrop: a discontinued product (review 2026-12-07)", () => {
  it("a product marked inactive is not tested: its last orders shrinking is no competitor's doing", () => {
    const orders = oilShrinks(40, 30);
    const customers = [{ customer_id: "C1", rep_id: "R1" }];
    expect(detectItemVolumeDrop(fromRowsSync({ orders, customers }).dataset).map((s) => s.productId)).toEqual(["OIL"]);
    const products: ProductRow[] = [{ product_id: "OIL", active: false }];
    expect(detectItemVolumeDrop(fromRowsSync({ orders, customers, products }).dataset)).toEqual([]);
  });
});

describe("detectItemVolumeDrop: the value at risk does not fall as the drop lasts (review 2026-12-07)", () => {
  it("the same since, the same margin base at every as-of day (value ÷ drop; the drop's estimate moves a little with more data)", () => {
    const { dataset } = fromRowsSync({ orders: oilShrinks(90, 60) });
    const signals = [64, 74, 84].map((w) => detectItemVolumeDrop(dataset, { asOf: text(w) })[0]!);
    expect(new Set(signals.map((s) => s.since)).size).toBe(1);
    // the year before since: OIL 3 × 20 a week × 52 weeks of its 60 (the year), BREAD 10 a week: 3,120 + 520
    for (const s of signals) expect(s.valueAtRisk / (s.evidence.drop as number)).toBeCloseTo((((3120 + 520) * 90) / 365) * (3120 / 3640), -1);
  });
});

describe("detectItemVolumeDrop: the same weekly volume in two deliveries (review 2026-12-07)", () => {
  it("1 to 3 items taken twice a week at half the quantity are no volume drop; a halved weekly volume still is", () => {
    for (const items of [1, 2, 3]) {
      const orders: OrderRow[] = [];
      for (let w = 0; w < 60; w++) {
        const days = w < 52 ? [dayOf(w)] : [dayOf(w), dayOf(w, 3)];
        for (const order_date of days) {
          for (let p = 0; p < items; p++) orders.push({ order_id: `O${order_date.toISOString()}`, order_date, customer_id: "C1", product_id: `P${p}`, quantity: w < 52 ? [20, 22, 18][(w + p) % 3]! : [10, 11, 9][(w + p) % 3]!, unit_price: 10, unit_cost: 7 });
        }
      }
      expect([items, detectItemVolumeDrop(fromRowsSync({ orders }).dataset)]).toEqual([items, []]);
      // one delivery a week at half the quantity: a drop
      const halved = orders.filter((o) => (o.order_date as Date).getUTCDay() === 1);
      expect(detectItemVolumeDrop(fromRowsSync({ orders: halved }).dataset).length).toBe(items);
    }
  });
});

describe("detectItemVolumeDrop: the frequency rise counts the recent orders' own gaps (self-review 2026-12-07)", () => {
  it("three recent orders 6 days apart are no 1.5-fold rise: the drop reads the same on the last order day and after", () => {
    const orders: OrderRow[] = [];
    const days = [...Array.from({ length: 38 }, (_, w) => 7 * w), 7 * 37 + 6, 7 * 37 + 12];
    days.forEach((d, k) => {
      const order_date = dayOf(0, d);
      orders.push({ order_id: `O${k}`, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
      orders.push({ order_id: `O${k}`, order_date, customer_id: "C1", product_id: "OIL", quantity: k < 37 ? BEFORE[k % 5]! : 10, unit_price: 10, unit_cost: 7 });
    });
    const { dataset } = fromRowsSync({ orders });
    const last = days[days.length - 1]!;
    // (the window to asOf read 3 orders in 13 days as 1.6 times the weekly rate on the last order
    // day: no signal, then one two days later with no new data)
    const drops = [0, 1, 2, 3].map((extra) => detectItemVolumeDrop(dataset, { asOf: dayOf(0, last + extra).toISOString().slice(0, 10) }).find((s) => s.productId === "OIL")?.evidence.drop);
    expect(new Set(drops).size).toBe(1);
    expect(drops[0]).toBeCloseTo(0.5, 2);
  });
});

describe("detectItemVolumeDrop: the same weekly volume spread over the customer's existing orders (self-review 2026-12-07)", () => {
  it("OIL moves from Mondays only (about 20) to both the Monday and Thursday orders (about 10): no drop", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 60; w++) {
      for (const plus of [0, 3]) {
        const order_date = dayOf(w, plus);
        const id = `O${order_date.toISOString()}`;
        orders.push({ order_id: id, order_date, customer_id: "C1", product_id: "BREAD", quantity: 10, unit_price: 2, unit_cost: 1 });
        const oil = w < 52 ? (plus === 0 ? [20, 22, 18][w % 3]! : 0) : [10, 11, 9][(w + plus) % 3]!;
        if (oil > 0) orders.push({ order_id: id, order_date, customer_id: "C1", product_id: "OIL", quantity: oil, unit_price: 10, unit_cost: 7 });
      }
    }
    // (the customer's order rate did not rise: the per-day reading needed it to, and read "−50%")
    expect(detectItemVolumeDrop(fromRowsSync({ orders }).dataset)).toEqual([]);
  });
});
