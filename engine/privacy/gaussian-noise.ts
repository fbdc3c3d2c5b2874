/**
 * Gaussian noise for DP-SGD: N(0, (σC)²) per coordinate, where σ is the noise multiplier and C the clip
 * norm (the L2 sensitivity of the clipped sum). Samples come from a RandomSource — the OS CSPRNG by
 * default; see random-source.ts for why Math.random is not acceptable — through the ziggurat method
 * (ziggurat.ts), exact up to the 2^−24 resolution of a position within a layer.
 *
 * Known limit, as for every floating-point sampler: the noise is a double rounded to float32 and added to
 * a float32 sum, so its low-order bits are not exactly Gaussian (Mironov 2012 showed such artefacts can
 * be exploited for Laplace noise). The effect is far below the noise scale and is not accounted for.
 */
import { cryptoRandomSource } from './random-source.ts';
import type { RandomSource } from './random-source.ts';
import { fillStandardNormal } from './ziggurat.ts';

/** `count` independent draws from N(0, stdDev²). */
export function gaussianSamples(
  count: number,
  stdDev: number,
  source: RandomSource = cryptoRandomSource,
): Float64Array {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer (got ${count})`);
  if (!(stdDev >= 0) || !Number.isFinite(stdDev)) throw new RangeError(`stdDev must be finite and ≥ 0 (got ${stdDev})`);
  const samples = new Float64Array(count);
  fillStandardNormal(samples, source);
  for (let i = 0; i < count; i += 1) samples[i] = (samples[i] as number) * stdDev;
  return samples;
}

export interface DpNoiseParameters {
  readonly noiseMultiplier: number;
  readonly clipNorm: number;
}

/** Adds N(0, (σC)²) to every coordinate of `target` in place (the clipped gradient sum). */
export function addDpNoise(
  target: Float32Array,
  { noiseMultiplier, clipNorm }: DpNoiseParameters,
  source: RandomSource = cryptoRandomSource,
): void {
  if (!(noiseMultiplier > 0)) throw new RangeError(`noiseMultiplier must be > 0 (got ${noiseMultiplier})`);
  if (!(clipNorm > 0)) throw new RangeError(`clipNorm must be > 0 (got ${clipNorm})`);
  const stdDev = noiseMultiplier * clipNorm;
  const noise = new Float64Array(Math.min(target.length, 1 << 16)); // bounded scratch for very large models
  for (let offset = 0; offset < target.length; offset += noise.length) {
    const length = Math.min(noise.length, target.length - offset);
    fillStandardNormal(noise.subarray(0, length), source);
    for (let i = 0; i < length; i += 1)
      target[offset + i] = (target[offset + i] as number) + stdDev * (noise[i] as number);
  }
}
