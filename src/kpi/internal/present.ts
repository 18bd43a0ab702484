import { KPI_CALL_MEMO, type KpiContext, lineCells } from "./context.ts";

/**
 * @internal Which groups appear in the window (any visible line in any slot, returns included);
 * `company` always does. Rows are emitted for every present group in every slot, so series are
 * complete. Inside one KPI call (the call memo) the answer for the same cells is kept: the KPIs of
 * a level share their cells, so they share this scan too.
 */
export function presentGroups(ctx: KpiContext, cells: Int32Array = lineCells(ctx)): number[] {
  const nG = ctx.groups.labels.length;
  if (ctx.groups.by === "company") return [0];
  const memo = KPI_CALL_MEMO;
  if (memo.depth > 0 && memo.presentCells === cells && memo.present !== undefined) return [...memo.present];
  const seen = new Uint8Array(nG);
  for (let i = 0; i < cells.length; i++) {
    const k = cells[i]!;
    if (k >= 0) seen[k % nG] = 1;
  }
  // labels are dictionary values (sorted), the null group (missing value) comes last
  const out: number[] = [];
  for (let g = 0; g < nG; g++) if (seen[g]) out.push(g);
  if (memo.depth > 0) {
    memo.presentCells = cells;
    memo.present = [...out];
  }
  return out;
}
