import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataset } from "../csv/read-dataset.ts";
import { asOfView } from "../data/as-of-view.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { evaluateRecommendations, type RecommendationEvaluation, type RecommendationMethodScore } from "./evaluate-recommendations.ts";

const fixture = join(import.meta.dirname, "..", "..", "test", "fixtures", "online-retail", "online-retail-sample.csv");
const part = (r: RecommendationEvaluation, name: string) => r.parts.find((p) => p.part === name)!;
const method = (r: RecommendationEvaluation, p: string, m: string): RecommendationMethodScore => part(r, p).methods.find((x) => x.method === m)!;

describe("evaluateRecommendations: next_order whose lines carry two dates (review 2026-12-06)", () => {
  it("the next order's truth holds all its lines, also those dated after another order's", () => {
    const o = (order_id: string, order_date: string, product_id: string) => ({ order_id, order_date, customer_id: "C1", product_id, quantity: 1, unit_price: 10 });
    const orders = [o("O01", "2026-01-02", "A"), o("O10", "2026-01-12", "B"), o("O11", "2026-01-13", "C"), o("O10", "2026-01-14", "D")];
    const r = evaluateRecommendations(fromRowsSync({ orders }).dataset, { splitDate: "2026-01-10", k: 5, target: "next_order" });
    // B and D of O10 (the reading stopped at O11's line: B only, the window ending 2026-01-12)
    expect([r.parts[0]!.truthItems, r.windowEnd]).toEqual([2, "2026-01-14"]);
  });
});

describe("evaluateRecommendations on the Online Retail layout (preset online-retail)", () => {
  it("reads the fixture and evaluates end to end; truth, counts and the popularity baseline by hand", async () => {
    const { dataset, report } = await readDataset({ path: fixture, preset: "online-retail" });
    expect(report.excluded).toBe(11); // no CustomerID 5, POST / D / M / BANK CHARGES / CRUK 6
    expect(report.rejected).toBe(0);
    const r = evaluateRecommendations(dataset, { splitDate: "2011-01-15", horizonDays: 60, k: 10 });
    expect(r.trainedThrough).toBe("2011-01-14");
    // the data end on 2011-02-28: the 60-day window stops there and says it held 45 days (it read
    // "2011-03-15", 60 days, until 2026-12-07)
    expect([r.windowEnd, r.horizonDays]).toEqual(["2011-02-28", 45]);
    expect(r.customersBefore).toBe(7);
    expect(r.customersEvaluated).toBe(7);
    expect(r.catalogue).toBe(14); // 35004C was only returned
    expect([part(r, "new").customers, part(r, "new").truthItems]).toEqual([6, 8]);
    expect([part(r, "repeat").customers, part(r, "repeat").truthItems]).toEqual([7, 14]);
    // global popularity, owned left out: every new item is in the top 10 except 13748's 22941
    const pop = method(r, "new", "global_popularity");
    expect(pop.recall).toBeCloseTo(5 / 6, 6);
    expect(pop.precision).toBeCloseTo(0.7 / 6, 6);
    expect(pop.hitRate).toBeCloseTo(5 / 6, 6);
    expect(pop.meanListLength).toBe(10);
    // the customer's own items (at most 5 of them) hold every repeat item
    const own = method(r, "repeat", "personal_top_frequency");
    expect([own.recall, own.hitRate]).toEqual([1, 1]);
    expect(own.precision).toBeCloseTo(0.2, 6);
    expect(part(r, "new").methods.map((m) => m.method)).toEqual(["orderpulse", "global_popularity", "segment_popularity", "jaccard"]);
    expect(part(r, "repeat").methods.map((m) => m.method)).toEqual(["orderpulse", "item_rhythm", "personal_top_frequency"]);
  });

  it("the same file exported with dd/mm/yyyy dates (a UK locale) reads the same", async () => {
    const mdy = await readDataset({ path: fixture, preset: "online-retail" });
    const dmy = await readDataset({ path: fixture.replace(".csv", "-dmy.csv"), preset: "online-retail" });
    expect(dmy.report.rejected).toBe(0);
    expect(dmy.dataset.dayRange).toEqual(mdy.dataset.dayRange);
    expect(Array.from(dmy.dataset.lines.day)).toEqual(Array.from(mdy.dataset.lines.day));
    const options = { splitDate: "2011-01-15", horizonDays: 60 };
    expect(evaluateRecommendations(dmy.dataset, options)).toEqual(evaluateRecommendations(mdy.dataset, options));
    // an explicit date format still wins
    const forced = await readDataset({ path: fixture.replace(".csv", "-dmy.csv"), preset: "online-retail", dateFormat: "mdy" });
    expect(forced.report.rejected).toBeGreaterThan(0);
  });

  it("next_order: only each customer's next invoice after the split", async () => {
    const { dataset } = await readDataset({ path: fixture, preset: "online-retail" });
    const r = evaluateRecommendations(dataset, { splitDate: "2011-01-15", target: "next_order", k: 10 });
    expect(r.horizonDays).toBeUndefined();
    expect(r.windowEnd).toBe("2011-02-07");
    expect([part(r, "new").customers, part(r, "new").truthItems]).toEqual([6, 6]);
    expect([part(r, "repeat").customers, part(r, "repeat").truthItems]).toEqual([7, 10]);
  });
});

