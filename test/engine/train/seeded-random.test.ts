import { describe, expect, it } from 'vitest';
import { seededRandom, shuffledIndices } from '../../../engine/train/seeded-random.ts';

describe('seeded random', () => {
  it('the same seed repeats its sequence; another seed does not', () => {
    const [a, b, c] = [seededRandom(42), seededRandom(42), seededRandom(43)];
    const draw = (random: () => number) => Array.from({ length: 5 }, random);
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
  });

  it('draws lie in [0, 1) with a mean near 1/2 (10 000 draws: standard error ≈ 0.003)', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, random);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(draws.reduce((a, b) => a + b, 0) / draws.length - 0.5)).toBeLessThan(0.015);
  });

  it('a shuffle is a permutation of 0..n-1', () => {
    const order = shuffledIndices(100, seededRandom(1));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
