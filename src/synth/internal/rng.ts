/**
 * @internal Seeded pseudo-random numbers for the synthetic distributor: `sfc32` (Chris Doty-Humphrey's
 * small fast counting generator, 128-bit state) seeded through `splitmix32` from a hash of
 * `(seed, stream tag, index)`, so every entity can own an independent stream.
 * @module
 */

/** @internal Stream tags: each kind of entity draws from its own family of streams. */
export const STREAM = {
  catalog: 1,
  global: 2,
  reps: 3,
  deals: 4,
  customer: 5,
  orders: 6,
  events: 7,
  content: 8,
  targets: 9,
} as const;

/** @internal 32-bit mix (murmur3 finalizer). */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** @internal A seeded generator; methods draw from common distributions. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = Number.NaN;

  /**
   * @param seed - user seed (any safe integer)
   * @param tag - stream tag
   * @param index - entity index within the stream family
   */
  constructor(seed: number, tag: number, index = 0) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let s = mix32(lo ^ mix32(hi + 0x9e3779b9) ^ mix32(Math.imul(tag, 0x27d4eb2f) + 0x165667b1));
    s = mix32(s ^ mix32(index + Math.imul(tag, 0x61c88647)));
    // splitmix32 to fill the state
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // a seed beyond 32 bits (or negative) also sets c apart by its high word: folded into the 32
    // bits of s alone, seed −1 gave seed 1,542,153,714's world and 2³² + 1 gave 74,110,564's (a
    // review). Given s, a tells s apart (splitmix32's output is a bijection of its counter) and c
    // the high word (mix32 is a bijection), so two seeds share a state only if they are equal;
    // seeds in [0, 2³²) draw what they always drew.
    if (hi !== 0) this.c = (this.c ^ mix32(hi ^ 0x5bd1e995)) >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Marsaglia polar method, caches the spare value). */
  normal(): number {
    if (this.spare === this.spare) {
      const v = this.spare;
      this.spare = Number.NaN;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Lognormal with log-mean mu and log-sd sigma. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(1 - this.next());
  }

  /** Gamma(shape, scale 1) (Marsaglia-Tsang; boosts shapes below 1). */
  gamma(shape: number): number {
    if (shape < 1) {
      const u = this.next();
      return this.gamma(shape + 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Gamma-distributed positive value with the given mean and coefficient of variation. */
  gammaMeanCv(mean: number, cv: number): number {
    const shape = 1 / (cv * cv);
    return (this.gamma(shape) * mean) / shape;
  }

  /** Poisson count (inversion for small means, normal approximation above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const l = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > l) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Index drawn from a cumulative weight array (last element = total). */
  pickCumulative(cum: Float64Array | readonly number[], from: number = 0, to: number = cum.length): number {
    const base = from > 0 ? cum[from - 1]! : 0;
    const x = base + this.next() * (cum[to - 1]! - base);
    let lo = from;
    let hi = to - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Index drawn from (unnormalised) weights. */
  pickWeighted(weights: readonly number[] | Float64Array): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}
