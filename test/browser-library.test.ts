/**
 * Browser test of the core library: README.md says orderpulse "runs in Node, Deno and browsers".
 * `src/index.ts` (the runtime-neutral entry point) is bundled for the browser with esbuild's JS
 * API (platform browser, ESM, in memory), loaded into headless Chromium (Debian's `chromium`,
 * driven by playwright-core with `executablePath`) from a fake origin served by request
 * interception (no network), and a realistic pipeline runs in the page: a small synthetic
 * distributor → fromRowsSync → computeKpis, fitPatterns, detectSignals, recommend, analyze →
 * rankTasks → weeklyBrief → renderBriefMarkdown / renderBriefHtml, a datasetToBytes /
 * datasetFromBytes round trip, and Date instants ingested in a named time zone
 * (test/support/browser-pipeline.ts: the same module runs in both places, the library passed in).
 * Every result is JSON text (or rendered text, or a SHA-256 of the bytes). Against Node (the
 * vitest process, the library from src/): byte for byte, except the results whose numbers go
 * through the engine's Math.exp / log / pow, which engines round differently in the last bit
 * (see ENGINE_MATH): those must have the same structure, strings and order, and numbers within a
 * stated tolerance. Across the page's time zone (UTC; Pacific/Kiritimati, UTC+14;
 * America/Los_Angeles, UTC−7) and locale (en-US, he-IL): every result byte for byte, since the
 * library's results must depend on neither.
 *
 * The bundle must not need Node built-ins: they are marked external so that a reachable one
 * shows up in esbuild's metafile, and the test names the import chain from src/index.ts to it.
 *
 * Chromium: `ORDERPULSE_CHROMIUM`, else /usr/bin/chromium or /usr/bin/chromium-browser (as
 * test/browser-brief.test.ts). Under `CI=true` a missing browser fails the run, locally the file
 * is skipped with a message.
 */
import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as orderpulse from "../src/index.ts";
import { runPipeline, type PipelineResult } from "./support/browser-pipeline.ts";

const CANDIDATES = [process.env["ORDERPULSE_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => p !== undefined && p !== "");
const executablePath = CANDIDATES.find((p) => existsSync(p));
const ROOT = join(import.meta.dirname, "..");
const ORIGIN = "https://orderpulse.test";
/** Node built-ins, bare and `node:`-prefixed: external, so a reachable one is listed in the metafile instead of failing the build. */
const NODE_BUILTINS = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`, `${m}/*`]))];

/**
 * The page settings: a UTC, en-US page is the in-browser reference; the others are time zones far
 * from UTC on both sides (UTC+14, UTC−7 in July) and a right-to-left, non-English locale.
 */
const REFERENCE = { timezoneId: "UTC", locale: "en-US", offsetMinutes: 0 } as const;
const ENVIRONMENTS = [
  REFERENCE,
  { timezoneId: "Pacific/Kiritimati", locale: "he-IL", offsetMinutes: -14 * 60 },
  { timezoneId: "America/Los_Angeles", locale: "he-IL", offsetMinutes: 7 * 60 },
  { timezoneId: "America/Los_Angeles", locale: "en-US", offsetMinutes: 7 * 60 },
] as const;
type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Results whose numbers go through the engine's `Math.exp` / `Math.log` / `Math.pow` (lgamma,
 * BG/NBD, survival and Poisson tails, log-normal rhythms, decays). ECMAScript leaves those
 * functions implementation-approximated, and engines differ in the last bit: Node 20's V8
 * (11.3) is up to an ulp off where Chromium's is correctly rounded (`Math.exp(1.7)`:
 * 5.473947391727199 in Node 20, 5.4739473917272 in Chromium 156 and in exact arithmetic).
 * So these are compared with Node structurally: the same keys, array lengths, order, strings and
 * booleans, and every number within {@link numberTolerance}. Everything else (synthetic data,
 * ingest report, KPIs, offers, the rendered Markdown and HTML briefs, the dataset bytes) must be
 * byte-identical to Node; and every result, these included, byte-identical across the page's
 * time zones and locales (one engine, so no excuse).
 */
const ENGINE_MATH = new Set(["patterns", "signals", "signalsHe", "signals.restored", "analysis", "tasks.en", "tasks.he", "brief.en", "brief.he"]);

/**
 * Relative tolerance of a number of an {@link ENGINE_MATH} result, by JSON path. The BG/NBD
 * population parameters (and P(alive) computed from them) come out of a Nelder–Mead search that
 * fitPatterns stops when 200 evaluations gain under 1e-9 relative, on a flat ridge of (a, b):
 * ulp differences of the log-likelihood move that stopping point (measured: 6e-6 relative on b,
 * 1e-6 on P(alive), Node 20 against Chromium 156 and against Deno 2.9's V8 15.0), so 1e-4
 * (about √1e-9). Every other number differs by rounding only (measured at most 5e-11: a
 * variance computed as a difference), so 1e-9.
 */
function numberTolerance(path: string): number {
  return /\.bgNbd\.|\.pAlive$/.test(path) ? 1e-4 : 1e-9;
}

