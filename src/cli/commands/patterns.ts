import type { CustomerRhythm, PredictiveCalibration } from "../../patterns/fit-interval-model.ts";
import { fitPatterns } from "../../patterns/fit-patterns.ts";
import { MIN_SCALE_OBSERVATIONS } from "../../patterns/internal/scale-calibration.ts";
import { closedMonthDaysBetween } from "../../patterns/internal/customer-calendar.ts";
import { parseDay } from "../../data/parse-day.ts";
import { recentGap, rhythmPhrase } from "../../signals/internal/format.ts";
import { COMMON_DATA_FLAGS, intFlag, parseFlags, withCommonOptions } from "../args.ts";
import { type CliIo, UsageError } from "../io.ts";
import { stageLine } from "../progress.ts";
import { alignedTable, num, pct } from "../table.ts";
import { analysisInput } from "../analysis-input.ts";
import { CALENDAR_FLAGS, CALENDAR_HELP } from "../calendar-flags.ts";
import { AS_OF_HELP } from "../today.ts";
import { presetId } from "../preset-id.ts";

/** @internal */
export const PATTERNS_HELP: string = `orderpulse patterns --data PATH [--as-of D] [--customer ID] [--top N] [--weekend DAYS] [--holidays SRC] [--json] [common options]

Each customer's own buying rhythm (docs/patterns.md): typical gap, expected next order with a
10-90% range (both given the silence so far), how overdue it is and P(alive) (BG/NBD with the silence), most overdue first,
with a one-line explanation (the --top N most overdue, default 25; --json lists every customer);
--customer shows one customer's card: its rhythm and dates, and its products' rhythms as a table
(most included first, --top N of them; --json gives every field).
With 7 months of data or more, a line says how a backtest 120 days back set the widths of the
predictions (the model refitted there and scored on the next purchases since).
${AS_OF_HELP}
${CALENDAR_HELP}`;

/** @internal One-line explanation of a rhythm, e.g. "orders every 21±5 days; 38 days since the last order (1.8x the usual gap)". */
export function explainRhythm(c: CustomerRhythm): string {
  if (c.status === "prior_only") return `one order so far (${c.lastOrder}); judged by its peers' rhythm`;
  // two orders are one gap, no rhythm yet: said so, its silence in days (a customer with orders 4
  // days apart read "orders every 4 days; 50 days since the last order (12.5x the usual gap)"
  // where the model's typical gap was 6.28 days and its range months wide; a review of small data)
  // (without closures only: with closed weekdays or months the mean gap is calendar-equivalent
  // open days, not the days between the two dates, and the closures are part of the phrase below)
  if (c.purchaseDays === 2 && c.meanGapDays !== undefined && c.daysSinceLast !== undefined && c.closedWeekdays.length === 0 && c.closedMonths.length === 0) {
    const gap = Math.round(c.meanGapDays);
    return `two orders so far, ${gap} day${gap === 1 ? "" : "s"} apart; ${num(c.daysSinceLast)} day${c.daysSinceLast === 1 ? "" : "s"} since the last order; judged mostly by its peers' rhythm`;
  }
  // observed gaps in the model's closure-corrected days (raw calendar gaps would count closures);
  // the same phrase as customer_overdue's message (with the recent rhythm when the model follows a change)
  const mean = c.meanGapDays;
  const recent = c.posterior ? recentGap(mean, c.posterior.mu, c.posterior.sigma2, c.purchaseDays) : undefined;
  // (the ratio leaves out the days of its closed months in the silence, as its gaps do: a customer
  // in its usual August closure read "35 days since the last order (9.9x the usual gap)")
  const last = c.lastOrder !== undefined ? parseDay(c.lastOrder) : undefined;
  const closedDays = last !== undefined && c.daysSinceLast !== undefined ? closedMonthDaysBetween(last, last + c.daysSinceLast, c.closedMonths) : 0;
  const phrase = mean !== undefined && c.daysSinceLast !== undefined ? rhythmPhrase(mean, c.sdGapDays, c.daysSinceLast, recent, "en", undefined, closedDays).text : undefined;
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const closedM = c.closedMonths.length ? `; closed in ${c.closedMonths.map((m) => months[m - 1] ?? String(m)).join(", ")}` : "";
  // the shorter of the two lists: "never on Fri/Sat", or "only on Mon" for a one-day-a-week buyer
  const names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const open = [0, 1, 2, 3, 4, 5, 6].filter((w) => !c.closedWeekdays.includes(w));
  const closedW = c.closedWeekdays.length === 0 ? "" : open.length < c.closedWeekdays.length ? `; only on ${open.map((w) => names[w]).join("/")}` : `; never on ${c.closedWeekdays.map((w) => names[w]).join("/")}`;
  const text = phrase !== undefined ? `o${phrase.slice(1)}` : `${num(c.daysSinceLast)} day${c.daysSinceLast === 1 ? "" : "s"} since the last order`;
  return `${text}${closedM}${closedW}`;
}

