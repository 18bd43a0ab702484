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

  it("accessible (WCAG 2.1): the sparkline's label says what it draws, never 'expected 0' for a positive rate; the dashed line has 3:1 contrast; a KPI's verdict is in words where the sign says otherwise", () => {
    const brief = weeklyBrief(analysis, { repId: "R01", tasks: ranked.en });
    const task = brief.tasks[0]!;
    const weekly = Array.from({ length: 26 }, (_, i) => (i === 3 || i === 10 ? 1 : 0));
    const page = renderBriefHtml({ ...brief, tasks: [{ ...task, weekly, expectedPerWeek: 7 / 362 }, { ...task, weekly: weekly.map(() => 0), expectedPerWeek: undefined }] });
    const labels = [...page.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]);
    expect(labels).toEqual(["Order days per week, last 26 weeks: 2 in all, the latest in week 11 of 26; dashed: expected 0.019 a week", "Order days per week, last 26 weeks: none"]);
    // no dashed line is drawn for a rate of 0: none named; a tiny rate is never "0"
    const edge = renderBriefHtml({ ...brief, tasks: [{ ...task, weekly, expectedPerWeek: 0 }, { ...task, weekly, expectedPerWeek: 1e-9 }] });
    expect([...edge.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]!.split("; ")[1])).toEqual([undefined, "dashed: expected 0.000000001 a week"]);
    const he = renderBriefHtml({ ...weeklyBrief(analysis, { repId: "R01", tasks: ranked.he, locale: "he" }), tasks: [{ ...task, weekly, expectedPerWeek: 0.3 }] });
    expect(he).toContain('aria-label="ימי הזמנה בשבוע, 26 השבועות האחרונים: 2 בסך הכול, האחרון בשבוע 11 מתוך 26; מקווקו: צפוי 0.3 בשבוע"');
    // the dashed line: #6e7781 on white is 4.6:1 (WCAG 1.4.11 asks 3:1 of a graphic's meaning-bearing parts)
    const lum = (hex: string): number => {
      const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    const dash = /stroke="(#[0-9a-f]{6})" stroke-width="1" stroke-dasharray/.exec(page)![1]!;
    expect((1 + 0.05) / (lum(dash) + 0.05)).toBeGreaterThanOrEqual(3);
    // a falling discount rate is good news in green, and says so; a rising revenue needs no word
    const kpis = renderBriefHtml(brief).match(/<ul class="kpis">.*?<\/ul>/s)![0];
    expect(kpis).toMatch(/Discount rate<\/span><b>[^<]+<\/b><span class="up">−[\d.]+ pp \(better\)<\/span>/);
    expect(kpis).not.toMatch(/Revenue<\/span><b>[^<]+<\/b><span class="\w+">[^<]*\((better|worse)\)/);
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
