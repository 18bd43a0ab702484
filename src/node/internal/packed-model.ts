import type { ItemRhythm } from "../../patterns/fit-item-rhythm.ts";
import type { PatternModelJSON } from "../../patterns/fit-patterns.ts";
import { isPackedRecords, packRecords, type PackedRecords, unpackRecords } from "./pack-records.ts";

/** @internal A pattern model's JSON as it crosses threads: the item rhythms packed by column (they are most of it). */
export type PackedModel = Omit<PatternModelJSON, "items"> & { readonly items: PatternModelJSON["items"] | PackedRecords };

/**
 * @internal Pack a model's JSON for postMessage (items by column when they can be packed exactly).
 * @param json - `PatternModel.toJSON()`
 * @returns the packed form
 */
export function packModel(json: PatternModelJSON): PackedModel {
  return { ...json, items: packRecords(json.items) ?? json.items };
}

/**
 * @internal The model's JSON back from {@link packModel} (deep-equal to the packed one).
 * @param p - the packed form
 * @returns the JSON
 */
export function unpackModel(p: PackedModel): PatternModelJSON {
  const { items } = p;
  return { ...p, items: isPackedRecords(items) ? (unpackRecords(items) as unknown as ItemRhythm[]) : items };
}
