import { CompensatedSum } from "../../data/internal/compensated-sum.ts";
import { rhythmView } from "../../data/internal/rhythm-view.ts";
import type { AnalyzeOptions } from "../../tasks/types.ts";
import { analyze } from "../../analyze.ts";
import { asOfView } from "../../data/as-of-view.ts";
import { hasUnitCost } from "../../signals/internal/cost-basis.ts";
import { isoLtr } from "../../signals/internal/format.ts";
import type { Dataset } from "../../data/dataset.ts";
import { formatDay } from "../../data/format-day.ts";
import { partialPeriod } from "../../kpi/internal/context.ts";
import { parseDay } from "../../data/parse-day.ts";
import { ownerRepOf } from "../../data/internal/owner-reps.ts";
import { fitDealStages } from "../../patterns/fit-deal-stages.ts";
import { rankTasks } from "../../tasks/rank-tasks.ts";
import { valueBasis } from "../../tasks/internal/build-tasks.ts";
import { COMMON_DATA_FLAGS, parseFlags, withCommonOptions } from "../args.ts";
import { analysisInput } from "../analysis-input.ts";
import { CALENDAR_FLAGS, CALENDAR_HELP } from "../calendar-flags.ts";
import { WORKERS_FLAG, WORKERS_HELP, withWorkers, workersFlag } from "../workers-flag.ts";
import { type CliIo, UsageError } from "../io.ts";
import { stageLine } from "../progress.ts";
import { num, pct, unitPrice } from "../table.ts";
import { AS_OF_HELP } from "../today.ts";
import { presetId } from "../preset-id.ts";

/** @internal */
export const CUSTOMER_HELP: string = `orderpulse customer --data PATH --id ID [--as-of D] [--lang en|he] [--weekend DAYS] [--holidays SRC] [--workers N] [--json] [common options]

One customer's card as of a day: its buying rhythm (last and expected next order, mean gap,
P(alive)), KPIs (revenue, gross profit and order days over the last 90 and 365 days against the
periods before), open signals (value at risk in 90 days, and what each is worth a year in the
task), open deals, offers with prices, and this week's task when the customer is in its rep's list.
${AS_OF_HELP}
  --id ID            the customer (--customer ID is the same)
  --lang en|he       language of signal and offer messages (default en)
${WORKERS_HELP}
${CALENDAR_HELP}`;

/** Revenue, gross profit (costed lines) and purchase days of a customer in a day range (a, b]. */
interface Window {
  readonly revenue: number;
  /** Gross profit of the costed lines; undefined (the key absent in --json) when not measured: lines none of which has a cost, or data without costs. */
  readonly grossProfit: number | undefined;
  readonly orderDays: number;
  /** The data begins inside the range (or after it): its figures are an undercount, not compared. */
  readonly partial: boolean;
}

/**
 * The customer's KPIs over the `days` up to asOf and the same length before, and whether it has
 * lines in the current range none of which has a cost (its gross profit there is not measured). @internal
 */
function windows(dataset: Dataset, c: number, asOfDay: number, days: number, noCosts: boolean): { current: Window; previous: Window; uncosted: boolean } {
  const first = dataset.dayRange?.first ?? asOfDay;
  // money in compensated sums (the project's rule for money totals)
  const acc = [
    { revenue: new CompensatedSum(), grossProfit: new CompensatedSum(), days: new Set<number>(), lines: 0, costed: 0 },
    { revenue: new CompensatedSum(), grossProfit: new CompensatedSum(), days: new Set<number>(), lines: 0, costed: 0 },
  ];
  const { day, quantity, unitPrice, unitCost } = dataset.lines;
  for (let i = dataset.customerStart[c]!; i < dataset.customerEnd[c]!; i++) {
    const d = day[i]!;
    if (d > asOfDay || d <= asOfDay - 2 * days) continue;
    const w = acc[d > asOfDay - days ? 0 : 1]!;
    const r = quantity[i]! * unitPrice[i]!;
    w.revenue.add(r);
    w.lines++;
    if (Number.isFinite(unitCost[i]!)) {
      w.grossProfit.add(r - quantity[i]! * unitCost[i]!);
      w.costed++;
    }
  }
  // order days are purchase days, as the rhythm above counts them (an order delivered Monday and
  // Wednesday is one: the card read 80 order days beside the rhythm's 40; a self-review); the money
  // stays on the lines' own days, as the KPIs
  const rv = rhythmView(dataset);
  for (let i = rv.customerStart[c]!; i < rv.customerEnd[c]!; i++) {
    const d = rv.lines.day[i]!;
    if (d > asOfDay || d <= asOfDay - 2 * days || rv.lines.isReturn[i]) continue;
    acc[d > asOfDay - days ? 0 : 1]!.days.add(d);
  }
  // partial as the KPI rows' (both ranges end by asOf: only the data's start can cut them)
  // gross profit not measured (lines none of which has a cost, or data without costs) is undefined,
  // as a KPI cell's: --json read 0 where the text said "–"
  // (cents; + 0: a sale and its returns cancelling to a tiny negative read "revenue -0", a review)
  const cents = (x: number): number => Math.round(x * 100) / 100 + 0;
  const gp = (w: (typeof acc)[number]): number | undefined => (noCosts || (w.lines > 0 && w.costed === 0) ? undefined : cents(w.grossProfit.value));
  const out = (w: (typeof acc)[number], start: number): Window => ({ revenue: cents(w.revenue.value), grossProfit: gp(w), orderDays: w.days.size, partial: partialPeriod(start, start + days - 1, asOfDay, first) });
  return { current: out(acc[0]!, asOfDay - days + 1), previous: out(acc[1]!, asOfDay - 2 * days + 1), uncosted: acc[0]!.lines > 0 && acc[0]!.costed === 0 };
}

