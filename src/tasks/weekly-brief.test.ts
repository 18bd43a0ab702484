import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod/mini";
import { beforeAll, describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { analyze } from "../analyze.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { fitPatterns } from "../patterns/fit-patterns.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { weeklyBriefSchema } from "./brief-schema.ts";
import type { WeeklyBrief } from "./brief-types.ts";
import { briefView } from "./internal/brief-view.ts";
import { taskFixture } from "./internal/task-fixture.ts";
import { rankTasks } from "./rank-tasks.ts";
import type { Analysis, RankedTasks } from "./types.ts";
import { weeklyBrief } from "./weekly-brief.ts";
import type { KpiDropChartEvidence, ProductVanishingEvidence, SignalOf } from "../signals/types.ts";

const valid = (x: unknown): boolean => weeklyBriefSchema.safeParse(JSON.parse(JSON.stringify(x))).success;

describe("weeklyBrief: small fixture", () => {
  const threeCustomers = [
    { id: "C1", repId: "R1", parts: [{ type: "customer_overdue" as const, value: 1000 }] },
    { id: "C2", repId: "R2", parts: [{ type: "customer_overdue" as const, value: 500 }] },
    { id: "C3", repId: "R3", parts: [{ type: "customer_overdue" as const, value: 700 }] },
  ];
  const a: Analysis = taskFixture(
    threeCustomers,
    "2026-11-02",
    {
      reps: [
        { repId: "M1", name: "Maya", managerId: undefined },
        { repId: "R1", name: "Ron", managerId: "M1" },
        { repId: "R2", name: "Dana", managerId: "M1" },
        { repId: "R3", name: "Omer", managerId: undefined },
      ],
      kpis: {
        period: "week",
        current: { label: "2026-W44", start: "2026-10-26", end: "2026-11-01" },
        previous: { label: "2026-W43", start: "2026-10-19", end: "2026-10-25" },
        company: [],
        reps: [
          { kpi: "revenue", repId: "R1", current: 120, previous: 100, change: 20, changePct: 0.2 },
          { kpi: "revenue", repId: "R2", current: 60, previous: 80, change: -20, changePct: -0.25 },
          { kpi: "margin", repId: "R1", current: 0.25, previous: 0.2, change: 0.05, changePct: 0.25, parts: { numerator: 30, denominator: 120, previousNumerator: 20, previousDenominator: 100 } },
          { kpi: "margin", repId: "R2", current: 0.1, previous: 0.25, change: -0.15, changePct: -0.6, parts: { numerator: 6, denominator: 60, previousNumerator: 20, previousDenominator: 80 } },
        ],
      },
      targets: [
        { repId: "R1", period: "2026-11", kpi: "revenue", actual: 150, target: 400, progress: 0.375, elapsed: 2 / 30, start: "2026-11-01", end: "2026-11-30", status: "ok" },
        { repId: "R2", period: "2026-11", kpi: "revenue", actual: 60, target: 200, progress: 0.3, elapsed: 2 / 30, start: "2026-11-01", end: "2026-11-30", status: "ok" },
      ],
    },
  );

  it("manager brief: every rep below the manager, a manager's own task, and refusals (review 2026-12-07)", () => {
    // V1 manages M1 and M2; M1 manages R1 and R2, M2 manages R3; M2 owns nothing, M1 works a prospect
    const org = taskFixture(
      [...threeCustomers, { id: "P9", repId: "M1", parts: [{ type: "customer_overdue", value: 300 }] }],
      "2026-11-02",
      {
        reps: [
          { repId: "V1", name: "Vera", managerId: undefined },
          { repId: "M1", name: "Maya", managerId: "V1" },
          { repId: "M2", name: "Max", managerId: "V1" },
          { repId: "R1", name: "Ron", managerId: "M1" },
          { repId: "R2", name: "Dana", managerId: "M1" },
          { repId: "R3", name: "Omer", managerId: "M2" },
        ],
      },
    );
    const top = weeklyBrief(org, { managerId: "V1" });
    expect(top.reps.map((r) => r.repId)).toEqual(["M1", "R1", "R2", "R3"]); // M2 owns nothing and has no task: no row
    expect(top.tasks.map((t) => t.id).sort()).toEqual(["task:C1", "task:C2", "task:C3", "task:P9"]);
    expect(weeklyBrief(org, { managerId: "M1" }).reps.map((r) => r.repId)).toEqual(["M1", "R1", "R2"]);
    // a rep who manages nobody, and a brief of another rep from a one-rep analysis
    expect(() => weeklyBrief(org, { managerId: "R1" })).toThrow(/invalid option managerId: manages no rep in the analysis/);
    const one = { ...org, repId: "R1" };
    expect(weeklyBrief(one, { repId: "R1" }).kind).toBe("rep");
    for (const o of [{ repId: "R2" }, { managerId: "M1" }, {}]) expect(() => weeklyBrief(one, o)).toThrow(/the analysis holds rep R1's customers only/);
  });

  it("a ranking of another tenant's data is refused as tasks (review 2026-12-07: its customers, deals and money were shown under this one's name)", () => {
    const asOf = "2026-10-31";
    const tenant = (seed: number, prefix: string): Analysis => {
      const s = generateSyntheticDistributor({ seed, customers: 40 });
      const re = (id: string | number): string => prefix + String(id);
      const orders = s.orders.map((o) => ({ ...o, customer_id: re(o.customer_id) }));
      const customers = s.customers.map((c) => ({ ...c, customer_id: re(c.customer_id) }));
      const dealEvents = s.dealEvents.map((e) => ({ ...e, customer_id: re(e.customer_id) }));
      return analyze(fromRowsSync({ ...s, orders, customers, dealEvents }).dataset, { asOf });
    };
    const a = tenant(1, ""), b = tenant(2, ""), c = tenant(3, "X");
    expect(() => weeklyBrief(a, { tasks: rankTasks(a) })).not.toThrow();
    expectInvalid(() => weeklyBrief(b, { tasks: rankTasks(a) }), "tasks"); // the same ids, other data
    expectInvalid(() => weeklyBrief(c, { tasks: rankTasks(a) }), "tasks");
    // (a previous ranking of other data cannot be told from last week's: the analysis lists only
    // the customers that matter this week, a rep's own in a rep's analysis)
  });

  it("a rep who owns no account any more: its amounts read 0 and its running targets stay (review 2026-12-07: no KPI line, the targets dropped)", () => {
    const s = generateSyntheticDistributor({ seed: 1, customers: 40 });
    const customers = s.customers.map((c) => (c.rep_id === "R01" ? { ...c, rep_id: "R02" } : c));
    const a = analyze(fromRowsSync({ ...s, customers }).dataset, { asOf: "2026-10-31" });
    const b = weeklyBrief(a, { repId: "R01" });
    const revenue = b.kpis.find((k) => k.kpi === "revenue");
    expect(revenue).toMatchObject({ current: 0, previous: 0 });
    expect(revenue?.target).toBeGreaterThan(0);
  });

  it("rep brief: own tasks, own KPIs vs last period, team average and target", () => {
    const b = weeklyBrief(a, { repId: "R1" });
    expect(b.kind).toBe("rep");
    expect(b.title).toBe("Weekly brief for Ron, 2026-11-02");
    expect(b.tasks.map((t) => t.id)).toEqual(["task:C1"]);
    expect(b.tasks[0]?.headline).toBe("Name C1: Customer at risk, 1,000 at stake");
    expect(b.tasks[0]?.weekly).toEqual([1, 1, 0, 1]);
    const rev = b.kpis.find((k) => k.kpi === "revenue")!;
    expect(rev).toMatchObject({ current: 120, previous: 100, changePct: 0.2, teamAverage: 90, target: 400, targetProgress: 0.375, targetPeriod: "2026-11", targetActual: 150 });
    expect(rev.text).toBe("Revenue: 120 (+20% vs last period); team average 90; target 2026-11 400: 150 so far = 38% with 7% of 2026-11 gone");
    // the team's margin pooled, (30 + 6) ÷ (120 + 60) = 20% (the plain mean of the reps' margins
    // read 17.5%; review 2026-12-07)
    expect(b.kpis.find((k) => k.kpi === "margin")?.text).toBe("Gross margin: 25% (+5 pp vs last period); team average 20%");
    // a mate with only returns this week (no margin of its own, its parts negative) is pooled too,
    // and a team discount at list up to rounding is 0, not "-0%" (self-review 2026-12-07)
    const withReturns: Analysis = {
      ...a,
      kpis: {
        ...a.kpis,
        reps: [
          ...a.kpis.reps.filter((f) => f.kpi !== "margin" || f.repId === "R1"),
          { kpi: "margin", repId: "R2", current: undefined, previous: undefined, change: undefined, changePct: undefined, parts: { numerator: -25, denominator: -50, previousNumerator: 0, previousDenominator: 0 } },
          { kpi: "discount_rate", repId: "R1", current: -2.220446049250313e-16, previous: undefined, change: undefined, changePct: undefined, parts: { numerator: 44.400000000000006, denominator: 44.4, previousNumerator: 0, previousDenominator: 0 } },
        ],
      },
    };
    const b2 = weeklyBrief(withReturns, { repId: "R1" });
    expect(b2.kpis.find((k) => k.kpi === "margin")?.teamAverage).toBeCloseTo(5 / 70, 12); // (30 − 25) ÷ (120 − 50)
    expect(b2.kpis.find((k) => k.kpi === "discount_rate")?.teamAverage).toBe(0);
    expect(valid(b)).toBe(true);
    // the schema refuses what no brief holds (review 2026-12-07: an impossible day, rank 0 and a
    // negative count passed): days are calendar days, ranks from 1, counts whole, shares in [0, 1]
    const json = JSON.parse(JSON.stringify(b)) as Record<string, unknown> & { tasks: Record<string, unknown>[] };
    const task = json.tasks[0]!;
    const broken: unknown[] = [
      { ...json, asOf: "2026-02-31" },
      { ...json, asOf: "2026-11-2" },
      { ...json, tasks: [{ ...task, rank: 0 }] },
      { ...json, tasks: [{ ...task, rank: 1.5 }] },
      { ...json, tasks: [{ ...task, firstShown: "yesterday" }] },
      { ...json, tasks: [{ ...task, weekly: [1, -1] }] },
      { ...json, tasks: [{ ...task, signals: [{ id: "s", type: "t", since: "2026-13-01", value: 1, severity: 0.5 }] }] },
      { ...json, tasks: [{ ...task, signals: [{ id: "s", type: "t", since: "2026-10-01", value: 1, severity: 1.5 }] }] },
      { ...json, reps: [{ repId: "R1", tasks: -1, value: 0 }] },
    ];
    for (const x of broken) expect(weeklyBriefSchema.safeParse(x).success).toBe(false);
    expect(weeklyBriefSchema.safeParse({ ...json, asOf: "2024-02-29" }).success).toBe(true);
  });

  it("manager brief: team pooled KPIs and summed targets, top tasks across the team, rep rows", () => {
    const m = weeklyBrief(a, { managerId: "M1", locale: "he" });
    expect(m.kind).toBe("manager");
    expect(m.team).toEqual(["R1", "R2"]);
    expect(m.tasks.map((t) => t.id)).toEqual(["task:C1", "task:C2"]);
    const rev = m.kpis.find((k) => k.kpi === "revenue")!;
    expect(rev).toMatchObject({ current: 180, previous: 180, change: 0, target: 600, targetProgress: 0.35, targetPeriod: "2026-11", targetActual: 210 });
    expect(m.kpis.find((k) => k.kpi === "margin")?.current).toBeCloseTo(36 / 180, 12); // pooled, not averaged
    expect(m.reps.map((r) => [r.repId, r.tasks, r.revenue])).toEqual([["R1", 1, 120], ["R2", 1, 60]]);
    expect(m.title).toBe("סיכום צוות עבור \u2068Maya\u2069, 2026-11-02");
    expect(valid(m)).toBe(true);
    // one task is "1 task" / "משימה אחת", never "1 tasks"
    const mdEn = weeklyBrief(a, { managerId: "M1", format: "markdown" });
    expect(mdEn).toMatch(/Ron \(R1\): 1 task, /);
    expect(mdEn).not.toMatch(/: 1 tasks/);
    expect(weeklyBrief(a, { managerId: "M1", format: "markdown", locale: "he" })).toContain("משימה אחת");
    // Hebrew signs are led by a left-to-right mark (RTL layout keeps "+20" before its number)
    expect(weeklyBrief(a, { repId: "R1", locale: "he" }).kpis.find((k) => k.kpi === "revenue")?.text).toContain("\u200E+20");
    const c = weeklyBrief(a, {});
    expect(c.kind).toBe("company");
    expect(c.tasks.map((t) => t.id)).toEqual(["task:C1", "task:C3", "task:C2"]);
  });

  it("manager brief: targets of different periods are not added up (the running period's, else the latest-starting one's, over the reps that have it)", () => {
    // R1 has its October target, R2 only its Q3 one: the team line is October's, R1's alone
    const mixed: Analysis = {
      ...a,
      targets: [
        { repId: "R1", period: "2026-10", kpi: "revenue", actual: 1500, target: 3100, progress: 1500 / 3100, elapsed: 15 / 31, start: "2026-10-01", end: "2026-10-31", status: "ok" },
        { repId: "R2", period: "2026-Q3", kpi: "revenue", actual: 9200, target: 9200, progress: 1, elapsed: 1, start: "2026-07-01", end: "2026-09-30", status: "ok" },
      ],
    };
    const rev = weeklyBrief(mixed, { managerId: "M1" }).kpis.find((k) => k.kpi === "revenue")!;
    expect(rev).toMatchObject({ target: 3100, targetActual: 1500, targetPeriod: "2026-10", targetElapsed: 15 / 31 });
    // a period still running at asOf (2026-11-02) before one that has ended, as analyze chooses
    // (review 2026-12-07: October, ended, beat Q4, running, and a month that had ended the year)
    const same: Analysis = { ...mixed, targets: [mixed.targets[0]!, { ...mixed.targets[1]!, period: "2026-Q4", start: "2026-10-01", end: "2026-12-31", elapsed: 33 / 92 }] };
    expect(weeklyBrief(same, { managerId: "M1" }).kpis.find((k) => k.kpi === "revenue")).toMatchObject({ target: 9200, targetPeriod: "2026-Q4" });
    const year: Analysis = { ...mixed, targets: [mixed.targets[0]!, { ...mixed.targets[1]!, period: "2026", start: "2026-01-01", end: "2026-12-31", elapsed: 306 / 365 }] };
    expect(weeklyBrief(year, { managerId: "M1" }).kpis.find((k) => k.kpi === "revenue")).toMatchObject({ target: 9200, targetPeriod: "2026" });
  });

  it("a follow-through with nothing shown last week: the JSON's summary is the rendered line, not '0 of 0 … (0%)'", () => {
    const ranked = rankTasks(a);
    const none: RankedTasks = { ...ranked, followThrough: { previousAsOf: "2026-10-26", items: [], byRep: [], history: [] } };
    const b = weeklyBrief(a, { managerId: "M1", tasks: none });
    // (until 2026-12-07 the JSON said "0 of 0 tasks from 2026-10-26 done (0%)")
    expect(b.followThrough?.text).toBe("No tasks were shown on Oct 26, 2026");
    expect(weeklyBrief(a, { managerId: "M1", tasks: none, format: "markdown" })).toContain("No tasks were shown on Oct 26, 2026");
    // with tasks: the same words as the Markdown, dates as the Markdown writes them
    const some: RankedTasks = { ...ranked, followThrough: { previousAsOf: "2026-10-26", items: [{ taskId: "task:C1", repId: "R1", customerId: "C1", status: "done", reassigned: false, ordered: true, offersBought: [], value: 1000 }], byRep: [], history: [] } };
    expect(weeklyBrief(a, { managerId: "M1", tasks: some }).followThrough?.text).toBe("1 of 1 task from Oct 26, 2026 done (100%)");
  });

  it("'Earlier weeks' names each rate by the day its tasks were shown (review 2026-12-07: by the day it was measured, a week later)", () => {
    const ranked = rankTasks(a);
    const week = (asOf: string, shownOn: string | undefined, shown: number, done: number) => ({ asOf, ...(shownOn !== undefined ? { shownOn } : {}), byRep: [{ repId: "R1", shown, done, rate: done / shown, valueDone: 0 }] });
    const tasks: RankedTasks = { ...ranked, followThrough: { previousAsOf: "2026-10-26", items: [], byRep: [], history: [week("2026-10-19", "2026-10-12", 17, 8), week("2026-10-26", "2026-10-19", 16, 9), week("2026-11-02", "2026-10-26", 1, 1)] } };
    const md = weeklyBrief(a, { managerId: "M1", tasks, format: "markdown" });
    expect(md).toContain("Oct 12, 2026 47%, Oct 19, 2026 56%");
    // a ranking saved before shownOn existed: its measuring day, as before
    const old: RankedTasks = { ...tasks, followThrough: { ...tasks.followThrough!, history: [week("2026-10-19", undefined, 17, 8), week("2026-11-02", "2026-10-26", 1, 1)] } };
    expect(weeklyBrief(a, { managerId: "M1", tasks: old, format: "markdown" })).toContain("Oct 19, 2026 47%");
  });

  it("company and manager briefs over several reps: each rep row, pooled KPI and summed target is the rep's own", () => {
    // R1 has two tasks (1,000 and 300), R2 one (500), R3 one (700), R4 and M1 none; C5 has no rep
    const many: Analysis = taskFixture(
      [
        { id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 1000 }] },
        { id: "C2", repId: "R1", parts: [{ type: "customer_overdue", value: 300 }] },
        { id: "C3", repId: "R2", parts: [{ type: "customer_overdue", value: 500 }] },
        { id: "C4", repId: "R3", parts: [{ type: "customer_overdue", value: 700 }] },
        { id: "C5", repId: null, parts: [{ type: "customer_overdue", value: 200 }] },
      ],
      "2026-11-02",
      {
        reps: [
          { repId: "M1", name: "Maya", managerId: undefined },
          { repId: "R1", name: "Ron", managerId: "M1" },
          { repId: "R2", name: "Dana", managerId: "M1" },
          { repId: "R3", name: "Omer", managerId: "M1" },
          { repId: "R4", name: "Tal", managerId: undefined },
        ],
        kpis: {
          ...a.kpis,
          company: [
            { kpi: "revenue", repId: null, current: 400, previous: 320, change: 80, changePct: 0.25 },
            { kpi: "gross_profit", repId: null, current: 160, previous: 128, change: 32, changePct: 0.25 },
          ],
          reps: [
            { kpi: "revenue", repId: "R1", current: 120, previous: 100, change: 20, changePct: 0.2 },
            { kpi: "active_customers", repId: "R1", current: 2, previous: 2, change: 0, changePct: 0 },
            { kpi: "revenue", repId: "R2", current: 60, previous: 80, change: -20, changePct: -0.25 },
            { kpi: "revenue", repId: "R3", current: 90, previous: 60, change: 30, changePct: 0.5 },
            { kpi: "active_customers", repId: "R3", current: 1, previous: 2, change: -1, changePct: -0.5 },
            { kpi: "revenue", repId: "R4", current: 130, previous: 80, change: 50, changePct: 0.625 },
          ],
        },
        // R1 and R2 have November's revenue target, R3 the fourth quarter's (started earlier: left
        // out), R4 a gross-profit one; R1's margin target is for a ratio (never summed)
        targets: [
          { repId: "R1", period: "2026-11", kpi: "gross_margin", actual: 0.25, target: 0.3, progress: 0.25 / 0.3, elapsed: 2 / 30, start: "2026-11-01", end: "2026-11-30", status: "ok" },
          { repId: "R1", period: "2026-11", kpi: "revenue", actual: 150, target: 400, progress: 0.375, elapsed: 2 / 30, start: "2026-11-01", end: "2026-11-30", status: "ok" },
          { repId: "R2", period: "2026-11", kpi: "revenue", actual: 60, target: 200, progress: 0.3, elapsed: 2 / 30, start: "2026-11-01", end: "2026-11-30", status: "ok" },
          { repId: "R3", period: "2026-Q4", kpi: "revenue", actual: 900, target: 3000, progress: 0.3, elapsed: 33 / 92, start: "2026-10-01", end: "2026-12-31", status: "ok" },
          { repId: "R4", period: "2026-11", kpi: "gross_profit", actual: 40, target: 100, progress: 0.4, elapsed: 2 / 30, start: "2026-11-01", end: "2026-11-30", status: "ok" },
        ],
      },
    );
    const ranked = rankTasks(many);
    const rate = (repId: string | null, shown: number, done: number) => ({ repId, shown, done, rate: done / shown, valueDone: 100 * done });
    const tasks: RankedTasks = { ...ranked, followThrough: { previousAsOf: "2026-10-26", items: [], byRep: [rate("R2", 4, 1), rate("R1", 2, 1), rate(null, 1, 1)], history: [] } };
    const rows = (b: WeeklyBrief) => b.reps.map((r) => [r.repId, r.name, r.tasks, r.value, r.revenue, r.revenueChangePct, r.followThroughRate]);
    const c = weeklyBrief(many, { tasks });
    // M1 manages but owns no account and has no task: no row (as in its own brief; until 2026-12-07
    // the company brief had "Maya (M1): 0 tasks, $0 at stake; revenue – (–)")
    expect(c.team).toEqual(["R1", "R2", "R3", "R4"]);
    expect(rows(c)).toEqual([
      ["R1", "Ron", 2, 1300, 120, 0.2, 0.5],
      ["R2", "Dana", 1, 500, 60, -0.25, 0.25],
      ["R3", "Omer", 1, 700, 90, 0.5, undefined],
      ["R4", "Tal", 0, 0, 130, 0.625, undefined],
    ]);
    expect(c.tasks.map((t) => t.id)).toEqual(["task:C1", "task:C4", "task:C3", "task:C2", "task:C5"]);
    // the company's revenue line, with November's targets of R1 and R2 summed
    expect(c.kpis.find((k) => k.kpi === "revenue")).toMatchObject({ current: 400, previous: 320, target: 600, targetActual: 210, targetProgress: 0.35, targetPeriod: "2026-11" });
    expect(c.kpis.find((k) => k.kpi === "gross_profit")).toMatchObject({ current: 160, target: 100, targetActual: 40, targetPeriod: "2026-11" });
    const m = weeklyBrief(many, { managerId: "M1", tasks });
    expect(m.team).toEqual(["R1", "R2", "R3"]);
    expect(rows(m)).toEqual(rows(c).slice(0, 3));
    // pooled over R1, R2 and R3 (not R4): revenue 120 + 60 + 90 against 100 + 80 + 60
    expect(m.kpis.find((k) => k.kpi === "revenue")).toMatchObject({ current: 270, previous: 240, change: 30, changePct: 0.125, target: 600, targetActual: 210, targetPeriod: "2026-11" });
    expect(m.kpis.find((k) => k.kpi === "active_customers")).toMatchObject({ current: 3, previous: 4 });
    expect(m.kpis.find((k) => k.kpi === "gross_profit")).toBeUndefined(); // no figure of the team's, no target
    expect(m.followThrough?.byRep).toEqual([rate("R2", 4, 1), rate("R1", 2, 1)]);
    expect(valid(c) && valid(m)).toBe(true);
  });

  it("an overdue customer's rhythm line says when its order was due, not a next date right after asOf", () => {
    // C1 overdue (its facts carry dueSince), C2 not
    const overdue: Analysis = { ...a, customers: a.customers.map((f) => (f.customerId === "C1" ? { ...f, expectedNext: "2026-11-03", dueSince: "2026-10-08" } : f)) };
    const m = weeklyBrief(overdue, { managerId: "M1" });
    expect(m.tasks.map((t) => [t.customerId, t.dueSince])).toEqual([["C1", "2026-10-08"], ["C2", undefined]]);
    expect(valid(m)).toBe(true);
    const md = weeklyBrief(overdue, { managerId: "M1", format: "markdown" });
    expect(md).toContain("_Last order Oct 1, 2026; the next was due Oct 8, 2026_");
    expect(md).toContain("_Last order Oct 1, 2026; next expected Oct 8, 2026_");
    expect(md).not.toContain("Nov 3, 2026");
    const he = weeklyBrief(overdue, { repId: "R1", format: "markdown", locale: "he" });
    expect(he).toContain("הבאה הייתה צפויה ב-8 באוק׳ 2026");
  });

  it("a change that rounds to zero is shown as ±0, never −0", () => {
    const tiny: Analysis = {
      ...a,
      kpis: {
        ...a.kpis,
        reps: [
          ...a.kpis.reps.filter((k) => !(k.repId === "R1" && k.kpi === "revenue")),
          { kpi: "discount_rate", repId: "R1", current: 0.1212, previous: 0.1213, change: -0.0001, changePct: -0.0001 / 0.1213, parts: { numerator: 12.12, denominator: 100, previousNumerator: 12.13, previousDenominator: 100 } },
          { kpi: "active_customers", repId: "R1", current: 5000, previous: 5001, change: -1, changePct: -1 / 5001 },
          // from nothing to a few cents: no percentage, and a money change shown in whole units
          { kpi: "revenue", repId: "R1", current: 0.3, previous: 0, change: 0.3, changePct: undefined },
        ],
      },
    };
    const b = weeklyBrief(tiny, { repId: "R1" });
    expect(b.kpis.find((k) => k.kpi === "discount_rate")?.text).toMatch(/^Discount rate: 12\.1% \(±0 pp vs last period\)/);
    // the JSON text is the Markdown's line (grouped, rounded alike)
    expect(b.kpis.find((k) => k.kpi === "active_customers")?.text).toMatch(/^Active customers: 5,000 \(±0% vs last period\)/);
    for (const k of b.kpis) expect(weeklyBrief(tiny, { repId: "R1", format: "markdown" })).toContain(k.text);
    const md = weeklyBrief(tiny, { repId: "R1", format: "markdown" });
    expect(md).toContain("12.1% (±0 pp");
    expect(md).not.toMatch(/−0( |%)/);
    expect(md).toMatch(/Revenue: 0 \(±0 /);
    expect(md).not.toMatch(/[+−]0 vs/);
  });

  it("a product vanishing without segments (all customers one group) and its date in the brief's locale", () => {
    const vanishing = (segment: string | undefined): Analysis => ({
      ...a,
      signals: [
        ...a.signals,
        {
          id: "product_vanishing:P9:2026-09-01",
          type: "product_vanishing",
          asOf: "2026-11-02",
          since: "2026-09-01",
          productId: "P9",
          ...(segment !== undefined ? { segment } : {}),
          severity: 1,
          valueAtRisk: 100,
          evidence: { dropped: 3, atRisk: 4 } as ProductVanishingEvidence, // (the fields the brief reads)
          reason: { code: "product_vanishing", params: {} },
          message: "",
        },
      ],
    });
    expect(weeklyBrief(vanishing(undefined), {}).signals.map((s) => s.text)).toEqual(["P9 is vanishing: 3 of 4 regular buyers stopped since Sep 1, 2026"]);
    expect(weeklyBrief(vanishing("cafes"), {}).signals.map((s) => s.text)).toEqual(["P9 is vanishing in cafes: 3 of 4 regular buyers stopped since Sep 1, 2026"]);
    expect(weeklyBrief(vanishing(undefined), { locale: "he" }).signals.map((s) => s.text)).toEqual(["\u2068P9\u2069 נעלם: 3 מתוך 4 קונים קבועים הפסיקו מאז 1 בספט׳ 2026"]);
  });

  it("one line per KPI and group when kpi_drop's rhythm test and its chart both flag a rep (the larger value first)", () => {
    const drop = (id: string, valueAtRisk: number, observed: number, expected: number, since: string): SignalOf<"kpi_drop"> => ({
      id,
      type: "kpi_drop",
      asOf: "2026-11-02",
      since,
      repId: "R1",
      kpi: "active_customers",
      severity: 0.8,
      valueAtRisk,
      evidence: { observed, expected } as KpiDropChartEvidence,
      reason: { code: "kpi_drop", params: {} },
      message: "",
    });
    const signals = [
      drop("kpi_drop:active_customers:rep:R1:2026-10-12:rhythm", 900, 24, 46, "2026-10-12"),
      drop("kpi_drop:active_customers:rep:R1:2026-10-05", 500, 30, 45, "2026-10-05"),
      { ...drop("kpi_drop:gross_profit:rep:R1:2026-10-05", 400, 2000, 3000, "2026-10-05"), kpi: "gross_profit" as const },
    ];
    // the values rankTasks gives them (valueAtRisk90 × 365 / 90)
    const values = signals.map((s) => ({ id: s.id, source: "signal" as const, type: "kpi_drop" as const, customerId: undefined, productId: undefined, value: (s.valueAtRisk * 365) / 90, formula: "valueAtRisk90 × 365 / 90", inputs: {} }));
    const both: Analysis = { ...a, signals: [...a.signals, ...signals], values: [...a.values, ...values] };
    const lines = weeklyBrief(both, { repId: "R1" }).signals.filter((s) => s.type === "kpi_drop");
    expect(lines.map((s) => s.id)).toEqual(["kpi_drop:active_customers:rep:R1:2026-10-12:rhythm", "kpi_drop:gross_profit:rep:R1:2026-10-05"]);
  });

  it("a kpi_drop line isolates its rep or segment id alone in Hebrew (review 2026-12-06: one isolate with the word for rep read \"ACME Ltd.\" as \".ACME Ltd\")", () => {
    const drop = (who: { repId?: string; segment?: string }): SignalOf<"kpi_drop"> => ({
      id: `kpi_drop:gross_profit:${who.repId ?? who.segment ?? "company"}:2026-10-05`,
      type: "kpi_drop",
      asOf: "2026-11-02",
      since: "2026-10-05",
      ...who,
      kpi: "gross_profit",
      severity: 0.8,
      valueAtRisk: 100,
      evidence: { observed: 2000, expected: 3000 } as KpiDropChartEvidence,
      reason: { code: "kpi_drop", params: {} },
      message: "",
    });
    const withValues = (signals: Analysis["signals"]): Analysis => ({
      ...a,
      signals: [...a.signals, ...signals],
      values: [...a.values, ...signals.map((s) => ({ id: s.id, source: "signal" as const, type: "kpi_drop" as const, customerId: undefined, productId: undefined, value: 400, formula: "", inputs: {} }))],
    });
    const x = withValues([drop({ repId: "ACME Ltd." }), drop({ segment: "קפה" }), drop({})]);
    const he = weeklyBrief(x, { locale: "he" }).signals.map((s) => s.text);
    expect(he.find((t) => t.includes("ACME"))).toMatch(/ של נציג \u2068ACME Ltd\.\u2069: ירידה ל-/);
    expect(he.find((t) => t.includes("קפה"))).toMatch(/ של סגמנט קפה: ירידה ל-/);
    expect(he.filter((t) => t.includes(" של החברה: ירידה ל-"))).toHaveLength(1);
    // a negative value keeps its minus before it in Hebrew (a left-to-right mark; "ל--400" showed as "400-")
    const neg = weeklyBrief(withValues([{ ...drop({ repId: "R9" }), kpi: "active_customers", evidence: { observed: -4, expected: 30 } as KpiDropChartEvidence }]), { locale: "he" }).signals.map((s) => s.text);
    expect(neg[0]).toContain("ירידה ל-\u200E−4 ");
    // counts grouped as the brief's KPI lines group them (a review: "fell to 1234 (expected 1410)")
    const big = weeklyBrief(withValues([{ ...drop({ repId: "R9" }), kpi: "active_customers", evidence: { observed: 1234, expected: 1410 } as KpiDropChartEvidence }]), {}).signals.map((s) => s.text);
    expect(big[0]).toContain("fell to 1,234 (expected 1,410)");
    const en = weeklyBrief(withValues([drop({ repId: "נועה" }), drop({ segment: "cafes" }), drop({})]), {}).signals.map((s) => s.text);
    expect(en.find((t) => t.includes("נועה"))).toMatch(/ of rep \u2068נועה\u2069 fell to /);
    expect(en.find((t) => t.includes("cafes"))).toMatch(/ of segment cafes fell to /);
    expect(en.filter((t) => t.includes(" of the company fell to "))).toHaveLength(1);
  });

  it("an offer's quantity reads as its talking point does: 0.0023 kg stays 0.0023 (two decimals read 0), 1940 reads 1,940 in both (review 2026-12-06)", () => {
    const base = taskFixture([{ id: "C1", repId: "R1", parts: [{ type: "repurchase", value: 100, productId: "P1" }] }], "2026-11-02");
    for (const [q, shown] of [[0.0023, "0.0023"], [1940, "1,940"], [2.05, "2.1"]] as const) {
      const x: Analysis = { ...base, offers: base.offers.map((o) => ({ ...o, quantity: q })) };
      const md = weeklyBrief(x, { repId: "R1", format: "markdown" });
      expect(md).toContain(`: ${shown} at `);
      expect(md).toContain(`suggest ${shown} at `);
    }
  });

  it("rejects bad options", () => {
    expectInvalid(() => weeklyBrief(a, { repId: "R1", managerId: "M1" }), "managerId");
    expectInvalid(() => weeklyBrief(a, { repId: "nobody" }), "repId");
    expectInvalid(() => weeklyBrief(a, { managerId: "nobody" }), "managerId");
    expectInvalid(() => weeklyBrief(a, { format: "pdf" as "json" }), "format");
    expectInvalid(() => weeklyBrief(a, { topTasks: 0 }), "topTasks");
    // a ranking shared in another locale: its actions and money are in that one (a Hebrew headline
    // over English actions before); the same locale, or none, is fine
    const en = rankTasks(a, { locale: "en" });
    expectInvalid(() => weeklyBrief(a, { repId: "R1", tasks: en, locale: "he" }), "locale");
    expect(weeklyBrief(a, { repId: "R1", tasks: en }).locale).toBe("en");
    // a ranking of another analysis (review 2026-12-06: a ranking of 2020 gave a brief dated 2020
    // over this analysis' KPIs and signals); a later ranking day of this analysis is fine
    expectInvalid(() => weeklyBrief(a, { repId: "R1", tasks: { ...en, analysisAsOf: "2020-01-01" } }), "tasks");
    expect(weeklyBrief(a, { repId: "R1", tasks: rankTasks(a, { asOf: "2026-11-05" }) }).kind).toBe("rep");
    expect(weeklyBrief(a, { repId: "R1", tasks: en, locale: "en" }).locale).toBe("en");
    // tasks: a RankedTasks, not any object of version 1 (an Analysis crashed with a TypeError)
    for (const bad of [a, { version: 1 }, "x", { ...en, tasks: "x" }, { ...en, locale: "fr" }]) expectInvalid(() => weeklyBrief(a, { tasks: bad as never }), "tasks");
  });

  it("a rep shown no task last week has no follow-through rate (not 0%)", () => {
    const ranked = rankTasks(a);
    const r1 = ranked.byRep.find((r) => r.repId === "R1")!;
    const tasks: RankedTasks = { ...ranked, followThrough: { previousAsOf: "2026-10-26", items: [], byRep: [{ repId: "R1", shown: 0, done: 0, rate: 0, valueDone: 0 }], history: [] } };
    const row = weeklyBrief(a, { tasks }).reps.find((r) => r.repId === r1.repId)!;
    expect(row.followThroughRate).toBeUndefined();
  });

  it("the JSON Schema copy is up to date", () => {
    const file = JSON.parse(readFileSync(join(import.meta.dirname, "weekly-brief.schema.json"), "utf8"));
    expect(file).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(weeklyBriefSchema, { io: "input", unrepresentable: "any" }))));
  });
});

