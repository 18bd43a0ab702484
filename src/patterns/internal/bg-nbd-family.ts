/**
 * The BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin 2007)
 * formulas, written once with a shift s: s = 0 is BG/NBD (a customer may drop out only after a
 * repeat purchase), s = 1 is MBG/NBD (also right after the first purchase). In BG/NBD terms,
 * MBG/NBD replaces b + x by b + x + 1 in the "still alive" beta function and applies the
 * drop-out term to x = 0 customers too.
 *
 * The conditional expectation uses Euler's transformation
 *   2F1(a, b; c; z) = (1 − z)^(c − a − b) 2F1(c − a, c − b; c; z),
 * which turns ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x+s; a+b+x−1+s; z) into
 * (1 − z)^(a−1) · 2F1(a+b−1+s−r, a−1; a+b+x−1+s; z): the upper parameters no longer grow with
 * x, so the series neither overflows nor cancels for frequent buyers. For regular buyers (r ≫ a+b)
 * it cancels, with large a and b it overflows, at a + b = 1 its lower parameter is 0: there the
 * expectation is the integral over the drop-out probability ({@link betaRenewalMean}).
 * @internal
 */
import { betaRenewalMean } from "./beta-renewal-mean.ts";
import { hyp2f1Series, logAddExp, nbdLogPmf, nbdTail } from "./btyd-math.ts";
import type { GroupedSummary } from "./btyd-math.ts";
import { lbeta, lgamma } from "./lgamma.ts";

/** @internal [r, alpha, a, b]. */
export type Four = readonly number[];

const bad = (...v: number[]): boolean => v.some((u) => !(u >= 0) || u === Number.POSITIVE_INFINITY);
/** Repeat purchases are a count (a fractional x put the drop-out term a / (b + x − 1) on a pole the fit ran into). */
const badCount = (x: number, tx: number, T: number): boolean => bad(x, tx, T) || !Number.isInteger(x);

/** @internal ln L for one customer. */
export function familyLogLikelihood(p: Four, s: 0 | 1, x: number, tx: number, T: number): number {
  if (badCount(x, tx, T) || tx > T) return Number.NaN;
  const [r, alpha, a, b] = p as [number, number, number, number];
  const c = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + lgamma(a + b) + lgamma(b + x + s) - lgamma(b) - lgamma(a + b + x + s);
  const A3 = -(r + x) * Math.log(alpha + T);
  const A4 = x > 0 || s === 1 ? Math.log(a) - Math.log(b + x - 1 + s) - (r + x) * Math.log(alpha + (x > 0 ? tx : 0)) : Number.NEGATIVE_INFINITY;
  return c + logAddExp(A3, A4);
}

/** @internal Σ weight × ln L over a grouped summary (lgamma terms computed once per distinct x). */
export function familyLogLikelihoodSum(p: Four, s: 0 | 1, g: GroupedSummary): number {
  const [r, alpha, a, b] = p as [number, number, number, number];
  const base = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  // the terms that depend on x alone, once per distinct x: the lgamma constant and the drop-out
  // term's ln a − ln(b + x − 1 + s) (−∞ when a BG/NBD customer without repeats cannot have dropped out)
  const nx = g.xs.length;
  const cx = new Float64Array(nx), dx = new Float64Array(nx);
  const la = Math.log(a);
  for (let k = 0; k < nx; k++) {
    const x = g.xs[k]!;
    cx[k] = base + lgamma(r + x) + lgamma(b + x + s) - lgamma(a + b + x + s);
    dx[k] = x > 0 || s === 1 ? la - Math.log(b + x - 1 + s) : Number.NEGATIVE_INFINITY;
  }
  let sum = 0;
  for (let i = 0; i < g.x.length; i++) {
    const x = g.x[i]!, k = g.xi[i]!;
    const A3 = -(r + x) * Math.log(alpha + g.T[i]!);
    const d = dx[k]!;
    const A4 = d === Number.NEGATIVE_INFINITY ? d : d - (r + x) * Math.log(alpha + g.tx[i]!);
    sum += g.weight[i]! * (cx[k]! + logAddExp(A3, A4));
  }
  return sum;
}

/** @internal P(alive | x, t_x, T). */
export function familyProbabilityAlive(p: Four, s: 0 | 1, x: number, tx: number, T: number): number {
  if (badCount(x, tx, T) || tx > T) return Number.NaN;
  if (x === 0 && s === 0) return 1;
  const [r, alpha, a, b] = p as [number, number, number, number];
  // ln((α+T)/(α+t₀)) through log1p of the relative step: with α near 1e15 (a fit on regular buyers
  // walks r, α → ∞) the difference of the two logs lost its digits (P(alive) 18x too high)
  const t0 = x > 0 ? tx : 0;
  const lodds = Math.log(a) - Math.log(b + x - 1 + s) + (r + x) * Math.log1p((T - t0) / (alpha + t0));
  return 1 / (1 + Math.exp(lodds));
}

