import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../test/support/cli.ts";
import { tempDir } from "../../test/support/temp-dir.ts";


const tmp = (): string => tempDir("orderpulse-cli-");
const HEADER = "order_id,order_date,customer_id,product_id,quantity,unit_price";
const ROOT = join(import.meta.dirname, "..", "..");

/** Run the source bin (src/cli/main.ts) in a child process whose stdout reader is gone before it writes (as `| head` after its lines). */
function runWithClosedStdout(argv: readonly string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), ...argv], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader closes: the child's writes fail with EPIPE
    let err = "";
    child.stderr.on("data", (d: Buffer) => void (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, err }));
  });
}

describe("orderpulse CLI", () => {
  it.skipIf(!existsSync("/dev/full"))("a stdout that cannot be written (a full disk: > /dev/full) exits 1 with one line, not a stack", async () => {
    const full = openSync("/dev/full", "w");
    const r = await new Promise<{ code: number | null; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "--help"], { cwd: ROOT, stdio: ["ignore", full, "pipe"] });
      let err = "";
      child.stderr!.on("data", (d: Buffer) => void (err += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, err }));
    });
    closeSync(full);
    expect([r.code, r.err]).toEqual([1, "orderpulse: cannot write to stdout: ENOSPC\n"]);
  });

  it("a system error (no temp folder for demo) is one line naming the path, not a stack", async () => {
    const saved = process.env["TMPDIR"];
    process.env["TMPDIR"] = join(tmp(), "missing");
    try {
      const r = await cli("demo", "--customers", "20", "--years", "1", "--quiet");
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^orderpulse: ENOENT: no such file or directory, mkdtemp '.*missing\/orderpulse-demo-\w+'\n$/);
    } finally {
      if (saved === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = saved;
    }
  });

  it("exit 0: help for the tool and every command", async () => {
    for (const argv of [["--help"], ["help"], ["demo", "--help"], ["synth", "--help"], ["ingest", "--help"], ["help", "ingest"]]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(0);
      expect(r.out).toMatch(/orderpulse/);
      expect(r.err).toBe("");
    }
    expect((await cli("--version")).code).toBe(0);
  });

  it("every help that names [common options] lists them (review 2026-12-07: only ingest --help did)", async () => {
    for (const cmd of ["patterns", "kpis", "signals", "recommend", "similar", "brief", "customer", "backtest", "ingest"]) {
      for (const argv of [[cmd, "--help"], ["help", cmd]]) {
        const r = await cli(...argv);
        expect([argv.join(" "), r.code, r.out.includes("[common options]"), (r.out.match(/\ncommon options:\n {2}--preset/g) ?? []).length]).toEqual([argv.join(" "), 0, true, 1]);
      }
    }
  });

  it("a file the CLI cannot use: a folder named orders.csv (the path named), bad UTF-8 (the flag to pass), synth into someone's export (refused) (review 2026-12-07)", async () => {
    const dir = tempDir("op-cli-files-");
    mkdirSync(join(dir, "d", "orders.csv"), { recursive: true });
    const folder = await cli("ingest", "--data", join(dir, "d"));
    expect([folder.code, folder.err]).toEqual([1, `orderpulse: cannot read ${join(dir, "d", "orders.csv")}: EISDIR (a folder, not a file)\n`]);
    writeFileSync(join(dir, "latin.csv"), Buffer.concat([Buffer.from("order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2026-01-05,"), Buffer.from([0xe0, 0xe1]), Buffer.from(",P,1,2\n")]));
    const bytes = await cli("ingest", "--data", join(dir, "latin.csv"));
    expect(bytes.code).toBe(1);
    expect(bytes.err).toContain("(e.g. --encoding windows-1255 for Hebrew, --encoding windows-1252 for Western European exports)");
    mkdirSync(join(dir, "mine"));
    writeFileSync(join(dir, "mine", "orders.csv"), "order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2026-01-05,C,P,1,2\n");
    for (const cmd of ["synth", "demo"]) {
      const r = await cli(cmd, "--out", join(dir, "mine"), "--customers", "20", "--quiet");
      expect([cmd, r.code, r.err]).toEqual([cmd, 2, expect.stringContaining("holds orders.csv not written by orderpulse synth")]);
    }
    expect(readFileSync(join(dir, "mine", "orders.csv"), "utf8")).toContain("1,2026-01-05,C,P,1,2");
    // any file of the contract (review 2026-12-07: a folder of the user's targets.csv alone was written over)
    mkdirSync(join(dir, "targets"));
    writeFileSync(join(dir, "targets", "targets.csv"), "rep_id,period,kpi,target\nR1,2026-10,revenue,5000\n");
    const t = await cli("synth", "--out", join(dir, "targets"), "--customers", "20", "--quiet");
    expect([t.code, t.err]).toEqual([2, expect.stringContaining("holds targets.csv not written by orderpulse synth")]);
    expect(readFileSync(join(dir, "targets", "targets.csv"), "utf8")).toBe("rep_id,period,kpi,target\nR1,2026-10,revenue,5000\n");
    // a folder synth wrote is written over
    expect((await cli("synth", "--out", join(dir, "ours"), "--customers", "20", "--quiet")).code).toBe(0);
    expect((await cli("synth", "--out", join(dir, "ours"), "--customers", "20", "--seed", "2", "--quiet")).code).toBe(0);
  }, 60_000);

  it("mixed currencies: exit 1 with each currency's lines and what a CLI user can do (review 2026-12-07: 'pass { currency, fx }', which the CLI cannot)", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "orders.csv"), "order_id,order_date,customer_id,product_id,quantity,unit_price,currency\nA,2026-01-01,C,P,1,2,USD\nB,2026-01-02,C,P,1,2,EUR\nD,2026-01-03,C,P,1,2,USD\n");
    const r = await cli("ingest", "--data", dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe("orderpulse: order lines are in several currencies (EUR: 1 line, USD: 2 lines) and no fx rates were given; the CLI converts no currencies: convert the export first, or read it with readDataset({ currency, fx }) in code\n");
    writeFileSync(join(dir, "orders.csv"), "order_id,order_date,customer_id,product_id,quantity,unit_price,currency\nA,2026-01-01,C,P,1,2,USD\n");
    const asked = await cli("ingest", "--data", dir, "--currency", "EUR");
    expect(asked.err).toBe("orderpulse: order lines are in USD (1 line), not in the currency asked (EUR), and no fx rates were given; leave --currency out (or give the lines' own), or convert the export first\n");
  });

  it("synth's range errors name the flag typed (review 2026-12-07: 'years must be an integer in [1, 20]')", async () => {
    for (const [flag, value] of [["--years", "25"], ["--products", "0"], ["--end", "2026-02-30"]] as const) {
      const r = await cli("synth", "--out", tmp(), flag, value);
      expect([flag, r.code, r.err.startsWith(`orderpulse: ${flag}`)]).toEqual([flag, 2, true]);
    }
  });

  it("--delimiter by name: tab, comma, semicolon, pipe, or \\t (review 2026-12-07: 'tab' was read as three characters)", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "orders.csv"), `${HEADER.replaceAll(",", "\t")}\nA\t2026-01-01\tC\tP\t1\t2\n`);
    for (const name of ["tab", "TAB", "\\t"]) expect([name, (await cli("ingest", "--data", dir, "--delimiter", name, "--json")).code]).toEqual([name, 0]);
    writeFileSync(join(dir, "orders.csv"), `${HEADER.replaceAll(",", ";")}\nA;2026-01-01;C;P;1;2\n`);
    const r = JSON.parse((await cli("ingest", "--data", dir, "--delimiter", "semicolon", "--json")).out) as { report: { accepted: number } };
    expect(r.report.accepted).toBe(1);
  });

  it("--stage maps a CRM's stage names (review 2026-12-07: 'Closed Won' rows were rejected and the deals they closed read as stalled)", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "orders.csv"), `${HEADER}\nA,2026-01-01,C1,P,1,2\n`);
    writeFileSync(join(dir, "deal_events.csv"), "deal_id,customer_id,stage,entered_at,rep_id,amount\nD1,C1,Proposal,2026-01-05,R1,100\nD1,C1,Closed Won,2026-01-20,R1,100\nD2,C1,proposal,2026-01-05,R1,100\nD2,C1,Closed Lost,2026-01-25,R1,100\n");
    const report = async (...extra: string[]) => (JSON.parse((await cli("ingest", "--data", dir, "--json", ...extra)).out) as { report: { tables: { dealEvents: { accepted: number; byReason: Record<string, number> } } } }).report.tables.dealEvents;
    expect(await report()).toMatchObject({ accepted: 2, byReason: { unknown_stage: 2 } });
    expect(await report("--stage", "Closed Won=won", "--stage", "closed lost=LOST")).toMatchObject({ accepted: 4, byReason: {} });
    for (const bad of ["Closed Won", "=won", "Closed Won=closed", "Closed Won=won=x"]) {
      const r = await cli("ingest", "--data", dir, "--stage", bad);
      expect([bad, r.code, r.err]).toEqual([bad, 2, expect.stringMatching(/^orderpulse: --stage takes NAME=stage with a stage of lead, qualified, proposal, negotiation, won, lost, got /)]);
    }
    const twice = await cli("ingest", "--data", dir, "--stage", "Closed Won=won", "--stage", "closed won=lost");
    expect([twice.code, twice.err]).toEqual([2, "orderpulse: --stage maps closed won twice (to won and to lost)\n"]);
  });

  it("exit 2: usage errors print one line", async () => {
    for (const argv of [[], ["frobnicate"], ["synth"], ["synth", "--out", tmp(), "--seed", "x"], ["synth", "--out", tmp(), "--seed", "0x2"], ["synth", "--out", tmp(), "--customers", "1e1"], ["synth", "--out", tmp(), "--bogus"], ["ingest"], ["ingest", "--data", "x", "--map", "order_id"], ["ingest", "--data", "x", "--preset", "sap"], ["help", "nope"]]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      if (argv.length > 0) expect(r.err.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
    const dir = tmp();
    writeFileSync(join(dir, "orders.csv"), `${HEADER}\nA,2026-01-01,C,P,1,2\n`);
    const tz = await cli("ingest", "--data", dir, "--time-zone", "Mars/Olympus");
    expect(tz.code).toBe(2);
    expect(tz.err).toBe("orderpulse: --time-zone: unknown time zone: Mars/Olympus\n");
    // the library's option errors name the flag the user typed (they named timeZone, map, delimiter, or none)
    for (const [flag, value] of [["--map", "foo=bar"], ["--encoding", "foo"], ["--delimiter", ""]] as const) {
      const r = await cli("ingest", "--data", dir, flag, value);
      expect([flag, r.code, r.err.startsWith(`orderpulse: ${flag}: `)]).toEqual([flag, 2, true]);
    }
    // a column mapped twice to different sources (the last one silently won); the same twice is fine
    const twice = await cli("ingest", "--data", dir, "--map", "order_id=Invoice", "--map", "order_id=InvoiceNo");
    expect([twice.code, twice.err]).toEqual([2, "orderpulse: --map maps order_id twice (to Invoice and to InvoiceNo)\n"]);
    expect((await cli("ingest", "--data", dir, "--map", "order_id=order_id", "--map", "order_id=order_id")).code).toBe(0);
  });

  it("exit 2: usage errors name the flag typed, and keep Node's hint (review 2026-12-06)", async () => {
    const dir = tmp();
    const rows = [HEADER];
    for (let w = 0; w < 30; w++) rows.push(`O${w},${new Date(Date.UTC(2026, 0, 5 + 7 * w)).toISOString().slice(0, 10)},C1,P,1,2`);
    writeFileSync(join(dir, "orders.csv"), `${rows.join("\n")}\n`);
    writeFileSync(join(dir, "holidays.txt"), "2026-02-30\n");
    const cases: [string[], RegExp][] = [
      // the hint is the second line of Node's message: a negative seed is passed as --seed=-5
      [["synth", "--out", tmp(), "--seed", "-5"], /--seed=-XYZ/],
      [["patterns", "--data", dir, "--weekend", "sun,mon,tue,wed,thu,fri,sat"], /^orderpulse: --weekend: every day of the week is a weekend/],
      [["patterns", "--data", dir, "--holidays", join(dir, "holidays.txt")], /^orderpulse: --holidays .*"2026-02-30" is not a YYYY-MM-DD date/],
      [["kpis", "--data", dir, "--periods", "9007199254740991"], /^orderpulse: --periods: /],
      [["similar", "--data", dir, "--product", "P", "-k", "0"], /^orderpulse: -k must be an integer/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv, "--quiet");
      expect([argv.join(" "), r.code, r.err.trim().split("\n").length]).toEqual([argv.join(" "), 2, 1]);
      expect(r.err, argv.join(" ")).toMatch(message);
    }
    expect((await cli("synth", "--out", tmp(), "--seed=-5", "--customers", "5", "--years", "1", "--quiet")).code).toBe(0);
    // day flags take white space around the day, as --as-of does (--split " D" was refused)
    const split = await cli("recommend", "--data", dir, "--evaluate", "--split", " 2026-04-06 ", "--quiet");
    expect(split.code).toBe(0);
  }, 60_000);

  it("exit 1: runtime failures (missing file, missing column)", async () => {
    const r = await cli("ingest", "--data", join(tmp(), "nope.csv"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no such file/);
    const dir = tmp();
    writeFileSync(join(dir, "orders.csv"), "order_id,order_date\nA,2026-01-01\n");
    const m = await cli("ingest", "--data", dir);
    expect(m.code).toBe(1);
    expect(m.err).toBe("orderpulse: orders.csv: missing required column customer_id\n");
  });

  it("exit 3: data rejected under --strict; without --strict the report lists it", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "orders.csv"), `${HEADER}\nA,2026-01-01,C,P,1,2\nB,2026-01-02,C,P,one,2\n`);
    const strict = await cli("ingest", "--data", dir, "--strict");
    expect(strict.code).toBe(3);
    expect(strict.err).toBe("orderpulse: orders.csv:3: quantity is not a number: one\n");
    const lax = await cli("ingest", "--data", dir);
    expect(lax.code).toBe(0);
    expect(lax.out).toMatch(/rejected orders\.csv:3 \[quantity\]: quantity is not a number: one/);
    const json = await cli("ingest", "--data", dir, "--json");
    expect(JSON.parse(json.out).report).toMatchObject({ rowsRead: 2, accepted: 1, rejected: 1 });
  });

  it("stdout closed early (| head): exits quietly with the command's exit code, no EPIPE stack", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "orders.csv"), `${HEADER}\nA,2026-01-01,C1,P,1,2\nB,2026-01-02,C2,P,3,2\n`);
    const kpis = await runWithClosedStdout(["kpis", "--data", dir, "--as-of", "2026-01-31", "--by", "customer", "--csv", "--quiet"]);
    expect(kpis).toEqual({ code: 0, err: "" });
    // no command: the help on stdout and exit 2
    expect(await runWithClosedStdout([])).toEqual({ code: 2, err: "" });
  }, 60_000);

  it("synth writes the contract files and truth.json, byte-identical for the same seed", async () => {
    const a = tmp();
    const b = tmp();
    const args = ["--seed", "1", "--customers", "20", "--products", "40", "--years", "1"];
    const written = await cli("synth", "--out", a, ...args);
    expect(written.code).toBe(0);
    // truth.json counts its planted events, not rows (review 2026-12-07)
    expect(written.out).toMatch(/\n {2}truth\.json +\d+ events\n/);
    expect(written.out).toMatch(/\n {2}orders\.csv +[\d,]+ rows\n/);
    expect((await cli("synth", "--out", b, ...args, "--quiet")).code).toBe(0);
    const files = readdirSync(a).sort();
    expect(files).toEqual(["content.csv", "customers.csv", "deal_events.csv", "orders.csv", "products.csv", "reps.csv", "targets.csv", "truth.json"]);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    // any safe integer seeds, as the library takes (--seed=-5 was a usage error)
    const c = tmp();
    expect((await cli("synth", "--out", c, "--seed=-5", "--customers", "20", "--products", "40", "--years", "1", "--quiet")).code).toBe(0);
    expect(JSON.parse(readFileSync(join(c, "truth.json"), "utf8")).options.seed).toBe(-5);
  });

  it("demo generates, reads back and summarises (JSON)", async () => {
    const dir = tmp();
    const r = await cli("demo", "--out", dir, "--customers", "30", "--products", "60", "--years", "1", "--json");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.lines).toBeGreaterThan(100);
    expect(s.report.rejected).toBe(0);
    expect(s.report.rowsRead).toBe(s.report.accepted + s.report.rejected + s.report.excluded);
    expect(Object.keys(s.plantedEvents).length).toBeGreaterThan(0);
    expect(s.signals.count).toBe(Object.values(s.signals.byType as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(s.signals.top.length).toBe(Math.min(5, s.signals.count));
    // reps and managers apart (review 2026-12-07: "4 reps" for 3 reps and a manager)
    const reps = readFileSync(join(dir, "reps.csv"), "utf8").trim().split("\n").slice(1);
    const managers = new Set(reps.map((r) => r.split(",")[2]).filter((m) => m !== undefined && m !== ""));
    expect([s.reps, s.managers]).toEqual([reps.length - managers.size, managers.size]);
    expect(managers.size).toBeGreaterThan(0);
  });

  it("demo's tour names commands that give what it shows: --data and the tour's as-of day on each (the default would be today)", async () => {
    const dir = tmp();
    const r = await cli("demo", "--out", dir, "--customers", "30", "--products", "60", "--years", "1");
    expect(r.code).toBe(0);
    const asOf = /Signals as of (\d{4}-\d{2}-\d{2})/.exec(r.out)![1]!;
    const commands = [...r.out.matchAll(/\(orderpulse (kpis|patterns|signals|recommend|brief)\b([^)]*)\)/g)].map((m) => m[0]);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    expect(r.out).toContain(`orderpulse customer --data ${dir} --as-of ${asOf} --id ID`);
    for (const c of commands) {
      expect(c).toContain(`--data ${dir}`);
      expect(c).toContain(`--as-of ${asOf}`);
    }
  });
});
