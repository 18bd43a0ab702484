import { describe, expect, it } from "vitest";
import type { OrderRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "./generate-synthetic-distributor.ts";
import type { SyntheticDistributor } from "./types.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";

const SMALL = { seed: 11, customers: 60, products: 80, years: 2 } as const;
const MEDIUM = { seed: 1, customers: 400, products: 500, years: 3 } as const;

const memo = new Map<string, SyntheticDistributor>();
function synth(options: object): SyntheticDistributor {
  const key = JSON.stringify(options);
  let s = memo.get(key);
  if (!s) memo.set(key, (s = generateSyntheticDistributor(options)));
  return s;
}

const dayOf = (d: OrderRow["order_date"]): number => Date.parse(`${String(d)}T00:00:00Z`) / 86_400_000;
const purchases = (s: SyntheticDistributor): OrderRow[] => s.orders.filter((o) => Number(o.quantity) > 0);

function byCustomer(rows: readonly OrderRow[]): Map<string, OrderRow[]> {
  const out = new Map<string, OrderRow[]>();
  for (const o of rows) {
    const k = String(o.customer_id);
    let a = out.get(k);
    if (!a) out.set(k, (a = []));
    a.push(o);
  }
  return out;
}


describe("generateSyntheticDistributor: options and determinism", () => {
  it("resolves defaults and validates options", () => {
    const s = synth(SMALL);
    expect(s.options).toEqual({ ...SMALL, end: "2026-10-31" });
    expect(s.truth.options).toEqual(s.options);
    expect(s.truth.start).toBe("2024-11-01");
    expect(s.truth.end).toBe("2026-10-31");
    expectInvalid(() => generateSyntheticDistributor({ customers: 0 }));
    expectInvalid(() => generateSyntheticDistributor({ customers: 1.5 }));
    expectInvalid(() => generateSyntheticDistributor({ products: 10 }));
    expectInvalid(() => generateSyntheticDistributor({ years: 0 }));
    expectInvalid(() => generateSyntheticDistributor({ seed: 0.5 }));
    expectInvalid(() => generateSyntheticDistributor({ end: "2026-02-30" }));
    expectInvalid(() => generateSyntheticDistributor({ end: 20261031 as unknown as string }));
    // a history that would begin before the year 1 (it wrote order dates like -1-07-01)
    expectInvalid(() => generateSyntheticDistributor({ end: "0002-06-30", years: 3 }), "end");
    const early = generateSyntheticDistributor({ end: "0003-12-31", years: 3, customers: 3, products: 20 });
    expect(early.truth.start).toBe("0001-01-01"); // the first day allowed
    // target periods are YYYY-MM there too (review 2026-12-06: "1-01", which readers reject)
    expect(early.targets.every((t) => /^\d{4}-\d{2}$/.test(String(t.period)))).toBe(true);
    expect(early.targets[0]?.period).toBe("0001-01");
    expectInvalid(() => generateSyntheticDistributor(null as unknown as object));
  });

  it("gives deep-equal output for the same seed", () => {
    const a = generateSyntheticDistributor(SMALL);
    const b = generateSyntheticDistributor(SMALL);
    expect(b).toEqual(a);
    expect(a.orders.length).toBeGreaterThan(1000);
  });

  it("gives different output for a different seed", () => {
    const a = synth(SMALL);
    const b = generateSyntheticDistributor({ ...SMALL, seed: 12 });
    expect(b.orders.length).not.toBe(a.orders.length);
    expect(b.orders.slice(0, 20)).not.toEqual(a.orders.slice(0, 20));
  });

  it("seeds beyond 32 bits and negative seeds have worlds of their own (review 2026-12-07: seed −1 gave seed 1,542,153,714's, 2³² + 1 gave 74,110,564's)", () => {
    const tiny = { customers: 5, products: 20, years: 1 } as const;
    const first = (seed: number): unknown => generateSyntheticDistributor({ ...tiny, seed }).orders.slice(0, 5);
    expect(first(-1)).not.toEqual(first(1_542_153_714));
    expect(first(2 ** 32 + 1)).not.toEqual(first(74_110_564));
    expect(first(2 ** 32 + 1)).not.toEqual(first(1));
    expect(first(-1)).toEqual(first(-1));
  });

  it("keeps a customer's profile when more customers are added", () => {
    const a = synth(SMALL);
    const b = generateSyntheticDistributor({ ...SMALL, customers: 90 });
    expect(b.truth.customers.slice(0, 60)).toEqual(a.truth.customers);
  });

  it("honours `end` and `years`", () => {
    const s = generateSyntheticDistributor({ customers: 20, products: 40, years: 1, end: "2025-03-15" });
    expect(s.truth.start).toBe("2024-03-16");
    for (const o of s.orders) {
      expect(String(o.order_date) >= "2024-03-16" && String(o.order_date) <= "2025-03-15").toBe(true);
    }
    // ending on February 29: a year back is February 28 (the history was a day short)
    expect(generateSyntheticDistributor({ customers: 5, products: 40, years: 1, end: "2028-02-29" }).truth.start).toBe("2027-03-01");
    expect(generateSyntheticDistributor({ customers: 5, products: 40, years: 4, end: "2028-02-29" }).truth.start).toBe("2024-03-01");
  });
});

describe.each([
  ["small", SMALL],
  ["medium", MEDIUM],
])("generateSyntheticDistributor: %s tables", (_name, options) => {
  it("writes valid order lines referencing existing entities", () => {
    const s = synth(options);
    const customers = new Set(s.customers.map((c) => c.customer_id));
    const products = new Set(s.products.map((p) => p.product_id));
    const reps = new Set(s.reps.map((r) => r.rep_id));
    const keys = new Set<string>();
    const bad: OrderRow[] = [];
    let prev = "";
    for (const o of s.orders) {
      const price = Number(o.unit_price);
      const key = `${String(o.order_id)}/${String(o.line_id)}`;
      const ok =
        price > 0 &&
        Number(o.list_price) >= price &&
        Number(o.unit_cost) < Number(o.list_price) &&
        Number(o.unit_cost) >= 0 &&
        Number.isInteger(o.quantity) &&
        o.quantity !== 0 &&
        Math.abs(Math.round(price * 100) - price * 100) < 1e-6 &&
        customers.has(o.customer_id) &&
        products.has(o.product_id) &&
        reps.has(o.rep_id as string) &&
        ["field", "phone", "web", "edi"].includes(o.channel as string) &&
        o.currency === "USD" &&
        String(o.order_date) >= prev &&
        !keys.has(key);
      if (!ok) bad.push(o);
      keys.add(key);
      prev = String(o.order_date);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(String(s.orders[0]?.order_date) >= s.truth.start).toBe(true);
    expect(prev <= s.truth.end).toBe(true);
  });

  it("has reps with managers, customers with owners, deals, targets and content", () => {
    const s = synth(options);
    const managers = s.reps.filter((r) => r.manager_id === undefined);
    const reps = s.reps.filter((r) => r.manager_id !== undefined);
    expect(managers.length).toBeGreaterThanOrEqual(1);
    const managerIds = new Set(managers.map((m) => m.rep_id));
    for (const r of reps) expect(managerIds.has(r.manager_id as string)).toBe(true);
    const repIds = new Set(reps.map((r) => r.rep_id));
    for (const c of s.customers) expect(repIds.has(c.rep_id as string)).toBe(true);
    const customerIds = new Set(s.customers.map((c) => c.customer_id));
    const order = ["lead", "qualified", "proposal", "negotiation", "won", "lost"];
    const deals = new Map<string, { stage: string; at: string }[]>();
    for (const e of s.dealEvents) {
      expect(customerIds.has(e.customer_id)).toBe(true);
      expect(Number(e.amount)).toBeGreaterThan(0);
      const a = deals.get(String(e.deal_id)) ?? [];
      a.push({ stage: e.stage, at: String(e.entered_at) });
      deals.set(String(e.deal_id), a);
    }
    expect(deals.size).toBeGreaterThan(10);
    for (const stages of deals.values()) {
      expect(stages[0]?.stage).toBe("lead");
      for (let i = 1; i < stages.length; i++) {
        expect(stages[i]!.at >= stages[i - 1]!.at).toBe(true);
        expect(order.indexOf(stages[i]!.stage)).toBeGreaterThan(order.indexOf(stages[i - 1]!.stage));
      }
    }
    const outcomes = new Set([...deals.values()].map((d) => d[d.length - 1]!.stage));
    expect(outcomes.has("won") && outcomes.has("lost")).toBe(true);
    const months = new Set(s.targets.map((t) => t.period));
    expect(months.size).toBe(options.years * 12);
    expect(s.targets.length).toBe(repIds.size * months.size * 3);
    expect(new Set(s.targets.map((t) => t.kpi))).toEqual(new Set(["revenue", "gross_profit", "active_customers"]));
    expect(s.content.length).toBeGreaterThanOrEqual(20);
    expect(s.content.length).toBeLessThanOrEqual(40);
    for (const c of s.content) if (c.product_id !== undefined) expect(s.products.some((p) => p.product_id === c.product_id)).toBe(true);
  });

  it("records segment- and rep-level events", () => {
    const s = synth(options);
    const kinds = new Set(s.truth.events.map((e) => e.type));
    for (const k of ["product_vanishing", "discount_rise", "pipeline_stall", "substitute_pair"] as const) {
      expect(kinds.has(k), k).toBe(true);
    }
    for (const e of s.truth.events) {
      expect(e.start >= s.truth.start && e.start <= s.truth.end).toBe(true);
    }
    expect(stalledDealsThatMoved(s)).toEqual([]);
  });
});

/** Deals of the stalled rep that left `proposal` on or after the stall's first day (there must be none). */
function stalledDealsThatMoved(s: ReturnType<typeof generateSyntheticDistributor>): string[] {
  const stall = s.truth.events.find((e) => e.type === "pipeline_stall")!;
  const byDeal = new Map<string, { stage: string; day: string }[]>();
  for (const d of s.dealEvents) {
    if (d.rep_id !== stall.repId) continue;
    const k = String(d.deal_id);
    if (!byDeal.has(k)) byDeal.set(k, []);
    byDeal.get(k)!.push({ stage: String(d.stage), day: String(d.entered_at) });
  }
  const moved: string[] = [];
  for (const [id, events] of byDeal) {
    const k = events.findIndex((e) => e.stage === "proposal");
    if (k >= 0 && k + 1 < events.length && events[k + 1]!.day >= stall.start) moved.push(`${id} ${events[k + 1]!.stage} ${events[k + 1]!.day}`);
  }
  return moved;
}

describe("generateSyntheticDistributor: histories that end mid-month or before 1970", () => {
  it("a history before 1970 keeps its adoptions, each dated at its first purchase (−1 was 'never bought', and a day)", () => {
    const s = generateSyntheticDistributor({ seed: 1, customers: 300, products: 200, years: 3, end: "1970-01-01" });
    const adoptions = s.truth.events.filter((e) => e.type === "adoption");
    expect(adoptions.length).toBeGreaterThan(100); // 190 with end 2026-10-31; 0 before 2026-12-06
    for (const e of adoptions.slice(0, 40)) {
      const first = s.orders.filter((o) => o.customer_id === e.customerId && o.product_id === e.productId && Number(o.quantity) > 0).map((o) => String(o.order_date)).sort()[0];
      expect(first).toBe(e.start);
    }
  });

  it("the month a year after a partial first month gets a target of the first year's kind, not one grown from its few days", () => {
    // history 2024-02-29 .. 2025-02-28: February 2024 is one day; until 2026-12-06 the target of
    // February 2025 grew from that day and came out about 30 times too low
    const s = generateSyntheticDistributor({ seed: 1, customers: 1500, products: 200, years: 1, end: "2025-02-28" });
    const actual = new Map<string, number>();
    for (const o of s.orders) if (String(o.order_date).startsWith("2025-02")) actual.set(String(o.rep_id), (actual.get(String(o.rep_id)) ?? 0) + Number(o.quantity) * Number(o.unit_price));
    const ratios = s.targets.filter((t) => t.period === "2025-02" && t.kpi === "revenue" && Number(t.target) > 0).map((t) => (actual.get(String(t.rep_id)) ?? 0) / Number(t.target)).sort((a, b) => a - b);
    expect(ratios.length).toBeGreaterThan(3);
    const median = ratios[ratios.length >> 1]!;
    expect(median).toBeGreaterThan(0.7);
    expect(median).toBeLessThan(1.5);
  });
});

describe("generateSyntheticDistributor: the planted pipeline stall", () => {
  it("no deal of the stalled rep leaves proposal on the stall's first day or later (seed 10 had one leaving on that day)", () => {
    expect(stalledDealsThatMoved(generateSyntheticDistributor({ seed: 10, customers: 400 }))).toEqual([]);
  });
});

describe("generateSyntheticDistributor: realism (medium)", () => {
  it("spreads per-customer gap regularity from clockwork to memoryless", () => {
    const s = synth(MEDIUM);
    const cvs: number[] = [];
    for (const rows of byCustomer(purchases(s)).values()) {
      const days = [...new Set(rows.map((o) => dayOf(o.order_date)))].sort((a, b) => a - b);
      if (days.length < 10) continue;
      const gaps = days.slice(1).map((d, i) => d - days[i]!);
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (gaps.length - 1));
      cvs.push(sd / mean);
    }
    expect(cvs.length).toBeGreaterThan(200);
    const low = cvs.filter((x) => x < 0.3).length / cvs.length;
    const memoryless = cvs.filter((x) => x >= 0.8 && x <= 1.3).length / cvs.length;
    expect(low).toBeGreaterThan(0.1);
    expect(memoryless).toBeGreaterThan(0.1);
  });

  it("has sane baskets, a realistic return share and revenue concentration", () => {
    const s = synth(MEDIUM);
    const lines = new Map<string, number>();
    let returns = 0;
    const revenue = new Map<string, number>();
    for (const o of s.orders) {
      const q = Number(o.quantity);
      if (q < 0) returns++;
      else lines.set(String(o.order_id), (lines.get(String(o.order_id)) ?? 0) + 1);
      revenue.set(String(o.customer_id), (revenue.get(String(o.customer_id)) ?? 0) + q * Number(o.unit_price));
    }
    const sizes = [...lines.values()].sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(3);
    expect(median).toBeLessThanOrEqual(15);
    const share = returns / s.orders.length;
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.03);
    const rev = [...revenue.values()].sort((a, b) => b - a);
    const total = rev.reduce((a, b) => a + b, 0);
    const top = rev.slice(0, Math.ceil(rev.length * 0.2)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.6);
    expect(top / total).toBeLessThan(0.8);
  });

  it("returns refer to an earlier purchase of the same product at the same price", () => {
    const s = synth(MEDIUM);
    const bought = new Map<string, string>();
    const bad: OrderRow[] = [];
    for (const o of s.orders) {
      const key = `${String(o.customer_id)}|${String(o.product_id)}|${String(o.unit_price)}`;
      if (Number(o.quantity) > 0) {
        if (!bought.has(key)) bought.set(key, String(o.order_date));
      } else {
        const first = bought.get(key);
        if (first === undefined || first >= String(o.order_date) || !String(o.order_id).startsWith("CN")) bad.push(o);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it("respects August and weekday closures", () => {
    const s = synth(MEDIUM);
    const truth = new Map(s.truth.customers.map((c) => [c.customerId, c]));
    const closedAugust = s.truth.customers.filter((c) => c.closedInAugust);
    expect(closedAugust.length).toBeGreaterThan(10);
    const closedWeekend = s.truth.customers.filter((c) => c.closedWeekdays.length > 0);
    expect(closedWeekend.length).toBeGreaterThan(100);
    const bad: OrderRow[] = [];
    for (const o of s.orders) {
      const c = truth.get(String(o.customer_id))!;
      const d = String(o.order_date);
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay() || 7;
      if ((c.closedInAugust && d.slice(5, 7) === "08") || c.closedWeekdays.includes(weekday)) bad.push(o);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it("has seasonal families (ice cream peaks in summer, soups in winter)", () => {
    const s = synth(MEDIUM);
    const family = new Map(s.products.map((p) => [p.product_id, p.family]));
    const count = { iceSummer: 0, iceWinter: 0, soupSummer: 0, soupWinter: 0 };
    for (const o of purchases(s)) {
      const m = Number(String(o.order_date).slice(5, 7));
      const f = family.get(o.product_id);
      const summer = m >= 6 && m <= 8;
      const winter = m === 12 || m <= 2;
      if (f === "ice_cream") count.iceSummer += summer ? 1 : 0, count.iceWinter += winter ? 1 : 0;
      if (f === "soups_broths") count.soupSummer += summer ? 1 : 0, count.soupWinter += winter ? 1 : 0;
    }
    expect(count.iceSummer).toBeGreaterThan(3 * count.iceWinter);
    expect(count.soupWinter).toBeGreaterThan(2 * count.soupSummer);
  });

  it("applies the planted customer-level events to the orders", () => {
    const s = synth(MEDIUM);
    const rows = byCustomer(purchases(s));
    const seen = new Set<string>();
    const end = dayOf(s.truth.end);
    let freqRatios: number[] = [];
    for (const e of s.truth.events) {
      if (!e.customerId) continue;
      seen.add(e.type);
      const mine = rows.get(e.customerId) ?? [];
      const start = dayOf(e.start);
      const after = mine.filter((o) => dayOf(o.order_date) >= start);
      if (e.type === "churn") {
        const stop = dayOf(e.end ?? e.start);
        expect(mine.filter((o) => dayOf(o.order_date) >= stop)).toEqual([]);
        expect(mine.some((o) => dayOf(o.order_date) < stop)).toBe(true);
      } else if (e.type === "item_dropped") {
        expect(after.filter((o) => o.product_id === e.productId)).toEqual([]);
        expect(mine.some((o) => o.product_id === e.productId)).toBe(true);
      } else if (e.type === "adoption") {
        expect(mine.filter((o) => o.product_id === e.productId && dayOf(o.order_date) < start)).toEqual([]);
        expect(after.some((o) => o.product_id === e.productId && String(o.order_date) === e.start)).toBe(true);
      } else if (e.type === "frequency_drop") {
        const orders = (a: OrderRow[]): number => new Set(a.map((o) => o.order_id)).size;
        const before = mine.filter((o) => dayOf(o.order_date) < start && dayOf(o.order_date) >= start - 365);
        freqRatios.push(orders(after) / (end - start + 1) / (orders(before) / 365));
      }
    }
    for (const k of ["churn", "frequency_drop", "item_dropped", "item_volume_drop", "diversity_drop", "adoption"]) {
      expect(seen.has(k), k).toBe(true);
    }
    freqRatios = freqRatios.sort((a, b) => a - b);
    expect(freqRatios[Math.floor(freqRatios.length / 2)]).toBeLessThan(0.75);
  });

  it("keeps substitute pairs apart and vanishing products gone", () => {
    const s = synth(MEDIUM);
    const segment = new Map(s.customers.map((c) => [c.customer_id, c.segment]));
    for (const e of s.truth.events) {
      if (e.type === "substitute_pair") {
        const [a, b] = e.productIds!;
        const buyers = (p: string | undefined): Set<unknown> =>
          new Set(s.orders.filter((o) => o.product_id === p && segment.get(o.customer_id) === e.segment).map((o) => o.customer_id));
        const ba = buyers(a);
        const bb = buyers(b);
        expect(ba.size + bb.size).toBeGreaterThan(5);
        expect([...ba].filter((c) => bb.has(c))).toEqual([]);
      }
      if (e.type === "product_vanishing") {
        const lines = s.orders.filter((o) => o.product_id === e.productId && segment.get(o.customer_id) === e.segment && Number(o.quantity) > 0);
        expect(lines.some((o) => String(o.order_date) < e.start)).toBe(true);
        expect(lines.filter((o) => String(o.order_date) >= e.start)).toEqual([]);
      }
    }
  });
});

describe("generateSyntheticDistributor: default size", () => {
  it("has about a million lines and at least 50 of each customer-level event kind", () => {
    const s = generateSyntheticDistributor();
    expect(s.options).toEqual({ seed: 1, customers: 2000, products: 2500, years: 3, end: "2026-10-31" });
    expect(s.orders.length).toBeGreaterThan(800_000);
    expect(s.orders.length).toBeLessThan(1_400_000);
    expect(s.reps.filter((r) => r.manager_id !== undefined).length).toBe(12);
    expect(s.reps.filter((r) => r.manager_id === undefined).length).toBe(3);
    const counts: Record<string, number> = {};
    for (const e of s.truth.events) counts[e.type] = (counts[e.type] ?? 0) + 1;
    for (const k of ["churn", "frequency_drop", "item_dropped", "item_volume_drop", "diversity_drop", "adoption"]) {
      expect(counts[k] ?? 0, k).toBeGreaterThanOrEqual(50);
    }
    const end = Date.parse(`${s.truth.end}T00:00:00Z`);
    const recent = s.truth.events.filter((e) => e.customerId && e.type !== "adoption" && end - Date.parse(`${e.start}T00:00:00Z`) < 366 * 86_400_000);
    const customerLevel = s.truth.events.filter((e) => e.customerId && e.type !== "adoption");
    expect(recent.length / customerLevel.length).toBeGreaterThan(0.6);
  });
});
