import type { Dataset } from "../dataset.ts";

/**
 * @internal `build` memoized per dataset or as-of view (they are immutable; the entry goes when the
 * view does): the KPIs, models and detectors of one run share one index. The result is shared,
 * so callers must not write to it.
 */
export function perView<T>(build: (view: Dataset) => T): (view: Dataset) => T {
  const cache = new WeakMap<Dataset, T>();
  return (view) => {
    let hit = cache.get(view);
    if (hit === undefined) cache.set(view, (hit = build(view)));
    return hit;
  };
}
