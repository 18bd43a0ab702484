/**
 * @internal A self-starting lower CUSUM (Page 1954; self-starting after Hawkins 1987) over a
 * series `y[from..to)`: the in-control mean and scale come from the last `window` observations
 * before the current excursion (at least `minBaseline`), frozen while the excursion lasts, so
 * the path depends on the data only (never on an alarm threshold). Each observation is
 * standardized by the baseline's predictive scale sd·√(1 + 1/n); the reference value is half
 * the design shift, k = shift / (2·sd_pred) with shift = `shiftAbs` + `shiftRel`·mean.
 * S_i = max(0, S_{i−1} − z_i − k); an excursion starts at the first i with S_i > 0 and ends
 * when S returns to 0.
 */
export interface CusumOptions {
  readonly window: number;
  readonly minBaseline: number;
  readonly shiftAbs: number;
  readonly shiftRel: number;
  /** Prior scale (pooled over all series) and its weight in pseudo-observations. */
  readonly sd0: number;
  readonly nu0: number;
}

/** @internal The CUSUM's state at the last observation. */
export interface CusumState {
  /** S at the last observation (0: no excursion in progress). */
  readonly statistic: number;
  /** Index of the current excursion's first observation, -1 when none. */
  readonly start: number;
  /** Baseline (in-control) mean, scale (predictive) and count behind the current excursion. */
  readonly baseMean: number;
  readonly baseSd: number;
  readonly baseCount: number;
  /** First index of the baseline window. */
  readonly baseFrom: number;
  /** Reference value k (standardized units). */
  readonly k: number;
  /** Mean and count of the observations of the excursion. */
  readonly excursionMean: number;
  readonly excursionCount: number;
}

const NONE: CusumState = { statistic: 0, start: -1, baseMean: Number.NaN, baseSd: Number.NaN, baseCount: 0, baseFrom: -1, k: Number.NaN, excursionMean: Number.NaN, excursionCount: 0 };

/** @internal Run the lower CUSUM over `y[from..to)`. */
export function lowerCusum(y: ArrayLike<number>, from: number, to: number, o: CusumOptions): CusumState {
  let s = 0, start = -1;
  let mu = Number.NaN, sd = Number.NaN, k = Number.NaN, nBase = 0, baseFrom = -1, df = 1;
  // sliding window sums over y[i − window, i)
  let sum = 0, sumSq = 0, inWin = 0;
  let excSum = 0, excCount = 0;
  for (let i = from; i < to; i++) {
    if (s === 0 && inWin >= o.minBaseline) {
      mu = sum / inWin;
      const v = Math.max(0, (sumSq - inWin * mu * mu) / (inWin - 1));
      const pooled = (o.nu0 * o.sd0 * o.sd0 + (inWin - 1) * v) / (o.nu0 + inWin - 1);
      sd = Math.sqrt(pooled * (1 + 1 / inWin));
      df = o.nu0 + inWin - 1;
      k = (o.shiftAbs + o.shiftRel * Math.abs(mu)) / (2 * sd);
      nBase = inWin;
      baseFrom = i - inWin;
    }
    const x = y[i]!;
    // at rest (s = 0, so start = −1) an observation at or above the level cannot start an
    // excursion (z >= 0 and k >= 0 give max(0, −z − k) = 0): it leaves the state as it is, and its
    // normal score is not needed
    const restsAbove = s === 0 && x >= mu && k >= 0;
    if (!restsAbove && (s > 0 || inWin >= o.minBaseline)) {
      const z = normalScore((x - mu) / sd, df);
      const next = Math.max(0, s - z - k);
      if (next > 0) {
        if (s === 0) {
          start = i;
          excSum = 0;
          excCount = 0;
        }
        excSum += x;
        excCount++;
      } else start = -1;
      s = next;
    }
    sum += x;
    sumSq += x * x;
    inWin++;
    if (inWin > o.window) {
      const old = y[i - o.window]!;
      sum -= old;
      sumSq -= old * old;
      inWin--;
    }
  }
  if (s <= 0 || start < 0) return NONE;
  return { statistic: s, start, baseMean: mu, baseSd: sd, baseCount: nBase, baseFrom, k, excursionMean: excSum / excCount, excursionCount: excCount };
}

/**
 * @internal Average run length of a standardized normal lower CUSUM with reference value k and
 * decision interval h while in control, by Siegmund's (1985) approximation:
 * ARL₀ ≈ (e^{2kb} − 2kb − 1) / (2k²), b = h + 1.166 (b² when k → 0).
 */
export function cusumArl0(h: number, k: number): number {
  const b = h + 1.166;
  if (k < 1e-6) return b * b;
  const x = 2 * k * b;
  return (Math.exp(x) - x - 1) / (2 * k * k);
}

/** @internal The decision interval h giving an in-control average run length `arl` at reference value k (bisection on {@link cusumArl0}). */
export function cusumThreshold(arl: number, k: number): number {
  let lo = 0, hi = 1;
  while (cusumArl0(hi, k) < arl && hi < 1e4) hi *= 2;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (cusumArl0(mid, k) < arl) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * @internal The normal score of a Student t value with ν degrees of freedom (Wallace 1959):
 * z = sign(t)·√(ν·ln(1 + t²/ν))·(8ν + 1)/(8ν + 3); a t from an estimated scale becomes as
 * extreme as it really is.
 */
export function normalScore(t: number, nu: number): number {
  if (!(nu > 0)) return t;
  const z = Math.sqrt(nu * Math.log1p((t * t) / nu)) * ((8 * nu + 1) / (8 * nu + 3));
  return t < 0 ? -z : z;
}
