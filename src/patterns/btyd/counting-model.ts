/**
 * Types shared by the BTYD purchase-count models (BG/NBD, MBG/NBD): the summary they are fitted
 * on, the prediction methods of a model, and the result of a maximum-likelihood fit.
 * @module
 */

/**
 * Per-customer recency / frequency columns, in one time unit (weeks in the literature).
 * {@link BtydSummary} from `calibrationSummary()` / `summaryFromDataset()` is one.
 */
export interface BtydCountingSummary {
  /** Repeat purchases x in the calibration period. */
  readonly x: ArrayLike<number>;
  /** Recency t_x: time of the last purchase after the first (0 when x = 0). */
  readonly tx: ArrayLike<number>;
  /** Age T: time from the first purchase to the calibration end. */
  readonly T: ArrayLike<number>;
}

/**
 * A purchase-count model with fixed parameters. All methods are pure and never throw; they
 * return NaN for impossible inputs (negative times or counts, a fractional x, t_x > T). Times are in the unit of
 * the summary the parameters were fitted on.
 */
export interface BtydCountingModel<P> {
  /** The parameters. */
  readonly params: P;
  /**
   * Probability that a customer with history (x, t_x, T) is still alive at T.
   * @param x - repeat purchases
   * @param tx - recency
   * @param T - age
   * @returns P(alive), in [0, 1]
   */
  probabilityAlive(x: number, tx: number, T: number): number;
  /**
   * Expected purchases in the next t time units of a customer with history (x, t_x, T).
   * @param t - horizon after T
   * @param x - repeat purchases
   * @param tx - recency
   * @param T - age
   * @returns E[Y(t) | x, t_x, T]
   */
  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number;
  /**
   * Expected repeat purchases of a new customer in the first t time units after the first purchase.
   * @param t - time since the first purchase
   * @returns E[X(t)]
   */
  expectedPurchases(t: number): number;
  /**
   * Probability that a new customer makes exactly n repeat purchases in the first t time units.
   * @param t - time since the first purchase
   * @param n - number of repeat purchases (integer)
   * @returns P(X(t) = n)
   */
  probabilityOfPurchases(t: number, n: number): number;
  /**
   * Log-likelihood of one customer's history (x, t_x, T) under the model.
   * @param x - repeat purchases
   * @param tx - recency
   * @param T - age
   * @returns ln L(params | x, t_x, T)
   */
  customerLogLikelihood(x: number, tx: number, T: number): number;
}

/** A model fitted by maximum likelihood. */
export interface BtydCountingFit<P> extends BtydCountingModel<P> {
  /** Σ over the customers used of the log-likelihood at `params` (the penalty not included). */
  readonly logLikelihood: number;
  /** Whether the optimizer met its tolerance within the evaluation budget. */
  readonly converged: boolean;
  /** Objective evaluations the optimizer used. */
  readonly evaluations: number;
  /** Customers the fit used. */
  readonly customers: number;
  /** Summary rows skipped as invalid (non-finite, negative, fractional x, t_x > T, or x > 0 with t_x = 0). */
  readonly skipped: number;
  /** The L2 penalty coefficient used. */
  readonly penalizer: number;
}

/** Options of the BTYD purchase-count fits. */
export interface BtydCountingFitOptions<P> {
  /**
   * L2 penalty coefficient c: minimises −(mean log-likelihood) + c · Σ params² (the
   * `penalizer_coef` of lifetimes). Default 0.
   */
  readonly penalizer?: number | undefined;
  /** Starting parameters of the search (default: all 1, with the scale at the mean age T). */
  readonly initial?: P | undefined;
  /** Optimizer budget in objective evaluations (default 20000). */
  readonly maxEvaluations?: number | undefined;
}
