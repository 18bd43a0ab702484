import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Examples run against the built package (self-reference through package.json "exports").
const root = join(import.meta.dirname, "..");

describe("examples", () => {
  it("examples/quickstart.mjs runs", () => {
    const out = execFileSync(process.execPath, [join(root, "examples", "quickstart.mjs")], { cwd: root, encoding: "utf8" });
    expect(out).toMatch(/^read \d+ order lines for 50 customers \(0 rejected\)/);
    expect(out).toMatch(/customer \S+: \d+ orders up to 2026-06-30/);
  });

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
