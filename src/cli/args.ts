import { parseArgs, type ParseArgsConfig } from "node:util";
import { DATA_CONTRACT } from "../data/contract.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { IngestOptions } from "../data/ingest-options.ts";
import type { ReadDatasetOptions } from "../csv/read-dataset-options.ts";
import { isDayText } from "../data/internal/check.ts";
import { resolveDateOrder } from "../data/internal/parse-date.ts";
import { isOrderpulseError } from "../data/errors.ts";
import type { DealStage } from "../data/dataset.ts";
import { DEAL_STAGES } from "../data/deal-stages.ts";
import { UsageError } from "./io.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags every data-reading command accepts (DESIGN.md section 5, "common"). @internal */
export const COMMON_DATA_FLAGS: Options = {
  data: { type: "string" },
  preset: { type: "string" },
  map: { type: "string", multiple: true },
  stage: { type: "string", multiple: true },
  "date-format": { type: "string" },
  encoding: { type: "string" },
  delimiter: { type: "string" },
  "decimal-comma": { type: "boolean" },
  "time-zone": { type: "string" },
  currency: { type: "string" },
  strict: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** The flags that name an id of the data (customer, product, rep, manager). */
const ID_FLAGS = ["id", "customer", "product", "rep", "manager"] as const;

/** Parse flags strictly; unknown flags and stray positionals are usage errors; id flags trimmed. @internal */
export function parseFlags(argv: readonly string[], options: Options): Record<string, string | boolean | string[] | undefined> {
  try {
    const values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | string[] | undefined>;
    // ids are trimmed, as the data's are (--id " 007" found no customer and said "no customer  007")
    for (const flag of ID_FLAGS) {
      const v = values[flag];
      if (typeof v === "string") values[flag] = v.trim();
      else if (Array.isArray(v)) values[flag] = v.map((x) => x.trim());
    }
    return values;
  } catch (e) {
    // the whole message: its second line is the hint ("To specify an option argument starting with
    // a dash use '--seed=-XYZ'"), which the first alone ("argument is ambiguous") left out
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, "").split("\n").map((l) => l.trim()).filter(Boolean).join(" "));
  }
}

/** A positive integer flag value. @internal */
export function intFlag(values: Record<string, unknown>, name: string, min = 1): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  // decimal digits only: Number() also read 0x2 and 1e1 as integers
  const text = String(v).trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${name.length === 1 ? "-" : "--"}${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ""}, got ${String(v)}`);
  return n;
}

/**
 * A day flag's value: YYYY-MM-DD and a real calendar day (2026-02-30 is not one), else a usage
 * error naming the flag. The one check of every day flag (--as-of, --from, --to, --split, --end).
 * @internal
 */
export function dayValue(value: string, flag: string): string {
  // white space around it, as --as-of takes it (--split " 2026-08-01" was refused)
  const day = value.trim();
  if (isDayText(day)) return day;
  throw new UsageError(`${flag} must be a YYYY-MM-DD date, got ${value}`);
}

/** readDataset options from the common flags. @internal */
export function readOptionsFromFlags(values: Record<string, unknown>): ReadDatasetOptions {
  const data = values.data;
  if (typeof data !== "string" || data === "") throw new UsageError("--data PATH is required");
  const preset = values.preset;
  if (preset !== undefined && preset !== "canonical" && preset !== "online-retail") {
    throw new UsageError(`--preset must be canonical or online-retail, got ${String(preset)}`);
  }
  const map: Record<string, string> = {};
  for (const pair of (values.map as string[] | undefined) ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--map takes column=source, got ${pair}`);
    const column = pair.slice(0, eq).trim(), source = pair.slice(eq + 1).trim();
    // a column mapped twice to different sources: the last one silently won
    if (Object.hasOwn(map, column) && map[column] !== source) throw new UsageError(`--map maps ${column} twice (to ${map[column]} and to ${source})`);
    map[column] = source;
  }
  // --stage "Closed Won=won": a deal stage name of the export onto a contract stage (the library's
  // stages option; without it a CRM's "Closed Won" / "Closed Lost" rows were rejected, and every
  // deal they closed read as stalled in its last open stage: a review)
  const stages: Record<string, DealStage> = {};
  for (const pair of (values.stage as string[] | undefined) ?? []) {
    const eq = pair.lastIndexOf("=");
    const name = pair.slice(0, eq).trim(), stage = pair.slice(eq + 1).trim().toLowerCase();
    if (eq <= 0 || name === "" || !(DEAL_STAGES as readonly string[]).includes(stage)) throw new UsageError(`--stage takes NAME=stage with a stage of ${DEAL_STAGES.join(", ")}, got ${pair}`);
    const key = name.toLowerCase();
    if (Object.hasOwn(stages, key) && stages[key] !== stage) throw new UsageError(`--stage maps ${name} twice (to ${stages[key]} and to ${stage})`);
    stages[key] = stage as DealStage;
  }
  const ingest: IngestOptions = {};
  if (typeof values["date-format"] === "string") {
    // checked here so the message names the flag, not the library option (dateFormat)
    try {
      resolveDateOrder(values["date-format"]);
    } catch (e) {
      // the library's rule, under the flag's name
      if (isOrderpulseError(e)) throw new UsageError(`--date-format: ${e.message}`);
      throw e;
    }
    ingest.dateFormat = values["date-format"];
  }
  if (typeof values["time-zone"] === "string") ingest.timeZone = values["time-zone"];
  if (typeof values.currency === "string") ingest.currency = values.currency;
  if (values["decimal-comma"] === true) ingest.decimalComma = true;
  if (values.strict === true) ingest.strict = true;
  return {
    ...ingest,
    path: data,
    ...(preset !== undefined ? { preset } : {}),
    ...(Object.keys(map).length > 0 ? { map } : {}),
    ...(Object.keys(stages).length > 0 ? { stages } : {}),
    ...(typeof values.encoding === "string" ? { encoding: values.encoding } : {}),
    ...(typeof values.delimiter === "string" ? { delimiter: delimiterOf(values.delimiter) } : {}),
  };
}

