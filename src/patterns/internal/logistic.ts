import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { log1pExp } from "./log1p-exp.ts";

/**
 * L2-regularized logistic regression fitted by iteratively reweighted least squares (Newton's
 * method on the penalized log-likelihood). Features are standardized (mean 0, sd 1; a constant
 * column keeps sd 1) before the fit, the penalty λ/2 Σ βⱼ² acts on the standardized slopes and
 * never on the intercept, and the coefficients are reported on both scales.
 *
 * Each step solves (Zᵀ W Z + Λ) δ = Zᵀ (y − p) − Λ β with a Cholesky factorization (ml-matrix),
 * Z = [1, standardized X], W = diag(p (1 − p)) (times the row weights), Λ = diag(0, λ, …, λ). A
 * step that does not increase the penalized log-likelihood is halved (up to 30 times), so the fit
 * also terminates on separable data when λ = 0 (coefficients then grow until `maxIterations`;
 * `converged` is false). Converged when the largest |δ| is below `tolerance`.
 * Reference: Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed.,
 * section 4.4.1 (IRLS); McCullagh & Nelder, *Generalized Linear Models*, 2nd ed., section 4.4.
 * Labels may be fractional (0..1): Platt's smoothed targets use this.
 * @internal
 */
export interface LogisticOptions {
  /** L2 penalty λ on the standardized slopes (default 1). */
  l2?: number | undefined;
  /** Newton iterations at most (default 100). */
  maxIterations?: number | undefined;
  /** Convergence: largest absolute Newton step on the standardized scale (default 1e-10). */
  tolerance?: number | undefined;
  /** Row weights (default 1). */
  weights?: ArrayLike<number> | undefined;
  /** Standardize the features (default true). */
  standardize?: boolean | undefined;
}

/** @internal A fitted logistic regression. */
export interface LogisticFit {
  /** Intercept on the original feature scale. */
  readonly intercept: number;
  /** Slopes on the original feature scale. */
  readonly coefficients: readonly number[];
  /** Intercept on the standardized scale. */
  readonly standardizedIntercept: number;
  /** Slopes on the standardized scale (what the penalty acts on). */
  readonly standardizedCoefficients: readonly number[];
  /** Feature means used for standardization. */
  readonly means: readonly number[];
  /** Feature standard deviations used for standardization (1 for a constant column). */
  readonly scales: readonly number[];
  /** Newton iterations done. */
  readonly iterations: number;
  /** Whether the step fell below the tolerance. */
  readonly converged: boolean;
  /** Penalized log-likelihood at the solution. */
  readonly penalizedLogLikelihood: number;
  /** Gradient of the penalized log-likelihood at the solution (standardized scale, intercept first). */
  readonly gradient: readonly number[];
}

/** @internal The logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** @internal The linear predictor of a fit at a feature vector (original scale). */
export function linearPredictor(fit: Pick<LogisticFit, "intercept" | "coefficients">, x: ArrayLike<number>): number {
  let eta = fit.intercept;
  for (let j = 0; j < fit.coefficients.length; j++) eta += fit.coefficients[j]! * x[j]!;
  return eta;
}

/**
 * @internal Fit an L2-regularized logistic regression by IRLS.
 * @param x - rows of features (all of the same length)
 * @param y - labels in [0, 1]
 * @param options - l2, maxIterations, tolerance, weights, standardize
 * @returns the fit
 * @throws {RangeError} on empty input, ragged rows, mismatched lengths, non-finite values or labels outside [0, 1]
 */