describe("weeklyBrief: synthetic distributor, two weeks (seed 1, 300 customers)", () => {
  let now: Analysis;
  let previous: RankedTasks;
  let ranked: RankedTasks;
  beforeAll(() => {
    const { dataset } = fromRowsSync(generateSyntheticDistributor({ seed: 1, customers: 300 }));
    now = analyze(dataset, { model: fitPatterns(dataset), types: ["customer_overdue", "frequency_drop", "item_dropped", "item_volume_drop", "diversity_drop", "product_vanishing", "pipeline_stall", "kpi_drop", "discount_anomaly"] });
    previous = rankTasks(analyze(dataset, { asOf: "2026-10-17" }));
    ranked = rankTasks(now, { previous });
  });

  it("5-7 tasks per rep, highest value first, all kinds of parts merged per customer", () => {
    const reps = ranked.byRep.filter((r) => r.repId !== null);
    expect(reps.length).toBe(3);
    for (const r of reps) {
      expect(r.taskIds.length).toBeGreaterThanOrEqual(3);
      expect(r.taskIds.length).toBeLessThanOrEqual(6);
    }
    expect(new Set(ranked.tasks.map((t) => t.kind)).size).toBeGreaterThanOrEqual(3);
    expect(ranked.tasks.every((t) => t.actions.length > 0 && t.talkingPoints.length > 0)).toBe(true);
    expect(ranked.tasks.some((t) => t.content.length > 0)).toBe(true);
    expect(ranked.followThrough?.items.length).toBe(previous.tasks.length);
    expect(ranked.followThrough?.byRep.every((r) => r.rate >= 0 && r.rate <= 1)).toBe(true);
  });

  it("a rep row whose previous period had no revenue shows its change in money, as the KPI line (review 2026-12-07: 'revenue 2,875 (–)')", () => {
    const b = JSON.parse(JSON.stringify(weeklyBrief(now, { managerId: "M01", tasks: ranked }))) as WeeklyBrief;
    const row = { ...b.reps[0]!, revenue: 2875, revenueChangePct: undefined, revenueChange: 2875 };
    expect(briefView({ ...b, reps: [row] }).reps[0]).toContain("revenue $2,875 (+$2,875)");
    // with a relative change, that one; a row stored before the field: "–"
    expect(briefView({ ...b, reps: [{ ...row, revenueChangePct: 0.25 }] }).reps[0]).toContain("(+25%)");
    const { revenueChange: _, ...old } = row;
    expect(briefView({ ...b, reps: [old] }).reps[0]).toContain("revenue $2,875 (–)");
  });

  it("a task or escalation without a rep reads 'Unassigned' alone ('נציג ללא נציג' in Hebrew); a peers' cross-sell names no empty 'customers who buy' (review 2026-12-07)", () => {
    const he = JSON.parse(JSON.stringify(weeklyBrief(now, { managerId: "M01", locale: "he", tasks: rankTasks(now, { previous, locale: "he" }) }))) as WeeklyBrief;
    const task = { ...he.tasks[0]!, repId: null };
    const view = briefView({ ...he, tasks: [task], escalations: [task] });
    expect(view.tasks[0]!.meta.split(" · ")[0]).toBe("ללא נציג");
    expect(view.escalations[0]).toContain("(ללא נציג)");
    expect(JSON.stringify(view)).not.toContain("נציג ללא נציג");
    const en = briefView({ ...JSON.parse(JSON.stringify(weeklyBrief(now, { managerId: "M01", tasks: ranked }))), tasks: [task], escalations: [task] } as WeeklyBrief);
    expect(en.escalations[0]).toContain("(unassigned): open for");
    // a cross-sell from the nearest customers or the segment has no "because"
    const peers = { ...now, offers: now.offers.map((o) => (o.kind === "cross_sell" ? { ...o, because: [] } : o)) } as Analysis;
    const points = rankTasks(peers).tasks.flatMap((t) => t.talkingPoints).filter((x) => x.code.startsWith("tp.cross_sell"));
    expect(points.some((x) => x.code === "tp.cross_sell_peers" && x.text.endsWith("customers like this one buy it"))).toBe(true);
    expect(points.some((x) => /who buy\s+buy/.test(x.text))).toBe(false);
  });

  it("an escalation not in this week's list (rank 0) validates; a listed task's rank 0 does not (review 2026-12-07)", () => {
    const b = JSON.parse(JSON.stringify(weeklyBrief(now, { managerId: "M01", tasks: ranked }))) as WeeklyBrief;
    const task = b.tasks[0]!;
    expect(valid({ ...b, escalations: [{ ...task, rank: 0 }] })).toBe(true);
    expect(valid({ ...b, tasks: [{ ...task, rank: 0 }] })).toBe(false);
    expect(valid({ ...b, escalations: [{ ...task, rank: -1 }] })).toBe(false);
  });

  it("works the same on an analysis stored as JSON and read back", () => {
    const stored = JSON.parse(JSON.stringify(now)) as Analysis;
    expect(JSON.stringify(rankTasks(stored, { previous }))).toBe(JSON.stringify(ranked));
    expect(JSON.stringify(weeklyBrief(stored, { managerId: "M01", tasks: ranked }))).toBe(JSON.stringify(weeklyBrief(now, { managerId: "M01", tasks: ranked })));
  });

  it("a brief for every rep and manager in both languages validates against the schema and is deterministic", () => {
    const ids = [
      ...now.reps.filter((r) => r.managerId !== undefined).map((r) => ({ repId: r.repId })),
      ...[...new Set(now.reps.map((r) => r.managerId).filter((m) => m !== undefined))].map((m) => ({ managerId: m })),
      {},
    ];
    expect(ids.length).toBeGreaterThanOrEqual(5);
    // one ranking per language (a shared ranking's texts are in its own)
    const rankedIn = { en: ranked, he: rankTasks(now, { previous, locale: "he" }) };
    for (const who of ids) {
      for (const locale of ["en", "he"] as const) {
        const b = weeklyBrief(now, { ...who, locale, tasks: rankedIn[locale] });
        expect(valid(b)).toBe(true);
        expect(JSON.stringify(weeklyBrief(now, { ...who, locale, tasks: rankedIn[locale] }))).toBe(JSON.stringify(b));
        if (b.kind !== "rep") expect(b.signals.length).toBeGreaterThan(0);
        expect(b.kpis.length).toBe(5);
        if (locale === "he") expect(/[\u0590-\u05FF]/.test(b.title + b.kpis[0]!.text)).toBe(true);
      }
    }
  });
});

