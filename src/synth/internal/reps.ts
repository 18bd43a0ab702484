import type { RepRow } from "../../data/rows.ts";
import { REGIONS } from "./params.ts";
import { Rng, STREAM } from "./rng.ts";

const FIRST: readonly string[] = [
  "Dana", "Noa", "Alex", "Maya", "Omer", "Lior", "Sam", "Tal", "Yael", "Eitan", "Rina", "Jordan",
  "Chris", "Avery", "Shira", "Daniel", "Ella", "Ido", "Maria", "Lucas", "Nina", "Ben", "Hila", "Tom",
];
const LAST: readonly string[] = [
  "Cohen", "Levi", "Miller", "Garcia", "Shapiro", "Katz", "Novak", "Rossi", "Klein", "Weber",
  "Friedman", "Silva", "Mizrahi", "Baker", "Stone", "Adler", "Peretz", "Moreau", "Brooks", "Hale",
];

/** @internal Reps and managers of the synthetic distributor. */
export interface RepPlan {
  /** Number of reps (managers excluded). */
  nReps: number;
  /** Number of managers. */
  nManagers: number;
  /** Region index per rep. */
  repRegion: Int32Array;
  /** Ids: reps first (`R01…`), then managers (`M01…`). */
  ids: string[];
  /** reps.csv rows: managers first, then reps. */
  rows: RepRow[];
}

/** @internal Build reps and managers (docs/synth.md section 2, "Reps"). */
export function buildReps(seed: number, customers: number): RepPlan {
  const rng = new Rng(seed, STREAM.reps);
  const nReps = Math.min(40, Math.max(3, Math.round(customers / 170)));
  const nManagers = Math.ceil(nReps / 5);
  const nRegions = Math.min(REGIONS.length, nReps);
  const repRegion = new Int32Array(nReps);
  for (let r = 0; r < nReps; r++) repRegion[r] = r % nRegions;
  const ids: string[] = [];
  for (let r = 0; r < nReps; r++) ids.push(`R${String(r + 1).padStart(2, "0")}`);
  const managerIds: string[] = [];
  for (let m = 0; m < nManagers; m++) managerIds.push(`M${String(m + 1).padStart(2, "0")}`);
  const used = new Set<string>();
  const person = (): [string, string] => {
    for (;;) {
      const name = `${FIRST[rng.int(FIRST.length)]!} ${LAST[rng.int(LAST.length)]!}`;
      if (used.has(name) && used.size < FIRST.length * LAST.length) continue;
      used.add(name);
      return [name, `${name.toLowerCase().replace(/ /g, ".")}@distributor.example`];
    }
  };
  const rows: RepRow[] = [];
  for (const id of managerIds) {
    const [name, email] = person();
    rows.push({ rep_id: id, name, email });
  }
  for (let r = 0; r < nReps; r++) {
    const [name, email] = person();
    rows.push({ rep_id: ids[r]!, name, manager_id: managerIds[Math.floor((r * nManagers) / nReps)]!, email });
  }
  return { nReps, nManagers, repRegion, ids: [...ids, ...managerIds], rows };
}