if (executablePath === undefined && process.env["CI"] !== "true") {
  console.warn(`browser-library.test.ts skipped: no Chromium at ${CANDIDATES.join(", ")} (apt-get install chromium, or set ORDERPULSE_CHROMIUM)`);
}

interface Bundle {
  readonly js: string;
  /** Import chains from src/index.ts to each Node built-in the bundle reaches (none expected). */
  readonly nodeImports: readonly string[];
}

/** Bundle an entry point for the browser, in memory; Node built-ins stay external and are reported with their import chain. */
async function bundle(entry: string): Promise<Bundle> {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    external: NODE_BUILTINS,
  });
  const inputs = result.metafile.inputs;
  // breadth-first from the entry: the first path found to each external built-in
  const from = new Map<string, string>();
  const queue = [entry];
  const seen = new Set(queue);
  const nodeImports: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const imp of inputs[file]?.imports ?? []) {
      if (imp.external) {
        if (NODE_BUILTINS.includes(imp.path) || imp.path.startsWith("node:")) {
          const chain = [imp.path, file];
          for (let f = from.get(file); f !== undefined; f = from.get(f)) chain.push(f);
          nodeImports.push(chain.reverse().join(" → "));
        }
        continue;
      }
      if (seen.has(imp.path)) continue;
      seen.add(imp.path);
      from.set(imp.path, file);
      queue.push(imp.path);
    }
  }
  return { js: result.outputFiles[0]!.text, nodeImports };
}

/** Where two texts first differ, with some context (a whole-result diff would be megabytes). */
function firstDifference(expected: string | undefined, actual: string | undefined): string | undefined {
  if (expected === actual) return undefined;
  if (expected === undefined || actual === undefined) return expected === undefined ? "unexpected" : "missing";
  let i = 0;
  while (i < expected.length && expected[i] === actual[i]) i++;
  const at = (s: string): string => JSON.stringify(s.slice(Math.max(0, i - 80), i + 80));
  return `lengths ${expected.length} / ${actual.length}, first difference at ${i}:\n  expected: ${at(expected)}\n  actual:   ${at(actual)}`;
}

