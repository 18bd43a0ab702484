/**
 * bench:recommend-proxies: new-item recall@10 of recommend() against its baselines, and repeat
 * recall@10 of the item rhythm's list against the customer's own top-frequency items, on data
 * shaped unlike the synthetic distributor (not a test). There is no real wholesale data in this
 * repo; the targets for it (new-item recall@10 above SAR-Jaccard, repeat recall@10 at least
 * the personal top frequency, read with `--preset online-retail`) are checked on two stand-ins, both written in the UCI Online Retail layout (no segments, one
 * Country) and read with the preset, the way a host would:
 *
 * - **themes**: a seeded generator written for this benchmark after the structure of UCI Online
 *   Retail (gift retailers buying themed collections): 3,000 products in 150 themes of 20
 *   (Zipf-popular themes and products), 2,000 customers each buying 2-6 themes; every invoice
 *   has 5-24 lines, 70-95 % (per customer) from its themes and the rest from the whole catalogue
 *   by popularity; one invoice every 7-57 days over 13 months. New items are mostly theme-mates
 *   of what a customer buys, so item-item co-occurrence carries the signal, as reported for the
 *   real data (popularity 0.020, Jaccard 0.051 in the issue).
 * - **synthetic as UCI**: the synthetic distributor's 1.08M lines with segments, families, costs
 *   and list prices dropped.
 *
 * Usage: node --import tsx benchmarks/recommend-proxies.ts [--seeds 7,8,9]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SYNTH_ORDERS, ensureSyntheticDistributor } from "./support.ts";
// the built package, as users run it (npm run bench:recommend-proxies builds first)
import { readDataset } from "../dist/csv/index.js";
import { evaluateRecommendations, type Dataset } from "../dist/index.js";

const { values } = parseArgs({ options: { seeds: { type: "string" } } });
const SEEDS = (values.seeds ?? "7,8,9").split(",").map(Number);
const OUT = join(import.meta.dirname, ".data", "proxies");

/** xorshift32, seeded */
function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** The themed proxy as UCI Online Retail CSV text. */
function themes(seed: number): string {
  const rnd = rng(seed);
  const T = 150, PER = 20, P = T * PER, C = 2000, DAYS = 373;
  const themeW = Array.from({ length: T }, (_, t) => 1 / (t + 1) ** 0.8);
  const prodW = Array.from({ length: PER }, (_, k) => 1 / (k + 1) ** 1.1);
  const globalW: number[] = [];
  for (let t = 0; t < T; t++) for (let k = 0; k < PER; k++) globalW.push(themeW[t]! * prodW[k]!);
  const pick = (w: readonly number[]): number => {
    let tot = 0;
    for (const x of w) tot += x;
    let r = rnd() * tot;
    for (let i = 0; i < w.length; i++) if ((r -= w[i]!) <= 0) return i;
    return w.length - 1;
  };
  const price = Array.from({ length: P }, () => (1 + rnd() * 9).toFixed(2));
  const rows = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"];
  const start = Date.UTC(2010, 11, 1);
  let invoice = 500000;
  for (let c = 0; c < C; c++) {
    const held = new Set<number>();
    const n = 2 + Math.floor(rnd() * 5);
    while (held.size < n) held.add(pick(themeW));
    const own = [...held];
    const gap = 7 + rnd() * 50;
    const focus = 0.7 + rnd() * 0.25;
    for (let d = rnd() * gap; d < DAYS; d += gap * (0.5 + rnd())) {
      const lines = 5 + Math.floor(rnd() * 20);
      const seen = new Set<number>();
      invoice++;
      const at = new Date(start + Math.floor(d) * 86_400_000);
      const date = `${at.getUTCMonth() + 1}/${at.getUTCDate()}/${at.getUTCFullYear()} 9:00`;
      for (let l = 0; l < lines; l++) {
        const p = rnd() < focus ? own[Math.floor(rnd() * own.length)]! * PER + pick(prodW) : pick(globalW);
        if (seen.has(p)) continue;
        seen.add(p);
        rows.push(`${invoice},P${p},ITEM ${p},${1 + Math.floor(rnd() * 12)},${date},${price[p]},${10000 + c},United Kingdom`);
      }
    }
  }
  return rows.join("\n") + "\n";
}

/** The synthetic distributor's orders.csv in the UCI layout (segments, families, costs dropped). */
async function syntheticAsUci(): Promise<string> {
  const { readFileSync } = await import("node:fs");
  const text = readFileSync(SYNTH_ORDERS, "utf8");
  const out = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"];
  const lines = text.split("\n");
  const head = lines[0]!.split(",");
  const col = (name: string): number => head.indexOf(name);
  const [o, d, c, p, q, u] = ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price"].map(col) as [number, number, number, number, number, number];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const f = lines[i]!.split(",");
    const [y, m, day] = f[d]!.split("-").map(Number) as [number, number, number];
    out.push(`${f[o]},${f[p]},ITEM ${f[p]},${f[q]},${m}/${day}/${y} 9:00,${f[u]},${f[c]!.replace(/\D/g, "")},United Kingdom`);
  }
  return out.join("\n") + "\n";
}

function report(label: string, dataset: Dataset, split: string): void {
  for (const target of ["next_order", "horizon"] as const) {
    const r = evaluateRecommendations(dataset, { splitDate: split, target, horizonDays: 90, k: 10, kinds: { new: ["cross_sell"], repeat: ["repurchase"] } });
    const part = r.parts.find((x) => x.part === "new")!;
    const recall = (m: string): number => part.methods.find((x) => x.method === m)!.recall ?? Number.NaN;
    const ours = recall("orderpulse"), jac = recall("jaccard"), pop = recall("global_popularity");
    // repeat items: the item rhythm's list against the customer's own top-frequency items (the
    // issue's second real-data target)
    const rep = r.parts.find((x) => x.part === "repeat")!;
    const repRecall = (m: string): number => rep.methods.find((x) => x.method === m)!.recall ?? Number.NaN;
    const rhythm = repRecall("item_rhythm"), top = repRecall("personal_top_frequency");
    console.log(
      `${label.padEnd(28)} ${(target === "horizon" ? "90 days" : "next order").padEnd(11)} ${String(part.customers).padStart(5)} customers  new-item recall@10: orderpulse ${ours.toFixed(3)}  Jaccard ${jac.toFixed(3)}  popularity ${pop.toFixed(3)}  (orderpulse / Jaccard ${(ours / jac).toFixed(2)})` +
        `  | repeat recall@10 (${rep.customers} customers): item rhythm ${rhythm.toFixed(3)}  top frequency ${top.toFixed(3)}  (${(rhythm / top).toFixed(3)})`,
    );
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  console.log(`bench:recommend-proxies: new-item recall@10 (cross_sell offers) and repeat recall@10 (item rhythm list), data in the UCI Online Retail layout read with --preset online-retail; node ${process.version}`);
  for (const seed of SEEDS) {
    const file = join(OUT, `themes-${seed}.csv`);
    writeFileSync(file, themes(seed));
    const { dataset } = await readDataset({ path: file, preset: "online-retail" });
    report(`themes, seed ${seed} (${(dataset.lines.length / 1000).toFixed(0)}k lines)`, dataset, "2011-09-01");
  }
  await ensureSyntheticDistributor();
  const file = join(OUT, "synthetic-uci.csv");
  writeFileSync(file, await syntheticAsUci());
  const { dataset } = await readDataset({ path: file, preset: "online-retail" });
  report(`synthetic as UCI (${(dataset.lines.length / 1e6).toFixed(2)}M lines)`, dataset, "2026-08-01");
}

await main();
