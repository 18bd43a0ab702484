import type { Calendar, Catalog } from "./model.ts";
import { FAMILIES, SEGMENTS } from "./params.ts";
import { Rng, STREAM } from "./rng.ts";

const BRANDS: readonly string[] = [
  "Northfield", "Bella", "Golden Valley", "Harbor", "Prime", "Evergreen", "Sunny", "Alpine",
  "Riverside", "Chef's Choice", "Orchard", "Blue Ridge", "Copper Pot", "Meadow", "Atlas", "Verde",
];
const PACKS: Readonly<Record<string, readonly string[]>> = {
  dairy: ["1 L", "5 L", "1 kg", "2.5 kg", "x12"],
  bakery: ["x6", "x12", "x24", "tray"],
  fresh_produce: ["1 kg", "5 kg", "10 kg", "case"],
  meat_poultry: ["1 kg", "2.5 kg", "5 kg", "case"],
  seafood: ["1 kg", "2.5 kg", "case"],
  frozen_foods: ["1 kg", "2.5 kg", "10 kg", "case"],
  dry_goods: ["1 kg", "5 kg", "10 kg", "25 kg", "x12"],
  sauces_condiments: ["1 L", "5 L", "x6", "x12"],
  coffee_tea: ["500 g", "1 kg", "x100", "x500"],
  cold_beverages: ["x6", "x12", "x24", "1.5 L x6"],
  ice_cream: ["2.5 L", "5 L", "x24", "x48"],
  soups_broths: ["1 L", "5 L", "1 kg", "x12"],
  cleaning_supplies: ["1 L", "5 L", "x100", "case"],
  paper_disposables: ["x100", "x500", "x1000", "roll"],
  kitchen_equipment: ["each", "set", "pro", "large"],
  heating_supplies: ["x6", "x12", "each", "case"],
};

/** @internal Split `total` over `shares` by largest remainder with at least one each. */
export function allocate(total: number, shares: readonly number[]): number[] {
  const k = shares.length;
  const rest = total - k;
  const raw = shares.map((s) => s * rest);
  const out = raw.map((r) => 1 + Math.floor(r));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j = (j + 1) % k, left--) out[order[j]![1]]! += 1;
  return out;
}

/** @internal Build the product catalog (docs/synth.md section 2, "Product families"). */
export function buildCatalog(seed: number, n: number, cal: Calendar): Catalog {
  const rng = new Rng(seed, STREAM.catalog);
  const nf = FAMILIES.length;
  const counts = allocate(n, FAMILIES.map((f) => f.share));
  const familyStart = new Int32Array(nf + 1);
  for (let f = 0; f < nf; f++) familyStart[f + 1] = familyStart[f]! + counts[f]!;
  const family = new Int32Array(n);
  const years = cal.years;
  const listCents = new Float64Array(n * years);
  const costCents = new Float64Array(n * years);
  const margin = new Float64Array(n);
  const popularity = new Float64Array(n);
  const names: string[] = new Array<string>(n);
  // yearly price increase per family
  const increase = new Float64Array(nf * years);
  for (let f = 0; f < nf; f++) {
    let factor = 1;
    for (let y = 0; y < years; y++) {
      if (y > 0) factor *= 1 + rng.uniform(0.02, 0.06);
      increase[f * years + y] = factor;
    }
  }
  for (let f = 0; f < nf; f++) {
    const fam = FAMILIES[f]!;
    const a = familyStart[f]!;
    const b = familyStart[f + 1]!;
    const ranks = rng.shuffle(Array.from({ length: b - a }, (_, i) => i));
    for (let p = a; p < b; p++) {
      family[p] = f;
      popularity[p] = 1 / Math.pow(ranks[p - a]! + 1, 0.9);
      const list0 = Math.max(0.25, fam.price * rng.lognormal(0, 0.45));
      const m = rng.uniform(0.15, 0.45);
      margin[p] = m;
      for (let y = 0; y < years; y++) {
        const lc = Math.max(25, Math.round(list0 * increase[f * years + y]! * 100));
        listCents[p * years + y] = lc;
        costCents[p * years + y] = Math.round(lc * (1 - m));
      }
      const noun = fam.nouns[rng.int(fam.nouns.length)]!;
      const packs = PACKS[fam.name] ?? ["each"];
      names[p] = `${BRANDS[rng.int(BRANDS.length)]!} ${noun} ${packs[rng.int(packs.length)]!}`;
    }
  }
  // ids: a shuffled numbering so that ids do not reveal families
  const numbers = rng.shuffle(Array.from({ length: n }, (_, i) => i + 1));
  const ids = numbers.map((k) => `P${String(k).padStart(5, "0")}`);
  const segmentWeight: Float64Array[] = [];
  const segmentCum: Float64Array[] = [];
  for (let s = 0; s < SEGMENTS.length; s++) {
    const w = new Float64Array(n);
    const cum = new Float64Array(n);
    let acc = 0;
    for (let p = 0; p < n; p++) {
      w[p] = popularity[p]! * rng.lognormal(0, 0.8);
      acc += w[p]!;
      cum[p] = acc;
    }
    segmentWeight.push(w);
    segmentCum.push(cum);
  }
  const season = new Float64Array(nf * 367);
  for (let f = 0; f < nf; f++) {
    const fam = FAMILIES[f]!;
    for (let d = 0; d <= 366; d++) {
      season[f * 367 + d] = fam.amp === 0 ? 1 : Math.max(0.03, 1 + fam.amp * Math.cos((2 * Math.PI * (d - fam.peak)) / 365));
    }
  }
  return { n, ids, names, family, familyStart, listCents, costCents, margin, popularity, segmentCum, segmentWeight, season };
}
