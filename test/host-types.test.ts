import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

// Host code compiled against the built declarations (dist/*.d.ts, as a host's `import from
// "orderpulse"` sees them) under the compiler options hosts use: `strict` alone (it does not turn
// on exactOptionalPropertyTypes nor noUncheckedIndexedAccess), and the repository's stricter set.
// The repository's own type-check never sees these: a type that only fits under its options
// (an optional `never` field against a host's `Record<string, number | string>`) passed it.
const root = join(import.meta.dirname, "..");
mkdirSync(join(root, "tmp"), { recursive: true });
const dir = mkdtempSync(join(root, "tmp", "host-types-")); // (tmp/ is git-ignored)
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errors(code: string, options: ts.CompilerOptions): string[] {
  const file = join(dir, `host-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, code);
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    ...options,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

const HOST = `
import { detectSignals, detectKpiDrop, type Signal, type SignalOf } from "${join(root, "dist", "index.js")}";
declare const signals: Signal[];
// a host's own formatter of any signal's numbers (compiled before evidence was typed)
function fmt(evidence: Readonly<Record<string, number | string>>): string {
  return Object.entries(evidence).map(([k, v]) => k + "=" + String(v)).join(" ");
}
for (const s of signals) fmt(s.evidence);
// narrowing by type, and kpi_drop's two tests by basis
for (const s of signals) {
  if (s.type === "customer_overdue") { const n: number = s.evidence.daysSinceLast; const d: string = s.evidence.lastOrder; void n; void d; }
  if (s.type === "kpi_drop") { if (s.evidence.basis === "rhythm") { const z: number = s.evidence.z; void z; } else { const c: number = s.evidence.cusum; void c; } }
}
declare const one: SignalOf<"pipeline_stall">;
const ids: string = one.evidence.dealIds;
void ids; void detectSignals; void detectKpiDrop;
`;

describe("the public types in a host's project (dist declarations)", () => {
  it.skipIf(!existsSync(join(root, "dist", "index.d.ts")))("signals and their evidence compile under `strict` alone and under the repository's options", () => {
    expect(errors(HOST, { strict: true })).toEqual([]);
    expect(errors(HOST, { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true })).toEqual([]);
    // and a field of another type is an error: the narrowing is real
    expect(errors(`${HOST}\nfor (const s of signals) if (s.type === "frequency_drop") void s.evidence.lastOrder;`, { strict: true }).join("\n")).toMatch(/lastOrder/);
  });
});
