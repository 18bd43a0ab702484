import type { Dataset } from "../../data/dataset.ts";
import type { BusinessCalendar } from "../../patterns/fit-interval-model.ts";
import { fitPatterns, type PatternModel } from "../../patterns/fit-patterns.ts";
import { detectSignals } from "../../signals/detect-signals.ts";
import { NEEDS_MODEL } from "../../signals/internal/registry.ts";
import type { Signal, SignalType } from "../../signals/types.ts";

/** @internal What one as-of day of the replay produced. */
export interface ReplayStep {
  /** The signals a host would have seen that day. */
  readonly signals: readonly Signal[];
  /** The pattern model of that day (when a replayed type or the overdue check needs it). */
  readonly model: PatternModel | undefined;
}

/** @internal Settings of the replay, the same on every as-of day. */
export interface ReplaySettings {
  readonly types: readonly SignalType[];
  readonly sensitivity: number;
  readonly calendar: BusinessCalendar | undefined;
}

/**
 * @internal One as-of day of the replay: what the real-time engine's tick at `asOf` returns.
 * The engine is specified so that its tick at day D equals detectSignals at D (same view, one
 * pattern model fitted at D, same options), so this calls detectSignals with one fitPatterns
 * shared by the detectors; swapping in `engine.tick(asOf)` here changes nothing else.
 * `view` holds no line after the replay's last day, and detectSignals cuts it at `asOf`.
 */
export function replayStep(view: Dataset, asOf: number, settings: ReplaySettings): ReplayStep {
  const needsModel = settings.types.some((t) => NEEDS_MODEL.has(t));
  const model = needsModel ? fitPatterns(view, { asOf, calendar: settings.calendar }) : undefined;
  const signals = detectSignals(view, { asOf, model, types: settings.types, sensitivity: settings.sensitivity, calendar: settings.calendar });
  return { signals, model };
}
