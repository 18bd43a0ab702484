import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectInvalid } from "../../test/support/expect-invalid.ts";
import { readDataset } from "../csv/read-dataset.ts";
import { fromRowsSync } from "../data/from-rows-sync.ts";
import { whiteSpace, type WhiteSpaceRow } from "./white-space.ts";

const fixture = join(import.meta.dirname, "..", "..", "test", "fixtures", "kpi20");
const pick = (rows: readonly WhiteSpaceRow[], key: string | null, item: string): WhiteSpaceRow | undefined => rows.find((r) => r.key === key && r.item === item);

describe("whiteSpace on the kpi20 fixture (hand-computed)", async () => {
  const { dataset } = await readDataset({ path: fixture });

  it("by rep, products, the quarter holding asOf (2026-Q1): R1 misses P3 and P4, R2 misses P5", () => {
    const ws = whiteSpace(dataset, { asOf: "2026-02-25" });
    expect([ws.by, ws.level, ws.start, ws.end, ws.minPeerShare, ws.maxRatio]).toEqual(["rep", "product", "2026-01-01", "2026-02-25", 0.2, 0.5]);
    // R1 owns C1, C2, C6 (3 buying customers: C2's February return does not matter), R2 owns C3, C4, C5
    expect(ws.rows.map((r) => `${r.key}:${r.item}:${r.buyers}/${r.customers}:${r.peerBuyers}/${r.peerCustomers}:${r.flagged ? "F" : "-"}`)).toEqual([
      "R1:P1:2/3:2/3:-",
      "R1:P2:2/3:2/3:-",
      "R1:P3:0/3:1/3:F",
      "R1:P4:0/3:2/3:F",
      "R1:P5:1/3:0/3:-",
      "R2:P1:2/3:2/3:-",
      "R2:P2:2/3:2/3:-",
      "R2:P3:1/3:0/3:-",
      "R2:P4:2/3:0/3:-",
      "R2:P5:0/3:1/3:F",
    ]);
    const p4 = pick(ws.rows, "R1", "P4")!;
    expect([p4.share, p4.peerShare, p4.gap, p4.ratio]).toEqual([0, 2 / 3, 2 / 3, 0]);
    expect(p4.opportunity).toBeCloseTo(2, 12);
    const p5 = pick(ws.rows, "R1", "P5")!;
    expect([p5.peerShare, p5.ratio]).toEqual([0, undefined]);
    expect(p5.gap).toBeCloseTo(-1 / 3, 12);
    expect(ws.unsoldProducts).toEqual([]);
    expect(ws.unsoldFamilies).toEqual([]);
  });

  it("by segment, families: hotels miss coffee (0 vs 4/5), dairy (2/5) and gifts (1/5 = minPeerShare, flagged)", () => {
    const ws = whiteSpace(dataset, { asOf: "2026-02-25", by: "segment", level: "family" });
    const flagged = ws.rows.filter((r) => r.flagged).map((r) => `${r.key}:${r.item}:${r.peerBuyers}/${r.peerCustomers}`);
    expect(flagged).toEqual([
      "cafes:dairy:2/4",
      "hotels:coffee:4/5",
      "hotels:dairy:2/5",
      "hotels:gifts:1/5",
      "institutions:dairy:2/5",
      "institutions:disposables:4/5",
      "institutions:gifts:1/5",
      "restaurants:disposables:4/5",
      "restaurants:gifts:1/5",
      "retail:coffee:4/5",
      "retail:gifts:1/5",
    ]);
    // cafes (C1, C5) bought coffee 2/2, disposables 2/2, gifts 1/2
    expect(pick(ws.rows, "cafes", "coffee")).toMatchObject({ customers: 2, buyers: 2, share: 1, peerShare: 0.5 });
    expect(pick(ws.rows, "hotels", "coffee")!.opportunity).toBeCloseTo(0.8, 12);
    // a stricter minPeerShare drops the 1-in-5 gifts gaps
    const strict = whiteSpace(dataset, { asOf: "2026-02-25", by: "segment", level: "family", minPeerShare: 0.25 });
    expect(strict.rows.filter((r) => r.flagged && r.item === "gifts")).toEqual([]);
  });

  it("December 2025 alone: P1, P2, P5 unsold; families disposables and gifts unsold", () => {
    const ws = whiteSpace(dataset, { asOf: "2025-12-31", period: "month" });
    expect(ws.unsoldProducts).toEqual(["P1", "P2", "P5"]);
    expect(ws.unsoldFamilies).toEqual(["disposables", "gifts"]);
    // R1 (C6: P3) and R2 (C4: P4) each miss the other's product
    expect(ws.rows.filter((r) => r.flagged).map((r) => `${r.key}:${r.item}`)).toEqual(["R1:P4", "R2:P3"]);
  });

  it("periods widens the window: Nov 2025 .. Feb 2026 by month", () => {
    const ws = whiteSpace(dataset, { asOf: "2026-02-25", period: "month", periods: 4 });
    expect(ws.start).toBe("2025-11-01");
    // C4 (R2) bought P4 in Dec and Jan, C6 (R1) P3 in Nov/Dec: R2 now has P3 buyers 1 (C3), R1 P3 buyers 1 (C6)
    expect(pick(ws.rows, "R1", "P3")).toMatchObject({ buyers: 1, peerBuyers: 1, flagged: false });
  });
});

