/**
 * The last, host-side part of a DP-SGD step: Gaussian noise N(0, (σC)²) on every coordinate of the clipped
 * gradient sum — every parameter, including embedding rows no sampled example touched, since skipping
 * them would reveal which tokens were absent — then division by the expected batch size q·n (Abadi et
 * al. 2016, Algorithm 1; the sampled size is not used, see poisson-sampling.ts).
 */
import { cryptoRandomSource } from './random-source.ts';
import type { RandomSource } from './random-source.ts';
import { fillStandardNormal } from './ziggurat.ts';

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
  if (!(noiseMultiplier > 0)) throw new RangeError(`noiseMultiplier must be > 0 (got ${noiseMultiplier})`);
  if (!(clipNorm > 0)) throw new RangeError(`clipNorm must be > 0 (got ${clipNorm})`);
  if (!(expectedBatchSize > 0)) throw new RangeError(`expectedBatchSize must be > 0 (got ${expectedBatchSize})`);
  const stdDev = noiseMultiplier * clipNorm;
  const scale = 1 / expectedBatchSize;
  const noise = new Float64Array(1 << 16);
  for (const sum of clippedSums.values()) {
    for (let offset = 0; offset < sum.length; offset += noise.length) {
      const length = Math.min(noise.length, sum.length - offset);
      fillStandardNormal(noise.subarray(0, length), source);
      for (let i = 0; i < length; i += 1) {
        sum[offset + i] = ((sum[offset + i] as number) + stdDev * (noise[i] as number)) * scale;
      }
    }
  }
}
