import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { taskFixture, type FixtureCustomer, type FixturePart } from "./internal/task-fixture.ts";
import { formatDay } from "../data/format-day.ts";
import { parseDay } from "../data/parse-day.ts";
import { analyze } from "../analyze.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { rankTasks } from "./rank-tasks.ts";
import type { Analysis, Task } from "./types.ts";

describe("rankTasks: merging", () => {
  it("one task per customer; risk = the larger of the churn part and the item parts; offers on a dropped item not counted twice", () => {
    const a = taskFixture([
      {
        id: "C1",
        repId: "R1",
        parts: [
          { type: "customer_overdue", value: 100 },
          { type: "item_dropped", value: 30, productId: "P1" },
          { type: "item_volume_drop", value: 40, productId: "P2" },
          { type: "winback", value: 20, productId: "P1" },
          { type: "cross_sell", value: 5, productId: "P3" },
        ],
      },
    ]);
    const [task] = rankTasks(a).tasks;
    expect(task?.id).toBe("task:C1");
    expect(task?.value).toBe(105); // churn 100 + cross-sell 5
    expect(task?.kind).toBe("churn");
    expect(task?.components.filter((c) => c.counted).map((c) => c.type).sort()).toEqual(["cross_sell", "customer_overdue"]);
    // items larger than the churn part: they count instead
    const b = taskFixture([{ id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 50 }, { type: "item_dropped", value: 30, productId: "P1" }, { type: "item_dropped", value: 40, productId: "P2" }] }]);
    const [t2] = rankTasks(b).tasks;
    expect(t2?.value).toBe(70);
    expect(t2?.kind).toBe("item");
    expect(t2?.talkingPoints[0]?.code).toBe("tp.customer_overdue"); // largest part first, counted or not
    // a changed rhythm: the talking point names the recent gap the signal's message names
    const lately = { ...b, signals: b.signals.map((x) => (x.type === "customer_overdue" ? { ...x, evidence: { ...x.evidence, recentGapDays: 11.4 } } : x)) };
    const tp = rankTasks(lately).tasks[0]!.talkingPoints[0]!;
    expect([tp.code, tp.text]).toEqual(["tp.customer_overdue_lately", expect.stringMatching(/^No order for 60 days; usually every 7 days, lately every 11\. About /)]);
    // a dropped item: the share of orders the signal's message gives (itemOrders of ordersBefore),
    // not the test's smoothed inclusionBefore (a review: 98 % beside the signal's 100 %)
    const counted = { ...b, signals: b.signals.map((x) => (x.type === "item_dropped" ? { ...x, evidence: { ...x.evidence, itemOrders: 12, ordersBefore: 12 } } : x)) };
    const items = rankTasks(counted).tasks[0]!.talkingPoints.filter((x) => x.code === "tp.item_dropped").map((x) => x.text);
    expect(items).toEqual([expect.stringMatching(/^Stopped buying P2 \(was in 100% of orders\)/), expect.stringMatching(/^Stopped buying P1 \(was in 100% of orders\)/)]);
    // Hebrew: the units abbreviated as the signal abbreviates them ("קונה 1 יחידות" read wrong in the singular)
    const vol = taskFixture([{ id: "C1", repId: "R1", parts: [{ type: "item_volume_drop", value: 30, productId: "P1" }] }], undefined, { locale: "he" });
    expect(rankTasks(vol).tasks[0]!.talkingPoints.find((x) => x.code === "tp.item_volume_drop")!.text).toMatch(/^קונה 2 יח' של /);
    // stored before ordersBefore was in the evidence: the smoothed figure
    expect(rankTasks(b).tasks[0]!.talkingPoints.find((x) => x.code === "tp.item_dropped")!.text).toMatch(/was in 80% of orders/);
  });

  it("a deal in a stage without a typical stay says nothing of one ('usually ?' before)", () => {
    const a = taskFixture([{ id: "C1", repId: "R1", parts: [{ type: "deal", value: 500 }] }]);
    const point = (typicalDays: number | undefined) => rankTasks({ ...a, deals: a.deals.map((d) => ({ ...d, typicalDays })) }).tasks[0]!.talkingPoints.find((x) => x.code.startsWith("tp.deal"))!;
    expect(point(10).text).toMatch(/^Deal \S+ has been in proposal for 40 days \(usually 10\); win chance down from 50% to 10%$/);
    expect([point(undefined).code, point(undefined).text]).toEqual(["tp.deal_untyped", expect.stringMatching(/^Deal \S+ has been in proposal for 40 days; win chance down from 50% to 10%$/)]);
  });

  it("a prospect without an owner goes to the rep of its most valuable open deal (review 2026-12-07: unassigned, in the company brief only)", () => {
    const a = taskFixture([
      { id: "P1", repId: null, parts: [{ type: "deal", value: 500 }, { type: "deal", value: 800 }] },
      { id: "P2", repId: null, parts: [{ type: "deal", value: 300 }] },
    ]);
    const reps = new Map([["D-P1-0", "R2"], ["D-P1-1", "R3"]]);
    const r = rankTasks({ ...a, deals: a.deals.map((d) => ({ ...d, repId: reps.get(d.dealId) })) }, { relativeFloor: 0 });
    expect(r.tasks.map((t) => [t.customerId, t.repId])).toEqual([["P1", "R3"], ["P2", null]]);
  });

  it("actions: a high-value risk is a visit, a risk a call, offers only an email with the content", () => {
    const a = taskFixture([
      { id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 1000 }] },
      { id: "C2", repId: "R1", parts: [{ type: "customer_overdue", value: 400 }] },
      { id: "C3", repId: "R1", segment: "cafes", parts: [{ type: "cross_sell", value: 300, productId: "P1" }] },
    ]);
    const r = rankTasks(a, { highValue: 500, relativeFloor: 0 });
    const by = new Map(r.tasks.map((t) => [t.customerId, t]));
    expect(by.get("C1")?.actions.map((x) => x.type)).toEqual(["visit"]);
    expect(by.get("C1")?.actions[0]?.text).toBe("Visit: worth about 1,000 of margin a year");
    expect(by.get("C2")?.actions.map((x) => x.type)).toEqual(["call"]);
    expect(by.get("C3")?.actions.map((x) => x.type)).toEqual(["email"]);
    // content: the offered product's sheet, then the segment's guide
    expect(by.get("C3")?.content.map((c) => [c.contentId, c.match])).toEqual([["K2", "product"], ["K3", "segment"]]);
    expect(by.get("C3")?.actions[0]?.text).toBe("Send: P1 sheet, Cafe guide");
    expect(by.get("C3")?.offers[0]).toMatchObject({ productId: "P1", suggestedPrice: 9.5, listPrice: 10, quantity: 2, value: 300 });
    const he = rankTasks(a, { highValue: 500, relativeFloor: 0, locale: "he" });
    expect(he.tasks[0]?.actions[0]?.text).toBe("ביקור: שווה כ-1,000 רווח גולמי בשנה");
  });

  it("a churn part worth 0 (a customer lost long ago) is no risk: an offers-only task stays an email, done only when an offer is bought", () => {
    const parts = (recent?: { day: string; productIds: string[] }[]): FixtureCustomer[] => [
      { id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 0 }, { type: "repurchase", value: 100 }], ...(recent ? { recent } : {}) },
      { id: "C2", repId: "R1", parts: [{ type: "repurchase", value: 100 }], ...(recent ? { recent } : {}) },
      { id: "C3", repId: "R1", parts: [{ type: "customer_overdue", value: 1000 }] },
    ];
    const r = rankTasks(taskFixture(parts()), { highValue: 500 });
    const by = new Map(r.tasks.map((t) => [t.customerId, t]));
    expect(by.get("C1")?.actions.map((x) => x.type)).toEqual(["email"]);
    expect(by.get("C2")?.actions.map((x) => x.type)).toEqual(["email"]);
    expect(by.get("C1")?.components.find((c) => c.type === "customer_overdue")?.counted).toBe(false);
    // both bought only a product nobody offered: neither task is done
    const next = rankTasks(taskFixture(parts([{ day: "2026-11-05", productIds: ["PX"] }]), "2026-11-09"), { previous: r });
    expect(next.followThrough!.items.filter((i) => i.customerId !== "C3").map((i) => [i.customerId, i.status])).toEqual([["C1", "open"], ["C2", "open"]]);
  });
});

