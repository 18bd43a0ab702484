import { withCommonOptions } from "./args.ts";
import { isOrderpulseError } from "../data/errors.ts";
import { BACKTEST_HELP, backtestCommand } from "./commands/backtest.ts";
import { BRIEF_HELP, briefCommand } from "./commands/brief.ts";
import { CUSTOMER_HELP, customerCommand } from "./commands/customer.ts";
import { DEMO_HELP, demoCommand } from "./commands/demo.ts";
import { INGEST_HELP, ingestCommand } from "./commands/ingest.ts";
import { KPIS_HELP, kpisCommand } from "./commands/kpis.ts";
import { PATTERNS_HELP, patternsCommand } from "./commands/patterns.ts";
import { RECOMMEND_HELP, recommendCommand } from "./commands/recommend.ts";
import { SIGNALS_HELP, signalsCommand } from "./commands/signals.ts";
import { SIMILAR_HELP, similarCommand } from "./commands/similar.ts";
import { SYNTH_HELP, synthCommand } from "./commands/synth.ts";
import { errorCode } from "../data/internal/error-code.ts";
import { type CliIo, UsageError } from "./io.ts";

/** System error codes of the file system and the disk: told by their message alone (no stack). */
const FS_ERRORS: ReadonlySet<string> = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "EEXIST", "ELOOP", "ENAMETOOLONG", "EBUSY", "EIO"]);

declare const __VERSION__: string | undefined;

const COMMANDS: Readonly<Record<string, { run: (argv: readonly string[], io: CliIo) => Promise<number>; help: string; summary: string }>> = {
  demo: { run: demoCommand, help: DEMO_HELP, summary: "generate a sample distributor, read it back, print a tour" },
  synth: { run: synthCommand, help: SYNTH_HELP, summary: "write a seeded synthetic distributor (CSV files + truth.json)" },
  ingest: { run: ingestCommand, help: INGEST_HELP, summary: "read and validate a dataset, print the ingest report" },
  patterns: { run: patternsCommand, help: PATTERNS_HELP, summary: "each customer's buying rhythm: expected next order, how overdue" },
  kpis: { run: kpisCommand, help: KPIS_HELP, summary: "KPIs with trends: active customers, SKU breadth, revenue, gross profit, margin" },
  signals: { run: signalsCommand, help: SIGNALS_HELP, summary: "early-warning signals against each customer's own rhythm, highest value first" },
  recommend: { run: recommendCommand, help: RECOMMEND_HELP, summary: "offers per customer (cross-sell, reorder, win-back, seasonal); --evaluate scores them on history" },
  similar: { run: similarCommand, help: SIMILAR_HELP, summary: "products bought with a product (complements) or instead of it (substitutes)" },
  brief: { run: briefCommand, help: BRIEF_HELP, summary: "the weekly brief of a rep, a manager or everyone: ranked tasks, KPIs, signals (md, html, json; en, he)" },
  customer: { run: customerCommand, help: CUSTOMER_HELP, summary: "one customer's card: rhythm, KPIs, open signals, offers, this week's task" },
  backtest: { run: backtestCommand, help: BACKTEST_HELP, summary: "replay the signals week by week over history: lead time, precision, recall" },
};

/** Width of the command column of the main help (the longest name and a space: "recommend" ran into its summary). */
const COMMAND_WIDTH = Math.max(...Object.keys(COMMANDS).map((k) => k.length)) + 1;

/** @internal */
export const MAIN_HELP: string = `orderpulse: order-history analytics for B2B distributors

usage: orderpulse <command> [options]

commands:
${Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(COMMAND_WIDTH)} ${c.summary}`).join("\n")}

Run 'orderpulse <command> --help' for a command's options.
Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 data rejected (a row under --strict, or every order row of an analysis command, or no order row nor deal event at all; ingest only reports them).`;

/** Data errors under --strict exit 3; option errors are usage errors; the rest exit 1. */
const USAGE_CODES = new Set(["INVALID_OPTION", "UNSUPPORTED_ENCODING"]);

/** Library options the CLI sets from a flag of another name: an error about one names the flag. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = { timeZone: "--time-zone", delimiter: "--delimiter", map: "--map", encoding: "--encoding", from: "--from", to: "--to", dateFormat: "--date-format", currency: "--currency", periods: "--periods", every: "--every", "calendar.weekendDays": "--weekend", "calendar.holidays": "--holidays", years: "--years", products: "--products", customers: "--customers", end: "--end" };

/**
 * Run the CLI in-process: returns the exit code (0 ok, 1 runtime failure, 2 usage error,
 * 3 data rejected: a row under --strict, or every order row of an analysis command, or no order row nor deal event). @internal
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") {
      const topic = cmd === "help" ? rest[0] : undefined;
      if (topic !== undefined) {
        const c = COMMANDS[topic];
        if (!c) throw new UsageError(`unknown command: ${topic}`);
        io.out(`${withCommonOptions(c.help)}\n`);
      } else io.out(`${withCommonOptions(MAIN_HELP)}\n`);
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === "--version" || cmd === "-v") {
      io.out(`${typeof __VERSION__ === "string" ? __VERSION__ : "dev"}\n`);
      return 0;
    }
    const c = COMMANDS[cmd];
    if (!c) throw new UsageError(`unknown command: ${cmd} (commands: ${Object.keys(COMMANDS).join(", ")})`);
    return await c.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`orderpulse: ${e.message}\n`);
      return 2;
    }
    if (isOrderpulseError(e)) {
      // a library option the CLI fills from a flag: the message names the flag the user typed
      const option = e.code === "UNSUPPORTED_ENCODING" ? "encoding" : e.code === "INVALID_OPTION" ? e.details["option"] : undefined;
      const flag = typeof option === "string" && Object.hasOwn(FLAG_OF_OPTION, option) ? FLAG_OF_OPTION[option] : undefined;
      // (the CLI has no fx rates to pass: MIXED_CURRENCIES' "pass { currency, fx }" is said its way)
      // (and one currency other than --currency's is fixed by that flag: self-review)
      const message =
        e.code === "MIXED_CURRENCIES"
          ? e.message.replace(/; pass \{ currency, fx \} to convert them$/, e.message.includes("not in the currency asked") ? "; leave --currency out (or give the lines' own), or convert the export first" : "; the CLI converts no currencies: convert the export first, or read it with readDataset({ currency, fx }) in code")
          : e.code === "INVALID_ENCODING"
            ? e.message.replace(/pass the file's encoding \(e\.g\. encoding: "([^"]+)"/, "pass the file's encoding (e.g. --encoding $1").replace(/, "windows-1252" for/, ", --encoding windows-1252 for")
            : e.message;
      io.err(`orderpulse: ${flag !== undefined ? `${flag}: ` : ""}${message}\n`);
      if (e.code === "INVALID_ROW") return 3;
      return USAGE_CODES.has(e.code) ? 2 : 1;
    }
    // a file system error (a missing temp folder, no permission, a full disk): its message, which
    // names the path; anything else is a bug, and its stack helps the report
    const code = errorCode(e);
    if (code !== undefined && FS_ERRORS.has(code) && e instanceof Error) io.err(`orderpulse: ${e.message}\n`);
    else io.err(`orderpulse: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
