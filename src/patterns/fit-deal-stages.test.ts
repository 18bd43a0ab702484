import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochDay } from "../data/epoch-day.ts";
import { formatDay } from "../data/format-day.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { DealEventRow } from "../data/rows.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { fitDealStages } from "./fit-deal-stages.ts";
import { studentTCdf } from "./internal/student-t.ts";
import { expectInvalid } from "../../test/support/expect-invalid.ts";

type Ev = [stage: string, day: string];

/** One deal as rows: its stages with their entry days. */
function deal(id: string, rep: string, amount: number, ...stages: Ev[]): DealEventRow[] {
  return stages.map(([stage, entered_at]) => ({ deal_id: id, customer_id: `C-${id}`, stage, entered_at, rep_id: rep, amount }));
}

const build = (rows: DealEventRow[]): ReturnType<typeof fromRowsSync>["dataset"] => fromRowsSync({ orders: [], dealEvents: rows }).dataset;

/** Deterministic pseudo-random in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const ss = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0);
};


describe("fitDealStages: a hand-built pipeline", () => {
  // rep A: A1 lead 4 d -> proposal 10 d -> won; A2 proposal 20 d -> lost; A3 proposal 5 d -> negotiation 5 d -> won
  // rep B: B1 proposal 8 d -> won; B2 lead 3 d -> lost; B3 proposal 20 d -> lost
  const rows = [
    ...deal("A1", "A", 1000, ["lead", "2026-01-01"], ["proposal", "2026-01-05"], ["won", "2026-01-15"]),
    ...deal("A2", "A", 2000, ["proposal", "2026-01-01"], ["lost", "2026-01-21"]),
    ...deal("A3", "A", 3000, ["proposal", "2026-01-10"], ["negotiation", "2026-01-15"], ["won", "2026-01-20"]),
    ...deal("B1", "B", 400, ["proposal", "2026-01-02"], ["won", "2026-01-10"]),
    ...deal("B2", "B", 500, ["lead", "2026-01-03"], ["lost", "2026-01-06"]),
    ...deal("B3", "B", 600, ["proposal", "2026-01-05"], ["lost", "2026-01-25"]),
  ];
  const model = fitDealStages(build(rows), { asOf: "2026-02-01" });

  it("counts stays, outcomes and empirical quantiles", () => {
    const p = model.stage("proposal")!;
    expect(p.repId).toBeNull();
    expect([p.entered, p.completed, p.advanced, p.lost, p.open]).toEqual([5, 5, 3, 2, 0]);
    // sorted stays 5, 8, 10, 20, 20; type-7 quantiles: h = 4p
    expect(p.quantiles).toEqual({ p10: 5 + 0.4 * 3, p25: 8, p50: 10, p75: 20, p90: 20 });
    const lead = model.stage("lead")!;
    expect([lead.entered, lead.completed, lead.advanced, lead.lost]).toEqual([2, 2, 1, 1]);
    expect(model.stage("negotiation")!.completed).toBe(1);
    expect(model.stage("won")).toBeUndefined();
    expect(model.stage("proposal", "nobody")).toBeUndefined();
    expect(model.stages().map((r) => `${r.stage}:${r.repId ?? "team"}`)).toEqual(
      ["lead", "qualified", "proposal", "negotiation"].flatMap((s) => [`${s}:team`, `${s}:A`, `${s}:B`]),
    );
  });

  it("team stay: log-normal with the t predictive t_{n-1}(ȳ, s²(1 + 1/n))", () => {
    const ys = [10, 20, 5, 8, 20].map(Math.log);
    const s2 = ss(ys) / 4;
    const p = model.stage("proposal")!;
    expect(p.posterior.mu).toBeCloseTo(mean(ys), 12);
    expect(p.posterior.sigma2).toBeCloseTo(s2, 12);
    expect(p.posterior.nu).toBe(4);
    expect(p.posterior.scale).toBeCloseTo(Math.sqrt(s2 * 1.2), 12);
    expect(p.typicalDays).toBeCloseTo(Math.exp(mean(ys)), 10);
    expect(p.deadShare).toBe(0);
    expect(model.durationPercentile("proposal", null, 30)).toBeCloseTo(studentTCdf((Math.log(30) - mean(ys)) / Math.sqrt(s2 * 1.2), 4), 12);
  });

  it("rep stay: shrunk to the team (τ² = 0.1 by default with too few stays, σ² ~ IG(3, 2·s²_team))", () => {
    const team = [10, 20, 5, 8, 20].map(Math.log);
    const mu0 = mean(team);
    const b0 = 2 * (ss(team) / 4);
    const ys = [10, 20, 5].map(Math.log); // rep A
    const a = 3 + 3 / 2;
    const b = b0 + ss(ys) / 2;
    const sigma2 = b / (a - 1);
    const precision = 1 / 0.1 + 3 / sigma2;
    const mu = (mu0 / 0.1 + (3 * mean(ys)) / sigma2) / precision;
    const r = model.stage("proposal", "A")!;
    expect(r.posterior.sigma2).toBeCloseTo(sigma2, 12);
    expect(r.posterior.mu).toBeCloseTo(mu, 12);
    expect(r.posterior.nu).toBe(2 * a);
    expect(r.posterior.scale).toBeCloseTo(Math.sqrt(sigma2 + 1 / precision), 12);
    expect(model.durationPercentile("proposal", "A", 12)).toBeCloseTo(studentTCdf((Math.log(12) - mu) / Math.sqrt(sigma2 + 1 / precision), 2 * a), 12);
  });

  it("win probability: team rate, and reps shrunk by Beta(10·p, 10·(1 − p)) (default strength with few deals)", () => {
    const p = model.stage("proposal")!;
    expect([p.wins, p.closed, p.trials]).toEqual([3, 5, 5]);
    expect(p.winProbability).toBeCloseTo(0.6, 12);
    expect(model.stage("proposal", "A")!.winProbability).toBeCloseTo((2 + 6) / (3 + 10), 12);
    expect(model.stage("proposal", "B")!.winProbability).toBeCloseTo((1 + 6) / (2 + 10), 12);
    expect(model.stage("lead")!.winProbability).toBeCloseTo(0.5, 12);
    expect(model.stage("negotiation")!.winProbability).toBeCloseTo(1, 12);
    expect(model.stage("qualified")!.winProbability).toBeUndefined();
  });

  it("closed deals: status, win probability 0 or 1, expected value", () => {
    expect(model.deal("A1")).toEqual({
      dealId: "A1",
      customerId: "C-A1",
      repId: "A",
      stage: "won",
      enteredAt: "2026-01-15",
      daysInStage: 17,
      durationPercentile: undefined,
      deadProbability: 0,
      winProbability: 1,
      amount: 1000,
      expectedValue: 1000,
      status: "won",
    });
    expect(model.deal("B2")).toMatchObject({ status: "lost", winProbability: 0, expectedValue: 0 });
    expect(model.deal("nope")).toBeUndefined();
    expect(model.openDeals()).toEqual([]);
    expect(model.asOf).toBe("2026-02-01");
  });

  it("an open deal: percentile from the rep's predictive, value = amount × win probability", () => {
    const m = fitDealStages(build([...rows, ...deal("A4", "A", 5000, ["proposal", "2026-01-20"])]), { asOf: "2026-02-01" });
    const d = m.deal("A4")!;
    expect(d).toMatchObject({ status: "open", stage: "proposal", daysInStage: 12, amount: 5000 });
    expect(d.durationPercentile).toBeCloseTo(m.durationPercentile("proposal", "A", 12)!, 12);
    expect(d.winProbability!).toBeGreaterThan(0);
    expect(d.winProbability!).toBeLessThanOrEqual(m.stage("proposal", "A")!.winProbability!);
    expect(d.expectedValue).toBeCloseTo(5000 * d.winProbability!, 9);
    expect(m.openDeals().map((x) => x.dealId)).toEqual(["A4"]);
    // the open stay is not a completed one
    expect(m.stage("proposal")!.completed).toBe(5);
    expect(m.stage("proposal")!.open).toBe(1);
    expect(m.stage("proposal")!.quantiles).toEqual(model.stage("proposal")!.quantiles);
  });

  it("rejects bad options with INVALID_OPTION", () => {
    const ds = build(rows);
    expectInvalid(() => fitDealStages(ds, { asOf: "2026-13-01" }));
    expectInvalid(() => fitDealStages(ds, { asOf: true as unknown as string }));
    expectInvalid(() => fitDealStages(ds, { minRepDeals: 1 }));
    expectInvalid(() => fitDealStages(ds, { minRepDeals: 2.5 }));
    expectInvalid(() => fitDealStages(ds, { priorShape: 1 }));
    expectInvalid(() => fitDealStages(ds, null as unknown as object));
  });

  it("never throws on odd data: empty, same-day moves, no rep, no amount", () => {
    const empty = fitDealStages(fromRowsSync({ orders: [] }).dataset);
    expect(empty.stages().length).toBe(4);
    expect(empty.openDeals()).toEqual([]);
    const odd: DealEventRow[] = [
      { deal_id: "X", customer_id: "C", stage: "lead", entered_at: "2026-01-01" },
      { deal_id: "X", customer_id: "C", stage: "proposal", entered_at: "2026-01-01" },
      { deal_id: "Y", customer_id: "C", stage: "proposal", entered_at: "2026-01-01" },
    ];
    const m = fitDealStages(build(odd), { asOf: "2026-01-05" });
    expect(m.deal("X")).toMatchObject({ repId: undefined, amount: undefined, expectedValue: undefined, daysInStage: 4 });
    expect(Number.isFinite(m.deal("Y")!.durationPercentile)).toBe(true);
    expect(m.stage("lead")!.quantiles!.p50).toBe(0);
  });
});

describe("fitDealStages: censoring", () => {
  const base = (): DealEventRow[] => {
    const rows: DealEventRow[] = [];
    const r = rng(3);
    for (let k = 0; k < 40; k++) {
      const start = epochDay(2025, 1, 1) + 5 * k;
      const dur = Math.round(10 * Math.exp(0.3 * (r() + r() + r() - 1.5)));
      rows.push(...deal(`D${k}`, k % 2 ? "A" : "B", 100, ["proposal", formatDay(start)], [k % 3 ? "won" : "lost", formatDay(start + dur)]));
    }
    return rows;
  };
  const asOf = epochDay(2025, 12, 31);

  /** Team-only proposal stays (no rep): completed stays of the given days, open stays of the given elapsed days at `asOf`. */
  const teamStays = (completed: number[], open: number[]): ReturnType<typeof fitDealStages> => {
    const rows: DealEventRow[] = [];
    const ev = (id: string, stage: string, day: number): DealEventRow => ({ deal_id: id, customer_id: `C-${id}`, stage, entered_at: formatDay(day), amount: 100 });
    completed.forEach((d, k) => rows.push(ev(`D${k}`, "proposal", asOf - 150 + k), ev(`D${k}`, "won", asOf - 150 + k + d)));
    open.forEach((e, k) => rows.push(ev(`O${k}`, "proposal", asOf - e)));
    return fitDealStages(build(rows), { asOf });
  };

  it("one completed stay: μ and σ² stay at the weak default (the stay, σ² = 1), only the dead share is fitted", () => {
    // before: the open stays' imputed tails fed the mean they were imputed from (typicalDays 4.8e23)
    const m = teamStays([10], [23, 30]);
    const t = m.stage("proposal")!;
    expect(t.typicalDays).toBeCloseTo(10, 10);
    expect(t.posterior).toMatchObject({ sigma2: 1, muVariance: 1, nu: 1 });
    expect(t.posterior.scale).toBeCloseTo(Math.SQRT2, 12);
    expect(m.durationPercentile("proposal", null, 40)).toBeCloseTo(studentTCdf(Math.log(4) / Math.SQRT2, 1), 12);
    expect(m.durationPercentile("proposal", null, 40)!).toBeGreaterThan(0.7);
    // π is the EM's fixed point: the mean over the 3 stays of P(dead), 0 for the completed one
    const z = [m.deal("O0")!.deadProbability, m.deal("O1")!.deadProbability];
    expect(t.deadShare).toBeGreaterThan(0);
    expect(t.deadShare).toBeLessThan(1);
    expect(t.deadShare).toBeCloseTo((z[0]! + z[1]!) / 3, 8);
    expect(z[1]!).toBeGreaterThan(z[0]!);
  });

  it("no completed stay: the documented weak default (median 14 days, σ² = 1), no dead share", () => {
    // before: typicalDays 880; the dead share is not identified without a completed stay (the
    // likelihood grows up to π = 1, every open stay dead however young)
    const m = teamStays([], [5, 30]);
    const t = m.stage("proposal")!;
    expect(t.typicalDays).toBeCloseTo(14, 10);
    expect(t.posterior).toMatchObject({ sigma2: 1, muVariance: 1, nu: 1 });
    expect(t.deadShare).toBe(0);
    expect(m.durationPercentile("proposal", null, 40)).toBeCloseTo(studentTCdf(Math.log(40 / 14) / Math.SQRT2, 1), 12);
    expect(m.deal("O1")).toMatchObject({ deadProbability: 0, winProbability: undefined, daysInStage: 30 });
  });

  it("EM runs to convergence: a dead share heading to 0 converges slowly (3,296 rounds here)", () => {
    // at the former cap of 500 rounds: typicalDays 29.1 and deadShare 0.28, mid-way to the fixed point
    const t = teamStays([10, 12, 17, 29], [45, 30, 39, 23, 18, 14, 36]).stage("proposal")!;
    expect(t.typicalDays).toBeCloseTo(44.5532, 3);
    expect(t.posterior.sigma2).toBeCloseTo(1.1842, 3);
    expect(t.deadShare).toBeLessThan(1e-6);
  });

  it("recent deals: the censoring-aware fit recovers the stay that completed stays alone underestimate", () => {
    // 300 deals entered proposal over the last 30 days; true stay log-normal, median 15 days, log-sd ~0.6
    const r = rng(8);
    const rows: DealEventRow[] = [];
    const done: number[] = [];
    for (let k = 0; k < 300; k++) {
      const start = asOf - Math.floor(r() * 30);
      const dur = Math.max(1, Math.round(15 * Math.exp(1.2 * (r() + r() + r() - 1.5))));
      if (start + dur <= asOf) {
        done.push(dur);
        rows.push(...deal(`D${k}`, "A", 100, ["proposal", formatDay(start)], ["won", formatDay(start + dur)]));
      } else rows.push(...deal(`D${k}`, "A", 100, ["proposal", formatDay(start)]));
    }
    const m = fitDealStages(build(rows), { asOf });
    const t = m.stage("proposal")!;
    const naive = Math.exp(mean(done.map(Math.log)));
    expect(t.completed).toBe(done.length);
    expect(t.open).toBe(300 - done.length);
    expect(naive).toBeLessThan(12); // completed stays alone: biased short
    expect(Math.abs(t.typicalDays - 15)).toBeLessThan(2);
    expect(t.deadShare).toBeLessThan(0.05); // the open stays are consistent with the stay distribution
  });

  it("stays far beyond the usual count as dead: dead share, win trials, deal value", () => {
    const rows = base();
    const without = fitDealStages(build(rows), { asOf });
    for (let k = 0; k < 5; k++) rows.push(...deal(`S${k}`, "A", 1000, ["proposal", formatDay(asOf - 200 - k)]));
    rows.push(...deal("FRESH", "A", 1000, ["proposal", formatDay(asOf - 1)]));
    const m = fitDealStages(build(rows), { asOf });
    const t = m.stage("proposal")!;
    expect(t.deadShare).toBeGreaterThan(0.08);
    expect(t.trials).toBeCloseTo(t.closed + 5 + m.deal("FRESH")!.deadProbability, 6);
    expect(t.winProbability!).toBeLessThan(without.stage("proposal")!.winProbability!);
    const stuck = m.deal("S0")!;
    expect(stuck.deadProbability).toBeGreaterThan(0.999);
    expect(stuck.durationPercentile).toBeGreaterThan(0.999);
    expect(stuck.winProbability!).toBeLessThan(0.001);
    const fresh = m.deal("FRESH")!;
    expect(fresh.deadProbability).toBeLessThan(0.3);
    expect(fresh.winProbability!).toBeGreaterThan(0.5 * m.stage("proposal", "A")!.winProbability!);
    expect(m.openDeals()[m.openDeals().length - 1]!.dealId).toBe("FRESH");
    expect(m.openDeals().slice(0, 5).map((d) => d.dealId).sort()).toEqual(["S0", "S1", "S2", "S3", "S4"]);
  });
});