describe("evaluateRecommendations: leakage, options", () => {
  // ten customers buy A and B before the split; in the window everyone buys HOT, new to all
  const orders = [];
  for (let c = 0; c < 10; c++) {
    const customer_id = `C${c}`;
    orders.push({ order_id: `a${c}`, order_date: "2026-03-02", customer_id, product_id: "A", quantity: 1, unit_price: 1 });
    orders.push({ order_id: `b${c}`, order_date: "2026-04-06", customer_id, product_id: c < 5 ? "B" : "A", quantity: 1, unit_price: 1 });
    orders.push({ order_id: `h${c}`, order_date: "2026-05-04", customer_id, product_id: "HOT", quantity: 1, unit_price: 1 });
    orders.push({ order_id: `z${c}`, order_date: "2026-09-01", customer_id, product_id: "LATE", quantity: 1, unit_price: 1 });
  }
  const { dataset } = fromRowsSync({ orders });
  const options = { splitDate: "2026-05-01", horizonDays: 30 };

  it("nothing from the split on reaches the recommender or the baselines", () => {
    const r = evaluateRecommendations(dataset, options);
    expect(part(r, "new").customers).toBe(10);
    for (const m of part(r, "new").methods) expect([m.method, m.recall]).toEqual([m.method, 0]);
    expect(r.catalogue).toBe(2);
    // nothing after the window is read either
    expect(evaluateRecommendations(asOfView(dataset, "2026-05-30"), options)).toEqual(r);
    expect(evaluateRecommendations(dataset, options)).toEqual(r); // deterministic
    // a view that ends inside the window cannot say what was bought in the rest of it
    expectInvalid(() => evaluateRecommendations(asOfView(dataset, "2026-05-29"), options), "splitDate");
    expectInvalid(() => evaluateRecommendations(asOfView(dataset, "2026-04-30"), { splitDate: "2026-05-01", target: "next_order" }), "splitDate");
    expect(evaluateRecommendations(asOfView(dataset, "2026-05-01"), { splitDate: "2026-05-01", target: "next_order" }).splitDate).toBe("2026-05-01");
  });

  it("bad options are INVALID_OPTION", () => {
    expectInvalid(() => evaluateRecommendations(dataset, undefined as never), "splitDate");
    expectInvalid(() => evaluateRecommendations(dataset, { splitDate: "2026-13-01" }), "splitDate");
    expectInvalid(() => evaluateRecommendations(dataset, { ...options, target: "week" as never }), "target");
    expectInvalid(() => evaluateRecommendations(dataset, { ...options, horizonDays: 0 }), "horizonDays");
    expectInvalid(() => evaluateRecommendations(dataset, { ...options, k: 1.5 }), "k");
    expectInvalid(() => evaluateRecommendations(dataset, { ...options, truth: { events: [{ type: "adoption", start: "2026-05-02" }] } }), "truth");
    expectInvalid(() => evaluateRecommendations(dataset, { ...options, truth: { events: [{ type: "adoption", start: "2026-02-30", customerId: "C1", productId: "P" }] } }), "truth");
    expectInvalid(() => evaluateRecommendations(dataset, { ...options, kinds: { new: ["gift" as never] } }), "kinds");
    expectInvalid(() => evaluateRecommendations(dataset, { ...options, kinds: { other: ["cross_sell"] } as never }), "kinds");
  });

  it("a split before all data or after it evaluates nobody", () => {
    for (const splitDate of ["2020-01-01", "2030-01-01"]) {
      const r = evaluateRecommendations(dataset, { splitDate });
      expect(r.customersEvaluated).toBe(0);
      // an empty group: undefined, not 0 (which read as a method that found nothing)
      for (const p of r.parts) for (const m of p.methods) expect([m.customers, m.precision, m.recall, m.ndcg, m.hitRate, m.coverage, m.meanListLength]).toEqual([0, undefined, undefined, undefined, undefined, undefined, undefined]);
    }
    // a customer who re-buys only what it owned: the new-item part has no customer
    const o = (id: string, d: string) => ({ order_id: id, order_date: d, customer_id: "C1", product_id: "A", quantity: 1, unit_price: 1 });
    const one = evaluateRecommendations(fromRowsSync({ orders: [o("1", "2026-04-01"), o("2", "2026-05-02")] }).dataset, { splitDate: "2026-05-01", horizonDays: 10 });
    const fresh = one.parts.find((p) => p.part === "new")!;
    expect(fresh.customers).toBe(0);
    for (const m of fresh.methods) expect([m.precision, m.recall, m.coverage]).toEqual([undefined, undefined, undefined]);
  });
});

