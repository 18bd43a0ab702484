import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

// Checks on the built package (run `npm run build` first; CI does). They bundle the dist
// entry points the way a host's bundler would and look at what gets pulled in.
const root = join(import.meta.dirname, "..");
const dist = join(root, "dist");

async function inputs(code: string, platform: "neutral" | "node" = "neutral"): Promise<string[]> {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: "js" },
    bundle: true,
    write: false,
    metafile: true,
    minify: true,
    format: "esm",
    platform,
    mainFields: ["module", "main"],
    logLevel: "silent",
    ...(platform === "neutral" ? {} : { external: [] }),
  });
  // inputs that contribute bytes to the output (the metafile's top-level list has every parsed file)
  const out = Object.values(result.metafile.outputs)[0]!;
  const imports = out.imports.filter((i) => i.external).map((i) => i.path);
  return [...Object.entries(out.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k), ...imports];
}

describe("package entry points (dist)", () => {
  beforeAll(() => {
    expect(existsSync(join(dist, "index.js")), "dist/ missing: run npm run build").toBe(true);
  });

  it("the core entry reaches nothing Node-only and no CSV library", async () => {
    const used = await inputs(`export * from "./dist/index.js";`);
    expect(used.some((p) => p.includes("papaparse") || p.includes("fast-csv"))).toBe(false);
    expect(used.some((p) => p.startsWith("node:"))).toBe(false);
  });

  it("importing one data function or one KPI pulls neither zod nor a CSV library", async () => {
    for (const name of ["orderOccasions", "activeCustomers", "grossProfit", "churnRate", "discountRate", "explainKpiChange"]) {
      const used = await inputs(`export { ${name} } from "./dist/index.js";`);
      expect(used.filter((p) => p.includes("node_modules")), name).toEqual([]);
    }
  });

  it("ESM and CJS builds expose the same names, and errors are recognised across them", async () => {
    const esm = await import(join(dist, "index.js"));
    const require = createRequire(import.meta.url);
    const cjs = require(join(dist, "index.cjs"));
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    const fromCjs = new cjs.OrderpulseError("INVALID_OPTION", "x");
    expect(esm.isOrderpulseError(fromCjs)).toBe(true);
    expect(fromCjs instanceof esm.OrderpulseError).toBe(false); // why the brand guard exists
    const csvEsm = await import(join(dist, "csv", "index.js"));
    const csvCjs = require(join(dist, "csv", "index.cjs"));
    expect(Object.keys(csvCjs).sort()).toEqual(Object.keys(csvEsm).sort());
    expect(typeof csvEsm.readDataset).toBe("function");
  });
});