describe("weeklyBrief: data without costs (as in the UCI Online Retail layout)", () => {
  it("no gross profit or margin line, and values said to be revenue", () => {
    const synth = generateSyntheticDistributor({ seed: 2, customers: 80 });
    const orders = synth.orders.map(({ unit_cost: _cost, ...rest }) => rest);
    const { dataset } = fromRowsSync({ orders });
    const a = analyze(dataset, { asOf: "2026-10-05" });
    expect(a.valueOptions.marginRateSource).toBe("none");
    expect(a.kpis.company.find((f) => f.kpi === "gross_profit")?.current).toBeUndefined();
    const b = weeklyBrief(a, {});
    expect(b.valueBasis).toBe("revenue");
    expect(b.kpis.map((k) => k.kpi)).not.toContain("gross_profit");
    expect(b.kpis.map((k) => k.kpi)).toContain("revenue");
    const md = weeklyBrief(a, { format: "markdown" });
    expect(md).not.toContain("Gross profit");
    expect(md).not.toMatch(/of margin a year/);
    expect(md).toContain("Values are expected revenue over the next 12 months (the data has no costs to measure a margin).");
    expect(md).toMatch(/\*\*Do:\*\* Visit: worth about \$[\d,]+ of revenue a year/); // task texts carry the currency, as the headline does
    // an overdue customer's talking point (in its rep's brief: the company's top tasks are others;
    // ten per rep: this small data's overdue customers rank below the default six of their rep)
    const ranked = rankTasks(a, { perRep: 10 });
    const churnTask = ranked.tasks.find((t) => t.components.some((c) => c.type === "customer_overdue") && t.repId !== null);
    expect(weeklyBrief(a, { repId: churnTask!.repId!, format: "markdown", tasks: ranked })).toMatch(/No order for \d+ days; usually every \d+ days\. About \$[\d,]+ of revenue a year at risk/);
    // "at risk" is P(churn) × the customer's yearly value; the task's value also has the save rate in it
    const overdue = ranked.tasks.flatMap((t) => t.components.filter((c) => c.type === "customer_overdue").map((c) => ({ c, tp: t.talkingPoints.find((x) => x.code === "tp.customer_overdue_revenue") })));
    expect(overdue.length).toBeGreaterThan(0);
    let checked = 0;
    for (const { c, tp } of overdue) {
      if (!tp) continue;
      checked++;
      expect(tp.params.value).toBe(`$${Math.round(c.inputs.pChurn! * c.inputs.yearlyMargin!).toLocaleString("en-US")}`);
      expect(c.value).toBeCloseTo(c.inputs.pChurn! * c.inputs.yearlyMargin! * c.inputs.saveRate! * c.inputs.reachable!, 6);
    }
    expect(checked).toBeGreaterThan(0);
    // without reps either: one company brief whose tasks do not each say "Rep Unassigned"
    // (with last week's ranking, so follow-through and escalations show too)
    const bare = fromRowsSync({ orders: orders.map(({ rep_id: _rep, ...rest }) => rest) }).dataset;
    const bareNow = analyze(bare, { asOf: "2026-10-05" });
    const tasks = rankTasks(bareNow, { previous: rankTasks(analyze(bare, { asOf: "2026-09-21" })) });
    expect(tasks.followThrough?.items.length).toBeGreaterThan(0);
    const company = weeklyBrief(bareNow, { format: "markdown", tasks });
    expect(company).toContain("### 1. ");
    expect(company).toContain("## Last week's tasks");
    expect(company).not.toContain("Unassigned");
    expect(md).toContain("_Rep R0"); // with reps the company brief names each task's rep
    // with costs, the same data reads as margin
    const withCosts = weeklyBrief(analyze(fromRowsSync({ orders: synth.orders }).dataset, { asOf: "2026-10-05" }), { format: "markdown" });
    expect(withCosts).toContain("Gross profit");
    expect(withCosts).toContain("Values are expected gross margin over the next 12 months.");
  }, 60_000);
});