describe("evaluateRecommendations: adoptions with target next_order", () => {
  // C1's next order after the split (2026-05-01) buys A only; C1 adopts Z two months later
  // (2026-07-01); C3 adopts Y in its next order (2026-05-04). Only C3's adoption is in its next order.
  const run = (c2Next: string): RecommendationEvaluation => {
    const orders: Record<string, unknown>[] = [];
    const add = (c: string, p: string, d: string): void => void orders.push({ order_id: `${c}-${d}`, order_date: d, customer_id: c, product_id: p, quantity: 1, unit_price: 5 });
    for (const d of ["2026-03-02", "2026-04-01"]) for (const c of ["C1", "C2", "C3"]) add(c, "A", d);
    add("C3", "Z", "2026-04-01");
    add("C1", "A", "2026-05-01");
    add("C1", "Z", "2026-07-01");
    add("C3", "Y", "2026-05-04");
    add("C2", "A", c2Next);
    const truth = {
      events: [
        { type: "adoption", start: "2026-07-01", customerId: "C1", productId: "Z" },
        { type: "adoption", start: "2026-05-04", customerId: "C3", productId: "Y" },
      ],
    };
    return evaluateRecommendations(fromRowsSync({ orders: orders as never }).dataset, { splitDate: "2026-05-01", target: "next_order", k: 5, truth });
  };

  it("an adoption counts only up to the customer's own next order, whatever another customer's next order", () => {
    for (const [c2Next, windowEnd] of [["2026-05-02", "2026-05-04"], ["2026-08-01", "2026-08-01"]] as const) {
      const r = run(c2Next);
      expect(r.windowEnd).toBe(windowEnd); // the latest next order of all customers
      expect([part(r, "adoption").customers, part(r, "adoption").truthItems]).toEqual([1, 1]);
    }
  });
});

describe("evaluateRecommendations: the item_rhythm repeat list (hand-computed)", () => {
  it("between items bought as often and as lately, the one more customers buy comes first (the buyer share); the plain count ties them and takes the smaller id", () => {
    // weekly orders on Mondays from 2026-01-05; A buys P2 every week and P0 (only A buys it) and
    // P1 (everyone buys it) in weeks 5 and 6; B, C and D buy P1 every week; after the split
    // (2026-02-16) each customer's next order holds P1 (and P2 for A)
    const orders: Record<string, unknown>[] = [];
    const day = (w: number): string => new Date(Date.UTC(2026, 0, 5 + 7 * w)).toISOString().slice(0, 10);
    const line = (c: string, w: number, p: string): void => void orders.push({ order_id: `${c}${w}`, line_id: p, order_date: day(w), customer_id: c, product_id: p, quantity: 1, unit_price: 10 });
    for (let w = 0; w < 7; w++) {
      line("A", w, "P2");
      if (w === 4 || w === 5) (line("A", w, "P0"), line("A", w, "P1"));
      if (w === 6) line("A", w, "P1");
      for (const c of ["B", "C", "D"]) line(c, w, "P1");
    }
    const { dataset } = fromRowsSync({ orders: orders as never });
    const r = evaluateRecommendations(dataset, { splitDate: "2026-02-16", target: "next_order", k: 2 });
    // A: counts P2 6, P0 2, P1 2; both bought in the last order before the split (P(alive) 0.99 each);
    // scores (2 + share) x 0.99: P1 (share 4/4) above P0 (share 1/4). Recall@2 of A: [P2, P1] 2/2,
    // plain count [P2, P0] 1/2; B, C, D: [P1] 1/1 in both
    expect(part(r, "repeat").customers).toBe(4);
    expect(method(r, "repeat", "item_rhythm").recall).toBe(1);
    expect(method(r, "repeat", "personal_top_frequency").recall).toBe((0.5 + 3) / 4);
  });
});

describe("evaluateRecommendations on the synthetic distributor", () => {
  it("scores every method within [0, 1]; planted adoptions are a share of the new items", () => {
    const synth = generateSyntheticDistributor({ seed: 3, customers: 300, years: 2 });
    const { dataset } = fromRowsSync(synth);
    const r = evaluateRecommendations(dataset, { splitDate: "2026-07-01", horizonDays: 120, k: 10, truth: synth.truth });
    expect(r.customersEvaluated).toBeGreaterThan(200);
    const adoption = part(r, "adoption");
    expect(adoption.customers).toBeGreaterThan(5);
    expect(adoption.truthItems).toBeLessThan(part(r, "new").truthItems);
    for (const p of r.parts) {
      for (const m of p.methods) {
        for (const x of [m.precision, m.recall, m.ndcg, m.hitRate, m.coverage]) expect(x! >= 0 && x! <= 1).toBe(true);
        expect(m.meanListLength).toBeLessThanOrEqual(10);
        expect(m.customers).toBe(p.customers);
      }
    }
    // repeat items are mostly the customer's habitual ones
    expect(method(r, "repeat", "personal_top_frequency").recall).toBeGreaterThan(0.5);
    // the item rhythm's ranking is at least as good as the plain frequency count (within 0.01)
    expect(method(r, "repeat", "item_rhythm").recall).toBeGreaterThanOrEqual(method(r, "repeat", "personal_top_frequency").recall! - 0.01);
    // every baseline finds something new
    for (const m of part(r, "new").methods) if (m.method !== "orderpulse") expect(m.hitRate).toBeGreaterThan(0.1);
  });
});
