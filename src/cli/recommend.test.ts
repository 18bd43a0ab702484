import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../test/support/cli.ts";
import { analyze } from "../analyze.ts";
import { readDataset } from "../csv/read-dataset.ts";
import { tempDir } from "../../test/support/temp-dir.ts";

const HEBREW = /[\u0590-\u05FF]/;
const asOf = "2026-10-01";
let data = "";
const retail = join(import.meta.dirname, "..", "..", "test", "fixtures", "online-retail", "online-retail-sample.csv");

beforeAll(async () => {
  data = join(tempDir("op-recommend-"), "d");
  const r = await cli("synth", "--out", data, "--customers", "200", "--seed", "2", "--years", "2", "--quiet");
  expect(r.code).toBe(0);
}, 60_000);

interface OfferJson { customerId: string; productId: string; kind: string; score: number; message: string }

describe("orderpulse recommend", () => {
  it("--customer: at most k offers, best first, with the reason; --json carries them", async () => {
    const all = JSON.parse((await cli("recommend", "--data", data, "--as-of", asOf, "--all", "--json", "--quiet")).out) as { asOf: string; k: number; count: number; offers: OfferJson[] };
    expect(all.asOf).toBe(asOf);
    expect(all.k).toBe(10);
    expect(all.count).toBe(all.offers.length);
    expect(all.count).toBeGreaterThan(100);
    const customer = all.offers[0]!.customerId;
    const json = await cli("recommend", "--data", data, "--as-of", asOf, "--customer", customer, "-k", "3", "--json", "--quiet");
    expect(json.code).toBe(0);
    const one = JSON.parse(json.out) as { offers: OfferJson[] };
    expect(one.offers.length).toBeGreaterThan(0);
    expect(one.offers.length).toBeLessThanOrEqual(3);
    expect(new Set(one.offers.map((o) => o.customerId))).toEqual(new Set([customer]));
    const scores = one.offers.map((o) => o.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const text = await cli("recommend", "--data", data, "--as-of", asOf, "--customer", customer, "-k", "3", "--quiet");
    expect(text.code).toBe(0);
    const lines = text.out.trimEnd().split("\n");
    expect(lines[0]).toBe(`offers as of ${asOf}: ${one.offers.length} for 1 customer (k = 3), best first per customer`);
    expect(lines[1]).toMatch(/^customer\s+product\s+kind\s+score\s+price\s+qty\s+margin\s+why$/);
    expect(lines[2]).toContain(one.offers[0]!.message);
    expect(lines.length).toBe(2 + one.offers.length);
    const typo = await cli("recommend", "--data", data, "--as-of", asOf, "--customer", customer, "--customer", "NO-SUCH", "--quiet");
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("no customer NO-SUCH in the data");
  });

  it("the table shows fractional quantities as the offer has them (review 2026-12-07: 0.3 kg read \"0\", 2.5 read \"3\")", async () => {
    const path = join(tempDir("op-recommend-frac-"), "orders.csv");
    const rows = ["order_id,order_date,customer_id,product_id,quantity,unit_price,list_price,unit_cost"];
    for (let w = 0; w < 10; w++) {
      const day = new Date(Date.UTC(2026, 2, 2 + 7 * w)).toISOString().slice(0, 10);
      rows.push(`T${w},${day},T,SAFFRON,0.3,40,50,20`, `T${w},${day},T,CHEESE,2.5,10,12,6`);
    }
    rows.push("T10,2026-05-11,T,BREAD,1,2,3,1"); // the last order without them: both due
    writeFileSync(path, rows.join("\n") + "\n");
    const json = JSON.parse((await cli("recommend", "--data", path, "--customer", "T", "--as-of", "2026-05-12", "--kind", "repurchase", "--json", "--quiet")).out) as { offers: (OfferJson & { quantity: number })[] };
    expect(json.offers.map((o) => [o.productId, o.quantity]).sort()).toEqual([["CHEESE", 2.5], ["SAFFRON", 0.3]]);
    const text = (await cli("recommend", "--data", path, "--customer", "T", "--as-of", "2026-05-12", "--kind", "repurchase", "--quiet")).out;
    const qty = (p: string): string | undefined => text.split("\n").find((l) => l.includes(` ${p} `))?.split(/\s+/)[5];
    expect([qty("SAFFRON"), qty("CHEESE")]).toEqual(["0.3", "2.5"]);
  });

  it("a repeated --customer counts once, in the order first given", async () => {
    const all = JSON.parse((await cli("recommend", "--data", data, "--as-of", asOf, "--all", "--json", "--quiet")).out) as { offers: OfferJson[] };
    const [a, b] = [...new Set(all.offers.map((o) => o.customerId))];
    const once = await cli("recommend", "--data", data, "--as-of", asOf, "--customer", a!, "--customer", b!, "-k", "2", "--quiet");
    const twice = await cli("recommend", "--data", data, "--as-of", asOf, "--customer", a!, "--customer", b!, "--customer", a!, "-k", "2", "--quiet");
    expect(once.code).toBe(0);
    expect(once.out).toMatch(/^offers as of 2026-10-01: \d+ for 2 customers \(k = 2\)/);
    expect(twice.out).toBe(once.out);
    const json = JSON.parse((await cli("recommend", "--data", data, "--as-of", asOf, "--customer", a!, "--customer", a!, "-k", "2", "--json", "--quiet")).out) as { offers: OfferJson[] };
    const single = JSON.parse((await cli("recommend", "--data", data, "--as-of", asOf, "--customer", a!, "-k", "2", "--json", "--quiet")).out) as { offers: OfferJson[] };
    expect(json.offers).toEqual(single.offers);
    const text = await cli("recommend", "--data", data, "--as-of", asOf, "--customer", a!, "--customer", a!, "-k", "2", "--quiet");
    expect(text.out).toMatch(/ for 1 customer \(k = 2\)/);
  }, 30_000);

  it("offers are analyze()'s (with the pattern model at the same day and calendar): as the customer card, the brief and the demo", async () => {
    const { dataset } = await readDataset({ path: data });
    // analyze() keeps a summary of each offer, by customer: compare what both carry, in its order
    type Same = Pick<OfferJson, "customerId" | "productId" | "kind" | "score" | "message"> & { suggestedPrice: number; quantity: number };
    const same = (xs: readonly Same[]): string[] =>
      xs.map((o) => JSON.stringify([o.customerId, o.productId, o.kind, o.score, o.suggestedPrice, o.quantity, o.message])).sort();
    for (const calendar of [undefined, { weekendDays: [5, 6] }]) {
      const analysis = analyze(dataset, { asOf, ...(calendar ? { calendar } : {}) }); // k = 3 per customer
      const flags = calendar ? ["--weekend", "fri,sat"] : [];
      const customers = [...new Set(analysis.offers.map((o) => o.customerId))].slice(0, 5);
      expect(customers.length).toBe(5);
      // a few customers (in this thread) and all of them (a pool of 2 threads)
      const few = JSON.parse((await cli("recommend", "--data", data, "--as-of", asOf, ...customers.flatMap((c) => ["--customer", c]), "-k", "3", ...flags, "--json", "--quiet")).out) as { offers: Same[] };
      expect(same(few.offers)).toEqual(same(analysis.offers.filter((o) => customers.includes(o.customerId))));
      const all = JSON.parse((await cli("recommend", "--data", data, "--as-of", asOf, "--all", "-k", "3", ...flags, "--workers", "2", "--json", "--quiet")).out) as { offers: Same[] };
      expect(same(all.offers)).toEqual(same(analysis.offers));
    }
    // the card of a customer with a repurchase offer (its rate is the item rhythm's) shows recommend's offers
    const one = analyze(dataset, { asOf }).offers.find((o) => o.kind === "repurchase")!.customerId;
    const mine = JSON.parse((await cli("recommend", "--data", data, "--as-of", asOf, "--customer", one, "-k", "3", "--json", "--quiet")).out) as { offers: OfferJson[] };
    const card = await cli("customer", "--data", data, "--as-of", asOf, "--id", one, "--quiet");
    expect(mine.offers.length).toBeGreaterThan(0);
    for (const o of mine.offers) expect(card.out).toContain(o.message);
  }, 120_000);

  it("--kind and --lang he", async () => {
    const some = JSON.parse((await cli("recommend", "--data", data, "--as-of", asOf, "--all", "--kind", "cross_sell", "--json", "--quiet")).out).offers as OfferJson[];
    expect(some.length).toBeGreaterThan(0);
    expect(new Set(some.map((o) => o.kind))).toEqual(new Set(["cross_sell"]));
    const he = await cli("recommend", "--data", data, "--as-of", asOf, "--customer", some[0]!.customerId, "--lang", "he", "--quiet");
    expect(he.code).toBe(0);
    expect(he.out.split("\n")[2]).toMatch(HEBREW);
  });

  it("--evaluate --split after the data's last day is a usage error (review 2026-12-07: a backwards truth window, exit 0)", async () => {
    const r = await cli("recommend", "--data", data, "--evaluate", "--split", "2027-06-01", "--quiet");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^orderpulse: --split 2027-06-01 is after the data's last day \d{4}-\d\d-\d\d: no purchase after it to evaluate against\n$/);
  });

  it("--evaluate prints the table for new and repeat items with the baselines; --truth adds the planted adoptions", async () => {
    const r = await cli("recommend", "--data", data, "--evaluate", "--split", "2026-07-01", "--horizon", "90", "--truth", join(data, "truth.json"), "--quiet");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^recommendation evaluation, k = 10: models see the orders through 2026-06-30; truth = purchases 2026-07-01 \.\. 2026-09-28 \(90 days\)/);
    for (const label of ["new items (never bought before the split)", "repeat items (bought before the split)", "planted adoptions (truth file) in the window"]) expect(r.out).toContain(label);
    for (const m of ["orderpulse", "global popularity", "segment popularity", "jaccard", "personal top frequency"]) expect(r.out).toMatch(new RegExp(`^  ${m}\\s+\\d\\.\\d{3}`, "m"));
    // the repeat part names both of orderpulse's lists as orderpulse's
    const repeat = r.out.slice(r.out.indexOf("repeat items (bought before the split)"), r.out.indexOf("planted adoptions"));
    for (const m of ["orderpulse offers", "orderpulse item rhythm", "personal top frequency"]) expect(repeat).toMatch(new RegExp(`^  ${m}\\s+\\d\\.\\d{3}`, "m"));
    expect(r.out).not.toContain("the data has no segments");
    const json = JSON.parse((await cli("recommend", "--data", data, "--evaluate", "--split", "2026-07-01", "--target", "next_order", "-k", "5", "--json", "--quiet")).out) as { k: number; target: string; parts: { part: string }[] };
    expect([json.k, json.target, json.parts.map((p) => p.part)]).toEqual([5, "next_order", ["new", "repeat"]]);
  });

  it("--evaluate reads the Online Retail layout through --preset online-retail", async () => {
    const r = await cli("recommend", "--data", retail, "--preset", "online-retail", "--evaluate", "--split", "2011-01-15", "--horizon", "60", "--json", "--quiet");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { customersEvaluated: number; catalogue: number };
    expect([doc.customersEvaluated, doc.catalogue]).toEqual([7, 14]);
    // the table says what "segment popularity" is without segments: the Country's (it said "the
    // global popularity" while its row differed from global popularity's)
    const text = await cli("recommend", "--data", retail, "--preset", "online-retail", "--evaluate", "--split", "2011-01-15", "--horizon", "60", "--quiet");
    expect(text.out).toContain("segment popularity: the data has no segments, so it is the popularity within the customer's region");
  });

  it("usage errors exit 2", async () => {
    const usage = [
      ["--data", data, "--as-of", asOf],
      ["--data", data, "--all", "--customer", "C1"],
      ["--data", data, "--all", "-k", "0"],
      ["--data", data, "--all", "--kind", "gift"],
      ["--data", data, "--all", "--lang", "fr"],
      ["--data", data, "--all", "--split", "2026-07-01"],
      ["--data", data, "--evaluate"],
      ["--data", data, "--evaluate", "--split", "July"],
      ["--data", data, "--evaluate", "--split", "2026-07-01", "--target", "week"],
      ["--data", data, "--evaluate", "--split", "2026-07-01", "--target", "next_order", "--horizon", "30"],
      ["--data", data, "--evaluate", "--split", "2026-07-01", "--all"],
      ["--all"],
      // --workers is checked with a few --customer too (they run in this thread)
      ["--data", data, "--as-of", asOf, "--customer", "C00001", "--workers", "0"],
      ["--data", data, "--as-of", asOf, "--customer", "C00001", "--workers", "257"],
      ["--data", data, "--as-of", asOf, "--customer", "C00001", "--workers", "two"],
      ["--data", data, "--as-of", asOf, "--all", "--workers", "0"],
      // and with --evaluate (which runs in this thread)
      ["--data", data, "--evaluate", "--split", "2026-07-01", "--workers", "abc"],
      ["--data", data, "--evaluate", "--split", "2026-07-01", "--workers", "0"],
      // the calendar of the pattern fit does not go with --evaluate
      ["--data", data, "--evaluate", "--split", "2026-07-01", "--weekend", "fri,sat"],
      ["--data", data, "--as-of", asOf, "--all", "--weekend", "someday"],
    ];
    for (const argv of usage) expect([argv.join(" "), (await cli("recommend", ...argv)).code]).toEqual([argv.join(" "), 2]);
    // a bad row under --strict exits 3, a missing file 1
    const bad = join(tempDir("op-recommend-bad-"), "orders.csv");
    writeFileSync(bad, "order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2026-01-05,C1,P1,2,3\n2,not a date,C1,P2,1,3\n");
    expect((await cli("recommend", "--data", bad, "--all", "--as-of", "2026-02-01", "--strict", "--quiet")).code).toBe(3);
    expect((await cli("recommend", "--data", bad, "--all", "--as-of", "2026-02-01", "--quiet")).code).toBe(0);
    expect((await cli("recommend", "--data", join(data, "nope"), "--evaluate", "--split", "2026-07-01", "--quiet")).code).toBe(1);
    const help = await cli("recommend", "--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^orderpulse recommend --data PATH/);
  });
});

describe("orderpulse demo", () => {
  it("shows offers for two customers (their two best and their best cross-sell)", async () => {
    const dir = join(tempDir("op-demo-offers-"), "d");
    const r = await cli("demo", "--out", dir, "--customers", "60", "--years", "1", "--json", "--quiet");
    expect(r.code).toBe(0);
    const offers = JSON.parse(r.out).offers as OfferJson[];
    const customers = [...new Set(offers.map((o) => o.customerId))];
    expect(customers.length).toBe(2);
    for (const c of customers) {
      const mine = offers.filter((o) => o.customerId === c);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine.length).toBeLessThanOrEqual(3);
    }
    const text = await cli("demo", "--out", dir, "--customers", "60", "--years", "1", "--quiet");
    expect(text.out).toContain("Offers for the two largest accounts of the last 90 days");
    expect(text.out).toContain(offers[0]!.message);
  }, 30_000);
});

