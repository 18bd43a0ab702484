import { readFile } from "node:fs/promises";
import { backtest } from "../../backtest/backtest.ts";
import type { BacktestQuantiles, BacktestTruth, BacktestTruthScore, BacktestTypeReport } from "../../backtest/types.ts";
import { COMMON_DATA_FLAGS, dayValue, intFlag, parseFlags, readOptionsFromFlags, withCommonOptions } from "../args.ts";
import { analysisInput } from "../analysis-input.ts";
import { CALENDAR_FLAGS, CALENDAR_HELP } from "../calendar-flags.ts";
import { SIGNAL_FLAGS, SIGNAL_FLAGS_HELP, signalFlags } from "../signal-flags.ts";
import { type CliIo, UsageError } from "../io.ts";
import { progressBar } from "../progress.ts";
import { alignedTable, num, pct } from "../table.ts";

/** @internal */
export const BACKTEST_HELP: string = `orderpulse backtest --data PATH --from D --to D [--every 7] [--truth FILE] [--type T[,T...]] [--sensitivity X] [--weekend DAYS] [--holidays SRC] [--json] [common options]

Replay the signals over history (docs/backtest.md): as of every --every days from --from to --to,
each day seeing only the data up to it, as the real-time engine would have. Per type: situations
flagged, new ones per as-of day, how many cleared and how often the customer or item was bought
again; for customer_overdue, the share of flagged customers that stayed away for their p90 gap
and the lead time against a static monthly report (no order for 90 days, looked at on the 1st).
With --truth (a truth.json, as 'orderpulse synth' writes): recall, precision, delay in days and in
median gaps, false alarms per quarter, beside two baselines for the customer-level types.
  --from D, --to D   first as-of day and last day read (YYYY-MM-DD)
  --every N          days between as-of days (default 7)
  --truth FILE       known changes to score against (truth.json format: { "events": [...] })
${SIGNAL_FLAGS_HELP}
${CALENDAR_HELP}`;

/** A YYYY-MM-DD flag (required). */
function dayFlag(v: Record<string, unknown>, name: string): string {
  const x = v[name];
  if (typeof x !== "string") throw new UsageError(`--${name} D is required (YYYY-MM-DD)`);
  return dayValue(x, `--${name}`);
}

/** The truth file: JSON with an events array (also read by recommend --evaluate --truth). @internal */
export async function readTruth(file: string): Promise<BacktestTruth> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new UsageError(`--truth: cannot read ${file} (${(cause as Error).message})`);
  }
  let truth: unknown;
  try {
    truth = JSON.parse(text.replace(/^\uFEFF/, "")); // (a Windows editor's byte-order mark)
  } catch (cause) {
    throw new UsageError(`--truth ${file}: not JSON (${(cause as Error).message})`);
  }
  if (typeof truth !== "object" || truth === null || !Array.isArray((truth as { events?: unknown }).events)) {
    throw new UsageError(`--truth ${file}: expected a truth.json object with an "events" array`);
  }
  return truth as BacktestTruth;
}

// day figures to a tenth (a median of two is often a half day, as in the JSON)
const q = (x: BacktestQuantiles | undefined, digits = 1): string => (x === undefined ? "–" : num(x.median, digits));
const ratioCell = (x: number | undefined): string => (x === undefined ? "–" : num(x, 2));

/** One table row of truth scores. */
function truthCells(t: BacktestTruthScore | undefined): string[] {
  if (t === undefined) return [];
  return [
    `${t.found}/${t.events}`,
    ratioCell(t.recall),
    ratioCell(t.precision),
    ratioCell(t.precisionRelated),
    q(t.delayDays),
    q(t.delayGaps, 1),
    num(t.falseAlarmsPerQuarter, 1),
    // rates of a few hundredths of a percent: two decimals
    t.quietPerCustomerMonth ? `${(t.quietPerCustomerMonth.mean * 100).toFixed(2)}%` : "–",
  ];
}

