import type { ChurnProfile } from "../kpi/churn-profile.ts";
import type { CustomerProfitabilityRow } from "../kpi/customer-profitability.ts";
import type { OrderPaceRow } from "../kpi/order-pace.ts";
import type { TargetProgressRow } from "../kpi/target-progress.ts";
import type { WhiteSpaceResult } from "../kpi/white-space.ts";
import { alignedTable, num, pct } from "./table.ts";

/** @internal Churn profile: what churned customers have in common. */
export function formatChurnProfile(p: ChurnProfile): string {
  const body = p.factors.map((f) => [f.dimension, f.value ?? "(none)", num(f.churned), num(f.base), pct(f.shareChurned), pct(f.shareBase), num(f.lift, 2), pct(f.churnRate)]);
  return [
    `churn profile ${p.from} .. ${p.to}${p.censored ? " (censored)" : ""}${p.partial ? " (partial: the data begin inside the history it needs, so it counts too few)" : ""}: ${num(p.churned)} churned of ${num(p.base)} at risk; ranked by lift`,
    ...alignedTable(["dimension", "value", "churned", "base", "share churned", "share base", "lift", "churn rate"], body, 2),
  ].join("\n");
}

/** @internal White space: flagged gaps vs peers, then the unsold catalogue. */
export function formatWhiteSpace(w: WhiteSpaceResult, top = 25): string {
  const flagged = w.rows.filter((r) => r.flagged).sort((a, b) => (b.opportunity ?? 0) - (a.opportunity ?? 0));
  const body = flagged.slice(0, top).map((r) => [r.key ?? "(none)", r.item, `${num(r.buyers)}/${num(r.customers)}`, pct(r.share), pct(r.peerShare), num(r.opportunity, 1)]);
  const out = [
    `white space by ${w.by} and ${w.level}, ${w.start} .. ${w.end}: ${flagged.length} gaps (peers' share >= ${pct(w.minPeerShare)}, own <= ${num(w.maxRatio, 2)} x peers')`,
    ...alignedTable([w.by, w.level, "buyers", "own share", "peers' share", "opportunity"], body, 2),
  ];
  if (flagged.length > top) out.push(`... ${flagged.length - top} more (--json lists them)`);
  out.push(`unsold in the window: ${w.unsoldProducts.length} products${w.unsoldFamilies.length ? `, families ${w.unsoldFamilies.join(", ")}` : ""}`);
  return out.join("\n");
}

/** @internal Customer profitability with ABC classes. */
export function formatProfitability(rows: readonly CustomerProfitabilityRow[], top = 20): string {
  const classes = new Map<string, number>();
  for (const r of rows) classes.set(r.class, (classes.get(r.class) ?? 0) + 1);
  if (rows.length === 0) return "customer profitability: no customer with a line in the window";
  const body = rows.slice(0, top).map((r) => [String(r.rank), r.customerId, r.repId ?? "(none)", r.class, num(r.revenue), num(r.grossProfit), pct(r.margin), pct(r.cumulativeShare)]);
  const byRevenue = rows[0]?.basis === "revenue";
  const out = [
    `customer profitability: ${[...classes].sort().map(([k, n]) => `${k} ${num(n)}`).join(", ")}${byRevenue ? " (ABC by revenue: the data has no unit costs)" : ""}`,
    ...alignedTable(["rank", "customer", "rep", "class", "revenue", "gross profit", "margin", "cumulative"], body, 3),
  ];
  if (rows.length > top) out.push(`... ${rows.length - top} more (--json lists them)`);
  return out.join("\n");
}

/** @internal Targets: actual vs target per rep and period. */
export function formatTargets(rows: readonly TargetProgressRow[]): string {
  if (rows.length === 0) return "targets: none in the data (targets.csv)";
  const body = rows.map((r) => [r.repId, `${r.period}${r.partial ? "*" : ""}`, r.kpi, r.status === "ok" ? num(r.actual, 2) : r.status, num(r.target, 2), pct(r.progress)]);
  // (the KPI tables' legend of `*`: still running, or the data begin inside the period)
  const legend = rows.some((r) => r.partial) ? ["* partial period: not over at the as-of day (the actual is to date; 0 for a period not begun), or it begins before the data's first day (the actual misses what lies before the data)"] : [];
  return ["targets", ...alignedTable(["rep", "period", "kpi", "actual", "target", "progress"], body, 3), ...legend].join("\n");
}

/** @internal Order pace per group. */
export function formatPace(rows: readonly OrderPaceRow[], asOf?: string): string {
  const grouped = rows.some((r) => r.key !== undefined);
  const body = rows.map((r) => [...(grouped ? [r.key ?? "(none)"] : []), num(r.customers), num(r.medianGapDays, 1), num(r.meanGapDays, 1), num(r.compared), pct(r.fasterShare), pct(r.slowerShare)]);
  return [
    `order pace as of ${rows[0]?.asOf ?? asOf ?? "–"} (days between orders; faster/slower than the customer's own previous year)`,
    ...alignedTable([...(grouped ? ["group"] : []), "customers", "median gap", "mean gap", "compared", "faster", "slower"], body, grouped ? 1 : 0),
    ...(rows[0]?.partial ? ["not compared: the data begin inside the previous year (the 365 days before the last 365), which they hold only in part"] : []),
  ].join("\n");
}
