import type { Dataset } from "../../data/dataset.ts";
import { OrderpulseError } from "../../data/errors.ts";
import type { OrderOccasions } from "../../data/order-occasions.ts";
import { sharedOrderOccasions } from "../../data/internal/shared-occasions.ts";
import type { Groups } from "./context.ts";

/**
 * @internal Purchase occasions with the groups each one belongs to. For customer-level
 * dimensions (company, customer, segment, region, owner rep) an occasion has exactly its
 * customer's group; for line-level dimensions (channel, product, family, seller rep) it belongs
 * to every group one of its positive visible lines belongs to (so an order with coffee and cups
 * lines counts for both families, once each).
 */
export interface OccasionGroups {
  /** The occasions (sorted by customer, day, order). */
  readonly occ: OrderOccasions;
  /** Groups of occasion `k`: `group[groupStart[k]] .. group[groupStart[k + 1] - 1]`, ascending, distinct. */
  readonly groupStart: Uint32Array;
  /** Flat group ids. */
  readonly group: Int32Array;
}

/** @internal Occasions of a view with their groups (see {@link OccasionGroups}). */
export function occasionGroups(view: Dataset, groups: Groups): OccasionGroups {
  const occ = sharedOrderOccasions(view);
  const n = occ.length;
  const groupStart = new Uint32Array(n + 1);
  if (groups.ofCustomer) {
    const group = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      groupStart[k] = k;
      group[k] = groups.ofCustomer[occ.customer[k]!]!;
    }
    groupStart[n] = n;
    return { occ, groupStart, group };
  }
  const ofLine = groups.ofLine!;
  const nG = groups.labels.length;
  const { lines, customerStart, customerEnd } = view;
  const flat: number[] = [];
  const local = new Map<number, number>();
  const keys: number[] = [];
  for (let c = 0; c < customerEnd.length; c++) {
    const k0 = occ.customerStart[c]!;
    const k1 = occ.customerStart[c + 1]!;
    if (k1 === k0) continue;
    local.clear();
    for (let k = k0; k < k1; k++) local.set(occ.order[k]!, k - k0);
    keys.length = 0;
    for (let i = customerStart[c]!; i < customerEnd[c]!; i++) {
      if (lines.quantity[i]! <= 0) continue;
      keys.push(local.get(lines.order[i]!)! * nG + ofLine[i]!);
    }
    keys.sort((a, b) => a - b);
    let prev = -1;
    let k = k0;
    groupStart[k] = flat.length;
    for (const key of keys) {
      if (key === prev) continue;
      prev = key;
      const kk = k0 + Math.floor(key / nG);
      while (k < kk) groupStart[++k] = flat.length;
      flat.push(key - (kk - k0) * nG);
    }
    while (k < k1) groupStart[++k] = flat.length;
  }
  groupStart[n] = flat.length;
  return { occ, groupStart, group: Int32Array.from(flat) };
}

/**
 * @internal Read an extra integer option (not in the shared schema): `undefined` gives the
 * default; anything but an integer in [min, max] throws `INVALID_OPTION`.
 */
export function intOption(options: object | undefined, name: string, fn: string, min: number, max: number, fallback: number): number {
  const v = (options as Record<string, unknown> | undefined)?.[name];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${name}: expected an integer from ${min} to ${max}`, { option: name, value: v });
  }
  return v;
}

/** @internal Read an extra number option in [min, max) (see {@link intOption}). */
export function fractionOption(options: object | undefined, name: string, fn: string, min: number, maxExclusive: number, fallback: number): number {
  const v = (options as Record<string, unknown> | undefined)?.[name];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v >= maxExclusive) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${name}: expected a number >= ${min} and < ${maxExclusive}`, { option: name, value: v });
  }
  return v;
}

/** @internal Median of a list of numbers (mean of the two middle values when even); `undefined` when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
