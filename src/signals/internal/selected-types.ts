import { OrderpulseError } from "../../data/errors.ts";
import { SIGNAL_TYPES } from "../signal-types.ts";
import type { SignalType } from "../types.ts";

/**
 * @internal The `types` option of detectSignals, the engine and the backtest: undefined means
 * every type; otherwise an array (non-empty when `nonEmpty`) of known types, returned in
 * SIGNAL_TYPES order, each once. INVALID_OPTION (option `types`) otherwise.
 */
export function selectedTypes(types: unknown, fn: string, nonEmpty = false): readonly SignalType[] {
  if (types === undefined) return SIGNAL_TYPES;
  if (!Array.isArray(types) || (nonEmpty && types.length === 0)) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option types: expected a${nonEmpty ? " non-empty" : "n"} array of signal types`, { option: "types", value: types });
  }
  for (const t of types) {
    if (!(SIGNAL_TYPES as readonly unknown[]).includes(t)) {
      throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option types: unknown signal type ${JSON.stringify(t)} (known: ${SIGNAL_TYPES.join(", ")})`, { option: "types", value: t });
    }
  }
  return SIGNAL_TYPES.filter((t) => types.includes(t));
}
