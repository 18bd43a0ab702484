import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moneyText, say, taskKindKey, taskMessages } from "./messages.ts";
import type { TaskComponent } from "./types.ts";

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

describe("task messages", () => {
  it("every key has both languages with the same placeholders", () => {
    for (const [key, m] of Object.entries(taskMessages)) {
      expect(m.en.trim().length, `${key} en`).toBeGreaterThan(0);
      expect(m.he.trim().length, `${key} he`).toBeGreaterThan(0);
      expect(placeholders(m.he), key).toEqual(placeholders(m.en));
      if (m.en !== m.he && /[a-z]{3}/i.test(m.en.replace(/\{\w+\}/g, ""))) expect(/[\u0590-\u05FF]/.test(m.he), `${key} he is Hebrew`).toBe(true);
    }
  });

  it("every key the code uses exists (literal keys in src/tasks and src/analyze.ts, and the dynamic families)", () => {
    const files = [...sources(join(import.meta.dirname)), join(import.meta.dirname, "..", "analyze.ts")];
    const used = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(f, "utf8").matchAll(/["`]((?:tp|action|kind|kpi|seg|group|ft|esc|title|label|unit|task)\.[a-z_]+)["`]/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(20);
    for (const k of ["churn", "item", "pipeline", "cross_sell", "reorder"]) used.add(`kind.${k}`);
    for (const k of ["cross_sell", "repurchase", "winback", "seasonal", "customer_overdue", "frequency_drop", "diversity_drop", "item_dropped", "item_volume_drop"]) used.add(`tp.${k}`);
    for (const k of ["revenue", "gross_profit", "margin", "active_customers", "discount_rate"]) used.add(`kpi.${k}`);
    const missing = [...used].filter((k) => taskMessages[k] === undefined);
    expect(missing).toEqual([]);
  });

  it("a churn task overdue beyond the win-back half-life (reachable < 0.5) is a lost customer to win back", () => {
    const churn = (reachable: number): TaskComponent => ({ id: "s", source: "signal", type: "customer_overdue", customerId: "C1", productId: undefined, value: 1, formula: "", inputs: { reachable }, counted: true });
    expect(taskKindKey({ kind: "churn", components: [churn(0.6)] })).toBe("kind.churn");
    expect(taskKindKey({ kind: "churn", components: [churn(0.4)] })).toBe("kind.churn_lost");
    expect(taskKindKey({ kind: "item", components: [churn(0.4)] })).toBe("kind.item");
    expect(say("en", taskKindKey({ kind: "churn", components: [churn(0.1)] }), {})).toBe("Win back a lost customer");
  });

  it("renders in both languages; a missing key or parameter throws", () => {
    expect(say("en", "ft.summary", { done: 3, shown: 5, date: "2026-10-24", rate: 60 })).toBe("3 of 5 tasks from 2026-10-24 done (60%)");
    expect(say("he", "ft.summary", { done: 3, shown: 5, date: "2026-10-24", rate: 60 })).toBe("3 מתוך 5 משימות מ-2026-10-24 בוצעו (60%)");
    expect(() => say("en", "nope", {})).toThrow();
    expect(() => say("en", "ft.summary", {})).toThrow();
    // a {stage} placeholder holding a deal stage is written in the locale; any other value as is
    expect(say("he", "seg.pipeline_stall", { rep: "R1", stuck: 3, stage: "proposal", since: "x" })).toBe("הנציג \u2068R1\u2069: 3 עסקאות תקועות בשלב הצעת מחיר מאז \u2068x\u2069");
    // Hebrew: a parameter with Latin letters is isolated (U+2068 … U+2069) so RTL layout keeps "ACME Ltd." whole; Hebrew and numbers are not
    expect(say("he", "esc.line_no_rep", { customer: "ACME Ltd.", days: 12, value: "1,200" })).toBe("\u2068ACME Ltd.\u2069: פתוח 12 ימים, 1,200 על הכף");
    expect(say("he", "esc.line_no_rep", { customer: "קפה רומא", days: 12, value: "1,200" })).toBe("קפה רומא: פתוח 12 ימים, 1,200 על הכף");
    expect(say("en", "esc.line_no_rep", { customer: "ACME Ltd.", days: 12, value: "1,200" })).toBe("ACME Ltd.: open for 12 days, 1,200 at stake");
    expect(say("en", "seg.pipeline_stall", { rep: "R1", stuck: 3, stage: "proposal", since: "x" })).toBe("Rep R1: 3 deals stuck in proposal since x");
    expect(say("he", "seg.pipeline_stall", { rep: "R1", stuck: 3, stage: "custom", since: "x" })).toContain("בשלב custom מאז");
    expect(say("he", "seg.pipeline_stall", { rep: "R1", stuck: 3, stage: "toString", since: "x" })).toContain("בשלב toString מאז");
    // "every 1 days" reads "every day" where the number is the template's; a name keeps its words (review 2026-12-07)
    expect(say("en", "tp.customer_overdue", { days: 5, gap: 1, value: "300" })).toBe("No order for 5 days; usually every day. About 300 of margin a year at risk");
    expect(say("he", "tp.customer_overdue", { days: 5, gap: 1, value: "300" })).toContain("בדרך כלל כל יום.");
    expect(say("en", "esc.line_no_rep", { customer: "Fresh every 1 days Bakery", days: 12, value: "1,200" })).toBe("Fresh every 1 days Bakery: open for 12 days, 1,200 at stake");
    expect(say("he", "esc.line_no_rep", { customer: "מאפה כל 1 ימים", days: 12, value: "1,200" })).toBe("מאפה כל 1 ימים: פתוח 12 ימים, 1,200 על הכף");
    expect(moneyText("en", 1234567.4)).toBe("1,234,567");
    expect(moneyText("he", 1234.5, 2)).toBe("1,234.50");
  });
});

describe("names in English texts", () => {
  it("a name with right-to-left letters or bidi controls is isolated (an unclosed U+202E reversed the rest of the headline, the amount with it); plain names as they are", () => {
    const head = (customer: string): string => say("en", "task.headline", { customer, kind: "Win back", value: "$252" });
    expect(head("Cafe Roma")).toBe("Cafe Roma: Win back, $252 at stake");
    expect(head("Evil \u202ECo")).toBe("\u2068Evil \u202ECo\u2069: Win back, $252 at stake");
    expect(head("קפה נחת")).toBe("\u2068קפה נחת\u2069: Win back, $252 at stake");
  });
});

