import { describe, expect, it } from 'vitest';
import { dequantizeInt8, quantizeInt8 } from '../../../engine/codec/int8-quantization.ts';
import { seededRandom } from '../../support/seeded-random.ts';

describe('int8 quantization with stochastic rounding', () => {
  // max |x| = 12.7, so the scale is 0.1 and each value sits a known fraction between two levels.
  const x = Float32Array.from([12.7, -12.7, 0.03, -0.07, 1.234, -5.555, 6.01, 0.5, 9.99, -0.001, 0, 3.33]);

  it('is unbiased: the mean of many decodings is x (Hoeffding bound, 5 half-steps/√T)', () => {
    const trials = 4000;
    const random = seededRandom(2026);
    const sums = new Float64Array(x.length);
    for (let t = 0; t < trials; t++) {
      dequantizeInt8(quantizeInt8(x, random)).forEach((value, i) => (sums[i] = sums[i]! + value));
    }
    // Each decoding lies within one step s of x, so by Hoeffding P(|mean − x| ≥ ε) ≤ 2·exp(−2Tε²/s²);
    // at ε = 5s/(2√T) that is 2·e^(−12.5) ≈ 7e-6 per value. Rounding to nearest would miss by up to s/2.
    const step = 12.7 / 127;
    const tolerance = (5 * step) / (2 * Math.sqrt(trials));
    x.forEach((value, i) => expect(Math.abs(sums[i]! / trials - value)).toBeLessThan(tolerance));
  });

  it('decodes only to the two levels around each value, and keeps the extremes exact', () => {
    const random = seededRandom(1);
    const block = quantizeInt8(x, random);
    const step = block.scales[0]!;
    dequantizeInt8(block).forEach((value, i) => {
      expect(Math.abs(value - x[i]!)).toBeLessThan(step * (1 + 1e-6));
      expect(Math.abs(block.values[i]!)).toBeLessThanOrEqual(127);
    });
    expect(dequantizeInt8(block)[0]).toBeCloseTo(12.7, 5);
  });

  it('keeps one scale per chunk, so a large chunk does not coarsen a small one', () => {
    const values = Float32Array.from([100, -50, 0.01, -0.02]);
    const block = quantizeInt8(values, seededRandom(3), 2);
    expect(block.scales.length).toBe(2);
    expect(block.scales[0]).toBeCloseTo(100 / 127, 6);
    expect(block.scales[1]).toBeCloseTo(0.02 / 127, 9);
    const decoded = dequantizeInt8(block);
    expect(Math.abs(decoded[2]! - 0.01)).toBeLessThan(0.02 / 127 + 1e-9);
  });

  it('encodes an all-zero chunk as zeros with scale 0', () => {
    const block = quantizeInt8(new Float32Array(5), seededRandom(4));
    expect([...block.scales]).toEqual([0]);
    expect([...dequantizeInt8(block)]).toEqual([0, 0, 0, 0, 0]);
  });
});
