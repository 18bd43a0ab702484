import { readdirSync, statSync } from "node:fs";
import { DATA_CONTRACT } from "../data/contract.ts";
import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import { formatDay } from "../data/format-day.ts";
import { TABLE_NAMES, type IngestReport, type TableName } from "../data/ingest-report.ts";
import { tableMeant } from "../data/internal/table-meant.ts";
import { parseDay } from "../data/parse-day.ts";
import type { CliIo } from "./io.ts";
import { STALE_EXPORT_DAYS } from "./today.ts";

/** What a table's rows are called in a note. */
const ROW_NAMES: Readonly<Record<TableName, string>> = { orders: "order rows", customers: "customer rows", products: "product rows", reps: "rep rows", dealEvents: "deal event rows", targets: "target rows", content: "content rows" };

/**
 * @internal What an analysis command says about the data it read before analysing it (on stderr,
 * not under --quiet): rejected rows of every table (order rows first), with their reasons (an export in an unexpected format
 * would otherwise give a table of zeros and exit 0), and an `--as-of` given more than
 * {@link STALE_EXPORT_DAYS} days after the data's last order day (every customer would look
 * silent since then) or before its first order day (nothing is visible then). When there is no
 * order row (and no deal event), or every one was rejected or excluded, there is nothing to
 * analyse: it throws `INVALID_ROW` (exit code 3, as `--strict` on a bad row).
 * @param report - the ingest report of the data read
 * @param dataset - the dataset read
 * @param asOf - the as-of day the command uses, YYYY-MM-DD
 * @param asOfGiven - whether `--as-of` was given (the default as-of has its own note)
 * @param io - where the notes go
 * @param quiet - --quiet: no notes
 * @param flag - the flag the as-of day came from (`--as-of`, `--to`, `--split`), for the note
 */
