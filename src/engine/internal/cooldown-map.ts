/**
 * @internal The engine's cooldowns: the day each family's cooldown started, keyed by the family
 * key (type, customer, product, … joined by U+0000; the customer is the second field, "" for
 * business-level families), with the keys of each customer indexed so that forgetting a customer
 * touches its own keys only (a pass over every key per `forget` made forgetting n customers one
 * after another O(n²): 4,000 overdue customers took 0.3 s, 40,000 would take 30 s).
 */
export class CooldownMap {
  private readonly days = new Map<string, number>();
  private readonly byCustomer = new Map<string, Set<string>>();

  /** The customer field of a family key (its second field, as the key holds it). */
  private static customerField(key: string): string {
    const at = key.indexOf("\u0000") + 1;
    const end = key.indexOf("\u0000", at);
    return at === 0 ? "" : key.slice(at, end < 0 ? key.length : end);
  }

  get(key: string): number | undefined {
    return this.days.get(key);
  }

  has(key: string): boolean {
    return this.days.has(key);
  }

  set(key: string, day: number): void {
    if (!this.days.has(key)) {
      const c = CooldownMap.customerField(key);
      if (c !== "") {
        let keys = this.byCustomer.get(c);
        if (keys === undefined) this.byCustomer.set(c, (keys = new Set()));
        keys.add(key);
      }
    }
    this.days.set(key, day);
  }

  delete(key: string): void {
    if (!this.days.delete(key)) return;
    const c = CooldownMap.customerField(key);
    const keys = this.byCustomer.get(c);
    keys?.delete(key);
    if (keys?.size === 0) this.byCustomer.delete(c);
  }

  /** Deletes every key whose customer field is `field` (the customer id as a family key holds it). */
  deleteCustomer(field: string): void {
    const keys = this.byCustomer.get(field);
    if (keys === undefined) return;
    for (const key of keys) this.days.delete(key);
    this.byCustomer.delete(field);
  }

  /** Keys and days, in insertion order. */
  entries(): IterableIterator<[string, number]> {
    return this.days.entries();
  }

  get size(): number {
    return this.days.size;
  }
}
