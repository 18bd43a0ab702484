import { z } from "zod";
import { OrderpulseError } from "../errors.ts";
import type { IngestOptions } from "../ingest-options.ts";
import { compileDateParser, type DateParser } from "./parse-date.ts";

const stage = z.enum(["lead", "qualified", "proposal", "negotiation", "won", "lost"]);
const schema = z
  .object({
    timeZone: z.string().min(1).optional(),
    dateFormat: z.string().min(1).optional(),
    decimalComma: z.boolean().optional(),
    currency: z.string().trim().min(1).optional(),
    fx: z.record(z.string(), z.number().positive().finite()).optional(),
    strict: z.boolean().optional(),
    stages: z.record(z.string(), stage).optional(),
    maxRejectedRows: z.number().int().nonnegative().optional(),
  })
  .loose();

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

/** @internal Validate ingest options once at the boundary (zod), throwing INVALID_OPTION. */
export function resolveIngestOptions(options: IngestOptions | undefined): ResolvedIngestOptions {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    throw new OrderpulseError("INVALID_OPTION", `invalid ingest option ${path}: ${issue?.message ?? ""}`, { option: path }, parsed.error);
  }
  const o = parsed.data;
  const timeZone = o.timeZone ?? "UTC";
  const currency = o.currency?.toUpperCase();
  if (o.fx && !currency) {
    throw new OrderpulseError("INVALID_OPTION", "fx rates need `currency`, the currency to convert into", { option: "currency" });
  }
  const fx = o.fx ? new Map(Object.entries(o.fx).map(([k, v]) => [k.trim().toUpperCase(), v] as [string, number])) : undefined;
  if (fx && currency) fx.set(currency, 1);
  const stages = new Map<string, string>();
  for (const [k, v] of Object.entries(o.stages ?? {})) stages.set(k.trim().toLowerCase(), v);
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
