import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The Deno examples run with the npm `deno` binary (node_modules/.bin/deno, as `npm run test:doc`
// uses it), offline, against the source through the repository's deno.json (import map
// "orderpulse" -> ./src/index.ts; npm dependencies from node_modules).
const root = join(import.meta.dirname, "..");
const deno = join(root, "node_modules", ".bin", "deno");
const config = join(root, "deno.json");
const tmp = mkdtempSync(join(tmpdir(), "orderpulse-deno-examples-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface NotebookCell {
  cell_type: string;
  source: string | string[];
}
interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec?: { name?: string; language?: string }; language_info?: { name?: string } };
}

/** The notebook's code cells, in order, as one script (what the Deno kernel runs cell by cell). */
function notebookScript(): { notebook: Notebook; script: string } {
  const notebook = JSON.parse(readFileSync(join(root, "examples", "notebook.ipynb"), "utf8")) as Notebook;
  const code = notebook.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
  return { notebook, script: code.map((c, i) => `// --- cell ${i + 1}\n${c}\n`).join("\n") };
}

function runDeno(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // Deno colours its output whenever FORCE_COLOR is set, whatever its value (CI sets FORCE_COLOR=0),
  // so drop it, ask for no colour, and strip any escape codes that still come through
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env["FORCE_COLOR"];
  const r = spawnSync(deno, args, { cwd: root, encoding: "utf8", timeout: 55_000, env });
  const plain = (x: string | null): string => (x ?? "").replace(/\x1b\[[0-9;]*m/g, "");
  return { status: r.status, stdout: plain(r.stdout), stderr: plain(r.stderr) };
}

describe("examples for Deno", () => {
  it("examples/deno/quickstart.ts runs: KPI table, one customer's rhythm, top tasks", () => {
    const r = runDeno(["run", "--no-remote", "--allow-read", "--allow-env", "--config", config, join(root, "examples", "deno", "quickstart.ts")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^\d+ order lines, 60 customers, 0 rejected, as of 2026-10-31$/m);
    // console.table of six months with the four KPIs as columns
    expect(out).toMatch(/│ month +│ revenue +│ gross_profit +│ margin +│ active_customers +│/);
    expect(out.split("\n").filter((l) => /│ "2026-(0[5-9]|10)" +│ +\d+ │ +\d+ │ "\d+\.\d%" │ +\d+ │/.test(l))).toHaveLength(6);
    expect(out).toMatch(/^rhythm of C\d+ \(\w+\)$/m);
    expect(out).toMatch(/│ mean gap \(days\) +│ "\d+\.\d" +│/);
    expect(out).toMatch(/│ next expected +│ "\d{4}-\d\d-\d\d" +│/);
    expect(out).toMatch(/^top tasks \(\d+ tasks for \d+ reps\)$/m);
    expect(out.split("\n").filter((l) => /│ +\d │ "R\d+" +│ ".+" +│ "(churn|item|pipeline|cross_sell|reorder)" +│ +\d+ │/.test(l)).length).toBeGreaterThan(0);
  }, 60_000);

  it("examples/notebook.ipynb is a Deno notebook whose code cells run in order", () => {
    const { notebook, script } = notebookScript();
    expect(notebook.metadata.kernelspec).toMatchObject({ name: "deno", language: "typescript" });
    expect(notebook.metadata.language_info?.name).toBe("typescript");
    expect(notebook.cells.filter((c) => c.cell_type === "code").length).toBeGreaterThanOrEqual(4);
    const file = join(tmp, "notebook.ts");
    writeFileSync(file, script);
    const r = runDeno(["run", "--no-remote", "--allow-read", "--allow-env", "--config", config, file]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^\d+ order lines, 80 customers, 0 rejected, as of 2026-10-31$/m);
    expect(out).toMatch(/│ month +│ revenue +│ gross profit +│ margin +│ active customers +│ revenue vs prev +│/);
    expect(out.split("\n").filter((l) => /│ "2026-(0[5-9]|10)" +│/.test(l))).toHaveLength(6);
    expect(out).toMatch(/^C\d+: \w+: \S/m); // the customer and its signal
    expect(out).toMatch(/│ P\(alive\) +│ "[01]\.\d\d" +│/);
    expect(out).toMatch(/^\d+ tasks for \d+ reps; the \d+ most valuable:$/m);
    expect(out).toMatch(/^# Weekly brief for .+, Oct 31, 2026$/m);
  }, 60_000);

  it("the quickstart and the notebook's cells type-check under deno check", () => {
    const { script } = notebookScript();
    const file = join(tmp, "notebook-check.ts");
    writeFileSync(file, script);
    const r = runDeno(["check", "--no-remote", "--config", config, join(root, "examples", "deno", "quickstart.ts"), file]);
    expect(r.stderr.replace(/^Check .*\n/gm, "")).toBe("");
    expect(r.status).toBe(0);
  }, 60_000);
});
