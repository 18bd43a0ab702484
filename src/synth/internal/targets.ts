import type { TargetRow } from "../../data/rows.ts";
import type { Customer, World } from "./model.ts";
import type { OrderColumns } from "./orders.ts";
import { Rng, STREAM } from "./rng.ts";

/**
 * @internal Monthly targets per rep from the generated actuals (docs/synth.md, "Targets"), each
 * order credited to its customer's account owner: the basis `targetProgress` and the briefs read
 * targets on by default. (Until 2026-12-07 they were built on the seller, `orders.rep_id`: a
 * customer served by two reps counted in both reps' active customers, and every rep read about 15 %
 * behind its active-customers target in the demo; a review.)
 */
export function generateTargets(w: World, cols: OrderColumns, customers: readonly Customer[], repIds: readonly string[]): TargetRow[] {
  const { cal, options } = w;
  const nm = cal.months;
  const nr = w.nReps;
  const revenue = new Float64Array(nr * nm);
  const profit = new Float64Array(nr * nm);
  const active = new Float64Array(nr * nm);
  const lastCustomer = new Int32Array(nr * nm).fill(-1);
  for (let i = 0; i < cols.orderDay.length; i++) {
    const key = customers[cols.orderCustomer[i]!]!.rep * nm + cal.monthIndex[cols.orderDay[i]! - cal.start]!;
    const first = cols.orderFirst[i]!;
    const last = first + cols.orderLines[i]!;
    let rev = 0;
    let gp = 0;
    for (let l = first; l < last; l++) {
      rev += cols.lineQty[l]! * cols.linePrice[l]!;
      gp += cols.lineQty[l]! * (cols.linePrice[l]! - cols.lineCost[l]!);
    }
    revenue[key] = revenue[key]! + rev / 100;
    profit[key] = profit[key]! + gp / 100;
    if (cols.orderCredit[i] === 0 && lastCustomer[key] !== cols.orderCustomer[i]) {
      // orders are generated customer by customer, so a change of customer is a new one
      lastCustomer[key] = cols.orderCustomer[i]!;
      active[key] = active[key]! + 1;
    }
  }
  // the history's first month is partial when it starts after the 1st (an `end` inside a month):
  // a year on, that month's target cannot grow from those few days (2025-02's from one day of
  // February 2024 came out 30 times too low), so it takes the first year's rule
  const partialFirst = cal.dom[0]! > 1;
  const rows: TargetRow[] = [];
  const hundreds = (x: number): number => Math.max(0, Math.round(x / 100) * 100);
  for (let r = 0; r < nr; r++) {
    const rng = new Rng(options.seed, STREAM.targets, r);
    const growth: number[] = [];
    for (let y = 0; y <= Math.ceil(nm / 12); y++) growth.push(rng.uniform(0.04, 0.12));
    for (let m = 0; m < nm; m++) {
      const mo = cal.startMonth - 1 + m;
      // (the year padded as formatDay pads it: year 498 wrote "498-07", which no reader takes as YYYY-MM)
      const period = `${String(cal.startYear + Math.floor(mo / 12)).padStart(4, "0")}-${String((mo % 12) + 1).padStart(2, "0")}`;
      const k = r * nm + m;
      let tr: number;
      let tg: number;
      let ta: number;
      if (m < 12 || (m === 12 && partialFirst)) {
        const f = rng.lognormal(0.02, 0.1);
        tr = revenue[k]! * f;
        tg = profit[k]! * f;
        ta = active[k]! * f;
      } else {
        const g = 1 + growth[Math.floor(m / 12)]!;
        tr = revenue[k - 12]! * g;
        tg = profit[k - 12]! * g;
        ta = active[k - 12]! * g;
      }
      const id = repIds[r]!;
      rows.push({ rep_id: id, period, kpi: "revenue", target: hundreds(tr) });
      rows.push({ rep_id: id, period, kpi: "gross_profit", target: hundreds(tg) });
      rows.push({ rep_id: id, period, kpi: "active_customers", target: Math.round(ta) });
    }
  }
  return rows;
}
