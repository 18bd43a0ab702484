/** Pseudo purchase days (at the family's overall inclusion share) added to every month of a family's seasonal index. */
const SEASON_PSEUDO_DAYS = 10;

/**
 * @internal The monthly seasonal index of each family (rows of 12, row `nF` = all ones for products
 * without a family). Over the family's (customer, product) pairs, I(m) = the purchase days in
 * month m that included the product and D(m) = all the customer's purchase days in month m;
 * with σ = ΣI / ΣD the family's overall inclusion share: s(m) = (I(m) + κσ) / ((D(m) + κ)σ),
 * κ = {@link SEASON_PSEUDO_DAYS} (the posterior mean of the month's share under a Beta prior
 * centred on σ, relative to σ), then rescaled so the months with purchase days average 1; a
 * month without purchase days is 1.
 */
export function familySeasonalIndex(included: Float64Array, exposed: Float64Array, nF: number): Float64Array {
  const out = new Float64Array((nF + 1) * 12).fill(1);
  for (let f = 0; f < nF; f++) {
    let inc = 0, exp = 0;
    for (let m = 0; m < 12; m++) {
      inc += included[f * 12 + m]!;
      exp += exposed[f * 12 + m]!;
    }
    if (inc <= 0 || exp <= 0) continue;
    const share = inc / exp;
    let sum = 0, seen = 0;
    for (let m = 0; m < 12; m++) {
      const d = exposed[f * 12 + m]!;
      if (d <= 0) continue;
      const s = (included[f * 12 + m]! + SEASON_PSEUDO_DAYS * share) / ((d + SEASON_PSEUDO_DAYS) * share);
      out[f * 12 + m] = s;
      sum += s;
      seen++;
    }
    for (let m = 0; m < 12; m++) if (exposed[f * 12 + m]! > 0) out[f * 12 + m] = (out[f * 12 + m]! * seen) / sum;
  }
  return out;
}
