import type { Dataset } from "../data/dataset.ts";
import { formatDay } from "../data/format-day.ts";
import type { ChurnWindowOptions } from "./churn-rate.ts";
import { checkChurnOptions, churnWindows, firstLineOnOrAfter, forEachAtRisk } from "./internal/churn-core.ts";
import { purchaseDayIndex } from "../data/internal/purchase-days.ts";
import { extendKeys, type OptionKeys } from "../data/internal/check.ts";
import { KPI_KEYS, kpiContext } from "./internal/context.ts";
import { ownerReps } from "../data/internal/owner-reps.ts";
import type { KpiOptions } from "./types.ts";
import { NO_DAY } from "../data/internal/no-day.ts";

/** Customer attributes a churn profile compares. */
export type ChurnProfileDimension = "segment" | "rep" | "region" | "channel" | "family";

/** Options of {@link churnProfile}. `by` is ignored: every dimension is profiled. */
export interface ChurnProfileOptions extends KpiOptions {
  /** Churn and look-back windows (as in `churnRate`). */
  churn?: ChurnWindowOptions | undefined;
  /** Fewest churned customers a value needs to be ranked (default 3). */
  minCount?: number | undefined;
}

const KEYS: OptionKeys<ChurnProfileOptions> = /* @__PURE__ */ extendKeys<ChurnProfileOptions, KpiOptions>(KPI_KEYS, { churn: true, minCount: true });

/** One dimension value and how over-represented it is among churned customers. */
export interface ChurnFactor {
  /** The dimension. */
  readonly dimension: ChurnProfileDimension;
  /** The value (segment name, rep id, ...); `null` for customers without one. */
  readonly value: string | null;
  /** Churned customers with this value. */
  readonly churned: number;
  /** Base customers with this value (churned ones included). */
  readonly base: number;
  /** churned ÷ all churned customers. */
  readonly shareChurned: number;
  /** base ÷ all base customers. */
  readonly shareBase: number;
  /** shareChurned ÷ shareBase: above 1 = over-represented among churned customers. */
  readonly lift: number;
  /** churned ÷ base: the churn rate within the value. */
  readonly churnRate: number;
}

/** What churned customers have in common over a run of periods. */
export interface ChurnProfile {
  /** First day of the first period, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day of the last period, `YYYY-MM-DD`. */
  readonly to: string;
  /** True when the last period ends after `asOf` (churn confirmed after it is not seen yet). */
  readonly censored: boolean;
  /**
   * True when a period's history reaches before the data's first day (or the data begin inside
   * it): the customers whose last purchase lies before the data are missing from the churned and
   * the base, as churn_rate's `partial` rows (an export cut on 2024-03-15 read 1 churned of 137
   * for April to June where the whole export had 11 of 145, unmarked; review 2026-12-07).
   */
  readonly partial: boolean;
  /** Distinct customers that churned in any of the periods. */
  readonly churned: number;
  /** Distinct customers in the at-risk base of any of the periods. */
  readonly base: number;
  /** Values with at least `minCount` churned customers, by lift (highest first), then churned count, dimension, value. */
  readonly factors: readonly ChurnFactor[];
}

const DIMS: readonly ChurnProfileDimension[] = ["segment", "rep", "region", "channel", "family"];

/**
 * Churn profile: which segments, reps (account owners), regions, channels and product families
 * are over-represented among churned customers compared with the at-risk base, over the
 * `periods` periods (default 12 months) ending with the one holding `asOf`.
 *
 * Churned customers and the base are those of `churnRate` (same windows), each customer counted
 * once over the run of periods. Every customer is described at one reference period: the first
 * in which it churned, else the last in which it was in the base. Segment, region: customers.csv;
 * rep: the account owner (else the rep of its latest order line, else of its latest line); channel: the customer's default
 * channel, else the channel of most of its lines (ties: first in sorted order); family: every
 * family it bought (positive lines) in the look-back window of its reference period, so a
 * customer may count in several families. For each value: `shareChurned` = churned with it ÷ all
 * churned; `shareBase` = base with it ÷ all base; `lift` = shareChurned ÷ shareBase. Values with
 * fewer than `minCount` (default 3) churned customers are left out, so a lone churned customer
 * cannot top the list.
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf, period (default `month`), periods, `churn: { windowDays, lookbackDays }`, `minCount`
 * @returns the totals and the ranked factors (empty when nobody churned)
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { churnProfile, fromRowsSync } from "orderpulse";
 * const customers = ["A", "B", "C", "D", "E", "F"].map((id, i) => ({ customer_id: id, segment: i < 3 ? "bars" : "shops" }));
 * const orders = customers.map((c, i) => (
 *   { order_id: String(i), order_date: "2026-01-05", customer_id: c.customer_id, product_id: "P", quantity: 1, unit_price: 5 }
 * ));
 * orders.push(...orders.slice(3).map((o) => ({ ...o, order_id: `x${o.order_id}`, order_date: "2026-02-20" })));
 * const { dataset } = fromRowsSync({ orders, customers });
 * // March, 60-day window: A, B, C (bars) churn on Mar 6; D, E, F bought again on Feb 20
 * const profile = churnProfile(dataset, { asOf: "2026-03-31", periods: 1, churn: { windowDays: 60 }, minCount: 1 });
 * assert.equal(profile.churned, 3);
 * assert.deepEqual([profile.factors[0]?.dimension, profile.factors[0]?.value, profile.factors[0]?.lift], ["segment", "bars", 2]);
 * ```
 */
