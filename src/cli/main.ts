import { run } from "./run.ts";
import { terminalSafe, terminalSafeErr } from "./terminal-safe.ts";

// A reader that closes early (`orderpulse kpis ... | head -1`) is not a failure: on EPIPE stop
// quietly with the exit code so far; any other stdout error still fails as before.
// The same for stderr (`... 2>&1 | head`): a note written after the reader has gone crashed the
// process with exit 1 from an unhandled 'error' event.
// Any other write error (a full disk: `> /dev/full`) exits 1 with one line, not a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit();
    if (stream === process.stdout) {
      try {
        process.stderr.write(`orderpulse: cannot write to stdout: ${err.code ?? err.message}\n`);
      } catch {
        // (stderr gone too: the exit code says it)
      }
    }
    process.exit(1);
  });
}

// The `orderpulse` bin: thin shell around run() (tests call run() in-process). On a terminal,
// control characters from the data (an ERP name holding an escape sequence) are printed as
// U+FFFD (on stderr too, but for the progress line's own controls); into a pipe or a file the
// output is written as it is.
const outIsTTY = process.stdout.isTTY === true;
const errIsTTY = process.stderr.isTTY === true;
const code = await run(process.argv.slice(2), {
  out: (s) => process.stdout.write(outIsTTY ? terminalSafe(s) : s),
  err: (s) => process.stderr.write(errIsTTY ? terminalSafeErr(s) : s),
  errIsTTY,
  env: process.env,
});
process.exitCode = code;