/** The printed report. */
function render(r: ReturnType<typeof backtest>, withTruth: boolean): string {
  const head = ["type", "situations", "new / as-of", "resolved", "bought again ≤90d"];
  const truthHead = ["found", "recall", "precision", "+related", "delay d", "delay gaps", "false / qtr", "quiet / mo"];
  const body: string[][] = [];
  const row = (label: string, t: BacktestTypeReport | undefined, truth: BacktestTruthScore | undefined, flagged?: number): void => {
    const base = t
      ? [label, num(t.situations), num(t.newPerAsOfMean, 2), num(t.resolved), t.boughtAgainWithin90?.share !== undefined ? pct(t.boughtAgainWithin90.share) : "–"]
      : [label, num(flagged), "", "", ""];
    body.push(withTruth ? [...base, ...truthCells(truth)] : base);
  };
  for (const t of r.byType) {
    row(t.type, t, t.truth);
    // (with or without truth: their situation counts are the comparison; until 2026-12-07 only with --truth)
    for (const b of t.baselines) row(`  baseline: ${b.name.replaceAll("_", " ")}`, undefined, b.truth, b.situations);
  }
  const lines = [
    `backtest ${r.from} .. ${r.to}: ${r.asOfDays.length} as-of days every ${r.every} days, sensitivity ${r.sensitivity}`,
    ...alignedTable(withTruth ? [...head, ...truthHead] : head, body, 1),
  ];
  const od = r.byType.find((t) => t.type === "customer_overdue")?.overdue;
  if (od) {
    lines.push(
      "",
      `customer_overdue without truth: ${num(od.flagged)} new situations; ${od.confirmedShare === undefined ? "–" : pct(od.confirmedShare)} did not order within their p90 gap after the flag (${num(od.confirmed)}/${num(od.checkable)} checkable)`,
      `  against the static monthly report (no order for 90 days, looked at on the 1st): listed ${num(od.reportListed)}, flagged earlier ${num(od.earlier)}, median lead ${q(od.leadDays)} days (p25 ${od.leadDays ? num(od.leadDays.p25, 1) : "–"}, p75 ${od.leadDays ? num(od.leadDays.p75, 1) : "–"}); never listed (ordered again before the report's day) ${num(od.reportNeverListed)}, after --to ${num(od.reportPending)}`,
    );
  }
  if (withTruth) lines.push("", "precision: first flag at or after a matching change; +related also counts related changes (docs/backtest.md); delay: median days and median gaps from the change to its first flag");
  return lines.join("\n") + "\n";
}

/** `orderpulse backtest`. @internal */
export async function backtestCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, {
    ...COMMON_DATA_FLAGS,
    from: { type: "string" },
    to: { type: "string" },
    every: { type: "string" },
    truth: { type: "string" },
    ...SIGNAL_FLAGS,
    ...CALENDAR_FLAGS,
  });
  if (v.help) {
    io.out(`${withCommonOptions(BACKTEST_HELP)}\n`);
    return 0;
  }
  readOptionsFromFlags(v); // --data and the common flags first: usage errors before anything is read
  const from = dayFlag(v, "from");
  const to = dayFlag(v, "to");
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const every = intFlag(v, "every") ?? 7;
  const { types, sensitivity } = signalFlags(v);
  const truth = typeof v.truth === "string" ? await readTruth(v.truth) : undefined;
  const { dataset, calendar } = await analysisInput(v, io, to);
  const replayBar = progressBar(io, v.quiet === true);
  let result: ReturnType<typeof backtest>;
  try {
    result = backtest(dataset, {
      from,
      to,
      every,
      ...(truth !== undefined ? { truth } : {}),
      ...(types !== undefined ? { types } : {}),
      ...(sensitivity !== undefined ? { sensitivity } : {}),
      ...(calendar !== undefined ? { calendar } : {}),
      onProgress: (p) => replayBar.onProgress({ file: `replay ${p.asOf}`, bytesRead: p.done, totalBytes: p.total }),
    });
  } finally {
    replayBar.done();
  }
  // (the replay stops at the data's last day: what lies after it is not known, not silence)
  if (result.to !== to && v.quiet !== true) io.err(`orderpulse: --to ${to} is after the data's last day: replayed to ${result.to}\n`);
  io.out(v.json ? `${JSON.stringify(result, null, 2)}\n` : render(result, truth !== undefined));
  return 0;
}
