/**
 * The engine's one seeded pseudo-random generator, for everything that must repeat for a seed: initial weights,
 * data order, task interleaving, partitions. xoshiro128** (Blackman and Vigna 2018, "Scrambled linear pseudorandom
 * number generators"), its state taken from SHA-256 of the seed's text, so a seed gives the same stream on every
 * platform. Not for anything secret: DP noise and secure-aggregation masks use a cryptographic generator.
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
  uniform(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box–Muller, one value per pair: simpler, and the cost is nowhere hot). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = this.integer(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  /** 0..n-1 in shuffled order. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}
