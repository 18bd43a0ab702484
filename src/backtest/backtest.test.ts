import { describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { asOfView } from "../data/as-of-view.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import type { OrderRow } from "../data/rows.ts";
import { formatDay } from "../data/format-day.ts";
import { parseDay } from "../data/parse-day.ts";
import { detectSignals } from "../signals/detect-signals.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { backtest } from "./backtest.ts";
import type { BacktestOptions } from "./types.ts";

/** Weekly Monday orders of one customer from 2026-01-05, skipping the Mondays `skip` says. */
function weekly(customer: string, weeks: number, skip: (day: number) => boolean = () => false, product = "P1"): OrderRow[] {
  const rows: OrderRow[] = [];
  const first = parseDay("2026-01-05");
  for (let w = 0; w < weeks; w++) {
    const day = first + 7 * w;
    if (skip(day)) continue;
    rows.push({ order_id: `${customer}-${w}`, order_date: formatDay(day), customer_id: customer, product_id: product, quantity: 10, unit_price: 3, unit_cost: 2 });
  }
  return rows;
}

const D = parseDay;
// C1: weekly, last order 2026-10-05, then gone. C2: weekly with a six-week pause (2026-10-12 .. 2026-11-09 skipped), back on 2026-11-16. C3: weekly throughout.
const orders: OrderRow[] = [
  ...weekly("C1", 40),
  ...weekly("C2", 61, (d) => d > D("2026-10-05") && d < D("2026-11-16")),
  ...weekly("C3", 61),
];
const { dataset } = fromRowsSync({ orders });
const window = { from: "2026-09-07", to: "2027-03-01" } as const;
const overdueOnly: BacktestOptions = { ...window, types: ["customer_overdue"] };

describe("backtest: a weekly customer who stops (hand-computed)", () => {
  const r = backtest(dataset, overdueOnly);
  const c1 = r.situations.find((s) => s.customerId === "C1")!;

  it("replays every 7 days from `from` to `to`, each day exactly what detectSignals shows that day", () => {
    expect(r.asOfDays.length).toBe(26); // 2026-09-07 + 7k <= 2027-03-01: 175 days / 7 = 25 steps
    expect(r.asOfDays[0]).toBe("2026-09-07");
    expect(r.asOfDays[25]).toBe("2027-03-01");
    // first day detectSignals flags C1, replayed by hand
    const firstByHand = r.asOfDays.find((d) => detectSignals(dataset, { asOf: d, types: ["customer_overdue"] }).some((s) => s.customerId === "C1"));
    expect(c1.firstFlagged).toBe(firstByHand);
    expect(c1.id).toBe("customer_overdue:C1:2026-10-05");
    // a clockwork weekly buyer is flagged after two to five missed Mondays
    expect(D(c1.firstFlagged)).toBeGreaterThanOrEqual(D("2026-10-19"));
    expect(D(c1.firstFlagged)).toBeLessThanOrEqual(D("2026-11-09"));
    expect(c1.lastFlagged).toBe("2027-03-01");
    expect(c1.resolved).toBeUndefined();
    expect(c1.timesFlagged).toBe((D("2027-03-01") - D(c1.firstFlagged)) / 7 + 1);
  });

  it("lead time against the static monthly report, on paper: last order 2026-10-05 + 90 days = 2027-01-03, listed on the next 1st, 2027-02-01", () => {
    const od = r.byType[0]!.overdue!;
    const leadC1 = D("2027-02-01") - D(c1.firstFlagged);
    const c2 = r.situations.find((s) => s.customerId === "C2");
    if (c2 === undefined) {
      expect(od.flagged).toBe(1);
      expect(od.leadDays).toMatchObject({ n: 1, median: leadC1 });
    } else {
      // C2's pause (42 days) never reaches the report's 90 days; its situation clears on its return
      expect(c2.resolved).toBe("2026-11-16");
      expect(od.reportNeverListed).toBe(1);
      expect(od.leadDays).toMatchObject({ n: 1, median: leadC1 });
    }
    expect(od.reportListed).toBe(1);
    expect(od.earlier).toBe(1);
    expect(od.reportPending).toBe(0);
  });

  it("confirmed share: C1 never orders within its p90 gap after the flag", () => {
    const od = r.byType[0]!.overdue!;
    expect(od.checkable).toBe(od.flagged);
    expect(od.confirmed).toBeGreaterThanOrEqual(1);
    expect(r.entities.find((e) => e.entity === "C1")).toMatchObject({ type: "customer_overdue", firstFlagged: c1.firstFlagged, situations: 1 });
    expect(r.situations.some((s) => s.customerId === "C3")).toBe(false);
  });
});

describe("backtest: truth matching", () => {
  const truth = {
    events: [
      { type: "churn", customerId: "C1", start: "2026-10-06", variant: "abrupt" },
      { type: "churn", customerId: "C3", start: "2026-12-01" }, // planted but C3 never changes: a miss
      { type: "churn", customerId: "C3", start: "2026-01-10" }, // before the window: not counted in recall
      { type: "frequency_drop", customerId: "C2", start: "2026-10-06" }, // a related change for C2's flag
      { type: "adoption", customerId: "C3", productId: "P1", start: "2026-02-01" }, // ignored
    ],
  };
  const r = backtest(dataset, { ...overdueOnly, truth });
  const t = r.byType[0]!.truth!;
  const c1 = r.situations.find((s) => s.customerId === "C1")!;
  const c2flagged = r.situations.some((s) => s.customerId === "C2");

  it("recall, precision and delay in days and median gaps", () => {
    expect(t.events).toBe(2);
    expect(t.found).toBe(1);
    expect(t.recall).toBe(0.5);
    expect(t.flaggedEntities).toBe(c2flagged ? 2 : 1);
    expect(t.trueEntities).toBe(1);
    expect(t.precision).toBe(c2flagged ? 0.5 : 1);
    expect(t.precisionRelated).toBe(1);
    const delay = D(c1.firstFlagged) - D("2026-10-06");
    expect(t.delayDays).toMatchObject({ n: 1, median: delay });
    expect(t.delayGaps?.median).toBeCloseTo(delay / 7, 6); // C1's median gap is 7 days
    expect(t.falseAlarmsPerQuarter).toBe(0);
  });

  it("baselines on the same days, on paper", () => {
    const [report, naive] = r.byType[0]!.baselines;
    // static report: C1 listed on 2027-02-01 and 2027-03-01; C2's 42-day pause never listed
    expect(report).toMatchObject({ name: "static_monthly_report", flaggedEntities: 1, situations: 1 });
    expect(report!.truth).toMatchObject({ found: 1, precision: 1 });
    expect(report!.truth!.delayDays!.median).toBe(D("2027-02-01") - D("2026-10-06"));
    // naive rule: gaps all 7 days (variance 0), so any silence over 7 days flags: C1 and C2 on 2026-10-19
    expect(naive).toMatchObject({ name: "naive_rhythm", flaggedEntities: 2, situations: 2 });
    expect(naive!.truth).toMatchObject({ found: 1, precision: 0.5, precisionRelated: 1 });
    expect(naive!.truth!.delayDays!.median).toBe(D("2026-10-19") - D("2026-10-06"));
  });
});

describe("backtest: quiet rate", () => {
  it("counts situations first flagged after the first day each method looks: one already open then is not new", () => {
    const s = generateSyntheticDistributor({ seed: 1, customers: 40, products: 60, years: 2 });
    const { dataset } = fromRowsSync({ orders: s.orders, customers: s.customers, products: s.products });
    const common = { to: "2026-02-28", every: 7, truth: s.truth, types: ["customer_overdue"] as const };
    // the same as-of days from 2026-02-01 on; February is the only whole month in both windows
    const feb = backtest(dataset, { ...common, from: "2026-02-01" }), jan = backtest(dataset, { ...common, from: "2026-01-04" });
    expect(feb.byType[0]!.openAtStart).toBeGreaterThan(0);
    expect(feb.byType[0]!.truth!.quietPerCustomerMonth).toEqual(jan.byType[0]!.truth!.quietPerCustomerMonth);
    // the static report: what it lists on its first 1st was silent before the window, and that is
    // its only look in January: no month to score (until 2026-12-06 a 0 counted in the mean)
    const r1 = backtest(dataset, { ...common, from: "2026-01-01", to: "2026-01-31" });
    expect(r1.byType[0]!.baselines[0]!.truth!.quietPerCustomerMonth).toBeUndefined();
  });

  it("a flag a planted segment-level change explains is no noise on a quiet customer (review 2026-12-07: item_dropped's quiet rate counted them)", () => {
    // six customers of segment S buy P1 and P2 weekly; P2 vanishes from the segment on 2026-05-04
    const rows: OrderRow[] = [];
    const customers: { customer_id: string; segment: string }[] = [];
    const start = D("2025-01-06"), stop = D("2026-05-04");
    for (let k = 1; k <= 6; k++) {
      customers.push({ customer_id: `K${k}`, segment: "S" });
      for (let w = 0; w < 86; w++) {
        const day = start + 7 * w + (k % 3);
        for (const p of ["P1", "P2"]) if (p === "P1" || day < stop) rows.push({ order_id: `K${k}-${w}`, order_date: formatDay(day), customer_id: `K${k}`, product_id: p, quantity: 10, unit_price: 3, unit_cost: 2 });
      }
    }
    const truth = { events: [{ type: "product_vanishing" as const, segment: "S", productId: "P2", start: "2026-05-04" }] };
    const r = backtest(fromRowsSync({ orders: rows, customers }).dataset, { from: "2026-03-02", to: "2026-08-24", types: ["item_dropped"], truth }).byType[0]!;
    // every customer's P2 is flagged, each flag related (true) and none noise: the rate read 0.25 (worst month 1)
    expect([r.situations, r.truth!.precisionRelated]).toEqual([6, 1]);
    expect(r.truth!.quietPerCustomerMonth).toEqual({ mean: 0, max: 0 });
  });

  it("the static report's quiet rate leaves out the month of its first look (no month scores a forced 0)", () => {
    const s = generateSyntheticDistributor({ seed: 1, customers: 300, products: 60, years: 2 });
    const { dataset } = fromRowsSync({ orders: s.orders, customers: s.customers, products: s.products });
    const quiet = (from: string): { mean: number; max: number } | undefined =>
      backtest(dataset, { from, to: "2025-12-31", every: 7, truth: s.truth, types: ["customer_overdue"] }).byType[0]!.baselines[0]!.truth!.quietPerCustomerMonth;
    // from 2025-11-15 the report first looks on 1 December: December holds no later look, nothing
    // to score; from 2025-11-01 it first looks on 1 November: November is not scored, December is
    // (until 2026-12-06 the first look's month counted as 0: {0, 0} and a mean of half December's)
    const dec = quiet("2025-11-15"), novDec = quiet("2025-11-01");
    expect(dec).toBeUndefined();
    expect(novDec!.mean).toBe(novDec!.max);
    expect(novDec!.mean).toBeGreaterThan(0);
  });
});

describe("backtest: empty groups are undefined (edge-case policy)", () => {
  it("no quiet customer at all: no quiet rate (it read 0); one as-of day: no new-per-as-of figures (they read 0)", () => {
    const { dataset } = fromRowsSync({ orders: [...weekly("C1", 40), ...weekly("C3", 61)] });
    const truth = { events: [{ type: "churn", customerId: "C1", start: "2026-10-06" }, { type: "frequency_drop", customerId: "C3", start: "2026-12-01" }] } as const;
    const t = backtest(dataset, { from: "2026-09-07", to: "2027-03-01", types: ["customer_overdue"], truth }).byType[0]!;
    expect(t.truth!.quietPerCustomerMonth).toBeUndefined();
    expect(t.baselines[0]!.truth!.quietPerCustomerMonth).toBeUndefined();
    const one = backtest(dataset, { from: "2026-11-02", to: "2026-11-02", types: ["customer_overdue"] }).byType[0]!;
    expect([one.newPerAsOfMean, one.newPerAsOfMax]).toEqual([undefined, undefined]);
  });

  it("no order and no `to`: nothing replayed, no days (it replayed 1969; with `from` it threw)", () => {
    const empty = fromRowsSync({ orders: [] }).dataset;
    for (const o of [{}, { from: "2026-01-01" }]) {
      const r = backtest(empty, o);
      expect([r.from, r.to, r.asOfDays, r.situations]).toEqual([undefined, undefined, [], []]);
    }
    // with `to`, the days asked are replayed (and find nothing)
    expect(backtest(empty, { from: "2026-01-01", to: "2026-01-15" }).asOfDays).toEqual(["2026-01-01", "2026-01-08", "2026-01-15"]);
  });
});

describe("backtest: honesty, determinism, progress", () => {
  it("data after `to` changes nothing (new orders, customers, products and deal events)", () => {
    const later: OrderRow[] = [
      { order_id: "L1", order_date: "2027-03-02", customer_id: "C1", product_id: "P1", quantity: 10, unit_price: 3, unit_cost: 2 },
      { order_id: "L2", order_date: "2027-04-05", customer_id: "C9", product_id: "P9", quantity: 5, unit_price: 1, unit_cost: 0.5 },
      { order_id: "L3", order_date: "2027-03-08", customer_id: "C2", product_id: "P7", quantity: 1, unit_price: 8, unit_cost: 4 },
    ];
    const more = fromRowsSync({ orders: [...orders, ...later] }).dataset;
    const opts: BacktestOptions = { ...window, every: 14, truth: { events: [{ type: "churn", customerId: "C1", start: "2026-10-06" }] } };
    expect(backtest(more, opts)).toEqual(backtest(dataset, opts));
  });

  it("is deterministic and reports progress after each as-of day", () => {
    const seen: string[] = [];
    const a = backtest(dataset, { ...overdueOnly, every: 28, onProgress: (p) => seen.push(`${p.done}/${p.total} ${p.asOf}`) });
    expect(seen).toEqual(a.asOfDays.map((d, k) => `${k + 1}/${a.asOfDays.length} ${d}`));
    expect(backtest(dataset, { ...overdueOnly, every: 28 })).toEqual(a);
  });

  it("defaults: to = the last order day, from = to - 364, every 7, all types", () => {
    const r = backtest(dataset, { from: "2027-03-01" });
    expect(r.to).toBe("2027-03-01"); // C2 and C3's last Monday (week 61 from 2026-01-05)
    expect(r.asOfDays).toEqual(["2027-03-01"]);
    expect(r.types.length).toBe(9);
    expect(r.every).toBe(7);
    expect(backtest(dataset, { types: ["kpi_drop"] }).from).toBe(formatDay(D("2027-03-01") - 364));
    // an as-of view holds nothing after its day: a later `to` is that day, as the default is
    const view = asOfView(dataset, "2027-01-31");
    expect(JSON.stringify(backtest(view, { from: "2026-11-01", to: "2027-03-01" }))).toBe(JSON.stringify(backtest(view, { from: "2026-11-01" })));
    // nor does a dataset after its last order day: a later `to` is that day (the days after it read
    // as silence until 2026-12-07: every customer "confirmed" overdue, recall from unknown days)
    const later = backtest(dataset, { from: "2027-02-01", to: "2027-06-01", types: ["customer_overdue"] });
    expect(later.to).toBe("2027-03-01");
    expect(JSON.stringify(later)).toBe(JSON.stringify(backtest(dataset, { from: "2027-02-01", types: ["customer_overdue"] })));
  });
});

describe("backtest: bought again within 90 days", () => {
  it("not for item_volume_drop, which requires the item to keep being bought (100 % by construction; review 2026-12-07)", () => {
    const r = backtest(dataset, { ...window, types: ["item_dropped", "item_volume_drop"] });
    expect(r.byType.map((t) => [t.type, t.boughtAgainWithin90 === undefined])).toEqual([["item_dropped", false], ["item_volume_drop", true]]);
  });
});

describe("backtest: option validation", () => {
  it("throws INVALID_OPTION naming the option", () => {
    expectInvalid(() => backtest(dataset, "x" as never), "options");
    expectInvalid(() => backtest(dataset, { from: "2027-01-01", to: "2026-01-01" }), "from");
    // a `from` after the data's last day names that day, not a `to` never given (review 2026-12-07)
    expect(() => backtest(dataset, { from: "2027-06-01", to: "2027-12-31" })).toThrow("invalid option from: 2027-06-01 is after the data's last day 2027-03-01");
    expectInvalid(() => backtest(dataset, { from: "2026-13-01" }), "from");
    expectInvalid(() => backtest(dataset, { to: true as never }), "to");
    expectInvalid(() => backtest(dataset, { every: 0 }), "every");
    expectInvalid(() => backtest(dataset, { every: 1.5 }), "every");
    expectInvalid(() => backtest(dataset, { every: 400 }), "every");
    expectInvalid(() => backtest(dataset, { types: ["nope" as never] }), "types");
    expectInvalid(() => backtest(dataset, { types: [] }), "types");
    expectInvalid(() => backtest(dataset, { sensitivity: 0 }), "sensitivity");
    expectInvalid(() => backtest(dataset, { truth: {} as never }), "truth");
    expectInvalid(() => backtest(dataset, { truth: { events: [{ type: 1 }] } as never }), "truth");
    expectInvalid(() => backtest(dataset, { truth: { events: [{ type: "churn", start: "soon" }] } }), "truth");
    // dates of the right shape that are no calendar day were dropped from the scoring silently
    expectInvalid(() => backtest(dataset, { truth: { events: [{ type: "churn", customerId: "C1", start: "2026-02-30" }] } }), "truth");
    expectInvalid(() => backtest(dataset, { truth: { events: [{ type: "churn", customerId: "C1", start: "2026-02-01", end: "2026-13-01" }] } }), "truth");
    expectInvalid(() => backtest(dataset, { calendar: { weekendDays: [7] } }), "calendar.weekendDays");
    expectInvalid(() => backtest(dataset, { calendar: { holidays: ["May 1"] } }), "calendar.holidays");
    // a hole in a sparse array is a missing date of calendar.holidays (review 2026-12-07: option "day")
    expectInvalid(() => backtest(dataset, { calendar: { holidays: [, "2026-04-13"] as string[] } }), "calendar.holidays");
    expectInvalid(() => backtest(dataset, { calendar: "x" as never }), "calendar");
    expectInvalid(() => backtest(dataset, { calendar: { weekendDays: [0, 1, 2, 3, 4, 5, 6] } }), "calendar.weekendDays");
    expectInvalid(() => backtest(dataset, { onProgress: "x" as never }), "onProgress");
  });
});

describe("backtest: truth ids", () => {
  it("an id that is not a text is a bad truth (INVALID_OPTION), not a change that silently matches nothing", () => {
    const ds = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "1001", product_id: "P", quantity: 1, unit_price: 1 }] }).dataset;
    expectInvalid(() => backtest(ds, { from: "2026-01-05", to: "2026-02-05", truth: { events: [{ type: "churn", customerId: 1001 as never, start: "2026-01-10" }] } }), "truth");
    // and a change without the ids it is matched by (it vanished from the counts: events 0)
    for (const e of [{ type: "churn", start: "2026-01-10" }, { type: "churn", customer_id: "1001", start: "2026-01-10" }, { type: "item_dropped", customerId: "1001", start: "2026-01-10" }, { type: "discount_rise", start: "2026-01-10" }]) {
      expectInvalid(() => backtest(ds, { from: "2026-01-05", to: "2026-02-05", truth: { events: [e as never] } }), "truth");
    }
  });
});

describe("backtest: from and to given as Dates", () => {
  it("are their instants' days in the dataset's time zone, as asOf is (review 2026-12-07: their UTC dates)", () => {
    const orders: OrderRow[] = [];
    for (let w = 0; w < 30; w++) orders.push({ order_id: `O${w}`, order_date: formatDay(parseDay("2025-09-01") + 7 * w), customer_id: "C1", product_id: "P", quantity: 1, unit_price: 5 });
    const { dataset } = fromRowsSync({ orders }, { timeZone: "Asia/Jerusalem" });
    const d = new Date("2026-03-15T23:30:00Z"); // 01:30 on March 16 in Jerusalem
    const r = backtest(dataset, { from: d, to: d, types: ["customer_overdue"] });
    expect([r.from, r.to]).toEqual(["2026-03-16", "2026-03-16"]);
  });
});
