// Seeded randomness for the fixture generator: no Math.random, no clock. Every file draws from its own
// generator derived from (seed, labels...), so one stream's output never depends on another's, and
// turning --messy on does not change the good rows.

/** 32-bit string/number hash (FNV-1a over the text, then murmur3's finaliser). */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** murmur3 fmix32: a cheap, well-spread integer hash (used per member, so it must be fast). */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** sfc32: small, fast, passes PractRand; state is four 32-bit words. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, ...labels: (string | number)[]) {
    this.a = hash32(seed, 'a', ...labels);
    this.b = hash32(seed, 'b', ...labels);
    this.c = hash32(seed, 'c', ...labels);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

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
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box-Muller; one value per call, fine outside the hottest loops). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A triangular draw on [lo, hi] with its mode at `mode`: cheap, bounded, skewed where needed. */
  triangular(lo: number, mode: number, hi: number): number {
    const u = this.float();
    const f = (mode - lo) / (hi - lo);
    return u < f ? lo + Math.sqrt(u * (hi - lo) * (mode - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/** Cumulative weights for `weighted`: pass the result, not the raw weights, in hot loops. */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i]!;
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** Index drawn with probability proportional to its weight (cum from `cumulative`). */
export function weighted(rng: Rng, cum: Float64Array): number {
  const u = rng.float();
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Splits an exact total over weights by the largest-remainder method: the parts sum to `total`
 * exactly, and ties go to the lower index, so the split is deterministic. This is how every calibrated
 * figure stays exact (quotas, not coin flips).
 */
export function allocate(total: number, weights: ArrayLike<number>): Int32Array {
  const n = weights.length;
  const out = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.max(0, weights[i]!);
  if (total <= 0 || sum <= 0) return out;
  const rem = new Float64Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const exact = (total * Math.max(0, weights[i]!)) / sum;
    out[i] = Math.floor(exact);
    rem[i] = exact - out[i]!;
    given += out[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => rem[y]! - rem[x]! || x - y);
  for (let k = 0; given < total; k = (k + 1) % n) {
    out[order[k]!]!++;
    given++;
  }
  return out;
}
