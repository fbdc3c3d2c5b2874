import { describe, expect, it } from 'vitest';
import { topKIndices } from '../../../engine/codec/top-k.ts';
import { seededRandom } from '../../support/seeded-random.ts';

/** Naive reference: sort indices by magnitude (ties by index), keep k, sort ascending. */
function naiveTopK(values: Float32Array, k: number): number[] {
  return [...values.keys()]
    .sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!) || a - b)
    .slice(0, k)
    .sort((a, b) => a - b);
}

describe('topKIndices', () => {
  it('worked by hand: the two largest magnitudes of [1, −5, 3, 0.5, 4] are at 1 and 4', () => {
    expect([...topKIndices(Float32Array.from([1, -5, 3, 0.5, 4]), 2)]).toEqual([1, 4]);
  });

  it('matches the naive selection on random vectors, with many ties', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 300);
      const coarse = trial % 2 === 0; // few distinct values: ties everywhere
      const values = Float32Array.from({ length: n }, () =>
        coarse ? Math.round((random() - 0.5) * 6) : (random() - 0.5) * 10,
      );
      const k = Math.floor(random() * (n + 1));
      expect([...topKIndices(values, k)]).toEqual(naiveTopK(values, k));
    }
  });
});