describe("rankTasks: reviews of 2026-12-07", () => {
  it("a risk part worth under 5% of the task does not make an offers-only task a call or visit, nor its follow-through 'any order'", () => {
    // a deal 4 days into its stage (win chance 1e-5 below the stage's) worth 0.028 beside offers
    // worth 383 made a "Reorder due" task a visit on the 1.08M-line data
    const parts = (recent?: { day: string; productIds: string[] }[]): FixtureCustomer[] => [
      { id: "C1", repId: "R1", parts: [{ type: "repurchase", value: 383, productId: "P1" }, { type: "deal", value: 0.028 }], ...(recent ? { recent } : {}) },
      { id: "C2", repId: "R1", parts: [{ type: "repurchase", value: 300, productId: "P1" }, { type: "deal", value: 30 }] },
    ];
    const r = rankTasks(taskFixture(parts()), { highValue: 500, relativeFloor: 0 });
    const by = new Map(r.tasks.map((t) => [t.customerId, t]));
    expect(by.get("C1")?.actions.map((x) => x.type)).toEqual(["email"]);
    expect(by.get("C2")?.actions[0]?.type).toBe("call"); // 30 of 330: a risk (then the content by email)
    // C1 ordered, but not the offered product: not done (an offers task is done when an offer is bought)
    const next = rankTasks(taskFixture(parts([{ day: "2026-11-05", productIds: ["PX"] }]), "2026-11-09"), { previous: r, relativeFloor: 0 });
    expect(next.followThrough!.items.find((i) => i.customerId === "C1")?.status).toBe("open");
  });

  it("a task last week's follow-through calls done that comes back is new, and not escalated", () => {
    const week1 = taskFixture([{ id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 1000 }] }, { id: "C2", repId: "R1", parts: [{ type: "customer_overdue", value: 900 }] }], "2026-10-19");
    const prev = rankTasks(week1, { relativeFloor: 0 });
    // three weeks on, both still candidates; C2 ordered (a customer at risk: done), C1 did not
    const week2 = taskFixture(
      [
        { id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 1000 }] },
        { id: "C2", repId: "R1", parts: [{ type: "customer_overdue", value: 900 }], recent: [{ day: "2026-10-22", productIds: ["P5"] }] },
      ],
      "2026-11-09",
    );
    const r = rankTasks(week2, { previous: prev, relativeFloor: 0, highValue: 800 });
    expect(r.followThrough!.items.map((i) => [i.customerId, i.status])).toEqual([["C1", "open"], ["C2", "done"]]);
    const by = new Map(r.tasks.map((t) => [t.customerId, t]));
    expect([by.get("C1")?.status, by.get("C1")?.firstShown]).toEqual(["open", "2026-10-19"]);
    // until 2026-12-07: "open" since 2026-10-19 and escalated beside its own "done"
    expect([by.get("C2")?.status, by.get("C2")?.firstShown]).toEqual(["new", "2026-11-09"]);
    expect(r.escalations.map((t) => t.customerId)).toEqual(["C1"]);
  });

  it("a risk task is done by what settles its risk: an order for a customer at risk, the dropped product bought again, the deal moving (review 2026-12-07: any order)", () => {
    const parts = [
      { id: "C1", repId: "R1", parts: [{ type: "customer_overdue" as const, value: 1000 }] },
      { id: "C2", repId: "R1", parts: [{ type: "item_dropped" as const, value: 900, productId: "P1" }] },
      { id: "C3", repId: "R1", parts: [{ type: "item_dropped" as const, value: 800, productId: "P1" }] },
      { id: "C4", repId: "R1", parts: [{ type: "deal" as const, value: 700 }] },
    ];
    const prev = rankTasks(taskFixture(parts, "2026-10-19"), { relativeFloor: 0 });
    // every customer ordered on 2026-10-22: C2 and C4 routine products (P5), C3 the dropped P1 again
    const week2 = taskFixture(parts.map((c) => ({ ...c, recent: [{ day: "2026-10-22", productIds: [c.id === "C3" ? "P1" : "P5"] }] })), "2026-11-09");
    const r = rankTasks(week2, { previous: prev, relativeFloor: 0 });
    // C4's deal is still in its stage (40 days in proposal): open, not done because its customer ordered
    expect(r.followThrough!.items.map((i) => [i.customerId, i.status])).toEqual([["C1", "done"], ["C2", "open"], ["C3", "done"], ["C4", "open"]]);
  });

  it("a slowdown, a narrower basket or a smaller volume is done when no longer flagged after an order, not by the order alone (review 2026-12-07)", () => {
    const freq = { type: "frequency_drop" as const, value: 1000 };
    const parts: FixtureCustomer[] = [
      { id: "C5", repId: "R1", parts: [freq] }, // still flagged, ordered: open
      { id: "C6", repId: "R1", parts: [freq] }, // no longer flagged, ordered: done
      { id: "C7", repId: "R1", parts: [{ type: "item_volume_drop", value: 900, productId: "P2" }] }, // gone, P2 bought: done
      { id: "C8", repId: "R1", parts: [{ type: "item_volume_drop", value: 800, productId: "P2" }] }, // gone, P2 not bought: not done (dropped: no longer a task)
      { id: "C9", repId: "R1", parts: [{ type: "diversity_drop", value: 700 }] }, // still flagged, ordered: open
      { id: "C10", repId: "R1", parts: [freq] }, // flagged under another id (a moved change point): open
      { id: "C11", repId: "R1", parts: [freq] }, // gone, but no order (a slowdown turned silence): not done
    ];
    const prev = rankTasks(taskFixture(parts, "2026-10-19"), { relativeFloor: 0, maxPerKind: 10, perRep: 10 });
    expect(prev.tasks.length).toBe(7);
    const now: FixtureCustomer[] = parts.map((c) => ({
      ...c,
      parts: c.id === "C6" || c.id === "C7" || c.id === "C8" || c.id === "C11" ? [] : c.id === "C10" ? [{ type: "cross_sell", value: 1, productId: "P9" }, freq] : c.parts,
      recent: c.id === "C11" ? [] : [{ day: "2026-10-22", productIds: [c.id === "C7" ? "P2" : "P5"] }],
    }));
    const r = rankTasks(taskFixture(now, "2026-10-26"), { previous: prev, relativeFloor: 0 });
    expect(r.followThrough!.items.map((i) => [i.customerId, i.status])).toEqual([["C10", "open"], ["C11", "dropped"], ["C5", "open"], ["C6", "done"], ["C7", "done"], ["C8", "dropped"], ["C9", "open"]]);
    // an analysis that did not look for slowdowns and volumes (types) settles none of them (a self-review)
    const blind = rankTasks(taskFixture(now, "2026-10-26", { signalTypes: ["customer_overdue", "item_dropped"] }), { previous: prev, relativeFloor: 0 });
    expect(blind.followThrough!.items.filter((i) => i.status === "done").map((i) => i.customerId)).toEqual([]);
  });

  it("a task whose customer moved to another rep is new to that rep (not escalated on its first day) and left out of the old rep's rate (review 2026-12-07)", () => {
    const week = (c2Rep: string): FixtureCustomer[] => [
      { id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 1000 }] },
      { id: "C2", repId: c2Rep, parts: [{ type: "customer_overdue", value: 900 }] },
    ];
    const prev = rankTasks(taskFixture(week("R1"), "2026-10-19"), { relativeFloor: 0 });
    expect(prev.tracked?.map((t) => [t.taskId, t.repId])).toEqual([["task:C1", "R1"], ["task:C2", "R1"]]);
    const r = rankTasks(taskFixture(week("R2"), "2026-11-09"), { previous: prev, relativeFloor: 0, highValue: 500 });
    const by = new Map(r.tasks.map((t) => [t.customerId, t]));
    expect([by.get("C1")?.status, by.get("C1")?.firstShown]).toEqual(["open", "2026-10-19"]);
    expect([by.get("C2")?.repId, by.get("C2")?.status, by.get("C2")?.firstShown]).toEqual(["R2", "new", "2026-11-09"]);
    expect(r.escalations.map((t) => t.customerId)).toEqual(["C1"]); // 21 days open with R1; C2 none with R2
    const items = new Map(r.followThrough!.items.map((i) => [i.customerId, i]));
    expect([items.get("C2")?.status, items.get("C2")?.reassigned]).toEqual(["dropped", true]);
    expect([items.get("C1")?.status, items.get("C1")?.reassigned]).toEqual(["open", false]);
    expect(r.followThrough!.byRep.map((x) => [x.repId, x.shown, x.done])).toEqual([["R1", 1, 0]]);
  });

  it("highValue is the 75th percentile of the candidates left after the host rules", () => {
    const a = taskFixture([1000, 400, 300, 200, 100].map((v, i) => ({ id: `C${i + 1}`, repId: "R1", parts: [{ type: "customer_overdue" as const, value: v }] })));
    // without rules: 1000, 400, 300, 200, 100 -> the 4th of 5 (nearest rank): 400
    expect(rankTasks(a, {}).highValue).toBe(400);
    // C1 suppressed: 400, 300, 200, 100 -> the 3rd of 4: 300 (400 until 2026-12-07, counting the suppressed task)
    expect(rankTasks(a, { rules: [{ id: "hold", effect: "suppress", when: (t) => t.customerId === "C1" }] }).highValue).toBe(300);
  });
});

