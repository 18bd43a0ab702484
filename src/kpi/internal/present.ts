import { lowerBound } from "../../data/internal/bounds.ts";
import { cellsKey, KPI_CALL_MEMO, type KpiContext, lineSlot, windowEnd, windowStart } from "./context.ts";

/**
 * @internal Which groups appear in the window (any visible line in any slot, returns included;
 * in a clipped run, any line in the whole periods: the like-for-like pass of `computeKpis` has the
 * groups of the whole periods, so a group without lines in the first N days compares with 0 there,
 * not with no row);
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
  if (ctx.clipDays !== undefined) {
    // by day: whole periods (not clipped), from the first slot to the last one (or asOf)
    const { lines, customerStart, customerEnd } = ctx.view;
    const from = ctx.slots[0]!.start, to = Math.min(ctx.asOf, ctx.slots[ctx.slots.length - 1]!.end);
    for (let c = 0; c < customerEnd.length; c++) {
      if (ofCustomer && seen[ofCustomer[c]!] === 1) continue;
      for (let i = lowerBound(lines.day, from, customerStart[c]!, customerEnd[c]!); i < customerEnd[c]! && lines.day[i]! <= to; i++) {
        if (!ofCustomer) seen[ctx.groups.ofLine![i]!] = 1;
        else {
          seen[ofCustomer[c]!] = 1;
          break;
        }
      }
    }
  } else for (let c = 0; c < ctx.view.customerEnd.length; c++) {
    // a customer-level group is present once one of its customers has a line in a slot
    if (ofCustomer) {
      const g = ofCustomer[c]!;
      if (seen[g] === 0 && anyWindowLine(ctx, c)) seen[g] = 1;
    } else markLineGroups(ctx, c, seen);
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

/** Whether customer `c` has a line in a slot. */
function anyWindowLine(ctx: KpiContext, c: number): boolean {
  for (let i = windowStart(ctx, c), end = windowEnd(ctx, c); i < end; i++) if (lineSlot(ctx, i) >= 0) return true;
  return false;
}

/** Mark the line-level groups of customer `c`'s lines in a slot. */
function markLineGroups(ctx: KpiContext, c: number, seen: Uint8Array): void {
  const ofLine = ctx.groups.ofLine!;
  for (let i = windowStart(ctx, c), end = windowEnd(ctx, c); i < end; i++) if (lineSlot(ctx, i) >= 0) seen[ofLine[i]!] = 1;
}
