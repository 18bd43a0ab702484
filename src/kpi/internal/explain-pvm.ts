import type { Dataset } from "../../data/dataset.ts";
import type { PeriodInfo } from "../period.ts";
import { addTo, netOf, netProfit, type Groups } from "./context.ts";
import { addRaw, RawCells, type RawContribution, whichPeriod } from "./explain-common.ts";

/** @internal Totals of one period, summed exactly as `grossProfit` sums them (same order, same compensation). */
export interface PvmPeriod {
  readonly revenue: number;
  readonly grossProfit: number;
  readonly linesWithoutCost: number;
  readonly lines: number;
}

/** @internal */
export interface PvmResult {
  readonly from: PvmPeriod;
  readonly to: PvmPeriod;
  readonly cells: RawContribution[];
}

/**
 * A net quantity counts as positive when it is above this fraction of the item's gross
 * quantity (Σ |q|): buying 0.3 and returning 0.1 + 0.2 is zero, not 5.6e-17.
 */
const ZERO_QTY = 1e-9;

/**
 * @internal Sequential price–volume–mix(–cost) decomposition. Items are (group, product) cells;
 * for gross profit only lines with a known cost take part (as in `grossProfit`). An item with a
 * positive net quantity in both periods ("common") splits its change into
 *
 *   volume = (Q1 − Q0) · G0 / Q0           (Q = Σ net quantity of common items)
 *   mix    = Q1 · (s1 − s0) · m0           (s = q / Q, m0 = G0 / q0)
 *   price  = q1 · (p1 − p0)                (p = R / q)
 *   cost   = −q1 · (c1 − c0)               (c = C / q; gross profit only)
 *
 * with G = R − C (revenue: G = R, C = 0). These add up to G1 − G0 per item. Any other item
 * contributes G1 − G0 whole: `new` (no positive net quantity in `from`), `lost_item` (none in
 * `to`), `returns_only` (none in either).
 */
