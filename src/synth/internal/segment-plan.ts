import type { Calendar, Catalog, SegmentPlan } from "./model.ts";
import { AFFINITY, FAMILIES, SEGMENTS } from "./params.ts";
import { Rng, STREAM } from "./rng.ts";

/** Products of family `f` sorted by segment `s`'s weight, best first. */
function ranked(catalog: Catalog, s: number, f: number): number[] {
  const w = catalog.segmentWeight[s]!;
  const out: number[] = [];
  for (let p = catalog.familyStart[f]!; p < catalog.familyStart[f + 1]!; p++) out.push(p);
  return out.sort((a, b) => w[b]! - w[a]! || a - b);
}

/**
 * @internal Plan the segment- and rep-level events (docs/synth.md section 3): two substitute pairs,
 * two vanishing products, one discount rise, one pipeline stall.
 */
export function planSegmentEvents(seed: number, cal: Calendar, catalog: Catalog, nReps: number): SegmentPlan {
  const rng = new Rng(seed, STREAM.global);
  const ns = SEGMENTS.length;
  const plan: SegmentPlan = {
    vanishProduct: new Int32Array(ns).fill(-1),
    vanishDay: new Int32Array(ns).fill(cal.end + 1),
    riseMagnitude: new Float64Array(ns),
    riseDay: new Int32Array(ns).fill(cal.end + 1),
    pairs: new Array<[number, number] | undefined>(ns).fill(undefined),
    stallRep: -1,
    stallDay: cal.end + 1,
  };
  const late = (): number => Math.max(cal.start + 1, cal.end - 300 + rng.int(241));
  const used = new Set<number>();
  const segs = rng.shuffle(Array.from({ length: ns }, (_, i) => i));
  // substitute pairs: segments segs[0], segs[1]
  for (const s of segs.slice(0, 2)) {
    const fams = steadyFamilies(catalog, s, 0.6);
    if (fams.length === 0) continue;
    const f = fams[rng.int(fams.length)]!;
    const r = ranked(catalog, s, f).filter((x) => !used.has(x));
    if (r.length < 2) continue;
    const a = r[0]!;
    const b = r[1]!;
    plan.pairs[s] = a < b ? [a, b] : [b, a];
    used.add(a);
    used.add(b);
  }
  // vanishing products: segments segs[2], segs[3] (different from the pair segments)
  for (const s of segs.slice(2, 4)) {
    const fams = steadyFamilies(catalog, s, 0.7);
    if (fams.length === 0) continue;
    const f = fams[rng.int(fams.length)]!;
    const p = ranked(catalog, s, f).find((x) => !used.has(x));
    if (p === undefined) continue;
    used.add(p);
    plan.vanishProduct[s] = p;
    plan.vanishDay[s] = late();
  }
  const rs = segs[4 % ns]!;
  plan.riseMagnitude[rs] = Math.round(rng.uniform(0.04, 0.08) * 10000) / 10000;
  plan.riseDay[rs] = late();
  plan.stallRep = rng.int(nReps);
  plan.stallDay = late();
  return plan;
}

/** Non-seasonal families with at least two products that segment `s` needs with affinity >= `min`. */
function steadyFamilies(catalog: Catalog, s: number, min: number): number[] {
  const fams: number[] = [];
  for (let f = 0; f < FAMILIES.length; f++) {
    const size = catalog.familyStart[f + 1]! - catalog.familyStart[f]!;
    if (AFFINITY[f]![s]! >= min && FAMILIES[f]!.amp === 0 && size >= 2) fams.push(f);
  }
  return fams;
}
