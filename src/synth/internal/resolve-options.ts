import { formatDay } from "../../data/format-day.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { checkKnownKeys, type OptionKeys } from "../../data/internal/check.ts";
import { parseDay } from "../../data/parse-day.ts";
import type { ResolvedSyntheticDistributorOptions, SyntheticDistributorOptions } from "../types.ts";

/** @internal Defaults (docs/synth.md section 1). */
export const SYNTH_DEFAULTS: Readonly<ResolvedSyntheticDistributorOptions> = {
  seed: 1,
  customers: 2000,
  products: 2500,
  years: 3,
  end: "2026-10-31",
};

/** @internal generateSyntheticDistributor's option names (writeSyntheticDistributor checks them under its own name). */
export const SYNTH_KEYS: OptionKeys<SyntheticDistributorOptions> = { seed: true, customers: true, products: true, years: true, end: true };

function integerOption(options: SyntheticDistributorOptions, name: "seed" | "customers" | "products" | "years", min: number, max: number): number {
  const value: unknown = options[name];
  if (value === undefined) return SYNTH_DEFAULTS[name];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new OrderpulseError("INVALID_OPTION", `${name} must be an integer in [${min}, ${max}], got ${String(value)}`, {
      option: name,
      value,
    });
  }
  return value;
}

/**
 * @internal Validate and complete the generator options (an unknown one included).
 * @throws {OrderpulseError} `INVALID_OPTION`
 */
export function resolveSynthOptions(options: SyntheticDistributorOptions): ResolvedSyntheticDistributorOptions {
  if (typeof options !== "object" || options === null) {
    throw new OrderpulseError("INVALID_OPTION", "options must be an object", { value: options });
  }
  checkKnownKeys(options as Record<string, unknown>, SYNTH_KEYS, "generateSyntheticDistributor");
  const seed = integerOption(options, "seed", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const customers = integerOption(options, "customers", 1, 1_000_000);
  const products = integerOption(options, "products", 20, 200_000);
  const years = integerOption(options, "years", 1, 20);
  let end = SYNTH_DEFAULTS.end;
  if (options.end !== undefined) {
    if (typeof options.end !== "string") {
      throw new OrderpulseError("INVALID_OPTION", `end must be a YYYY-MM-DD string, got ${String(options.end)}`, {
        option: "end",
        value: options.end,
      });
    }
    end = formatDay(parseDay(options.end, "end"));
  }
  // the history's first day must be a YYYY-MM-DD day: an end in the year 2 with 3 years wrote
  // dates like -1-07-01 that no reader takes back
  // (the history starts the day after end minus `years`: year 0 only for an end on 31 December)
  const startYear = Number(end.slice(0, 4)) - years;
  if (startYear < 0 || (startYear === 0 && end.slice(5) !== "12-31") || !/^\d{4}-/.test(end)) {
    throw new OrderpulseError("INVALID_OPTION", `end must leave ${years} years of history after 0001-01-01 (a YYYY-MM-DD day), got ${end}`, { option: "end", value: options.end });
  }
  return { seed, customers, products, years, end };
}
