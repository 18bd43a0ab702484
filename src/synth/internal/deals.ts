import type { DealEventRow } from "../../data/rows.ts";
import type { Customer, World } from "./model.ts";
import { DEAL_STAGE_PARAMS } from "./params.ts";
import { Rng, STREAM } from "./rng.ts";

interface Deal {
  rep: number;
  customer: number;
  seq: number;
  amount: number;
  stages: [string, number, number][];
}

/** @internal Generate the pipeline (docs/synth.md section 2, "Pipeline"). */
export function generateDeals(
  w: World,
  customers: readonly Customer[],
  repIds: readonly string[],
  dayText: (day: number) => string,
): DealEventRow[] {
  const { cal, plan, options } = w;
  const deals: Deal[] = [];
  const owned: number[][] = Array.from({ length: w.nReps }, () => []);
  for (const c of customers) owned[c.rep]!.push(c.index);
  const amountOf = (rng: Rng, c: Customer): number => Math.max(10, Math.round((rng.lognormal(Math.log(4000), 0.8) * c.size) / 10) * 10);
  const revise = (rng: Rng, a: number): number => Math.max(10, Math.round((a * rng.uniform(0.8, 1.25)) / 10) * 10);
  for (let r = 0; r < w.nReps; r++) {
    const rng = new Rng(options.seed, STREAM.deals, r);
    const stalled = r === plan.stallRep;
    let seq = 0;
    const mine = owned[r]!;
    // acquisition deals, computed backwards from the first order
    for (const ci of mine) {
      const c = customers[ci]!;
      if (c.existing) continue;
      const won = c.firstDay - 1 - rng.int(10);
      const durations = DEAL_STAGE_PARAMS.map(([, mean]) => Math.max(1, Math.round(rng.gammaMeanCv(mean, 0.6))));
      const enter: number[] = [0, 0, 0, 0, won];
      for (let s = 3; s >= 0; s--) enter[s] = enter[s + 1]! - durations[s]!;
      if (enter[0]! < cal.start) continue;
      let amount = amountOf(rng, c);
      const stages: [string, number, number][] = [];
      for (let s = 0; s < 5; s++) {
        if (s === 2) amount = revise(rng, amount);
        const day = enter[s]!;
        if (day > cal.end) break;
        stages.push([s === 4 ? "won" : DEAL_STAGE_PARAMS[s]![0], day, amount]);
        if (s === 2 && stalled && enter[3]! >= plan.stallDay) break;
      }
      deals.push({ rep: r, customer: ci, seq: seq++, amount, stages });
    }
    // ongoing deals with owned, active customers
    for (let m = 0; m < cal.months; m++) {
      const k = rng.poisson(5);
      for (let j = 0; j < k; j++) {
        const day = monthStart(cal, m) + rng.int(28);
        if (day > cal.end || mine.length === 0) continue;
        let ci = -1;
        for (let tries = 0; tries < 8 && ci < 0; tries++) {
          const x = mine[rng.int(mine.length)]!;
          const c = customers[x]!;
          if (c.firstDay <= day && day < c.plan.stop) ci = x;
        }
        if (ci < 0) continue;
        const c = customers[ci]!;
        let amount = amountOf(rng, c);
        const stages: [string, number, number][] = [["lead", day, amount]];
        let t = day;
        for (let s = 0; s < 4; s++) {
          const next = t + Math.max(1, Math.round(rng.gammaMeanCv(DEAL_STAGE_PARAMS[s]![1], 0.6)));
          const lost = rng.chance(DEAL_STAGE_PARAMS[s]![2]);
          if (s === 2 && stalled && next >= plan.stallDay) break;
          if (next > cal.end) break;
          t = next;
          if (lost) {
            stages.push(["lost", t, amount]);
            break;
          }
          if (s + 1 === 2) amount = revise(rng, amount);
          stages.push([s === 3 ? "won" : DEAL_STAGE_PARAMS[s + 1]![0], t, amount]);
        }
        deals.push({ rep: r, customer: ci, seq: seq++, amount, stages });
      }
    }
  }
  deals.sort((a, b) => a.stages[0]![1] - b.stages[0]![1] || a.rep - b.rep || a.seq - b.seq);
  const rows: DealEventRow[] = [];
  for (let i = 0; i < deals.length; i++) {
    const d = deals[i]!;
    const id = `D${String(i + 1).padStart(6, "0")}`;
    for (const [stage, day, amount] of d.stages) {
      rows.push({ deal_id: id, customer_id: customers[d.customer]!.id, stage, entered_at: dayText(day), rep_id: repIds[d.rep]!, amount });
    }
  }
  return rows;
}

function monthStart(cal: World["cal"], m: number): number {
  if (m === 0) return cal.start;
  // first index whose monthIndex is m (monthIndex is non-decreasing)
  let lo = 0;
  let hi = cal.days - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cal.monthIndex[mid]! >= m) hi = mid;
    else lo = mid + 1;
  }
  return cal.start + lo;
}