export function churnProfile(dataset: Dataset, options?: ChurnProfileOptions): ChurnProfile {
  checkChurnOptions(options, "churnProfile", KEYS);
  // (with asOfInProgress, churn is observed up to the data's last day as churn_rate's rows observe
  // it: a churn day after it is not confirmed and the profile is `censored`)
  const ctx = kpiContext(dataset, { ...options, by: undefined }, "month", "churnProfile");
  const w = churnWindows(options);
  const minCount = options?.minCount ?? 3;
  const { view, slots } = ctx;
  const { lines, customers, ids } = view;
  const nC = view.customerEnd.length;
  // reference slot of each customer: first churn slot, else last base slot
  const refSlot = new Int32Array(nC).fill(-1);
  const isChurned = new Uint8Array(nC);
  forEachAtRisk(ctx, purchaseDayIndex(view), w, (slot, c, _t, lastOrder) => {
    if (isChurned[c]) return;
    refSlot[c] = slot;
    if (lastOrder !== NO_DAY) isChurned[c] = 1;
  });
  const owner = ownerReps(view);
  const channelCount = new Float64Array(ids.channels.size);
  const familySeen = new Int32Array(ids.families.size + 1).fill(-1);
  // counts per dimension: Map<value id (-1 = missing), [churned, base]>
  const counts = DIMS.map(() => new Map<number, [number, number]>());
  let nChurned = 0, nBase = 0;
  const count = (dim: number, id: number, churned: boolean): void => {
    const m = counts[dim]!;
    let cell = m.get(id);
    if (!cell) m.set(id, (cell = [0, 0]));
    cell[1]++;
    if (churned) cell[0]++;
  };
  for (let c = 0; c < nC; c++) {
    const k = refSlot[c]!;
    if (k < 0) continue;
    const ch = isChurned[c] === 1;
    nBase++;
    if (ch) nChurned++;
    count(0, customers.segment[c]!, ch);
    count(1, owner[c]!, ch);
    count(2, customers.region[c]!, ch);
    let channel = customers.channel[c]!;
    if (channel < 0) {
      channelCount.fill(0);
      for (let i = view.customerStart[c]!; i < view.customerEnd[c]!; i++) if (lines.channel[i]! >= 0) channelCount[lines.channel[i]!]!++;
      let best = 0;
      for (let x = 0; x < channelCount.length; x++) {
        if (channelCount[x]! > best) {
          best = channelCount[x]!;
          channel = x;
        }
      }
    }
    count(3, channel, ch);
    const s = slots[k]!.start;
    for (let i = firstLineOnOrAfter(view, c, s - w.lookbackDays); i < view.customerEnd[c]! && lines.day[i]! < s; i++) {
      if (lines.quantity[i]! <= 0) continue;
      const f = view.products.family[lines.product[i]!]!;
      const slotF = f < 0 ? ids.families.size : f;
      if (familySeen[slotF] === c) continue;
      familySeen[slotF] = c;
      count(4, f, ch);
    }
  }
  const factors: ChurnFactor[] = [];
  if (nChurned > 0) {
    const dictionaries = [ids.segments, ids.reps, ids.regions, ids.channels, ids.families];
    for (let d = 0; d < DIMS.length; d++) {
      // a dimension with one value over the whole base (no customer has a segment, one region for
      // all) splits nothing: its row is everyone, lift 1 by construction (Online Retail listed
      // "segment (none)", "rep (none)", ... among its countries; a review)
      if (counts[d]!.size < 2) continue;
      for (const [id, [churned, base]] of counts[d]!) {
        if (churned < minCount) continue;
        const shareChurned = churned / nChurned;
        const shareBase = base / nBase;
        factors.push({
          dimension: DIMS[d]!,
          value: id >= 0 ? dictionaries[d]!.values[id]! : null,
          churned,
          base,
          shareChurned,
          shareBase,
          // one rounding from integers: equal ratios give the same double (two quotients of
          // quotients left 11/9 as ...23 and ...2, and the sort below then ignored its tie-breaks)
          lift: (churned * nBase) / (base * nChurned),
          churnRate: churned / base,
        });
      }
    }
  }
  const dimOrder = (x: ChurnProfileDimension): number => DIMS.indexOf(x);
  factors.sort(
    (a, b) =>
      // lifts compared exactly (cross-multiplied counts: nChurned and nBase are the same for all)
      b.churned * a.base - a.churned * b.base ||
      b.churned - a.churned ||
      dimOrder(a.dimension) - dimOrder(b.dimension) ||
      (a.value === b.value ? 0 : a.value === null ? 1 : b.value === null ? -1 : a.value < b.value ? -1 : 1),
  );
  return {
    from: formatDay(slots[0]!.start),
    to: formatDay(slots[slots.length - 1]!.end),
    censored: slots[slots.length - 1]!.end > ctx.seen,
    // (the data's start only: a period running past asOf is `censored`, not short of history)
    partial: ctx.dataStart !== undefined && slots.some((sl) => sl.start - Math.min(w.windowDays, w.lookbackDays) < ctx.dataStart!),
    churned: nChurned,
    base: nBase,
    factors,
  };
}
