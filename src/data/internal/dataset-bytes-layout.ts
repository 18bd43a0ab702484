import type { DatasetIds } from "../dataset.ts";

/** @internal First four bytes of a serialized dataset. */
export const DATASET_MAGIC = "OPDS";
/** @internal Current format version of the serialized dataset. */
export const DATASET_BYTES_VERSION = 1;
/** @internal Dictionaries in the order they are written. */
export const DICTIONARY_ORDER: readonly (keyof DatasetIds)[] = ["customers", "products", "orders", "reps", "channels", "segments", "regions", "families", "lineIds", "deals"];