describe("orderpulse demo: a month in progress, an unknown P(alive), a path with a space (review 2026-12-07)", () => {
  it("marks the month in progress and what 'vs prev' compares, shows '–' for an unknown P(alive) and quotes the paths of the commands it names", async () => {
    const dir = join(tempDir("op-demo-partial-"), "my data");
    const text = (await cli("demo", "--out", dir, "--customers", "20", "--years", "1", "--end", "2026-06-15", "--quiet")).out;
    expect(text).toMatch(/^ +2026-04 +2026-05 +2026-06\* +vs prev$/m);
    expect(text).toContain(`  * 2026-06 so far: 15 days; "vs prev" compares them with the same days of the month before`);
    // 20 customers: no BG/NBD fit, P(alive) unknown ("0%" before)
    expect(text).not.toMatch(/P\(alive\) +0%/);
    expect(text).toMatch(/P\(alive\) +–: |^ {2}\(none\)$/m);
    expect(text).toContain(`--data '${dir}' --as-of 2026-06-15`);
  }, 30_000);
});

describe("orderpulse similar", () => {
  it("complements and substitutes of a product, strongest first; --json carries them", async () => {
    const truth = JSON.parse(readFileSync(join(data, "truth.json"), "utf8")) as { events: { type: string; productIds?: string[] }[] };
    const pair = truth.events.find((e) => e.type === "substitute_pair")!.productIds!;
    const json = await cli("similar", "--data", data, "--as-of", asOf, "--product", pair[0]!, "--mode", "substitutes", "--json", "--quiet");
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out) as { productId: string; mode: string; count: number; similar: { productId: string; score: number; mode: string }[] };
    expect([doc.productId, doc.mode, doc.count]).toEqual([pair[0], "substitutes", doc.similar.length]);
    expect(doc.similar.length).toBeLessThanOrEqual(10);
    const scores = doc.similar.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // the text names the segment whose counts it shows (review 2026-12-07: a segment's together,
    // expected and lift sat beside all customers' jaccard and buyers, the segment unnamed)
    const subsText = await cli("similar", "--data", data, "--as-of", asOf, "--product", pair[0]!, "--mode", "substitutes", "--quiet");
    const subLines = subsText.out.trimEnd().split("\n");
    expect(subLines[1]).toMatch(/^product\s+name\s+score\s+segment\s+together in it\s+expected\s+lift\s+jaccard \(all\)\s+buyers \(all\)$/);
    const first = (doc.similar[0] as unknown as { productId: string; segment?: string });
    expect(subLines[2]).toContain(` ${first.segment ?? "(all)"} `);
    const comp = await cli("similar", "--data", data, "--as-of", asOf, "--product", pair[0]!, "-k", "3", "--quiet");
    expect(comp.code).toBe(0);
    const lines = comp.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^complements of ${pair[0]} \\(.+\\) as of ${asOf}: [0-3]$`));
    if (lines.length > 1) expect(lines[1]).toMatch(/^product\s+name\s+score\s+together\s+expected\s+lift\s+jaccard\s+buyers$/);
    expect(lines.length).toBeLessThanOrEqual(5);
    // a product name with an unclosed right-to-left override is isolated in the title line (review
    // 2026-12-06: the override ran on over "as of ..." to the end of the line)
    const odd = join(tempDir("op-similar-rlo-"), "d");
    cpSync(data, odd, { recursive: true });
    const products = join(odd, "products.csv");
    writeFileSync(products, readFileSync(products, "utf8").replace(new RegExp(`^(${pair[0]}),`, "m"), "$1,\u202Eתה שחור "));
    const title = (await cli("similar", "--data", odd, "--as-of", asOf, "--product", pair[0]!, "-k", "3", "--quiet")).out.split("\n")[0]!;
    expect(title).toMatch(new RegExp(`^complements of ${pair[0]} \\(\u2068\u202Eתה שחור .*\u202C?\u2069\\) as of ${asOf}: `));
  });

  it("an unknown product and other usage errors exit 2", async () => {
    const r = await cli("similar", "--data", data, "--as-of", asOf, "--product", "NOPE", "--quiet");
    expect(r.code).toBe(2);
    expect(r.err).toContain("no product NOPE in the data");
    expect(r.out).toBe("");
    for (const argv of [["--data", data], ["--data", data, "--product", "P1", "--mode", "twins"], ["--data", data, "--product", "P1", "-k", "0"], ["--product", "P1"]]) {
      expect([argv.join(" "), (await cli("similar", ...argv)).code]).toEqual([argv.join(" "), 2]);
    }
    expect((await cli("similar", "--help")).out).toMatch(/^orderpulse similar --data PATH --product ID/);
  });
});

