import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSyntheticDistributor } from "../synth/generate-synthetic-distributor.ts";
import { writeSyntheticDistributor } from "./write-synthetic-distributor.ts";

const OPTIONS = { seed: 5, customers: 40, products: 60, years: 2 } as const;
const FILES = ["orders.csv", "customers.csv", "products.csv", "reps.csv", "deal_events.csv", "targets.csv", "content.csv", "truth.json"];
const HEADERS: Record<string, string> = {
  "orders.csv": "order_id,order_date,customer_id,product_id,quantity,unit_price,line_id,unit_cost,list_price,rep_id,channel,currency",
  "customers.csv": "customer_id,name,segment,region,rep_id,channel,parent_id",
  "products.csv": "product_id,name,family,list_price,unit_cost,active",
  "reps.csv": "rep_id,name,manager_id,email",
  "deal_events.csv": "deal_id,customer_id,stage,entered_at,rep_id,amount",
  "targets.csv": "rep_id,period,kpi,target",
  "content.csv": "content_id,title,url,product_id,family,segment,kind",
};

let root = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orderpulse-synth-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("writeSyntheticDistributor", () => {
  it("writes the contract files with contract headers and truth.json", async () => {
    const synth = generateSyntheticDistributor(OPTIONS);
    const dir = join(root, "a", "nested");
    const out = await writeSyntheticDistributor(dir, synth);
    expect(out.dir).toBe(dir);
    expect(out.files.map((f) => f.name)).toEqual(FILES);
    expect((await readdir(dir)).sort()).toEqual([...FILES].sort());
    for (const f of out.files) {
      const text = await readFile(f.path, "utf8");
      expect(text.endsWith("\n")).toBe(true);
      if (f.name === "truth.json") {
        expect(JSON.parse(text)).toEqual(synth.truth);
        expect(f.rows).toBe(synth.truth.events.length);
        continue;
      }
      const lines = text.split("\n");
      expect(lines[0]).toBe(HEADERS[f.name]);
      expect(lines.length - 2).toBe(f.rows);
    }
    expect(out.files[0]!.rows).toBe(synth.orders.length);
    const orders = (await readFile(join(dir, "orders.csv"), "utf8")).split("\n");
    const first = synth.orders[0]!;
    expect(orders[1]).toBe(
      [first.order_id, first.order_date, first.customer_id, first.product_id, first.quantity, first.unit_price, first.line_id, first.unit_cost, first.list_price, first.rep_id, first.channel, first.currency].join(","),
    );
  });

  it("gives byte-identical files for the same seed", async () => {
    const a = join(root, "run1");
    const b = join(root, "run2");
    await writeSyntheticDistributor(a, OPTIONS);
    await writeSyntheticDistributor(b, generateSyntheticDistributor(OPTIONS));
    for (const name of FILES) {
      const x = await readFile(join(a, name));
      const y = await readFile(join(b, name));
      expect(x.equals(y), name).toBe(true);
    }
    await writeSyntheticDistributor(join(root, "run3"), { ...OPTIONS, seed: 6 });
    const other = await readFile(join(root, "run3", "orders.csv"));
    expect(other.equals(await readFile(join(a, "orders.csv")))).toBe(false);
  });

  it("a run that fails half-way leaves the folder's earlier files as they were (new tables are renamed in only when all are written, truth.json last), and no temporary file", async () => {
    const dir = join(root, "interrupted");
    await writeSyntheticDistributor(dir, { ...OPTIONS, seed: 8 });
    const before = await Promise.all(FILES.map((f) => readFile(join(dir, f), "utf8")));
    const next = generateSyntheticDistributor({ ...OPTIONS, seed: 9 });
    const orders = [...next.orders];
    Object.defineProperty(orders, 500, {
      get() {
        throw new Error("interrupted");
      },
    });
    await expect(writeSyntheticDistributor(dir, { ...next, orders })).rejects.toThrow("interrupted");
    expect(await Promise.all(FILES.map((f) => readFile(join(dir, f), "utf8")))).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual([...FILES].sort());
    // a folder where a table goes: refused before any rename (the earlier set stays whole)
    const blocked = join(root, "blocked");
    await writeSyntheticDistributor(blocked, { ...OPTIONS, seed: 8 });
    const kept = await Promise.all(FILES.map((f) => (f === "targets.csv" ? "" : readFile(join(blocked, f), "utf8"))));
    await rm(join(blocked, "targets.csv"));
    await mkdir(join(blocked, "targets.csv"));
    await expect(writeSyntheticDistributor(blocked, next)).rejects.toMatchObject({ code: "IO_ERROR", message: `cannot write ${join(blocked, "targets.csv")}: a folder is in the way` });
    expect(await Promise.all(FILES.map((f) => (f === "targets.csv" ? "" : readFile(join(blocked, f), "utf8"))))).toEqual(kept);
    expect((await readdir(blocked)).filter((f) => f.endsWith(".part"))).toEqual([]);
    // and a complete run replaces the whole set
    await writeSyntheticDistributor(dir, next);
    expect(JSON.parse(await readFile(join(dir, "truth.json"), "utf8")).options.seed).toBe(9);
    expect((await readdir(dir)).sort()).toEqual([...FILES].sort());
    const after = await Promise.all(FILES.map((f) => readFile(join(dir, f), "utf8")));
    // two calls at once into one folder: unique temporary names, so every file is one call's whole
    // file (which call's each file is, the order of their renames decides: no lock between calls)
    const both = join(root, "both");
    await Promise.all([writeSyntheticDistributor(both, { ...OPTIONS, seed: 8 }), writeSyntheticDistributor(both, { ...OPTIONS, seed: 9 })]);
    for (const f of FILES) expect([before[FILES.indexOf(f)], after[FILES.indexOf(f)]]).toContain(await readFile(join(both, f), "utf8"));
    expect((await readdir(both)).sort()).toEqual([...FILES].sort());
  });

  it("rejects bad arguments", async () => {
    await expect(writeSyntheticDistributor("", OPTIONS)).rejects.toMatchObject({ code: "INVALID_OPTION" });
    await expect(writeSyntheticDistributor(join(root, "bad"), { customers: -1 })).rejects.toMatchObject({ code: "INVALID_OPTION" });
    // a bad option leaves no folder behind
    await expect(readdir(join(root, "bad"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("a folder it cannot create is an IO_ERROR (checked before the data is generated)", async () => {
    const file = join(root, "a-file");
    await writeFile(file, "x");
    await expect(writeSyntheticDistributor(join(file, "sub"), { customers: 5 })).rejects.toMatchObject({ code: "IO_ERROR" });
  });
});
