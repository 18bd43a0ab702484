import { describe, expect, it } from "vitest";
import type { CliIo } from "./io.ts";
import { stageLine } from "./progress.ts";

const io = (tty: boolean): CliIo & { text: () => string } => {
  let err = "";
  return { out: () => {}, err: (s: string) => void (err += s), errIsTTY: tty, env: {}, text: () => err };
};

describe("stageLine (DESIGN.md: progress on anything longer than a second; review 2026-12-06)", () => {
  it("names the stage on a terminal for a large dataset and clears it when done", () => {
    const t = io(true);
    const s = stageLine(t, false, "analyzing", 1_084_788);
    expect(t.text()).toBe("\ranalyzing (1,084,788 order lines)…");
    s.done();
    expect(t.text()).toBe("\ranalyzing (1,084,788 order lines)…\r\u001b[K");
    const g = io(true);
    stageLine(g, false, "generating", 500_000, false).done();
    expect(g.text()).toBe("\rgenerating…\r\u001b[K");
  });
  it("is silent with --quiet, off a terminal, or for a small dataset", () => {
    for (const [tty, quiet, lines] of [[true, true, 1e6], [false, false, 1e6], [true, false, 99_999]] as const) {
      const t = io(tty);
      stageLine(t, quiet, "analyzing", lines).done();
      expect(t.text()).toBe("");
    }
  });
});
