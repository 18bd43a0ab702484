import { defineConfig, type ViteUserConfig } from "vitest/config";

const config: ViteUserConfig = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // fast-check: a fixed seed under CI, FC_SEED to pick one (test/support/fast-check-seed.ts);
    // tempDir() folders removed after each test file (test/support/temp-cleanup.ts)
    setupFiles: ["test/support/fast-check-seed.ts", "test/support/temp-cleanup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});

export default config;
