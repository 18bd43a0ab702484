import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSyntheticDistributor } from "../src/csv/write-synthetic-distributor.ts";
import { SYNTH_OPTIONS, type SnippetResult } from "./support/doc-snippets.ts";

// The fenced ts / typescript / js / javascript / mjs / cjs blocks of README.md and docs/*.md run
// against the source: each is written to a module in a scratch folder (the repository's
// gitignored tmp/, so tsx and the type-checker find node_modules), its `orderpulse`,
// `orderpulse/csv`, `orderpulse/node` (and Deno's `npm:orderpulse`) imports pointed at src/, the
// names it uses without declaring them (the host's `dataset`, `asOf`, ...) imported from the
// context in test/support/doc-snippets.ts; one child process (`node --import tsx`) imports them
// all in turn, in a folder holding `data/` (the synthetic distributor's CSV files), while tsc
// type-checks the TypeScript ones with the repository's compiler options.
//
// A block that is a fragment by design (a type signature, a shape, pseudo-code) says so on the
// line before its fence: `<!-- snippet: not run (why) -->`. KEEP_DOC_SNIPPETS=1 keeps the scratch
// folder (tmp/doc-snippets-*) to look at the modules.

const root = join(import.meta.dirname, "..");
const SUPPORT = join(root, "test", "support", "doc-snippets.ts");
const LANGS: Readonly<Record<string, "ts" | "mjs" | "cjs">> = { ts: "ts", typescript: "ts", js: "mjs", javascript: "mjs", mjs: "mjs", cjs: "cjs" };
const OPT_OUT = /^\s*<!--\s*snippet:\s*not run\s*\((.*)\)\s*-->\s*$/;

/** One fenced code block of a markdown file. */
interface CodeBlock {
  /** The markdown file, relative to the repository. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word, lower case ("" when none). */
  lang: string;
  code: string;
  /** The reason of a `<!-- snippet: not run (reason) -->` on the line before the fence. */
  optOut?: string;
}

/**
 * The fenced code blocks of a markdown text (backtick or tilde fences of 3+, indented by up to 3
 * spaces; a block ends at a closing fence of the same character at least as long).
 */
function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      body.push(lines[j]!.slice(Math.min(open[1]!.length, /^ */.exec(lines[j]!)![0].length)));
    }
    const reason = i > 0 ? OPT_OUT.exec(lines[i - 1]!)?.[1]?.trim() : undefined;
    blocks.push({ file, line: i + 1, lang: open[3]!.toLowerCase(), code: body.join("\n"), ...(reason !== undefined ? { optOut: reason } : {}) });
    i = j;
  }
  return blocks;
}

/** Names a block declares anywhere (variables, functions, classes, types, imports, parameters) and every identifier it mentions. */
function names(code: string): { declared: Set<string>; mentioned: Set<string> } {
  const source = ts.createSourceFile("block.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declared = new Set<string>();
  const mentioned = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) declared.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  // a property's name (`{ url: ... }`, `x.url`) is no use of a name; a shorthand property (`{ url }`) is
  const isPropertyName = (node: ts.Identifier): boolean => {
    const p = node.parent;
    return (ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === node;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isPropertyName(node)) mentioned.add(node.text);
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) bind(node.name);
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name) declared.add(node.name.text);
    if (ts.isImportClause(node) && node.name) declared.add(node.name.text);
    if (ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) declared.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { declared, mentioned };
}

/** The context's names a block may use without declaring them (test/support/doc-snippets.ts). */
const CONTEXT = ["dataset", "asOf", "calendar", "customerIds", "signal", "lines", "lastWeek", "json", "onSignal", "log", "handle", "url", "secret", "webhook"];
/** Per markdown file, context names taken from another export: docs/kpis.md's examples are on the kpi20 fixture. */
const CONTEXT_FOR: Readonly<Record<string, Readonly<Record<string, string>>>> = { "docs/kpis.md": { dataset: "kpi20" } };

/**
 * Checks run after particular blocks (matched by file and a piece of their code; each must match
 * exactly one block): what the block's comments say, or the server it starts put to work.
 */
