/**
 * @internal Σ of `values[k]` over k in [start, end) whose `days[k]` lies in [from, to], × 90/365,
 * at least 0 (Neumaier-compensated: money): a customer's 90-day margin over the year a signal
 * names, from its purchase-day margins (item signals) or its daily margins (an engine's kept case).
 */
export function margin90Within(days: ArrayLike<number>, values: ArrayLike<number>, start: number, end: number, from: number, to: number): number {
  let sum = 0, comp = 0;
  for (let k = start; k < end; k++) {
    const day = days[k]!;
    if (day < from || day > to) continue;
    const x = values[k]!, t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return Math.max(0, ((sum + comp) * 90) / 365);
}
