import { run } from "./run.ts";

// The `orderpulse` bin: thin shell around run() (tests call run() in-process).
const code = await run(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  errIsTTY: process.stderr.isTTY === true,
  env: process.env,
});
process.exitCode = code;
