import { describe, expect, it } from "vitest";
import { briefFixture, golden, HOSTILE_NAME } from "../../test/support/brief-fixture.ts";
import { renderBriefHtml } from "./render-html.ts";
import type { TaskLocale } from "./types.ts";
import { weeklyBrief } from "./weekly-brief.ts";

const LOCALES: readonly TaskLocale[] = ["en", "he"];

describe("renderBriefHtml", () => {
  const { analysis, ranked } = briefFixture();

  for (const locale of LOCALES) {
    it(`golden files ${locale}: rep R01 and manager M01 (UPDATE_GOLDEN=1 rewrites them)`, () => {
      const rep = weeklyBrief(analysis, { repId: "R01", locale, tasks: ranked[locale], format: "html" });
      expect(rep).toBe(golden(`rep-R01.${locale}.html`, rep));
      const manager = weeklyBrief(analysis, { managerId: "M01", topTasks: 5, locale, tasks: ranked[locale], format: "html" });
      expect(manager).toBe(golden(`manager-M01.${locale}.html`, manager));
    });
  }

  it("one self-contained page: inline CSS, no scripts, no external requests, phone viewport", () => {
    for (const locale of LOCALES) {
      for (const options of [{ repId: "R01" }, { managerId: "M01" }, {}]) {
        const page = weeklyBrief(analysis, { ...options, locale, tasks: ranked[locale], format: "html" });
        expect(page).toMatch(/^<!doctype html>\n/);
        expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
        // a Content-Security-Policy that allows nothing but the inline style
        expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
        expect(page).toMatch(/<style>[^<]*max-width:720px/);
        expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
        // the only URLs are content links and the SVG namespace
        const urls = [...page.matchAll(/https?:\/\/[^"'\s<)]+/g)].map((m) => m[0]);
        for (const u of urls) expect(u === "http://www.w3.org/2000/svg" || u.startsWith("https://content.example.com/"), u).toBe(true);
        expect(page.match(/<section>/g)?.length).toBe(page.match(/<\/section>/g)?.length);
      }
    }
  });

  it("every task has a sparkline of its weekly orders against the expected rhythm", () => {
    const brief = weeklyBrief(analysis, { repId: "R01", tasks: ranked.en });
    const page = renderBriefHtml(brief);
    const sparks = [...page.matchAll(/<svg class="spark"[^>]*width="(\d+)" height="(\d+)"[^>]*>(.*?)<\/svg>/g)];
    expect(sparks.length).toBe(brief.tasks.length);
    expect(sparks.length).toBeGreaterThan(0);
    for (const [, w, h, body] of sparks) {
      expect(Number(w)).toBeGreaterThan(0);
      expect(Number(h)).toBeGreaterThan(0);
      expect(body).toMatch(/<polyline points="[\d., ]+"/);
    }
    const first = brief.tasks[0]!;
    expect(sparks[0]![3]!.match(/<polyline points="([^"]+)"/)![1]!.split(" ").length).toBe(first.weekly.length);
    if (first.expectedPerWeek !== undefined) expect(sparks[0]![3]).toContain('stroke-dasharray="3 2"');
  });

  it("escapes every text: a customer named with <script> stays text", () => {
    const page = weeklyBrief(analysis, { repId: "R01", tasks: ranked.en, format: "html" });
    expect(page).not.toContain(HOSTILE_NAME);
    expect(page).not.toContain("<script");
    expect(page).toContain("Park &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; *Bridge* [Canteen]");
    // a javascript: link is not a link
    const brief = weeklyBrief(analysis, { repId: "R01", tasks: ranked.en });
    const t = brief.tasks[0]!;
    const evil = { ...brief, tasks: [{ ...t, content: [{ contentId: "X", title: "x", url: "javascript:alert(1)", match: "segment" as const }] }] };
    expect(renderBriefHtml(evil)).not.toContain("javascript:");
    // a name with NUL, controls, a noncharacter or a lone surrogate: U+FFFD, so the page stays
    // valid HTML5 (review 2026-12-06: they reached the page as they were)
    const odd = { ...brief, tasks: [{ ...t, customerName: "Cafe\u0000Roma\u0001\u0085\uFFFF\uD800 😀" }] };
    const html = renderBriefHtml(odd);
    expect(html).toContain("Cafe\uFFFDRoma\uFFFD\uFFFD\uFFFD\uFFFD 😀");
    expect(/[\0\x01\x85\uFFFF]|[\uD800-\uDFFF]/u.test(html)).toBe(false);
  });

  it("Hebrew: lang he, dir rtl, he-IL dates; English: lang en, dir ltr", () => {
    const he = weeklyBrief(analysis, { repId: "R01", locale: "he", tasks: ranked.he, format: "html" });
    expect(he).toMatch(/^<!doctype html>\n<html lang="he" dir="rtl">/);
    expect(he).toContain("<h1>סיכום שבועי עבור \u2068Ben Stone\u2069, 5 באוק׳ 2026</h1>"); // the Latin name isolated for RTL layout
    const en = weeklyBrief(analysis, { repId: "R01", tasks: ranked.en, format: "html" });
    expect(en).toMatch(/^<!doctype html>\n<html lang="en" dir="ltr">/);
    expect(en).toContain("<h1>Weekly brief for Ben Stone, Oct 5, 2026</h1>");
  });
});
