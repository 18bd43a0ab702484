import { describe, expect, it } from "vitest";
import { everyDay, signedIn } from "./bidi.ts";

describe("signedIn and everyDay (review 2026-12-06)", () => {
  it("a negative number keeps its minus before it: U+2212, in Hebrew led by a left-to-right mark", () => {
    expect([signedIn("en", "-400"), signedIn("he", "-3.5"), signedIn("he", "12"), signedIn("en", "0")]).toEqual(["−400", "\u200E−3.5", "12", "0"]);
  });
  it("'every 1 days' reads 'every day', in Hebrew too; other counts as they are", () => {
    expect(everyDay("Ordered every 1 days until 2026-02-26; every 3 days since")).toBe("Ordered every day until 2026-02-26; every 3 days since");
    expect(everyDay("הזמין כל 1 ימים עד 2026-02-26; מאז כל 3 ימים")).toBe("הזמין כל יום עד 2026-02-26; מאז כל 3 ימים");
    expect(everyDay("every 11 days; every 1±1 days")).toBe("every 11 days; every 1±1 days");
    // a deal one day in its stage (review 2026-12-07: "for 1 days", "כבר 1 ימים")
    expect(everyDay("Deal D1 has been in qualified for 1 days (usually 11)")).toBe("Deal D1 has been in qualified for 1 day (usually 11)");
    expect(everyDay("העסקה D1 בשלב מוסמך כבר 1 ימים")).toBe("העסקה D1 בשלב מוסמך כבר יום אחד");
    expect(everyDay("for 11 days")).toBe("for 11 days");
  });
});
