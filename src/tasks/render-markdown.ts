import type { WeeklyBrief } from "./brief-types.ts";
import { briefView } from "./internal/brief-view.ts";

/**
 * Backslash-escape the Markdown punctuation of a text (names and messages are data, not markup):
 * inline marks, `&` (an entity such as `&copy;` would be decoded), any line break (a lone CR too),
 * a leading list or heading marker (`- `, `+ `, `1. `: the text often starts a list item), and
 * what renderers turn into links (the `:` of `://`, `@`, a dot inside a word: `www.x.com`).
 */
function md(s: string): string {
  return s
    .replace(/[\\`*_[\]<>|~#&@]/g, (c) => `\\${c}`)
    // no autolinks out of data: a URL, "www." or a bare domain in a name became a live link under
    // GFM and linkify renderers (review 2026-12-07); escaped, the renderer shows the same text
    .replace(/:(?=\/\/)/g, "\\:")
    .replace(/([\p{L}\p{M}-]\.)(?=[\p{L}\p{N}])|(\p{N}\.)(?=\p{L})/gu, (m) => `${m.slice(0, -1)}\\.`)
    .replace(/\r\n?|[\n\v\f\u0085\u2028\u2029]/g, " ")
    .replace(/^(\s*)([-+])(?=\s|$)/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, "$1\\$2");
}

/**
 * Render a weekly brief ({@link weeklyBrief}, JSON) as Markdown for email or Slack, in the
 * brief's locale: the title and KPI period; "where you stand" (a rep: own KPIs against last
 * period, the team average and the target) or the team KPIs (a manager, the company); the ranked
 * tasks, each with its value, suggested actions, talking points, offers with prices, content
 * links and the customer's last and next expected order; business-level signals; escalations;
 * last week's follow-through with per-rep rates; and (managers, company) one line per rep.
 *
 * Numbers, money and dates are formatted with Intl: `en` as en-US, `he` as he-IL; money carries
 * the brief's currency when it is an ISO 4217 code, else it is a plain grouped number. Dates are
 * days formatted in UTC, so the output does not depend on the time zone. Every name and message
 * is escaped (backslashes before Markdown punctuation); links other than http(s) and mailto are
 * left out. `weeklyBrief(analysis, { format: "markdown" })` is this function over the JSON brief.
 *
 * @param brief - a brief from {@link weeklyBrief} (or its JSON read back)
 * @returns the Markdown text, ending with a newline
 * @throws never for a brief that {@link weeklyBriefSchema} accepts
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze, fromRowsSync, renderBriefMarkdown, weeklyBrief } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) { // weekly on Mondays, then silent from 2026-10-12
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 5, unit_cost: 3 });
 * }
 * const { dataset } = fromRowsSync({ orders, customers: [{ customer_id: "C1", name: "Cafe *Roma*", rep_id: "R1" }] });
 * const analysis = analyze(dataset, { asOf: "2026-11-09" });
 * const text = renderBriefMarkdown(weeklyBrief(analysis, { repId: "R1" }));
 * assert.match(text, /^# Weekly brief for R1, Nov 9, 2026$/m);
 * assert.match(text, /Cafe \\\*Roma\\\*: Customer at risk/);
 * assert.equal(weeklyBrief(analysis, { repId: "R1", format: "markdown" }), text);
 * ```
 */
export function renderBriefMarkdown(brief: WeeklyBrief): string {
  const v = briefView(brief);
  const out: string[] = [`# ${md(v.title)}`, ""];
  if (v.period !== undefined) out.push(`_${md(v.period)}_`, "");
  if (v.kpis.length > 0) {
    out.push(`## ${md(v.kpiHeading)}`, "");
    for (const k of v.kpis) out.push(`- ${md(k.text)}`);
    out.push("");
  }
  out.push(`## ${md(v.label("label.tasks"))}`, "");
  if (v.tasks.length === 0) out.push(md(v.label("label.none")), "");
  v.tasks.forEach((t, i) => {
    out.push(`### ${i + 1}. ${md(t.headline)}`, "", `_${md(t.meta)}_`, "");
    if (t.actions.length > 0) out.push(`**${md(v.label("label.action"))}:** ${t.actions.map(md).join("; ")}`, "");
    for (const p of t.talkingPoints) out.push(`- ${md(p)}`);
    if (t.talkingPoints.length > 0) out.push("");
    if (t.offers.length > 0) {
      out.push(`**${md(v.label("label.offers"))}:**`, "");
      for (const o of t.offers) out.push(`- ${md(o)}`);
      out.push("");
    }
    if (t.content.length > 0) out.push(`**${md(v.label("label.content"))}:** ${t.content.map((c) => (c.url !== undefined ? `[${md(c.title)}](<${c.url.replace(/[<>\s\\]/g, encodeURIComponent)}>)` : md(c.title))).join(", ")}`, "");
    out.push(`_${md(t.rhythm)}_`, "");
  });
  const list = (heading: string, lines: readonly string[]): void => {
    if (lines.length === 0) return;
    out.push(`## ${md(v.label(heading))}`, "");
    for (const l of lines) out.push(`- ${md(l)}`);
    out.push("");
  };
  list("label.signals", v.signals);
  list("label.escalations", v.escalations);
  if (v.followThrough) {
    out.push(`## ${md(v.label("label.follow_through"))}`, "", md(v.followThrough.summary), "");
    for (const l of v.followThrough.reps) out.push(`- ${md(l)}`);
    if (v.followThrough.reps.length > 0) out.push("");
    if (v.followThrough.history !== undefined) out.push(md(v.followThrough.history), "");
  }
  list("label.reps", v.reps);
  out.push("---", "", `_${md(v.footer)}_`);
  return `${out.join("\n")}\n`;
}
