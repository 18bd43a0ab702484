import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDataset } from "../src/csv/read-dataset.ts";
import { writeSyntheticDistributor } from "../src/csv/write-synthetic-distributor.ts";
import { churnRate, computeKpis, customerProfitability, discountRate } from "../src/index.ts";
import { tempDir } from "./support/temp-dir.ts";

// Cross-module property: how order lines are split across files never changes a KPI.
describe("KPIs do not depend on how lines are split across files", async () => {
  const src = tempDir("orderpulse-split-");
  await writeSyntheticDistributor(src, { seed: 5, customers: 40, products: 80, years: 2 });
  const text = readFileSync(join(src, "orders.csv"), "utf8").trimEnd().split("\n");
  const [header, ...rows] = text as [string, ...string[]];
  const all = (dir: string, files: string[] | undefined) =>
    readDataset({ path: dir, ...(files ? { files: { orders: files } } : {}) }).then((r) => r.dataset);
  const asOf = "2026-10-31";
  const pack = (d: Awaited<ReturnType<typeof all>>): unknown => ({
    kpis: computeKpis(d, { asOf, period: "month", periods: 6, by: "customer" }),
    churn: churnRate(d, { asOf, periods: 6 }),
    discount: discountRate(d, { asOf, periods: 6, by: "segment" }),
    abc: customerProfitability(d, { asOf, periods: 12 }),
  });
  const expected = pack(await all(src, undefined));

  it("property: any assignment of lines (one customer's lines included) to two files gives the same KPIs", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const dir = tempDir("orderpulse-split-");
        for (const f of ["customers.csv", "products.csv", "reps.csv"]) writeFileSync(join(dir, f), readFileSync(join(src, f)));
        let s = seed;
        const a: string[] = [], b: string[] = [];
        for (const r of rows) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          (s & 0x10000 ? a : b).push(r);
        }
        writeFileSync(join(dir, "part-1.csv"), `${header}\n${a.join("\n")}\n`);
        writeFileSync(join(dir, "part-2.csv"), `${header}\n${b.join("\n")}\n`);
        expect(pack(await all(dir, ["part-1.csv", "part-2.csv"]))).toEqual(expected);
      }),
      { numRuns: 5 },
    );
  });
});
