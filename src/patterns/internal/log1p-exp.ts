/** @internal log(1 + e^x) without overflow (the logistic fit's loss, the signals' saddle-point tail). */
export function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
