export type { DetectorOptions, Signal, SignalLocale, SignalReason, SignalType } from "./types.ts";
