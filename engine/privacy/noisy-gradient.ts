/**
 * The last, host-side part of a DP-SGD step: Gaussian noise N(0, (σC)²) on every coordinate of the clipped
 * gradient sum — every parameter, including embedding rows no sampled example touched, since skipping
 * them would reveal which tokens were absent — then division by the expected batch size q·n (Abadi et
 * al. 2016, Algorithm 1; the sampled size is not used, see poisson-sampling.ts).
 */
import { addDpNoise } from './gaussian-noise.ts';
import { cryptoRandomSource } from './random-source.ts';
import type { RandomSource } from './random-source.ts';

export interface NoisyGradientParameters {
  readonly noiseMultiplier: number;
  readonly clipNorm: number;
  /** q·n: the expected number of examples per step. */
  readonly expectedBatchSize: number;
}

/** Turns clipped sums (by parameter name, modified in place) into the private gradient estimate. */
export function privatizeGradientSums(
  clippedSums: ReadonlyMap<string, Float32Array>,
  { noiseMultiplier, clipNorm, expectedBatchSize }: NoisyGradientParameters,
  source: RandomSource = cryptoRandomSource,
): void {
  if (!(expectedBatchSize > 0)) throw new RangeError(`expectedBatchSize must be > 0 (got ${expectedBatchSize})`);
  const scale = 1 / expectedBatchSize;
  for (const sum of clippedSums.values()) {
    addDpNoise(sum, { noiseMultiplier, clipNorm }, source);
    for (let i = 0; i < sum.length; i += 1) sum[i] = (sum[i] as number) * scale;
  }
}
