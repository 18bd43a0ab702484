// Seeds fast-check's properties (a vitest setup file, run before each test file).
//
// `npm test` on a developer's machine draws fresh random cases every run, so properties keep
// searching. CI (CI set, as `.ci/run` does) runs one fixed seed: the same commit gives the same
// cases and the same result, and a red run can be replayed. FC_SEED=<integer> picks a seed
// anywhere, e.g. to replay a failure fast-check reported or to sweep seeds before a release.
import fc from "fast-check";

const fromEnv = process.env["FC_SEED"];
const seed = fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : process.env["CI"] ? 20_261_206 : undefined;
if (seed !== undefined) {
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(fromEnv)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
