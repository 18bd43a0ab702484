import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { datasetToBytes } from "../../data/dataset-to-bytes.ts";
import { fromRowsSync } from "../../data/from-rows-sync.ts";
import type { OrderRow } from "../../data/rows.ts";
import { generateSyntheticDistributor } from "../../synth/generate-synthetic-distributor.ts";
import { createEngine } from "../create-engine.ts";

const synth = generateSyntheticDistributor({ seed: 5, customers: 25, products: 40, years: 1 });
const { orders, ...master } = synth;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type Op =
  | { kind: "ingest"; from: number; count: number; bump: boolean }
  | { kind: "middle"; at: number }
  | { kind: "newCustomer" }
  | { kind: "newLineId"; at: number }
  | { kind: "remove"; at: number }
  | { kind: "noLineId"; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("ingest" as const), from: fc.nat(orders.length - 1), count: fc.integer({ min: 1, max: 300 }), bump: fc.boolean() }),
  fc.record({ kind: fc.constant("middle" as const), at: fc.nat(orders.length - 1) }),
  fc.record({ kind: fc.constant("newCustomer" as const) }),
  fc.record({ kind: fc.constant("newLineId" as const), at: fc.nat(orders.length - 1) }),
  fc.record({ kind: fc.constant("remove" as const), at: fc.nat(orders.length - 1) }),
  fc.record({ kind: fc.constant("noLineId" as const), at: fc.nat(orders.length - 1) }),
);

describe("incremental materialization", () => {
  it("after any sequence of ingests, re-syncs and removals the engine's dataset equals fromRowsSync of the current rows", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
        const cut = Math.floor(orders.length * 0.7);
        const rows = new Map<string, OrderRow>();
        const keyOf = (r: OrderRow): string => (r.line_id === undefined || r.line_id === null ? JSON.stringify(r) : `${r.order_id}|${r.line_id}`);
        for (const r of orders.slice(0, cut)) rows.set(keyOf(r), r);
        const engine = createEngine({ dataset: fromRowsSync({ ...master, orders: [...rows.values()] }).dataset });
        let serial = 0;
        for (const o of ops) {
          let batch: OrderRow[] = [];
          if (o.kind === "ingest") batch = orders.slice(o.from, o.from + o.count).map((r) => (o.bump ? { ...r, quantity: Number(r.quantity) * 2 } : r));
          else if (o.kind === "middle") batch = [{ ...orders[o.at]!, order_id: `${String(orders[o.at]!.order_id)}x${serial++}` }];
          else if (o.kind === "newCustomer") batch = [{ ...orders[0]!, order_id: `SO9${serial++}`, customer_id: `NEW${serial}` }];
          else if (o.kind === "newLineId") batch = [{ ...orders[o.at]!, line_id: `L${serial++}` }];
          else if (o.kind === "noLineId") batch = [{ ...orders[o.at]!, line_id: undefined, order_id: `N${serial++}` }];
          else {
            const id = String(orders[o.at]!.order_id);
            engine.remove([{ order_id: id }]);
            for (const [k, r] of rows) if (String(r.order_id) === id) rows.delete(k);
          }
          if (batch.length > 0) {
            engine.ingest(batch);
            for (const r of batch) rows.set(keyOf(r), r);
          }
          const expected = fromRowsSync({ ...master, orders: [...rows.values()] }).dataset;
          expect(sameBytes(datasetToBytes(engine.dataset()), datasetToBytes(expected))).toBe(true);
        }
        const st = engine.stats();
        expect(st.materializations).toBeLessThanOrEqual(ops.length);
        if (!ops.some((o) => o.kind === "newCustomer")) expect(st.fullRebuilds).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
