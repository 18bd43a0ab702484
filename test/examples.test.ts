import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Examples run against the built package (self-reference through package.json "exports").
const root = join(import.meta.dirname, "..");

/** Run an example with node; its stdout. */
function run(file: string): string {
  return execFileSync(process.execPath, [join(root, "examples", file)], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

describe("examples", () => {
  it("examples/quickstart.mjs runs", () => {
    const out = execFileSync(process.execPath, [join(root, "examples", "quickstart.mjs")], { cwd: root, encoding: "utf8" });
    expect(out).toMatch(/^read \d+ order lines for 50 customers \(0 rejected\)/);
    expect(out).toMatch(/customer \S+: \d+ orders up to 2026-06-30/);
  });

  it("examples/node-esm.mjs and node-cjs.cjs tour the API and print the same lines", () => {
    const esm = run("node-esm.mjs");
    const cjs = run("node-cjs.cjs");
    expect(cjs).toBe(esm);
    const lines = esm.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^data: \d+ order lines, 60 customers, 0 rejected, as of 2026-10-31$/);
    // three complete months of revenue and margin
    expect(lines.filter((l) => /^kpi 2026-(08|09|10): revenue \d+\.\d\d, margin \d+\.\d%$/.test(l))).toHaveLength(3);
    const signals = /^signals: (\d+) \((.*)\)$/m.exec(esm);
    expect(Number(signals?.[1])).toBeGreaterThan(0);
    // the per-type counts add up to the total
    const counts = (signals?.[2] ?? "").split(", ").map((part) => Number(part.split(" ").at(-1)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(Number(signals?.[1]));
    expect(esm).toMatch(/^top customer signal: \S.+$/m);
    expect(esm).toMatch(/^rhythm C\d+: \d+ purchase days, typical gap \d+\.\d days, last order \d{4}-\d\d-\d\d, next expected \d{4}-\d\d-\d\d$/m);
    expect(lines.filter((l) => /^offer \w+ P\d+ at \d+\.\d\d \(score 0\.\d\d\)$/.test(l)).length).toBeGreaterThan(0);
    expect(esm).toMatch(/^brief for R\d+: \d+ lines of markdown\n# Weekly brief for .+, Oct 31, 2026$/m);
  }, 30_000);

  it("the bin runs from dist with --version and a usage error exits 2", () => {
    const bin = join(root, "dist", "cli", "main.js");
    expect(execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" }).trim()).toMatch(/^\d+\.\d+\.\d+/);
    let code = 0;
    try {
      execFileSync(process.execPath, [bin, "nope"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(2);
  });
});