export function dataNotes(report: IngestReport, dataset: Dataset, asOf: string, asOfGiven: boolean, io: CliIo, quiet: boolean, flag = "--as-of"): void {
  // every table's rejections, orders first (a rejected deal event, customer or target row was not
  // noted: the pipeline's signals, owners or target progress lacked it without a word)
  for (const table of TABLE_NAMES) {
    const t = report.tables[table];
    if (t === undefined) continue;
    // (exclusions: a preset's own rules, e.g. online-retail's rows without a customer; byReason
    // counts them with the rejections)
    const excludedBy = Object.entries(t.byReason)
      .map(([reason, n]) => [reason, n - (t.rejectedByReason[reason] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([reason, n]) => `${reason} ${n}`)
      .join(", ");
    // (a header-only orders file gave tables of zeros as of today, exit 0, until 2026-12-07; with
    // deal events there is a pipeline to analyse, said so)
    if (table === "orders" && t.rowsRead === 0) {
      if (dataset.dealEvents.length === 0) throw new OrderpulseError("INVALID_ROW", "the data has no order rows (an orders file with its header only): nothing to analyse", { rejected: 0, excluded: 0 });
      if (!quiet) io.err("orderpulse: the data has no order rows (an orders file with its header only): only its deal events are analysed\n");
    }
    if (table === "orders" && t.accepted === 0 && t.rejected === 0 && t.excluded > 0) {
      throw new OrderpulseError("INVALID_ROW", `every one of the ${t.rowsRead} order rows was excluded (${excludedBy}): nothing to analyse`, { rejected: 0, excluded: t.excluded });
    }
    if (t.rejected === 0) continue;
    // the rejections by reason (byReason counts exclusions too, and the rejected rows listed are the
    // first maxRejectedRows only: a reason first met after them was left out of the note)
    const reasons = Object.entries(t.rejectedByReason)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([reason, n]) => `${reason} ${n}`)
      .join(", ");
    const first = report.rejectedRows.find((r) => r.table === table);
    const example = first ? `; e.g. ${first.file ?? table}:${first.line}: ${first.message}` : "";
    const rows = ROW_NAMES[table];
    if (table === "orders" && t.accepted === 0) {
      // (rejected and excluded rows apart: 3 rows the preset excluded and 1 rejected read "every one
      // of the 4 order rows was rejected (invalid_number 1)" until 2026-12-07)
      const what = t.excluded === 0 ? `every one of the ${t.rowsRead} order rows was rejected (${reasons})` : `no order row was accepted: ${t.rejected} of ${t.rowsRead} rejected (${reasons}), ${t.excluded} excluded (${excludedBy})`;
      throw new OrderpulseError("INVALID_ROW", `${what}${example}: nothing to analyse (orderpulse ingest lists the rejected rows)`, { rejected: t.rejected, excluded: t.excluded });
    }
    if (!quiet) io.err(`orderpulse: ${t.rejected} of ${t.rowsRead} ${rows} were rejected (${reasons})${example}; orderpulse ingest lists them\n`);
  }
  // the reader's guesses an analysis rests on: the day order of slash dates no row told apart,
  // the encoding of a file that was not UTF-8 (only `orderpulse ingest` showed them: a UK export's
  // 01/12/2010 .. 12/12/2010 read month first, "orders every 30 days", without a word; a review)
  const guessed = report.tables.orders?.warnings ?? {};
  if (!quiet && (guessed["ambiguous_day_order"] ?? 0) > 0) {
    io.err("orderpulse: no order date tells the day from the month (every day is 1-12): the dates were read in the preset's own order; --date-format dmy or mdy decides\n");
  }
  for (const key of Object.keys(guessed).sort()) {
    if (!quiet && key.startsWith("not_utf8_read_as_")) io.err(`orderpulse: the orders file is not UTF-8: read as ${key.slice("not_utf8_read_as_".length)} (--encoding decides)\n`);
  }
  const range = dataset.dayRange;
  if (asOfGiven && range !== undefined && !quiet) {
    const gap = parseDay(asOf) - range.last;
    // (not for backtest's --to: the library clips it to the data's last day, the command says so,
    // and the days after are not read as silence)
    if (gap > STALE_EXPORT_DAYS && flag !== "--to") io.err(`orderpulse: the data ends ${formatDay(range.last)}, ${gap} days before ${flag} ${asOf}: every customer is silent since then\n`);
    // (an as-of before the data printed "0 signals" or "0 customers" without a word until 2026-12-07)
    if (parseDay(asOf) < range.first) io.err(`orderpulse: the data begins ${formatDay(range.first)}, after ${flag} ${asOf}: nothing in it is visible on that day\n`);
  }
}

/**
 * @internal Files of a `--data` folder named like a table but not under its file name
 * (`customer.csv`, `Deal-Events.csv`, `deals.csv`): the reader reads the contract's names only, and
 * such a file was ignored without a word (the customers' owners, segments and names missing). One
 * note per file on stderr, not under --quiet; nothing when the table's own file is there too.
 * @param path - the `--data` path (a folder or one orders file)
 * @param io - where the notes go
 * @param quiet - --quiet: no notes
 */
export function folderNotes(path: string, io: CliIo, quiet: boolean): void {
  if (quiet) return;
  let names: string[];
  try {
    if (!statSync(path).isDirectory()) return;
    names = readdirSync(path);
  } catch {
    return;
  }
  const lower = new Set(names.map((n) => n.toLowerCase()));
  // (the spellings readDataset's `files` keys are matched with, and two names of deal events and reps)
  const aliases: Readonly<Record<string, TableName>> = { deal: "dealEvents", deals: "dealEvents", salesrep: "reps", salesreps: "reps" };
  for (const name of [...names].sort()) {
    if (!/\.(csv|tsv|txt)$/i.test(name)) continue;
    const stem = name.replace(/\.[^.]+$/, "");
    const plain = stem.toLowerCase().replace(/[_\s-]/g, "");
    const table = tableMeant(stem) ?? (Object.hasOwn(aliases, plain) ? aliases[plain] : undefined);
    if (table !== undefined) {
      const file = DATA_CONTRACT[table].file;
      if (lower.has(file.toLowerCase())) continue;
      io.err(`orderpulse: ${name} in ${path} is not read: the ${file.replace(/\.csv$/, "")} table is read from ${file} (rename the file)\n`);
    }
  }
}
