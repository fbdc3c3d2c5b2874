import { describe, expect, it } from 'vitest';
import { addDpNoise, gaussianSamples } from '../../../engine/privacy/gaussian-noise.ts';
import { logErfc } from '../../../engine/privacy/analysis/log-erfc.ts';
import { cryptoRandomSource, uniformDoubles } from '../../../engine/privacy/random-source.ts';
import { seededRandomSource } from './seeded-random-source.ts';

function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += values[i] ?? 0;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i += 1) squares += ((values[i] ?? 0) - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

describe('Gaussian noise', () => {
  const count = 200_000;
  const sigma = 1.3;
  const clipNorm = 0.7;
  const stdDev = sigma * clipNorm;

  it('has mean 0 and variance (σC)² within 5 standard errors (fixed seed)', () => {
    const samples = gaussianSamples(count, stdDev, seededRandomSource(42));
    const { mean, variance } = moments(samples);
    // Standard error of the mean: s/√N; of the variance of a normal sample: s²·√(2/(N−1)).
    expect(Math.abs(mean)).toBeLessThan((5 * stdDev) / Math.sqrt(count));
    expect(Math.abs(variance - stdDev ** 2)).toBeLessThan(5 * stdDev ** 2 * Math.sqrt(2 / (count - 1)));
  });

  it('is normal in shape: 68.27 % within one σ and 95.45 % within two, within 5 standard errors', () => {
    const samples = gaussianSamples(count, 1, seededRandomSource(7));
    for (const [k, p] of [
      [1, 0.682689492],
      [2, 0.954499736],
    ] as const) {
      const inside = samples.filter((x) => Math.abs(x) < k).length / count;
      expect(Math.abs(inside - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / count));
    }
  });

  it('follows the normal CDF: Kolmogorov distance below the 1 % critical value 1.628/√N, tails included', () => {
    const samples = gaussianSamples(count, 1, seededRandomSource(21)).sort();
    const normalCdf = (x: number) =>
      x < 0 ? Math.exp(logErfc(-x / Math.SQRT2)) / 2 : 1 - Math.exp(logErfc(x / Math.SQRT2)) / 2;
    let distance = 0;
    samples.forEach((x, i) => {
      const cdf = normalCdf(x);
      distance = Math.max(distance, Math.abs(cdf - i / count), Math.abs(cdf - (i + 1) / count));
    });
    expect(distance).toBeLessThan(1.628 / Math.sqrt(count));
    // Beyond the ziggurat's base layer (R ≈ 3.4426) samples come from the exact tail algorithm:
    // P(|Z| > 3.5) = erfc(3.5/√2) = 4.6525e-4; allow 5 binomial standard errors.
    const p = Math.exp(logErfc(3.5 / Math.SQRT2));
    const beyond = samples.filter((x) => Math.abs(x) > 3.5).length / count;
    expect(Math.abs(beyond - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / count));
  });

  it('adds N(0, (σC)²) to a gradient sum in place, leaving its expectation unchanged', () => {
    const target = new Float32Array(count).fill(3);
    addDpNoise(target, { noiseMultiplier: sigma, clipNorm }, seededRandomSource(3));
    const { mean, variance } = moments(target);
    expect(Math.abs(mean - 3)).toBeLessThan((5 * stdDev) / Math.sqrt(count));
    expect(Math.abs(variance - stdDev ** 2)).toBeLessThan(5 * stdDev ** 2 * Math.sqrt(2 / (count - 1)) + 1e-6);
  });

  it('is reproducible from a seed and different across seeds; the default source is the CSPRNG', () => {
    expect(gaussianSamples(5, 1, seededRandomSource(1))).toEqual(gaussianSamples(5, 1, seededRandomSource(1)));
    expect(gaussianSamples(5, 1, seededRandomSource(1))).not.toEqual(gaussianSamples(5, 1, seededRandomSource(2)));
    expect(gaussianSamples(5, 1)).not.toEqual(gaussianSamples(5, 1)); // 2^-265 chance of a false failure
    expect(gaussianSamples(3, 1, cryptoRandomSource)).toHaveLength(3);
  });

  it('draws uniforms in [0, 1) and rejects bad parameters', () => {
    const uniforms = uniformDoubles(10_000, seededRandomSource(9));
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(() => addDpNoise(new Float32Array(1), { noiseMultiplier: 0, clipNorm: 1 })).toThrow(/noiseMultiplier/);
    expect(() => addDpNoise(new Float32Array(1), { noiseMultiplier: 1, clipNorm: -1 })).toThrow(/clipNorm/);
    expect(() => gaussianSamples(-1, 1)).toThrow(/count/);
  });
});