describe("fitDealStages: shrinkage", () => {
  const rows: DealEventRow[] = [];
  const r = rng(5);
  for (const rep of ["R1", "R2", "R3", "R4", "R5"]) {
    for (let k = 0; k < 30; k++) {
      const start = epochDay(2025, 1, 1) + 7 * k + Math.floor(r() * 5);
      const dur = Math.max(1, Math.round(12 * Math.exp(1.2 * (r() + r() + r() - 1.5))));
      rows.push(...deal(`${rep}-${k}`, rep, 100, ["proposal", formatDay(start)], [r() < 0.5 ? "won" : "lost", formatDay(start + dur)]));
    }
  }
  // a new rep: two quick wins
  rows.push(...deal("N-1", "NEW", 100, ["proposal", "2025-06-01"], ["won", "2025-06-03"]));
  rows.push(...deal("N-2", "NEW", 100, ["proposal", "2025-07-01"], ["won", "2025-07-03"]));
  const model = fitDealStages(build(rows), { asOf: "2025-12-31" });

  it("a rep with 2 deals gets near-team numbers", () => {
    const team = model.stage("proposal")!;
    const rep = model.stage("proposal", "NEW")!;
    expect(rep.wins).toBe(2);
    expect(Math.abs(rep.winProbability! - team.winProbability!)).toBeLessThan(0.1); // raw rate 1
    expect(rep.typicalDays).toBeGreaterThan(0.7 * team.typicalDays); // raw stays: 2 days
    expect(model.durationPercentile("proposal", "NEW", 12)!).toBeLessThan(0.75);
  });

  it("an unknown rep gets the team's predictive", () => {
    expect(model.durationPercentile("proposal", "GHOST", 20)).toBe(model.durationPercentile("proposal", null, 20));
  });
});