/** `orderpulse customer`. @internal */
export async function customerCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, { ...COMMON_DATA_FLAGS, "as-of": { type: "string" }, id: { type: "string" }, customer: { type: "string" }, lang: { type: "string" }, ...WORKERS_FLAG, ...CALENDAR_FLAGS });
  if (v.help) {
    io.out(`${withCommonOptions(CUSTOMER_HELP)}\n`);
    return 0;
  }
  // --customer, as the other commands name a customer, is the same flag
  if (typeof v.id === "string" && typeof v.customer === "string" && v.id !== v.customer) throw new UsageError(`--id ${v.id} and --customer ${v.customer} name two customers: give one`);
  const typed = v.id ?? v.customer;
  if (typeof typed !== "string" || typed === "") throw new UsageError("--id ID is required");
  const lang = v.lang ?? "en";
  if (lang !== "en" && lang !== "he") throw new UsageError(`--lang must be en or he, got ${String(lang)}`);
  workersFlag(v); // checked before the data is read (a bad --workers was reported after it)
  const { dataset, asOf, asOfInProgress, calendar } = await analysisInput(v, io);
  const id = presetId(v.preset, dataset, "customer", typed);
  const c = dataset.ids.customers.indexOf(id);
  if (c < 0) throw new UsageError(`no customer ${id} in the data`);
  const options: AnalyzeOptions = { asOf, locale: lang, ...(calendar !== undefined ? { calendar } : {}), ...(asOfInProgress ? { asOfInProgress } : {}) };
  const stage = stageLine(io, v.quiet === true, "analyzing", dataset.lines.quantity.length);
  const analysis = await withWorkers(v, async (pool) => (pool ? pool.analyze(dataset, options) : analyze(dataset, options))).finally(stage.done);
  const asOfDay = parseDay(analysis.asOf);
  const facts = analysis.customers.find((f) => f.customerId === id);
  const signals = analysis.signals.filter((s) => s.customerId === id);
  const offers = analysis.offers.filter((o) => o.customerId === id);
  const values = analysis.values.filter((x) => x.customerId === id);
  const valueOf = new Map(values.map((x) => [x.id, x.value]));
  const task = rankTasks(analysis, { locale: lang }).tasks.find((t) => t.customerId === id);
  const view = asOfView(dataset, asOfDay);
  const noCosts = view.visibleLines > 0 && !hasUnitCost(view);
  // today not over (the CLI's default as-of on last night's export): the windows end yesterday,
  // not today with its orders still to come (89 days against 90 read "−1.1%" every morning; a review)
  const windowEnd = asOfInProgress && (view.dayRange?.last ?? asOfDay) < asOfDay ? asOfDay - 1 : asOfDay;
  const w90 = windows(dataset, c, windowEnd, 90, noCosts), w365 = windows(dataset, c, windowEnd, 365, noCosts);
  const kpis = { last90: { current: w90.current, previous: w90.previous }, last365: { current: w365.current, previous: w365.previous } };
  const name = facts?.name ?? dataset.customers.name[c];
  // without facts (no purchase in the year up to asOf) the customer file and the account owner up to asOf, as the facts would say
  const master = (dict: { readonly values: readonly string[] }, k: number | undefined): string | undefined => (k !== undefined && k >= 0 ? dict.values[k] : undefined);
  const ownerId = facts ? facts.repId : (master(dataset.ids.reps, ownerRepOf(view, c)) ?? null);
  const segment = facts ? facts.segment : master(dataset.ids.segments, dataset.customers.segment[c]);
  const channel = facts ? facts.channel : master(dataset.ids.channels, dataset.customers.channel[c]);
  // the customer file's region (Online Retail's Country, its only customer attribute: the card
  // showed rep, segment and channel "–" and not the country; a review)
  const region = master(dataset.ids.regions, dataset.customers.region[c]);
  const products = new Map(analysis.products.map((p) => [p.productId, p.name]));
  // every open deal of the customer: the analysis lists those with an amount (the ones the value
  // model can weigh), and the card said "no open signal or deal" beside a deal in negotiation
  // without one (a review); the stage's usual stay is the rep's row, else the team's
  const dealModel = fitDealStages(dataset, { asOf: analysis.asOf });
  const deals = dealModel.openDeals().filter((d) => d.customerId === id).map((d) => ({
    dealId: d.dealId,
    repId: d.repId,
    stage: d.stage,
    enteredAt: d.enteredAt,
    daysInStage: d.daysInStage,
    typicalDays: (d.repId !== undefined ? dealModel.stage(d.stage, d.repId) : undefined)?.typicalDays ?? dealModel.stage(d.stage)?.typicalDays,
    amount: d.amount,
    winProbability: d.winProbability,
  })).sort((a, b) => (a.dealId < b.dealId ? -1 : a.dealId > b.dealId ? 1 : 0));
  // a prospect, known from its deals only, has no owner: the rep of its most valuable open deal,
  // who gets its task (docs/tasks.md); the card said "rep –" above "This week's task: #1 for rep
  // R2" (a review)
  const dealRep = deals.filter((d) => d.repId !== undefined).sort((a, b) => (b.amount ?? 0) - (a.amount ?? 0))[0]?.repId;
  const repId = ownerId ?? task?.repId ?? dealRep ?? null;
  if (v.json) {
    // what the values measure (revenue on data without costs: yearlyMargin read as margin), and the
    // rep, segment and channel the text card shows also without facts (a review)
    io.out(`${JSON.stringify({ asOf: analysis.asOf, customerId: id, name, repId, segment, region, channel, valueBasis: valueBasis(analysis), facts, kpis, signals, deals, offers, values, task }, null, 2)}\n`);
    return 0;
  }
  const money = (x: number | undefined): string => `${num(x)}${analysis.currency ? ` ${analysis.currency}` : ""}`;
  // without costs in the data up to asOf (it has order lines, none with a cost: the detectors'
  // revenue basis), the yearly figure is revenue and gross profit is not measured
  const change = (a: number, b: number): string => (b !== 0 ? `${a >= b ? "+" : ""}${pct((a - b) / Math.abs(b))}` : "–");
  // names and ids are isolated: a right-to-left one (or one with an unclosed override) must not
  // reorder the numbers after it on the line
  const lines: string[] = [`customer ${isoLtr(id)}${name !== undefined ? ` (${isoLtr(name)})` : ""} as of ${analysis.asOf}`];
  lines.push(`  rep ${isoLtr(repId ?? "–")}, segment ${isoLtr(segment ?? "–")}, region ${isoLtr(region ?? "–")}, channel ${isoLtr(channel ?? "–")}`);
  lines.push("", "Rhythm");
  // (a prospect has facts for its open deals but no order: the no-purchase line, not "first order –" and 26 zeros)
  if (facts && facts.lastOrder !== undefined) {
    // an overdue customer: when its next order was due (the expected date given the silence is days away and reads as a promise)
    const ago = facts.dueSince !== undefined ? asOfDay - parseDay(facts.dueSince) : 0;
    // ("1 day ago", "today": it read "(1 days ago)" and "(0 days ago)"; a review)
    const next = facts.dueSince !== undefined ? `next was due ${facts.dueSince} (${ago === 0 ? "today" : ago === 1 ? "1 day ago" : `${num(ago)} days ago`})` : `next expected ${facts.expectedNext ?? "–"}`;
    lines.push(
      `  first order ${facts.firstOrder ?? "–"}, last order ${facts.lastOrder ?? "–"}, ${orderDays(facts.ordersLastYear)} in the last 365 days`,
      `  ${rhythmText(facts, asOfDay)}; ${next}; P(alive) ${facts.pAlive !== undefined ? pct(facts.pAlive) : "–"}`,
      `  yearly ${noCosts ? "revenue" : "gross margin"} ${money(facts.yearlyMargin)} (the year to its last order, annualized); order days per week, last ${facts.weekly.length} weeks: ${facts.weekly.join(" ")}`,
    );
  } else lines.push(`  no purchase in the 365 days up to asOf${signals.length === 0 && deals.length === 0 ? ", no open signal or deal" : ""}`);
  lines.push("", "KPIs");
  for (const [label, w, uncosted] of [["last 90 days", kpis.last90, w90.uncosted], ["last 365 days", kpis.last365, w365.uncosted]] as const) {
    // the days before are compared only when the data covers them all
    const vs = (a: number | undefined, b: number | undefined): string => (w.previous.partial || a === undefined || b === undefined ? "–" : change(a, b));
    // the data has costs, but none on this customer's lines of these days
    const profit = noCosts ? "gross profit – (no costs)" : uncosted ? "gross profit – (no costs in these days)" : `gross profit ${money(w.current.grossProfit)} (${vs(w.current.grossProfit, w.previous.grossProfit)})`;
    lines.push(`  ${label.padEnd(14)} revenue ${money(w.current.revenue)} (${vs(w.current.revenue, w.previous.revenue)}), ${profit}, ${orderDays(w.current.orderDays)} (was ${w.previous.partial ? "–" : num(w.previous.orderDays)})`);
  }
  if (kpis.last365.previous.partial) {
    // where the data begins: after asOf, inside the last N days or inside the N days before them
    const first = dataset.dayRange?.first ?? asOfDay;
    const n = kpis.last90.previous.partial ? 90 : 365;
    const where = first > asOfDay ? `after ${analysis.asOf}` : first > asOfDay - n ? `inside the last ${n} days` : `inside the ${n} days before`;
    lines.push(`  (–: the data begins ${dataset.dayRange ? formatDay(dataset.dayRange.first) : "–"}, ${where}: not compared)`);
  }
  // each money figure with its span: a signal's value at risk is its next 90 days (its message's),
  // the task values are 12 months (the task line's "at stake"); until 2026-12-07 the card printed
  // the 12-month value as a bare "value" beside the message's 90-day figure, and no deal
  const atStake = (x: number | undefined): string => `${money(x)} a year at stake`;
  lines.push("", `Open signals: ${signals.length}`);
  for (const s of signals) lines.push(`  ${s.type.padEnd(17)} since ${s.since}  at risk ${money(s.valueAtRisk)} in 90 days, ${atStake(valueOf.get(s.id))}  ${isoLtr(s.message)}`);
  if (deals.length > 0) {
    lines.push("", `Open deals: ${deals.length}`);
    for (const d of deals) lines.push(`  ${isoLtr(d.dealId)} in ${d.stage} for ${num(d.daysInStage)} days (usually ${d.typicalDays !== undefined ? num(d.typicalDays, 1) : "?"}), amount ${d.amount !== undefined ? money(d.amount) : "–"}, ${atStake(valueOf.get(`deal:${d.dealId}`))}`);
  }
  lines.push("", `Offers: ${offers.length}`);
  for (const o of offers) lines.push(`  ${o.kind.padEnd(10)} ${isoLtr(o.productId)}${products.get(o.productId) ? ` ${isoLtr(products.get(o.productId)!)}` : ""}: ${num(o.quantity, 2)} x ${unitPrice(o.suggestedPrice)}${Number.isFinite(o.listPrice ?? Number.NaN) ? ` (list ${unitPrice(o.listPrice!)})` : ""}, ${atStake(valueOf.get(o.id))}  ${isoLtr(o.message)}`);
  lines.push("");
  if (task) {
    // (a customer without a rep is in the company brief: "#1 for rep –" named no one; a review)
    lines.push(`This week's task: #${task.rank} ${task.repId !== null ? `for rep ${isoLtr(task.repId)}` : "in the company brief (no rep)"}, ${task.kind}, ${money(task.value)} at stake`);
    for (const a of task.actions) lines.push(`  ${isoLtr(a.text)}`);
  } else lines.push("Not in this week's task lists (orderpulse brief --rep ID)");
  io.out(`${lines.join("\n")}\n`);
  return 0;
}

/** A count of order days in the singular or plural ("1 order day": it read "1 order days"; a review). */
function orderDays(n: number | undefined): string {
  return `${num(n)} ${n === 1 ? "order day" : "order days"}`;
}

/**
 * The card's rhythm words: one or two orders are no rhythm yet, said so (two orders 4 days apart
 * read "orders every 4 days on average"; a review of small data).
 */
function rhythmText(f: { firstOrder: string | undefined; lastOrder: string | undefined; ordersLastYear: number; meanGapDays: number | undefined }, asOfDay: number): string {
  if (f.firstOrder !== undefined && f.firstOrder === f.lastOrder) return "one order so far";
  // (two order days in the last 365 days, the first of them among them: every order it has made)
  const first = f.firstOrder !== undefined ? parseDay(f.firstOrder) : undefined;
  if (first !== undefined && f.lastOrder !== undefined && first > asOfDay - 365 && f.ordersLastYear === 2) {
    const span = parseDay(f.lastOrder) - first;
    return `two orders so far, ${num(span)} day${span === 1 ? "" : "s"} apart`;
  }
  return `orders every ${num(f.meanGapDays, 1)} days on average`;
}
