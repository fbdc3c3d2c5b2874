/**
 * A seeded pseudo-random generator for reproducible data handling (shuffles, partitions). Not for anything
 * secret: DP noise and secure-aggregation masks use a cryptographic generator. xoshiro128** (Blackman and Vigna
 * 2018, "Scrambled linear pseudorandom number generators"), its state taken from SHA-256 of the seed.
 */
import { createHash } from 'node:crypto';

export class SeededRandom {
  readonly #state: Uint32Array;

  constructor(seed: number | string) {
    const digest = createHash('sha256')
      .update(`accord-seeded-random\u0000${String(seed)}`)
      .digest();
    this.#state = new Uint32Array([
      digest.readUInt32LE(0),
      digest.readUInt32LE(4),
      digest.readUInt32LE(8),
      digest.readUInt32LE(12),
    ]);
    if (this.#state.every((word) => word === 0)) this.#state[0] = 1; // the all-zero state is a fixed point
  }

  /** The next 32 random bits. */
  nextUint32(): number {
    const s = this.#state;
    const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1), 53 bits. */
  next(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /**
   * Gamma(shape, 1) by Marsaglia and Tsang (2000), "A simple method for generating gamma variables"; for shape
   * < 1, Gamma(shape + 1)·U^(1/shape).
   */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new Error(`gamma shape must be positive, got ${shape}`);
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = Math.pow(1 + c * x, 3);
      if (v <= 0) continue;
      const u = this.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** A sample of the symmetric Dirichlet(alpha, …, alpha) over `k` categories. */
  dirichlet(alpha: number, k: number): number[] {
    const draws = Array.from({ length: k }, () => this.gamma(alpha));
    const total = draws.reduce((a, b) => a + b, 0);
    // With a tiny alpha every draw can underflow to 0: fall back to one category chosen at random.
    if (total === 0) {
      const chosen = this.nextInt(k);
      return draws.map((_, i) => (i === chosen ? 1 : 0));
    }
    return draws.map((draw) => draw / total);
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = this.nextInt(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}
