/**
 * Where DP randomness comes from. Everything that decides which records are sampled or how much noise
 * hides them draws bytes from a RandomSource, so that production code uses the operating system's
 * CSPRNG and tests can inject a seeded generator of their own.
 *
 * Why not Math.random: it is not a cryptographically secure generator. V8 implements it with
 * xorshift128+, whose whole state can be recovered from a handful of outputs; anyone who sees some of
 * them (or the update itself, which contains noise derived from them) could predict the rest of the
 * stream — and a coordinator that can predict the noise can subtract it, which voids the guarantee.
 * The noise must be as secret as the data.
 */
import { randomFillSync } from 'node:crypto';

export interface RandomSource {
  /** Fills `target` with uniformly random bytes. */
  fillBytes(target: Uint8Array): void;
}

/** The operating system's CSPRNG (node:crypto). */
export const cryptoRandomSource: RandomSource = {
  fillBytes(target: Uint8Array): void {
    randomFillSync(target);
  },
};

const TWO_TO_MINUS_53 = 2 ** -53;

/**
 * Uniform doubles in [0, 1) with 53 random bits each (a multiple of 2^−53), drawn in one call to the
 * source for the whole array.
 */
export function uniformDoubles(count: number, source: RandomSource): Float64Array {
  const words = new Uint32Array(count * 2);
  source.fillBytes(new Uint8Array(words.buffer));
  const result = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    const high = (words[2 * i] ?? 0) >>> 5; // 27 bits
    const low = (words[2 * i + 1] ?? 0) >>> 6; // 26 bits
    result[i] = (high * 67_108_864 + low) * TWO_TO_MINUS_53;
  }
  return result;
}
