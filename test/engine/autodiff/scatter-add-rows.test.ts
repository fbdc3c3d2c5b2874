import { describe, expect, it } from 'vitest';
import { scatterAddRows } from '../../../engine/autodiff/scatter-add-rows.ts';

describe('scatterAddRows', () => {
  it('adds every row into its index, repeated indices accumulating', () => {
    // vocab 3, dim 2; rows for ids [2, 0, 2]: table row 2 gets [1,2]+[5,6] = [6,8], row 0 gets [3,4], row 1 stays 0.
    const result = scatterAddRows(BigInt64Array.from([2n, 0n, 2n]), Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2);
    expect([...result]).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('names an index outside the vocabulary and a size mismatch', () => {
    expect(() => scatterAddRows(BigInt64Array.from([3n]), new Float32Array(2), 3, 2)).toThrow(
      'index 3 at position 0 is outside [0, 3)',
    );
    expect(() => scatterAddRows(BigInt64Array.from([0n]), new Float32Array(3), 3, 2)).toThrow(
      '1 indices need 2 row values, got 3',
    );
  });
});
