import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDay } from "../data/format-day.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { parseDay } from "../data/parse-day.ts";
import type { DealEventRow, OrderRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { detectPipelineStall } from "./detect-pipeline-stall.ts";
import { EXACT_CELLS } from "./internal/segment-tail.ts";

const START = Date.UTC(2025, 0, 5);
const day = (d: number): Date => new Date(START + d * 86_400_000);

/** Deterministic pseudo-random in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Rep `rep` opens a deal every `every` days: lead → proposal after 5 days, then won or lost after
 * `stay(k)` days in proposal; deals opened on or after `stallFrom` (a day offset) never leave
 * proposal (and neither do those in proposal on that day).
 */
function pipeline(rep: string, deals: number, every: number, stay: (k: number) => number, stallFrom = Infinity, offset = 0): DealEventRow[] {
  const rows: DealEventRow[] = [];
  for (let k = 0; k < deals; k++) {
    const lead = offset + every * k;
    const deal_id = `${rep}-D${k}`;
    rows.push({ deal_id, customer_id: `${rep}-C`, stage: "lead", entered_at: day(lead), rep_id: rep, amount: 1000 });
    rows.push({ deal_id, customer_id: `${rep}-C`, stage: "proposal", entered_at: day(lead + 5), rep_id: rep });
    const exit = lead + 5 + stay(k);
    if (exit < stallFrom) rows.push({ deal_id, customer_id: `${rep}-C`, stage: k % 3 ? "lost" : "won", entered_at: day(exit), rep_id: rep });
  }
  return rows;
}
const orders: OrderRow[] = [{ order_id: "1", order_date: day(380), customer_id: "X", product_id: "P", quantity: 10, unit_price: 10, unit_cost: 7 }];

describe("detectPipelineStall: by hand", () => {
  // the doc example: R1's deals spend 8..12 days in proposal; the last four have not moved
  const dealEvents: DealEventRow[] = [];
  for (let k = 0; k < 24; k++) {
    const start = new Date(Date.UTC(2025, 0, 5 + 14 * k));
    const deal_id = `D${k}`;
    dealEvents.push({ deal_id, customer_id: "C1", stage: "proposal", entered_at: start, rep_id: "R1", amount: 1000 });
    if (k < 20) dealEvents.push({ deal_id, customer_id: "C1", stage: k % 2 ? "won" : "lost", rep_id: "R1", entered_at: new Date(start.getTime() + (8 + (k % 5)) * 86_400_000) });
  }
  const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2025-12-01", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10, unit_cost: 6 }], dealEvents });

  it("one rep, one stage, the stuck deals as evidence", () => {
    const signals = detectPipelineStall(dataset, { asOf: "2026-02-15" });
    expect(signals).toHaveLength(1);
    const s = signals[0]!;
    // D19 (entered 2025-09-28) left proposal on 2025-10-10, the last exit: the change day is the day after
    expect(s).toMatchObject({ id: "pipeline_stall:R1:proposal:2025-10-11", type: "pipeline_stall", since: "2025-10-11", repId: "R1", stage: "proposal" });
    expect(s.evidence).toMatchObject({ stuck: 4, inStage: 4, oldestDays: 126, dealIds: "D20,D21,D22,D23", stuckAmount: 4000, exitsLast90: 0 });
    // all 20 exits fall in the 365 days before the last 90 (2024-11-18 .. 2025-11-17): 20 × 90 / 365
    // per 90 days (until 2026-12-06: 20 / 4, a year read as four 90-day spans, 1.4% high)
    expect(s.evidence.exitsPer90Before).toBeCloseTo((20 * 90) / 365, 12);
    // usual never-ending share: of the stays entered one to two years back (D0..D3), none stuck:
    // (0 + 0.2) / (4 + 10) = 1.4%; each stuck deal is still there with about that probability
    expect(s.evidence.pValue).toBeLessThan(1e-4);
    expect(s.evidence.pValue).toBeGreaterThan(0.01 ** 4);
    // valueAtRisk = 4000 × P(win from proposal) × margin rate 40%, in cents (666.67, not 666.666…)
    expect(s.valueAtRisk).toBe(Math.round(4000 * Number(s.evidence.winProbability) * 0.4 * 100) / 100);
    expect(s.message).toMatch(/^Rep R1: 4 of 4 deals in proposal since 2025-10-11 have not moved \(< 0\.1 expected to still be there; oldest 126 days, usually 9\.9 days\); about \d+ of expected margin$/);
    const [he] = detectPipelineStall(dataset, { asOf: "2026-02-15", locale: "he" });
    expect(he!.message).toContain("4 מתוך 4 עסקאות בשלב הצעת מחיר");
  });

  it("costs only on lines older than the year: the deals' revenue, as analyze values them (review 2026-12-07: 'about 0 of expected margin')", () => {
    const line = (date: string, cost?: number): OrderRow => ({ order_id: date, order_date: date, customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10, ...(cost === undefined ? {} : { unit_cost: cost }) });
    const old = fromRowsSync({ orders: [line("2024-06-01", 6), line("2025-12-01")], dealEvents }).dataset;
    const [s] = detectPipelineStall(old, { asOf: "2026-02-15" });
    expect(s!.valueAtRisk).toBe(Math.round(4000 * Number(s!.evidence.winProbability) * 100) / 100);
    expect(s!.valueAtRisk).toBeGreaterThan(0);
    expect(s!.message).toMatch(/about [\d,]+ of expected revenue$/);
  });

  it("no deal events, or deals moving as usual: nothing", () => {
    expect(detectPipelineStall(fromRowsSync({ orders }).dataset)).toEqual([]);
    const r = rng(3);
    const dealEvents2 = [...pipeline("A", 40, 9, () => 6 + Math.floor(r() * 12)), ...pipeline("B", 40, 9, () => 6 + Math.floor(r() * 12), Infinity, 3)];
    expect(detectPipelineStall(fromRowsSync({ orders, dealEvents: dealEvents2 }).dataset, { asOf: formatDay(parseDay(day(370))) })).toEqual([]);
  });

  it("one stalled rep among three gives one signal", () => {
    const r = rng(5);
    const stay = (): number => 6 + Math.floor(r() * 12);
    const dealEvents2 = [...pipeline("A", 40, 9, stay), ...pipeline("B", 40, 9, stay, 300, 2), ...pipeline("C", 40, 9, stay, Infinity, 4)];
    const { dataset: ds } = fromRowsSync({ orders, dealEvents: dealEvents2 });
    const signals = detectPipelineStall(ds, { asOf: formatDay(parseDay(day(370))) });
    expect(signals.map((s) => [s.repId, s.stage])).toEqual([["B", "proposal"]]);
    expect(parseDay(signals[0]!.since)).toBeLessThanOrEqual(parseDay(day(300)));
    expect(Number(signals[0]!.evidence.stuck)).toBeGreaterThanOrEqual(5);
  });
});

describe("detectPipelineStall: options, as-of safety, sensitivity", () => {
  const r = rng(9);
  const stay = (): number => Math.max(1, Math.round(14 * Math.exp(0.55 * (r() + r() + r() - 1.5) * 2)));
  const dealEvents = [
    ...pipeline("A", 45, 8, stay),
    ...pipeline("B", 45, 8, stay, 330, 1),
    ...pipeline("C", 45, 8, stay, 300, 2),
    ...pipeline("D", 45, 8, stay, Infinity, 3),
  ];
  const { dataset } = fromRowsSync({ orders, dealEvents });
  const asOf = parseDay(day(365));

  it("rejects bad options", () => {
    expectInvalid(() => detectPipelineStall(dataset, { sensitivity: 1e9 }), "sensitivity");
    expectInvalid(() => detectPipelineStall(dataset, { locale: "de" as "en" }), "locale");
  });

  it("an asOf far past the deals (9999-12-31, the last option day) runs in bounded memory", () => {
    // the survival memo spanned asOf − the oldest entry: 8 GB at 1e9, when an epoch-day option allowed it
    expect(() => detectPipelineStall(dataset, { asOf: "9999-12-31" })).not.toThrow();
    expect(detectPipelineStall(dataset, { asOf: "9999-12-31" })).toEqual([]);
  });

  it("deal events dated after asOf change nothing", () => {
    const later = [...dealEvents, ...["A", "B", "C", "D"].flatMap((rep) => [0, 1, 2].map((k) => ({ deal_id: `${rep}-D${44 - k}`, customer_id: `${rep}-C`, stage: "won", entered_at: day(370), rep_id: rep })))];
    const a = detectPipelineStall(dataset, { asOf: asOf - 5, sensitivity: 2 });
    const b = detectPipelineStall(fromRowsSync({ orders, dealEvents: later }).dataset, { asOf: asOf - 5, sensitivity: 2 });
    expect(b).toEqual(a);
  });

  it("raising the sensitivity only ever adds signals", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 20, noNaN: true }), fc.double({ min: 1, max: 5, noNaN: true }), fc.integer({ min: 0, max: 60 }), (s, factor, back) => {
        const low = new Set(detectPipelineStall(dataset, { asOf: asOf - back, sensitivity: s }).map((x) => x.id));
        const high = new Set(detectPipelineStall(dataset, { asOf: asOf - back, sensitivity: Math.min(1000, s * factor) }).map((x) => x.id));
        for (const id of low) expect(high.has(id)).toBe(true);
      }),
      { numRuns: 60 },
    );
    const counts = [0.3, 1, 5, 20].map((sensitivity) => detectPipelineStall(dataset, { asOf: asOf - 30, sensitivity }).length);
    expect(counts[3]).toBeGreaterThan(counts[0]!);
  });
});

