export { backtest } from "./backtest.ts";
export type {
  BacktestBaseline,
  BacktestEntity,
  BacktestOptions,
  BacktestOverdueCheck,
  BacktestProgress,
  BacktestQuantiles,
  BacktestResult,
  BacktestSituation,
  BacktestTruth,
  BacktestTruthEvent,
  BacktestTruthScore,
  BacktestTypeReport,
} from "./types.ts";