describe("fitDealStages: as of", () => {
  it("events after asOf change nothing (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 200 }), (seed, cut) => {
        const r = rng(seed);
        const rows: DealEventRow[] = [];
        const stages = ["lead", "qualified", "proposal", "negotiation"];
        for (let k = 0; k < 25; k++) {
          let d = epochDay(2025, 1, 1) + Math.floor(r() * 200);
          const rep = `R${Math.floor(r() * 3)}`;
          for (let s = 0; s < 4; s++) {
            rows.push(...deal(`D${k}`, rep, 100 + k, [stages[s]!, formatDay(d)]));
            d += 1 + Math.floor(r() * 30);
            if (r() < 0.25) {
              rows.push(...deal(`D${k}`, rep, 100 + k, ["lost", formatDay(d)]));
              break;
            }
            if (s === 3) rows.push(...deal(`D${k}`, rep, 100 + k, ["won", formatDay(d)]));
          }
        }
        const asOf = epochDay(2025, 1, 1) + cut;
        const visible = rows.filter((x) => String(x.entered_at) <= formatDay(asOf));
        const a = fitDealStages(build(rows), { asOf });
        const b = fitDealStages(build(visible), { asOf });
        expect(a.stages()).toEqual(b.stages());
        expect(a.openDeals()).toEqual(b.openDeals());
        for (const x of visible) expect(a.deal(String(x.deal_id))).toEqual(b.deal(String(x.deal_id)));
        for (const x of rows) if (!visible.some((v) => v.deal_id === x.deal_id)) expect(a.deal(String(x.deal_id))).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });
});

