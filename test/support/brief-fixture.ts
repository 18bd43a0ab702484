/** @internal Test support (not exported): the deterministic fixture of the brief golden files. */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { analyze } from "../../src/analyze.ts";
import { fromRowsSync } from "../../src/data/from-rows-sync.ts";
import { generateSyntheticDistributor } from "../../src/synth/generate-synthetic-distributor.ts";
import { rankTasks } from "../../src/tasks/rank-tasks.ts";
import type { Analysis, RankedTasks, TaskLocale } from "../../src/tasks/types.ts";

/** The customer renamed to a hostile name (the top task of rep R01 at asOf). */
export const HOSTILE_ID = "C00015";
/** Its name: markup and Markdown punctuation that renderers must escape. */
export const HOSTILE_NAME = `Park <script>alert("x")</script> & *Bridge* [Canteen]`;

/** The fixture: seed 1, 60 customers, asOf 2026-10-05, with last-but-one week's ranking for follow-through. */
export interface BriefFixture {
  readonly analysis: Analysis;
  readonly ranked: Readonly<Record<TaskLocale, RankedTasks>>;
}

let cached: BriefFixture | undefined;

/** Build (once per test file) the golden fixture. */
export function briefFixture(): BriefFixture {
  if (cached) return cached;
  const synth = generateSyntheticDistributor({ seed: 1, customers: 60 });
  const customers = synth.customers.map((c) => (c.customer_id === HOSTILE_ID ? { ...c, name: HOSTILE_NAME } : c));
  const { dataset } = fromRowsSync({ ...synth, customers });
  const analysis = analyze(dataset, { asOf: "2026-10-05" });
  const earlier = analyze(dataset, { asOf: "2026-09-21", types: ["customer_overdue", "item_dropped", "pipeline_stall"] });
  const previous = rankTasks(earlier);
  cached = { analysis, ranked: { en: rankTasks(analysis, { previous, locale: "en" }), he: rankTasks(analysis, { previous, locale: "he" }) } };
  return cached;
}

const GOLDEN = join(import.meta.dirname, "..", "golden", "briefs");

/**
 * Compare a text with its golden file; with UPDATE_GOLDEN=1 write it instead.
 * @returns the golden text (or the new one when updating)
 */
export function golden(name: string, actual: string): string {
  const file = join(GOLDEN, name);
  if (process.env["UPDATE_GOLDEN"] === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return actual;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing: run the test with UPDATE_GOLDEN=1 to create it`);
  return readFileSync(file, "utf8");
}
