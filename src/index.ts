/**
 * orderpulse: order-history analytics for B2B distributors. The runtime-neutral core (browsers,
 * Deno, Node): nothing here touches the file system or other Node-only APIs. File I/O lives in
 * `orderpulse/csv`, Node extras in `orderpulse/node`.
 * @module
 */
export * from "./data/index.ts";
export * from "./synth/index.ts";
export * from "./kpi/index.ts";
export * from "./patterns/index.ts";
export * from "./signals/index.ts";
export * from "./backtest/index.ts";
export * from "./engine/index.ts";
export * from "./recommend/index.ts";
export * from "./tasks/index.ts";
export { analyze } from "./analyze.ts";