export function explainPvm(view: Dataset, groups: Groups, from: PeriodInfo, to: PeriodInfo, withCost: boolean): PvmResult {
  const { lines, customerStart, customerEnd } = view;
  const nC = customerEnd.length;
  // period totals, bit-identical to grossProfit (company): rev, costed rev, cost per period
  const rev = new Float64Array(2), revC = new Float64Array(2);
  const crev = new Float64Array(2), crevC = new Float64Array(2);
  const cst = new Float64Array(2), cstC = new Float64Array(2);
  // Σ|terms| of the three, for the net-zero rule (netProfit, as grossProfit applies it)
  const revA = new Float64Array(2), crevA = new Float64Array(2), cstA = new Float64Array(2);
  const noCost = [0, 0];
  const nLines = [0, 0];
  let cap = 0;
  for (let c = 0; c < nC; c++) {
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) if (whichPeriod(lines.day[i]!, from, to) >= 0) cap++;
  }
  // per item and period (index item * 2 + period): net quantity, revenue, cost, gross |quantity|
  const qS = new Float64Array(cap * 2), qC = new Float64Array(cap * 2);
  const rS = new Float64Array(cap * 2), rC = new Float64Array(cap * 2);
  const cS = new Float64Array(cap * 2), cC = new Float64Array(cap * 2);
  const absQ = new Float64Array(cap * 2);
  // Σ|terms| of an item's revenue and cost, for the net-zero rule as the totals apply it (purchases
  // and returns that cancel left rounding noise, a contribution beside a change of exactly 0)
  const absR = new Float64Array(cap * 2), absC = new Float64Array(cap * 2);
  const itemGroup: number[] = [];
  const itemOf = new Map<number, number>();
  const nP = view.ids.products.size;
  for (let c = 0; c < nC; c++) {
    const gc = groups.ofCustomer ? groups.ofCustomer[c]! : -1;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      const p = whichPeriod(lines.day[i]!, from, to);
      if (p === -1) continue;
      const q = lines.quantity[i]!;
      const r = q * lines.unitPrice[i]!;
      const uc = lines.unitCost[i]!;
      const known = uc === uc;
      addTo(rev, revC, p, r);
      revA[p]! += Math.abs(r);
      nLines[p]!++;
      if (known) {
        addTo(crev, crevC, p, r);
        crevA[p]! += Math.abs(r);
        addTo(cst, cstC, p, q * uc);
        cstA[p]! += Math.abs(q * uc);
      } else noCost[p]!++;
      if (withCost && !known) continue;
      const g = gc >= 0 ? gc : groups.ofLine![i]!;
      const key = g * nP + lines.product[i]!;
      let it = itemOf.get(key);
      if (it === undefined) {
        it = itemGroup.length;
        itemOf.set(key, it);
        itemGroup.push(g);
      }
      const k = it * 2 + p;
      addTo(qS, qC, k, q);
      addTo(rS, rC, k, r);
      absR[k]! += Math.abs(r);
      if (withCost) {
        addTo(cS, cC, k, q * uc);
        absC[k]! += Math.abs(q * uc);
      }
      absQ[k]! += Math.abs(q);
    }
  }
  const period = (p: 0 | 1): PvmPeriod => {
    const { revenue, grossProfit } = netProfit(rev[p]! + revC[p]!, revA[p]!, crev[p]! + crevC[p]!, crevA[p]!, cst[p]! + cstC[p]!, cstA[p]!);
    return { revenue, grossProfit, linesWithoutCost: noCost[p]!, lines: nLines[p]! };
  };

  const nItems = itemGroup.length;
  const qty = (k: number): number => qS[k]! + qC[k]!;
  const positive = (k: number): boolean => absQ[k]! > 0 && qty(k) > ZERO_QTY * absQ[k]!;
  // total net quantity of the common items in each period
  const Q = new Float64Array(2), QC = new Float64Array(2);
  const common = new Uint8Array(nItems);
  for (let it = 0; it < nItems; it++) {
    if (positive(it * 2) && positive(it * 2 + 1)) {
      common[it] = 1;
      addTo(Q, QC, 0, qty(it * 2));
      addTo(Q, QC, 1, qty(it * 2 + 1));
    }
  }
  const Q0 = Q[0]! + QC[0]!;
  const Q1 = Q[1]! + QC[1]!;
  const dQ = Q1 - Q0;

  const cells = new RawCells();
  const put = (g: number, part: string, x: number, q0: number, q1: number, v0: number, v1: number): void => {
    const r = cells.cell(g, part);
    addRaw(r, x);
    r.count++;
    r.fromQuantity = (r.fromQuantity ?? 0) + q0;
    r.toQuantity = (r.toQuantity ?? 0) + q1;
    r.fromValue = (r.fromValue ?? 0) + v0;
    r.toValue = (r.toValue ?? 0) + v1;
  };
  for (let it = 0; it < nItems; it++) {
    const g = itemGroup[it]!;
    const k0 = it * 2, k1 = it * 2 + 1;
    const q0 = qty(k0), q1 = qty(k1);
    const R0 = netOf(rS[k0]! + rC[k0]!, absR[k0]!), R1 = netOf(rS[k1]! + rC[k1]!, absR[k1]!);
    const C0 = withCost ? netOf(cS[k0]! + cC[k0]!, absC[k0]!) : 0;
    const C1 = withCost ? netOf(cS[k1]! + cC[k1]!, absC[k1]!) : 0;
    const G0 = netOf(R0 - C0, absR[k0]! + absC[k0]!), G1 = netOf(R1 - C1, absR[k1]! + absC[k1]!);
    if (common[it]) {
      // rate forms: an unchanged share, unit price or unit cost gives exactly 0, not rounding noise
      // (rates within 1e-12 of each other are unchanged: a unit cost of 0.1 summed over lines,
      // 0.30000000000000004 / 3 against 0.2 / 2, read as a cost effect of −4e-17)
      // an item counts in a mix, price or cost part only with an effect there: its count and
      // quantities are "the items behind it" (until 2026-12-07 every common item was counted, so
      // one product's cost change read "cost −10 (3)" by company and "(1)" by product)
      put(g, "volume", dQ * (G0 / Q0), q0, q1, G0, G1);
      const mix = Q1 * rateChange(q1 / Q1, q0 / Q0) * (G0 / q0);
      if (mix !== 0) put(g, "mix", mix, q0, q1, G0, G1);
      const price = q1 * rateChange(R1 / q1, R0 / q0);
      if (price !== 0) put(g, "price", price, q0, q1, G0, G1);
      const cost = withCost ? -q1 * rateChange(C1 / q1, C0 / q0) : 0;
      if (cost !== 0) put(g, "cost", cost, q0, q1, G0, G1);
    } else {
      const in0 = positive(k0), in1 = positive(k1);
      put(g, in1 ? "new" : in0 ? "lost_item" : "returns_only", netOf(G1 - G0, absR[k0]! + absC[k0]! + absR[k1]! + absC[k1]!), q0, q1, G0, G1);
    }
  }
  return { from: period(0), to: period(1), cells: cells.cells };
}

/** a − b, or 0 when the two rates agree to 1e-12 relative (sums of the same per-line rate differ in their last bits). */
function rateChange(a: number, b: number): number {
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) ? 0 : a - b;
}
