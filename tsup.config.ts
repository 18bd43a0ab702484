import { readFileSync } from "node:fs";
import type { Options } from "tsup";

const version: string = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

const config: Options[] = ([
  {
    entry: {
      index: "src/index.ts",
      "csv/index": "src/csv/index.ts",
      "node/index": "src/node/index.ts",
      "node/pool-worker": "src/node/internal/pool-worker.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: true,
    target: "node20",
    platform: "neutral",
    external: ["zod", "date-fns", "ml-matrix", "papaparse", "fast-csv", /^node:/],
  },
  {
    entry: { "cli/main": "src/cli/main.ts" },
    format: ["esm"],
    dts: false,
    sourcemap: true,
    clean: false,
    target: "node20",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
    define: { __VERSION__: JSON.stringify(version) },
    external: ["zod", "date-fns", "ml-matrix", "papaparse", "fast-csv"],
  },
]);

export default config;
