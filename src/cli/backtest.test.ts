import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../test/support/cli.ts";
import { tempDir } from "../../test/support/temp-dir.ts";

/** A canonical orders.csv: C1 weekly on Mondays until 2026-10-05, C2 weekly throughout. */
function fixture(): string {
  const dir = tempDir("op-backtest-");
  const rows = ["order_id,order_date,customer_id,product_id,quantity,unit_price,unit_cost"];
  const first = Date.UTC(2026, 0, 5);
  for (let w = 0; w < 61; w++) {
    const day = new Date(first + 7 * w * 86_400_000).toISOString().slice(0, 10);
    if (w < 40) rows.push(`A${w},${day},C1,P1,10,3,2`);
    rows.push(`B${w},${day},C2,P1,10,3,2`);
  }
  writeFileSync(join(dir, "orders.csv"), `${rows.join("\n")}\n`);
  writeFileSync(join(dir, "truth.json"), JSON.stringify({ generator: "orderpulse-synth", events: [{ type: "churn", customerId: "C1", start: "2026-10-06" }] }));
  writeFileSync(join(dir, "bad.json"), "{ not json");
  return dir;
}

describe("orderpulse backtest", () => {
  const dir = fixture();
  const data = ["--data", dir, "--from", "2026-09-07", "--to", "2027-03-01", "--type", "customer_overdue"];

  it("prints a table per type, the overdue check and, with --truth, the scores beside the baselines", async () => {
    const r = await cli("backtest", ...data, "--truth", join(dir, "truth.json"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^backtest 2026-09-07 \.\. 2027-03-01: 26 as-of days every 7 days, sensitivity 1/);
    expect(r.out).toMatch(/customer_overdue +1 /);
    expect(r.out).toMatch(/baseline: static monthly report/);
    expect(r.out).toMatch(/baseline: naive rhythm/);
    expect(r.out).toMatch(/1\/1 +1 +1 +1/); // found 1/1, recall 1, precision 1, +related 1
    expect(r.out).toMatch(/did not order within their p90 gap/);
    expect(r.out).toMatch(/against the static monthly report .* listed 1, flagged earlier 1/);
  });

  it("a truth.json with a byte-order mark (a Windows editor's) is read; --to past the data is clipped without the stale-export note (review 2026-12-07)", async () => {
    writeFileSync(join(dir, "bom.json"), `\uFEFF${JSON.stringify({ events: [{ type: "churn", customerId: "C1", start: "2026-10-06" }] })}`);
    const bom = await cli("backtest", ...data, "--truth", join(dir, "bom.json"));
    expect(bom.code).toBe(0);
    expect(bom.out).toMatch(/1\/1 +1 +1 +1/);
    const late = await cli("backtest", "--data", dir, "--from", "2026-09-07", "--to", "2027-12-31", "--type", "customer_overdue");
    expect(late.code).toBe(0);
    expect(late.err).not.toContain("silent since then");
  });

  it("without --truth: the baselines' rows with their situation counts, and the report's never-listed count named for what it counts", async () => {
    const r = await cli("backtest", ...data);
    expect(r.code).toBe(0);
    // (review 2026-12-07: without --truth the table dropped the baselines --json has)
    expect(r.out).toMatch(/baseline: static monthly report +\d+/);
    expect(r.out).toMatch(/baseline: naive rhythm +\d+/);
    expect(r.out).not.toMatch(/recall/);
    // the report's day is 90 to about 120 days after the last order: "within 90 days" was wrong
    expect(r.out).toMatch(/never listed \(ordered again before the report's day\) 0/);
  });

  it("--json prints the result object", async () => {
    const r = await cli("backtest", ...data, "--every", "14", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(["from", "to", "every", "asOfDays", "types", "sensitivity", "byType", "situations", "entities"]);
    expect(j).toMatchObject({ from: "2026-09-07", to: "2027-03-01", every: 14, types: ["customer_overdue"], sensitivity: 1 });
    expect(j.asOfDays.length).toBe(13);
    expect(j.byType[0]).toMatchObject({ type: "customer_overdue", situations: 1, entities: 1 });
    expect(j.byType[0].overdue).toMatchObject({ flagged: 1, reportListed: 1 });
    expect(j.situations[0]).toMatchObject({ id: "customer_overdue:C1:2026-10-05", type: "customer_overdue", entity: "C1", customerId: "C1" });
    expect(j.entities[0]).toMatchObject({ type: "customer_overdue", entity: "C1", situations: 1 });
  });

  it("usage errors exit 2; --help exits 0", async () => {
    expect((await cli("backtest", "--help")).code).toBe(0);
    expect((await cli("help", "backtest")).out).toMatch(/--truth FILE/);
    expect((await cli("backtest", "--data", dir, "--to", "2027-03-01")).code).toBe(2); // no --from
    expect((await cli("backtest", "--data", dir, "--from", "2026-09-07")).code).toBe(2); // no --to
    expect((await cli("backtest", "--data", dir, "--from", "2027-09-07", "--to", "2027-03-01")).code).toBe(2);
    expect((await cli("backtest", "--data", dir, "--from", "7/9/2026", "--to", "2027-03-01")).code).toBe(2);
    expect((await cli("backtest", ...data, "--every", "0")).code).toBe(2);
    expect((await cli("backtest", ...data, "--type", "nope")).code).toBe(2);
    // a --type without any type is a usage error, as --kpi and --kind are (review 2026-12-06: it ran every type)
    expect((await cli("backtest", ...data.slice(0, -2), "--type", ",")).code).toBe(2);
    expect((await cli("backtest", ...data, "--sensitivity", "-1")).code).toBe(2);
    expect((await cli("backtest", ...data, "--truth", join(dir, "missing.json"))).code).toBe(2);
    const bad = await cli("backtest", ...data, "--truth", join(dir, "bad.json"));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not JSON/);
    writeFileSync(join(dir, "no-events.json"), "{}");
    expect((await cli("backtest", ...data, "--truth", join(dir, "no-events.json"))).code).toBe(2);
    expect((await cli("backtest", ...data, "--bogus")).code).toBe(2);
    expect((await cli("backtest", "--from", "2026-09-07", "--to", "2027-03-01")).code).toBe(2); // no --data
  });
});
