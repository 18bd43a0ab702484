import type { Dataset } from "../dataset.ts";

/**
 * @internal A unit price at least this many times (or at most its inverse) the reference one
 * marks another unit of sale (12 units at 10, then one case at 120; a case of 6 becoming a case
 * of 12 at twice the list: exactly 2, the commonest pack change, was read as none until
 * 2026-12-08, a review); list price changes under it are no new unit.
 */
const UNIT_CHANGE = 1.8;

/**
 * @internal The price that tells a line's unit of sale: its list price (the line's, else the
 * product's), NaN when unknown. The list moves with the unit and not with a promotion; a net
 * price does both (a 60 % discount read on net prices looked like another unit, and one such line
 * re-scaled a whole history: a review), so without list prices no unit change is read.
 */
export function saleUnitPrice(lines: Dataset["lines"], i: number): number {
  const list = lines.listPrice[i]!;
  return list > 0 && Number.isFinite(list) ? list : Number.NaN;
}

/**
 * @internal Quantity `q` of a line whose unit price is `price`, in the unit of a reference line
 * priced `ref` (both from {@link saleUnitPrice}): q × price ÷ ref when one is at least 1.8 times
 * the other (another unit of sale), else q as sold.
 */
export function inReferenceUnit(q: number, price: number, ref: number): number {
  const r = ref > 0 && price > 0 && Number.isFinite(ref) && Number.isFinite(price) ? price / ref : 1;
  return r >= UNIT_CHANGE || r <= 1 / UNIT_CHANGE ? q * r : q;
}
