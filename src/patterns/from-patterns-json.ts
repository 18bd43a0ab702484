import { OrderpulseError } from "../data/errors.ts";
import type { PatternModel, PatternModelJSON } from "./fit-patterns.ts";
import { buildPatternModel } from "./internal/pattern-model.ts";

/**
 * Read back a model stored with `toJSON()` (no dataset needed). Lookups work as on the fitted
 * model; the deal-stage tables come back as data.
 *
 * @param json - the output of `PatternModel.toJSON()` (possibly through JSON.stringify/parse)
 * @returns the model
 * @throws {OrderpulseError} `INVALID_OPTION` when the input is not a version-1 pattern model
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromPatternsJSON } from "orderpulse";
 * const empty = fromPatternsJSON({ version: 1, asOf: "2026-01-01", bgNbd: undefined, customers: [], items: [], deals: { stages: [], open: [] } });
 * assert.equal(empty.all().length, 0);
 * assert.throws(() => fromPatternsJSON({ version: 2 } as never));
 * ```
 */
export function fromPatternsJSON(json: PatternModelJSON): PatternModel {
  const j = json as Partial<PatternModelJSON> | undefined;
  if (!j || j.version !== 1 || !Array.isArray(j.customers) || !Array.isArray(j.items) || !j.deals) {
    throw new OrderpulseError("INVALID_OPTION", "fromPatternsJSON: not a version-1 pattern model", { option: "json" });
  }
  return buildPatternModel(json);
}