describe("rankTasks: ranking rules", () => {
  const seven = (kind: FixturePart["type"]): FixtureCustomer[] => Array.from({ length: 7 }, (_, i) => ({ id: `${kind}${i}`, repId: "R1", parts: [{ type: kind, value: 1000 - i }] }));

  it("perRep, the diversity cap and the floor: no padding", () => {
    const a = taskFixture([...seven("customer_overdue"), { id: "X1", repId: "R1", parts: [{ type: "item_dropped", value: 500, productId: "P1" }] }, { id: "X2", repId: "R1", parts: [{ type: "repurchase", value: 10 }] }]);
    const r = rankTasks(a);
    // 3 churn tasks (cap ⌈6/2⌉), the item task; the 10-value reorder is under 5 % of the top
    expect(r.tasks.map((t) => t.customerId)).toEqual(["customer_overdue0", "customer_overdue1", "customer_overdue2", "X1"]);
    expect(r.byRep[0]).toMatchObject({ repId: "R1", candidates: 9, belowFloor: 1, cappedByKind: 4, floor: 50 });
    expect(rankTasks(a, { maxPerKind: 6 }).tasks.length).toBe(6);
    expect(rankTasks(a, { perRep: 2 }).tasks.length).toBe(2);
    expect(rankTasks(a, { relativeFloor: 0, maxPerKind: 1 }).tasks.map((t) => t.kind)).toEqual(["churn", "item", "reorder"]);
    expect(rankTasks(a, { minValue: 995 }).tasks.length).toBe(3);
  });

  it("snoozes and acknowledgements, of tasks and of signals", () => {
    const a = taskFixture([
      { id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 100 }, { type: "cross_sell", value: 5, productId: "P3" }] },
      { id: "C2", repId: "R1", parts: [{ type: "customer_overdue", value: 90 }] },
    ]);
    const sig = a.signals.find((s) => s.customerId === "C1")!.id;
    expect(rankTasks(a, { snoozed: [{ id: "task:C1", until: "2026-11-10" }] }).tasks.map((t) => t.id)).toEqual(["task:C2"]);
    expect(rankTasks(a, { snoozed: [{ id: "task:C1", until: "2026-11-02" }] }).tasks.length).toBe(2); // the snooze is over
    expect(rankTasks(a, { acknowledged: ["task:C2"] }).tasks.map((t) => t.id)).toEqual(["task:C1"]);
    const r = rankTasks(a, { acknowledged: [sig], relativeFloor: 0 });
    expect(r.tasks.find((t) => t.id === "task:C1")?.value).toBe(5); // the offer is left
    // a deal by the id a rep sees (D-C3-0), as by its part id deal:D-C3-0 (review 2026-12-07: only the latter hid it)
    const d = taskFixture([{ id: "C3", repId: "R1", parts: [{ type: "deal", value: 50 }, { type: "customer_overdue", value: 20 }] }]);
    const dealId = d.deals[0]!.dealId;
    for (const id of [dealId, `deal:${dealId}`]) {
      const t = rankTasks(d, { acknowledged: [id], relativeFloor: 0 }).tasks[0]!;
      expect([id, t.value, t.deals.length]).toEqual([id, 20, 0]);
      expect(rankTasks(d, { snoozed: [{ id, until: "2026-12-01" }], relativeFloor: 0 }).tasks[0]!.value).toBe(20);
    }
  });

  it("host rules suppress and boost", () => {
    const a = taskFixture([
      { id: "C1", repId: "R1", segment: "hold", parts: [{ type: "customer_overdue", value: 100 }] },
      { id: "C2", repId: "R1", parts: [{ type: "customer_overdue", value: 90 }] },
      { id: "C3", repId: "R1", parts: [{ type: "cross_sell", value: 30, productId: "P0" }] },
    ]);
    const r = rankTasks(a, {
      rules: [
        { id: "credit-hold", effect: "suppress", when: (t) => t.segment === "hold" },
        { id: "dairy-push", effect: "boost", factor: 4, when: (t) => t.offers.some((o) => o.family === "dairy") },
      ],
    });
    expect(r.tasks.map((t) => [t.customerId, t.priority, t.boostedBy])).toEqual([["C3", 120, ["dairy-push"]], ["C2", 90, []]]);
    expect(r.tasks[0]?.value).toBe(30);
    expect(r.suppressed).toEqual([{ taskId: "task:C1", ruleId: "credit-hold" }]);
  });

  it("follow-through, status and escalations given last week's result", () => {
    const week1 = taskFixture(
      [
        { id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 1000 }] },
        { id: "C2", repId: "R1", parts: [{ type: "cross_sell", value: 500, productId: "P1" }] },
        { id: "C3", repId: "R2", parts: [{ type: "customer_overdue", value: 800 }] },
      ],
      "2026-10-19",
    );
    const prev = rankTasks(week1, { relativeFloor: 0 });
    expect(prev.tasks.every((t) => t.status === "new" && t.firstShown === "2026-10-19")).toBe(true);
    const week2 = taskFixture(
      [
        { id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 1000 }] }, // still silent
        { id: "C2", repId: "R1", parts: [{ type: "repurchase", value: 20 }], recent: [{ day: "2026-10-22", productIds: ["P1", "P7"] }] }, // bought the offer
        { id: "C3", repId: "R2", parts: [], recent: [{ day: "2026-10-20", productIds: ["P5"] }] }, // ordered again: no task
        { id: "C4", repId: "R2", parts: [{ type: "customer_overdue", value: 50 }] },
      ],
      "2026-11-09",
    );
    const r = rankTasks(week2, { previous: prev, relativeFloor: 0 });
    const ft = r.followThrough!;
    expect(ft.previousAsOf).toBe("2026-10-19");
    expect(ft.items.map((i) => [i.taskId, i.status, i.ordered, i.offersBought])).toEqual([
      ["task:C1", "open", false, []],
      ["task:C2", "done", true, ["P1"]],
      ["task:C3", "done", true, []],
    ]);
    expect(ft.byRep).toEqual([
      { repId: "R1", shown: 2, done: 1, rate: 0.5, valueDone: 500 },
      { repId: "R2", shown: 1, done: 1, rate: 1, valueDone: 800 },
    ]);
    expect(ft.history.map((h) => h.asOf)).toEqual(["2026-11-09"]);
    const c1 = r.tasks.find((t) => t.id === "task:C1")!;
    expect([c1.status, c1.firstShown]).toEqual(["open", "2026-10-19"]);
    expect(r.tasks.find((t) => t.id === "task:C4")?.status).toBe("new");
    // 21 days open and high value: escalated
    expect(r.escalations.map((t) => t.id)).toEqual(["task:C1"]);
    // a third week chains the history
    const r3 = rankTasks({ ...week2, asOf: "2026-11-16" }, { previous: r, relativeFloor: 0 });
    expect(r3.followThrough?.history.map((h) => h.asOf)).toEqual(["2026-11-09", "2026-11-16"]);
    // each week also says when its tasks were shown (the ranking it follows through)
    expect(r3.followThrough?.history.map((h) => h.shownOn)).toEqual(["2026-10-19", "2026-11-09"]);
  });

  it("a deal task is done when its deal left the stage within doneWithinDays of last week's asOf, not later", () => {
    const prev = rankTasks(taskFixture([{ id: "C1", repId: "R1", parts: [{ type: "deal", value: 500 }] }], "2026-10-01"));
    const now = taskFixture([{ id: "C1", repId: "R1", parts: [{ type: "deal", value: 500 }] }], "2026-11-01");
    // moved on 2026-10-27 (daysInStage 5): 26 days after, outside a 14-day window; on 2026-10-10 (22): inside
    const movedOn = (daysInStage: number): Analysis => ({ ...now, deals: now.deals.map((d) => ({ ...d, stage: "negotiation" as const, daysInStage })) });
    const status = (a: Analysis): string | undefined => rankTasks(a, { previous: prev, doneWithinDays: 14 }).followThrough?.items.find((x) => x.taskId === "task:C1")?.status;
    expect(status(movedOn(5))).toBe("open");
    expect(status(movedOn(22))).toBe("done");
    // daysInStage counts to the analysis' day: ranked 6 days after it, the deal still moved on
    // 2026-10-10 (it read 2026-10-16, outside the window)
    expect(rankTasks(movedOn(22), { previous: prev, doneWithinDays: 14, asOf: "2026-11-07" }).followThrough?.items.find((x) => x.taskId === "task:C1")?.status).toBe("done");
    // back in the stage it was shown in, entered again inside the window (moved on and back, or
    // lost and reopened): its current stage was entered in the window, done (review 2026-12-07: open)
    const back = { ...now, deals: now.deals.map((d) => ({ ...d, daysInStage: 22 })) };
    expect(status(back)).toBe("done");
    expect(status({ ...now, deals: now.deals.map((d) => ({ ...d, daysInStage: 40 })) })).toBe("open"); // never left
  });

  it("rejects bad options", () => {
    const a = taskFixture([]);
    expectInvalid(() => rankTasks(a, { perRep: 0 }), "perRep");
    expectInvalid(() => rankTasks(a, { relativeFloor: 2 }), "relativeFloor");
    expectInvalid(() => rankTasks(a, { locale: "de" as "en" }), "locale");
    expectInvalid(() => rankTasks(a, { rules: [{ id: "x", effect: "nope" as "boost", when: () => true }] }), "rules");
    // a misspelled field of a rule (review 2026-12-06: the boost kept its default factor 2)
    expectInvalid(() => rankTasks(a, { rules: [{ id: "x", effect: "boost", when: () => true }, { id: "y", effect: "boost", factr: 5, when: () => true } as never] }), "rules[1].factr");
    expect(rankTasks(a, { rules: [{ id: "y", effect: "boost", factor: undefined, when: () => true }] }).version).toBe(1);
    expectInvalid(() => rankTasks(a, { snoozed: [{ id: "task:C1", until: "soon" }] }), "snoozed.until");
    // previous must be a RankedTasks (an Analysis or anything of version 1 was a TypeError later), analysis an Analysis
    for (const previous of [{ version: 1 }, a, { ...rankTasks(a), tasks: undefined }]) expectInvalid(() => rankTasks(a, { previous: previous as never }), "previous");
    // ... and its tasks, tracked entries and rep rows what the follow-through reads (review
    // 2026-12-06: a task without its offers, components or deals was a TypeError in there)
    const one = taskFixture([{ id: "C1", repId: "R1", parts: [{ type: "customer_overdue", value: 500 }] }]);
    const full = rankTasks(one, { asOf: formatDay(parseDay(one.asOf) - 7) });
    const task = full.tasks[0]!;
    const { offers: _o, ...noOffers } = task;
    for (const bad of [noOffers, { ...task, components: [null] }, { ...task, deals: "none" }, { ...task, firstShown: 7 }, { ...task, id: undefined }, { ...task, value: undefined }, null]) {
      expectInvalid(() => rankTasks(one, { previous: { ...full, tasks: [bad] } as never }), "previous");
    }
    expectInvalid(() => rankTasks(one, { previous: { ...full, tracked: [{ taskId: "t" }] } as never }), "previous");
    expectInvalid(() => rankTasks(one, { previous: { ...full, byRep: [{}] } as never }), "previous");
    expectInvalid(() => rankTasks(one, { previous: { ...full, followThrough: { history: "x" } } as never }), "previous");
    // a stored ranking read back from JSON passes
    expect(rankTasks(one, { previous: JSON.parse(JSON.stringify(full)) }).followThrough?.items).toHaveLength(1);
    expect(rankTasks(one, { previous: full }).followThrough?.items).toHaveLength(1);
    // a ranking it cannot follow through: of a later day, or before the analysis' recent window
    // (its purchases are not in the facts: every task read undone)
    const later = rankTasks(a, { asOf: "2026-12-30" });
    expectInvalid(() => rankTasks(a, { previous: later, asOf: a.asOf }), "previous");
    // nor of the analysis' own day: no day to follow through, every task read undone (review 2026-12-07: "0 of 18 done (0%)")
    expectInvalid(() => rankTasks(a, { previous: rankTasks(a) }), "previous");
    expectInvalid(() => rankTasks(a, { previous: rankTasks(a), asOf: "2026-12-30" }), "previous");
    const old = rankTasks({ ...a, recentDays: 14 }, { asOf: formatDay(parseDay(a.asOf) - 30) });
    expectInvalid(() => rankTasks({ ...a, recentDays: 14 }, { previous: old }), "previous");
    expect(rankTasks({ ...a, recentDays: 42 }, { previous: old }).followThrough).toBeDefined();
    // the window is the analysis' facts', whatever asOf the ranking is made at: a ranking 38 days
    // before the analysis, ranked a week after it, is within 42 days of the facts' end
    const older = rankTasks({ ...a, recentDays: 42 }, { asOf: formatDay(parseDay(a.asOf) - 38) });
    expect(rankTasks({ ...a, recentDays: 42 }, { previous: older, asOf: formatDay(parseDay(a.asOf) + 7) }).followThrough).toBeDefined();
    expectInvalid(() => rankTasks(rankTasks(a) as never), "analysis");
    expectInvalid(() => rankTasks({ ...a, version: 2 as 1 }), "analysis");
  });
});

