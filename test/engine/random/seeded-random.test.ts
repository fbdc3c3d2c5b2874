import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../engine/random/seeded-random.ts';

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
    const values = Array.from({ length: 100_000 }, () => random.uniform());
    // Mean 1/2 (standard error 0.29/√100000 ≈ 0.0009), variance 1/12.
    expect(Math.abs(mean(values) - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance(values) - 1 / 12)).toBeLessThan(0.003);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('draws standard normals: mean 0, variance 1', () => {
    const random = new SeededRandom(13);
    const values = Array.from({ length: 100_000 }, () => random.normal());
    // Standard error of the mean 1/√100000 ≈ 0.003; of the variance √(2/100000) ≈ 0.0045.
    expect(Math.abs(mean(values))).toBeLessThan(0.015);
    expect(Math.abs(variance(values) - 1)).toBeLessThan(0.025);
  });

  it('draws integers in [0, n), every value about equally often', () => {
    const random = new SeededRandom(17);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i += 1) counts[random.integer(6)]! += 1;
    // 10 000 expected per value, standard deviation ≈ 91: allow 5 of them.
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(460);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = new SeededRandom(5).shuffle(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    const order = new SeededRandom(5).permutation(100);
    expect(order).toEqual(shuffled);
  });
});