describe("detectPipelineStall: the synthetic distributor (400 customers, seed 1)", () => {
  const synth = generateSyntheticDistributor({ seed: 1, customers: 400 });
  const { dataset } = fromRowsSync({ orders: synth.orders, customers: synth.customers, products: synth.products, reps: synth.reps, dealEvents: synth.dealEvents });
  const stall = synth.truth.events.find((e) => e.type === "pipeline_stall")!;
  const start = parseDay(stall.start);
  const end = parseDay(synth.truth.end);

  it("weekly runs over the last year: only the planted rep and stage, found after the stall began", () => {
    const first = new Map<string, number>();
    for (let a = end - 364; a <= end; a += 7) {
      for (const s of detectPipelineStall(dataset, { asOf: a })) if (!first.has(`${s.repId}:${s.stage}`)) first.set(`${s.repId}:${s.stage}`, a);
    }
    expect([...first.keys()]).toEqual([`${stall.repId}:${stall.stage}`]);
    const delay = first.get(`${stall.repId}:${stall.stage}`)! - start;
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(120);
  });

  it("the signal at the end carries the stuck deals and money", () => {
    const [s] = detectPipelineStall(dataset, { asOf: end });
    expect(s?.repId).toBe(stall.repId);
    expect(Math.abs(parseDay(s!.since) - start)).toBeLessThanOrEqual(30);
    expect(String(s!.evidence.dealIds).split(",").length).toBe(s!.evidence.stuck);
    expect(s!.valueAtRisk).toBeGreaterThan(0);
  });
});