// ---- properties over random analyses ----

const KINDS: FixturePart["type"][] = ["customer_overdue", "frequency_drop", "diversity_drop", "item_dropped", "item_volume_drop", "cross_sell", "repurchase", "winback", "seasonal", "deal"];
const OFFERS = new Set<string>(["cross_sell", "repurchase", "winback", "seasonal"]);
const arbPart: fc.Arbitrary<FixturePart> = fc.record({
  type: fc.constantFrom(...KINDS),
  value: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 5000, noNaN: true })),
  productId: fc.constantFrom("P0", "P1", "P2", "P3"),
});
const arbCustomers: fc.Arbitrary<FixtureCustomer[]> = fc
  .array(fc.record({ repId: fc.constantFrom("R1", "R2", "R3", null), parts: fc.array(arbPart, { maxLength: 4 }) }), { maxLength: 40 })
  .map((list) =>
    list.map((c, i) => {
      // one part per (type, product) so ids stay unique
      const seen = new Set<string>();
      const key = (p: FixturePart): string => `${OFFERS.has(p.type) ? "offer" : p.type}:${p.productId}`;
      const parts = c.parts.filter((p) => !seen.has(key(p)) && (seen.add(key(p)), true));
      return { id: `C${String(i).padStart(2, "0")}`, repId: c.repId, parts };
    }),
  );

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("rankTasks: talking points show the signal's numbers (review 2026-12-06)", () => {
  it("a mean gap of 6.4967 days, whose evidence field is 6.5, reads 7 in the signal's message, its params and the talking point alike (the field's number, half up: review 2026-12-06; the message and params had read 6 from the raw value, beside the field's 6.5)", () => {
    const orders: OrderRow[] = [];
    let day = Date.UTC(2020, 0, 6);
    for (let i = 0; i <= 300; i++) {
      orders.push({ order_id: `O${i}`, order_date: new Date(day), customer_id: "C1", product_id: "P", quantity: 10, unit_price: 10, unit_cost: 6 });
      day += (i < 298 ? (i % 2 === 0 ? 7 : 6) : 6) * 86_400_000;
    }
    const { dataset } = fromRowsSync({ orders, customers: [{ customer_id: "C1", rep_id: "R1" }] });
    const a = analyze(dataset, { asOf: formatDay(Math.floor((day - 6 * 86_400_000) / 86_400_000) + 60) });
    const s = a.signals.find((x) => x.type === "customer_overdue")!;
    expect([s.evidence["meanGapDays"], s.reason.params["meanGapDays"]]).toEqual([6.5, 7]);
    expect(s.message).toMatch(/^Orders every 7±/);
    const tp = rankTasks(a).tasks[0]!.talkingPoints.find((x) => x.code.startsWith("tp.customer_overdue"))!;
    expect(tp.text).toMatch(/usually every 7 days/);
  });
});

