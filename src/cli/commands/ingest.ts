import { readDataset } from "../../csv/read-dataset.ts";
import { formatDay } from "../../data/format-day.ts";
import { COMMON_DATA_FLAGS, parseFlags, readOptionsFromFlags, withCommonOptions } from "../args.ts";
import { formatReport } from "../format-report.ts";
import { folderNotes } from "../data-notes.ts";
import type { CliIo } from "../io.ts";
import { progressBar } from "../progress.ts";

/** @internal */
export const INGEST_HELP = `orderpulse ingest --data PATH [--json] [common options]

Read and validate a dataset (a folder with the data contract's files, or one orders file) and
print the ingest report: rows read = accepted + rejected + excluded, reasons, warnings and the
first rejected rows with file, line, column and value. With --strict, the first bad row stops
the run with exit code 3.`;

/** `orderpulse ingest`. @internal */
export async function ingestCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, COMMON_DATA_FLAGS);
  if (v.help) {
    io.out(`${withCommonOptions(INGEST_HELP)}\n`);
    return 0;
  }
  const options = readOptionsFromFlags(v);
  const bar = progressBar(io, v.quiet === true);
  const { dataset, report } = await readDataset({ ...options, onProgress: bar.onProgress }).finally(bar.done);
  folderNotes(options.path, io, v.quiet === true);
  if (v.json) {
    io.out(`${JSON.stringify({ report, summary: { lines: dataset.lines.length, customers: dataset.ids.customers.size, products: dataset.ids.products.size, currency: dataset.currency ?? null, first: dataset.dayRange ? formatDay(dataset.dayRange.first) : null, last: dataset.dayRange ? formatDay(dataset.dayRange.last) : null } }, null, 2)}\n`);
  } else {
    const range = dataset.dayRange ? `${formatDay(dataset.dayRange.first)} .. ${formatDay(dataset.dayRange.last)}` : "no orders";
    io.out(`${options.path}: ${dataset.lines.length.toLocaleString("en-US")} order lines, ${dataset.ids.customers.size.toLocaleString("en-US")} customers, ${dataset.ids.products.size.toLocaleString("en-US")} products, ${range}\n`);
    io.out(`${formatReport(report)}\n`);
  }
  return 0;
}
