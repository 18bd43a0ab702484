/**
 * `npm run bench`: runs the benchmark scripts one after another (each in its own process, so
 * one's memory never counts against another's) and writes benchmarks/RESULTS.md: the machine,
 * bench:pipeline's stage table at about 1M and 5M order lines (each stage in units of the bare
 * papaparse parse of the same orders.csv, peak RSS, bytes per order line), then every other
 * script's own report, each with its command and its wall time. Every ratio in it is against a
 * baseline measured in the same run by that script.
 *
 *   node --import tsx benchmarks/run-all.ts [--quick] [--with-10m] [--only name,name] [--out FILE]
 *
 * `--quick`: bench:pipeline at 200 customers and no other script (a smoke test of the runner).
 * `--with-10m`: bench:pipeline also at 20,000 customers (about 10.5M lines; peak RSS about 4 GB).
 * `--only`: just those scripts (`pipeline` for bench:pipeline); their sections replace their
 * namesakes in the existing report, the rest is kept, and a note under the header says so.
 * The full run takes about an hour on a 2-core machine; `npm run build` first (npm run bench does).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { quick: { type: "boolean" }, only: { type: "string" }, out: { type: "string" }, "with-10m": { type: "boolean" } } });
const root = join(import.meta.dirname, "..");
const out = values.out ?? join(import.meta.dirname, "RESULTS.md");
const scratch = mkdtempSync(join(tmpdir(), "orderpulse-bench-"));

interface Script {
  name: string;
  file: string;
  args: string[];
  node?: string[];
  about: string;
}

/** The scripts after bench:pipeline, with the arguments their docs report numbers for. */
const SCRIPTS: Script[] = [
  { name: "ingest", file: "ingest.ts", args: [], node: ["--expose-gc"], about: "reading orders.csv: papaparse, fast-csv, DuckDB read_csv, readDataset, fromRows" },
  { name: "kpis", file: "kpis.ts", args: [], about: "every KPI against the same query in DuckDB SQL" },
  { name: "patterns", file: "patterns.ts", args: [], about: "interval model + customer x item rhythm vs the bare parse; BTYD fits on CDNOW" },
  { name: "patterns-accuracy", file: "patterns-accuracy.ts", args: [], about: "next-order date error vs naive rules; calibration; log-likelihood vs a plain gamma" },
  { name: "churn", file: "churn-accuracy.ts", args: [], about: "churn classifier AUC vs days-since-last-order and overdue probability" },
  { name: "signals-customer", file: "signals-quality-customer.ts", args: ["--seeds", "1,2,3", "--sensitivities", "1", "--calendar", "no"], about: "customer_overdue / frequency_drop recall, precision, delay vs an oracle" },
  { name: "signals-items", file: "signals-quality-items.ts", args: [], about: "item_dropped / item_volume_drop / diversity_drop" },
  { name: "signals-segments", file: "signals-quality-segments.ts", args: [], about: "product_vanishing / discount_anomaly / pipeline_stall / kpi_drop" },
  { name: "engine", file: "engine.ts", args: [], about: "batch vs incremental engine: detectSignals, replay, ingest, single-order latency" },
  { name: "recommend", file: "recommend.ts", args: [], about: "recall@10 vs popularity, segment popularity, SAR-Jaccard, top frequency; speed" },
  { name: "recommend-oracle", file: "recommend-oracle.ts", args: ["--seeds", "1,2,3"], about: "the same against an oracle of the true latent needs" },
  { name: "recommend-proxies", file: "recommend-proxies.ts", args: [], about: "new-item recall@10 vs SAR-Jaccard and repeat recall@10 vs the personal top frequency on data in the Online Retail layout (an Online-Retail-like themed generator, the synthetic lines without segments)" },
  { name: "tasks", file: "tasks.ts", args: ["--speed"], about: "ranking + every brief vs the bare parse" },
  { name: "pool", file: "pool.ts", args: ["--runs", "5"], about: "worker pool vs single thread on the per-customer stages (speed-up)" },
  { name: "scaling", file: "scaling.ts", args: ["--runs", "3"], about: "growth with size of the shapes that were once super-linear (2 per doubling = linear)" },
];

interface PipelineResult {
  customers: number;
  lines: number;
  runs: number;
  papaparseMs: number;
  stages: { name: string; ms: number; units: number; budget: number; what: string }[];
  peakRssBytes: number;
  pipelineAlone: { peakRssBytes: number; afterReadMb: number; afterAnalyzeMb: number };
  datasetBytesPerLine: number;
}

function run(args: string[], node: string[] = []): { text: string; seconds: number; ok: boolean } {
  const t = performance.now();
  try {
    const text = execFileSync(process.execPath, [...node, "--import", "tsx", ...args], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 2 ** 20 });
    return { text, seconds: (performance.now() - t) / 1000, ok: true };
  } catch (e) {
    const err = e as { stdout?: string; message: string };
    return { text: `${err.stdout ?? ""}\nFAILED: ${err.message}`, seconds: (performance.now() - t) / 1000, ok: false };
  }
}

const only = values.only ? new Set(values.only.split(",")) : undefined;
const sizes = values.quick ? [200] : values["with-10m"] ? [2000, 10000, 20000] : [2000, 10000];
const md: string[] = [];
const started = new Date();
md.push("# Benchmark results", "");
md.push(`Written by \`npm run bench\` (benchmarks/run-all.ts) on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC${values.quick ? " with --quick (smoke test, not a measurement)" : ""}.`);
md.push(`Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM (${(freemem() / 2 ** 30).toFixed(1)} GB free at the start), Node ${process.version}, ${process.platform}/${process.arch}.`);
md.push("Every ratio is against a baseline measured in the same run by the same script; times are medians of the runs each script states. On a shared machine wall times move by ±30 %.", "");

