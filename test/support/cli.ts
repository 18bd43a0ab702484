import { run } from "../../src/cli/run.ts";

/** Run the CLI in-process and capture its output and exit code (tests only). */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { out: (s) => void (out += s), err: (s) => void (err += s), errIsTTY: false, env: {} });
  return { code, out, err };
}
