import { describe, expect, it } from "vitest";
import { formatDay } from "../../data/format-day.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import { resolveIngestOptions } from "../../data/internal/resolve-ingest-options.ts";
import { parseDay } from "../../data/parse-day.ts";
import type { Signal } from "../../signals/types.ts";
import { EngineCore } from "./core.ts";

/** An item_volume_drop situation as a detector would report it (only what the core reads matters here). */
const volumeDrop = (asOf: number): Signal =>
  ({
    id: "item_volume_drop:C1:P1:2026-01-05",
    type: "item_volume_drop",
    asOf: formatDay(asOf),
    customerId: "C1",
    productId: "P1",
    repId: "R1",
    since: "2026-01-05",
    severity: 0.5,
    valueAtRisk: 100,
    reason: "item_volume_drop",
    message: "",
    params: {},
    evidence: {},
  }) as unknown as Signal;

/** A core whose detection finds the situation exactly on the given days (a statistic near its threshold), and a sibling (same family, another start) on `siblingOn`. */
function scripted(foundOn: ReadonlySet<number>, cooldownDays: number, keepResolvedDays = 365, siblingOn: ReadonlySet<number> = new Set()): { core: EngineCore; seen: string[] } {
  const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "C1", product_id: "P1", quantity: 10, unit_price: 5 }] });
  const seen: string[] = [];
  const core = new EngineCore({
    dataset,
    ingestOptions: resolveIngestOptions({}),
    asOf: undefined,
    refitEvery: 7,
    cooldownDays,
    keepResolvedDays,
    detect: (_ds, asOf) => ({
      signals: [...(foundOn.has(asOf) ? [volumeDrop(asOf)] : []), ...(siblingOn.has(asOf) ? [{ ...volumeDrop(asOf), id: "item_volume_drop:C1:P1:2026-02-20", since: "2026-02-20" } as Signal] : [])],
      cases: undefined,
      itemCases: undefined,
      frequencyCases: undefined,
    }),
    onSignal: (s, e) => void seen.push(`${e.at} ${e.kind}${e.alert ? "!" : ""}${s.since === "2026-02-20" ? " (sibling)" : ""}`),
    sinks: undefined,
  });
  return { core, seen };
}

describe("EngineCore: the cooldown of a situation that stops being detected (review 2026-12-06: flapping re-alerts)", () => {
  const d0 = parseDay("2026-02-02", "d");
  const weeks = (...w: number[]): Set<number> => new Set(w.map((k) => d0 + 7 * k));

  it("found again within cooldownDays of the day it stopped being detected: reopened, no second alert", () => {
    // alerted in week 0, seen until week 5, gone in week 6, back in week 8: 56 days after the alert
    // (outside a cooldown counted from it), 14 after it was last missed
    const { core, seen } = scripted(weeks(0, 1, 2, 3, 4, 5, 8, 9), 30);
    for (let w = 0; w <= 9; w++) core.tick(d0 + 7 * w);
    expect(seen).toEqual(["2026-02-02 opened!", "2026-03-16 resolved", "2026-03-30 reopened"]);
  });

  it("also when keepResolvedDays is shorter than the cooldown: the record that it was alerted stays through the cooldown (review 2026-12-06: it was alerted again)", () => {
    for (const keep of [0, 7]) {
      const { core, seen } = scripted(weeks(0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12), 30, keep);
      for (let w = 0; w <= 12; w++) core.tick(d0 + 7 * w);
      expect(seen).toEqual(["2026-02-02 opened!", "2026-03-16 resolved", "2026-03-30 reopened"]);
    }
  });

  it("kept while a sibling's alert keeps the family's cooldown running (review 2026-12-06: forgotten, it was alerted again when that cooldown ended)", () => {
    // alerted in week 0, gone in week 2; a sibling opens in week 3 (held back) and is alerted when
    // the cooldown ends (week 7); the first comes back in week 8, inside the sibling's cooldown
    const { core, seen } = scripted(weeks(0, 1, 8, 9, 10, 11, 12, 13), 30, 0, weeks(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13));
    for (let w = 0; w <= 13; w++) core.tick(d0 + 7 * w);
    expect(seen).toEqual(["2026-02-02 opened!", "2026-02-16 resolved", "2026-02-23 opened (sibling)", "2026-03-23 updated! (sibling)", "2026-03-30 reopened"]);
  });

  it("found again after cooldownDays of absence: news, alerted again", () => {
    const { core, seen } = scripted(weeks(0, 1, 2, 3, 4, 5, 11), 30);
    for (let w = 0; w <= 11; w++) core.tick(d0 + 7 * w);
    // gone on 2026-03-16, back 35 days later
    expect(seen).toEqual(["2026-02-02 opened!", "2026-03-16 resolved", "2026-04-20 reopened!"]);
  });

  it("without a cooldown every return alerts", () => {
    const { core, seen } = scripted(weeks(0, 2), 0);
    for (let w = 0; w <= 2; w++) core.tick(d0 + 7 * w);
    expect(seen).toEqual(["2026-02-02 opened!", "2026-02-09 resolved", "2026-02-16 reopened!"]);
  });
});
