import { studentTCdf } from "./student-t.ts";

/** @internal Observations below which {@link predictiveScaleFactor} does not test (factor 1). */
export const MIN_SCALE_OBSERVATIONS = 30;

/** @internal The scale factor fitted by {@link predictiveScaleFactor}. */
export interface ScaleFactorFit {
  /** The factor to apply: `fitted` when the likelihood-ratio test rejects 1, else 1. */
  readonly factor: number;
  /** The maximum-likelihood factor in [1/2, 4]. */
  readonly fitted: number;
  /** Twice the log-likelihood gain of `fitted` over 1 (χ²₁ under "calibrated"). */
  readonly lrStatistic: number;
  /** Observations used. */
  readonly n: number;
}

/**
 * @internal Recalibration of Student-t predictives by one scale factor k (a parametric form of
 * forecast recalibration: Gneiting, Balabdaoui & Raftery 2007, "Probabilistic forecasts,
 * calibration and sharpness", JRSS B 69). Each observation is standardized by its own predictive,
 * z = (y − μ)/s, and known to lie in (zL, zU]: the silence before the forecast (the predictive is
 * conditional on it) and the end of the follow-up (only outcomes by then are seen: right
 * truncation). The log-likelihood of k is Σ [ln t_ν(z/k) − ln k − ln(T_ν(zU/k) − T_ν(zL/k))]
 * (constants dropped); its maximum is found by golden-section search on ln k in [ln 1/2, ln 4].
 * The factor is applied only when the likelihood-ratio test rejects k = 1 (2ΔLL above the χ²₁
 * `critical` value), so a model that is calibrated stays exactly as it is.
 * @param z standardized outcomes
 * @param zL standardized lower bounds (−Infinity: none)
 * @param zU standardized upper bounds (Infinity: none)
 * @param nu degrees of freedom of each predictive
 * @param critical χ²₁ critical value of the test (default 6.635: 1%)
 * @returns the factor, the fitted factor, the test statistic and the count (fewer than 30 observations: factor 1)
 */
export function predictiveScaleFactor(z: Float64Array, zL: Float64Array, zU: Float64Array, nu: Float64Array, critical = 6.635): ScaleFactorFit {
  const n = z.length;
  if (n < MIN_SCALE_OBSERVATIONS) return { factor: 1, fitted: 1, lrStatistic: 0, n };
  const ll = (k: number): number => {
    let s = -n * Math.log(k);
    for (let i = 0; i < n; i++) {
      const v = nu[i]!;
      const x = z[i]! / k;
      s -= 0.5 * (v + 1) * Math.log1p((x * x) / v);
      const l = zL[i]!, u = zU[i]!;
      if (l === -Infinity && u === Infinity) continue;
      // the mass of (zL, zU] from the nearer tails (no cancellation when both are far out)
      const mass = l > 0 ? studentTCdf(-l / k, v) - studentTCdf(-u / k, v) : studentTCdf(u / k, v) - studentTCdf(l / k, v);
      s -= Math.log(Math.max(1e-300, mass));
    }
    return s;
  };
  const g = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(0.5), b = Math.log(4);
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = ll(Math.exp(c)), fd = ll(Math.exp(d));
  while (b - a > 1e-3) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = ll(Math.exp(c));
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = ll(Math.exp(d));
    }
  }
  const fitted = Math.exp((a + b) / 2);
  const lrStatistic = Math.max(0, 2 * (ll(fitted) - ll(1)));
  return { factor: lrStatistic > critical ? fitted : 1, fitted, lrStatistic, n };
}
