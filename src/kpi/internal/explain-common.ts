import type { Dataset } from "../../data/dataset.ts";
import type { PeriodInfo } from "../period.ts";
import type { Groups } from "./context.ts";

/**
 * @internal A contribution before labels, sorting and `top`: one (group, part) cell. Values are
 * Neumaier-compensated (`value + comp`).
 */
export interface RawContribution {
  group: number;
  part: string;
  value: number;
  comp: number;
  count: number;
  customers: number[] | undefined;
  fromQuantity: number | undefined;
  toQuantity: number | undefined;
  fromValue: number | undefined;
  toValue: number | undefined;
  narrowed: number | undefined;
  widened: number | undefined;
}

/** @internal Neumaier step on a raw contribution. */
export function addRaw(r: RawContribution, x: number): void {
  const s = r.value;
  const t = s + x;
  r.comp += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
  r.value = t;
}

/** @internal (group, part) cells in first-touch order, so the output does not depend on hashing. */
/** @internal An empty contribution record. */
export function blankContribution(group: number, part: string): RawContribution {
  return {
    group,
    part,
    value: 0,
    comp: 0,
    count: 0,
    customers: undefined,
    fromQuantity: undefined,
    toQuantity: undefined,
    fromValue: undefined,
    toValue: undefined,
    narrowed: undefined,
    widened: undefined,
  };
}

export class RawCells {
  readonly cells: RawContribution[] = [];
  private readonly index = new Map<string, RawContribution>();

  /** The cell of a group and part, created empty on first use. */
  cell(group: number, part: string): RawContribution {
    const k = `${group}|${part}`;
    let r = this.index.get(k);
    if (!r) {
      r = blankContribution(group, part);
      this.index.set(k, r);
      this.cells.push(r);
    }
    return r;
  }
}

/** @internal Which of the two periods a day falls in: 0 `from`, 1 `to`, -1 neither. */
export function whichPeriod(day: number, from: PeriodInfo, to: PeriodInfo): 0 | 1 | -1 {
  if (day >= from.start && day <= from.end) return 0;
  if (day >= to.start && day <= to.end) return 1;
  return -1;
}

/**
 * @internal Primary group of each customer in each period for a line-level dimension: the group
 * with the largest revenue of positive lines (ties: the lowest group id); -1 when the customer
 * bought nothing in the period. Customer-level dimensions return the customer's group.
 */
export function primaryGroups(view: Dataset, groups: Groups, from: PeriodInfo, to: PeriodInfo): { from: Int32Array; to: Int32Array } {
  const nC = view.customerEnd.length;
  const out = { from: new Int32Array(nC).fill(-1), to: new Int32Array(nC).fill(-1) };
  const { lines, customerStart, customerEnd } = view;
  if (groups.ofCustomer) {
    for (let c = 0; c < nC; c++) out.from[c] = out.to[c] = groups.ofCustomer[c]!;
    return out;
  }
  const ofLine = groups.ofLine!;
  const nG = groups.labels.length;
  const rev = [new Float64Array(nG), new Float64Array(nG)] as const;
  const touched: [number[], number[]] = [[], []];
  for (let c = 0; c < nC; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const q = lines.quantity[i]!;
      if (q <= 0) continue;
      const p = whichPeriod(lines.day[i]!, from, to);
      if (p === -1) continue;
      const g = ofLine[i]!;
      if (rev[p][g] === 0) touched[p].push(g);
      rev[p][g]! += q * lines.unitPrice[i]!;
    }
    for (const p of [0, 1] as const) {
      let best = -1;
      for (const g of touched[p]) {
        if (best < 0 || rev[p][g]! > rev[p][best]! || (rev[p][g] === rev[p][best] && g < best)) best = g;
      }
      (p === 0 ? out.from : out.to)[c] = best;
      for (const g of touched[p]) rev[p][g] = 0;
      touched[p].length = 0;
    }
  }
  return out;
}
