export type { PeriodInfo, PeriodSpec, PeriodUnit } from "./period.ts";
export type { Dimension, KpiOptions, KpiRow } from "./types.ts";
export type { GrossProfitRow } from "./gross-profit.ts";
export { periodOf } from "./period.ts";
export { activeCustomers } from "./active-customers.ts";
export { skuBreadth } from "./sku-breadth.ts";
export { grossProfit } from "./gross-profit.ts";
