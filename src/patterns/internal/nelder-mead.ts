/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, with the adaptive coefficients of
 * Gao & Han 2012 for dimension n), used for maximum-likelihood fits in log-parameter space
 * where gradients are awkward (hypergeometric terms). Restarts from the best point until the
 * objective stops improving, which guards against premature simplex collapse.
 * @internal
 */
export interface NelderMeadResult {
  /** Argmin found. */
  readonly x: number[];
  /** Objective at x. */
  readonly value: number;
  /** Function evaluations used. */
  readonly evaluations: number;
  /** True when the simplex converged within tolerance before maxEvaluations. */
  readonly converged: boolean;
}

/** @internal */
export interface NelderMeadOptions {
  /** Initial step per coordinate (default 0.5 in log space). */
  readonly step?: number;
  /** Stop when the spread of objective values across the simplex is below this (default 1e-10). */
  readonly fTolerance?: number;
  /** Stop when the simplex diameter is below this (default 1e-9). */
  readonly xTolerance?: number;
  /** Budget (default 20000). */
  readonly maxEvaluations?: number;
  /** Restarts from the best point (default 3). */
  readonly restarts?: number;
  /**
   * Stop (not converged) when the best value has not improved by more than
   * `tolerance · (1 + |best|)` over the last `evaluations` evaluations: a flat ridge the simplex
   * would otherwise follow to the budget (default off).
   */
  readonly stall?: { readonly evaluations: number; readonly tolerance: number } | undefined;
}

/**
 * @internal The public Pareto/NBD and Gamma-Gamma fits' stall rule: stop when 1,000 evaluations
 * gained under 1e-10 relative (a flat ridge; the CDNOW fits converge long before it).
 */
export const FIT_STALL: { readonly evaluations: number; readonly tolerance: number } = { evaluations: 1000, tolerance: 1e-10 };

/** @internal Minimise f from x0. Non-finite objective values are treated as +Infinity. */
export function nelderMead(f: (x: readonly number[]) => number, x0: readonly number[], options: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  const fTol = options.fTolerance ?? 1e-10;
  const xTol = options.xTolerance ?? 1e-9;
  const max = options.maxEvaluations ?? 20_000;
  const alpha = 1, beta = 1 + 2 / n, gamma = 0.75 - 1 / (2 * n), delta = 1 - 1 / n;
  let evaluations = 0;
  const F = (x: readonly number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  let best = [...x0];
  let bestValue = F(best);
  let converged = false;
  const stall = options.stall;
  // the last best value that improved by more than the stall tolerance, and when
  let mark = bestValue, markAt = evaluations, stalled = false;
  for (let round = 0; round <= (options.restarts ?? 3); round++) {
    const step = (options.step ?? 0.5) / (round + 1);
    const pts: number[][] = [best];
    for (let i = 0; i < n; i++) {
      const p = [...best];
      p[i] = p[i]! + step;
      pts.push(p);
    }
    const vals = pts.map((p, i) => (i === 0 ? bestValue : F(p)));
    converged = false;
    while (evaluations < max) {
      const order = vals.map((_, i) => i).sort((a, b) => vals[a]! - vals[b]!);
      const P = order.map((i) => pts[i]!);
      const V = order.map((i) => vals[i]!);
      pts.splice(0, pts.length, ...P);
      vals.splice(0, vals.length, ...V);
      if (stall) {
        if (vals[0]! < mark - stall.tolerance * (1 + Math.abs(mark))) {
          mark = vals[0]!;
          markAt = evaluations;
        } else if (evaluations - markAt > stall.evaluations) {
          stalled = true;
          break;
        }
      }
      let diameter = 0;
      for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) diameter = Math.max(diameter, Math.abs(pts[i]![j]! - pts[0]![j]!));
      if (Math.abs(vals[n]! - vals[0]!) <= fTol * (1 + Math.abs(vals[0]!)) && diameter <= xTol * (1 + Math.max(...pts[0]!.map(Math.abs)))) {
        converged = true;
        break;
      }
      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += pts[i]![j]! / n;
      const along = (t: number): number[] => centroid.map((c, j) => c + t * (pts[n]![j]! - c));
      const xr = along(-alpha);
      const fr = F(xr);
      if (fr < vals[0]!) {
        const xe = along(-beta);
        const fe = F(xe);
        if (fe < fr) {
          pts[n] = xe;
          vals[n] = fe;
        } else {
          pts[n] = xr;
          vals[n] = fr;
        }
      } else if (fr < vals[n - 1]!) {
        pts[n] = xr;
        vals[n] = fr;
      } else {
        const outside = fr < vals[n]!;
        const xc = along(outside ? -gamma : gamma);
        const fc = F(xc);
        if (fc < (outside ? fr : vals[n]!)) {
          pts[n] = xc;
          vals[n] = fc;
        } else {
          for (let i = 1; i <= n; i++) {
            pts[i] = pts[i]!.map((v, j) => pts[0]![j]! + delta * (v - pts[0]![j]!));
            vals[i] = F(pts[i]!);
          }
        }
      }
    }
    let k = 0;
    for (let i = 1; i < vals.length; i++) if (vals[i]! < vals[k]!) k = i;
    const improved = vals[k]! < bestValue - fTol * (1 + Math.abs(bestValue));
    if (vals[k]! <= bestValue) {
      best = pts[k]!;
      bestValue = vals[k]!;
    }
    if (!improved && round > 0) break;
    if (evaluations >= max || stalled) break;
  }
  return { x: best, value: bestValue, evaluations, converged };
}
