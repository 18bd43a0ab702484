export type {
  CreateEngineOptions,
  Engine,
  EngineOptions,
  EngineSignalsOptions,
  EngineSnapshot,
  EngineStats,
  EngineUpdate,
  LineKey,
  LiveKpis,
  SignalEvent,
  SignalEventKind,
  SignalFeedback,
  SignalResolution,
  SignalSink,
  SignalStatus,
  TrackedSignal,
} from "./types.ts";
export { createEngine } from "./create-engine.ts";
