import type { Dataset } from "../dataset.ts";
import { OrderpulseError } from "../errors.ts";
import { isThenable } from "./is-thenable.ts";

/**
 * @internal Throw `INVALID_OPTION` (option `dataset`) unless `dataset` is a Dataset (or an as-of
 * view), naming the two likely mistakes: a Promise (`readDataset` without `await`) and an ingest
 * result (`{ dataset, report }` passed whole). They threw a bare TypeError ("Cannot read
 * properties of undefined (reading 'day')") from deep inside the first analysis.
 * @param dataset - what the caller passed
 * @param fn - the public function, for the message (omitted: no prefix)
 */
export function checkDataset(dataset: unknown, fn?: string): asserts dataset is Dataset {
  if (typeof dataset === "object" && dataset !== null && "lines" in dataset && "ids" in dataset && "customerStart" in dataset) return;
  const hint = isThenable(dataset)
    ? " (got a Promise: readDataset is async, await it)"
    : typeof dataset === "object" && dataset !== null && "dataset" in dataset && "report" in dataset
      ? " (got an ingest result: pass its .dataset)"
      : "";
  throw new OrderpulseError("INVALID_OPTION", `${fn !== undefined ? `${fn}: ` : ""}invalid option dataset: expected a Dataset${hint}`, { option: "dataset" });
}
