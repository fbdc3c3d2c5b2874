/**
 * The engine's seeded generator as the plain `() => number` sources that codec APIs and statistical tests take,
 * so that they are reproducible.
 */
import { SeededRandom } from '../../engine/random/seeded-random.ts';

/** Uniform [0, 1) draws for a seed. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.uniform();
}

/** Standard normal draws for a seed. */
export function seededNormal(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.normal();
}
