import { OrderpulseError } from "../data/errors.ts";
import { isDayText, isRecord } from "../data/internal/check.ts";
import type { PatternModel, PatternModelJSON } from "./fit-patterns.ts";
import { buildPatternModel } from "./internal/pattern-model.ts";

/**
 * Read back a model stored with `toJSON()` (no dataset needed). Lookups work as on the fitted
 * model; the deal-stage tables come back as data.
 *
 * @param json - the output of `PatternModel.toJSON()` (possibly through JSON.stringify/parse)
 * @returns the model
 * @throws {OrderpulseError} `INVALID_OPTION` when the input is not a version-1 pattern model: its
 *   shape and every record's ids are checked (customers and items keyed by id, each customer's
 *   closed months and weekdays as arrays, its monthly index and posterior when present, deal
 *   stage rows and open deals by stage, id and status, the as-of day), not each record's numbers
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
  const bad = (why: string): never => {
    throw new OrderpulseError("INVALID_OPTION", `fromPatternsJSON: not a version-1 pattern model: ${why}`, { option: "json" });
  };
  const j = json as unknown;
  if (!isRecord(j) || j["version"] !== 1) return bad("expected an object with version 1");
  if (!isDayText(j["asOf"])) bad("asOf must be a YYYY-MM-DD day");
  const hs = j["holidays"];
  if (hs !== undefined && !(Array.isArray(hs) && hs.every(isDayText))) bad("holidays must be YYYY-MM-DD days");
  // every record the lookups key: a customer without its id, or a null, would be missed or throw
  // later, inside a detector (a model with customers: [{}] gave one signal fewer, unseen)
  const customers = j["customers"], items = j["items"], deals = j["deals"];
  if (!Array.isArray(customers) || !customers.every((c) => isRecord(c) && typeof c["customerId"] === "string")) bad("customers must be records with a customerId");
  // the parts of a rhythm the detectors walk (a customer clock): arrays and a record, else a
  // TypeError inside detectSignals (closedMonths: null was "not iterable")
  for (const c of customers as Record<string, unknown>[]) {
    const id = JSON.stringify(c["customerId"]);
    if (!Array.isArray(c["closedMonths"]) || !Array.isArray(c["closedWeekdays"])) bad(`customer ${id}: closedMonths and closedWeekdays must be arrays`);
    if (c["monthlyIndex"] !== undefined && !Array.isArray(c["monthlyIndex"])) bad(`customer ${id}: monthlyIndex must be an array`);
    if (c["posterior"] !== undefined && !isRecord(c["posterior"])) bad(`customer ${id}: posterior must be a record`);
  }
  if (!Array.isArray(items) || !items.every((i) => isRecord(i) && typeof i["customerId"] === "string" && typeof i["productId"] === "string")) bad("items must be records with a customerId and a productId");
  if (!isRecord(deals) || !Array.isArray(deals["stages"]) || !Array.isArray(deals["open"])) bad("deals must hold stages and open arrays");
  // the rows the deal lookups and pipeline_stall read by their stage and id (a null here was a
  // TypeError in analyze, not this error)
  const { stages, open } = deals as { stages: unknown[]; open: unknown[] };
  if (!stages.every((r) => isRecord(r) && typeof r["stage"] === "string")) bad("deals.stages must be records with a stage");
  if (!open.every((r) => isRecord(r) && typeof r["dealId"] === "string" && typeof r["stage"] === "string" && typeof r["status"] === "string")) bad("deals.open must be records with a dealId, a stage and a status");
  return buildPatternModel(json);
}

