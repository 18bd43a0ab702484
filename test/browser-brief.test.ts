/**
 * Browser test of the HTML brief: each page is loaded into headless Chromium (Debian's `chromium`,
 * driven by playwright-core with `executablePath`) at a 390 x 844 phone viewport, and the test
 * asserts what a reader would see: every task visible, right-to-left layout for Hebrew, sparklines
 * with a non-zero rendered size, nothing wider than the screen, and no network request.
 * Screenshots go to test/artifacts/ (git-ignored).
 *
 * Chromium: `ORDERPULSE_CHROMIUM`, else /usr/bin/chromium or /usr/bin/chromium-browser. `.ci/run`
 * installs Debian's package when it is missing; under `CI=true` a missing browser fails the run,
 * locally the file is skipped with a message.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { briefFixture } from "./support/brief-fixture.ts";
import { renderBriefHtml } from "../src/tasks/render-html.ts";
import type { WeeklyBrief } from "../src/tasks/brief-types.ts";
import type { TaskLocale } from "../src/tasks/types.ts";
import { weeklyBrief } from "../src/tasks/weekly-brief.ts";

const CANDIDATES = [process.env["ORDERPULSE_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => p !== undefined && p !== "");
const executablePath = CANDIDATES.find((p) => existsSync(p));
const ARTIFACTS = join(import.meta.dirname, "artifacts");
const WIDTH = 390;
const LOCALES: readonly TaskLocale[] = ["en", "he"];

if (executablePath === undefined && process.env["CI"] !== "true") {
  console.warn(`browser-brief.test.ts skipped: no Chromium at ${CANDIDATES.join(", ")} (apt-get install chromium, or set ORDERPULSE_CHROMIUM)`);
}

describe.skipIf(executablePath === undefined && process.env["CI"] !== "true")("HTML brief in headless Chromium, 390 px phone viewport", () => {
  let browser: Browser | undefined;
  const { analysis, ranked } = briefFixture();

  /** The pages under test: rep, manager and company briefs, plus a rep brief with an unbreakable 120-character customer name. */
  function pages(locale: TaskLocale): { name: string; brief: WeeklyBrief }[] {
    const tasks = ranked[locale];
    const rep = weeklyBrief(analysis, { repId: "R01", locale, tasks });
    const long = { ...rep, tasks: rep.tasks.map((t, i) => (i === 0 ? { ...t, customerName: "X".repeat(120), headline: t.headline.replace(t.customerName ?? "", "X".repeat(120)) } : t)) };
    return [
      { name: "rep-R01", brief: rep },
      { name: "manager-M01", brief: weeklyBrief(analysis, { managerId: "M01", topTasks: 5, locale, tasks }) },
      { name: "company", brief: weeklyBrief(analysis, { locale, tasks }) },
      { name: "rep-R01-long-name", brief: long },
    ];
  }

  beforeAll(async () => {
    if (executablePath === undefined) throw new Error(`CI=true but no Chromium at ${CANDIDATES.join(", ")}: .ci/run installs Debian's chromium with apt-get when it is missing`);
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string): Promise<{ page: Page; requests: string[] }> {
    const context = await browser!.newContext({ viewport: { width: WIDTH, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("data:") && r.url() !== "about:blank") requests.push(r.url());
    });
    await page.setContent(html, { waitUntil: "load" });
    return { page, requests };
  }

  for (const locale of LOCALES) {
    it(`${locale}: every task visible, ${locale === "he" ? "right-to-left" : "left-to-right"}, sparklines drawn, nothing wider than ${WIDTH} px, no request`, async () => {
      for (const { name, brief } of pages(locale)) {
        const { page, requests } = await open(renderBriefHtml(brief));
        try {
          const where = `${name}.${locale}`;
          // direction and language as computed by the browser, not as written in the markup
          const dir = await page.evaluate(() => ({ lang: document.documentElement.lang, direction: getComputedStyle(document.body).direction }));
          expect(dir, where).toEqual({ lang: locale, direction: locale === "he" ? "rtl" : "ltr" });

          // every task of the brief is a visible card with its headline
          const tasks = page.locator("li.task");
          expect(await tasks.count(), where).toBe(brief.tasks.length);
          for (let i = 0; i < brief.tasks.length; i++) {
            const card = tasks.nth(i);
            expect(await card.isVisible(), `${where} task ${i + 1}`).toBe(true);
            const h3 = card.locator("h3");
            expect(await h3.isVisible(), `${where} task ${i + 1}`).toBe(true);
            // the headline's escaped text is what the reader sees (first 20 characters: wrapping may split the rest)
            expect((await h3.innerText()).replace(/\s+/g, " "), where).toContain(brief.tasks[i]!.headline.slice(0, 20));
          }

          // Hebrew text starts at the right edge of its box, English at the left
          const edges = await page.evaluate(() => {
            const h = document.querySelector("h1")!;
            const range = document.createRange();
            range.selectNodeContents(h);
            // the first line: bidi runs are separate rects, so take the line's extent
            const rects = Array.from(range.getClientRects());
            const top = Math.min(...rects.map((r) => r.top));
            const line = rects.filter((r) => r.top < top + 1);
            const box = h.getBoundingClientRect();
            return { textLeft: Math.min(...line.map((r) => r.left)) - box.left, textRight: box.right - Math.max(...line.map((r) => r.right)) };
          });
          if (locale === "he") expect(edges.textRight, where).toBeLessThan(2);
          else expect(edges.textLeft, where).toBeLessThan(2);

          // sparklines: one per task, rendered with a non-zero size inside the viewport
          const sparks = await page.locator("svg.spark").evaluateAll((els) => els.map((e) => {
            const r = e.getBoundingClientRect();
            return { width: r.width, height: r.height, visible: getComputedStyle(e).visibility !== "hidden" && getComputedStyle(e).display !== "none" };
          }));
          expect(sparks.length, where).toBe(brief.tasks.length);
          for (const s of sparks) {
            expect(s.visible, where).toBe(true);
            expect(s.width, where).toBeGreaterThan(10);
            expect(s.height, where).toBeGreaterThan(5);
          }

          // no horizontal scrolling, and no element box reaching past either edge of the screen
          const overflow = await page.evaluate((width) => {
            const out: string[] = [];
            const doc = document.documentElement;
            if (doc.scrollWidth > width) out.push(`document scrollWidth ${doc.scrollWidth}`);
            for (const el of Array.from(document.body.querySelectorAll("*"))) {
              const r = el.getBoundingClientRect();
              if (r.width === 0 && r.height === 0) continue;
              if (r.right > width + 0.5 || r.left < -0.5) out.push(`${el.tagName.toLowerCase()}.${el.className || ""} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
            }
            return out;
          }, WIDTH);
          expect(overflow, where).toEqual([]);

          expect(requests, where).toEqual([]);
          await page.screenshot({ path: join(ARTIFACTS, `brief-${where}.png`), fullPage: true });
        } finally {
          await page.context().close();
        }
      }
    });
  }
});
