/**
 * Nonparametric empirical-Bayes prior for a customer's mean log-gap μ on a fixed grid ("g-modeling":
 * the prior is estimated by maximum likelihood over a discrete grid, the NPMLE of Kiefer &
 * Wolfowitz 1956 computed by EM as in Laird 1978 and Jiang & Zhang 2009), smoothed after every
 * EM step (EMS, Silverman, Jones, Wilson & Nychka 1990) and floored, so every gap length keeps
 * some prior mass. Each grid point carries a normal bump of width GRID_STEP, so the prior is a
 * smooth Gaussian mixture and the posterior is exact and continuous (a clockwork customer whose
 * own mean is known to 1% is not snapped to the nearest grid point). Customers' rhythms are multimodal (weekly, monthly, yearly buyers), which a
 * single normal prior cannot express: it drags a yearly buyer towards its weekly peers. Under
 * the grid prior a customer is pulled only towards rhythms its peers really have.
 * @internal
 */

/** Grid of ln(calendar-equivalent gap days): ln 0.5 .. ln 1500 in GRID_SIZE points. */
export const GRID_FROM: number = Math.log(0.5);
/** Spacing of the grid. */
export const GRID_STEP: number = (Math.log(1500) - Math.log(0.5)) / 127;
/** Number of grid points. */
export const GRID_SIZE = 128;
/** Variance of each grid point's normal bump. */
const BUMP = GRID_STEP * GRID_STEP;
/** Share of the prior mass spread uniformly over the grid (no rhythm is impossible). */
const FLOOR = 0.02;

/** @internal Grid point k. */
export function gridPoint(k: number): number {
  return GRID_FROM + k * GRID_STEP;
}

/** One observation of a customer's mean log-gap: ȳ with sampling variance v (σ²/n). */
export interface GridObservation {
  readonly mean: number;
  readonly variance: number;
}

/**
 * @internal EM for the grid weights. `base` (optional) is a prior over the weights (a Dirichlet
 * centred on it with `pseudo` customers): a segment's prior is estimated with its company's as
 * the centre, so a small segment is its company's prior adjusted by its own customers.
 */
export function fitGrid(obs: readonly GridObservation[], base?: Float64Array, pseudo = 0, iterations = 150, tolerance = 1e-5): Float64Array {
  const G = GRID_SIZE;
  let w: Float64Array = new Float64Array(G);
  if (base) w.set(base);
  else w.fill(1 / G);
  const K = obs.length;
  if (K === 0) return base ? Float64Array.from(base) : w;
  // likelihood matrix, row per customer (K x G), scaled per row (the scale cancels); only the
  // band where it exceeds 1e-12 of the row's peak is kept (a customer's mean is known to a few
  // grid steps), which makes each EM step cost K x band instead of K x G
  const L = new Float64Array(K * G);
  const lo = new Int32Array(K);
  const hi = new Int32Array(K);
  for (let c = 0; c < K; c++) {
    const o = obs[c]!;
    const v = Math.max(0, o.variance) + BUMP;
    const reach = Math.sqrt(2 * v * 27.7); // exp(-27.7) ≈ 1e-12
    lo[c] = Math.max(0, Math.floor((o.mean - reach - GRID_FROM) / GRID_STEP));
    hi[c] = Math.min(G, Math.ceil((o.mean + reach - GRID_FROM) / GRID_STEP) + 1);
    if (lo[c]! >= hi[c]!) {
      // far outside the grid: the nearest end carries it
      const g = o.mean < GRID_FROM ? 0 : G - 1;
      lo[c] = g;
      hi[c] = g + 1;
      L[c * G + g] = 1;
      continue;
    }
    let max = -Infinity;
    for (let g = lo[c]!; g < hi[c]!; g++) {
      const z = o.mean - gridPoint(g);
      const ll = (-0.5 * z * z) / v;
      L[c * G + g] = ll;
      if (ll > max) max = ll;
    }
    for (let g = lo[c]!; g < hi[c]!; g++) L[c * G + g] = Math.exp(L[c * G + g]! - max);
  }
  const acc = new Float64Array(G);
  for (let it = 0; it < iterations; it++) {
    acc.fill(0);
    for (let c = 0; c < K; c++) {
      let s = 0;
      const row = c * G;
      const a = lo[c]!, b = hi[c]!;
      for (let g = a; g < b; g++) s += L[row + g]! * w[g]!;
      if (!(s > 0)) continue;
      const inv = 1 / s;
      for (let g = a; g < b; g++) acc[g]! += L[row + g]! * w[g]! * inv;
    }
    const next = new Float64Array(G);
    let total = 0;
    for (let g = 0; g < G; g++) {
      // M step (MAP with the Dirichlet centred on base), then a [1 2 1]/4 smoothing pass
      const x = acc[g]! + (base ? pseudo * base[g]! : 0);
      next[g] = x;
      total += x;
    }
    for (let g = 0; g < G; g++) next[g]! /= total;
    const sm = smooth(next);
    let change = 0;
    for (let g = 0; g < G; g++) change = Math.max(change, Math.abs(sm[g]! - w[g]!));
    w = sm;
    if (change < tolerance) break;
  }
  return w;
}

