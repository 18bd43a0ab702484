import type { KpiContext } from "./context.ts";

/**
 * @internal Which groups appear in the window (any visible line in any slot, returns included);
 * `company` always does. Rows are emitted for every present group in every slot, so series are
 * complete.
 */
export function presentGroups(ctx: KpiContext): number[] {
  const { view, groups, slotOfDay, dayOffset } = ctx;
  const nG = groups.labels.length;
  if (groups.by === "company") return [0];
  const seen = new Uint8Array(nG);
  const { lines, customerStart, customerEnd } = view;
  for (let c = 0; c < customerEnd.length; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const d = lines.day[i]! - dayOffset;
      if (d < 0 || slotOfDay[d]! < 0) continue;
      seen[groups.ofLine ? groups.ofLine[i]! : groups.ofCustomer![c]!] = 1;
    }
  }
  const out: number[] = [];
  for (let g = 0; g < nG; g++) if (seen[g]) out.push(g);
  // order rows by key: labels are dictionary values (sorted), null (missing) last
  return out;
}