/** Differences of two JSON values beyond the numbers' tolerance (keys, order, lengths, strings and booleans exact); at most `max`. */
function structuralDifferences(expected: unknown, actual: unknown, path: string, out: string[], max: number = 10): string[] {
  if (out.length >= max) return out;
  if (typeof expected === "number" && typeof actual === "number") {
    const tolerance = numberTolerance(path);
    if (!(Math.abs(expected - actual) <= tolerance * Math.max(Math.abs(expected), Math.abs(actual)))) out.push(`${path}: ${expected} vs ${actual} (relative tolerance ${tolerance})`);
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) out.push(`${path}: length ${expected.length} vs ${actual.length}`);
    else expected.forEach((x, i) => structuralDifferences(x, actual[i], `${path}[${i}]`, out, max));
  } else if (expected !== null && actual !== null && typeof expected === "object" && typeof actual === "object" && !Array.isArray(expected) && !Array.isArray(actual)) {
    const keys = Object.keys(expected);
    if (keys.join() !== Object.keys(actual).join()) out.push(`${path}: keys ${keys.join()} vs ${Object.keys(actual).join()}`);
    else for (const k of keys) structuralDifferences((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${path}.${k}`, out, max);
  } else if (expected !== actual) out.push(`${path}: ${JSON.stringify(expected)?.slice(0, 120)} vs ${JSON.stringify(actual)?.slice(0, 120)}`);
  return out;
}

describe.skipIf(executablePath === undefined && process.env["CI"] !== "true")("core library in headless Chromium gives the results of Node", () => {
  let browser: Browser | undefined;
  let library: Bundle;
  let pipeline: Bundle;
  let inNode: PipelineResult;
  const runs = new Map<Environment, Promise<PipelineResult>>();

  beforeAll(async () => {
    if (executablePath === undefined) throw new Error(`CI=true but no Chromium at ${CANDIDATES.join(", ")}: .ci/run installs Debian's chromium with apt-get when it is missing`);
    [library, pipeline, browser] = await Promise.all([
      bundle("src/index.ts"),
      bundle("test/support/browser-pipeline.ts"),
      chromium.launch({
        executablePath,
        headless: true,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      }),
    ]);
    inNode = await runPipeline(orderpulse);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The pipeline's results in a fresh page with the environment's time zone and locale (once per environment). */
  function inBrowser(env: Environment): Promise<PipelineResult> {
    let run = runs.get(env);
    if (run === undefined) runs.set(env, (run = runInPage(env)));
    return run;
  }

  async function runInPage(env: Environment): Promise<PipelineResult> {
    const context = await browser!.newContext({ timezoneId: env.timezoneId, locale: env.locale });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      // the fake origin: the page, the library bundle and the pipeline; any other request is aborted and recorded
      const files: Record<string, { body: string; contentType: string }> = {
        "/": {
          contentType: "text/html; charset=utf-8",
          body: `<!doctype html><html><head><meta charset="utf-8"><title>orderpulse</title>
<script type="module">
import * as orderpulse from "/orderpulse.js";
import { runPipeline } from "/pipeline.js";
window.runPipeline = () => runPipeline(orderpulse);
window.ready = true;
</script></head><body></body></html>`,
        },
        "/orderpulse.js": { contentType: "text/javascript; charset=utf-8", body: library.js },
        "/pipeline.js": { contentType: "text/javascript; charset=utf-8", body: pipeline.js },
      };
      await context.route("**/*", async (route) => {
        const url = new URL(route.request().url());
        const file = url.origin === ORIGIN ? files[url.pathname] : undefined;
        if (file === undefined) {
          requests.push(route.request().url());
          await route.abort();
        } else await route.fulfill({ status: 200, contentType: file.contentType, body: file.body });
      });
      await page.goto(`${ORIGIN}/`, { waitUntil: "load" });
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 10_000 });

      // the emulation took effect (else the run proves nothing about time zones and locales), and no Node globals
      const seen = await page.evaluate(() => ({
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        locale: navigator.language,
        offset: new Date("2026-07-01T00:00:00Z").getTimezoneOffset(),
        secure: window.isSecureContext,
        node: typeof (globalThis as { process?: unknown }).process !== "undefined" || typeof (globalThis as { Buffer?: unknown }).Buffer !== "undefined",
      }));
      expect(seen, `${env.timezoneId} ${env.locale}`).toEqual({ timeZone: env.timezoneId, locale: env.locale, offset: env.offsetMinutes, secure: true, node: false });

      const result = await page.evaluate(() => (window as unknown as { runPipeline: () => Promise<Record<string, string>> }).runPipeline());
      expect(errors, "page errors").toEqual([]);
      expect(requests, "requests off the page's origin").toEqual([]);
      return result;
    } finally {
      await context.close();
    }
  }

  it("src/index.ts bundles for the browser without Node built-ins", () => {
    expect(library.nodeImports, "Node built-ins reachable from the core entry point (import chains)").toEqual([]);
    expect(pipeline.nodeImports).toEqual([]);
    // the pipeline module is self-contained: the library is its parameter, not an import
    expect(pipeline.js).not.toMatch(/^import\b/m);
    expect(library.js.length).toBeGreaterThan(100_000);
  });

  it("the Node results are self-consistent and not trivial", () => {
    expect(inNode["bytes.roundTrip"]).toBe(inNode["bytes"]);
    expect(inNode["kpis.restored"]).toBe(inNode["kpis"]);
    expect(inNode["signals.restored"]).toBe(inNode["signals"]);
    expect(inNode["zoned.kpis"]).toBe(inNode["kpis"]);
    expect(JSON.parse(inNode["signals"]!).length).toBeGreaterThan(5);
    expect(JSON.parse(inNode["offers"]!).length).toBeGreaterThan(20);
    expect(JSON.parse(inNode["patterns"]!).bgNbd).toBeDefined();
    expect(inNode["brief.en.md"]).toMatch(/^# Company brief, Oct 12, 2026/);
    expect(inNode["brief.he.md"]).toMatch(/^# סיכום חברה, 12 באוק׳ 2026/);
    for (const key of ENGINE_MATH) expect(Object.keys(inNode)).toContain(key);
  });

  it(`${REFERENCE.timezoneId}, ${REFERENCE.locale}: the browser's results are Node's (byte for byte, or up to the engine's last-bit Math)`, async () => {
    const web = await inBrowser(REFERENCE);
    expect(Object.keys(web).sort()).toEqual(Object.keys(inNode).sort());
    const exact: Record<string, string> = {};
    const close: Record<string, string[]> = {};
    for (const key of Object.keys(inNode)) {
      if (ENGINE_MATH.has(key)) {
        const d = structuralDifferences(JSON.parse(inNode[key]!), JSON.parse(web[key]!), key, []);
        if (d.length > 0) close[key] = d;
      } else {
        const d = firstDifference(inNode[key], web[key]);
        if (d !== undefined) exact[key] = d;
      }
    }
    expect.soft(exact, "results that differ between Node and the browser").toEqual({});
    expect.soft(close, "results that differ between Node and the browser beyond the last-bit differences of Math").toEqual({});
  });

  for (const env of ENVIRONMENTS.filter((e) => e !== REFERENCE)) {
    it(`${env.timezoneId}, ${env.locale}: every result byte-identical to the UTC en-US page, no request leaves the page`, async () => {
      const [reference, web] = await Promise.all([inBrowser(REFERENCE), inBrowser(env)]);
      expect(Object.keys(web).sort()).toEqual(Object.keys(reference).sort());
      const differences: Record<string, string> = {};
      for (const key of Object.keys(reference)) {
        const d = firstDifference(reference[key], web[key]);
        if (d !== undefined) differences[key] = d;
      }
      expect(differences, `results that depend on the page's time zone or locale (${env.timezoneId}, ${env.locale})`).toEqual({});
    });
  }
});
