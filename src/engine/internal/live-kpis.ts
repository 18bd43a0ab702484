import { formatDay } from "../../data/format-day.ts";
import { CompensatedSum as Sum } from "../../data/internal/compensated-sum.ts";
import { netProfit } from "../../kpi/internal/context.ts";
import { grossMargin } from "../../kpi/internal/margin-rate.ts";
import { periodBounds, periodIndex, periodOf, type PeriodSpec } from "../../kpi/period.ts";
import type { LiveKpis } from "../types.ts";
import type { StoredLine } from "./line-store.ts";

interface MonthTotals {
  revenue: Sum;
  costedRevenue: Sum;
  cost: Sum;
  /** Σ|terms| of the three sums (computeKpis' netOf: a net that cancels up to rounding is 0). */
  revenueAbs: Sum;
  costedAbs: Sum;
  costAbs: Sum;
  lines: number;
  noCost: number;
  orders: Map<string, number>;
  buyers: Map<string, number>;
}

/** The KPI layer's calendar months (the live totals' periods are computeKpis' monthly periods). */
const MONTH: PeriodSpec = { unit: "month", weekStartsOn: 1, fiscalYearStartMonth: 1 };

/** @internal Per-month revenue, profit, orders and buyers, kept up to date line by line. */
export class LiveTotals {
  private readonly months = new Map<number, MonthTotals>();
  private readonly productCost: ReadonlyMap<string, number>;
  constructor(productCost: ReadonlyMap<string, number>) {
    this.productCost = productCost;
  }

  /** Add (sign 1) or take out (sign −1) one line. */
  apply(l: StoredLine, sign: 1 | -1): void {
    const key = periodIndex(l.day, MONTH);
    let m = this.months.get(key);
    if (m === undefined) {
      m = { revenue: new Sum(), costedRevenue: new Sum(), cost: new Sum(), revenueAbs: new Sum(), costedAbs: new Sum(), costAbs: new Sum(), lines: 0, noCost: 0, orders: new Map(), buyers: new Map() };
      this.months.set(key, m);
    }
    const r = l.qty * l.price;
    m.revenue.add(sign * r);
    m.revenueAbs.add(sign * Math.abs(r));
    m.lines += sign;
    const uc = Number.isNaN(l.cost) ? (this.productCost.get(l.product) ?? Number.NaN) : l.cost;
    if (uc === uc) {
      m.costedRevenue.add(sign * r);
      m.costedAbs.add(sign * Math.abs(r));
      m.cost.add(sign * l.qty * uc);
      m.costAbs.add(sign * Math.abs(l.qty * uc));
    } else m.noCost += sign;
    if (l.qty > 0) {
      // orders and buyers through their purchase lines: a credit note is no order (computeKpis)
      bump(m.orders, l.order, sign);
      bump(m.buyers, l.customer, sign);
    }
  }

  /** First day of the latest month that has lines, or undefined when there are none. */
  latestMonth(): number | undefined {
    let latest: number | undefined;
    for (const [key, m] of this.months) if (m.lines !== 0 && (latest === undefined || key > latest)) latest = key;
    return latest === undefined ? undefined : periodBounds(latest, MONTH).start;
  }

  /** Totals of the month holding `day`. */
  month(day: number): LiveKpis {
    const { index, label, start, end } = periodOf(day, MONTH);
    const m = this.months.get(index);
    const { revenue, costed, cost, grossProfit: gp } = m ? netProfit(m.revenue.value, m.revenueAbs.value, m.costedRevenue.value, m.costedAbs.value, m.cost.value, m.costAbs.value) : { revenue: 0, costed: 0, cost: 0, grossProfit: 0 };
    return {
      period: label,
      start: formatDay(start),
      end: formatDay(end),
      revenue,
      costedRevenue: costed,
      cost,
      // (lines, none with a cost: not measured, as grossProfit's rows read it, not 0)
      grossProfit: m !== undefined && m.lines > 0 && m.noCost === m.lines ? undefined : gp,
      margin: grossMargin(gp, costed),
      lines: m?.lines ?? 0,
      linesWithoutCost: m?.noCost ?? 0,
      orders: m?.orders.size ?? 0,
      activeCustomers: m?.buyers.size ?? 0,
    };
  }
}

function bump(map: Map<string, number>, key: string, sign: number): void {
  const n = (map.get(key) ?? 0) + sign;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}
