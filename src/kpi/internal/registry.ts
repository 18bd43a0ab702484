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
}

type GrossProfitRow = ReturnType<typeof grossProfit>[number];

/** @internal Registry of the KPIs computeKpis runs, by name (the `kpi` field of their rows). */
export const KPI_REGISTRY: Readonly<Record<string, KpiEntry>> = {
  active_customers: { defaultPeriod: "week", compute: activeCustomers },
  sku_breadth: { defaultPeriod: "week", compute: skuBreadth },
  revenue: { defaultPeriod: "month", compute: grossProfit, pick: (r) => (r as GrossProfitRow).revenue },
  gross_profit: { defaultPeriod: "month", compute: grossProfit },
  margin: { defaultPeriod: "month", compute: grossProfit, pick: (r) => (r as GrossProfitRow).margin },
  order_frequency: { defaultPeriod: "month", compute: orderFrequency },
  repurchase_rate: { defaultPeriod: "month", compute: repurchaseRate },
  churn_rate: { defaultPeriod: "month", compute: churnRate },
  discount_rate: { defaultPeriod: "month", compute: discountRate },
  expected_not_bought: { defaultPeriod: "month", compute: expectedNotBought },
};