/**
 * E[Y(t) | alive, x, t_x, T] (before the P(alive) factor):
 * (a+b+x−1+s)/(a−1) · [1 − (1−z)^(a−1) 2F1(a+b−1+s−r, a−1; a+b+x−1+s; z)], z = t/(α+T+t), by the
 * series where it is exact, else as the integral over the drop-out probability
 * ({@link betaRenewalMean}). The series is used when it converged, its value lies in the
 * expectation's range [0, (r+x)·t/(α+T)], and the rounding of its largest term is below 1e-10 of
 * the result: its upper parameter a+b−1+s−r is about −r, so for regular buyers (r in the hundreds
 * or more, the B2B ridge) the terms alternate and cancel (E[X(100)] read −4.6e17 for r = 500,
 * a = 0.01), with large a and b they overflow, and at a + b = 1 the lower parameter is 0.
 */
function bracket(r: number, alpha: number, a: number, b: number, s: 0 | 1, t: number, x: number, T: number): number {
  const z = t / (alpha + T + t);
  const c = a + b + x - 1 + s;
  const R = r + x, w = t / (alpha + T);
  const top = R * w;
  const F = hyp2f1Series(a + b - 1 + s - r, a - 1, c, z);
  const le = (a - 1) * Math.log1p(-z);
  const oneMinus = -Math.expm1(le);
  // 1 − (1−z)^(a−1) F = (1 − (1−z)^(a−1)) − (1−z)^(a−1)(F − 1), with (1−z)^(a−1) itself, not
  // 1 − oneMinus: below about 1e-16 that difference is 0 or a few ulps, and F (1e28 for a = 20 over
  // two years) times that noise gave E[X(t)] = 1327 for every t instead of 13 to 51
  const inner = oneMinus - Math.exp(le) * (F.value - 1);
  const e = (c / (a - 1)) * inner;
  const rounding = Math.abs(c / (a - 1)) * Math.exp(le) * F.largest * 4e-16;
  if (F.converged && e >= 0 && e <= top * (1 + 1e-12) && rounding <= 1e-10 * e) return e;
  return betaRenewalMean(a, b + x + s, R, w);
}

/** @internal E[Y(t) | x, t_x, T]. */
export function familyConditionalExpected(p: Four, s: 0 | 1, t: number, x: number, tx: number, T: number): number {
  if (bad(x, tx, T) || !(t >= 0) || !Number.isInteger(x) || tx > T) return Number.NaN;
  if (t === 0) return 0;
  const [r, alpha, a, b] = p as [number, number, number, number];
  const alive = familyProbabilityAlive(p, s, x, tx, T);
  // t → ∞ (a lifetime's purchases): with z = t/(α+T+t) → 1 the 2F1 grows at most as
  // (1 − z)^(a−1−r−x), the power in front of it is (1 − z)^(r+x), so their product goes as
  // (1 − z)^(a−1) → 0 for a > 1 and the bracket tends to (a+b+x−1+s)/(a−1); for a ≤ 1 a living
  // customer's expected count has no bound. (It returned NaN; Pareto/NBD returns its own limit.)
  if (t === Number.POSITIVE_INFINITY) return alive === 0 ? 0 : a > 1 ? ((a + b + x - 1 + s) / (a - 1)) * alive : Number.POSITIVE_INFINITY;
  let e: number;
  if (Math.abs(a - 1) < 1e-6) {
    // removable singularity at a = 1: average the two sides
    e = 0.5 * (bracket(r, alpha, 1 - 1e-6, b, s, t, x, T) + bracket(r, alpha, 1 + 1e-6, b, s, t, x, T));
  } else e = bracket(r, alpha, a, b, s, t, x, T);
  return e * alive;
}

/** @internal P(X(t) = n) for a new customer. */
export function familyProbabilityOfPurchases(p: Four, s: 0 | 1, t: number, n: number): number {
  if (bad(t, n) || !Number.isInteger(n)) return Number.NaN;
  const [r, alpha, a, b] = p as [number, number, number, number];
  const lB = lbeta(a, b);
  if (t === 0) return n === 0 ? 1 : 0;
  const first = Math.exp(lbeta(a, b + n + s) - lB + nbdLogPmf(r, alpha, t, n));
  if (n === 0 && s === 0) return first;
  return first + Math.exp(lbeta(a + 1, b + n - 1 + s) - lB) * nbdTail(r, alpha, t, n);
}
