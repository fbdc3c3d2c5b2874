/**
 * Gamma and Dirichlet draws from the seeded generator, for label-skewed partitions (engine/data/partition.ts).
 */
import type { SeededRandom } from '../random/seeded-random.ts';

/**
 * Gamma(shape, 1) by Marsaglia and Tsang (2000), "A simple method for generating gamma variables"; for shape < 1,
 * Gamma(shape + 1)·U^(1/shape).
 */
export function gamma(random: SeededRandom, shape: number): number {
  if (!(shape > 0)) throw new Error(`gamma shape must be positive, got ${shape}`);
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(random.uniform() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = random.normal();
    const v = Math.pow(1 + c * x, 3);
    if (v <= 0) continue;
    const u = random.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A sample of the symmetric Dirichlet(alpha, …, alpha) over `k` categories. */
export function dirichlet(random: SeededRandom, alpha: number, k: number): number[] {
  const draws = Array.from({ length: k }, () => gamma(random, alpha));
  const total = draws.reduce((a, b) => a + b, 0);
  // With a tiny alpha every draw can underflow to 0: fall back to one category chosen at random.
  if (total === 0) {
    const chosen = random.integer(k);
    return draws.map((_, i) => (i === chosen ? 1 : 0));
  }
  return draws.map((draw) => draw / total);
}