describe("pipeline_stall counts deals, not stays (review 2026-12-06)", () => {
  it("a deal that came back to the stage is one of the deals in it", () => {
    const dealEvents: DealEventRow[] = [];
    for (let k = 0; k < 24; k++) {
      const start = new Date(Date.UTC(2025, 0, 5 + 14 * k));
      dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: "proposal", entered_at: start, rep_id: "R1", amount: 1000 });
      if (k < 20) dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: k % 2 ? "won" : "lost", rep_id: "R1", entered_at: new Date(start.getTime() + (8 + (k % 5)) * 86_400_000) });
    }
    // D23 went to negotiation and back to proposal: two stays in proposal
    dealEvents.push({ deal_id: "D23", customer_id: "C1", stage: "negotiation", entered_at: "2025-11-27", rep_id: "R1" });
    dealEvents.push({ deal_id: "D23", customer_id: "C1", stage: "proposal", entered_at: "2025-12-02", rep_id: "R1" });
    const orders = [{ order_id: "1", order_date: "2025-12-01", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10, unit_cost: 6 }];
    const [s] = detectPipelineStall(fromRowsSync({ orders, dealEvents }).dataset, { asOf: "2026-02-15" });
    expect([s?.evidence["stuck"], s?.evidence["inStage"]]).toEqual([4, 4]);
    expect(s?.message).toContain("4 of 4 deals");
  });
  it("deals without a rep count in the team's usual share of stays that never end, as deals with one do", () => {
    // R1's four stuck proposals, and 20 proposals from 2024-06 (one to two years back) nobody
    // closed: whoever owns them, the team's stalls are usual, so R1's four are no signal
    const build = (zombies: "R2" | "no rep" | "none") => {
      const dealEvents: DealEventRow[] = [];
      for (let k = 0; k < 24; k++) {
        const start = new Date(Date.UTC(2025, 0, 5 + 14 * k));
        dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: "proposal", entered_at: start, rep_id: "R1", amount: 1000 });
        if (k < 20) dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: k % 2 ? "won" : "lost", rep_id: "R1", entered_at: new Date(start.getTime() + (8 + (k % 5)) * 86_400_000) });
      }
      if (zombies !== "none") for (let k = 0; k < 20; k++) dealEvents.push({ deal_id: `Z${k}`, customer_id: "C2", stage: "proposal", entered_at: `2024-06-${String(k + 1).padStart(2, "0")}`, ...(zombies === "R2" ? { rep_id: "R2" } : {}), amount: 1000 });
      const orders = [{ order_id: "1", order_date: "2025-12-01", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10, unit_cost: 6 }];
      return fromRowsSync({ orders, dealEvents }).dataset;
    };
    const r1 = (zombies: "R2" | "no rep" | "none") => detectPipelineStall(build(zombies), { asOf: "2026-02-15" }).filter((x) => x.repId === "R1").length;
    expect([r1("none"), r1("R2"), r1("no rep")]).toEqual([1, 0, 0]);
  });
});

