import { describe, expect, it } from "vitest";
import { zoneDay } from "./zone.ts";

describe("zoneDay", () => {
  it("a bounded mapper gives the same days as an unbounded one past its bound (its cache starts over; review 2026-12-07: it grew forever)", () => {
    const bounded = zoneDay("Asia/Jerusalem", 8);
    const free = zoneDay("Asia/Jerusalem");
    // instants every 15 minutes over 3 days across the spring change (2026-03-27), then back again
    const t0 = Date.UTC(2026, 2, 26);
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < 3 * 96; k++) {
        const t = t0 + k * 900_000 + 123_000;
        expect(bounded(t)).toBe(free(t));
      }
    }
    // 2026-03-26 22:30 UTC is 00:30 on the 27th in Jerusalem (UTC+2)
    expect(bounded(Date.UTC(2026, 2, 26, 22, 30))).toBe(Math.floor(Date.UTC(2026, 2, 27) / 86_400_000));
  });
});
