import { describe, expect, it } from 'vitest';
import { dirichlet, gamma } from '../../../engine/data/dirichlet.ts';
import { SeededRandom } from '../../../engine/random/seeded-random.ts';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const variance = (values: number[]) => {
  const m = mean(values);
  return mean(values.map((v) => (v - m) ** 2));
};

describe('gamma and Dirichlet draws', () => {
  it('draws Gamma(k, 1) with mean k and variance k, for k below and above 1', () => {
    const random = new SeededRandom(11);
    for (const shape of [0.3, 2.5]) {
      const values = Array.from({ length: 50_000 }, () => gamma(random, shape));
      // Standard error of the mean √(k/n): at most 0.007 here; allow 5 of them.
      expect(Math.abs(mean(values) - shape)).toBeLessThan(5 * Math.sqrt(shape / 50_000));
      expect(Math.abs(variance(values) / shape - 1)).toBeLessThan(0.1);
    }
  });

  it('draws Dirichlet vectors that sum to 1 with mean 1/k per category', () => {
    const random = new SeededRandom(3);
    const draws = Array.from({ length: 20_000 }, () => dirichlet(random, 0.5, 4));
    for (const draw of draws.slice(0, 100)) expect(draw.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let k = 0; k < 4; k += 1) expect(Math.abs(mean(draws.map((d) => d[k]!)) - 0.25)).toBeLessThan(0.01);
  });
});
