/**
 * @internal ln Φc(z) = ln P(Z > z) for a standard normal Z (Numerical Recipes' erfc, relative
 * error < 1.2e-7 everywhere, so tails stay exact in logs).
 */
export function logNormalSurvival(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const logErfc = Math.log(t) - x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return z >= 0 ? logErfc - Math.LN2 : Math.log1p(-0.5 * Math.exp(logErfc));
}

/**
 * @internal The z with ln Φc(z) = `logTail` (a one-sided normal critical value from the log of its
 * tail probability), by bisection on [−40, 40] to 1e-9.
 */
export function normalCriticalValue(logTail: number): number {
  let lo = -40, hi = 40;
  for (let i = 0; i < 100 && hi - lo > 1e-9; i++) {
    const mid = 0.5 * (lo + hi);
    if (logNormalSurvival(mid) > logTail) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