/** `--delimiter` by name (`tab` was read as the three characters "tab": every row one field) or as `\t`. */
const DELIMITER_NAMES: Readonly<Record<string, string>> = { "\\t": "\t", tab: "\t", comma: ",", semicolon: ";", pipe: "|" };
function delimiterOf(given: string): string {
  const name = given.toLowerCase();
  return Object.hasOwn(DELIMITER_NAMES, name) ? DELIMITER_NAMES[name]! : given;
}

/** @internal The common data options, listed under every help that names `[common options]`. */
export const COMMON_OPTIONS_HELP: string = `common options:
  --preset canonical|online-retail   --map column=source (repeatable; customers.segment=Branch)
  --stage NAME=stage (repeatable; "Closed Won=won": a deal stage of the export onto lead, qualified, proposal, negotiation, won or lost)
  --date-format auto|dmy|mdy|ymd|PATTERN   --decimal-comma   --delimiter C|tab|comma|semicolon|pipe   --encoding E
  --time-zone TZ   --currency CODE   --strict   --quiet   --json`;

/**
 * @internal A command's help with the common options listed when it names `[common options]`
 * (only `ingest --help` listed them, and seven helps named a list they never gave).
 */
export function withCommonOptions(help: string): string {
  return help.includes("[common options]") ? `${help}\n\n${COMMON_OPTIONS_HELP}` : help;
}

/**
 * @internal Refuses an output folder that holds a dataset synth did not write (a file of the data
 * contract, orders.csv to content.csv, without a truth.json beside it): `synth --out data` and
 * `demo --out` replaced a user's own export without a word (until 2026-12-07 a folder holding
 * only the user's targets.csv or reps.csv was still written over; a review). A folder synth wrote
 * before is written over.
 */
export function checkSynthOut(dir: string, flag = "--out"): void {
  if (existsSync(join(dir, "truth.json"))) return;
  const theirs = Object.values(DATA_CONTRACT).map((t) => t.file).filter((f) => existsSync(join(dir, f)));
  if (theirs.length > 0) throw new UsageError(`${flag} ${dir} holds ${theirs.join(", ")} not written by orderpulse synth (no truth.json beside ${theirs.length === 1 ? "it" : "them"}): choose another folder; the synthetic files would replace ${theirs.length === 1 ? "it" : "them"}`);
}
