import type { Dataset } from "../../data/dataset.ts";
import type { PeriodInfo } from "../period.ts";
import type { Groups } from "./context.ts";
import { addRaw, primaryGroups, RawCells, type RawContribution } from "./explain-common.ts";

/** @internal Per-customer facts for the two periods (positive lines only). */
interface CustomerFacts {
  /** 1 when the customer bought (a positive line) in `from` / `to`. */
  readonly active: readonly [Uint8Array, Uint8Array];
  /** Distinct products bought in `from` / `to`. */
  readonly skus: readonly [Int32Array, Int32Array];
  /** 1 when the customer bought anything before `from` began. */
  readonly before: Uint8Array;
  /** Primary group in `from` / `to`. */
  readonly group: { readonly from: Int32Array; readonly to: Int32Array };
}

function customerFacts(view: Dataset, groups: Groups, from: PeriodInfo, to: PeriodInfo): CustomerFacts {
  const nC = view.customerEnd.length;
  const { lines, customerStart, customerEnd } = view;
  const active = [new Uint8Array(nC), new Uint8Array(nC)] as const;
  const skus = [new Int32Array(nC), new Int32Array(nC)] as const;
  const before = new Uint8Array(nC);
  const nP = view.ids.products.size;
  const stamp = [new Int32Array(nP).fill(-1), new Int32Array(nP).fill(-1)] as const;
  for (let c = 0; c < nC; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (lines.quantity[i]! <= 0) continue;
      const d = lines.day[i]!;
      if (d < from.start) {
        before[c] = 1;
        continue;
      }
      const p = d <= from.end ? 0 : d >= to.start && d <= to.end ? 1 : -1;
      if (p === -1) continue;
      active[p][c] = 1;
      const prod = lines.product[i]!;
      if (stamp[p][prod] !== c) {
        stamp[p][prod] = c;
        skus[p][c]!++;
      }
    }
  }
  return { active, skus, before, group: primaryGroups(view, groups, from, to) };
}

function addCustomer(cells: RawCells, group: number, part: string, c: number, x: number): RawContribution {
  const r = cells.cell(group, part);
  addRaw(r, x);
  r.count++;
  (r.customers ??= []).push(c);
  return r;
}

/**
 * @internal Active customers: lost (active in `from`, not in `to`), gained (first purchase ever
 * after `from` ended) and returned (bought before `from`, not in it, back in `to`). Each customer
 * is ±1 in its primary group.
 */
export function explainActiveCustomers(view: Dataset, groups: Groups, from: PeriodInfo, to: PeriodInfo): { from: number; to: number; cells: RawContribution[] } {
  const f = customerFacts(view, groups, from, to);
  const cells = new RawCells();
  let n0 = 0;
  let n1 = 0;
  for (let c = 0; c < view.customerEnd.length; c++) {
    const a0 = f.active[0][c]!;
    const a1 = f.active[1][c]!;
    n0 += a0;
    n1 += a1;
    if (a0 && !a1) addCustomer(cells, f.group.from[c]!, "lost", c, -1);
    else if (!a0 && a1) addCustomer(cells, f.group.to[c]!, f.before[c] ? "returned" : "gained", c, 1);
  }
  return { from: n0, to: n1, cells: cells.cells };
}

/**
 * @internal SKU breadth B = S / N (S = Σ distinct SKUs of active customers, N = active
 * customers). With B0 = S0 / N0, ΔB = Σ_{c active in to} (n1_c − B0) / N1 splits exactly into
 * breadth (continuing customers: (n1 − n0) / N1), entered ((n1 − B0) / N1) and left
 * (−(n0 − B0) / N1). Each cell sums integer numerators (n·N0 − S0) exactly and divides once by N0·N1.
 */
export function explainSkuBreadth(
  view: Dataset,
  groups: Groups,
  from: PeriodInfo,
  to: PeriodInfo,
): { from: { value: number | undefined; numerator: number; denominator: number }; to: { value: number | undefined; numerator: number; denominator: number }; cells: RawContribution[] } {
  const f = customerFacts(view, groups, from, to);
  const nC = view.customerEnd.length;
  let N0 = 0, N1 = 0, S0 = 0, S1 = 0;
  for (let c = 0; c < nC; c++) {
    if (f.active[0][c]) {
      N0++;
      S0 += f.skus[0][c]!;
    }
    if (f.active[1][c]) {
      N1++;
      S1 += f.skus[1][c]!;
    }
  }
  const period = (s: number, n: number): { value: number | undefined; numerator: number; denominator: number } => ({ value: n > 0 ? s / n : undefined, numerator: s, denominator: n });
  const cells = new RawCells();
  if (N0 > 0 && N1 > 0) {
    const den = N0 * N1;
    for (let c = 0; c < nC; c++) {
      const a0 = f.active[0][c]!;
      const a1 = f.active[1][c]!;
      if (!a0 && !a1) continue;
      const k0 = f.skus[0][c]!;
      const k1 = f.skus[1][c]!;
      let r: RawContribution;
      if (a0 && a1) {
        r = addCustomer(cells, f.group.to[c]!, "breadth", c, (k1 - k0) * N0);
        r.narrowed = (r.narrowed ?? 0) + (k1 < k0 ? 1 : 0);
        r.widened = (r.widened ?? 0) + (k1 > k0 ? 1 : 0);
      } else if (a1) r = addCustomer(cells, f.group.to[c]!, "entered", c, k1 * N0 - S0);
      else r = addCustomer(cells, f.group.from[c]!, "left", c, S0 - k0 * N0);
      r.fromValue = (r.fromValue ?? 0) + k0;
      r.toValue = (r.toValue ?? 0) + k1;
    }
    // numerators are integers (exact sums); one rounding per cell
    for (const r of cells.cells) r.value = (r.value + r.comp) / den;
    for (const r of cells.cells) r.comp = 0;
  }
  return { from: period(S0, N0), to: period(S1, N1), cells: cells.cells };
}
