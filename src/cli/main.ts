import { run } from "./run.ts";

// A reader that closes early (`orderpulse kpis ... | head -1`) is not a failure: on EPIPE stop
// quietly with the exit code so far; any other stdout error still fails as before.
// The same for stderr (`... 2>&1 | head`): a note written after the reader has gone crashed the
// process with exit 1 from an unhandled 'error' event.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit();
    throw err;
  });
}

// The `orderpulse` bin: thin shell around run() (tests call run() in-process).
const code = await run(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  errIsTTY: process.stderr.isTTY === true,
  env: process.env,
});
process.exitCode = code;