describe("rankTasks: properties", () => {
  const opts = fc.record({ perRep: fc.integer({ min: 1, max: 8 }), relativeFloor: fc.constantFrom(0, 0.05, 0.3), maxPerKind: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) });

  it("per-rep cap, diversity cap, floor, rank order; deterministic", () => {
    fc.assert(
      fc.property(arbCustomers, opts, (customers, o) => {
        const a = taskFixture(customers);
        const r = rankTasks(a, o);
        expect(JSON.stringify(rankTasks(a, o))).toBe(JSON.stringify(r));
        const cap = o.maxPerKind ?? Math.ceil(o.perRep / 2);
        for (const rep of r.byRep) {
          const shown = r.tasks.filter((t) => t.repId === rep.repId);
          expect(shown.map((t) => t.id)).toEqual(rep.taskIds);
          expect(shown.length).toBeLessThanOrEqual(o.perRep);
          const perKind = new Map<string, number>();
          for (const t of shown) perKind.set(t.kind, (perKind.get(t.kind) ?? 0) + 1);
          for (const n of perKind.values()) expect(n).toBeLessThanOrEqual(cap);
          shown.forEach((t, i) => {
            expect(t.rank).toBe(i + 1);
            expect(t.value).toBeGreaterThan(0);
            expect(t.priority).toBeGreaterThanOrEqual(rep.floor);
            if (i > 0) expect(shown[i - 1]!.priority).toBeGreaterThanOrEqual(t.priority);
          });
        }
        // one task per customer
        expect(new Set(r.tasks.map((t) => t.customerId)).size).toBe(r.tasks.length);
      }),
      { numRuns: 150 },
    );
  });

  it("greedy: a candidate above the floor is left out only when the list is full or its kind is capped", () => {
    fc.assert(
      fc.property(arbCustomers, opts, (customers, o) => {
        const r = rankTasks(taskFixture(customers), o);
        const all = rankTasks(taskFixture(customers), { ...o, perRep: 50, maxPerKind: 50 });
        const cap = o.maxPerKind ?? Math.ceil(o.perRep / 2);
        for (const rep of r.byRep) {
          const shown = r.tasks.filter((t) => t.repId === rep.repId);
          const ids = new Set(shown.map((t) => t.id));
          for (const t of all.tasks.filter((x) => x.repId === rep.repId && !ids.has(x.id))) {
            const sameKindAbove = shown.filter((s) => s.kind === t.kind).length;
            const full = shown.length >= o.perRep;
            expect(full || sameKindAbove >= cap || t.priority < rep.floor).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it("invariant to the order of the analysis arrays", () => {
    fc.assert(
      fc.property(arbCustomers, fc.integer({ min: 1, max: 1 << 30 }), (customers, seed) => {
        const a = taskFixture(customers);
        const b: Analysis = {
          ...a,
          customers: shuffled(a.customers, seed),
          signals: shuffled(a.signals, seed + 1),
          offers: shuffled(a.offers, seed + 2),
          values: shuffled(a.values, seed + 3),
          deals: shuffled(a.deals, seed + 4),
          content: shuffled(a.content, seed + 5),
        };
        expect(JSON.stringify(rankTasks(b))).toBe(JSON.stringify(rankTasks(a)));
      }),
      { numRuns: 100 },
    );
  });

  it("snoozed and acknowledged tasks and signals are never shown", () => {
    fc.assert(
      fc.property(arbCustomers, fc.array(fc.nat(), { maxLength: 10 }), (customers, picks) => {
        const a = taskFixture(customers);
        const taskIds = customers.map((c) => `task:${c.id}`);
        const signalIds = a.signals.map((s) => s.id);
        const pool = [...taskIds, ...signalIds];
        if (pool.length === 0) return;
        const hidden = picks.map((p) => pool[p % pool.length]!);
        const half = Math.floor(hidden.length / 2);
        const r = rankTasks(a, { snoozed: hidden.slice(0, half).map((id) => ({ id, until: "2026-12-01" })), acknowledged: hidden.slice(half), relativeFloor: 0 });
        const all: Task[] = [...r.tasks, ...r.escalations];
        for (const t of all) {
          expect(hidden).not.toContain(t.id);
          for (const s of t.signals) expect(hidden).not.toContain(s.id);
          for (const c of t.components) expect(hidden).not.toContain(c.id);
        }
      }),
      { numRuns: 100 },
    );
  });
});
