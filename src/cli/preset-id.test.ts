import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../test/support/cli.ts";

const retail = join(import.meta.dirname, "..", "..", "test", "fixtures", "online-retail", "online-retail-sample.csv");
const read = ["--data", retail, "--preset", "online-retail", "--quiet"];

describe("ids typed as the Online Retail file shows them (review 2026-12-07: 'no product 85123a in the data')", () => {
  it("a stock code in lower case and a customer id written as a float find what the preset read", async () => {
    const similar = await cli("similar", ...read, "--product", "85123a", "--json");
    expect(similar.err).toBe("");
    expect(JSON.parse(similar.out).productId).toBe("85123A");
    const card = await cli("customer", ...read, "--id", "17850.0");
    expect([card.code, card.err]).toEqual([0, ""]);
    expect(card.out).toContain("17850");
    const offers = await cli("recommend", ...read, "--customer", "17850.0", "--customer", "17850", "--json");
    expect(offers.code).toBe(0);
    expect(new Set(JSON.parse(offers.out).offers.map((o: { customerId: string }) => o.customerId))).toEqual(new Set(["17850"]));
    const rhythm = await cli("patterns", ...read, "--customer", "17850.0");
    expect([rhythm.code, rhythm.out.startsWith("17850: ")]).toEqual([0, true]);
  });

  it("an id in neither form is still unknown; without the preset nothing is rewritten", async () => {
    expect((await cli("similar", ...read, "--product", "NOPE")).err).toContain("no product NOPE in the data");
    const canonical = ["--data", retail, "--map", "order_id=InvoiceNo", "--map", "order_date=InvoiceDate", "--map", "customer_id=CustomerID", "--map", "product_id=StockCode", "--map", "quantity=Quantity", "--map", "unit_price=UnitPrice", "--date-format", "mdy", "--quiet"];
    const r = await cli("similar", ...canonical, "--product", "85123a");
    expect(r.err).toContain("no product 85123a in the data");
  });
});