describe("fitDealStages: synthetic distributor with a planted pipeline stall", () => {
  const s = generateSyntheticDistributor({ seed: 11, customers: 300, products: 80, years: 2 });
  const stall = s.truth.events.find((e) => e.type === "pipeline_stall")!;
  const { dataset } = fromRowsSync({ orders: [], dealEvents: s.dealEvents });
  const before = fitDealStages(dataset, { asOf: stall.start });
  const after = fitDealStages(dataset, { asOf: s.truth.end });
  const rep = stall.repId!;

  it("after the stall, the rep's older open proposal deals are highly unusual", () => {
    expect(stall.stage).toBe("proposal");
    const stuck = after.openDeals().filter((d) => d.repId === rep && d.stage === "proposal" && d.daysInStage >= 60);
    expect(stuck.length).toBeGreaterThanOrEqual(5);
    for (const d of stuck) {
      expect(d.durationPercentile!).toBeGreaterThan(0.97);
      expect(d.deadProbability).toBeGreaterThan(0.9);
    }
    // the most unusual open deals are the stalled rep's
    const top = after.openDeals().slice(0, stuck.length);
    expect(top.filter((d) => d.repId === rep).length).toBeGreaterThanOrEqual(Math.ceil(0.9 * stuck.length));
  });

  it("the rep's proposal win probability and throughput drop; the other reps' do not", () => {
    const b = before.stage("proposal", rep)!;
    const a = after.stage("proposal", rep)!;
    expect(a.winProbability!).toBeLessThan(b.winProbability! - 0.05);
    expect(a.deadShare).toBeGreaterThan(b.deadShare + 0.1);
    // throughput: stays completed since the stall, per deal that entered proposal since
    expect((a.completed - b.completed) / (a.entered - b.entered)).toBeLessThan(0.2);
    for (const other of after.stages().filter((x) => x.stage === "proposal" && x.repId !== null && x.repId !== rep)) {
      expect(other.deadShare).toBeLessThan(0.05);
      expect((other.completed - before.stage("proposal", other.repId)!.completed) / (other.entered - before.stage("proposal", other.repId)!.entered)).toBeGreaterThan(0.8);
    }
  });
});
