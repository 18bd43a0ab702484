import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPackedRecords, packRecords, unpackRecords } from "./pack-records.ts";

/** Deep equality that also tells −0 from 0, a missing key from an undefined one, and key order. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

describe("packRecords / unpackRecords", () => {
  it("round-trips a hand-made example: numbers (NaN, −0), texts, absent and undefined keys, nested values", () => {
    const xs = [
      { id: "a", n: 1, d: "2026-01-02", x: { y: [1, 2] } },
      { id: "b", n: Number.NaN, d: "2026-01-02", x: null },
      { id: "a", n: -0, x: undefined, z: true },
    ];
    const p = packRecords(xs)!;
    expect(isPackedRecords(p)).toBe(true);
    expect(p.keys).toEqual(["id", "n", "d", "x", "z"]);
    expect(p.columns.map((c) => c.kind)).toEqual(["string", "number", "string", "any", "any"]);
    expect(p.present[0]).toBeUndefined(); // every record has id
    expect([...p.present[2]!]).toEqual([1, 1, 0]);
    const back = unpackRecords(p);
    expect(same(back, xs)).toBe(true);
    expect(JSON.stringify(back)).toBe(JSON.stringify(xs));
    expect(structuredClone(p).columns[1]).toEqual(p.columns[1]); // crosses threads as buffers
    expect(unpackRecords(packRecords([])!)).toEqual([]);
  });

  it("refuses what it cannot pack exactly: conflicting key orders, class instances, non-objects", () => {
    expect(packRecords([{ a: 1, b: 2 }, { b: 2, a: 1 }])).toBeUndefined();
    expect(packRecords([{ a: 1 }, { b: 1 }, { b: 2, a: 3 }])).toBeUndefined();
    expect(packRecords([new Date(0)])).toBeUndefined();
    expect(packRecords([1, 2])).toBeUndefined();
    expect(packRecords([null])).toBeUndefined();
    expect(isPackedRecords([{ packed: "records-v2" }])).toBe(false);
  });

  it("property: whatever it packs comes back deep-equal, keys in order; records led by one with every key always pack", () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, -0, 0, Infinity), fc.string({ maxLength: 4 }), fc.constant(undefined), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }));
    const keys = ["k0", "k1", "k2", "k3", "k4"];
    // each record: a subset of the keys in one fixed order
    const record = fc.array(fc.tuple(fc.boolean(), value), { minLength: keys.length, maxLength: keys.length }).map((cells) => {
      const o: Record<string, unknown> = {};
      cells.forEach(([has, v], i) => {
        if (has) o[keys[i]!] = v;
      });
      return o;
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), fc.boolean(), (xs, lead) => {
        // with a first record holding every key, the union order is known from the start
        const rows = lead ? [Object.fromEntries(keys.map((k, i) => [k, i])), ...xs] : xs;
        const p = packRecords(rows);
        if (lead) expect(p).toBeDefined();
        if (p === undefined) return;
        expect(same(unpackRecords(p), rows)).toBe(true);
        expect(same(unpackRecords(structuredClone(p)), rows)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("leaves records with an own __proto__ key to the caller (set back, it became the prototype: the key lost)", () => {
    const r = JSON.parse('{"id":"a","__proto__":{"x":1},"n":1}') as unknown;
    expect(packRecords([r])).toBeUndefined();
  });
});