describe("pipeline_stall on a large pipeline (the saddle-point tail, review 2026-12-06)", () => {
  it("a rep with 2,000+ deals stuck in one stage: found, its tail from the saddle point (the exact recursion was quadratic: 17.8 s at 32,000 deals), its start the day after the last exit", () => {
    // 7 deals a day enter proposal and leave it after 6..17 days, until day 380; from then on none leaves
    const r = rng(9);
    const dealEvents: DealEventRow[] = [];
    for (let d = 0; d <= 700; d++) {
      for (let j = 0; j < 7; j++) {
        const deal_id = `A-${d}-${j}`;
        dealEvents.push({ deal_id, customer_id: "A-C", stage: "proposal", entered_at: day(d), rep_id: "A", amount: 100 });
        const exit = d + 6 + Math.floor(r() * 12);
        if (exit < 380) dealEvents.push({ deal_id, customer_id: "A-C", stage: j % 3 ? "lost" : "won", entered_at: day(exit), rep_id: "A" });
      }
    }
    const { dataset: ds } = fromRowsSync({ orders, dealEvents });
    const signals = detectPipelineStall(ds, { asOf: formatDay(parseDay(day(700))) });
    expect(signals.map((s) => [s.repId, s.stage])).toEqual([["A", "proposal"]]);
    const s = signals[0]!;
    expect(s.evidence.stuck).toBeGreaterThan(2000);
    expect(s.evidence.inStage * s.evidence.stuck).toBeGreaterThan(EXACT_CELLS); // beyond the exact recursion
    // the stall starts the day after the last exit (day 379 or earlier): every candidate day's tail
    // is far below 1e-300, which read as 1e-300 before, so the scan kept its first day, day 335, a
    // year before asOf; in logs the strongest day is the true one
    expect(s.since).toBe(formatDay(parseDay(day(379))));
    expect(s.evidence.pValue).toBe(1e-300);
    expect(s.evidence.surprise).toBeGreaterThan(5000);
  });
});

describe("detectPipelineStall: stuck deals without an amount (review 2026-12-07)", () => {
  it("says their amounts are unknown, not 'about 0 of expected revenue'", async () => {
    const dealEvents: DealEventRow[] = [];
    for (let k = 0; k < 24; k++) {
      const start = new Date(Date.UTC(2025, 0, 5 + 14 * k));
      dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: "proposal", entered_at: start, rep_id: "R1" });
      if (k < 20) dealEvents.push({ deal_id: `D${k}`, customer_id: "C1", stage: k % 2 ? "won" : "lost", rep_id: "R1", entered_at: new Date(start.getTime() + (8 + (k % 5)) * 86_400_000) });
    }
    const orders = [{ order_id: "1", order_date: "2025-12-01", customer_id: "C1", product_id: "P", quantity: 1, unit_price: 10, unit_cost: 6 }];
    const { dataset } = fromRowsSync({ orders, dealEvents });
    const [en] = detectPipelineStall(dataset, { asOf: "2026-02-15" });
    const [he] = detectPipelineStall(dataset, { asOf: "2026-02-15", locale: "he" });
    expect([en?.evidence.stuck, en?.evidence.pricedDeals, en?.valueAtRisk]).toEqual([4, 0, 0]);
    expect(en?.message).toMatch(/; their amounts are unknown$/);
    expect(he?.message).toMatch(/הסכומים שלהן אינם ידועים/);
    expect(he?.message).not.toMatch(/כ-0/);
    // one of the four with an amount: its value, said to be one deal's (self-review 2026-12-07)
    const one = fromRowsSync({ orders, dealEvents: dealEvents.map((e) => (e.deal_id === "D20" && e.stage === "proposal" ? { ...e, amount: 1000 } : e)) }).dataset;
    const [part] = detectPipelineStall(one, { asOf: "2026-02-15" });
    expect(part?.evidence.pricedDeals).toBe(1);
    expect(part?.message).toMatch(/of expected (margin|revenue) \(1 of 4 with an amount\)$/);
    // and the manager's brief shows no "(0)" for the unpriced stall
    const { analyze } = await import("../analyze.ts");
    const { weeklyBrief } = await import("../tasks/weekly-brief.ts");
    const withReps = fromRowsSync({ orders, dealEvents, reps: [{ rep_id: "R1", manager_id: "M1" }, { rep_id: "M1" }] }).dataset;
    const brief = weeklyBrief(analyze(withReps, { asOf: "2026-02-15" }), { managerId: "M1", format: "markdown" }) as unknown as string;
    expect(brief).toMatch(/Rep R1: 4 deals stuck in proposal since [^\n]* \(amounts unknown\)\n/);
    expect(brief).not.toMatch(/stuck in proposal since [^\n]*\(0\)/);
  });
});
