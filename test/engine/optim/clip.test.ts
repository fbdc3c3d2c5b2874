import { describe, expect, it } from 'vitest';
import { clipGlobalNorm, globalNorm } from '../../../engine/optim/clip.ts';

describe('global-norm clipping', () => {
  it('the norm spans all tensors: ‖(3, 4) ‖ (12)‖ = 13 (by hand)', () => {
    expect(
      globalNorm(
        new Map([
          ['a', Float32Array.of(3, 4)],
          ['b', Float32Array.of(12)],
        ]),
      ),
    ).toBe(13);
  });

  it('scales every tensor by maxNorm / norm when above, keeping directions', () => {
    const gradients = new Map([
      ['a', Float32Array.of(3, 4)],
      ['b', Float32Array.of(12)],
    ]);
    expect(clipGlobalNorm(gradients, 6.5)).toBe(13);
    expect([...gradients.get('a')!]).toEqual([1.5, 2]);
    expect([...gradients.get('b')!]).toEqual([6]);
    expect(globalNorm(gradients)).toBeCloseTo(6.5, 6);
  });

  it('leaves gradients within the bound untouched', () => {
    const gradients = new Map([['a', Float32Array.of(0.3, -0.4)]]);
    clipGlobalNorm(gradients, 1);
    expect([...gradients.get('a')!]).toEqual([Math.fround(0.3), Math.fround(-0.4)]);
  });

  it('a non-finite gradient is reported, not spread into the weights', () => {
    expect(() => clipGlobalNorm(new Map([['a', Float32Array.of(NaN)]]), 1)).toThrow('gradient norm is NaN');
  });
});