export function fitLogistic(x: readonly ArrayLike<number>[], y: ArrayLike<number>, options: LogisticOptions = {}): LogisticFit {
  const n = x.length;
  if (n === 0) throw new RangeError("fitLogistic: no rows");
  if (y.length !== n) throw new RangeError("fitLogistic: x and y differ in length");
  const d = x[0]!.length;
  const lambda = options.l2 ?? 1;
  const maxIt = options.maxIterations ?? 100;
  const tol = options.tolerance ?? 1e-10;
  const w = options.weights;
  if (w !== undefined && w.length !== n) throw new RangeError("fitLogistic: weights differ in length");
  if (!(lambda >= 0)) throw new RangeError("fitLogistic: l2 must be >= 0");
  const means = new Array<number>(d).fill(0);
  const scales = new Array<number>(d).fill(1);
  for (let i = 0; i < n; i++) {
    const row = x[i]!;
    if (row.length !== d) throw new RangeError(`fitLogistic: row ${i} has ${row.length} features, expected ${d}`);
    const yi = y[i]!;
    if (!(yi >= 0 && yi <= 1)) throw new RangeError(`fitLogistic: label ${i} is ${yi}, expected 0..1`);
    for (let j = 0; j < d; j++) if (!Number.isFinite(row[j]!)) throw new RangeError(`fitLogistic: feature ${j} of row ${i} is not finite`);
    if (w !== undefined && !(w[i]! >= 0)) throw new RangeError(`fitLogistic: weight ${i} is not >= 0`);
  }
  if (options.standardize ?? true) {
    let wSum = 0;
    for (let i = 0; i < n; i++) wSum += w === undefined ? 1 : w[i]!;
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += (w === undefined ? 1 : w[i]!) * x[i]![j]!;
      m /= wSum;
      let v = 0;
      for (let i = 0; i < n; i++) v += (w === undefined ? 1 : w[i]!) * (x[i]![j]! - m) ** 2;
      const sd = Math.sqrt(v / wSum);
      means[j] = m;
      scales[j] = sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1;
    }
  }
  // standardized design, intercept column first
  const k = d + 1;
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    z[i * k] = 1;
    for (let j = 0; j < d; j++) z[i * k + j + 1] = (x[i]![j]! - means[j]!) / scales[j]!;
  }
  const beta = new Float64Array(k);
  const eta = new Float64Array(n);
  const objective = (b: Float64Array): number => {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < k; j++) e += z[i * k + j]! * b[j]!;
      eta[i] = e;
      const yi = y[i]!;
      // y log p + (1 − y) log(1 − p) = y η − log(1 + e^η)
      ll += (w === undefined ? 1 : w[i]!) * (yi * e - log1pExp(e));
    }
    let pen = 0;
    for (let j = 1; j < k; j++) pen += b[j]! * b[j]!;
    return ll - (lambda / 2) * pen;
  };
  let obj = objective(beta);
  let iterations = 0;
  let converged = false;
  const grad = new Float64Array(k);
  const gradient = (): void => {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const r = (w === undefined ? 1 : w[i]!) * (y[i]! - sigmoid(eta[i]!));
      for (let j = 0; j < k; j++) grad[j]! += z[i * k + j]! * r;
    }
    for (let j = 1; j < k; j++) grad[j]! -= lambda * beta[j]!;
  };
  const trial = new Float64Array(k);
  while (iterations < maxIt) {
    iterations++;
    gradient();
    // Hessian of the negative penalized log-likelihood: Zᵀ W Z + Λ
    const h = Matrix.zeros(k, k);
    const hd = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(eta[i]!);
      const wi = (w === undefined ? 1 : w[i]!) * p * (1 - p);
      if (wi === 0) continue;
      const off = i * k;
      for (let a = 0; a < k; a++) {
        const za = wi * z[off + a]!;
        for (let b = a; b < k; b++) hd[a * k + b]! += za * z[off + b]!;
      }
    }
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        const v = hd[a * k + b]! + (a === b && a > 0 ? lambda : 0);
        h.set(a, b, v);
        h.set(b, a, v);
      }
      // a tiny ridge keeps the factorization defined when W vanishes (perfect fits, λ = 0)
      h.set(a, a, h.get(a, a) + 1e-12 * (1 + h.get(a, a)));
    }
    const chol = new CholeskyDecomposition(h);
    const step = chol.isPositiveDefinite()
      ? chol.solve(Matrix.columnVector(Array.from(grad))).to1DArray()
      : Array.from(grad, (g) => g * 1e-3); // cannot happen with λ > 0; fall back to gradient ascent
    let t = 1;
    let next = obj;
    for (let halvings = 0; halvings <= 30; halvings++) {
      for (let j = 0; j < k; j++) trial[j] = beta[j]! + t * step[j]!;
      next = objective(trial);
      if (next >= obj - 1e-12 * Math.abs(obj)) break;
      t /= 2;
    }
    let maxStep = 0;
    for (let j = 0; j < k; j++) {
      maxStep = Math.max(maxStep, Math.abs(trial[j]! - beta[j]!));
      beta[j] = trial[j]!;
    }
    obj = objective(beta); // also refreshes eta
    if (maxStep < tol) {
      converged = true;
      break;
    }
  }
  gradient();
  const coefficients: number[] = [];
  let intercept = beta[0]!;
  for (let j = 0; j < d; j++) {
    const c = beta[j + 1]! / scales[j]!;
    coefficients.push(c);
    intercept -= c * means[j]!;
  }
  return {
    intercept,
    coefficients,
    standardizedIntercept: beta[0]!,
    standardizedCoefficients: Array.from(beta.subarray(1)),
    means,
    scales,
    iterations,
    converged,
    penalizedLogLikelihood: obj,
    gradient: Array.from(grad),
  };
}
