import type { Dataset } from "../../data/dataset.ts";
import { activeCustomers } from "../active-customers.ts";
import { churnRate } from "../churn-rate.ts";
import { discountRate } from "../discount-rate.ts";
import { expectedNotBought } from "../expected-not-bought.ts";
import { grossProfit } from "../gross-profit.ts";
import { orderFrequency } from "../order-frequency.ts";
import { repurchaseRate } from "../repurchase-rate.ts";
import type { PeriodUnit } from "../period.ts";
import { skuBreadth } from "../sku-breadth.ts";
import type { KpiOptions, KpiRow } from "../types.ts";

/**
 * @internal A KPI computeKpis knows: its function and default cadence. Entries that read another
 * function's rows (revenue and margin come from grossProfit's) share its `compute` and say
 * which value they `pick`, so computeKpis runs that pass once for all of them.
 */
export interface KpiEntry {
  readonly defaultPeriod: PeriodUnit;
  readonly compute: (dataset: Dataset, options: KpiOptions) => KpiRow[];
  readonly pick?: (row: KpiRow) => number | undefined;
  /**
   * The value over a period's first N days is the same KPI measured on fewer days (counts, sums
   * and ratios of the period's own lines), so a period in progress can be compared with the same
   * days of earlier periods. Windowed KPIs (repurchase, churn, expected-not-bought) are not.
   */
  readonly toDate?: true;
}

type GrossProfitRow = ReturnType<typeof grossProfit>[number];

/** @internal Registry of the KPIs computeKpis runs, by name (the `kpi` field of their rows). */
export const KPI_REGISTRY: Readonly<Record<string, KpiEntry>> = {
  active_customers: { defaultPeriod: "week", compute: activeCustomers, toDate: true },
  sku_breadth: { defaultPeriod: "week", compute: skuBreadth, toDate: true },
  revenue: { defaultPeriod: "month", compute: grossProfit, pick: (r) => (r as GrossProfitRow).revenue, toDate: true },
  gross_profit: { defaultPeriod: "month", compute: grossProfit, toDate: true },
  margin: { defaultPeriod: "month", compute: grossProfit, pick: (r) => (r as GrossProfitRow).margin, toDate: true },
  order_frequency: { defaultPeriod: "month", compute: orderFrequency, toDate: true },
  repurchase_rate: { defaultPeriod: "month", compute: repurchaseRate },
  churn_rate: { defaultPeriod: "month", compute: churnRate },
  discount_rate: { defaultPeriod: "month", compute: discountRate, toDate: true },
  expected_not_bought: { defaultPeriod: "month", compute: expectedNotBought },
};
