import { describe, expect, it } from 'vitest';
import { privatizeGradientSums } from '../../../engine/privacy/noisy-gradient.ts';
import { seededRandomSource } from './seeded-random-source.ts';

describe('privatizeGradientSums', () => {
  it('adds N(0, (σC)²) to every coordinate of every parameter and divides by q·n', () => {
    const count = 100_000;
    const sums = new Map([
      ['w', new Float32Array(count).fill(8)],
      ['table', new Float32Array(count)], // rows no example touched still get noise
    ]);
    privatizeGradientSums(sums, { noiseMultiplier: 1.1, clipNorm: 2, expectedBatchSize: 4 }, seededRandomSource(11));
    const stdDev = (1.1 * 2) / 4;
    for (const [name, values, mean] of [
      ['w', sums.get('w'), 2],
      ['table', sums.get('table'), 0],
    ] as const) {
      const data = Array.from(values ?? []);
      const m = data.reduce((s, v) => s + v, 0) / count;
      const variance = data.reduce((s, v) => s + (v - m) ** 2, 0) / (count - 1);
      expect(Math.abs(m - mean), name).toBeLessThan((5 * stdDev) / Math.sqrt(count));
      expect(Math.abs(variance - stdDev ** 2), name).toBeLessThan(5 * stdDev ** 2 * Math.sqrt(2 / (count - 1)) + 1e-6);
    }
    expect(() => privatizeGradientSums(sums, { noiseMultiplier: 1, clipNorm: 1, expectedBatchSize: 0 })).toThrow(
      /expectedBatchSize/,
    );
  });
});
