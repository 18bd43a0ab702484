import { describe, expect, it } from "vitest";
import { briefFixture, golden, HOSTILE_NAME } from "../../test/support/brief-fixture.ts";
import { renderBriefMarkdown } from "./render-markdown.ts";
import type { TaskLocale } from "./types.ts";
import { weeklyBrief } from "./weekly-brief.ts";

const LOCALES: readonly TaskLocale[] = ["en", "he"];
const WHO = [
  { name: "rep-R01", options: { repId: "R01" } },
  { name: "manager-M01", options: { managerId: "M01", topTasks: 5 } },
] as const;

describe("weeklyBrief golden files (seed 1, 60 customers, asOf 2026-10-05; UPDATE_GOLDEN=1 rewrites them)", () => {
  const { analysis, ranked } = briefFixture();
  for (const locale of LOCALES) {
    for (const w of WHO) {
      it(`${w.name} ${locale}: JSON and Markdown`, () => {
        const json = `${JSON.stringify(weeklyBrief(analysis, { ...w.options, locale, tasks: ranked[locale] }), null, 2)}\n`;
        expect(json).toBe(golden(`${w.name}.${locale}.json`, json));
        const text = weeklyBrief(analysis, { ...w.options, locale, tasks: ranked[locale], format: "markdown" });
        expect(text).toBe(golden(`${w.name}.${locale}.md`, text));
      });
    }
  }
});

describe("renderBriefMarkdown", () => {
  const { analysis, ranked } = briefFixture();

  it("is weeklyBrief's markdown format, from the brief or its JSON read back", () => {
    const brief = weeklyBrief(analysis, { repId: "R01", tasks: ranked.en });
    const text = renderBriefMarkdown(brief);
    expect(weeklyBrief(analysis, { repId: "R01", tasks: ranked.en, format: "markdown" })).toBe(text);
    expect(renderBriefMarkdown(JSON.parse(JSON.stringify(brief)))).toBe(text);
  });

  it("rep brief: where I stand (vs last period, team average, target), tasks with value, action, talking points, offers with prices, content links", () => {
    const text = weeklyBrief(analysis, { repId: "R01", tasks: ranked.en, format: "markdown" });
    expect(text).toMatch(/^# Weekly brief for Ben Stone, Oct 5, 2026\n/);
    expect(text).toContain("## Where you stand");
    expect(text).toMatch(/^- Revenue: \$[\d,]+ \([+−][\d.]+% vs last period\); team average \$[\d,]+; target (\d{4}-\d\d) \$[\d,]+: \$[\d,]+ so far = \d+% with \d+% of \1 gone$/m);
    expect(text).toMatch(/^### 1\. .+ at stake$/m);
    expect(text).toMatch(/^\*\*Do:\*\* /m);
    expect(text).toMatch(/^- .+: [\d.]+ at \$[\d.]+ \(list price \$[\d.]+\)$/m);
    expect(text).toMatch(/\[[^\]]+\]\(<https:\/\/content\.example\.com\/[^>]+>\)/);
    expect(text).toContain("## Last week's tasks");
    const n = ranked.en.tasks.filter((t) => t.repId === "R01").length;
    expect((text.match(/^### \d+\. /gm) ?? []).length).toBe(n);
  });

  it("manager brief: team KPIs, top tasks with their rep, follow-through per rep, one line per rep", () => {
    const text = weeklyBrief(analysis, { managerId: "M01", tasks: ranked.en, format: "markdown" });
    expect(text).toContain("## Team KPIs");
    expect(text).toMatch(/^_Rep R0\d · /m);
    expect(text).toMatch(/^- R01: \d+ of \d+ done \(\d+%\)$/m);
    expect(text).toMatch(/^- Ben Stone \(R01\): \d+ tasks, \$[\d,]+ at stake; revenue \$[\d,]+/m);
  });

  it("escapes names: no raw markup or Markdown emphasis from data", () => {
    const text = weeklyBrief(analysis, { repId: "R01", tasks: ranked.en, format: "markdown" });
    expect(text).not.toContain(HOSTILE_NAME);
    expect(text).not.toContain("<script>");
    expect(text).toContain(String.raw`Park \<script\>alert("x")\</script\> \& \*Bridge\* \[Canteen\]`);
  });

  it("escapes what would make a name markup where it starts a line: list markers, entities, a lone CR", () => {
    const brief = weeklyBrief(analysis, { managerId: "M01", tasks: ranked.en });
    const named = (name: string) => ({ ...brief, reps: brief.reps.map((r) => (r.repId === "R01" ? { ...r, name } : r)) });
    const line = (name: string): string => renderBriefMarkdown(named(name)).split("\n").find((l) => l.includes("(R01)"))!;
    expect(line("1. Ron")).toMatch(/^- 1\\\. Ron \(R01\): /); // not a nested ordered list
    expect(line("- Dana")).toMatch(/^- \\- Dana \(R01\): /); // not a nested list
    expect(line("Tom &amp; Jerry &copy;")).toContain(String.raw`Tom \&amp; Jerry \&copy; (R01)`); // shown as typed, not decoded
    expect(line("Foo\rBar")).toContain("Foo Bar (R01)"); // a lone CR breaks no line
    // nor a Unicode line or paragraph separator, a form feed or NEL (review 2026-12-07: marked turned the next heading into a paragraph)
    for (const sep of ["\u2028", "\u2029", "\f", "\v", "\u0085"]) expect(line(`Foo${sep}Bar`)).toContain("Foo Bar (R01)");
    expect(line("3.5 Stars")).toContain("- 3.5 Stars (R01)"); // a number is not a list marker
    // nothing a GFM or linkify renderer makes a link of (review 2026-12-07: a URL in a name was a live link in the emailed brief)
    expect(line("Shop http://evil.example/x www.x.com ann@shop.example shop.example")).toContain(String.raw`Shop http\://evil\.example/x www\.x\.com ann\@shop\.example shop\.example (R01)`);
    expect(line("Ltd. 12.40 v2.5")).toContain("Ltd. 12.40 v2.5 (R01)"); // decimals and a closing dot as they are
    expect(line("Café.com שלום.com")).toContain(String.raw`Café\.com שלום\.com (R01)`); // any script's letters (self-review: ASCII only)
  });

  it("Hebrew: he-IL dates and currency, Hebrew headings", () => {
    const text = weeklyBrief(analysis, { repId: "R01", locale: "he", tasks: ranked.he, format: "markdown" });
    expect(text).toMatch(/^# סיכום שבועי עבור \u2068Ben Stone\u2069, 5 באוק׳ 2026\n/);
    expect(text).toContain("## איפה אתה עומד");
    expect(text).toMatch(/\u200f[\d,]+\u00a0\u200f\$/); // he-IL currency: number then symbol, with RLM marks
  });
});

describe("renderBriefMarkdown: names that look like days", () => {
  it("a product named 2026-01-05 keeps its name (only date params are shown as dates)", () => {
    const { analysis, ranked } = briefFixture();
    const b = structuredClone(weeklyBrief(analysis, { repId: "R01", tasks: ranked.en }));
    const point = b.tasks.flatMap((t) => t.talkingPoints).find((p) => typeof p.params["product"] === "string");
    expect(point).toBeDefined();
    (point!.params as Record<string, unknown>)["product"] = "2026-01-05";
    const md = renderBriefMarkdown(b);
    expect(md).toContain("2026-01-05");
    expect(md).not.toContain("Jan 5, 2026");
  });
});
