/**
 * A deterministic RandomSource for tests only, built on the engine's seeded generator: predictable, so never for
 * production noise (engine/privacy/random-source.ts is the cryptographic one).
 */
import { SeededRandom } from '../../../engine/random/seeded-random.ts';
import type { RandomSource } from '../../../engine/privacy/random-source.ts';

export function seededRandomSource(seed: number): RandomSource {
  const random = new SeededRandom(seed);
  return {
    fillBytes(target: Uint8Array): void {
      for (let i = 0; i < target.length; i += 4) {
        const word = random.nextUint32();
        for (let b = 0; b < 4 && i + b < target.length; b += 1) target[i + b] = (word >>> (8 * b)) & 0xff;
      }
    },
  };
}
