import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { datasetToBytes } from "../dataset-to-bytes.ts";
import { fromRowsSync } from "../from-rows-sync.ts";
import type { OrderRow } from "../rows.ts";
import { settleTies } from "./builder.ts";
import { rng } from "../../../test/support/signal-checks.ts";

function shuffle<T>(xs: T[], r: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The insertion sort settleTies used before (the reference for the order of ties). */
function settleTiesByInsertion(perm: Uint32Array, a: number, b: number, cmp: (a: number, b: number) => number, dayOf: Int32Array, ord: Uint32Array, prod: Uint32Array, prodRank: Int32Array, check: boolean): boolean {
  for (let j = a + 1; j < b; j++) {
    const x = perm[j]!;
    const dx = dayOf[x]!, ox = ord[x]!, px = prodRank[prod[x]!]!;
    let i = j - 1;
    if (check) {
      const y = perm[i]!;
      if (dx < dayOf[y]! || (dx === dayOf[y] && ox < ord[y]!)) return false;
    }
    for (; i >= a; i--) {
      const y = perm[i]!;
      if (dayOf[y] !== dx || ord[y] !== ox) break;
      const py = prodRank[prod[y]!]!;
      if (py < px || (py === px && cmp(y, x) <= 0)) break;
      perm[i + 1] = y;
    }
    perm[i + 1] = x;
  }
  return true;
}

/** Lines as columns, with the builder's comparator shape: day, order, product rank, then line id and quantity. */
interface Lines {
  day: Int32Array;
  ord: Uint32Array;
  prod: Uint32Array;
  prodRank: Int32Array;
  lid: Int32Array;
  qty: Float64Array;
}

function comparator(l: Lines, count?: { calls: number }): (a: number, b: number) => number {
  return (a, b) => {
    if (count) count.calls++;
    return l.day[a]! - l.day[b]! || l.ord[a]! - l.ord[b]! || l.prodRank[l.prod[a]!]! - l.prodRank[l.prod[b]!]! || l.lid[a]! - l.lid[b]! || l.qty[a]! - l.qty[b]!;
  };
}

/** As sortWithinCustomers does with one customer's lines (ascending line index): the checking pass, else a stable sort by (day, order) and a second pass. */
function sortOneCustomer(settle: typeof settleTies, l: Lines): Uint32Array {
  const n = l.day.length;
  const perm = Uint32Array.from({ length: n }, (_, i) => i);
  const cmp = comparator(l);
  if (!settle(perm, 0, n, cmp, l.day, l.ord, l.prod, l.prodRank, true)) {
    const byKey = Array.from(perm).sort((a, b) => l.day[a]! - l.day[b]! || l.ord[a]! - l.ord[b]!);
    perm.set(byKey);
    settle(perm, 0, n, cmp, l.day, l.ord, l.prod, l.prodRank, false);
  }
  return perm;
}

describe("settleTies", () => {
  it("puts the lines of each (day, order) in the order the insertion sort did, ties on every key included, short and long runs", () => {
    // few distinct values per key: runs of well over 32 tied lines, and lines the comparator ties
    const line = fc.record({ day: fc.nat(2), ord: fc.nat(2), prod: fc.nat(5), lid: fc.integer({ min: -1, max: 5 }), qty: fc.integer({ min: 1, max: 2 }) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 600, size: "max" }), fc.boolean(), (rows, inKeyOrder) => {
        if (inKeyOrder) rows.sort((a, b) => a.day - b.day || a.ord - b.ord);
        const l: Lines = {
          day: Int32Array.from(rows, (r) => r.day),
          ord: Uint32Array.from(rows, (r) => r.ord),
          prod: Uint32Array.from(rows, (r) => r.prod),
          prodRank: Int32Array.from([3, 0, 5, 1, 4, 2]),
          lid: Int32Array.from(rows, (r) => r.lid),
          qty: Float64Array.from(rows, (r) => r.qty),
        };
        expect(Array.from(sortOneCustomer(settleTies, l))).toEqual(Array.from(sortOneCustomer(settleTiesByInsertion, l)));
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it("settles one order of thousands of lines of one product in O(k log k) comparisons, not the insertion sort's O(k^2)", () => {
    const k = 4000;
    const r = rng(5);
    const l: Lines = {
      day: new Int32Array(k),
      ord: new Uint32Array(k),
      prod: new Uint32Array(k),
      prodRank: Int32Array.from([0]),
      lid: Int32Array.from(shuffle(Array.from({ length: k }, (_, i) => i), r)),
      qty: new Float64Array(k).fill(1),
    };
    const count = { calls: 0 };
    const perm = Uint32Array.from({ length: k }, (_, i) => i);
    expect(settleTies(perm, 0, k, comparator(l, count), l.day, l.ord, l.prod, l.prodRank, true)).toBe(true);
    expect(Array.from(perm, (i) => l.lid[i])).toEqual(Array.from({ length: k }, (_, i) => i));
    // a comparison sort needs about k log2 k = 48,000 here; the insertion sort about k^2 / 4 = 4,000,000
    expect(count.calls).toBeLessThan(2 * k * Math.log2(k));
  });
});

describe("fromRowsSync with one big order (a monthly consolidated invoice)", () => {
  // 3000 lines of one order and day, products (of 400) in a random order, so that products repeat
  // and line ids (compared as text) order the lines of one product
  const r = rng(7);
  const rows: OrderRow[] = Array.from({ length: 3000 }, (_, i) => ({
    order_id: "INV-2026-10",
    line_id: String(i + 1),
    order_date: "2026-10-31",
    customer_id: "C1",
    product_id: `SKU${Math.floor(r() * 400)}`,
    quantity: 1 + (i % 3),
    unit_price: 10,
  }));

  it("gives the same bytes whatever the order of the rows", () => {
    const a = fromRowsSync({ orders: rows }).dataset;
    const b = fromRowsSync({ orders: shuffle(rows.slice(), rng(11)) }).dataset;
    const c = fromRowsSync({ orders: rows.slice().reverse() }).dataset;
    expect(Buffer.from(datasetToBytes(b)).equals(Buffer.from(datasetToBytes(a)))).toBe(true);
    expect(Buffer.from(datasetToBytes(c)).equals(Buffer.from(datasetToBytes(a)))).toBe(true);
  });

  it("orders the lines by product id, then line id (the dictionaries are sorted text)", () => {
    const { dataset: ds } = fromRowsSync({ orders: shuffle(rows.slice(), rng(13)) });
    const expected = rows.slice().sort((a, b) => cmpStr(String(a.product_id), String(b.product_id)) || cmpStr(String(a.line_id), String(b.line_id)));
    const got = Array.from({ length: ds.lines.length }, (_, i) => [ds.ids.products.values[ds.lines.product[i]!], ds.ids.lineIds.values[ds.lines.lineId[i]!], ds.lines.quantity[i]]);
    expect(got).toEqual(expected.map((x) => [x.product_id, x.line_id, x.quantity]));
  });
});
