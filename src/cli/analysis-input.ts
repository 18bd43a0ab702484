import { readDataset } from "../csv/read-dataset.ts";
import type { ReadDatasetOptions } from "../csv/read-dataset-options.ts";
import type { Dataset } from "../data/dataset.ts";
import type { BusinessCalendar } from "../patterns/fit-interval-model.ts";
import { dayValue, readOptionsFromFlags } from "./args.ts";
import { calendarFromFlags } from "./calendar-flags.ts";
import type { CliIo } from "./io.ts";
import { progressBar } from "./progress.ts";
import { dataNotes, folderNotes } from "./data-notes.ts";
import { defaultAsOf, today } from "./today.ts";

/**
 * @internal What an analysis command starts from: the dataset read from the common data flags
 * (with a progress bar), `--as-of` (default: today in --time-zone, or the data's last order day
 * for a historical export, see {@link defaultAsOf}) and the business calendar of
 * `--weekend` / `--holidays` (Israeli holidays computed from the data's first year, or asOf's when
 * earlier, up to three years after asOf).
 * `lastDay` replaces `--as-of` for commands with their own range (backtest's `--to`,
 * recommend --evaluate's `--split`: `lastDayFlag`, named in the notes and usage errors).
 */
export async function analysisInput(v: Record<string, unknown>, io: CliIo, lastDay?: string, lastDayFlag = "--to"): Promise<{ dataset: Dataset; asOf: string; asOfInProgress: boolean; calendar: BusinessCalendar | undefined }> {
  const { dataset, asOf, asOfInProgress } = await readForAnalysis(v, io, lastDay ?? (typeof v["as-of"] === "string" ? v["as-of"] : undefined), undefined, lastDay !== undefined ? lastDayFlag : "--as-of");
  const first = dataset.dayRange ? new Date(dataset.dayRange.first * 86_400_000).getUTCFullYear() : 2000;
  const year = Number(asOf.slice(0, 4));
  // from asOf's year when it is before the data (the range would run backwards otherwise)
  const calendar = await calendarFromFlags(v, [Math.min(first, year), year + 3]);
  return { dataset, asOf, asOfInProgress, calendar };
}

/**
 * @internal The dataset read from the common data flags (with a progress bar), the as-of day
 * (`given`, else {@link defaultAsOf}) and what the command says about the data read
 * ({@link dataNotes}): the start of {@link analysisInput} and of `kpis`.
 * @param v - the parsed flags
 * @param io - where the progress bar and the notes go
 * @param given - the as-of day the command was given, YYYY-MM-DD
 * @param read - the read options of the flags, when the command has checked them already
 * @param flag - the flag `given` came from, for its usage error and the notes
 * @returns the dataset, the as-of day, and whether it is today in the time zone (a day still in
 *   progress: the KPI functions' and analyze's `asOfInProgress`)
 */
export async function readForAnalysis(v: Record<string, unknown>, io: CliIo, given: string | undefined, read: ReadDatasetOptions = readOptionsFromFlags(v), flag = "--as-of"): Promise<{ dataset: Dataset; asOf: string; asOfInProgress: boolean }> {
  // checked before the read, and normalized (" 2026-03-05" is 2026-03-05 everywhere after)
  if (given !== undefined) given = dayValue(given.trim(), flag);
  const quiet = v["quiet"] === true;
  const bar = progressBar(io, quiet);
  const { dataset, report } = await readDataset({ ...read, onProgress: bar.onProgress }).finally(bar.done);
  const asOf = given ?? defaultAsOf(dataset, read.timeZone, io, quiet);
  folderNotes(read.path, io, quiet);
  dataNotes(report, dataset, asOf, given !== undefined, io, quiet, flag);
  // today is not over (and last night's export has none of it)
  return { dataset, asOf, asOfInProgress: asOf === today(read.timeZone) };
}