const pipelines: PipelineResult[] = [];
if (!only || only.has("pipeline")) {
  for (const customers of sizes) {
    const json = join(scratch, `pipeline-${customers}.json`);
    console.error(`bench:pipeline --customers ${customers} ...`);
    const r = run(["benchmarks/pipeline.ts", "--customers", String(customers), "--runs", customers > 5000 ? "1" : "3", "--json", json], customers > 10000 ? ["--max-old-space-size=16384"] : []);
    process.stderr.write(r.text);
    if (r.ok) pipelines.push(JSON.parse(readFileSync(json, "utf8")) as PipelineResult);
    else md.push(`bench:pipeline --customers ${customers} failed:`, "```", r.text.trim(), "```", "");
  }
  if (pipelines.length) {
    md.push("## The pipeline budget (bench:pipeline)", "");
    md.push("Each stage in units of the bare papaparse parse of the same orders.csv (issue 9's budget in the last column).", "");
    md.push(`| stage | ${pipelines.map((p) => `${(p.lines / 1e6).toFixed(2)}M lines: ms / units`).join(" | ")} | budget |`);
    md.push(`|---|${pipelines.map(() => "---").join("|")}|---|`);
    md.push(`| bare papaparse parse | ${pipelines.map((p) => `${p.papaparseMs.toFixed(0)} / 1`).join(" | ")} | |`);
    for (const s of pipelines[0]!.stages) {
      const cells = pipelines.map((p) => {
        const x = p.stages.find((y) => y.name === s.name)!;
        return `${x.ms.toFixed(0)} / ${x.units.toFixed(2)}${x.units <= x.budget ? "" : " (miss)"}`;
      });
      md.push(`| ${s.name}: ${s.what.replace(/\|/g, "/")} | ${cells.join(" | ")} | <= ${s.budget} |`);
    }
    md.push(`| peak RSS (MB) of the pipeline alone, in a fresh process (readDataset + analyze + every brief) | ${pipelines.map((p) => (p.pipelineAlone.peakRssBytes / 2 ** 20).toFixed(0)).join(" | ")} | < 1024 at 5M |`);
    md.push(`| RSS (MB) after readDataset / after analyze, same process | ${pipelines.map((p) => `${p.pipelineAlone.afterReadMb} / ${p.pipelineAlone.afterAnalyzeMb}`).join(" | ")} | |`);
    md.push(`| peak RSS (MB) of the bench process, holding every stage's inputs and results at once | ${pipelines.map((p) => (p.peakRssBytes / 2 ** 20).toFixed(0)).join(" | ")} | |`);
    md.push(`| dataset bytes per order line | ${pipelines.map((p) => p.datasetBytesPerLine.toFixed(1)).join(" | ")} | |`);
    md.push("", `Runs per stage: ${pipelines.map((p) => `${p.runs} at ${p.customers} customers`).join(", ")}. Command: \`node --import tsx benchmarks/pipeline.ts --customers N --runs R\`.`, "");
  }
}

if (!values.quick) {
  for (const s of SCRIPTS) {
    if (only && !only.has(s.name)) continue;
    console.error(`bench:${s.name} ...`);
    const r = run([`benchmarks/${s.file}`, ...s.args], s.node ?? []);
    md.push(`## bench:${s.name}: ${s.about}`, "");
    md.push(`\`node ${[...(s.node ?? []), "--import tsx", `benchmarks/${s.file}`, ...s.args].join(" ")}\`, ${r.seconds.toFixed(0)} s${r.ok ? "" : ", **failed**"}`, "");
    md.push("```", r.text.trim(), "```", "");
  }
}

md.push(`Total time: ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min.`);
writeFileSync(out, (only && existsSync(out) ? mergeSections(readFileSync(out, "utf8"), md.join("\n")) : md.join("\n")) + "\n");
rmSync(scratch, { recursive: true, force: true }); // the pipeline runs' JSON, read back above
console.error(`wrote ${out}`);

/**
 * With --only: the sections just run replace their namesakes in the existing report (matched by
 * the `bench:NAME` in their heading); every other section stays as it was, and a note under the
 * header says which were re-run, when and on what machine.
 */
function mergeSections(previous: string, fresh: string): string {
  const split = (text: string): { head: string; sections: { key: string; text: string }[] } => {
    const parts = text.split(/\n(?=## )/);
    const head = parts[0]!.startsWith("## ") ? "" : parts.shift()!;
    return { head, sections: parts.map((t) => ({ key: /bench:([a-z0-9-]+)/.exec(t.split("\n")[0]!)?.[1] ?? t.split("\n")[0]!, text: t.replace(/\n*Total time: [^\n]*\n*$/, "").trimEnd() })) };
  };
  const old = split(previous);
  const now = split(fresh);
  const byKey = new Map(now.sections.map((x) => [x.key, x.text]));
  const sections = old.sections.map((x) => {
    const t = byKey.get(x.key);
    byKey.delete(x.key);
    return t ?? x.text;
  });
  sections.push(...byKey.values());
  const machine = /^Machine: .*$/m.exec(now.head)?.[0] ?? "";
  const note = `> Re-run on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC with \`--only ${[...only!].join(",")}\`: ${[...now.sections].map((x) => x.key).join(", ")} (${machine.replace(/^Machine: /, "").replace(/\.$/, "")}); every other section is from an earlier run.`;
  const total = /\n(Total time: [^\n]*)\s*$/.exec(previous)?.[1];
  return [old.head.trimEnd(), "", note, "", sections.join("\n\n"), ...(total ? ["", total] : [])].join("\n");
}
