/** @internal Neumaier-compensated running sum (Kahan-Babuška): money totals built one value at a time; `add(-x)` takes a value back out. */
export class CompensatedSum {
  private s = 0;
  private c = 0;
  /**
   * Add x.
   * @param x - the value
   */
  add(x: number): void {
    const t = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s;
    this.s = t;
  }
  /** The sum. */
  get value(): number {
    return this.s + this.c;
  }
}
