/**
 * Metrics of probabilistic binary classifiers: ROC AUC (Mann-Whitney, ties counted half), Brier
 * score, expected calibration error over equal-width bins and the reliability table behind it
 * (Murphy & Winkler 1977; Naeini, Cooper & Hauskrecht 2015 for ECE; Hanley & McNeil 1982 for the
 * AUC as a Mann-Whitney statistic). The functions are internal; the two result types are public
 * through `evaluateChurnModel`.
 * @module
 */

/** One bin of a reliability table. */
export interface ReliabilityBin {
  /** Lower edge of the predicted-probability bin (inclusive). */
  readonly lower: number;
  /** Upper edge (exclusive, except 1 for the last bin). */
  readonly upper: number;
  /** Predictions that fell in the bin. */
  readonly count: number;
  /** Mean predicted probability in the bin (`undefined` when empty). */
  readonly meanPredicted: number | undefined;
  /** Observed positive rate in the bin (`undefined` when empty). */
  readonly observedRate: number | undefined;
}

/** The metrics of one scorer on one labelled sample. */
export interface ClassificationMetrics {
  /** Labelled rows. */
  readonly n: number;
  /** Positive rows (label 1). */
  readonly positives: number;
  /** ROC AUC: P(a random positive scores above a random negative), ties counted half; `undefined` without both classes. */
  readonly auc: number | undefined;
  /** Brier score: mean squared difference between probability and label (NaN without rows). */
  readonly brier: number;
  /** Expected calibration error: Σ_bins (count / n) × |mean predicted − observed rate| (NaN without rows). */
  readonly ece: number;
  /** Reliability table (equal-width bins over [0, 1]). */
  readonly reliability: readonly ReliabilityBin[];
}

function checkPair(p: ArrayLike<number>, y: ArrayLike<number>): void {
  if (p.length !== y.length) throw new RangeError("classification metrics: scores and labels differ in length");
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`classification metrics: label ${i} is ${y[i]}, expected 0 or 1`);
}

/**
 * @internal ROC AUC as the Mann-Whitney U statistic over midranks: (R₊ − n₊(n₊ + 1)/2) / (n₊ n₋)
 * where R₊ is the sum of the positives' ranks (ties share their mean rank, so a tied
 * positive-negative pair counts one half).
 * @param scores - any real scores (higher = more likely positive)
 * @param labels - 0 or 1
 * @returns the AUC, or undefined when one class is absent
 * @throws {RangeError} on mismatched lengths or labels other than 0 and 1
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | undefined {
  checkPair(scores, labels);
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const mid = (i + j) / 2 + 1; // ranks are 1-based
    for (let t = i; t <= j; t++) {
      if (labels[order[t]!] === 1) {
        rankSum += mid;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return undefined;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * @internal Brier score: mean of (p − y)².
 * @param probabilities - predictions in [0, 1]
 * @param labels - 0 or 1
 * @returns the score (NaN on empty input)
 * @throws {RangeError} on mismatched lengths or labels other than 0 and 1
 */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPair(probabilities, labels);
  let s = 0;
  for (let i = 0; i < labels.length; i++) s += (probabilities[i]! - labels[i]!) ** 2;
  return s / labels.length;
}

/**
 * @internal Reliability table over `bins` equal-width bins of [0, 1]; bin k holds
 * k/bins ≤ p < (k+1)/bins, the last one also p = 1.
 * @param probabilities - predictions in [0, 1]
 * @param labels - 0 or 1
 * @param bins - number of bins (default 10)
 * @returns one row per bin, empty bins included
 * @throws {RangeError} on mismatched lengths, labels other than 0 and 1, or probabilities outside [0, 1]
 */
export function reliabilityTable(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  checkPair(probabilities, labels);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`reliabilityTable: probability ${i} is ${p}, expected 0..1`);
    // p·bins may round across an edge (15/22 · 22 = 14.999…): compare with the edges as the
    // table states them, k/bins ≤ p < (k+1)/bins
    let b = Math.min(bins - 1, Math.floor(p * bins));
    if (b > 0 && p < b / bins) b--;
    else if (b < bins - 1 && p >= (b + 1) / bins) b++;
    count[b]!++;
    sumP[b]! += p;
    sumY[b]! += labels[i]!;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b]!;
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: c, meanPredicted: c > 0 ? sumP[b]! / c : undefined, observedRate: c > 0 ? sumY[b]! / c : undefined });
  }
  return out;
}

/**
 * @internal Expected calibration error over `bins` equal-width bins: Σ (count / n) |mean p − rate|.
 * @param probabilities - predictions in [0, 1]
 * @param labels - 0 or 1
 * @param bins - number of bins (default 10)
 * @returns the ECE (NaN on empty input)
 * @throws {RangeError} as {@link reliabilityTable}
 */
export function expectedCalibrationError(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
  return eceOf(reliabilityTable(probabilities, labels, bins), labels.length);
}

function eceOf(table: readonly ReliabilityBin[], n: number): number {
  if (n === 0) return Number.NaN;
  let e = 0;
  for (const b of table) if (b.count > 0) e += (b.count / n) * Math.abs(b.meanPredicted! - b.observedRate!);
  return e;
}

/**
 * @internal AUC, Brier, ECE and the reliability table of one scorer in one pass.
 * @param probabilities - predictions in [0, 1]
 * @param labels - 0 or 1
 * @param bins - reliability bins (default 10)
 * @returns the metrics
 * @throws {RangeError} as {@link reliabilityTable}
 */
export function classificationMetrics(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ClassificationMetrics {
  const reliability = reliabilityTable(probabilities, labels, bins);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  return {
    n: labels.length,
    positives,
    auc: rocAuc(probabilities, labels),
    brier: brierScore(probabilities, labels),
    ece: eceOf(reliability, labels.length),
    reliability,
  };
}
