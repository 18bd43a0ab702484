// Removes the test file's temporary directories (test/support/temp-dir.ts) after its tests (a
// vitest setup file: it runs in each test file's own module graph, so `made` is that file's).
import { afterAll } from "vitest";
import { removeTempDirs } from "./temp-dir.ts";

afterAll(removeTempDirs);
