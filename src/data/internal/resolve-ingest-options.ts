import * as z from "zod/mini";
import { OrderpulseError } from "../errors.ts";
import type { IngestOptions } from "../ingest-options.ts";
import { checkKnownKeys, isRecord, zodOptionError } from "./check.ts";
import { INGEST_KEYS } from "./ingest-keys.ts";
import { compileDateParser, type DateParser } from "./parse-date.ts";

// built on first use: no zod work at import time, so modules that merely share a chunk with
// this one tree-shake zod away
let schema: z.ZodMiniType<Partial<Record<keyof IngestOptions, unknown>>> | undefined;
function ingestSchema(): NonNullable<typeof schema> {
  return (schema ??= z.looseObject({
    timeZone: z.optional(z.string().check(z.minLength(1))),
    dateFormat: z.optional(z.string().check(z.minLength(1))),
    decimalComma: z.optional(z.boolean()),
    currency: z.optional(z.string().check(z.trim(), z.minLength(1))),
    fx: z.optional(z.record(z.string(), z.number().check(z.positive()))),
    strict: z.optional(z.boolean()),
    stages: z.optional(z.record(z.string(), z.enum(["lead", "qualified", "proposal", "negotiation", "won", "lost"]))),
    maxRejectedRows: z.optional(z.int().check(z.nonnegative())),
  }));
}

/** @internal Ingest options after validation, with the date parser compiled. */
export interface ResolvedIngestOptions {
  readonly timeZone: string;
  readonly parseDate: DateParser;
  readonly decimalComma: boolean;
  readonly currency: string | undefined;
  readonly fx: ReadonlyMap<string, number> | undefined;
  readonly strict: boolean;
  readonly stages: ReadonlyMap<string, string>;
  readonly maxRejectedRows: number;
}

/**
 * @internal Validate ingest options once at the boundary (zod), throwing INVALID_OPTION. With `fn`
 * (the public function's name), an option that is not an ingest option is INVALID_OPTION too
 * (named `path.option` with `path`, for ingest options nested in another function's); without it
 * the caller has checked the names (readDataset: its own options and these).
 */
export function resolveIngestOptions(options: IngestOptions | undefined, fn?: string, path?: string): ResolvedIngestOptions {
  if (fn !== undefined && isRecord(options)) checkKnownKeys(options, INGEST_KEYS, fn, path);
  // (null is no options object: it read as the defaults)
  const parsed = ingestSchema().safeParse(options === undefined ? {} : options);
  if (!parsed.success) throw zodOptionError(fn ?? "ingest", options, parsed.error.issues[0], parsed.error, path);
  const o = parsed.data as IngestOptions;
  const timeZone = o.timeZone ?? "UTC";
  const currency = o.currency?.toUpperCase();
  if (o.fx && !currency) {
    throw new OrderpulseError("INVALID_OPTION", "fx rates need `currency`, the currency to convert into", { option: "currency" });
  }
  // one rate per currency in any spelling ({ USD: 3.7, usd: 1 } kept the last), and the target's
  // own rate 1 ({ ILS: 2 } converting into ILS was set to 1 silently); review 2026-12-07
  const option = (name: string): string => (path ? `${path}.${name}` : name);
  const bad = (name: string, message: string, value: unknown): never => {
    throw new OrderpulseError("INVALID_OPTION", `${fn ?? "ingest"}: invalid option ${option(name)}: ${message}`, { option: option(name), value });
  };
  let fx: Map<string, number> | undefined;
  if (o.fx) {
    fx = new Map();
    for (const [k, v] of Object.entries(o.fx)) {
      const code = k.trim().toUpperCase();
      const known = fx.get(code);
      if (known !== undefined && known !== v) bad("fx", `two rates for ${code} (${known} and ${v})`, code);
      if (code === currency && v !== 1) bad("fx", `the rate of ${code}, the currency converted into, is 1 (got ${v})`, v);
      fx.set(code, v);
    }
  }
  if (fx && currency) fx.set(currency, 1);
  const stages = new Map<string, string>();
  // (two spellings of one stage name mapped to two stages kept the last: as the CLI's --stage)
  for (const [k, v] of Object.entries(o.stages ?? {})) {
    const name = k.trim().toLowerCase();
    const known = stages.get(name);
    if (known !== undefined && known !== v) bad("stages", `${JSON.stringify(name)} is mapped twice (${known} and ${v})`, name);
    stages.set(name, v);
  }
  return {
    timeZone,
    parseDate: compileDateParser(o.dateFormat ?? "auto", timeZone),
    decimalComma: o.decimalComma ?? false,
    currency,
    fx,
    strict: o.strict ?? false,
    stages,
    maxRejectedRows: o.maxRejectedRows ?? 1000,
  };
}
