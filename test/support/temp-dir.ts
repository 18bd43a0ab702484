// Temporary directories for tests, removed with their contents when the test file ends (the
// setup file test/support/temp-cleanup.ts registers the removal). Until 2026-12-07 the tests made
// their folders with mkdtempSync and left them: about 57 MB and 250 folders in the OS temp
// directory per `npm test`, 25,000 of them from one fast-check property that writes a file per case.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/**
 * A fresh directory `<os temp dir>/<prefix>XXXXXX`, removed after the current test file.
 * @param prefix - the folder name's start, e.g. "orderpulse-read-"
 * @returns its absolute path
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Remove every directory {@link tempDir} made so far in this test file (a missing one is fine). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
