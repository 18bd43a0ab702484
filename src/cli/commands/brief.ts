import { mkdir, readdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { analyze } from "../../analyze.ts";
import { isOrderpulseError, OrderpulseError } from "../../data/errors.ts";
import type { WeeklyBriefOptions } from "../../tasks/brief-types.ts";
import { rankTasks } from "../../tasks/rank-tasks.ts";
import type { Analysis, AnalyzeOptions, RankedTasks, TaskLocale } from "../../tasks/types.ts";
import { weeklyBrief } from "../../tasks/weekly-brief.ts";
import { COMMON_DATA_FLAGS, intFlag, parseFlags, withCommonOptions } from "../args.ts";
import { analysisInput } from "../analysis-input.ts";
import { CALENDAR_FLAGS, CALENDAR_HELP } from "../calendar-flags.ts";
import { WORKERS_FLAG, WORKERS_HELP, withWorkers, workersFlag } from "../workers-flag.ts";
import { type CliIo, UsageError } from "../io.ts";
import { stageLine } from "../progress.ts";
import { AS_OF_HELP } from "../today.ts";

/** @internal */
export const BRIEF_HELP: string = `orderpulse brief --data PATH [--as-of D] (--rep ID | --manager ID | --all) [--format md|html|json] [--lang en|he] [--out DIR] [--per-rep N] [--weekend DAYS] [--holidays SRC] [--workers N] [common options]

The weekly brief (docs/tasks.md): analyze the data as of a day, rank up to --per-rep (6) tasks per rep by
business value (fewer when the rest are worth under 5% of the rep's top task) and render the brief of one rep (own tasks, KPIs vs last period, team average
and target), one manager (team KPIs vs last period and targets, top tasks across the team,
business-level signals, escalations, follow-through), or with --all every rep, every manager and
the company.
${AS_OF_HELP}
  --rep ID           the brief of rep ID
  --manager ID       the brief of manager ID (the reps whose manager is ID)
  --all              every rep, every manager and the company, one file each in --out:
                     rep-ID, manager-ID, company (ids that would share a file name get a hash)
  --format F         md (Markdown for email/Slack, default), html (one self-contained page), json
                     (--json is --format json)
  --lang en|he       language and number/date formatting (default en)
  --out DIR          write the file(s) into DIR and print their paths (required with --all);
                     without it the brief is printed
  --per-rep N        tasks per rep, 1 to 50 (default 6)
${WORKERS_HELP}
${CALENDAR_HELP}`;

/** File extension of a format. */
const EXT: Readonly<Record<string, string>> = { md: "md", markdown: "md", html: "html", json: "json" };

/**
 * A file-system safe form of an id (letters and digits of any script, `_`, `.`, `-`), at most 200
 * UTF-8 bytes of whole characters (a longer name failed with ENAMETOOLONG half-way through --all;
 * a cut id gets its hash, so two long ids sharing their first bytes stay apart).
 */
const safe = (id: string): string => {
  const s = id.replace(/[^\p{L}\p{N}_.-]/gu, "_");
  if (UTF8.encode(s).length <= MAX_ID_BYTES) return s;
  // whole code points up to the byte budget (a file name is at most 255 bytes: 100 CJK characters
  // are 300; a cut inside a surrogate pair left a lone half, written as U+FFFD)
  let cut = "", bytes = 0;
  for (const ch of s) {
    const n = UTF8.encode(ch).length;
    if (bytes + n > MAX_ID_BYTES) break;
    cut += ch;
    bytes += n;
  }
  return `${cut}-${idHash(id)}`;
};
/** UTF-8 bytes of an id kept in a file name (with `manager-`, `-` and an 8-digit hash and `.html`, under 255). */
const MAX_ID_BYTES = 200;
const UTF8 = new TextEncoder();

/** FNV-1a of a string's UTF-16 code units, 8 hex digits: a stable suffix that tells ids apart. */
function idHash(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * File stems for ids: `prefix-<safe id>`, and where two ids would share one (`R/1` and `R_1`, or
 * `r01` and `R01` on a case-insensitive disk) each of them gets its id's hash appended, so no
 * brief overwrites another.
 */
function stems(prefix: string, ids: readonly string[]): string[] {
  const plain = ids.map((id) => `${prefix}-${safe(id)}`);
  const count = new Map<string, number>();
  for (const s of plain) count.set(s.toLowerCase(), (count.get(s.toLowerCase()) ?? 0) + 1);
  const out = plain.map((s, k) => (count.get(s.toLowerCase())! > 1 ? `${s}-${idHash(ids[k]!)}` : s));
  // a hashed stem can equal another id's plain one (`R_1-ebf9bf8d` is an id too): then every id
  // gets its hash, which the ids themselves tell apart
  const seen = new Set<string>();
  for (const s of out) {
    if (seen.has(s.toLowerCase())) return plain.map((p, k) => `${p}-${idHash(ids[k]!)}`);
    seen.add(s.toLowerCase());
  }
  return out;
}

/** One brief to write: its file stem and weeklyBrief options. @internal */
export interface BriefTarget {
  /** File name without extension: `rep-<id>`, `manager-<id>` or `company`. */
  readonly stem: string;
  /** Rep or manager. */
  readonly options: Pick<WeeklyBriefOptions, "repId" | "managerId">;
}

/**
 * Every rep that owns accounts, has a manager or an open deal (a prospect's deal rep works it: a
 * rep with prospects' deals only got no brief file while the company brief listed its tasks),
 * every manager, and the company. @internal
 */
export function briefTargets(a: Analysis): BriefTarget[] {
  const reps = new Set<string>();
  for (const c of a.customers) if (c.repId !== null) reps.add(c.repId);
  for (const r of a.reps) if (r.managerId !== undefined) reps.add(r.repId);
  // (an analysis serialized without deals has none)
  for (const d of a.deals ?? []) if (d.repId !== undefined) reps.add(d.repId);
  const managers = new Set<string>();
  for (const r of a.reps) if (r.managerId !== undefined) managers.add(r.managerId);
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const repIds = [...reps].sort(cmp), managerIds = [...managers].sort(cmp);
  const repStems = stems("rep", repIds), managerStems = stems("manager", managerIds);
  return [
    ...repIds.map((id, k) => ({ stem: repStems[k]!, options: { repId: id } })),
    ...managerIds.map((id, k) => ({ stem: managerStems[k]!, options: { managerId: id } })),
    { stem: "company", options: {} },
  ];
}

/** Render one brief in a format. */
function render(a: Analysis, ranked: RankedTasks, options: BriefTarget["options"], format: string, locale: TaskLocale): string {
  const base = { ...options, locale, tasks: ranked };
  if (format === "html") return weeklyBrief(a, { ...base, format: "html" });
  if (format === "json") return `${JSON.stringify(weeklyBrief(a, base), null, 2)}\n`;
  return weeklyBrief(a, { ...base, format: "markdown" });
}

/**
 * Write the briefs of `targets` into `dir` in each format; returns the paths written. @internal
 * @throws {OrderpulseError} `IO_ERROR` when the folder cannot be created or a file written (as synth's)
 */
export async function writeBriefs(a: Analysis, ranked: RankedTasks, targets: readonly BriefTarget[], dir: string, formats: readonly string[], locale: TaskLocale): Promise<string[]> {
  const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new OrderpulseError("IO_ERROR", `cannot create ${dir}: ${reason(err)}`, { path: dir }, err);
  }
  const paths: string[] = [];
  for (const t of targets) {
    for (const f of formats) {
      const path = join(dir, `${t.stem}.${EXT[f] ?? f}`);
      const text = render(a, ranked, t.options, f, locale);
      try {
        await writeFile(path, text);
      } catch (err) {
        throw new OrderpulseError("IO_ERROR", `cannot write ${path}: ${reason(err)}`, { path }, err);
      }
      paths.push(path);
    }
  }
  return paths;
}

/**
 * Brief files in `dir` (named as {@link writeBriefs} names them) that are not among `written`:
 * an earlier run's, for reps or managers this run does not have (a 600-customer demo's
 * rep-R04.html stayed among a 100-customer demo's briefs as if current). @internal
 */
export async function staleBriefs(dir: string, written: readonly string[]): Promise<string[]> {
  // only in the formats this run wrote, and only for stems it did not write (a run in html and md
  // leaves the folder's json briefs alone: the demo deleted rep-R01.json of a rep it has)
  const split = (n: string): [string, string] => {
    const dot = n.lastIndexOf(".");
    return [n.slice(0, dot), n.slice(dot + 1)];
  };
  // (file names by basename: the paths come from join, which drops a trailing "/" and a leading
  // "./" of dir, and a cut at dir's length called every brief just written "from an earlier run")
  const names = written.map((p) => split(basename(p)));
  const stems = new Set(names.map(([stem]) => stem)), exts = new Set(names.map(([, ext]) => ext));
  const found = await readdir(dir).catch(() => [] as string[]);
  return found
    .filter((n) => /^(?:(?:rep|manager)-.+|company)\.(?:md|html|json)$/.test(n) && exts.has(split(n)[1]) && !stems.has(split(n)[0]))
    .sort()
    .map((n) => join(dir, n));
}

/** `orderpulse brief`. @internal */
export async function briefCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, {
    ...COMMON_DATA_FLAGS,
    "as-of": { type: "string" },
    rep: { type: "string" },
    manager: { type: "string" },
    all: { type: "boolean" },
    format: { type: "string" },
    lang: { type: "string" },
    out: { type: "string" },
    "per-rep": { type: "string" },
    ...WORKERS_FLAG,
    ...CALENDAR_FLAGS,
  });
  if (v.help) {
    io.out(`${withCommonOptions(BRIEF_HELP)}\n`);
    return 0;
  }
  const chosen = [typeof v.rep === "string", typeof v.manager === "string", v.all === true].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError("give exactly one of --rep ID, --manager ID, --all");
  if (v.json === true && typeof v.format === "string" && v.format !== "json") throw new UsageError(`--json is --format json: give one, not --json with --format ${v.format}`);
  const format = typeof v.format === "string" ? v.format : v.json === true ? "json" : "md";
  if (EXT[format] === undefined) throw new UsageError(`--format must be md, html or json, got ${format}`);
  const lang = v.lang ?? "en";
  if (lang !== "en" && lang !== "he") throw new UsageError(`--lang must be en or he, got ${String(lang)}`);
  const out = typeof v.out === "string" && v.out !== "" ? v.out : undefined;
  if (v.all === true && out === undefined) throw new UsageError("--all writes one file per brief: give --out DIR");
  const perRep = intFlag(v, "per-rep");
  if (perRep !== undefined && perRep > 50) throw new UsageError(`--per-rep must be an integer from 1 to 50, got ${perRep}`);
  workersFlag(v); // checked before the data is read (a bad --workers was reported after it)
  const { dataset, asOf, asOfInProgress, calendar } = await analysisInput(v, io);
  const options: AnalyzeOptions = { asOf, locale: lang, ...(calendar !== undefined ? { calendar } : {}), ...(asOfInProgress ? { asOfInProgress } : {}) };
  const stage = stageLine(io, v.quiet === true, "analyzing", dataset.lines.quantity.length);
  const analysis = await withWorkers(v, async (pool) => (pool ? pool.analyze(dataset, options) : analyze(dataset, options))).finally(stage.done);
  const ranked = rankTasks(analysis, { locale: lang, ...(perRep !== undefined ? { perRep } : {}) });
  // the files written: one per line, or one JSON document with --json
  const written = async (targets: readonly BriefTarget[]): Promise<void> => {
    const paths = await writeBriefs(analysis, ranked, targets, out!, [format], lang);
    io.out(v.json === true ? `${JSON.stringify({ files: paths }, null, 2)}\n` : `${paths.join("\n")}\n`);
  };
  if (v.all === true) {
    const targets = briefTargets(analysis);
    await written(targets);
    // (every brief of this run written: the others in the folder are older, said on stderr)
    const mine = await staleBriefs(out!, targets.map((t) => join(out!, `${t.stem}.${EXT[format] ?? format}`)));
    if (mine.length > 0 && v.quiet !== true) io.err(`orderpulse: ${mine.length} brief file${mine.length === 1 ? "" : "s"} in ${out} ${mine.length === 1 ? "is" : "are"} from an earlier run, for reps or managers this one does not have: ${mine.slice(0, 5).map((p) => basename(p)).join(", ")}${mine.length > 5 ? ", ..." : ""}\n`);
    return 0;
  }
  const target: BriefTarget = typeof v.rep === "string" ? { stem: `rep-${safe(v.rep)}`, options: { repId: v.rep } } : { stem: `manager-${safe(v.manager as string)}`, options: { managerId: v.manager as string } };
  try {
    if (out !== undefined) await written([target]);
    else io.out(render(analysis, ranked, target.options, format, lang));
  } catch (e) {
    // the library names its option (weeklyBrief's repId); the user typed a flag
    const option = isOrderpulseError(e) && e.code === "INVALID_OPTION" ? e.details["option"] : undefined;
    if (option === "repId") throw new UsageError(`no rep ${String(v.rep)} in the data (--rep)`);
    // (a rep who manages nobody is not unknown: its own brief is --rep)
    if (option === "managerId") throw new UsageError(isOrderpulseError(e) && e.message.includes("manages no rep") ? `${String(v.manager)} manages no rep: its own brief is --rep ${String(v.manager)}` : `no manager ${String(v.manager)} in the data (--manager)`);
    throw e;
  }
  return 0;
}