const AFTER: readonly { file: string; contains: string; code: string }[] = [
  {
    // the interfaces as written are the exported ones (a type-level check: optional and readonly members count)
    file: "docs/delivery.md",
    contains: "interface SinkPayload",
    code: [
      'import type { Sink as RealSink, SinkPayload as RealSinkPayload } from "orderpulse/node";',
      "type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;",
      "const samePayload: Equals<SinkPayload, RealSinkPayload> = true;",
      "const sameSink: Equals<Sink<RealSinkPayload>, RealSink<RealSinkPayload>> = true;",
    ].join("\n"),
  },
  {
    // the receiver: a payload the webhook sink delivers twice is handled once, a wrong secret gets a 401
    file: "docs/delivery.md",
    contains: "verifyWebhookSignature(secret",
    code: "await (await import(SUPPORT)).checkReceiver();",
  },
  {
    // the sink delivered the signal to the (stub) CRM, signed, without its message
    file: "docs/delivery.md",
    contains: "sink.send(signal)",
    code: [
      "const sent = (await import(SUPPORT)).crmRequests.filter((r) => (JSON.parse(r.body) as { id?: unknown }).id === signal.id);",
      "if (sent.length !== 1 || !sent[0]!.verified || 'message' in JSON.parse(sent[0]!.body)) throw new Error(`the CRM got ${JSON.stringify(sent)}`);",
    ].join("\n"),
  },
  {
    // the numbers in the comments (docs/kpis.md works them out by hand on kpi20)
    file: "docs/kpis.md",
    contains: "explainKpiChange(dataset",
    code: [
      "const lostR1 = (w: typeof why) => w.contributions.find((c) => c.key === 'R1' && c.part === 'lost_item')?.value;",
      "if (lostR1(why) !== -54.5) throw new Error(`R1 lost_item ${lostR1(why)}, not -54.5`);",
      "if (Math.abs(why.residual) > 1e-9) throw new Error(`residual ${why.residual}`);",
      "const toDate = explainKpiChange(dataset, { kpi: 'gross_profit', from: '2026-01', to: '2026-02', by: 'rep' });",
      "if (lostR1(toDate) !== -39.5 || Math.abs((toDate.change ?? NaN) - -41) > 1e-9) throw new Error(`to date: R1 lost_item ${lostR1(toDate)}, change ${toDate.change}`);",
    ].join("\n"),
  },
];

/** A block as a module: imports pointed at src/, the context names it needs, the checks after it. */
function snippetModule(block: CodeBlock, kind: "ts" | "mjs" | "cjs", dir: string): { text: string; header: number } {
  // relative specifiers: TypeScript accepts a .ts import only when relative (it rewrites those)
  const rel = (path: string): string => relative(dir, path).replaceAll("\\", "/");
  const support = JSON.stringify(rel(SUPPORT));
  const rewrite = (code: string): string =>
    code.replace(
      /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)(["'])(?:npm:)?orderpulse(?:\/(csv|node))?\2/g,
      (_, lead: string, q: string, entry?: string) => `${lead}${q}${rel(join(root, "src", entry ?? "", "index.ts"))}${q}`,
    );
  const after = AFTER.filter((a) => a.file === block.file && block.code.includes(a.contains)).map((a) => a.code.replaceAll("import(SUPPORT)", `import(${support})`));
  const code = [block.code, ...after].join("\n");
  const { declared, mentioned } = names(code);
  const used = CONTEXT.filter((n) => mentioned.has(n) && !declared.has(n));
  const alias = CONTEXT_FOR[block.file] ?? {};
  const specifiers = used.map((n) => (alias[n] !== undefined ? `${alias[n]} as ${n}` : n));
  // (a CommonJS block cannot require the context: it is an ES module with top-level await)
  const head = [`// ${block.file}:${block.line}`, ...(specifiers.length === 0 || kind === "cjs" ? [] : [`import { ${specifiers.join(", ")} } from ${support};`])];
  return { text: [...head, rewrite(code), kind === "cjs" ? "" : "export {};", ""].join("\n"), header: head.length };
}

const docFiles = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
const blocks = docFiles.flatMap((file) => codeBlocks(file, readFileSync(join(root, file), "utf8")));
const runnable = blocks.filter((b) => LANGS[b.lang] !== undefined && b.optOut === undefined);

/** Run a command; its exit code and output (never rejects). */
function exec(args: readonly string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (c: Buffer) => void (out += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => void (out += c.toString("utf8")));
    child.on("close", (code) => resolve({ code, out }));
  });
}

interface Written {
  block: CodeBlock;
  path: string;
  header: number;
}

let dir: string;
let written: Written[];
let run: Promise<{ code: number | null; out: string; results: SnippetResult[] }>;
let typecheck: Promise<{ code: number | null; out: string }>;

