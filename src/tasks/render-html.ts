import type { WeeklyBrief } from "./brief-types.ts";
import { briefView } from "./internal/brief-view.ts";
import { sparklineSvg } from "./internal/sparkline.ts";

/**
 * Escape a text for HTML content and attribute values; characters an HTML5 parser reports as
 * errors (NUL and the other controls but white space, lone surrogates, noncharacters) become
 * U+FFFD, so a name holding one still gives a valid page.
 */
function h(s: string): string {
  unsafe ??= /[\0-\x08\x0B\x0E-\x1F\x7F-\x9F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDFFF]|[\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/gu;
  return s.replace(unsafe, "\uFFFD").replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}
/** Characters an HTML5 parser reports as errors; made at the first {@link h} (a module-level /u literal is built in every bundle). */
let unsafe: RegExp | undefined;

const CSS = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f4f5f7;color:#1b1f24;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;overflow-wrap:anywhere}
main{max-width:720px;margin:0 auto;padding:16px 12px 32px}
h1{font-size:1.35em;margin:.2em 0 .1em}
h2{font-size:1.1em;margin:1.4em 0 .5em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1em;margin:0}
p{margin:.4em 0}
ul,ol{margin:.3em 0;padding-inline-start:1.2em}
a{color:#0b5cad}
.muted{color:#57606a;font-size:.9em}
.kpis{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}
.kpi{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:8px 10px;min-width:0}
.kpi b{display:block;font-size:1.15em}
.up{color:#1a7f37}.down{color:#cf222e}
.tasks{list-style:none;padding:0}
.task{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;margin:0 0 10px;min-width:0}
.task header{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center;justify-content:space-between}
.spark{display:block;direction:ltr;max-width:100%;height:auto;flex:none}
.do{font-weight:600}
.lines li{margin:.15em 0}`;

/**
 * Render a weekly brief ({@link weeklyBrief}, JSON) as one self-contained HTML page: inline CSS,
 * no scripts, no external requests (no stylesheet, font or image by URL; content links are plain
 * `<a href>`), a single column of at most 720 px that fits a 390 px phone screen without
 * horizontal scrolling. The sections are those of {@link renderBriefMarkdown}; each task carries
 * a small inline SVG sparkline of the customer's purchase days per week (the brief's `weekly`
 * series, last week ending at asOf) against its expected rhythm (a dashed line at
 * `expectedPerWeek`).
 *
 * `he` gives `<html lang="he" dir="rtl">` and he-IL formatting (Intl), `en` gives
 * `<html lang="en" dir="ltr">` and en-US. Every text is HTML-escaped; links other than http(s)
 * and mailto are shown as text. Dates are formatted in UTC, so the page does not depend on the
 * time zone. `weeklyBrief(analysis, { format: "html" })` is this function over the JSON brief.
 *
 * @param brief - a brief from {@link weeklyBrief} (or its JSON read back)
 * @returns the HTML document
 * @throws never for a brief that {@link weeklyBriefSchema} accepts
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze, fromRowsSync, renderBriefHtml, weeklyBrief } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) { // weekly on Mondays, then silent from 2026-10-12
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 5, unit_cost: 3 });
 * }
 * const { dataset } = fromRowsSync({ orders, customers: [{ customer_id: "C1", name: "<script>x</script>", rep_id: "R1" }] });
 * const analysis = analyze(dataset, { asOf: "2026-11-09" });
 * const page = renderBriefHtml(weeklyBrief(analysis, { repId: "R1", locale: "he" }));
 * assert.match(page, /^<!doctype html>\n<html lang="he" dir="rtl">/);
 * assert.ok(page.includes("&lt;script&gt;x&lt;/script&gt;") && !page.includes("<script>"));
 * assert.match(page, /<svg class="spark"/);
 * ```
 */
export function renderBriefHtml(brief: WeeklyBrief): string {
  const v = briefView(brief);
  const rtl = v.locale === "he";
  const o: string[] = [
    "<!doctype html>",
    `<html lang="${rtl ? "he" : "en"}" dir="${rtl ? "rtl" : "ltr"}">`,
    "<head>",
    '<meta charset="utf-8">',
    // nothing but its own inline style: no script, no outside resource (a page mailed or served
    // as is stays inert whatever a name holds; names are escaped as well)
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(v.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${h(v.title)}</h1>`,
  ];
  if (v.period !== undefined) o.push(`<p class="muted">${h(v.period)}</p>`);
  if (v.kpis.length > 0) {
    o.push(`<section><h2>${h(v.kpiHeading)}</h2>`, '<ul class="kpis">');
    for (const k of v.kpis) {
      const cls = k.tone > 0 ? "up" : k.tone < 0 ? "down" : "muted";
      const extra = [k.teamAverage !== undefined ? `${h(v.label("label.team_average"))}: ${h(k.teamAverage)}` : "", k.target !== undefined ? h(k.target) : ""].filter((x) => x !== "");
      // (the colour says good or bad news; where the sign says otherwise, a rising discount rate,
      // so do words: colour must not carry it alone, WCAG 1.4.1)
      const verdict = k.tone !== 0 && k.tone !== k.direction ? ` ${h(v.label(k.tone > 0 ? "label.better" : "label.worse"))}` : "";
      o.push(`<li class="kpi"><span class="muted">${h(k.label)}</span><b>${h(k.value)}</b><span class="${cls}">${h(k.change)}${verdict}</span> <span class="muted">${h(v.label("label.change"))}</span>${extra.map((x) => `<br><span class="muted">${x}</span>`).join("")}</li>`);
    }
    o.push("</ul></section>");
  }
  o.push(`<section><h2>${h(v.label("label.tasks"))}</h2>`);
  if (v.tasks.length === 0) o.push(`<p class="muted">${h(v.label("label.none"))}</p>`);
  else {
    o.push('<ol class="tasks">');
    v.tasks.forEach((t, i) => {
      o.push('<li class="task">', `<header><h3>${i + 1}. ${h(t.headline)}</h3>${sparklineSvg(t.weekly, t.expectedPerWeek, { label: h(t.sparkLabel) })}</header>`);
      o.push(`<p class="muted">${h(t.meta)}</p>`);
      if (t.actions.length > 0) o.push(`<p class="do">${h(v.label("label.action"))}: ${t.actions.map(h).join("; ")}</p>`);
      if (t.talkingPoints.length > 0) o.push(`<ul class="lines">${t.talkingPoints.map((p) => `<li>${h(p)}</li>`).join("")}</ul>`);
      if (t.offers.length > 0) o.push(`<p><strong>${h(v.label("label.offers"))}:</strong></p><ul class="lines">${t.offers.map((x) => `<li>${h(x)}</li>`).join("")}</ul>`);
      if (t.content.length > 0) o.push(`<p><strong>${h(v.label("label.content"))}:</strong> ${t.content.map((c) => (c.url !== undefined ? `<a href="${h(c.url)}">${h(c.title)}</a>` : h(c.title))).join(", ")}</p>`);
      o.push(`<p class="muted">${h(t.rhythm)}</p>`, "</li>");
    });
    o.push("</ol>");
  }
  o.push("</section>");
  const list = (heading: string, lines: readonly string[]): void => {
    if (lines.length === 0) return;
    o.push(`<section><h2>${h(v.label(heading))}</h2><ul class="lines">${lines.map((l) => `<li>${h(l)}</li>`).join("")}</ul></section>`);
  };
  list("label.signals", v.signals);
  list("label.escalations", v.escalations);
  if (v.followThrough) {
    const f = v.followThrough;
    o.push(`<section><h2>${h(v.label("label.follow_through"))}</h2><p>${h(f.summary)}</p>`);
    if (f.reps.length > 0) o.push(`<ul class="lines">${f.reps.map((l) => `<li>${h(l)}</li>`).join("")}</ul>`);
    if (f.history !== undefined) o.push(`<p class="muted">${h(f.history)}</p>`);
    o.push("</section>");
  }
  list("label.reps", v.reps);
  o.push(`<footer><p class="muted">${h(v.footer)}</p></footer>`, "</main>", "</body>", "</html>");
  return `${o.join("\n")}\n`;
}
