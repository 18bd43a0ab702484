import { SIGNAL_TYPES } from "../signals/signal-types.ts";
import type { SignalType } from "../signals/types.ts";
import { UsageError } from "./io.ts";

/** @internal Flag definitions shared by the commands that run the signal detectors (for parseFlags). */
export const SIGNAL_FLAGS = { type: { type: "string", multiple: true }, sensitivity: { type: "string" } } as const;

/** @internal Help lines of the shared signal flags. */
export const SIGNAL_FLAGS_HELP: string = `  --type T           only these types (repeat or comma-separate): ${SIGNAL_TYPES.join(", ")}
  --sensitivity X    0.001 to 1000, default 1; higher only adds signals`;

/**
 * @internal `--type` (repeatable, comma-separated; each type once, in the order given; the flag
 * left out: undefined = every type; given without any type: a usage error) and `--sensitivity` (a number in [0.001, 1000]); usage errors otherwise.
 */
export function signalFlags(v: Record<string, unknown>): { types?: SignalType[]; sensitivity?: number } {
  const out: { types?: SignalType[]; sensitivity?: number } = {};
  if (v["type"] !== undefined) {
    const types: SignalType[] = [];
    for (const t of (v["type"] as string[]).flatMap((x) => x.split(","))) {
      const k = t.trim();
      if (k === "") continue;
      if (!(SIGNAL_TYPES as readonly string[]).includes(k)) throw new UsageError(`--type: unknown signal type "${k}" (types: ${SIGNAL_TYPES.join(", ")})`);
      if (!types.includes(k as SignalType)) types.push(k as SignalType);
    }
    // (only commas: a usage error, as for --kpi and --kind; it ran every type)
    if (types.length === 0) throw new UsageError(`--type: no signal type given (types: ${SIGNAL_TYPES.join(", ")})`);
    out.types = types;
  }
  if (v["sensitivity"] !== undefined) {
    const s = Number(v["sensitivity"]);
    if (!(s >= 1e-3 && s <= 1e3)) throw new UsageError(`--sensitivity must be a number in [0.001, 1000], got ${String(v["sensitivity"])}`);
    out.sensitivity = s;
  }
  return out;
}
