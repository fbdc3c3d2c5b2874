import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../engine/data/seeded-random.ts';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const variance = (values: number[]) => {
  const m = mean(values);
  return mean(values.map((v) => (v - m) ** 2));
};

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number | string) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.nextUint32()
        )(new SeededRandom(seed)),
      );
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw('1')).toEqual(draw(1)); // a seed is its text
  });

  it('draws uniforms with the mean and variance of U(0, 1)', () => {
    const random = new SeededRandom(7);
    const values = Array.from({ length: 100_000 }, () => random.next());
    // Mean 1/2 (standard error 0.29/√100000 ≈ 0.0009), variance 1/12.
    expect(Math.abs(mean(values) - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance(values) - 1 / 12)).toBeLessThan(0.003);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('draws Gamma(k, 1) with mean k and variance k, for k below and above 1', () => {
    const random = new SeededRandom(11);
    for (const shape of [0.3, 2.5]) {
      const values = Array.from({ length: 50_000 }, () => random.gamma(shape));
      // Standard error of the mean √(k/n): at most 0.007 here; allow 5 of them.
      expect(Math.abs(mean(values) - shape)).toBeLessThan(5 * Math.sqrt(shape / 50_000));
      expect(Math.abs(variance(values) / shape - 1)).toBeLessThan(0.1);
    }
  });

  it('draws Dirichlet vectors that sum to 1 with mean 1/k per category', () => {
    const random = new SeededRandom(3);
    const draws = Array.from({ length: 20_000 }, () => random.dirichlet(0.5, 4));
    for (const draw of draws.slice(0, 100)) expect(draw.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let k = 0; k < 4; k += 1) expect(Math.abs(mean(draws.map((d) => d[k]!)) - 0.25)).toBeLessThan(0.01);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = new SeededRandom(5).shuffle(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });
});
