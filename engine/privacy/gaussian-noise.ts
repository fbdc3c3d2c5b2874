/**
 * Gaussian noise for DP-SGD: N(0, (σC)²) per coordinate, where σ is the noise multiplier and C the
 * clip norm (the L2 sensitivity of the clipped sum). Samples come from a RandomSource — the OS CSPRNG
 * by default; see random-source.ts for why Math.random is not acceptable.
 *
 * Box–Muller (G. E. P. Box, M. E. Muller, 1958) turns two uniforms into two independent standard
 * normals. With 53-bit uniforms the largest magnitude it can produce is √(2·53·ln 2) ≈ 8.6 standard
 * deviations; the probability mass beyond that is below 1e-17, far under any δ used in practice.
 */
import { cryptoRandomSource, uniformDoubles } from './random-source.ts';
import type { RandomSource } from './random-source.ts';

/** `count` independent draws from N(0, stdDev²). */
export function gaussianSamples(
  count: number,
  stdDev: number,
  source: RandomSource = cryptoRandomSource,
): Float64Array {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer (got ${count})`);
  if (!(stdDev >= 0) || !Number.isFinite(stdDev)) throw new RangeError(`stdDev must be finite and ≥ 0 (got ${stdDev})`);
  const pairs = Math.ceil(count / 2);
  const uniforms = uniformDoubles(pairs * 2, source);
  const samples = new Float64Array(count);
  for (let pair = 0; pair < pairs; pair += 1) {
    // 1 − u lies in (0, 1], so the logarithm is finite.
    const radius = stdDev * Math.sqrt(-2 * Math.log(1 - (uniforms[2 * pair] ?? 0)));
    const angle = 2 * Math.PI * (uniforms[2 * pair + 1] ?? 0);
    samples[2 * pair] = radius * Math.cos(angle);
    if (2 * pair + 1 < count) samples[2 * pair + 1] = radius * Math.sin(angle);
  }
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
  const chunk = 1 << 16; // bounded scratch memory for models with hundreds of millions of parameters
  for (let offset = 0; offset < target.length; offset += chunk) {
    const length = Math.min(chunk, target.length - offset);
    const noise = gaussianSamples(length, noiseMultiplier * clipNorm, source);
    for (let i = 0; i < length; i += 1) target[offset + i] = (target[offset + i] ?? 0) + (noise[i] ?? 0);
  }
}
