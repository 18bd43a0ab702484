import type { ReadProgress } from "../csv/read-dataset-options.ts";
import type { CliIo } from "./io.ts";

/**
 * A progress bar on stderr for reads that take longer than a second; silent when stderr is not
 * a TTY or with --quiet. @internal
 */
export function progressBar(io: CliIo, quiet: boolean): { onProgress: (p: ReadProgress) => void; done: () => void } {
  const started = Date.now();
  let shown = false;
  let lastDraw = 0;
  const active = io.errIsTTY && !quiet;
  return {
    onProgress: (p) => {
      if (!active) return;
      const now = Date.now();
      if (now - started < 1000 || now - lastDraw < 100) return;
      lastDraw = now;
      shown = true;
      const frac = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 1;
      const width = 30;
      const fill = Math.round(frac * width);
      io.err(`\r${p.file} [${"#".repeat(fill)}${" ".repeat(width - fill)}] ${Math.round(frac * 100)}%`);
    },
    done: () => {
      if (shown) io.err("\r\u001b[K");
    },
  };
}

/** Order lines from which a stage is shown: about a second of work on a laptop. */
const STAGE_LINES = 100_000;

/**
 * A stage line on stderr for a long computation that reports no progress of its own (the pattern
 * fit, the detectors, the offers, the synthetic generator run in this thread, so no bar can move):
 * "fitting patterns and detecting signals on 1,084,788 order lines…", cleared when `done` is
 * called (`count` false: the label alone, e.g. for an estimate). Shown only for work of about a
 * second or more (`lines` at least 100,000), and silent
 * when stderr is not a TTY or with --quiet, as the read bar. @internal
 */
export function stageLine(io: CliIo, quiet: boolean, label: string, lines: number, count = true): { done: () => void } {
  const shown = io.errIsTTY && !quiet && lines >= STAGE_LINES;
  if (shown) io.err(`\r${label}${count ? ` (${lines.toLocaleString("en-US")} order lines)` : ""}…`);
  return { done: () => void (shown && io.err("\r\u001b[K")) };
}