beforeAll(async () => {
  mkdirSync(join(root, "tmp"), { recursive: true });
  dir = mkdtempSync(join(root, "tmp", "doc-snippets-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await writeSyntheticDistributor(join(dir, "data"), SYNTH_OPTIONS);
  written = runnable.map((block) => {
    const kind = LANGS[block.lang]!;
    const { text, header } = snippetModule(block, kind, dir);
    const path = join(dir, `${block.file.replace(/\.md$/, "").replace(/\W/g, "-")}-${block.line}.${kind}`);
    writeFileSync(path, text);
    return { block, path, header };
  });
  const resultFile = join(dir, "results.json");
  const runner = join(dir, "run.ts");
  writeFileSync(
    runner,
    `import { runSnippets } from ${JSON.stringify(SUPPORT)};\nawait runSnippets(${JSON.stringify(written.map((w) => w.path))}, ${JSON.stringify(resultFile)});\nprocess.exit(0);\n`,
  );
  run = exec(["--import", "tsx", runner], dir).then((r) => {
    let results: SnippetResult[] = [];
    try {
      results = JSON.parse(readFileSync(resultFile, "utf8")) as SnippetResult[];
    } catch {
      // reported by the test with the output
    }
    return { ...r, results };
  });
  const tsFiles = written.filter((w) => w.path.endsWith(".ts"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: relative(dir, join(root, "tsconfig.json")), compilerOptions: { noEmit: true }, include: [], files: tsFiles.map((w) => relative(dir, w.path)) }),
  );
  typecheck = exec([join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json"), "--pretty", "false"], dir);
});

afterAll(async () => {
  await Promise.allSettled([run, typecheck]);
  if (dir && !process.env["KEEP_DOC_SNIPPETS"]) rmSync(dir, { recursive: true, force: true });
});

describe("code blocks of README.md and docs/*.md", () => {
  it("finds the blocks, and every ts/js block is run or opted out with a reason", () => {
    const tagged = blocks.filter((b) => LANGS[b.lang] !== undefined);
    expect(tagged.length).toBeGreaterThanOrEqual(10);
    expect(runnable.length).toBeGreaterThanOrEqual(8);
    expect(tagged.filter((b) => b.optOut !== undefined && b.optOut.length < 8).map((b) => `${b.file}:${b.line}`), "an opt-out names its reason").toEqual([]);
    // an opt-out comment that does not sit right before a fence is a mistake
    const stray = docFiles.flatMap((file) => {
      const lines = readFileSync(join(root, file), "utf8").split("\n");
      return lines.flatMap((l, i) => (OPT_OUT.test(l) && !/^ {0,3}(`{3,}|~{3,})/.test(lines[i + 1] ?? "") ? [`${file}:${i + 1}`] : []));
    });
    expect(stray).toEqual([]);
    // every check after a block finds its block
    for (const a of AFTER) expect(runnable.filter((b) => b.file === a.file && b.code.includes(a.contains)), `${a.file}: ${a.contains}`).toHaveLength(1);
  });

  it("every runnable block runs against the source", async () => {
    const { code, out, results } = await run;
    const failed = written.flatMap((w) => {
      const r = results.find((x) => x.file === w.path);
      return r === undefined ? [`${w.block.file}:${w.block.line}: did not run`] : r.error !== undefined ? [`${w.block.file}:${w.block.line}: ${r.error.replaceAll(dir, "<tmp>")}`] : [];
    });
    expect(failed, out.slice(-4000)).toEqual([]);
    expect(code).toBe(0);
  }, 60_000);

  it("the TypeScript blocks type-check with the repository's compiler options", async () => {
    const { code, out } = await typecheck;
    // tsc's "file(line,col): error" lines, pointed back at the markdown
    const errors = out
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => {
        const m = /^(.*?)\((\d+),(\d+)\): (.*)$/.exec(l);
        const w = m ? written.find((x) => x.path === join(dir, m[1]!)) : undefined;
        if (!w) return l;
        const offset = Number(m![2]) - w.header; // 1 = the block's first line
        const where = offset > w.block.code.split("\n").length ? `${w.block.line} (the check after the block)` : String(w.block.line + offset);
        return `${w.block.file}:${where}: ${m![4]}`;
      });
    expect(errors).toEqual([]);
    expect(code).toBe(0);
  }, 60_000);
});