describe("whiteSpace boundaries", () => {
  it("a share of exactly maxRatio × the peers' share is flagged, also when the product rounds (review 2026-12-07: 1/10 against 0.3 × 1/3)", () => {
    const rows = [];
    const customers = [];
    // rep RA: 10 customers, 1 buys P; rep RB (its peers): 6 customers, 2 buy P; everyone buys Q
    for (let i = 0; i < 10; i++) customers.push({ customer_id: `A${i}`, rep_id: "RA" });
    for (let i = 0; i < 6; i++) customers.push({ customer_id: `B${i}`, rep_id: "RB" });
    for (const c of customers) rows.push({ order_id: `${c.customer_id}-q`, order_date: "2026-01-05", customer_id: c.customer_id, product_id: "Q", quantity: 1, unit_price: 2 });
    for (const id of ["A0", "B0", "B1"]) rows.push({ order_id: `${id}-p`, order_date: "2026-01-06", customer_id: id, product_id: "P", quantity: 1, unit_price: 2 });
    const ws = whiteSpace(fromRowsSync({ orders: rows, customers }).dataset, { asOf: "2026-03-31", maxRatio: 0.3, minPeerShare: 0.2 });
    expect(ws.rows.find((r) => r.key === "RA" && r.item === "P")).toMatchObject({ share: 0.1, flagged: true });
  });
});

describe("whiteSpace options", () => {
  it("an options object, null values refused (review 2026-12-07: null read as the defaults, \"x\" as an unknown option 0)", () => {
    const { dataset } = fromRowsSync({ orders: [{ order_id: "1", order_date: "2026-01-05", customer_id: "A", product_id: "P", quantity: 1, unit_price: 2 }] });
    for (const bad of [null, "x", 5]) expectInvalid(() => whiteSpace(dataset, bad as never), "options");
    for (const option of ["by", "level", "periods"]) expectInvalid(() => whiteSpace(dataset, { [option]: null } as never), option);
  });
});

