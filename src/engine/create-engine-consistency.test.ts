import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { datasetToBytes } from "../data/dataset-to-bytes.ts";
import { formatDay } from "../data/format-day.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { parseDay } from "../data/parse-day.ts";
import { detectSignals } from "../signals/detect-signals.ts";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { createEngine } from "./create-engine.ts";

/** Seeded shuffle. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const a = xs.slice();
  let s = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const synthCache = new Map<number, ReturnType<typeof generateSyntheticDistributor>>();
function synth(seed: number): ReturnType<typeof generateSyntheticDistributor> {
  let s = synthCache.get(seed);
  if (s === undefined) synthCache.set(seed, (s = generateSyntheticDistributor({ seed, customers: 40, products: 60, years: 2 })));
  return s;
}

describe("createEngine: consistency with detectSignals", () => {
  it("with refitEvery 1, the active situations after ingesting history up to D and ticking to D equal detectSignals at D (random histories, batches, re-syncs, removals)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 300, max: 720 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        fc.boolean(),
        (seed, dayOffset, batches, shuffleSeed, startWithData, split) => {
          const s = synth(seed);
          const D = parseDay(s.truth.options.end, "end") - 730 + dayOffset;
          // with `split`, every third order is delivered in two parts: its even lines 2 days later
          const rows = split ? s.orders.map((o) => (Number(String(o.order_id).slice(2)) % 3 === 0 && Number(o.line_id) % 2 === 0 ? { ...o, order_date: formatDay(parseDay(String(o.order_date), "d") + 2) } : o)) : s.orders;
          const history = rows.filter((o) => parseDay(String(o.order_date), "d") <= D);
          const { orders: _o, ...master } = s;
          const cut = Math.floor(history.length / 2);
          const initial = startWithData ? history.slice(0, cut) : [];
          const rest = shuffled(startWithData ? history.slice(cut) : history, shuffleSeed);
          const { dataset } = fromRowsSync({ ...master, orders: initial });
          const engine = createEngine({ dataset, options: { refitEvery: 1, asOf: D - 40 } });
          engine.tick(D - 40); // an early detection, so the later one diffs against open situations
          const size = Math.ceil(rest.length / batches);
          for (let b = 0; b < batches; b++) {
            const batch = rest.slice(b * size, (b + 1) * size);
            engine.ingest(batch);
            engine.ingest(batch.slice(0, 5)); // ERP re-sync of a few lines: no double count
          }
          // a bogus order ingested, then deleted
          engine.ingest([{ order_id: "BOGUS", line_id: 1, order_date: formatDay(D), customer_id: "C00001", product_id: "P00001", quantity: 999, unit_price: 1 }]);
          engine.remove([{ order_id: "BOGUS" }]);
          engine.tick(D);
          const expected = detectSignals(fromRowsSync({ ...master, orders: history }).dataset, { asOf: D });
          expect(engine.signals().map((t) => t.signal)).toEqual(expected);
          expect(engine.stats().lines).toBe(history.length);
        },
      ),
      { numRuns: 6 },
    );
  });

  it("the engine's dataset equals fromRowsSync of the same rows", () => {
    const s = synth(2);
    const { orders, ...master } = s;
    const engine = createEngine({ dataset: fromRowsSync({ ...master, orders: orders.slice(0, 5000) }).dataset });
    engine.ingest(orders.slice(5000));
    const a = engine.dataset(), b = fromRowsSync(s).dataset;
    const x = datasetToBytes(a), y = datasetToBytes(b);
    expect(x.length).toBe(y.length);
    expect(x.every((v, i) => v === y[i])).toBe(true);
  });
});
