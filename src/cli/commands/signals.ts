import { isoLtr } from "../../signals/internal/format.ts";
import { detectSignals, type DetectSignalsOptions } from "../../signals/detect-signals.ts";
import type { Signal } from "../../signals/types.ts";
import { COMMON_DATA_FLAGS, intFlag, parseFlags, withCommonOptions } from "../args.ts";
import { analysisInput } from "../analysis-input.ts";
import { CALENDAR_FLAGS, CALENDAR_HELP } from "../calendar-flags.ts";
import { WORKERS_FLAG, WORKERS_HELP, withWorkers, workersFlag } from "../workers-flag.ts";
import { SIGNAL_FLAGS, SIGNAL_FLAGS_HELP, signalFlags } from "../signal-flags.ts";
import { type CliIo, UsageError } from "../io.ts";
import { stageLine } from "../progress.ts";
import { alignedTable, num } from "../table.ts";
import { AS_OF_HELP } from "../today.ts";

/** @internal */
export const SIGNALS_HELP: string = `orderpulse signals --data PATH [--as-of D] [--type T[,T...]] [--rep ID] [--sensitivity X] [--lang en|he] [--top N] [--weekend DAYS] [--holidays SRC] [--workers N] [--json] [common options]

Early-warning signals as of a day (docs/signals.md), each customer, item, segment, pipeline stage
and KPI against its own history: highest value at risk (expected gross margin of the next 90
days) first, with a one-line reason.
${AS_OF_HELP}
${SIGNAL_FLAGS_HELP}
  --rep ID           only signals whose responsible rep is ID (the account owner)
  --lang en|he       language of the messages (default en)
  --top N            rows in the table (default 30; --json prints all)
${WORKERS_HELP}
${CALENDAR_HELP}`;

/** The entity a signal is about, for the table. */
function subject(s: Signal): string {
  const parts = [s.customerId, s.productId, s.segment, s.stage, s.kpi].filter((x) => x !== undefined);
  return parts.length > 0 ? parts.join(" / ") : s.repId !== undefined ? `rep ${s.repId}` : "company";
}

/** `orderpulse signals`. @internal */
export async function signalsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, {
    ...COMMON_DATA_FLAGS,
    "as-of": { type: "string" },
    ...SIGNAL_FLAGS,
    rep: { type: "string" },
    lang: { type: "string" },
    top: { type: "string" },
    ...WORKERS_FLAG,
    ...CALENDAR_FLAGS,
  });
  if (v.help) {
    io.out(`${withCommonOptions(SIGNALS_HELP)}\n`);
    return 0;
  }
  const top = intFlag(v, "top") ?? 30;
  const { types, sensitivity } = signalFlags(v);
  const lang = v.lang ?? "en";
  if (lang !== "en" && lang !== "he") throw new UsageError(`--lang must be en or he, got ${String(lang)}`);
  workersFlag(v); // checked before the data is read (a bad --workers was reported after it)
  const { dataset, asOf, asOfInProgress, calendar } = await analysisInput(v, io);
  // an unknown rep is a typo, not a rep without signals (as brief --rep says)
  if (typeof v.rep === "string" && dataset.ids.reps.indexOf(v.rep) < 0) {
    throw new UsageError(`no rep ${v.rep} in the data${dataset.ids.reps.size === 0 ? " (it has no reps)" : ""}`);
  }
  const options: DetectSignalsOptions = {
    asOf,
    locale: lang,
    ...(types !== undefined ? { types } : {}),
    ...(typeof v.rep === "string" ? { repId: v.rep } : {}),
    ...(sensitivity !== undefined ? { sensitivity } : {}),
    ...(calendar !== undefined ? { calendar } : {}),
    // today is not over: kpi_drop leaves a week ending today out of its charts, as analyze (and so
    // `brief`) has it do (a Sunday read of last night's export flagged "fell 51%" here, a review),
    // and the rhythms measure silences to last night
    ...(asOfInProgress ? { asOfInProgress } : {}),
  };
  const stage = stageLine(io, v.quiet === true, "fitting the rhythms and detecting signals", dataset.lines.quantity.length);
  const signals = await withWorkers(v, async (pool) => (pool ? pool.detectSignals(dataset, options) : detectSignals(dataset, options))).finally(stage.done);
  const day = signals[0]?.asOf ?? asOf;
  if (v.json) {
    io.out(`${JSON.stringify({ asOf: day, count: signals.length, signals }, null, 2)}\n`);
    return 0;
  }
  const byType = new Map<string, number>();
  for (const s of signals) byType.set(s.type, (byType.get(s.type) ?? 0) + 1);
  const counts = [...byType].map(([t, n]) => `${t} ${n}`).join(", ");
  const shown = signals.slice(0, top);
  const table = alignedTable(
    ["type", "about", "rep", "since", "value at risk", "severity"],
    // names and ids isolated: a right-to-left one must not reorder the numbers after it
    shown.map((s) => [s.type, isoLtr(subject(s)), isoLtr(s.repId ?? ""), s.since, num(s.valueAtRisk), num(s.severity, 2)]),
    4,
  );
  io.out(
    [
      `signals as of ${day}: ${num(signals.length)}${counts ? ` (${counts})` : ""}, highest value at risk first`,
      ...table.map((line, k) => `${line}  ${k === 0 ? "why" : isoLtr(shown[k - 1]!.message)}`),
      ...(signals.length > top ? [`... ${num(signals.length - top)} more (--top N, --json)`] : []),
    ].join("\n") + "\n",
  );
  return 0;
}
