import type { DatasetIds } from "../dataset.ts";

/** @internal First four bytes of a serialized dataset. */
export const DATASET_MAGIC = "OPDS";
/**
 * @internal Current format version of the serialized dataset: 2 is version 1 whose strings are
 * WTF-8 (a lone surrogate in its 3-byte form) instead of strict UTF-8. The writer writes 2 only
 * when some string holds a lone surrogate, so every other dataset stays version 1, byte for byte.
 */
export const DATASET_BYTES_VERSION = 2;
/** @internal The version written when every string is well-formed (strict UTF-8). */
export const DATASET_BYTES_VERSION_UTF8 = 1;
/** @internal Dictionaries in the order they are written. */
export const DICTIONARY_ORDER: readonly (keyof DatasetIds)[] = ["customers", "products", "orders", "reps", "channels", "segments", "regions", "families", "lineIds", "deals"];