describe("whiteSpace edge cases", () => {
  const o = (id: string, c: string, p: string, quantity = 1) => ({ order_id: id, order_date: "2026-01-05", customer_id: c, product_id: p, quantity, unit_price: 2 });

  it("returns never make a buyer; inactive catalogue products are not 'unsold'", () => {
    const { dataset } = fromRowsSync({
      orders: [o("1", "A", "P"), o("2", "B", "P"), o("3", "B", "Q", -1)],
      customers: [{ customer_id: "A", rep_id: "R1" }, { customer_id: "B", rep_id: "R2" }],
      products: [{ product_id: "P", active: 1 }, { product_id: "Q", active: 1 }, { product_id: "X", active: 0 }],
    });
    const ws = whiteSpace(dataset, { asOf: "2026-01-31" });
    expect(ws.rows.map((r) => `${r.key}:${r.item}`)).toEqual(["R1:P", "R2:P"]);
    expect(ws.unsoldProducts).toEqual(["Q"]);
  });

  it("a single group has no peers: peerShare undefined, nothing flagged", () => {
    const { dataset } = fromRowsSync({ orders: [o("1", "A", "P")], customers: [{ customer_id: "A", segment: "s" }] });
    const ws = whiteSpace(dataset, { asOf: "2026-01-31", by: "segment" });
    expect(ws.rows).toEqual([{ key: "s", item: "P", customers: 1, buyers: 1, share: 1, peerCustomers: 0, peerBuyers: 0, peerShare: undefined, gap: undefined, ratio: undefined, opportunity: undefined, flagged: false }]);
  });

  it("by region (data without reps or segments, e.g. countries): a country's customers against the others'", () => {
    const { dataset } = fromRowsSync({
      orders: [o("1", "A", "P"), o("1", "A", "Q"), o("2", "B", "P"), o("2", "B", "Q"), o("3", "C", "P")],
      customers: [{ customer_id: "A", region: "UK" }, { customer_id: "B", region: "UK" }, { customer_id: "C", region: "France" }],
    });
    const ws = whiteSpace(dataset, { asOf: "2026-01-31", by: "region" });
    expect(ws.by).toBe("region");
    expect(ws.rows.filter((r) => r.flagged).map((r) => [r.key, r.item, r.share, r.peerShare])).toEqual([["France", "Q", 0, 1]]);
  });

  it("empty dataset", () => {
    const { dataset } = fromRowsSync({ orders: [], products: [{ product_id: "P" }] });
    const ws = whiteSpace(dataset, { asOf: "2026-01-31" });
    expect(ws.rows).toEqual([]);
    expect(ws.unsoldProducts).toEqual(["P"]);
  });

  it("bad options throw INVALID_OPTION", () => {
    const { dataset } = fromRowsSync({ orders: [] });
    for (const bad of [{ by: "channel" }, { level: "sku" }, { minPeerShare: -0.1 }, { maxRatio: 2 }, { maxRatio: Number.NaN }, { periods: 0 }]) {
      expect(() => whiteSpace(dataset, bad as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    }
  });
});

describe("whiteSpace properties", () => {
  const day = (d: number): string => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
  const row = fc.record({
    order_id: fc.constantFrom("O1", "O2", "O3"),
    order_date: fc.integer({ min: 0, max: 89 }).map(day),
    customer_id: fc.constantFrom("A", "B", "C", "D", "E"),
    product_id: fc.constantFrom("P1", "P2", "P3", "P4"),
    quantity: fc.integer({ min: -2, max: 4 }).filter((q) => q !== 0),
    unit_price: fc.integer({ min: 1, max: 9 }),
    rep_id: fc.constantFrom("R1", "R2", ""),
  });
  const customers = [
    { customer_id: "A", segment: "s1", rep_id: "R1" },
    { customer_id: "B", segment: "s2", rep_id: "R2" },
    { customer_id: "C", segment: "s1", rep_id: "R3" },
    { customer_id: "D", segment: "s2" },
  ];
  const products = [{ product_id: "P1", family: "f1" }, { product_id: "P2", family: "f1" }, { product_id: "P3", family: "f2" }, { product_id: "P5", family: "f3" }];
  const opts = fc.record({
    by: fc.constantFrom("rep", "segment") as fc.Arbitrary<"rep" | "segment">,
    level: fc.constantFrom("product", "family") as fc.Arbitrary<"product" | "family">,
    repBasis: fc.constantFrom("owner", "seller") as fc.Arbitrary<"owner" | "seller">,
  });

  it("row order changes nothing; shares are in 0..1", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), opts, (orders, o) => {
        const keyed = orders.map((x, i) => ({ ...x, line_id: String(i) }));
        const a = whiteSpace(fromRowsSync({ orders: keyed, customers, products }).dataset, { ...o, asOf: "2026-03-31" });
        const b = whiteSpace(fromRowsSync({ orders: [...keyed].reverse(), customers: [...customers].reverse(), products: [...products].reverse() }).dataset, { ...o, asOf: "2026-03-31" });
        expect(b).toEqual(a);
        for (const r of a.rows) {
          expect(r.share).toBeGreaterThanOrEqual(0);
          expect(r.share).toBeLessThanOrEqual(1);
          if (r.peerShare !== undefined) expect(r.peerShare).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("adding orders after asOf changes nothing", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.array(row, { maxLength: 15 }), fc.integer({ min: 0, max: 80 }), opts, (base, extra, cut, o) => {
        const later = extra.map((x, i) => ({ ...x, order_id: `L${i}`, order_date: day(cut + 1 + i) }));
        const a = whiteSpace(fromRowsSync({ orders: base, customers, products }).dataset, { ...o, asOf: day(cut) });
        const b = whiteSpace(fromRowsSync({ orders: [...base, ...later], customers, products }).dataset, { ...o, asOf: day(cut) });
        expect(b).toEqual(a);
      }),
      { numRuns: 150 },
    );
  });
});
