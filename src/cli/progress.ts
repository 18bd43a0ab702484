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
