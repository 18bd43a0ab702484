import { lowerBound } from "../../data/internal/bounds.ts";
import { cellsKey, KPI_CALL_MEMO, type KpiContext } from "./context.ts";

/**
 * @internal Which groups appear in the window (any visible line in its periods, returns included;
 * in a clipped run too, any line in the whole periods: the like-for-like pass of `computeKpis` has
 * the groups of the whole periods, so a group without lines in the first N days compares with 0
 * there, not with no row);
 * `company` always does. Rows are emitted for every present group in every slot, so series are
 * complete. Inside one KPI call (the call memo) the answer for the same cells is kept: the KPIs of
 * a level share their cells, so they share this scan too.
 */
export function presentGroups(ctx: KpiContext): number[] {
  const nG = ctx.groups.labels.length;
  if (ctx.groups.by === "company") return [0];
  const memo = KPI_CALL_MEMO;
  const key = memo.depth > 0 ? cellsKey(ctx) : "";
  if (memo.depth > 0 && memo.view === ctx.view) {
    const known = memo.present.get(key);
    if (known !== undefined) return [...known];
  }
  const seen = new Uint8Array(nG);
  const ofCustomer = ctx.groups.ofCustomer;
  // the window's days, whole periods (a clipped run counts only each period's first days, but its
  // groups are those of the whole periods): from the first slot's start to the last slot's end or
  // asOf (the slots are consecutive, so without a clip these are the days in a slot)
  const { lines, customerStart, customerEnd } = ctx.view;
  const from = ctx.slots[0]!.start, to = Math.min(ctx.asOf, ctx.slots[ctx.slots.length - 1]!.end);
  for (let c = 0; c < customerEnd.length; c++) {
    // a customer-level group is present once one of its customers has a line in the window
    if (ofCustomer && seen[ofCustomer[c]!] === 1) continue;
    for (let i = lowerBound(lines.day, from, customerStart[c]!, customerEnd[c]!); i < customerEnd[c]! && lines.day[i]! <= to; i++) {
      if (!ofCustomer) seen[ctx.groups.ofLine![i]!] = 1;
      else {
        seen[ofCustomer[c]!] = 1;
        break;
      }
    }
  }
  // labels are dictionary values (sorted), the null group (missing value) comes last
  const out: number[] = [];
  for (let g = 0; g < nG; g++) if (seen[g]) out.push(g);
  if (memo.depth > 0) {
    if (memo.view !== ctx.view) {
      memo.view = ctx.view;
      memo.present.clear();
    }
    memo.present.set(key, [...out]);
  }
  return out;
}
