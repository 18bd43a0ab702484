import { describe, expect, it } from "vitest";
import { sparklineSvg } from "./sparkline.ts";

describe("sparklineSvg", () => {
  it("hand-computed: points across the width, the expected rhythm dashed, the last week marked", () => {
    const svg = sparklineSvg([0, 1, 2], 1, { width: 106, height: 26 });
    // x: 3, 53, 103; y: height − 3 − 20·v/2 → 23, 13, 3
    expect(svg).toBe(
      '<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="106" height="26" viewBox="0 0 106 26" aria-hidden="true">' +
        '<line x1="3" y1="13" x2="103" y2="13" stroke="#6e7781" stroke-width="1" stroke-dasharray="3 2"/>' +
        '<polyline points="3,23 53,13 103,3" fill="none" stroke="#1f6feb" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>' +
        '<circle cx="103" cy="3" r="2" fill="#1f6feb"/></svg>',
    );
  });

  it("empty, flat, unknown or non-finite series still give a frame with finite coordinates", () => {
    for (const [w, e] of [[[], undefined], [[0, 0, 0], undefined], [[1], 0], [[Number.NaN, 2], Number.POSITIVE_INFINITY]] as const) {
      const svg = sparklineSvg(w, e, { label: "x" });
      expect(svg).toMatch(/^<svg class="spark".*<\/svg>$/);
      expect(svg).toContain('aria-label="x"');
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });
});
