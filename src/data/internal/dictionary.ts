import type { Dictionary } from "../dataset.ts";

/** @internal A dictionary over already-sorted distinct values; the lookup map is built lazily. */
class SortedDictionary implements Dictionary {
  readonly size: number;
  readonly values: readonly string[];
  #map: Map<string, number> | undefined;
  constructor(values: readonly string[]) {
    this.size = values.length;
    this.values = values;
  }
  indexOf(value: string): number {
    let map = this.#map;
    if (!map) {
      map = new Map();
      for (let i = 0; i < this.values.length; i++) map.set(this.values[i]!, i);
      this.#map = map;
    }
    return map.get(value) ?? -1;
  }
}

/** @internal */
export function createDictionary(values: readonly string[]): Dictionary {
  return new SortedDictionary(values);
}
