import { readDataset } from "../../csv/read-dataset.ts";
import { fitIntervalModel, type CustomerRhythm } from "../../patterns/fit-interval-model.ts";
import { COMMON_DATA_FLAGS, intFlag, parseFlags, readOptionsFromFlags } from "../args.ts";
import { type CliIo, UsageError } from "../io.ts";
import { progressBar } from "../progress.ts";
import { alignedTable, num, pct } from "../table.ts";
import { today } from "../today.ts";

/** @internal */
export const PATTERNS_HELP = `orderpulse patterns --data PATH [--as-of D] [--customer ID] [--top N] [--json] [common options]

Each customer's own buying rhythm (interval model, docs/patterns.md): typical gap, expected
next order with a 10-90% range, and how overdue it is, most overdue first, with a one-line
explanation. --customer shows one customer in full. --as-of defaults to today in --time-zone.`;

/** @internal One-line explanation of a rhythm, e.g. "orders every 21±5 days; 38 days since the last order (1.8x the usual gap)". */
export function explainRhythm(c: CustomerRhythm): string {
  if (c.status === "prior_only") return `one order so far (${c.lastOrder}); judged by its peers' rhythm`;
  const every = c.meanGapDays !== undefined ? `orders every ${num(c.meanGapDays)}${c.sdGapDays !== undefined ? `±${num(c.sdGapDays)}` : ""} days` : "";
  const ratio = c.typicalGapOpenDays && c.openDaysSinceLast !== undefined ? c.openDaysSinceLast / c.typicalGapOpenDays : undefined;
  const closed = c.closedMonths.length ? `; closed in month${c.closedMonths.length > 1 ? "s" : ""} ${c.closedMonths.join(", ")}` : "";
  return `${every}; ${num(c.daysSinceLast)} days since the last order${ratio !== undefined ? ` (${num(ratio, 1)}x the usual gap)` : ""}${closed}`;
}

/** `orderpulse patterns`. @internal */
export async function patternsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, { ...COMMON_DATA_FLAGS, "as-of": { type: "string" }, customer: { type: "string" }, top: { type: "string" } });
  if (v.help) {
    io.out(`${PATTERNS_HELP}\n`);
    return 0;
  }
  const top = intFlag(v, "top") ?? 25;
  const read = readOptionsFromFlags(v);
  const asOf = typeof v["as-of"] === "string" ? v["as-of"] : today(read.timeZone);
  const bar = progressBar(io, v.quiet === true);
  const { dataset } = await readDataset({ ...read, onProgress: bar.onProgress }).finally(bar.done);
  const model = fitIntervalModel(dataset, { asOf });
  if (typeof v.customer === "string") {
    const c = model.customer(v.customer);
    if (!c) throw new UsageError(`no purchases for customer ${v.customer} up to ${model.asOf}`);
    io.out(v.json ? `${JSON.stringify(c, null, 2)}\n` : `${v.customer}: ${explainRhythm(c)}\n${JSON.stringify(c, null, 2)}\n`);
    return 0;
  }
  const ranked = [...model.customers].sort((a, b) => (b.overdueProbability ?? 0) - (a.overdueProbability ?? 0) || (a.customerId < b.customerId ? -1 : 1));
  if (v.json) {
    io.out(`${JSON.stringify({ asOf: model.asOf, priors: model.priors, customers: ranked }, null, 2)}\n`);
    return 0;
  }
  const shown = ranked.slice(0, top);
  const body = shown.map((c) => [c.customerId, pct(c.overdueProbability), c.lastOrder ?? "", c.expectedNext ?? "", `${c.nextP10} .. ${c.nextP90}`]);
  const table = alignedTable(["customer", "overdue", "last order", "expected next", "10-90% range"], body, 1);
  io.out(
    [
      `rhythm as of ${model.asOf}: ${num(model.customers.length)} customers, most overdue first`,
      ...table.map((line, k) => `${line}  ${k === 0 ? "why" : explainRhythm(shown[k - 1]!)}`),
      ...(ranked.length > top ? [`... ${num(ranked.length - top)} more (--top N, --json)`] : []),
    ].join("\n") + "\n",
  );
  return 0;
}
