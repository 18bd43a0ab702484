import { parseDay } from "../data/parse-day.ts";
import type { KpiChangeExplanation } from "../kpi/explain-kpi-change.ts";
import { dayCount, formatKpiValue } from "./format-kpis.ts";
import { alignedTable } from "./table.ts";

/** @internal Human summary of a KPI change explanation: total, parts, top contributions. */
export function formatExplanation(e: KpiChangeExplanation, top = 10): string {
  const v = (x: number | undefined): string => formatKpiValue(e.kpi, x);
  const signed = (x: number): string => `${x > 0 ? "+" : ""}${v(x)}`;
  const label = (p: KpiChangeExplanation["from"]): string => `${p.label}${p.partial ? "*" : ""}`;
  // like for like: `from` cut to the days `to` has had so far (all of it when it is shorter: a
  // February against 30 days of March read "first 30 days" until 2026-12-07)
  // `to` without data yet (the data end before it begins, read as of a later day): nothing to compare
  if (e.toDateDays === 0) return `${e.kpi}${e.by !== "company" ? ` by ${e.by}` : ""}: ${label(e.from)} -> ${label(e.to)}: ${e.to.label} has no data yet (the data end before it begins); nothing to explain`;
  const fromDays = daysOf(e.from);
  const fromLabel = e.toDateDays !== undefined ? `${label(e.from)} (first ${dayCount(fromDays)})` : label(e.from);
  const out = [
    `${e.kpi}${e.by !== "company" ? ` by ${e.by}` : ""}: ${fromLabel} ${v(e.from.value)} -> ${label(e.to)} ${v(e.to.value)} (${e.change !== undefined ? signed(e.change) : "–"})`,
    `method: ${e.method}`,
  ];
  // a partial period: the change partly measures missing days, not the business
  // (partial: the data begins inside the period or after it, a period wholly before the data is
  // partial too; "begins inside" read wrong for the latter)
  const before = (p: KpiChangeExplanation["from"]): string => `* the data begins inside or after ${p.label}: only its days from the data's first day count (an undercount, not a change in the business)`;
  if (e.from.partial) out.push(before(e.from));
  if (e.to.partial) {
    const like = e.toDateDays !== undefined ? `, against ${e.from.label}'s first ${dayCount(fromDays)} (${e.from.start} .. ${e.from.end}, like for like)` : "";
    // in progress: it ends after asOf, or on an as-of day itself in progress (asOfInProgress, the
    // CLI's today), which toDateDays says; that case read "the data begins inside or after" (a review)
    out.push(e.toDateDays !== undefined || e.to.end > e.asOf ? `* ${e.to.label} is in progress at the as-of date: only its days so far count${like}` : before(e.to));
  }
  // gross profit is not measured where no line has a cost: say why, and what can be explained
  if (e.kpi === "gross_profit" && e.change === undefined && ((e.from.value === undefined && (e.from.linesWithoutCost ?? 0) > 0) || (e.to.value === undefined && (e.to.linesWithoutCost ?? 0) > 0))) {
    out.push("not measured: no line of a period has a unit cost (try --kpi revenue)");
    return out.join("\n");
  }
  // no value on one side: nothing is decomposed (empty "parts" and "largest contributions" were printed)
  if (e.change === undefined) {
    const side = e.from.value === undefined ? e.from : e.to;
    out.push(e.toDateDays === 0 ? `nothing to explain yet: ${e.to.label} has no data so far` : e.kpi === "sku_breadth" ? `nothing to explain: ${side.label} has no active customer` : `nothing to explain: ${side.label} has no value`);
    return out.join("\n");
  }
  out.push("", "parts:");
  // parts that are rounding noise (e.g. a cost effect of 1e-12 when no cost changed) are not shown
  const scale = Math.abs(e.from.value ?? 0) + Math.abs(e.to.value ?? 0);
  const parts = Object.entries(e.parts).filter(([, x]) => Math.abs(x) > 1e-9 * scale);
  // aligned by the CLI's table (keys isolated, widths in screen columns: a Hebrew key moved the
  // numbers after it, and padEnd counted its points)
  const rows = (body: string[][], left: number): string[] => alignedTable(body[0]!.map(() => ""), body, left).slice(1).map((l) => `  ${l}`);
  // SKU breadth's parts at 2 decimals, rounded so that they add up to the change as printed (each
  // rounded alone, −0.30 −0.47 +0.47 was printed beside a change of −0.31: 11 of 33 monthly
  // explanations on the synthetic data until 2026-12-07)
  const shownParts = e.kpi === "sku_breadth" && e.change !== undefined ? addingUp(parts.map(([, x]) => x), e.change, 2) : parts.map(([, x]) => x);
  out.push(...rows([...parts.map(([k], i) => [k, signed(shownParts[i]!)]), ["residual", e.residual.toExponential(1)]], 1), "", `largest contributions${e.by !== "company" ? ` (${e.by})` : ""}:`);
  // a contribution's key: undefined for the company, null for the group of lines without a value
  const shown = e.contributions.slice(0, top).map((c) => [String(c.key === undefined ? "(company)" : (c.key ?? "(none)")), c.part, signed(c.value), c.count ? `(${c.count})` : ""]);
  if (shown.length > 0) out.push(...rows(shown, 2));
  if (e.contributions.length > top) out.push(`  ... ${e.contributions.length - top} more (--json lists them)`);
  return out.join("\n");
}

/** Days of a period of an explanation, its first and last day counted. */
function daysOf(p: KpiChangeExplanation["from"]): number {
  return parseDay(p.end) - parseDay(p.start) + 1;
}

/**
 * `values` rounded to `decimals` so that they add up to `total` rounded the same way (largest
 * remainders: the rounding gap goes, one unit of the last decimal at a time, to the values whose own
 * rounding moved them furthest the other way).
 */
function addingUp(values: readonly number[], total: number, decimals: number): number[] {
  const f = 10 ** decimals;
  // halves away from zero, as the printed numbers (Intl) round them: Math.round sent −12.5 to −12,
  // and the parts read −0.12 beside a change printed −0.13 (a review)
  const round = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));
  const units = values.map((v) => round(v * f));
  const gap = round(total * f) - units.reduce((a, b) => a + b, 0);
  // by what rounding took off, largest first (each is within ±½ unit, so |gap| < n / 2 + 1)
  const order = values.map((_, i) => i).sort((a, b) => values[b]! * f - units[b]! - (values[a]! * f - units[a]!) || a - b);
  for (let k = 0; k < Math.min(Math.abs(gap), order.length); k++) units[gap > 0 ? order[k]! : order[order.length - 1 - k]!]! += Math.sign(gap);
  return units.map((u) => u / f);
}