/** `orderpulse patterns`. @internal */
export async function patternsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, { ...COMMON_DATA_FLAGS, "as-of": { type: "string" }, customer: { type: "string" }, top: { type: "string" }, ...CALENDAR_FLAGS });
  if (v.help) {
    io.out(`${withCommonOptions(PATTERNS_HELP)}\n`);
    return 0;
  }
  const top = intFlag(v, "top") ?? 25;
  const { dataset, asOf, asOfInProgress, calendar } = await analysisInput(v, io);
  const stage = stageLine(io, v.quiet === true, "fitting the rhythms", dataset.lines.quantity.length);
  let model: ReturnType<typeof fitPatterns>;
  try {
    // today is not over: a customer due today is due, not late (a Monday buyer read on Monday
    // morning was "next expected next Monday, 50% overdue")
    model = fitPatterns(dataset, { asOf, calendar, ...(asOfInProgress ? { asOfInProgress } : {}) });
  } finally {
    stage.done();
  }
  if (typeof v.customer === "string") {
    const id = presetId(v.preset, dataset, "customer", v.customer);
    const c = model.customer(id);
    if (!c) throw new UsageError(`no purchases for customer ${v.customer} up to ${model.asOf}`);
    const items = model.items(id);
    if (v.json) {
      io.out(`${JSON.stringify({ ...c, items }, null, 2)}\n`);
      return 0;
    }
    // a card for a person (it printed a text line and then the JSON, which no JSON reader took)
    const lines = [`${id}: ${explainRhythm(c)}`];
    lines.push(`  last order ${c.lastOrder ?? "–"}; expected next ${c.expectedNext ?? "–"}${c.expectedNextP10 !== undefined ? ` (10-90%: ${c.expectedNextP10} .. ${c.expectedNextP90})` : ""}; overdue ${pct(c.overdueProbability)}; P(alive) ${pct(c.pAlive)}${c.missedOrders !== undefined && c.missedOrders > 0 ? `; missed orders ${c.missedOrders}` : ""}`);
    const habitual = [...items].sort((a, b) => b.inclusion - a.inclusion || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    if (habitual.length > 0) {
      lines.push("", `products (${habitual.length}, in most of its orders first${habitual.length > top ? `; the first ${top}, --top N for more` : ""}):`);
      const every = (cadence: number): string => {
        const r = Math.round(cadence * 10) / 10;
        return r <= 1 ? "every order" : `every ${r.toFixed(1)} orders`;
      };
      const body = habitual.slice(0, top).map((x) => [x.productId, pct(x.inclusion), every(x.cadence), num(x.usualQuantity), x.lastBought, x.expectedNext ?? "–"]);
      for (const l of alignedTable(["product", "in orders", "cadence", "usual qty", "last bought", "expected next"], body, 1)) lines.push(`  ${l}`);
    }
    lines.push("", "--json gives every field.");
    io.out(`${lines.join("\n")}\n`);
    return 0;
  }
  const ranked = [...model.all()].sort((a, b) => (b.overdueProbability ?? 0) - (a.overdueProbability ?? 0) || (a.customerId < b.customerId ? -1 : 1));
  if (v.json) {
    io.out(`${JSON.stringify({ asOf: model.asOf, bgNbd: model.bgNbd ?? null, calibration: model.calibration ?? null, customers: ranked }, null, 2)}\n`);
    return 0;
  }
  const shown = ranked.slice(0, top);
  const body = shown.map((c) => [c.customerId, pct(c.overdueProbability), pct(c.pAlive), c.lastOrder ?? "", c.expectedNext ?? "", `${c.expectedNextP10} .. ${c.expectedNextP90}`]);
  const table = alignedTable(["customer", "overdue", "P(alive)", "last order", "expected next", "10-90% range"], body, 1);
  io.out(
    [
      `rhythm as of ${model.asOf}: ${num(model.all().length)} customers, most overdue first`,
      ...(model.calibration ? [calibrationLine(model.calibration)] : []),
      ...table.map((line, k) => `${line}  ${k === 0 ? "why" : explainRhythm(shown[k - 1]!)}`),
      ...(ranked.length > top ? [`... ${num(ranked.length - top)} more (--top N, --json)`] : []),
      ...(shown.length > 0 ? ["expected next and its 10-90% range: given no order up to the as-of day, if the customer still buys (P(alive) says how likely that is)"] : []),
    ].join("\n") + "\n",
  );
  return 0;
}

/**
 * @internal One line on the backtest behind the predictives' widths (the interval model's calibration).
 * @param c - the calibration
 * @returns the line
 */
export function calibrationLine(c: PredictiveCalibration): string {
  if (c.n < MIN_SCALE_OBSERVATIONS) return `widths as fitted: a backtest from ${c.backtestAsOf} scored ${num(c.n)} next purchases, too few to test (${MIN_SCALE_OBSERVATIONS})`;
  const evidence = `${num(c.n)} next purchases since ${c.backtestAsOf}, likelihood ratio ${c.lrStatistic.toFixed(1)}`;
  return c.factor === 1
    ? `widths as fitted: a backtest from ${c.backtestAsOf} found no miscalibration (${evidence}; best factor ${c.fitted.toFixed(2)})`
    : `widths x${c.factor.toFixed(2)}: a backtest from ${c.backtestAsOf} found the model ${c.factor > 1 ? "too sure" : "too vague"} (${evidence})`;
}
