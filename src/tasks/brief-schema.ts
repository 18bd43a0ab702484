import * as z from "zod/mini";
import type { WeeklyBrief } from "./brief-types.ts";

/**
 * The zod (`zod/mini`) schema of a {@link WeeklyBrief} as JSON (after `JSON.stringify`), for
 * hosts that receive briefs at their own boundary; orderpulse never runs it when it builds one.
 * `z.toJSONSchema(weeklyBriefSchema)` gives its JSON Schema (src/tasks/weekly-brief.schema.json
 * holds a copy).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { weeklyBriefSchema } from "orderpulse";
 * assert.equal(weeklyBriefSchema.safeParse({ version: 1 }).success, false);
 * ```
 */
export const weeklyBriefSchema: z.ZodMiniType<WeeklyBrief> = /* @__PURE__ */ (() => {
  const str = z.string();
  const num = z.number();
  const optStr = z.optional(z.string());
  const optNum = z.optional(z.number());
  // a calendar day (YYYY-MM-DD, 2026-02-31 refused); counts; shares and probabilities in [0, 1]
  // (the calendar-day pattern of zod's iso.date, leap years included, without its class: 1 kB less)
  const day = z.string().check(z.regex(/^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))$/));
  const optDay = z.optional(day);
  const count = z.int().check(z.minimum(0));
  const share = z.number().check(z.minimum(0), z.maximum(1));
  const optShare = z.optional(share);
  const params = z.record(z.string(), z.union([z.string(), z.number()]));
  const text = { code: str, params, text: str };
  const periodRef = z.object({ label: str, start: day, end: day });
  const valueItem = {
    id: str,
    source: z.enum(["signal", "offer", "deal"]),
    type: str,
    customerId: optStr,
    productId: optStr,
    value: num,
    formula: str,
    inputs: z.record(z.string(), z.number()),
  };
  const followRate = z.object({ repId: z.nullable(str), shown: count, done: count, rate: share, valueDone: num });
  // a listed task's rank is whole from 1; an escalation's is 0 when it is not in this week's list
  // (an escalation only: types.ts' `rank`), which the schema refused until 2026-12-07 (a review)
  const taskWith = (minRank: number) => z.object({
    id: str,
    repId: z.nullable(str),
    customerId: optStr,
    customerName: optStr,
    segment: optStr,
    kind: z.enum(["churn", "item", "pipeline", "cross_sell", "reorder"]),
    value: num,
    priority: num,
    rank: z.int().check(z.minimum(minRank)),
    status: z.enum(["new", "open"]),
    firstShown: day,
    actions: z.array(z.object({ type: z.enum(["visit", "call", "email"]), ...text })),
    talkingPoints: z.array(z.object(text)),
    offers: z.array(
      z.object({
        id: str,
        productId: str,
        productName: optStr,
        family: optStr,
        kind: z.enum(["cross_sell", "repurchase", "winback", "seasonal"]),
        suggestedPrice: num,
        listPrice: z.nullable(num),
        quantity: num,
        value: num,
      }),
    ),
    signals: z.array(z.object({ id: str, type: str, since: day, productId: optStr, value: num, severity: share })),
    deals: z.array(z.object({ dealId: str, stage: str, daysInStage: count, amount: optNum, value: num })),
    content: z.array(z.object({ contentId: str, title: str, url: str, match: z.enum(["product", "family", "segment"]) })),
    components: z.array(z.object({ ...valueItem, counted: z.boolean() })),
    boostedBy: z.array(str),
    headline: str,
    weekly: z.array(count),
    expectedPerWeek: optNum,
    lastOrder: optDay,
    expectedNext: optDay,
    dueSince: optDay,
  });
  return z.object({
  version: z.literal(1),
  kind: z.enum(["rep", "manager", "company"]),
  asOf: day,
  locale: z.enum(["en", "he"]),
  currency: optStr,
  valueBasis: z.optional(z.enum(["margin", "revenue"])),
  recipient: z.object({ id: z.nullable(str), name: optStr }),
  team: z.array(str),
  title: str,
  period: z.object({ unit: z.enum(["week", "month", "quarter"]), current: z.optional(periodRef), previous: z.optional(periodRef) }),
  kpis: z.array(
    z.object({
      kpi: str,
      label: str,
      current: optNum,
      previous: optNum,
      change: optNum,
      changePct: optNum,
      teamAverage: optNum,
      target: optNum,
      targetProgress: optNum,
      targetElapsed: optShare,
      targetPeriod: optStr,
      targetActual: optNum,
      targetDataFrom: optDay,
      text: str,
    }),
  ),
  tasks: z.array(taskWith(1)),
  signals: z.array(
    z.object({ id: str, type: str, value: num, severity: share, since: day, segment: optStr, repId: optStr, productId: optStr, kpi: optStr, text: str }),
  ),
  escalations: z.array(taskWith(0)),
  followThrough: z.optional(
    z.object({
      previousAsOf: day,
      shown: count,
      done: count,
      open: count,
      dropped: count,
      rate: share,
      text: str,
      items: z.array(
        z.object({
          taskId: str,
          repId: z.nullable(str),
          customerId: optStr,
          status: z.enum(["done", "open", "dropped"]),
          reassigned: z.boolean(),
          ordered: z.boolean(),
          offersBought: z.array(str),
          value: num,
        }),
      ),
      byRep: z.array(followRate),
      history: z.array(z.object({ asOf: day, shownOn: optDay, byRep: z.array(followRate) })),
    }),
  ),
  reps: z.array(
    z.object({ repId: str, name: optStr, tasks: count, value: num, revenue: optNum, revenueChangePct: optNum, revenueChange: optNum, followThroughRate: optShare }),
  ),
}) as unknown as z.ZodMiniType<WeeklyBrief>;
})();