function smooth(w: Float64Array): Float64Array {
  const G = w.length;
  const out = new Float64Array(G);
  let total = 0;
  for (let g = 0; g < G; g++) {
    const l = w[Math.max(0, g - 1)]!, r = w[Math.min(G - 1, g + 1)]!;
    const x = (1 - FLOOR) * (0.25 * l + 0.5 * w[g]! + 0.25 * r) + FLOOR / G;
    out[g] = x;
    total += x;
  }
  for (let g = 0; g < G; g++) out[g]! /= total;
  return out;
}

/**
 * @internal Posterior mean and variance of μ under the prior Σ w_g Normal(θ_g, h²), given ȳ with
 * sampling variance v (v = Infinity: the prior itself). Each component updates conjugately:
 * variance c = (1/v + 1/h²)⁻¹, mean c (ȳ/v + θ_g/h²), weight ∝ w_g Normal(ȳ | θ_g, v + h²).
 */
export function gridPosterior(w: Float64Array, mean: number, variance: number): { mean: number; variance: number } {
  let s = 0, m1 = 0, m2 = 0;
  if (!Number.isFinite(variance)) {
    for (let g = 0; g < GRID_SIZE; g++) {
      const x = gridPoint(g);
      s += w[g]!;
      m1 += w[g]! * x;
      m2 += w[g]! * (x * x + BUMP);
    }
  } else {
    const v = Math.max(1e-8, variance);
    const c = 1 / (1 / v + 1 / BUMP);
    const t = v + BUMP;
    // only the band where the likelihood exceeds 1e-12 of its peak matters
    const reach = Math.sqrt(2 * t * 27.7);
    let lo = Math.max(0, Math.floor((mean - reach - GRID_FROM) / GRID_STEP));
    let hi = Math.min(GRID_SIZE, Math.ceil((mean + reach - GRID_FROM) / GRID_STEP) + 1);
    if (lo >= hi) {
      lo = mean < GRID_FROM ? 0 : GRID_SIZE - 1;
      hi = lo + 1;
    }
    const nearest = Math.min(hi - 1, Math.max(lo, Math.round((mean - GRID_FROM) / GRID_STEP)));
    const max = (-0.5 * (mean - gridPoint(nearest)) ** 2) / t;
    for (let g = lo; g < hi; g++) {
      const x = gridPoint(g);
      const p = w[g]! * Math.exp((-0.5 * (mean - x) ** 2) / t - max);
      const m = c * (mean / v + x / BUMP);
      s += p;
      m1 += p * m;
      m2 += p * (m * m + c);
    }
  }
  const mu = m1 / s;
  return { mean: mu, variance: Math.max(0, m2 / s - mu * mu) };
}
