import type { IngestReport } from "../data/ingest-report.ts";

/** Human summary of an IngestReport (a few lines, reasons sorted by count). @internal */
export function formatReport(report: IngestReport, maxRejected = 5): string {
  const lines: string[] = [];
  const n = (x: number): string => x.toLocaleString("en-US");
  lines.push(
    `rows read ${n(report.rowsRead)} = accepted ${n(report.accepted)} + rejected ${n(report.rejected)} + excluded ${n(report.excluded)}; replaced ${n(report.replaced)}; order lines ${n(report.lines)}`,
  );
  for (const t of Object.values(report.tables)) {
    if (!t) continue;
    const reasons = Object.entries(t.byReason).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${n(v)}`);
    const warnings = Object.entries(t.warnings).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${n(v)}`);
    lines.push(
      `  ${(t.file ?? t.table).padEnd(22)} read ${n(t.rowsRead)}, accepted ${n(t.accepted)}, rejected ${n(t.rejected)}, excluded ${n(t.excluded)}${reasons.length ? `; by reason: ${reasons.join(", ")}` : ""}${warnings.length ? `; warnings: ${warnings.join(", ")}` : ""}`,
    );
  }
  for (const r of report.rejectedRows.slice(0, maxRejected)) {
    lines.push(`  rejected ${r.file ?? r.table}:${r.line}${r.column ? ` [${r.column}]` : ""}: ${r.message}`);
  }
  // --json lists the rows the report kept: the first maxRejectedRows (default 1000), not every one
  const listed = report.rejectedRows.length;
  if (report.rejected > maxRejected) lines.push(`  ... and ${n(report.rejected - maxRejected)} more rejected rows (${listed >= report.rejected ? "--json lists them" : `--json lists the first ${n(listed)}; the counts by reason above are complete`})`);
  return lines.join("\n");
}
