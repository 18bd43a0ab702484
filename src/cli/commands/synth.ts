import { writeSyntheticDistributor } from "../../csv/write-synthetic-distributor.ts";
import { stageLine } from "../progress.ts";
import type { SyntheticDistributorOptions } from "../../synth/types.ts";
import { checkSynthOut, dayValue, intFlag, parseFlags } from "../args.ts";
import { type CliIo, UsageError } from "../io.ts";

/** @internal */
export const SYNTH_HELP = `orderpulse synth --out DIR [--seed N] [--customers N] [--products N] [--years N] [--end YYYY-MM-DD] [--json] [--quiet]

Write a seeded synthetic B2B distributor as the data contract's CSV files (orders.csv,
customers.csv, products.csv, reps.csv, deal_events.csv, targets.csv, content.csv) plus
truth.json (planted events with dates). Same seed and sizes -> byte-identical files.
Defaults: seed 1, about one million order lines. Spec: docs/synth.md.`;

/** @internal Options for the generator from flags. */
export function synthOptions(values: Record<string, unknown>): SyntheticDistributorOptions {
  const o: SyntheticDistributorOptions = {};
  const seed = intFlag(values, "seed", Number.MIN_SAFE_INTEGER); // any safe integer, as the library takes
  const customers = intFlag(values, "customers");
  const products = intFlag(values, "products");
  const years = intFlag(values, "years");
  if (seed !== undefined) o.seed = seed;
  if (customers !== undefined) o.customers = customers;
  if (products !== undefined) o.products = products;
  if (years !== undefined) o.years = years;
  if (typeof values.end === "string") {
    o.end = dayValue(values.end, "--end");
  }
  return o;
}

/** @internal */
export const SYNTH_FLAGS = {
  seed: { type: "string" },
  customers: { type: "string" },
  products: { type: "string" },
  years: { type: "string" },
  end: { type: "string" },
} as const;

/** `orderpulse synth`. @internal */
export async function synthCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, { ...SYNTH_FLAGS, out: { type: "string" }, json: { type: "boolean" }, quiet: { type: "boolean", short: "q" }, help: { type: "boolean", short: "h" } });
  if (v.help) {
    io.out(`${SYNTH_HELP}\n`);
    return 0;
  }
  if (typeof v.out !== "string" || v.out === "") throw new UsageError("--out DIR is required");
  checkSynthOut(v.out);
  const options = synthOptions(v);
  // about 180 order lines a customer-year (2,000 customers over 3 years: 1.08M)
  const stage = stageLine(io, v.quiet === true, `generating the synthetic distributor into ${v.out}`, (options.customers ?? 2000) * (options.years ?? 3) * 180, false);
  const written = await writeSyntheticDistributor(v.out, options).finally(stage.done);
  if (v.json) io.out(`${JSON.stringify(written, null, 2)}\n`);
  else {
    io.out(`wrote ${written.dir}\n`);
    // (truth.json holds planted events, not rows: "truth.json 159 rows" for a file of thousands of lines)
    for (const f of written.files) io.out(`  ${f.name.padEnd(16)} ${f.rows.toLocaleString("en-US")} ${f.name === "truth.json" ? "events" : "rows"}\n`);
  }
  return 0;
}
